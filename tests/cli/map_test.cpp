// End-to-end tests of `porchlight map`: the binary on a store of five geocoded partnerships
// (map_support.hpp) and on the demo corpus. Maps are checked by reading them back: PNG
// pixels (cairo), SVG (pugixml), PDF text (poppler), the HTML's data; the same store gives
// the same bytes; wrong arguments exit 2, failures 1, and leave no file behind.
#include "map_support.hpp"

#include <porchlight/paths.hpp>
#include <porchlight/render/detail/map_scene.hpp>
#include <porchlight/store/database.hpp>

#include <cairo/cairo.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page.h>
#include <pugixml.hpp>

#include <cstring>
#include <memory>

using namespace porchlight::test;
namespace fs = std::filesystem;
namespace render = porchlight::render;

namespace {

const fs::path data_dir = fs::path(PORCHLIGHT_SOURCE_DIR) / "data";

// The scene the command draws, from the same store (positions of the points)
render::detail::scene scene_of(const std::string& db, render::map_options o = {}) {
    porchlight::store::Database d(db, porchlight::store::Database::mode::read_only);
    const auto l = render::load_layer(d, data_dir, render::layer_kind::partnerships, {});
    return render::detail::build_scene(l, data_dir, o);
}

struct rgba {
    int r, g, b;
};

rgba pixel(const fs::path& png, render::xy p) {
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> s(
        cairo_image_surface_create_from_png(png.c_str()), &cairo_surface_destroy);
    REQUIRE(cairo_surface_status(s.get()) == CAIRO_STATUS_SUCCESS);
    const int x = static_cast<int>(p.x * 2), y = static_cast<int>(p.y * 2);
    std::uint32_t v;
    std::memcpy(&v,
                cairo_image_surface_get_data(s.get()) +
                    y * cairo_image_surface_get_stride(s.get()) + 4 * x,
                4);
    return {static_cast<int>((v >> 16) & 255), static_cast<int>((v >> 8) & 255),
            static_cast<int>(v & 255)};
}

} // namespace

TEST_CASE("map png: every partnership drawn where it is, the sea left white", "[cli][map]") {
    const auto& st = map::sample();
    TempDir out;
    const auto r = st.map({"partnerships", (out / "m.png").string()});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out == "wrote " + (out / "m.png").string() + ": 5 partnerships on the map\n");
    CHECK(r.err.empty());
    const auto s = scene_of(st.db());
    REQUIRE(s.marks.size() == 5);
    for (const auto& m : s.marks) {
        const auto c = pixel(out / "m.png", m.at);
        INFO(m.at.x << ", " << m.at.y << ": " << c.r << " " << c.g << " " << c.b);
        // the one colour (Okabe-Ito blue #0072B2), blended at 0.85 over the land
        CHECK(c.b > 150);
        CHECK(c.r < 60);
    }
    const auto p = render::page_projection::national(s.frame);
    const auto sea = pixel(out / "m.png", p.project_in(render::map_part::main, -70, 33));
    CHECK((sea.r == 255 && sea.g == 255 && sea.b == 255));
}

