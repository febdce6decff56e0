// End-to-end tests of `porchlight diff` and `porchlight timeline`: two snapshots of one
// Atlas-shaped list (tests/data/history/, fictional; its README lists the expected changes),
// a Ring map and a dated list of another dataset, compared by date and by SHA-256.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <test_support.hpp>

#include <cctype>
#include <sstream>
#include <string>
#include <vector>

using namespace porchlight::test;

namespace {

/// A store holding the history fixtures: source 1 = the Atlas as of 2020-10-07, 2 = the
/// Atlas as of 2024-03-01, 3 = the Ring map as of 2020-01-15, and with dated_list also
/// 4 and 5 = the fictional dated list as of 2021-06-01 and 2022-06-01.
class history_store {
public:
    explicit history_store(bool dated_list = false) {
        ingest({"history/atlas-2020-10-07.csv", "--as-of", "2020-10-07"});
        ingest({"history/atlas-2024-03-01.csv", "--as-of", "2024-03-01"});
        ingest({"history/ring-map-2020-01-15.kml", "--as-of", "2020-01-15"});
        if (dated_list) {
            const auto profile = data_file("history/dated-list.yaml").string();
            ingest({"history/dated-list-2021.csv", "-p", profile, "--as-of", "2021-06-01"});
            ingest({"history/dated-list-2022.csv", "-p", profile, "--as-of", "2022-06-01"});
        }
    }
    run_result run(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--db", db()});
        return run_porchlight(args);
    }
    std::string db() const { return (m_dir / "store.db").string(); }
    std::string sha(int source, std::size_t digits) const {
        return query(db(), "SELECT sha256 FROM sources WHERE id = " + std::to_string(source))
            .substr(0, digits);
    }

private:
    void ingest(std::vector<std::string> args) {
        args[0] = data_file(args[0]).string();
        args.insert(args.begin(), {"--db", db(), "-q", "ingest"});
        const auto r = run_porchlight(args);
        INFO(r.err);
        REQUIRE(r.status == 0);
    }
    TempDir m_dir;
};

// The changes tests/data/history/README.md lists, in the documented order: by change,
// agency, state, technology, vendor.
const std::string expected_csv =
    "change,what,agency,state,vendor,technology,field,from,to,from_evidence,to_evidence\n"
    "appeared,agency,Quillon County Sheriff's Office,KS,,,,,,,source 2 row 7\n"
    "appeared,partnership,Quillon County Sheriff's Office,KS,Skydio,Drones,,,,,source 2 row 7\n"
    "appeared,partnership,Smallville Police Department,KS,Flock Safety,"
    "Automated License Plate Readers,,,,,source 2 row 6\n"
    "changed,partnership,Fenwick Hollow Police Department,OR,Flock Safety,"
    "Automated License Plate Readers,vendor,Vigilant Solutions,Flock Safety,source 1 row 5,"
    "source 2 row 3\n"
    "changed,agency,Smallville Police Department,KS,,,name,Smallville PD,"
    "Smallville Police Department,source 1 row 1,source 2 row 1\n"
    "changed,partnership,Tamsin County Sheriff's Office,ME,,Face Recognition,start,2020-01-09,"
    "2019-06-30,source 1 row 7,source 2 row 4\n"
    "disappeared,partnership,Harlow Bay Police Department,ME,Ring,Ring/Neighbors Partnership,"
    ",,,source 1 row 3,\n"
    "disappeared,partnership,Juniper Flats Police Department,AZ,Ring,"
    "Ring/Neighbors Partnership,,,,source 1 row 9,\n"
    "disappeared,agency,Ostrander Falls Police Department,MN,,,,,,source 1 row 6,\n"
    "disappeared,partnership,Ostrander Falls Police Department,MN,Ring,"
    "Ring/Neighbors Partnership,,,,source 1 row 6,\n"
    "disappeared,partnership,Smallville Police Department,KS,Ring,Ring/Neighbors Partnership,"
    ",,,source 1 row 1,\n";

std::vector<std::string> lines(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

/// The line of a table that contains every one of words, or "" when none does.
std::string line_with(const std::string& out, const std::vector<std::string>& words) {
    for (const auto& line : lines(out)) {
        bool all = true;
        for (const auto& w : words)
            all = all && line.find(w) != std::string::npos;
        if (all)
            return line;
    }
    return {};
}

} // namespace

TEST_CASE("diff by date lists every change of the README as csv", "[history][diff]") {
    const history_store s;
    const auto r = s.run({"diff", "--source", "atlas-of-surveillance", "--from", "2020-10-07",
                          "--to", "2024-03-01", "--format", "csv"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    CHECK(r.out == expected_csv);
}

TEST_CASE("diff picks the latest snapshot on or before each date", "[history][diff]") {
    const history_store s;
    // 2023-12-31 is before the second snapshot: both dates name source 1, so nothing changed
    auto r = s.run({"diff", "--from", "2021-01-01", "--to", "2023-12-31", "--format", "csv"});
    REQUIRE(r.status == 0);
    CHECK(count_lines(r.out) == 1);
    // any day from 2024-03-01 on names the second snapshot; the Ring map (one snapshot) is
    // not a candidate, so the Atlas is the default dataset
    r = s.run({"diff", "--from", "2022-06-30", "--to", "2031-01-01", "--format", "csv"});
    REQUIRE(r.status == 0);
    CHECK(r.out == expected_csv);
}

TEST_CASE("diff by SHA-256 prefix gives the same changes as by date", "[history][diff]") {
    const history_store s;
    SECTION("both sides by SHA-256, without --source") {
        const auto r =
            s.run({"diff", "--from", s.sha(1, 8), "--to", s.sha(2, 12), "--format", "csv"});
        INFO(r.err);
        REQUIRE(r.status == 0);
        CHECK(r.out == expected_csv);
    }
    SECTION("a date and an upper-case prefix of six digits") {
        auto upper = s.sha(2, 6);
        for (auto& c : upper)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        const auto r = s.run({"diff", "--from", "2020-10-07", "--to", upper, "--format", "csv"});
        INFO(r.err);
        REQUIRE(r.status == 0);
        CHECK(r.out == expected_csv);
    }
    SECTION("the other way round, appeared and disappeared swap") {
        const auto r =
            s.run({"diff", "--from", s.sha(2, 8), "--to", s.sha(1, 8), "--format", "csv"});
        REQUIRE(r.status == 0);
        CHECK(r.out.find("appeared,partnership,Smallville Police Department,KS,Ring,") !=
              std::string::npos);
        CHECK(r.out.find("disappeared,agency,Quillon County Sheriff's Office,KS,,,,,,source 2 "
                         "row 7,\n") != std::string::npos);
        CHECK(r.out.find(",vendor,Flock Safety,Vigilant Solutions,source 2 row 3,source 1 row 5") !=
              std::string::npos);
    }
}

TEST_CASE("diff as a table names both snapshots, then one row per change", "[history][diff]") {
    const history_store s;
    const auto r = s.run({"diff", "--source", "atlas-of-surveillance", "--from", "2020-10-07",
                          "--to", "2024-03-01"});
    REQUIRE(r.status == 0);
    const auto out = lines(r.out);
    REQUIRE(out.size() == 2 + 2 + 11);
    CHECK(out[0] == "atlas-of-surveillance: source 1 (2020-10-07, " + s.sha(1, 12) +
                        ") -> source 2 (2024-03-01, " + s.sha(2, 12) + "), 11 changes");
    CHECK(out[1].empty());
    CHECK(out[2].rfind("change       what         agency", 0) == 0);
    CHECK(out[4].rfind("appeared     agency       Quillon County Sheriff's Office", 0) == 0);
    CHECK_FALSE(line_with(r.out, {"changed", "agency", "Smallville Police Department", "name",
                                  "Smallville PD", "source 1 row 1", "source 2 row 1"})
                    .empty());
    CHECK_FALSE(line_with(r.out, {"changed", "Tamsin County Sheriff's Office", "start",
                                  "2020-01-09", "2019-06-30"})
                    .empty());
    CHECK(out.back().rfind("disappeared  partnership  Smallville Police Department", 0) == 0);
}

TEST_CASE("diff as json keeps null for what a row does not have", "[history][diff]") {
    const history_store s;
    const auto r = s.run({"diff", "--source", "atlas-of-surveillance", "--from", "2020-10-07",
                          "--to", "2024-03-01", "--format", "json"});
    REQUIRE(r.status == 0);
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE(j.size() == 11);
    const auto& vendor = j.at(3);
    CHECK(vendor.at("change") == "changed");
    CHECK(vendor.at("what") == "partnership");
    CHECK(vendor.at("agency") == "Fenwick Hollow Police Department");
    CHECK(vendor.at("field") == "vendor");
    CHECK(vendor.at("from") == "Vigilant Solutions");
    CHECK(vendor.at("to") == "Flock Safety");
    CHECK(vendor.at("from_evidence") == "source 1 row 5");
    CHECK(vendor.at("to_evidence") == "source 2 row 3");
    const auto& renamed = j.at(4);
    CHECK(renamed.at("what") == "agency");
    CHECK(renamed.at("field") == "name");
    CHECK(renamed.at("vendor").is_null());
    CHECK(renamed.at("technology").is_null());
    const auto& gone = j.at(10);
    CHECK(gone.at("change") == "disappeared");
    CHECK(gone.at("technology") == "Ring/Neighbors Partnership");
    CHECK(gone.at("field").is_null());
    CHECK(gone.at("to_evidence").is_null());
    CHECK(gone.at("from_evidence") == "source 1 row 1");
}

TEST_CASE("diff reports an end that a later snapshot gives", "[history][diff]") {
    const history_store s(true);
    // the dataset named by a source title: dated-list-2021.csv is fictional-dated-list
    for (const auto* name : {"fictional-dated-list", "dated-list-2021.csv"}) {
        const auto r = s.run({"diff", "--source", name, "--from", "2021-06-01", "--to",
                              "2022-06-01", "--format", "csv"});
        INFO(name << ": " << r.err);
        REQUIRE(r.status == 0);
        CHECK(r.out == "change,what,agency,state,vendor,technology,field,from,to,from_evidence,"
                       "to_evidence\nchanged,partnership,Harlow Bay Police Department,ME,DJI,"
                       "Drones,end,,2021-12,source 4 row 1,source 5 row 1\n");
    }
}

TEST_CASE("diff errors name what is missing, bad arguments are usage errors",
          "[history][diff][errors]") {
    const history_store s(true);
    const auto before = store_fingerprint(s.db());
    struct error_case {
        std::vector<std::string> args;
        int status;
        std::string message;
    };
    const std::vector<error_case> cases = {
        {{"--from", "2020-10-07", "--to", "2024-03-01"},
         1,
         "several datasets have two or more snapshots: atlas-of-surveillance (2 snapshots), "
         "fictional-dated-list (2 snapshots); name one with --source"},
        {{"--source", "atlas-of-surveillance", "--from", "2019-12-31", "--to", "2024-03-01"},
         1,
         "--from: no snapshot of atlas-of-surveillance is as of 2019-12-31 or earlier; its "
         "snapshots: 2020-10-07 (source 1, " +
             s.sha(1, 12) + "), 2024-03-01 (source 2, " + s.sha(2, 12) + ")"},
        {{"--source", "neighbors", "--from", "2020-10-07", "--to", "2024-03-01"},
         1,
         "no dataset or source title 'neighbors'; datasets: atlas-of-surveillance (2 "
         "snapshots), fictional-dated-list (2 snapshots), ring-agency-map (1 snapshot)"},
        {{"--from", "0000000", "--to", "2024-03-01"},
         1,
         "--from: no source has a SHA-256 that starts with 0000000"},
        {{"--from", s.sha(1, 8), "--to", s.sha(3, 8)},
         1,
         "--to: source 3 (ring-map-2020-01-15.kml) is a snapshot of ring-agency-map, not of "
         "atlas-of-surveillance"},
        {{"--from", "2020-13-01", "--to", "2024-03-01"},
         2,
         "--from: invalid date '2020-13-01': month 13 out of range"},
        {{"--from", "2020-10", "--to", "2024-03-01"},
         2,
         "--from: '2020-10' is not a full date (YYYY-MM-DD); give a full date (YYYY-MM-DD) or "
         "a SHA-256 prefix of 6 or more hex digits"},
        {{"--from", "2020-10-07", "--to", "abc"}, 2, "--to: invalid date 'abc'"},
        {{"--from", "2020-10-07"}, 2, "diff needs --from and --to"},
        {{"--from", "2020-10-07", "--to", "2024-03-01", "--format", "xml"},
         2,
         "unknown format 'xml'"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> args = {"diff"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        const auto r = s.run(args);
        INFO(r.err);
        CHECK(r.status == c.status);
        CHECK(r.out.empty());
        CHECK(r.err.rfind("porchlight diff: ", 0) == 0);
        CHECK(r.err.find(c.message) != std::string::npos);
    }
    CHECK(store_fingerprint(s.db()) == before);
}

TEST_CASE("timeline of one agency: claims, names and a vanished partnership's last-seen row",
          "[history][timeline]") {
    const history_store s(true);
    const auto before = store_fingerprint(s.db());
    // the agency as `agencies show` finds it: by an alias that only the first Atlas used
    const auto r = s.run({"timeline", "Smallville PD", "--format", "csv"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto out = lines(r.out);
    REQUIRE(out.size() == 19);
    CHECK(out[0] == "date,precision,event,says,source,title,as_of,locator,evidence");
    // in date order (a month sorts before its days)
    for (std::size_t i = 2; i < out.size(); ++i)
        CHECK(out[i - 1].substr(0, 10) <= out[i].substr(0, 10));
    CHECK(out[1].rfind("2018-03-04,day,started,Body-worn Cameras (Axon) started 2018-03-04 (as "
                       "written: 3/4/18),1,atlas-2020-10-07.csv,2020-10-07,row 2,",
                       0) == 0);
    CHECK(out[3].rfind("2019-07,month,started,Ring/Neighbors Partnership (Ring) started 2019-07 "
                       "(as written: July 2019),4,dated-list-2021.csv,2021-06-01,row 2,",
                       0) == 0);
    CHECK(out[6].rfind("2019-07-15,day,started,Ring/Neighbors Partnership (Ring) started "
                       "2019-07-15 (as written: 7/15/2019),3,ring-map-2020-01-15.kml,"
                       "2020-01-15,placemark 1,",
                       0) == 0);
    // the Atlas stopped listing the Ring partnership: last seen in 2020, absent in 2024
    CHECK(out[10] == "2020-10-07,day,last seen,Ring/Neighbors Partnership (Ring) last seen in "
                     "atlas-of-surveillance on 2020-10-07; absent from 1 later snapshot,1,"
                     "atlas-2020-10-07.csv,2020-10-07,row 1,");
    CHECK(out[18] == "2024-03-01,day,absent,Ring/Neighbors Partnership (Ring) absent from "
                     "atlas-of-surveillance as of 2024-03-01 (last seen 2020-10-07),2,"
                     "atlas-2024-03-01.csv,2024-03-01,,");
    // the other datasets still list it in their latest snapshots
    CHECK(out[8] == "2020-01-15,day,last seen,Ring/Neighbors Partnership (Ring) last seen in "
                    "ring-agency-map on 2020-01-15 (its latest snapshot),3,"
                    "ring-map-2020-01-15.kml,2020-01-15,placemark 1,");
    CHECK(out[13] == "2022-06-01,day,last seen,Ring/Neighbors Partnership (Ring) last seen in "
                     "fictional-dated-list on 2022-06-01 (its latest snapshot),5,"
                     "dated-list-2022.csv,2022-06-01,row 2,");
    // each spelling, where and when it was used
    CHECK(out[9].rfind("2020-10-07,day,named,\"named as \"\"Smallville PD\"\"\",1,", 0) == 0);
    CHECK(out[15].rfind("2024-03-01,day,named,\"named as \"\"Smallville Police Department\"\"\",2,",
                        0) == 0);
    CHECK(out[14].rfind("2023-01-17,day,started,Automated License Plate Readers (Flock Safety) "
                        "started 2023-01-17 (as written: 1/17/23),2,",
                        0) == 0);
    CHECK(store_fingerprint(s.db()) == before);
}

TEST_CASE("timeline as a table and as json", "[history][timeline]") {
    const history_store s;
    auto r = s.run({"timeline", "Smallville Police Department"});
    REQUIRE(r.status == 0);
    CHECK(r.out.rfind("agency 1: Smallville Police Department (Smallville, KS)\n\ndate  ", 0) == 0);
    CHECK_FALSE(line_with(r.out, {"2024-03-01", "absent",
                                  "Ring/Neighbors Partnership (Ring) absent "
                                  "from atlas-of-surveillance"})
                    .empty());
    r = s.run({"timeline", "1", "--format", "json"});
    REQUIRE(r.status == 0);
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE(j.size() == 13);
    CHECK(j.at(0).at("source") == 1);
    CHECK(j.at(0).at("evidence").is_number_integer());
    const auto& absent = j.back();
    CHECK(absent.at("event") == "absent");
    CHECK(absent.at("locator").is_null());
    CHECK(absent.at("evidence").is_null());
}

TEST_CASE("timeline errors", "[history][timeline][errors]") {
    const history_store s;
    auto r = s.run({"timeline", "Nowhere PD"});
    CHECK(r.status == 1);
    CHECK(r.err.rfind("porchlight timeline: no agency named 'Nowhere PD'", 0) == 0);
    r = s.run({"timeline", "99"});
    CHECK(r.status == 1);
    CHECK(r.err == "porchlight timeline: no agency with id 99\n");
    r = s.run({"timeline"});
    CHECK(r.status == 2);
    CHECK(r.err.rfind("porchlight timeline: timeline needs an agency id or name", 0) == 0);
    r = s.run({"timeline", "1", "--format", "yaml"});
    CHECK(r.status == 2);
}

TEST_CASE("a partnership that vanishes from a later snapshot is kept with its last_seen",
          "[history][ingest]") {
    const history_store s;
    // Smallville's Ring partnership: named by the Ring map (2020-01-15) and the first Atlas
    // (2020-10-07), not by the Atlas of 2024-03-01 that was ingested before the map
    CHECK(query(s.db(), "SELECT first_seen || ' ' || last_seen || ' ' || ifnull(end_date, '-') "
                        "FROM partnerships_view WHERE agency = 'Smallville Police Department' "
                        "AND vendor = 'Ring'") == "2020-01-15 2020-10-07 -");
    CHECK(query(s.db(), "SELECT count(*) FROM partnerships") == "12");
    CHECK(query(s.db(), "SELECT group_concat(first_seen || '/' || last_seen) FROM "
                        "partnerships_view WHERE agency = 'Ostrander Falls Police Department'") ==
          "2020-10-07/2020-10-07");
    // no source says it ended, so it still counts as of a later day
    const auto r = s.run({"partnerships", "--vendor", "ring", "--state", "KS", "--as-of",
                          "2024-03-01", "--format", "csv"});
    REQUIRE(r.status == 0);
    CHECK(r.out.find("Smallville Police Department,Smallville,KS,Ring") != std::string::npos);
}
