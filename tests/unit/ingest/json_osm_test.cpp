// The JSON and OpenStreetMap table readers, and the sniffing of .json files.
#include <catch2/catch.hpp>

#include <porchlight/error.hpp>
#include <porchlight/ingest/table_reader.hpp>

#include "test_support.hpp"

#include <algorithm>
#include <fstream>

using namespace porchlight::ingest;
using porchlight::test::data_file;
using porchlight::test::TempDir;

namespace {

std::string value(const TableReader& t, const table_row& row, const std::string& column) {
    const auto& c = t.columns();
    const auto it = std::find(c.begin(), c.end(), column);
    REQUIRE(it != c.end());
    return row.values[static_cast<std::size_t>(it - c.begin())];
}

} // namespace

TEST_CASE("a .json array of objects is read with nested keys flattened", "[ingest][json]") {
    const auto file = data_file("requests/rfa-posts.json");
    REQUIRE(sniff_format(file, table_format::geojson) == table_format::json);
    auto t = TableReader::open(file, table_format::json);
    CHECK(t->locator_word() == "row");
    table_row row;
    REQUIRE(t->next(row));
    CHECK(row.number == 1);
    CHECK(value(*t, row, "agency.name") == "Smallville Police Department");
    CHECK(value(*t, row, "area.center.lat") == "38.9717");
    CHECK(value(*t, row, "area.radius") == "0.5 mi");
    CHECK(value(*t, row, "incident.start") == "2021-01-31T18:00:00Z");
    REQUIRE(t->next(row));
    // a geometry object stays one value
    CHECK(value(*t, row, "area.polygon").rfind(R"({"coordinates":)", 0) == 0);
    CHECK(value(*t, row, "area.radius").empty());
    REQUIRE(t->next(row));
    CHECK(value(*t, row, "posted_at") == "1614600000");
    CHECK_FALSE(t->next(row));
}

TEST_CASE("a .json FeatureCollection stays GeoJSON, other JSON shapes are errors",
          "[ingest][json]") {
    TempDir dir;
    std::ofstream(dir / "fc.json") << R"({"type": "FeatureCollection", "features": []})";
    CHECK(sniff_format(dir / "fc.json", table_format::geojson) == table_format::geojson);
    std::ofstream(dir / "two.json") << R"({"a": [{"x": 1}], "b": [{"y": 2}]})";
    CHECK_THROWS_WITH(TableReader::open(dir / "two.json", table_format::json),
                      Catch::Contains("several arrays ('a', 'b')"));
    std::ofstream(dir / "bad.json") << "[{\"x\": 1},\n {\"y\": ]";
    CHECK_THROWS_WITH(TableReader::open(dir / "bad.json", table_format::json),
                      Catch::Contains("not valid JSON (line 2)"));
    std::ofstream(dir / "scalars.json") << "[1, 2]";
    CHECK_THROWS_AS(TableReader::open(dir / "scalars.json", table_format::json),
                    porchlight::parse_error);
    CHECK(sniff_format(dir / "x.geojson", table_format::geojson) == table_format::geojson);
}

TEST_CASE("OSM XML: surveillance nodes and ways, every tag a column", "[ingest][osm]") {
    const auto file = data_file("cameras/surveillance.osm");
    REQUIRE(table_format_of(file) == table_format::osm);
    auto t = TableReader::open(file, table_format::osm);
    CHECK(t->locator_word() == "element");
    const auto& c = t->columns();
    REQUIRE(c.size() >= 3);
    CHECK(std::vector<std::string>(c.begin(), c.begin() + 3) ==
          std::vector<std::string>{"osm_id", "lat", "lon"});
    CHECK(std::find(c.begin(), c.end(), "camera:direction") != c.end());
    CHECK(std::find(c.begin(), c.end(), "amenity") == c.end()); // the bench is not read
    std::vector<table_row> rows;
    table_row row;
    while (t->next(row))
        rows.push_back(row);
    REQUIRE(rows.size() == 4);
    CHECK(value(*t, rows[0], "osm_id") == "node/1001");
    CHECK(value(*t, rows[0], "camera:direction") == "90-180");
    CHECK(rows[0].wkt == std::optional<std::string>("POINT (-76.6122 39.2904)"));
    CHECK(value(*t, rows[2], "ref") == "LPR-7");
    // a way: the centroid of its nodes, the closing node counted once
    CHECK(value(*t, rows[3], "osm_id") == "way/3001");
    CHECK(value(*t, rows[3], "lat") == "39.2805000");
    CHECK(value(*t, rows[3], "lon") == "-76.5995000");
}

TEST_CASE("OSM XML: a way's Overpass centre, deleted objects skipped, not OSM refused", "[ingest][osm]") {
    TempDir dir;
    std::ofstream(dir / "a.osm")
        << R"(<osm version="0.6">
  <node id="1" lat="39.1" lon="-76.1" action="delete"><tag k="man_made" v="surveillance"/></node>
  <way id="7"><center lat="39.25" lon="-76.55"/><nd ref="99"/>
    <tag k="man_made" v="surveillance"/><tag k="camera:type" v="fixed"/></way>
</osm>)";
    auto t = TableReader::open(dir / "a.osm", table_format::osm);
    table_row row;
    REQUIRE(t->next(row));
    CHECK(value(*t, row, "osm_id") == "way/7");
    CHECK(row.wkt == std::optional<std::string>("POINT (-76.5500000 39.2500000)"));
    CHECK_FALSE(t->next(row));
    std::ofstream(dir / "b.osm") << "<kml/>";
    CHECK_THROWS_WITH(TableReader::open(dir / "b.osm", table_format::osm),
                      Catch::Contains("not OSM XML: the root element is <kml>"));
}
