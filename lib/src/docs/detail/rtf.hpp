#pragma once

// Bodies that an Outlook message keeps only as compressed RTF (PR_RTF_COMPRESSED): the
// MS-OXRTFCP decompressor and a small RTF-to-text reader that also de-encapsulates HTML
// wrapped in RTF (MS-OXRTFEX, \fromhtml1). Private to the .msg parser (msg.cpp,
// msg_storage.cpp); implemented in rtf.cpp.
//
// Everything here reads untrusted bytes: no recursion (groups live on an explicit, capped
// stack), every index is checked, and the output is capped.

#include <porchlight/docs/document.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace porchlight::docs::rtf {

/// The charset name iconv knows for a Windows code page (PR_MESSAGE_CODEPAGE, \ansicpg):
/// "windows-1252" for 1252, "utf-8" for 65001, "cp932" for 932 ...; windows-1252 for 0.
std::string codepage_charset(std::int64_t cp);

/// The CRC of MS-OXRTFCP: CRC-32 (polynomial 0xEDB88320), started at 0, not inverted.
std::uint32_t crc32(std::string_view data);

/// The RTF held by PR_RTF_COMPRESSED, "LZFu" (compressed) or "MELA" (stored). The sizes in
/// the header are untrusted: parse_error when the data is shorter than COMPSIZE says, the
/// CRC does not match, a token is cut off, or the output is not RAWSIZE bytes; limit_error
/// when the output would pass max_bytes. Never allocates more than the output it writes.
std::string decompress(std::string_view bytes, std::uint64_t max_bytes);

/// What an RTF body reads as.
struct text_result {
    std::string text;       ///< UTF-8
    bool from_html = false; ///< it encapsulated HTML (\fromhtml1): text is that HTML's text
};

/// The HTML encapsulated in RTF (\fromhtml1, MS-OXRTFEX) as UTF-8, "" when the RTF does not
/// encapsulate HTML. limit_error past max_bytes.
std::string encapsulated_html(std::string_view rtf_bytes, std::uint64_t max_bytes);

/// The visible text of RTF: groups, \par \line \tab, \'hh in the \ansicpg (or font)
/// code page, \uN with \ucN, ignored destinations (\fonttbl, \colortbl, \stylesheet,
/// \*\...). Encapsulated HTML goes through html_to_text. Malformed RTF gives what could be
/// read; limit_error when the text passes max_bytes.
text_result to_text(std::string_view rtf_bytes, std::uint64_t max_bytes);

} // namespace porchlight::docs::rtf
