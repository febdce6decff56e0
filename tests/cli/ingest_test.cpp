// End-to-end tests of `porchlight ingest`: the built binary on fixture files.
#include <catch2/catch.hpp>
#include <test_support.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace porchlight::test;

namespace {

std::string db_arg(const TempDir& dir) { return (dir / "store.db").string(); }

/// Ingests the atlas fixture so a store exists, then returns its fingerprint.
std::string seeded_store(const TempDir& dir) {
    auto r = run_porchlight({"--db", db_arg(dir), "ingest", data_file("records/same-table.csv").string()});
    REQUIRE(r.status == 0);
    return store_fingerprint(dir / "store.db");
}

} // namespace

TEST_CASE("bad inputs: error naming file and row, exit 1, store unchanged", "[ingest][errors]") {
    struct bad_case {
        const char* file;
        const char* extra; // profile or ""
        const char* message;
        const char* where;
    };
    const bad_case cases[] = {
        {"records/truncated.csv", "", "file ends inside a quoted field", "truncated.csv:row 3)"},
        {"records/bad-utf8.csv", "", "invalid UTF-8 at byte offset 1041", "bad-utf8.csv:row 3)"},
        {"records/empty.csv", "", "file is empty", "empty.csv)"},
        {"records/binary.csv", "", "binary data (NUL byte at offset 0)", "binary.csv)"},
        {"records/header-only.csv", "", "no data rows", "header-only.csv)"},
        {"records/wrong-columns.csv", "atlas-of-surveillance",
         "columns required by profile 'atlas-of-surveillance' are missing: 'AOSNUMBER'",
         "wrong-columns.csv)"},
    };
    for (const auto& c : cases) {
        SECTION(c.file) {
            TempDir dir;
            const auto before = seeded_store(dir);
            std::vector<std::string> args = {"--db", db_arg(dir), "ingest",
                                             data_file(c.file).string()};
            if (*c.extra) {
                args.push_back("--profile");
                args.push_back(c.extra);
            }
            const auto r = run_porchlight(args);
            INFO("stderr: " << r.err);
            CHECK(r.status == 1);
            CHECK(r.out.empty());
            CHECK(r.err.rfind("porchlight ingest: ", 0) == 0);
            CHECK(r.err.find(c.message) != std::string::npos);
            CHECK(r.err.find(c.where) != std::string::npos);
            CHECK(store_fingerprint(dir / "store.db") == before);
        }
    }
}

TEST_CASE("no profile fits: the error lists the columns and the profiles", "[ingest][errors]") {
    TempDir dir;
    const auto before = seeded_store(dir);
    const auto r = run_porchlight({"--db", db_arg(dir), "ingest",
                                   data_file("records/wrong-columns.csv").string()});
    CHECK(r.status == 1);
    CHECK(r.err.find("no profile fits the columns of") != std::string::npos);
    CHECK(r.err.find("(name, color, size)") != std::string::npos);
    CHECK(r.err.find("agency-request-totals, atlas-of-surveillance, cameras, "
                     "generic-partnerships, osm-surveillance, request-log, ring-agency-map, "
                     "ring-rfa-posts") != std::string::npos);
    CHECK(store_fingerprint(dir / "store.db") == before);
}

TEST_CASE("a failing first ingest leaves no store behind", "[ingest][errors]") {
    TempDir dir;
    const auto r = run_porchlight({"--db", db_arg(dir), "ingest",
                                   data_file("records/truncated.csv").string()});
    CHECK(r.status == 1);
    CHECK_FALSE(fs::exists(dir / "store.db"));
    CHECK_FALSE(fs::exists(dir / "store.blobs"));
}

