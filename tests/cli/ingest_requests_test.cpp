// End-to-end tests of `porchlight ingest` with the request profiles: Neighbors posts (CSV
// and JSON), an agency's request log (XLSX, renamed and shuffled columns, --agency),
// per-agency totals (a table and an older agency-map KML) and the bad-input rules.
#include <catch2/catch.hpp>
#include <test_support.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using namespace porchlight::test;

namespace {

/// Smallville PD is known from a partnership list; other agencies are not.
class store : public TempStore {
  public:
    store() { REQUIRE(ingest({data_file("requests/partners.csv").string()}).status == 0); }
};

} // namespace

TEST_CASE("ingest ring-rfa-posts CSV: requests with areas, evidence and the bad rows",
          "[ingest][requests]") {
    store s;
    const auto r = require_success(s.ingest({data_file("requests/rfa-posts.csv").string()}));
    CHECK(r.out.find("profile ring-rfa-posts: detected from columns 'agency' 'posted_at' "
                     "'case_number'") != std::string::npos);
    CHECK(r.out.find("rows 7, video requests 6 (with area 4, without area 2, undated 1), "
                     "agencies 2 (1 new), skipped 1, warnings 3\n") != std::string::npos);
    CHECK(r.out.find("  skipped, no date and no location: 1 (row 7)\n") != std::string::npos);
    CHECK(r.out.find("  requests without area: 2 (rows 4, 6)\n") != std::string::npos);
    CHECK(r.out.find("  requests without date: 1 (row 5)\n") != std::string::npos);
    // swapped lat/lon against the row's state, out of range, unknown agency: warnings with rows
    CHECK(r.err.find("lat -95.2353, lon 38.9717 looks swapped: the point is outside KS") !=
          std::string::npos);
    CHECK(r.err.find("rfa-posts.csv:row 4, lat)") != std::string::npos);
    CHECK(r.err.find("is outside -90..90 / -180..180; the point is not used") != std::string::npos);
    CHECK(r.err.find("unknown agency 'Lowell County Sheriff's Office' (KS): no earlier source "
                     "names it") != std::string::npos);
    CHECK(s.sql("SELECT count(*) FROM ingest_warnings WHERE row_no = 4") == "2");

    CHECK(s.sql("SELECT count(*) FROM video_requests") == "6");
    // a time with a zone is kept in UTC, the date as written beside it
    CHECK(s.sql("SELECT requested_at || ' ' || requested_raw FROM video_requests "
                "WHERE case_number = '20-0101'") ==
          "2020-03-04T19:22:00Z 2020-03-04T13:22:00-06:00");
    CHECK(s.sql("SELECT window_start || ' ' || window_end FROM video_requests "
                "WHERE case_number = '20-0101'") == "2020-03-03T20:00:00Z 2020-03-04T02:00:00Z");
    // 500 ft = 152.4 m, as a 64-sided polygon (65 points with the closing one)
    CHECK(s.sql("SELECT radius_m FROM video_requests WHERE case_number = '20-0101'") == "152.4");
    CHECK(s.sql("SELECT length(area_wkt) - length(replace(area_wkt, ',', '')) FROM video_requests "
                "WHERE case_number = '20-0101'") == "64");
    // a bare radius is metres; a polygon is kept, its centroid the centre
    CHECK(s.sql("SELECT radius_m FROM video_requests WHERE case_number = '20-0400'") == "300.0");
    CHECK(s.sql("SELECT area_wkt FROM video_requests WHERE case_number = '20-0200'")
              .rfind("POLYGON ((-95.25 38.96,", 0) == 0);
    CHECK(s.sql("SELECT round(center_lat, 4) FROM video_requests WHERE case_number = '20-0200'") ==
          "38.97");
    // a swapped point is not used: the request has no centre
    CHECK(s.sql("SELECT ifnull(center_lat, 'null') FROM video_requests WHERE case_number = "
                "'20-0311'") == "null");
    // every request links to its agency with evidence
    CHECK(s.sql("SELECT count(*) FROM video_requests v JOIN agencies a ON a.id = v.agency_id "
                "WHERE a.name = 'Smallville Police Department'") == "5");
    CHECK(s.sql("SELECT count(*) FROM evidence WHERE fact_type = 'video_request'") == "6");
    CHECK(s.sql("SELECT locator || ' | ' || excerpt FROM evidence WHERE fact_type = "
                "'video_request' ORDER BY fact_id LIMIT 1") ==
          "row 1 | case 20-0101 · 2020-03-04T13:22:00-06:00 · Smallville Police Department · "
          "Package theft on Elm St");
    CHECK(s.sql("SELECT count(*) FROM facts_without_evidence") == "0");
    // same bytes again
    const auto again = s.ingest({data_file("requests/rfa-posts.csv").string()});
    CHECK(again.status == 0);
    CHECK(again.out.find("already ingested") != std::string::npos);
    CHECK(s.sql("SELECT count(*) FROM video_requests") == "6");
}

