#include <catch2/catch.hpp>

#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

#include "test_support.hpp"

#include <random>
#include <string>

using namespace porchlight::docs;
using porchlight::test::data_file;
using porchlight::test::read_text;

namespace {

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

std::string html_fixture(const std::string& name) {
    return read_text(data_file("documents/html/" + name));
}

} // namespace

TEST_CASE("html: a report: title, metadata, blocks, pre, images, links", "[docs][html]") {
    const auto doc = parse_html(html_fixture("report.html"), limits{});
    CHECK(doc.kind == "html");
    CHECK(doc.mime_type == "text/html");
    CHECK(doc.title == "Records Release No. 7");
    REQUIRE(doc.pages.size() == 1);
    CHECK(doc.warnings.empty());
    const auto& text = doc.pages[0].text;
    CHECK(text == "Use of force policy\n"
                  "\n"
                  "The department\xE2\x80\x99s policy, see section 4, applies to all sworn "
                  "officers.\n"
                  "\n"
                  "First item\n"
                  "Second item\n"
                  "\n"
                  "Signed: [signature of the chief]\n"
                  "\n"
                  "  col1    col2\n"
                  "  1       2\n"
                  "\n"
                  "Line one\n"
                  "Line two\n"
                  "Line three");
    CHECK_FALSE(contains(text, "HIDDEN"));
    CHECK_FALSE(contains(text, "secret-url"));
    CHECK_FALSE(contains(text, "Records Release")); // the title is not part of the text

    using entry = std::pair<std::string, std::string>;
    const std::vector<entry> expected = {{"author", "Records Unit"},
                                         {"description", "Responsive records for request 2023-117"},
                                         {"generator", "Hand written"}};
    CHECK(doc.metadata == expected);
}

TEST_CASE("html: entities are decoded, and a no-break space entity is a plain space", "[docs][html]") {
    const auto text = html_to_text(html_fixture("entities.html"));
    CHECK(contains(text, "AT&T <b> \"quoted\" \xC2\xA9 \xE2\x80\x94 caf\xC3\xA9 na\xC3\xAFve "
                         "\xE2\x82\xAC"
                         "5"));
    CHECK(contains(text, "a b c")); // runs of &nbsp; collapse like spaces
    CHECK_FALSE(contains(text, "\xC2\xA0"));
    CHECK(contains(text, "5 < 6 and 7 > 3"));
    CHECK(contains(text, "&unknown;"));
}

TEST_CASE("html: table cells are tab-separated, rows are lines, nested tables", "[docs][html]") {
    const auto text = html_to_text(html_fixture("tables.html"));
    CHECK(contains(text, "Name\tBadge\tUnit\nSmith\t101\tPatrol\nJones\t\t"));
    CHECK(contains(text, "Jones\t\tinner A\tinner B\n")); // a table in a cell stays on its line
    CHECK(contains(text, "After the table"));
    CHECK(html_to_text("<table><tr><td><div>a</div></td><td><p>b</p></td></tr></table>") == "a\tb");
    CHECK(html_to_text("<table><tr><td>a</td><td></td></tr></table><p>x</p>") == "a\n\nx");
    CHECK(html_to_text("<td>loose</td><td>cells</td>") == "loose cells");
    // no trailing blanks on any line, no three line breaks in a row
    CHECK_FALSE(contains(text, " \n"));
    CHECK_FALSE(contains(text, "\t\n"));
    CHECK_FALSE(contains(text, "\n\n\n"));
}

TEST_CASE("html: white space", "[docs][html]") {
    SECTION("runs collapse, inline elements keep the space between them") {
        CHECK(html_to_text("<p>  a \n\t b  </p>") == "a b");
        CHECK(html_to_text("<b>bold</b> <i>italic</i>") == "bold italic");
        CHECK(html_to_text("<b>no</b><i>space</i>") == "nospace");
    }
    SECTION("<pre> keeps it, without the first line break") {
        CHECK(html_to_text("<pre>\n a\n\n  b  c\n</pre>") == " a\n\n  b  c");
        CHECK(html_to_text("<pre>x\r\ny</pre>") == "x\ny");
    }
    SECTION("blank lines fold, lines are trimmed") {
        CHECK(html_to_text("a<br><br><br><br><br>b") == "a\n\nb");
        CHECK(html_to_text("<p>a   </p>\n\n<p></p><p></p><div>   </div><p>b</p>") == "a\n\nb");
        CHECK(html_to_text("<br><br>start") == "start");
    }
    SECTION("blocks break lines") {
        CHECK(html_to_text("<div>one</div><div>two</div>") == "one\ntwo");
        CHECK(html_to_text("<h2>Title</h2>body") == "Title\n\nbody");
        CHECK(html_to_text("<ol><li>x<li>y</ol>z") == "x\ny\n\nz");
        CHECK(html_to_text("a<hr>b") == "a\n\nb");
    }
}

TEST_CASE("html: script, style, comments and head are dropped", "[docs][html]") {
    std::string title;
    const auto text =
        html_to_text("<html><head><title>T</title><style>.x{}</style><script>alert(1)</script>"
                     "<link rel=stylesheet href=x.css></head><body>visible<!-- gone --><script>"
                     "document.write('<p>gone</p>')</script><style>p{}</style> text</body></html>",
                     &title);
    CHECK(text == "visible text");
    CHECK(title == "T");
}

