// End-to-end tests of FOIA document ingest, search, documents and messages: the built
// binary on written fixtures (tests/data/documents/) and on the real releases in
// ../shared/data/real/foia (skipped when absent).
#include <catch2/catch.hpp>
#include <test_support.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace porchlight::test;
using json = nlohmann::json;

namespace {

std::string db_of(const TempDir& dir) { return (dir / "store.db").string(); }

run_result pl(const TempDir& dir, std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_of(dir)});
    return run_porchlight(args);
}

json pl_json(const TempDir& dir, std::vector<std::string> args) {
    args.push_back("--format");
    args.push_back("json");
    const auto r = pl(dir, args);
    INFO("stderr: " << r.err);
    REQUIRE(r.status == 0);
    return json::parse(r.out);
}

/// A copy of the written release folder, so a test can add or break files.
fs::path copy_release(const TempDir& dir, const std::string& name = "release") {
    const auto to = dir / name;
    fs::copy(data_file("documents/" + name), to, fs::copy_options::recursive);
    return to;
}

} // namespace

TEST_CASE("a folder release: every file a document, failures kept, e-mails and pages",
          "[documents]") {
    TempDir dir;
    const auto release = copy_release(dir);
    const auto r = pl(dir, {"ingest", release.string(), "--foia-request", "HC-2021-117",
                            "--requester", "A. Researcher", "--agency",
                            "Harbor City Police Department", "--released", "2021-10-01",
                            "--title", "Harbor City Neighbors e-mails"});
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("ingested as source 1") != std::string::npos);
    CHECK(r.out.find("folder of 5 file(s)") != std::string::npos);
    CHECK(r.out.find("failed 1") != std::string::npos);
    // the broken PDF is named with its reason, and the rest was still read
    CHECK(r.err.find("could not read broken.pdf: ") != std::string::npos);

    const auto db = dir / "store.db";
    CHECK(query(db, "SELECT foia_request || '|' || requester || '|' || responding_agency || '|' "
                    "|| released || '|' || title || '|' || kind || '|' || format FROM sources") ==
          "HC-2021-117|A. Researcher|Harbor City Police Department|2021-10-01|Harbor City "
          "Neighbors e-mails|documents|folder");
    CHECK(query(db, "SELECT count(*) FROM documents WHERE parent_id IS NULL") == "5");
    CHECK(query(db, "SELECT status || ':' || kind FROM documents WHERE path = 'broken.pdf'") ==
          "failed:pdf");
    CHECK(query(db, "SELECT count(*) FROM documents WHERE status = 'ok' AND parent_id IS NULL") ==
          "4");
    CHECK(query(db, "SELECT count(*) FROM email_messages") == "2");

    // the messages view: UTC time and the sender's offset, recipients, class, where found
    const auto msgs = pl_json(dir, {"messages"});
    REQUIRE(msgs.size() == 2);
    CHECK(msgs[0]["subject"] == "Launching Today: Request for Assistance Posts");
    CHECK(msgs[0]["sent"] == "2021-07-01T16:30:00Z");
    CHECK(msgs[0]["offset"] == "-07:00");
    CHECK(msgs[0]["message_id"] == "rfa-launch-0001@ring.example");
    CHECK(msgs[0]["from"].get<std::string>().find("partners@ring.example") != std::string::npos);
    CHECK(msgs[0]["to"].get<std::string>().find("dreyes@harborcity-pd.example") !=
          std::string::npos);
    CHECK(msgs[0]["cc"].get<std::string>().find("records@harborcity-pd.example") !=
          std::string::npos);
    CHECK(msgs[0]["class"] == "request_for_assistance");
    CHECK(msgs[0]["document"] == "announcement.eml");
    CHECK(msgs[1]["class"] == "crime_post_alert");
    CHECK(msgs[1]["sent"] == "2021-07-02T22:15:00Z");

    // every file and every e-mail has evidence; the blobs hash right
    const auto v = pl(dir, {"verify"});
    INFO("verify: " << v.out << v.err);
    CHECK(v.status == 0);
    CHECK(query(db, "SELECT count(*) FROM evidence WHERE fact_type = 'message'") == "2");
}

