#include <catch2/catch.hpp>

#include <porchlight/docs/document.hpp>

#include "test_support.hpp"

#include <string>

using namespace porchlight::docs;
using porchlight::test::data_file;
using porchlight::test::read_text;

namespace {

std::string text_of(const std::string& bytes, const limits& lim = {}) {
    const auto doc = parse_text(bytes, lim);
    REQUIRE(doc.pages.size() == 1);
    return doc.pages[0].text;
}

} // namespace

TEST_CASE("text file: UTF-8 with CR LF", "[docs][text]") {
    const auto doc = parse_text(read_text(data_file("documents/text/plain_utf8.txt")), limits{});
    CHECK(doc.kind == "text");
    CHECK(doc.mime_type == "text/plain");
    CHECK(doc.title.empty());
    CHECK(doc.warnings.empty());
    REQUIRE(doc.pages.size() == 1);
    CHECK_FALSE(doc.pages[0].needs_ocr);
    CHECK(doc.pages[0].text == "Records request 2023-117\nResponsive: yes\nCaf\xC3\xA9\n");
}

TEST_CASE("text file: windows-1252 and UTF-16", "[docs][text]") {
    CHECK(text_of(read_text(data_file("documents/text/windows1252.txt"))) ==
          "Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D\nline two\n");
    CHECK(text_of(read_text(data_file("documents/text/utf16le.txt"))) ==
          "Hello UTF-16\nsecond line\n");
}

TEST_CASE("text file: line ends, NUL bytes, empty", "[docs][text]") {
    CHECK(text_of("a\rb\r\nc\n\rd") == "a\nb\nc\n\nd");
    CHECK(text_of(std::string("a\0b", 3)) == "ab");
    CHECK(text_of("") == "");
    CHECK(text_of("\xEF\xBB\xBFwith BOM") == "with BOM");
}

TEST_CASE("text file: limits", "[docs][text]") {
    limits lim;
    lim.max_text_bytes = 4;
    CHECK_THROWS_AS(parse_text("12345", lim), limit_error);
    CHECK(text_of("1234", lim) == "1234");
    lim.max_text_bytes = 5;
    CHECK(text_of("12\r\n34", lim) == "12\n34"); // counted after CR LF became LF
    lim = limits{};
    lim.max_document_bytes = 3;
    CHECK_THROWS_AS(parse_text("1234", lim), limit_error);
}
