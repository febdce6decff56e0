// Static and HTML maps of a layer built in the test, checked by reading what was written:
// PNG pixels decoded with cairo (a point's projected pixel has its colour, open sea is
// background), SVG parsed with pugixml (text kept as <text>), PDF read with poppler
// (one page, the title as text, no raster image), HTML's data escaped.
#include <porchlight/error.hpp>
#include <porchlight/render/detail/map_scene.hpp>
#include <porchlight/render/map.hpp>

#include "test_support.hpp"

#include <cairo/cairo.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page.h>
#include <pugixml.hpp>

#include <memory>

using namespace porchlight;
using namespace porchlight::render;
namespace fs = std::filesystem;

namespace {

const fs::path data_dir = fs::path(PORCHLIGHT_SOURCE_DIR) / "data";

struct place {
    std::string name, vendor, state;
    double lon, lat;
    std::string start;
};

layer make_layer(const std::vector<place>& places) {
    layer l;
    l.kind = layer_kind::partnerships;
    l.name = "partnerships";
    l.property_names = {"agency", "vendor", "state", "start_date", "links"};
    l.source_titles = {"Test list (0123456789ab)"};
    std::int64_t id = 0;
    for (const auto& p : places) {
        feature f;
        f.id = ++id;
        f.geom.type = geometry::kind::point;
        f.geom.point = {p.lon, p.lat};
        f.properties = {p.name, p.vendor, p.state, p.start, std::string("https://example.org/")};
        l.features.push_back(std::move(f));
    }
    return l;
}

// Wichita KS, Columbus OH (x2), Anchorage AK, Honolulu HI, San Juan PR (outside the map)
layer sample() {
    return make_layer({{"Wichita Police Department", "Ring", "KS", -97.34, 37.69, "2019-05-01"},
                       {"Columbus Police", "Flock Safety", "OH", -82.99, 39.96, "2020-01-01"},
                       {"Dublin Police", "Ring", "OH", -83.11, 40.10, "2018"},
                       {"Anchorage Police", "Ring", "AK", -149.9, 61.22, "2021-02-03"},
                       {"Honolulu Police", "Ring", "HI", -157.86, 21.31, ""},
                       {"San Juan Police", "Ring", "PR", -66.1, 18.4, "2019-01-01"}});
}

struct surface_closer {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};

struct png {
    std::unique_ptr<cairo_surface_t, surface_closer> s;
    explicit png(const fs::path& file) : s(cairo_image_surface_create_from_png(file.c_str())) {
        REQUIRE(cairo_surface_status(s.get()) == CAIRO_STATUS_SUCCESS);
    }
    int width() const { return cairo_image_surface_get_width(s.get()); }
    int height() const { return cairo_image_surface_get_height(s.get()); }
    // (r, g, b) at a page point (the PNG is drawn at 2x)
    detail::rgb at(xy p) const {
        const int x = static_cast<int>(p.x * 2), y = static_cast<int>(p.y * 2);
        REQUIRE((x >= 0 && y >= 0 && x < width() && y < height()));
        const auto* row = cairo_image_surface_get_data(s.get()) +
                          static_cast<std::ptrdiff_t>(y) * cairo_image_surface_get_stride(s.get());
        std::uint32_t v;
        std::memcpy(&v, row + 4 * x, 4);
        return {static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
                static_cast<std::uint8_t>(v)};
    }
};

bool near(detail::rgb a, detail::rgb b, int tolerance) {
    return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance &&
           std::abs(a.b - b.b) <= tolerance;
}

map_options options() {
    map_options o;
    o.title = "Test partnerships map";
    o.color_by = "vendor";
    o.date_line = "as of 2021-06-01";
    return o;
}

} // namespace

TEST_CASE("map scene: points projected, legend counted, outside points counted", "[render][map]") {
    const auto l = sample();
    const auto s = detail::build_scene(l, data_dir, options());
    CHECK(s.result.drawn == 5);
    CHECK(s.result.outside == 1); // San Juan
    REQUIRE(s.legend.items.size() == 2);
    CHECK(s.legend.items[0].label == "Ring");
    CHECK(s.legend.items[0].count == 4); // San Juan is not counted
    CHECK(s.legend.items[1].label == "Flock Safety");
    CHECK(s.footnote.find("1 outside the map") != std::string::npos);
    CHECK(s.credit.find("Test list (0123456789ab)") != std::string::npos);
    CHECK(s.notice.empty());
    CHECK(s.states.size() == 51); // 50 states and DC; no territories on the national map
}

