// render::export_layer in every format, each file read back with GDAL/OGR (as ogrinfo
// would): feature counts, a property, the hostile agency name exactly, the ring order and
// the decimals of the coordinates, the layer description; the same store gives the same
// bytes; an empty layer or an unwritable path leaves no file.
#include "export_fixture.hpp"

#include <porchlight/error.hpp>
#include <porchlight/render/export.hpp>

// GDAL is a private dependency of porchlight::core: its headers are reached by their folder
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <regex>

using namespace porchlight;
using namespace porchlight::render;
using porchlight::test::read_text;
using porchlight::test::render_fixture::export_store;
using porchlight::test::render_fixture::hostile_name;
namespace fixture = porchlight::test::render_fixture;
namespace fs = std::filesystem;

namespace {

export_store& shared_store() {
    static export_store s;
    return s;
}

export_result write(layer_kind k, export_format f, const fs::path& out,
                    const layer_filter& filter = {}) {
    return export_layer(shared_store().store.db(), fixture::data_dir, k, filter, f, out);
}

/// A vector file as OGR reads it: driver, layer description, features' fields and geometry.
struct ogr_file {
    std::string driver;
    std::string description;
    std::int64_t features = 0;
    std::vector<std::int64_t> fids;
    std::vector<std::map<std::string, std::string>> fields;
    std::vector<double> outer_ring_areas; ///< signed, per polygon (counter-clockwise > 0)
    std::vector<double> hole_areas;
    std::string srs_authority;
};

double ring_area(OGRGeometryH ring) {
    double a = 0;
    const int n = OGR_G_GetPointCount(ring);
    for (int i = 0, j = n - 1; i < n; j = i++)
        a += OGR_G_GetX(ring, j) * OGR_G_GetY(ring, i) - OGR_G_GetX(ring, i) * OGR_G_GetY(ring, j);
    return a / 2;
}

/// Opens a vector file read-only with GDAL; requires it to open.
GDALDatasetH ogr_open(const fs::path& file, std::vector<std::string> open_options = {}) {
    GDALAllRegister();
    std::vector<char*> opts;
    for (auto& o : open_options)
        opts.push_back(o.data());
    opts.push_back(nullptr);
    GDALDatasetH ds = GDALOpenEx(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                 opts.data(), nullptr);
    INFO(file << ": " << CPLGetLastErrorMsg());
    REQUIRE(ds);
    return ds;
}

ogr_file ogr_read(const fs::path& file, std::vector<std::string> open_options = {}) {
    GDALDatasetH ds = ogr_open(file, std::move(open_options));
    ogr_file r;
    r.driver = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
    REQUIRE(GDALDatasetGetLayerCount(ds) == 1);
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    if (const char* d = GDALGetMetadataItem(layer, "DESCRIPTION", nullptr))
        r.description = d;
    if (OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer))
        if (const char* code = OSRGetAuthorityCode(srs, nullptr))
            r.srs_authority = code;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    OGR_L_ResetReading(layer);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
        ++r.features;
        r.fids.push_back(OGR_F_GetFID(f));
        std::map<std::string, std::string> row;
        for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
            if (OGR_F_IsFieldSetAndNotNull(f, i))
                row[OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i))] =
                    OGR_F_GetFieldAsString(f, i);
        r.fields.push_back(std::move(row));
        if (OGRGeometryH g = OGR_F_GetGeometryRef(f);
            g && wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPolygon) {
            r.outer_ring_areas.push_back(ring_area(OGR_G_GetGeometryRef(g, 0)));
            for (int i = 1; i < OGR_G_GetGeometryCount(g); ++i)
                r.hole_areas.push_back(ring_area(OGR_G_GetGeometryRef(g, i)));
        }
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return r;
}

/// Whether some feature has field == value.
bool has_value(const ogr_file& r, const std::string& field, const std::string& value) {
    for (const auto& row : r.fields) {
        const auto it = row.find(field);
        if (it != row.end() && it->second == value)
            return true;
    }
    return false;
}

/// Every number in the coordinates of a GeoJSON text has at most 7 decimals.
void check_decimals(const std::string& text) {
    const std::regex number(R"(-?[0-9]+\.([0-9]+))");
    std::size_t checked = 0;
    for (auto at = text.find("\"coordinates\":"); at != std::string::npos;
         at = text.find("\"coordinates\":", at + 1)) {
        const auto end = text.find('}', at);
        const auto coords = text.substr(at, end - at);
        for (std::sregex_iterator it(coords.begin(), coords.end(), number), stop; it != stop;
             ++it, ++checked)
            CHECK((*it)[1].length() <= 7);
    }
    CHECK(checked > 0);
}

} // namespace

