// The online geocoders (census, nominatim) against a scripted HTTP server on loopback.
#include <catch2/catch.hpp>
#include <http_server.hpp>
#include <test_support.hpp>

#include <porchlight/error.hpp>
#include <porchlight/geo/geocode_agencies.hpp>
#include <porchlight/geo/online.hpp>
#include <porchlight/store/store.hpp>

#include <algorithm>
#include <cstdlib>

using namespace porchlight;
using namespace porchlight::geo;
using porchlight::test::http_response;
using porchlight::test::HttpServer;
using porchlight::test::TempDir;

namespace {

const std::string rockford = R"([{"place_id":1,"licence":"ODbL","osm_type":"relation",
  "osm_id":124005,"lat":"42.2713945","lon":"-89.093966","category":"boundary",
  "type":"administrative","place_rank":16,"importance":0.6,"addresstype":"city",
  "name":"Rockford","display_name":"Rockford, Winnebago County, Illinois, United States"}])";

const std::string winnebago = R"([{"osm_type":"relation","osm_id":122586,"lat":"42.3369",
  "lon":"-89.1613","type":"administrative","place_rank":12,"addresstype":"county",
  "display_name":"Winnebago County, Illinois, United States"}])";

struct fixture {
    fixture() { ::setenv("no_proxy", "127.0.0.1", 1); } // a proxy in the environment is not for us
    TempDir dir;
    store::Store store = store::Store::create(dir / "s.db");
    HttpServer server;

    online_options options(const std::string& provider = "nominatim") const {
        online_options o;
        o.provider = provider;
        o.base_url = server.base_url();
        o.min_interval_s = 0.0;
        o.retries = 2;
        o.backoff_s = 0.01;
        o.connect_timeout_s = 2;
        o.timeout_s = 5;
        return o;
    }
};

agency_location_query rockford_pd() {
    return {"Rockford Police Department", "police", "Municipal", "Rockford",
            "Winnebago County",           "IL"};
}

bool warned(const geocode_result& r, const std::string& text) {
    return std::any_of(r.warnings.begin(), r.warnings.end(),
                       [&](const std::string& w) { return w.find(text) != std::string::npos; });
}

std::string all_warnings(const geocode_result& r) {
    std::string s;
    for (const auto& w : r.warnings)
        s += w + "\n";
    return s;
}

} // namespace

TEST_CASE("options: defaults per provider, and misuse is an error", "[geo][online]") {
    online_options o;
    o.provider = "nominatim";
    auto n = OnlineGeocoder::resolve(o);
    CHECK(n.base_url == "https://nominatim.openstreetmap.org");
    CHECK(*n.min_interval_s == 1.0);
    CHECK(n.user_agent.rfind("porchlight/", 0) == 0);
    o.provider = "census";
    auto c = OnlineGeocoder::resolve(o);
    CHECK(c.base_url == "https://geocoding.geo.census.gov/geocoder");
    CHECK(*c.min_interval_s == 0.0);

    TempDir dir;
    auto store = store::Store::create(dir / "s.db");
    o.provider = "google";
    CHECK_THROWS_AS(OnlineGeocoder(store.db(), o), porchlight::error);
    o.provider = "nominatim";
    o.base_url = "file:///etc";
    CHECK_THROWS_AS(OnlineGeocoder(store.db(), o), porchlight::error);
}

