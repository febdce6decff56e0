#include <catch2/catch.hpp>

#include <porchlight/error.hpp>
#include <porchlight/ingest/ingester.hpp>
#include <porchlight/report/listings.hpp>
#include <porchlight/store/store.hpp>

#include "test_support.hpp"


#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>

namespace fs = std::filesystem;
using namespace porchlight::report;
using porchlight::ingest::Ingester;
using porchlight::ingest::ingest_options;
using porchlight::store::Store;
using porchlight::test::data_file;
using porchlight::test::exec_sql;
using porchlight::test::TempDir;

namespace {

const fs::path data_dir = fs::path(PORCHLIGHT_SOURCE_DIR) / "data";

// Partnerships with known dates, for the as-of rule:
//   Alpha    OH  Ring (as "Amazon Ring")  Ring/Neighbors Partnership  start 2019-08 (month)
//   Beta     OH  Flock Safety             Automated License Plate Readers  2019-08-19
//   Gamma    TX  Ring                     Ring/Neighbors Partnership  undated
//   Delta    TX  Axon                     Body-worn Cameras  2018-01-01 to 2019-06-30
//   Epsilon  IL  DJI                      Drones  2019-02 (month)
//   Zeta     IL  Flock                    Automated License Plate Readers  2019 (year)
//   Eta      OH  Axon                     Body-worn Cameras  2019-01-01 to 2019-08-19
const char* dated_csv =
    "agency,city,county,state,vendor,technology,start,end,url\n"
    "Alpha Police Department,Alpha,,OH,Amazon Ring,Ring/Neighbors Partnership,2019-08,,\n"
    "Beta Police Department,Beta,,OH,Flock Safety,Automated License Plate Readers,2019-08-19,,\n"
    "Gamma Police Department,Gamma,,TX,Ring,Ring/Neighbors Partnership,,,\n"
    "Delta Police Department,Delta,,TX,Axon,Body-worn Cameras,2018-01-01,2019-06-30,\n"
    "Epsilon Police Department,Epsilon,,IL,DJI,Drones,2019-02,,\n"
    "Zeta Police Department,Zeta,,IL,Flock,Automated License Plate Readers,2019,,\n"
    "Eta Police Department,Eta,,OH,Axon,Body-worn Cameras,2019-01-01,2019-08-19,\n";

struct fixture {
    TempDir dir;
    fs::path db = dir / "porchlight.db";
    Store store = Store::create(db);
    Ingester ingester{store, data_dir};

    void ingest(const fs::path& file) {
        ingest_options o;
        o.as_of = "2024-01-31";
        ingester.ingest_file(file, o);
    }
    void ingest_fixture(const std::string& name) { ingest(data_file("records/" + name)); }
    void ingest_dated() {
        std::ofstream(dir / "dated.csv") << dated_csv;
        ingest(dir / "dated.csv");
    }
};

std::size_t column(const table& t, const std::string& name) {
    auto it = std::find(t.columns.begin(), t.columns.end(), name);
    REQUIRE(it != t.columns.end());
    return static_cast<std::size_t>(it - t.columns.begin());
}

/// The values of one column, as text, sorted.
std::vector<std::string> values(const table& t, const std::string& name) {
    const auto c = column(t, name);
    std::vector<std::string> out;
    for (const auto& row : t.rows)
        out.push_back(to_text(row[c]));
    std::sort(out.begin(), out.end());
    return out;
}

/// The first word of each agency name in a partnerships table, sorted.
std::vector<std::string> agencies_in(const table& t) {
    std::vector<std::string> out;
    for (const auto& a : values(t, "agency"))
        out.push_back(a.substr(0, a.find(' ')));
    std::sort(out.begin(), out.end());
    return out;
}

table as_of(fixture& f, const std::string& date) {
    partnership_filter pf;
    pf.as_of = date;
    return partnerships(f.store.db(), pf);
}

using names = std::vector<std::string>;

std::set<std::string> problem_kinds(const verify_result& r) {
    std::set<std::string> out;
    for (const auto& row : r.problems.rows)
        out.insert(to_text(row[0]));
    return out;
}

} // namespace

