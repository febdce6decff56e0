#include <catch2/catch.hpp>

#include <porchlight/error.hpp>
#include <porchlight/store/database.hpp>
#include <porchlight/store/schema.hpp>
#include <porchlight/store/store.hpp>
#include <porchlight/util/sha256.hpp>

#include "test_support.hpp"


#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using porchlight::store::BlobStore;
using porchlight::store::Database;
using porchlight::store::Statement;
using porchlight::store::Store;
using porchlight::store::Transaction;
using porchlight::test::query;
using porchlight::test::store_fingerprint;
using porchlight::test::exec_sql;
using porchlight::test::TempDir;

namespace {

void write_file(const fs::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary);
    out << bytes;
}

} // namespace

TEST_CASE("the embedded migrations start at version 1 and rise", "[store][schema]") {
    const auto& all = porchlight::store::migrations();
    REQUIRE_FALSE(all.empty());
    CHECK(all.front().version == 1);
    for (std::size_t i = 1; i < all.size(); ++i)
        CHECK(all[i].version > all[i - 1].version);
    CHECK(porchlight::store::latest_schema_version() == all.back().version);
    CHECK(all.front().sql.find("CREATE TABLE sources") != std::string_view::npos);
}

TEST_CASE("Store::create makes the database and the blob directory", "[store]") {
    TempDir dir;
    const auto db = dir / "sub" / "porchlight.db";
    bool created = false;
    {
        auto s = Store::create(db, &created);
        CHECK(created);
        CHECK(s.schema_version() == porchlight::store::latest_schema_version());
        CHECK(s.path() == db);
        CHECK(s.blobs().dir() == dir / "sub" / "porchlight.blobs");
    }
    CHECK(fs::is_regular_file(db));
    CHECK(fs::is_directory(dir / "sub" / "porchlight.blobs"));
    CHECK(query(db, "PRAGMA user_version") ==
          std::to_string(porchlight::store::latest_schema_version()));
    CHECK(Store::blob_dir_for("/x/y/store.db") == fs::path("/x/y/store.blobs"));
}

TEST_CASE("Store::create on an existing store changes nothing", "[store]") {
    TempDir dir;
    const auto db = dir / "p.db";
    { auto s = Store::create(db); }
    exec_sql(db, "INSERT INTO meta (key, value) VALUES ('probe', 'kept')");
    const auto before = store_fingerprint(db);
    bool created = true;
    {
        auto s = Store::create(db, &created);
        CHECK(s.schema_version() == porchlight::store::latest_schema_version());
    }
    CHECK_FALSE(created);
    CHECK(store_fingerprint(db) == before);
    CHECK(query(db, "SELECT value FROM meta WHERE key = 'probe'") == "kept");
}

TEST_CASE("Store::open refuses what is not a porchlight store", "[store]") {
    TempDir dir;
    SECTION("a missing file") {
        CHECK_THROWS_AS(Store::open(dir / "missing.db", true), porchlight::not_found_error);
        CHECK_THROWS_AS(Store::open(dir / "missing.db", false), porchlight::not_found_error);
        // and it is not created as a side effect
        CHECK_FALSE(fs::exists(dir / "missing.db"));
    }
    SECTION("another application's SQLite file") {
        const auto other = dir / "other.db";
        exec_sql(other, "CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');");
        const auto before = store_fingerprint(other);
        CHECK_THROWS_AS(Store::open(other, true), porchlight::error);
        CHECK_THROWS_AS(Store::open(other, false), porchlight::error);
        CHECK_THROWS_AS(Store::create(other), porchlight::error);
        // none of them migrated it into a store
        CHECK(store_fingerprint(other) == before);
        CHECK(query(other, "SELECT count(*) FROM sqlite_master WHERE name = 'sources'") == "0");
    }
}

TEST_CASE("Store::open refuses a store newer than this build", "[store]") {
    TempDir dir;
    const auto db = dir / "p.db";
    { auto s = Store::create(db); }
    const int newer = porchlight::store::latest_schema_version() + 1;
    exec_sql(db, "PRAGMA user_version = " + std::to_string(newer));
    CHECK_THROWS_AS(Store::open(db, true), porchlight::error);
    CHECK_THROWS_AS(Store::create(db), porchlight::error);
    CHECK(query(db, "PRAGMA user_version") == std::to_string(newer));
}

// Store::open(read-only) only checks for an *older* schema; a newer one is opened and
// read as if it were this build's.
TEST_CASE("Store::open read-only refuses a store newer than this build", "[store]") {
    TempDir dir;
    const auto db = dir / "p.db";
    { auto s = Store::create(db); }
    exec_sql(db, "PRAGMA user_version = " +
                     std::to_string(porchlight::store::latest_schema_version() + 1));
    CHECK_THROWS_AS(Store::open(db, false), porchlight::error);
}