TEST_CASE("nominatim: a city agency is placed at its place", "[geo][online]") {
    fixture f;
    f.server.on("/search", http_response{200, rockford});
    OnlineGeocoder g(f.store.db(), f.options());
    const auto r = g.geocode(rockford_pd());
    INFO(all_warnings(r));
    CHECK(r.provider == "nominatim");
    CHECK(r.level == precision::place);
    REQUIRE(r.lat);
    REQUIRE(r.lon);
    CHECK(*r.lat == Approx(42.2713945));
    CHECK(*r.lon == Approx(-89.093966));
    CHECK(r.matched_name == "Rockford, Winnebago County, Illinois, United States");
    CHECK(r.matched_id == "relation/124005");
    CHECK(r.score == 1.0);
    CHECK(r.warnings.empty());
    CHECK(g.requests_made() == 1);

    const auto reqs = f.server.requests();
    REQUIRE(reqs.size() == 1);
    CHECK(reqs[0].method == "GET");
    CHECK(reqs[0].path == "/search");
    CHECK(reqs[0].param("format") == "jsonv2");
    CHECK(reqs[0].param("countrycodes") == "us");
    CHECK(reqs[0].param("limit") == "3");
    CHECK(reqs[0].param("addressdetails") == "0");
    CHECK(reqs[0].param("city") == "Rockford");
    CHECK(reqs[0].param("county") == "Winnebago County");
    CHECK(reqs[0].param("state") == "Illinois");
    CHECK_FALSE(reqs[0].has_param("email"));
    CHECK_FALSE(reqs[0].has_param("q"));
}

TEST_CASE("nominatim: the User-Agent identifies the application, the email is sent when given",
          "[geo][online]") {
    fixture f;
    f.server.on("/search", http_response{200, rockford});
    {
        OnlineGeocoder g(f.store.db(), f.options());
        g.geocode(rockford_pd());
    }
    auto o = f.options();
    o.user_agent = "porchlight-test/1.0 (ops@example.org)";
    o.contact_email = "ops+geo@example.org";
    OnlineGeocoder g(f.store.db(), o);
    g.geocode({"Belvidere Police Department", "police", "", "Belvidere", "", "IL"});
    const auto reqs = f.server.requests();
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[0].header("User-Agent").rfind("porchlight/", 0) == 0);
    CHECK(reqs[0].header("User-Agent").find("(+https://") != std::string::npos);
    CHECK(reqs[1].header("user-agent") == "porchlight-test/1.0 (ops@example.org)");
    CHECK(reqs[1].param("email") == "ops+geo@example.org");
    CHECK(reqs[1].param("city") == "Belvidere");
    CHECK_FALSE(reqs[1].has_param("county")); // empty parameters are left out
}

TEST_CASE("nominatim: requests are spaced by the minimum interval", "[geo][online]") {
    fixture f;
    f.server.on("/search", http_response{200, rockford});
    auto o = f.options();
    o.min_interval_s = 0.2;
    OnlineGeocoder g(f.store.db(), o);
    const auto start = std::chrono::steady_clock::now();
    g.geocode(rockford_pd());
    g.geocode({"Loves Park Police Department", "police", "", "Loves Park", "", "IL"});
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    const auto reqs = f.server.requests();
    REQUIRE(reqs.size() == 2);
    const std::chrono::duration<double> apart = reqs[1].received - reqs[0].received;
    // the client waits 0.2 s between the starts of its requests; the server stamps a request
    // when its thread has read it, which a loaded machine (sanitizers, -j2) delays by some
    // milliseconds either way
    CHECK(apart.count() >= 0.2 - 0.05);
    CHECK(elapsed.count() >= 0.2);
    CHECK(g.requests_made() == 2);
}

TEST_CASE("a query answered before comes from the cache, without a request", "[geo][online]") {
    fixture f;
    f.server.on("/search", http_response{200, rockford});
    auto o = f.options();
    o.contact_email = "a@example.org";
    OnlineGeocoder g(f.store.db(), o);
    const auto first = g.geocode(rockford_pd());
    REQUIRE(f.server.request_count() == 1);
    const auto second = g.geocode(rockford_pd());
    CHECK(f.server.request_count() == 1);
    CHECK(g.requests_made() == 1);
    CHECK(g.cache_hits() == 1);
    CHECK(second.level == first.level);
    CHECK(second.lat == first.lat);
    CHECK(second.lon == first.lon);
    CHECK(second.matched_name == first.matched_name);
    CHECK(second.matched_id == first.matched_id);
    CHECK(second.score == first.score);
    CHECK(second.warnings == first.warnings);

    // kept in the store: another geocoder, another contact email, still no request
    o.contact_email = "b@example.org";
    OnlineGeocoder again(f.store.db(), o);
    CHECK(again.geocode(rockford_pd()).matched_id == "relation/124005");
    CHECK(f.server.request_count() == 1);
    CHECK(again.requests_made() == 0);
    CHECK(f.store.db().scalar_int("SELECT count(*) FROM geocode_cache WHERE provider = 'nominatim' "
                                  "AND status = 200 AND query LIKE '/search?%city=Rockford%' "
                                  "AND query NOT LIKE '%email%'") == 1);
}

