#include <catch2/catch.hpp>

#include <porchlight/error.hpp>
#include <porchlight/ingest/ingester.hpp>
#include <porchlight/store/store.hpp>

#include "test_support.hpp"

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using porchlight::ingest::Ingester;
using porchlight::ingest::ingest_options;
using porchlight::ingest::ingest_result;
using porchlight::store::Store;
using porchlight::test::data_file;
using porchlight::test::query;
using porchlight::test::store_fingerprint;
using porchlight::test::TempDir;

namespace {

const fs::path data_dir = fs::path(PORCHLIGHT_SOURCE_DIR) / "data";

/// A fresh store in a temporary directory, and an ingester on it.
struct fixture {
    TempDir dir;
    fs::path db = dir / "porchlight.db";
    Store store = Store::create(db);
    Ingester ingester{store, data_dir};

    ingest_result ingest(const std::string& record_fixture, ingest_options options = {}) {
        if (!options.as_of)
            options.as_of = "2024-01-31";
        return ingester.ingest_file(data_file("records/" + record_fixture), options);
    }
    ingest_result ingest_path(const fs::path& file, ingest_options options = {}) {
        if (!options.as_of)
            options.as_of = "2024-01-31";
        return ingester.ingest_file(file, options);
    }
    std::string q(const std::string& sql) { return query(db, sql); }
    long long n(const std::string& sql) { return std::stoll(query(db, sql)); }
    std::string fingerprint() { return store_fingerprint(db); }
};

template <typename F> porchlight::parse_error expect_parse_error(F&& f) {
    try {
        f();
    } catch (const porchlight::parse_error& e) {
        return e;
    }
    FAIL("no parse_error thrown");
    throw std::logic_error("unreachable");
}

/// The start of the partnership of the agency named `agency` with the technology `tech`.
std::string start_of(fixture& f, const std::string& agency, const std::string& tech) {
    return f.q("SELECT ifnull(start_date, 'NULL') FROM partnerships_view WHERE agency = '" +
               agency + "' AND technology = '" + tech + "'");
}

/// The start claims (date and precision) of that partnership, sorted, comma-separated.
std::string claims_of(fixture& f, const std::string& agency, const std::string& tech) {
    return f.q("SELECT group_concat(c, ',') FROM (SELECT DISTINCT c.start_date || ' ' || "
               "c.start_precision AS c FROM partnership_claims c JOIN partnerships_view p "
               "ON p.id = c.partnership_id WHERE p.agency = '" + agency + "' AND p.technology = '" +
               tech + "' AND c.start_date IS NOT NULL ORDER BY 1)");
}

} // namespace

