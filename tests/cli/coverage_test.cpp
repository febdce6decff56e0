// End-to-end tests of `porchlight coverage` and `porchlight report coverage`: a store made by
// `porchlight init`, cameras ingested from a CSV (the generic cameras profile), agencies and
// video requests written with SQL, counted per county, state and agency jurisdiction.
#include "report_support.hpp"

#include <porchlight/store/database.hpp>

using namespace porchlight::test;
using namespace porchlight::test::report;

namespace {

/// 6 cameras in Baltimore city (within 1 km of the Inner Harbor), 3 in Towson (Baltimore
/// County, 12 km north), 1 in the Atlantic. Agencies: a city police department (a point),
/// a sheriff (its county), the state police, and one without a place. Requests: 3 of the
/// city police (January to March 2020) with centres in the city, 1 of the sheriff without
/// date or point.
class coverage_store {
  public:
    coverage_store() {
        REQUIRE(run_porchlight({"--db", db(), "-q", "init"}).status == 0);
        write_file(m_dir / "cams.csv", "lat,lon,kind\n"
                                       "39.2858,-76.6100,cctv\n39.2870,-76.6120,cctv\n"
                                       "39.2900,-76.6050,cctv\n39.2830,-76.6150,cctv\n"
                                       "39.2950,-76.6080,cctv\n39.2880,-76.6000,cctv\n"
                                       "39.4015,-76.6019,doorbell\n39.4020,-76.6010,doorbell\n"
                                       "39.4030,-76.6030,doorbell\n38.0000,-70.0000,buoy\n");
        fix_times(m_dir / "cams.csv");
        const auto r = run_porchlight({"--db", db(), "-q", "ingest", (m_dir / "cams.csv").string(),
                                       "--profile", "cameras", "--title", "Test cameras",
                                       "--as-of", "2024-01-01"});
        INFO(r.err);
        REQUIRE(r.status == 0);
        porchlight::store::Database d(db(), porchlight::store::Database::mode::read_write);
        d.exec("INSERT INTO agencies (id, name, norm_name, kind, state, county_fips, lat, lon, "
               "geocode_precision) VALUES "
               "(1, 'Baltimore Police Department', 'baltimore police department', 'police', "
               "'MD', '24510', 39.29, -76.61, 'place'), "
               "(2, 'Baltimore County Sheriff''s Office', 'baltimore county sheriffs office', "
               "'sheriff', 'MD', '24005', 39.40, -76.60, 'place'), "
               "(3, 'Maryland State Police', 'maryland state police', 'state', 'MD', NULL, "
               "NULL, NULL, 'state'), "
               "(4, 'Nowhere Police Department', 'nowhere police department', 'police', 'MD', "
               "NULL, NULL, NULL, 'none')");
        d.exec("INSERT INTO video_requests (agency_id, requested_at, center_lat, center_lon) "
               "VALUES (1, '2020-01-15', 39.29, -76.61), (1, '2020-03-02T10:00:00Z', 39.30, "
               "-76.62), (1, '2020-03-20', 39.28, -76.60), (2, NULL, NULL, NULL)");
        d.close();
    }
    std::string db() const { return (m_dir / "store.db").string(); }
    run_result run(std::vector<std::string> args) const { return run_on(db(), std::move(args)); }

  private:
    TempDir m_dir;
};

const coverage_store& store() {
    static const coverage_store s;
    return s;
}

} // namespace

