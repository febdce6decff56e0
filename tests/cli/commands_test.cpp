// End-to-end tests of the store commands and the CLI's conventions.
#include <catch2/catch.hpp>
#include <test_support.hpp>

#include <nlohmann/json.hpp>
#include <porchlight/store/schema.hpp>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace porchlight::test;

TEST_CASE("init creates a store and says so, and again it changes nothing", "[cli][init]") {
    TempDir dir;
    const auto db = dir / "sub dir" / "my store.db";
    auto r = run_porchlight({"--db", db.string(), "init"});
    CHECK(r.status == 0);
    CHECK(r.out.find("created store") != std::string::npos);
    CHECK(fs::exists(db));
    CHECK(fs::is_directory(dir / "sub dir" / "my store.blobs"));
    CHECK(query(db, "PRAGMA journal_mode") == "wal");
    const auto version = std::to_string(porchlight::store::latest_schema_version());
    CHECK(query(db, "PRAGMA user_version") == version);
    const auto before = store_fingerprint(db);
    r = run_porchlight({"--db", db.string(), "init"});
    CHECK(r.status == 0);
    CHECK(r.out.find("already exists (schema version " + version + "); nothing to do") !=
          std::string::npos);
    CHECK(store_fingerprint(db) == before);
}

TEST_CASE("the store path: --db, PORCHLIGHT_DB, else ./porchlight.db", "[cli][options]") {
    TempDir dir;
    auto r = run_porchlight({"init"}, dir.path());
    CHECK(r.status == 0);
    CHECK(fs::exists(dir / "porchlight.db"));
    r = run_porchlight({"init"}, dir.path(), {{"PORCHLIGHT_DB", (dir / "env.db").string()}});
    CHECK(r.status == 0);
    CHECK(fs::exists(dir / "env.db"));
    // --db after the command works too, and wins over the environment
    r = run_porchlight({"init", "--db", (dir / "after.db").string()}, dir.path(),
                       {{"PORCHLIGHT_DB", (dir / "env2.db").string()}});
    CHECK(r.status == 0);
    CHECK(fs::exists(dir / "after.db"));
    CHECK_FALSE(fs::exists(dir / "env2.db"));
}

TEST_CASE("reading commands on a missing store fail with a hint, and create nothing", "[cli][errors]") {
    TempDir dir;
    for (const auto* cmd : {"status", "sources", "agencies", "partnerships", "conflicts", "verify",
                            "warnings"}) {
        INFO(cmd);
        auto r = run_porchlight({"--db", (dir / "missing.db").string(), cmd});
        CHECK(r.status == 1);
        CHECK(r.err.find(std::string("porchlight ") + cmd + ": no porchlight store at") == 0);
        CHECK(r.err.find("porchlight init") != std::string::npos);
    }
    CHECK_FALSE(fs::exists(dir / "missing.db"));
}

TEST_CASE("a file that is not a porchlight store is refused", "[cli][errors]") {
    TempDir dir;
    std::ofstream(dir / "text.db") << "hello, I am not SQLite";
    auto r = run_porchlight({"--db", (dir / "text.db").string(), "status"});
    CHECK(r.status == 1);
    CHECK(r.err.find("porchlight status: ") == 0);
}

TEST_CASE("usage errors exit 2 with did-you-mean", "[cli][usage]") {
    auto r = run_porchlight({"ingets"});
    CHECK(r.status == 2);
    CHECK(r.err == "porchlight: unknown command 'ingets'; did you mean 'ingest'? (see `porchlight help`)\n");
    r = run_porchlight({"partnerships", "--as-off", "2020-01-01"});
    CHECK(r.status == 2);
    CHECK(r.err.find("did you mean '--as-of'?") != std::string::npos);
    r = run_porchlight({"ingest"});
    CHECK(r.status == 2);
    CHECK(r.err.find("no file given") != std::string::npos);
    r = run_porchlight({"help", "partnership"});
    CHECK(r.status == 2);
    CHECK(r.err.find("did you mean 'partnerships'?") != std::string::npos);
    r = run_porchlight({});
    CHECK(r.status == 2);
    CHECK(r.err.find("usage: porchlight") != std::string::npos);
    r = run_porchlight({"--bogus", "status"});
    CHECK(r.status == 2);
}