TEST_CASE("ingesting same-table.csv records the fixture's facts", "[ingest][ingester]") {
    fixture f;
    const auto r = f.ingest("same-table.csv");
    CHECK_FALSE(r.already_ingested);
    CHECK_FALSE(r.dry_run);
    CHECK(r.format == "csv");
    CHECK(r.profile == "atlas-of-surveillance");
    CHECK(r.dataset == "atlas-of-surveillance");
    CHECK(r.as_of == "2024-01-31");
    CHECK(r.rows == 12);
    CHECK(r.agencies == 10);
    CHECK(r.agencies_new == 10);
    CHECK(r.partnerships == 11);
    CHECK(r.partnerships_new == 11);
    CHECK(r.undated == 1);
    CHECK(r.unresolved == 0);
    CHECK(r.conflicts == 1);
    CHECK(r.conflicts_new == 1);
    CHECK(r.warning_count == 0);
    CHECK(r.warnings.empty());
    CHECK(r.sha256.size() == 64);
    CHECK(r.size == static_cast<std::int64_t>(fs::file_size(data_file("records/same-table.csv"))));

    // the store agrees with the result
    CHECK(f.n("SELECT count(*) FROM sources") == 1);
    CHECK(f.q("SELECT sha256 FROM sources") == r.sha256);
    CHECK(f.n("SELECT row_count FROM sources") == 12);
    CHECK(f.n("SELECT count(*) FROM records") == 12);
    CHECK(f.n("SELECT count(*) FROM agencies") == 10);
    CHECK(f.n("SELECT count(DISTINCT state) FROM agencies") == 10);
    CHECK(f.n("SELECT count(*) FROM partnerships") == 11);
    CHECK(f.n("SELECT count(*) FROM technologies") == 3);
    CHECK(f.n("SELECT count(*) FROM vendors") == 3);
    CHECK(f.n("SELECT count(*) FROM partnership_conflicts") == 1);
    CHECK(f.q("SELECT agency || '|' || state || '|' || vendor || '|' || technology || '|' || "
              "chosen_start || '|' || rule FROM partnership_conflicts") ==
          "Maple Hollow Police Department|OH|Ring|Ring/Neighbors Partnership|2019-07-15|"
          "earliest-claim");
    CHECK(claims_of(f, "Maple Hollow Police Department", "Ring/Neighbors Partnership") ==
          "2019-07-15 day,2020-03-02 day");
    CHECK(f.n("SELECT count(*) FROM partnerships WHERE start_date IS NULL") == 1);
    CHECK(start_of(f, "Harlow Springs Police Department", "Drones") == "NULL");
    CHECK(f.n("SELECT count(*) FROM agencies WHERE kind = 'sheriff'") == 1);
    CHECK(f.q("SELECT name FROM agencies WHERE kind = 'sheriff'") ==
          "Pine Ridge County Sheriff's Office");
    CHECK(f.n("SELECT count(*) FROM agencies WHERE kind = 'police'") == 9);
    CHECK(f.q("SELECT first_seen || ' ' || last_seen FROM partnerships LIMIT 1") ==
          "2024-01-31 2024-01-31");

    // every fact has evidence, and every row is evidence of its partnership
    CHECK(f.n("SELECT count(*) FROM facts_without_evidence") == 0);
    CHECK(f.n("SELECT count(*) FROM evidence WHERE fact_type = 'partnership'") == 12);
    CHECK(f.n("SELECT count(DISTINCT fact_id) FROM evidence WHERE fact_type = 'agency'") == 10);
    CHECK(f.n("SELECT count(*) FROM evidence WHERE record_id IS NULL") == 0);
    CHECK(f.q("SELECT group_concat(locator, ',') FROM (SELECT locator FROM evidence "
              "WHERE fact_type = 'partnership' AND fact_id = (SELECT partnership_id FROM "
              "partnership_conflicts) ORDER BY locator)") == "row 1,row 12");
    CHECK(f.q("SELECT claim_start_raw FROM evidence WHERE locator = 'row 1' AND "
              "fact_type = 'partnership'") == "7/15/19");

    // the record keeps the values as read, readable through record_fields
    CHECK(f.q("SELECT value FROM record_fields WHERE locator = 'row 3' AND column_name = 'Summary'")
              .find("trailer.\nA second") != std::string::npos);
    CHECK(f.q("SELECT value FROM record_fields WHERE locator = 'row 5' AND column_name = 'Summary'")
              .find("caf\xC3\xA9") != std::string::npos);
    // the cited links are readable through evidence_links
    CHECK(f.n("SELECT count(*) FROM evidence_links") == 13);
    CHECK(f.q("SELECT publisher FROM evidence_links WHERE locator = 'row 4' AND position = 2") ==
          "Fictional Town Council");

    // the bytes are kept as a blob
    CHECK(f.store.blobs().contains(r.sha256));
    CHECK(porchlight::test::read_text(f.store.blobs().path_of(r.sha256)) ==
          porchlight::test::read_text(data_file("records/same-table.csv")));
}

