#pragma once

// Camera coverage of jurisdictions: points per county polygon, points within a radius of a
// place, and the jurisdiction an agency stands for. `report coverage` and `coverage` are
// built on these (docs/commands/coverage.md).

#include <porchlight/geo/counties.hpp>
#include <porchlight/store/database.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace porchlight::geo {

/// The radius around a place-level agency's point that stands for its jurisdiction (a
/// city police department has no polygon in the gazetteer): 5 km, about the size of a
/// small city; an area of pi·25 = 78.54 km².
inline constexpr double place_radius_m = 5000;

/// Points counted per county of an index.
struct county_counts {
    std::vector<std::int64_t> per_county; ///< by county index
    std::int64_t outside = 0;             ///< valid points in no county (sea, abroad, gaps)
    std::int64_t invalid = 0;             ///< coordinates out of range or not numbers
};
county_counts count_by_county(const CountyIndex& counties, const std::vector<lonlat>& points);

/// Great-circle distance on the WGS84 mean sphere (R = 6371008.8 m), metres.
double distance_m(lonlat a, lonlat b);

/// Points in grid cells of a tenth of a degree, for "how many within r metres" queries.
class PointGrid {
public:
    explicit PointGrid(const std::vector<lonlat>& points);
    /// Points at most radius_m from centre.
    std::int64_t count_within(lonlat centre, double radius_m) const;

private:
    std::vector<lonlat> m_points;                        ///< sorted by cell
    std::vector<std::pair<std::int64_t, std::uint32_t>> m_cells; ///< cell key, first point
};

/// What an agency's coverage is measured over.
struct jurisdiction {
    enum class kind { county, radius, state, none };
    kind type = kind::none;
    std::string county_fips; ///< kind::county
    std::string state;       ///< kind::state (and the agency's state otherwise)
    lonlat centre;           ///< kind::radius
    double radius_m = 0;     ///< kind::radius
    /// "county 24005", "5 km around the point", "state MD", "not placed".
    std::string describe() const;
};

/// The facts about an agency that decide its jurisdiction (agencies columns).
struct agency_place {
    std::string kind;              ///< police, sheriff, state, fire, other
    std::string precision;         ///< geocode_precision
    std::optional<std::string> state, county_fips;
    std::optional<double> lat, lon;
};

/// A sheriff, or an agency placed only to its county, stands for its county polygon; a
/// state agency (or one placed only to its state) for its state; an agency placed to an
/// address, place or county subdivision for place_radius_m around its point; an agency
/// without a point or county is not placed.
jurisdiction jurisdiction_of(const agency_place& a);

/// The points of one layer of the store, with what they stand on.
struct store_points {
    std::vector<lonlat> points;
    std::vector<std::int64_t> ids;        ///< the row id of each point
    std::set<std::int64_t> source_ids;    ///< the sources of the rows with a point
    std::int64_t without_point = 0;       ///< rows that have none (counted apart)
};
/// Every camera (cameras.lat, lon), in id order.
store_points camera_points(store::Database& db);
/// Every video request's point: its centre (center_lat, center_lon), else the centroid of
/// its area (area_wkt); in id order.
store_points request_points(store::Database& db);
/// The titles (else file names) of these sources, in id order: a map's source credit.
std::vector<std::string> source_titles(store::Database& db, const std::set<std::int64_t>& ids);

} // namespace porchlight::geo
