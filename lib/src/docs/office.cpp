// Placeholder: replaced by the parser's implementation.
#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

namespace porchlight::docs {
document parse_office(std::string_view, const limits&) { throw parse_error("Office reading is not built yet"); }
} // namespace porchlight::docs
