// The SAX walker of detail/html_walker.hpp: elements by role, text into a text_builder.

#include "detail/html_walker.hpp"

#include "detail/html_text.hpp"
#include "detail/scan.hpp"

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

namespace porchlight::docs::detail::html {
namespace {

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
        const std::string k = lowered(collapse(name));
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

} // namespace

html_result walk_html(std::string utf8) {
    html_result result;
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

} // namespace porchlight::docs::detail::html