TEST_CASE("missing file, unknown extension, unknown profile", "[ingest][errors]") {
    TempDir dir;
    const auto before = seeded_store(dir);
    auto r = run_porchlight({"--db", db_arg(dir), "ingest", (dir / "nope.csv").string()});
    CHECK(r.status == 1);
    CHECK(r.err.find("no such file") != std::string::npos);
    // not a record file: read as a document, whose format its name promises but its bytes
    // do not have
    std::ofstream(dir / "notes.docx") << "x";
    r = run_porchlight({"--db", db_arg(dir), "ingest", (dir / "notes.docx").string()});
    CHECK(r.status == 1);
    CHECK(r.err.find("not a readable zip archive") != std::string::npos);
    CHECK(r.err.find("notes.docx)") != std::string::npos);
    // bytes of no format porchlight reads
    std::ofstream(dir / "blob.bin", std::ios::binary) << std::string("\0\1\2\3", 4);
    r = run_porchlight({"--db", db_arg(dir), "ingest", (dir / "blob.bin").string()});
    CHECK(r.status == 1);
    CHECK(r.err.find("not a document format porchlight reads") != std::string::npos);
    r = run_porchlight({"--db", db_arg(dir), "ingest", data_file("records/generic.csv").string(),
                        "--profile", "generic-partnership"});
    CHECK(r.status == 1);
    CHECK(r.err.find("did you mean 'generic-partnerships'?") != std::string::npos);
    CHECK(store_fingerprint(dir / "store.db") == before);
}

TEST_CASE("the same bytes again change nothing, and a dry run writes nothing", "[ingest]") {
    TempDir dir;
    const auto before = seeded_store(dir);
    // a copy under another name is the same bytes
    fs::copy_file(data_file("records/same-table.csv"), dir / "copy [2020] (1).csv");
    auto r = run_porchlight({"--db", db_arg(dir), "ingest", (dir / "copy [2020] (1).csv").string()});
    CHECK(r.status == 0);
    CHECK(r.out.find("already ingested (sha256 a2b0b76baa4f") != std::string::npos);
    CHECK(store_fingerprint(dir / "store.db") == before);

    r = run_porchlight({"--db", db_arg(dir), "ingest", "--dry-run",
                        data_file("records/generic.csv").string()});
    CHECK(r.status == 0);
    CHECK(r.out.find("dry run, nothing written") != std::string::npos);
    CHECK(r.out.find("rows 6, agencies 6 (2 new), partnerships 6 (3 new)") != std::string::npos);
    CHECK(store_fingerprint(dir / "store.db") == before);

    TempDir fresh;
    r = run_porchlight({"--db", db_arg(fresh), "ingest", "-n", data_file("records/generic.csv").string()});
    CHECK(r.status == 0);
    CHECK_FALSE(fs::exists(fresh / "store.db"));
}

TEST_CASE("the same table as CSV (LF, CRLF, BOM, all quoted), XLSX, ODS, GeoJSON and GeoPackage gives "
          "identical partnerships",
          "[ingest][formats]") {
    std::string reference;
    for (const auto* f : {"same-table.csv", "same-table-crlf.csv", "same-table-bom.csv",
                          "same-table-quoted.csv", "same-table.xlsx", "same-table.ods",
                          "same-table.geojson", "same-table.gpkg"}) {
        INFO(f);
        TempDir dir;
        auto r = run_porchlight({"--db", db_arg(dir), "ingest", data_file(std::string("records/") + f).string(),
                                 "--as-of", "2020-10-07"});
        REQUIRE(r.status == 0);
        CHECK(r.out.find("rows 12, agencies 10 (10 new), partnerships 11 (11 new), undated 1") !=
              std::string::npos);
        CHECK(r.out.find("profile atlas-of-surveillance: detected") != std::string::npos);
        auto p = run_porchlight({"--db", db_arg(dir), "partnerships", "--format", "csv"});
        REQUIRE(p.status == 0);
        auto a = run_porchlight({"--db", db_arg(dir), "agencies", "--format", "csv"});
        auto c = run_porchlight({"--db", db_arg(dir), "conflicts", "--format", "csv"});
        // conflicts name the source file; compare without that column's value
        auto conflicts = c.out;
        for (auto pos = conflicts.find(f); pos != std::string::npos; pos = conflicts.find(f))
            conflicts.replace(pos, std::string(f).size(), "SOURCE");
        // a GeoJSON feature is located as "feature N" where a table row is "row N"
        for (auto pos = conflicts.find("feature "); pos != std::string::npos;
             pos = conflicts.find("feature "))
            conflicts.replace(pos, 8, "row ");
        const auto all = p.out + a.out + conflicts;
        CHECK(count_lines(p.out) == 12);
        // the record keeps the embedded newline of row 3's summary in every format
        CHECK(query(dir / "store.db",
                    "SELECT count(*) FROM record_fields WHERE column_name = 'Summary' "
                    "AND value LIKE '%' || char(10) || '%'") == "1");
        if (reference.empty())
            reference = all;
        else
            CHECK(all == reference);
    }
}

