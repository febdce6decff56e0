#include <catch2/catch.hpp>

#include <porchlight/docs/timezone.hpp>

using porchlight::docs::known_timezone;
using porchlight::docs::local_to_utc;

TEST_CASE("timezone: printed local times in a named zone, daylight saving included",
          "[docs][timezone]") {
    using p = std::pair<std::string, std::string>;
    CHECK(local_to_utc("2022-05-12T17:49:51", "America/Los_Angeles") ==
          p{"2022-05-13T00:49:51Z", "-07:00"});
    CHECK(local_to_utc("2021-02-02T06:24:14", "America/Los_Angeles") ==
          p{"2021-02-02T14:24:14Z", "-08:00"});
    CHECK(local_to_utc("2021-06-08T10:30:19", "America/Denver") ==
          p{"2021-06-08T16:30:19Z", "-06:00"});
    CHECK(local_to_utc("2021-06-08T10:30:19", "UTC") == p{"2021-06-08T10:30:19Z", "+00:00"});
    CHECK(local_to_utc("2021-06-08T10:30:19", "Asia/Kolkata") ==
          p{"2021-06-08T05:00:19Z", "+05:30"});
    // the hour skipped in spring is moved forward by the gap; the hour repeated in autumn
    // is read once, with an offset of that day
    const auto spring = local_to_utc("2021-03-14T02:30:00", "America/New_York");
    REQUIRE(spring);
    CHECK(spring->first.substr(0, 13) == "2021-03-14T07");
    const auto autumn = local_to_utc("2021-11-07T01:30:00", "America/New_York");
    REQUIRE(autumn);
    CHECK((autumn->second == "-04:00" || autumn->second == "-05:00"));
}

TEST_CASE("timezone: unknown zones, paths and bad times are refused", "[docs][timezone]") {
    CHECK(known_timezone("America/Denver"));
    CHECK(known_timezone("UTC"));
    CHECK_FALSE(known_timezone("Mars/Olympus"));
    CHECK_FALSE(known_timezone(""));
    CHECK_FALSE(known_timezone("/etc/passwd"));
    CHECK_FALSE(known_timezone("../../etc/passwd"));
    CHECK_FALSE(local_to_utc("2021-06-08T10:30:19", "Mars/Olympus"));
    CHECK_FALSE(local_to_utc("2021-02-30T10:30:19", "UTC"));
    CHECK_FALSE(local_to_utc("yesterday", "UTC"));
}
