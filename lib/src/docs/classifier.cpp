// Placeholder: replaced by the implementation.
#include <porchlight/docs/classifier.hpp>

namespace porchlight::docs {
struct MessageClassifier::impl {
    std::string version;
};
MessageClassifier::MessageClassifier(std::unique_ptr<impl> p) : m_impl(std::move(p)) {}
MessageClassifier::MessageClassifier(MessageClassifier&&) noexcept = default;
MessageClassifier& MessageClassifier::operator=(MessageClassifier&&) noexcept = default;
MessageClassifier::~MessageClassifier() = default;
MessageClassifier MessageClassifier::load(const std::filesystem::path&) {
    return MessageClassifier(std::make_unique<impl>());
}
std::string MessageClassifier::classify(const email_header&, std::string_view) const { return {}; }
const std::string& MessageClassifier::version() const { return m_impl->version; }
std::vector<std::string> MessageClassifier::classes() const { return {}; }
} // namespace porchlight::docs
