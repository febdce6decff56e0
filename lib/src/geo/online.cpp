#include <porchlight/config.hpp>
#include <porchlight/geo/online.hpp>
#include <porchlight/net/http.hpp>
#include <porchlight/util/date.hpp>
#include <porchlight/util/text.hpp>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <mutex>
#include <thread>

namespace porchlight::geo {

void curl_easy_deleter::operator()(CURL* handle) const noexcept {
    curl_easy_cleanup(handle);
}
void curl_slist_deleter::operator()(curl_slist* list) const noexcept {
    curl_slist_free_all(list);
}

namespace {

using json = nlohmann::json;

constexpr const char* census_default_url = "https://geocoding.geo.census.gov/geocoder";
constexpr const char* nominatim_default_url = "https://nominatim.openstreetmap.org";
constexpr double max_retry_after_s = 120.0;


void check_setopt(CURLcode rc, const char* what) {
    if (rc != CURLE_OK)
        throw http_error(
            std::string("cannot set libcurl option ") + what + ": " + curl_easy_strerror(rc), rc);
}

// ---- what to ask for: the rules of geocoder.hpp, shared with the offline geocoder ----

/// What one agency is looked up as.
struct lookup {
    precision asked = precision::none;
    std::string place, county, state_name;
    std::string state_label; ///< the USPS code, else the state as given
    std::string what;        ///< for messages: "Rockford, IL", "Cook County, IL", "Illinois"
    std::vector<std::string> warnings;
};

lookup plan(const agency_location_query& q) {
    lookup l;
    const auto code = util::state_code(q.state);
    l.state_name = code ? util::state_name(*code) : util::trim(q.state);
    l.state_label = code ? *code : util::trim(q.state);
    const std::string& state_label = l.state_label;
    const auto counties = counties_given(q.county);
    if (is_state_wide(q)) {
        l.asked = precision::state;
        l.what = l.state_name;
        return l;
    }
    if (is_county_wide(q)) {
        if (const auto named = county_named_in(q.name); !named.empty())
            l.county = named + " county";
        if (l.county.empty() && !counties.empty()) {
            l.county = counties.front();
            if (counties.size() > 1)
                l.warnings.push_back("several counties given (" + q.county + "); used the first, " +
                                     l.county);
        }
        if (!l.county.empty()) {
            l.asked = precision::county;
            l.what = l.county + ", " + state_label;
            return l;
        }
    }
    l.place = util::trim(q.place);
    if (l.place.empty()) {
        l.place = place_from_agency_name(q.name);
        if (!l.place.empty())
            l.warnings.push_back("no city given; the place was taken from the agency's name");
    }
    if (l.place.empty()) {
        l.warnings.push_back("no city given and none in the agency's name");
        return l;
    }
    if (!counties.empty())
        l.county = counties.front();
    l.asked = precision::place;
    l.what = l.place + ", " + state_label;
    if (is_county_wide(q))
        l.warnings.push_back("county-wide agency with no county known; looked up at its place");
    return l;
}

// ---- reading answers ----

std::string excerpt(const std::string& body) {
    std::string s;
    for (char c : body.substr(0, 200))
        s += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    s = util::trim(s);
    return body.size() > 200 ? s + "..." : s;
}

std::optional<double> number(const json& j) {
    if (j.is_number())
        return j.get<double>();
    if (!j.is_string())
        return std::nullopt;
    const auto& s = j.get_ref<const std::string&>();
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

std::string text(const json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end())
        return {};
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_number_integer())
        return std::to_string(it->get<std::int64_t>());
    return {};
}

/// Nominatim's kind of result as a precision.
precision nominatim_level(const json& r) {
    for (const char* key : {"addresstype", "type"}) {
        const auto t = text(r, key);
        if (t == "city" || t == "town" || t == "village" || t == "hamlet" || t == "municipality")
            return precision::place;
        if (t == "county")
            return precision::county;
        if (t == "state")
            return precision::state;
    }
    const auto it = r.find("place_rank");
    if (it == r.end() || !it->is_number())
        return precision::none;
    const int rank = it->get<int>();
    if (rank >= 26)
        return precision::address;
    if (rank >= 16)
        return precision::place;
    if (rank >= 13)
        return precision::county_subdivision;
    if (rank >= 10)
        return precision::county;
    if (rank >= 5)
        return precision::state;
    return precision::none;
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v)
        out += (out.empty() ? "" : "; ") + s;
    return out;
}