TEST_CASE("to_text formats every kind of cell", "[report]") {
    CHECK(to_text(value{}) == "");
    CHECK(to_text(value{std::int64_t{-42}}) == "-42");
    CHECK(to_text(value{2.5}) == "2.5");
    CHECK(to_text(value{40.2331}) == "40.2331");
    CHECK(to_text(value{std::string("x")}) == "x");
}

TEST_CASE("partnerships as of a date: started by then and not ended before", "[report]") {
    fixture f;
    f.ingest_dated();
    const auto all = partnerships(f.store.db(), {});
    CHECK(all.rows.size() == 7);

    // a month start counts from its last day: August 2019 is not surely started on the 19th
    CHECK(agencies_in(as_of(f, "2019-08-19")) == names{"Beta", "Epsilon", "Eta"});
    CHECK(agencies_in(as_of(f, "2019-08-30")) == names{"Beta", "Epsilon"});
    CHECK(agencies_in(as_of(f, "2019-08-31")) == names{"Alpha", "Beta", "Epsilon"});
    // a year start counts from December 31st
    CHECK(agencies_in(as_of(f, "2019-12-30")) == names{"Alpha", "Beta", "Epsilon"});
    CHECK(agencies_in(as_of(f, "2019-12-31")) == names{"Alpha", "Beta", "Epsilon", "Zeta"});
    // ended before: Delta ended 2019-06-30
    CHECK(agencies_in(as_of(f, "2019-06-30")) == names{"Delta", "Epsilon", "Eta"});
    CHECK(agencies_in(as_of(f, "2019-07-01")) == names{"Epsilon", "Eta"});
    // before anything started
    CHECK(as_of(f, "2017-12-31").rows.empty());
    // the undated partnership is in no as-of listing
    for (const char* d : {"2019-08-19", "2020-01-01", "2030-01-01"})
        for (const auto& a : agencies_in(as_of(f, d)))
            CHECK(a != "Gamma");
    // as_of must be a day
    partnership_filter bad;
    bad.as_of = "2019-08";
    CHECK_THROWS_AS(partnerships(f.store.db(), bad), std::invalid_argument);
    bad.as_of = "not a date";
    CHECK_THROWS_AS(partnerships(f.store.db(), bad), std::invalid_argument);
}

// The month rule appends "-31" to every month, so a February start is counted only from
// "YYYY-02-31", which sorts after the real last day (the 28th or 29th).
TEST_CASE("a February start counts from the last day of February", "[report]") {
    fixture f;
    f.ingest_dated();
    CHECK(agencies_in(as_of(f, "2019-02-28")) == names{"Delta", "Epsilon", "Eta"});
}

TEST_CASE("partnerships filter by vendor, technology and state", "[report]") {
    fixture f;
    f.ingest_dated();
    auto with = [&](auto&& set) {
        partnership_filter pf;
        set(pf);
        return agencies_in(partnerships(f.store.db(), pf));
    };
    CHECK(with([](auto& p) { p.vendor = "Ring"; }) == names{"Alpha", "Gamma"});
    CHECK(with([](auto& p) { p.vendor = "Amazon Ring"; }) == names{"Alpha", "Gamma"});
    CHECK(with([](auto& p) { p.vendor = "flock"; }) == names{"Beta", "Zeta"});
    CHECK(with([](auto& p) { p.vendor = "Nobody"; }).empty());
    CHECK(with([](auto& p) { p.technology = "plate"; }) == names{"Beta", "Zeta"});
    CHECK(with([](auto& p) { p.technology = "Body-worn"; }) == names{"Delta", "Eta"});
    CHECK(with([](auto& p) { p.state = "Ohio"; }) == names{"Alpha", "Beta", "Eta"});
    CHECK(with([](auto& p) { p.state = "oh"; }) == names{"Alpha", "Beta", "Eta"});
    CHECK(with([](auto& p) { p.state = "Texas"; }) == names{"Delta", "Gamma"});
    CHECK(with([](auto& p) {
              p.state = "OH";
              p.technology = "Body-worn Cameras";
          }) == names{"Eta"});
    CHECK(with([](auto& p) {
              p.vendor = "Axon";
              p.as_of = "2019-07-01";
          }) == names{"Eta"});
    // the rows name the canonical vendor
    partnership_filter pf;
    pf.vendor = "Amazon Ring";
    CHECK(values(partnerships(f.store.db(), pf), "vendor") == names{"Ring", "Ring"});

    partnership_filter unknown;
    unknown.state = "Atlantis";
    CHECK_THROWS_AS(partnerships(f.store.db(), unknown), std::invalid_argument);
    unknown.state = "XX";
    CHECK_THROWS_AS(partnerships(f.store.db(), unknown), std::invalid_argument);
}

