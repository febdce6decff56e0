#include <catch2/catch.hpp>

#include <porchlight/error.hpp>
#include <porchlight/resolve/agency_resolver.hpp>
#include <porchlight/store/store.hpp>

#include "test_support.hpp"

#include <filesystem>
#include <string>

namespace fs = std::filesystem;
using porchlight::resolve::agency_mention;
using porchlight::resolve::AgencyResolver;
using porchlight::resolve::classify_agency;
using porchlight::resolve::NameRegistry;
using porchlight::store::Store;
using porchlight::test::TempDir;

namespace {

const std::string vendors_yaml = PORCHLIGHT_SOURCE_DIR "/data/vendors.yaml";

agency_mention mention(std::string name, std::string state, std::string city,
                       std::string county = {}, std::string type = {}) {
    agency_mention m;
    m.name = std::move(name);
    m.state = std::move(state);
    m.city = std::move(city);
    m.county = std::move(county);
    m.agency_type = std::move(type);
    return m;
}

struct fixture {
    TempDir dir;
    Store store = Store::create(dir / "p.db");
    std::int64_t count(const std::string& sql) { return store.db().scalar_int(sql); }
};

} // namespace

TEST_CASE("classify_agency reads the kind from the name and the source's type",
          "[resolve][classify]") {
    CHECK(classify_agency("Smallville Police Department", "") == "police");
    CHECK(classify_agency("Smallville PD", "") == "police");
    CHECK(classify_agency("Smallville Department of Public Safety", "") == "police");
    CHECK(classify_agency("Pine County Sheriff's Office", "") == "sheriff");
    CHECK(classify_agency("Pine County Sheriff", "") == "sheriff");
    CHECK(classify_agency("Pine County SO", "") == "sheriff");
    CHECK(classify_agency("Illinois State Police", "") == "state");
    CHECK(classify_agency("Ohio State Highway Patrol", "") == "state");
    CHECK(classify_agency("Smallville Fire Department", "") == "fire");
    CHECK(classify_agency("Smallville Public Library", "") == "other");
    CHECK(classify_agency("Smallville Parks Department", "") == "other");
    // the source's own type word decides when the name does not
    CHECK(classify_agency("Pine County Law Enforcement", "Sheriff") == "sheriff");
    CHECK(classify_agency("Metro Unit", "Police") == "police");
    CHECK(classify_agency("Metro Unit", "Fire") == "fire");
    CHECK(classify_agency("Metro Unit", "State Police") == "state");
    CHECK(classify_agency("Metro Unit", "Municipal") == "other");
}

TEST_CASE("AgencyResolver: one municipal name in two cities is two agencies", "[resolve]") {
    fixture f;
    AgencyResolver r(f.store.db());
    const auto a = r.resolve(mention("Washington Township Police Department", "OH", "Dayton"));
    const auto b = r.resolve(mention("Washington Township Police Department", "OH", "Centerville"));
    REQUIRE(a.id);
    REQUIRE(b.id);
    CHECK(a.created);
    CHECK(b.created);
    CHECK(*a.id != *b.id);
    CHECK(r.created_count() == 2);
    CHECK(f.count("SELECT count(*) FROM agencies") == 2);
    // and each city finds its own again, under another spelling too
    const auto a2 = r.resolve(mention("Washington Twp PD", "OH", "Dayton"));
    REQUIRE(a2.id);
    CHECK(*a2.id == *a.id);
    CHECK_FALSE(a2.created);
    const auto b2 = r.resolve(mention("Washington Township Police Dept.", "OH", "centerville"));
    REQUIRE(b2.id);
    CHECK(*b2.id == *b.id);
    CHECK(r.created_count() == 2);
    // the same name in another state is another agency
    const auto c = r.resolve(mention("Washington Township Police Department", "NJ", "Dayton"));
    REQUIRE(c.id);
    CHECK(c.created);
    CHECK(*c.id != *a.id);
}

