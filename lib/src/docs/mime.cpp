// Placeholder: replaced by the parser's implementation.
#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

namespace porchlight::docs {
document parse_eml(std::string_view, const limits&) { throw parse_error("e-mail reading is not built yet"); }
document parse_mbox(std::string_view, const limits&) { throw parse_error("mbox reading is not built yet"); }
} // namespace porchlight::docs
