#pragma once

// Text helpers shared by the document parsers.

#include <string>
#include <string_view>

namespace porchlight::docs {

/// The visible text of an HTML document or fragment, UTF-8: scripts, styles and comments
/// dropped, block elements and <br> as line breaks, entities decoded, runs of blank lines
/// folded. Never throws on malformed HTML. `title` (when not null) receives <title>.
std::string html_to_text(std::string_view html, std::string* title = nullptr);

/// Bytes in `charset` (any name iconv knows: "windows-1252", "utf-16le", "iso-8859-1" ...)
/// as UTF-8. Bytes that do not decode become U+FFFD; an unknown charset is read as
/// windows-1252. Never throws on bad input.
std::string to_utf8(std::string_view bytes, std::string_view charset);

/// Valid UTF-8 as it is; otherwise each invalid byte becomes U+FFFD.
std::string sanitize_utf8(std::string_view bytes);

/// Text of unknown encoding as UTF-8: a BOM decides (UTF-8, UTF-16LE/BE); valid UTF-8 is
/// kept; anything else is read as windows-1252.
std::string guess_to_utf8(std::string_view bytes);

} // namespace porchlight::docs
