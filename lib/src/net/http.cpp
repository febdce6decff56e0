#include "detail/response_head.hpp"

#include <porchlight/config.hpp>
#include <porchlight/net/http.hpp>
#include <porchlight/util/date.hpp>
#include <porchlight/util/sha256.hpp>
#include <porchlight/util/text.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>

namespace porchlight::net {

namespace {

using detail::parse_content_range;
using detail::read_header_line;
using detail::response_head;

struct curl_easy_deleter {
    void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
struct curl_slist_deleter {
    void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
struct file_deleter {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using easy_ptr = std::unique_ptr<CURL, curl_easy_deleter>;
using slist_ptr = std::unique_ptr<curl_slist, curl_slist_deleter>;
using file_ptr = std::unique_ptr<std::FILE, file_deleter>;

constexpr auto progress_interval = std::chrono::milliseconds(100);


template <class T> void setopt(CURL* c, CURLoption option, T value) {
    if (const CURLcode rc = curl_easy_setopt(c, option, value); rc != CURLE_OK) {
        const curl_easyoption* o = curl_easy_option_by_id(option);
        throw http_error(std::string("cannot set libcurl option ") + (o ? o->name : "?") + ": " +
                             curl_easy_strerror(rc),
                         rc);
    }
}

void append_header(slist_ptr& list, const std::string& header) {
    curl_slist* grown = curl_slist_append(list.get(), header.c_str());
    if (!grown)
        throw http_error("cannot build request headers", CURLE_OUT_OF_MEMORY);
    (void)list.release(); // grown now owns the old nodes
    list.reset(grown);
}

std::string status_message(const response_head& h, long status, const std::string& url) {
    std::string s = "HTTP " + std::to_string(status);
    if (h.status == status && !h.reason.empty())
        s += " " + h.reason;
    return s + " from " + url;
}

bool retryable_status(long status) {
    return status >= 500 || status == 408 || status == 429;
}


/// One download, shared with libcurl's callbacks: the .part file with the hash of its bytes,
/// what is known of the whole body, and what the current attempt met.
struct download {
    download(const fetch_options& o, std::filesystem::path p) : options(o), part(std::move(p)) {}
    const fetch_options& options;
    std::filesystem::path part;
    file_ptr out;
    std::unique_ptr<util::Sha256> hash; ///< of the .part's bytes
    std::uint64_t size = 0;             ///< bytes in the .part, all hashed
    std::optional<std::uint64_t> full_length;
    std::string validator; ///< for If-Range: a strong ETag, else Last-Modified
    bool resumable = false;
    // the current attempt
    std::uint64_t offset = 0; ///< asked for from here with Range; 0: the whole body
    response_head head;
    bool started = false; ///< the body's first byte came (or the answer ended without one)
    bool keep = false;    ///< the body goes to the .part (a 2xx); else it is discarded
    bool restart = false; ///< a 206 that does not continue the .part: start again
    std::string failure;  ///< why a callback stopped the transfer (not retried)
    std::exception_ptr exception;
    std::chrono::steady_clock::time_point last_progress{};
};

std::string too_large(const download& d) {
    return "the body is larger than " + std::to_string(d.options.max_bytes) + " bytes";
}

bool open_part(download& d, const char* mode) {
    d.out.reset(std::fopen(d.part.c_str(), mode));
    if (!d.out)
        d.failure = "cannot write " + d.part.string() + ": " + std::strerror(errno);
    return static_cast<bool>(d.out);
}

/// At the first byte of the last answer's body (or its end, when it has none): where the
/// body goes. A 206 that continues the .part is appended to it, any other 2xx replaces it;
/// other answers are discarded. False when the transfer must stop (failure or restart).
bool begin_body(download& d) {
    d.started = true;
    const auto& h = d.head;
    d.keep = h.status >= 200 && h.status < 300;
    if (!d.keep)
        return true;
    // with a Content-Encoding the lengths and ranges count encoded bytes, not ours
    const bool encoded = !h.content_encoding.empty() && h.content_encoding != "identity";
    if (h.status == 206) {
        const auto range = parse_content_range(h.content_range);
        if (d.offset == 0) {
            d.failure = "HTTP 206 to a request for the whole body";
            return false;
        }
        if (!range || range->first != d.offset || encoded ||
            (range->second && d.full_length && *range->second != *d.full_length)) {
            d.restart = true;
            return false;
        }
        if (range->second)
            d.full_length = range->second;
        else if (h.content_length)
            d.full_length = d.offset + *h.content_length;
        if (!open_part(d, "ab"))
            return false;
    } else {
        d.size = 0;
        d.hash = std::make_unique<util::Sha256>();
        d.full_length = encoded ? std::nullopt : h.content_length;
        d.validator = !h.etag.empty() && h.etag.rfind("W/", 0) != 0 ? h.etag : h.last_modified;
        d.resumable = !encoded && h.accept_ranges != "none" &&
                      (h.accept_ranges == "bytes" || !d.validator.empty());
        if (!open_part(d, "wb"))
            return false;
    }
    if (d.full_length && *d.full_length > d.options.max_bytes) {
        d.failure = too_large(d);
        return false;
    }
    return true;
}

void report_progress(download& d, bool last) {
    if (!d.options.progress)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (!last && d.last_progress != decltype(d.last_progress){} &&
        now - d.last_progress < progress_interval)
        return;
    d.last_progress = now;
    d.options.progress(d.size, d.full_length);
}

// libcurl's callbacks: exceptions must not cross C code, so they are kept and rethrown
std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto& d = *static_cast<download*>(user);
    try {
        read_header_line(d.head, std::string_view(data, size * n));
        return size * n;
    } catch (...) {
        d.exception = std::current_exception();
        return 0;
    }
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto& d = *static_cast<download*>(user);
    const std::size_t bytes = size * n;
    try {
        if (!d.started && !begin_body(d))
            return 0; // aborts the transfer with CURLE_WRITE_ERROR
        if (!d.keep)
            return bytes;
        if (d.size + bytes > d.options.max_bytes) {
            d.failure = too_large(d);
            return 0;
        }
        if (std::fwrite(data, 1, bytes, d.out.get()) != bytes) {
            d.failure = "cannot write " + d.part.string() + ": " + std::strerror(errno);
            return 0;
        }
        d.hash->update(data, bytes);
        d.size += bytes;
        report_progress(d, false);
        return bytes;
    } catch (...) {
        d.exception = std::current_exception();
        return 0;
    }
}

void configure(CURL* c, const fetch_options& o, const std::string& user_agent, download& d,
               char* errbuf) {
    setopt(c, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500 // 7.85.0
    setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    setopt(c, CURLOPT_PROTOCOLS, long(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    setopt(c, CURLOPT_REDIR_PROTOCOLS, long(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    setopt(c, CURLOPT_MAXREDIRS, o.max_redirects);
    setopt(c, CURLOPT_SSL_VERIFYPEER, 1L); // certificates are always verified
    setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    setopt(c, CURLOPT_CONNECTTIMEOUT, o.connect_timeout_s);
    setopt(c, CURLOPT_TIMEOUT, o.total_timeout_s);
    setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L); // a stall: under 1 byte/s for stall_timeout_s
    setopt(c, CURLOPT_LOW_SPEED_TIME, o.stall_timeout_s);
    setopt(c, CURLOPT_ACCEPT_ENCODING, ""); // any libcurl decodes; the file holds the decoded
    setopt(c, CURLOPT_USERAGENT, user_agent.c_str());
    const auto max = std::min<std::uint64_t>(o.max_bytes, std::numeric_limits<curl_off_t>::max());
    setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max));
    setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    setopt(c, CURLOPT_HEADERDATA, static_cast<void*>(&d));
    setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    setopt(c, CURLOPT_WRITEDATA, static_cast<void*>(&d));
}

/// What the last answer said, into the result.
void describe(fetch_result& r, const response_head& h, long status) {
    r.status = status;
    r.etag = h.etag;
    r.last_modified = h.last_modified;
    r.content_type = h.content_type;
    r.retrieved_at = h.received_at.empty() ? util::now_utc() : h.received_at;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Removes the .part on the way out: after a failure; after success it was renamed.
struct part_remover {
    std::filesystem::path part;
    ~part_remover() {
        std::error_code ignored;
        std::filesystem::remove(part, ignored);
    }
};

} // namespace

fetch_result fetch_to_file(const std::string& url, const std::filesystem::path& file,
                           const fetch_options& options) {
    if (!is_url(url))
        throw http_error("not an http or https URL: " + url, CURLE_UNSUPPORTED_PROTOCOL);
    if (options.connect_timeout_s < 0 || options.total_timeout_s < 0 ||
        options.stall_timeout_s < 0 || options.max_redirects < 0 || options.retries < 0 ||
        !std::isfinite(options.backoff_s) || options.backoff_s < 0 || options.max_bytes == 0)
        throw http_error("fetch options out of range: timeouts, redirects, retries and backoff "
                         "must not be negative and max_bytes must be positive",
                         CURLE_BAD_FUNCTION_ARGUMENT);
    const std::string user_agent = options.user_agent.empty()
                                       ? std::string("porchlight/") + config::version
                                       : options.user_agent;
    // declared before the handle, which refers to them, so they outlive it
    part_remover remover{std::filesystem::path(file) += ".part"};
    download d{options, remover.part};
    char errbuf[CURL_ERROR_SIZE] = {};
    init_curl();
    easy_ptr curl(curl_easy_init());
    if (!curl)
        throw http_error("cannot create a libcurl handle", CURLE_FAILED_INIT);
    CURL* c = curl.get();
    configure(c, options, user_agent, d, errbuf);
    const bool conditional = options.if_none_match || options.if_modified_since;

    fetch_result result;
    result.url = url;
    for (int attempt = 1;; ++attempt) {
        result.attempts = attempt;
        // the request: its conditions, and a Range that continues a broken transfer
        d.offset = d.resumable ? d.size : 0;
        slist_ptr headers;
        if (options.if_none_match)
            append_header(headers, "If-None-Match: " + *options.if_none_match);
        if (options.if_modified_since)
            append_header(headers, "If-Modified-Since: " + *options.if_modified_since);
        if (d.offset > 0 && !d.validator.empty())
            append_header(headers, "If-Range: " + d.validator);
        setopt(c, CURLOPT_HTTPHEADER, headers.get());
        const std::string range = std::to_string(d.offset) + "-";
        setopt(c, CURLOPT_RANGE, d.offset > 0 ? range.c_str() : nullptr);
        setopt(c, CURLOPT_URL, url.c_str());
        d.head = response_head{};
        d.started = d.keep = d.restart = false;
        errbuf[0] = '\0';

        const auto started = std::chrono::steady_clock::now();
        const CURLcode rc = curl_easy_perform(c);
        if (rc == CURLE_OK && !d.started && !d.exception)
            begin_body(d); // an answer without a body
        if (d.out && std::fclose(d.out.release()) != 0 && d.failure.empty())
            d.failure = "cannot write " + d.part.string() + ": " + std::strerror(errno);
        if (d.exception)
            std::rethrow_exception(d.exception);
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        const char* effective = nullptr;
        curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &effective);
        result.final_url = effective ? effective : url;
        if (!d.failure.empty())
            throw http_error(d.failure + " (" + result.final_url + ")", rc, status);

        std::string failure; // why this attempt did not do; it is retried
        if (d.restart || (status == 416 && d.offset > 0)) {
            failure = "the server did not continue the transfer where it broke off (" +
                      d.head.content_range + ") from " + result.final_url;
            d.resumable = false;
        } else if (rc == CURLE_OK && status >= 200 && status < 300) {
            if (!d.full_length || d.size >= *d.full_length) {
                report_progress(d, true);
                std::error_code ec;
                std::filesystem::rename(d.part, file, ec);
                if (ec)
                    throw http_error("cannot rename " + d.part.string() + " to " + file.string() +
                                         ": " + ec.message(),
                                     CURLE_WRITE_ERROR, status);
                describe(result, d.head, status);
                result.size = d.size;
                result.sha256 = d.hash->hex_digest();
                result.resumed = status == 206;
                return result;
            }
            failure = "the body ended after " + std::to_string(d.size) + " of " +
                      std::to_string(*d.full_length) + " bytes from " + result.final_url;
        } else if (rc == CURLE_OK && status == 304 && conditional) {
            describe(result, d.head, status);
            result.not_modified = true;
            return result;
        } else if (rc == CURLE_OK) {
            failure = status_message(d.head, status, result.final_url);
            if (!retryable_status(status))
                throw http_error(failure, 0, status);
        } else if (rc == CURLE_FILESIZE_EXCEEDED) {
            throw http_error(too_large(d) + " (" + result.final_url + ")", rc, status);
        } else if (rc == CURLE_TOO_MANY_REDIRECTS) {
            throw http_error("too many redirects (more than " +
                                 std::to_string(options.max_redirects) + ") from " + url,
                             rc, status);
        } else if (rc == CURLE_UNSUPPORTED_PROTOCOL) {
            throw http_error("refused a redirect to " + result.final_url +
                                 ": only http and https are fetched (from " + url + ")",
                             rc, status);
        } else {
            const std::string what = errbuf[0] ? errbuf : curl_easy_strerror(rc);
            // a timeout well before total_timeout_s is the stall timeout
            const bool stalled = rc == CURLE_OPERATION_TIMEDOUT &&
                                 (options.total_timeout_s == 0 ||
                                  seconds_since(started) + 0.2 < double(options.total_timeout_s));
            failure = (stalled                          ? "stalled: "
                       : rc == CURLE_OPERATION_TIMEDOUT ? "timed out: "
                                                        : "network error: ") +
                      what + " (" + result.final_url + ")";
            if (!transient_curl_error(rc))
                throw http_error(failure, rc, status);
        }
        if (attempt > options.retries)
            throw http_error(failure + ", after " + std::to_string(attempt) +
                                 (attempt == 1 ? " attempt" : " attempts"),
                             rc, status);
        double wait_s = options.backoff_s * std::pow(2.0, attempt - 1);
        if (d.head.retry_after_s && retryable_status(status))
            wait_s = *d.head.retry_after_s;
        std::this_thread::sleep_for(std::chrono::duration<double>(std::min(wait_s, 3600.0)));
    }
}

void init_curl() {
    static std::once_flag once;
    static CURLcode rc = CURLE_OK;
    std::call_once(once, [] { rc = curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (rc != CURLE_OK)
        throw http_error(std::string("cannot initialise libcurl: ") + curl_easy_strerror(rc), rc);
}

bool transient_curl_error(int curl_code) {
    switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    default:
        return false;
    }
}

bool is_url(const std::string& text) {
    const auto lower = util::to_lower_ascii(std::string_view(text).substr(0, 8));
    return lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0;
}

} // namespace porchlight::net
