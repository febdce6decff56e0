// End-to-end tests of `porchlight report` on the demo corpus (data/demo, fictional): the
// three record sources and the FOIA release, ingested into a store of the test's own with
// fixed titles and file times so that every format can be compared exactly. A second store
// adds what the demo lacks: starts known only to a year, an e-mail printed without a time
// zone and a document that cannot be read.
#include "report_support.hpp"

#include <porchlight/store/schema.hpp>

using namespace porchlight::test;
using namespace porchlight::test::report;

namespace {

class demo_store {
  public:
    explicit demo_store(bool extras) {
        ingest_demo_records(m_dir.path(), db(), "My partnerships");
        ingest_quietly(db(), {file("foia-release"), "--as-of", "2021-11-15", "--title",
                              "Smallville release"});
        if (!extras)
            return;
        // a list in the generic-partnerships shape: starts known only to a year
        write_file(m_dir / "demo" / "years.csv",
                   "agency,city,county,state,vendor,technology,start,end,url\n"
                   "Quillon Police Department,Quillon,Lowell County,KS,Flock Safety,"
                   "Automated License Plate Readers,2019,,https://example.org/q\n"
                   "Quillon Police Department,Quillon,Lowell County,KS,DJI,Drones,2020,2021,"
                   "https://example.org/q2\n");
        fix_times(m_dir / "demo" / "years.csv");
        ingest_quietly(db(), {file("years.csv"), "--as-of", "2021-07-01", "--title", "Year list"});
        // a release with an e-mail printed without a zone, and a file that is no PDF
        fs::create_directory(m_dir / "demo" / "printed");
        write_file(m_dir / "demo" / "printed" / "printed.pdf",
                   printed_pdf({{720, "From:      Records Unit <records@smallville.example>"},
                                {706, "Sent:      Thursday, May 12, 2022 5:49:51 PM"},
                                {692, "To:        Chief <chief@smallville.example>"},
                                {678, "Subject:   Portal access review"},
                                {650, "FICTIONAL SAMPLE DATA. Please review the portal."}}));
        write_file(m_dir / "demo" / "printed" / "broken.pdf", "%PDF-1.4 this is not a PDF");
        fix_times(m_dir / "demo" / "printed");
        ingest_quietly(db(), {file("printed"), "--as-of", "2022-06-01", "--title", "Printed release"});
    }
    run_result run(std::vector<std::string> args) const {
        args.insert(args.begin(), "report");
        return run_on(db(), args);
    }
    json report(std::vector<std::string> args) const { return report_json(db(), args); }
    std::string db() const { return (m_dir / "store.db").string(); }
    std::string file(const std::string& name) const { return (m_dir / "demo" / name).string(); }
    fs::path dir() const { return m_dir.path(); }
    std::string sql(const std::string& q) const { return query(db(), q); }

  private:
    TempDir m_dir;
};

const demo_store& demo() {
    static const demo_store s(false);
    return s;
}

const demo_store& extras() {
    static const demo_store s(true);
    return s;
}

std::string version() {
    return run_porchlight({"--version"}).out.substr(11, std::string::npos);
}

/// The "Generated from" line of a Markdown report on s.
std::string generated_line(const demo_store& s, int sources) {
    auto v = version();
    v.pop_back();
    return "Generated from `store.db` (schema " +
           std::to_string(porchlight::store::latest_schema_version()) + ", " +
           std::to_string(sources) +
           " sources, last ingest " + s.sql("SELECT max(ingested_at) FROM sources") +
           ") by porchlight " + v + ".\n";
}

std::string source_line(const demo_store& s, int n, const std::string& title,
                        const std::string& file, const std::string& sha, const std::string& as_of) {
    return std::to_string(n) + ". " + title + ", `" + s.file(file) + "`, sha256 `" + sha +
           "`, retrieved 2021-06-01, as of " + as_of + "\n";
}

} // namespace