TEST_CASE("AgencyResolver: spellings of one agency in one city are aliases", "[resolve]") {
    fixture f;
    AgencyResolver r(f.store.db());
    const auto a = r.resolve(mention("Smallville Police Department", "KS", "Smallville"));
    const auto b = r.resolve(mention("Smallville PD", "KS", "Smallville"));
    const auto c = r.resolve(mention("Smallville PD", "KS", "Smallville")); // seen before
    REQUIRE(a.id);
    REQUIRE(b.id);
    REQUIRE(c.id);
    CHECK(*b.id == *a.id);
    CHECK(*c.id == *a.id);
    CHECK_FALSE(b.created);
    CHECK(f.count("SELECT count(*) FROM agencies") == 1);
    CHECK(f.count("SELECT count(*) FROM aliases WHERE agency_id = " + std::to_string(*a.id)) == 2);
    // the canonical name is the first spelling seen
    CHECK(f.store.db().scalar_text("SELECT name FROM agencies") ==
          std::optional<std::string>("Smallville Police Department"));
    CHECK(f.store.db().scalar_text("SELECT kind FROM agencies") ==
          std::optional<std::string>("police"));
}

TEST_CASE("AgencyResolver: a sheriff's office is one agency whatever city a row names",
          "[resolve]") {
    fixture f;
    AgencyResolver r(f.store.db());
    const auto a = r.resolve(mention("Pine County Sheriff's Office", "GA", "Pine Ridge", "Pine County"));
    const auto b = r.resolve(mention("Pine County Sheriff's Office", "GA", "Oakdale", "Pine County"));
    const auto c = r.resolve(mention("Pine County Sheriff", "GA", "Elm Springs"));
    const auto d = r.resolve(mention("Pine County Sheriff's Office", "GA", ""));
    REQUIRE(a.id);
    REQUIRE(b.id);
    REQUIRE(c.id);
    REQUIRE(d.id);
    CHECK(*b.id == *a.id);
    CHECK(*c.id == *a.id);
    CHECK(*d.id == *a.id);
    CHECK(r.created_count() == 1);
    CHECK(f.store.db().scalar_text("SELECT kind FROM agencies") ==
          std::optional<std::string>("sheriff"));
    // a county police department is county-wide too
    const auto e = r.resolve(mention("Pine County Police Department", "GA", "Pine Ridge"));
    const auto g = r.resolve(mention("Pine County Police Department", "GA", "Oakdale"));
    REQUIRE(e.id);
    REQUIRE(g.id);
    CHECK(*e.id == *g.id);
    // but the same sheriff's name in another state is another agency
    const auto h = r.resolve(mention("Pine County Sheriff's Office", "AL", "Pine Ridge"));
    REQUIRE(h.id);
    CHECK(*h.id != *a.id);
}

TEST_CASE("AgencyResolver: a shared name without a city is ambiguous", "[resolve]") {
    fixture f;
    AgencyResolver r(f.store.db());
    const auto a = r.resolve(mention("Washington Township Police Department", "OH", "Dayton"));
    const auto b = r.resolve(mention("Washington Township Police Department", "OH", "Centerville"));
    REQUIRE(a.id);
    REQUIRE(b.id);
    const auto before = f.count("SELECT count(*) FROM agencies");
    const auto x = r.resolve(mention("Washington Township Police Department", "OH", ""));
    CHECK_FALSE(x.id.has_value());
    CHECK_FALSE(x.created);
    CHECK_FALSE(x.warning.empty());
    CHECK(x.warning.find("ambiguous") != std::string::npos);
    CHECK(x.warning.find("dayton") != std::string::npos);
    CHECK(x.warning.find("centerville") != std::string::npos);
    CHECK(f.count("SELECT count(*) FROM agencies") == before);
}

TEST_CASE("AgencyResolver: an agency first seen without a city takes the first city given",
          "[resolve]") {
    fixture f;
    AgencyResolver r(f.store.db());
    const auto a = r.resolve(mention("Smallville Police Department", "KS", ""));
    const auto b = r.resolve(mention("Smallville PD", "KS", "Smallville"));
    REQUIRE(a.id);
    REQUIRE(b.id);
    CHECK(*a.id == *b.id);
    CHECK(f.store.db().scalar_text("SELECT place FROM agencies") ==
          std::optional<std::string>("Smallville"));
    // a third mention in another city is another agency
    const auto c = r.resolve(mention("Smallville Police Department", "KS", "Elsewhere"));
    REQUIRE(c.id);
    CHECK(*c.id != *a.id);
}

