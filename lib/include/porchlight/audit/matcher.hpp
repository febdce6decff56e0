#pragma once

// Matching a codebook's rules against one text (a page). The text is tokenised once
// (words: runs of ASCII letters and digits and of non-ASCII letters; punctuation, the
// Unicode quotes, dashes and spaces separate them; ASCII lower-cased) and indexed by word,
// so that a phrase costs the occurrences of its first word and a proximity condition a
// binary search per occurrence. Regular expressions are RE2 (linear time, bounded memory):
// no text, however hostile, makes a rule hang.

#include <porchlight/audit/codebook.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace porchlight::audit {

/// A match: byte offsets into the text, [begin, end).
struct span {
    std::size_t begin = 0;
    std::size_t end = 0;
    bool operator==(const span& o) const { return begin == o.begin && end == o.end; }
};

/// A text tokenised once, for every rule.
class text_index {
public:
    /// Keeps a view of text: it must outlive the index.
    explicit text_index(std::string_view text);

    std::string_view text() const { return m_text; }
    std::size_t size() const { return m_tokens.size(); }
    /// The lower-case word at i.
    std::string_view word(std::size_t i) const;
    span token(std::size_t i) const { return {m_tokens[i].begin, m_tokens[i].end}; }
    /// Where word occurs (ascending token positions); nullptr when it does not.
    const std::vector<std::uint32_t>* positions(std::string_view word) const;

private:
    struct tok {
        std::uint32_t begin;
        std::uint32_t end;
    };
    std::string_view m_text;
    std::string m_lower;
    std::vector<tok> m_tokens;
    std::unordered_map<std::string_view, std::vector<std::uint32_t>> m_index;
};

/// At most this many matches of one rule in one text (the rest are not reported).
inline constexpr std::size_t max_matches_per_text = 50;

/// The matches of one rule (phrases, proximity, patterns; restrictions not applied),
/// sorted, overlapping matches merged, at most max_matches_per_text.
std::vector<span> match_rule(const rule& r, const text_index& text);

/// Splits text into lower-case words as text_index does (for phrases in a codebook).
phrase words_of(std::string_view text);

/// Whether a rule applies to a page of an e-mail of this class from this sender (an empty
/// class or sender: the page is not an e-mail, or the e-mail has none).
bool rule_applies(const rule& r, std::string_view message_class, std::string_view sender);

} // namespace porchlight::audit
