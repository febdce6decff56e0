#pragma once

// A store for the layer and export tests (layers_test.cpp, export_test.cpp): partnerships
// ingested from a generic list (with cited links), agencies placed by SQL (one left without
// a location, one with a hostile name), a source of video requests (an area given clockwise
// with a hole, a centre, one with neither) and cameras in Ohio and Texas, with evidence.

#include <catch2/catch.hpp>

#include <porchlight/ingest/ingester.hpp>
#include <porchlight/render/layers.hpp>
#include <porchlight/store/store.hpp>

#include "test_support.hpp"

#include <filesystem>
#include <fstream>
#include <string>

namespace porchlight::test::render_fixture {

namespace fs = std::filesystem;

inline const fs::path data_dir = fs::path(PORCHLIGHT_SOURCE_DIR) / "data";

/// Quotes, angle brackets, an ampersand, a newline and text beyond ASCII.
inline const std::string hostile_name =
    "<img src=x onerror=alert(1)> \"Quoted\" & 'apos'\nZweite Zeile \xC3\x91" "and\xC3\xBA "
    "\xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x98\x80";

// Alpha OH Ring 2019-08 (month) · Beta OH Flock 2019-08-19 · Gamma TX Ring undated, no
// location · Delta TX Axon 2018-01-01..2019-06-30 · Epsilon IL DJI 2019-02 · Eta OH Axon
// 2019-01-01..2019-08-19 (Alpha's name is replaced by hostile_name)
inline const char* partnerships_csv =
    "agency,city,county,state,vendor,technology,start,end,url\n"
    "Alpha Police Department,Columbus,,OH,Amazon Ring,Ring/Neighbors Partnership,2019-08,,"
    "https://example.org/alpha\n"
    "Beta Police Department,Dayton,,OH,Flock Safety,Automated License Plate Readers,"
    "2019-08-19,,https://example.org/beta\n"
    "Gamma Police Department,Austin,,TX,Ring,Ring/Neighbors Partnership,,,\n"
    "Delta Police Department,Houston,,TX,Axon,Body-worn Cameras,2018-01-01,2019-06-30,\n"
    "Epsilon Police Department,Chicago,,IL,DJI,Drones,2019-02,,\n"
    "Eta Police Department,Toledo,,OH,Axon,Body-worn Cameras,2019-01-01,2019-08-19,\n";

struct export_store {
    TempDir dir;
    fs::path db = dir / "porchlight.db";
    store::Store store = store::Store::create(db);

    export_store() {
        std::ofstream(dir / "list.csv") << partnerships_csv;
        ingest::Ingester ingester{store, data_dir};
        ingest::ingest_options o;
        o.as_of = "2024-01-31";
        o.title = "Partnership list";
        o.profile = "generic-partnerships";
        ingester.ingest_file(dir / "list.csv", o);
        auto& d = store.db();
        d.exec("UPDATE agencies SET lat = 39.9611755, lon = -82.9987942, "
               "geocode_precision = 'place' WHERE name LIKE 'Alpha%'");
        d.exec("UPDATE agencies SET lat = 39.7589478, lon = -84.1916069, "
               "geocode_precision = 'place' WHERE name LIKE 'Beta%'");
        d.exec("UPDATE agencies SET lat = 29.7604267, lon = -95.3698028, "
               "geocode_precision = 'county' WHERE name LIKE 'Delta%'");
        d.exec("UPDATE agencies SET lat = 41.8781136, lon = -87.6297982, "
               "geocode_precision = 'place' WHERE name LIKE 'Epsilon%'");
        d.exec("UPDATE agencies SET lat = 41.6528052, lon = -83.5378674, "
               "geocode_precision = 'place' WHERE name LIKE 'Eta%'");
        d.exec("UPDATE agencies SET lat = NULL, lon = NULL, geocode_precision = 'none' "
               "WHERE name LIKE 'Gamma%'");
        store::Statement name(d, "UPDATE agencies SET name = ?1 WHERE name LIKE 'Alpha%'");
        name.bind(1, hostile_name).exec();
        d.exec("INSERT INTO sources (id, sha256, size, kind, format, file_name, origin, title, "
               "ingested_at, porchlight_version) VALUES (100, "
               "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 1, 'records', "
               "'csv', 'requests.csv', '/x/requests.csv', 'Request log', "
               "'2024-01-31T00:00:00Z', 'test'), (101, "
               "'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 1, 'records', "
               "'csv', 'cameras.csv', '/x/cameras.csv', 'Camera list', "
               "'2024-01-31T00:00:00Z', 'test')");
        const auto alpha = d.scalar_int("SELECT id FROM agencies WHERE lat > 39.9 AND lat < 40");
        const auto delta = d.scalar_int("SELECT id FROM agencies WHERE name LIKE 'Delta%'");
        // an area drawn clockwise with a counter-clockwise hole; a centre; neither
        d.exec("INSERT INTO video_requests (id, agency_id, requested_at, case_number, title, "
               "center_lat, center_lon, radius_m, area_wkt, users_notified, videos_received, "
               "source_id, address) VALUES "
               "(1, " + std::to_string(alpha) + ", '2020-03-04', 'CASE-1', 'Burglary at 12 Elm St', "
               "39.95, -82.95, NULL, 'POLYGON ((-83 40, -82.9 40, -82.9 39.9, -83 39.9, -83 40), "
               "(-82.97 39.97, -82.97 39.93, -82.93 39.93, -82.93 39.97, -82.97 39.97))', 40, 3, "
               "100, '12 Elm St'), "
               "(2, " + std::to_string(delta) + ", '2021-05-06T10:00:00Z', 'CASE-2', NULL, "
               "29.76, -95.37, 500, NULL, NULL, NULL, 100, '7 Oak Ave'), "
               "(3, " + std::to_string(delta) + ", '2021-07-01', 'CASE-3', NULL, NULL, NULL, NULL, "
               "NULL, NULL, NULL, 100, NULL)");
        d.exec("INSERT INTO evidence (fact_type, fact_id, source_id, locator) VALUES "
               "('video_request', 1, 100, 'row 1'), ('video_request', 2, 100, 'row 2'), "
               "('video_request', 3, 100, 'row 3')");
        // cameras: four in Columbus OH (one named after a home), one in Austin TX
        d.exec("INSERT INTO cameras (id, lat, lon, kind, operator, direction, field_of_view, "
               "name, source_id) VALUES "
               "(1, 39.9612, -82.9988, 'fixed', 'City of Columbus', 90, 60, NULL, 101), "
               "(2, 39.9613, -82.9989, 'dome', 'City of Columbus', NULL, NULL, NULL, 101), "
               "(3, 39.9614, -82.9987, 'doorbell', NULL, 180, NULL, 'Smith family doorbell', 101), "
               "(4, 39.9611, -82.9986, 'fixed', 'Acme Mart', 270.5, 90, 'Acme Mart lot', 101), "
               "(5, 30.2672, -97.7431, 'alpr', 'Austin PD', NULL, NULL, NULL, 101)");
    }
};

} // namespace porchlight::test::render_fixture