TEST_CASE("HTTP 500 then 200: retried, and it succeeds", "[geo][online]") {
    fixture f;
    f.server.on("/search", {http_response{500, "oops"}, http_response{200, rockford}});
    OnlineGeocoder g(f.store.db(), f.options());
    const auto r = g.geocode(rockford_pd());
    INFO(all_warnings(r));
    CHECK(r.level == precision::place);
    CHECK(r.warnings.empty());
    CHECK(f.server.request_count() == 2);
    CHECK(g.requests_made() == 2);
}

TEST_CASE("HTTP 500 every time: precision none naming the status, after the retries",
          "[geo][online]") {
    fixture f;
    f.server.on("/search", http_response{500, "<html>Internal error</html>"});
    OnlineGeocoder g(f.store.db(), f.options()); // retries = 2
    const auto r = g.geocode(rockford_pd());
    INFO(all_warnings(r));
    CHECK(r.level == precision::none);
    CHECK_FALSE(r.lat);
    CHECK(r.provider == "nominatim");
    CHECK(warned(r, "HTTP 500"));
    CHECK(warned(r, "3 attempts"));
    CHECK(f.server.request_count() == 3);
    // a server error is not cached: the next run asks again
    CHECK(f.store.db().scalar_int("SELECT count(*) FROM geocode_cache") == 0);
    f.server.on("/search", http_response{200, rockford});
    CHECK(g.geocode(rockford_pd()).level == precision::place);
    CHECK(f.server.request_count() == 4);
}

TEST_CASE("a 429 is retried, a 400 is the answer and is cached", "[geo][online]") {
    fixture f;
    f.server.on("/search", {http_response{429, "slow down"}, http_response{200, rockford}});
    OnlineGeocoder g(f.store.db(), f.options());
    CHECK(g.geocode(rockford_pd()).level == precision::place);
    CHECK(f.server.request_count() == 2);

    f.server.on("/search", http_response{400, R"({"error":{"code":400,"message":"Bad state"}})"});
    agency_location_query q{"X Police", "police", "", "X", "", "ZZ"};
    auto r = g.geocode(q);
    INFO(all_warnings(r));
    CHECK(r.level == precision::none);
    CHECK(warned(r, "HTTP 400"));
    CHECK(warned(r, "Bad state"));
    CHECK(f.server.request_count() == 3); // not retried
    CHECK(g.geocode(q).warnings == r.warnings);
    CHECK(f.server.request_count() == 3); // cached
}

TEST_CASE("a response slower than the timeout: precision none with a timeout warning",
          "[geo][online]") {
    fixture f;
    http_response slow{200, rockford};
    slow.delay_s = 3;
    f.server.on("/search", slow);
    auto o = f.options();
    o.timeout_s = 1;
    o.retries = 0;
    OnlineGeocoder g(f.store.db(), o);
    const auto start = std::chrono::steady_clock::now();
    const auto r = g.geocode(rockford_pd());
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    INFO(all_warnings(r));
    CHECK(r.level == precision::none);
    CHECK(warned(r, "timed out"));
    CHECK(elapsed.count() < 2.5);
    CHECK(f.store.db().scalar_int("SELECT count(*) FROM geocode_cache") == 0);
}

TEST_CASE("invalid JSON: precision none with a warning", "[geo][online]") {
    fixture f;
    f.server.on("/search", http_response{200, "<html>captive portal</html>"});
    OnlineGeocoder g(f.store.db(), f.options());
    const auto r = g.geocode(rockford_pd());
    INFO(all_warnings(r));
    CHECK(r.level == precision::none);
    CHECK(warned(r, "invalid JSON"));
    CHECK(f.server.request_count() == 1); // a 200 is not retried
    CHECK(f.store.db().scalar_int("SELECT count(*) FROM geocode_cache") == 0);
}