TEST_CASE("version and help: --version, --help and help list every command", "[cli][help]") {
    auto r = run_porchlight({"--version"});
    CHECK(r.status == 0);
    CHECK(r.out.rfind("porchlight ", 0) == 0);
    r = run_porchlight({"--help"});
    CHECK(r.status == 0);
    for (const auto* cmd : {"init", "status", "sources", "verify", "ingest", "agencies",
                            "partnerships", "conflicts", "warnings", "help"})
        CHECK(r.out.find(std::string("\n  ") + cmd + " ") != std::string::npos);
}

TEST_CASE("status, sources and listings in every format", "[cli][listings]") {
    TempDir dir;
    const auto db = (dir / "store.db").string();
    REQUIRE(run_porchlight({"--db", db, "ingest", data_file("records/same-table.csv").string(),
                            data_file("records/ring-map.kml").string()})
                .status == 0);

    auto s = run_porchlight({"--db", db, "status", "--format", "json"});
    REQUIRE(s.status == 0);
    auto j = nlohmann::json::parse(s.out);
    CHECK(j["schema_version"] == porchlight::store::latest_schema_version());
    CHECK(j["tables"]["sources"] == 2);
    CHECK(j["tables"]["agencies"] == 13);
    CHECK(j["tables"]["partnerships"] == 14);
    CHECK(j["tables"]["records"] == 18);
    CHECK(j["conflicts"] == 2);
    CHECK(j["facts_without_evidence"] == 0);

    auto t = run_porchlight({"--db", db, "status"});
    CHECK(t.out.find("schema version:   " +
                     std::to_string(porchlight::store::latest_schema_version())) !=
          std::string::npos);
    CHECK(t.out.find("conflicts:        2 (see `porchlight conflicts`)") != std::string::npos);

    auto src = run_porchlight({"--db", db, "sources", "--format", "json"});
    REQUIRE(src.status == 0);
    auto arr = nlohmann::json::parse(src.out);
    REQUIRE(arr.size() == 2);
    CHECK(arr[0]["sha256"] == "a2b0b76baa4f");
    CHECK(arr[0]["kind"] == "records");
    CHECK(arr[0]["format"] == "csv");
    CHECK(arr[0]["rows"] == 12);
    CHECK(arr[1]["format"] == "kml");
    CHECK(arr[1]["profile"] == "ring-agency-map");
    CHECK(arr[1]["rows"] == 6);
    CHECK(arr[0]["origin"].get<std::string>().find("same-table.csv") != std::string::npos);

    // CSV: one header row, then one line per row (quoted fields may not contain newlines here)
    auto csv = run_porchlight({"--db", db, "partnerships", "--format", "csv"});
    CHECK(count_lines(csv.out) == 15);
    CHECK(csv.out.rfind("id,agency,place,state,vendor,technology,start_date,", 0) == 0);
    // JSON: an array of objects with typed values
    auto js = run_porchlight({"--db", db, "partnerships", "--format", "json", "--state", "OH"});
    auto parts = nlohmann::json::parse(js.out);
    REQUIRE(parts.size() == 1);
    CHECK(parts[0]["evidence"] == 3);
    CHECK(parts[0]["start_date"] == "2019-07-15");
    CHECK(parts[0]["end_date"].is_null());
    // filters
    auto ring = run_porchlight({"--db", db, "partnerships", "--vendor", "Amazon Ring", "--format", "csv"});
    CHECK(count_lines(ring.out) == 1 + 8); // 5 Ring partnerships in the atlas rows, 3 more on the map
    auto alpr = run_porchlight({"--db", db, "partnerships", "--technology", "license plate", "--format", "csv"});
    CHECK(count_lines(alpr.out) == 1 + 3);
}