TEST_CASE("report partnerships per year: every format on the demo store", "[report]") {
    const auto& s = demo();
    const std::string csv = "year,new,ended,active\n2017,1,0,1\n2018,5,0,6\n2019,33,0,39\n"
                            "2020,16,0,55\n2021,9,0,64\n2022,0,0,64\n2023,0,1,63\n";
    auto r = s.run({"partnerships", "--format", "csv"});
    REQUIRE(r.status == 0);
    CHECK(r.out == csv);
    // CSV holds the rows only: the notes go to stderr, the undated ones counted there
    CHECK(r.err.find("note: 2 partnerships have no start date in any source") != std::string::npos);

    r = s.run({"partnerships"});
    REQUIRE(r.status == 0);
    CHECK(r.out.rfind("Partnerships per year\n\nyear  new  ended  active\n", 0) == 0);
    CHECK(r.out.find("2019   33      0      39\n") != std::string::npos);
    CHECK(r.out.find("  - 6 partnerships of these have sources that disagree") !=
          std::string::npos);
    CHECK(r.out.find("  [3] My partnerships, " + s.file("my-partnerships.csv") +
                     ", sha256 6f1154688295, retrieved 2021-06-01, as of 2021-06-01\n") !=
          std::string::npos);

    const auto j = s.report({"partnerships"});
    check_schema(j, "partnerships");
    CHECK(j["report"] == "partnerships");
    CHECK(j["rows"].size() == 7);
    CHECK(j["rows"][2] == json({{"year", "2019"}, {"new", 33}, {"ended", 0}, {"active", 39}}));
    CHECK(j["matched"] == 66);
    CHECK(j["undated"] == 2);
    std::int64_t started = 0;
    for (const auto& row : j["rows"])
        started += row["new"].get<std::int64_t>();
    CHECK(started + j["undated"].get<std::int64_t>() == 66);
    REQUIRE(j["conflicts"].size() == 6);
    CHECK(j["conflicts"][0]["agency"] == "Santa Venera Police Department");
    CHECK(j["sources"].size() == 3);
    CHECK(j["sources"][0]["sha256"] == s.sql("SELECT sha256 FROM sources WHERE id = 1"));
    CHECK(j["sources"][0]["retrieved_at"] == "2021-06-01T00:00:00Z");
    CHECK(j["generated_from"]["store"] == "store.db");
    CHECK(j["generated_from"]["sources"] == 4);
}

TEST_CASE("report partnerships as Markdown: title, filters, table, notes, sources", "[report]") {
    const auto& s = demo();
    const auto r = s.run({"partnerships", "--vendor", "ring", "--format", "md"});
    REQUIRE(r.status == 0);
    const auto expected =
        "# Partnerships per year\n\nFilters: by year, vendor ring.\n" + generated_line(s, 4) +
        "\n| year | new | ended | active |\n| --- | ---: | ---: | ---: |\n"
        "| 2019 | 26 | 0 | 26 |\n| 2020 | 6 | 0 | 32 |\n| 2021 | 0 | 0 | 32 |\n"
        "| 2022 | 0 | 0 | 32 |\n| 2023 | 0 | 1 | 31 |\n\n## Notes\n\n"
        "- 32 partnerships match the filters.\n"
        "- active: the running total of partnerships started minus those ended, up to and "
        "including each year.\n"
        "- 5 partnerships of these have sources that disagree on the start date; each is "
        "counted by its earliest claim (see `porchlight conflicts`).\n"
        "- The sources describe the world up to 2021-06-01 (their latest as-of date): later "
        "starts are unknown, not zero, and 2021 is covered only in part.\n\n## Sources\n\n" +
        source_line(s, 1, "Atlas demo", "atlas-demo.csv", "d003d142029b", "2020-10-07") +
        source_line(s, 2, "Ring map demo", "ring-map-2020-01.kml", "2784d9823f19", "2020-01-15") +
        source_line(s, 3, "My partnerships", "my-partnerships.csv", "6f1154688295", "2021-06-01");
    CHECK(r.out == expected);
    // the same store gives the same bytes, in any locale
    CHECK(run_on(s.db(), {"report", "partnerships", "--vendor", "ring", "--format", "md"}).out ==
          r.out);
    CHECK(run_porchlight(
              {"--db", s.db(), "report", "partnerships", "--vendor", "ring", "--format", "md"}, {},
              {{"LC_ALL", "de_DE.UTF-8"}})
              .out == r.out);
}

