// Kernel density: known point patterns against the kernel formula worked by hand, the
// min-count rule, the grid over an area, and the GeoTIFF and PNG forms read back with GDAL
// and cairo.
#include <catch2/catch.hpp>
#include <test_support.hpp>

#include <porchlight/geo/heatmap.hpp>

#include <cairo/cairo.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <random>
#include <stdexcept>

using namespace porchlight::geo;

namespace {

/// The quartic kernel along one axis, per km: k(u) = 15/(16h)(1 - (u/h)²)² for |u| < h.
double k(double u_km, double h_km) {
    if (std::abs(u_km) >= h_km)
        return 0;
    const double t = 1 - (u_km / h_km) * (u_km / h_km);
    return 15.0 / (16.0 * h_km) * t * t;
}

/// A 20 x 20 grid of 500 m cells in Conus Albers.
grid_spec small_grid() {
    grid_spec g;
    g.crs = "EPSG:5070";
    g.x0 = 0;
    g.y0 = 10000;
    g.cell = 500;
    g.nx = 20;
    g.ny = 20;
    return g;
}

/// n points at the centre of cell (row, col).
void add_at(const grid_spec& g, int row, int col, int n, std::vector<double>& x,
            std::vector<double>& y) {
    for (int i = 0; i < n; ++i) {
        x.push_back(g.x0 + (col + 0.5) * g.cell);
        y.push_back(g.y0 - (row + 0.5) * g.cell);
    }
}

float at(const density_grid& d, int row, int col) {
    return d.density[static_cast<std::size_t>(row) * d.grid.nx + col];
}

heatmap_options opts(double cell, double bandwidth, std::int64_t min_count) {
    heatmap_options o;
    o.cell_m = cell;
    o.bandwidth_m = bandwidth;
    o.min_count = min_count;
    return o;
}

} // namespace

TEST_CASE("five points at one cell give the kernel's values around it", "[geo][heatmap]") {
    const auto g = small_grid();
    std::vector<double> x, y;
    add_at(g, 10, 10, 5, x, y);
    const auto d = kernel_density(g, x, y, opts(500, 1000, 5));
    CHECK(d.points == 5);
    CHECK(d.outside == 0);
    // by hand, h = 1 km: k(0) = 15/16 = 0.9375, k(0.5) = 0.9375 * 0.75² = 0.52734375
    CHECK(at(d, 10, 10) == Approx(5 * 0.9375 * 0.9375));       // 4.39453125 per km²
    CHECK(at(d, 10, 11) == Approx(5 * 0.9375 * 0.52734375));   // 2.471923828125
    CHECK(at(d, 9, 9) == Approx(5 * 0.52734375 * 0.52734375)); // 1.3904571533203125
    CHECK(d.max_density == Approx(4.39453125));
    // one cell further is a whole bandwidth away: no weight, no support, blank
    CHECK(std::isnan(at(d, 10, 12)));
    CHECK(d.support[10 * 20 + 12] == 0);
    CHECK(d.support[10 * 20 + 11] == 5);
    CHECK(std::isnan(at(d, 0, 0)));
    CHECK(d.suppressed == 0);
}

TEST_CASE("four points are blank under the default minimum of five", "[geo][heatmap]") {
    const auto g = small_grid();
    std::vector<double> x, y;
    add_at(g, 10, 10, 4, x, y);
    const auto d = kernel_density(g, x, y, heatmap_options{});
    for (const auto v : d.density)
        CHECK(std::isnan(v));
    CHECK(d.suppressed == 9); // the 3 x 3 cells the four points reach
    CHECK(d.max_density == 0);
    // with K = 4 the same points are shown
    const auto shown = kernel_density(g, x, y, opts(500, 1000, 4));
    CHECK(at(shown, 10, 10) == Approx(4 * 0.9375 * 0.9375));
}

TEST_CASE("a cell is shown only when enough points reach it", "[geo][heatmap]") {
    const auto g = small_grid();
    std::vector<double> x, y;
    add_at(g, 10, 10, 5, x, y);
    add_at(g, 10, 11, 3, x, y);
    const auto d = kernel_density(g, x, y, opts(500, 1000, 5));
    CHECK(at(d, 10, 10) == Approx(5 * k(0, 1) * k(0, 1) + 3 * k(0, 1) * k(0.5, 1)));
    CHECK(d.support[10 * 20 + 10] == 8);
    // column 12 is reached by the three points of column 11 only
    CHECK(d.support[10 * 20 + 12] == 3);
    CHECK(std::isnan(at(d, 10, 12)));
    CHECK(d.suppressed == 3);
}