TEST_CASE("map svg pdf html: title as text, one page, data inline, same bytes twice",
          "[cli][map]") {
    const auto& st = map::sample();
    TempDir out;
    for (const auto* ext : {"svg", "pdf", "html", "png"})
        for (const auto* run : {"a", "b"}) {
            const auto file = out / (std::string(run) + "." + ext);
            const auto r = st.map({"partnerships", file.string(), "--color-by", "vendor", "--title",
                                   "Where partnerships are"});
            INFO(r.err);
            REQUIRE(r.status == 0);
        }
    for (const auto* ext : {"svg", "pdf", "html", "png"}) {
        INFO(ext);
        CHECK(read_text(out / (std::string("a.") + ext)) ==
              read_text(out / (std::string("b.") + ext)));
    }
    pugi::xml_document svg;
    REQUIRE(svg.load_file((out / "a.svg").c_str()));
    CHECK(svg.select_node("//text[text()='Where partnerships are']"));
    CHECK(svg.select_node("//text[text()='Ring (4)']"));
    CHECK(svg.select_node("//text[text()='sources as of 2021-06-01']"));

    std::unique_ptr<poppler::document> pdf(
        poppler::document::load_from_file((out / "a.pdf").string()));
    REQUIRE(pdf);
    CHECK(pdf->pages() == 1);
    std::unique_ptr<poppler::page> page(pdf->create_page(0));
    const auto bytes = page->text().to_utf8();
    const std::string text(bytes.begin(), bytes.end());
    CHECK(text.find("Where partnerships are") != std::string::npos);
    CHECK(text.find("Map test list") != std::string::npos); // the source credit

    const auto html = read_text(out / "a.html");
    CHECK(html.find("<title>Where partnerships are</title>") != std::string::npos);
    CHECK(html.find("\\u003cimg src=x onerror=window.pwned=1\\u003e") != std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    for (const auto* remote : {"src=\"http", "href=\"http", "url(", "@import", "fetch("})
        CHECK(html.find(remote) == std::string::npos);
}

TEST_CASE("map: a state map draws the request areas in it and counts the others outside",
          "[cli][map]") {
    // the demo's Request for Assistance posts: 34 areas in Kansas, 12 in Ohio, 1 in New
    // Jersey; one row has no usable point (lat/lon swapped)
    TempDir dir;
    const auto db = (dir / "s.db").string();
    const auto posts = fs::path(PORCHLIGHT_SOURCE_DIR) / "data" / "demo" / "rfa-posts.csv";
    REQUIRE(run_porchlight({"--db", db, "-q", "ingest", posts.string()}).status == 0);
    auto r = run_porchlight({"--db", db, "map", "requests", (dir / "ks.png").string(),
                             "--scope", "KS"});
    CHECK(r.status == 0);
    CHECK(r.out.find(": 34 requests on the map, 13 outside it, 1 without a location") !=
          std::string::npos);
    r = run_porchlight({"--db", db, "map", "requests", (dir / "oh.png").string(), "--scope",
                        "OH"});
    CHECK(r.out.find(": 12 requests on the map, 35 outside it, 1 without a location") !=
          std::string::npos);
}

TEST_CASE("map: state and county scopes and choropleths", "[cli][map]") {
    const auto& st = map::sample();
    TempDir out;
    auto r = st.map({"partnerships", (out / "ks.png").string(), "--scope", "KS"});
    CHECK(r.status == 0);
    CHECK(r.out.find(": 2 partnerships on the map, 3 outside it") != std::string::npos);
    r = st.map({"partnerships", (out / "c.svg").string(), "--choropleth", "state"});
    CHECK(r.status == 0);
    pugi::xml_document svg;
    REQUIRE(svg.load_file((out / "c.svg").c_str()));
    CHECK(svg.select_node("//text[text()='partnerships per state']"));
    r = st.map({"partnerships", (out / "d.png").string(), "--choropleth", "county", "--per-km2",
                "--scope", "OH"});
    CHECK(r.status == 0);
    r = st.map({"partnerships", (out / "f.png").string(), "--scope", "20173"}); // Sedgwick
    CHECK(r.status == 0);
    CHECK(r.out.find(": 1 partnerships on the map") != std::string::npos);
}

TEST_CASE("map: usage errors exit 2, failures exit 1, no file is left", "[cli][map]") {
    const auto& st = map::sample();
    TempDir out;
    const auto gif = (out / "m.gif").string();
    auto r = st.map({"partnerships", gif});
    CHECK(r.status == 2);
    CHECK(r.err.find("use .png, .svg, .pdf or .html") != std::string::npos);
    r = st.map({"parterships", (out / "m.png").string()});
    CHECK(r.status == 2);
    r = st.map({"partnerships", (out / "m.png").string(), "--per-km2"});
    CHECK(r.status == 2);
    CHECK(r.err == "porchlight map: --per-km2 needs --choropleth state|county\n");
    r = st.map({"partnerships", (out / "m.png").string(), "--choropleth", "zip"});
    CHECK(r.status == 2);
    r = st.map({"partnerships", (out / "m.png").string(), "--color-by", "colour"});
    CHECK(r.status == 1);
    CHECK(r.err.find("no property 'colour'") != std::string::npos);
    r = st.map({"partnerships", (out / "m.png").string(), "--scope", "Atlantis"});
    CHECK(r.status == 1);
    CHECK(r.err.find("unknown map scope 'Atlantis'") != std::string::npos);
    CHECK(fs::is_empty(out.path()));
}

TEST_CASE("map of the demo corpus says in the image that the data is fictional", "[cli][map]") {
    TempDir dir;
    const auto db = (dir / "demo.db").string();
    // ingested from porchlight's own data/demo: the map knows it is the demo
    auto r = run_porchlight({"--db", db, "-q", "ingest",
                             (data_dir / "demo" / "my-partnerships.csv").string(), "--as-of",
                             "2021-06-01"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    REQUIRE(run_porchlight({"--db", db, "-q", "geocode"}).status == 0);
    r = run_porchlight({"--db", db, "map", "partnerships", (dir / "demo.svg").string()});
    REQUIRE(r.status == 0);
    CHECK(r.out.find("(fictional sample data)") != std::string::npos);
    pugi::xml_document svg;
    REQUIRE(svg.load_file((dir / "demo.svg").c_str()));
    CHECK(svg.select_node("//text[starts-with(text(), 'FICTIONAL SAMPLE DATA')]"));
    // a store of other sources has no such notice
    const auto& st = map::sample();
    r = st.map({"partnerships", (dir / "other.svg").string()});
    REQUIRE(r.status == 0);
    CHECK(read_text(dir / "other.svg").find("FICTIONAL") == std::string::npos);
}