TEST_CASE("report partnerships per group counts undated apart and filters", "[report]") {
    const auto& s = demo();
    auto r = s.run({"partnerships", "--by", "state", "--format", "csv"});
    REQUIRE(r.status == 0);
    CHECK(r.out == "state,new,ended,undated\nFL,9,0,0\nNJ,9,0,0\nOH,9,0,0\nTX,7,0,2\nCA,8,1,0\n"
                   "GA,8,0,0\nWA,8,0,0\nKS,6,0,0\n");
    r = s.run({"partnerships", "--by", "technology", "--state", "texas", "--format", "csv"});
    CHECK(r.out == "technology,new,ended,undated\nRing/Neighbors Partnership,4,0,0\n"
                   "Automated License Plate Readers,1,0,1\nBody-worn Cameras,1,0,0\nDrones,0,0,1\n"
                   "Face Recognition,1,0,0\n");
    r = s.run(
        {"partnerships", "--by", "vendor", "--technology", "license plate", "--format", "csv"});
    CHECK(r.out == "vendor,new,ended,undated\nFlock Safety,12,0,1\nVigilant Solutions,2,0,0\n");
    r = s.run({"partnerships", "--by", "agency-type", "--since", "2019", "--until", "2019-06",
               "--cumulative", "--format", "csv"});
    CHECK(r.out == "agency_type,new,ended,undated,active\npolice,9,0,2,13\nsheriff,2,0,0,3\n"
                   "state,0,0,0,1\n");
    CHECK(r.err.find("53 partnerships started outside --since/--until") != std::string::npos);
    const auto j = s.report({"partnerships", "--by", "county", "--state", "OH"});
    check_schema(j, "partnerships");
    CHECK(j["rows"][0] ==
          json({{"county", "Lorne County, OH"}, {"new", 5}, {"ended", 0}, {"undated", 0}}));
    CHECK(j["rows"].back()["county"] == "(no county)");
    CHECK(j["filters"] == json({{"by", "county"}, {"state", "OH"}}));
}

TEST_CASE("report partnerships per month with a window and as of a date", "[report]") {
    const auto& s = demo();
    auto r = s.run({"partnerships", "--by", "month", "--vendor", "ring", "--since", "2019-06",
                    "--until", "2019-09", "--format", "csv"});
    REQUIRE(r.status == 0);
    CHECK(r.out == "month,new,ended,active\n2019-06,3,0,9\n2019-07,2,0,11\n2019-08,3,0,14\n"
                   "2019-09,3,0,17\n");
    // as of 2019-08-19: the 13 Ring partnerships `partnerships --as-of` lists (Las Almas'
    // end in 2023 is still to come on that day)
    const auto j = s.report({"partnerships", "--vendor", "ring", "--as-of", "2019-08-19"});
    check_schema(j, "partnerships");
    CHECK(j["matched"] == 13);
    CHECK(j["rows"] == json::parse(R"([{"year":"2019","new":13,"ended":0,"active":13}])"));
    CHECK(j["filters"]["as_of"] == "2019-08-19");
}

TEST_CASE("report partnerships leaves year-only dates out of months with a note", "[report]") {
    const auto& s = extras();
    auto j = s.report({"partnerships", "--by", "month", "--technology", "drones"});
    check_schema(j, "partnerships");
    CHECK(j["year_only"] == 1);
    CHECK(j["undated"] == 1);
    std::int64_t started = 0;
    for (const auto& row : j["rows"])
        started += row["new"].get<std::int64_t>();
    CHECK(started == 7); // 9 drone partnerships: 7 dated to the day, 1 year, 1 undated
    bool noted = false;
    for (const auto& n : j["notes"])
        noted = noted || n.get<std::string>().rfind(
                             "1 partnership dated only to a year is left out of this month "
                             "report (2020: 1)",
                             0) == 0;
    CHECK(noted);
    j = s.report({"partnerships", "--by", "year", "--technology", "drones"});
    CHECK(j["year_only"] == 0);
    CHECK(j["rows"] == json::parse(R"([{"year":"2019","new":3,"ended":0,"active":3},
        {"year":"2020","new":3,"ended":0,"active":6},{"year":"2021","new":2,"ended":1,"active":7}])"));
}

