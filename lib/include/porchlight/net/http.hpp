#pragma once

// Downloads over HTTP(S) with libcurl, for sources fetched from the web: the bytes to a
// file, with what the server said about them (final URL, status, ETag, Last-Modified,
// Content-Type), conditional requests, limits, retries and resumption.

#include <porchlight/error.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace porchlight::net {

/// A download that failed: libcurl's code (0 when the transfer worked but the answer did
/// not, e.g. HTTP 404) and the HTTP status (0 when there was no answer).
class http_error : public error {
public:
    http_error(const std::string& what, int curl_code, long status = 0)
        : error(what), m_curl_code(curl_code), m_status(status) {}
    int curl_code() const noexcept { return m_curl_code; }
    long status() const noexcept { return m_status; }

private:
    int m_curl_code;
    long m_status;
};

struct fetch_options {
    long connect_timeout_s = 30;   ///< to open the connection
    long total_timeout_s = 900;    ///< for one attempt, body included (0: no limit)
    long stall_timeout_s = 60;     ///< abort an attempt that receives nothing for this long
                                   ///< (under 1 byte/s; 0: never)
    std::uint64_t max_bytes = 2ull << 30; ///< larger bodies fail (declared or received)
    long max_redirects = 10;
    int retries = 3;               ///< further attempts after a 5xx, 408, 429 or network error
    double backoff_s = 1.0;        ///< wait before the first retry; doubles each time (a
                                   ///< Retry-After header, up to 60 s, wins)
    std::string user_agent;        ///< default "porchlight/<version>"
    std::optional<std::string> if_none_match;     ///< an ETag from an earlier fetch
    std::optional<std::string> if_modified_since; ///< a Last-Modified from an earlier fetch
    /// Called as the body arrives (at most about 10 times a second, and once when it is
    /// complete): bytes so far, and the total when the server said it. A transfer started
    /// again from the beginning counts from 0 again. What it throws ends the fetch.
    std::function<void(std::uint64_t received, std::optional<std::uint64_t> total)> progress;
};

struct fetch_result {
    std::string url;              ///< as asked
    std::string final_url;        ///< after redirects
    long status = 0;              ///< of the last answer: 200, 206 (resumed), 304 ...
    bool not_modified = false;    ///< 304: nothing was written to the file
    std::string etag;             ///< "" when the server gave none
    std::string last_modified;
    std::string content_type;
    std::string retrieved_at;     ///< UTC, YYYY-MM-DDTHH:MM:SSZ, when the answer came
    std::uint64_t size = 0;       ///< bytes written
    std::string sha256;           ///< of the file written; "" when not modified
    int attempts = 1;
    bool resumed = false;         ///< a broken transfer went on with a Range request
};

/// Fetches url into file: only http and https (redirects too), certificates verified. The
/// body goes to file + ".part" first and is renamed to file when complete, so file is never
/// half-written; a transfer that breaks is resumed with a Range request (If-Range on the
/// ETag or Last-Modified) on the next attempt when the server allows it, else started
/// again. Throws http_error: a 4xx other than 408 and 429 at once ("HTTP 404 Not Found from
/// <url>"), a 5xx, 408, 429 or network error (a body shorter than its Content-Length
/// included) after the retries, a body over max_bytes, too many redirects, a redirect to
/// another scheme, a 304 to a request that was not conditional, an URL that is not
/// http(s), options out of range (negative timeouts, retries or backoff, max_bytes 0).
/// On any failure file is left as it was and no .part remains.
fetch_result fetch_to_file(const std::string& url, const std::filesystem::path& file,
                           const fetch_options& options);

/// Initialises libcurl once per process (thread-safe); http_error when it cannot. Every
/// user of libcurl in porchlight calls it before its first handle.
void init_curl();

/// Whether a libcurl error (a CURLcode) is worth another attempt: DNS, connect, timeouts,
/// send/receive errors, an empty or cut-short answer, a TLS handshake that failed.
bool transient_curl_error(int curl_code);

/// Whether text looks like an http:// or https:// URL (what `ingest` and `fetch` take as
/// one rather than as a file name).
bool is_url(const std::string& text);

} // namespace porchlight::net
