// Kernel density on an equal-area grid (binning + two separable passes), the privacy rule,
// and the GeoTIFF form. The PNG is drawn in heatmap_png.cpp.
#include "../detail/gdal_handles.hpp"

#include <porchlight/error.hpp>
#include <porchlight/geo/heatmap.hpp>
#include <porchlight/geo/projection.hpp>
#include <porchlight/ingest/table_reader.hpp>

#include <gdal.h>
#include <cpl_conv.h>
#include <cpl_string.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <stdexcept>

namespace porchlight::geo {

namespace {

constexpr double max_cells = 50e6;

double number(const std::string& s, const std::string& whole) {
    double v = 0;
    const auto* begin = s.data();
    const auto* end = s.data() + s.size();
    while (begin < end && *begin == ' ')
        ++begin;
    const auto [ptr, ec] = std::from_chars(begin, end, v);
    if (ec != std::errc() || ptr != end || !std::isfinite(v))
        throw std::invalid_argument("--bbox " + whole + ": '" + s + "' is not a number");
    return v;
}

/// The box around points, also across the 180th meridian: longitudes are tried as given
/// and shifted to 0..360; the narrower box wins (the Aleutians: 172°E to 130°W is the box
/// 172 .. 230, not -180 .. 180).
class extent_builder {
public:
    void add(double lon, double lat) {
        const double shifted = lon < 0 ? lon + 360 : lon;
        if (!m_any) {
            m_plain = {lon, lat, lon, lat};
            m_shifted = {shifted, lat, shifted, lat};
            m_any = true;
            return;
        }
        widen(m_plain, lon, lat);
        widen(m_shifted, shifted, lat);
    }
    void add(const std::vector<ring>& rings) {
        for (const auto& r : rings)
            for (const auto& p : r)
                add(p.lon, p.lat);
    }
    bool any() const { return m_any; }
    bbox box() const {
        const double plain = m_plain.east - m_plain.west;
        return m_shifted.east - m_shifted.west < plain - 1e-6 ? m_shifted : m_plain;
    }

private:
    static void widen(bbox& b, double lon, double lat) {
        b.west = std::min(b.west, lon);
        b.east = std::max(b.east, lon);
        b.south = std::min(b.south, lat);
        b.north = std::max(b.north, lat);
    }
    bbox m_plain, m_shifted;
    bool m_any = false;
};

/// 1-D weights k(i·cell) of the quartic kernel for i = 0..r, r the last offset with a
/// non-zero weight; per km.
std::vector<double> kernel_weights(double cell_m, double h_m) {
    const double h_km = h_m / 1000;
    const auto r = static_cast<int>(std::ceil(h_m / cell_m)) - 1;
    std::vector<double> w;
    for (int i = 0; i <= r; ++i) {
        const double u = i * cell_m / h_m;
        const double t = 1 - u * u;
        w.push_back(u < 1 ? 15.0 / (16.0 * h_km) * t * t : 0.0);
    }
    return w;
}

/// One separable pass of a symmetric 1-D kernel w (w[0] the centre, w[r] the last tap):
/// along rows, out[row][col] = Σ_i w[|i|]·in[row][col+i]; along columns the same with rows.
void pass_rows(const std::vector<double>& in, std::vector<double>& out, int nx, int ny,
               const std::vector<double>& w) {
    const int r = static_cast<int>(w.size()) - 1;
    out.assign(in.size(), 0.0);
    for (int row = 0; row < ny; ++row) {
        const double* src = in.data() + static_cast<std::size_t>(row) * nx;
        double* dst = out.data() + static_cast<std::size_t>(row) * nx;
        for (int i = 0; i < nx; ++i) {
            const double v = src[i];
            if (v == 0)
                continue; // most cells are empty: scatter from the filled ones only
            const int lo = std::max(0, i - r), hi = std::min(nx - 1, i + r);
            for (int j = lo; j <= hi; ++j)
                dst[j] += v * w[static_cast<std::size_t>(std::abs(j - i))];
        }
    }
}

void pass_columns(const std::vector<double>& in, std::vector<double>& out, int nx, int ny,
                  const std::vector<double>& w) {
    const int r = static_cast<int>(w.size()) - 1;
    out.assign(in.size(), 0.0);
    for (int row = 0; row < ny; ++row) {
        const double* src = in.data() + static_cast<std::size_t>(row) * nx;
        if (std::all_of(src, src + nx, [](double v) { return v == 0; }))
            continue;
        const int lo = std::max(0, row - r), hi = std::min(ny - 1, row + r);
        for (int k = lo; k <= hi; ++k) { // whole rows at a time: contiguous, vectorised
            const double wk = w[static_cast<std::size_t>(std::abs(k - row))];
            double* dst = out.data() + static_cast<std::size_t>(k) * nx;
            for (int i = 0; i < nx; ++i)
                dst[i] += wk * src[i];
        }
    }
}

} // namespace

bbox parse_bbox(const std::string& text) {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : text) {
        if (c == ',') {
            parts.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    parts.push_back(cur);
    if (parts.size() != 4)
        throw std::invalid_argument("--bbox " + text + ": give W,S,E,N (four numbers, degrees)");
    bbox b{number(parts[0], text), number(parts[1], text), number(parts[2], text),
           number(parts[3], text)};
    if (b.west < -180 || b.east > 180 || b.south < -90 || b.north > 90)
        throw std::invalid_argument("--bbox " + text + ": longitudes must be in -180..180 and "
                                    "latitudes in -90..90");
    if (!(b.west < b.east) || !(b.south < b.north))
        throw std::invalid_argument("--bbox " + text + ": west must be less than east and "
                                    "south less than north");
    return b;
}

bbox state_extent(const CountyIndex& counties, const std::string& usps) {
    extent_builder b;
    for (std::size_t i = 0; i < counties.size(); ++i)
        if (counties.county(i).state == usps)
            b.add(counties.county(i).rings);
    if (!b.any())
        throw std::invalid_argument("no county polygons for state '" + usps + "'");
    return b.box();
}

bbox county_extent(const CountyIndex& counties, const std::string& fips) {
    const auto i = counties.find(fips);
    if (!i)
        throw std::invalid_argument("unknown county FIPS code '" + fips +
                                    "' (5 digits, e.g. 24510)");
    extent_builder b;
    b.add(counties.county(*i).rings);
    if (!b.any())
        throw std::invalid_argument("county " + fips + " has no polygon in the gazetteer");
    return b.box();
}

bbox points_extent(const std::vector<lonlat>& points) {
    extent_builder b;
    for (const auto& p : points)
        if (std::isfinite(p.lon) && std::isfinite(p.lat) && std::abs(p.lon) <= 180 &&
            std::abs(p.lat) <= 90)
            b.add(p.lon, p.lat);
    if (!b.any())
        throw std::invalid_argument("no points to map");
    return b.box();
}

grid_spec grid_for(const bbox& extent, const heatmap_options& o) {
    if (!(o.cell_m > 0) || !std::isfinite(o.cell_m))
        throw std::invalid_argument("the cell size must be more than 0 m");
    if (!(o.bandwidth_m > 0) || !std::isfinite(o.bandwidth_m))
        throw std::invalid_argument("the bandwidth must be more than 0 m");
    grid_spec g;
    g.crs = crs_of(region_of((extent.west + extent.east) / 2, (extent.south + extent.north) / 2));
    // the box's outline, densely sampled: a parallel is curved in a conic projection
    std::vector<double> x, y;
    constexpr int samples = 64;
    for (int i = 0; i <= samples; ++i) {
        const double t = static_cast<double>(i) / samples;
        const double lon = extent.west + t * (extent.east - extent.west);
        const double lat = extent.south + t * (extent.north - extent.south);
        x.insert(x.end(), {lon, lon, extent.west, extent.east});
        y.insert(y.end(), {extent.south, extent.north, lat, lat});
    }
    Projection(g.crs).forward(x, y);
    const double pad = o.bandwidth_m;
    const double xmin = *std::min_element(x.begin(), x.end()) - pad;
    const double xmax = *std::max_element(x.begin(), x.end()) + pad;
    const double ymin = *std::min_element(y.begin(), y.end()) - pad;
    const double ymax = *std::max_element(y.begin(), y.end()) + pad;
    g.cell = o.cell_m;
    g.x0 = std::floor(xmin / o.cell_m) * o.cell_m;
    g.y0 = std::ceil(ymax / o.cell_m) * o.cell_m;
    const double nx = std::ceil((xmax - g.x0) / o.cell_m);
    const double ny = std::ceil((g.y0 - ymin) / o.cell_m);
    if (nx * ny > max_cells)
        throw std::invalid_argument(
            "the grid would have " + std::to_string(static_cast<long long>(nx)) + " x " +
            std::to_string(static_cast<long long>(ny)) +
            " cells (more than 50,000,000): give a larger --cell or a smaller area");
    g.nx = static_cast<int>(nx);
    g.ny = static_cast<int>(ny);
    return g;
}

density_grid kernel_density(const grid_spec& grid, const std::vector<double>& x,
                            const std::vector<double>& y, const heatmap_options& o) {
    if (o.min_count < 1)
        throw std::invalid_argument("the minimum count must be at least 1");
    if (!(o.bandwidth_m > 0) || !(grid.cell > 0) || grid.nx <= 0 || grid.ny <= 0)
        throw std::invalid_argument("the grid and the bandwidth must be positive");
    density_grid d;
    d.grid = grid;
    d.options = o;
    const auto cells = static_cast<std::size_t>(grid.nx) * static_cast<std::size_t>(grid.ny);
    std::vector<double> bins(cells, 0.0);
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double col = std::floor((x[i] - grid.x0) / grid.cell);
        const double row = std::floor((grid.y0 - y[i]) / grid.cell);
        if (!(col >= 0 && col < grid.nx && row >= 0 && row < grid.ny)) {
            ++d.outside;
            continue;
        }
        bins[static_cast<std::size_t>(row) * grid.nx + static_cast<std::size_t>(col)] += 1;
        ++d.points;
    }
    // density: two passes of the 1-D kernel; support: two passes of a box of the same width
    const auto w = kernel_weights(grid.cell, o.bandwidth_m);
    const std::vector<double> box(w.size(), 1.0);
    std::vector<double> tmp, dens, support;
    pass_rows(bins, tmp, grid.nx, grid.ny, w);
    pass_columns(tmp, dens, grid.nx, grid.ny, w);
    pass_rows(bins, tmp, grid.nx, grid.ny, box);
    pass_columns(tmp, support, grid.nx, grid.ny, box);

    d.density.assign(cells, std::numeric_limits<float>::quiet_NaN());
    d.support.assign(cells, 0);
    for (std::size_t c = 0; c < cells; ++c) {
        const auto n = static_cast<std::int64_t>(std::llround(support[c]));
        d.support[c] = static_cast<std::int32_t>(std::min<std::int64_t>(n, INT32_MAX));
        if (n >= o.min_count) {
            d.density[c] = static_cast<float>(dens[c]);
            d.max_density = std::max(d.max_density, dens[c]);
        } else if (n > 0) {
            ++d.suppressed;
        }
    }
    return d;
}

density_grid kernel_density(const grid_spec& grid, const std::vector<lonlat>& points,
                            const heatmap_options& o) {
    std::vector<double> x, y;
    x.reserve(points.size());
    y.reserve(points.size());
    for (const auto& p : points) {
        x.push_back(p.lon);
        y.push_back(p.lat);
    }
    Projection(grid.crs).forward(x, y);
    return kernel_density(grid, x, y, o);
}

std::vector<lonlat> points_on_grid(const grid_spec& grid, const std::vector<lonlat>& points) {
    std::vector<double> x, y;
    for (const auto& p : points) {
        x.push_back(p.lon);
        y.push_back(p.lat);
    }
    Projection(grid.crs).forward(x, y);
    std::vector<lonlat> out;
    for (std::size_t i = 0; i < points.size(); ++i)
        if (x[i] >= grid.x0 && x[i] < grid.x0 + grid.nx * grid.cell && y[i] <= grid.y0 &&
            y[i] > grid.y0 - grid.ny * grid.cell)
            out.push_back(points[i]);
    return out;
}

namespace {

std::string fixed(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

} // namespace

void write_geotiff(const density_grid& d, const std::filesystem::path& file,
                   const std::string& description) {
    ingest::gdal_init();
    GDALDriverH drv = GDALGetDriverByName("GTiff");
    if (!drv)
        throw gdal_error("GDAL has no GTiff driver");
    gdal_detail::string_list opts;
    opts.set("COMPRESS", "DEFLATE");
    opts.set("TILED", "YES");
    CPLErrorReset();
    gdal_detail::dataset_ptr ds(
        GDALCreate(drv, file.string().c_str(), d.grid.nx, d.grid.ny, 1, GDT_Float32, opts.list));
    if (!ds)
        throw gdal_error("cannot create " + file.string() + gdal_detail::message_suffix());
    double gt[6] = {d.grid.x0, d.grid.cell, 0, d.grid.y0, 0, -d.grid.cell};
    GDALSetGeoTransform(ds.get(), gt);
    const Projection proj(d.grid.crs);
    GDALSetProjection(ds.get(), proj.wkt().c_str());
    GDALSetMetadataItem(ds.get(), "DESCRIPTION", description.c_str(), nullptr);
    GDALSetMetadataItem(ds.get(), "UNITS", "points per km2", nullptr);
    GDALSetMetadataItem(ds.get(), "KERNEL", "product quartic, radius = bandwidth", nullptr);
    GDALSetMetadataItem(ds.get(), "BANDWIDTH_M", fixed(d.options.bandwidth_m).c_str(), nullptr);
    GDALSetMetadataItem(ds.get(), "CELL_M", fixed(d.grid.cell).c_str(), nullptr);
    GDALSetMetadataItem(ds.get(), "MIN_COUNT", std::to_string(d.options.min_count).c_str(),
                        nullptr);
    GDALSetMetadataItem(ds.get(), "CRS", d.grid.crs.c_str(), nullptr);
    GDALRasterBandH band = GDALGetRasterBand(ds.get(), 1);
    GDALSetRasterNoDataValue(band, geotiff_nodata);
    std::vector<float> values(d.density);
    for (auto& v : values)
        if (std::isnan(v))
            v = static_cast<float>(geotiff_nodata);
    if (GDALRasterIO(band, GF_Write, 0, 0, d.grid.nx, d.grid.ny, values.data(), d.grid.nx,
                     d.grid.ny, GDT_Float32, 0, 0) != CE_None)
        throw gdal_error("cannot write " + file.string() + gdal_detail::message_suffix());
    auto* raw = ds.release();
    GDALClose(raw); // GDAL reports a failed flush through its error state
    if (CPLGetLastErrorType() >= CE_Failure)
        throw gdal_error("cannot write " + file.string() + gdal_detail::message_suffix());
}

} // namespace porchlight::geo