TEST_CASE("report messages per month, class and sender", "[report]") {
    const auto& s = demo();
    auto r = s.run({"messages", "--format", "csv"});
    REQUIRE(r.status == 0);
    CHECK(count_lines(r.out) == 24); // 2019-08 to 2021-06, gaps as 0
    CHECK(r.out.rfind("month,emails,local_time\n2019-08,1,0\n2019-09,0,0\n2019-10,1,0\n", 0) == 0);
    CHECK(r.out.find("\n2020-07,1,0\n") != std::string::npos);
    r = s.run({"messages", "--by", "class", "--format", "csv"});
    CHECK(r.out == "class,emails\ncrime_post_alert,2\nmarketing,1\nother_ring,1\n"
                   "request_for_assistance,1\n");
    r = s.run({"messages", "--by", "sender", "--since", "2019-10", "--format", "csv"});
    CHECK(r.out == "sender,emails\nalerts@ring.example,2\npartners@ring.example,2\n");
    const auto j = s.report({"messages", "--source", "Smallville release"});
    check_schema(j, "messages");
    CHECK(j["counted"] == 5);
    CHECK(j["sources"].size() == 1);
    CHECK(j["sources"][0]["title"] == "Smallville release");
    CHECK(j["filters"]["source"] == "4");
    r = s.run({"messages", "--by", "class", "--format", "md"});
    CHECK(r.out.find("| class | emails |\n| --- | ---: |\n| crime_post_alert | 2 |\n") !=
          std::string::npos);
    CHECK(r.out.find("\n## Sources\n\n1. Smallville release, `" + s.file("foia-release") +
                     "`, sha256 `e9fbabdf793e`, retrieved 2021-06-01, as of 2021-11-15\n") !=
          std::string::npos);
}

TEST_CASE("report messages counts printed local times by their month and failed documents",
          "[report]") {
    const auto& s = extras();
    const auto j = s.report({"messages"});
    check_schema(j, "messages");
    CHECK(j["counted"] == 6);
    CHECK(j["local_time"] == 1);
    CHECK(j["failed_documents"] == 1);
    CHECK(j["rows"].back() == json({{"month", "2022-05"}, {"emails", 1}, {"local_time", 1}}));
    const auto notes = j["notes"].dump();
    CHECK(notes.find("1 e-mail carries only a local time, printed without a zone: counted by "
                     "the local month (column local_time)") != std::string::npos);
    CHECK(notes.find("1 document of these releases could not be read") != std::string::npos);
    const auto r = s.run({"messages", "--by", "class", "--format", "csv"});
    CHECK(r.out.find("\nunclassified,1\n") != std::string::npos);
}

TEST_CASE("report sources: what each source holds and contributed", "[report]") {
    const auto& s = demo();
    auto r = s.run({"sources", "--format", "csv"});
    REQUIRE(r.status == 0);
    CHECK(r.out ==
          "id,kind,title,as_of,rows,documents,agencies,partnerships,new_partnerships,conflicts,"
          "undated_claims,unresolved_rows,failed_documents,emails\n"
          "1,records,Atlas demo,2020-10-07,62,,40,61,61,6,2,0,,\n"
          "2,records,Ring map demo,2020-01-15,27,,27,27,2,5,0,0,,\n"
          "3,records,My partnerships,2021-06-01,15,,15,15,3,3,0,0,,\n"
          "4,documents,Smallville release,2021-11-15,,9,0,0,0,0,0,,0,5\n");
    const auto j = s.report({"sources"});
    check_schema(j, "sources");
    CHECK(j["sources"].size() == 4);
    CHECK(j["partnerships"] == 66);
    CHECK(j["rows"][3]["rows"].is_null());
    r = s.run({"sources", "--format", "md"});
    CHECK(r.out.find("| 4 | documents | Smallville release | 2021-11-15 |  | 9 | 0 | 0 | 0 | 0 | "
                     "0 |  | 0 | 5 |\n") != std::string::npos);
}

