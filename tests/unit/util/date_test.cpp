#include <catch2/catch.hpp>

#include <porchlight/util/date.hpp>

#include <stdexcept>
#include <string>

using porchlight::util::date_precision;
using porchlight::util::parse_date;
using porchlight::util::partial_date;

namespace {

/// Parses text that must be a date and returns it (fails the test on nullopt).
partial_date must_parse(const std::string& text) {
    INFO("parsing '" << text << "'");
    auto d = parse_date(text);
    REQUIRE(d.has_value());
    return *d;
}

void check_day(const std::string& text, int y, int m, int d) {
    INFO("parsing '" << text << "'");
    const auto p = must_parse(text);
    CHECK(p.year == y);
    CHECK(p.month == m);
    CHECK(p.day == d);
    CHECK(p.precision == date_precision::day);
    CHECK(p.note.empty());
}

} // namespace

TEST_CASE("parse_date reads ISO days, months and years", "[util][date]") {
    check_day("2019-07-15", 2019, 7, 15);
    check_day("  2019-07-15  ", 2019, 7, 15);

    const auto month = must_parse("2019-07");
    CHECK(month.year == 2019);
    CHECK(month.month == 7);
    CHECK(month.day == 0);
    CHECK(month.precision == date_precision::month);
    CHECK(month.iso() == "2019-07");

    const auto year = must_parse("2019");
    CHECK(year.year == 2019);
    CHECK(year.month == 0);
    CHECK(year.day == 0);
    CHECK(year.precision == date_precision::year);
    CHECK(year.iso() == "2019");
    CHECK(year.note.empty());
}

TEST_CASE("parse_date drops the time after a full date", "[util][date]") {
    check_day("2019/07/15", 2019, 7, 15);
    check_day("2019/07/15 00:00:00", 2019, 7, 15);
    check_day("2019-07-15T10:30:00Z", 2019, 7, 15);
}

TEST_CASE("parse_date reads US month/day/year", "[util][date]") {
    check_day("7/15/19", 2019, 7, 15);
    check_day("7/15/2019", 2019, 7, 15);
    check_day("07/15/2019", 2019, 7, 15);
    check_day("7-15-2019", 2019, 7, 15);
    check_day("2/4/20", 2020, 2, 4);
    check_day("12/31/99", 1999, 12, 31);
}

TEST_CASE("parse_date pivots two-digit years at 70", "[util][date]") {
    CHECK(must_parse("1/1/69").year == 2069);
    CHECK(must_parse("1/1/70").year == 1970);
    CHECK(must_parse("1/1/00").year == 2000);
    CHECK(must_parse("Jul-69").year == 2069);
    CHECK(must_parse("Jul-70").year == 1970);
}

TEST_CASE("parse_date reads month names", "[util][date]") {
    SECTION("month and year") {
        for (const char* text : {"July 2020", "Jul-20", "jul 2020", "JULY 2020", "Jul 20"}) {
            INFO(text);
            const auto p = must_parse(text);
            CHECK(p.year == 2020);
            CHECK(p.month == 7);
            CHECK(p.day == 0);
            CHECK(p.precision == date_precision::month);
            CHECK(p.iso() == "2020-07");
        }
        CHECK(must_parse("December 2019").iso() == "2019-12");
        CHECK(must_parse("Sept 2019").iso() == "2019-09");
    }
    SECTION("day, month and year") {
        check_day("15-Jul-19", 2019, 7, 15);
        check_day("July 15, 2020", 2020, 7, 15);
        check_day("15 July 2020", 2020, 7, 15);
        check_day("Feb 29, 2020", 2020, 2, 29);
    }
}

TEST_CASE("parse_date reads a year range as its first year, with a note", "[util][date]") {
    const auto full = must_parse("2017-2019");
    CHECK(full.year == 2017);
    CHECK(full.precision == date_precision::year);
    CHECK(full.iso() == "2017");
    CHECK_FALSE(full.note.empty());
    CHECK(full.note.find("2017-2019") != std::string::npos);

    const auto short_range = must_parse("2016-17");
    CHECK(short_range.year == 2016);
    CHECK(short_range.precision == date_precision::year);
    CHECK_FALSE(short_range.note.empty());

    const auto slash = must_parse("2017/2018");
    CHECK(slash.year == 2017);
    CHECK(slash.precision == date_precision::year);
    CHECK_FALSE(slash.note.empty());

    // a range that runs backwards is not a range
    CHECK_THROWS_AS(parse_date("2019-2017"), std::invalid_argument);
}

