// Placeholder: replaced by the parser's implementation.
#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

namespace porchlight::docs {
document parse_html(std::string_view b, const limits&) { document d; d.kind = "html"; d.pages.push_back({sanitize_utf8(b), false}); return d; }
std::string html_to_text(std::string_view html, std::string*) { return sanitize_utf8(html); }
} // namespace porchlight::docs
