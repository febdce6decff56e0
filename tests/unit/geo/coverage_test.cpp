// Coverage building blocks: points per county (and outside every county), points within a
// radius, the jurisdiction an agency stands for, and the layers read from a real store.
#include <catch2/catch.hpp>
#include <test_support.hpp>

#include <porchlight/geo/coverage.hpp>
#include <porchlight/store/store.hpp>

#include <cmath>
#include <random>

using namespace porchlight::geo;

namespace {

const CountyIndex& counties() {
    static const CountyIndex idx(std::string(PORCHLIGHT_SOURCE_DIR) + "/data/gazetteer");
    return idx;
}

std::int64_t in_county(const county_counts& c, const std::string& fips) {
    return c.per_county[*counties().find(fips)];
}

} // namespace

TEST_CASE("points are counted per county, and apart when in none", "[geo][coverage]") {
    std::vector<lonlat> pts;
    for (int i = 0; i < 3; ++i)
        pts.push_back({-76.6100, 39.2858}); // Baltimore city
    for (int i = 0; i < 2; ++i)
        pts.push_back({-76.6019, 39.4015}); // Towson, Baltimore County
    pts.push_back({-70.0, 38.0});           // the Atlantic
    pts.push_back({std::nan(""), 39.0});
    pts.push_back({-76.6, 123.0});
    const auto c = count_by_county(counties(), pts);
    CHECK(c.per_county.size() == counties().size());
    CHECK(in_county(c, "24510") == 3);
    CHECK(in_county(c, "24005") == 2);
    CHECK(c.outside == 1);
    CHECK(c.invalid == 2);
    std::int64_t total = c.outside + c.invalid;
    for (auto n : c.per_county)
        total += n;
    CHECK(total == static_cast<std::int64_t>(pts.size()));
}

TEST_CASE("distances on the sphere", "[geo][coverage]") {
    CHECK(distance_m({0, 0}, {0, 1}) == Approx(111195).epsilon(1e-4));
    CHECK(distance_m({-76.61, 39.29}, {-76.61, 39.29}) == 0);
    // across the 180th meridian: 0.2° of longitude at 52°N
    CHECK(distance_m({179.9, 52}, {-179.9, 52}) == Approx(13691).epsilon(1e-3));
}

TEST_CASE("points within a radius match a scan of every point", "[geo][coverage]") {
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> lon(-77.2, -76.0), lat(38.9, 39.7);
    std::vector<lonlat> pts;
    for (int i = 0; i < 20000; ++i)
        pts.push_back({lon(rng), lat(rng)});
    const PointGrid grid(pts);
    for (const lonlat centre : {lonlat{-76.61, 39.29}, lonlat{-76.95, 39.05}, lonlat{-76.0, 39.7}}) {
        for (double r : {500.0, 5000.0, 23000.0}) {
            std::int64_t scan = 0;
            for (const auto& p : pts)
                scan += distance_m(centre, p) <= r;
            CHECK(grid.count_within(centre, r) == scan);
        }
    }
    CHECK(grid.count_within({-76.61, 39.29}, -1) == 0);
    // near the 180th meridian, points on both sides
    const PointGrid aleutians({{179.99, 52.0}, {-179.99, 52.0}, {179.0, 52.0}});
    CHECK(aleutians.count_within({180.0, 52.0}, 2000) == 2);
}

TEST_CASE("an agency's jurisdiction follows its kind and how it was placed", "[geo][coverage]") {
    agency_place sheriff{"sheriff", "place", "MD", "24005", 39.40, -76.60};
    auto j = jurisdiction_of(sheriff);
    CHECK(j.type == jurisdiction::kind::county);
    CHECK(j.county_fips == "24005");
    CHECK(j.describe() == "county 24005");

    agency_place city{"police", "place", "MD", "24510", 39.29, -76.61};
    j = jurisdiction_of(city);
    CHECK(j.type == jurisdiction::kind::radius);
    CHECK(j.radius_m == 5000);
    CHECK(j.centre.lon == -76.61);
    CHECK(j.describe() == "5 km around the point");

    agency_place county_only{"police", "county", "MD", "24005", 39.45, -76.63};
    CHECK(jurisdiction_of(county_only).type == jurisdiction::kind::county);

    agency_place state_police{"state", "place", "MD", std::nullopt, 39.0, -76.0};
    j = jurisdiction_of(state_police);
    CHECK(j.type == jurisdiction::kind::state);
    CHECK(j.describe() == "state MD");

    agency_place nowhere{"police", "none", "MD", std::nullopt, std::nullopt, std::nullopt};
    CHECK(jurisdiction_of(nowhere).type == jurisdiction::kind::none);
    CHECK(jurisdiction_of(nowhere).describe() == "not placed");
}

TEST_CASE("camera and request points are read from a store", "[geo][coverage]") {
    porchlight::test::TempDir dir;
    const auto path = dir / "store.db";
    {
        auto s = porchlight::store::Store::create(path);
        auto& db = s.db();
        db.exec("INSERT INTO cameras (lat, lon) VALUES (39.29, -76.61), (39.40, -76.60)");
        db.exec("INSERT INTO video_requests (requested_at, center_lat, center_lon) "
                "VALUES ('2020-01-02', 39.3, -76.6)");
        db.exec("INSERT INTO video_requests (requested_at, area_wkt) VALUES ('2020-02-03', "
                "'POLYGON ((-76.7 39.2, -76.5 39.2, -76.5 39.4, -76.7 39.4, -76.7 39.2))')");
        db.exec("INSERT INTO video_requests (requested_at, area_wkt) VALUES ('2020-03-04', "
                "'not wkt')");
        db.exec("INSERT INTO video_requests (requested_at) VALUES ('2020-04-05')");
        const auto cams = camera_points(db);
        REQUIRE(cams.points.size() == 2);
        CHECK(cams.points[1].lat == 39.40);
        CHECK(cams.without_point == 0);
        const auto reqs = request_points(db);
        REQUIRE(reqs.points.size() == 2);
        CHECK(reqs.points[0].lon == -76.6);
        CHECK(reqs.points[1].lon == Approx(-76.6)); // the centroid of the square
        CHECK(reqs.points[1].lat == Approx(39.3));
        CHECK(reqs.without_point == 2);
    }
}
