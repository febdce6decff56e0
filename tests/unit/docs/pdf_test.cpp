#include <catch2/catch.hpp>

#include <porchlight/docs/document.hpp>

#include "test_support.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

using porchlight::docs::document;
using porchlight::docs::limit_error;
using porchlight::docs::limits;
using porchlight::docs::parse_error;
using porchlight::docs::parse_pdf;
using porchlight::test::data_file;
using porchlight::test::read_text;
using porchlight::test::real_file;

namespace {

std::string fixture(const std::string& name) {
    const std::string bytes = read_text(data_file("documents/pdf/" + name));
    REQUIRE_FALSE(bytes.empty());
    return bytes;
}

std::optional<std::string> meta(const document& doc, const std::string& key) {
    for (const auto& [k, v] : doc.metadata)
        if (k == key)
            return v;
    return std::nullopt;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// parse_pdf either reads the bytes or throws parse_error: nothing else.
void parse_or_reject(const std::string& bytes) {
    try {
        const document doc = parse_pdf(bytes, limits{});
        CHECK(doc.kind == "pdf");
        CHECK_FALSE(doc.pages.empty());
        for (const auto& m : doc.messages) {
            CHECK(m.first_page >= 1);
            CHECK(m.last_page <= static_cast<int>(doc.pages.size()));
        }
    } catch (const parse_error&) {
    }
}

} // namespace

TEST_CASE("pdf: a two-page text PDF gives its pages, metadata and title", "[docs][pdf]") {
    const std::string bytes = fixture("two_pages.pdf");
    const document doc = parse_pdf(bytes, limits{});
    CHECK(doc.kind == "pdf");
    CHECK(doc.mime_type == "application/pdf");
    CHECK(doc.title == "Printed thread fixture");
    REQUIRE(doc.pages.size() == 2);
    CHECK_FALSE(doc.pages[0].needs_ocr);
    CHECK_FALSE(doc.pages[1].needs_ocr);
    // physical layout: labels and values on one line, as pdftotext -layout shows them
    CHECK(contains(doc.pages[0].text, "From:          Doe, Jane <jane.doe@example.org>\n"));
    CHECK(contains(doc.pages[0].text, "Page one of the reply."));
    CHECK_FALSE(contains(doc.pages[0].text, "page two"));
    CHECK(contains(doc.pages[1].text, "The reply goes on on page two."));
    CHECK_FALSE(contains(doc.pages[1].text, "\f"));
    CHECK(doc.warnings.empty());
    CHECK(doc.children.empty());

    CHECK(meta(doc, "title") == std::optional<std::string>("Printed thread fixture"));
    CHECK(meta(doc, "author") == std::optional<std::string>("Porchlight tests"));
    CHECK(meta(doc, "subject") == std::optional<std::string>("Synthetic e-mail thread"));
    CHECK(meta(doc, "creator") == std::optional<std::string>("make_fixtures.py"));
    CHECK(meta(doc, "producer") == std::optional<std::string>("hand-written PDF"));
    CHECK(meta(doc, "created") == std::optional<std::string>("2019-06-04T22:15:00Z")); // -07'00'
    CHECK(meta(doc, "modified") == std::optional<std::string>("2019-06-05T12:00:00Z"));
    CHECK(meta(doc, "pages") == std::optional<std::string>("2"));
    CHECK(meta(doc, "pdf_version") == std::optional<std::string>("1.4"));
    CHECK(meta(doc, "encrypted") == std::optional<std::string>("no"));
    CHECK_FALSE(meta(doc, "keywords").has_value());
}

TEST_CASE("pdf: e-mails printed in a PDF become messages", "[docs][pdf]") {
    const std::string bytes = fixture("two_pages.pdf");
    const document doc = parse_pdf(bytes, limits{});
    REQUIRE(doc.messages.size() == 2);

    const auto& reply = doc.messages[0];
    CHECK(reply.header.from == "Doe, Jane <jane.doe@example.org>");
    CHECK(reply.header.to == std::vector<std::string>{"Roe, Richard", "records@example.gov"});
    CHECK(reply.header.subject == "RE: Request for doorbell camera footage near Elm Street");
    CHECK(reply.header.sent_local == std::optional<std::string>("2019-06-04T15:15:00"));
    CHECK_FALSE(reply.header.sent_utc.has_value());
    CHECK(reply.body == "Richard, the footage from June 1 is attached.\nPage one of the "
                        "reply.\nThe reply goes on on page two.");
    CHECK(reply.first_page == 1);
    CHECK(reply.last_page == 2);

    const auto& original = doc.messages[1];
    CHECK(original.header.from == "Roe, Richard <rroe@example.gov>");
    CHECK(original.header.to == std::vector<std::string>{"Doe, Jane"});
    CHECK(original.header.subject == "Request for doorbell camera footage near Elm Street");
    CHECK(original.header.sent_local == std::optional<std::string>("2019-06-03T09:00:00"));
    CHECK(original.body == "Could you send the footage, please?");
    CHECK(original.first_page == 2);
    CHECK(original.last_page == 2);
}

TEST_CASE("pdf: a page without a text layer needs OCR", "[docs][pdf]") {
    const std::string bytes = fixture("no_text_page.pdf");
    const document doc = parse_pdf(bytes, limits{});
    REQUIRE(doc.pages.size() == 2);
    CHECK_FALSE(doc.pages[0].needs_ocr);
    CHECK(contains(doc.pages[0].text, "Only the first page has a text layer."));
    CHECK(doc.pages[1].needs_ocr);
    CHECK(doc.pages[1].text.empty());
    CHECK(doc.warnings == std::vector<std::string>{"page 2 has no text layer: needs OCR"});
    CHECK(doc.title == "Scan fixture");
    CHECK(doc.messages.empty());
}

TEST_CASE("pdf: a truncated or broken PDF is a parse_error", "[docs][pdf]") {
    const std::string truncated = fixture("truncated.pdf");
    CHECK_THROWS_AS(parse_pdf(truncated, limits{}), parse_error);
    CHECK_THROWS_WITH(parse_pdf(truncated, limits{}), Catch::Contains("not a readable PDF"));
    CHECK_THROWS_AS(parse_pdf("", limits{}), parse_error);
    CHECK_THROWS_AS(parse_pdf("%PDF-1.4\n", limits{}), parse_error);
    CHECK_THROWS_AS(parse_pdf("PK\x03\x04 this is a zip file, not a PDF", limits{}), parse_error);
}

TEST_CASE("pdf: a PDF locked with a user password is a parse_error", "[docs][pdf]") {
    const std::string bytes = fixture("encrypted.pdf");
    CHECK_THROWS_AS(parse_pdf(bytes, limits{}), parse_error);
    CHECK_THROWS_WITH(parse_pdf(bytes, limits{}), Catch::Contains("encrypted"));
}

TEST_CASE("pdf: a PDF with only an owner password is read and marked encrypted", "[docs][pdf]") {
    const std::string bytes = fixture("owner_password.pdf");
    const document doc = parse_pdf(bytes, limits{});
    REQUIRE(doc.pages.size() == 2);
    CHECK(meta(doc, "encrypted") == std::optional<std::string>("yes"));
    CHECK(doc.title == "Printed thread fixture");
    CHECK(contains(doc.pages[0].text, "Page one of the reply."));
    CHECK(doc.messages.size() == 2);
}

TEST_CASE("pdf: limits on pages, text and size", "[docs][pdf]") {
    const std::string bytes = fixture("two_pages.pdf");
    limits lim;
    lim.max_pages = 1;
    CHECK_THROWS_AS(parse_pdf(bytes, lim), limit_error);

    lim = limits{};
    lim.max_text_bytes = 100;
    CHECK_THROWS_AS(parse_pdf(bytes, lim), limit_error);

    lim = limits{};
    lim.max_document_bytes = bytes.size() - 1;
    CHECK_THROWS_AS(parse_pdf(bytes, lim), limit_error);

    lim = limits{};
    lim.max_pages = 2;
    lim.max_document_bytes = bytes.size();
    CHECK(parse_pdf(bytes, lim).pages.size() == 2);
}

TEST_CASE("pdf: garbage, truncations and damaged bytes do not crash", "[docs][pdf]") {
    const std::string bytes = fixture("two_pages.pdf");
    for (std::size_t n = 0; n < bytes.size(); n += 23)
        parse_or_reject(bytes.substr(0, n));

    std::uint32_t state = 2024;
    const auto next = [&state] {
        state = state * 1664525u + 1013904223u;
        return state >> 8;
    };
    for (int round = 0; round < 60; ++round) {
        std::string damaged = bytes;
        for (int k = 0; k < 8; ++k)
            damaged[next() % damaged.size()] = static_cast<char>(next());
        parse_or_reject(damaged);

        std::string garbage = "%PDF-1.7\n";
        for (int k = 0; k < 2000; ++k)
            garbage.push_back(static_cast<char>(next()));
        parse_or_reject(garbage);
    }
}

TEST_CASE("pdf: the SDPD e-mails printed to PDF", "[docs][pdf][real]") {
    const auto path = real_file("foia/sdpd/SDPD Emails_Redacted.pdf");
    if (!path)
        return;
    const std::string bytes = read_text(*path);
    const document doc = parse_pdf(bytes, limits{});
    CHECK(doc.pages.size() == 23);
    CHECK(meta(doc, "pages") == std::optional<std::string>("23"));
    CHECK(meta(doc, "creator") ==
          std::optional<std::string>("Acrobat PDFMaker 22 for Microsoft Outlook"));
    CHECK(meta(doc, "producer") == std::optional<std::string>("Adobe PDF Library 22.2.244"));
    CHECK(meta(doc, "created") == std::optional<std::string>("2022-10-07T15:30:44Z"));
    CHECK(meta(doc, "modified") == std::optional<std::string>("2022-10-07T16:17:33Z"));
    CHECK(meta(doc, "pdf_version") == std::optional<std::string>("1.7"));
    CHECK(meta(doc, "encrypted") == std::optional<std::string>("no"));
    CHECK(doc.title.empty());
    for (const auto& p : doc.pages)
        CHECK_FALSE(p.needs_ocr);

    REQUIRE(doc.messages.size() == 9);
    struct expected {
        std::string subject;
        std::string sent_local;
        std::vector<std::string> to;
        int first_page;
        int last_page;
    };
    const std::vector<expected> want{
        {"[EXTERNAL] About Your Neighbors Post \"I believe they were trying to pry open my "
         "garag...\"",
         "2022-05-12T17:49:51",
         {"Sanchez, Jesus"},
         1,
         2},
        {"[EXTERNAL] Crime Alert: Car cover theft", "2020-09-06T16:04:27", {}, 3, 5},
        {"[EXTERNAL] Crime Alert: Crime at the Harlow", "2020-08-25T13:00:45", {}, 6, 7},
        {"[EXTERNAL] Crime Alert: Lock your car doors", "2020-08-19T17:04:11", {}, 8, 9},
        {"[EXTERNAL] Neighborhood Security is in Your Hands",
         "2021-02-02T06:24:14",
         {"cwoods@pd.sandiego.gov"},
         10,
         11},
        {"[EXTERNAL] See What\xE2\x80\x99s Going on in Your Neighborhood",
         "2021-02-04T06:24:32",
         {},
         12,
         13},
        {"[EXTERNAL] Your Daily Digest for Jul 27",
         "2022-07-27T07:54:49",
         {"Sanchez, Jesus"},
         14,
         18},
        {"[EXTERNAL] Crime Alert: Car cover theft", "2020-09-06T16:06:06", {"Jobe, Grant"}, 19, 21},
        {"[EXTERNAL] Crime Alert: Lock your car doors", "2020-08-19T17:01:08", {}, 22, 23},
    };
    for (std::size_t i = 0; i < want.size(); ++i) {
        INFO("message " << i + 1);
        const auto& m = doc.messages[i];
        CHECK(m.header.from == "The Neighbors Team");
        CHECK(m.header.subject == want[i].subject);
        CHECK(m.header.sent_local == std::optional<std::string>(want[i].sent_local));
        CHECK_FALSE(m.header.sent_utc.has_value());
        CHECK(m.header.to == want[i].to);
        CHECK(m.first_page == want[i].first_page);
        CHECK(m.last_page == want[i].last_page);
        CHECK_FALSE(m.body.empty());
    }
    CHECK(doc.messages[0].header.date_raw == "Thursday, May 12, 2022 5:49:51 PM");
    CHECK(doc.messages[0].body.rfind("logo\n", 0) == 0);
    CHECK(contains(doc.messages[0].body, "Your post was reviewed by a member of our team"));
    CHECK(contains(doc.messages[1].body, "This email came from an external source."));
}
