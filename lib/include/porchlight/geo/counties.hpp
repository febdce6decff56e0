#pragma once

// US county polygons from the shipped gazetteer (data/gazetteer/counties.geojson) with a
// spatial index: which county holds a point, and each county's area. Used by coverage
// (cameras per county), by `cameras --county` and by the maps' choropleths.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace porchlight::geo {

struct lonlat {
    double lon = 0;
    double lat = 0;
};

/// One polygon ring, WGS84 lon/lat; the first point is not repeated at the end.
using ring = std::vector<lonlat>;

struct county_shape {
    std::string fips;  ///< 5 digits
    std::string name;  ///< without County/city: "Baltimore" is 24005 and 24510
    std::string state; ///< USPS code
    double area_km2 = 0; ///< geodesic area of the polygons
    /// Outer rings and holes, as the data gives them (a hole is inside its outer ring).
    std::vector<ring> rings;
};

/// Every county with a grid index over their bounding boxes; built once per process
/// (loading ~3,200 polygons takes well under a second).
class CountyIndex {
public:
    /// Reads <gazetteer_dir>/counties.geojson. Throws porchlight::error naming the file.
    explicit CountyIndex(const std::filesystem::path& gazetteer_dir);
    ~CountyIndex();
    CountyIndex(const CountyIndex&) = delete;
    CountyIndex& operator=(const CountyIndex&) = delete;

    /// The county holding the point (even-odd rule over its rings), or nullopt at sea,
    /// outside the US, or for invalid coordinates.
    std::optional<std::size_t> locate(double lon, double lat) const;
    const county_shape& county(std::size_t i) const;
    std::size_t size() const;
    /// The index of a county by its 5-digit FIPS code.
    std::optional<std::size_t> find(const std::string& fips) const;

private:
    struct impl;
    std::unique_ptr<impl> m;
};

} // namespace porchlight::geo
