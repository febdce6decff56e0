// E-mails printed to PDF (Outlook's "Print to PDF", Acrobat PDFMaker for Outlook, a
// browser's print of a webmail thread): the pages' text is split at the header blocks
// that the mail program prints above each message,
//
//     From:     Sanchez, Jesus
//     Sent:     Tuesday, June 4, 2019 3:15 PM
//     To:       Jobe, Grant; cwoods@pd.sandiego.gov
//     Subject:  RE: camera request
//
// A header block is a run of lines that each start with one of the labels From, Sent,
// Date, To, Cc, Bcc, Subject, Attachments, Importance (then ':', then spaces or tabs, then
// the value, which may be empty), with no label twice. A value may wrap onto the next
// lines: a line that is not a label line continues the value before it when it starts at
// the value column (the physical layout puts wrapped text where it stands on the page),
// when the value so far ends with ';' or ',' (a list of recipients), or when a label line
// of the same block follows it. A blank line ends the block. A block counts only with
// From: and at least Subject: or Sent:/Date:.
//
// Choice: headers quoted inside a body -- a reply or forward printed under
// "-----Original Message-----", "From: ... Sent: ..." -- start messages of their own. A
// printed thread is how an agency releases a conversation, and each quoted message has
// its own sender, recipients and date, which is what a reader searches for. So a
// message's body runs from its header block to the next block only, and the separator
// line printed just above the next block ("-----Original Message-----", a line of
// underscores, "Begin forwarded message:") is dropped from its end.

#include "detail/printed_date.hpp"
#include "detail/scan.hpp"

#include <porchlight/docs/document.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::docs {
namespace {

using namespace detail;

// ---------------------------------------------------------------------------------------
// small text helpers
std::size_t indentation(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && (s[n] == ' ' || s[n] == '\t'))
        ++n;
    return n;
}

// ---------------------------------------------------------------------------------------
// header lines

enum class field { from, sent, date, to, cc, bcc, subject, attachments, importance };
constexpr std::size_t field_count = 9;

struct label_name {
    std::string_view name;
    field f;
};

constexpr std::array<label_name, field_count> labels{{{"from", field::from},
                                                      {"sent", field::sent},
                                                      {"date", field::date},
                                                      {"to", field::to},
                                                      {"cc", field::cc},
                                                      {"bcc", field::bcc},
                                                      {"subject", field::subject},
                                                      {"attachments", field::attachments},
                                                      {"importance", field::importance}}};

struct header_line {
    field f;
    std::string_view value; ///< trimmed, may be empty
    std::size_t value_col;  ///< byte column where the value starts (0 when it is empty)
};

