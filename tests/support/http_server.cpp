#include "http_server.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace porchlight::test {

namespace {

std::string lower(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

int hex(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string decode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

const char* reason(int status) {
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 408:
        return "Request Timeout";
    case 416:
        return "Range Not Satisfiable";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

/// Reads from fd into buf until pred(buf) or the peer closes or 5 s pass quietly.
template <class Pred> bool read_until(int fd, std::string& buf, Pred pred) {
    char chunk[4096];
    while (!pred(buf)) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 5000) <= 0)
            return false;
        const auto n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return false;
        buf.append(chunk, static_cast<std::size_t>(n));
    }
    return true;
}

/// Sends all of data; false when the client went away (timed out, gave up on a large body).
bool send_all(int fd, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        const auto n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

std::string hex_length(std::size_t n) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    do {
        out.insert(out.begin(), digits[n % 16]);
        n /= 16;
    } while (n);
    return out;
}

} // namespace

std::string http_request::header(const std::string& name) const {
    auto it = headers.find(lower(name));
    return it == headers.end() ? std::string() : it->second;
}

bool http_request::has_param(const std::string& name) const {
    std::size_t start = 0;
    while (start <= query.size()) {
        auto end = query.find('&', start);
        if (end == std::string::npos)
            end = query.size();
        const auto pair = query.substr(start, end - start);
        if (decode(pair.substr(0, pair.find('='))) == name)
            return true;
        start = end + 1;
    }
    return false;
}

std::string http_request::param(const std::string& name) const {
    std::size_t start = 0;
    while (start <= query.size()) {
        auto end = query.find('&', start);
        if (end == std::string::npos)
            end = query.size();
        const auto pair = query.substr(start, end - start);
        const auto eq = pair.find('=');
        if (decode(pair.substr(0, eq)) == name)
            return eq == std::string::npos ? std::string() : decode(pair.substr(eq + 1));
        start = end + 1;
    }
    return {};
}

HttpServer::HttpServer() {
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listen < 0)
        throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(m_listen, 16) != 0 ||
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
        ::pipe2(m_wake, O_CLOEXEC) != 0) {
        const std::string msg = std::strerror(errno);
        ::close(m_listen);
        throw std::runtime_error("cannot start the test HTTP server: " + msg);
    }
    m_port = ntohs(addr.sin_port);
    m_thread = std::thread([this] { serve(); });
}

HttpServer::~HttpServer() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_stopped.notify_all();
    const char c = 'x';
    (void)!::write(m_wake[1], &c, 1);
    if (m_thread.joinable())
        m_thread.join();
    for (auto& w : m_workers)
        w.join();
    ::close(m_listen);
    ::close(m_wake[0]);
    ::close(m_wake[1]);
}

std::string HttpServer::base_url() const {
    return "http://127.0.0.1:" + std::to_string(m_port);
}

void HttpServer::on(const std::string& path_or_target, std::vector<http_response> responses) {
    std::lock_guard lock(m_mutex);
    m_script[path_or_target] = std::move(responses);
}

std::vector<http_request> HttpServer::requests() const {
    std::lock_guard lock(m_mutex);
    return m_requests;
}

std::size_t HttpServer::request_count() const {
    std::lock_guard lock(m_mutex);
    return m_requests.size();
}

bool HttpServer::wait(double s) {
    std::unique_lock lock(m_mutex);
    return !m_stopped.wait_for(lock, std::chrono::duration<double>(s), [this] { return m_stop; });
}

