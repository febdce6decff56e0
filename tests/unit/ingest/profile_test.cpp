#include <catch2/catch.hpp>

#include <porchlight/error.hpp>
#include <porchlight/ingest/profile.hpp>
#include <porchlight/ingest/table_reader.hpp>

#include "test_support.hpp"

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace porchlight::ingest;
using porchlight::test::data_file;
using porchlight::test::TempDir;

namespace {

const fs::path profiles_dir = fs::path(PORCHLIGHT_SOURCE_DIR) / "data" / "profiles";

std::vector<std::string> columns_of(const std::string& fixture) {
    const auto file = data_file("records/" + fixture);
    auto reader = TableReader::open(file, *table_format_of(file));
    return reader->columns();
}

std::string detected(const std::string& fixture) {
    static const auto all = load_profiles(profiles_dir);
    const auto d = detect_profile(all, columns_of(fixture), fixture);
    REQUIRE(d.profile);
    CHECK_FALSE(d.reason.empty());
    return d.profile->name;
}

std::string profile_error_message(const std::string& name) {
    try {
        find_profile(profiles_dir, name);
    } catch (const porchlight::profile_error& e) {
        return e.what();
    }
    FAIL("no profile_error for '" << name << "'");
    return {};
}

} // namespace

TEST_CASE("the shipped profiles load", "[ingest][profile]") {
    const auto all = load_profiles(profiles_dir);
    REQUIRE(all.size() == 8);
    // sorted by file name
    std::vector<std::string> names;
    for (const auto& p : all)
        names.push_back(p.name);
    CHECK(names == std::vector<std::string>{"agency-request-totals", "atlas-of-surveillance",
                                            "cameras", "generic-partnerships", "osm-surveillance",
                                            "request-log", "ring-agency-map", "ring-rfa-posts"});
    for (const auto& p : all) {
        INFO(p.name);
        CHECK(p.sha256.size() == 64);
        CHECK_FALSE(p.detect_columns.empty());
        if (p.kind == profile_kind::partnerships || p.name == "ring-rfa-posts")
            CHECK(p.column_for(field::agency).has_value());
    }
    CHECK(all[0].kind == profile_kind::request_totals);
    CHECK(all[2].kind == profile_kind::cameras);
    CHECK(all[5].kind == profile_kind::requests);
    CHECK(all[6].kind == profile_kind::partnerships);
    CHECK(all[6].column_for(field::total) == std::optional<std::string>("Video Requests"));
    // a column may be spelled several ways: the first present wins
    const auto& log = all[5];
    CHECK(log.columns.at(field::requested_at).size() > 3);
    CHECK(find_column({"Notes", "Date Requested", "Request Date"},
                      log.columns.at(field::requested_at)) == std::optional<std::size_t>(2));
    CHECK(find_column({"date_requested"}, log.columns.at(field::requested_at)) ==
          std::optional<std::size_t>(0));
    CHECK_FALSE(find_column({"When"}, log.columns.at(field::requested_at)).has_value());
    const auto& atlas = all[1];
    CHECK(atlas.dataset == "atlas-of-surveillance");
    CHECK(atlas.column_for(field::start) == std::optional<std::string>("Link 1 Date"));
    CHECK(atlas.column_for(field::record_id) == std::optional<std::string>("AOSNUMBER"));
    CHECK_FALSE(atlas.column_for(field::end).has_value());
    CHECK(atlas.technology_vendors.at("Ring/Neighbors Partnership") == "Ring");
    CHECK(atlas.links.size() == 3);
    CHECK(atlas.links[1].date == "Link 2 Date");
    const auto& ring = all[6];
    CHECK(ring.constants.at(field::vendor) == "Ring");
    CHECK(ring.constants.at(field::technology) == "Ring/Neighbors Partnership");
    CHECK(ring.column_for(field::address) == std::optional<std::string>("address"));
}

TEST_CASE("field names round-trip", "[ingest][profile]") {
    for (auto f : all_fields)
        CHECK(field_from_string(to_string(f)) == f);
    CHECK_FALSE(field_from_string("agencyy").has_value());
}

