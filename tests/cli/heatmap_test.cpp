// End-to-end tests of `porchlight heatmap`: a store made by `porchlight init` with cameras
// ingested from a CSV and video requests written with SQL; the GeoTIFF read back with GDAL,
// the PNG decoded with cairo, the hexbins parsed as JSON; bad input refused.
#include "report_support.hpp"

#include <porchlight/store/database.hpp>

#include <cairo/cairo.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include <cmath>

using namespace porchlight::test;
using namespace porchlight::test::report;

namespace {

const std::string baltimore_box = "-76.8,39.2,-76.5,39.5";

/// 5 cameras at the Inner Harbor (one point), 4 in Towson 12 km north (one point); 3 video
/// requests with a centre and 2 with an area only, all in the city.
class heatmap_store {
  public:
    heatmap_store() {
        REQUIRE(run_porchlight({"--db", db(), "-q", "init"}).status == 0);
        std::string csv = "lat,lon\n";
        for (int i = 0; i < 5; ++i)
            csv += "39.2858,-76.6100\n";
        for (int i = 0; i < 4; ++i)
            csv += "39.4015,-76.6019\n";
        write_file(m_dir / "cams.csv", csv);
        const auto r = run_porchlight({"--db", db(), "-q", "ingest", (m_dir / "cams.csv").string(),
                                       "--profile", "cameras", "--title", "Harbor cameras"});
        INFO(r.err);
        REQUIRE(r.status == 0);
        porchlight::store::Database d(db(), porchlight::store::Database::mode::read_write);
        d.exec("INSERT INTO video_requests (requested_at, center_lat, center_lon) VALUES "
               "('2020-01-01', 39.2858, -76.61), ('2020-01-02', 39.2858, -76.61), "
               "('2020-01-03', 39.2858, -76.61)");
        d.exec("INSERT INTO video_requests (requested_at, area_wkt) VALUES ('2020-01-04', "
               "'POLYGON ((-76.62 39.28, -76.60 39.28, -76.60 39.29, -76.62 39.29, -76.62 39.28))'),"
               " ('2020-01-05', 'POLYGON ((-76.62 39.28, -76.60 39.28, -76.60 39.29, -76.62 39.29, "
               "-76.62 39.28))')");
        d.close();
    }
    std::string db() const { return (m_dir / "store.db").string(); }
    run_result run(std::vector<std::string> args) const {
        args.insert(args.begin(), "heatmap");
        return run_on(db(), std::move(args));
    }

  private:
    TempDir m_dir;
};

const heatmap_store& store() {
    static const heatmap_store s;
    return s;
}

struct tif_read {
    int nx = 0, ny = 0;
    double gt[6] = {};
    std::string epsg;
    double nodata = 0;
    std::vector<float> values;
    std::size_t shown() const {
        std::size_t n = 0;
        for (auto v : values)
            n += v != static_cast<float>(nodata);
        return n;
    }
    float max() const {
        float m = 0;
        for (auto v : values)
            m = std::max(m, v);
        return m;
    }
};

tif_read read_tif(const fs::path& file) {
    GDALAllRegister();
    tif_read t;
    GDALDatasetH ds = GDALOpen(file.string().c_str(), GA_ReadOnly);
    REQUIRE(ds);
    t.nx = GDALGetRasterXSize(ds);
    t.ny = GDALGetRasterYSize(ds);
    GDALGetGeoTransform(ds, t.gt);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(GDALGetProjectionRef(ds));
    OSRAutoIdentifyEPSG(srs);
    if (const char* code = OSRGetAuthorityCode(srs, nullptr))
        t.epsg = code;
    OSRDestroySpatialReference(srs);
    GDALRasterBandH band = GDALGetRasterBand(ds, 1);
    int has = 0;
    t.nodata = GDALGetRasterNoDataValue(band, &has);
    CHECK(has);
    t.values.resize(static_cast<std::size_t>(t.nx) * t.ny);
    REQUIRE(GDALRasterIO(band, GF_Read, 0, 0, t.nx, t.ny, t.values.data(), t.nx, t.ny,
                         GDT_Float32, 0, 0) == CE_None);
    GDALClose(ds);
    return t;
}

// by hand: five points binned to one cell, h = 1 km: 5 · (15/16)² per km²
constexpr double five_at_centre = 5 * (15.0 / 16.0) * (15.0 / 16.0);

} // namespace

