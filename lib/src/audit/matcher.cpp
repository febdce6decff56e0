// Rules against one text: phrases through the word index, proximity by binary search over
// word positions, patterns with RE2. Every step is linear (or n log n) in the text.
#include <porchlight/audit/matcher.hpp>
#include <porchlight/util/text.hpp>

#include <re2/re2.h>

#include <algorithm>
#include <limits>

namespace porchlight::audit {

namespace {

/// Bytes of a separator starting at i (0: a word byte). ASCII other than letters and
/// digits separates; so do U+00A0 (no-break space) and U+2000-U+206F (spaces, dashes,
/// curly quotes, ellipsis).
std::size_t separator_length(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? 0 : 1;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0)
        return 2;
    if (c == 0xE2 && i + 2 < s.size()) {
        const auto c1 = static_cast<unsigned char>(s[i + 1]);
        if (c1 == 0x80 || c1 == 0x81)
            return 3;
    }
    return 0;
}

template <typename F>
void for_each_word(std::string_view s, F&& f) {
    std::size_t i = 0;
    while (i < s.size()) {
        if (const auto n = separator_length(s, i)) {
            i += n;
            continue;
        }
        const auto begin = i;
        while (i < s.size() && separator_length(s, i) == 0)
            ++i;
        f(begin, i);
    }
}

bool is_prefix(std::string_view term) { return term.size() > 1 && term.back() == '*'; }

bool word_matches(std::string_view word, std::string_view term) {
    if (is_prefix(term)) {
        term.remove_suffix(1);
        return word.size() >= term.size() && word.compare(0, term.size(), term) == 0;
    }
    return word == term;
}

/// Token positions where the phrase starts.
std::vector<std::uint32_t> phrase_starts(const phrase& p, const text_index& t) {
    std::vector<std::uint32_t> out;
    if (p.empty())
        return out;
    std::vector<std::uint32_t> all;
    const std::vector<std::uint32_t>* first = nullptr;
    if (is_prefix(p.front())) {
        for (std::uint32_t i = 0; i < t.size(); ++i)
            if (word_matches(t.word(i), p.front()))
                all.push_back(i);
        first = &all;
    } else {
        first = t.positions(p.front());
    }
    if (!first)
        return out;
    for (const auto start : *first) {
        if (start + p.size() > t.size())
            break;
        bool ok = true;
        for (std::size_t k = 1; k < p.size() && ok; ++k)
            ok = word_matches(t.word(start + k), p[k]);
        if (ok)
            out.push_back(start);
    }
    return out;
}

span phrase_span(const text_index& t, std::uint32_t start, std::size_t words) {
    return {t.token(start).begin, t.token(start + static_cast<std::uint32_t>(words) - 1).end};
}

void add_phrases(const rule& r, const text_index& t, std::vector<span>& out) {
    for (const auto& p : r.phrases)
        for (const auto start : phrase_starts(p, t))
            out.push_back(phrase_span(t, start, p.size()));
}

/// The occurrence of starts nearest to `at` within `within` words, or -1.
std::int64_t nearest(const std::vector<std::uint32_t>& starts, std::uint32_t at, int within) {
    const auto it = std::lower_bound(starts.begin(), starts.end(), at);
    std::int64_t best = -1;
    auto consider = [&](std::uint32_t p) {
        const auto d = p > at ? p - at : at - p;
        if (d <= static_cast<std::uint32_t>(within) &&
            (best < 0 || d < (static_cast<std::uint32_t>(best) > at
                                  ? static_cast<std::uint32_t>(best) - at
                                  : at - static_cast<std::uint32_t>(best))))
            best = p;
    };
    if (it != starts.end())
        consider(*it);
    if (it != starts.begin())
        consider(*(it - 1));
    return best;
}

void add_near(const rule& r, const text_index& t, std::vector<span>& out) {
    for (const auto& n : r.near) {
        std::vector<std::vector<std::uint32_t>> starts;
        for (const auto& term : n.terms)
            starts.push_back(phrase_starts(term, t));
        if (std::any_of(starts.begin(), starts.end(), [](const auto& s) { return s.empty(); }))
            continue;
        for (const auto anchor : starts.front()) {
            span s = phrase_span(t, anchor, n.terms.front().size());
            bool all = true;
            for (std::size_t k = 1; k < n.terms.size() && all; ++k) {
                const auto p = nearest(starts[k], anchor, n.within);
                if (p < 0) {
                    all = false;
                    break;
                }
                const auto ps = phrase_span(t, static_cast<std::uint32_t>(p), n.terms[k].size());
                s.begin = std::min(s.begin, ps.begin);
                s.end = std::max(s.end, ps.end);
            }
            if (all)
                out.push_back(s);
            if (out.size() > 4 * max_matches_per_text)
                return;
        }
    }
}

void add_patterns(const rule& r, const text_index& t, std::vector<span>& out) {
    const auto text = t.text();
    const re2::StringPiece whole(text.data(), text.size());
    for (const auto& re : r.regexes) {
        std::size_t pos = 0, found = 0;
        re2::StringPiece m;
        while (pos <= text.size() && found < max_matches_per_text &&
               re->Match(whole, pos, text.size(), RE2::UNANCHORED, &m, 1)) {
            const auto begin = static_cast<std::size_t>(m.data() - text.data());
            const auto end = begin + m.size();
            if (end > begin) {
                out.push_back({begin, end});
                ++found;
            }
            pos = end > pos ? end : pos + 1;
        }
    }
}

/// Word positions of a span (first word starting at or after begin .. last ending by end).
std::pair<std::int64_t, std::int64_t> words_of_span(span s, const std::vector<std::uint32_t>& begins) {
    const auto first = std::lower_bound(begins.begin(), begins.end(), s.begin) - begins.begin();
    auto last = std::lower_bound(begins.begin(), begins.end(), s.end) - begins.begin() - 1;
    if (last < first)
        last = first;
    return {first, last};
}

void drop_unless(const rule& r, const text_index& t, std::vector<span>& spans) {
    if (r.unless.empty() || spans.empty())
        return;
    std::vector<std::uint32_t> begins;
    begins.reserve(t.size());
    for (std::size_t i = 0; i < t.size(); ++i)
        begins.push_back(static_cast<std::uint32_t>(t.token(i).begin));
    std::vector<std::vector<std::uint32_t>> starts;
    for (const auto& u : r.unless)
        starts.push_back(phrase_starts(u, t));
    spans.erase(std::remove_if(spans.begin(), spans.end(),
                               [&](const span& s) {
                                   const auto [first, last] = words_of_span(s, begins);
                                   const auto lo = first - r.unless_within;
                                   const auto hi = last + r.unless_within;
                                   for (std::size_t k = 0; k < starts.size(); ++k) {
                                       const auto& st = starts[k];
                                       const auto size = static_cast<std::int64_t>(r.unless[k].size());
                                       // an occurrence that ends at or after lo and starts by hi
                                       const auto from = std::max<std::int64_t>(0, lo - size + 1);
                                       const auto it = std::lower_bound(
                                           st.begin(), st.end(), static_cast<std::uint32_t>(from));
                                       if (it != st.end() && static_cast<std::int64_t>(*it) <= hi)
                                           return true;
                                   }
                                   return false;
                               }),
                spans.end());
}

} // namespace