TEST_CASE("format names and extensions", "[render][export]") {
    CHECK(export_format_from_path("a/b.GeoJSON") == export_format::geojson);
    CHECK(export_format_from_path("x.geojsonl") == export_format::geojsonl);
    CHECK(export_format_from_path("x.kmz") == export_format::kmz);
    CHECK(export_format_from_name("GeoPackage") == export_format::gpkg);
    CHECK(export_format_from_name("flatgeobuf") == export_format::fgb);
    CHECK_THROWS_WITH(export_format_from_path("x.shp"), Catch::Contains("give --format"));
    CHECK_THROWS_WITH(export_format_from_name("shapefile"), Catch::Contains("geojson, geojsonl"));
}

TEST_CASE("GeoJSON is RFC 7946 and reads back with OGR", "[render][export]") {
    test::TempDir dir;
    const auto r = write(layer_kind::requests, export_format::geojson, dir / "r.geojson");
    CHECK(r.features == 2);
    CHECK(r.info.without_location == 1);
    const auto text = read_text(dir / "r.geojson");
    const auto doc = nlohmann::json::parse(text);
    CHECK(doc["type"] == "FeatureCollection");
    CHECK_FALSE(doc.contains("crs"));
    CHECK(doc["name"] == "requests");
    check_decimals(text);
    const auto& ring = doc["features"][0]["geometry"]["coordinates"][0];
    CHECK(ring.front() == ring.back()); // closed
    const auto back = ogr_read(dir / "r.geojson");
    CHECK(back.driver == "GeoJSON");
    CHECK(back.features == 2);
    REQUIRE(back.outer_ring_areas.size() == 1);
    CHECK(back.outer_ring_areas[0] > 0); // counter-clockwise outside
    REQUIRE(back.hole_areas.size() == 1);
    CHECK(back.hole_areas[0] < 0); // clockwise holes
    CHECK(has_value(back, "sources", "Request log"));
    CHECK_FALSE(fs::exists(dir / "r.geojson.part"));
}

TEST_CASE("the hostile agency name round-trips exactly in every format", "[render][export]") {
    test::TempDir dir;
    struct c {
        export_format format;
        const char* file;
        std::vector<std::string> open_options;
        const char* name_field;
    };
    const std::vector<c> cases = {
        {export_format::geojson, "p.geojson", {}, "agency"},
        {export_format::geojsonl, "p.geojsonl", {}, "agency"},
        {export_format::kml, "p.kml", {}, "Name"},
        {export_format::kmz, "p.kmz", {}, "Name"},
        {export_format::gpkg, "p.gpkg", {}, "agency"},
        {export_format::fgb, "p.fgb", {}, "agency"},
        {export_format::csv, "p.csv", {"X_POSSIBLE_NAMES=lon", "Y_POSSIBLE_NAMES=lat"}, "agency"}};
    for (const auto& k : cases) {
        INFO(k.file);
        const auto r = write(layer_kind::partnerships, k.format, dir / k.file);
        CHECK(r.features == 5);
        const auto back = ogr_read(dir / k.file, k.open_options);
        CHECK(back.features == 5);
        CHECK(has_value(back, k.name_field, hostile_name));
        if (k.format == export_format::kml || k.format == export_format::kmz) {
            CHECK(has_value(back, "agency", hostile_name)); // ExtendedData
            continue;
        }
        CHECK(has_value(back, "start_precision", "month"));
        CHECK(has_value(back, "links", "https://example.org/alpha"));
        CHECK(has_value(back, "geocode_precision", "county"));
    }
}

TEST_CASE("GeoPackage keeps the description, the ids and WGS84", "[render][export]") {
    test::TempDir dir;
    layer_filter f;
    f.vendor = "axon";
    write(layer_kind::partnerships, export_format::gpkg, dir / "p.gpkg", f);
    const auto back = ogr_read(dir / "p.gpkg");
    CHECK(back.driver == "GPKG");
    CHECK(back.features == 2);
    CHECK(back.description.find("vendor axon") != std::string::npos);
    CHECK(back.srs_authority == "4326");
    const auto ids = shared_store().store.db().scalar_int(
        "SELECT min(p.id) FROM partnerships p JOIN vendors v ON v.id = p.vendor_id "
        "WHERE v.name = 'Axon'");
    CHECK(back.fids.front() == ids);
    const auto areas = ogr_read((write(layer_kind::requests, export_format::gpkg, dir / "r.gpkg"),
                                 dir / "r.gpkg"));
    REQUIRE(areas.outer_ring_areas.size() == 1);
    CHECK(areas.outer_ring_areas[0] > 0);
}