TEST_CASE("heatmap GeoTIFF: densities, CRS, geotransform, nodata, the min-count rule",
          "[heatmap]") {
    TempDir out;
    auto r = store().run({(out / "h.tif").string(), "--bbox", baltimore_box});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.err.find("9 cameras on a") != std::string::npos);
    const auto t = read_tif(out / "h.tif");
    CHECK(t.epsg == "5070");
    CHECK(t.gt[1] == 500);
    CHECK(t.gt[5] == -500);
    CHECK(std::fmod(t.gt[0], 500.0) == 0);
    CHECK(t.nodata == -9999);
    // the five points show in the 3 x 3 cells they reach; the four in Towson are blank
    CHECK(t.shown() == 9);
    CHECK(t.max() == Approx(five_at_centre));

    r = store().run({(out / "k4.tif").string(), "--bbox", baltimore_box, "--min-count", "4"});
    REQUIRE(r.status == 0);
    CHECK(read_tif(out / "k4.tif").shown() == 18);

    r = store().run({(out / "c.tif").string(), "--county", "24510", "--cell", "250m",
                     "--bandwidth", "0.5km", "--min-count", "5"});
    REQUIRE(r.status == 0);
    const auto c = read_tif(out / "c.tif");
    CHECK(c.gt[1] == 250);
    CHECK(c.max() == Approx(5 * (15.0 / 8.0) * (15.0 / 8.0))); // h = 0.5 km: k(0) = 15/8
    CHECK(c.shown() == 9);

    // the same store gives the same bytes
    REQUIRE(store().run({(out / "h2.tif").string(), "--bbox", baltimore_box}).status == 0);
    CHECK(read_text(out / "h.tif") == read_text(out / "h2.tif"));
}