TEST_CASE("search: ranked hits with snippet and citation, filters, bad query", "[documents][search]") {
    TempDir dir;
    REQUIRE(pl(dir, {"ingest", data_file("documents/release").string(), "--title", "HC release"})
                .status == 0);

    SECTION("a phrase") {
        const auto hits = pl_json(dir, {"search", "\"heat map\""});
        REQUIRE(hits.size() == 1);
        CHECK(hits[0]["source"] == "HC release");
        CHECK(hits[0]["document"] == "notes/memo.txt");
        CHECK(hits[0]["page"] == 1);
        CHECK(hits[0]["snippet"].get<std::string>().find("«heat map»") != std::string::npos);
    }
    SECTION("boolean operators and prefixes") {
        CHECK(pl_json(dir, {"search", "request", "AND", "assistance"}).size() == 1);
        CHECK(pl_json(dir, {"search", "video", "NOT", "geofence"}).size() == 1); // the briefing
        CHECK(pl_json(dir, {"search", "geofen*"}).size() == 1);
        CHECK(pl_json(dir, {"search", "heat", "OR", "package"}).size() == 2);
    }
    SECTION("e-mail headers are searchable and cited with the e-mail") {
        const auto hits = pl_json(dir, {"search", "\"Launching Today\""});
        REQUIRE(hits.size() == 1);
        CHECK(hits[0]["email_subject"] == "Launching Today: Request for Assistance Posts");
        CHECK(hits[0]["date"] == "2021-07-01T16:30:00Z");
    }
    SECTION("charsets: an iso-8859-1 body is found by its accented words") {
        CHECK(pl_json(dir, {"search", "Lumière"}).size() == 1);
        CHECK(pl_json(dir, {"search", "lumiere"}).size() == 1); // diacritics folded
    }
    SECTION("dates filter on the e-mail's date") {
        CHECK(pl_json(dir, {"search", "neighbors", "--since", "2021-07-02"}).size() == 1);
        CHECK(pl_json(dir, {"search", "neighbors", "--until", "2021-07-01"}).size() == 1);
    }
    SECTION("--redact masks personal data in snippets") {
        const auto plain = pl_json(dir, {"search", "contact"});
        REQUIRE(plain.size() == 1);
        CHECK(plain[0]["snippet"].get<std::string>().find("liaison@harborcity-pd.example") !=
              std::string::npos);
        const auto masked = pl_json(dir, {"search", "contact", "--redact"});
        REQUIRE(masked.size() == 1);
        const auto s = masked[0]["snippet"].get<std::string>();
        CHECK(s.find("liaison@") == std::string::npos);
        CHECK(s.find("[email]") != std::string::npos);
        CHECK(s.find("202-555-0142") == std::string::npos);
        CHECK(s.find("[phone]") != std::string::npos);
    }
    SECTION("script text is not indexed, a hostile string stays text") {
        CHECK(pl_json(dir, {"search", "secretScriptToken"}).empty()); // <script> is not text
        const auto hits = pl_json(dir, {"search", "onerror"});
        REQUIRE(hits.size() == 1);
        CHECK(hits[0]["snippet"].get<std::string>().find("<img src=x") != std::string::npos);
    }
    SECTION("a query FTS5 cannot read is an error naming it") {
        const auto r = pl(dir, {"search", "\"unclosed"});
        CHECK(r.status == 1);
        CHECK(r.err.find("cannot read the search query") != std::string::npos);
    }
    SECTION("every format") {
        const auto csv = pl(dir, {"search", "neighbors", "--format", "csv"});
        REQUIRE(csv.status == 0);
        CHECK(csv.out.rfind("rank,source_id,source,document,page,date,email_subject,snippet", 0) == 0);
        const auto table = pl(dir, {"search", "neighbors"});
        REQUIRE(table.status == 0);
        CHECK(table.out.find("snippet") != std::string::npos);
    }
}