TEST_CASE("partnerships on same-table.csv by vendor, technology and state", "[report]") {
    fixture f;
    f.ingest_fixture("same-table.csv");
    auto count = [&](auto&& set) {
        partnership_filter pf;
        set(pf);
        return partnerships(f.store.db(), pf).rows.size();
    };
    CHECK(count([](auto&) {}) == 11);
    CHECK(count([](auto& p) { p.vendor = "Ring"; }) == 5);
    CHECK(count([](auto& p) { p.technology = "plate"; }) == 3);
    CHECK(count([](auto& p) { p.technology = "drones"; }) == 3);
    CHECK(count([](auto& p) { p.state = "Ohio"; }) == 1);
    CHECK(count([](auto& p) { p.state = "TX"; }) == 2);
}

// "Amazon Ring" must find Ring partnerships in a store whose sources only ever wrote "Ring":
// the filter knows the names data/vendors.yaml gives a vendor, not only the spellings seen.
TEST_CASE("the vendor filter knows the aliases of vendors.yaml", "[report]") {
    fixture f;
    f.ingest_fixture("same-table.csv");
    partnership_filter pf;
    pf.vendor = "Amazon Ring";
    CHECK(partnerships(f.store.db(), pf).rows.size() == 5);
    pf.vendor = "Da-Jiang Innovations";
    CHECK(partnerships(f.store.db(), pf).rows.size() == 3);
}

TEST_CASE("find_agency by id, by any spelling, and refusing ambiguity", "[report]") {
    fixture f;
    f.ingest_fixture("same-table.csv");
    auto& db = f.store.db();
    const auto maple = db.scalar_int(
        "SELECT id FROM agencies WHERE name = 'Maple Hollow Police Department'");
    REQUIRE(maple > 0);
    CHECK(find_agency(db, std::to_string(maple)) == maple);
    CHECK(find_agency(db, " " + std::to_string(maple) + " ") == maple);
    CHECK(find_agency(db, "Maple Hollow Police Department") == maple);
    CHECK(find_agency(db, "Maple Hollow PD") == maple);
    CHECK(find_agency(db, "maple hollow police dept.") == maple);
    const auto sheriff =
        db.scalar_int("SELECT id FROM agencies WHERE name = \"Pine Ridge County Sheriff's Office\"");
    CHECK(find_agency(db, "Pine Ridge County Sheriff") == sheriff);

    CHECK_THROWS_AS(find_agency(db, "999999"), porchlight::not_found_error);
    try {
        find_agency(db, "Maple Hollow");
        FAIL("no not_found_error");
    } catch (const porchlight::not_found_error& e) {
        // no exact name, but the close match is offered
        CHECK(std::string(e.what()).find("Maple Hollow Police Department") != std::string::npos);
    }
    CHECK_THROWS_AS(find_agency(db, "Nowhere At All"), porchlight::not_found_error);
}