TEST_CASE("an opened store uses WAL and enforces foreign keys", "[store]") {
    TempDir dir;
    const auto db = dir / "p.db";
    { auto s = Store::create(db); }
    for (bool writable : {true, false}) {
        INFO("writable " << writable);
        auto s = Store::open(db, writable);
        CHECK(s.db().scalar_text("PRAGMA journal_mode") == std::optional<std::string>("wal"));
        CHECK(s.db().scalar_int("PRAGMA foreign_keys") == 1);
        CHECK(s.schema_version() == porchlight::store::latest_schema_version());
    }
    // and a foreign key violation fails the commit (the keys are deferred)
    auto s = Store::open(db, true);
    {
        Transaction tx(s.db());
        s.db().exec("INSERT INTO aliases (agency_id, alias, norm) VALUES (999, 'x', 'x')");
        CHECK_THROWS_AS(tx.commit(), porchlight::db_error);
    }
    CHECK(s.db().scalar_int("SELECT count(*) FROM aliases") == 0);
}

TEST_CASE("a read-only store cannot be written", "[store]") {
    TempDir dir;
    const auto db = dir / "p.db";
    { auto s = Store::create(db); }
    auto s = Store::open(db, false);
    CHECK_THROWS_AS(s.db().exec("INSERT INTO meta (key, value) VALUES ('a', 'b')"),
                    porchlight::db_error);
}

TEST_CASE("Transaction rolls back unless committed", "[store]") {
    TempDir dir;
    auto s = Store::create(dir / "p.db");
    auto& db = s.db();
    {
        Transaction tx(db);
        db.exec("INSERT INTO meta (key, value) VALUES ('dropped', '1')");
        CHECK(db.scalar_int("SELECT count(*) FROM meta WHERE key = 'dropped'") == 1);
    }
    CHECK(db.scalar_int("SELECT count(*) FROM meta WHERE key = 'dropped'") == 0);
    {
        Transaction tx(db);
        db.exec("INSERT INTO meta (key, value) VALUES ('kept', '1')");
        tx.commit();
    }
    CHECK(db.scalar_int("SELECT count(*) FROM meta WHERE key = 'kept'") == 1);
    // an exception unwinding through the transaction rolls it back too
    try {
        Transaction tx(db);
        db.exec("INSERT INTO meta (key, value) VALUES ('thrown', '1')");
        throw std::runtime_error("boom");
    } catch (const std::runtime_error&) {
    }
    CHECK(db.scalar_int("SELECT count(*) FROM meta WHERE key = 'thrown'") == 0);
    // the connection is usable for a new transaction afterwards
    Transaction again(db);
    again.commit();
}

TEST_CASE("Statement binds and reads values", "[store]") {
    TempDir dir;
    Database db(dir / "x.db", Database::mode::read_write_create);
    db.exec("CREATE TABLE t (i INTEGER, r REAL, s TEXT, n TEXT)");
    Statement ins(db, "INSERT INTO t VALUES (?1, ?2, ?3, ?4)");
    ins.bind(1, std::int64_t{1} << 40).bind(2, 2.5).bind(3, std::string("caf\xC3\xA9"));
    ins.bind(4, std::optional<std::string>{}).exec();
    CHECK(db.changes() == 1);
    CHECK(db.last_insert_id() == 1);
    Statement sel(db, "SELECT i, r, s, n FROM t");
    REQUIRE(sel.step());
    CHECK(sel.column_count() == 4);
    CHECK(sel.column_name(2) == "s");
    CHECK(sel.get_int(0) == (std::int64_t{1} << 40));
    CHECK(sel.get_double(1) == 2.5);
    CHECK(sel.get_text(2) == "caf\xC3\xA9");
    CHECK(sel.column_type(0) == Statement::type::integer);
    CHECK(sel.column_type(1) == Statement::type::real);
    CHECK(sel.column_type(2) == Statement::type::text);
    CHECK(sel.is_null(3));
    CHECK_FALSE(sel.get_optional_text(3).has_value());
    CHECK_FALSE(sel.get_optional_int(3).has_value());
    CHECK_FALSE(sel.step());
    CHECK_THROWS_AS(Statement(db, "SELECT * FROM no_such_table"), porchlight::db_error);
    CHECK_THROWS_AS(db.exec("NOT SQL"), porchlight::db_error);
    CHECK(db.scalar_int("SELECT 42") == 42);
    CHECK(db.scalar_int("SELECT 1 WHERE 0") == 0);
    CHECK_FALSE(db.scalar_text("SELECT 'a' WHERE 0").has_value());
}

