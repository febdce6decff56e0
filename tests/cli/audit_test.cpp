// End-to-end tests of the privacy audit: `codebook test`, `audit`, `findings` (and review),
// `report audit`, on written fixtures (tests/data/audit/) and on the real Denver release
// (../shared/data/real/foia/denver, skipped when absent).
#include "report_support.hpp"

#include <chrono>
#include <set>

using namespace porchlight::test;
using namespace porchlight::test::report;

namespace {

/// A store with the fixture agencies and the fixture release (no --agency: the agency of a
/// finding comes from the text).
struct audit_store {
    TempDir dir;
    std::string db = (dir / "audit.db").string();

    audit_store() {
        for (const auto& what : {std::string("agencies.csv"), std::string("release")})
            ingest_quietly(db, {data_file("audit/" + what).string()});
    }
    run_result run(std::vector<std::string> args) const { return run_on(db, std::move(args)); }
    json findings(std::vector<std::string> args = {}) const {
        args.insert(args.begin(), "findings");
        args.insert(args.end(), {"--format", "json"});
        const auto r = run(args);
        INFO(r.err);
        REQUIRE(r.status == 0);
        return json::parse(r.out);
    }
};

std::set<std::string> rules_in(const json& findings, const std::string& document_suffix) {
    std::set<std::string> out;
    for (const auto& f : findings) {
        const auto doc = f["document"].get<std::string>();
        if (doc.size() >= document_suffix.size() &&
            doc.compare(doc.size() - document_suffix.size(), document_suffix.size(),
                        document_suffix) == 0)
            out.insert(f["rule"].get<std::string>());
    }
    return out;
}

/// Writes a document into the folder `folder` of dir (made when missing); returns the folder.
fs::path write_document(const TempDir& dir, const std::string& folder, const std::string& name,
                        const std::string& bytes) {
    const auto path = dir / folder;
    fs::create_directories(path);
    write_file(path / name, bytes);
    return path;
}

} // namespace

TEST_CASE("codebook test passes on the default codebook and names a failing example",
          "[audit]") {
    const auto ok = run_porchlight({"codebook", "test"});
    INFO(ok.err);
    CHECK(ok.status == 0);
    CHECK(ok.out.find("codebook default") != std::string::npos);
    CHECK(ok.out.find(" 0 failed") != std::string::npos);

    const auto file = data_file("audit/broken-examples.yaml").string();
    const auto bad = run_porchlight({"codebook", "test", file});
    CHECK(bad.status == 1);
    CHECK(bad.err.find(file + ":3: rule secrecy: example should match but does not: \"Keep it "
                              "quiet.\"") != std::string::npos);
    CHECK(bad.err.find("no_match example matches") == std::string::npos);
    CHECK(bad.out.find("2 failed") == std::string::npos);
    CHECK(bad.out.find("1 failed") != std::string::npos);

    const auto show = run_porchlight({"codebook", "show", "--format", "json"});
    REQUIRE(show.status == 0);
    std::set<std::string> ids;
    for (const auto& r : json::parse(show.out))
        ids.insert(r["rule"].get<std::string>());
    for (const char* id : {"confidentiality", "vendor-approval", "incentives", "engagement-scripts",
                           "video-request-process", "heat-maps", "data-retention-sharing",
                           "other-vendors"})
        CHECK(ids.count(id));
    CHECK(run_porchlight({"codebook", "frobnicate"}).status == 2);
    CHECK(run_porchlight({"codebook", "test", "/nonexistent.yaml"}).status == 1);
}