TEST_CASE("every format of the same table ingests to the same facts", "[ingest][ingester]") {
    for (const char* name : {"same-table-crlf.csv", "same-table-bom.csv", "same-table-quoted.csv",
                             "same-table.xlsx", "same-table.ods", "same-table.geojson"}) {
        INFO(name);
        fixture f;
        const auto r = f.ingest(name);
        CHECK(r.profile == "atlas-of-surveillance");
        CHECK(r.rows == 12);
        CHECK(r.agencies == 10);
        CHECK(r.partnerships == 11);
        CHECK(r.undated == 1);
        CHECK(r.conflicts == 1);
        CHECK(r.warning_count == 0);
        CHECK(f.n("SELECT count(*) FROM facts_without_evidence") == 0);
        CHECK(start_of(f, "Maple Hollow Police Department", "Ring/Neighbors Partnership") ==
              "2019-07-15");
    }
}

TEST_CASE("ingesting the same bytes again changes nothing", "[ingest][ingester]") {
    fixture f;
    const auto first = f.ingest("same-table.csv");
    const auto before = f.fingerprint();

    const auto again = f.ingest("same-table.csv");
    CHECK(again.already_ingested);
    CHECK(again.source_id == first.source_id);
    CHECK(again.sha256 == first.sha256);
    CHECK(again.profile == "atlas-of-surveillance");
    CHECK(again.rows == 0);
    CHECK(f.fingerprint() == before);

    // the same bytes under another name are the same source
    fs::copy_file(data_file("records/same-table.csv"), f.dir / "renamed.csv");
    const auto renamed = f.ingest_path(f.dir / "renamed.csv");
    CHECK(renamed.already_ingested);
    CHECK(renamed.source_id == first.source_id);
    CHECK(f.fingerprint() == before);
}

TEST_CASE("a second spelling of the same table adds evidence, not facts", "[ingest][ingester]") {
    fixture f;
    f.ingest("same-table.csv");
    const auto r = f.ingest("same-table-crlf.csv");
    CHECK_FALSE(r.already_ingested);
    CHECK(r.rows == 12);
    CHECK(r.agencies == 10);
    CHECK(r.agencies_new == 0);
    CHECK(r.partnerships == 11);
    CHECK(r.partnerships_new == 0);
    CHECK(r.conflicts == 1);
    CHECK(r.conflicts_new == 0);
    CHECK(f.n("SELECT count(*) FROM sources") == 2);
    CHECK(f.n("SELECT count(*) FROM agencies") == 10);
    CHECK(f.n("SELECT count(*) FROM partnerships") == 11);
    CHECK(f.n("SELECT count(*) FROM evidence WHERE fact_type = 'partnership'") == 24);
}

TEST_CASE("a dry run reads everything and keeps nothing", "[ingest][ingester]") {
    fixture f;
    const auto before = f.fingerprint();
    ingest_options o;
    o.dry_run = true;
    const auto r = f.ingest("same-table.csv", o);
    CHECK(r.dry_run);
    CHECK(r.rows == 12);
    CHECK(r.agencies == 10);
    CHECK(r.partnerships == 11);
    CHECK(r.conflicts == 1);
    CHECK(f.fingerprint() == before);
    CHECK_FALSE(f.store.blobs().contains(r.sha256));
    // and the store still takes a real ingest afterwards
    const auto real = f.ingest("same-table.csv");
    CHECK_FALSE(real.already_ingested);
    CHECK(f.n("SELECT count(*) FROM partnerships") == 11);
    // the store is back in WAL mode after the ingest
    CHECK(f.store.db().scalar_text("PRAGMA journal_mode") == std::optional<std::string>("wal"));
}