TEST_CASE("the same e-mail in two releases is one message with two pieces of evidence",
          "[documents]") {
    TempDir dir;
    REQUIRE(pl(dir, {"ingest", data_file("documents/release").string()}).status == 0);
    const auto r = pl(dir, {"ingest", data_file("documents/release2").string()});
    REQUIRE(r.status == 0);
    CHECK(r.out.find("e-mails 1 (0 new)") != std::string::npos);
    const auto db = dir / "store.db";
    CHECK(query(db, "SELECT count(*) FROM email_messages") == "2");
    CHECK(query(db, "SELECT found_in || ':' || source_ids FROM messages WHERE "
                    "message_id = 'rfa-launch-0001@ring.example'") == "2:1,2");
    CHECK(query(db, "SELECT count(*) FROM evidence WHERE fact_type = 'message' AND fact_id = "
                    "(SELECT id FROM email_messages WHERE message_id = "
                    "'rfa-launch-0001@ring.example')") == "2");
    // --source narrows to one release
    CHECK(pl_json(dir, {"messages", "--source", "2"}).size() == 1);
    CHECK(pl_json(dir, {"messages", "--source", "1"}).size() == 2);
}

TEST_CASE("same release again changes nothing, and a changed file is a new source", "[documents]") {
    TempDir dir;
    const auto release = copy_release(dir);
    REQUIRE(pl(dir, {"ingest", release.string()}).status == 0);
    const auto before = store_fingerprint(dir / "store.db");
    const auto again = pl(dir, {"ingest", release.string()});
    CHECK(again.status == 0);
    CHECK(again.out.find("already ingested") != std::string::npos);
    CHECK(store_fingerprint(dir / "store.db") == before);
    {
        std::ofstream(release / "notes" / "memo.txt", std::ios::app) << "A late addition.\n";
    }
    const auto changed = pl(dir, {"ingest", release.string()});
    CHECK(changed.status == 0);
    CHECK(changed.out.find("ingested as source 2") != std::string::npos);
}

TEST_CASE("bad document input: error naming the file, exit 1, store unchanged", "[documents][errors]") {
    TempDir dir;
    REQUIRE(pl(dir, {"ingest", data_file("documents/release2").string()}).status == 0);
    const auto before = store_fingerprint(dir / "store.db");
    SECTION("a single broken PDF") {
        const auto r = pl(dir, {"ingest", data_file("documents/release/broken.pdf").string()});
        CHECK(r.status == 1);
        CHECK(r.err.rfind("porchlight ingest: ", 0) == 0);
        CHECK(r.err.find("broken.pdf)") != std::string::npos);
    }
    SECTION("--strict fails a release with one unreadable document") {
        const auto r = pl(dir, {"ingest", data_file("documents/release").string(), "--strict"});
        CHECK(r.status == 1);
        CHECK(r.err.find("could not be read (--strict)") != std::string::npos);
        CHECK(r.err.find("broken.pdf") != std::string::npos);
    }
    SECTION("an empty folder") {
        fs::create_directories(dir / "empty");
        const auto r = pl(dir, {"ingest", (dir / "empty").string()});
        CHECK(r.status == 1);
        CHECK(r.err.find("the folder holds no files") != std::string::npos);
    }
    SECTION("usage errors") {
        CHECK(pl(dir, {"ingest", data_file("documents/release").string(), "--timezone",
                       "Mars/Olympus"}).status == 2);
        CHECK(pl(dir, {"ingest", data_file("documents/release").string(), "--released",
                       "2021-13-01"}).status == 2);
        CHECK(pl(dir, {"ingest", data_file("records/generic.csv").string(), "--foia-request",
                       "X"}).status == 2);
        CHECK(pl(dir, {"ingest", data_file("documents/release").string(), "--profile",
                       "generic-partnerships"}).status == 2);
    }
    CHECK(store_fingerprint(dir / "store.db") == before);
}

