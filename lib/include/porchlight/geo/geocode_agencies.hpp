#pragma once

#include <porchlight/geo/gazetteer.hpp>
#include <porchlight/report/table.hpp>
#include <porchlight/store/store.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace porchlight::geo {

struct geocode_options {
    bool only_missing = false;          ///< only agencies never geocoded
    std::optional<std::int64_t> agency; ///< only this agency
    std::function<void(std::int64_t)> progress;
    /// Commit every N agencies (0: one transaction). Online runs use it so that an
    /// interrupted run keeps what it paid for; --only-missing then resumes.
    std::int64_t commit_every = 0;
};

struct geocode_summary {
    std::int64_t agencies = 0;
    std::int64_t changed = 0; ///< agencies whose stored location changed
    std::map<std::string, std::int64_t> by_precision;
    std::int64_t with_warnings = 0;
    std::string gazetteer_version;
};

/// Geocodes the store's agencies with the offline gazetteer in one transaction, storing
/// per agency: lat/lon, precision, provider, matched name and id, score, warnings (a JSON
/// array), the county FIPS, the gazetteer version and the time, and a piece of evidence
/// ('location') citing the gazetteer, which is registered as a source of kind 'reference'
/// (its manifest kept in the blob store). An agency whose result is what the store already
/// holds is left untouched, so a second run changes nothing. Agencies placed by hand
/// (provider "manual") are left as they are.
geocode_summary geocode_agencies(store::Store& store, const Gazetteer& gazetteer,
                                 const std::filesystem::path& gazetteer_dir,
                                 const geocode_options& options);

/// The same with an online provider (see online.hpp): its answers are cached in the store,
/// the provider and base URL are registered as a source of kind 'reference' (a small JSON
/// description kept in the blob store), and the evidence cites the cached query.
geocode_summary geocode_agencies_online(store::Store& store, class OnlineGeocoder& provider,
                                        const geocode_options& options);

/// Places one agency by hand: a source of kind 'manual' holds the note (its bytes in the
/// blob store), the agency gets the point with provider "manual" and the given precision,
/// and a 'location' evidence cites the note. Later geocode runs keep it.
/// Throws std::invalid_argument for a point outside lat [-90, 90] / lon [-180, 180], an
/// empty note, or an unknown precision.
void set_location(store::Store& store, std::int64_t agency_id, double lat, double lon,
                  const std::string& precision, const std::string& note);

/// Agencies per precision (all agencies of the store), most precise first.
report::table geocode_counts(store::Database& db);

/// One row per warning of every geocoded agency: id, name, state, precision, match, warning.
report::table geocode_warnings(store::Database& db);

} // namespace porchlight::geo