struct write_sink {
    std::string* body;
    std::size_t max;
    bool overflow = false;
};

std::size_t on_write(char* data, std::size_t size, std::size_t n, void* user) {
    auto* sink = static_cast<write_sink*>(user);
    const std::size_t bytes = size * n;
    if (sink->body->size() + bytes > sink->max) {
        sink->overflow = true;
        return 0; // aborts the transfer with CURLE_WRITE_ERROR
    }
    sink->body->append(data, bytes);
    return bytes;
}

/// Keeps Retry-After (in seconds) of the last response; a new status line resets it.
std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto* retry_after = static_cast<double*>(user);
    const std::size_t bytes = size * n;
    const std::string line(data, bytes);
    if (line.rfind("HTTP/", 0) == 0)
        *retry_after = 0;
    const std::string name = "retry-after:";
    if (util::to_lower_ascii(line.substr(0, name.size())) == name) {
        const auto value = util::trim(line.substr(name.size()));
        int seconds = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
        if (ec == std::errc() && end == value.data() + value.size() && seconds >= 0)
            *retry_after = std::min<double>(seconds, max_retry_after_s);
    }
    return bytes;
}


bool retryable_status(long status) {
    return status >= 500 || status == 408 || status == 429;
}

void sleep_s(double s) {
    if (s > 0)
        std::this_thread::sleep_for(std::chrono::duration<double>(s));
}

} // namespace

// ---- setup ----

online_options OnlineGeocoder::resolve(online_options o) {
    const bool nominatim = o.provider == "nominatim";
    if (!nominatim && o.provider != "census")
        throw error("unknown geocoding provider '" + o.provider +
                    "' (the online providers are census and nominatim)");
    if (o.base_url.empty())
        o.base_url = nominatim ? nominatim_default_url : census_default_url;
    while (!o.base_url.empty() && o.base_url.back() == '/')
        o.base_url.pop_back();
    const auto lower = util::to_lower_ascii(o.base_url);
    if (lower.rfind("http://", 0) != 0 && lower.rfind("https://", 0) != 0)
        throw error("geocoder base URL '" + o.base_url + "' is not an http or https URL");
    if (util::trim(o.user_agent).empty())
        o.user_agent =
            std::string("porchlight/") + config::version + " (+https://example.invalid/porchlight)";
    if (!o.min_interval_s)
        o.min_interval_s = nominatim ? 1.0 : 0.0;
    if (!std::isfinite(*o.min_interval_s) || *o.min_interval_s < 0 || !std::isfinite(o.backoff_s) ||
        o.backoff_s < 0 || o.retries < 0 || o.connect_timeout_s < 0 || o.timeout_s < 0 ||
        o.batch_timeout_s < 0 || o.max_body == 0)
        throw error("geocoder options out of range: intervals, timeouts and retries must not be "
                    "negative and max_body must be positive");
    return o;
}

