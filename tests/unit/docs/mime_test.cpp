#include <porchlight/docs/document.hpp>

#include <catch2/catch.hpp>
#include <test_support.hpp>

#include <algorithm>
#include <random>
#include <string>

using namespace porchlight::docs;

namespace {

std::string fixture(const std::string& name) {
    return porchlight::test::read_text(porchlight::test::data_file("documents/email/" + name));
}

document eml(const std::string& name, const limits& lim = {}) {
    return parse_eml(fixture(name), lim);
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

bool has_warning(const document& doc, const std::string& part) {
    return std::any_of(doc.warnings.begin(), doc.warnings.end(),
                       [&](const std::string& w) { return contains(w, part); });
}

std::string meta(const document& doc, const std::string& key) {
    for (const auto& [k, v] : doc.metadata)
        if (k == key)
            return v;
    return {};
}

} // namespace

TEST_CASE("mime: multipart/alternative reads the plain text and the whole header") {
    const auto doc = eml("alternative.eml");
    CHECK(doc.kind == "email");
    CHECK(doc.mime_type == "message/rfc822");
    CHECK(doc.title == "FOIA request 2019-0042 status");
    REQUIRE(doc.messages.size() == 1);
    const auto& m = doc.messages[0];
    CHECK(m.first_page == 1);
    CHECK(m.last_page == 1);
    const auto& h = m.header;
    CHECK(h.from == "Jürgen Müller <juergen.mueller@example.org>");
    CHECK(h.to == std::vector<std::string>{"Doe, Jane <jane.doe@example.gov>", "records@example.gov"});
    CHECK(h.cc == std::vector<std::string>{"alpha@example.com", "beta@example.com"});
    CHECK(h.bcc == std::vector<std::string>{"hidden@example.net"});
    CHECK(h.message_id == "20190305102030.4242@mail.example.org");
    CHECK(h.in_reply_to == "original-4242@example.gov");
    CHECK(h.date_raw == "Tue, 5 Mar 2019 10:20:30 -0700 (MST)");

    CHECK(contains(m.body, "your request 2019-0042 is being processed."));
    CHECK_FALSE(contains(m.body, "HTMLONLYWORD")); // the HTML version is not read as well
    CHECK(m.body.starts_with("Dear Ms. Doe,"));

    REQUIRE(doc.pages.size() == 1);
    const auto& text = doc.pages[0].text;
    CHECK(text.starts_with("From: Jürgen Müller <juergen.mueller@example.org>\n"
                           "To: Doe, Jane <jane.doe@example.gov>, records@example.gov\n"
                           "Cc: alpha@example.com, beta@example.com\n"));
    CHECK(contains(text, "\nDate: Tue, 5 Mar 2019 10:20:30 -0700 (MST)\n"));
    CHECK(contains(text, "\nSubject: FOIA request 2019-0042 status\n\nDear Ms. Doe,"));
    CHECK(text.ends_with(m.body));

    CHECK(meta(doc, "x-mailer") == "Porchlight Test Mailer 1.0");
    CHECK(meta(doc, "organization") == "Example Records Office");
    CHECK(meta(doc, "attachments") == "0");
    CHECK(doc.children.empty());
}

TEST_CASE("mime: Date with a -0700 offset keeps the sender's offset") {
    const auto doc = eml("alternative.eml");
    const auto& h = doc.messages.at(0).header;
    REQUIRE(h.sent_utc);
    CHECK(*h.sent_utc == "2019-03-05T17:20:30Z");
    REQUIRE(h.sent_offset);
    CHECK(*h.sent_offset == "-07:00");
    REQUIRE(h.sent_local);
    CHECK(*h.sent_local == "2019-03-05T10:20:30");
}

TEST_CASE("mime: dates without a zone, with -0000, a zone name, across midnight") {
    const auto header = [](const std::string& date) {
        return parse_eml("From: a@example.org\nDate: " + date + "\nSubject: d\n\nbody\n", {})
            .messages.at(0)
            .header;
    };
    SECTION("no zone: local time only") {
        const auto h = header("Tue, 5 Mar 2019 10:20:30");
        CHECK_FALSE(h.sent_utc);
        CHECK_FALSE(h.sent_offset);
        REQUIRE(h.sent_local);
        CHECK(*h.sent_local == "2019-03-05T10:20:30");
    }
    SECTION("-0000: UTC known, the sender's zone not") {
        const auto h = header("Tue, 5 Mar 2019 10:20:30 -0000");
        REQUIRE(h.sent_utc);
        CHECK(*h.sent_utc == "2019-03-05T10:20:30Z");
        CHECK_FALSE(h.sent_offset);
    }
    SECTION("a zone name GMime does not know") {
        const auto h = header("Tue, 5 Mar 2019 10:20:30 CEST");
        REQUIRE(h.sent_utc);
        CHECK(*h.sent_utc == "2019-03-05T08:20:30Z");
        CHECK(h.sent_offset == std::optional<std::string>("+02:00"));
    }
    SECTION("an offset that moves the date back over a year end") {
        const auto h = header("Wed, 1 Jan 2020 01:30:00 +0530");
        CHECK(h.sent_utc == std::optional<std::string>("2019-12-31T20:00:00Z"));
        CHECK(h.sent_offset == std::optional<std::string>("+05:30"));
        CHECK(h.sent_local == std::optional<std::string>("2020-01-01T01:30:00"));
    }
    SECTION("unreadable date: raw text only, and a warning") {
        const auto doc = parse_eml("From: a@example.org\nDate: soon\n\nbody\n", {});
        const auto& h = doc.messages.at(0).header;
        CHECK(h.date_raw == "soon");
        CHECK_FALSE(h.sent_utc);
        CHECK_FALSE(h.sent_local);
        CHECK(has_warning(doc, "Date"));
    }
}

TEST_CASE("mime: an empty plain alternative gives way to the HTML one") {
    const std::string msg = "From: a@example.org\nSubject: alt\nMIME-Version: 1.0\n"
                            "Content-Type: multipart/alternative; boundary=a\n\n"
                            "--a\nContent-Type: text/plain\n\n\n"
                            "--a\nContent-Type: text/html\n\n<p>Only the HTML has text</p>\n"
                            "--a--\n";
    CHECK(contains(parse_eml(msg, {}).messages.at(0).body, "Only the HTML has text"));
}

TEST_CASE("mime: html-only body goes through html_to_text") {
    const auto doc = eml("html_only.eml");
    const auto& body = doc.messages.at(0).body;
    CHECK(contains(body, "responsive"));
    CHECK(contains(body, "records attached."));
    CHECK(contains(body, "County Clerk"));
    // holds once html_to_text strips tags (the placeholder returns the HTML as it is)
    CHECK_FALSE(contains(body, "<p>"));
}

TEST_CASE("mime: iso-8859-1 body and RFC 2047 encoded words") {
    const auto doc = eml("latin1.eml");
    const auto& m = doc.messages.at(0);
    CHECK(m.header.subject == "Grünflächen übersicht");
    CHECK(doc.title == "Grünflächen übersicht");
    CHECK(m.header.from == "François Bérard <francois@example.fr>");
    CHECK(m.header.to == std::vector<std::string>{"Bürgeramt <buergeramt@example.de>"});
    CHECK(contains(m.body, "Sehr geehrte Frau Müller,"));
    CHECK(contains(m.body, "für das Grünflächenamt."));
    CHECK(contains(m.body, "Grüße"));
}

TEST_CASE("mime: windows-1252 body with CRLF line ends") {
    const auto doc = eml("windows1252.eml");
    const auto& m = doc.messages.at(0);
    CHECK(m.body == "The “budget” is € 1,200 – approved.\nNext line.");
    CHECK(m.header.sent_offset == std::optional<std::string>("-05:00"));
    CHECK(m.header.sent_utc == std::optional<std::string>("2019-03-08T22:45:00Z"));
}

TEST_CASE("mime: quoted-printable with soft line breaks") {
    const auto doc = eml("quoted_printable.eml");
    const auto& m = doc.messages.at(0);
    CHECK(m.header.subject == "Café meeting minutes");
    CHECK(contains(m.body, "right here so the word"));
    CHECK(contains(m.body, "The cost was € 5 and the café was closed."));
    CHECK(contains(m.body, "A literal equals sign: 1 = 1."));
    CHECK_FALSE(contains(m.body, "=\n"));
}

TEST_CASE("mime: base64 body") {
    const auto doc = eml("base64.eml");
    const auto& m = doc.messages.at(0);
    CHECK(m.body == "Base64 encoded body: the inspection report is attached.\n"
                    "Zweite Zeile mit Ümlauten.");
}

TEST_CASE("mime: attachments and a forwarded message become children") {
    const auto doc = eml("attachments.eml");
    CHECK(doc.messages.at(0).body == "See the attached PDF and the forwarded request below.");
    CHECK_FALSE(contains(doc.pages.at(0).text, "FORWARDEDWORD")); // read as its own child
    REQUIRE(doc.children.size() == 4);

    CHECK(doc.children[0].name == "report.pdf");
    CHECK(doc.children[0].mime_type == "application/pdf");
    CHECK(doc.children[0].bytes.starts_with("%PDF-1.4\n"));
    CHECK(doc.children[0].bytes.ends_with("%%EOF\n"));

    CHECK(doc.children[1].name == "notes.txt"); // "../../" dropped
    CHECK(doc.children[1].mime_type == "text/plain");
    // the line break before a boundary belongs to the boundary
    CHECK(doc.children[1].bytes == "Attached notes: line one.\nline two.");

    CHECK(doc.children[2].name == "attachment-3.bin");
    CHECK(doc.children[2].mime_type == "application/octet-stream");
    CHECK(doc.children[2].bytes == std::string("\x00\x01\x02\x03\x04\x05", 6));

    const auto& fwd = doc.children[3];
    CHECK(fwd.mime_type == "message/rfc822");
    CHECK(fwd.name == "attachment-4.eml");
    const auto inner = parse_eml(fwd.bytes, {});
    CHECK(inner.title == "Original FOIA request");
    CHECK(inner.messages.at(0).header.from == "Requester <requester@example.org>");
    CHECK(inner.messages.at(0).header.sent_utc == std::optional<std::string>("2019-03-01T17:00:00Z"));
    CHECK(contains(inner.messages.at(0).body, "FORWARDEDWORD parking permits"));

    CHECK(meta(doc, "attachments") == "4");
    CHECK(has_warning(doc, "1 inline image"));
}

TEST_CASE("mime: message without Message-ID") {
    const auto doc = eml("no_message_id.eml");
    const auto& h = doc.messages.at(0).header;
    CHECK(h.message_id.empty());
    CHECK(h.in_reply_to.empty());
    CHECK(h.subject == "No id here");
}

TEST_CASE("mime: broken and mixed charsets in headers still decode to UTF-8") {
    const auto doc = eml("broken_headers.eml");
    const auto& h = doc.messages.at(0).header;
    CHECK(h.from == "Anna ßcho <anna@example.org>");
    REQUIRE(h.to.size() == 1);
    CHECK(contains(h.to[0], "<x@example.org>"));
    CHECK(contains(h.subject, "Invalid"));
    CHECK(contains(h.subject, "caf\xC3\xA9")); // raw latin-1 byte read as windows-1252
    CHECK(h.subject.ends_with("é"));
    CHECK(h.date_raw == "not a date at all");
    CHECK_FALSE(h.sent_utc);
    CHECK(has_warning(doc, "Date header not understood"));
}

TEST_CASE("mime: an mbox of three messages") {
    const auto doc = parse_mbox(fixture("three.mbox"), {});
    CHECK(doc.kind == "mbox");
    CHECK(doc.mime_type == "application/mbox");
    CHECK(doc.pages.empty());
    CHECK(doc.messages.empty());
    REQUIRE(doc.children.size() == 3);
    const char* subjects[] = {"First message", "Second message", "Third message"};
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& child = doc.children[i];
        CHECK(child.name == "message " + std::to_string(i + 1));
        CHECK(child.mime_type == "message/rfc822");
        CHECK(child.bytes.starts_with("From: ")); // the From_ line is not part of the message
        CHECK(detect_format("", child.bytes) == "eml");
        CHECK(parse_eml(child.bytes, {}).title == subjects[i]);
    }
    const auto& first = doc.children[0].bytes;
    CHECK(contains(first, "\nFrom the archive: this line was quoted"));
    CHECK(contains(first, "\n>From twice quoted.\n"));
    CHECK(contains(first, "\nFrom here on, an unquoted body line that must not split.\n"));
    CHECK(first.ends_with("must not split.\n"));
    CHECK(doc.children[1].bytes.ends_with("Second body.\n"));
    CHECK(doc.children[2].bytes.ends_with("Third body.\n"));
}