TEST_CASE("the separable passes equal the kernel summed point by point", "[geo][heatmap]") {
    auto g = small_grid();
    g.nx = 60;
    g.ny = 40;
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> col(0, g.nx - 1), row(0, g.ny - 1);
    std::vector<double> x, y;
    for (int i = 0; i < 300; ++i)
        add_at(g, row(rng), col(rng), 1, x, y);
    const double h = 3700; // not a whole number of cells
    const auto d = kernel_density(g, x, y, opts(500, h, 1));
    std::size_t compared = 0;
    for (int r = 0; r < g.ny; ++r)
        for (int c = 0; c < g.nx; ++c) {
            const double cx = g.x0 + (c + 0.5) * g.cell, cy = g.y0 - (r + 0.5) * g.cell;
            double sum = 0;
            std::int32_t support = 0;
            for (std::size_t i = 0; i < x.size(); ++i) {
                const double w = k((x[i] - cx) / 1000, h / 1000) * k((y[i] - cy) / 1000, h / 1000);
                sum += w;
                support += w > 0;
            }
            REQUIRE(d.support[static_cast<std::size_t>(r) * g.nx + c] == support);
            if (support == 0)
                continue;
            REQUIRE(at(d, r, c) == Approx(sum).epsilon(1e-5));
            ++compared;
        }
    CHECK(compared > 1000);
}

TEST_CASE("points off the grid are counted apart", "[geo][heatmap]") {
    const auto g = small_grid();
    std::vector<double> x{-1, 10001, 5000}, y{5000, 5000, 10001};
    const auto d = kernel_density(g, x, y, heatmap_options{});
    CHECK(d.points == 0);
    CHECK(d.outside == 3);
    CHECK_THROWS_AS(kernel_density(g, x, y, opts(500, 1000, 0)), std::invalid_argument);
}

TEST_CASE("the grid over an area is equal-area, padded and snapped to whole cells",
          "[geo][heatmap]") {
    const auto g = grid_for({-76.72, 39.19, -76.52, 39.38}, opts(500, 1000, 5));
    CHECK(g.crs == "EPSG:5070");
    CHECK(std::fmod(g.x0, 500.0) == 0);
    CHECK(std::fmod(g.y0, 500.0) == 0);
    CHECK(g.nx > 35);
    CHECK(g.nx < 50); // about 17 km wide, the box turned a little in the projection, 2 km padding
    CHECK(grid_for({-150.0, 61.0, -149.5, 61.3}, heatmap_options{}).crs == "EPSG:3338");
    CHECK(grid_for({-158.3, 21.2, -157.6, 21.7}, heatmap_options{}).crs == "ESRI:102007");
    CHECK_THROWS_AS(grid_for({-76.7, 39.2, -76.5, 39.4}, opts(0, 1000, 5)), std::invalid_argument);
    CHECK_THROWS_AS(grid_for({-76.7, 39.2, -76.5, 39.4}, opts(500, 0, 5)), std::invalid_argument);
    CHECK_THROWS_AS(grid_for({-125, 24, -66, 50}, opts(10, 1000, 5)), std::invalid_argument);
}

TEST_CASE("a bbox is four numbers in range and in order", "[geo][heatmap]") {
    const auto b = parse_bbox("-76.7,39.2,-76.5,39.4");
    CHECK(b.west == -76.7);
    CHECK(b.north == 39.4);
    for (const char* bad : {"", "1,2,3", "1,2,3,4,5", "a,39,b,40", "-76.5,39.2,-76.7,39.4",
                            "-76.7,39.4,-76.5,39.2", "-190,39,-76,40", "-76,39,-75,91"})
        CHECK_THROWS_AS(parse_bbox(bad), std::invalid_argument);
}

TEST_CASE("the GeoTIFF holds the densities, the CRS, the geotransform and nodata",
          "[geo][heatmap]") {
    porchlight::test::TempDir dir;
    const auto g = small_grid();
    std::vector<double> x, y;
    add_at(g, 10, 10, 5, x, y);
    const auto d = kernel_density(g, x, y, heatmap_options{});
    const auto file = dir / "out.tif";
    write_geotiff(d, file, "test");
    GDALDatasetH ds = GDALOpen(file.string().c_str(), GA_ReadOnly);
    REQUIRE(ds);
    CHECK(GDALGetRasterXSize(ds) == 20);
    CHECK(GDALGetRasterYSize(ds) == 20);
    double gt[6];
    REQUIRE(GDALGetGeoTransform(ds, gt) == CE_None);
    CHECK(gt[0] == 0);
    CHECK(gt[1] == 500);
    CHECK(gt[3] == 10000);
    CHECK(gt[5] == -500);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(GDALGetProjectionRef(ds));
    REQUIRE(srs);
    OSRAutoIdentifyEPSG(srs);
    CHECK(std::string(OSRGetAuthorityCode(srs, nullptr)) == "5070");
    OSRDestroySpatialReference(srs);
    GDALRasterBandH band = GDALGetRasterBand(ds, 1);
    int has_nodata = 0;
    CHECK(GDALGetRasterNoDataValue(band, &has_nodata) == -9999);
    CHECK(has_nodata);
    std::vector<float> v(400);
    REQUIRE(GDALRasterIO(band, GF_Read, 0, 0, 20, 20, v.data(), 20, 20, GDT_Float32, 0, 0) ==
            CE_None);
    CHECK(v[10 * 20 + 10] == Approx(4.39453125));
    CHECK(v[10 * 20 + 11] == Approx(2.471923828125));
    CHECK(v[0] == -9999);
    CHECK(std::string(GDALGetMetadataItem(ds, "MIN_COUNT", nullptr)) == "5");
    GDALClose(ds);
}

