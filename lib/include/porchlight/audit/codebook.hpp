#pragma once

// A codebook: the rules a privacy audit looks for in FOIA text (confidentiality
// instructions, vendor approval of police statements, incentives, video-request process
// ...). A YAML file (schemas/codebook.schema.json; the default is
// data/codebooks/default.yaml; docs/codebook.md explains how to write one). Each rule
// matches by phrases, by terms near each other, and by RE2 regular expressions, may be
// restricted to an e-mail class or a sender domain, and carries examples that must and
// must not match (`porchlight codebook test`).

#include <porchlight/error.hpp>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace porchlight::audit {

/// A bad codebook: "<file>:<line>: rule <id>: <what>" (line from 1, when known).
class codebook_error : public error {
public:
    using error::error;
};

/// A phrase as the matcher sees it: lower-case words; a word ending in '*' is a prefix.
using phrase = std::vector<std::string>;

/// Every term within `within` words of the first one (in either direction).
struct near_condition {
    std::vector<phrase> terms; ///< two or more
    int within = 10;
};

struct rule {
    std::string id;
    std::string label;
    std::string description;
    std::string severity; ///< low, medium or high
    std::vector<phrase> phrases;
    std::vector<near_condition> near;
    std::vector<std::string> patterns; ///< RE2 sources, as written
    std::vector<std::shared_ptr<const re2::RE2>> regexes; ///< compiled: case-insensitive
    /// A match is dropped when one of these phrases is within unless_within words of it.
    std::vector<phrase> unless;
    int unless_within = 3;
    /// When not empty, the rule applies only to e-mails of these classes
    /// (data/message-classes.yaml ids) ...
    std::vector<std::string> classes;
    /// ... and (when not empty) only to e-mails from these domains (or their subdomains).
    std::vector<std::string> sender_domains;
    std::vector<std::string> examples_match;
    std::vector<std::string> examples_no_match;
    int line = 0; ///< where the rule starts in its file (from 1)
};

struct codebook {
    std::string name;        ///< the codebook's identity in the store
    std::string description;
    std::string sha256;      ///< of the file's bytes
    std::string file;        ///< the path it was read from (for messages)
    std::vector<rule> rules; ///< in file order; ids unique
};

/// Reads and compiles a codebook; codebook_error naming the file, line and rule otherwise
/// (unknown key, missing id, bad regular expression, a pattern that matches empty text).
codebook load_codebook(const std::filesystem::path& file);
/// The same from text (file names the text in messages).
codebook parse_codebook(std::string_view yaml, const std::string& file);

/// The default codebook: <data_dir>/codebooks/default.yaml.
std::filesystem::path default_codebook_path(const std::filesystem::path& data_dir);

/// One example that does not do what it says.
struct example_failure {
    std::string rule;
    bool should_match = true;
    std::string example;
    int line = 0; ///< the rule's line
};
/// Runs every rule's examples (text only: class and sender restrictions are not applied).
/// Empty when every example behaves.
std::vector<example_failure> test_examples(const codebook& cb);
/// How many examples the codebook has.
std::size_t example_count(const codebook& cb);

} // namespace porchlight::audit
