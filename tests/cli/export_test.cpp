// End-to-end tests of `porchlight export` on the demo corpus (data/demo, fictional),
// ingested and geocoded into a store of the test's own, plus video requests and cameras
// inserted with SQL and one agency renamed to a hostile name. GeoJSON properties are checked
// against schemas/<layer>.schema.json (report_support.hpp's checker).
#include "report_support.hpp"

#include <sqlite3.h>

#include <set>

using namespace porchlight::test;
using namespace porchlight::test::report;

namespace {

const std::string hostile = "<img src=x onerror=alert(1)> \"Q\" & 'a'\nline two \xC3\xA9\xE6\x9D\xB1";

class export_demo {
  public:
    export_demo() {
        ingest_demo_records(m_dir.path(), db(), "My list");
        const auto g = run_on(db(), {"-q", "geocode"});
        INFO(g.err);
        REQUIRE(g.status == 0);
        const auto agency = query(db(), "SELECT min(id) FROM agencies WHERE lat IS NOT NULL");
        exec_sql(db(),
                 "INSERT INTO sources (id, sha256, size, kind, format, file_name, origin, title, "
                 "ingested_at, porchlight_version) VALUES (900, "
                 "'cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc', 1, "
                 "'records', 'csv', 'log.csv', '/x/log.csv', 'Request log', "
                 "'2024-01-31T00:00:00Z', 'test');"
                 "INSERT INTO video_requests (id, agency_id, requested_at, case_number, title, "
                 "center_lat, center_lon, area_wkt, source_id, address) VALUES "
                 "(1, " + agency + ", '2020-03-04', 'CASE-77', 'Theft at 9 Pine Rd', 39.95, -82.95, "
                 "'POLYGON ((-83 40, -82.9 40, -82.9 39.9, -83 39.9, -83 40))', 900, '9 Pine Rd'),"
                 "(2, " + agency + ", '2021-05-06', 'CASE-78', NULL, 39.96, -82.96, NULL, 900, NULL);"
                 "INSERT INTO evidence (fact_type, fact_id, source_id, locator) VALUES "
                 "('video_request', 1, 900, 'row 1'), ('video_request', 2, 900, 'row 2');"
                 "INSERT INTO cameras (id, lat, lon, kind, operator, direction, name, source_id) "
                 "VALUES (1, 39.9612, -82.9988, 'fixed', 'City', 90, NULL, 900), "
                 "(2, 39.9613, -82.9989, 'doorbell', NULL, NULL, 'Jones home doorbell', 900), "
                 "(3, 39.9614, -82.9987, 'dome', 'City', 45.5, NULL, 900);");
        sqlite3* h = nullptr;
        REQUIRE(sqlite3_open_v2(db().c_str(), &h, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(h, "UPDATE agencies SET name = ?1 WHERE id = ?2", -1, &st, nullptr);
        sqlite3_bind_text(st, 1, hostile.c_str(), static_cast<int>(hostile.size()), SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, std::stoll(agency));
        REQUIRE(sqlite3_step(st) == SQLITE_DONE);
        sqlite3_finalize(st);
        sqlite3_close(h);
    }
    run_result run(std::vector<std::string> args) const {
        args.insert(args.begin(), "export");
        return run_on(db(), args);
    }
    /// Exports and parses a GeoJSON layer.
    json geojson(const std::string& layer, std::vector<std::string> extra = {}) const {
        const auto out = (m_dir / (layer + std::to_string(m_n++) + ".geojson")).string();
        std::vector<std::string> args = {layer, out};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto r = run(args);
        INFO(r.err);
        REQUIRE(r.status == 0);
        return json::parse(read_text(out));
    }
    std::string db() const { return (m_dir / "store.db").string(); }
    std::string file(const std::string& name) const { return (m_dir / "demo" / name).string(); }
    fs::path dir() const { return m_dir.path(); }

  private:
    TempDir m_dir;
    mutable int m_n = 0;
};

const export_demo& demo() {
    static const export_demo s;
    return s;
}

json schema_of(const std::string& layer) {
    std::ifstream in(fs::path(PORCHLIGHT_SOURCE_DIR) / "schemas" / (layer + ".schema.json"));
    REQUIRE(in);
    return json::parse(in);
}

/// Every feature's properties conform to the layer's schema; returns the keys seen.
std::set<std::string> check_properties(const json& fc, const std::string& layer) {
    const auto schema = schema_of(layer);
    CHECK(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema");
    std::set<std::string> keys;
    std::vector<std::string> problems;
    for (const auto& f : fc["features"]) {
        schema_problems(f["properties"], schema, "$." + layer, problems);
        for (const auto& [k, v] : f["properties"].items())
            keys.insert(k);
    }
    for (const auto& p : problems)
        UNSCOPED_INFO(p);
    CHECK(problems.empty());
    return keys;
}

std::set<std::string> required_of(const std::string& layer) {
    std::set<std::string> out;
    const auto schema = schema_of(layer);
    for (const auto& k : schema["required"])
        out.insert(k.get<std::string>());
    return out;
}

} // namespace

TEST_CASE("export: every layer's GeoJSON properties follow its schema", "[cli][export]") {
    const std::vector<std::pair<std::string, std::vector<std::string>>> layers = {
        {"agencies", {}}, {"partnerships", {}}, {"requests", {}}, {"cameras", {}},
        {"hexbins", {"--min-count", "1"}}};
    for (const auto& [layer, extra] : layers) {
        INFO(layer);
        const auto fc = demo().geojson(layer, extra);
        CHECK(fc["type"] == "FeatureCollection");
        CHECK_FALSE(fc.contains("crs"));
        REQUIRE_FALSE(fc["features"].empty());
        // exactly the required properties: nothing undocumented, nothing personal
        CHECK(check_properties(fc, layer) == required_of(layer));
    }
}

TEST_CASE("export: personal data only with --include-personal-data", "[cli][export]") {
    auto plain = demo().geojson("requests");
    CHECK(plain.dump().find("9 Pine Rd") == std::string::npos);
    CHECK(plain.dump().find("CASE-77") == std::string::npos);
    auto personal = demo().geojson("requests", {"--include-personal-data"});
    check_properties(personal, "requests");
    CHECK(personal["features"][0]["properties"]["address"] == "9 Pine Rd");
    CHECK(personal["features"][0]["properties"]["case_number"] == "CASE-77");
    CHECK(personal["features"][1]["properties"]["title"].is_null());

    const auto cams = demo().geojson("cameras");
    CHECK(cams.dump().find("Jones home") == std::string::npos);
    const auto named = demo().geojson("cameras", {"--include-personal-data"});
    check_properties(named, "cameras");
    CHECK(named["features"][1]["properties"]["name"] == "Jones home doorbell");

    const auto r = demo().run({"requests", (demo().dir() / "r.csv").string()});
    CHECK(r.status == 0);
    CHECK(r.out.find("personal data left out") != std::string::npos);
    CHECK(read_text(demo().dir() / "r.csv").find("9 Pine Rd") == std::string::npos);
}

TEST_CASE("export: the hostile name stays exact text", "[cli][export]") {
    const auto fc = demo().geojson("agencies");
    bool found = false;
    for (const auto& f : fc["features"])
        found = found || f["properties"]["name"] == hostile;
    CHECK(found);
    const auto kml = demo().dir() / "a.kml";
    REQUIRE(demo().run({"agencies", kml.string()}).status == 0);
    const auto text = read_text(kml);
    CHECK(text.find("<img") == std::string::npos);
    CHECK(text.find("&lt;img src=x onerror=alert(1)&gt; \"Q\" &amp; 'a'") != std::string::npos);
}

TEST_CASE("export: every format is written and the text ones are byte-identical twice",
          "[cli][export]") {
    for (const char* ext : {"geojson", "geojsonl", "kml", "kmz", "gpkg", "fgb", "csv"}) {
        INFO(ext);
        const auto a = demo().dir() / (std::string("p1.") + ext);
        const auto b = demo().dir() / (std::string("p2.") + ext);
        const auto r = demo().run({"partnerships", a.string(), "--vendor", "ring"});
        INFO(r.err);
        REQUIRE(r.status == 0);
        CHECK(r.out.rfind("wrote ", 0) == 0);
        CHECK(r.out.find(std::string("(") + ext + ")") != std::string::npos);
        REQUIRE(demo().run({"partnerships", b.string(), "--vendor", "ring"}).status == 0);
        CHECK(fs::file_size(a) > 0);
        CHECK_FALSE(fs::exists(a.string() + ".part"));
        const std::string e = ext;
        if (e == "geojson" || e == "geojsonl" || e == "kml" || e == "csv") {
            CHECK(read_text(a) == read_text(b));
            // numbers never follow the locale (a German one writes 1,5)
            const auto c = demo().dir() / (std::string("p3.") + ext);
            const auto de = run_porchlight({"--db", demo().db(), "export", "partnerships",
                                            c.string(), "--vendor", "ring"},
                                           {}, {{"LC_ALL", "de_DE.UTF-8"}});
            REQUIRE(de.status == 0);
            CHECK(read_text(a) == read_text(c));
        }
    }
    const auto lines = read_text(demo().dir() / "p1.geojsonl");
    CHECK(count_lines(lines) == demo().geojson("partnerships", {"--vendor", "ring"})["features"].size());
}

TEST_CASE("export: --format wins over the extension", "[cli][export]") {
    const auto out = demo().dir() / "agencies.txt";
    const auto r = demo().run({"agencies", out.string(), "--format", "geojson"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(json::parse(read_text(out))["type"] == "FeatureCollection");
}

TEST_CASE("export: errors and their exit status", "[cli][export]") {
    const auto out = (demo().dir() / "x.geojson").string();
    auto r = demo().run({"partnership", out});
    CHECK(r.status == 2);
    CHECK(r.err.find("did you mean 'partnerships'") != std::string::npos);
    r = demo().run({"agencies", (demo().dir() / "x.shp").string()});
    CHECK(r.status == 2);
    CHECK(r.err.find("give --format") != std::string::npos);
    r = demo().run({"agencies", out, "--format", "svg"});
    CHECK(r.status == 2);
    r = demo().run({"cameras", out, "--vendor", "ring"});
    CHECK(r.status == 2);
    CHECK(r.err.find("--vendor does not apply to the cameras layer") != std::string::npos);
    r = demo().run({"agencies", (demo().dir() / "no" / "such" / "x.geojson").string()});
    CHECK(r.status == 1);
    CHECK(r.err.find("cannot write") != std::string::npos);
    r = demo().run({"partnerships", out, "--vendor", "nosuchvendor"});
    CHECK(r.status == 1);
    CHECK(r.err.find("--vendor nosuchvendor keeps no partnerships") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
    CHECK_FALSE(fs::exists(out + ".part"));
    r = demo().run({"hexbins", out});
    CHECK(r.status == 1);
    CHECK(r.err.find("no hexagon") != std::string::npos);
    r = demo().run({"agencies", out, "--cell", "100"});
    CHECK(r.status == 2);
}

TEST_CASE("export: the real Atlas export and Baltimore's camera list", "[cli][export][real]") {
    const auto atlas = real_file("atlas/Atlas of Surveillance-20201007.csv");
    const auto cameras = real_file("cameras/BPD_Cameras (2).csv");
    if (!atlas || !cameras)
        return; // real_file() warned: the real-data folder is absent
    TempDir dir;
    const auto db = (dir / "real.db").string();
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"-q", "ingest", atlas->string(), "--as-of", "2020-10-07"},
             {"-q", "ingest", cameras->string(), "--as-of", "2021-01-01"},
             {"-q", "geocode"}}) {
        const auto r = run_on(db, args);
        INFO(r.err);
        REQUIRE(r.status == 0);
    }
    const auto out = (dir / "ring.geojson").string();
    auto r = run_on(db, {"export", "partnerships", out, "--vendor", "ring"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto fc = json::parse(read_text(out));
    CHECK(fc["features"].size() > 1000); // the Atlas lists about 1,400 Ring partners in 2020
    CHECK(check_properties(fc, "partnerships") == required_of("partnerships"));
    std::size_t linked = 0;
    for (const auto& f : fc["features"])
        linked += f["properties"]["links"].is_string() ? 1 : 0;
    CHECK(linked > fc["features"].size() / 2); // the Atlas cites links for most rows

    const auto md = (dir / "md.geojson").string();
    r = run_on(db, {"export", "cameras", md, "--state", "MD"});
    REQUIRE(r.status == 0);
    const auto cams = json::parse(read_text(md));
    CHECK(cams["features"].size() == std::stoul(query(db, "SELECT count(*) FROM cameras")));
    check_properties(cams, "cameras");
}
