#include <catch2/catch.hpp>

#include <porchlight/error.hpp>
#include <porchlight/ingest/table_reader.hpp>

#include "test_support.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace porchlight::ingest;
using porchlight::test::data_file;
using porchlight::test::TempDir;

namespace {

struct read_table {
    std::vector<std::string> columns;
    std::vector<table_row> rows;
};

read_table read_all(const fs::path& file) {
    const auto format = table_format_of(file);
    REQUIRE(format);
    auto reader = TableReader::open(file, *format);
    REQUIRE(reader);
    read_table t;
    t.columns = reader->columns();
    table_row row;
    while (reader->next(row))
        t.rows.push_back(row);
    return t;
}

/// column name -> the values of that column, in row order
std::map<std::string, std::vector<std::string>> by_column(const read_table& t) {
    std::map<std::string, std::vector<std::string>> out;
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
        auto& values = out[t.columns[c]];
        for (const auto& r : t.rows) {
            REQUIRE(r.values.size() == t.columns.size());
            values.push_back(r.values[c]);
        }
    }
    return out;
}

const std::vector<std::string> atlas_columns = {
    "AOSNUMBER",       "City",         "County",      "State",           "Agency",
    "Type of LEA",     "Summary",      "Type of Juris", "Technology",    "Vendor",
    "Link 1",          "Link 1 Snapshot", "Link 1 Source", "Link 1 Type", "Link 1 Date",
    "Link 2",          "Link 2 Snapshot", "Link 2 Source", "Link 2 Type", "Link 2 Date",
    "Link 3",          "Link 3 Snapshot", "Link 3 Source", "Link 3 Type", "Link 3 Date"};

