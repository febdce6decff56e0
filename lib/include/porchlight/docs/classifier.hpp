#pragma once

// Classes of e-mails (crime-post alert, request for assistance, account notice, marketing,
// video request ...) from rules kept in a data file, data/message-classes.yaml.

#include <porchlight/docs/document.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::docs {

/// Bad rule file: names the file and the rule.
class rules_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class MessageClassifier {
public:
    /// Reads the rules; rules_error on a bad file (unknown key, bad regular expression ...).
    static MessageClassifier load(const std::filesystem::path& file);
    MessageClassifier(MessageClassifier&&) noexcept;
    MessageClassifier& operator=(MessageClassifier&&) noexcept;
    ~MessageClassifier();

    /// The id of the first rule that matches, "" when none does.
    std::string classify(const email_header& header, std::string_view body) const;
    /// sha256 of the rule file's bytes, recorded with every classification.
    const std::string& version() const;
    /// The class ids, in rule order.
    std::vector<std::string> classes() const;

private:
    struct impl;
    explicit MessageClassifier(std::unique_ptr<impl> p);
    std::unique_ptr<impl> m_impl;
};

} // namespace porchlight::docs