TEST_CASE("the PNG is coloured where dense and transparent where blank", "[geo][heatmap]") {
    porchlight::test::TempDir dir;
    const auto g = small_grid();
    std::vector<double> x, y;
    add_at(g, 10, 10, 5, x, y);
    const auto d = kernel_density(g, x, y, heatmap_options{});
    const auto file = dir / "out.png";
    write_png(d, file, {"Title", "cameras per km²", "Source: test", {}});
    cairo_surface_t* img = cairo_image_surface_create_from_png(file.string().c_str());
    REQUIRE(cairo_surface_status(img) == CAIRO_STATUS_SUCCESS);
    // the layout of write_png: 20 cells of 8 px, centred on a page 520 px wide, 44 px down
    CHECK(cairo_image_surface_get_width(img) == 520);
    const auto* data = cairo_image_surface_get_data(img);
    const int stride = cairo_image_surface_get_stride(img);
    auto pixel = [&](int row, int col) {
        const int px = 180 + col * 8 + 4, py = 44 + row * 8 + 4;
        return *reinterpret_cast<const std::uint32_t*>(data + py * stride + px * 4);
    };
    const auto dense = pixel(10, 10);
    CHECK((dense >> 24) == 0xff);
    // the densest cell has the top of the ramp: viridis yellow (r high, b low)
    CHECK(((dense >> 16) & 0xff) > 200);
    CHECK((dense & 0xff) < 80);
    const auto edge = pixel(9, 9); // shown, lower: darker on the ramp
    CHECK((edge >> 24) == 0xff);
    CHECK(((edge >> 16) & 0xff) < ((dense >> 16) & 0xff));
    CHECK((pixel(10, 12) >> 24) == 0); // no support: transparent
    CHECK((pixel(0, 0) >> 24) == 0);
    // the margin is white
    CHECK(*reinterpret_cast<const std::uint32_t*>(data + 2 * stride + 2 * 4) == 0xffffffffu);
    cairo_surface_destroy(img);
}

TEST_CASE("a credit too wide for the page is cut at a character and still drawn",
          "[geo][heatmap]") {
    porchlight::test::TempDir dir;
    const auto g = small_grid();
    std::vector<double> x, y;
    add_at(g, 10, 10, 5, x, y);
    const auto d = kernel_density(g, x, y, heatmap_options{});
    // every character two bytes: a cut inside one would leave invalid UTF-8, which cairo
    // refuses to draw
    std::string credit;
    for (int i = 0; i < 400; ++i)
        credit += "\u00b7";
    const auto file = dir / "out.png";
    write_png(d, file, {"Title", "cameras per km²", credit, {}});
    cairo_surface_t* img = cairo_image_surface_create_from_png(file.string().c_str());
    REQUIRE(cairo_surface_status(img) == CAIRO_STATUS_SUCCESS);
    const auto* data = cairo_image_surface_get_data(img);
    const int stride = cairo_image_surface_get_stride(img);
    const int height = cairo_image_surface_get_height(img);
    int dark = 0; // the credit line: the last 20 rows
    for (int py = height - 20; py < height; ++py)
        for (int px = 0; px < cairo_image_surface_get_width(img); ++px)
            dark += (*reinterpret_cast<const std::uint32_t*>(data + py * stride + px * 4) &
                     0xff) < 200;
    CHECK(dark > 20);
    cairo_surface_destroy(img);
}

TEST_CASE("the area of a state or county, across the 180th meridian too", "[geo][heatmap]") {
    const CountyIndex counties(std::string(PORCHLIGHT_SOURCE_DIR) + "/data/gazetteer");
    const auto md = state_extent(counties, "MD");
    CHECK(md.west == Approx(-79.49).margin(0.01));
    CHECK(md.north == Approx(39.72).margin(0.01));
    const auto city = county_extent(counties, "24510");
    CHECK(city.west == Approx(-76.71248).margin(1e-5));
    CHECK(city.north == Approx(39.37235).margin(1e-5));
    // Alaska's Aleutians lie on both sides of 180°: the box runs east from 172°E
    const auto ak = state_extent(counties, "AK");
    CHECK(ak.west == Approx(172.46).margin(0.01));
    CHECK(ak.east > 180);
    CHECK(ak.east - ak.west < 70);
    const auto g = grid_for(ak, opts(5000, 10000, 5));
    CHECK(g.crs == "EPSG:3338");
    CHECK(g.nx < 1000); // about 3,800 km of Alaska Albers, not the whole globe
    CHECK_THROWS_AS(county_extent(counties, "99999"), std::invalid_argument);
    CHECK_THROWS_AS(county_extent(counties, "51610"), std::invalid_argument); // no polygon
    CHECK_THROWS_AS(state_extent(counties, "XX"), std::invalid_argument);
    CHECK_THROWS_AS(points_extent({}), std::invalid_argument);
    const auto pts = points_extent({{179.5, 52.0}, {-179.5, 52.5}});
    CHECK(pts.west == 179.5);
    CHECK(pts.east == 180.5);
}