TEST_CASE("heatmap of the requests layer: centres and the centroids of areas", "[heatmap]") {
    TempDir out;
    const auto r = store().run({(out / "r.tif").string(), "--layer", "requests", "--state", "MD"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto t = read_tif(out / "r.tif");
    // 5 requests: 3 at one point and 2 area centroids (about 700 m away) in neighbouring cells
    CHECK(t.shown() > 0);
    CHECK(t.max() > 0);
    CHECK(r.err.find("5 video requests on a") != std::string::npos);
}

TEST_CASE("heatmap PNG: coloured where dense, transparent where blank", "[heatmap]") {
    TempDir out;
    const auto r = store().run({(out / "h.png").string(), "--bbox", baltimore_box, "--title",
                                "Harbor test"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    cairo_surface_t* img = cairo_image_surface_create_from_png((out / "h.png").string().c_str());
    REQUIRE(cairo_surface_status(img) == CAIRO_STATUS_SUCCESS);
    const int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    const int stride = cairo_image_surface_get_stride(img);
    const auto* data = cairo_image_surface_get_data(img);
    std::size_t transparent = 0, top_of_ramp = 0, white = 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const auto px = *reinterpret_cast<const std::uint32_t*>(data + y * stride + x * 4);
            const auto a = px >> 24, red = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;
            transparent += a == 0;
            white += px == 0xffffffffu;
            top_of_ramp += a == 0xff && red > 220 && g > 200 && b < 60; // viridis yellow
        }
    cairo_surface_destroy(img);
    CHECK(transparent > 1000); // the blank cells of the map
    CHECK(white > 1000);       // the margins
    CHECK(top_of_ramp > 0);    // the densest cell (and the legend's end)
    // the PNG is the same for the same store
    REQUIRE(store().run({(out / "h2.png").string(), "--bbox", baltimore_box, "--title",
                         "Harbor test"}).status == 0);
    CHECK(read_text(out / "h.png") == read_text(out / "h2.png"));
}

TEST_CASE("heatmap hexbins: counts with the same min-count rule", "[heatmap]") {
    TempDir out;
    auto r = store().run({(out / "h.tif").string(), "--bbox", baltimore_box, "--hexbins",
                          (out / "h.geojson").string()});
    REQUIRE(r.status == 0);
    auto j = json::parse(read_text(out / "h.geojson"));
    CHECK(j["type"] == "FeatureCollection");
    REQUIRE(j["features"].size() == 1);
    CHECK(j["features"][0]["properties"]["count"] == 5);
    const auto& ring = j["features"][0]["geometry"]["coordinates"][0];
    REQUIRE(ring.size() == 7);
    CHECK(ring[0] == ring[6]);

    r = store().run({(out / "h.tif").string(), "--bbox", baltimore_box, "--min-count", "4",
                     "--hexbins", (out / "h4.geojson").string()});
    REQUIRE(r.status == 0);
    j = json::parse(read_text(out / "h4.geojson"));
    REQUIRE(j["features"].size() == 2);
    CHECK(j["features"][0]["properties"]["count"] == 5); // south first
    CHECK(j["features"][1]["properties"]["count"] == 4);
}

TEST_CASE("heatmap refuses bad input with a clear message", "[heatmap]") {
    TempDir out;
    const auto tif = (out / "x.tif").string();
    struct bad {
        std::vector<std::string> args;
        int status;
        std::string message;
    };
    const std::vector<bad> cases = {
        {{tif, "--county", "99999"}, 2, "unknown county FIPS code '99999'"},
        {{tif, "--county", "245"}, 2, "give a 5-digit county FIPS code"},
        {{tif, "--bbox", "1,2,3"}, 2, "give W,S,E,N"},
        {{tif, "--bbox", "-76.5,39.2,-76.8,39.5"}, 2, "west must be less than east"},
        {{tif, "--cell", "0"}, 2, "--cell must be more than 0"},
        {{tif, "--cell", "0m"}, 2, "--cell must be more than 0"},
        {{tif, "--bandwidth", "wide"}, 2, "give a length such as 500m or 1km"},
        {{tif, "--min-count", "0"}, 2, "--min-count must be at least 1"},
        {{tif, "--state", "Narnia"}, 2, "unknown state 'Narnia'"},
        {{tif, "--state", "MD", "--county", "24510"}, 2, "give one of --state, --county and --bbox"},
        {{tif, "--layer", "drones"}, 2, "unknown layer 'drones'"},
        {{(out / "x.jpg").string()}, 2, "name it .tif (GeoTIFF) or .png"},
        {{}, 2, "where to?"},
        {{tif, "--bbox", "-100,40,-99,41"}, 1, "no cameras in the area asked for"},
        {{(out / "no" / "x.tif").string()}, 1, (out / "no" / "x.tif").string()},
        {{(out / "no" / "x.png").string()}, 1, "cannot write the PNG " + (out / "no" / "x.png").string()},
        {{tif, "--hexbins", (out / "no" / "h.geojson").string()}, 1, "cannot write the hexbins"},
    };
    for (const auto& c : cases) {
        const auto r = store().run(c.args);
        INFO(r.err);
        CHECK(r.status == c.status);
        CHECK(r.err.find(c.message) != std::string::npos);
    }
    fs::remove(tif); // written by the --hexbins case, whose GeoJSON could not be

    // an empty layer
    TempDir dir;
    const auto db = (dir / "empty.db").string();
    REQUIRE(run_porchlight({"--db", db, "-q", "init"}).status == 0);
    const auto r = run_on(db, {"heatmap", tif});
    CHECK(r.status == 1);
    CHECK(r.err.find("the store holds no cameras to map") != std::string::npos);
    const auto q = run_on(db, {"heatmap", tif, "--layer", "requests"});
    CHECK(q.status == 1);
    CHECK(q.err.find("no video requests with a point") != std::string::npos);
}