TEST_CASE("an oversized body: precision none with a warning", "[geo][online]") {
    fixture f;
    const std::string big = "[" + std::string(5000, ' ') + "]";
    auto o = f.options();
    o.max_body = 1024;
    OnlineGeocoder g(f.store.db(), o);
    SECTION("with a Content-Length") {
        f.server.on("/search", http_response{200, big});
    }
    SECTION("without one: cut off while reading") {
        http_response r{200, big};
        r.omit_content_length = true;
        f.server.on("/search", r);
    }
    const auto r = g.geocode(rockford_pd());
    INFO(all_warnings(r));
    CHECK(r.level == precision::none);
    CHECK(warned(r, "larger than 1024 bytes"));
    CHECK(f.server.request_count() == 1); // not retried
    CHECK(f.store.db().scalar_int("SELECT count(*) FROM geocode_cache") == 0);
}

TEST_CASE("an empty result list: precision none, no match", "[geo][online]") {
    fixture f;
    f.server.on("/search", http_response{200, "[]"});
    OnlineGeocoder g(f.store.db(), f.options());
    const auto r = g.geocode({"Nowhere Police Department", "police", "", "Nowhere", "", "IL"});
    INFO(all_warnings(r));
    CHECK(r.level == precision::none);
    CHECK_FALSE(r.lat);
    CHECK(warned(r, "no match"));
    CHECK(warned(r, "Nowhere, IL"));
}

TEST_CASE("several different results: the first, with an ambiguity warning", "[geo][online]") {
    fixture f;
    f.server.on("/search", http_response{200, R"([
      {"osm_type":"relation","osm_id":1,"lat":"39.78","lon":"-89.65","addresstype":"city",
       "display_name":"Springfield, Sangamon County, Illinois, United States"},
      {"osm_type":"node","osm_id":2,"lat":"39.78","lon":"-89.65","addresstype":"city",
       "display_name":"Springfield, Sangamon County, Illinois, United States"},
      {"osm_type":"node","osm_id":3,"lat":"38.0","lon":"-88.0","addresstype":"village",
       "display_name":"Springfield, Other County, Illinois, United States"}])"});
    OnlineGeocoder g(f.store.db(), f.options());
    const auto r =
        g.geocode({"Springfield Police Department", "police", "", "Springfield", "", "IL"});
    INFO(all_warnings(r));
    CHECK(r.level == precision::place);
    CHECK(r.matched_id == "relation/1");
    CHECK(r.score < 1.0);
    CHECK(warned(r, "ambiguous"));
    CHECK(warned(r, "Springfield, Other County, Illinois"));
}

TEST_CASE("a county-wide agency asks for its county and state, a state agency for its state",
          "[geo][online]") {
    fixture f;
    f.server.on("/search", http_response{200, winnebago});
    OnlineGeocoder g(f.store.db(), f.options());
    auto r = g.geocode({"Winnebago County Sheriff's Office", "sheriff", "County", "Rockford",
                        "Winnebago County", "IL"});
    INFO(all_warnings(r));
    CHECK(r.level == precision::county);
    CHECK(r.matched_id == "relation/122586");
    auto reqs = f.server.requests();
    REQUIRE(reqs.size() == 1);
    CHECK(Catch::toLower(reqs[0].param("county")) == "winnebago county");
    CHECK(reqs[0].param("state") == "Illinois");
    CHECK_FALSE(reqs[0].has_param("city"));

    f.server.on("/search", http_response{200, R"([{"osm_type":"relation","osm_id":122586,
      "lat":"40.0","lon":"-89.0","addresstype":"state","display_name":"Illinois, United States"}])"});
    r = g.geocode(
        {"Illinois State Police", "state", "State", "Springfield", "Sangamon County", "IL"});
    CHECK(r.level == precision::state);
    reqs = f.server.requests();
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[1].param("state") == "Illinois");
    CHECK_FALSE(reqs[1].has_param("city"));
    CHECK_FALSE(reqs[1].has_param("county"));
}