TEST_CASE("audit finds the known clauses with citations and ignores the near-misses",
          "[audit]") {
    audit_store s;
    const auto r = s.run({"audit"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.err.find("run 1,") != std::string::npos);
    const auto all = s.findings();
    CHECK(rules_in(all, "partnership-terms.eml") ==
          std::set<std::string>{"confidentiality", "vendor-approval", "incentives",
                                "engagement-scripts", "video-request-process", "heat-maps"});
    CHECK(rules_in(all, "video-request.eml") == std::set<std::string>{"video-request-process"});
    CHECK(rules_in(all, "near-misses.txt").empty());
    for (const auto& f : all) {
        CHECK(f["page"] == 1);
        CHECK(f["source"] == 2);
        CHECK(f["excerpt"].get<std::string>().find("«") != std::string::npos);
    }
    // agency from the text, date from the e-mail, the e-mail cited
    const auto secrecy = s.findings({"--rule", "confidentiality"});
    REQUIRE(secrecy.size() >= 1);
    CHECK(secrecy[0]["agency"] == "Harbor City Police Department");
    CHECK(secrecy[0]["date"] == "2020-01-14T18:15:00Z");
    CHECK(secrecy[0]["email"].is_number_integer());
    CHECK(secrecy[0]["excerpt"].get<std::string>().find("«should not be shared with the public»") !=
          std::string::npos);
    const auto lakeview = s.findings({"--agency", "lakeview"});
    CHECK(rules_in(lakeview, "video-request.eml") == std::set<std::string>{"video-request-process"});
    CHECK(rules_in(lakeview, "partnership-terms.eml").empty());
    CHECK(s.findings({"--since", "2020-02-01"}).size() == lakeview.size());
    CHECK(query(s.db, "SELECT count(*) FROM facts_without_evidence") == "0");
}

TEST_CASE("audit again with the same codebook changes nothing", "[audit]") {
    audit_store s;
    REQUIRE(s.run({"audit"}).status == 0);
    const auto before = store_fingerprint(s.db);
    const auto again = s.run({"audit"});
    REQUIRE(again.status == 0);
    CHECK(again.err.find("nothing changed") != std::string::npos);
    CHECK(store_fingerprint(s.db) == before);
    CHECK(query(s.db, "SELECT count(*) FROM audit_runs") == "1");
}

TEST_CASE("a changed codebook replaces its findings, keeps history and the reviews",
          "[audit]") {
    audit_store s;
    const auto v1 = data_file("audit/small-v1.yaml").string();
    REQUIRE(s.run({"audit", "--codebook", v1}).status == 0);
    auto first = s.findings({"--rule", "secrecy"});
    REQUIRE(first.size() == 1);
    const auto id = first[0]["id"].get<std::int64_t>();
    const auto review = s.run({"findings", "review", std::to_string(id), "--accept", "--note",
                               "vendor asks for secrecy"});
    INFO(review.err);
    REQUIRE(review.status == 0);
    const auto v2 = s.run({"audit", "--codebook", data_file("audit/small-v2.yaml").string()});
    INFO(v2.err);
    REQUIRE(v2.status == 0);
    CHECK(v2.err.find("the codebook changed") != std::string::npos);
    const auto now = s.findings({"--rule", "secrecy"});
    REQUIRE(now.size() == 2); // one more phrase: "recommend"
    bool reviewed = false;
    for (const auto& f : now) {
        CHECK(f["id"] != id); // a new row for the new version ...
        if (f["key"] == first[0]["key"]) {
            reviewed = true; // ... with the review of the same finding
            CHECK(f["review"] == "accepted");
            CHECK(f["review_note"] == "vendor asks for secrecy");
        }
    }
    CHECK(reviewed);
    CHECK(query(s.db, "SELECT count(*) FROM codebooks WHERE name = 'small'") == "2");
    CHECK(query(s.db, "SELECT count(*) FROM audit_runs") == "2");
    CHECK(query(s.db, "SELECT count(*) FROM findings WHERE removed_run_id IS NOT NULL") ==
          query(s.db, "SELECT count(*) FROM findings WHERE run_id = 1"));
    // the default codebook's findings are another codebook's: untouched by these runs
    REQUIRE(s.run({"audit"}).status == 0);
    CHECK(s.findings({"--rule", "secrecy"}).size() == 2);
    // a rejected finding stays out of the report
    REQUIRE(s.run({"findings", "review", std::to_string(now[1]["id"].get<std::int64_t>()),
                   "--reject"})
                .status == 0);
    const auto rep = report_json(s.db, {"audit", "--rule", "secrecy"});
    CHECK(rep["rejected"] == 1);
    CHECK(rep["rows"].size() == 1);
    CHECK(s.run({"findings", "review", "999", "--accept"}).status == 1);
    CHECK(s.run({"findings", "review", "1"}).status == 2);
}

TEST_CASE("personal data in excerpts is masked unless asked for", "[audit]") {
    audit_store s;
    REQUIRE(s.run({"audit"}).status == 0);
    const auto masked = s.findings({"--rule", "incentives"});
    REQUIRE(!masked.empty());
    const auto text = masked.dump();
    CHECK(text.find("555-0147") == std::string::npos);
    CHECK(text.find("[phone]") != std::string::npos);
    const auto shown = s.findings({"--rule", "incentives", "--include-personal-data"}).dump();
    CHECK(shown.find("(541) 555-0147") != std::string::npos);
    const auto md = s.run({"report", "audit", "--format", "md"});
    REQUIRE(md.status == 0);
    CHECK(md.out.find("555-0147") == std::string::npos);
    CHECK(md.out.find("jvale@ring.com") == std::string::npos);
}

TEST_CASE("report audit: per agency, rule and source, schema-valid, quotable Markdown",
          "[audit]") {
    audit_store s;
    REQUIRE(s.run({"audit"}).status == 0);
    for (const char* by : {"agency", "rule", "source"}) {
        const auto rep = report_json(s.db, {"audit", "--by", by});
        check_schema(rep, "audit");
        CHECK(rep["columns"][0] == by);
        CHECK(rep["findings"].get<std::int64_t>() == static_cast<std::int64_t>(rep["rows"].size()));
    }
    const auto rep = report_json(s.db, {"audit"});
    bool harbor = false;
    for (const auto& row : rep["summary"])
        if (row["agency"] == "Harbor City Police Department" && row["rule"] == "heat-maps") {
            harbor = true;
            CHECK(row["first"] == "2020-01-14");
            CHECK(row["last"] == "2020-01-14");
        }
    CHECK(harbor);
    const auto md = s.run({"report", "audit", "--format", "md"});
    REQUIRE(md.status == 0);
    CHECK(md.out.find("# Privacy audit findings per agency") != std::string::npos);
    CHECK(md.out.find("\\[1\\] partnership-terms.eml, p. 1, e-mail") != std::string::npos);
    CHECK(md.out.find("«heat map»") != std::string::npos);
    CHECK(md.out.find("## Sources") != std::string::npos);
    CHECK(s.run({"report", "audit", "--format", "md"}).out == md.out); // deterministic
    CHECK(s.run({"report", "audit", "--by", "week"}).status == 2);
}

TEST_CASE("audit of a hostile document finishes quickly", "[audit]") {
    TempDir dir;
    const auto db = (dir / "hostile.db").string();
    std::string line;
    while (line.size() < (5u << 20))
        line += "do not share with the public a free camera for every 20 residents heat map ";
    write_document(dir, "hostile", "one-line.txt", line);
    const auto folder = write_document(dir, "hostile", "bomb.txt",
                                       std::string(100000, 'a') + "!" +
                                           std::string(100000, '1') + " mile\n");
    ingest_quietly(db, {folder.string()});
    const auto start = std::chrono::steady_clock::now();
    const auto r = run_on(db, {"audit"});
    const auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO(r.err);
    REQUIRE(r.status == 0);
    WARN("audit of a 5 MB one-line page and a 200 KB regex bomb: " << seconds << " s");
    CHECK(seconds < 10.0); // a sanity bound only
    // at most 50 findings per rule and page
    CHECK(query(db, "SELECT max(n) FROM (SELECT count(*) AS n FROM findings GROUP BY page_id, "
                    "rule_id)") == "50");
}

TEST_CASE("audit of the real Denver release: Request for Assistance e-mails cited", "[audit]") {
    const auto denver = real_file("foia/denver");
    if (!denver)
        return;
    TempDir dir;
    const auto db = (dir / "denver.db").string();
    ingest_quietly(db, {denver->string(), "--agency", "Denver Police Department"});
    const auto r = run_on(db, {"audit"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto f = run_on(db, {"findings", "--rule", "video-request-process", "--format", "json"});
    REQUIRE(f.status == 0);
    const auto found = json::parse(f.out);
    std::set<std::string> docs;
    for (const auto& x : found) {
        docs.insert(x["document"].get<std::string>());
        CHECK(x["page"] == 1);
        CHECK(x["agency"] == "Denver Police Department");
        CHECK(x["date"].get<std::string>().rfind("2021-06-0", 0) == 0);
    }
    CHECK(docs == std::set<std::string>{"[EXTERNAL] Introducing Request for Assist.msg",
                                        "[EXTERNAL] Launching Today_3A Request for.msg"});
    const auto crime = run_on(db, {"findings", "--rule", "video-request-process", "--format",
                                   "json", "--since", "2021-06-08"});
    REQUIRE(crime.status == 0);
    CHECK(json::parse(crime.out).size() < found.size());
    const auto rep = report_json(db, {"audit", "--rule", "video-request-process"});
    check_schema(rep, "audit");
    CHECK(rep["rows"][0]["citation"].get<std::string>().rfind("[1] [EXTERNAL] Introducing Request "
                                                              "for Assist.msg, p. 1, e-mail ",
                                                              0) == 0);
}

TEST_CASE("audit of a PDF of printed e-mails cites the page and the e-mail", "[audit]") {
    TempDir dir;
    const auto db = (dir / "pdf.db").string();
    const auto folder = write_document(
        dir, "printed", "printed.pdf",
        printed_pdf({{720, "From: Jordan Vale <jvale@ring.com>"},
                     {705, "Sent: Tuesday, January 14, 2020 10:15 AM"},
                     {690, "To: Casey Moreno <cmoreno@harborcitypd.example.org>"},
                     {675, "Subject: Portal onboarding"},
                     {650, "FICTIONAL SAMPLE DATA."},
                     {635, "The heat map in the portal should not be shared with the public."}}));
    ingest_quietly(db, {folder.string(), "--agency", "Harbor City Police Department",
                        "--timezone", "America/Los_Angeles"});
    // only this agency's findings are kept: another agency's run writes nothing
    const auto other = run_on(db, {"audit", "--agency", "Lakeview"});
    REQUIRE(other.status == 0);
    CHECK(other.err.find("run 1, 0 findings") != std::string::npos);
    REQUIRE(run_on(db, {"audit", "--agency", "harbor city"}).status == 0);
    const auto r = run_on(db, {"findings", "--format", "json"});
    REQUIRE(r.status == 0);
    const auto found = json::parse(r.out);
    std::set<std::string> rules;
    for (const auto& f : found) {
        rules.insert(f["rule"].get<std::string>());
        CHECK(f["document"] == "printed.pdf");
        CHECK(f["page"] == 1);
        CHECK(f["email"].is_number_integer());
        CHECK(f["agency"] == "Harbor City Police Department");
        CHECK(f["date"] == "2020-01-14T18:15:00Z");
    }
    CHECK(rules == std::set<std::string>{"confidentiality", "heat-maps"});
}

TEST_CASE("report audit Markdown shows document text as written, never as markup", "[audit]") {
    TempDir dir;
    const auto db = (dir / "md.db").string();
    const auto folder = write_document(
        dir, "markup", "memo.txt",
        "FICTIONAL. <script>alert(1)</script> Please do not disclose [the map](http://x.test)"
        " | *now* `x`\n");
    ingest_quietly(db, {folder.string()});
    REQUIRE(run_on(db, {"-q", "audit"}).status == 0);
    const auto md = run_on(db, {"report", "audit", "--format", "md"});
    REQUIRE(md.status == 0);
    CHECK(md.out.find("<script>") == std::string::npos);
    CHECK(md.out.find("&lt;script&gt;alert(1)&lt;/script&gt; Please «do not disclose» \\[the "
                      "map\\](http://x.test) \\| \\*now\\* \\`x\\`") != std::string::npos);
}
