// The Albers equal-area conic against Snyder's worked example, its equal-area property
// (the Jacobian of the projection equals the ellipsoid's area element) and the national
// and regional page layouts.
#include <porchlight/render/projection.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

using namespace porchlight::render;

namespace {

bool inside(const box& b, const xy& p) {
    return p.x >= b.x && p.x <= b.x + b.w && p.y >= b.y && p.y <= b.y + b.h;
}

} // namespace

TEST_CASE("albers matches Snyder's numerical example on the Clarke 1866 ellipsoid",
          "[render][projection]") {
    // USGS PP 1395, p. 292: phi1 29.5, phi2 45.5, phi0 23, lambda0 -96; (35 N, 75 W)
    const albers p(29.5, 45.5, 23, -96, ellipsoid{6378206.4, 0.00676866});
    const auto v = p.forward(-75, 35);
    CHECK(v.x == Approx(1885472.7).margin(0.5));
    CHECK(v.y == Approx(1535925.0).margin(0.5));
    // the origin maps to (0, 0)
    const auto o = p.forward(-96, 23);
    CHECK(std::abs(o.x) < 1e-6);
    CHECK(std::abs(o.y) < 1e-6);
}

TEST_CASE("albers preserves area and is true to scale on its standard parallels",
          "[render][projection]") {
    const ellipsoid e;
    const albers p(29.5, 45.5, 37.5, -96, e);
    CHECK(p.parallel_scale(29.5) == Approx(1).epsilon(1e-9));
    CHECK(p.parallel_scale(45.5) == Approx(1).epsilon(1e-9));
    CHECK(p.parallel_scale(37.5) < 1);
    constexpr double deg = std::numbers::pi / 180, h = 1e-4;
    for (const auto& [lon, lat] :
         {std::pair{-120.0, 47.0}, {-96.0, 30.0}, {-70.0, 44.0}, {-150.0, 61.0}, {-80.0, 25.5}}) {
        const auto a = p.forward(lon - h, lat), b = p.forward(lon + h, lat);
        const auto c = p.forward(lon, lat - h), d = p.forward(lon, lat + h);
        const double dxdl = (b.x - a.x) / (2 * h * deg), dydl = (b.y - a.y) / (2 * h * deg);
        const double dxdp = (d.x - c.x) / (2 * h * deg), dydp = (d.y - c.y) / (2 * h * deg);
        const double jacobian = std::abs(dxdl * dydp - dxdp * dydl);
        const double s = std::sin(lat * deg);
        const double element =
            e.a * e.a * (1 - e.e2) * std::cos(lat * deg) / std::pow(1 - e.e2 * s * s, 2);
        INFO(lon << ", " << lat);
        CHECK(jacobian == Approx(element).epsilon(1e-6));
    }
}

TEST_CASE("the national layout puts Alaska and Hawaii in their insets", "[render][projection]") {
    const box frame{16, 92, 928, 468};
    const auto p = page_projection::national(frame);
    const auto insets = p.inset_frames();
    REQUIRE(insets.size() == 2);
    const auto wichita = p.project(-97.34, 37.69);
    const auto anchorage = p.project(-149.9, 61.22);
    const auto attu = p.project(173.2, 52.9); // west of the 180th meridian, still Alaska
    const auto honolulu = p.project(-157.86, 21.31);
    REQUIRE(wichita);
    REQUIRE(anchorage);
    REQUIRE(attu);
    REQUIRE(honolulu);
    CHECK(inside(frame, *wichita));
    CHECK(inside(insets[0], *anchorage));
    CHECK(inside(insets[0], *attu));
    CHECK(attu->x < anchorage->x); // Attu is drawn west of Anchorage
    CHECK(inside(insets[1], *honolulu));
    CHECK_FALSE(p.project(-66.1, 18.4)); // San Juan: no inset for Puerto Rico
    CHECK_FALSE(p.project(2.35, 48.86)); // Paris
    CHECK(*p.part_of_state("AK") == map_part::alaska);
    CHECK_FALSE(p.part_of_state("GU"));
    // north is up, east is right
    const auto seattle = *p.project(-122.33, 47.61), miami = *p.project(-80.19, 25.76);
    CHECK(seattle.x < miami.x);
    CHECK(seattle.y < miami.y);
}

TEST_CASE("a regional layout fits its bounding box into the frame", "[render][projection]") {
    const box frame{16, 92, 928, 468};
    // Ohio
    const auto p = page_projection::regional(-84.9, 38.4, -80.5, 42.0, frame);
    CHECK_FALSE(p.is_national());
    CHECK(p.inset_frames().empty());
    for (const auto& [lon, lat] : {std::pair{-84.9, 38.4}, {-80.5, 42.0}, {-82.99, 39.96}})
        CHECK(
            inside({frame.x - 0.5, frame.y - 0.5, frame.w + 1, frame.h + 1}, *p.project(lon, lat)));
    // the box fills the frame in one direction at least
    const auto sw = *p.project(-84.9, 38.4), ne = *p.project(-80.5, 42.0);
    CHECK((std::abs(ne.x - sw.x) > frame.w * 0.9 || std::abs(ne.y - sw.y) > frame.h * 0.9));
    // a point far away is projected (and left to the frame's clip), not dropped
    CHECK(p.project(-120, 35));
}