TEST_CASE("BlobStore keeps a file under <dir>/<sha[0:2]>/<sha>", "[store][blobs]") {
    TempDir dir;
    const auto src = dir / "input.csv";
    write_file(src, "a,b\n1,2\n");
    const auto sha = porchlight::util::sha256_file(src);
    BlobStore blobs(dir / "blobs");
    CHECK(blobs.path_of(sha) == dir / "blobs" / sha.substr(0, 2) / sha);
    CHECK_FALSE(blobs.contains(sha));

    blobs.put_file(src, sha);
    CHECK(blobs.contains(sha));
    const auto stored = blobs.path_of(sha);
    REQUIRE(fs::is_regular_file(stored));
    CHECK(porchlight::test::read_text(stored) == "a,b\n1,2\n");
    // stored read-only: the bytes are the evidence
    CHECK((fs::status(stored).permissions() & fs::perms::owner_write) == fs::perms::none);
    // nothing else left behind (no temporary file)
    std::size_t files = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir / "blobs"))
        files += e.is_regular_file();
    CHECK(files == 1);

    // putting the same blob again is a no-op
    blobs.put_file(src, sha);
    CHECK(blobs.contains(sha));

    const std::string other(64, 'a');
    CHECK_FALSE(blobs.contains(other));
    CHECK(blobs.path_of(other) == dir / "blobs" / "aa" / other);
    CHECK_THROWS_AS(blobs.put_file(dir / "no-such-file", other), porchlight::error);
    CHECK_FALSE(blobs.contains(other));
}

TEST_CASE("the schema holds every table and view of the data model", "[store][schema]") {
    TempDir dir;
    const auto db = dir / "p.db";
    { auto s = Store::create(db); }
    for (const char* table : {"sources", "documents", "pages", "pages_fts", "email_messages",
                              "records", "agencies", "aliases", "vendors", "technologies",
                              "partnerships", "evidence", "video_requests", "request_totals",
                              "cameras", "source_observations", "ingest_warnings",
                              "vendor_aliases", "source_link_columns", "meta"}) {
        INFO("table " << table);
        CHECK(query(db, std::string("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                    "AND name = '") + table + "'") == "1");
    }
    for (const char* view : {"partnership_conflicts", "partnerships_view",
                             "facts_without_evidence", "record_fields", "evidence_links",
                             "partnership_claims"}) {
        INFO("view " << view);
        CHECK(query(db, std::string("SELECT count(*) FROM sqlite_master WHERE type = 'view' "
                                    "AND name = '") + view + "'") == "1");
        // and it can be queried
        CHECK(query(db, std::string("SELECT count(*) FROM ") + view) == "0");
    }
}

TEST_CASE("pages_fts follows the pages table", "[store][schema]") {
    TempDir dir;
    auto s = Store::create(dir / "p.db");
    auto& db = s.db();
    Transaction tx(db);
    db.exec("INSERT INTO sources (id, sha256, size, kind, format, file_name, origin, ingested_at, "
            "porchlight_version) VALUES (1, 'x', 1, 'documents', 'pdf', 'a.pdf', '/a.pdf', "
            "'2020-01-01T00:00:00Z', '0')");
    db.exec("INSERT INTO documents (id, source_id, path, kind) VALUES (1, 1, '', 'pdf')");
    db.exec("INSERT INTO pages (id, document_id, page_no, text) VALUES "
            "(1, 1, 1, 'the doorbell camera portal'), (2, 1, 2, 'an unrelated page')");
    tx.commit();
    CHECK(db.scalar_int("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'doorbell'") == 1);
    db.exec("UPDATE pages SET text = 'nothing here' WHERE id = 1");
    CHECK(db.scalar_int("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'doorbell'") == 0);
    db.exec("DELETE FROM pages WHERE id = 2");
    CHECK(db.scalar_int("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'unrelated'") == 0);
}

TEST_CASE("table_counts lists the data tables", "[store]") {
    TempDir dir;
    auto s = Store::create(dir / "p.db");
    s.db().exec("INSERT INTO vendors (name, norm) VALUES ('Ring', 'ring')");
    const auto counts = s.table_counts();
    bool saw_vendors = false, saw_sources = false;
    for (const auto& c : counts) {
        CHECK(c.table.rfind("pages_fts", 0) != 0);
        CHECK(c.table != "meta");
        if (c.table == "vendors") {
            saw_vendors = true;
            CHECK(c.rows == 1);
        }
        if (c.table == "sources") {
            saw_sources = true;
            CHECK(c.rows == 0);
        }
    }
    CHECK(saw_vendors);
    CHECK(saw_sources);
}
