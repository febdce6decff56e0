#pragma once

// The text that the HTML walker (html_walker.cpp) builds, and the clean-up of attribute
// and title text (html_text.cpp).

#include <cstddef>
#include <string>
#include <string_view>

namespace porchlight::docs::detail::html {

/// Whitespace runs collapsed, blank and control characters (and &nbsp;) as spaces: for the
/// title, alt text and meta values.
std::string collapse(std::string_view s);

/// Builds the text: breaks and spaces are held back until the next visible character, so
/// that none lead, none trail and the strongest one wins.
class text_builder {
  public:
    /// Flowing text: white space runs become one space.
    void text(std::string_view s);

    /// Preformatted text: kept as it is but for CR LF and &nbsp;.
    void preformatted(std::string_view s);

    // Breaks at the start of a table cell are dropped: a <div> or a nested table in a
    // cell stays on the row's line.
    // Tabs held back for empty cells would trail the line: they go.
    void block_break(int lines);
    void line_break();
    void cell_start() { m_cell_start = true; }
    void cell_end() { m_cell_start = false; }
    /// Between two cells of a row; `row_has_text` false: the row has not written anything,
    /// so the line break before it stays.
    void cell_break(bool row_has_text);
    void space() { m_space = true; }

    std::size_t size() const noexcept { return m_out.size(); }

    /// Lines without trailing blanks, at most one blank line in a row, none at either end.
    std::string finish() const;

  private:
    void flush();

    std::string m_out;
    int m_newlines = 0;
    int m_tabs = 0;
    bool m_space = false;
    bool m_cell_start = false;
};

} // namespace porchlight::docs::detail::html
