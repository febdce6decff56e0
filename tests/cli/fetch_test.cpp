// End-to-end tests of `porchlight ingest URL` and `porchlight fetch`: the built binary
// against a local HTTP server on loopback (tests/support/http_server.hpp).
#include <catch2/catch.hpp>
#include <http_server.hpp>
#include <test_support.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace porchlight::test;

namespace {

run_result pl(const TempDir& dir, std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", (dir / "store.db").string()});
    return run_porchlight(args);
}

std::string generic_csv() { return read_text(data_file("records/generic.csv")); }

} // namespace

TEST_CASE("ingest URL keeps the bytes with the URL, final URL, status and validators",
          "[fetch]") {
    HttpServer server;
    server.on("/lists/partners.csv",
              http_response{302, "", {{"Location", server.base_url() + "/v2/partners.csv"}}});
    server.on("/v2/partners.csv",
              http_response{200, generic_csv(),
                            {{"ETag", "\"v1\""},
                             {"Last-Modified", "Tue, 01 Jun 2021 10:00:00 GMT"},
                             {"Content-Type", "text/csv; charset=utf-8"}}});
    TempDir dir;
    const auto url = server.base_url() + "/lists/partners.csv";
    const auto r = pl(dir, {"ingest", url, "--as-of", "2021-06-02"});
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.find(url + ": ingested as source 1") != std::string::npos);
    const auto db = dir / "store.db";
    CHECK(query(db, "SELECT origin || '|' || final_url || '|' || http_status || '|' || etag || "
                    "'|' || last_modified || '|' || content_type || '|' || file_name || '|' || "
                    "kind FROM sources") ==
          url + "|" + server.base_url() +
              "/v2/partners.csv|200|\"v1\"|Tue, 01 Jun 2021 10:00:00 GMT|text/csv; "
              "charset=utf-8|partners.csv|records");
    // the blob is the bytes served
    const auto sha = query(db, "SELECT sha256 FROM sources");
    CHECK(read_text(dir / "store.blobs" / sha.substr(0, 2) / sha) == generic_csv());
    CHECK(pl(dir, {"verify"}).status == 0);
}

TEST_CASE("a conditional re-fetch: not modified is an observation, not a new source",
          "[fetch]") {
    HttpServer server;
    server.on("/partners.csv",
              std::vector<http_response>{
                  http_response{200, generic_csv(), {{"ETag", "\"v1\""}}},
                  http_response{304, "", {{"ETag", "\"v1\""}}},
              });
    TempDir dir;
    const auto url = server.base_url() + "/partners.csv";
    REQUIRE(pl(dir, {"ingest", url, "--as-of", "2021-06-02"}).status == 0);
    const auto db = dir / "store.db";
    const auto last_seen_before = query(db, "SELECT max(last_seen) FROM partnerships");
    const auto r = pl(dir, {"ingest", url});
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("not modified (HTTP 304) since source 1") != std::string::npos);
    const auto reqs = server.requests();
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[1].header("if-none-match") == "\"v1\"");
    CHECK(query(db, "SELECT count(*) FROM sources") == "1");
    CHECK(query(db, "SELECT source_id || '|' || how FROM source_observations") == "1|http-304");
    // the list still said so today: last seen moves on
    CHECK(query(db, "SELECT max(last_seen) FROM partnerships") >= last_seen_before);
    CHECK(query(db, "SELECT max(last_seen) FROM partnerships") ==
          query(db, "SELECT substr(observed_at, 1, 10) FROM source_observations"));
}

TEST_CASE("the same bytes again without validators: an observation, changed bytes: a new source",
          "[fetch]") {
    HttpServer server;
    auto changed = generic_csv();
    changed += "Lakeview Police Department,Lakeview,,OR,DJI,Drones,2020-02-02,,\n";
    server.on("/p.csv", std::vector<http_response>{http_response{200, generic_csv()},
                                                   http_response{200, generic_csv()},
                                                   http_response{200, changed}});
    TempDir dir;
    const auto url = server.base_url() + "/p.csv";
    REQUIRE(pl(dir, {"ingest", url}).status == 0);
    const auto same = pl(dir, {"ingest", url});
    CHECK(same.status == 0);
    CHECK(same.out.find("the same bytes as before (HTTP 200) since source 1") != std::string::npos);
    const auto db = dir / "store.db";
    CHECK(query(db, "SELECT how FROM source_observations") == "http-200-same-bytes");
    const auto next = pl(dir, {"ingest", url});
    INFO(next.out << next.err);
    CHECK(next.status == 0);
    CHECK(next.out.find("ingested as source 2") != std::string::npos);
    CHECK(query(db, "SELECT count(*) FROM sources WHERE origin = '" + url + "'") == "2");
}

