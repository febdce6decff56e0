#pragma once

// The store the `porchlight map` tests draw (map_test.cpp, map_browser_test.cpp): five
// partnerships in an Atlas-of-Surveillance list, geocoded offline to real cities (Wichita,
// Topeka, Columbus, Seattle, Miami), one of them of an agency named with an HTML payload
// that would set window.pwned if a map ever parsed a name as HTML.

#include <catch2/catch.hpp>
#include <test_support.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace porchlight::test::map {

namespace fs = std::filesystem;

inline constexpr const char* hostile_name = "<img src=x onerror=window.pwned=1>";

class sample_store {
  public:
    sample_store() {
        std::ofstream(m_dir / "list.csv", std::ios::binary)
            << "AOSNUMBER,City,County,State,Agency,Type of LEA,Summary,Type of Juris,"
               "Technology,Vendor,Link 1,Link 1 Snapshot,Link 1 Source,Link 1 Type,Link 1 Date,"
               "Link 2,Link 2 Snapshot,Link 2 Source,Link 2 Type,Link 2 Date,Link 3,"
               "Link 3 Snapshot,Link 3 Source,Link 3 Type,Link 3 Date\n"
            << row("T1", "Wichita", "Sedgwick County", "KS", "Wichita Police Department",
                   "Ring/Neighbors Partnership", "Ring", "5/1/19")
            << row("T2", "Columbus", "Franklin County", "OH", "Columbus Division of Police",
                   "Automated License Plate Readers", "Flock Safety", "1/15/20")
            << row("T3", "Seattle", "King County", "WA", "Seattle Police Department",
                   "Ring/Neighbors Partnership", "Ring", "3/3/21")
            << row("T4", "Miami", "Miami-Dade County", "FL", "Miami Police Department",
                   "Ring/Neighbors Partnership", "Ring", "")
            << row("T5", "Topeka", "Shawnee County", "KS", hostile_name,
                   "Ring/Neighbors Partnership", "Ring", "8/8/19");
        run({"ingest", (m_dir / "list.csv").string(), "--profile", "atlas-of-surveillance",
             "--as-of", "2021-06-01", "--title", "Map test list"});
        run({"geocode"});
    }
    std::string db() const { return (m_dir / "store.db").string(); }
    fs::path dir() const { return m_dir.path(); }
    run_result map(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--db", db(), "map"});
        return run_porchlight(args);
    }

  private:
    static std::string row(const std::string& id, const std::string& city,
                           const std::string& county, const std::string& st,
                           const std::string& agency, const std::string& tech,
                           const std::string& vendor, const std::string& date) {
        return id + "," + city + "," + county + "," + st + "," + agency +
               ",Police,Test row.,Municipal," + tech + "," + vendor + ",https://example.org/t/" +
               id + ",,Test Ledger,News Story," + date + ",,,,,,,,,,\n";
    }
    void run(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db(), "-q"});
        const auto r = run_porchlight(args);
        INFO(r.err);
        REQUIRE(r.status == 0);
    }
    TempDir m_dir;
};

inline const sample_store& sample() {
    static const sample_store s;
    return s;
}

} // namespace porchlight::test::map
