#include <catch2/catch.hpp>

#include <porchlight/docs/document.hpp>

#include "test_support.hpp"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

using namespace porchlight::docs;
using porchlight::test::data_file;
using porchlight::test::read_text;

namespace {

std::string office_fixture(const std::string& name) {
    return read_text(data_file("documents/office/" + name));
}

std::string meta(const document& doc, const std::string& key) {
    for (const auto& [k, v] : doc.metadata)
        if (k == key)
            return v;
    return "(none)";
}

std::vector<std::string> all_meta(const document& doc, const std::string& key) {
    std::vector<std::string> out;
    for (const auto& [k, v] : doc.metadata)
        if (k == key)
            out.push_back(v);
    return out;
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("office: docx text, tables and page breaks", "[docs][office]") {
    const auto doc = parse_office(office_fixture("report.docx"), limits{});
    CHECK(doc.kind == "docx");
    CHECK(doc.mime_type ==
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    CHECK(doc.warnings.empty());
    // explicit breaks only: <w:br w:type="page"/> and a nextPage section break
    REQUIRE(doc.pages.size() == 3);
    CHECK(doc.pages[0].text == "Use of Force Policy\n"
                               "Officers shall report\tevery use.\n"
                               "Line one\n"
                               "Line two\n"
                               "link text\n"
                               "Name\tBadge\tUnit\n"
                               "Smith (acting)\t\tPatrol\n"
                               "\n"
                               "Before the break");
    CHECK(doc.pages[1].text == "After the break\nText box\n\nEnd of section one");
    const auto& last = doc.pages[2].text;
    CHECK(last.starts_with("Section two-x\nStill section two\n"
                           "Caf\xC3\xA9 \xC2\xA7 5 \xE2\x80\x94 done\n\n"));
    // then headers (the same one twice: once), footers, footnotes and comments
    CHECK(last.ends_with("CONFIDENTIAL\n\nPage footer\n\nA footnote.\n\nCheck this with legal."));
    for (const auto& p : doc.pages) {
        CHECK_FALSE(contains(p.text, "deleted words"));
        CHECK_FALSE(contains(p.text, "HYPERLINK"));
        CHECK_FALSE(contains(p.text, "Text box\nText box")); // mc:Fallback is not read
        CHECK_FALSE(p.needs_ocr);
    }
}

TEST_CASE("office: docx core and app properties", "[docs][office]") {
    const auto doc = parse_office(office_fixture("report.docx"), limits{});
    CHECK(doc.title == "Use of Force Policy");
    using entry = std::pair<std::string, std::string>;
    const std::vector<entry> expected = {
        {"title", "Use of Force Policy"},     {"author", "J. Doe"},
        {"last_modified_by", "R. Roe"},       {"created", "2023-01-02T03:04:05Z"},
        {"modified", "2023-02-03T04:05:06Z"}, {"application", "Microsoft Office Word"},
        {"company", "City of Smallville"}};
    CHECK(doc.metadata == expected);
}

TEST_CASE("office: a macro-enabled docm reads like a docx", "[docs][office]") {
    const auto docm = parse_office(office_fixture("macros.docm"), limits{});
    const auto docx = parse_office(office_fixture("report.docx"), limits{});
    CHECK(docm.kind == "docx");
    CHECK(docm.mime_type == "application/vnd.ms-word.document.macroEnabled.12");
    CHECK(meta(docm, "macros") == "yes");
    CHECK(meta(docx, "macros") == "(none)");
    REQUIRE(docm.pages.size() == docx.pages.size());
    CHECK(docm.pages[0].text == docx.pages[0].text);
}

TEST_CASE("office: xlsx sheets, shared and inline strings, columns kept", "[docs][office]") {
    const auto doc = parse_office(office_fixture("budget.xlsx"), limits{});
    CHECK(doc.kind == "xlsx");
    CHECK(doc.mime_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    CHECK(doc.title == "Stop data");
    CHECK(all_meta(doc, "sheet") == std::vector<std::string>{"Stops 2023", "Notes (hidden)"});
    REQUIRE(doc.pages.size() == 2);
    CHECK(doc.pages[0].text == "Date\tOfficer\tOutcome\n"
                               "44927\tSmith\tWarning\n"           // a date as its serial
                               "3.25\t\tTRUE\t\t6.5\n"             // gaps keep the columns
                               "\tLine break and tab\t\t#DIV/0!\n" // bad shared index: empty
                               "\tOfficer");
    CHECK_FALSE(contains(doc.pages[0].text, "PHONETIC"));
    CHECK(doc.pages[1].text == "hidden sheet text");
}

TEST_CASE("office: pptx slides in presentation order, tables, notes", "[docs][office]") {
    const auto doc = parse_office(office_fixture("briefing.pptx"), limits{});
    CHECK(doc.kind == "pptx");
    CHECK(doc.mime_type ==
          "application/vnd.openxmlformats-officedocument.presentationml.presentation");
    CHECK(doc.title == "Quarterly briefing");
    REQUIRE(doc.pages.size() == 3);
    // presentation.xml lists slide2.xml first
    CHECK(doc.pages[0].text == "Quarterly briefing\nShown first");
    CHECK(doc.pages[1].text == "Second slide\nBullet one\nQ1\t12\nQ2\t15\n\n"
                               "Do not share these numbers.");
    CHECK(doc.pages[2].text == "Last slide"); // slide10.xml, after slide2.xml
}

TEST_CASE("office: odt text, spaces, tables, notes and page breaks", "[docs][office]") {
    const auto doc = parse_office(office_fixture("minutes.odt"), limits{});
    CHECK(doc.kind == "odt");
    CHECK(doc.mime_type == "application/vnd.oasis.opendocument.text");
    CHECK(doc.title == "Council minutes");
    CHECK(meta(doc, "author") == "Clerk");
    CHECK(meta(doc, "last_modified_by") == "Deputy Clerk");
    CHECK(meta(doc, "created") == "2023-05-06T07:08:09.123");
    CHECK(meta(doc, "modified") == "2023-05-07T00:00:00");
    CHECK(meta(doc, "keywords") == "minutes, council");
    CHECK(meta(doc, "application") == "LibreOffice/7.4");
    REQUIRE(doc.pages.size() == 2);
    CHECK(doc.pages[0].text == "Council minutes\n"
                               "Present:\tMayor, Clerk and   others.\n"
                               "First line\n"
                               "second line\n"
                               "Motion\tYes\tNo\n"
                               "Budget 2023\t5\t2\n"
                               "\n"
                               "After the table");
    CHECK(doc.pages[1].text == "New page\n\nClerk arrived late.\n\nVerify the count.");
}

TEST_CASE("office: ods sheets, repeated cells and rows", "[docs][office]") {
    const auto doc = parse_office(office_fixture("overtime.ods"), limits{});
    CHECK(doc.kind == "ods");
    CHECK(doc.mime_type == "application/vnd.oasis.opendocument.spreadsheet");
    CHECK(all_meta(doc, "sheet") == std::vector<std::string>{"Overtime", "Second"});
    REQUIRE(doc.pages.size() == 2);
    // 16384 repeated empty columns and a million repeated empty rows: nothing
    CHECK(doc.pages[0].text == "Name\t\t\tHours\nSame\tx\tx\nSame\tx\tx");
    CHECK(doc.pages[1].text == "12.50");
}

TEST_CASE("office: odp slides and notes", "[docs][office]") {
    const auto doc = parse_office(office_fixture("hearing.odp"), limits{});
    CHECK(doc.kind == "odp");
    CHECK(doc.mime_type == "application/vnd.oasis.opendocument.presentation");
    REQUIRE(doc.pages.size() == 2);
    CHECK(doc.pages[0].text == "Budget hearing\nMarch 2023\n\nSpeaker notes here");
    CHECK(doc.pages[1].text == "Questions?");
}

TEST_CASE("office: what is not an Office document", "[docs][office]") {
    SECTION("a plain zip") {
        CHECK_THROWS_AS(parse_office(read_text(data_file("documents/zip/release.zip")), limits{}),
                        parse_error);
    }
    SECTION("not a zip") {
        CHECK_THROWS_AS(parse_office("hello", limits{}), parse_error);
        CHECK_THROWS_AS(parse_office("", limits{}), parse_error);
    }
    SECTION("malformed main part") {
        try {
            parse_office(office_fixture("malformed.docx"), limits{});
            FAIL("no parse_error");
        } catch (const parse_error& e) {
            CHECK(contains(e.what(), "word/document.xml"));
        }
    }
    SECTION("main part missing") {
        CHECK_THROWS_AS(parse_office(office_fixture("no_main_part.docx"), limits{}), parse_error);
    }
    SECTION("password-protected OpenDocument") {
        try {
            parse_office(office_fixture("protected.odt"), limits{});
            FAIL("no parse_error");
        } catch (const parse_error& e) {
            CHECK(contains(e.what(), "password-protected"));
        }
    }
}

TEST_CASE("office: limits", "[docs][office]") {
    const auto bytes = office_fixture("report.docx");
    limits lim;
    lim.max_pages = 2;
    CHECK_THROWS_AS(parse_office(bytes, lim), limit_error);
    lim = limits{};
    lim.max_text_bytes = 100;
    CHECK_THROWS_AS(parse_office(bytes, lim), limit_error);
    lim = limits{};
    lim.max_entries = 3;
    CHECK_THROWS_AS(parse_office(bytes, lim), limit_error);
    lim = limits{};
    lim.max_document_bytes = 1000; // word/document.xml is larger
    CHECK_THROWS_AS(parse_office(bytes, lim), limit_error);
}

TEST_CASE("office: 100,000 nested elements neither crash nor lose text", "[docs][office]") {
    limits lim;
    lim.max_ratio = 100000; // the deep XML compresses far better than any real document
    const auto doc = parse_office(office_fixture("deep.docx"), lim);
    REQUIRE(doc.pages.size() == 1);
    CHECK(doc.pages[0].text == "top\ndeep text");
    // with the default ratio it is a zip bomb
    CHECK_THROWS_AS(parse_office(office_fixture("deep.docx"), limits{}), limit_error);
}

TEST_CASE("office: random damage never crashes", "[docs][office]") {
    std::mt19937 rng(11);
    for (const char* name : {"report.docx", "budget.xlsx", "briefing.pptx", "minutes.odt",
                             "overtime.ods", "hearing.odp"}) {
        const auto original = office_fixture(name);
        for (int round = 0; round < 150; ++round) {
            auto bytes = original;
            const int flips = 1 + static_cast<int>(rng() % 6);
            for (int i = 0; i < flips; ++i)
                bytes[rng() % bytes.size()] = static_cast<char>(rng() & 0xFF);
            try {
                const auto doc = parse_office(bytes, limits{});
                CHECK_FALSE(doc.pages.empty());
            } catch (const parse_error&) {
            }
        }
    }
}
