// OOXML (detail/office_formats.hpp): docx, xlsx and pptx, and their macro-enabled twins,
// read alike (macros are never run). DrawingML and WordprocessingML both write <p>, <r>,
// <t>, <br>, <tbl>/<tr>/<tc>: one reader (ooxml_text) takes the text of both.

#include "detail/office_formats.hpp"
#include "detail/office_xml.hpp"

#include <porchlight/docs/document.hpp>

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace porchlight::docs::detail::office {
namespace {

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

} // namespace

// ---------------------------------------------------------------------------------------
// which kind, metadata

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

void ooxml_metadata(part_map& parts, document& doc) {
    if (const auto core = load_xml(parts, "docProps/core.xml", doc, false)) {
        const auto root = core->document_element();
        add_title(doc, root);
        add_meta_from(doc, root,
                      {{"subject", "subject"},
                       {"author", "creator"},
                       {"last_modified_by", "lastModifiedBy"},
                       {"created", "created"},
                       {"modified", "modified"},
                       {"keywords", "keywords"},
                       {"description", "description"}});
    }
    if (const auto app = load_xml(parts, "docProps/app.xml", doc, false))
        add_meta_from(doc, app->document_element(),
                      {{"application", "Application"}, {"company", "Company"}});
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

} // namespace porchlight::docs::detail::office
