// The agency of a finding: the release's responding agency (ingest --agency), else the
// agency the page's text names, among those the store knows.
#include "detail/attribution.hpp"

#include <porchlight/util/text.hpp>

#include <algorithm>

namespace porchlight::audit::detail {

namespace {

constexpr std::size_t text_scan_limit = 200 * 1024;

std::string lower(std::string_view s) { return util::to_lower_ascii(s); }

} // namespace

agency_finder::agency_finder(store::Database& db) : m_db(db) {
    store::Statement names(db, "SELECT id, name FROM agencies");
    while (names.step())
        m_names[names.get_int(0)] = names.get_text(1);
    store::Statement aliases(db, "SELECT DISTINCT norm, agency_id FROM aliases ORDER BY agency_id, norm");
    while (aliases.step()) {
        auto words = util::split(aliases.get_text(0), ' ');
        words.erase(std::remove(words.begin(), words.end(), std::string()), words.end());
        if (words.size() < 2)
            continue;
        m_by_first_word[words.front()].emplace_back(std::move(words), aliases.get_int(1));
    }
}

agency_ref agency_finder::of_release(std::int64_t source_id,
                                     const std::optional<std::string>& written) {
    const auto cached = m_release_cache.find(source_id);
    if (cached != m_release_cache.end())
        return cached->second;
    agency_ref a;
    if (written && !util::trim(*written).empty()) {
        a.name = util::trim(*written);
        a.from = "release";
        store::Statement st(m_db, "SELECT DISTINCT agency_id FROM aliases WHERE norm = ?1");
        st.bind(1, util::normalise_agency(*written));
        std::vector<std::int64_t> ids;
        while (st.step())
            ids.push_back(st.get_int(0));
        if (ids.size() == 1) {
            a.id = ids.front();
            a.name = m_names[ids.front()];
        }
    }
    m_release_cache[source_id] = a;
    return a;
}

agency_ref agency_finder::of_text(std::string_view text) const {
    agency_ref a;
    if (m_by_first_word.empty())
        return a;
    auto norm = util::normalise_agency(text.substr(0, std::min(text.size(), text_scan_limit)));
    auto words = util::split(norm, ' ');
    words.erase(std::remove(words.begin(), words.end(), std::string()), words.end());
    std::map<std::int64_t, std::pair<std::int64_t, std::size_t>> seen; // id -> count, first
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto it = m_by_first_word.find(words[i]);
        if (it == m_by_first_word.end())
            continue;
        for (const auto& [alias, id] : it->second) {
            if (i + alias.size() > words.size() ||
                !std::equal(alias.begin(), alias.end(), words.begin() + static_cast<std::ptrdiff_t>(i)))
                continue;
            auto& s = seen.try_emplace(id, 0, i).first->second;
            ++s.first;
        }
    }
    const std::pair<std::int64_t, std::size_t>* best = nullptr;
    for (const auto& [id, s] : seen)
        if (!best || s.first > best->first || (s.first == best->first && s.second < best->second)) {
            best = &s;
            a.id = id;
        }
    if (a.id) {
        a.name = m_names.at(*a.id);
        a.from = "text";
    }
    return a;
}

bool agency_matches(const std::optional<std::string>& filter, const agency_ref& a) {
    if (!filter)
        return true;
    const auto f = util::trim(*filter);
    if (!f.empty() && f.find_first_not_of("0123456789") == std::string::npos)
        return a.id && std::to_string(*a.id) == f;
    return a.name && lower(*a.name).find(lower(f)) != std::string::npos;
}

} // namespace porchlight::audit::detail
