#pragma once

// Hexagon bins of points on an equal-area grid: the `heatmap --hexbins` output and the
// `hexbins` layer of export and map. Bins with fewer than min_count points are dropped
// (the heat-map privacy rule: no single home can be picked out).

#include <porchlight/geo/counties.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace porchlight::geo {

struct hexbin {
    lonlat center;      ///< WGS84
    ring outline;       ///< 6 WGS84 corners, counter-clockwise (RFC 7946 outer ring order)
    std::int64_t count = 0;
};

/// Bins points into flat-topped hexagons `cell_m` metres across (flat side to flat side)
/// on the US equal-area grid (EPSG:5070 for the conterminous states, EPSG:3338 for
/// Alaska, ESRI:102007 for Hawaii, chosen per point). Keeps bins with count >= min_count,
/// ordered by their centre (south to north, then west to east) so output is stable.
/// Throws std::invalid_argument for cell_m <= 0.
std::vector<hexbin> hexbin_counts(const std::vector<lonlat>& points, double cell_m,
                                  std::int64_t min_count);

/// The bins as an RFC 7946 FeatureCollection: one Polygon per bin (closed ring,
/// counter-clockwise, coordinates with at most 7 decimals), properties {"count": N}, in the
/// order given; ends with a newline. Deterministic: the same bins give the same bytes.
std::string hexbins_geojson(const std::vector<hexbin>& bins);

} // namespace porchlight::geo