TEST_CASE("AgencyResolver loads what an earlier resolver stored", "[resolve]") {
    fixture f;
    std::int64_t dayton = 0, centerville = 0;
    {
        AgencyResolver r(f.store.db());
        dayton = *r.resolve(mention("Washington Township Police Department", "OH", "Dayton")).id;
        centerville =
            *r.resolve(mention("Washington Township Police Department", "OH", "Centerville")).id;
        r.resolve(mention("Washington Twp PD", "OH", "Dayton"));
    }
    AgencyResolver again(f.store.db());
    const auto a = again.resolve(mention("Washington Twp PD", "OH", "Dayton"));
    const auto b = again.resolve(mention("Washington Township Police Department", "OH", "Centerville"));
    REQUIRE(a.id);
    REQUIRE(b.id);
    CHECK(*a.id == dayton);
    CHECK(*b.id == centerville);
    CHECK(again.created_count() == 0);
    CHECK(f.count("SELECT count(*) FROM agencies") == 2);
    CHECK(f.count("SELECT count(*) FROM aliases") == 3);
}

TEST_CASE("NameRegistry resolves vendor names through vendors.yaml", "[resolve][names]") {
    fixture f;
    NameRegistry names(f.store.db(), vendors_yaml);
    const auto ring = names.vendor("Ring");
    CHECK(names.vendor("Amazon Ring") == ring);
    CHECK(names.vendor("Ring LLC") == ring);
    CHECK(names.vendor("ring") == ring);
    CHECK(names.vendor("Neighbors by Ring") == ring);
    const auto flock = names.vendor("Flock");
    CHECK(flock != ring);
    CHECK(names.vendor("Flock Safety") == flock);
    CHECK(names.vendor("TASER International") == names.vendor("Axon"));
    // a vendor not listed is kept as spelled
    const auto acme = names.vendor("Acme Cameras");
    CHECK(acme != ring);
    CHECK(acme != flock);
    CHECK(f.store.db().scalar_text("SELECT name FROM vendors WHERE id = " + std::to_string(ring)) ==
          std::optional<std::string>("Ring"));
    CHECK(f.store.db().scalar_text("SELECT name FROM vendors WHERE id = " + std::to_string(flock)) ==
          std::optional<std::string>("Flock Safety"));
    CHECK(f.store.db().scalar_text("SELECT name FROM vendors WHERE id = " + std::to_string(acme)) ==
          std::optional<std::string>("Acme Cameras"));
    CHECK(f.count("SELECT count(*) FROM vendors") == 4);
    // every spelling seen is kept as an alias of its vendor
    CHECK(f.count("SELECT count(*) FROM vendor_aliases WHERE vendor_id = " + std::to_string(ring) +
                  " AND alias IN ('Ring', 'Amazon Ring', 'Ring LLC', 'Neighbors by Ring')") == 4);
    CHECK(f.count("SELECT count(*) FROM vendor_aliases WHERE vendor_id = " + std::to_string(acme) +
                  " AND alias = 'Acme Cameras'") == 1);
    CHECK(f.count("SELECT count(*) FROM vendor_aliases WHERE vendor_id = " + std::to_string(ring) +
                  " AND norm = 'flock'") == 0);

    // a second registry on the same store finds them again
    NameRegistry again(f.store.db(), vendors_yaml);
    CHECK(again.vendor("Amazon Ring") == ring);
    CHECK(again.vendor("Amazon") == ring);
    CHECK(f.count("SELECT count(*) FROM vendors") == 4);
}

TEST_CASE("NameRegistry: the first spelling of a vendor alias still names the canonical vendor",
          "[resolve][names]") {
    fixture f;
    NameRegistry names(f.store.db(), vendors_yaml);
    const auto a = names.vendor("Amazon Ring"); // before "Ring" itself is seen
    CHECK(names.vendor("Ring") == a);
    CHECK(f.store.db().scalar_text("SELECT name FROM vendors") == std::optional<std::string>("Ring"));
}

TEST_CASE("NameRegistry: technologies are one row per normalised name", "[resolve][names]") {
    fixture f;
    NameRegistry names(f.store.db(), vendors_yaml);
    const auto drones = names.technology("Drones");
    CHECK(names.technology("drones") == drones);
    CHECK(names.technology(" DRONES ") == drones);
    const auto alpr = names.technology("Automated License Plate Readers");
    CHECK(alpr != drones);
    CHECK(names.technology("Ring/Neighbors Partnership") == names.technology("Ring Neighbors Partnership"));
    CHECK(f.count("SELECT count(*) FROM technologies") == 3);
}

TEST_CASE("NameRegistry: an unreadable vendor list is an error", "[resolve][names]") {
    fixture f;
    CHECK_THROWS_AS(NameRegistry(f.store.db(), (f.dir / "missing.yaml").string()),
                    porchlight::error);
}
