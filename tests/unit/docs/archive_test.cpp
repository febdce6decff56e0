#include <catch2/catch.hpp>

#include <porchlight/docs/document.hpp>

#include "test_support.hpp"

#include <algorithm>
#include <clocale>
#include <random>
#include <string>
#include <vector>

using namespace porchlight::docs;
using porchlight::test::data_file;
using porchlight::test::read_text;

namespace {

std::string zip_fixture(const std::string& name) {
    return read_text(data_file("documents/zip/" + name));
}

std::vector<std::string> names_of(const document& doc) {
    std::vector<std::string> names;
    for (const auto& c : doc.children)
        names.push_back(c.name);
    return names;
}

const embedded* child_named(const document& doc, const std::string& name) {
    for (const auto& c : doc.children)
        if (c.name == name)
            return &c;
    return nullptr;
}

bool has_warning(const document& doc, const std::string& part) {
    return std::any_of(doc.warnings.begin(), doc.warnings.end(),
                       [&](const std::string& w) { return w.find(part) != std::string::npos; });
}

} // namespace

TEST_CASE("zip: a release: files, folders, a nested zip, names in UTF-8 and CP437", "[docs][zip]") {
    const auto doc = parse_zip(zip_fixture("release.zip"), limits{});
    CHECK(doc.kind == "zip");
    CHECK(doc.mime_type == "application/zip");
    CHECK(doc.pages.empty());
    const std::vector<std::string> expected = {
        "Release 2023-117/response letter.pdf",
        "Release 2023-117/emails/re budget.eml",
        "Release 2023-117/nested/deeper/notes.txt",
        "Release 2023-117/attachments.zip",
        "Release 2023-117/caf\xC3\xA9 men\xC3\xBC.txt", // UTF-8 flag
        "Release 2023-117/r\xC3\xA9sum\xC3\xA9.txt",    // no flag: CP437
        "Release 2023-117/empty.txt",
    };
    CHECK(names_of(doc) == expected);

    const auto* pdf = child_named(doc, "Release 2023-117/response letter.pdf");
    REQUIRE(pdf);
    CHECK(pdf->bytes == "%PDF-1.4 not really a PDF, text in a .pdf name\n");
    CHECK(pdf->mime_type.empty());
    CHECK(child_named(doc, "Release 2023-117/nested/deeper/notes.txt")->bytes == "deep notes\n");
    CHECK(child_named(doc, "Release 2023-117/empty.txt")->bytes.empty());

    SECTION("the nested zip is a child like any file, and reads as a zip itself") {
        const auto* nested = child_named(doc, "Release 2023-117/attachments.zip");
        REQUIRE(nested);
        const auto inner = parse_zip(nested->bytes, limits{});
        CHECK(names_of(inner) == std::vector<std::string>{"inner/readme.txt", "inner/data.csv"});
        CHECK(inner.children[0].bytes == "inside the nested zip\n");
    }
    SECTION("encrypted entries and symbolic links: warnings; Finder's files: nothing") {
        CHECK(has_warning(doc, "\"Release 2023-117/secret.txt\" is encrypted; skipped"));
        CHECK(has_warning(doc, "\"Release 2023-117/link-to-passwd\" is a symbolic link"));
        CHECK(doc.warnings.size() == 2);
        for (const auto& name : names_of(doc)) {
            CHECK(name.find("__MACOSX") == std::string::npos);
            CHECK(name.find(".DS_Store") == std::string::npos);
        }
    }
}

TEST_CASE("zip: entry names do not depend on the process locale", "[docs][zip]") {
    const auto bytes = zip_fixture("release.zip");
    const auto in_c = names_of(parse_zip(bytes, limits{}));
    const std::string before = std::setlocale(LC_ALL, nullptr);
    for (const char* name : {"de_DE.UTF-8", "C.UTF-8", "POSIX"}) {
        if (!std::setlocale(LC_ALL, name))
            continue;
        const auto names = names_of(parse_zip(bytes, limits{}));
        std::setlocale(LC_ALL, before.c_str());
        CHECK(names == in_c);
    }
    std::setlocale(LC_ALL, before.c_str());
}

TEST_CASE("zip: entry names that escape the archive are made safe, with a warning", "[docs][zip]") {
    const auto doc = parse_zip(zip_fixture("traversal.zip"), limits{});
    const std::vector<std::string> expected = {"etc/passwd", "abs/path.txt",     "Windows/evil.txt",
                                               "up.txt",     "dir/sub/back.txt", "plain/file.txt"};
    CHECK(names_of(doc) == expected);
    CHECK(has_warning(doc, "entry name \"../../etc/passwd\" escapes the archive; read as "
                           "\"etc/passwd\""));
    CHECK(has_warning(doc, "\"/abs/path.txt\" escapes the archive"));
    CHECK(has_warning(doc, "evil.txt\" escapes the archive; read as \"Windows/evil.txt\""));
    CHECK(has_warning(doc, "\"ok/../../up.txt\" escapes the archive; read as \"up.txt\""));
    CHECK(doc.warnings.size() == 4); // backslashes and "./" alone are no escape
    for (const auto& name : names_of(doc)) {
        CHECK(name.find("..") == std::string::npos);
        CHECK_FALSE(name.starts_with("/"));
        CHECK(name.find('\\') == std::string::npos);
    }
}

