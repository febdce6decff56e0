#pragma once

// Heat maps: kernel density of points on an equal-area grid, written as a GeoTIFF (density
// values, CRS, nodata) or a coloured PNG (cairo), with the privacy rule that a cell
// supported by fewer than min_count points is left blank (docs/heatmaps.md).
//
// The kernel is the product quartic (biweight) kernel with the bandwidth h as its radius
// along each axis: K(dx, dy) = k(dx)·k(dy), k(u) = 15/(16h)·(1 - (u/h)²)² for |u| < h, else
// 0; it integrates to 1, so a density is points per km² (h in km). It is separable, so the
// grid is computed by binning points to cells and two 1-D passes. A point counts at the
// centre of the cell it falls in.

#include <porchlight/geo/counties.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace porchlight::geo {

/// A WGS84 box: west, south, east, north (degrees).
struct bbox {
    double west = 0, south = 0, east = 0, north = 0;
};

/// "W,S,E,N" in degrees; std::invalid_argument unless four numbers with W < E, S < N, in
/// range.
bbox parse_bbox(const std::string& text);
/// The box around a state's (USPS code) or a county's (5-digit FIPS) polygons;
/// std::invalid_argument for a state or county the gazetteer does not know.
bbox state_extent(const CountyIndex& counties, const std::string& usps);
bbox county_extent(const CountyIndex& counties, const std::string& fips);
/// The box around the points (std::invalid_argument when there are none).
bbox points_extent(const std::vector<lonlat>& points);

struct heatmap_options {
    double cell_m = 500;         ///< cell side, metres
    double bandwidth_m = 1000;   ///< kernel radius h, metres
    std::int64_t min_count = 5;  ///< the privacy rule: fewer supporting points -> blank
};

/// A north-up grid in a projected CRS (metres). Cell (col, row) spans x0 + col·cell ..
/// x0 + (col+1)·cell and y0 - (row+1)·cell .. y0 - row·cell (row 0 is the northernmost).
struct grid_spec {
    std::string crs; ///< "EPSG:5070", "EPSG:3338" or "ESRI:102007"
    double x0 = 0, y0 = 0, cell = 0;
    int nx = 0, ny = 0;
};

/// The grid over a box: the equal-area projection of the box's centre (see projection.hpp),
/// the projected box widened by the bandwidth on every side, its corners snapped to whole
/// cells. std::invalid_argument for a cell or bandwidth that is not positive, or a grid of
/// more than 50,000,000 cells.
grid_spec grid_for(const bbox& extent, const heatmap_options& o);

struct density_grid {
    grid_spec grid;
    /// Points per km², row-major from the north-west corner; NaN where blank (fewer than
    /// min_count supporting points).
    std::vector<float> density;
    /// Supporting points of each cell: points within the bandwidth along both axes of the
    /// cell's centre (after binning), i.e. the points that give it a non-zero density.
    std::vector<std::int32_t> support;
    std::int64_t points = 0;       ///< points on the grid
    std::int64_t outside = 0;      ///< points off the grid (not counted)
    std::int64_t suppressed = 0;   ///< cells with 1..min_count-1 supporting points: blank
    double max_density = 0;        ///< of the cells shown
    heatmap_options options;
};

/// Kernel density of points given in the grid's CRS (metres).
density_grid kernel_density(const grid_spec& grid, const std::vector<double>& x,
                            const std::vector<double>& y, const heatmap_options& o);
/// Kernel density of WGS84 points (projected to the grid's CRS in one batch).
density_grid kernel_density(const grid_spec& grid, const std::vector<lonlat>& points,
                            const heatmap_options& o);
/// The WGS84 points that lie on the grid (for hexbins over the same area).
std::vector<lonlat> points_on_grid(const grid_spec& grid, const std::vector<lonlat>& points);

/// A single-band Float32 GeoTIFF: density per km², the grid's CRS and geotransform, nodata
/// -9999 for blank cells, DEFLATE-compressed; metadata names the kernel, bandwidth and
/// minimum count. Throws gdal_error naming the file.
inline constexpr double geotiff_nodata = -9999;
void write_geotiff(const density_grid& d, const std::filesystem::path& file,
                   const std::string& description);

/// What a PNG shows besides the cells.
struct png_style {
    std::string title;  ///< top line
    std::string legend; ///< "cameras per km²"
    std::string credit; ///< "Source: ... · porchlight"
    std::vector<ring> outlines; ///< WGS84 rings drawn as thin grey lines (county borders)
};
/// The rings of the counties whose bounding box meets the box (for png_style::outlines).
std::vector<ring> county_outlines(const CountyIndex& counties, const bbox& area);
/// A PNG drawn with cairo: cells coloured on a perceptual ramp (viridis) from 0 to the
/// largest density, blank cells transparent, the outlines over them, with title, legend,
/// scale bar and credit (cut short with "…" when wider than the page).
/// Throws porchlight::error naming the file.
void write_png(const density_grid& d, const std::filesystem::path& file, const png_style& style);

} // namespace porchlight::geo
