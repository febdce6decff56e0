#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace porchlight::test {

/// A scripted answer.
struct http_response {
    http_response() = default;
    http_response(int status_, std::string body_,
                  std::vector<std::pair<std::string, std::string>> headers_ = {})
        : status(status_), body(std::move(body_)), headers(std::move(headers_)) {}

    int status = 200;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; ///< besides Content-Length
    double delay_s = 0;                                       ///< wait this long before answering
    bool omit_content_length = false; ///< the body then ends when the connection closes
    /// Content-Length to declare instead of the body's size: a larger one makes a truncated
    /// body (the connection closes after what there is).
    std::optional<std::size_t> declared_length;
    bool chunked = false;      ///< Transfer-Encoding: chunked (no Content-Length)
    std::size_t chunk_size = 0; ///< send the body in pieces of this many bytes (0: at once) ...
    double chunk_delay_s = 0;   ///< ... waiting this long between them
    /// Range-capable: sends Accept-Ranges: bytes and an ETag ("\"v1\"" unless one is in
    /// headers), and answers "Range: bytes=N-" (with If-Range absent or equal to the ETag)
    /// with 206 and the body from N on, 416 when N is past its end.
    bool ranges = false;
};

/// A request as received.
struct http_request {
    std::string method;
    std::string target;                         ///< path and query as sent: "/search?city=x"
    std::string path;                           ///< target before '?'
    std::string query;                          ///< target after '?', without it
    std::map<std::string, std::string> headers; ///< names lower-cased
    std::string body;
    std::chrono::steady_clock::time_point received;

    /// The header's value, empty when absent (name in any case).
    std::string header(const std::string& name) const;
    /// The decoded value of a query parameter, empty when absent.
    std::string param(const std::string& name) const;
    bool has_param(const std::string& name) const;
};

/// A tiny HTTP/1.1 server on 127.0.0.1 at an ephemeral port, for tests of HTTP clients.
/// Serves scripted responses, one connection per request ("Connection: close"), each
/// connection on its own thread so a slow answer does not hold up the next request.
/// Unscripted targets get 404.
class HttpServer {
public:
    HttpServer();  ///< binds and starts serving; throws std::runtime_error when it cannot
    ~HttpServer(); ///< stops, cutting delays short, and joins every thread
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    int port() const noexcept { return m_port; }
    /// "http://127.0.0.1:<port>"
    std::string base_url() const;

    /// Scripts the answers for a path ("/search") or a whole target ("/search?q=x"; that
    /// matches before a path): served in turn, the last one repeated from then on.
    void on(const std::string& path_or_target, std::vector<http_response> responses);
    void on(const std::string& path_or_target, http_response response) {
        on(path_or_target, std::vector<http_response>{std::move(response)});
    }

    std::vector<http_request> requests() const;
    std::size_t request_count() const;

private:
    void serve();
    void handle(int fd);
    http_response answer_for(const http_request& request);
    /// Applies a range-capable response's headers, and a Range request to it.
    static void serve_range(const http_request& request, http_response& response);
    /// Sleeps s, or less when the server stops; false when it stopped.
    bool wait(double s);

    int m_listen = -1;
    int m_wake[2] = {-1, -1}; ///< a pipe: writing to it stops serve()
    int m_port = 0;
    mutable std::mutex m_mutex;
    std::condition_variable m_stopped;
    bool m_stop = false;
    std::map<std::string, std::vector<http_response>> m_script;
    std::vector<http_request> m_requests;
    std::vector<std::thread> m_workers;
    std::thread m_thread;
};

} // namespace porchlight::test
