// The layers of export and map (render::load_layer) on a store built by SQL and ingest:
// properties with their provenance, the filters of `partnerships`, facts without a location
// counted apart, RFC 7946 ring order, and personal data only on request.
#include "export_fixture.hpp"

#include <porchlight/render/layers.hpp>

#include <algorithm>
#include <stdexcept>

using namespace porchlight;
using namespace porchlight::render;
using porchlight::test::render_fixture::export_store;
using porchlight::test::render_fixture::hostile_name;
namespace fixture = porchlight::test::render_fixture;

namespace {

export_store& shared_store() {
    static export_store s;
    return s;
}

layer load(layer_kind k, const layer_filter& f = {}) {
    return load_layer(shared_store().store.db(), fixture::data_dir, k, f);
}

const report::value& prop(const layer& l, const feature& f, const std::string& name) {
    const auto it = std::find(l.property_names.begin(), l.property_names.end(), name);
    REQUIRE(it != l.property_names.end());
    return f.properties.at(static_cast<std::size_t>(it - l.property_names.begin()));
}

std::string text(const layer& l, const feature& f, const std::string& name) {
    return report::to_text(prop(l, f, name));
}

std::vector<std::string> column(const layer& l, const std::string& name) {
    std::vector<std::string> out;
    for (const auto& f : l.features)
        out.push_back(text(l, f, name));
    std::sort(out.begin(), out.end());
    return out;
}

bool has_property(const layer& l, const std::string& name) {
    return std::find(l.property_names.begin(), l.property_names.end(), name) !=
           l.property_names.end();
}

double signed_area(const geo::ring& r) {
    double a = 0;
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++)
        a += r[j].lon * r[i].lat - r[i].lon * r[j].lat;
    return a / 2;
}

using names = std::vector<std::string>;

} // namespace

TEST_CASE("layer names read back and an unknown one is refused", "[render]") {
    for (const auto& n : layer_names())
        CHECK(to_string(layer_from_string(n)) == n);
    CHECK_THROWS_AS(layer_from_string("camera"), std::invalid_argument);
    CHECK_THROWS_WITH(layer_from_string("roads"), Catch::Contains("agencies, partnerships"));
}

TEST_CASE("the partnerships layer carries dates, precision and citations", "[render]") {
    const auto l = load(layer_kind::partnerships);
    CHECK(l.name == "partnerships");
    CHECK(l.features.size() == 5);
    CHECK(l.without_location == 1); // Gamma has no location
    for (const auto& f : l.features) {
        REQUIRE(f.properties.size() == l.property_names.size());
        CHECK(f.geom.type == geometry::kind::point);
    }
    const auto alpha = std::find_if(l.features.begin(), l.features.end(), [&](const feature& f) {
        return text(l, f, "agency") == hostile_name;
    });
    REQUIRE(alpha != l.features.end());
    CHECK(text(l, *alpha, "vendor") == "Ring");
    CHECK(text(l, *alpha, "start_date") == "2019-08");
    CHECK(text(l, *alpha, "start_precision") == "month");
    CHECK(text(l, *alpha, "geocode_precision") == "place");
    CHECK(std::get<std::int64_t>(prop(l, *alpha, "evidence_count")) == 1);
    CHECK(text(l, *alpha, "sources") == "Partnership list");
    CHECK(text(l, *alpha, "links") == "https://example.org/alpha");
    CHECK(alpha->geom.point.lon == Approx(-82.9987942));
    CHECK(l.source_titles.size() == 1);
    CHECK(l.source_titles[0].rfind("Partnership list (", 0) == 0);
    // deterministic order: by id
    CHECK(std::is_sorted(l.features.begin(), l.features.end(),
                         [](const feature& a, const feature& b) { return a.id < b.id; }));
}

TEST_CASE("the filters of partnerships select the layer", "[render]") {
    layer_filter ring;
    ring.vendor = "ring";
    CHECK(column(load(layer_kind::partnerships, ring), "vendor") == names{"Ring"});
    CHECK(load(layer_kind::partnerships, ring).without_location == 1);

    layer_filter ohio;
    ohio.state = "Ohio";
    CHECK(column(load(layer_kind::partnerships, ohio), "state") == names{"OH", "OH", "OH"});

    layer_filter as_of; // started by then and not ended before; undated left out
    as_of.as_of = "2019-08-19";
    CHECK(column(load(layer_kind::partnerships, as_of), "technology") ==
          names{"Automated License Plate Readers", "Body-worn Cameras", "Drones"});

    layer_filter window; // starts inside 2019 (a month inside counts)
    window.since = "2019";
    window.until = "2019-12-31";
    CHECK(load(layer_kind::partnerships, window).features.size() == 4);
    window.since = "2019-08";
    CHECK(column(load(layer_kind::partnerships, window), "start_date") ==
          names{"2019-08", "2019-08-19"});
}

TEST_CASE("the agencies layer counts the partnerships the filters keep", "[render]") {
    const auto all = load(layer_kind::agencies);
    CHECK(all.features.size() == 5);
    CHECK(all.without_location == 1);
    layer_filter axon;
    axon.vendor = "axon";
    const auto l = load(layer_kind::agencies, axon);
    REQUIRE(l.features.size() == 2); // Delta and Eta
    for (const auto& f : l.features) {
        CHECK(std::get<std::int64_t>(prop(l, f, "partnerships")) == 1);
        CHECK(text(l, f, "vendors") == "Axon");
        CHECK(text(l, f, "first_start") != "");
        CHECK(std::get<std::int64_t>(prop(l, f, "evidence_count")) >= 2); // agency + partnership
    }
    CHECK(column(l, "geocode_precision") == names{"county", "place"});
}