TEST_CASE("report evidence lists every citation behind a fact", "[report]") {
    const auto& s = demo();
    auto r = s.run({"evidence", "partnership:9", "--format", "csv"});
    REQUIRE(r.status == 0);
    const auto atlas = s.file("atlas-demo.csv");
    CHECK(count_lines(r.out) == 5);
    CHECK(r.out.rfind("evidence,fact,source,source_id,title,sha256,origin,as_of,retrieved_at,"
                      "locator,document,excerpt,start_as_written,start,end_as_written,links\n"
                      "15,partnership 9,1,1,Atlas demo,d003d142029b," +
                          atlas +
                          ",2020-10-07,2021-06-01T00:00:00Z,row 9,,\"AOS90009: Cresthaven Police "
                          "Department (Cresthaven, OH) · Ring/Neighbors Partnership · Ring · "
                          "start 7/15/19\",7/15/19,2019-07-15,,https://example.org/f/90009 "
                          "https://example.org/fictional/cresthaven-council-agenda\n",
                      0) == 0);
    CHECK(r.out.find("\n159,partnership 9,3,3,My partnerships,") != std::string::npos);
    auto j = s.report({"evidence", "partnership:9"});
    check_schema(j, "evidence");
    CHECK(j["title"] == "Evidence for partnership 9: Cresthaven Police Department (Cresthaven, "
                        "OH) × Ring × Ring/Neighbors Partnership");
    CHECK(j["rows"].size() == 4);
    CHECK(j["links"].size() == 5);
    CHECK(j["links"][0]["publisher"] == "Fictional Ledger");
    CHECK(j["rows"][3]["start_as_written"] == "July 2019");
    j = s.report({"evidence", "agency:Smallville PD"});
    CHECK(j["fact_id"] == 31);
    CHECK(j["rows"].size() == 8);
    CHECK(j["sources"].size() == 3);
    j = s.report({"evidence", "message:2"});
    check_schema(j, "evidence");
    CHECK(j["rows"][0]["document"] == "neighbors-portal.mbox/message 2");
    r = s.run({"evidence", "partnership:9", "--format", "md"});
    CHECK(r.out.find("| evidence | fact | source | title | as_of | locator | document | excerpt "
                     "| start_as_written | end_as_written | links |\n") != std::string::npos);
}

TEST_CASE("report requests on the demo: the map's totals, no individual requests", "[report]") {
    const auto& s = demo();
    auto j = s.report({"requests", "--by", "state"});
    check_schema(j, "requests");
    CHECK(j["requests"] == 0);
    // the demo's Ring map gives each agency's "Video Requests" as of the map's date
    REQUIRE(j["rows"].size() == 7);
    // no request, so no count of videos either: unknown (null), not 0
    CHECK(j["rows"][1] == json{{"state", "FL"}, {"requests", 0}, {"videos_received", nullptr},
                               {"totals_observed", 37}, {"totals_as_of", "2020-01-15"}});
    CHECK(j["agencies_with_requests"] == 0);
    CHECK(j["median_per_agency"].is_null());
    CHECK(j["top_agencies"].empty());
    CHECK(j["sources"].size() == 1);
    CHECK(j["sources"][0]["title"] == "Ring map demo");
    auto r = s.run({"requests", "--by", "month"});
    CHECK(r.status == 0);
    CHECK(r.out.find("(no rows)") != std::string::npos);
    CHECK(r.out.find("observed totals cannot be placed in a month") != std::string::npos);
}