OnlineGeocoder::OnlineGeocoder(store::Database& db, online_options options)
    : m_db(&db), m_options(resolve(std::move(options))) {
    net::init_curl();
    m_curl.reset(curl_easy_init());
    if (!m_curl)
        throw http_error("cannot create a libcurl handle", CURLE_FAILED_INIT);
    CURL* c = m_curl.get();
    auto add_header = [](std::unique_ptr<curl_slist, curl_slist_deleter>& list, const char* h) {
        curl_slist* grown = curl_slist_append(list.get(), h);
        if (!grown)
            throw http_error("cannot build request headers", CURLE_OUT_OF_MEMORY);
        (void)list.release();
        list.reset(grown);
    };
    for (const char* h : {"Accept: application/json", "Accept-Language: en"})
        add_header(m_headers, h);
    // the batch answers CSV; "Expect:" keeps libcurl from waiting for a 100 Continue
    for (const char* h : {"Accept: text/csv, */*", "Accept-Language: en", "Expect:"})
        add_header(m_post_headers, h);
    check_setopt(curl_easy_setopt(c, CURLOPT_HTTPHEADER, m_headers.get()), "HTTPHEADER");
    check_setopt(curl_easy_setopt(c, CURLOPT_USERAGENT, m_options.user_agent.c_str()), "USERAGENT");
    check_setopt(curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, m_options.connect_timeout_s),
                 "CONNECTTIMEOUT");
    check_setopt(curl_easy_setopt(c, CURLOPT_TIMEOUT, m_options.timeout_s), "TIMEOUT");
    check_setopt(curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L), "NOSIGNAL");
    check_setopt(curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L), "FOLLOWLOCATION");
    check_setopt(curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L), "MAXREDIRS");
#if LIBCURL_VERSION_NUM >= 0x075500 // 7.85.0
    check_setopt(curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https"), "PROTOCOLS_STR");
    check_setopt(curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"),
                 "REDIR_PROTOCOLS_STR");
#else
    check_setopt(curl_easy_setopt(c, CURLOPT_PROTOCOLS, long(CURLPROTO_HTTP | CURLPROTO_HTTPS)),
                 "PROTOCOLS");
    check_setopt(
        curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, long(CURLPROTO_HTTP | CURLPROTO_HTTPS)),
        "REDIR_PROTOCOLS");
#endif
    // certificate and host name verification stay on (libcurl's defaults), never off
    check_setopt(curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L), "SSL_VERIFYPEER");
    check_setopt(curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L), "SSL_VERIFYHOST");
    check_setopt(curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""), "ACCEPT_ENCODING");
    check_setopt(
        curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(m_options.max_body)),
        "MAXFILESIZE_LARGE");
    check_setopt(curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write), "WRITEFUNCTION");
    check_setopt(curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header), "HEADERFUNCTION");
}

OnlineGeocoder::~OnlineGeocoder() = default;
OnlineGeocoder::OnlineGeocoder(OnlineGeocoder&&) noexcept = default;

// ---- the network and the cache ----

std::string OnlineGeocoder::escape(const std::string& s) {
    std::unique_ptr<char, decltype(&curl_free)> e(
        curl_easy_escape(m_curl.get(), s.data(), static_cast<int>(s.size())), &curl_free);
    if (!e)
        throw http_error("cannot URL-encode a query", CURLE_OUT_OF_MEMORY);
    return e.get();
}

void OnlineGeocoder::wait_for_rate_limit() {
    using clock = std::chrono::steady_clock;
    if (m_last_request) {
        const auto due =
            *m_last_request + std::chrono::duration_cast<clock::duration>(
                                  std::chrono::duration<double>(*m_options.min_interval_s));
        const auto now = clock::now();
        if (now < due)
            std::this_thread::sleep_for(due - now);
    }
    m_last_request = clock::now();
}