TEST_CASE("KML and KMZ agency maps: address parsed, state spelled out, links kept", "[ingest][kml]") {
    for (const auto* f : {"records/ring-map.kml", "records/ring-map.kmz"}) {
        INFO(f);
        TempDir dir;
        auto r = run_porchlight({"--db", db_arg(dir), "ingest", data_file(f).string()});
        REQUIRE(r.status == 0);
        CHECK(r.out.find("profile ring-agency-map: detected") != std::string::npos);
        CHECK(r.out.find("rows 6, agencies 6 (6 new), partnerships 6 (6 new)") != std::string::npos);
        const auto db = dir / "store.db";
        // "Cedar Bluff, Texas" -> TX
        CHECK(query(db, "SELECT state FROM agencies WHERE place = 'Cedar Bluff'") == "TX");
        CHECK(query(db, "SELECT count(*) FROM records WHERE geometry LIKE 'POINT (%'") == "5");
        CHECK(query(db, "SELECT count(*) FROM evidence_links WHERE url LIKE 'http%'") == "6");
        CHECK(query(db, "SELECT DISTINCT v.name FROM partnerships p JOIN vendors v "
                        "ON v.id = p.vendor_id") == "Ring");
    }
}

TEST_CASE("a bad date in one row is a warning, not a lost file", "[ingest][warnings]") {
    TempDir dir;
    auto r = run_porchlight({"--db", db_arg(dir), "ingest", data_file("records/bad-date-row.csv").string()});
    CHECK(r.status == 0);
    CHECK(r.out.find("rows 5,") != std::string::npos);
    CHECK(r.out.find("undated 1") != std::string::npos);
    CHECK(r.out.find("warnings 1") != std::string::npos);
    CHECK(r.err.find("invalid date '31/31/31'") != std::string::npos);
    CHECK(r.err.find("bad-date-row.csv:row 4, start)") != std::string::npos);
    CHECK(query(dir / "store.db", "SELECT count(*) FROM partnerships") == "5");
    auto w = run_porchlight({"--db", db_arg(dir), "warnings", "--format", "json"});
    CHECK(w.status == 0);
    CHECK(w.out.find("\"locator\": \"row 4\"") != std::string::npos);
    // -q silences the warning on stderr
    TempDir quiet;
    r = run_porchlight({"--db", db_arg(quiet), "-q", "ingest", data_file("records/bad-date-row.csv").string()});
    CHECK(r.status == 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
}

TEST_CASE("a newer snapshot of the same dataset merges facts and keeps both claims", "[ingest]") {
    TempDir dir;
    const auto db = dir / "store.db";
    auto r = run_porchlight({"--db", db.string(), "ingest", data_file("records/same-table.csv").string(),
                             "--as-of", "2020-01-01"});
    REQUIRE(r.status == 0);
    // the CRLF copy is other bytes of the same dataset: a new source, nothing new in the model
    r = run_porchlight({"--db", db.string(), "ingest", data_file("records/same-table-crlf.csv").string(),
                        "--as-of", "2020-06-01"});
    REQUIRE(r.status == 0);
    CHECK(r.out.find("agencies 10 (0 new), partnerships 11 (0 new)") != std::string::npos);
    CHECK(query(db, "SELECT count(*) FROM sources WHERE dataset = 'atlas-of-surveillance'") == "2");
    CHECK(query(db, "SELECT count(*) FROM partnerships") == "11");
    CHECK(query(db, "SELECT count(*) FROM evidence WHERE fact_type = 'partnership'") == "24");
    CHECK(query(db, "SELECT first_seen || ' ' || last_seen FROM partnerships WHERE id = 1") ==
          "2020-01-01 2020-06-01");
    auto v = run_porchlight({"--db", db.string(), "verify"});
    CHECK(v.status == 0);
    CHECK(v.out.find("ok: 2 blob(s) re-hashed") != std::string::npos);
}

TEST_CASE("real Atlas of Surveillance export (2020-10-07)", "[ingest][real]") {
    auto file = real_file("atlas/Atlas of Surveillance-20201007.csv");
    if (!file)
        return;
    TempDir dir;
    const auto db = dir / "store.db";
    auto r = run_porchlight({"--db", db.string(), "ingest", file->string(), "--as-of", "2020-10-07"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("profile atlas-of-surveillance: detected") != std::string::npos);
    // 5,784 rows as published (CRLF, bare LF inside quoted fields, no final newline)
    CHECK(query(db, "SELECT row_count FROM sources") == "5784");
    CHECK(query(db, "SELECT count(*) FROM records") == "5784");
    CHECK(query(db, "SELECT count(*) FROM evidence WHERE fact_type = 'partnership'") == "5784");
    // the technologies of the export, with their row counts
    CHECK(query(db, "SELECT group_concat(name || '=' || n, '; ') FROM (SELECT t.name, count(*) n "
                    "FROM evidence e JOIN partnerships p ON p.id = e.fact_id JOIN technologies t "
                    "ON t.id = p.technology_id WHERE e.fact_type = 'partnership' "
                    "GROUP BY t.name ORDER BY n DESC, t.name)") ==
          "Ring/Neighbors Partnership=1501; Body-worn Cameras=1378; Drones=1079; "
          "Automated License Plate Readers=585; Camera Registry=398; Face Recognition=369; "
          "Predictive Policing=146; Gunshot Detection=99; Fusion Center=79; "
          "Cell-site Simulator=67; Real-Time Crime Center=58; Video Analytics/Computer Vision=25");
    // agencies and partnerships. Ring: 1,501 rows name 1,498 distinct (agency, city, state)
    // -- three agencies appear twice -- which an independent count of the file confirms.
    CHECK(query(db, "SELECT count(*) FROM agencies") == "4003"); // Miami-Dade PD (County) is one agency
    CHECK(query(db, "SELECT count(*) FROM partnerships") == "5765");
    CHECK(query(db, "SELECT count(*) FROM partnerships p JOIN technologies t ON t.id = "
                    "p.technology_id WHERE t.name = 'Ring/Neighbors Partnership'") == "1498");
    CHECK(query(db, "SELECT count(*) FROM partnership_conflicts") == "11");
    CHECK(query(db, "SELECT count(*) FROM partnerships WHERE start_date IS NULL") == "966");
    // every Ring partnership is with Ring: one row names a police department as the vendor,
    // which is reported and replaced by the technology's vendor
    CHECK(query(db, "SELECT count(*) FROM partnerships p JOIN technologies t ON t.id = "
                    "p.technology_id JOIN vendors v ON v.id = p.vendor_id "
                    "WHERE t.name = 'Ring/Neighbors Partnership' AND v.name = 'Ring'") ==
          query(db, "SELECT count(*) FROM partnerships p JOIN technologies t ON t.id = "
                    "p.technology_id WHERE t.name = 'Ring/Neighbors Partnership'") );
    // dates: m/d/yy read as days; the Ring partnerships started 2018 or later
    CHECK(query(db, "SELECT min(start_date) FROM partnerships p JOIN technologies t ON t.id = "
                    "p.technology_id WHERE t.name = 'Ring/Neighbors Partnership'") >= "2018");
    CHECK(query(db, "SELECT count(*) FROM partnerships WHERE start_precision IS NULL "
                    "AND start_date IS NOT NULL") == "0");
    // the rows EFF left undated, and the year ranges / serial day read with a warning
    CHECK(r.out.find("undated 969") != std::string::npos);
    CHECK(r.err.find("read the spreadsheet serial day number 43146 as 2018-02-15") != std::string::npos);
    CHECK(r.err.find("unknown state 'NA'") != std::string::npos);
    CHECK(r.err.find("vendor 'Village of Chatham Police Department' names a police or "
                     "public-safety agency, not a vendor; used 'Ring' instead (") != std::string::npos);
    // "WI " and "FL " with a trailing space are still Wisconsin and Florida
    CHECK(query(db, "SELECT count(*) FROM agencies WHERE state IS NULL") == "1");
    // agencies repeated with different dates are one partnership with conflicting claims
    CHECK(query(db, "SELECT count(*) FROM partnership_conflicts") != "0");
    auto v = run_porchlight({"--db", db.string(), "verify"});
    CHECK(v.status == 0);
}