TEST_CASE("report requests on a store without requests says how to add them", "[report]") {
    TempDir dir;
    const auto db = (dir / "store.db").string();
    const auto partners = fs::path(PORCHLIGHT_SOURCE_DIR) / "tests" / "data" / "requests" / "partners.csv";
    REQUIRE(run_porchlight({"--db", db, "-q", "ingest", partners.string()}).status == 0);
    const auto j = report_json(db, {"requests"});
    check_schema(j, "requests");
    CHECK(j["rows"].empty());
    CHECK(j["requests"] == 0);
    CHECK(j["notes"][0] == "The store holds no video requests and no observed request totals: "
                           "ingest them with a profile of kind requests or request-totals "
                           "(ring-rfa-posts, request-log, agency-request-totals); until then the "
                           "counts are missing, not zero.");
}

namespace {

/// Requests from Neighbors posts (CSV and JSON) and an agency's log, and per-agency totals,
/// from the fixtures of tests/data/requests.
class request_store {
  public:
    request_store() {
        const auto dir = fs::path(PORCHLIGHT_SOURCE_DIR) / "tests" / "data" / "requests";
        for (const char* f : {"partners.csv", "rfa-posts.csv", "rfa-posts.json", "totals.csv"})
            ingest_quietly(db(), {(dir / f).string(), "--as-of", "2021-06-01"});
        ingest_quietly(db(), {(dir / "request-log.xlsx").string(), "--agency",
                              "Smallville Police Department", "--state", "KS"});
    }
    json report(std::vector<std::string> args) const { return report_json(db(), args); }
    std::string db() const { return (m_dir / "store.db").string(); }

  private:
    TempDir m_dir;
};

} // namespace

TEST_CASE("report requests counts ingested requests and keeps totals apart", "[report]") {
    const request_store s;
    auto j = s.report({"requests"});
    check_schema(j, "requests");
    CHECK(j["requests"] == 14);
    REQUIRE(j["rows"].size() == 3);
    // requests are counted from the rows; totals are the agencies' own, never added to them
    // a Neighbors post carries no count of videos: unknown (null), not 0
    CHECK(j["rows"][0] == json{{"agency", "Lowell County Sheriff's Office (KS)"}, {"requests", 1},
                               {"videos_received", nullptr}, {"totals_observed", 56},
                               {"totals_as_of", "2021-05-01"}});
    CHECK(j["rows"][1] == json{{"agency", "Quillon Police Department (KS)"}, {"requests", 0},
                               {"videos_received", nullptr}, {"totals_observed", 7},
                               {"totals_as_of", "2021-06-01"}});
    CHECK(j["rows"][2] == json{{"agency", "Smallville Police Department (KS)"}, {"requests", 13},
                               {"videos_received", 10}, {"totals_observed", 1234},
                               {"totals_as_of", "2021-05-01"}});
    CHECK(j["totals_observed"].size() == 3);
    // dated requests per agency: Lowell 1, Smallville 11 (two of its 13 are undated);
    // percentiles interpolate between the two ranks
    CHECK(j["agencies_with_requests"] == 2);
    CHECK(j["median_per_agency"] == 6.0);
    CHECK(j["p25_per_agency"] == 3.5);
    CHECK(j["p90_per_agency"] == 10.0);
    CHECK(j["top_agencies"][0] == json{{"agency", "Smallville Police Department"},
                                       {"state", "KS"}, {"requests", 11}});
    CHECK(j["notes"].back() == "Dated requests per agency, over the 2 agencies with at least "
                               "one: median 6, 25th percentile 3.5, 75th 8.5, 90th 10, most 11 "
                               "(Smallville Police Department, KS). Percentiles interpolate "
                               "between ranks; agencies without a request here are not counted "
                               "as 0.");
    // the sources of requests and of totals are cited
    CHECK(j["sources"].size() == 4);
    CHECK(j["notes"][0].get<std::string>().find("They are never added together.") !=
          std::string::npos);

    j = s.report({"requests", "--by", "month", "--since", "2020-01-01"});
    check_schema(j, "requests");
    CHECK(j["requests"] == 8);
    CHECK(j["undated"] == 2);
    // every month from the first to the last, those without a request at 0
    REQUIRE(j["rows"].size() == 13);
    CHECK(j["rows"][0] == json{{"month", "2020-03"}, {"requests", 2}, {"videos_received", nullptr}});
    CHECK(j["rows"][3] == json{{"month", "2020-06"}, {"requests", 0}, {"videos_received", nullptr}});
    CHECK(j["rows"][12] == json{{"month", "2021-03"}, {"requests", 1}, {"videos_received", nullptr}});

    j = s.report({"requests", "--by", "year"});
    CHECK(j["rows"][0] == json{{"year", "2019"}, {"requests", 4}, {"videos_received", 10}});
}