OnlineGeocoder::response OnlineGeocoder::perform(const std::string& url, curl_mime* form,
                                                 bool& retry, double& retry_after_s) {
    CURL* c = m_curl.get();
    response r;
    write_sink sink{&r.body, m_options.max_body};
    char errbuf[CURL_ERROR_SIZE] = {};
    retry_after_s = 0;
    check_setopt(curl_easy_setopt(c, CURLOPT_URL, url.c_str()), "URL");
    check_setopt(curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink), "WRITEDATA");
    check_setopt(curl_easy_setopt(c, CURLOPT_HEADERDATA, &retry_after_s), "HEADERDATA");
    check_setopt(curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf), "ERRORBUFFER");
    const long timeout_s = form ? m_options.batch_timeout_s : m_options.timeout_s;
    if (form) {
        check_setopt(curl_easy_setopt(c, CURLOPT_MIMEPOST, form), "MIMEPOST");
        check_setopt(curl_easy_setopt(c, CURLOPT_HTTPHEADER, m_post_headers.get()), "HTTPHEADER");
        check_setopt(curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s), "TIMEOUT");
    }

    wait_for_rate_limit();
    ++m_requests;
    const CURLcode rc = curl_easy_perform(c);
    if (form) { // back to the GETs of the one-line path
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, m_headers.get());
        curl_easy_setopt(c, CURLOPT_TIMEOUT, m_options.timeout_s);
    }
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));
    curl_easy_setopt(c, CURLOPT_WRITEDATA, static_cast<void*>(nullptr));
    curl_easy_setopt(c, CURLOPT_HEADERDATA, static_cast<void*>(nullptr));
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);

    retry = false;
    if (rc == CURLE_OK) {
        r.status = status;
        retry = retryable_status(status);
        return r;
    }
    r.body.clear();
    if (sink.overflow || rc == CURLE_FILESIZE_EXCEEDED) {
        r.failure = "the answer is larger than " + std::to_string(m_options.max_body) + " bytes";
    } else if (rc == CURLE_OPERATION_TIMEDOUT) {
        r.failure = "the request timed out (" + std::to_string(timeout_s) + " s limit)";
        retry = true;
    } else {
        r.failure = std::string("network error: ") + (errbuf[0] ? errbuf : curl_easy_strerror(rc));
        retry = net::transient_curl_error(rc);
    }
    return r;
}

std::optional<OnlineGeocoder::response> OnlineGeocoder::cache_lookup(const std::string& target) {
    store::Statement st(*m_db, "SELECT status, body FROM geocode_cache "
                               "WHERE provider = ?1 AND base_url = ?2 AND query = ?3");
    st.bind(1, m_options.provider).bind(2, m_options.base_url).bind(3, target);
    if (!st.step())
        return std::nullopt;
    response r;
    r.status = static_cast<long>(st.get_int(0));
    r.body = st.get_text(1);
    return r;
}