TEST_CASE("ingest ring-rfa-posts JSON: an object holding an array, nested keys",
          "[ingest][requests]") {
    store s;
    const auto r = require_success(s.ingest({data_file("requests/rfa-posts.json").string()}));
    CHECK(r.out.find("json, profile ring-rfa-posts") != std::string::npos);
    CHECK(r.out.find("video requests 3 (with area 3, without area 0, undated 0)") !=
          std::string::npos);
    CHECK(s.sql("SELECT format FROM sources WHERE id = 2") == "json");
    CHECK(s.sql("SELECT round(radius_m, 3) FROM video_requests WHERE case_number = '21-0011'") ==
          "804.672");
    CHECK(s.sql("SELECT requested_at FROM video_requests WHERE case_number = '21-0077'") ==
          "2021-03-01T12:00:00Z");
    CHECK(s.sql("SELECT area_wkt FROM video_requests WHERE case_number = '21-0042'")
              .rfind("POLYGON ((-95.26 38.95,", 0) == 0);
    CHECK(s.sql("SELECT window_end FROM video_requests WHERE case_number = '21-0011'") ==
          "2021-02-01T06:00:00Z");
}

TEST_CASE("ingest request-log XLSX: columns by name, --agency, radius unit from the header",
          "[ingest][requests]") {
    store s;
    const auto log = data_file("requests/request-log.xlsx").string();
    auto r = s.ingest({log});
    CHECK(r.status == 1);
    CHECK(r.err.find("profile 'request-log' finds no agency column in the file and has no "
                     "agency constant: name the agency whose requests these are with --agency "
                     "NAME") != std::string::npos);
    r = require_success(
        s.ingest({log, "--agency", "Smallville Police Department", "--state", "Kansas"}));
    CHECK(r.out.find("profile request-log: detected from columns 'Number of Users Notified' "
                     "'Videos Shared'") != std::string::npos);
    CHECK(r.out.find(
              "video requests 5 (with area 0, without area 5, undated 1), agencies 1 (0 new)") !=
          std::string::npos);
    CHECK(r.err.empty());
    CHECK(s.sql("SELECT group_concat(case_number || '/' || ifnull(requested_at, '-') || '/' || "
                "users_notified || '/' || ifnull(videos_received, '-') || '/' || "
                "ifnull(radius_m, '-'), ' ') FROM (SELECT * FROM video_requests ORDER BY id)") ==
          "SPD-19-001/2019-01-15/120/3/152.4 SPD-19-002/2019-02-03/1340/0/304.8 "
          "SPD-19-003/2019-03-22/88/5/76.2 SPD-19-004/-/210/-/243.84 "
          "SPD-19-005/2019-04-09/45/2/-");
    CHECK(s.sql("SELECT address FROM video_requests WHERE case_number = 'SPD-19-004'") ==
          "Riverside Park");
    CHECK(s.sql("SELECT count(DISTINCT agency_id) FROM video_requests") == "1");
}

TEST_CASE("ingest request totals: dated observations, apart from requests", "[ingest][requests]") {
    store s;
    auto r = require_success(
        s.ingest({data_file("requests/totals.csv").string(), "--as-of", "2021-06-01"}));
    CHECK(r.out.find("request totals 3 (dated observations, not requests)") != std::string::npos);
    CHECK(r.out.find("  skipped, no usable total: 1 (row 4)\n") != std::string::npos);
    CHECK(r.err.find("'Total Video Requests: not shown' is not a count") != std::string::npos);
    CHECK(
        s.sql(
            "SELECT group_concat(a.name || '=' || t.total || '@' || t.as_of, '; ') FROM "
            "(SELECT * FROM request_totals ORDER BY id) t JOIN agencies a ON a.id = t.agency_id") ==
        "Smallville Police Department=1234@2021-05-01; Lowell County Sheriff's "
        "Office=56@2021-05-01; "
        "Quillon Police Department=7@2021-06-01");
    CHECK(s.sql("SELECT raw FROM request_totals WHERE total = 1234") ==
          "Total Video Requests: 1,234");
    CHECK(s.sql("SELECT count(*) FROM video_requests") == "0");
    // an older agency map: the Video Requests column is a total as of the map's date
    r = s.ingest({data_file("requests/ring-map-totals.kml").string(), "--as-of", "2020-01-15"});
    REQUIRE(r.status == 0);
    CHECK(r.out.find("partnerships 2 (1 new)") != std::string::npos);
    CHECK(r.out.find("request totals 2") != std::string::npos);
    CHECK(s.sql("SELECT group_concat(total || '@' || as_of, ' ') FROM request_totals WHERE "
                "source_id = 3") == "812@2020-01-15 40@2020-01-15");
    CHECK(s.sql("SELECT count(*) FROM video_requests") == "0");
}

TEST_CASE("ingest a requests file whose every row is unusable fails and changes nothing",
          "[ingest][requests][errors]") {
    store s;
    const auto before = store_fingerprint(s.db());
    const auto r = s.ingest({data_file("requests/bad-every-row.csv").string()});
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err.find("porchlight ingest: no usable rows: 2 rows: no date and no location "
                     "(rows 1, 2); nothing was written (") != std::string::npos);
    CHECK(r.err.find("bad-every-row.csv)") != std::string::npos);
    CHECK(store_fingerprint(s.db()) == before);
}