TEST_CASE("a bad date in one row is a warning, not a failure", "[ingest][ingester]") {
    fixture f;
    const auto r = f.ingest("bad-date-row.csv");
    CHECK(r.rows == 5);
    CHECK(r.agencies == 5);
    CHECK(r.partnerships == 5);
    CHECK(r.warning_count == 1);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].locator == "row 4");
    CHECK(r.warnings[0].field == "start");
    CHECK(r.warnings[0].message.find("31/31/31") != std::string::npos);
    CHECK(f.n("SELECT count(*) FROM ingest_warnings") == 1);
    CHECK(f.q("SELECT row_no || ' ' || field FROM ingest_warnings") == "4 start");
    CHECK(f.n("SELECT warning_count FROM sources") == 1);
    CHECK(f.n("SELECT count(*) FROM technologies") == 3);
    // the row's claim is kept, as written, without a date
    CHECK(f.q("SELECT ifnull(claim_start, 'NULL') || ' ' || claim_start_raw FROM evidence "
              "WHERE fact_type = 'partnership' AND locator = 'row 4'") == "NULL 31/31/31");
    CHECK(start_of(f, "Ferris Point Police Department", "Body-worn Cameras") == "NULL");
    CHECK(f.n("SELECT count(*) FROM partnerships WHERE start_date IS NOT NULL") == 4);
    CHECK(f.n("SELECT count(*) FROM facts_without_evidence") == 0);
}

TEST_CASE("files that cannot be read leave the store unchanged", "[ingest][ingester]") {
    fixture f;
    f.ingest("generic.csv");
    const auto before = f.fingerprint();

    SECTION("a profile whose columns the file lacks") {
        ingest_options o;
        o.profile = "atlas-of-surveillance";
        const auto e = expect_parse_error([&] { f.ingest("wrong-columns.csv", o); });
        CHECK(e.message().find("AOSNUMBER") != std::string::npos);
        CHECK(e.file().find("wrong-columns.csv") != std::string::npos);
    }
    SECTION("an unknown profile name") {
        ingest_options o;
        o.profile = "atlas";
        CHECK_THROWS_AS(f.ingest("wrong-columns.csv", o), porchlight::error);
    }
    SECTION("columns that fit no profile") {
        CHECK_THROWS_AS(f.ingest("wrong-columns.csv"), porchlight::profile_error);
    }
    SECTION("a header and no rows") {
        CHECK_THROWS_AS(f.ingest("header-only.csv"), porchlight::parse_error);
    }
    SECTION("a truncated file") {
        CHECK(expect_parse_error([&] { f.ingest("truncated.csv"); }).row() == 3);
    }
    SECTION("invalid UTF-8") {
        CHECK(expect_parse_error([&] { f.ingest("bad-utf8.csv"); }).row() == 3);
    }
    SECTION("an empty file") {
        CHECK_THROWS_AS(f.ingest("empty.csv"), porchlight::parse_error);
    }
    SECTION("binary data") {
        CHECK_THROWS_AS(f.ingest("binary.csv"), porchlight::parse_error);
    }
    SECTION("a missing file") {
        CHECK_THROWS_AS(f.ingest("no-such-file.csv"), porchlight::parse_error);
    }
    SECTION("an extension that is not a table") {
        std::ofstream(f.dir / "notes.pdf") << "agency,state,technology\nx,OH,y\n";
        CHECK_THROWS_AS(f.ingest_path(f.dir / "notes.pdf"), porchlight::parse_error);
    }
    SECTION("an --as-of that is not a day") {
        ingest_options o;
        o.as_of = "2020-07";
        CHECK_THROWS_AS(f.ingest("same-table.csv", o), porchlight::error);
        o.as_of = "yesterday";
        CHECK_THROWS_AS(f.ingest("same-table.csv", o), porchlight::error);
    }
    CHECK(f.fingerprint() == before);
}