void OnlineGeocoder::cache_store(const std::string& target, const response& r) {
    store::Statement st(*m_db, "INSERT OR REPLACE INTO geocode_cache "
                               "(provider, base_url, query, status, body, fetched_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    st.bind(1, m_options.provider)
        .bind(2, m_options.base_url)
        .bind(3, target)
        .bind(4, static_cast<std::int64_t>(r.status))
        .bind(5, r.body)
        .bind(6, util::now_utc());
    st.exec();
}

OnlineGeocoder::response OnlineGeocoder::send(const std::string& url, curl_mime* form) {
    response r;
    for (int attempt = 0;; ++attempt) {
        bool retry = false;
        double retry_after = 0;
        r = perform(url, form, retry, retry_after);
        r.attempts = attempt + 1;
        if (!retry || attempt >= m_options.retries)
            break;
        sleep_s(std::max(m_options.backoff_s * std::pow(2.0, attempt), retry_after));
    }
    return r;
}

namespace {

struct curl_mime_deleter {
    void operator()(curl_mime* form) const noexcept { curl_mime_free(form); }
};

void check_mime(CURLcode rc, const char* what) {
    if (rc != CURLE_OK)
        throw http_error(std::string("cannot build the batch form (") + what +
                             "): " + curl_easy_strerror(rc),
                         rc);
}

} // namespace

OnlineGeocoder::response OnlineGeocoder::post_batch(const std::string& lines) {
    std::unique_ptr<curl_mime, curl_mime_deleter> form(curl_mime_init(m_curl.get()));
    if (!form)
        throw http_error("cannot build the batch form", CURLE_OUT_OF_MEMORY);
    curl_mimepart* part = curl_mime_addpart(form.get());
    if (!part)
        throw http_error("cannot build the batch form", CURLE_OUT_OF_MEMORY);
    check_mime(curl_mime_name(part, "benchmark"), "benchmark");
    check_mime(curl_mime_data(part, "Public_AR_Current", CURL_ZERO_TERMINATED), "benchmark");
    part = curl_mime_addpart(form.get());
    if (!part)
        throw http_error("cannot build the batch form", CURLE_OUT_OF_MEMORY);
    check_mime(curl_mime_name(part, "addressFile"), "addressFile");
    check_mime(curl_mime_filename(part, "addresses.csv"), "addressFile");
    check_mime(curl_mime_type(part, "text/csv"), "addressFile");
    check_mime(curl_mime_data(part, lines.data(), lines.size()), "addressFile");
    return send(m_options.base_url + "/locations/addressbatch", form.get());
}

OnlineGeocoder::response OnlineGeocoder::fetch(const std::string& target) {
    if (auto cached = cache_lookup(target)) {
        ++m_cache_hits;
        return *cached;
    }
    std::string url = m_options.base_url + target;
    if (m_options.provider == "nominatim" && !m_options.contact_email.empty())
        url += "&email=" + escape(m_options.contact_email);

    const response r = send(url);
    if (!r.failure.empty() || retryable_status(r.status))
        return r; // network failures and server errors are not cached
    // what the server answered about the query is kept, except a success that is not
    // JSON (a proxy's or captive portal's page): asking again may do better
    const bool success = r.status >= 200 && r.status < 300;
    if ((success && json::accept(r.body)) || (r.status >= 400 && r.status < 500))
        cache_store(target, r);
    return r;
}

// ---- the providers ----

namespace {

/// What a non-2xx answer says: the provider's error messages, else the start of the body.
std::string error_detail(const std::string& body) {
    std::string detail;
    const auto j = json::parse(body, nullptr, false);
    if (!j.is_discarded() && j.is_object()) {
        if (auto it = j.find("errors"); it != j.end() && it->is_array()) // census
            for (const auto& e : *it)
                if (e.is_string())
                    detail += (detail.empty() ? "" : "; ") + e.get<std::string>();
        if (auto it = j.find("error"); detail.empty() && it != j.end()) // nominatim
            detail = it->is_string()   ? it->get<std::string>()
                     : it->is_object() ? text(*it, "message")
                                       : std::string();
    }
    return detail.empty() ? excerpt(body) : detail;
}

/// Distinct values of key over the objects of a list, in order.
std::vector<std::string> distinct(const json& list, const char* key) {
    std::vector<std::string> names;
    for (const auto& item : list)
        if (item.is_object())
            if (auto n = text(item, key); std::find(names.begin(), names.end(), n) == names.end())
                names.push_back(std::move(n));
    return names;
}

void read_census(const json& j, const lookup& l, geocode_result& r) {
    const json* matches = nullptr;
    if (j.is_object())
        if (auto res = j.find("result"); res != j.end() && res->is_object())
            if (auto m = res->find("addressMatches"); m != res->end() && m->is_array())
                matches = &*m;
    if (!matches) {
        r.warnings.push_back("census answered JSON without result.addressMatches for '" + l.what +
                             "'");
        return;
    }
    if (matches->empty()) {
        r.warnings.push_back("census found no match for '" + l.what +
                             "' (the census geocoder matches street addresses)");
        return;
    }
    const auto& m = matches->front();
    std::optional<double> x, y;
    if (m.is_object())
        if (auto c = m.find("coordinates"); c != m.end() && c->is_object()) {
            if (c->contains("x"))
                x = number((*c)["x"]);
            if (c->contains("y"))
                y = number((*c)["y"]);
        }
    if (!x || !y) {
        r.warnings.push_back("census match for '" + l.what + "' has no coordinates");
        return;
    }
    r.lon = x;
    r.lat = y;
    r.level = precision::address;
    r.matched_name = text(m, "matchedAddress");
    r.matched_id = "census";
    r.score = 1.0;
    if (const auto names = distinct(*matches, "matchedAddress"); names.size() > 1) {
        r.score = 0.7;
        r.warnings.push_back("census found several matches for '" + l.what + "' (" + joined(names) +
                             "); used the first");
    }
}

void read_nominatim(const json& j, const lookup& l, geocode_result& r) {
    if (j.is_object() && j.contains("error")) {
        const auto& e = j["error"];
        r.warnings.push_back("nominatim answered an error for '" + l.what +
                             "': " + (e.is_string() ? e.get<std::string>() : e.dump()));
        return;
    }
    if (!j.is_array()) {
        r.warnings.push_back("nominatim answered JSON that is not a list of places for '" + l.what +
                             "'");
        return;
    }
    if (j.empty()) {
        r.warnings.push_back("nominatim found no match for '" + l.what + "'");
        return;
    }
    const auto& first = j.front();
    std::optional<double> lat, lon;
    if (first.is_object() && first.contains("lat") && first.contains("lon")) {
        lat = number(first["lat"]);
        lon = number(first["lon"]);
    }
    if (!lat || !lon) {
        r.warnings.push_back("nominatim match for '" + l.what + "' has no coordinates");
        return;
    }
    r.lat = lat;
    r.lon = lon;
    r.level = nominatim_level(first);
    if (r.level == precision::none)
        r.level = l.asked;
    r.matched_name = text(first, "display_name");
    const auto osm_type = text(first, "osm_type"), osm_id = text(first, "osm_id");
    r.matched_id = osm_type.empty() && osm_id.empty() ? std::string() : osm_type + "/" + osm_id;
    r.score = 1.0;
    if (r.level > l.asked) {
        r.score = 0.8;
        r.warnings.push_back("nominatim matched a " + std::string(to_string(r.level)) + " (" +
                             r.matched_name + ") for '" + l.what + "', not a " +
                             std::string(to_string(l.asked)));
    }
    if (const auto names = distinct(j, "display_name"); names.size() > 1) {
        r.score = std::min(r.score, 0.7);
        r.warnings.push_back("'" + l.what + "' is ambiguous: nominatim found " + joined(names) +
                             "; used the first");
    }
}

/// The census one-line request for a URL-encoded address: also the cache key under
/// which the batch keeps its answers.
std::string census_target(const std::string& escaped_address) {
    return "/locations/onelineaddress?address=" + escaped_address +
           "&benchmark=Public_AR_Current&format=json";
}

// ---- the census batch: CSV both ways ----

/// Records of a CSV text (quoted fields, "" inside quotes, \n or \r\n line ends);
/// nullopt when a quote is left open or text follows a closing quote.
std::optional<std::vector<std::vector<std::string>>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false, was_quoted = false, any = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c != '"')
                field += c;
            else if (i + 1 < text.size() && text[i + 1] == '"')
                field += text[++i];
            else
                quoted = false;
            continue;
        }
        if (c == '"' && field.empty() && !was_quoted) {
            quoted = was_quoted = any = true;
        } else if (c == ',') {
            fields.push_back(std::move(field));
            field.clear();
            was_quoted = false;
            any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
            if (any || !field.empty()) {
                fields.push_back(std::move(field));
                records.push_back(std::move(fields));
            }
            fields.clear();
            field.clear();
            was_quoted = any = false;
        } else if (was_quoted) {
            return std::nullopt; // text after a closing quote
        } else {
            field += c;
            any = true;
        }
    }
    if (quoted)
        return std::nullopt;
    if (any || !field.empty()) {
        fields.push_back(std::move(field));
        records.push_back(std::move(fields));
    }
    return records;
}