TEST_CASE("find_agency lists the ids of agencies that share a name", "[report]") {
    fixture f;
    const auto file = f.dir / "twins.csv";
    std::ofstream(file) << "agency,city,county,state,vendor,technology,start,end,url\n"
                           "Washington Township Police Department,Dayton,,OH,Ring,Drones,,,\n"
                           "Washington Township Police Department,Centerville,,OH,Ring,Drones,,,\n";
    f.ingest(file);
    auto& db = f.store.db();
    REQUIRE(db.scalar_int("SELECT count(*) FROM agencies") == 2);
    const auto first = db.scalar_int("SELECT min(id) FROM agencies");
    const auto second = db.scalar_int("SELECT max(id) FROM agencies");
    try {
        find_agency(db, "Washington Twp PD");
        FAIL("no not_found_error");
    } catch (const porchlight::not_found_error& e) {
        const std::string what = e.what();
        INFO(what);
        CHECK(what.find("2 agencies") != std::string::npos);
        CHECK(what.find("\n  " + std::to_string(first) + "  ") != std::string::npos);
        CHECK(what.find("\n  " + std::to_string(second) + "  ") != std::string::npos);
        CHECK(what.find("Dayton") != std::string::npos);
        CHECK(what.find("Centerville") != std::string::npos);
    }
    // each is still reachable by id
    CHECK(find_agency(db, std::to_string(second)) == second);
}

TEST_CASE("agencies lists and filters", "[report]") {
    fixture f;
    f.ingest_fixture("same-table.csv");
    auto& db = f.store.db();
    CHECK(agencies(db, {}).rows.size() == 10);
    agency_filter by_state;
    by_state.state = "Texas";
    const auto tx = agencies(db, by_state);
    REQUIRE(tx.rows.size() == 1);
    CHECK(to_text(tx.rows[0][column(tx, "name")]) == "Cedar Bluff Police Department");
    CHECK(to_text(tx.rows[0][column(tx, "partnerships")]) == "2");
    agency_filter search;
    search.search = "sheriff";
    const auto s = agencies(db, search);
    REQUIRE(s.rows.size() == 1);
    CHECK(to_text(s.rows[0][column(s, "kind")]) == "sheriff");
    agency_filter bad;
    bad.state = "Atlantis";
    CHECK_THROWS_AS(agencies(db, bad), std::invalid_argument);
}

TEST_CASE("agency_details gathers an agency's partnerships and evidence", "[report]") {
    fixture f;
    f.ingest_fixture("same-table.csv");
    auto& db = f.store.db();
    const auto maple = find_agency(db, "Maple Hollow Police Department");
    const auto d = agency_details(db, maple);
    REQUIRE(d.agency.rows.size() == 1);
    CHECK(to_text(d.agency.rows[0][column(d.agency, "state")]) == "OH");
    CHECK(d.aliases.rows.size() == 1);
    REQUIRE(d.partnerships.rows.size() == 1);
    CHECK(to_text(d.partnerships.rows[0][column(d.partnerships, "evidence_count")]) == "2");
    // one agency evidence and two partnership evidence rows
    CHECK(d.evidence.rows.size() == 3);
}

TEST_CASE("conflicts lists one row per claim of each conflicting partnership", "[report]") {
    fixture f;
    f.ingest_fixture("same-table.csv");
    const auto c = conflicts(f.store.db());
    REQUIRE(c.rows.size() == 2);
    CHECK(values(c, "claimed_start") == names{"2019-07-15", "2020-03-02"});
    CHECK(values(c, "as_written") == names{"3/2/20", "7/15/19"});
    CHECK(values(c, "chosen_start") == names{"2019-07-15", "2019-07-15"});
    CHECK(values(c, "rule") == names{"earliest-claim", "earliest-claim"});
}

TEST_CASE("sources and warnings list what was ingested", "[report]") {
    fixture f;
    f.ingest_fixture("same-table.csv");
    f.ingest_fixture("bad-date-row.csv");
    auto& db = f.store.db();
    const auto s = sources(db);
    REQUIRE(s.rows.size() == 2);
    CHECK(values(s, "rows") == names{"12", "5"});
    CHECK(values(s, "warnings") == names{"0", "1"});
    CHECK(to_text(s.rows[0][column(s, "sha256")]).size() == 12);
    const auto all = warnings(db, std::nullopt);
    REQUIRE(all.rows.size() == 1);
    CHECK(to_text(all.rows[0][column(all, "locator")]) == "row 4");
    CHECK(to_text(all.rows[0][column(all, "field")]) == "start");
    const auto second = std::get<std::int64_t>(s.rows[1][column(s, "id")]);
    const auto first = std::get<std::int64_t>(s.rows[0][column(s, "id")]);
    CHECK(warnings(db, second).rows.size() == 1);
    CHECK(warnings(db, first).rows.empty());
}