TEST_CASE("column_key ignores case, spaces and punctuation", "[ingest][profile]") {
    CHECK(column_key("Active Date") == column_key("active_date"));
    CHECK(column_key("Type of LEA") == "typeoflea");
    CHECK(column_key(" Link 1 Date ") == "link1date");
    CHECK(column_key("\xEF\xBB\xBF" "AOSNUMBER") == "aosnumber");
    CHECK(column_key("Link 1") != column_key("Link 2"));
}

TEST_CASE("profile detection picks the profile that fits the fixture", "[ingest][profile]") {
    CHECK(detected("same-table.csv") == "atlas-of-surveillance");
    CHECK(detected("same-table-bom.csv") == "atlas-of-surveillance");
    CHECK(detected("same-table.xlsx") == "atlas-of-surveillance");
    CHECK(detected("header-only.csv") == "atlas-of-surveillance");
    CHECK(detected("generic.csv") == "generic-partnerships");
    CHECK(detected("ring-map.kml") == "ring-agency-map");
    CHECK(detected("ring-map.kmz") == "ring-agency-map");
}

TEST_CASE("profile detection throws profile_error when nothing fits", "[ingest][profile]") {
    const auto all = load_profiles(profiles_dir);
    try {
        detect_profile(all, columns_of("wrong-columns.csv"), "wrong-columns.csv");
        FAIL("no profile_error");
    } catch (const porchlight::profile_error& e) {
        const std::string what = e.what();
        CHECK(what.find("wrong-columns.csv") != std::string::npos);
        CHECK(what.find("name, color, size") != std::string::npos);
        CHECK(what.find("atlas-of-surveillance") != std::string::npos);
    }
    CHECK_THROWS_AS(detect_profile(all, {}, "none.csv"), porchlight::profile_error);
}

TEST_CASE("profile detection refuses a tie", "[ingest][profile]") {
    TempDir dir;
    {
        std::ofstream(dir / "a.yaml") << "name: a\ndetect:\n  columns: [agency, state]\n"
                                         "columns:\n  agency: agency\n  state: state\n"
                                         "constants:\n  technology: Drones\n";
        std::ofstream(dir / "b.yaml") << "name: b\ndetect:\n  columns: [agency, state]\n"
                                         "columns:\n  agency: agency\n  state: state\n"
                                         "constants:\n  technology: Drones\n";
    }
    const auto all = load_profiles(dir.path());
    REQUIRE(all.size() == 2);
    CHECK_THROWS_AS(detect_profile(all, {"agency", "state"}, "x.csv"), porchlight::profile_error);
}

TEST_CASE("find_profile finds names and suggests the closest on a typo", "[ingest][profile]") {
    CHECK(find_profile(profiles_dir, "ring-agency-map").name == "ring-agency-map");
    CHECK(find_profile(profiles_dir, (profiles_dir / "generic-partnerships.yaml").string()).name ==
          "generic-partnerships");

    const auto msg = profile_error_message("atlas-of-surveilance");
    CHECK(msg.find("did you mean 'atlas-of-surveillance'") != std::string::npos);
    const auto msg2 = profile_error_message("ring-agncy-map");
    CHECK(msg2.find("did you mean 'ring-agency-map'") != std::string::npos);
    // nothing close: no suggestion, but the list of names
    const auto msg3 = profile_error_message("zzzzzzzzzzzzzzzz");
    CHECK(msg3.find("did you mean") == std::string::npos);
    CHECK(msg3.find("generic-partnerships") != std::string::npos);
    // a .yaml path that does not exist
    CHECK_THROWS_AS(find_profile(profiles_dir, "/no/such/profile.yaml"), porchlight::profile_error);
}

