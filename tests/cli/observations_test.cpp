// `porchlight requests` and `porchlight cameras` on a store whose rows are written with SQL
// (the listings only read; the ingest of such rows is tested in ingest_*_test.cpp).
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <porchlight/store/store.hpp>

using namespace porchlight::test;

namespace {

struct observation_store {
    TempDir dir;
    std::filesystem::path db = dir / "store.db";

    observation_store() {
        auto s = porchlight::store::Store::create(db);
        s.db().exec(R"SQL(
INSERT INTO sources (id, sha256, size, kind, format, file_name, origin, title, ingested_at,
                     porchlight_version)
VALUES (1, 'aa', 1, 'records', 'csv', 'posts.csv', '/x/posts.csv', 'RFA posts', '2024-01-01', '0'),
       (2, 'bb', 1, 'records', 'csv', 'cams.csv', '/x/cams.csv', 'Cameras', '2024-01-01', '0');
INSERT INTO records (id, source_id, row_no, locator, data) VALUES
  (1, 1, 1, 'row 1', '[]'), (2, 1, 2, 'row 2', '[]'), (3, 1, 3, 'row 3', '[]'),
  (4, 2, 1, 'row 1', '[]'), (5, 2, 2, 'row 2', '[]'), (6, 2, 3, 'row 3', '[]');
INSERT INTO agencies (id, name, norm_name, kind, state) VALUES
  (1, 'Baltimore Police Department', 'baltimore police department', 'police', 'MD'),
  (2, 'Towson Police Department', 'towson police department', 'police', 'MD'),
  (3, 'Dayton Police Department', 'dayton police department', 'police', 'OH');
INSERT INTO aliases (agency_id, alias, norm) VALUES
  (1, 'Baltimore Police Department', 'baltimore police department'),
  (2, 'Towson Police Department', 'towson police department'),
  (3, 'Dayton Police Department', 'dayton police department');
INSERT INTO video_requests (id, agency_id, requested_at, case_number, title, center_lat,
    center_lon, radius_m, area_wkt, users_notified, videos_received, source_id, record_id,
    agency_raw, address) VALUES
  (1, 1, '2020-03-05T14:00:00Z', 'C-1', 'Burglary', 39.3, -76.6, 800, 'POLYGON ((0 0))', 120, 3, 1, 1, 'Baltimore PD', '12 Elm St'),
  (2, 3, '2019-11-01', 'C-2', 'Theft', 39.7, -84.2, NULL, NULL, NULL, NULL, 1, 2, 'Dayton PD', NULL),
  (3, NULL, NULL, NULL, 'Unknown', NULL, NULL, NULL, NULL, NULL, NULL, 1, 3, 'Nowhere PD', NULL);
INSERT INTO request_totals (id, agency_id, as_of, total, source_id, record_id) VALUES
  (1, 1, '2020-01-15', 42, 1, 1), (2, 1, '2021-01-15', 97, 1, 2);
INSERT INTO cameras (id, lat, lon, kind, operator, source_id, record_id, name) VALUES
  (1, 39.2904, -76.6122, 'fixed', 'Baltimore Police', 2, 4, 'Pratt and Light'),
  (2, 39.4015, -76.6019, 'dome', NULL, 2, 5, 'Towson'),
  (3, 39.7589, -84.1916, NULL, NULL, 2, 6, 'Dayton');
)SQL");
    }

    run_result run(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--db", db.string()});
        return run_porchlight(args);
    }
    nlohmann::json json(std::vector<std::string> args) const {
        args.push_back("--format");
        args.push_back("json");
        const auto r = run(args);
        REQUIRE(r.status == 0);
        return nlohmann::json::parse(r.out);
    }
};

std::vector<std::int64_t> ids(const nlohmann::json& rows) {
    std::vector<std::int64_t> out;
    for (const auto& r : rows)
        out.push_back(r["id"].get<std::int64_t>());
    return out;
}

} // namespace

