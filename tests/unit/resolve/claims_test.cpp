#include <catch2/catch.hpp>

#include <porchlight/resolve/claims.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

using porchlight::resolve::choose_start;
using porchlight::resolve::claim_interval;
using porchlight::resolve::date_claim;

namespace {

date_claim day(const char* d) { return {d, "day"}; }
date_claim month(const char* d) { return {d, "month"}; }
date_claim year(const char* d) { return {d, "year"}; }

using interval = std::pair<std::string, std::string>;

} // namespace

TEST_CASE("claim_interval: the days a claim may mean", "[resolve][claims]") {
    CHECK(claim_interval(day("2019-12-12")) == interval{"2019-12-12", "2019-12-12"});
    CHECK(claim_interval(month("2019-12")) == interval{"2019-12-01", "2019-12-31"});
    CHECK(claim_interval(year("2019")) == interval{"2019-01-01", "2019-12-31"});
}

// claim_interval is documented to return the first and last *day* a claim may mean; for
// a month it appends "-31" whatever the month, so February's last day comes out as
// "2019-02-31" and April's as "2019-04-31", dates that do not exist.
TEST_CASE("claim_interval ends a short month on its real last day", "[resolve][claims]") {
    CHECK(claim_interval(month("2019-02")).second == "2019-02-28");
    CHECK(claim_interval(month("2020-02")).second == "2020-02-29");
    CHECK(claim_interval(month("2019-04")).second == "2019-04-30");
}

TEST_CASE("choose_start: no claim, no start", "[resolve][claims]") {
    CHECK_FALSE(choose_start({}).has_value());
}

TEST_CASE("choose_start: one claim is the start", "[resolve][claims]") {
    for (const auto& c : {day("2019-07-15"), month("2019-07"), year("2019")}) {
        const auto r = choose_start({c});
        REQUIRE(r);
        CHECK(r->date == c);
        CHECK_FALSE(r->conflict);
    }
}

TEST_CASE("choose_start: the earliest of disagreeing days, with a conflict", "[resolve][claims]") {
    const auto r = choose_start({day("2020-03-02"), day("2019-07-15")});
    REQUIRE(r);
    CHECK(r->date == day("2019-07-15"));
    CHECK(r->conflict);

    const auto b = choose_start({day("2020-02-14"), day("2020-02-04")});
    REQUIRE(b);
    CHECK(b->date == day("2020-02-04"));
    CHECK(b->conflict);
}

TEST_CASE("choose_start: the same day twice is no conflict", "[resolve][claims]") {
    const auto r = choose_start({day("2019-07-15"), day("2019-07-15"), day("2019-07-15")});
    REQUIRE(r);
    CHECK(r->date == day("2019-07-15"));
    CHECK_FALSE(r->conflict);
}

TEST_CASE("choose_start: a month agrees with a day inside it, and the day is the start",
          "[resolve][claims]") {
    const auto r = choose_start({month("2019-12"), day("2019-12-12")});
    REQUIRE(r);
    CHECK(r->date == day("2019-12-12"));
    CHECK_FALSE(r->conflict);
    // in either order
    const auto s = choose_start({day("2019-12-12"), month("2019-12")});
    REQUIRE(s);
    CHECK(s->date == day("2019-12-12"));
    CHECK_FALSE(s->conflict);
    // a year and a month inside it: the month
    const auto y = choose_start({year("2019"), month("2019-06")});
    REQUIRE(y);
    CHECK(y->date == month("2019-06"));
    CHECK_FALSE(y->conflict);
}

TEST_CASE("choose_start: a month and a day outside it conflict", "[resolve][claims]") {
    const auto r = choose_start({month("2019-07"), day("2019-08-01")});
    REQUIRE(r);
    CHECK(r->date == month("2019-07"));
    CHECK(r->conflict);
    const auto e = choose_start({day("2019-06-30"), month("2019-07")});
    REQUIRE(e);
    CHECK(e->date == day("2019-06-30"));
    CHECK(e->conflict);
}

TEST_CASE("choose_start: two days inside one year conflict with each other", "[resolve][claims]") {
    const auto r = choose_start({year("2019"), day("2019-09-01"), day("2019-03-01")});
    REQUIRE(r);
    CHECK(r->date == day("2019-03-01"));
    CHECK(r->conflict);
}

TEST_CASE("choose_start does not depend on the order of the claims", "[resolve][claims]") {
    std::vector<date_claim> claims = {year("2019"), month("2019-12"), day("2019-12-12"),
                                      day("2020-01-05"), month("2020-01")};
    std::sort(claims.begin(), claims.end(), [](const date_claim& a, const date_claim& b) {
        return a.date + a.precision < b.date + b.precision;
    });
    const auto first = choose_start(claims);
    REQUIRE(first);
    // the year's earliest interval, refined to the most precise claim inside it
    CHECK(first->date == day("2019-12-12"));
    CHECK(first->conflict);
    do {
        const auto r = choose_start(claims);
        REQUIRE(r);
        CHECK(r->date == first->date);
        CHECK(r->conflict == first->conflict);
    } while (std::next_permutation(claims.begin(), claims.end(),
                                   [](const date_claim& a, const date_claim& b) {
                                       return a.date + a.precision < b.date + b.precision;
                                   }));
}