TEST_CASE("dry run reads and reports, writes nothing", "[documents]") {
    TempDir dir;
    REQUIRE(pl(dir, {"ingest", data_file("documents/release2").string()}).status == 0);
    const auto before = store_fingerprint(dir / "store.db");
    const auto r = pl(dir, {"ingest", data_file("documents/release").string(), "--dry-run"});
    CHECK(r.status == 0);
    CHECK(r.out.find("dry run, nothing written") != std::string::npos);
    CHECK(r.out.find("e-mails 2") != std::string::npos);
    CHECK(store_fingerprint(dir / "store.db") == before);
}

TEST_CASE("documents and messages listings and their filters", "[documents]") {
    TempDir dir;
    REQUIRE(pl(dir, {"ingest", data_file("documents/release").string()}).status == 0);
    const auto docs = pl_json(dir, {"documents"});
    CHECK(docs.size() == 5);
    const auto failed = pl_json(dir, {"documents", "--failed"});
    REQUIRE(failed.size() == 1);
    CHECK(failed[0]["path"] == "broken.pdf");
    CHECK(!failed[0]["error"].get<std::string>().empty());
    CHECK(pl_json(dir, {"documents", "--kind", "email"}).size() == 2);
    CHECK(pl(dir, {"documents", "--source", "nope"}).status == 1);

    CHECK(pl_json(dir, {"messages", "--from", "ALERTS@"}).size() == 1);
    CHECK(pl_json(dir, {"messages", "--subject", "launching"}).size() == 1);
    CHECK(pl_json(dir, {"messages", "--class", "crime_post_alert"}).size() == 1);
    CHECK(pl_json(dir, {"messages", "--since", "2021-07-02"}).size() == 1);
    const auto redacted = pl_json(dir, {"messages", "--redact"});
    for (const auto& m : redacted)
        CHECK(m["to"].get<std::string>().find('@') == std::string::npos);
}

TEST_CASE("real: San Diego PD printed e-mails (PDF)", "[documents][real]") {
    const auto pdf = real_file("foia/sdpd/SDPD Emails_Redacted.pdf");
    if (!pdf)
        return;
    TempDir dir;
    const auto r = pl(dir, {"ingest", pdf->string(), "--agency", "San Diego Police Department",
                            "--timezone", "America/Los_Angeles"});
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    const auto db = dir / "store.db";
    CHECK(query(db, "SELECT page_count FROM documents") == "23");
    CHECK(query(db, "SELECT count(*) FROM pages") == "23");
    const auto msgs = pl_json(dir, {"messages"});
    REQUIRE(msgs.size() == 9);
    // the first e-mail of the release, printed at 5:49:51 PM Pacific daylight time
    const auto first = pl_json(dir, {"messages", "--subject", "About Your Neighbors Post"});
    REQUIRE(first.size() == 1);
    CHECK(first[0]["from"] == "The Neighbors Team");
    CHECK(first[0]["sent"] == "2022-05-13T00:49:51Z");
    CHECK(first[0]["offset"] == "-07:00");
    const auto hits = pl_json(dir, {"search", "\"car cover\""});
    REQUIRE(!hits.empty());
    CHECK(hits[0]["email_subject"] == "[EXTERNAL] Crime Alert: Car cover theft");
}

TEST_CASE("real: Denver PD Outlook .msg release", "[documents][real]") {
    const auto folder = real_file("foia/denver");
    if (!folder)
        return;
    TempDir dir;
    const auto r = pl(dir, {"ingest", folder->string(), "--agency", "Denver Police Department"});
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("folder of 35 file(s)") != std::string::npos);
    CHECK(r.out.find("failed 0") != std::string::npos);
    const auto db = dir / "store.db";
    CHECK(query(db, "SELECT count(*) FROM documents WHERE parent_id IS NULL AND kind = 'msg' AND "
                    "status = 'ok'") == "35");
    const auto hits = pl_json(dir, {"search", "\"Request for Assistance\""});
    bool launch = false;
    for (const auto& h : hits)
        if (h["document"] == "[EXTERNAL] Launching Today_3A Request for.msg")
            launch = true;
    CHECK(launch);
    const auto m = pl_json(dir, {"messages", "--subject", "Launching Today"});
    REQUIRE(m.size() == 1);
    CHECK(m[0]["class"] == "request_for_assistance");
    CHECK(!m[0]["sent"].is_null());
    CHECK(m[0]["sent"].get<std::string>().back() == 'Z');
    CHECK(pl_json(dir, {"messages", "--class", "crime_post_alert"}).size() >= 20);
}