TEST_CASE("report usage errors exit 2 and a missing fact exits 1", "[report]") {
    const auto& s = demo();
    check_failure(s.run({"partnership"}), 2,
                  "no report 'partnership'; did you mean 'partnerships'?");
    check_failure(s.run({"partnerships", "--by", "week"}), 2, "cannot be made --by week");
    check_failure(s.run({"messages", "--vendor", "ring"}), 2,
                  "--vendor does not apply to report messages");
    CHECK(s.run({"evidence"}).status == 2);
    CHECK(s.run({"evidence", "invoice:3"}).status == 2);
    CHECK(s.run({"partnerships", "--format", "xml"}).status == 2);
    CHECK(s.run({"partnerships", "--as-of", "2019"}).status == 2);
    CHECK(s.run({"partnerships", "--since", "2020", "--until", "2019"}).status == 2);
    check_failure(s.run({"evidence", "partnership:999"}), 1, "no partnership with id 999");
}

TEST_CASE("report charts: bars per group, points per period, errors name the path", "[report]") {
    const auto& s = demo();
    const auto svg = s.dir() / "state.svg";
    auto r = s.run({"partnerships", "--by", "state", "--chart", svg.string()});
    if (r.status != 0 && r.err.find("charts are not built yet") != std::string::npos) {
        WARN("render_svg is still the placeholder: " << r.err);
        CHECK(r.status == 1);
        return;
    }
    REQUIRE(r.status == 0);
    auto m = read_chart(svg);
    CHECK(m.bars == 16); // 8 states x (new, undated)
    const auto line = s.dir() / "year.svg";
    r = s.run({"partnerships", "--chart", line.string(), "--format", "csv"});
    REQUIRE(r.status == 0);
    m = read_chart(line);
    CHECK(m.lines == 3);   // new, ended, active
    CHECK(m.points == 21); // 7 years
    const auto text = read_text(line);
    CHECK(text.find("Source: Atlas demo; Ring map demo; My partnerships · porchlight") !=
          std::string::npos);
    r = s.run({"partnerships", "--chart", (s.dir() / "no" / "such" / "x.svg").string()});
    CHECK(r.status == 1);
    CHECK(r.err.find("cannot write the chart to " + (s.dir() / "no" / "such" / "x.svg").string()) !=
          std::string::npos);
    check_failure(s.run({"evidence", "partnership:9", "--chart", svg.string()}), 1,
                  "report evidence has no chart");
}

TEST_CASE("report as Markdown shows hostile names as text", "[report]") {
    TempDir dir;
    const auto csv = dir / "hostile.csv";
    std::ofstream(csv) << "agency,city,county,state,vendor,technology,start,end,url\n"
                          "Harbor City Police Department,Harbor City,,OR,"
                          "\"<img src=x onerror=alert(1)> | *Evil* [Vendor](http://x)\","
                          "Drones,2020-01-01,,\n";
    const auto db = (dir / "store.db").string();
    REQUIRE(run_porchlight({"--db", db, "-q", "ingest", csv.string()}).status == 0);
    const auto r = run_porchlight({"--db", db, "report", "partnerships", "--by", "vendor",
                                   "--format", "md"});
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    // no markup a renderer would run, no extra table column, no link or emphasis
    CHECK(r.out.find("<img") == std::string::npos);
    CHECK(r.out.find("&lt;img src=x onerror=alert(1)&gt; \\| \\*Evil\\* \\[Vendor\\](http://x)") !=
          std::string::npos);
}
