// End-to-end tests of `porchlight ingest` with camera profiles: CSV with lat/lon or WKT,
// KML placemarks, GeoJSON points, OpenStreetMap XML, and the real Baltimore camera CSV.
#include <catch2/catch.hpp>
#include <test_support.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace porchlight::test;

namespace {

using camera_store = TempStore;

} // namespace

TEST_CASE("ingest cameras CSV: lat/lon columns, bad rows skipped and listed", "[ingest][cameras]") {
    camera_store s;
    const auto r = require_success(s.ingest({data_file("cameras/cameras.csv").string()}));
    CHECK(r.out.find("profile cameras: detected from columns 'latitude'") != std::string::npos);
    CHECK(r.out.find("rows 7, cameras 4 (with direction 3), skipped 3, warnings 3\n") !=
          std::string::npos);
    CHECK(r.out.find("  skipped, coordinates out of range: 1 (row 4)\n"
                     "  skipped, lat/lon swapped: 1 (row 3)\n"
                     "  skipped, no coordinates: 1 (row 5)\n") != std::string::npos);
    CHECK(r.err.find("lat -76.6094, lon 39.3248 looks swapped: the point is outside MD") !=
          std::string::npos);
    CHECK(r.err.find("cameras.csv:row 3, lat)") != std::string::npos);
    // a valid point outside the row's state is kept, with a warning
    CHECK(r.err.find("lat 38.9717, lon -95.2353 is outside MD (") != std::string::npos);
    CHECK(s.sql("SELECT group_concat(ref || ':' || kind || ':' || ifnull(direction, '-') || ':' || "
                "ifnull(field_of_view, '-'), ' ') FROM (SELECT * FROM cameras ORDER BY id)") ==
          "c1:dome:90.0:- c2:fixed:45.0:- c6:ptz:0.0:120.0 c7:fixed:-:-");
    CHECK(s.sql("SELECT operator || ' / ' || name FROM cameras WHERE ref = 'c1'") ==
          "Baltimore Police Department / Harbor East");
    // the camera's row is its evidence: no evidence row per camera
    CHECK(s.sql("SELECT count(*) FROM cameras WHERE record_id IS NULL") == "0");
    CHECK(s.sql("SELECT count(*) FROM evidence") == "0");
    CHECK(s.sql("SELECT count(*) FROM facts_without_evidence") == "0");
    CHECK(s.sql("SELECT count(*) FROM records") == "7");
}

TEST_CASE("ingest cameras from KML placemarks and GeoJSON points", "[ingest][cameras]") {
    camera_store s;
    auto r = require_success(
        s.ingest({data_file("cameras/cameras.kml").string(), "--profile", "cameras"}));
    CHECK(r.out.find("rows 3, cameras 2 (with direction 1), skipped 1") != std::string::npos);
    CHECK(r.out.find("  skipped, no coordinates: 1 (row 3)\n") != std::string::npos);
    CHECK(s.sql("SELECT group_concat(name || '@' || lat || ',' || lon, ' ') FROM cameras") ==
          "Lexington Market@39.2916,-76.6219 Penn Station@39.3073,-76.6157");
    r = s.ingest({data_file("cameras/cameras.geojson").string(), "--profile", "cameras"});
    REQUIRE(r.status == 0);
    CHECK(s.sql("SELECT direction || ' ' || direction_raw FROM cameras WHERE name = 'Canton'") ==
          "270.0 W");
    CHECK(s.sql("SELECT count(*) FROM cameras") == "4");
}