text_index::text_index(std::string_view text) : m_text(text), m_lower(util::to_lower_ascii(text)) {
    const bool fits = text.size() < std::numeric_limits<std::uint32_t>::max();
    if (!fits) // a text past 4 GiB is read up to there
        m_text = text.substr(0, std::numeric_limits<std::uint32_t>::max() - 1);
    for_each_word(m_text, [&](std::size_t b, std::size_t e) {
        m_tokens.push_back({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e)});
    });
    m_index.reserve(m_tokens.size() / 4 + 1);
    for (std::uint32_t i = 0; i < m_tokens.size(); ++i)
        m_index[word(i)].push_back(i);
}

std::string_view text_index::word(std::size_t i) const {
    return std::string_view(m_lower).substr(m_tokens[i].begin, m_tokens[i].end - m_tokens[i].begin);
}

const std::vector<std::uint32_t>* text_index::positions(std::string_view w) const {
    const auto it = m_index.find(w);
    return it == m_index.end() ? nullptr : &it->second;
}

phrase words_of(std::string_view text) {
    phrase out;
    const auto lower = util::to_lower_ascii(text);
    // '*' ends a prefix term: keep it with its word
    std::size_t i = 0;
    while (i < lower.size()) {
        if (lower[i] != '*' && separator_length(lower, i)) {
            i += separator_length(lower, i);
            continue;
        }
        const auto begin = i;
        while (i < lower.size() && lower[i] != '*' && separator_length(lower, i) == 0)
            ++i;
        if (i < lower.size() && lower[i] == '*')
            ++i;
        if (i > begin && !(i == begin + 1 && lower[begin] == '*'))
            out.push_back(lower.substr(begin, i - begin));
    }
    return out;
}

std::vector<span> match_rule(const rule& r, const text_index& t) {
    std::vector<span> found;
    add_phrases(r, t, found);
    add_near(r, t, found);
    add_patterns(r, t, found);
    std::sort(found.begin(), found.end(), [](const span& a, const span& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
    });
    std::vector<span> merged;
    for (const auto& s : found) {
        if (!merged.empty() && s.begin < merged.back().end)
            merged.back().end = std::max(merged.back().end, s.end);
        else
            merged.push_back(s);
    }
    drop_unless(r, t, merged);
    if (merged.size() > max_matches_per_text)
        merged.resize(max_matches_per_text);
    return merged;
}

bool rule_applies(const rule& r, std::string_view message_class, std::string_view sender) {
    if (!r.classes.empty() &&
        std::find(r.classes.begin(), r.classes.end(), message_class) == r.classes.end())
        return false;
    if (r.sender_domains.empty())
        return true;
    auto addr = sender;
    if (const auto lt = sender.rfind('<'); lt != std::string_view::npos)
        addr = sender.substr(lt + 1);
    const auto trimmed = util::trim(addr.substr(0, addr.find('>')));
    const auto at = trimmed.rfind('@');
    if (at == std::string::npos)
        return false;
    const auto domain = util::to_lower_ascii(trimmed.substr(at + 1));
    for (const auto& d : r.sender_domains) {
        if (domain == d)
            return true;
        if (domain.size() > d.size() && domain.compare(domain.size() - d.size(), d.size(), d) == 0 &&
            domain[domain.size() - d.size() - 1] == '.')
            return true;
    }
    return false;
}

} // namespace porchlight::audit