TEST_CASE("a zip release: entries and nested archives as documents, hostile names made safe",
          "[documents][zip]") {
    TempDir dir;
    const auto r = pl(dir, {"ingest", data_file("documents/zip/release.zip").string()});
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    const auto db = dir / "store.db";
    CHECK(query(db, "SELECT format FROM sources") == "zip");
    // a zip inside the zip is read too, its entries under its path
    CHECK(query(db, "SELECT count(*) FROM documents WHERE path = "
                    "'release.zip/Release 2023-117/attachments.zip/inner/readme.txt' AND "
                    "parent_id = (SELECT id FROM documents WHERE path = "
                    "'release.zip/Release 2023-117/attachments.zip')") == "1");
    // the e-mail inside is a message with evidence pointing into the zip
    CHECK(query(db, "SELECT d.path FROM evidence e JOIN documents d ON d.id = e.document_id "
                    "WHERE e.fact_type = 'message'") ==
          "release.zip/Release 2023-117/emails/re budget.eml");
    // encrypted entries and links are skipped with a warning, not read
    CHECK(r.err.find("is encrypted; skipped") != std::string::npos);
    CHECK(r.err.find("is a symbolic link; skipped") != std::string::npos);

    const auto t = pl(dir, {"ingest", data_file("documents/zip/traversal.zip").string()});
    REQUIRE(t.status == 0);
    CHECK(t.err.find("entry name \"../../etc/passwd\" escapes the archive; read as "
                     "\"etc/passwd\"") != std::string::npos);
    CHECK(query(db, "SELECT count(*) FROM documents WHERE path LIKE '%..%' OR "
                    "path LIKE 'traversal.zip//%'") == "0");
    // nothing was written outside the store
    CHECK_FALSE(fs::exists(dir / "etc"));
    CHECK(pl(dir, {"verify"}).status == 0);
}

TEST_CASE("a zip bomb or a truncated zip: error naming it, store unchanged", "[documents][zip]") {
    TempDir dir;
    REQUIRE(pl(dir, {"ingest", data_file("documents/release2").string()}).status == 0);
    const auto before = store_fingerprint(dir / "store.db");
    for (const char* f : {"bomb.zip", "bomb_lying_header.zip", "truncated.zip"}) {
        SECTION(f) {
            const auto r = pl(dir, {"ingest", data_file(std::string("documents/zip/") + f).string()});
            INFO(r.err);
            CHECK(r.status == 1);
            CHECK(r.err.find(std::string(f) + ")") != std::string::npos);
            if (std::string(f).starts_with("bomb"))
                CHECK(r.err.find("zip bomb") != std::string::npos);
        }
    }
    CHECK(store_fingerprint(dir / "store.db") == before);
}

TEST_CASE("a zip bomb inside a folder release is one failed document", "[documents][zip]") {
    TempDir dir;
    const auto release = copy_release(dir, "release2");
    fs::copy_file(data_file("documents/zip/bomb.zip"), release / "bomb.zip");
    const auto r = pl(dir, {"ingest", release.string()});
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    CHECK(r.err.find("could not read bomb.zip: ") != std::string::npos);
    const auto failed = pl_json(dir, {"documents", "--failed"});
    REQUIRE(failed.size() == 1);
    CHECK(failed[0]["path"] == "bomb.zip");
    CHECK(query(dir / "store.db", "SELECT count(*) FROM email_messages") == "1");
}

