#pragma once

#include <porchlight/geo/gazetteer.hpp>
#include <porchlight/report/table.hpp>
#include <porchlight/store/database.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace porchlight::geo {

struct geocode_options {
    bool only_missing = false;               ///< only agencies never geocoded
    std::optional<std::int64_t> agency;      ///< only this agency
    std::function<void(std::int64_t)> progress;
};

struct geocode_summary {
    std::int64_t agencies = 0;
    std::map<std::string, std::int64_t> by_precision;
    std::int64_t with_warnings = 0;
    std::string gazetteer_version;
};

/// Geocodes the store's agencies with the offline gazetteer in one transaction, storing
/// per agency: lat/lon, precision, provider, matched name and id, score, warnings (a JSON
/// array), the county FIPS, the gazetteer version and the time. Agencies placed by hand
/// (provider "manual") are left as they are.
geocode_summary geocode_agencies(store::Database& db, const Gazetteer& gazetteer,
                                 const geocode_options& options);

/// Agencies per precision (all agencies of the store), most precise first.
report::table geocode_counts(store::Database& db);

/// One row per warning of every geocoded agency: id, name, state, precision, match, warning.
report::table geocode_warnings(store::Database& db);

} // namespace porchlight::geo