TEST_CASE("verify passes a fresh store and catches damage", "[report][verify]") {
    fixture f;
    f.ingest_fixture("same-table.csv");
    f.ingest_fixture("ring-map.kml");
    {
        const auto r = verify(f.store);
        INFO((r.problems.rows.empty() ? std::string() : to_text(r.problems.rows[0][2])));
        CHECK(r.ok());
        CHECK(r.blobs_checked == 2);
        CHECK(r.problems.columns == names{"kind", "subject", "detail"});
    }
    const auto sha = f.store.db().scalar_text("SELECT sha256 FROM sources ORDER BY id LIMIT 1");
    REQUIRE(sha);
    const auto blob = f.store.blobs().path_of(*sha);
    REQUIRE(fs::is_regular_file(blob));

    SECTION("a blob whose bytes changed") {
        fs::permissions(blob, fs::perms::owner_write, fs::perm_options::add);
        std::ofstream(blob, std::ios::binary | std::ios::trunc) << "tampered";
        const auto r = verify(f.store);
        CHECK_FALSE(r.ok());
        REQUIRE(r.problems.rows.size() == 1);
        CHECK(to_text(r.problems.rows[0][0]) == "damaged-blob");
        CHECK(to_text(r.problems.rows[0][1]).find("source 1") != std::string::npos);
        CHECK(to_text(r.problems.rows[0][2]).find(*sha) != std::string::npos);
    }
    SECTION("a blob that is gone") {
        fs::remove(blob);
        const auto r = verify(f.store);
        CHECK_FALSE(r.ok());
        REQUIRE(r.problems.rows.size() == 1);
        CHECK(to_text(r.problems.rows[0][0]) == "missing-blob");
        CHECK(r.blobs_checked == 2);
    }
    SECTION("a fact whose evidence was deleted") {
        const auto agency = f.store.db().scalar_int(
            "SELECT id FROM agencies WHERE name = 'Harlow Springs Police Department'");
        REQUIRE(agency > 0);
        exec_sql(f.db, "PRAGMA foreign_keys = OFF; DELETE FROM evidence WHERE fact_type = 'agency' "
                       "AND fact_id = " + std::to_string(agency));
        const auto r = verify(f.store);
        CHECK_FALSE(r.ok());
        REQUIRE(r.problems.rows.size() == 1);
        CHECK(to_text(r.problems.rows[0][0]) == "no-evidence");
        CHECK(to_text(r.problems.rows[0][1]) == "agency " + std::to_string(agency));
    }
    SECTION("a partnership whose evidence was deleted") {
        exec_sql(f.db, "PRAGMA foreign_keys = OFF; DELETE FROM evidence WHERE fact_type = "
                       "'partnership' AND fact_id = (SELECT id FROM partnerships_view WHERE "
                       "agency = 'Harlow Springs Police Department')");
        const auto r = verify(f.store);
        CHECK(problem_kinds(r) == std::set<std::string>{"no-evidence"});
        CHECK(to_text(r.problems.rows[0][1]).rfind("partnership ", 0) == 0);
    }
    SECTION("a row that points at a missing source") {
        exec_sql(f.db, "PRAGMA foreign_keys = OFF; UPDATE records SET source_id = 999 WHERE id = 1");
        const auto r = verify(f.store);
        CHECK(problem_kinds(r) == std::set<std::string>{"foreign-key"});
    }
}

TEST_CASE("verify on a reopened read-only store", "[report][verify]") {
    TempDir dir;
    const auto db = dir / "p.db";
    {
        auto s = Store::create(db);
        Ingester ing(s, data_dir);
        ingest_options o;
        o.as_of = "2024-01-31";
        ing.ingest_file(data_file("records/generic.csv"), o);
    }
    auto s = Store::open(db, false);
    const auto r = verify(s);
    CHECK(r.ok());
    CHECK(r.blobs_checked == 1);
}