TEST_CASE("same-table then ring-map.kml combine as the fixtures README says",
          "[ingest][ingester]") {
    fixture f;
    f.ingest("same-table.csv");
    const auto r = f.ingest("ring-map.kml");
    CHECK(r.profile == "ring-agency-map");
    CHECK(r.format == "kml");
    CHECK(r.rows == 6);
    CHECK(r.agencies == 6);
    CHECK(r.agencies_new == 3);
    CHECK(r.partnerships == 6);
    CHECK(r.partnerships_new == 3);
    CHECK(r.undated == 0);
    CHECK(r.warning_count == 0);
    CHECK(r.conflicts == 2);
    CHECK(r.conflicts_new == 1);

    CHECK(f.n("SELECT count(*) FROM agencies") == 13);
    CHECK(f.n("SELECT count(*) FROM partnerships") == 14);
    CHECK(f.n("SELECT count(*) FROM partnership_conflicts") == 2);
    CHECK(f.q("SELECT group_concat(agency, ',') FROM (SELECT agency FROM partnership_conflicts "
              "ORDER BY agency)") == "Brookvale Police Department,Maple Hollow Police Department");
    CHECK(f.n("SELECT count(*) FROM facts_without_evidence") == 0);
    // Cedar Bluff, Texas is the atlas' Cedar Bluff, TX
    CHECK(f.n("SELECT count(*) FROM agencies WHERE name = 'Cedar Bluff Police Department'") == 1);
    CHECK(f.q("SELECT evidence_count FROM partnerships_view WHERE agency = "
              "'Cedar Bluff Police Department' AND vendor = 'Ring'") == "2");
    // placemark geometry is kept with the record
    CHECK(f.q("SELECT geometry FROM records WHERE locator = 'placemark 1'") ==
          "POINT (-82.6112 40.2331)");
    CHECK(f.q("SELECT ifnull(geometry, 'NULL') FROM records WHERE locator = 'placemark 5'") ==
          "NULL");
    // the map's agencies are in the states its addresses name
    CHECK(f.q("SELECT state FROM agencies WHERE name = 'Kellan Park Police Department'") == "AZ");
    CHECK(f.q("SELECT place FROM agencies WHERE name = 'Dunmore Heights Police Department'") ==
          "Dunmore Heights");
}

TEST_CASE("a partnership starts at its earliest claim, whatever the order of ingest",
          "[ingest][ingester]") {
    fixture forward, backward;
    forward.ingest("same-table.csv");
    forward.ingest("ring-map.kml");
    backward.ingest("ring-map.kml");
    backward.ingest("same-table.csv");
    for (auto* f : {&forward, &backward}) {
        // Brookvale: atlas 2/4/20, map 2/14/2020
        CHECK(start_of(*f, "Brookvale Police Department", "Ring/Neighbors Partnership") ==
              "2020-02-04");
        CHECK(claims_of(*f, "Brookvale Police Department", "Ring/Neighbors Partnership") ==
              "2020-02-04 day,2020-02-14 day");
        // Maple Hollow: 7/15/19 (atlas and map) and 3/2/20
        CHECK(start_of(*f, "Maple Hollow Police Department", "Ring/Neighbors Partnership") ==
              "2019-07-15");
        CHECK(f->q("SELECT start_rule FROM partnerships p JOIN agencies a ON a.id = p.agency_id "
                   "WHERE a.name = 'Maple Hollow Police Department'") == "earliest-claim");
        CHECK(f->n("SELECT count(*) FROM agencies") == 13);
        CHECK(f->n("SELECT count(*) FROM partnerships") == 14);
        CHECK(f->n("SELECT count(*) FROM partnership_conflicts") == 2);
    }
}

TEST_CASE("first_seen and last_seen follow the snapshots' as-of dates", "[ingest][ingester]") {
    fixture f;
    ingest_options later;
    later.as_of = "2021-06-01";
    f.ingest("ring-map.kml", later);
    ingest_options earlier;
    earlier.as_of = "2020-03-15";
    f.ingest("ring-map.kmz", earlier); // other bytes, same placemarks
    CHECK(f.q("SELECT DISTINCT first_seen || ' ' || last_seen FROM partnerships") ==
          "2020-03-15 2021-06-01");
    CHECK(f.n("SELECT count(*) FROM partnerships") == 6);
}