// "From:    value" (after optional indentation and '>' quote marks) or nothing.
std::optional<header_line> parse_header_line(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '>'))
        ++i;
    const std::size_t label_begin = i;
    while (i < line.size() && is_alpha(line[i]) && i - label_begin < 12)
        ++i;
    if (i == label_begin || i >= line.size() || line[i] != ':')
        return std::nullopt;
    const std::string name = lowered(line.substr(label_begin, i - label_begin));
    ++i; // ':'
    if (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
        return std::nullopt; // "to:do", "http://", not a label
    for (const label_name& l : labels) {
        if (l.name != name)
            continue;
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        const std::string_view value = rtrim_view(line.substr(i));
        return header_line{l.f, value, value.empty() ? 0 : i};
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------
// addresses

// "Name [mailto:addr]" (older Outlook) as "Name <addr>"; white space folded.
std::string display_address(std::string_view s) {
    std::string a = collapse_spaces(s);
    const std::string low = lowered(a);
    const std::size_t m = low.find("[mailto:");
    if (m != std::string::npos) {
        const std::size_t close = a.find(']', m);
        if (close != std::string::npos) {
            const std::string addr(trim_view(std::string_view(a).substr(m + 8, close - m - 8)));
            std::string name(trim_view(std::string_view(a).substr(0, m)));
            a = name.empty() ? addr : name + " <" + addr + ">";
        }
    }
    return a;
}

// Split at `sep` outside "quotes", <angle brackets> and [brackets].
std::vector<std::string_view> split_outside_quotes(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    bool quoted = false;
    int angle = 0;
    int square = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == '<')
            ++angle;
        else if (c == '>' && angle > 0)
            --angle;
        else if (c == '[')
            ++square;
        else if (c == ']' && square > 0)
            --square;
        else if (c == sep && angle == 0 && square == 0) {
            out.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    out.push_back(s.substr(start));
    return out;
}

// Outlook separates recipients with ';' and prints names as "Last, First", so a ',' splits
// only when every part around it holds an address ("a@x.org, b@y.org").
std::vector<std::string> split_recipients(std::string_view value) {
    std::vector<std::string> out;
    for (const std::string_view part : split_outside_quotes(value, ';')) {
        const std::string_view p = trim_view(part);
        if (p.empty())
            continue;
        const std::vector<std::string_view> pieces = split_outside_quotes(p, ',');
        bool all_addresses = pieces.size() > 1;
        for (const std::string_view piece : pieces)
            if (piece.find('@') == std::string_view::npos)
                all_addresses = false;
        if (all_addresses) {
            for (const std::string_view piece : pieces)
                if (!blank(piece))
                    out.push_back(display_address(piece));
        } else {
            out.push_back(display_address(p));
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// blocks

struct text_line {
    std::string_view text;
    int page; ///< 1-based
};

struct block {
    std::size_t begin = 0; ///< first line
    std::size_t end = 0;   ///< one past the last line
    std::array<std::optional<std::string>, field_count> values;

    std::optional<std::string>& operator[](field f) { return values[static_cast<std::size_t>(f)]; }
    const std::optional<std::string>& operator[](field f) const {
        return values[static_cast<std::size_t>(f)];
    }

    bool counts() const {
        return (*this)[field::from] &&
               ((*this)[field::subject] || (*this)[field::sent] || (*this)[field::date]);
    }
};

constexpr std::size_t max_block_lines = 200;
constexpr std::size_t max_lookahead = 3;

bool recipient_field(field f) {
    return f == field::to || f == field::cc || f == field::bcc || f == field::attachments;
}

// The header block that starts at lines[first] (a label line).
block read_block(const std::vector<text_line>& lines, std::size_t first) {
    block b;
    b.begin = first;
    std::size_t j = first;
    std::optional<field> last;
    std::size_t value_col = 0;
    while (j < lines.size() && j - first < max_block_lines) {
        const std::string_view text = lines[j].text;
        if (const auto hl = parse_header_line(text)) {
            if (b[hl->f])
                break; // a label again: the next block
            b[hl->f] = std::string(hl->value);
            last = hl->f;
            if (hl->value_col != 0)
                value_col = hl->value_col;
            ++j;
            continue;
        }
        if (!last || blank(text))
            break;
        std::string& value = *b[*last];
        const std::size_t indent = indentation(text);
        bool continues = value_col >= 4 && indent + 2 >= value_col && indent <= value_col + 2;
        if (!continues && recipient_field(*last)) {
            const std::string_view v = rtrim_view(value);
            continues = !v.empty() && (v.back() == ';' || v.back() == ',');
        }
        std::size_t run = 1;
        if (!continues) {
            // lines that stand between two label lines of this block
            std::size_t k = j;
            while (k < lines.size() && k - j < max_lookahead && !blank(lines[k].text) &&
                   !parse_header_line(lines[k].text))
                ++k;
            if (k < lines.size()) {
                const auto next = parse_header_line(lines[k].text);
                if (next && !b[next->f]) {
                    continues = true;
                    run = k - j;
                }
            }
        }
        if (!continues)
            break;
        for (std::size_t r = 0; r < run; ++r) {
            value += ' ';
            value += trim_view(lines[j + r].text);
        }
        j += run;
    }
    b.end = j;
    return b;
}

// Separator lines that a mail program prints above a quoted message.
bool separator_line(std::string_view line) {
    const std::string s = lowered(trim_view(line));
    if (s.empty())
        return false;
    if (s.size() >= 8 && s.find_first_not_of('_') == std::string::npos)
        return true;
    if (s.size() >= 8 && s.find_first_not_of("-=") == std::string::npos)
        return true;
    if (s.rfind("---", 0) == 0 && (s.find("original message") != std::string::npos ||
                                   s.find("forwarded message") != std::string::npos))
        return true;
    return s == "begin forwarded message:" || s == "forwarded message";
}

std::string make_body(const std::vector<text_line>& lines, std::size_t begin, std::size_t end,
                      bool before_block) {
    std::vector<std::string_view> body;
    for (std::size_t i = begin; i < end; ++i)
        body.push_back(rtrim_view(lines[i].text));
    while (!body.empty() && (body.back().empty() || (before_block && separator_line(body.back()))))
        body.pop_back();
    std::size_t first = 0;
    while (first < body.size() && body[first].empty())
        ++first;
    std::size_t common = std::string_view::npos;
    for (std::size_t i = first; i < body.size(); ++i)
        if (!body[i].empty())
            common = std::min(common, indentation(body[i]));
    // the layout's runs of blank lines (space around a logo, a page break) as one
    std::string out;
    for (std::size_t i = first; i < body.size(); ++i) {
        if (body[i].empty()) {
            if (i > first && !body[i - 1].empty())
                out += '\n';
            continue;
        }
        if (!out.empty())
            out += '\n';
        out += body[i].substr(common);
    }
    return std::string(trim_view(out));
}

message make_message(const block& b) {
    message m;
    email_header& h = m.header;
    if (b[field::from])
        h.from = display_address(*b[field::from]);
    if (b[field::to])
        h.to = split_recipients(*b[field::to]);
    if (b[field::cc])
        h.cc = split_recipients(*b[field::cc]);
    if (b[field::bcc])
        h.bcc = split_recipients(*b[field::bcc]);
    if (b[field::subject])
        h.subject = collapse_spaces(*b[field::subject]);
    const std::optional<std::string>& date = b[field::sent] ? b[field::sent] : b[field::date];
    if (date) {
        h.date_raw = collapse_spaces(*date);
        parse_printed_date(h.date_raw, h);
    }
    return m;
}

} // namespace

std::vector<message> split_printed_emails(const std::vector<page>& pages) {
    std::vector<text_line> lines;
    for (std::size_t p = 0; p < pages.size(); ++p) {
        const std::string_view text = pages[p].text;
        const int number = static_cast<int>(p) + 1;
        // every page gives one line at least, so that an empty page keeps its number
        std::size_t pos = 0;
        while (true) {
            const std::size_t nl = text.find('\n', pos);
            if (nl == std::string_view::npos) {
                if (pos < text.size() || pos == 0)
                    lines.push_back({text.substr(pos), number});
                break;
            }
            lines.push_back({text.substr(pos, nl - pos), number});
            pos = nl + 1;
        }
    }

    std::vector<block> blocks;
    for (std::size_t i = 0; i < lines.size();) {
        if (!parse_header_line(lines[i].text)) {
            ++i;
            continue;
        }
        block b = read_block(lines, i);
        const std::size_t next = b.end > i ? b.end : i + 1;
        if (b.counts())
            blocks.push_back(std::move(b));
        i = next;
    }

    std::vector<message> out;
    out.reserve(blocks.size());
    for (std::size_t k = 0; k < blocks.size(); ++k) {
        const block& b = blocks[k];
        const bool has_next = k + 1 < blocks.size();
        const std::size_t body_end = has_next ? blocks[k + 1].begin : lines.size();
        message m = make_message(b);
        m.body = make_body(lines, b.end, body_end, has_next);
        m.first_page = lines[b.begin].page;
        if (has_next) {
            // up to the page the next message starts on, unless it starts at the top of it
            const int next_page = lines[body_end].page;
            bool text_before = false;
            for (std::size_t j = body_end; j > b.begin && lines[j - 1].page == next_page; --j)
                if (!blank(lines[j - 1].text) && !separator_line(lines[j - 1].text)) {
                    text_before = true;
                    break;
                }
            m.last_page = text_before ? next_page : next_page - 1;
        } else {
            m.last_page = static_cast<int>(pages.size()); // trailing pages: its attachments
        }
        if (m.last_page < m.first_page)
            m.last_page = m.first_page;
        out.push_back(std::move(m));
    }
    return out;
}

} // namespace porchlight::docs