TEST_CASE("no state: precision none without a request", "[geo][online]") {
    fixture f;
    OnlineGeocoder g(f.store.db(), f.options());
    const auto r = g.geocode({"Rockford Police Department", "police", "", "Rockford", "", ""});
    CHECK(r.level == precision::none);
    CHECK(warned(r, "no state"));
    CHECK(f.server.request_count() == 0);
}

TEST_CASE("census: an address match is parsed, no match is none", "[geo][online]") {
    fixture f;
    f.server.on("/locations/onelineaddress", http_response{200, R"({"result":{
      "input":{"address":{"address":"Washington, DC"},"benchmark":{"benchmarkName":"Public_AR_Current"}},
      "addressMatches":[{"tigerLine":{"side":"L","tigerLineId":"76225813"},
        "coordinates":{"x":-77.03518753691,"y":38.89869893252},
        "addressComponents":{"city":"WASHINGTON","state":"DC"},
        "matchedAddress":"1600 PENNSYLVANIA AVE NW, WASHINGTON, DC, 20500"}]}})"});
    OnlineGeocoder g(f.store.db(), f.options("census"));
    auto r = g.geocode({"Metropolitan Police Department", "police", "", "Washington", "", "DC"});
    INFO(all_warnings(r));
    CHECK(r.provider == "census");
    CHECK(r.level == precision::address);
    REQUIRE(r.lat);
    CHECK(*r.lat == Approx(38.89869893252));
    CHECK(*r.lon == Approx(-77.03518753691));
    CHECK(r.matched_name == "1600 PENNSYLVANIA AVE NW, WASHINGTON, DC, 20500");
    CHECK(r.matched_id == "census");
    CHECK(r.score == 1.0);
    auto reqs = f.server.requests();
    REQUIRE(reqs.size() == 1);
    CHECK(reqs[0].param("address") == "Washington, DC");
    CHECK(reqs[0].param("benchmark") == "Public_AR_Current");
    CHECK(reqs[0].param("format") == "json");

    f.server.on("/locations/onelineaddress",
                http_response{200, R"({"result":{"input":{},"addressMatches":[]}})"});
    r = g.geocode({"Rockford Police Department", "police", "", "Rockford", "", "IL"});
    CHECK(r.level == precision::none);
    CHECK(r.provider == "census");
    CHECK(warned(r, "census found no match for 'Rockford, IL'"));
}

TEST_CASE("redirects are followed, but only to http and https", "[geo][online]") {
    fixture f;
    f.server.on("/search", http_response{302, "", {{"Location", "/moved"}}});
    f.server.on("/moved", http_response{200, rockford});
    OnlineGeocoder g(f.store.db(), f.options());
    CHECK(g.geocode(rockford_pd()).level == precision::place);
    CHECK(f.server.request_count() == 2);

    f.server.on("/search", http_response{302, "", {{"Location", "file:///etc/passwd"}}});
    const auto r =
        g.geocode({"Loves Park Police Department", "police", "", "Loves Park", "", "IL"});
    INFO(all_warnings(r));
    CHECK(r.level == precision::none);
    CHECK(warned(r, "network error"));
    CHECK(f.server.request_count() == 3); // refused, not retried
}

namespace {

/// The three census batch queries: a match, no match and a tie, asked as "<city>, <state>".
std::vector<agency_location_query> batch_queries() {
    return {{"Metropolitan Police Department", "police", "", "Washington", "", "DC"},
            {"Rockford Police Department", "police", "", "Rockford", "", "IL"},
            {"Springfield Police Department", "police", "", "Springfield", "", "IL"}};
}

// the census answers in its own order, not the input's
const std::string batch_answer =
    "\"2\",\"Springfield, IL\",\"Tie\"\n"
    "\"0\",\", Washington, DC, \",\"Match\",\"Exact\",\"1600 PENNSYLVANIA AVE NW, WASHINGTON, DC, "
    "20500\",\"-77.03518753691,38.89869893252\",\"76225813\",\"L\"\n"
    "\"1\",\", Rockford, IL, \",\"No_Match\"\n";

} // namespace