/// One CSV line (no line end), quoting the fields that need it.
std::string csv_line(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i)
            out += ',';
        const auto& f = fields[i];
        if (f.find_first_of(",\"\r\n") == std::string::npos) {
            out += f;
            continue;
        }
        out += '"';
        for (char c : f)
            out += c == '"' ? std::string("\"\"") : std::string(1, c);
        out += '"';
    }
    return out;
}

/// The batch input fields after the id for what l asks: street (none: the store has no
/// addresses), city, state, ZIP.
std::vector<std::string> census_batch_fields(const lookup& l) {
    const std::string city = l.asked == precision::place    ? l.place
                             : l.asked == precision::county ? l.county
                                                            : std::string();
    return {"", city, l.state_label, ""};
}

/// A line of the batch answer: id, input address, Match/No_Match/Tie, Exact/Non_Exact,
/// matched address, "lon,lat", TIGER/Line id, side.
void read_census_line(const std::vector<std::string>& f, const lookup& l, geocode_result& r) {
    const std::string indicator = f.size() > 2 ? f[2] : std::string();
    if (indicator == "No_Match") {
        r.warnings.push_back("census found no match for '" + l.what +
                             "' (the census geocoder matches street addresses)");
        return;
    }
    if (indicator == "Tie") {
        r.warnings.push_back("'" + l.what +
                             "' is ambiguous: census found several equally good matches (a tie)");
        return;
    }
    if (indicator != "Match") {
        r.warnings.push_back("census answered '" + indicator + "' for '" + l.what +
                             "', not Match, No_Match or Tie");
        return;
    }
    std::optional<double> lon, lat;
    if (f.size() > 5)
        if (const auto comma = f[5].find(','); comma != std::string::npos) {
            lon = number(json(util::trim(f[5].substr(0, comma))));
            lat = number(json(util::trim(f[5].substr(comma + 1))));
        }
    if (!lat || !lon) {
        r.warnings.push_back("census match for '" + l.what + "' has no coordinates");
        return;
    }
    r.lat = lat;
    r.lon = lon;
    r.level = precision::address;
    r.matched_name = f.size() > 4 ? f[4] : std::string();
    r.matched_id = f.size() > 6 && !f[6].empty() ? "census:" + f[6] : std::string("census");
    r.score = f.size() > 3 && f[3] == "Non_Exact" ? 0.9 : 1.0;
}