TEST_CASE("html: a broken, unclosed document is still read", "[docs][html]") {
    std::string title;
    const auto text = html_to_text(html_fixture("broken.html"), &title);
    CHECK(contains(text, "First paragraph bold bold italic"));
    CHECK(contains(text, "cell one\tcell two"));
    CHECK(contains(text, "Text after an unclosed table"));
    CHECK(contains(text, "After the end"));
}

TEST_CASE("html: windows-1252 declared by <meta>", "[docs][html]") {
    const auto doc = parse_html(html_fixture("windows1252.html"), limits{});
    CHECK(doc.title == "Caf\xC3\xA9 report");
    REQUIRE(doc.pages.size() == 1);
    CHECK(doc.pages[0].text == "\xE2\x80\x9C"
                               "Caf\xC3\xA9\xE2\x80\x9D costs \xE2\x82\xAC"
                               "5");
}

TEST_CASE("html: charsets", "[docs][html]") {
    SECTION("UTF-8 that was decoded already wins over a stale <meta>") {
        CHECK(html_to_text("<meta charset=\"iso-8859-1\"><p>caf\xC3\xA9</p>") == "caf\xC3\xA9");
    }
    SECTION("no <meta>, not UTF-8: windows-1252") {
        CHECK(html_to_text("<p>caf\xE9</p>") == "caf\xC3\xA9");
    }
    SECTION("a UTF-16 BOM") {
        const std::string utf16("\xFF\xFE<\0p\0>\0\xE9\0<\0/\0p\0>\0", 18);
        CHECK(html_to_text(utf16) == "\xC3\xA9");
    }
    SECTION("a <meta> that names UTF-16 in ASCII bytes is read as UTF-8") {
        CHECK(html_to_text("<meta charset=utf-16><p>ok</p>") == "ok");
    }
    SECTION("an unknown charset is read as windows-1252") {
        CHECK(html_to_text("<meta charset=x-no-such-thing><p>\x80</p>") == "\xE2\x82\xAC");
    }
}

TEST_CASE("html: images and links", "[docs][html]") {
    CHECK(html_to_text("<p>Logo:<img alt=\" City  seal \">here</p>") == "Logo: [City seal] here");
    CHECK(html_to_text("<p>a<img src=x.png>b</p>") == "ab");
    CHECK(html_to_text("<a href=\"http://example.com/x\">the report</a>") == "the report");
}

TEST_CASE("html: hostile strings are kept as text", "[docs][html]") {
    const auto text = html_to_text(html_fixture("hostile.html"));
    CHECK(contains(text, "<script>alert('x')</script>"));
    CHECK(contains(text, "'; DROP TABLE documents; --"));
    CHECK(contains(text, "$(rm -rf /) `id` %s%s%n {{7*7}} ${jndi:ldap://x}"));
    CHECK(contains(text, "evil"));
}

TEST_CASE("html: deep nesting neither crashes nor loses text", "[docs][html]") {
    for (const char* tag : {"div", "b", "table", "span"}) {
        std::string html = "<p>before</p>";
        for (int i = 0; i < 10000; ++i)
            html += std::string("<") + tag + ">";
        html += "deep";
        for (int i = 0; i < 10000; ++i)
            html += std::string("</") + tag + ">";
        html += "<p>after</p>";
        const auto doc = parse_html(html, limits{});
        REQUIRE(doc.pages.size() == 1);
        const auto& text = doc.pages[0].text;
        CHECK(text.find("before") < text.find("deep"));
        CHECK(text.find("deep") < text.find("after"));
        CHECK(text.find("deep") == text.rfind("deep")); // once: nothing is read twice
        CHECK(text.find("after") != std::string::npos);
        CHECK(doc.warnings.size() == 1);
    }
}

TEST_CASE("html: deep nesting with stray end tags stays fast", "[docs][html]") {
    // libxml2 searches its stack of open elements for each stray end tag: without the
    // depth cap this input takes many seconds
    std::string html;
    for (int i = 0; i < 50000; ++i)
        html += "<div>";
    html += "x";
    for (int i = 0; i < 50000; ++i)
        html += "</span>";
    const auto text = html_to_text(html);
    CHECK(text == "x");
}

TEST_CASE("html: empty, blank and garbage input", "[docs][html]") {
    std::string title = "stale";
    CHECK(html_to_text("", &title).empty());
    CHECK(title.empty());
    CHECK(html_to_text("   \n\t").empty());
    CHECK(html_to_text("<").empty() == false); // a lone '<' is text
    CHECK(html_to_text("<<<>>>").size() > 0);
    CHECK(html_to_text(std::string("a\0b", 3)) == "a b");
    CHECK(html_to_text("<!DOCTYPE html [<!ENTITY x \"xxxxxxxx\">]><p>&x;&x;</p>").size() < 100);

    std::mt19937 rng(42);
    for (int round = 0; round < 300; ++round) {
        std::string bytes(static_cast<std::size_t>(rng() % 2000), '\0');
        for (auto& c : bytes) {
            const auto r = rng() % 16;
            c = r < 4 ? "<>/&"[r] : static_cast<char>(rng() & 0xFF);
        }
        const auto text = html_to_text(bytes);
        CHECK(sanitize_utf8(text) == text);
    }
}

TEST_CASE("html: limits", "[docs][html]") {
    limits lim;
    lim.max_document_bytes = 10;
    CHECK_THROWS_AS(parse_html("<p>more than ten bytes</p>", lim), limit_error);
    lim = limits{};
    lim.max_text_bytes = 5;
    CHECK_THROWS_AS(parse_html("<p>more than five</p>", lim), limit_error);
    CHECK_NOTHROW(parse_html("<p>five!</p>", lim));
}
