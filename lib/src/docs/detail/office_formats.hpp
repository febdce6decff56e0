#pragma once

// The Office formats that parse_office (office.cpp) tells apart and hands the parts to:
// OOXML in office_ooxml.cpp, OpenDocument in office_odf.cpp.

#include "office_xml.hpp"

#include <porchlight/docs/document.hpp>

#include <optional>
#include <string>

namespace porchlight::docs::detail::office {

struct office_kind {
    std::string kind; ///< docx xlsx pptx odt ods odp
    std::string mime_type;
    std::string main_part; ///< OOXML only
};

// ---------------------------------------------------------------------------------------
// OOXML: docx, xlsx, pptx and their macro-enabled twins

/// The main part named by [Content_Types].xml, else the usual places; nullopt when none.
std::optional<office_kind> ooxml_kind(part_map& parts, document& doc);

/// docProps/core.xml and docProps/app.xml.
void ooxml_metadata(part_map& parts, document& doc);

/// The body to `out`, split at explicit page breaks; headers, footers, notes and comments
/// to `extra`.
void read_docx(part_map& parts, const std::string& main, document& doc, page_builder& out,
               page_builder& extra, const limits& lim);

/// One page per worksheet, in workbook order.
void read_xlsx(part_map& parts, const std::string& main, document& doc, page_builder& out);

/// One page per slide, in presentation order, speaker notes after the slide's text.
void read_pptx(part_map& parts, const std::string& main, document& doc, page_builder& out);

// ---------------------------------------------------------------------------------------
// OpenDocument: odt, ods, odp

/// The "mimetype" entry, else the body of content.xml; nullopt when neither names an
/// OpenDocument, parse_error for an OpenDocument kind that is not read (a drawing ...).
std::optional<office_kind> odf_kind(const part_map& parts);

/// meta.xml.
void odf_metadata(part_map& parts, document& doc);

/// content.xml: the body to `out`, footnotes and comments to `notes`.
void read_odf(part_map& parts, const std::string& kind, document& doc, page_builder& out,
              page_builder& notes);

} // namespace porchlight::docs::detail::office
