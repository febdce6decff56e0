#pragma once

// Classes of e-mails (crime-post alert, request for assistance, account notice, marketing,
// video request ...) from rules kept in a data file, data/message-classes.yaml. The file's
// header comment defines the format (schemas/message-classes.schema.json describes it):
// ordered classes, the first that matches wins; each matches on the subject (without
// RE:/FW: markers and [EXTERNAL]-style tags), the sender and the body, with `all` / `any`
// conditions of case-insensitive substrings, sender domains and "re:" RE2 patterns.

#include <porchlight/docs/document.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::docs {

/// Bad rule file: names the file and the rule, "<file>:<line>: rule <n> (<id>): <what>",
/// rules counted from 1 in file order.
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

    /// The id of the first rule that matches, "" when none does. The rules are compiled at
    /// load; a call only searches, so one classifier serves any number of threads.
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
