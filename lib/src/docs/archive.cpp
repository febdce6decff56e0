// Placeholder: replaced by the parser's implementation.
#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

namespace porchlight::docs {
document parse_zip(std::string_view, const limits&) { throw parse_error("zip reading is not built yet"); }
} // namespace porchlight::docs