TEST_CASE("a request's area is in RFC 7946 ring order and its personal data left out", "[render]") {
    const auto l = load(layer_kind::requests);
    CHECK(l.without_location == 1); // request 3: no area, no centre
    REQUIRE(l.features.size() == 2);
    const auto& area = l.features[0];
    REQUIRE(area.geom.type == geometry::kind::polygon);
    REQUIRE(area.geom.rings.size() == 2);
    CHECK(area.geom.rings[0].size() == 4); // the closing point is not repeated
    CHECK(signed_area(area.geom.rings[0]) > 0); // outer: counter-clockwise
    CHECK(signed_area(area.geom.rings[1]) < 0); // hole: clockwise
    CHECK(text(l, area, "area") == "polygon");
    CHECK(text(l, area, "sources") == "Request log");
    CHECK(std::get<std::int64_t>(prop(l, area, "videos_received")) == 3);
    const auto& centre = l.features[1];
    CHECK(centre.geom.type == geometry::kind::point);
    CHECK(centre.geom.point.lat == Approx(29.76));
    CHECK(text(l, centre, "area") == "point");
    for (const char* p : {"case_number", "title", "address"})
        CHECK_FALSE(has_property(l, p));
    CHECK(l.description.find("Personal data left out") != std::string::npos);

    layer_filter personal;
    personal.include_personal_data = true;
    const auto p = load(layer_kind::requests, personal);
    REQUIRE(p.features.size() == 2);
    CHECK(text(p, p.features[0], "case_number") == "CASE-1");
    CHECK(text(p, p.features[0], "address") == "12 Elm St");
    CHECK(text(p, p.features[1], "address") == "7 Oak Ave");
}

TEST_CASE("requests are filtered by the date they were made and their agency's state", "[render]") {
    layer_filter f;
    f.since = "2021";
    CHECK(load(layer_kind::requests, f).features.size() == 1); // 2021-05-06T10:00:00Z
    f.since.reset();
    f.state = "TX";
    CHECK(load(layer_kind::requests, f).features.size() == 1);
    layer_filter ring; // requests of Ring's partners: Alpha only
    ring.vendor = "Ring";
    const auto l = load(layer_kind::requests, ring);
    REQUIRE(l.features.size() == 1);
    CHECK(l.features[0].id == 1);
}

TEST_CASE("a camera's name is personal data and a state is found by its county", "[render]") {
    const auto l = load(layer_kind::cameras);
    CHECK(l.features.size() == 5);
    CHECK_FALSE(has_property(l, "name"));
    CHECK(column(l, "kind") == names{"alpr", "dome", "doorbell", "fixed", "fixed"});
    CHECK(text(l, l.features[0], "source") == "Camera list");
    CHECK(std::get<double>(prop(l, l.features[0], "direction")) == 90);
    CHECK(l.source_titles.size() == 1);

    layer_filter personal;
    personal.include_personal_data = true;
    const auto p = load(layer_kind::cameras, personal);
    CHECK(text(p, p.features[2], "name") == "Smith family doorbell");

    layer_filter texas;
    texas.state = "TX";
    const auto tx = load(layer_kind::cameras, texas);
    REQUIRE(tx.features.size() == 1);
    CHECK(text(tx, tx.features[0], "kind") == "alpr");
}

TEST_CASE("hexbins count cameras and leave out bins below the minimum", "[render]") {
    layer_filter f;
    CHECK(load(layer_kind::hexbins, f).features.empty()); // 4 and 1 cameras: below 5
    f.hexbin_min_count = 2;
    const auto l = load(layer_kind::hexbins, f);
    REQUIRE(l.features.size() == 1); // Columbus; Austin's single camera left out
    const auto& bin = l.features[0];
    CHECK(std::get<std::int64_t>(prop(l, bin, "count")) == 4);
    CHECK(std::get<double>(prop(l, bin, "cell_m")) == 5000);
    CHECK(std::get<std::int64_t>(prop(l, bin, "min_count")) == 2);
    REQUIRE(bin.geom.type == geometry::kind::polygon);
    REQUIRE(bin.geom.rings.size() == 1);
    CHECK(bin.geom.rings[0].size() == 6);
    CHECK(signed_area(bin.geom.rings[0]) > 0);
    f.state = "TX";
    f.hexbin_min_count = 1;
    CHECK(load(layer_kind::hexbins, f).features.size() == 1);
}

TEST_CASE("filters a layer has no meaning for are refused", "[render]") {
    layer_filter vendor;
    vendor.vendor = "ring";
    CHECK_THROWS_WITH(layer_header(layer_kind::cameras, vendor),
                      Catch::Contains("--vendor does not apply to the cameras layer"));
    layer_filter as_of;
    as_of.as_of = "2020-01-01";
    CHECK_THROWS_AS(layer_header(layer_kind::requests, as_of), std::invalid_argument);
    as_of.as_of = "2020";
    CHECK_THROWS_WITH(layer_header(layer_kind::partnerships, as_of), Catch::Contains("full date"));
    layer_filter state;
    state.state = "Atlantis";
    CHECK_THROWS_WITH(layer_header(layer_kind::agencies, state), Catch::Contains("unknown state"));
    layer_filter reversed;
    reversed.since = "2021";
    reversed.until = "2020";
    CHECK_THROWS_AS(layer_header(layer_kind::partnerships, reversed), std::invalid_argument);
}

TEST_CASE("property types follow the schemas", "[render]") {
    CHECK(type_of_property("evidence_count") == property_type::integer);
    CHECK(type_of_property("direction") == property_type::real);
    CHECK(type_of_property("start_date") == property_type::text);
}