TEST_CASE("parse_date reads a spreadsheet serial day number, with a note", "[util][date]") {
    const auto p = must_parse("43146");
    CHECK(p.year == 2018);
    CHECK(p.month == 2);
    CHECK(p.day == 15);
    CHECK(p.precision == date_precision::day);
    CHECK(p.iso() == "2018-02-15");
    CHECK_FALSE(p.note.empty());
    CHECK(p.note.find("43146") != std::string::npos);

    // 1 day later is the next day
    CHECK(must_parse("43147").iso() == "2018-02-16");
}

TEST_CASE("parse_date returns nullopt for empty text", "[util][date]") {
    CHECK_FALSE(parse_date("").has_value());
    CHECK_FALSE(parse_date("   ").has_value());
    CHECK_FALSE(parse_date("\t\r\n").has_value());
}

TEST_CASE("parse_date throws invalid_argument for text that is not a valid date",
          "[util][date]") {
    for (const char* text : {"13/45/19", "2019-02-29", "31/31/31", "banana", "2019-13",
                             "2019-04-31", "Smarch 2019", "1/2/3/4/5"}) {
        INFO("parsing '" << text << "'");
        CHECK_THROWS_AS(parse_date(text), std::invalid_argument);
    }
    // the message names the text
    CHECK_THROWS_WITH(parse_date("banana"), Catch::Matchers::Contains("banana"));
}

// Month 0 with a day: make() only range-checks the month when it is non-zero, then calls
// days_in_month(y, 0), which indexes its table at -1 (out of bounds).
TEST_CASE("parse_date rejects month 0 when a day is given", "[util][date]") {
    for (const char* text : {"2019-00-10", "0/10/2019", "00/10/19"}) {
        INFO("parsing '" << text << "'");
        CHECK_THROWS_AS(parse_date(text), std::invalid_argument);
    }
}

TEST_CASE("parse_date knows leap years", "[util][date]") {
    check_day("2020-02-29", 2020, 2, 29);
    check_day("2000-02-29", 2000, 2, 29);
    check_day("2/29/2020", 2020, 2, 29);
    CHECK_THROWS_AS(parse_date("1900-02-29"), std::invalid_argument);
    CHECK_THROWS_AS(parse_date("2019-02-29"), std::invalid_argument);
    CHECK_THROWS_AS(parse_date("2020-02-30"), std::invalid_argument);
}

TEST_CASE("partial_date::iso pads to four-digit years and two-digit months and days",
          "[util][date]") {
    partial_date d;
    d.year = 987;
    d.month = 3;
    d.day = 4;
    d.precision = date_precision::day;
    CHECK(d.iso() == "0987-03-04");
    d.precision = date_precision::month;
    CHECK(d.iso() == "0987-03");
    d.precision = date_precision::year;
    CHECK(d.iso() == "0987");

    partial_date e;
    e.year = 2021;
    e.month = 11;
    e.day = 30;
    e.precision = date_precision::day;
    CHECK(e.iso() == "2021-11-30");
}

TEST_CASE("date_precision names", "[util][date]") {
    CHECK(porchlight::util::to_string(date_precision::year) == "year");
    CHECK(porchlight::util::to_string(date_precision::month) == "month");
    CHECK(porchlight::util::to_string(date_precision::day) == "day");
}

TEST_CASE("today_utc and now_utc are ISO 8601 UTC and agree", "[util][date]") {
    const auto now = porchlight::util::now_utc();
    const auto today = porchlight::util::today_utc();
    REQUIRE(now.size() == 20);
    CHECK(now[4] == '-');
    CHECK(now[7] == '-');
    CHECK(now[10] == 'T');
    CHECK(now[19] == 'Z');
    REQUIRE(today.size() == 10);
    // today parses as a day-precision date
    const auto d = parse_date(today);
    REQUIRE(d);
    CHECK(d->precision == date_precision::day);
    CHECK(d->iso() == today);
}
