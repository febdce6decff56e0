// The county polygons and their index (data/gazetteer/counties.geojson): point-in-polygon
// of known points, areas against the gazetteer's own table, and every county found at a
// point inside it.
#include <catch2/catch.hpp>
#include <test_support.hpp>

#include <porchlight/geo/counties.hpp>

#include <charconv>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

using namespace porchlight::geo;

namespace {

const std::string gazetteer_dir = std::string(PORCHLIGHT_SOURCE_DIR) + "/data/gazetteer";

const CountyIndex& counties() {
    static const CountyIndex idx(gazetteer_dir);
    return idx;
}

std::string fips_at(double lon, double lat) {
    const auto i = counties().locate(lon, lat);
    return i ? counties().county(*i).fips : std::string("-");
}

struct tsv_county {
    double area_km2 = 0;
    double inner_lat = 0, inner_lon = 0;
    bool has_polygon = false;
};

/// counties.tsv: the build script's own areas and inner points, by FIPS.
std::map<std::string, tsv_county> tsv_counties() {
    std::ifstream in(gazetteer_dir + "/counties.tsv");
    std::map<std::string, tsv_county> out;
    std::string line;
    std::getline(in, line); // header: fips state name geonames_name lat lon centroid_inside
                            // inner_lat inner_lon area_km2 ...
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::stringstream ss(line);
        for (std::string cell; std::getline(ss, cell, '\t');)
            f.push_back(cell);
        tsv_county c;
        c.has_polygon = !f.at(9).empty();
        if (c.has_polygon) {
            c.inner_lat = std::stod(f.at(7));
            c.inner_lon = std::stod(f.at(8));
            c.area_km2 = std::stod(f.at(9));
        }
        out[f.at(0)] = c;
    }
    return out;
}

} // namespace

TEST_CASE("every county of the gazetteer is loaded with its name and state", "[geo][counties]") {
    const auto& idx = counties();
    CHECK(idx.size() == 3231);
    const auto city = idx.find("24510");
    REQUIRE(city);
    CHECK(idx.county(*city).name == "Baltimore");
    CHECK(idx.county(*city).state == "MD");
    CHECK_FALSE(idx.county(*city).rings.empty());
    CHECK_FALSE(idx.find("99999"));
    CHECK_FALSE(idx.find("2451"));
    // a polygon collapsed by generalisation: known, but no point is ever in it
    const auto falls_church = idx.find("51610");
    REQUIRE(falls_church);
    CHECK(idx.county(*falls_church).rings.empty());
    CHECK(idx.county(*falls_church).area_km2 == 0);
}

TEST_CASE("known points fall in their county", "[geo][counties]") {
    CHECK(fips_at(-76.6100, 39.2858) == "24510");  // Inner Harbor: Baltimore city
    CHECK(fips_at(-76.6019, 39.4015) == "24005");  // Towson: Baltimore County
    CHECK(fips_at(-87.6298, 41.8781) == "17031");  // the Loop: Cook County
    CHECK(fips_at(-157.8583, 21.3069) == "15003"); // Honolulu
    CHECK(fips_at(-149.9003, 61.2181) == "02020"); // Anchorage
    CHECK(fips_at(173.20, 52.88) == "02016");      // Attu, west of the 180th meridian
    CHECK(fips_at(-66.1057, 18.4655) == "72127");  // San Juan, PR
}

TEST_CASE("points at sea, abroad or invalid are in no county", "[geo][counties]") {
    CHECK(fips_at(-70.0, 38.0) == "-");    // the Atlantic
    CHECK(fips_at(2.35, 48.85) == "-");    // Paris
    CHECK(fips_at(-79.38, 43.70) == "-");  // Toronto
    CHECK(fips_at(0.0, 0.0) == "-");
    CHECK(fips_at(-200.0, 39.0) == "-");
    CHECK(fips_at(-76.6, 95.0) == "-");
    CHECK(fips_at(std::nan(""), 39.0) == "-");
}

TEST_CASE("areas on the ellipsoid match the gazetteer's table", "[geo][counties]") {
    const auto expected = tsv_counties();
    const auto& idx = counties();
    std::size_t checked = 0;
    for (std::size_t i = 0; i < idx.size(); ++i) {
        const auto& c = idx.county(i);
        const auto it = expected.find(c.fips);
        REQUIRE(it != expected.end());
        if (!it->second.has_polygon)
            continue;
        INFO(c.fips << " " << c.name << ": " << c.area_km2 << " km² vs " << it->second.area_km2);
        CHECK(c.area_km2 == Approx(it->second.area_km2).epsilon(0.001).margin(0.02));
        ++checked;
    }
    CHECK(checked == 3230);
    CHECK(idx.county(*idx.find("24510")).area_km2 == Approx(225.45).epsilon(0.001));
}

TEST_CASE("every county's inner point is found in that county", "[geo][counties]") {
    const auto expected = tsv_counties();
    const auto& idx = counties();
    std::size_t wrong = 0;
    for (const auto& [fips, c] : expected) {
        if (!c.has_polygon)
            continue;
        const auto got = fips_at(c.inner_lon, c.inner_lat);
        if (got != fips) {
            ++wrong;
            UNSCOPED_INFO(fips << " inner point found in " << got);
        }
    }
    CHECK(wrong == 0);
    (void)idx;
}

TEST_CASE("a million random points in the conterminous box are located", "[geo][counties]") {
    const auto& idx = counties();
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> lon(-125, -66), lat(24, 50);
    std::size_t found = 0;
    for (int i = 0; i < 1000000; ++i)
        found += idx.locate(lon(rng), lat(rng)).has_value();
    // the conterminous states cover most of this box (the rest is sea, Canada, Mexico)
    CHECK(found > 500000);
    CHECK(found < 900000);
}
