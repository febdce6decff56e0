// Plain text files: the charset guessed (a BOM, else UTF-8 when valid, else windows-1252),
// line ends made LF (CR LF and a lone CR alike), NUL bytes dropped. One page.

#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

#include <string>

namespace porchlight::docs {

document parse_text(std::string_view bytes, const limits& lim) {
    if (bytes.size() > lim.max_document_bytes)
        throw limit_error("text file larger than the limit of " +
                          std::to_string(lim.max_document_bytes) + " bytes");
    const auto utf8 = guess_to_utf8(bytes);
    std::string text;
    text.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const char c = utf8[i];
        if (c == '\r') {
            text += '\n';
            if (i + 1 < utf8.size() && utf8[i + 1] == '\n')
                ++i;
        } else if (c != '\0') {
            text += c;
        }
    }
    if (text.size() > lim.max_text_bytes)
        throw limit_error("text larger than the limit of " + std::to_string(lim.max_text_bytes) +
                          " bytes");
    document doc;
    doc.kind = "text";
    doc.mime_type = "text/plain";
    doc.pages.push_back({std::move(text), false});
    return doc;
}

} // namespace porchlight::docs