TEST_CASE("GeoPackage has a spatial index that SQLite and GDAL accept", "[render][export]") {
    test::TempDir dir;
    const auto file = dir / "c.gpkg";
    write(layer_kind::cameras, export_format::gpkg, file);
    CHECK_FALSE(fs::exists(dir / "c.gpkg.part.index.gpkg")); // the scratch file is gone
    const auto text = [&](const char* sql) { return test::query(file, sql); };
    CHECK(text("SELECT rtreecheck('rtree_cameras_geom')") == "ok");
    CHECK(text("SELECT count(*) FROM rtree_cameras_geom") == "5");
    CHECK(text("SELECT extension_name FROM gpkg_extensions WHERE table_name = 'cameras'") ==
          "gpkg_rtree_index");
    CHECK(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE "
               "'rtree_cameras_geom_%'") != "0");
    CHECK(text("SELECT count(*) FROM cameras c WHERE NOT EXISTS (SELECT 1 FROM "
               "rtree_cameras_geom r WHERE r.id = c.fid)") == "0");
    // the boxes hold the points: Austin's camera (-97.7431, 30.2672) is found by its box
    CHECK(text("SELECT id FROM rtree_cameras_geom WHERE minx <= -97.7431 AND maxx >= "
               "-97.7431 AND miny <= 30.2672 AND maxy >= 30.2672") == "5");
    GDALDatasetH ds = ogr_open(file);
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    CHECK(OGR_L_TestCapability(layer, OLCFastSpatialFilter));
    OGR_L_SetSpatialFilterRect(layer, -83.1, 39.9, -82.9, 40.0); // Columbus: 4 of 5
    CHECK(OGR_L_GetFeatureCount(layer, TRUE) == 4);
    OGR_L_SetSpatialFilterRect(layer, -98, 30, -97, 31); // Austin
    CHECK(OGR_L_GetFeatureCount(layer, TRUE) == 1);
    GDALClose(ds);
}

TEST_CASE("a GeoPackage index of many levels finds what a scan finds", "[render][export]") {
    test::TempDir dir;
    auto store = store::Store::create(dir / "many.db");
    // 20,000 points: 393 leaves of 51, 8 nodes above them, a root: three levels
    store.db().exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    "WHERE i < 20000) INSERT INTO cameras (id, lat, lon, kind) SELECT i, "
                    "25 + ((i * 7919) % 10007) / 10007.0 * 24, -124 + ((i * 104729) % 10009) "
                    "/ 10009.0 * 57, 'fixed' FROM n");
    const auto file = dir / "many.gpkg";
    const auto r = export_layer(store.db(), fixture::data_dir, layer_kind::cameras, {},
                                export_format::gpkg, file);
    CHECK(r.features == 20000);
    CHECK(test::query(file, "SELECT rtreecheck('rtree_cameras_geom')") == "ok");
    GDALDatasetH ds = ogr_open(file);
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    for (const auto& [w, s, e, n] : std::vector<std::array<double, 4>>{
             {-100, 30, -90, 35}, {-124, 25, -67, 49}, {-80.5, 40.2, -80.1, 40.9}}) {
        OGR_L_SetSpatialFilterRect(layer, w, s, e, n);
        const auto expected = store.db().scalar_int(
            "SELECT count(*) FROM cameras WHERE lon >= " + std::to_string(w) + " AND lon <= " +
            std::to_string(e) + " AND lat >= " + std::to_string(s) + " AND lat <= " +
            std::to_string(n));
        CHECK(OGR_L_GetFeatureCount(layer, TRUE) == expected);
    }
    GDALClose(ds);
}

TEST_CASE("the KML description escapes the name and links the evidence", "[render][export]") {
    test::TempDir dir;
    write(layer_kind::partnerships, export_format::kml, dir / "p.kml");
    const auto text = read_text(dir / "p.kml");
    // the name is text: its markup escaped once as XML and, inside the description, as HTML
    CHECK(text.find("<img") == std::string::npos);
    CHECK(text.find("&amp;lt;img src=x onerror=alert(1)&amp;gt;") != std::string::npos);
    CHECK(text.find("&lt;a href=\"https://example.org/alpha\"&gt;") != std::string::npos);
    CHECK(text.find("<styleUrl>#style-") != std::string::npos);
    CHECK(text.find("<Style id=\"style-1\">") < text.find("<Placemark"));
    const auto back = ogr_read(dir / "p.kml");
    bool linked = false;
    for (const auto& row : back.fields)
        linked = linked || (row.count("description") &&
                            row.at("description").find("<a href=\"https://example.org/alpha\">") !=
                                std::string::npos);
    CHECK(linked);
}