TEST_CASE("mime: mbox edge cases") {
    SECTION("CRLF lines") {
        const std::string mbox = "From a Mon Mar 11 10:00:00 2019\r\nSubject: one\r\n\r\nbody\r\n\r\n"
                                 "From b Mon Mar 11 10:00:00 2019\r\nSubject: two\r\n\r\nbody\r\n";
        const auto doc = parse_mbox(mbox, {});
        REQUIRE(doc.children.size() == 2);
        CHECK(doc.children[0].bytes == "Subject: one\r\n\r\nbody\r\n");
        CHECK(doc.children[1].bytes == "Subject: two\r\n\r\nbody\r\n");
    }
    SECTION("more messages than max_entries") {
        limits lim;
        lim.max_entries = 2;
        CHECK_THROWS_AS(parse_mbox(fixture("three.mbox"), lim), limit_error);
    }
    SECTION("a message larger than max_document_bytes") {
        limits lim;
        lim.max_document_bytes = 100;
        CHECK_THROWS_AS(parse_mbox(fixture("three.mbox"), lim), limit_error);
    }
    SECTION("no messages") {
        CHECK_THROWS_AS(parse_mbox("", {}), parse_error);
        CHECK_THROWS_AS(parse_mbox("just some text\nFrom nobody\n", {}), parse_error);
        CHECK_THROWS_AS(parse_mbox("From a Mon Mar 11 10:00:00 2019\n\n", {}), parse_error);
        CHECK_THROWS_AS(parse_mbox(fixture("garbage.bin"), {}), parse_error);
    }
}

