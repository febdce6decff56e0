#pragma once

// Listings of what record sources observed besides partnerships: video requests (with the
// per-agency totals kept apart) and cameras. `porchlight requests` and `porchlight cameras`.

#include <porchlight/geo/heatmap.hpp>
#include <porchlight/report/table.hpp>
#include <porchlight/store/database.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace porchlight::report {

struct request_filter {
    std::optional<std::string> agency; ///< id or name (resolved as `agencies`)
    std::optional<std::string> state;  ///< USPS code or state name
    std::optional<std::string> since;  ///< a day, month or year: from its first day
    std::optional<std::string> until;  ///< a day, month or year: to its last day
    std::optional<std::int64_t> source;
    /// Titles, case numbers and addresses identify incidents and homes: listed only when
    /// asked (the rule of `export`).
    bool include_personal_data = false;
};

/// One row per video request, in date order (undated last): agency, date, area
/// (radius, whether a polygon is kept), window, counts, source and row.
table requests(store::Database& db, const request_filter& f);

/// Per-agency totals as observed (one row per observation, latest first per agency):
/// never added to the individual requests.
table request_totals(store::Database& db, const request_filter& f);

struct camera_filter {
    std::optional<geo::bbox> bbox; ///< geo::parse_bbox reads --bbox
    std::optional<std::string> state;  ///< USPS code or name: cameras inside its counties
    std::optional<std::string> county; ///< 5-digit FIPS
    std::optional<std::int64_t> source;
    /// A camera's name may name a home or its owner: listed only when asked (as export).
    bool include_personal_data = false;
};

/// One row per camera in id order, with the county holding it (from the shipped county
/// polygons under data_dir/gazetteer). Throws std::invalid_argument for an unknown county.
table cameras(store::Database& db, const std::filesystem::path& data_dir, const camera_filter& f);

} // namespace porchlight::report