/// Reads an answer (from the network or the cache) about l into r. A census answer is
/// the one-line JSON or a line of the batch CSV: the cache holds both.
void read_answer(const std::string& who, long status, const std::string& body,
                 const std::string& failure, int attempts, const lookup& l, geocode_result& r) {
    const std::string after =
        attempts > 1 ? " (after " + std::to_string(attempts) + " attempts)" : "";
    if (!failure.empty()) {
        r.warnings.push_back(who + " lookup of '" + l.what + "' failed: " + failure + after);
        return;
    }
    if (status < 200 || status >= 300) {
        const auto detail = error_detail(body);
        r.warnings.push_back(who + " answered HTTP " + std::to_string(status) + " for '" + l.what +
                             "'" + after + (detail.empty() ? "" : ": " + detail));
        return;
    }
    const auto j = json::parse(body, nullptr, false);
    if (j.is_discarded()) {
        if (who == "census")
            if (const auto records = parse_csv(body); records && records->size() == 1) {
                read_census_line(records->front(), l, r);
                return;
            }
        r.warnings.push_back(who + " answered with invalid JSON for '" + l.what +
                             "': " + excerpt(body));
        return;
    }
    if (who == "nominatim")
        read_nominatim(j, l, r);
    else
        read_census(j, l, r);
}

} // namespace

geocode_result OnlineGeocoder::geocode(const agency_location_query& q) {
    geocode_result r;
    r.provider = m_options.provider;
    if (util::trim(q.state).empty()) {
        r.warnings.push_back("no state is known for this agency: it cannot be placed");
        return r;
    }
    const auto l = plan(q);
    r.warnings = l.warnings;
    if (l.asked == precision::none)
        return r;

    const bool nominatim = m_options.provider == "nominatim";
    std::string target;
    if (nominatim) {
        target = "/search?format=jsonv2&countrycodes=us&limit=3";
        if (!l.place.empty())
            target += "&city=" + escape(l.place);
        if (!l.county.empty())
            target += "&county=" + escape(l.county);
        target += "&state=" + escape(l.state_name) + "&addressdetails=0";
    } else {
        target = census_target(escape(l.what));
    }

    const auto answer = fetch(target);
    read_answer(m_options.provider, answer.status, answer.body, answer.failure, answer.attempts, l,
                r);
    return r;
}

