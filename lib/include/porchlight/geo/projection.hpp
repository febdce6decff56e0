#pragma once

// The US equal-area projections porchlight bins and grids points in (hexbins, heat maps):
// EPSG:5070 (NAD83 / Conus Albers) for the conterminous states and the territories,
// EPSG:3338 (NAD83 / Alaska Albers) for Alaska, ESRI:102007 (Hawaii Albers Equal Area
// Conic) for Hawaii. Transforms run in batches through PROJ (OGRCoordinateTransformation).

#include <porchlight/geo/counties.hpp>

#include <memory>
#include <string>
#include <vector>

namespace porchlight::geo {

enum class us_region { conus = 0, alaska = 1, hawaii = 2 };

/// The region whose projection suits a point: Alaska north of 51°N and west of 129°W (or
/// east of 172°E: the Aleutians), Hawaii between 18°N and 23°N west of 154°W; else conus.
us_region region_of(double lon, double lat);
/// "EPSG:5070", "EPSG:3338" or "ESRI:102007".
const char* crs_of(us_region r);

/// WGS84 lon/lat <-> one projected CRS (metres), both ways, in batches.
class Projection {
public:
    explicit Projection(const std::string& crs); ///< throws gdal_error for an unknown CRS
    ~Projection();
    Projection(Projection&&) noexcept;
    Projection& operator=(Projection&&) noexcept;

    /// In place: x = lon, y = lat on entry; metres on return. Throws gdal_error on failure.
    void forward(std::vector<double>& x, std::vector<double>& y) const;
    /// In place: metres on entry; x = lon, y = lat on return.
    void inverse(std::vector<double>& x, std::vector<double>& y) const;
    const std::string& crs() const;
    /// The CRS as WKT (for a GeoTIFF).
    std::string wkt() const;

private:
    struct impl;
    std::unique_ptr<impl> m;
};

} // namespace porchlight::geo