TEST_CASE("zip: bombs are stopped by what actually comes out", "[docs][zip]") {
    SECTION("expansion ratio") {
        try {
            parse_zip(zip_fixture("bomb.zip"), limits{});
            FAIL("no limit_error");
        } catch (const limit_error& e) {
            CHECK(std::string(e.what()).find("\"zeros.bin\"") != std::string::npos);
            CHECK(std::string(e.what()).find("200 times") != std::string::npos);
        }
    }
    SECTION("a header that claims 1000 bytes does not fool the count") {
        CHECK_THROWS_AS(parse_zip(zip_fixture("bomb_lying_header.zip"), limits{}), limit_error);
        limits lim;
        lim.max_ratio = 100000; // the ratio alone is not what stops it
        lim.max_document_bytes = 1 << 20;
        try {
            parse_zip(zip_fixture("bomb_lying_header.zip"), lim);
            FAIL("no limit_error");
        } catch (const limit_error& e) {
            CHECK(std::string(e.what()).find("larger than the limit of 1048576 bytes") !=
                  std::string::npos);
        }
    }
    SECTION("all entries together") {
        limits lim;
        lim.max_ratio = 100000;
        lim.max_expanded_bytes = 5 << 20;
        try {
            parse_zip(zip_fixture("bomb.zip"), lim);
            FAIL("no limit_error");
        } catch (const limit_error& e) {
            CHECK(std::string(e.what()).find("\"zeros.bin\" takes the archive past the limit") !=
                  std::string::npos);
        }
    }
    SECTION("within generous limits it is read") {
        limits lim;
        lim.max_ratio = 100000;
        const auto doc = parse_zip(zip_fixture("bomb.zip"), lim);
        REQUIRE(doc.children.size() == 2);
        CHECK(doc.children[1].bytes.size() == 10u << 20);
    }
}

TEST_CASE("zip: entry count limit", "[docs][zip]") {
    limits lim;
    lim.max_entries = 10;
    CHECK_THROWS_AS(parse_zip(zip_fixture("many.zip"), lim), limit_error);
    lim.max_entries = 60;
    CHECK(parse_zip(zip_fixture("many.zip"), lim).children.size() == 60);
}

TEST_CASE("zip: one damaged entry is a warning, the rest is read", "[docs][zip]") {
    const auto doc = parse_zip(zip_fixture("corrupt_entry.zip"), limits{});
    CHECK(names_of(doc) == std::vector<std::string>{"first.txt", "third.txt"});
    CHECK(doc.children[1].bytes == "third entry\n");
    CHECK(has_warning(doc, "entry \"second.txt\" cannot be read"));
}

TEST_CASE("zip: truncated, empty and not a zip", "[docs][zip]") {
    CHECK_THROWS_AS(parse_zip(zip_fixture("truncated.zip"), limits{}), parse_error);
    CHECK_THROWS_AS(parse_zip(zip_fixture("not_a_zip.zip"), limits{}), parse_error);
    CHECK_THROWS_AS(parse_zip("", limits{}), parse_error);
    const auto empty = parse_zip(zip_fixture("empty.zip"), limits{});
    CHECK(empty.children.empty());
    CHECK(empty.warnings.empty());
}

TEST_CASE("zip: random damage never crashes", "[docs][zip]") {
    const auto original = zip_fixture("release.zip");
    std::mt19937 rng(7);
    for (int round = 0; round < 400; ++round) {
        auto bytes = original;
        const int flips = 1 + static_cast<int>(rng() % 8);
        for (int i = 0; i < flips; ++i)
            bytes[rng() % bytes.size()] = static_cast<char>(rng() & 0xFF);
        if (round % 5 == 0)
            bytes.resize(rng() % bytes.size());
        try {
            const auto doc = parse_zip(bytes, limits{});
            for (const auto& c : doc.children)
                CHECK(c.name.find("..") == std::string::npos);
        } catch (const parse_error&) {
            // fine: limit_error is one too
        }
    }
    for (int round = 0; round < 200; ++round) {
        std::string bytes(static_cast<std::size_t>(rng() % 600), '\0');
        for (auto& c : bytes)
            c = static_cast<char>(rng() & 0xFF);
        if (round % 2 == 0)
            bytes.replace(0, std::min<std::size_t>(4, bytes.size()), "PK\x03\x04");
        CHECK_THROWS_AS(parse_zip(bytes, limits{}), parse_error);
    }
}