TEST_CASE("fetch failures: an error naming the URL, exit 1, store unchanged", "[fetch]") {
    HttpServer server;
    server.on("/missing.csv", http_response{404, "no such list"});
    server.on("/broken.csv", http_response{500, "oops"});
    TempDir dir;
    REQUIRE(pl(dir, {"ingest", data_file("records/generic.csv").string()}).status == 0);
    const auto before = store_fingerprint(dir / "store.db");
    const auto missing = pl(dir, {"ingest", server.base_url() + "/missing.csv"});
    CHECK(missing.status == 1);
    CHECK(missing.err.find("404") != std::string::npos);
    CHECK(missing.err.find("/missing.csv") != std::string::npos);
    const auto broken = pl(dir, {"fetch", server.base_url() + "/broken.csv", "--retries", "1"});
    CHECK(broken.status == 1);
    CHECK(broken.err.find("500") != std::string::npos);
    CHECK(store_fingerprint(dir / "store.db") == before);
    // nothing is fetched from a scheme other than http(s)
    CHECK(pl(dir, {"fetch", "file:///etc/passwd"}).status != 0);
    CHECK(store_fingerprint(dir / "store.db") == before);
}

TEST_CASE("fetch NAME from a registry, fetch -o, fetch --no-ingest", "[fetch]") {
    HttpServer server;
    server.on("/partners.csv", http_response{200, generic_csv(), {{"ETag", "\"a\""}}});
    TempDir dir;
    const auto registry = dir / "sources.yaml";
    std::ofstream(registry) << "sources:\n"
                               "  - name: harbor-list\n"
                               "    title: Harbor City partner list (test)\n"
                               "    url: "
                            << server.base_url() << "/partners.csv\n"
                               "    profile: generic-partnerships\n"
                               "    licence: test\n";
    const auto list = pl(dir, {"fetch", "--list", "--registry", registry.string(), "--format", "csv"});
    REQUIRE(list.status == 0);
    CHECK(list.out.find("harbor-list,Harbor City partner list (test),") != std::string::npos);

    const auto r = pl(dir, {"fetch", "harbor-list", "--registry", registry.string(), "-o",
                            (dir / "copy.csv").string()});
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    const auto db = dir / "store.db";
    CHECK(query(db, "SELECT title || '|' || profile FROM sources") ==
          "Harbor City partner list (test)|generic-partnerships");
    CHECK(read_text(dir / "copy.csv") == generic_csv());

    const auto only = pl(dir, {"fetch", server.base_url() + "/partners.csv", "--no-ingest", "-o",
                               (dir / "only.csv").string()});
    CHECK(only.status == 0);
    CHECK(read_text(dir / "only.csv") == generic_csv());
    CHECK(query(db, "SELECT count(*) FROM sources") == "1");

    CHECK(pl(dir, {"fetch", "harbour-list", "--registry", registry.string()}).status == 1);
    CHECK(pl(dir, {"fetch", "x", "--no-ingest"}).status == 2);
}

TEST_CASE("a FOIA release fetched from a URL is ingested as documents with its provenance",
          "[fetch]") {
    HttpServer server;
    server.on("/releases/announcement.eml",
              http_response{200, read_text(data_file("documents/release/announcement.eml")),
                            {{"Content-Type", "message/rfc822"}}});
    TempDir dir;
    const auto url = server.base_url() + "/releases/announcement.eml";
    const auto r = pl(dir, {"ingest", url, "--agency", "Harbor City Police Department"});
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    const auto db = dir / "store.db";
    CHECK(query(db, "SELECT kind || '|' || origin || '|' || http_status || '|' || "
                    "responding_agency FROM sources") ==
          "documents|" + url + "|200|Harbor City Police Department");
    CHECK(query(db, "SELECT count(*) FROM email_messages") == "1");
}