TEST_CASE("every written document format through ingest and search", "[documents]") {
    const std::pair<const char*, const char*> cases[] = {
        {"documents/office/report.docx", "docx"},   {"documents/office/budget.xlsx", "xlsx"},
        {"documents/office/briefing.pptx", "pptx"}, {"documents/office/minutes.odt", "odt"},
        {"documents/office/overtime.ods", "ods"},   {"documents/office/hearing.odp", "odp"},
        {"documents/html/report.html", "html"},     {"documents/text/windows1252.txt", "text"},
        {"documents/email/three.mbox", "mbox"},     {"documents/msg/synthetic.msg", "msg"},
        {"documents/pdf/two_pages.pdf", "pdf"},
    };
    for (const auto& [file, kind] : cases) {
        SECTION(file) {
            TempDir dir;
            // .xlsx and .ods are record files unless --documents says otherwise
            const auto r = pl(dir, {"ingest", data_file(file).string(), "--documents"});
            INFO(r.out << r.err);
            REQUIRE(r.status == 0);
            const auto db = dir / "store.db";
            CHECK(query(db, "SELECT kind FROM documents WHERE parent_id IS NULL") == kind);
            CHECK(query(db, "SELECT count(*) FROM documents WHERE status = 'failed'") == "0");
            // a word of the first page with text finds that page through search
            const auto text = query(db, "SELECT text FROM pages WHERE length(trim(text)) > 0 "
                                        "ORDER BY id LIMIT 1");
            std::string word, current;
            for (const char c : text + " ") {
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                    current += c;
                } else {
                    if (current.size() >= 5 && word.empty())
                        word = current;
                    current.clear();
                }
            }
            INFO("word: " << word);
            REQUIRE(!word.empty());
            const auto hits = pl_json(dir, {"search", word});
            CHECK(!hits.empty());
        }
    }
}

TEST_CASE("copies without a Message-ID are one e-mail when their content is the same",
          "[documents]") {
    TempDir dir;
    const std::string mail = "From: Neighbors <alerts@ring.example>\n"
                             "To: records@harborcity-pd.example\n"
                             "Subject: %TAG%A Resident Posted a Crime Incident\n"
                             "Date: Fri, 02 Jul 2021 22:15:00 +0000\n"
                             "Content-Type: text/plain; charset=utf-8\n\n"
                             "A resident posted a crime incident: package theft.\n"
                             "View the post in the portal.\n";
    auto write = [&](const fs::path& folder, const std::string& tag) {
        fs::create_directories(folder);
        auto m = mail;
        m.replace(m.find("%TAG%"), 5, tag);
        std::ofstream(folder / "alert.eml") << m;
    };
    // a mail gateway's [EXTERNAL] tag on one copy does not make it another e-mail
    write(dir / "first", "");
    write(dir / "second", "[EXTERNAL] ");
    REQUIRE(pl(dir, {"ingest", (dir / "first").string()}).status == 0);
    const auto r = pl(dir, {"ingest", (dir / "second").string()});
    REQUIRE(r.status == 0);
    CHECK(r.out.find("e-mails 1 (0 new)") != std::string::npos);
    CHECK(query(dir / "store.db", "SELECT found_in FROM messages") == "2");
    // another body is another e-mail
    fs::create_directories(dir / "third");
    auto other = mail;
    other.replace(other.find("%TAG%"), 5, "");
    other.replace(other.find("package theft"), 13, "a stolen bike");
    std::ofstream(dir / "third" / "alert.eml") << other;
    REQUIRE(pl(dir, {"ingest", (dir / "third").string()}).status == 0);
    CHECK(query(dir / "store.db", "SELECT count(*) FROM email_messages") == "2");
}

TEST_CASE("verify re-hashes each file of a folder release", "[documents]") {
    TempDir dir;
    REQUIRE(pl(dir, {"ingest", data_file("documents/release").string()}).status == 0);
    REQUIRE(pl(dir, {"verify"}).status == 0);
    const auto sha = query(dir / "store.db", "SELECT sha256 FROM documents WHERE path = "
                                             "'notes/memo.txt'");
    const auto blob = dir / "store.blobs" / sha.substr(0, 2) / sha;
    REQUIRE(fs::exists(blob));
    fs::permissions(blob, fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(blob, std::ios::app) << "tampered";
    const auto r = pl(dir, {"verify", "--format", "csv"});
    CHECK(r.status == 1);
    CHECK(r.out.find("damaged-blob,source 1 file notes/memo.txt") != std::string::npos);
}
