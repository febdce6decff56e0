// Placeholder: replaced by the parser's implementation.
#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

namespace porchlight::docs {
document parse_text(std::string_view b, const limits&) { document d; d.kind = "text"; d.pages.push_back({guess_to_utf8(b), false}); return d; }
} // namespace porchlight::docs