void HttpServer::serve() {
    for (;;) {
        pollfd fds[2] = {{m_listen, POLLIN, 0}, {m_wake[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        if (fds[1].revents)
            return;
        const int fd = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        std::lock_guard lock(m_mutex);
        if (m_stop) {
            ::close(fd);
            return;
        }
        m_workers.emplace_back([this, fd] {
            handle(fd);
            ::close(fd);
        });
    }
}

http_response HttpServer::answer_for(const http_request& request) {
    std::lock_guard lock(m_mutex);
    auto it = m_script.find(request.target);
    if (it == m_script.end())
        it = m_script.find(request.path);
    if (it == m_script.end() || it->second.empty())
        return {404, "not scripted: " + request.target};
    http_response r = it->second.front();
    if (it->second.size() > 1)
        it->second.erase(it->second.begin());
    return r;
}

void HttpServer::handle(int fd) {
    std::string buf;
    if (!read_until(fd, buf,
                    [](const std::string& b) { return b.find("\r\n\r\n") != std::string::npos; }))
        return;
    const auto head_end = buf.find("\r\n\r\n");
    http_request req;
    req.received = std::chrono::steady_clock::now();
    std::size_t line_start = 0;
    bool first = true;
    while (line_start < head_end) {
        auto line_end = buf.find("\r\n", line_start);
        const auto line = buf.substr(line_start, line_end - line_start);
        line_start = line_end + 2;
        if (first) {
            first = false;
            const auto sp1 = line.find(' ');
            const auto sp2 = line.find(' ', sp1 + 1);
            req.method = line.substr(0, sp1);
            req.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
            const auto q = req.target.find('?');
            req.path = req.target.substr(0, q);
            req.query = q == std::string::npos ? std::string() : req.target.substr(q + 1);
            continue;
        }
        const auto colon = line.find(':');
        if (colon != std::string::npos)
            req.headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
    }
    std::size_t length = 0;
    if (auto cl = req.header("content-length"); !cl.empty())
        length = std::stoul(cl);
    std::string rest = buf.substr(head_end + 4);
    read_until(fd, rest, [&](const std::string& b) { return b.size() >= length; });
    req.body = rest.substr(0, length);
    {
        std::lock_guard lock(m_mutex);
        m_requests.push_back(req);
    }

    auto resp = answer_for(req);
    if (resp.delay_s > 0 && !wait(resp.delay_s))
        return;
    if (resp.ranges)
        serve_range(req, resp);
    std::string out =
        "HTTP/1.1 " + std::to_string(resp.status) + " " + reason(resp.status) + "\r\n";
    if (resp.chunked)
        out += "Transfer-Encoding: chunked\r\n";
    else if (!resp.omit_content_length)
        out += "Content-Length: " +
               std::to_string(resp.declared_length.value_or(resp.body.size())) + "\r\n";
    out += "Connection: close\r\n";
    bool has_type = false;
    for (const auto& [name, value] : resp.headers) {
        out += name + ": " + value + "\r\n";
        has_type = has_type || lower(name) == "content-type";
    }
    if (!has_type)
        out += "Content-Type: application/json\r\n";
    out += "\r\n";
    const std::size_t piece = resp.chunk_size ? resp.chunk_size : resp.body.size();
    for (std::size_t at = 0; at < resp.body.size(); at += piece) {
        if (at > 0) {
            if (!send_all(fd, out) || (resp.chunk_delay_s > 0 && !wait(resp.chunk_delay_s)))
                return;
            out.clear();
        }
        const auto part = resp.body.substr(at, piece);
        if (resp.chunked)
            out += hex_length(part.size()) + "\r\n" + part + "\r\n";
        else
            out += part;
    }
    if (resp.chunked)
        out += "0\r\n\r\n";
    send_all(fd, out);
    ::shutdown(fd, SHUT_WR);
}

void HttpServer::serve_range(const http_request& request, http_response& resp) {
    std::string etag;
    for (const auto& [name, value] : resp.headers)
        if (lower(name) == "etag")
            etag = value;
    if (etag.empty()) {
        etag = "\"v1\"";
        resp.headers.emplace_back("ETag", etag);
    }
    resp.headers.emplace_back("Accept-Ranges", "bytes");
    const auto range = request.header("range");
    const auto if_range = request.header("if-range");
    const std::string prefix = "bytes=";
    if (resp.status != 200 || range.rfind(prefix, 0) != 0 || range.back() != '-' ||
        (!if_range.empty() && if_range != etag))
        return;
    const auto digits = range.substr(prefix.size(), range.size() - prefix.size() - 1);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos)
        return;
    const std::size_t from = std::stoul(digits);
    const std::size_t size = resp.declared_length.value_or(resp.body.size());
    if (from >= size) {
        resp.status = 416;
        resp.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
        resp.body.clear();
        resp.declared_length.reset();
        return;
    }
    resp.status = 206;
    resp.headers.emplace_back("Content-Range", "bytes " + std::to_string(from) + "-" +
                                                   std::to_string(size - 1) + "/" +
                                                   std::to_string(size));
    resp.body = resp.body.substr(std::min(from, resp.body.size()));
    if (resp.declared_length)
        resp.declared_length = size - from;
}

} // namespace porchlight::test