TEST_CASE("ingest OSM XML: direction ranges, compass points, ways", "[ingest][cameras]") {
    camera_store s;
    const auto r = require_success(s.ingest({data_file("cameras/surveillance.osm").string()}));
    CHECK(r.out.find("osm, profile osm-surveillance: detected from columns 'osm_id' 'man_made'") !=
          std::string::npos);
    CHECK(r.out.find("rows 4, cameras 4 (with direction 3), skipped 0, warnings 0") !=
          std::string::npos);
    CHECK(s.sql("SELECT group_concat(ref || '|' || ifnull(kind, '') || '|' || "
                "ifnull(surveillance_type, '') || '|' || ifnull(zone, '') || '|' || "
                "ifnull(direction, '') || '|' || ifnull(field_of_view, '') || '|' || "
                "ifnull(angle, '') || '|' || ifnull(operator, ''), ' ; ') FROM "
                "(SELECT * FROM cameras ORDER BY id)") ==
          "node/1001|dome|camera|public|135.0|90.0||Baltimore Police Department ; "
          "node/1002|fixed|camera||0.0|120.0|15.0| ; "
          "node/1003||ALPR||45.0||| ; "
          "way/3001||camera|indoor||||");
    CHECK(s.sql("SELECT lat || ',' || lon FROM cameras WHERE ref = 'way/3001'") ==
          "39.2805,-76.5995");
    CHECK(s.sql("SELECT locator FROM records WHERE row_no = 4") == "element 4");
}

TEST_CASE("ingest a camera file without one usable point fails and leaves the store",
          "[ingest][cameras][errors]") {
    camera_store s;
    REQUIRE(s.ingest({data_file("cameras/cameras.kml").string(), "--profile", "cameras"}).status ==
            0);
    const auto before = store_fingerprint(s.db());
    std::ofstream(s.dir() / "none.csv") << "lat,lon,name\n,,a\n100,500,b\n";
    const auto r = s.ingest({(s.dir() / "none.csv").string()});
    CHECK(r.status == 1);
    CHECK(r.err.find("no usable rows: 1 row: coordinates out of range (row 2), 1 row: no "
                     "coordinates (row 1); nothing was written") != std::string::npos);
    CHECK(store_fingerprint(s.db()) == before);
}

TEST_CASE("ingest the real Baltimore camera CSV: every point in the city",
          "[ingest][cameras][real]") {
    const auto file = real_file("cameras/BPD_Cameras (2).csv");
    if (!file)
        return;
    std::ifstream in(*file);
    std::string line;
    std::int64_t data_rows = -1; // the header
    while (std::getline(in, line))
        if (!line.empty())
            ++data_rows;
    camera_store s;
    const auto r = require_success(s.ingest({file->string()}));
    CHECK(r.out.find("profile cameras: detected from columns 'the_geom'") != std::string::npos);
    CHECK(s.sql("SELECT count(*) FROM cameras") == std::to_string(data_rows));
    CHECK(s.sql("SELECT count(*) FROM cameras WHERE lon BETWEEN -76.72 AND -76.52 AND lat BETWEEN "
                "39.19 AND 39.38") == std::to_string(data_rows));
    CHECK(s.sql("SELECT count(*) FROM cameras WHERE name IS NULL") == "0");
}

TEST_CASE(
    "ingest cameras: --state checks points, --dry-run writes nothing, bad --state is a usage error",
    "[ingest][cameras]") {
    camera_store s;
    // the KML gives no state: with --state KS its Baltimore points are outside it
    auto r = require_success(s.ingest({data_file("cameras/cameras.kml").string(), "--profile",
                                        "cameras", "--state", "KS", "--dry-run"}));
    CHECK(r.out.find("dry run, nothing written") != std::string::npos);
    CHECK(r.out.find("cameras 2 (with direction 1), skipped 1, warnings 2") != std::string::npos);
    CHECK(r.err.find("lat 39.2916, lon -76.6219 is outside KS (") != std::string::npos);
    CHECK_FALSE(fs::exists(s.db()));
    r = s.ingest({data_file("cameras/cameras.kml").string(), "--state", "XX"});
    CHECK(r.status == 2);
    CHECK(r.err.find("unknown state 'XX' given as --state") != std::string::npos);
}