TEST_CASE("generic.csv reads its month, ISO and US dates and its end date", "[ingest][ingester]") {
    fixture f;
    const auto r = f.ingest("generic.csv");
    CHECK(r.profile == "generic-partnerships");
    CHECK(r.rows == 6);
    CHECK(r.agencies == 6);
    CHECK(r.partnerships == 6);
    CHECK(r.undated == 0);
    CHECK(r.conflicts == 0);
    CHECK(f.n("SELECT count(*) FROM partnerships WHERE start_precision = 'month'") == 2);
    CHECK(f.q("SELECT start_date FROM partnerships_view WHERE vendor = 'Axon'") == "2018-03-15");
    CHECK(f.q("SELECT end_date || ' ' || end_precision FROM partnerships_view "
              "WHERE end_date IS NOT NULL") == "2022-12-31 day");
    CHECK(f.n("SELECT count(*) FROM facts_without_evidence") == 0);
}

// The README counts a month-precision claim as agreeing with any day inside that month
// ("Tallis Grove `December 2019` agrees with 12/12/19").
TEST_CASE("a month claim agrees with a day inside that month", "[ingest][ingester]") {
    fixture f;
    f.ingest("same-table.csv");
    const auto r = f.ingest("generic.csv");
    CHECK(f.n("SELECT count(*) FROM agencies") == 12);
    CHECK(f.n("SELECT count(*) FROM partnerships") == 14);
    CHECK(r.conflicts == 1);
    CHECK(f.n("SELECT count(*) FROM partnership_conflicts") == 1);
    // the month claim is refined by the day inside it
    CHECK(start_of(f, "Tallis Grove Police Department", "Ring/Neighbors Partnership") ==
          "2019-12-12");
    CHECK(claims_of(f, "Tallis Grove Police Department", "Ring/Neighbors Partnership") ==
          "2019-12 month,2019-12-12 day");
    f.ingest("ring-map.kml");
    CHECK(f.n("SELECT count(*) FROM agencies") == 15);
    CHECK(f.n("SELECT count(*) FROM partnerships") == 17);
    CHECK(f.n("SELECT count(*) FROM partnership_conflicts") == 2);
}

TEST_CASE("rows with problems are kept and counted", "[ingest][ingester]") {
    fixture f;
    const auto file = f.dir / "mine.csv";
    std::ofstream(file) << "agency,city,county,state,vendor,technology,start,end,url\n"
                           "Alpha Police Department,Alpha,,Atlantis,Ring,Drones,2020-01-01,,\n"
                           ",Beta,,OH,Ring,Drones,2020-01-01,,\n"
                           "Gamma Police Department,Gamma,,OH,,Drones,2017-2019,,\n"
                           "Delta Police Department,Delta,,OH,Flock,,2020-01-01,,\n";
    const auto r = f.ingest_path(file);
    CHECK(r.rows == 4);
    CHECK(r.unresolved == 1);
    CHECK(r.warning_count == 4);
    std::vector<std::string> fields;
    for (const auto& w : r.warnings)
        fields.push_back(w.locator + " " + w.field);
    CHECK(fields == std::vector<std::string>{"row 1 state", "row 2 agency", "row 3 start",
                                             "row 4 technology"});
    CHECK(f.n("SELECT count(*) FROM records") == 4);
    CHECK(f.n("SELECT count(*) FROM agencies") == 3);
    CHECK(f.q("SELECT ifnull(state, 'NULL') FROM agencies WHERE name = 'Alpha Police Department'") ==
          "NULL");
    // a partnership with no vendor is kept with vendor NULL; the year range as its first year
    CHECK(f.q("SELECT ifnull(vendor_id, 'NULL') || ' ' || start_date || ' ' || start_precision "
              "FROM partnerships p JOIN agencies a ON a.id = p.agency_id "
              "WHERE a.name = 'Gamma Police Department'") == "NULL 2017 year");
    CHECK(f.n("SELECT count(*) FROM partnerships") == 2);
    CHECK(f.n("SELECT count(*) FROM facts_without_evidence") == 0);
}
