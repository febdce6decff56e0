// The text of an HTML document as the walker builds it (detail/html_text.hpp).

#include "detail/html_text.hpp"

#include "detail/scan.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace porchlight::docs::detail::html {

std::string collapse(std::string_view s) {
    std::string out;
    bool space = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        const bool nbsp =
            c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0;
        if (is_space(s[i]) || c < 0x20 || c == 0x7F || nbsp) {
            space = !out.empty();
            i += nbsp ? 1 : 0;
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += static_cast<char>(c);
    }
    return out;
}

void text_builder::text(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
            m_space = true; // &nbsp;
            ++i;
        } else if (is_space(s[i]) || c < 0x20 || c == 0x7F) {
            m_space = true;
        } else {
            flush();
            m_out += static_cast<char>(c);
        }
    }
}

void text_builder::preformatted(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
            flush();
            m_out += ' ';
            ++i;
        } else if (c == '\r') {
            if (i + 1 < s.size() && s[i + 1] == '\n')
                continue;
            flush();
            m_out += '\n';
        } else if (c == '\n' || c == '\t' || c >= 0x20) {
            flush();
            m_out += static_cast<char>(c == 0x7F ? ' ' : c);
        } else {
            flush();
            m_out += ' ';
        }
    }
}

void text_builder::block_break(int lines) {
    if (m_cell_start)
        return;
    m_newlines = std::max(m_newlines, lines);
    m_tabs = 0;
    m_space = false;
}

void text_builder::line_break() {
    if (m_cell_start)
        return;
    m_newlines = std::min(m_newlines + 1, 2);
    m_tabs = 0;
    m_space = false;
}

void text_builder::cell_break(bool row_has_text) {
    if (row_has_text)
        m_newlines = 0;
    ++m_tabs;
    m_space = false;
}

std::string text_builder::finish() const {
    return tidy_lines(m_out);
}

void text_builder::flush() {
    if (m_newlines > 0 && !m_out.empty())
        m_out.append(static_cast<std::size_t>(m_newlines), '\n');
    if (m_tabs > 0)
        m_out.append(static_cast<std::size_t>(m_tabs), '\t');
    else if (m_space && m_newlines == 0 && !m_out.empty() && m_out.back() != '\n' &&
             m_out.back() != '\t' && m_out.back() != ' ')
        m_out += ' ';
    m_newlines = 0;
    m_tabs = 0;
    m_space = false;
    m_cell_start = false;
}

} // namespace porchlight::docs::detail::html
