#pragma once

// Which agency and which date a finding belongs to (audit run.cpp).

#include <porchlight/store/database.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace porchlight::audit::detail {

struct agency_ref {
    std::optional<std::int64_t> id;
    std::optional<std::string> name;
    std::optional<std::string> from; ///< "release" or "text"
};

/// The agencies the store knows, by the words of their names and aliases (two words or
/// more), to find the agency a text names; and the releases' responding agencies.
class agency_finder {
public:
    explicit agency_finder(store::Database& db);
    /// The release's agency: the store's agency of that name when exactly one, else the
    /// name as written; nothing when the release names none.
    agency_ref of_release(std::int64_t source_id, const std::optional<std::string>& written);
    /// The agency the text names most often (the first named, on a tie), in its first
    /// 200 KB; nothing when it names none the store knows.
    agency_ref of_text(std::string_view text) const;

private:
    store::Database& m_db;
    std::map<std::int64_t, std::string> m_names;
    std::unordered_map<std::string, std::vector<std::pair<std::vector<std::string>, std::int64_t>>>
        m_by_first_word;
    std::map<std::int64_t, agency_ref> m_release_cache;
};

/// Whether a finding's agency passes an --agency filter (an id, else a name substring).
bool agency_matches(const std::optional<std::string>& filter, const agency_ref& a);

} // namespace porchlight::audit::detail