TEST_CASE("requests lists requests in date order, undated last, without personal data",
          "[requests]") {
    observation_store s;
    const auto j = s.json({"requests"});
    CHECK(ids(j) == std::vector<std::int64_t>{2, 1, 3});
    CHECK(j[1]["agency"] == "Baltimore Police Department");
    CHECK(j[1]["area"] == "yes");
    CHECK(j[1]["radius_m"] == 800.0);
    CHECK(j[1]["locator"] == "row 1");
    CHECK(j[2]["agency"] == "Nowhere PD"); // unresolved: the name as written
    CHECK_FALSE(j[0].contains("case_number"));
    CHECK_FALSE(j[0].contains("title"));
    CHECK_FALSE(j[0].contains("address"));
    const auto r = s.run({"requests"});
    CHECK(r.out.find("12 Elm St") == std::string::npos);
    CHECK(r.out.find("2 per-agency totals observed too") != std::string::npos);
}

TEST_CASE("requests adds titles, case numbers and addresses only when asked", "[requests]") {
    observation_store s;
    const auto j = s.json({"requests", "--include-personal-data"});
    CHECK(j[1]["case_number"] == "C-1");
    CHECK(j[1]["title"] == "Burglary");
    CHECK(j[1]["address"] == "12 Elm St");
}

TEST_CASE("requests filters by agency, state and a date window", "[requests]") {
    observation_store s;
    CHECK(ids(s.json({"requests", "--state", "Ohio"})) == std::vector<std::int64_t>{2});
    CHECK(ids(s.json({"requests", "--agency", "Baltimore Police Department"})) ==
          std::vector<std::int64_t>{1});
    CHECK(ids(s.json({"requests", "--since", "2020"})) == std::vector<std::int64_t>{1});
    CHECK(ids(s.json({"requests", "--until", "2019-11"})) == std::vector<std::int64_t>{2});
    CHECK(s.json({"requests", "--since", "2021"}).empty());
    check_failure(s.run({"requests", "--state", "Atlantis"}), 2, "unknown state 'Atlantis'");
    check_failure(s.run({"requests", "--since", "2021", "--until", "2020"}), 2,
                  "is after --until");
}

TEST_CASE("requests --totals lists observed totals apart, latest first", "[requests]") {
    observation_store s;
    const auto j = s.json({"requests", "--totals"});
    REQUIRE(j.size() == 2);
    CHECK(j[0]["total"] == 97);
    CHECK(j[0]["as_of"] == "2021-01-15");
    CHECK(j[1]["total"] == 42);
    CHECK(s.json({"requests", "--totals", "--until", "2020"}).size() == 1);
}

TEST_CASE("cameras lists points with the county that holds them", "[cameras]") {
    observation_store s;
    const auto j = s.json({"cameras"});
    REQUIRE(j.size() == 3);
    CHECK(j[0]["county"] == "24510"); // Baltimore city
    CHECK(j[1]["county"] == "24005"); // Baltimore County (Towson)
    CHECK(j[2]["county"] == "39113"); // Montgomery County, Ohio (Dayton)
    CHECK(j[0]["locator"] == "row 1");
    CHECK_FALSE(j[0].contains("name")); // it may name a home: only when asked
    CHECK(s.json({"cameras", "--include-personal-data"})[0]["name"] == "Pratt and Light");
}

TEST_CASE("cameras filters by state, county, bounding box and source", "[cameras]") {
    observation_store s;
    CHECK(ids(s.json({"cameras", "--state", "MD"})) == std::vector<std::int64_t>{1, 2});
    CHECK(ids(s.json({"cameras", "--county", "24510"})) == std::vector<std::int64_t>{1});
    CHECK(ids(s.json({"cameras", "--bbox", "-76.7,39.2,-76.5,39.35"})) ==
          std::vector<std::int64_t>{1});
    CHECK(ids(s.json({"cameras", "--source", "cams.csv"})).size() == 3);
    check_failure(s.run({"cameras", "--bbox", "-76.5,39.2,-76.7,39.35"}), 2, "west must be less than east");
    check_failure(s.run({"cameras", "--bbox", "1,2,3"}), 2, "four numbers");
    check_failure(s.run({"cameras", "--county", "99999"}), 2, "no county with FIPS code '99999'");
}