TEST_CASE("mime: empty input and binary garbage are parse errors") {
    CHECK_THROWS_AS(eml("empty.eml"), parse_error);
    CHECK_THROWS_AS(parse_eml("\r\n\r\n  \n", {}), parse_error);
    CHECK_THROWS_AS(eml("garbage.bin"), parse_error);
    CHECK_THROWS_AS(parse_eml("hello world\nthis is not an e-mail\n", {}), parse_error);
    // blank lines before the header are skipped, not taken for an empty header
    CHECK(parse_eml("\r\n\nSubject: after blank lines\n\nbody\n", {}).title == "after blank lines");
}

TEST_CASE("mime: headers without a body") {
    const auto doc = eml("headers_only.eml");
    const auto& m = doc.messages.at(0);
    CHECK(m.header.subject == "Headers only");
    CHECK(m.body.empty());
    CHECK(doc.pages.at(0).text.ends_with("Subject: Headers only\n\n"));
}

TEST_CASE("mime: truncated base64 keeps what decodes") {
    const auto doc = eml("truncated_base64.eml");
    const auto& body = doc.messages.at(0).body;
    CHECK(body.starts_with("Truncated base64 text that still has a readable beginning."));
}

TEST_CASE("mime: multipart missing its closing boundary keeps its text") {
    const auto doc = eml("missing_boundary.eml");
    const auto& body = doc.messages.at(0).body;
    CHECK(contains(body, "The first part is complete."));
    CHECK(contains(body, "The second part has no closing boundary but its text is kept."));
    CHECK(has_warning(doc, "truncated"));
}

