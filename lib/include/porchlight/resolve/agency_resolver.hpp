#pragma once

#include <porchlight/store/database.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace porchlight::resolve {

/// What a row says about an agency.
struct agency_mention {
    std::string name;
    std::string state; ///< USPS code, may be empty
    std::string city;
    std::string county;
    std::string agency_type; ///< the source's own word ("Sheriff", "Type of LEA" ...)
    std::string jurisdiction_type; ///< "Municipal", "County", "State" ... when given
};

/// "police", "sheriff", "state", "fire" or "other", from the name and the source's type.
std::string classify_agency(std::string_view name, std::string_view agency_type);

struct agency_resolution {
    std::optional<std::int64_t> id; ///< empty when ambiguous
    bool created = false;
    std::string warning; ///< why it could not be resolved, or what was assumed
};

/// Resolves agency mentions to agencies in the store, creating them when new.
/// Identity: normalised name (or any alias) + state, and for municipal agencies the
/// normalised place too ("Washington Township PD" in two cities are two agencies).
/// County-wide and state agencies are one per name and state whatever city a row gives.
/// The canonical name is the fullest spelling seen ("Smallville Police Department", not
/// "Smallville PD"); every spelling is kept as an alias.
/// Works from in-memory indexes loaded once, so a million rows cost no extra queries.
class AgencyResolver {
public:
    explicit AgencyResolver(store::Database& db);
    agency_resolution resolve(const agency_mention& m);
    std::int64_t created_count() const noexcept { return m_created; }

private:
    struct entry {
        std::int64_t id;
        std::string norm_place;
        bool place_scoped;
        std::string name; ///< the canonical name: the fullest spelling seen
    };
    static std::string key(const std::string& norm, const std::string& state);
    std::int64_t create(const agency_mention& m, const std::string& norm,
                        const std::string& norm_place, const std::string& kind, bool scoped);
    void add_alias(std::int64_t agency_id, const std::string& alias, const std::string& norm,
                   const std::string& state);

    store::Database& m_db;
    std::unordered_map<std::string, std::vector<std::size_t>> m_index; // key -> entries
    std::vector<entry> m_entries;
    std::unordered_map<std::int64_t, std::size_t> m_by_id; // agency id -> m_entries index
    std::set<std::pair<std::int64_t, std::string>> m_aliases;
    store::Statement m_insert_agency;
    store::Statement m_insert_alias;
    store::Statement m_set_place;
    store::Statement m_set_name;
    std::int64_t m_created = 0;
};

/// Vendors and technologies: one row per normalised name; vendor renames and legal
/// names resolve through data/vendors.yaml to one canonical vendor.
class NameRegistry {
public:
    NameRegistry(store::Database& db, const std::string& vendors_yaml_path);
    std::int64_t vendor(const std::string& spelling);
    std::int64_t technology(const std::string& spelling);

private:
    store::Database& m_db;
    std::unordered_map<std::string, std::string> m_vendor_canonical; // norm alias -> name
    std::unordered_map<std::string, std::string> m_vendor_spelling;  // norm alias -> as listed
    std::unordered_map<std::string, std::int64_t> m_vendors;         // norm -> id
    std::unordered_map<std::string, std::int64_t> m_vendor_alias_seen;
    std::unordered_map<std::string, std::int64_t> m_technologies;
};

} // namespace porchlight::resolve