std::vector<geocode_result>
OnlineGeocoder::geocode_batch(const std::vector<agency_location_query>& queries) {
    std::vector<geocode_result> out;
    out.reserve(queries.size());
    if (m_options.provider != "census") {
        for (const auto& q : queries)
            out.push_back(geocode(q));
        return out;
    }
    // what each query asks; the cached are answered now, the others are asked once each
    struct pending {
        std::string target; ///< the one-line path's cache key
        std::vector<std::string> fields;
        std::vector<std::size_t> queries; ///< indexes of the queries asking this
    };
    std::vector<lookup> plans(queries.size());
    std::vector<pending> asks;
    std::map<std::string, std::size_t> ask_of;
    for (std::size_t i = 0; i < queries.size(); ++i) {
        auto& r = out.emplace_back();
        r.provider = m_options.provider;
        if (util::trim(queries[i].state).empty()) {
            r.warnings.push_back("no state is known for this agency: it cannot be placed");
            continue;
        }
        const auto& l = plans[i] = plan(queries[i]);
        r.warnings = l.warnings;
        if (l.asked == precision::none)
            continue;
        auto target = census_target(escape(l.what)); // the one-line path's key
        if (auto it = ask_of.find(target); it != ask_of.end()) {
            asks[it->second].queries.push_back(i);
        } else if (auto cached = cache_lookup(target)) {
            ++m_cache_hits;
            read_answer(m_options.provider, cached->status, cached->body, {}, 0, l, r);
        } else {
            ask_of.emplace(target, asks.size());
            asks.push_back({std::move(target), census_batch_fields(l), {i}});
        }
    }

    for (std::size_t start = 0; start < asks.size(); start += batch_size) {
        const std::size_t end = std::min(asks.size(), start + batch_size);
        std::string lines;
        for (std::size_t k = start; k < end; ++k) {
            std::vector<std::string> fields{std::to_string(k - start)};
            fields.insert(fields.end(), asks[k].fields.begin(), asks[k].fields.end());
            lines += csv_line(fields) + "\n";
        }
        const auto answer = post_batch(lines);

        // why the whole request failed, else the answer line of each id
        std::string failure;
        std::map<std::size_t, std::vector<std::string>> answered;
        const std::string after =
            answer.attempts > 1 ? " (after " + std::to_string(answer.attempts) + " attempts)" : "";
        if (!answer.failure.empty()) {
            failure = answer.failure + after;
        } else if (answer.status < 200 || answer.status >= 300) {
            const auto detail = error_detail(answer.body);
            failure = "HTTP " + std::to_string(answer.status) + after +
                      (detail.empty() ? "" : ": " + detail);
        } else if (const auto records = parse_csv(answer.body); !records) {
            failure = "the answer is not CSV: " + excerpt(answer.body);
        } else {
            for (const auto& rec : *records) {
                std::size_t id = 0;
                const auto& s = rec.front();
                auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
                if (rec.size() < 3 || ec != std::errc() || p != s.data() + s.size() ||
                    id >= end - start) {
                    failure = "the answer has a line that is not a batch result: " +
                              excerpt(csv_line(rec));
                    break;
                }
                answered[id] = rec;
            }
        }

        for (std::size_t k = start; k < end; ++k) {
            const auto it = answered.find(k - start);
            if (failure.empty() && it != answered.end())
                cache_store(asks[k].target, response{200, csv_line(it->second), {}, 0});
            for (const auto i : asks[k].queries) {
                const auto& l = plans[i];
                auto& r = out[i];
                if (!failure.empty())
                    r.warnings.push_back("census batch lookup of '" + l.what +
                                         "' failed: " + failure);
                else if (it == answered.end())
                    r.warnings.push_back("census batch answer has no line for '" + l.what + "'");
                else
                    read_census_line(it->second, l, r);
            }
        }
    }
    return out;
}

} // namespace porchlight::geo
