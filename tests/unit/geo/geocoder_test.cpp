// The offline geocoder against the gazetteer shipped in data/gazetteer/.
#include <catch2/catch.hpp>
#include <test_support.hpp>

#include <porchlight/geo/geocoder.hpp>

#include <algorithm>

using namespace porchlight::geo;

namespace {

const Gazetteer& gazetteer() {
    static const Gazetteer g = Gazetteer::load(std::string(PORCHLIGHT_SOURCE_DIR) + "/data/gazetteer");
    return g;
}

geocode_result place(const std::string& name, const std::string& city, const std::string& county,
                     const std::string& state, const std::string& kind = "police",
                     const std::string& jurisdiction = "") {
    return geocode_offline(gazetteer(), {name, kind, jurisdiction, city, county, state});
}

bool warned(const geocode_result& r, const std::string& text) {
    return std::any_of(r.warnings.begin(), r.warnings.end(),
                       [&](const std::string& w) { return w.find(text) != std::string::npos; });
}

} // namespace

TEST_CASE("the gazetteer loads with its version and every kind of row", "[geo]") {
    const auto& g = gazetteer();
    CHECK(g.version().rfind("gz1-", 0) == 0);
    CHECK(g.county_count() == 3231);
    CHECK(g.place_count() > 17618); // GeoNames places plus ZIP cities GeoNames lacks
    REQUIRE(g.state("IL"));
    CHECK(g.state("IL")->name == "Illinois");
    REQUIRE(g.county("17031"));
    CHECK(g.county("17031")->full_name == "Cook County");
    // "Baltimore County" and "Baltimore city" share a key; the full name decides
    CHECK(g.counties_named("MD", "Baltimore County").front()->fips == "24005");
    CHECK(g.counties_named("MD", "City of Baltimore").front()->fips == "24510");
    CHECK(g.counties_named("IL", "La Salle County").size() == 1); // LaSalle
}

TEST_CASE("a city agency is placed at its place, exactly", "[geo]") {
    auto r = place("Rockford Police Department", "Rockford", "Winnebago County", "IL");
    CHECK(r.level == precision::place);
    CHECK(r.matched_name == "Rockford, IL");
    CHECK(r.county_fips == "17201");
    CHECK(r.score == 1.0);
    CHECK(r.warnings.empty());
    REQUIRE(r.lat);
    CHECK(*r.lat == Approx(42.27113));
    CHECK(*r.lon == Approx(-89.09400));
}

TEST_CASE("several places of one name: the county given decides, else it is ambiguous", "[geo]") {
    auto r = place("Bridgeport Police Department", "Bridgeport", "Lawrence County", "IL");
    CHECK(r.level == precision::place);
    CHECK(r.county_fips == "17101");
    auto amb = place("Bridgeport Police Department", "Bridgeport", "", "IL");
    CHECK(amb.level == precision::state);
    CHECK(warned(amb, "place 'Bridgeport' is ambiguous in IL"));
    CHECK(warned(amb, "Cook County"));
    CHECK(warned(amb, "Lawrence County"));
}

TEST_CASE("variants and near spellings, with a warning saying what was assumed", "[geo]") {
    auto twp = place("Shelby Township Police Department", "Shelby Township", "Macomb County", "MI");
    CHECK(twp.level == precision::place);
    CHECK(warned(twp, "read as 'Shelby'"));
    auto typo = place("Forest Park Police Department", "Cinncinnati", "Hamilton County", "OH");
    CHECK(typo.level == precision::place);
    CHECK(typo.matched_name == "Cincinnati, OH");
    CHECK(warned(typo, "assumed 'Cincinnati' (1 letter apart)"));
    CHECK(typo.score < 1.0);
    auto saint = place("St. Charles Police Department", "St. Charles", "Kane County", "IL");
    CHECK(saint.level == precision::place);
    CHECK(saint.warnings.empty());
}

TEST_CASE("sheriffs and county police go to the county, state police to the state", "[geo]") {
    auto sheriff = place("Cook County Sheriff's Office", "Chicago", "Cook County", "IL", "sheriff");
    CHECK(sheriff.level == precision::county);
    CHECK(sheriff.matched_id == "17031");
    CHECK(sheriff.warnings.empty());
    auto athens = place("Athens-Clarke County Police Department", "Athens", "Clarke County", "GA");
    CHECK(athens.level == precision::county);
    CHECK(athens.matched_name == "Clarke County, GA");
    auto state = place("Illinois State Police", "Springfield", "", "IL", "state");
    CHECK(state.level == precision::state);
    CHECK(state.matched_name == "Illinois");
    auto named = place("Lake County Sheriffs Department", "Lakeport", "Will County", "IL", "sheriff");
    CHECK(named.matched_name == "Lake County, IL");
    CHECK(warned(named, "the name says Lake County but the county given is Will County; trusted the name"));
}

TEST_CASE("consistency: a county not in the state, a place not in the county", "[geo]") {
    auto wrong_state = place("Wall Township Police Department", "Wall", "Monmouth County", "NH");
    CHECK(warned(wrong_state, "county 'Monmouth County' is not in NH (a county of that name is in NJ)"));
    auto outside = place("Glendale Police Department", "Glendale", "Monroe County", "WI");
    CHECK(outside.level == precision::place);
    CHECK(warned(outside, "is in Milwaukee County, not in Monroe County as given; trusted the place"));
    auto diacritics = place("Las Cruces Police Department", "Las Cruces", "Doña Ana County", "NM");
    CHECK(diacritics.warnings.empty());
    auto invisible = place("Houston Police Department", "Houston", "\xE2\x80\x8EHarris County", "TX");
    CHECK(invisible.warnings.empty());
    auto typo = place("Chino Police Department", "Chino", "San Bernadino County", "CA");
    CHECK(warned(typo, "assumed San Bernardino County (1 letter apart)"));
    auto na = place("Kent Police Department", "Kent Lakes", "#N/A", "NY");
    CHECK_FALSE(warned(na, "#N"));
}

TEST_CASE("nothing is dropped: fallbacks carry the reason", "[geo]") {
    auto county = place("Westampton Township Police Department", "Westampton", "Burlington County", "NJ");
    CHECK(county.level == precision::county);
    CHECK(warned(county, "placed at the county given"));
    auto state = place("Nowhere Police Department", "Nowhereville", "", "KS");
    CHECK(state.level == precision::state);
    CHECK(warned(state, "placed at the state"));
    auto none = place("Lost Police Department", "Somewhere", "", "");
    CHECK(none.level == precision::none);
    CHECK_FALSE(none.lat);
    CHECK(warned(none, "no state"));
    auto from_name = place("Naperville Police Department", "", "", "IL");
    CHECK(from_name.level == precision::place);
    CHECK(warned(from_name, "taken from the agency's name"));
}
