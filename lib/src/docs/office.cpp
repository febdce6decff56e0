// Office documents: OOXML (docx, xlsx, pptx, and their macro-enabled twins, read alike;
// macros are never run) and OpenDocument (odt, ods, odp). The zip goes through zip_reader
// (detail/zip_reader.hpp, with its limits); its XML parts through pugixml, which expands no
// DTD entities. Every walk over an XML tree is a loop, not a recursion: nesting depth is
// whatever the file says.
//
// Pages:
//   docx: the file has no pages (Word lays them out when it opens it); the text is split at
//         explicit breaks only: <w:br w:type="page"/>, <w:pageBreakBefore/> and section
//         breaks other than continuous ones. <w:lastRenderedPageBreak/> (where Word last
//         happened to break) is ignored. Headers, footers, footnotes, endnotes and comments
//         follow the body on the last page.
//   xlsx, ods: one page per worksheet in workbook order; a row is a line, its cells are
//         separated by tabs and keep their columns; values as written in the file (a date is
//         its serial number). Sheet names: metadata "sheet", in page order.
//   pptx, odp: one page per slide in presentation order (pptx: ppt/presentation.xml, else
//         the slideN.xml numbers), speaker notes after the slide's text.
//   odt:  split at paragraphs whose automatic style breaks the page before or after them;
//         footnotes, endnotes and comments follow the body on the last page.
// Metadata keys, each only when present: title, subject, author, last_modified_by,
// created, modified (as written), keywords, description, application, company, sheet
// (one per sheet), macros ("yes" when the file carries a VBA project).

#include "docs/detail/zip_reader.hpp"

#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace porchlight::docs {
namespace {

// ---------------------------------------------------------------------------------------
// the parts of the zip

using part_map = std::map<std::string, std::string>;

bool wanted_part(std::string_view name) {
    return name.ends_with(".xml") || name.ends_with(".rels") || name == "mimetype";
}

struct office_zip {
    part_map parts;
    std::vector<std::string> names; ///< every entry, read or not
};

office_zip read_zip(std::string_view bytes, const limits& lim, document& doc) {
    office_zip zip;
    detail::zip_reader reader(bytes, lim);
    while (auto entry = reader.next()) {
        if (entry->type != detail::zip_entry::entry_type::file)
            continue;
        auto name = detail::safe_entry_path(entry->name);
        zip.names.push_back(name);
        if (!wanted_part(name))
            continue; // images, embedded objects, VBA: not decompressed at all
        if (entry->encrypted) {
            doc.warnings.push_back("part \"" + name + "\" is encrypted; skipped");
            continue;
        }
        auto data = reader.read();
        if (!data.ok()) {
            doc.warnings.push_back("part \"" + name + "\" cannot be read (" + data.error +
                                   "); skipped");
            continue;
        }
        zip.parts.emplace(std::move(name), std::move(data.bytes));
    }
    doc.warnings.insert(doc.warnings.end(), reader.warnings().begin(), reader.warnings().end());
    return zip;
}

// An XML part, parsed in place: the document points into the bytes it owns.
struct xml_part {
    std::string bytes;
    pugi::xml_document xml;

