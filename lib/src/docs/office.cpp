// Office documents: OOXML (docx, xlsx, pptx, and their macro-enabled twins, read alike;
// macros are never run) and OpenDocument (odt, ods, odp). The zip goes through zip_reader
// (detail/zip_reader.hpp, with its limits); its XML parts through pugixml, which expands no
// DTD entities. Every walk over an XML tree is a loop, not a recursion: nesting depth is
// whatever the file says. This file tells the kinds apart and puts the pages together; the
// readers are office_ooxml.cpp and office_odf.cpp, their shared helpers office_xml.cpp.
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

#include "detail/office_formats.hpp"
#include "detail/office_xml.hpp"
#include "detail/zip_reader.hpp"

#include <porchlight/docs/document.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace porchlight::docs {

using namespace detail::office;

namespace {

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