TEST_CASE("census batch: match, no match and tie in order, one POST", "[geo][online]") {
    fixture f;
    f.server.on("/locations/addressbatch", http_response{200, batch_answer});
    OnlineGeocoder g(f.store.db(), f.options("census"));
    const auto rs = g.geocode_batch(batch_queries());
    REQUIRE(rs.size() == 3);
    INFO(all_warnings(rs[0]) + all_warnings(rs[1]) + all_warnings(rs[2]));
    CHECK(rs[0].provider == "census");
    CHECK(rs[0].level == precision::address);
    REQUIRE(rs[0].lat);
    CHECK(*rs[0].lat == Approx(38.89869893252));
    CHECK(*rs[0].lon == Approx(-77.03518753691));
    CHECK(rs[0].matched_name == "1600 PENNSYLVANIA AVE NW, WASHINGTON, DC, 20500");
    CHECK(rs[0].matched_id == "census:76225813");
    CHECK(rs[0].warnings.empty());
    CHECK(rs[1].level == precision::none);
    CHECK_FALSE(rs[1].lat);
    CHECK(warned(rs[1], "census found no match for 'Rockford, IL'"));
    CHECK(rs[2].level == precision::none);
    CHECK(warned(rs[2], "'Springfield, IL' is ambiguous"));

    const auto reqs = f.server.requests();
    REQUIRE(reqs.size() == 1);
    CHECK(reqs[0].method == "POST");
    CHECK(reqs[0].path == "/locations/addressbatch");
    CHECK(reqs[0].header("content-type").rfind("multipart/form-data", 0) == 0);
    const auto& body = reqs[0].body;
    CHECK(body.find("name=\"benchmark\"") != std::string::npos);
    CHECK(body.find("Public_AR_Current") != std::string::npos);
    CHECK(body.find("name=\"addressFile\"; filename=\"addresses.csv\"") != std::string::npos);
    CHECK(body.find("0,,Washington,DC,\n") != std::string::npos);
    CHECK(body.find("1,,Rockford,IL,\n") != std::string::npos);
    CHECK(body.find("2,,Springfield,IL,\n") != std::string::npos);

    // the same queries again: all from the cache, no request
    const auto again = g.geocode_batch(batch_queries());
    CHECK(f.server.request_count() == 1);
    CHECK(g.cache_hits() == 3);
    REQUIRE(again.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(again[i].level == rs[i].level);
        CHECK(again[i].lat == rs[i].lat);
        CHECK(again[i].matched_id == rs[i].matched_id);
        CHECK(again[i].warnings == rs[i].warnings);
    }
    // the one-line path reads the same cache
    const auto one = g.geocode(batch_queries()[0]);
    CHECK(f.server.request_count() == 1);
    CHECK(one.matched_id == "census:76225813");
}

TEST_CASE("census batch: a query answered by the one-line path is not asked again",
          "[geo][online]") {
    fixture f;
    f.server.on("/locations/onelineaddress",
                http_response{200, R"({"result":{"input":{},"addressMatches":[]}})"});
    // two lines asked now: Washington as 0, Springfield as 1
    f.server.on("/locations/addressbatch",
                http_response{200, "\"1\",\"Springfield, IL\",\"Tie\"\n"
                                   "\"0\",\", Washington, DC, \",\"Match\",\"Exact\",\"X\","
                                   "\"-77.0,38.9\",\"1\",\"L\"\n"});
    OnlineGeocoder g(f.store.db(), f.options("census"));
    g.geocode(batch_queries()[1]); // Rockford, no match
    const auto rs = g.geocode_batch(batch_queries());
    REQUIRE(rs.size() == 3);
    CHECK(warned(rs[1], "census found no match for 'Rockford, IL'"));
    CHECK(rs[0].level == precision::address);
    const auto reqs = f.server.requests();
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[1].body.find("Rockford") == std::string::npos);
    CHECK(reqs[1].body.find("1,,Springfield,IL,\n") != std::string::npos);
    CHECK(warned(rs[2], "ambiguous"));
}

