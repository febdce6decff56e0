#pragma once

#include <porchlight/error.hpp>
#include <porchlight/net/http.hpp>
#include <porchlight/geo/geocoder.hpp>
#include <porchlight/store/database.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

typedef void CURL;
struct curl_slist;
struct curl_mime;

namespace porchlight::geo {

/// A failed HTTP exchange (the same error the fetcher throws).
using http_error = net::http_error;

/// Settings of an online geocoder. Only provider is required; every other field left at
/// its default takes the provider's default.
struct online_options {
    std::string provider; ///< "census" or "nominatim"
    /// Empty: https://geocoding.geo.census.gov/geocoder or https://nominatim.openstreetmap.org
    std::string base_url;
    /// Nominatim's policy asks for one that identifies the application and a contact.
    /// Empty: "porchlight/<version> (+https://example.invalid/porchlight)".
    std::string user_agent;
    std::string contact_email; ///< sent as nominatim's `email` parameter when given
    /// Least time between the starts of two network requests. Unset: 1.0 s for nominatim
    /// (its usage policy), 0 for census.
    std::optional<double> min_interval_s;
    long connect_timeout_s = 10;
    long timeout_s = 30; ///< whole request, including the body
    /// Whole request of a census batch (up to batch_size lines): the service takes minutes.
    long batch_timeout_s = 600;
    /// Retries after an HTTP 5xx, 408 or 429, or a network error or timeout, waiting
    /// backoff_s, 2*backoff_s, 4*backoff_s ... (or the server's Retry-After, up to 120 s).
    int retries = 3;
    double backoff_s = 1.0;
    std::size_t max_body = 1 << 20; ///< a larger response is an error
};

struct curl_easy_deleter {
    void operator()(CURL* handle) const noexcept;
};
struct curl_slist_deleter {
    void operator()(curl_slist* list) const noexcept;
};

/// Geocodes agencies with an online service, the US Census Geocoder or Nominatim: opt-in,
/// never the default. Answers are cached in the store's geocode_cache table: a query
/// asked before makes no network request. Not thread-safe: one per thread.
class OnlineGeocoder {
  public:
    /// Throws porchlight::error for options that cannot work (an unknown provider, a
    /// base_url that is not http(s), negative limits), http_error when libcurl cannot be
    /// initialised.
    OnlineGeocoder(store::Database& db, online_options options);
    ~OnlineGeocoder();
    OnlineGeocoder(const OnlineGeocoder&) = delete;
    OnlineGeocoder& operator=(const OnlineGeocoder&) = delete;
    OnlineGeocoder(OnlineGeocoder&&) noexcept;
    OnlineGeocoder& operator=(OnlineGeocoder&&) noexcept = delete;

    /// Geocodes one agency: a state agency at its state, a county-wide agency (sheriff,
    /// county police, jurisdiction County) at its county, others at their place. Never
    /// throws for a per-agency failure: an HTTP error after retries, a timeout, a body that
    /// is not JSON or too large, or no match gives precision none and a warning saying
    /// why. Throws only for store (cache) errors.
    geocode_result geocode(const agency_location_query& q);

    /// Geocodes several agencies, the results in the order of the queries. Census: the
    /// uncached queries go to its batch endpoint, batch_size lines per request, each asked
    /// as the one-line path asks it (street empty) and cached under the same key, so a
    /// batch and a one-line run share answers. A request that fails (HTTP error after
    /// retries, timeout, an answer that is not the batch CSV) makes each of its queries
    /// precision none with a warning saying why; the others go on. Nominatim has no batch
    /// API: geocode() per query. Throws only for store (cache) errors.
    std::vector<geocode_result> geocode_batch(const std::vector<agency_location_query>& queries);

    /// Lines per census batch request (the service takes up to 10,000).
    static constexpr std::size_t batch_size = 1000;

    /// Network requests sent, retries included; cache hits are not requests.
    std::int64_t requests_made() const noexcept { return m_requests; }
    /// Answers taken from the cache.
    std::int64_t cache_hits() const noexcept { return m_cache_hits; }

    const online_options& options() const noexcept { return m_options; }

    /// The options with the provider's defaults filled in; throws porchlight::error for
    /// an unknown provider or unusable values.
    static online_options resolve(online_options options);

  private:
    struct response {
        long status = 0; ///< HTTP status; 0 when no HTTP answer came
        std::string body;
        std::string failure; ///< why there is no usable answer (network, timeout, size)
        int attempts = 0;
    };
    /// The answer for target (path + query, without base_url and email): from the cache,
    /// else from the network with retries, caching what the server answered.
    response fetch(const std::string& target);
    /// A network request with the retries; form: a multipart POST, else a GET.
    response send(const std::string& url, curl_mime* form = nullptr);
    /// One network request. retry says whether another attempt may help.
    response perform(const std::string& url, curl_mime* form, bool& retry, double& retry_after_s);
    /// The census batch request for lines (CSV, "id,street,city,state,zip\n" each).
    response post_batch(const std::string& lines);
    void wait_for_rate_limit();
    std::optional<response> cache_lookup(const std::string& target);
    void cache_store(const std::string& target, const response& r);
    std::string escape(const std::string& s);

    store::Database* m_db;
    online_options m_options;
    std::unique_ptr<CURL, curl_easy_deleter> m_curl;
    std::unique_ptr<curl_slist, curl_slist_deleter> m_headers;
    std::unique_ptr<curl_slist, curl_slist_deleter> m_post_headers;
    std::optional<std::chrono::steady_clock::time_point> m_last_request;
    std::int64_t m_requests = 0;
    std::int64_t m_cache_hits = 0;
};

} // namespace porchlight::geo
