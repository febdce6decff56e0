// precheck_csv reads in 1 MiB buffers: characters and errors across buffer boundaries.
#include <catch2/catch.hpp>
#include <test_support.hpp>

#include <porchlight/error.hpp>
#include <porchlight/ingest/table_reader.hpp>

#include <fstream>

using porchlight::parse_error;
using porchlight::ingest::precheck_csv;
using porchlight::test::TempDir;

namespace {
constexpr std::size_t mib = 1 << 20;

std::filesystem::path write(const TempDir& dir, const std::string& name, const std::string& bytes) {
    const auto p = dir / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}

/// "a,b\n" then data rows of 'x' so that `tail` starts `at` bytes into the file.
std::string padded(std::size_t at, const std::string& tail) {
    std::string s = "a,b\n";
    while (s.size() + 10 < at)
        s += "xxxxxxx,x\n"; // 10-byte rows
    s += std::string(at - s.size(), 'x');
    return s + tail;
}
} // namespace

TEST_CASE("precheck: a multi-byte character cut by the buffer boundary is valid", "[ingest][precheck]") {
    TempDir dir;
    for (std::size_t shift : {1, 2, 3}) {
        INFO(shift);
        // "€" is 3 bytes (E2 82 AC); put it so that 1, 2 or 3 of them fall before the boundary
        const auto file = write(dir, "ok.csv", padded(mib - shift, "\xE2\x82\xAC,y\n"));
        CHECK_NOTHROW(precheck_csv(file));
    }
}

TEST_CASE("precheck: an invalid byte after the first buffer names its row", "[ingest][precheck]") {
    TempDir dir;
    const auto file = write(dir, "bad.csv", padded(mib + 25, "\xFF,y\n"));
    try {
        precheck_csv(file);
        FAIL("no error");
    } catch (const parse_error& e) {
        CHECK(std::string(e.what()).find("invalid UTF-8 at byte offset " + std::to_string(mib + 25)) !=
              std::string::npos);
        // 4 header bytes, then 10-byte rows: the offset lies in data row (offset - 4) / 10 + 1
        CHECK(e.row() == static_cast<std::int64_t>((mib + 25 - 4) / 10 + 1));
    }
    const auto cut = write(dir, "cut.csv", padded(mib - 1, "\xE2\x82"));
    CHECK_THROWS_AS(precheck_csv(cut), parse_error);
    const auto quote = write(dir, "quote.csv", padded(mib + 5, "\"open,y\n"));
    try {
        precheck_csv(quote);
        FAIL("no error");
    } catch (const parse_error& e) {
        CHECK(std::string(e.what()).find("file ends inside a quoted field") != std::string::npos);
        CHECK(e.row() == static_cast<std::int64_t>((mib + 5 - 4) / 10 + 1));
    }
}