TEST_CASE("load_profile validates the file", "[ingest][profile]") {
    TempDir dir;
    auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir / name) << text;
        return dir / name;
    };
    SECTION("a good minimal profile takes its detect columns from the required columns") {
        const auto p = load_profile(write("ok.yaml", "name: mine\ncolumns:\n  agency: Dept\n"
                                                     "  state: ST\n  technology: Tech\n"));
        CHECK(p.name == "mine");
        CHECK(p.title == "mine");
        CHECK(p.detect_columns.size() == 3);
        CHECK(p.file == dir / "ok.yaml");
    }
    SECTION("broken ones throw profile_error") {
        CHECK_THROWS_AS(load_profile(write("list.yaml", "- a\n- b\n")), porchlight::profile_error);
        CHECK_THROWS_AS(load_profile(write("noname.yaml", "columns:\n  agency: a\n")),
                        porchlight::profile_error);
        CHECK_THROWS_AS(load_profile(write("field.yaml", "name: x\ncolumns:\n  agencyy: a\n"
                                                         "  state: s\n  technology: t\n")),
                        porchlight::profile_error);
        CHECK_THROWS_AS(load_profile(write("noagency.yaml",
                                           "name: x\ncolumns:\n  state: s\n  technology: t\n")),
                        porchlight::profile_error);
        CHECK_THROWS_AS(load_profile(write("nostate.yaml",
                                           "name: x\ncolumns:\n  agency: a\n  technology: t\n")),
                        porchlight::profile_error);
        CHECK_THROWS_AS(load_profile(write("notech.yaml",
                                           "name: x\ncolumns:\n  agency: a\n  state: s\n")),
                        porchlight::profile_error);
        CHECK_THROWS_AS(load_profile(write("syntax.yaml", "name: [unclosed\n")),
                        porchlight::profile_error);
        CHECK_THROWS_AS(load_profile(dir / "missing.yaml"), porchlight::profile_error);
    }
}

TEST_CASE("profiles of the request and camera kinds detect their fixtures", "[ingest][profile]") {
    static const auto all = load_profiles(profiles_dir);
    auto detect = [&](const std::string& fixture) {
        const auto file = data_file(fixture);
        auto reader = TableReader::open(file, sniff_format(file, *table_format_of(file)));
        return detect_profile(all, reader->columns(), fixture).profile->name;
    };
    CHECK(detect("requests/rfa-posts.csv") == "ring-rfa-posts");
    CHECK(detect("requests/rfa-posts.json") == "ring-rfa-posts");
    CHECK(detect("requests/request-log.xlsx") == "request-log");
    CHECK(detect("requests/totals.csv") == "agency-request-totals");
    CHECK(detect("requests/ring-map-totals.kml") == "ring-agency-map");
    CHECK(detect("cameras/cameras.csv") == "cameras");
    CHECK(detect("cameras/surveillance.osm") == "osm-surveillance");
}

TEST_CASE("load_profile reads kinds, spellings and radius units", "[ingest][profile]") {
    TempDir dir;
    auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir / name) << text;
        return dir / name;
    };
    const auto p = load_profile(write("log.yaml", "name: log\nkind: requests\nradius_unit: ft\n"
                                                  "columns:\n  requested_at: [Date, When]\n"));
    CHECK(p.kind == profile_kind::requests);
    CHECK(p.radius_unit == "ft");
    CHECK(p.columns.at(field::requested_at) == spellings{"Date", "When"});
    CHECK(p.detect_columns.size() == 1);
    CHECK_THROWS_AS(load_profile(write("k.yaml", "name: x\nkind: photos\ncolumns:\n  lat: y\n")),
                    porchlight::profile_error);
    CHECK_THROWS_AS(load_profile(write("u.yaml", "name: x\nkind: requests\nradius_unit: yd\n"
                                                 "columns:\n  requested_at: d\n")),
                    porchlight::profile_error);
    CHECK_THROWS_AS(load_profile(write("t.yaml", "name: x\nkind: request-totals\n"
                                                 "columns:\n  agency: a\n")),
                    porchlight::profile_error);
    CHECK_THROWS_AS(load_profile(write("c.yaml", "name: x\nkind: cameras\ncolumns:\n  lat: y\n")),
                    porchlight::profile_error);
}
