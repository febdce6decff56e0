#pragma once

// Small ASCII text helpers for the document parsers (locale-independent).

#include <string>
#include <string_view>
#include <vector>

namespace porchlight::docs::detail {

inline bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '\n';
}

inline bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

inline bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

inline char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string lowered(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = lower(c);
    return out;
}

inline std::string_view trim_view(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

inline std::string_view rtrim_view(std::string_view s) {
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

inline bool blank(std::string_view s) {
    return trim_view(s).empty();
}

// Runs of white space as one space, none at the ends.
inline std::string collapse_spaces(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool space = false;
    for (const char c : s) {
        if (is_space(c)) {
            space = !out.empty();
            continue;
        }
        if (space)
            out.push_back(' ');
        space = false;
        out.push_back(c);
    }
    return out;
}

/// Text tidied line by line: no spaces, tabs or CRs at the end of a line, a run of blank
/// lines as one blank line, none at either end.
inline std::string tidy_lines(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    int blank_lines = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto eol = text.find('\n', pos);
        if (eol == std::string_view::npos)
            eol = text.size();
        auto line = text.substr(pos, eol - pos);
        pos = eol + 1;
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
            line.remove_suffix(1);
        if (line.empty()) {
            ++blank_lines;
            continue;
        }
        if (!out.empty())
            out += blank_lines > 0 ? "\n\n" : "\n";
        out += line;
        blank_lines = 0;
    }
    return out;
}

/// The items with `separator` between them.
inline std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty())
            out += separator;
        out += item;
    }
    return out;
}

/// The offset of the line after the one at pos (b.size() at the last line).
inline std::size_t next_line(std::string_view b, std::size_t pos) {
    const auto eol = b.find('\n', pos);
    return eol == std::string_view::npos ? b.size() : eol + 1;
}

} // namespace porchlight::docs::detail
