// OpenDocument (detail/office_formats.hpp): odt, ods and odp, all read from content.xml by
// one walker (odf_text) with options for what makes a page.

#include "detail/office_formats.hpp"
#include "detail/office_xml.hpp"

#include <porchlight/docs/document.hpp>

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace porchlight::docs::detail::office {
namespace {

class odf_text {
  public:
    struct options {
        bool page_per_table = false;           // ods: a page per top-level table
        bool page_per_slide = false;           // odp: a page per draw:page, notes after its text
        std::vector<std::string> break_before; // odt: paragraph styles that break the page
        std::vector<std::string> break_after;
    };

    // Body text to `body`; footnotes and comments to `notes`.
    odf_text(page_builder& body, page_builder& notes, options opts, document& doc)
        : m_body(body), m_notes(notes), m_out(&body), m_opts(std::move(opts)), m_doc(doc) {}

    void read(pugi::xml_node root) {
        walk(
            root, [this](pugi::xml_node n) { return enter(n); },
            [this](pugi::xml_node n) { leave(n); });
    }

  private:
    static constexpr int max_repeat = 1000; // repeated rows and cells written out at most

    struct table_state {
        int cells = 0;     // open cells of this table (0: not in a cell)
        int row_cells = 0; // cells so far in the current row
        std::size_t row_start = 0;
        std::size_t cell_start = 0;
    };

    bool enter(pugi::xml_node n) {
        if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) {
            if (m_paragraphs > 0)
                flowing(n.value());
            return false;
        }
        if (n.type() != pugi::node_element)
            return false;
        const auto name = local_name(n);
        if (name == "p" || name == "h") {
            if (in_body() && contains(m_opts.break_before, attr(n, "style-name")) &&
                !m_out->page_empty())
                m_out->page_break();
            ++m_paragraphs;
        } else if (name == "s") {
            const auto count = std::clamp(number(attr(n, "c"), 1), 1, max_repeat);
            m_out->text(std::string(static_cast<std::size_t>(count), ' '));
            return false;
        } else if (name == "tab") {
            if (m_t.cells > 0)
                m_out->soft_space();
            else
                m_out->text("\t");
            return false;
        } else if (name == "line-break") {
            line_break();
            return false;
        } else if (name == "note-citation" || name == "tracked-changes" ||
                   name == "page-thumbnail" || name == "named-expressions" ||
                   name == "sequence-decls" || name == "variable-decls" ||
                   name == "user-field-decls" || name == "forms") {
            return false;
        } else if (name == "note" || name == "annotation") {
            m_out = &m_notes; // footnotes and comments: after the body
            m_outer_paragraphs.push_back(m_paragraphs);
            m_paragraphs = 0; // an annotation's author and date are no text
            ++m_aside;
        } else if (name == "notes" && m_opts.page_per_slide) {
            m_out->newline(); // speaker notes: after the slide's text
            m_out->newline();
        } else if (name == "table") {
            m_tables.push_back(m_t);
            m_t = table_state{};
            if (m_opts.page_per_table && m_tables.size() == 1) {
                if (m_sheets++ > 0)
                    m_out->page_break();
                m_doc.metadata.emplace_back("sheet", collapse(attr(n, "name")));
            }
        } else if (name == "table-row") {
            m_t.row_cells = 0;
            m_t.row_start = m_out->size();
        } else if (name == "table-cell" || name == "covered-table-cell") {
            if (m_t.row_cells++ > 0)
                m_out->tab();
            ++m_t.cells;
            m_t.cell_start = m_out->size();
        } else if (name == "page" && m_opts.page_per_slide && m_tables.empty() && m_aside == 0) {
            if (m_slides++ > 0)
                m_out->page_break();
        }
        return true;
    }

    void leave(pugi::xml_node n) {
        const auto name = local_name(n);
        if (name == "p" || name == "h") {
            --m_paragraphs;
            line_break();
            if (in_body() && contains(m_opts.break_after, attr(n, "style-name")))
                m_out->page_break();
        } else if (name == "note" || name == "annotation") {
            m_notes.newline();
            if (!m_outer_paragraphs.empty()) {
                m_paragraphs = m_outer_paragraphs.back();
                m_outer_paragraphs.pop_back();
            }
            if (--m_aside == 0)
                m_out = &m_body;
        } else if (name == "table-cell" || name == "covered-table-cell") {
            --m_t.cells;
            const auto repeat = std::min(number(attr(n, "number-columns-repeated"), 1), max_repeat);
            if (repeat > 1) {
                auto text = m_out->since(m_t.cell_start);
                text.erase(0, text.find_first_not_of('\t')); // the tab before the cell
                if (text.find_first_not_of(" \t\n") == std::string::npos) {
                    m_out->tab(repeat - 1); // empty cells: only their columns
                } else {
                    for (int i = 1; i < repeat; ++i) {
                        m_out->tab();
                        m_out->text(text);
                    }
                }
                m_t.row_cells += repeat - 1;
            }
        } else if (name == "table-row") {
            const auto text = m_out->since(m_t.row_start);
            if (text.find_first_not_of(" \t\n") == std::string::npos) {
                m_out->clear_pending(); // empty rows, however many times repeated: nothing
                return;
            }
            m_out->newline();
            const auto repeat = std::min(number(attr(n, "number-rows-repeated"), 1), max_repeat);
            for (int i = 1; i < repeat; ++i) {
                m_out->text(text);
                m_out->newline();
            }
        } else if (name == "table") {
            if (!m_tables.empty()) {
                m_t = m_tables.back();
                m_tables.pop_back();
            }
            line_break();
        }
    }

    bool in_body() const noexcept { return m_out == &m_body && m_t.cells == 0 && m_tables.empty(); }

    // ODF text: runs of white space are one space, explicit spaces are <text:s/>
    void flowing(std::string_view s) {
        std::size_t i = 0;
        while (i < s.size()) {
            const auto ws = s.find_first_of(" \t\r\n", i);
            if (ws != i)
                m_out->text(m_t.cells > 0 ? cell_text(s.substr(i, ws - i)) : s.substr(i, ws - i));
            if (ws == std::string_view::npos)
                break;
            m_out->soft_space();
            i = s.find_first_not_of(" \t\r\n", ws);
            if (i == std::string_view::npos)
                break;
        }
    }

    void line_break() {
        if (m_t.cells > 0)
            m_out->soft_space();
        else
            m_out->newline();
    }

    static bool contains(const std::vector<std::string>& v, std::string_view s) {
        return !s.empty() && std::find(v.begin(), v.end(), s) != v.end();
    }

    static int number(std::string_view s, int fallback) {
        int n = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        return ec == std::errc() && n > 0 ? n : fallback;
    }

    page_builder& m_body;
    page_builder& m_notes;
    page_builder* m_out;
    options m_opts;
    document& m_doc;
    table_state m_t;
    std::vector<table_state> m_tables;   // of the enclosing tables
    int m_paragraphs = 0;                // open text:p and text:h
    std::vector<int> m_outer_paragraphs; // m_paragraphs outside the open notes
    int m_aside = 0;
    int m_sheets = 0;
    int m_slides = 0;
};

} // namespace

