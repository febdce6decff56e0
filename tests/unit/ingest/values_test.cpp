// The values of request and camera rows: times, counts, radii, circles, areas, directions
// and the point checks against the state bounding boxes of the shipped gazetteer.
#include <catch2/catch.hpp>

#include <porchlight/ingest/values.hpp>

#include <cmath>
#include <sstream>
#include <vector>

using namespace porchlight::ingest;

namespace {

const StateBoxes& boxes() {
    static const auto b =
        StateBoxes::load(std::filesystem::path(PORCHLIGHT_SOURCE_DIR) / "data" / "gazetteer");
    return b;
}

/// Great-circle distance in metres.
double distance_m(double lat1, double lon1, double lat2, double lon2) {
    const double r = 6371008.8, k = 3.14159265358979323846 / 180;
    const double a =
        std::pow(std::sin((lat2 - lat1) * k / 2), 2) +
        std::cos(lat1 * k) * std::cos(lat2 * k) * std::pow(std::sin((lon2 - lon1) * k / 2), 2);
    return 2 * r * std::asin(std::sqrt(a));
}

} // namespace

TEST_CASE("request times: UTC with a zone, days without", "[ingest][values]") {
    CHECK(parse_request_time("2020-03-04T13:22:00-06:00").value == "2020-03-04T19:22:00Z");
    CHECK(parse_request_time("2020-03-04T23:30:00-05:00").value == "2020-03-05T04:30:00Z");
    CHECK(parse_request_time("2021-02-01T15:00:00Z").value == "2021-02-01T15:00:00Z");
    CHECK(parse_request_time("2021-02-01T15:00:00.250Z").value == "2021-02-01T15:00:00Z");
    CHECK(parse_request_time("1614600000").value == "2021-03-01T12:00:00Z");
    CHECK(parse_request_time("1614600000000").value == "2021-03-01T12:00:00Z");
    CHECK(parse_request_time("01/15/2019").value == "2019-01-15");
    CHECK(parse_request_time("4/2/2020 2:15 PM").value == "2020-04-02");
    CHECK(parse_request_time("2020-04-02 14:15").value == "2020-04-02");
    CHECK(parse_request_time("April 9 2019").value == "2019-04-09");
    CHECK_FALSE(parse_request_time("").value);
    CHECK(parse_request_time("").error.empty());
    const auto month = parse_request_time("2019-07");
    CHECK_FALSE(month.value);
    CHECK(month.error.find("not a full day") != std::string::npos);
    CHECK_FALSE(parse_request_time("soon").error.empty());
}

TEST_CASE("counts are read out of text", "[ingest][values]") {
    CHECK(parse_count("Total Video Requests: 1,234").value == 1234);
    CHECK(parse_count("56").value == 56);
    CHECK(parse_count(" 1,340 ").value == 1340);
    CHECK(parse_count("Video Requests: 0").value == 0);
    CHECK_FALSE(parse_count("Total Video Requests: not shown").value);
    CHECK_FALSE(parse_count("Total Video Requests: not shown").error.empty());
    CHECK_FALSE(parse_count("2.5").value);
    CHECK_FALSE(parse_count("-3").value);
    CHECK_FALSE(parse_count("").value);
}

TEST_CASE("radii in feet, miles, metres and kilometres", "[ingest][values]") {
    CHECK(parse_radius("500 ft", "m").value == Approx(152.4));
    CHECK(parse_radius("0.25 mi", "m").value == Approx(402.336));
    CHECK(parse_radius("400 m", "ft").value == Approx(400));
    CHECK(parse_radius("1.5 km", "m").value == Approx(1500));
    CHECK(parse_radius("1,000 feet", "m").value == Approx(304.8));
    CHECK(parse_radius("300", "m").value == Approx(300));
    CHECK(parse_radius("300", "ft").value == Approx(91.44));
    CHECK_FALSE(parse_radius("300 parsecs", "m").value);
    CHECK_FALSE(parse_radius("wide", "m").value);
    CHECK(unit_in_column_name("Radius (ft)") == "ft");
    CHECK(unit_in_column_name("radius_miles") == "mi");
    CHECK(unit_in_column_name("Radius (m)") == "m");
    CHECK(unit_in_column_name("Radius") == "");
}

