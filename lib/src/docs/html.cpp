// HTML to text with libxml2's HTML parser, driven through SAX callbacks: no tree is built,
// so nothing recurses over the document and libxml2's tree depth limit does not cut the
// text short.
//
// What comes out:
//   - script, style, noscript and template are dropped, and so are comments;
//   - <title> goes to the title, not the text (the first one only);
//   - block elements (p, div, li, tr, h1-h6 ...) and <br> become line breaks, paragraph-like
//     ones (p, h1-h6, table, pre, blockquote, lists) a blank line;
//   - table cells of one row are separated by a tab;
//   - <pre> (and textarea, listing, xmp) keeps its white space, everywhere else a run of
//     white space becomes one space; &nbsp; is a plain space;
//   - an image with alt text becomes "[alt text]" (a scanned signature or a logo says what
//     it is); links keep their text, not the URL;
//   - lines lose trailing white space and runs of blank lines fold to one.
//
// Charset: decoded here, not by libxml2 (whose encoding switch stops the parse at the first
// undecodable byte). A BOM decides; valid UTF-8 that is not plain ASCII is UTF-8 whatever a
// <meta> says (an e-mail body arrives decoded already and keeps its <meta charset>);
// otherwise <meta charset> / <meta http-equiv content="...; charset=..."> in the first
// 4 KiB; otherwise windows-1252. libxml2 then reads UTF-8 and ignores <meta>.

#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::docs {
namespace {

// ---------------------------------------------------------------------------------------
// charset

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// The charset named by a <meta> in the first 4 KiB, lower case; "" when none.
std::string meta_charset(std::string_view bytes) {
    std::string head(bytes.substr(0, 4096));
    std::transform(head.begin(), head.end(), head.begin(), lower);
    for (auto pos = head.find("<meta"); pos != std::string::npos;
         pos = head.find("<meta", pos + 5)) {
        const auto end = head.find('>', pos);
        const std::string_view tag =
            std::string_view(head).substr(pos, end == std::string::npos ? head.npos : end - pos);
        auto at = tag.find("charset");
        if (at == std::string_view::npos)
            continue;
        at += 7;
        while (at < tag.size() &&
               (tag[at] == ' ' || tag[at] == '\t' || tag[at] == '\n' || tag[at] == '\r'))
            ++at;
        if (at >= tag.size() || tag[at] != '=')
            continue;
        ++at;
        while (at < tag.size() && (tag[at] == ' ' || tag[at] == '"' || tag[at] == '\''))
            ++at;
        std::string name;
        while (at < tag.size() && name.size() < 40) {
            const char c = tag[at++];
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                c == '.' || c == ':')
                name += c;
            else
                break;
        }
        if (!name.empty())
            return name;
    }
    return {};
}

std::string decode_html_bytes(std::string_view bytes) {
    if (bytes.starts_with("\xEF\xBB\xBF") || bytes.starts_with("\xFF\xFE") ||
        bytes.starts_with("\xFE\xFF"))
        return guess_to_utf8(bytes);
    const auto utf8 = sanitize_utf8(bytes);
    if (utf8.size() == bytes.size() && !is_ascii(bytes))
        return utf8; // valid UTF-8 beyond ASCII: decoded already, whatever <meta> says
    auto charset = meta_charset(bytes);
    // as browsers do: a <meta> cannot switch to UTF-16 (the bytes it is in are not
    // UTF-16), and Latin-1 / ASCII labels mean windows-1252
    if (charset.starts_with("utf-16") || charset.starts_with("utf-32") || charset == "utf8")
        charset = "utf-8";
    if (charset == "iso-8859-1" || charset == "latin1" || charset == "us-ascii" ||
        charset == "ascii" || charset == "iso8859-1" || charset == "x-user-defined")
        charset = "windows-1252";
    if (!charset.empty())
        return to_utf8(bytes, charset);
    return guess_to_utf8(bytes);
}

// ---------------------------------------------------------------------------------------
// libxml2 plumbing