TEST_CASE("map png: the points' pixels have their colours and the sea is background",
          "[render][map]") {
    test::TempDir dir;
    const auto l = sample();
    const auto o = options();
    const auto s = detail::build_scene(l, data_dir, o);
    write_map(l, data_dir, o, dir / "m.png", map_format::png);
    const png img(dir / "m.png");
    CHECK(img.width() == 1920);
    CHECK(img.height() == 1280);
    const auto colour_of = [&](std::size_t feature) {
        for (const auto& m : s.marks)
            if (m.feature == feature)
                return std::pair{m.at, s.legend.items.at(static_cast<std::size_t>(m.cls)).color};
        FAIL("feature " << feature << " not drawn");
        return std::pair{xy{}, detail::rgb{}};
    };
    for (const std::size_t f : {0u, 1u, 3u, 4u}) { // Wichita, Columbus, Anchorage, Honolulu
        const auto [at, colour] = colour_of(f);
        INFO("feature " << f << " at " << at.x << ", " << at.y);
        CHECK(near(img.at(at), colour, 40)); // blended at 0.85 over the land
    }
    // open sea: the Atlantic off the Carolinas, and the Gulf of Mexico
    const auto p = page_projection::national(s.frame);
    for (const auto& [lon, lat] : {std::pair{-70.0, 33.0}, {-90.0, 26.0}}) {
        const auto sea = p.project_in(map_part::main, lon, lat);
        CHECK(near(img.at(sea), {255, 255, 255}, 0));
    }
    // land without a point (Nevada) has the land colour, not a point's
    const auto nevada = *p.project(-116.6, 39.3);
    CHECK(near(img.at(nevada), {0xF1, 0xEF, 0xEA}, 2));
}

TEST_CASE("map svg: valid XML with the texts as text elements", "[render][map]") {
    test::TempDir dir;
    auto o = options();
    o.fictional = true;
    write_map(sample(), data_dir, o, dir / "m.svg", map_format::svg);
    pugi::xml_document doc;
    const auto parsed = doc.load_file((dir / "m.svg").c_str());
    INFO(parsed.description());
    REQUIRE(parsed);
    const auto svg = doc.document_element();
    CHECK(std::string(svg.name()) == "svg");
    CHECK(std::string(svg.child("title").text().get()) == "Test partnerships map");
    std::vector<std::string> texts;
    for (const auto& t : doc.select_nodes("//text"))
        texts.emplace_back(t.node().text().get());
    const auto has = [&](const std::string& s) {
        return std::find(texts.begin(), texts.end(), s) != texts.end();
    };
    CHECK(has("Test partnerships map"));
    CHECK(has("as of 2021-06-01"));
    CHECK(has("Ring (4)"));
    CHECK(has("500 km"));
    bool notice = false;
    for (const auto& t : texts)
        notice = notice || t.find("FICTIONAL SAMPLE DATA") != std::string::npos;
    CHECK(notice);
    // no text was turned into glyph outlines
    CHECK(doc.select_nodes("//symbol").empty());
    // the points are circles or paths drawn by cairo
    CHECK(doc.select_nodes("//path").size() > 10);
}

TEST_CASE("map pdf: one vector page with the title as text", "[render][map]") {
    test::TempDir dir;
    write_map(sample(), data_dir, options(), dir / "m.pdf", map_format::pdf);
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_file((dir / "m.pdf").string()));
    REQUIRE(doc);
    CHECK(doc->pages() == 1);
    std::unique_ptr<poppler::page> page(doc->create_page(0));
    const auto text = page->text().to_utf8();
    const std::string s(text.begin(), text.end());
    CHECK(s.find("Test partnerships map") != std::string::npos);
    CHECK(s.find("Flock Safety (1)") != std::string::npos);
    // vector: no raster image in the file
    const auto bytes = test::read_text(dir / "m.pdf");
    CHECK(bytes.find("/Subtype /Image") == std::string::npos);
    CHECK(bytes.find("/Image") == std::string::npos);
}