TEST_CASE("a circle is a closed 64-sided polygon at the radius", "[ingest][values]") {
    const auto wkt = circle_wkt(38.9717, -95.2353, 152.4);
    REQUIRE(wkt.rfind("POLYGON ((", 0) == 0);
    std::string inner = wkt.substr(10, wkt.size() - 12);
    std::vector<std::pair<double, double>> points;
    std::stringstream ss(inner);
    std::string pair;
    while (std::getline(ss, pair, ',')) {
        std::istringstream p(pair);
        double lon, lat;
        p >> lon >> lat;
        points.emplace_back(lon, lat);
    }
    REQUIRE(points.size() == 65);
    CHECK(points.front() == points.back());
    for (const auto& [lon, lat] : points)
        CHECK(distance_m(38.9717, -95.2353, lat, lon) == Approx(152.4).epsilon(0.001));
    // the first vertex is due north
    CHECK(points[0].first == Approx(-95.2353));
    CHECK(points[0].second > 38.9717);
}

TEST_CASE("areas: WKT and GeoJSON polygons are kept, points give a centre", "[ingest][values]") {
    auto a = parse_area(
        "POLYGON ((-95.25 38.96, -95.23 38.96, -95.23 38.98, -95.25 38.98, -95.25 38.96))");
    REQUIRE(a.value);
    CHECK(a.value->polygon);
    CHECK(a.value->lat == Approx(38.97));
    CHECK(a.value->lon == Approx(-95.24));
    CHECK(a.value->wkt.rfind("POLYGON ((-95.25 38.96", 0) == 0);
    a = parse_area(
        R"({"type": "Polygon", "coordinates": [[[-95.26, 38.95], [-95.22, 38.95], [-95.22, 38.99], [-95.26, 38.95]]]})");
    REQUIRE(a.value);
    CHECK(a.value->polygon);
    a = parse_area("POINT (-76.60947777777777 39.32478055555556)");
    REQUIRE(a.value);
    CHECK_FALSE(a.value->polygon);
    CHECK(a.value->lat == Approx(39.32478055555556));
    CHECK(a.value->lon == Approx(-76.60947777777777));
    CHECK_FALSE(parse_area("POINT (200 100)").value);
    CHECK(parse_area("POINT (200 100)").error.find("outside") != std::string::npos);
    CHECK_FALSE(parse_area("a circle near the park").value);
}

TEST_CASE("camera directions: degrees, compass points and ranges", "[ingest][values]") {
    CHECK(parse_direction("135").degrees == Approx(135));
    CHECK_FALSE(parse_direction("135").field_of_view);
    CHECK(parse_direction("-90").degrees == Approx(270));
    CHECK(parse_direction("NE").degrees == Approx(45));
    CHECK(parse_direction("ssw").degrees == Approx(202.5));
    CHECK(parse_direction("north").degrees == Approx(0));
    auto d = parse_direction("90-180");
    CHECK(d.degrees == Approx(135));
    CHECK(d.field_of_view == Approx(90));
    d = parse_direction("300-60"); // crosses north
    CHECK(d.degrees == Approx(0));
    CHECK(d.field_of_view == Approx(120));
    d = parse_direction("350-30");
    CHECK(d.degrees == Approx(10));
    CHECK(d.field_of_view == Approx(40));
    d = parse_direction("NE-S");
    CHECK(d.degrees == Approx(112.5));
    CHECK(d.field_of_view == Approx(135));
    CHECK_FALSE(parse_direction("up the street").error.empty());
    CHECK_FALSE(parse_direction("").degrees);
}

TEST_CASE("points are checked for range, swaps and the state", "[ingest][values]") {
    REQUIRE_FALSE(boxes().empty());
    CHECK(check_point(39.29, -76.61, "MD", boxes()) == point_check::ok);
    CHECK(check_point(-76.61, 39.29, "MD", boxes()) == point_check::swapped);
    CHECK(check_point(38.97, -95.23, "MD", boxes()) == point_check::outside_state);
    CHECK(check_point(139.5, -276.6, "MD", boxes()) == point_check::out_of_range);
    // without a state: a swap into some US state, else nothing to say
    CHECK(check_point(-76.61, 39.29, "", boxes()) == point_check::swapped);
    CHECK(check_point(48.85, 2.35, "", boxes()) == point_check::ok);
    // Alaska's box crosses 180°
    CHECK(check_point(52.0, 177.0, "AK", boxes()) == point_check::ok);
    CHECK(parse_number("39.5") == 39.5);
    CHECK_FALSE(parse_number("39,5"));
}