/// Expects f to throw parse_error; returns it.
template <typename F> porchlight::parse_error expect_parse_error(F&& f) {
    try {
        f();
    } catch (const porchlight::parse_error& e) {
        return e;
    }
    FAIL("no parse_error thrown");
    throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("table_format_of reads the extension", "[ingest][table]") {
    CHECK(table_format_of("a.csv") == table_format::csv);
    CHECK(table_format_of("A.CSV") == table_format::csv);
    CHECK(table_format_of("a.xlsx") == table_format::xlsx);
    CHECK(table_format_of("a.ods") == table_format::ods);
    CHECK(table_format_of("a.geojson") == table_format::geojson);
    CHECK(table_format_of("a.gpkg") == table_format::gpkg);
    CHECK(table_format_of("a.kml") == table_format::kml);
    CHECK(table_format_of("a.KMZ") == table_format::kmz);
    CHECK_FALSE(table_format_of("a.pdf").has_value());
    CHECK_FALSE(table_format_of("noextension").has_value());
    CHECK(to_string(table_format::geojson) == "geojson");
}

TEST_CASE("the same table reads the same in every format", "[ingest][table]") {
    const auto reference = read_all(data_file("records/same-table.csv"));
    CHECK(reference.columns == atlas_columns);
    REQUIRE(reference.rows.size() == 12);
    const auto ref = by_column(reference);

    // spot checks of the reference against the fixture description
    CHECK(ref.at("AOSNUMBER").front() == "AOS90101");
    CHECK(ref.at("AOSNUMBER").back() == "AOS90112");
    CHECK(ref.at("Summary")[2] ==
          "FICTIONAL SAMPLE DATA. The sheriff's office bought two drones, a thermal camera and a "
          "trailer.\nA second purchase followed the next spring.");
    CHECK(ref.at("Summary")[3].find("\"virtual neighborhood watch\"") != std::string::npos);
    CHECK(ref.at("Summary")[4].find("caf\xC3\xA9") != std::string::npos);
    CHECK(ref.at("Link 1 Date")[0] == "7/15/19");
    CHECK(ref.at("Link 1 Date")[5] == "");
    CHECK(ref.at("Link 2 Date")[3] == "10/8/19");
    std::size_t empty_cells = 0;
    for (const auto& [col, values] : ref)
        for (const auto& v : values)
            empty_cells += v.empty();
    CHECK(empty_cells == 117);
    for (std::size_t i = 0; i < reference.rows.size(); ++i)
        CHECK(reference.rows[i].number == static_cast<std::int64_t>(i + 1));

    for (const char* name : {"same-table-crlf.csv", "same-table-bom.csv", "same-table-quoted.csv",
                             "same-table.xlsx", "same-table.ods", "same-table.geojson"}) {
        INFO("file " << name);
        const auto t = read_all(data_file(std::string("records/") + name));
        CHECK(t.rows.size() == 12);
        // the same set of columns (order may differ by driver), with the same values
        auto sorted = [](std::vector<std::string> v) {
            std::sort(v.begin(), v.end());
            return v;
        };
        CHECK(sorted(t.columns) == sorted(atlas_columns));
        const auto got = by_column(t);
        for (const auto& col : atlas_columns) {
            INFO("column " << col);
            REQUIRE(got.count(col) == 1);
            CHECK(got.at(col) == ref.at(col));
        }
    }
}

TEST_CASE("GeoJSON features carry their point geometry as WKT", "[ingest][table]") {
    const auto t = read_all(data_file("records/same-table.geojson"));
    REQUIRE(t.rows.size() == 12);
    REQUIRE(t.rows[0].wkt);
    CHECK(t.rows[0].wkt->rfind("POINT", 0) == 0);
    CHECK(t.rows[0].wkt->find("-82.6112 40.2331") != std::string::npos);
    // the CSV has no geometry
    const auto csv = read_all(data_file("records/same-table.csv"));
    for (const auto& r : csv.rows)
        CHECK_FALSE(r.wkt.has_value());
}

TEST_CASE("the KML reader reads placemarks with pugixml", "[ingest][table][kml]") {
    const auto file = data_file("records/ring-map.kml");
    auto reader = TableReader::open(file, table_format::kml);
    CHECK(reader->locator_word() == "placemark");
    const auto t = read_all(file);
    REQUIRE(t.columns.size() >= 6);
    CHECK(t.columns[0] == "name");
    CHECK(t.columns[1] == "address");
    CHECK(t.columns[2] == "description");
    for (const char* c : {"Active Date", "Agency Profile", "Video Requests"})
        CHECK(std::find(t.columns.begin(), t.columns.end(), c) != t.columns.end());
    REQUIRE(t.rows.size() == 6);
    const auto cols = by_column(t);

    CHECK(cols.at("name") == std::vector<std::string>{
                                 "Maple Hollow Police Department", "Cedar Bluff Police Department",
                                 "Brookvale Police Department", "Dunmore Heights Police Department",
                                 "Kellan Park Police Department", "Saltmarsh Police Department"});
    CHECK(cols.at("address") ==
          std::vector<std::string>{"Maple Hollow, OH", "Cedar Bluff, Texas", "Brookvale, NC",
                                   "Dunmore Heights, IL", "Kellan Park, AZ", "Saltmarsh, SC"});
    CHECK(cols.at("Active Date") == std::vector<std::string>{"7/15/2019", "11/20/2019",
                                                             "2/14/2020", "8/22/2019",
                                                             "10/9/2019", "1/6/2020"});
    for (std::size_t i = 0; i < 6; ++i) {
        CHECK(cols.at("Agency Profile")[i] == "https://example.org/agency/910" + std::to_string(i + 1));
        CHECK(t.rows[i].number == static_cast<std::int64_t>(i + 1));
    }
    // only placemark 4 has Video Requests
    CHECK(cols.at("Video Requests") == std::vector<std::string>{"", "", "", "12", "", ""});

    REQUIRE(t.rows[0].wkt);
    CHECK(*t.rows[0].wkt == "POINT (-82.6112 40.2331)");
    // placemark 5 (Kellan Park) has no <Point>
    CHECK_FALSE(t.rows[4].wkt.has_value());
    std::size_t with_geometry = 0;
    for (const auto& r : t.rows)
        with_geometry += r.wkt.has_value();
    CHECK(with_geometry == 5);
}

TEST_CASE("a KMZ reads exactly like the KML inside it", "[ingest][table][kml]") {
    const auto kml = read_all(data_file("records/ring-map.kml"));
    const auto kmz = read_all(data_file("records/ring-map.kmz"));
    CHECK(kmz.columns == kml.columns);
    REQUIRE(kmz.rows.size() == kml.rows.size());
    for (std::size_t i = 0; i < kml.rows.size(); ++i) {
        INFO("placemark " << i + 1);
        CHECK(kmz.rows[i].number == kml.rows[i].number);
        CHECK(kmz.rows[i].values == kml.rows[i].values);
        CHECK(kmz.rows[i].wkt == kml.rows[i].wkt);
    }
}

TEST_CASE("the KML reader rejects what is not KML", "[ingest][table][kml]") {
    TempDir dir;
    {
        std::ofstream(dir / "broken.kml") << "<kml><Document><Placemark></Document></kml>";
        std::ofstream(dir / "other.kml") << "<?xml version=\"1.0\"?><html><body/></html>";
        std::ofstream(dir / "empty.kml");
        std::ofstream(dir / "notzip.kmz") << "this is not a zip archive";
    }
    CHECK_THROWS_AS(TableReader::open(dir / "broken.kml", table_format::kml),
                    porchlight::parse_error);
    CHECK_THROWS_AS(TableReader::open(dir / "other.kml", table_format::kml),
                    porchlight::parse_error);
    CHECK_THROWS_AS(TableReader::open(dir / "empty.kml", table_format::kml),
                    porchlight::parse_error);
    CHECK_THROWS_AS(TableReader::open(dir / "notzip.kmz", table_format::kmz),
                    porchlight::parse_error);
}

TEST_CASE("precheck_csv rejects damaged CSV files and names the row", "[ingest][table][csv]") {
    SECTION("a file cut inside a quoted field") {
        const auto file = data_file("records/truncated.csv");
        const auto e = expect_parse_error([&] { precheck_csv(file); });
        CHECK(e.row() == 3);
        CHECK(e.file() == file.string());
        CHECK(std::string(e.what()).find(":row 3") != std::string::npos);
        // and opening it as a table fails the same way, before GDAL reads 3 rows
        const auto e2 = expect_parse_error([&] { TableReader::open(file, table_format::csv); });
        CHECK(e2.row() == 3);
    }
    SECTION("an invalid UTF-8 byte") {
        const auto e = expect_parse_error([] { precheck_csv(data_file("records/bad-utf8.csv")); });
        CHECK(e.row() == 3);
        CHECK(e.message().find("UTF-8") != std::string::npos);
        CHECK(e.message().find("1041") != std::string::npos);
    }
    SECTION("binary data") {
        const auto e = expect_parse_error([] { precheck_csv(data_file("records/binary.csv")); });
        CHECK(e.row() == 0);
        CHECK(e.message().find("NUL") != std::string::npos);
    }
    SECTION("an empty file") {
        const auto e = expect_parse_error([] { precheck_csv(data_file("records/empty.csv")); });
        CHECK(e.row() == 0);
        CHECK(e.message().find("empty") != std::string::npos);
    }
    SECTION("good files pass") {
        for (const char* name : {"same-table.csv", "same-table-crlf.csv", "same-table-bom.csv",
                                 "same-table-quoted.csv", "generic.csv", "header-only.csv",
                                 "bad-date-row.csv", "wrong-columns.csv"}) {
            INFO(name);
            CHECK_NOTHROW(precheck_csv(data_file(std::string("records/") + name)));
        }
    }
}

TEST_CASE("precheck_csv checks UTF-8 across its read buffer boundary", "[ingest][table][csv]") {
    TempDir dir;
    // a 2-byte character straddling the 1 MiB read buffer: valid
    std::string text = "a\n";
    text.append((1 << 20) - text.size() - 1, 'x');
    text += "\xC3\xA9\n";
    {
        std::ofstream(dir / "straddle.csv", std::ios::binary) << text;
    }
    CHECK_NOTHROW(precheck_csv(dir / "straddle.csv"));
    // a file ending in the first byte of a 2-byte character: invalid
    {
        std::ofstream(dir / "cut.csv", std::ios::binary) << "a\nb\xC3";
    }
    const auto e = expect_parse_error([&] { precheck_csv(dir / "cut.csv"); });
    CHECK(e.row() == 1);
}

TEST_CASE("header-only CSV reads as columns and no rows", "[ingest][table][csv]") {
    const auto t = read_all(data_file("records/header-only.csv"));
    CHECK(t.columns == atlas_columns);
    CHECK(t.rows.empty());
}
