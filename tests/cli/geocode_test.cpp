// End-to-end tests of `porchlight geocode` with the embedded gazetteer.
#include <catch2/catch.hpp>
#include <http_server.hpp>
#include <test_support.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace porchlight::test;
using porchlight::test::http_response;
using porchlight::test::HttpServer;

namespace {
const std::string csv_header = "agency,city,county,state,vendor,technology,start,end,url\n";
}

TEST_CASE("geocode places agencies and records how, with the gazetteer version", "[cli][geocode]") {
    TempDir dir;
    const auto db = dir / "store.db";
    {
        std::ofstream f(dir / "real-places.csv");
        f << csv_header
          << "Rockford Police Department,Rockford,Winnebago County,IL,Flock Safety,ALPR,2020-01-01,,\n"
          << "Cook County Sheriff's Office,Chicago,Cook County,IL,Axon,Body-worn Cameras,2019,,\n"
          << "Illinois State Police,Springfield,,IL,Vigilant Solutions,ALPR,,,\n"
          << "Bridgeport Police Department,Bridgeport,,IL,Ring,Ring/Neighbors Partnership,,,\n";
    }
    REQUIRE(run_porchlight({"--db", db.string(), "ingest", (dir / "real-places.csv").string()}).status == 0);
    auto r = run_porchlight({"--db", db.string(), "geocode"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto version = read_text(fs::path(PORCHLIGHT_SOURCE_DIR) / "data/gazetteer/VERSION");
    CHECK(r.out.find("geocoded 4 agencies offline (gazetteer " + version.substr(0, version.find('\n'))) == 0);
    CHECK(r.out.find("place 1, county 1, state 2; 1 with warnings") != std::string::npos);
    CHECK(query(db, "SELECT geocode_precision || ' ' || geocode_match || ' ' || county_fips FROM "
                    "agencies WHERE name LIKE 'Rockford%'") == "place Rockford, IL 17201");
    CHECK(query(db, "SELECT geocode_match_id FROM agencies WHERE name LIKE 'Cook County%'") == "17031");
    CHECK(query(db, "SELECT count(*) FROM agencies WHERE gazetteer_version = '" +
                        version.substr(0, version.find('\n')) + "' AND geocode_provider = 'offline' "
                        "AND geocoded_at IS NOT NULL") == "4");
    // listings carry the point, its precision and the warnings
    auto j = nlohmann::json::parse(run_porchlight({"--db", db.string(), "agencies", "--format", "json",
                                                   "--search", "bridgeport"}).out);
    REQUIRE(j.size() == 1);
    CHECK(j[0]["precision"] == "state");
    CHECK(j[0]["lat"].is_number());
    CHECK(nlohmann::json::parse(j[0]["warnings"].get<std::string>())[0].get<std::string>().find(
              "ambiguous in IL") != std::string::npos);
    // the report: counts per precision (table) and one row per warning
    auto rep = run_porchlight({"--db", db.string(), "geocode", "--report", "--format", "csv"});
    CHECK(rep.status == 0);
    CHECK(rep.out.rfind("id,name,state,precision,matched,warning\n", 0) == 0);
    CHECK(rep.out.find("Bridgeport Police Department,IL,state,Illinois") != std::string::npos);
    auto tab = run_porchlight({"--db", db.string(), "geocode", "--report"});
    CHECK(tab.out.find("agencies by precision") == 0);

    // --only-missing leaves geocoded agencies alone; --agency does one
    REQUIRE(run_porchlight({"--db", db.string(), "ingest", data_file("records/generic.csv").string()}).status == 0);
    auto missing = run_porchlight({"--db", db.string(), "geocode", "--only-missing"});
    CHECK(missing.out.find("geocoded 6 agencies") == 0);
    auto one = run_porchlight({"--db", db.string(), "geocode", "--agency", "Rockford PD"});
    CHECK(one.out.find("geocoded 1 agency") == 0);
    // the same store geocoded twice gives the same points
    const auto before = query(db, "SELECT group_concat(id || lat || lon || geocode_precision) FROM agencies");
    REQUIRE(run_porchlight({"--db", db.string(), "geocode", "-q"}).status == 0);
    CHECK(query(db, "SELECT group_concat(id || lat || lon || geocode_precision) FROM agencies") == before);
}

TEST_CASE("geocode usage errors", "[cli][geocode]") {
    auto r = run_porchlight({"geocode", "--provider", "nominatm"});
    CHECK(r.status == 2);
    CHECK(r.err.find("unknown provider 'nominatm'; did you mean 'nominatim'?") != std::string::npos);
    r = run_porchlight({"geocode", "--base-url", "http://127.0.0.1:1"});
    CHECK(r.status == 2);
    r = run_porchlight({"geocode", "--report", "--only-missing"});
    CHECK(r.status == 2);
}

TEST_CASE("real Atlas export: Ring partners are placed at county precision or better", "[cli][geocode][real]") {
    auto file = real_file("atlas/Atlas of Surveillance-20201007.csv");
    if (!file)
        return;
    TempDir dir;
    const auto db = dir / "store.db";
    REQUIRE(run_porchlight({"--db", db.string(), "-q", "ingest", file->string()}).status == 0);
    REQUIRE(run_porchlight({"--db", db.string(), "geocode"}).status == 0);
    const std::string ring = "SELECT DISTINCT a.* FROM agencies a JOIN partnerships p ON "
                             "p.agency_id = a.id JOIN technologies t ON t.id = p.technology_id "
                             "WHERE t.name = 'Ring/Neighbors Partnership'";
    const auto total = std::stoi(query(db, "SELECT count(*) FROM (" + ring + ")"));
    CHECK(total == 1498);
    const auto county_or_better = std::stoi(query(
        db, "SELECT count(*) FROM (" + ring + ") WHERE geocode_precision IN ('place', 'county')"));
    // all of them: a row with a county of another state is placed at that county, with a
    // warning that says the state given was not trusted
    CHECK(county_or_better == total);
    CHECK(std::stoi(query(db, "SELECT count(*) FROM (" + ring + ") WHERE geocode_precision IN "
                              "('place', 'county') OR geocode_warnings LIKE '%state%'")) == total);
    // city agencies (not county- or state-wide) at place precision: 99%
    const std::string city = "(" + ring + ") WHERE kind <> 'sheriff' AND ifnull(jurisdiction, '') "
                             "NOT IN ('County', 'State', 'Parish') AND name NOT LIKE '%county%'";
    const auto cities = std::stoi(query(db, "SELECT count(*) FROM " + city));
    const auto at_place = std::stoi(query(db, "SELECT count(*) FROM " + city +
                                              " AND geocode_precision = 'place'"));
    CHECK(at_place * 100 >= cities * 99);
    // every fallback says why
    CHECK(query(db, "SELECT count(*) FROM agencies WHERE geocode_precision IN ('county', 'state', "
                    "'none') AND kind <> 'sheriff' AND ifnull(jurisdiction, '') NOT IN ('County', "
                    "'State', 'Parish', 'Regional', 'Statewide', 'Borough') AND name NOT LIKE '%county%' "
                    "AND kind <> 'state' AND geocode_warnings = '[]'") == "0");
}

TEST_CASE("geocode cites the gazetteer, changes nothing the second time, keeps manual points",
          "[cli][geocode]") {
    TempDir dir;
    const auto db = dir / "store.db";
    {
        std::ofstream f(dir / "two.csv");
        f << csv_header
          << "Rockford Police Department,Rockford,Winnebago County,IL,Ring,Ring/Neighbors Partnership,2019-08-01,,\n"
          << "Naperville Police Department,Naperville,DuPage County,IL,Flock Safety,ALPR,2020-02-01,,\n";
    }
    REQUIRE(run_porchlight({"--db", db.string(), "-q", "ingest", (dir / "two.csv").string()}).status == 0);
    auto first = run_porchlight({"--db", db.string(), "geocode"});
    CHECK(first.out.find("; 2 changed") != std::string::npos);
    // the gazetteer is a source of kind reference, its manifest kept as a blob
    CHECK(query(db, "SELECT count(*) FROM sources WHERE kind = 'reference' AND dataset = "
                    "'porchlight-gazetteer'") == "1");
    CHECK(query(db, "SELECT locator || ' | ' || excerpt FROM evidence WHERE fact_type = 'location' "
                    "AND fact_id = (SELECT id FROM agencies WHERE name LIKE 'Rockford%')") ==
          "places.tsv: Rockford, IL | place Rockford, IL (geonames:Rockford@17201), score 1.00");
    const auto before = store_fingerprint(db);
    auto second = run_porchlight({"--db", db.string(), "geocode"});
    CHECK(second.out.find("; 0 changed") != std::string::npos);
    CHECK(store_fingerprint(db) == before);

    // a point placed by hand, with its note as evidence, kept by later runs
    auto set = run_porchlight({"--db", db.string(), "agencies", "set-location", "Rockford PD",
                               "--lat", "42.2711", "--lon", "-89.0940", "--note",
                               "Rockford PD headquarters, 420 W State St, from the city website"});
    INFO(set.err);
    CHECK(set.status == 0);
    REQUIRE(run_porchlight({"--db", db.string(), "-q", "geocode"}).status == 0);
    CHECK(query(db, "SELECT geocode_provider || ' ' || geocode_precision || ' ' || lat FROM "
                    "agencies WHERE name LIKE 'Rockford%'") == "manual address 42.2711");
    CHECK(query(db, "SELECT s.kind || ' | ' || e.excerpt FROM evidence e JOIN sources s ON "
                    "s.id = e.source_id WHERE e.fact_type = 'location' AND e.fact_id = (SELECT id "
                    "FROM agencies WHERE name LIKE 'Rockford%')") ==
          "manual | Rockford PD headquarters, 420 W State St, from the city website");
    auto v = run_porchlight({"--db", db.string(), "verify"});
    CHECK(v.status == 0);
    CHECK(v.out.find("ok: 3 blob(s)") == 0); // the CSV, the gazetteer manifest, the note

    // set-location usage errors
    auto bad = run_porchlight({"--db", db.string(), "agencies", "set-location", "Rockford PD",
                               "--lat", "142", "--lon", "0", "--note", "x"});
    CHECK(bad.status == 2);
    CHECK(bad.err.find("--lat in [-90, 90]") != std::string::npos);
    bad = run_porchlight({"--db", db.string(), "agencies", "set-location", "Rockford PD", "--lat", "1"});
    CHECK(bad.status == 2);
    CHECK(bad.err.find("needs --lat, --lon and --note") != std::string::npos);

    // agencies --vendor: a vendor's partners, by any of the vendor's names
    auto ring = run_porchlight({"--db", db.string(), "agencies", "--vendor", "Amazon Ring", "--format", "csv"});
    CHECK(count_lines(ring.out) == 2);
    CHECK(ring.out.find("Rockford Police Department") != std::string::npos);
}

TEST_CASE("geocode --provider nominatim over loopback: cached, cited, opt-in", "[cli][geocode][online]") {
    HttpServer server;
    server.on("/search", http_response{200, R"([{"osm_type":"relation","osm_id":124817,)"
                                            R"("lat":"42.2713945","lon":"-89.093966",)"
                                            R"("display_name":"Rockford, Winnebago County, Illinois, United States",)"
                                            R"("addresstype":"city","type":"administrative","place_rank":16}])"});
    TempDir dir;
    const auto db = dir / "store.db";
    {
        std::ofstream f(dir / "one.csv");
        f << csv_header
          << "Rockford Police Department,Rockford,Winnebago County,IL,Ring,Ring/Neighbors Partnership,2019-08-01,,\n";
    }
    REQUIRE(run_porchlight({"--db", db.string(), "-q", "ingest", (dir / "one.csv").string()}).status == 0);
    auto r = run_porchlight({"--db", db.string(), "geocode", "--provider", "nominatim", "--base-url",
                             server.base_url(), "--user-agent", "porchlight-tests (test@example.invalid)"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("geocoded 1 agency with nominatim") == 0);
    REQUIRE(server.request_count() == 1);
    const auto req = server.requests().front();
    CHECK(req.param("city") == "Rockford");
    CHECK(req.header("user-agent") == "porchlight-tests (test@example.invalid)");
    CHECK(query(db, "SELECT geocode_provider || ' ' || geocode_precision || ' ' || lat FROM agencies")
          == "nominatim place 42.2713945");
    CHECK(query(db, "SELECT count(*) FROM geocode_cache WHERE provider = 'nominatim'") == "1");
    CHECK(query(db, "SELECT s.kind || ' ' || s.dataset FROM evidence e JOIN sources s ON s.id = "
                    "e.source_id WHERE e.fact_type = 'location'") == "reference geocoder-nominatim");
    // a second run asks nothing: the answer is in the cache, and nothing changes
    const auto before = store_fingerprint(db);
    r = run_porchlight({"--db", db.string(), "geocode", "--provider", "nominatim", "--base-url",
                        server.base_url()});
    CHECK(r.status == 0);
    CHECK(server.request_count() == 1);
    CHECK(store_fingerprint(db) == before);
    CHECK(run_porchlight({"--db", db.string(), "verify"}).status == 0);
}
