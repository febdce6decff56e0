// Hexagon bins: counts, the min-count rule, the shape and orientation of the hexagons, the
// projection per region, and the GeoJSON form.
#include <catch2/catch.hpp>

#include <porchlight/geo/hexbin.hpp>
#include <porchlight/geo/projection.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <regex>
#include <stdexcept>

using namespace porchlight::geo;

namespace {

std::vector<lonlat> repeat(lonlat p, int n) {
    return std::vector<lonlat>(static_cast<std::size_t>(n), p);
}

/// Twice the signed area of a ring in lon/lat: > 0 for counter-clockwise.
double signed_area2(const ring& r) {
    double s = 0;
    for (std::size_t i = 0; i < r.size(); ++i) {
        const auto& a = r[i];
        const auto& b = r[(i + 1) % r.size()];
        s += a.lon * b.lat - b.lon * a.lat;
    }
    return s;
}

} // namespace

TEST_CASE("hexbins count points and drop bins under the minimum", "[geo][hexbin]") {
    const lonlat towson{-76.6019, 39.4015};
    CHECK(hexbin_counts(repeat(towson, 4), 1000, 5).empty());
    const auto five = hexbin_counts(repeat(towson, 5), 1000, 5);
    REQUIRE(five.size() == 1);
    CHECK(five[0].count == 5);
    // the bin's centre is within half a hexagon of the points
    CHECK(std::abs(five[0].center.lat - towson.lat) < 0.006);
    CHECK(std::abs(five[0].center.lon - towson.lon) < 0.008);

    // two clusters 20 km apart: two bins, south first; a lone point elsewhere is dropped
    auto pts = repeat({-76.60, 39.40}, 6);
    for (const auto& p : repeat({-76.60, 39.22}, 7))
        pts.push_back(p);
    pts.push_back({-76.90, 39.30});
    const auto bins = hexbin_counts(pts, 1000, 2);
    REQUIRE(bins.size() == 2);
    CHECK(bins[0].count == 7);
    CHECK(bins[1].count == 6);
    CHECK(bins[0].center.lat < bins[1].center.lat);
    CHECK(hexbin_counts(pts, 1000, 1).size() == 3);
}

TEST_CASE("hexagons are counter-clockwise, flat-topped and the size asked for", "[geo][hexbin]") {
    const auto bins = hexbin_counts(repeat({-87.63, 41.88}, 1), 2000, 1);
    REQUIRE(bins.size() == 1);
    const auto& h = bins[0];
    REQUIRE(h.outline.size() == 6);
    CHECK(signed_area2(h.outline) > 0);
    // back in the projection: corners 2000/sqrt(3) m from the centre, flat side to flat side
    // 2000 m, the top side horizontal
    std::vector<double> x{h.center.lon}, y{h.center.lat};
    for (const auto& p : h.outline) {
        x.push_back(p.lon);
        y.push_back(p.lat);
    }
    Projection("EPSG:5070").forward(x, y);
    for (std::size_t k = 1; k <= 6; ++k)
        CHECK(std::hypot(x[k] - x[0], y[k] - y[0]) == Approx(2000 / std::sqrt(3.0)).epsilon(1e-6));
    CHECK(y[2] == Approx(y[3]).margin(1e-3)); // corners 1 and 2: the top side
    CHECK(y[2] - y[5] == Approx(2000).epsilon(1e-6));
}

TEST_CASE("Alaska and Hawaii are binned in their own projections", "[geo][hexbin]") {
    CHECK(region_of(-149.90, 61.22) == us_region::alaska);
    CHECK(region_of(173.20, 52.88) == us_region::alaska);
    CHECK(region_of(-157.86, 21.31) == us_region::hawaii);
    CHECK(region_of(-76.61, 39.29) == us_region::conus);
    CHECK(std::string(crs_of(us_region::alaska)) == "EPSG:3338");
    CHECK(std::string(crs_of(us_region::hawaii)) == "ESRI:102007");
    std::vector<lonlat> pts = repeat({-149.90, 61.22}, 3);
    for (const auto& p : repeat({-157.86, 21.31}, 3))
        pts.push_back(p);
    for (const auto& p : repeat({-76.61, 39.29}, 3))
        pts.push_back(p);
    const auto bins = hexbin_counts(pts, 500, 3);
    REQUIRE(bins.size() == 3);
    CHECK(bins[0].center.lat == Approx(21.31).margin(0.01));  // Honolulu
    CHECK(bins[1].center.lat == Approx(39.29).margin(0.01));  // Baltimore
    CHECK(bins[2].center.lat == Approx(61.22).margin(0.01));  // Anchorage
    for (const auto& b : bins)
        CHECK(signed_area2(b.outline) > 0);
}

TEST_CASE("hexbins refuse a size that is not positive", "[geo][hexbin]") {
    CHECK_THROWS_AS(hexbin_counts({}, 0, 5), std::invalid_argument);
    CHECK_THROWS_AS(hexbin_counts({}, -10, 5), std::invalid_argument);
    CHECK_THROWS_AS(hexbin_counts({}, std::nan(""), 5), std::invalid_argument);
    CHECK(hexbin_counts({}, 500, 5).empty());
    // points without valid coordinates are not binned
    CHECK(hexbin_counts({{std::nan(""), 39.0}, {-76.6, 123.0}}, 500, 1).empty());
}

TEST_CASE("hexbins as RFC 7946 GeoJSON", "[geo][hexbin]") {
    const auto bins = hexbin_counts(repeat({-76.6019, 39.4015}, 5), 1000, 5);
    const auto text = hexbins_geojson(bins);
    const auto j = nlohmann::json::parse(text);
    CHECK(j["type"] == "FeatureCollection");
    REQUIRE(j["features"].size() == 1);
    const auto& f = j["features"][0];
    CHECK(f["properties"]["count"] == 5);
    CHECK(f["geometry"]["type"] == "Polygon");
    const auto& ring = f["geometry"]["coordinates"][0];
    REQUIRE(ring.size() == 7);
    CHECK(ring[0] == ring[6]);
    // no coordinate has more than 7 decimals
    CHECK_FALSE(std::regex_search(text, std::regex(R"(\.\d{8})")));
    CHECK(hexbins_geojson({}) == "{\"type\":\"FeatureCollection\",\"features\":[]}\n");
    CHECK(hexbins_geojson(bins) == text);
}