// libxml2 reports some problems (charset ones) on its generic error channel, which prints
// to stderr, and hands everything to a structured handler when one is set: both are
// silenced while one parse runs, and put back after. They are per thread.
class libxml_error_silencer {
  public:
    libxml_error_silencer()
        : m_generic(xmlGenericError), m_generic_context(xmlGenericErrorContext),
          m_structured(xmlStructuredError), m_structured_context(xmlStructuredErrorContext) {
        xmlSetGenericErrorFunc(nullptr, &ignore_generic);
        xmlSetStructuredErrorFunc(nullptr, &ignore_structured);
    }
    ~libxml_error_silencer() {
        xmlSetGenericErrorFunc(m_generic_context, m_generic);
        xmlSetStructuredErrorFunc(m_structured_context, m_structured);
    }
    libxml_error_silencer(const libxml_error_silencer&) = delete;
    libxml_error_silencer& operator=(const libxml_error_silencer&) = delete;

  private:
    static void ignore_generic(void*, const char*, ...) {}
    static void ignore_structured(void*, xmlErrorPtr) {}

    xmlGenericErrorFunc m_generic;
    void* m_generic_context;
    xmlStructuredErrorFunc m_structured;
    void* m_structured_context;
};

struct parser_ctxt_deleter {
    void operator()(htmlParserCtxtPtr p) const noexcept { htmlFreeParserCtxt(p); }
};
using parser_ctxt_ptr = std::unique_ptr<htmlParserCtxt, parser_ctxt_deleter>;

struct input_buffer_deleter {
    void operator()(xmlParserInputBufferPtr p) const noexcept { xmlFreeParserInputBuffer(p); }
};
using input_buffer_ptr = std::unique_ptr<xmlParserInputBuffer, input_buffer_deleter>;

void init_libxml() {
    static const bool initialised = [] {
        xmlInitParser();
        return true;
    }();
    (void)initialised;
}