TEST_CASE("map files are deterministic", "[render][map]") {
    test::TempDir dir;
    for (const auto& ext : {"png", "svg", "pdf", "html"}) {
        const auto a = dir / (std::string("a.") + ext), b = dir / (std::string("b.") + ext);
        write_map(sample(), data_dir, options(), a, map_format_of(a));
        write_map(sample(), data_dir, options(), b, map_format_of(b));
        INFO(ext);
        CHECK(test::read_text(a) == test::read_text(b));
    }
}

TEST_CASE("map html: data escaped inside its script element, no network in the policy",
          "[render][map]") {
    test::TempDir dir;
    auto l = sample();
    l.features[0].properties[0] = std::string("</script><img src=x onerror=alert(1)>");
    write_map(l, data_dir, options(), dir / "m.html", map_format::html);
    const auto html = test::read_text(dir / "m.html");
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e") !=
          std::string::npos);
    CHECK(html.find("http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                    "script-src 'sha256-") != std::string::npos);
    CHECK(html.find("<script src") == std::string::npos);
    CHECK(html.find("<link rel=\"stylesheet\"") == std::string::npos);
    // the data block parses back to the features on the map
    const std::string open = "<script type=\"application/json\" id=\"porchlight-data\">";
    const auto a = html.find(open), b = html.find("</script>", a);
    REQUIRE(a != std::string::npos);
    const auto data = nlohmann::json::parse(html.substr(a + open.size(), b - a - open.size()));
    CHECK(data["features"].size() == 5);
    CHECK(data["features"][0]["p"][0] == "</script><img src=x onerror=alert(1)>");
    CHECK(data["time_property"] == "start_date");
    CHECK(data["label_property"] == "agency");
}

TEST_CASE("map choropleth: features counted per state, classes on a ramp", "[render][map]") {
    auto o = options();
    o.color_by.reset();
    o.choropleth = "state";
    const auto s = detail::build_scene(sample(), data_dir, o);
    CHECK(s.choropleth);
    CHECK(s.result.drawn == 5);
    CHECK(s.result.outside == 1); // PR is not on the national map
    const auto value_of = [&](const std::string& key) {
        for (const auto& a : s.states)
            if (a.key == key)
                return std::pair{a.value, a.cls};
        return std::pair{-1.0, -1};
    };
    CHECK(value_of("OH").first == 2);
    CHECK(value_of("KS").first == 1);
    CHECK(value_of("TX").first == 0);
    CHECK(value_of("TX").second == 0); // the "0" class
    CHECK(value_of("OH").second != value_of("KS").second);
    CHECK(s.legend.items.front().label == "0");
    o.per_km2 = true;
    const auto d = detail::build_scene(sample(), data_dir, o);
    for (const auto& a : d.states)
        if (a.key == "OH")
            CHECK(a.value == Approx(2 * 1000 / a.area_km2));
}

TEST_CASE("map scope: a state map and a county map, unknown scopes and properties refused",
          "[render][map]") {
    auto o = options();
    o.scope = "OH";
    const auto s = detail::build_scene(sample(), data_dir, o);
    CHECK(s.result.drawn == 2);
    CHECK(s.result.outside == 4);
    CHECK(s.highlight == "OH");
    CHECK(s.counties.size() == 88); // Ohio's counties
    CHECK(s.title == "Test partnerships map");
    o.title.reset();
    o.scope = "39049"; // Franklin County, OH (Columbus)
    const auto c = detail::build_scene(sample(), data_dir, o);
    CHECK(c.result.drawn >= 1);
    CHECK(c.title == "Partnerships in Franklin, OH");
    o.scope = "Atlantis";
    CHECK_THROWS_WITH(detail::build_scene(sample(), data_dir, o),
                      Catch::Contains("unknown map scope 'Atlantis'"));
    o.scope = "us";
    o.color_by = "colour";
    CHECK_THROWS_WITH(detail::build_scene(sample(), data_dir, o),
                      Catch::Contains("no property 'colour'") &&
                          Catch::Contains("agency, vendor, state"));
    CHECK_THROWS_AS(map_format_of("map.gif"), std::invalid_argument);
    CHECK(map_format_of("MAP.HTM") == map_format::html);
}

TEST_CASE("map classes: quantile classes with readable labels, few values one class each",
          "[render][map]") {
    const auto c = detail::class_values({0, 1, 2, 3, 4, 5, 6, 8, 10, 20}, "n", true);
    std::vector<std::string> labels;
    for (const auto& it : c.legend.items)
        labels.push_back(it.label);
    CHECK(labels ==
          std::vector<std::string>{"0", "1", "2\u20133", "4\u20135", "6\u20138", "9\u201320"});
    CHECK(c.cls == std::vector<int>{0, 1, 2, 2, 3, 3, 4, 4, 5, 5});
    CHECK(c.legend.items[1].count == 1);
    // the ramp darkens class by class
    for (std::size_t i = 2; i < c.legend.items.size(); ++i)
        CHECK(c.legend.items[i].color.g < c.legend.items[i - 1].color.g);
    const auto few = detail::class_values({0, 0.5, 2, 2}, "d", false);
    labels.clear();
    for (const auto& it : few.legend.items)
        labels.push_back(it.label);
    CHECK(labels == std::vector<std::string>{"0", "0.5", "2"});
    CHECK(detail::format_number(1234567, true) == "1,234,567");
    CHECK(detail::format_number(0.012345, false) == "0.0123");
}

TEST_CASE("map polygons: a request area is filled where it lies", "[render][map]") {
    layer l;
    l.kind = layer_kind::requests;
    l.name = "requests";
    l.property_names = {"agency", "requested_at"};
    feature f;
    f.id = 7;
    f.geom.type = geometry::kind::polygon;
    // a square of about 1.6 x 1.1 degrees around Wichita, counter-clockwise
    f.geom.rings = {{{-98.1, 37.1}, {-96.5, 37.1}, {-96.5, 38.2}, {-98.1, 38.2}}};
    f.properties = {std::string("Wichita Police Department"), std::string("2020-02-02")};
    l.features.push_back(f);
    test::TempDir dir;
    const auto s = detail::build_scene(l, data_dir, {});
    REQUIRE(s.marks.size() == 1);
    CHECK_FALSE(s.marks[0].is_point);
    write_map(l, data_dir, {}, dir / "r.png", map_format::png);
    const png img(dir / "r.png");
    const auto centre = page_projection::national(s.frame).project(-97.3, 37.65);
    REQUIRE(centre);
    const auto c = img.at(*centre);
    // the blue at 0.45 over the land: bluer than the land, not the land
    CHECK(c.b > c.r + 40);
    write_map(l, data_dir, {}, dir / "r.html", map_format::html);
    const auto html = test::read_text(dir / "r.html");
    CHECK(html.find("\"path\":[[") != std::string::npos);
}

TEST_CASE("map points located only to a state are drawn as rings", "[render][map]") {
    layer l;
    l.kind = layer_kind::agencies;
    l.name = "agencies";
    l.property_names = {"name", "geocode_precision"};
    for (const auto& [name, precision, lon] :
         {std::tuple{"Placed", "place", -100.0}, std::tuple{"At the centre", "state", -90.0}}) {
        feature f;
        f.geom.type = geometry::kind::point;
        f.geom.point = {lon, 40.0};
        f.properties = {std::string(name), std::string(precision)};
        l.features.push_back(f);
    }
    const auto s = detail::build_scene(l, data_dir, {});
    REQUIRE(s.marks.size() == 2);
    CHECK_FALSE(s.marks[0].approximate);
    CHECK(s.marks[1].approximate);
    CHECK(s.footnote.find("Rings: located only to a county or state") != std::string::npos);
    test::TempDir dir;
    write_map(l, data_dir, {}, dir / "a.png", map_format::png);
    const png img(dir / "a.png");
    const auto blue = s.legend.items[0].color;
    CHECK(near(img.at(s.marks[0].at), blue, 40));                            // a filled disc
    CHECK(near(img.at(s.marks[1].at), {0xF1, 0xEF, 0xEA}, 2));               // a ring: land inside
    CHECK(near(img.at({s.marks[1].at.x + 3.5, s.marks[1].at.y}), blue, 60)); // its edge
}
