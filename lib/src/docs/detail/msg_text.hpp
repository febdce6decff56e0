#pragma once

// ASCII text helpers of the Outlook .msg reader (msg*.cpp), for MAPI strings and the lines
// of RFC 5322 headers. White space here is space, tab, CR and LF (not \f or \v, as in
// scan.hpp): what trims a subject or a header field.

#include <algorithm>
#include <string>
#include <string_view>

namespace porchlight::docs::detail::msg {

inline std::string upper_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    return out;
}

inline bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && upper_ascii(a) == upper_ascii(b);
}

inline bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

inline std::string trim(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return std::string(s);
}

inline bool blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return is_space(c); });
}

/// One line of a header field: control characters (CR, LF ...) become spaces.
inline std::string single_line(std::string_view s) {
    std::string out = trim(s);
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            c = ' ';
    return out;
}

} // namespace porchlight::docs::detail::msg