TEST_CASE("the table fits the terminal width given by COLUMNS", "[cli][listings]") {
    TempDir dir;
    const auto db = (dir / "store.db").string();
    REQUIRE(run_porchlight({"--db", db, "ingest", data_file("records/same-table.csv").string()}).status == 0);
    auto r = run_porchlight({"--db", db, "partnerships"}, {}, {{"COLUMNS", "80"}});
    REQUIRE(r.status == 0);
    std::size_t longest = 0, start = 0;
    while (start < r.out.size()) {
        auto end = r.out.find('\n', start);
        std::size_t width = 0;
        for (auto i = start; i < end; ++i)
            width += (static_cast<unsigned char>(r.out[i]) & 0xC0) != 0x80;
        longest = std::max(longest, width);
        start = end + 1;
    }
    CHECK(longest <= 80);
    CHECK(r.out.find("…") != std::string::npos);
}

TEST_CASE("output does not depend on the locale", "[cli][locale]") {
    TempDir dir;
    const auto db = (dir / "store.db").string();
    REQUIRE(run_porchlight({"--db", db, "ingest", data_file("records/same-table.csv").string()}).status == 0);
    for (const auto* fmt : {"table", "csv", "json"}) {
        auto c = run_porchlight({"--db", db, "partnerships", "--format", fmt}, {}, {{"LC_ALL", "C"}});
        auto de = run_porchlight({"--db", db, "partnerships", "--format", fmt}, {},
                                 {{"LC_ALL", "de_DE.UTF-8"}, {"LANG", "de_DE.UTF-8"}});
        CHECK(c.status == 0);
        CHECK(c.out == de.out);
    }
}

TEST_CASE("verify finds damaged and missing blobs and facts without evidence", "[cli][verify]") {
    TempDir dir;
    const auto db = dir / "store.db";
    REQUIRE(run_porchlight({"--db", db.string(), "ingest", data_file("records/same-table.csv").string(),
                            data_file("records/generic.csv").string()})
                .status == 0);
    auto ok = run_porchlight({"--db", db.string(), "verify"});
    CHECK(ok.status == 0);
    CHECK(ok.out == "ok: 2 blob(s) re-hashed and intact, every fact has evidence, database integrity ok\n");

    const auto sha = query(db, "SELECT sha256 FROM sources WHERE id = 1");
    const auto blob = dir / "store.blobs" / sha.substr(0, 2) / sha;
    REQUIRE(fs::exists(blob));
    fs::permissions(blob, fs::perms::owner_write, fs::perm_options::add);
    { std::ofstream(blob, std::ios::app) << "tampered"; }
    auto bad = run_porchlight({"--db", db.string(), "verify", "--format", "csv"});
    CHECK(bad.status == 1);
    CHECK(bad.out.find("damaged-blob,source 1 (same-table.csv)") != std::string::npos);
    CHECK(bad.err.find("1 problem(s)") != std::string::npos);

    const auto sha2 = query(db, "SELECT sha256 FROM sources WHERE id = 2");
    fs::remove(dir / "store.blobs" / sha2.substr(0, 2) / sha2);
    bad = run_porchlight({"--db", db.string(), "verify", "--format", "csv"});
    CHECK(bad.status == 1);
    CHECK(bad.out.find("missing-blob,source 2 (generic.csv)") != std::string::npos);
}

TEST_CASE("an SQLite file that is not a porchlight store is refused and left as it was",
          "[cli][errors]") {
    TempDir plain;
    const auto foreign = plain / "foreign.db";
    {
        auto r = run_porchlight({"--db", foreign.string(), "init"});
        REQUIRE(r.status == 0);
    }
    // tables but user_version 0 and a rollback journal: someone else's SQLite database
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open(foreign.c_str(), &h) == SQLITE_OK);
    REQUIRE(sqlite3_exec(h, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 0;", nullptr,
                         nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(h);
    const auto before = read_text(foreign);
    for (const auto* cmd : {"init", "status"}) {
        INFO(cmd);
        auto r = run_porchlight({"--db", foreign.string(), cmd});
        CHECK(r.status == 1);
        CHECK(r.err.find("not a porchlight store") != std::string::npos);
        CHECK(read_text(foreign) == before);
        CHECK_FALSE(fs::exists(plain / "foreign.db-wal"));
    }
    auto r = run_porchlight({"--db", foreign.string(), "ingest", data_file("records/generic.csv").string()});
    CHECK(r.status == 1);
    CHECK(read_text(foreign) == before);
}