TEST_CASE("coverage per county: cameras, area, per km², requests, and the sea apart",
          "[coverage]") {
    const auto r = store().run({"coverage", "--format", "csv"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out == "fips,county,state,cameras,area_km2,cameras_per_km2,requests\n"
                   "24005,Baltimore,MD,3,1638.9,0.00183,0\n"
                   "24510,Baltimore,MD,6,225.45,0.026613,3\n");
    CHECK(r.err.find("note: 10 cameras in the store") != std::string::npos);
    CHECK(r.err.find("note: 1 camera lies in no county polygon") != std::string::npos);
    CHECK(r.err.find("1 request without a point in a county") != std::string::npos);

    const auto table = store().run({"coverage"});
    REQUIRE(table.status == 0);
    CHECK(table.out.find("24510  Baltimore  MD           6    225.45") != std::string::npos);
    // quiet: the table only
    CHECK(store().run({"-q", "coverage"}).err.empty());
}

TEST_CASE("coverage per county of one state lists every county of it", "[coverage]") {
    const auto r = store().run({"coverage", "--state", "Maryland", "--format", "json"});
    REQUIRE(r.status == 0);
    const auto j = json::parse(r.out);
    REQUIRE(j.size() == 24); // 23 counties and Baltimore city
    std::int64_t cameras = 0;
    for (const auto& row : j) {
        CHECK(row["state"] == "MD");
        cameras += row["cameras"].get<std::int64_t>();
        if (row["cameras"] == 0)
            CHECK(row["cameras_per_km2"] == 0);
    }
    CHECK(cameras == 9);
}

TEST_CASE("coverage per state sums the counties", "[coverage]") {
    const auto r = store().run({"coverage", "--by", "state", "--format", "json"});
    REQUIRE(r.status == 0);
    const auto j = json::parse(r.out);
    REQUIRE(j.size() == 1);
    CHECK(j[0]["state"] == "MD");
    CHECK(j[0]["cameras"] == 9);
    CHECK(j[0]["requests"] == 3);
    CHECK(j[0]["counties_with_cameras"] == 2);
    CHECK(j[0]["area_km2"].get<double>() == Approx(26999.07).margin(0.01));
}

TEST_CASE("coverage per agency: a radius, a county, a state, and an agency not placed",
          "[coverage]") {
    const auto r = store().run({"coverage", "--by", "agency", "--format", "json"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto j = json::parse(r.out);
    REQUIRE(j.size() == 4);
    // ordered by state, name
    const auto& sheriff = j[0];
    const auto& city = j[1];
    CHECK(city["agency"] == "Baltimore Police Department");
    CHECK(city["jurisdiction"] == "5 km around the point");
    CHECK(city["cameras"] == 6);
    CHECK(city["area_km2"] == 78.54);
    CHECK(city["requests"] == 3);
    CHECK(city["first_request"] == "2020-01");
    CHECK(city["last_request"] == "2020-03");
    CHECK(city["requests_per_month"] == 1.0);
    CHECK(city["requests_per_year"] == 12.0);
    CHECK(sheriff["agency"] == "Baltimore County Sheriff's Office");
    CHECK(sheriff["jurisdiction"] == "county 24005");
    CHECK(sheriff["cameras"] == 3);
    CHECK(sheriff["area_km2"] == 1638.9);
    CHECK(sheriff["requests"] == 1);
    CHECK(sheriff["requests_per_month"].is_null()); // its one request has no date
    CHECK(j[2]["agency"] == "Maryland State Police");
    CHECK(j[2]["jurisdiction"] == "state MD");
    CHECK(j[2]["cameras"] == 9);
    CHECK(j[3]["jurisdiction"] == "not placed");
    CHECK(j[3]["cameras"].is_null()); // missing, not zero
    CHECK(r.err.find("1 agency without a point or county") != std::string::npos);
}

TEST_CASE("report coverage in every format, with its sources and schema", "[coverage][report]") {
    const auto& s = store();
    const auto j = report_json(s.db(), {"coverage", "--by", "agency"});
    check_schema(j, "coverage");
    CHECK(j["report"] == "coverage");
    CHECK(j["title"] == "Camera coverage per agency");
    CHECK(j["cameras"] == 10);
    CHECK(j["outside_counties"] == 1);
    CHECK(j["requests"] == 4);
    CHECK(j["requests_without_county"] == 1);
    REQUIRE(j["sources"].size() == 1);
    CHECK(j["sources"][0]["title"] == "Test cameras");
    REQUIRE(j["requests_per_year_by_agency"].size() == 1);
    CHECK(j["requests_per_year_by_agency"][0]["year"] == "2020");
    CHECK(j["requests_per_year_by_agency"][0]["requests"] == 3);
    for (const char* by : {"county", "state"}) {
        const auto k = report_json(s.db(), {"coverage", "--by", by});
        check_schema(k, "coverage");
    }
    check_schema(report_json(s.db(), {"coverage", "--state", "MD"}), "coverage");

    auto r = s.run({"report", "coverage", "--format", "md"});
    REQUIRE(r.status == 0);
    CHECK(r.out.rfind("# Camera coverage per county\n\nFilters: by county.\n", 0) == 0);
    CHECK(r.out.find("| 24510 | Baltimore | MD | 6 | 225.45 | 0.026613 | 3 |\n") !=
          std::string::npos);
    CHECK(r.out.find("\n## Notes\n") != std::string::npos);
    CHECK(r.out.find("\n## Sources\n\n1. Test cameras, `") != std::string::npos);

    r = s.run({"report", "coverage", "--format", "csv"});
    REQUIRE(r.status == 0);
    CHECK(r.out == s.run({"coverage", "--format", "csv"}).out); // one computation
    CHECK(r.err.find("note: ") != std::string::npos);

    r = s.run({"report", "coverage", "--by", "state"});
    REQUIRE(r.status == 0);
    CHECK(r.out.rfind("Camera coverage per state\n\n", 0) == 0);
    CHECK(r.out.find("\nnotes:\n") != std::string::npos);
    CHECK(r.out.find("\nsources:\n  [1] Test cameras, ") != std::string::npos);

    // the same store gives the same bytes
    CHECK(s.run({"report", "coverage", "--format", "json"}).out ==
          s.run({"report", "coverage", "--format", "json"}).out);
}

TEST_CASE("report coverage draws its chart", "[coverage][report]") {
    TempDir out;
    const auto r = store().run({"report", "coverage", "--chart", (out / "c.svg").string()});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(read_chart(out / "c.svg").bars == 2);
}

TEST_CASE("coverage of an empty store says the counts are missing", "[coverage]") {
    TempDir dir;
    const auto db = (dir / "empty.db").string();
    REQUIRE(run_porchlight({"--db", db, "-q", "init"}).status == 0);
    const auto r = run_on(db, {"coverage"});
    REQUIRE(r.status == 0);
    CHECK(r.out == "(no rows)\n");
    CHECK(r.err.find("The store holds no cameras: camera counts are missing, not zero.") !=
          std::string::npos);
    check_schema(report_json(db, {"coverage"}), "coverage");
}

TEST_CASE("coverage refuses bad options", "[coverage]") {
    auto r = store().run({"coverage", "--by", "town"});
    CHECK(r.status == 2);
    CHECK(r.err.find("cannot count coverage --by town") != std::string::npos);
    r = store().run({"coverage", "--state", "Narnia"});
    CHECK(r.status == 2);
    CHECK(r.err.find("unknown state 'Narnia'") != std::string::npos);
    r = store().run({"coverage", "--format", "md"});
    CHECK(r.status == 2);
    r = store().run({"report", "coverage", "--by", "month"});
    CHECK(r.status == 2);
    CHECK(r.err.find("report coverage cannot be made --by month") != std::string::npos);
    TempDir dir;
    r = run_on((dir / "none.db").string(), {"coverage"});
    CHECK(r.status == 1);
}

TEST_CASE("real data: every Baltimore police camera lies in Baltimore city", "[coverage][real]") {
    const auto csv = real_file("cameras/BPD_Cameras (2).csv");
    if (!csv)
        return; // real_file has said what is missing: skipped
    TempDir dir;
    const auto db = (dir / "real.db").string();
    REQUIRE(run_porchlight({"--db", db, "-q", "init"}).status == 0);
    auto r = run_porchlight({"--db", db, "-q", "ingest", csv->string(), "--profile", "cameras"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto cameras = std::stoll(query(db, "SELECT count(*) FROM cameras"));
    REQUIRE(cameras > 500);
    const auto j = report_json(db, {"coverage"});
    check_schema(j, "coverage");
    REQUIRE(j["rows"].size() == 1);
    CHECK(j["rows"][0]["fips"] == "24510");
    CHECK(j["rows"][0]["cameras"] == cameras);
    CHECK(j["outside_counties"] == 0);
    // and the heat map of the city shows them, none off its grid
    r = run_on(db, {"heatmap", (dir / "bpd.tif").string(), "--county", "24510", "--hexbins",
                    (dir / "bpd.geojson").string()});
    REQUIRE(r.status == 0);
    CHECK(r.err.find(std::to_string(cameras) + " cameras on a") != std::string::npos);
    CHECK(r.err.find("; 0 off the grid;") != std::string::npos);
    const auto hex = json::parse(read_text(dir / "bpd.geojson"));
    std::int64_t binned = 0;
    for (const auto& f : hex["features"]) {
        CHECK(f["properties"]["count"].get<std::int64_t>() >= 5);
        binned += f["properties"]["count"].get<std::int64_t>();
    }
    CHECK(binned > 0);
    CHECK(binned <= cameras);
}
