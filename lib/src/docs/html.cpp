// HTML to text with libxml2's HTML parser, driven through SAX callbacks (html_walker.cpp,
// the text it builds in html_text.cpp): no tree is built, so nothing recurses over the
// document and libxml2's tree depth limit does not cut the text short.
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

#include "detail/html_walker.hpp"
#include "detail/scan.hpp"

#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

#include <algorithm>
#include <string>
#include <string_view>

namespace porchlight::docs {

using detail::html::html_result;

namespace {

// ---------------------------------------------------------------------------------------
// charset

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// The charset named by a <meta> in the first 4 KiB, lower case; "" when none.
std::string meta_charset(std::string_view bytes) {
    const std::string head = detail::lowered(bytes.substr(0, 4096));
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

html_result read_html(std::string_view bytes) {
    return detail::html::walk_html(decode_html_bytes(bytes));
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
        doc.warnings.push_back("elements nested deeper than " +
                               std::to_string(detail::html::max_depth) +
                               ": the text after that point is read without its enclosing "
                               "elements");
    return doc;
}

} // namespace porchlight::docs