TEST_CASE("CSV has lon and lat for points and WKT for areas", "[render][export]") {
    test::TempDir dir;
    write(layer_kind::cameras, export_format::csv, dir / "c.csv");
    CHECK(read_text(dir / "c.csv").rfind("id,lon,lat,kind,operator", 0) == 0);
    write(layer_kind::requests, export_format::csv, dir / "r.csv");
    CHECK(read_text(dir / "r.csv").rfind("id,wkt,agency", 0) == 0);
    const auto back = ogr_read(dir / "r.csv", {"GEOM_POSSIBLE_NAMES=wkt", "KEEP_GEOM_COLUMNS=NO"});
    CHECK(back.features == 2);
    REQUIRE(back.outer_ring_areas.size() == 1);
    CHECK(back.outer_ring_areas[0] > 0);
}

TEST_CASE("the same store gives the same bytes", "[render][export]") {
    test::TempDir dir;
    for (auto f : {export_format::geojson, export_format::geojsonl, export_format::kml,
                   export_format::csv}) {
        for (auto k : {layer_kind::agencies, layer_kind::requests}) {
            const auto name = std::string(to_string(k)) + "." + std::string(to_string(f));
            write(k, f, dir / ("a-" + name));
            write(k, f, dir / ("b-" + name));
            INFO(name);
            CHECK(read_text(dir / ("a-" + name)) == read_text(dir / ("b-" + name)));
        }
    }
}

TEST_CASE("personal data is exported only on request", "[render][export]") {
    test::TempDir dir;
    write(layer_kind::requests, export_format::geojson, dir / "r.geojson");
    auto text = read_text(dir / "r.geojson");
    CHECK(text.find("12 Elm St") == std::string::npos);
    CHECK(text.find("CASE-1") == std::string::npos);
    write(layer_kind::cameras, export_format::kml, dir / "c.kml");
    CHECK(read_text(dir / "c.kml").find("Smith family") == std::string::npos);
    layer_filter personal;
    personal.include_personal_data = true;
    write(layer_kind::requests, export_format::geojson, dir / "p.geojson", personal);
    text = read_text(dir / "p.geojson");
    CHECK(text.find("\"address\":\"12 Elm St\"") != std::string::npos);
    CHECK(text.find("\"case_number\":\"CASE-1\"") != std::string::npos);
    write(layer_kind::cameras, export_format::kml, dir / "pc.kml", personal);
    CHECK(read_text(dir / "pc.kml").find("Smith family doorbell") != std::string::npos);
}

TEST_CASE("an empty layer says which filter emptied it and leaves no file", "[render][export]") {
    test::TempDir dir;
    // the export fails with `message` and leaves neither the file nor its .part
    const auto refused = [&](layer_kind kind, export_format format, const std::string& name,
                             const layer_filter& f, const std::string& message) {
        CHECK_THROWS_WITH(write(kind, format, dir / name, f), Catch::Contains(message));
        CHECK_FALSE(fs::exists(dir / name));
        CHECK_FALSE(fs::exists(dir / (name + ".part")));
    };
    layer_filter f;
    f.vendor = "nosuchvendor";
    f.state = "OH";
    refused(layer_kind::partnerships, export_format::geojson, "e.geojson", f,
            "--vendor nosuchvendor keeps no partnerships");
    layer_filter both; // each alone keeps some, together none
    both.vendor = "ring";
    both.state = "IL";
    refused(layer_kind::partnerships, export_format::gpkg, "e.gpkg", both,
            "the filters together keep no partnerships");
    refused(layer_kind::hexbins, export_format::fgb, "h.fgb", layer_filter{},
            "no hexagon 5000 m across holds 5 cameras or more (of 5");
}

TEST_CASE("an unwritable path is an error naming it", "[render][export]") {
    test::TempDir dir;
    CHECK_THROWS_WITH(
        write(layer_kind::agencies, export_format::geojson, dir / "missing" / "a.geojson"),
        Catch::Contains("missing") && Catch::Contains("does not exist"));
    CHECK_THROWS_AS(write(layer_kind::agencies, export_format::csv, dir.path()), error);
}