std::string_view view(const xmlChar* s) {
    return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

std::string_view attribute(const xmlChar** atts, std::string_view name) {
    if (!atts)
        return {};
    for (std::size_t i = 0; atts[i]; i += 2) {
        const auto key = view(atts[i]);
        if (key.size() == name.size() && std::equal(key.begin(), key.end(), name.begin(),
                                                    [](char a, char b) { return lower(a) == b; }))
            return view(atts[i + 1]);
    }
    return {};
}

// ---------------------------------------------------------------------------------------
// text

bool is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Whitespace runs collapsed, blank and control characters as spaces: for the title, alt text
// and meta values.
std::string collapse(std::string_view s) {
    std::string out;
    bool space = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        const bool nbsp =
            c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0;
        if (is_space(c) || c < 0x20 || c == 0x7F || nbsp) {
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

// Builds the text: breaks and spaces are held back until the next visible character, so
// that none lead, none trail and the strongest one wins.
class text_builder {
  public:
    // Flowing text: white space runs become one space.
    void text(std::string_view s) {
        for (std::size_t i = 0; i < s.size(); ++i) {
            const auto c = static_cast<unsigned char>(s[i]);
            if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
                m_space = true; // &nbsp;
                ++i;
            } else if (is_space(c) || c < 0x20 || c == 0x7F) {
                m_space = true;
            } else {
                flush();
                m_out += static_cast<char>(c);
            }
        }
    }

    // Preformatted text: kept as it is but for CR LF and &nbsp;.
    void preformatted(std::string_view s) {
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

    // Breaks at the start of a table cell are dropped: a <div> or a nested table in a
    // cell stays on the row's line.
    // Tabs held back for empty cells would trail the line: they go.
    void block_break(int lines) {
        if (m_cell_start)
            return;
        m_newlines = std::max(m_newlines, lines);
        m_tabs = 0;
        m_space = false;
    }
    void line_break() {
        if (m_cell_start)
            return;
        m_newlines = std::min(m_newlines + 1, 2);
        m_tabs = 0;
        m_space = false;
    }
    void cell_start() { m_cell_start = true; }
    void cell_end() { m_cell_start = false; }
    // Between two cells of a row; `row_has_text` false: the row has not written anything,
    // so the line break before it stays.
    void cell_break(bool row_has_text) {
        if (row_has_text)
            m_newlines = 0;
        ++m_tabs;
        m_space = false;
    }
    void space() { m_space = true; }

    std::size_t size() const noexcept { return m_out.size(); }

    // Lines without trailing blanks, at most one blank line in a row, none at either end.
    std::string finish() {
        std::string out;
        out.reserve(m_out.size());
        int blank_lines = 0;
        std::size_t pos = 0;
        while (pos <= m_out.size()) {
            auto eol = m_out.find('\n', pos);
            if (eol == std::string::npos)
                eol = m_out.size();
            auto line = std::string_view(m_out).substr(pos, eol - pos);
            while (!line.empty() && (line.back() == ' ' || line.back() == '\t'))
                line.remove_suffix(1);
            if (line.empty()) {
                ++blank_lines;
            } else {
                if (!out.empty())
                    out.append(blank_lines > 0 ? "\n\n" : "\n");
                out.append(line);
                blank_lines = 0;
            }
            pos = eol + 1;
        }
        return out;
    }

  private:
    void flush() {
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

    std::string m_out;
    int m_newlines = 0;
    int m_tabs = 0;
    bool m_space = false;
    bool m_cell_start = false;
};

// ---------------------------------------------------------------------------------------
// elements

enum class role {
    inline_text, // a, span, b ... : nothing of their own
    skip,        // script, style ...: content dropped
    title,
    pre,
    line,      // block: a line break before and after
    paragraph, // block: a blank line before and after
    br,
    row,
    cell,
    image,
    meta,
};

role role_of(std::string_view name) {
    struct entry {
        std::string_view name;
        role r;
    };
    // sorted by name, for the binary search
    static constexpr entry table[] = {
        {"address", role::line},     {"article", role::line},
        {"aside", role::line},       {"blockquote", role::paragraph},
        {"body", role::line},        {"br", role::br},
        {"caption", role::line},     {"center", role::line},
        {"dd", role::line},          {"details", role::line},
        {"dialog", role::line},      {"div", role::line},
        {"dl", role::paragraph},     {"dt", role::line},
        {"fieldset", role::line},    {"figcaption", role::line},
        {"figure", role::paragraph}, {"footer", role::line},
        {"form", role::line},        {"h1", role::paragraph},
        {"h2", role::paragraph},     {"h3", role::paragraph},
        {"h4", role::paragraph},     {"h5", role::paragraph},
        {"h6", role::paragraph},     {"header", role::line},
        {"hr", role::paragraph},     {"html", role::line},
        {"img", role::image},        {"legend", role::line},
        {"li", role::line},          {"listing", role::pre},
        {"main", role::line},        {"meta", role::meta},
        {"nav", role::line},         {"noscript", role::skip},
        {"ol", role::paragraph},     {"option", role::line},
        {"p", role::paragraph},      {"plaintext", role::pre},
        {"pre", role::pre},          {"script", role::skip},
        {"section", role::line},     {"style", role::skip},
        {"summary", role::line},     {"table", role::paragraph},
        {"td", role::cell},          {"template", role::skip},
        {"textarea", role::pre},     {"th", role::cell},
        {"title", role::title},      {"tr", role::row},
        {"ul", role::paragraph},     {"xmp", role::pre},
    };
    static_assert(std::is_sorted(std::begin(table), std::end(table),
                                 [](const entry& a, const entry& b) { return a.name < b.name; }));
    const auto it = std::lower_bound(std::begin(table), std::end(table), name,
                                     [](const entry& e, std::string_view n) { return e.name < n; });
    return it != std::end(table) && it->name == name ? it->r : role::inline_text;
}

// Deeper than this, the parse stops and starts again after the tag as a new document:
// libxml2 looks through its whole stack of open elements for some tags, which makes
// thousands of nested elements quadratic.
constexpr int max_depth = 256;

// The bytes libxml2 reads, handed out as it asks for them.
struct byte_source {
    const char* data;
    std::size_t size;
    std::size_t pos;

    static int read(void* context, char* buffer, int len) {
        auto& self = *static_cast<byte_source*>(context);
        const auto n = std::min(self.size - self.pos, static_cast<std::size_t>(std::max(len, 0)));
        std::memcpy(buffer, self.data + self.pos, n);
        self.pos += n;
        return static_cast<int>(n);
    }
};

struct html_result {
    std::string text;
    std::string title;
    std::vector<std::pair<std::string, std::string>> metadata;
    bool too_deep = false;
};

class html_walker {
  public:
    explicit html_walker(html_result& result) : m_result(result) {}

    // One parse of bytes[0, size); returns where to start again when it went too deep,
    // else size. libxml2 pulls the bytes through a callback (a static memory buffer is
    // read twice by libxml2 2.9's HTML parser), so a parse that stops early has copied
    // only what it read.
    std::size_t parse(const char* data, std::size_t size) {
        reset();
        byte_source source{data, size, 0};
        input_buffer_ptr buffer(xmlParserInputBufferCreateIO(&byte_source::read, nullptr, &source,
                                                             XML_CHAR_ENCODING_NONE));
        parser_ctxt_ptr ctxt(htmlNewParserCtxt());
        if (!buffer || !ctxt)
            return size;
        htmlSAXHandler sax;
        std::memset(&sax, 0, sizeof sax);
        sax.startElement = &on_start;
        sax.endElement = &on_end;
        sax.characters = &on_characters;
        sax.ignorableWhitespace = &on_characters;
        sax.cdataBlock = &on_characters;
        sax.initialized = 1;
        *ctxt->sax = sax;
        ctxt->userData = this;
        htmlCtxtUseOptions(ctxt.get(), HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                           HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC);
        xmlParserInputPtr input =
            xmlNewIOInputStream(ctxt.get(), buffer.get(), XML_CHAR_ENCODING_UTF8);
        if (!input)
            return size;
        buffer.release(); // the input stream owns it now
        if (inputPush(ctxt.get(), input) < 0) {
            xmlFreeInputStream(input);
            return size;
        }
        m_ctxt = ctxt.get();
        m_stopped_at = size;
        htmlParseDocument(ctxt.get());
        m_ctxt = nullptr;
        return m_stopped_at;
    }

    void finish() {
        m_result.text = m_text.finish();
        m_result.title = collapse(m_title);
    }

  private:
    struct row_state {
        int cells = 0;
        std::size_t start = 0; // size of the text when the row began
    };

    void reset() {
        m_stopped = false;
        m_depth = 0;
        m_skip = 0;
        m_pre = 0;
        m_in_title = 0;
        m_pre_start = false;
        m_rows.clear();
        m_text.space();
    }

    static html_walker& self(void* user) { return *static_cast<html_walker*>(user); }

    static void on_start(void* user, const xmlChar* name, const xmlChar** atts) {
        self(user).start(view(name), atts);
    }
    static void on_end(void* user, const xmlChar* name) { self(user).end(view(name)); }
    static void on_characters(void* user, const xmlChar* ch, int len) {
        if (len > 0)
            self(user).characters(
                std::string_view(reinterpret_cast<const char*>(ch), static_cast<std::size_t>(len)));
    }

    void start(std::string_view name, const xmlChar** atts) {
        if (m_stopped)
            return;
        if (++m_depth > max_depth) {
            // where libxml2 is now: at the '>' (or "/>") of this tag
            const long consumed = xmlByteConsumed(m_ctxt);
            m_stopped = true;
            m_result.too_deep = true;
            m_stopped_at = consumed > 0 ? static_cast<std::size_t>(consumed) : 0;
            xmlStopParser(m_ctxt);
            return;
        }
        const auto r = role_of(name);
        if (r == role::skip) {
            ++m_skip;
            return;
        }
        if (r == role::title) {
            ++m_in_title;
            return;
        }
        if (r == role::meta) {
            add_meta(attribute(atts, "name"), attribute(atts, "content"));
            return;
        }
        if (m_skip > 0)
            return;
        switch (r) {
        case role::pre:
            ++m_pre;
            m_pre_start = true;
            m_text.block_break(2);
            break;
        case role::line:
            m_text.block_break(1);
            break;
        case role::paragraph:
            m_text.block_break(2);
            break;
        case role::br:
            m_text.line_break();
            break;
        case role::row:
            m_text.block_break(1);
            m_rows.push_back({0, m_text.size()});
            break;
        case role::cell:
            if (!m_rows.empty()) {
                auto& row = m_rows.back();
                if (row.cells++ > 0)
                    m_text.cell_break(m_text.size() > row.start);
            } else {
                m_text.space();
            }
            m_text.cell_start();
            break;
        case role::image:
            if (const auto alt = collapse(attribute(atts, "alt")); !alt.empty()) {
                m_text.space();
                m_text.text("[" + alt + "]");
                m_text.space();
            }
            break;
        default:
            break;
        }
    }

    void end(std::string_view name) {
        if (m_stopped)
            return;
        if (m_depth > 0)
            --m_depth;
        const auto r = role_of(name);
        if (r == role::skip) {
            m_skip = std::max(m_skip - 1, 0);
            return;
        }
        if (r == role::title) {
            m_in_title = std::max(m_in_title - 1, 0);
            if (m_in_title == 0 && !m_title.empty())
                m_title_done = true;
            return;
        }
        if (m_skip > 0)
            return;
        switch (r) {
        case role::pre:
            m_pre = std::max(m_pre - 1, 0);
            m_text.block_break(2);
            break;
        case role::line:
            m_text.block_break(1);
            break;
        case role::paragraph:
            m_text.block_break(2);
            break;
        case role::row:
            if (!m_rows.empty())
                m_rows.pop_back();
            m_text.cell_end();
            m_text.block_break(1);
            break;
        case role::cell:
            m_text.cell_end();
            if (m_rows.empty())
                m_text.space();
            break;
        default:
            break;
        }
    }

    void characters(std::string_view s) {
        if (m_stopped || m_skip > 0)
            return;
        if (m_in_title > 0) {
            if (!m_title_done && m_title.size() < 4096)
                m_title.append(s.substr(0, 4096));
            return;
        }
        if (m_pre > 0) {
            if (m_pre_start) {
                // the line break right after <pre> is not part of the text
                if (s.starts_with("\r\n"))
                    s.remove_prefix(2);
                else if (s.starts_with("\n") || s.starts_with("\r"))
                    s.remove_prefix(1);
                m_pre_start = false;
            }
            m_text.preformatted(s);
        } else {
            m_text.text(s);
        }
    }

    void add_meta(std::string_view name, std::string_view content) {
        const auto key = collapse(name);
        std::string k;
        for (char c : key)
            k += lower(c);
        if (k != "author" && k != "description" && k != "generator" && k != "keywords")
            return;
        for (const auto& [have, value] : m_result.metadata)
            if (have == k)
                return;
        if (auto value = collapse(content); !value.empty())
            m_result.metadata.emplace_back(k, std::move(value));
    }

    html_result& m_result;
    text_builder m_text;
    std::string m_title;
    bool m_title_done = false;
    std::vector<row_state> m_rows;
    htmlParserCtxtPtr m_ctxt = nullptr;
    std::size_t m_stopped_at = 0;
    bool m_stopped = false;
    int m_depth = 0;
    int m_skip = 0;
    int m_pre = 0;
    int m_in_title = 0;
    bool m_pre_start = false;
};

html_result read_html(std::string_view bytes) {
    html_result result;
    auto utf8 = decode_html_bytes(bytes);
    // NUL bytes end libxml2's reading in places; they are no text anyway
    std::replace(utf8.begin(), utf8.end(), '\0', ' ');
    if (utf8.size() > INT_MAX) {
        auto cut = static_cast<std::size_t>(INT_MAX);
        while (cut > 0 && (static_cast<unsigned char>(utf8[cut]) & 0xC0) == 0x80)
            --cut;
        utf8.resize(cut);
    }
    init_libxml();
    libxml_error_silencer silence;
    html_walker walker(result);
    std::size_t pos = 0;
    while (pos < utf8.size()) {
        const auto rest = utf8.size() - pos;
        const auto stopped = walker.parse(utf8.data() + pos, rest);
        if (stopped >= rest)
            break;
        // went too deep: start again after the tag it stopped in
        const auto gt = utf8.find('>', pos + stopped);
        if (gt == std::string::npos)
            break;
        pos = gt + 1;
    }
    walker.finish();
    result.text = sanitize_utf8(result.text);
    result.title = sanitize_utf8(result.title);
    return result;
}

} // namespace

std::string html_to_text(std::string_view html, std::string* title) {
    auto result = read_html(html);
    if (title)
        *title = std::move(result.title);
    return std::move(result.text);
}

document parse_html(std::string_view bytes, const limits& lim) {
    if (bytes.size() > lim.max_document_bytes)
        throw limit_error("HTML document larger than the limit of " +
                          std::to_string(lim.max_document_bytes) + " bytes");
    auto result = read_html(bytes);
    if (result.text.size() > lim.max_text_bytes)
        throw limit_error("HTML text larger than the limit of " +
                          std::to_string(lim.max_text_bytes) + " bytes");
    document doc;
    doc.kind = "html";
    doc.mime_type = "text/html";
    doc.title = std::move(result.title);
    doc.metadata = std::move(result.metadata);
    doc.pages.push_back({std::move(result.text), false});
    if (result.too_deep)
        doc.warnings.push_back("elements nested deeper than " + std::to_string(max_depth) +
                               ": the text after that point is read without its enclosing "
                               "elements");
    return doc;
}

} // namespace porchlight::docs