std::optional<office_kind> odf_kind(const part_map& parts) {
    std::string mime;
    if (const auto it = parts.find("mimetype"); it != parts.end()) {
        mime = collapse(it->second);
    } else if (const auto content = parts.find("content.xml"); content != parts.end()) {
        pugi::xml_document xml; // a copy: the part is parsed in place later
        if (xml.load_buffer(content->second.data(), content->second.size())) {
            const auto body = child(xml.document_element(), "body");
            if (child(body, "text"))
                mime = "application/vnd.oasis.opendocument.text";
            else if (child(body, "spreadsheet"))
                mime = "application/vnd.oasis.opendocument.spreadsheet";
            else if (child(body, "presentation"))
                mime = "application/vnd.oasis.opendocument.presentation";
        }
    }
    const std::string_view prefix = "application/vnd.oasis.opendocument.";
    if (!std::string_view(mime).starts_with(prefix))
        return std::nullopt;
    const auto type = std::string_view(mime).substr(prefix.size());
    if (type.starts_with("text"))
        return office_kind{"odt", "application/vnd.oasis.opendocument.text", {}};
    if (type.starts_with("spreadsheet"))
        return office_kind{"ods", "application/vnd.oasis.opendocument.spreadsheet", {}};
    if (type.starts_with("presentation"))
        return office_kind{"odp", "application/vnd.oasis.opendocument.presentation", {}};
    throw parse_error("OpenDocument " + std::string(type) + " files are not read");
}

void odf_metadata(part_map& parts, document& doc) {
    const auto meta_xml = load_xml(parts, "meta.xml", doc, false);
    if (!meta_xml)
        return;
    const auto meta = child(meta_xml->document_element(), "meta");
    add_title(doc, meta);
    add_meta_from(doc, meta,
                  {{"subject", "subject"},
                   {"author", "initial-creator"},
                   {"last_modified_by", "creator"},
                   {"created", "creation-date"},
                   {"modified", "date"}});
    std::string keywords;
    for (auto c : meta.children())
        if (local_name(c) == "keyword")
            keywords += (keywords.empty() ? "" : ", ") + all_text(c);
    add_meta(doc, "keywords", keywords);
    add_meta_from(doc, meta, {{"description", "description"}, {"application", "generator"}});
}

void read_odf(part_map& parts, const std::string& kind, document& doc, page_builder& out,
              page_builder& notes) {
    const auto content = load_xml(parts, "content.xml", doc, true);
    const auto root = content->document_element();
    odf_text::options opts;
    opts.page_per_table = kind == "ods";
    opts.page_per_slide = kind == "odp";
    if (kind == "odt") {
        // paragraph styles that break the page before or after
        for (auto style : child(root, "automatic-styles").children()) {
            const auto props = child(style, "paragraph-properties");
            const std::string name(attr(style, "name"));
            if (attr(props, "break-before") == "page")
                opts.break_before.push_back(name);
            if (attr(props, "break-after") == "page")
                opts.break_after.push_back(name);
        }
    }
    const auto body = child(child(root, "body"), kind == "odt"   ? "text"
                                                 : kind == "ods" ? "spreadsheet"
                                                                 : "presentation");
    if (!body)
        throw parse_error("OpenDocument file without a body in content.xml");
    odf_text(out, notes, std::move(opts), doc).read(body);
}

} // namespace porchlight::docs::detail::office