TEST_CASE("census batch: HTTP 500 then 200 is retried", "[geo][online]") {
    fixture f;
    f.server.on("/locations/addressbatch",
                {http_response{500, "oops"}, http_response{200, batch_answer}});
    OnlineGeocoder g(f.store.db(), f.options("census"));
    const auto rs = g.geocode_batch(batch_queries());
    REQUIRE(rs.size() == 3);
    INFO(all_warnings(rs[0]));
    CHECK(rs[0].level == precision::address);
    CHECK(rs[0].warnings.empty());
    CHECK(f.server.request_count() == 2);
    const auto reqs = f.server.requests();
    CHECK(reqs[1].body.find("1,,Rockford,IL,\n") != std::string::npos); // the form is sent again
}

TEST_CASE("census batch: HTTP 500 every time or a malformed answer: none with the reason",
          "[geo][online]") {
    fixture f;
    f.server.on("/locations/addressbatch", http_response{500, "<html>Internal error</html>"});
    OnlineGeocoder g(f.store.db(), f.options("census")); // retries = 2
    auto rs = g.geocode_batch(batch_queries());
    REQUIRE(rs.size() == 3);
    for (const auto& r : rs) {
        INFO(all_warnings(r));
        CHECK(r.level == precision::none);
        CHECK_FALSE(r.lat);
        CHECK(warned(r, "census batch lookup of"));
        CHECK(warned(r, "HTTP 500"));
        CHECK(warned(r, "3 attempts"));
    }
    CHECK(f.server.request_count() == 3);
    CHECK(f.store.db().scalar_int("SELECT count(*) FROM geocode_cache") == 0); // asked again later

    f.server.on("/locations/addressbatch", http_response{200, "\"0\",\"unterminated\n"});
    rs = g.geocode_batch(batch_queries());
    REQUIRE(rs.size() == 3);
    for (const auto& r : rs) {
        INFO(all_warnings(r));
        CHECK(r.level == precision::none);
        CHECK(warned(r, "not CSV"));
    }
    CHECK(f.store.db().scalar_int("SELECT count(*) FROM geocode_cache") == 0);
}

TEST_CASE("nominatim batch: one query at a time", "[geo][online]") {
    fixture f;
    f.server.on("/search", http_response{200, rockford});
    OnlineGeocoder g(f.store.db(), f.options());
    const auto rs = g.geocode_batch(
        {rockford_pd(), {"Loves Park Police Department", "police", "", "Loves Park", "", "IL"}});
    REQUIRE(rs.size() == 2);
    CHECK(rs[0].level == precision::place);
    CHECK(f.server.request_count() == 2);
    CHECK(f.server.requests()[0].method == "GET");
}

TEST_CASE("geocode_agencies_online with census: one batch, stored with evidence, idempotent",
          "[geo][online]") {
    fixture f;
    f.server.on("/locations/addressbatch", http_response{200, batch_answer});
    auto& db = f.store.db();
    for (const auto& q : batch_queries()) {
        store::Statement ins(db, "INSERT INTO agencies (name, norm_name, kind, place, state) "
                                 "VALUES (?1, ?1, ?2, ?3, ?4)");
        ins.bind(1, q.name).bind(2, q.kind).bind(3, q.place).bind(4, q.state).exec();
    }
    OnlineGeocoder g(db, f.options("census"));
    geocode_options opts;
    opts.commit_every = 2;
    auto sum = geocode_agencies_online(f.store, g, opts);
    CHECK(sum.agencies == 3);
    CHECK(sum.changed == 3);
    CHECK(sum.by_precision["address"] == 1);
    CHECK(sum.by_precision["none"] == 2);
    CHECK(f.server.request_count() == 1);
    CHECK(db.scalar_int("SELECT count(*) FROM agencies WHERE geocode_provider = 'census' AND "
                        "geocode_precision = 'address' AND geocode_match_id = 'census:76225813' "
                        "AND name = 'Metropolitan Police Department'") == 1);
    CHECK(db.scalar_int("SELECT count(*) FROM evidence WHERE fact_type = 'location'") == 1);

    sum = geocode_agencies_online(f.store, g, opts); // from the cache, nothing changes
    CHECK(sum.agencies == 3);
    CHECK(sum.changed == 0);
    CHECK(f.server.request_count() == 1);
}
