// Placeholder: replaced by the parser's implementation.
#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

namespace porchlight::docs {
std::vector<message> split_printed_emails(const std::vector<page>&) { return {}; }
} // namespace porchlight::docs