TEST_CASE("mime: limits on attachments and text") {
    SECTION("more attachments than max_entries") {
        limits lim;
        lim.max_entries = 3;
        CHECK_THROWS_AS(eml("attachments.eml", lim), limit_error);
        lim.max_entries = 4;
        CHECK_NOTHROW(eml("attachments.eml", lim));
    }
    SECTION("an attachment larger than max_document_bytes") {
        // the PDF decodes to 125 bytes, the whole message is 1488
        limits lim;
        lim.max_document_bytes = 2000;
        CHECK_NOTHROW(eml("attachments.eml", lim));
        const std::string big = "From: a@example.org\nSubject: big\nContent-Type: application/pdf\n"
                                "Content-Disposition: attachment; filename=big.pdf\n\n" +
                                std::string(5000, 'x') + "\n";
        lim.max_document_bytes = 4000;
        CHECK_THROWS_AS(parse_eml(big, lim), limit_error);
    }
    SECTION("more text than max_text_bytes") {
        limits lim;
        lim.max_text_bytes = 100;
        CHECK_THROWS_AS(eml("alternative.eml", lim), limit_error);
    }
}

TEST_CASE("mime: a message saved from an mbox and multipart/related") {
    const std::string msg = "From someone Mon Mar 11 10:00:00 2019\n"
                            "From: a@example.org\nSubject: related\nMIME-Version: 1.0\n"
                            "Content-Type: multipart/related; boundary=r\n\n"
                            "--r\nContent-Type: text/html\n\n<p>Root text</p>\n"
                            "--r\nContent-Type: image/gif\nContent-ID: <i1>\n\nGIF89a\n--r--\n";
    const auto doc = parse_eml(msg, {});
    CHECK(doc.title == "related");
    CHECK(contains(doc.messages.at(0).body, "Root text"));
    CHECK(doc.children.empty());
    CHECK(has_warning(doc, "1 inline image"));
}