    pugi::xml_node document_element() const { return xml.document_element(); }
};

// Takes a part out of the map and parses it (a part is read once); nullptr when it is
// missing or, when not `required`, is not well-formed (a warning then).
std::unique_ptr<xml_part> load_xml(part_map& parts, const std::string& name, document& doc,
                                   bool required) {
    const auto it = parts.find(name);
    if (it == parts.end()) {
        if (required)
            throw parse_error("Office document without its main part \"" + name + "\"");
        return nullptr;
    }
    auto part = std::make_unique<xml_part>();
    part->bytes = std::move(it->second);
    parts.erase(it);
    const auto result = part->xml.load_buffer_inplace(part->bytes.data(), part->bytes.size(),
                                                      pugi::parse_default | pugi::parse_ws_pcdata);
    if (!result) {
        const auto why = "\"" + name + "\" is not well-formed XML (" + result.description() +
                         " at byte " + std::to_string(result.offset) + ")";
        if (required)
            throw parse_error("Office document whose " + why);
        doc.warnings.push_back("part " + why + "; skipped");
        return nullptr;
    }
    return part;
}

std::string_view local_name(pugi::xml_node node) {
    const std::string_view name = node.name();
    const auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string_view local_name(pugi::xml_attribute attr) {
    const std::string_view name = attr.name();
    const auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// An attribute by local name, whatever its prefix.
std::string_view attr(pugi::xml_node node, std::string_view name) {
    for (auto a : node.attributes())
        if (local_name(a) == name)
            return a.value();
    return {};
}

// A relationship id: r:id, not the plain id next to it (<p:sldId id="256" r:id="rId2"/>).
std::string rel_id(pugi::xml_node node) {
    for (auto a : node.attributes()) {
        const std::string_view name = a.name();
        if (name.find(':') != std::string_view::npos && local_name(a) == "id")
            return a.value();
    }
    return {};
}

// The first child element with this local name.
pugi::xml_node child(pugi::xml_node node, std::string_view name) {
    for (auto c : node.children())
        if (c.type() == pugi::node_element && local_name(c) == name)
            return c;
    return {};
}

// All text below a node, in document order.
std::string all_text(pugi::xml_node node) {
    std::string out;
    for (auto n = node.first_child(); n;) {
        if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata)
            out += n.value();
        if (n.first_child()) {
            n = n.first_child();
            continue;
        }
        while (n && n != node && !n.next_sibling())
            n = n.parent();
        if (!n || n == node)
            break;
        n = n.next_sibling();
    }
    return out;
}

// Whitespace runs as one space, trimmed: for metadata values and sheet names.
std::string collapse(std::string_view s) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    return sanitize_utf8(out);
}

// Calls enter(node) for each node below root in document order, and leave(node) after the
// children of each node that enter() returned true for; enter() returning false skips the
// node's children. A loop: no recursion, however deep the XML.
template <class Enter, class Leave> void walk(pugi::xml_node root, Enter&& enter, Leave&& leave) {
    auto node = root.first_child();
    while (node) {
        const bool entered = enter(node);
        if (entered && node.first_child()) {
            node = node.first_child();
            continue;
        }
        if (entered)
            leave(node);
        for (;;) {
            if (node.next_sibling()) {
                node = node.next_sibling();
                break;
            }
            node = node.parent();
            if (!node || node == root)
                return;
            leave(node);
        }
    }
}

// Relationship targets of a part: Id → part name.
std::map<std::string, std::string> relationships(part_map& parts, const std::string& part,
                                                 document& doc) {
    std::map<std::string, std::string> out;
    const auto slash = part.rfind('/');
    const auto dir = slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
    const auto rels_name =
        dir + "_rels/" + part.substr(slash == std::string::npos ? 0 : slash + 1) + ".rels";
    const auto xml = load_xml(parts, rels_name, doc, false);
    if (!xml)
        return out;
    for (auto rel : xml->document_element().children()) {
        if (local_name(rel) != "Relationship" || attr(rel, "TargetMode") == "External")
            continue;
        const std::string_view target = attr(rel, "Target");
        std::string path =
            target.starts_with('/') ? std::string(target.substr(1)) : dir + std::string(target);
        // resolve "..": a/b/../c → a/c
        std::vector<std::string> parts_of;
        std::size_t pos = 0;
        while (pos <= path.size()) {
            auto end = path.find('/', pos);
            if (end == std::string::npos)
                end = path.size();
            const auto p = path.substr(pos, end - pos);
            pos = end + 1;
            if (p == "..") {
                if (!parts_of.empty())
                    parts_of.pop_back();
            } else if (!p.empty() && p != ".") {
                parts_of.push_back(p);
            }
        }
        std::string resolved;
        for (const auto& p : parts_of)
            resolved += (resolved.empty() ? "" : "/") + p;
        out.emplace(attr(rel, "Id"), std::move(resolved));
    }
    return out;
}

// Part names "<prefix><N>.xml" in the order of N.
std::vector<std::string> numbered_parts(const part_map& parts, std::string_view prefix) {
    std::vector<std::pair<std::uint64_t, std::string>> found;
    for (const auto& [name, bytes] : parts) {
        if (!name.starts_with(prefix) || !name.ends_with(".xml"))
            continue;
        const auto digits =
            std::string_view(name).substr(prefix.size(), name.size() - prefix.size() - 4);
        std::uint64_t n = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (ec == std::errc() && end == digits.data() + digits.size() && !digits.empty())
            found.emplace_back(n, name);
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> out;
    for (auto& f : found)
        out.push_back(std::move(f.second));
    return out;
}

// ---------------------------------------------------------------------------------------
// text

// Builds the pages. Spaces and tabs are held back until the next text, so that none trail
// a line (an empty last cell leaves nothing behind).
class page_builder {
  public:
    page_builder(const limits& lim, std::uint64_t& text_bytes)
        : m_lim(lim), m_text_bytes(text_bytes) {}

    void text(std::string_view s) {
        if (s.empty())
            return;
        if (m_tabs > 0) {
            append(std::string(static_cast<std::size_t>(m_tabs), '\t'));
        } else if (m_space && !m_page.empty() && m_page.back() != '\n' && m_page.back() != ' ' &&
                   m_page.back() != '\t') {
            append(" ");
        }
        m_tabs = 0;
        m_space = false;
        append(s);
    }
    void soft_space() { m_space = true; }
    void clear_pending() {
        m_tabs = 0;
        m_space = false;
    }
    void tab(int n = 1) {
        m_tabs = std::min(m_tabs + n, 1 << 20);
        m_space = false;
    }
    void newline() {
        m_tabs = 0;
        m_space = false;
        append("\n");
    }
    void page_break() {
        m_tabs = 0;
        m_space = false;
        m_pages.push_back(std::move(m_page));
        m_page.clear();
        if (m_pages.size() >= m_lim.max_pages)
            throw limit_error("more than " + std::to_string(m_lim.max_pages) + " pages");
    }
    bool page_empty() const noexcept {
        return m_page.find_first_not_of(" \t\n") == std::string::npos;
    }
    std::size_t size() const noexcept { return m_page.size(); }
    std::string since(std::size_t pos) const { return m_page.substr(std::min(pos, m_page.size())); }

    // Pages tidied: no trailing blanks on a line, no runs of blank lines, none at the ends.
    std::vector<std::string> finish() {
        m_pages.push_back(std::move(m_page));
        m_page.clear();
        std::vector<std::string> out;
        for (const auto& p : m_pages)
            out.push_back(tidy(p));
        m_pages.clear();
        return out;
    }

    static std::string tidy(std::string_view text) {
        std::string out;
        int blank = 0;
        std::size_t pos = 0;
        while (pos <= text.size()) {
            auto eol = text.find('\n', pos);
            if (eol == std::string_view::npos)
                eol = text.size();
            auto line = text.substr(pos, eol - pos);
            pos = eol + 1;
            while (!line.empty() &&
                   (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
                line.remove_suffix(1);
            if (line.find_first_not_of(" \t") == std::string_view::npos) {
                ++blank;
                continue;
            }
            if (!out.empty())
                out += blank > 0 ? "\n\n" : "\n";
            out += line;
            blank = 0;
        }
        return sanitize_utf8(out);
    }

  private:
    void append(std::string_view s) {
        m_text_bytes += s.size();
        if (m_text_bytes > m_lim.max_text_bytes)
            throw limit_error("text larger than the limit of " +
                              std::to_string(m_lim.max_text_bytes) + " bytes");
        m_page.append(s);
    }

    const limits& m_lim;
    std::uint64_t& m_text_bytes;
    std::vector<std::string> m_pages;
    std::string m_page;
    int m_tabs = 0;
    bool m_space = false;
};

// Text for one line of a table: tabs and line breaks inside a cell become spaces.
std::string cell_text(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c == '\t' || c == '\n' || c == '\r')
            c = ' ';
    return out;
}

// ---------------------------------------------------------------------------------------
// DrawingML and WordprocessingML: both write <p>, <r>, <t>, <br>, <tbl>/<tr>/<tc>

class ooxml_text {
  public:
    // `pages`: explicit page breaks start a new page; otherwise they are line breaks.
    ooxml_text(page_builder& out, bool pages) : m_out(out), m_pages(pages) {}

    void read(pugi::xml_node root) {
        walk(
            root, [this](pugi::xml_node n) { return enter(n); },
            [this](pugi::xml_node n) { leave(n); });
    }

  private:
    bool enter(pugi::xml_node n) {
        if (n.type() != pugi::node_element)
            return false;
        const auto name = local_name(n);
        if (name == "t") {
            m_out.text(m_cells > 0 ? cell_text(all_text(n)) : all_text(n));
            return false;
        }
        if (name == "Fallback" || name == "delText" || name == "instrText" || name == "moveFrom" ||
            name == "rPr" || name == "tabs" || name == "tabLst") {
            return false; // the same text twice (mc:Fallback), deleted text, field codes
        }
        if (name == "fld" && attr(n, "type") == "slidenum")
            return false;
        if (name == "tab") {
            if (m_cells > 0)
                m_out.soft_space();
            else
                m_out.text("\t");
            return false;
        }
        if (name == "br" || name == "cr") {
            if (m_pages && name == "br" && attr(n, "type") == "page")
                m_out.page_break();
            else
                line_break();
            return false;
        }
        if (name == "noBreakHyphen") {
            m_out.text("-");
            return false;
        }
        if (name == "pageBreakBefore") {
            const auto v = attr(n, "val");
            if (m_pages && v != "0" && v != "false" && v != "off" && !m_out.page_empty())
                m_out.page_break();
            return false;
        }
        if (name == "sectPr") {
            // a section break inside a paragraph's properties ends a page unless continuous
            const auto type = attr(child(n, "type"), "val");
            if (local_name(n.parent()) == "pPr" && type != "continuous" && type != "nextColumn")
                m_section_break = true;
            return false;
        }
        if (name == "tbl") {
            m_tables.emplace_back(m_cells, m_row_cells);
            m_cells = 0;
        } else if (name == "tr") {
            m_row_cells = 0;
        } else if (name == "tc") {
            if (m_row_cells++ > 0)
                m_out.tab();
            ++m_cells;
        }
        return true;
    }

    void leave(pugi::xml_node n) {
        const auto name = local_name(n);
        if (name == "p") {
            line_break();
            if (m_section_break && m_pages) {
                m_section_break = false;
                m_out.page_break();
            }
        } else if (name == "tc") {
            --m_cells;
        } else if (name == "tr") {
            if (m_cells > 0)
                m_out.soft_space(); // a row of a table inside a cell
            else
                m_out.newline();
        } else if (name == "tbl") {
            if (!m_tables.empty()) {
                std::tie(m_cells, m_row_cells) = m_tables.back();
                m_tables.pop_back();
            }
            if (m_cells == 0)
                m_out.newline();
        }
    }

    void line_break() {
        if (m_cells > 0)
            m_out.soft_space();
        else
            m_out.newline();
    }

    page_builder& m_out;
    bool m_pages;
    bool m_section_break = false;
    int m_cells = 0;     // open cells of the innermost table (0: not in a cell)
    int m_row_cells = 0; // cells so far in the current row
    std::vector<std::pair<int, int>> m_tables; // the two above, of the enclosing tables
};

// ---------------------------------------------------------------------------------------
// metadata

void add_meta(document& doc, std::string key, std::string_view value) {
    auto v = collapse(value);
    if (v.empty())
        return;
    for (const auto& [k, have] : doc.metadata)
        if (k == key)
            return;
    doc.metadata.emplace_back(std::move(key), std::move(v));
}

void ooxml_metadata(part_map& parts, document& doc) {
    if (const auto core = load_xml(parts, "docProps/core.xml", doc, false)) {
        const auto root = core->document_element();
        const auto value = [&](std::string_view name) -> std::string {
            const auto c = child(root, name);
            return c ? all_text(c) : std::string();
        };
        doc.title = collapse(value("title"));
        add_meta(doc, "title", doc.title);
        add_meta(doc, "subject", value("subject"));
        add_meta(doc, "author", value("creator"));
        add_meta(doc, "last_modified_by", value("lastModifiedBy"));
        add_meta(doc, "created", value("created"));
        add_meta(doc, "modified", value("modified"));
        add_meta(doc, "keywords", value("keywords"));
        add_meta(doc, "description", value("description"));
    }
    if (const auto app = load_xml(parts, "docProps/app.xml", doc, false)) {
        const auto root = app->document_element();
        add_meta(doc, "application", all_text(child(root, "Application")));
        add_meta(doc, "company", all_text(child(root, "Company")));
    }
}

void odf_metadata(part_map& parts, document& doc) {
    const auto meta_xml = load_xml(parts, "meta.xml", doc, false);
    if (!meta_xml)
        return;
    const auto meta = child(meta_xml->document_element(), "meta");
    const auto value = [&](std::string_view name) -> std::string {
        const auto c = child(meta, name);
        return c ? all_text(c) : std::string();
    };
    doc.title = collapse(value("title"));
    add_meta(doc, "title", doc.title);
    add_meta(doc, "subject", value("subject"));
    add_meta(doc, "author", value("initial-creator"));
    add_meta(doc, "last_modified_by", value("creator"));
    add_meta(doc, "created", value("creation-date"));
    add_meta(doc, "modified", value("date"));
    std::string keywords;
    for (auto c : meta.children())
        if (local_name(c) == "keyword")
            keywords += (keywords.empty() ? "" : ", ") + all_text(c);
    add_meta(doc, "keywords", keywords);
    add_meta(doc, "description", value("description"));
    add_meta(doc, "application", value("generator"));
}

// ---------------------------------------------------------------------------------------
// docx

void read_docx(part_map& parts, const std::string& main, document& doc, page_builder& out,
               page_builder& extra, const limits& lim) {
    const auto body = load_xml(parts, main, doc, true);
    ooxml_text(out, true).read(body->document_element());

    // headers, footers, notes and comments: after the body
    std::vector<std::string> names;
    for (const char* prefix : {"word/header", "word/footer"})
        for (auto& n : numbered_parts(parts, prefix))
            names.push_back(std::move(n));
    for (const char* n : {"word/footnotes.xml", "word/endnotes.xml", "word/comments.xml"})
        if (parts.count(n))
            names.emplace_back(n);
    std::vector<std::string> seen;
    for (const auto& name : names) {
        const auto xml = load_xml(parts, name, doc, false);
        if (!xml)
            continue;
        std::uint64_t part_bytes = 0;
        page_builder part(lim, part_bytes);
        ooxml_text(part, false).read(xml->document_element());
        auto text = part.finish().front();
        if (text.empty() || std::find(seen.begin(), seen.end(), text) != seen.end())
            continue; // the same header on every section
        extra.text(text);
        extra.newline();
        extra.newline();
        seen.push_back(std::move(text));
    }
}

// ---------------------------------------------------------------------------------------
// xlsx

// 0-based column of a cell reference ("C7" → 2); nullopt when there is none.
std::optional<std::uint32_t> column_of(std::string_view ref) {
    std::uint32_t col = 0;
    std::size_t i = 0;
    for (; i < ref.size() && i < 3; ++i) {
        char c = ref[i];
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
        if (c < 'A' || c > 'Z')
            break;
        col = col * 26 + static_cast<std::uint32_t>(c - 'A' + 1);
    }
    if (i == 0 || col == 0 || col > 16384)
        return std::nullopt;
    return col - 1;
}

// Text of a rich string (<si> or <is>): its <t>s, without phonetic runs.
std::string rich_text(pugi::xml_node node) {
    std::string out;
    for (auto c : node.children()) {
        const auto name = local_name(c);
        if (name == "t")
            out += all_text(c);
        else if (name == "r")
            out += all_text(child(c, "t"));
    }
    return out;
}

void read_sheet(pugi::xml_node worksheet, const std::vector<std::string>& shared,
                page_builder& out) {
    const auto data = child(worksheet, "sheetData");
    for (auto row : data.children()) {
        if (local_name(row) != "row")
            continue;
        std::uint32_t expected = 0;           // column of a cell without a reference
        std::optional<std::uint32_t> written; // column of the last cell written
        for (auto c : row.children()) {
            if (local_name(c) != "c")
                continue;
            const auto col = column_of(attr(c, "r")).value_or(expected);
            expected = col + 1;
            if (written && col <= *written)
                continue; // out of order or repeated: keep the line's columns
            const std::string_view type = attr(c, "t");
            std::string value;
            if (type == "inlineStr") {
                value = rich_text(child(c, "is"));
            } else {
                const std::string v = all_text(child(c, "v"));
                if (type == "s") {
                    std::uint64_t index = 0;
                    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), index);
                    if (ec == std::errc() && index < shared.size())
                        value = shared[index];
                } else if (type == "b") {
                    value = v == "1" ? "TRUE" : v == "0" ? "FALSE" : v;
                } else {
                    value = v;
                }
            }
            value = cell_text(value);
            if (value.find_first_not_of(' ') == std::string::npos)
                continue;
            out.tab(static_cast<int>(written ? col - *written : col));
            out.text(value);
            written = col;
        }
        if (written)
            out.newline();
    }
}

void read_xlsx(part_map& parts, const std::string& main, document& doc, page_builder& out) {
    std::vector<std::string> shared;
    const auto rels = relationships(parts, main, doc);
    std::string shared_name = "xl/sharedStrings.xml";
    for (const auto& [id, target] : rels)
        if (target.ends_with("sharedStrings.xml"))
            shared_name = target;
    if (const auto sst = load_xml(parts, shared_name, doc, false))
        for (auto si : sst->document_element().children())
            if (local_name(si) == "si")
                shared.push_back(rich_text(si));

    std::vector<std::pair<std::string, std::string>> sheets; // name, part
    if (const auto workbook = load_xml(parts, main, doc, true)) {
        for (auto s : child(workbook->document_element(), "sheets").children()) {
            if (local_name(s) != "sheet")
                continue;
            const auto target = rels.find(rel_id(s));
            if (target == rels.end() || !parts.count(target->second))
                continue; // a chart sheet, or a sheet whose part is missing
            auto name = collapse(attr(s, "name"));
            const auto state = attr(s, "state");
            if (state == "hidden" || state == "veryHidden")
                name += " (hidden)";
            sheets.emplace_back(std::move(name), target->second);
        }
    }
    if (sheets.empty())
        for (auto& part : numbered_parts(parts, "xl/worksheets/sheet"))
            sheets.emplace_back("Sheet" + std::to_string(sheets.size() + 1), std::move(part));

    bool first = true;
    for (const auto& [name, part] : sheets) {
        if (!first)
            out.page_break();
        first = false;
        doc.metadata.emplace_back("sheet", name);
        if (const auto xml = load_xml(parts, part, doc, false))
            read_sheet(xml->document_element(), shared, out);
    }
}

// ---------------------------------------------------------------------------------------
// pptx

void read_pptx(part_map& parts, const std::string& main, document& doc, page_builder& out) {
    std::vector<std::string> slides;
    if (const auto presentation = load_xml(parts, main, doc, false)) {
        const auto rels = relationships(parts, main, doc);
        for (auto id : child(presentation->document_element(), "sldIdLst").children()) {
            const auto target = rels.find(rel_id(id));
            if (target != rels.end() && parts.count(target->second))
                slides.push_back(target->second);
        }
    }
    if (slides.empty())
        slides = numbered_parts(parts, "ppt/slides/slide"); // none: one empty page
    bool first = true;
    for (const auto& slide : slides) {
        if (!first)
            out.page_break();
        first = false;
        const auto xml = load_xml(parts, slide, doc, false);
        if (!xml)
            continue;
        ooxml_text(out, false).read(xml->document_element());
        for (const auto& [id, target] : relationships(parts, slide, doc)) {
            if (target.find("notesSlide") == std::string::npos)
                continue;
            if (const auto notes = load_xml(parts, target, doc, false)) {
                out.newline();
                out.newline();
                ooxml_text(out, false).read(notes->document_element());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// OpenDocument

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

// ---------------------------------------------------------------------------------------
// which kind

struct office_kind {
    std::string kind;
    std::string mime_type;
    std::string main_part; // OOXML only
};

// OpenDocument: the "mimetype" entry, else the body of content.xml.
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

std::optional<office_kind> ooxml_kind(part_map& parts, document& doc) {
    const auto types = load_xml(parts, "[Content_Types].xml", doc, false);
    if (types) {
        for (auto o : types->document_element().children()) {
            if (local_name(o) != "Override")
                continue;
            const std::string type(attr(o, "ContentType"));
            std::string part(attr(o, "PartName"));
            if (part.starts_with('/'))
                part.erase(0, 1);
            if (!type.ends_with(".main+xml"))
                continue;
            const bool macros = type.find("macroEnabled") != std::string::npos;
            if (type.find("wordprocessingml") != std::string::npos ||
                type.find("ms-word") != std::string::npos)
                return office_kind{"docx",
                                   macros ? "application/vnd.ms-word.document.macroEnabled.12"
                                          : "application/vnd.openxmlformats-officedocument."
                                            "wordprocessingml.document",
                                   part};
            if (type.find("spreadsheetml") != std::string::npos ||
                type.find("ms-excel") != std::string::npos)
                return office_kind{"xlsx",
                                   macros ? "application/vnd.ms-excel.sheet.macroEnabled.12"
                                          : "application/vnd.openxmlformats-officedocument."
                                            "spreadsheetml.sheet",
                                   part};
            if (type.find("presentationml") != std::string::npos ||
                type.find("ms-powerpoint") != std::string::npos)
                return office_kind{"pptx",
                                   macros ? "application/vnd.ms-powerpoint.presentation."
                                            "macroEnabled.12"
                                          : "application/vnd.openxmlformats-officedocument."
                                            "presentationml.presentation",
                                   part};
        }
    }
    // no usable [Content_Types].xml: the usual places
    if (parts.count("word/document.xml"))
        return office_kind{"docx",
                           "application/vnd.openxmlformats-officedocument.wordprocessingml."
                           "document",
                           "word/document.xml"};
    if (parts.count("xl/workbook.xml"))
        return office_kind{"xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           "xl/workbook.xml"};
    if (parts.count("ppt/presentation.xml"))
        return office_kind{"pptx",
                           "application/vnd.openxmlformats-officedocument.presentationml."
                           "presentation",
                           "ppt/presentation.xml"};
    return std::nullopt;
}

} // namespace

document parse_office(std::string_view bytes, const limits& lim) {
    document doc;
    auto zip = read_zip(bytes, lim, doc);
    auto& parts = zip.parts;

    auto kind = odf_kind(parts);
    if (!kind)
        kind = ooxml_kind(parts, doc);
    if (!kind)
        throw parse_error("zip archive without an Office document in it (no "
                          "[Content_Types].xml main part, no OpenDocument mimetype)");
    doc.kind = kind->kind;
    doc.mime_type = kind->mime_type;

    std::uint64_t text_bytes = 0;
    page_builder out(lim, text_bytes);
    page_builder extra(lim, text_bytes);
    if (doc.kind == "odt" || doc.kind == "ods" || doc.kind == "odp") {
        if (const auto it = parts.find("META-INF/manifest.xml");
            it != parts.end() && it->second.find("encryption-data") != std::string::npos)
            throw parse_error("password-protected OpenDocument file");
        odf_metadata(parts, doc);
        read_odf(parts, doc.kind, doc, out, extra);
    } else {
        ooxml_metadata(parts, doc);
        if (doc.kind == "docx")
            read_docx(parts, kind->main_part, doc, out, extra, lim);
        else if (doc.kind == "xlsx")
            read_xlsx(parts, kind->main_part, doc, out);
        else
            read_pptx(parts, kind->main_part, doc, out);
        for (const auto& name : zip.names)
            if (name.ends_with("vbaProject.bin")) {
                doc.metadata.emplace_back("macros", "yes");
                break;
            }
    }

    auto pages = out.finish();
    for (auto& notes : extra.finish()) {
        if (notes.empty())
            continue;
        auto& last = pages.back();
        last = last.empty() ? std::move(notes) : last + "\n\n" + notes;
    }
    for (auto& p : pages)
        doc.pages.push_back({std::move(p), false});
    return doc;
}

} // namespace porchlight::docs
