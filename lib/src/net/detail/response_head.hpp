#pragma once

// The head of an HTTP response as http.cpp needs it: read line by line from libcurl's
// header callback, the fields a download cares about, and Content-Range.

#include <porchlight/util/date.hpp>
#include <porchlight/util/text.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace porchlight::net::detail {

/// A Retry-After longer than this is waited for only this long.
inline constexpr double max_retry_after_s = 60.0;

/// Decimal digits only, else nullopt.
inline std::optional<std::uint64_t> to_u64(std::string_view s) {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return v;
}

/// What the server said in the head of its last response.
struct response_head {
    long status = 0;
    std::string reason; ///< "Not Found"; HTTP/2 has none
    std::string etag, last_modified, content_type, content_encoding, content_range, accept_ranges;
    std::optional<std::uint64_t> content_length;
    std::optional<double> retry_after_s;
    std::string received_at;
};

/// Takes in one line of a response head; a status line starts a new head.
inline void read_header_line(response_head& h, std::string_view line) {
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.remove_suffix(1);
    if (line.substr(0, 5) == "HTTP/") { // "HTTP/1.1 404 Not Found"
        h = response_head{};
        h.received_at = util::now_utc();
        const auto sp = line.find(' ');
        const auto rest = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
        const auto code_end = std::min(rest.find(' '), rest.size());
        h.status = static_cast<long>(to_u64(rest.substr(0, code_end)).value_or(0));
        h.reason = util::trim(rest.substr(code_end));
        return;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos)
        return;
    const auto name = util::to_lower_ascii(util::trim(line.substr(0, colon)));
    auto value = util::trim(line.substr(colon + 1));
    if (name == "etag")
        h.etag = value;
    else if (name == "last-modified")
        h.last_modified = value;
    else if (name == "content-type")
        h.content_type = value;
    else if (name == "content-encoding")
        h.content_encoding = util::to_lower_ascii(value);
    else if (name == "content-range")
        h.content_range = value;
    else if (name == "accept-ranges")
        h.accept_ranges = util::to_lower_ascii(value);
    else if (name == "content-length")
        h.content_length = to_u64(value);
    else if (name == "retry-after") { // seconds, or an HTTP date
        if (const auto s = to_u64(value))
            h.retry_after_s = std::min<double>(static_cast<double>(*s), max_retry_after_s);
        else if (const std::time_t t = curl_getdate(value.c_str(), nullptr); t != -1)
            h.retry_after_s =
                std::clamp<double>(std::difftime(t, std::time(nullptr)), 0.0, max_retry_after_s);
    }
}

/// "bytes 400-999/1000" as its first byte and the total (nullopt for "*").
inline std::optional<std::pair<std::uint64_t, std::optional<std::uint64_t>>>
parse_content_range(std::string_view s) {
    if (s.substr(0, 6) != "bytes ")
        return std::nullopt;
    s.remove_prefix(6);
    const auto dash = s.find('-'), slash = s.find('/');
    if (dash == std::string_view::npos || slash == std::string_view::npos || slash < dash)
        return std::nullopt;
    const auto first = to_u64(s.substr(0, dash));
    if (!first)
        return std::nullopt;
    return std::pair{*first, to_u64(s.substr(slash + 1))};
}

} // namespace porchlight::net::detail