TEST_CASE("mime: random bytes and mangled messages never crash") {
    std::mt19937 rng(12345);
    std::vector<std::string> seeds;
    for (const char* name : {"alternative.eml", "attachments.eml", "quoted_printable.eml",
                             "missing_boundary.eml", "three.mbox", "latin1.eml"})
        seeds.push_back(fixture(name));
    for (int round = 0; round < 400; ++round) {
        std::string bytes = seeds[rng() % seeds.size()];
        const int edits = 1 + static_cast<int>(rng() % 20);
        for (int e = 0; e < edits && !bytes.empty(); ++e) {
            const auto pos = rng() % bytes.size();
            switch (rng() % 4) {
            case 0: bytes[pos] = static_cast<char>(rng()); break;
            case 1: bytes.erase(pos, rng() % 40); break;
            case 2: bytes.insert(pos, std::string(1 + rng() % 8, static_cast<char>(rng()))); break;
            default: bytes.resize(pos); break;
            }
        }
        if (round % 5 == 0) {
            bytes.resize(rng() % 600);
            for (auto& c : bytes)
                c = static_cast<char>(rng());
        }
        for (auto parse : {&parse_eml, &parse_mbox}) {
            try {
                const auto doc = parse(bytes, {});
                CHECK_FALSE(doc.kind.empty());
            } catch (const parse_error&) {
            }
        }
    }
}
