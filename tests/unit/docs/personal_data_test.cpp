#include <porchlight/docs/personal_data.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

using porchlight::docs::find_personal_data;
using porchlight::docs::personal_span;
using porchlight::docs::redact;

namespace {

struct found {
    std::string kind;
    std::string text;
    bool operator==(const found& o) const { return kind == o.kind && text == o.text; }
};

std::ostream& operator<<(std::ostream& os, const found& f) {
    return os << f.kind << ":\"" << f.text << '"';
}

std::vector<found> spans_of(std::string_view text) {
    std::vector<found> out;
    for (const auto& s : find_personal_data(text))
        out.push_back({s.kind, std::string(text.substr(s.begin, s.end - s.begin))});
    return out;
}

/// The one span found in text, of kind.
std::string only(std::string_view text, const std::string& kind) {
    const auto spans = spans_of(text);
    INFO("text: " << text);
    REQUIRE(spans.size() == 1);
    CHECK(spans[0].kind == kind);
    return spans[0].text;
}

void none(std::string_view text) {
    INFO("text: " << text);
    CHECK(spans_of(text).empty());
}

} // namespace

TEST_CASE("personal data: e-mail addresses") {
    CHECK(only("Write to john.smith@example.com today.", "email") == "john.smith@example.com");
    CHECK(only("<j.doe+foia@pd.sandiego.gov>", "email") == "j.doe+foia@pd.sandiego.gov");
    CHECK(only("From: Layla.DeStaffany@denvergov.org", "email") ==
          "Layla.DeStaffany@denvergov.org");
    CHECK(only("mailto:no-reply@neighborhoods.ring.com?subject=x", "email") ==
          "no-reply@neighborhoods.ring.com");
    CHECK(only("bounces+1377-952b-l.d=denvergov.org@em.ring.com;", "email") ==
          "bounces+1377-952b-l.d=denvergov.org@em.ring.com");
    CHECK(only("...john@x.co.uk.", "email") == "john@x.co.uk");

    SECTION("obfuscated with a bracketed at and dot") {
        CHECK(only("jane [at] example [dot] org", "email") == "jane [at] example [dot] org");
        CHECK(only("write bob(at)city.gov now", "email") == "bob(at)city.gov");
        CHECK(only("tips{AT}pd.example.com", "email") == "tips{AT}pd.example.com");
    }
    SECTION("not e-mail addresses") {
        none("follow @ringcops on social media");
        none("user@localhost and a@b");
        none("meet me at example dot com");
        none("price @ 5.00 each");
    }
}

TEST_CASE("personal data: phone numbers") {
    CHECK(only("Call (619) 555-0123 now.", "phone") == "(619) 555-0123");
    CHECK(only("Call (619)555-0123.", "phone") == "(619)555-0123");
    CHECK(only("Tel: 619-555-0123", "phone") == "619-555-0123");
    CHECK(only("Tel: 619.555.0123.", "phone") == "619.555.0123");
    CHECK(only("Tel: 619 555-0123", "phone") == "619 555-0123");
    CHECK(only("Tel: 619/555-0123", "phone") == "619/555-0123");
    CHECK(only("+1 619 555 0123", "phone") == "+1 619 555 0123");
    CHECK(only("E.164 +16195550123,", "phone") == "+16195550123");
    CHECK(only("+1 (619) 555-0123", "phone") == "+1 (619) 555-0123");
    CHECK(only("toll free 1-800-555-0199", "phone") == "1-800-555-0199");
    CHECK(only("toll free 1 (800) 555-0199", "phone") == "1 (800) 555-0199");

    SECTION("extensions are part of the number") {
        CHECK(only("619-555-0123 ext. 12 or", "phone") == "619-555-0123 ext. 12");
        CHECK(only("(858) 555-0100 x12", "phone") == "(858) 555-0100 x12");
        CHECK(only("619-555-0123, extension 4401.", "phone") == "619-555-0123, extension 4401");
        CHECK(only("619-555-0123 Ext 7", "phone") == "619-555-0123 Ext 7");
    }
    SECTION("not phone numbers") {
        none("Case 21-12345 was closed");
        none("Thursday, May 12, 2022 5:49:51 PM");
        none("a total of $1,234,567.89");
        none("Santa Monica, CA 90404");
        none("SSN 123-45-6789, date 2022-06-01");
        none("counts 200 300 4000 in the table");
        none("local 555-0123 only");
        none("area code 119-555-0123 and exchange 619-155-0123 are not valid");
        none("ref 12-619-555-0123 and 619-555-0123-45");
        none("id 6195550123 and 619-555-01234");
    }
}

TEST_CASE("personal data: street addresses") {
    CHECK(only("She lives at 1523 26th Street.", "street_address") == "1523 26th Street");
    CHECK(only("at 123 N. Main St. Apt 4 today", "street_address") == "123 N. Main St. Apt 4");
    CHECK(only("at 123 N Main St Apt 4", "street_address") == "123 N Main St Apt 4");
    CHECK(only("500 Market Street, Suite 200, San Diego", "street_address") ==
          "500 Market Street, Suite 200");
    CHECK(only("77 Elm Ct #12.", "street_address") == "77 Elm Ct #12");
    CHECK(only("12515 Cerise Avenue, Hawthorne, CA 90250.", "street_address") ==
          "12515 Cerise Avenue");
    CHECK(only("10 Martin Luther King Jr Blvd SW, Atlanta", "street_address") ==
          "10 Martin Luther King Jr Blvd SW");
    CHECK(only("1523 26TH STREET SANTA MONICA", "street_address") == "1523 26TH STREET");
    CHECK(only("100 Calle de la Paz Way", "street_address") == "100 Calle de la Paz Way");
    CHECK(only("Crime at 1999 Broadway last night", "street_address") == "1999 Broadway");
    CHECK(only("near 12345 Highway 99 exit", "street_address") == "12345 Highway 99");
    CHECK(only("near 42 County Road 12, Weld", "street_address") == "42 County Road 12");
    CHECK(only("at 123 1/2 Oak Lane", "street_address") == "123 1/2 Oak Lane");
    CHECK(only("at 12 Pine Ave, Apt. 3B", "street_address") == "12 Pine Ave, Apt. 3B");

    SECTION("block addresses") {
        CHECK(only("in the 4500 block of Main St.", "street_address") == "4500 block of Main St.");
        CHECK(only("the 300 Block of E Colfax Ave", "street_address") ==
              "300 Block of E Colfax Ave");
        CHECK(only("the 4500 block of Federal", "street_address") == "4500 block of Federal");
    }
    SECTION("not street addresses") {
        none("© 2022 Ring LLC. All rights reserved.");
        none("Case 21-12345 Main");
        none("Thursday, May 12, 2022 5:49:51 PM");
        none("Santa Monica, CA 90404");
        none("filed in 2021 and 2022");
        none("a total of $1,500 Oak Lane bonds");
        none("heard in 12 Superior Court today");
        none("call at 3 PM Dr. Smith");
        none("at least 20) at the entrance of 125 south on otay lakes");
        none("it took 3 days to drive there");
        none("unit #24 per the neighbor");
    }
}

TEST_CASE("personal data: real-looking FOIA text") {
    // the footer of a Neighbors moderation e-mail in the San Diego release, with the
    // zero-width non-joiners (U+200C) the e-mail put between its words
    const std::string zwnj = "\u200C";
    const std::string footer = "Email intended for\n\u00A9 " + zwnj + "2022 Ring LLC " + zwnj +
                               "1523 " + zwnj + "26th Street, Santa Monica, CA " + zwnj +
                               "90404\nPrivacy | Support | Licenses | Terms of Service";
    const auto spans = find_personal_data(footer);
    REQUIRE(spans.size() == 1);
    CHECK(spans[0].kind == "street_address");
    CHECK(footer.substr(spans[0].begin, spans[0].end - spans[0].begin) ==
          "1523 " + zwnj + "26th Street");

    const std::string alert =
        "From: The Neighbors Team <no-reply@neighborhoods.ring.com>\n"
        "To: Sanchez, Jesus <jsanchez@pd.sandiego.gov>\n"
        "Subject: [EXTERNAL] Crime Alert: Car cover theft\n"
        "Date: Sunday, September 6, 2020 4:04:27 PM\n\n"
        "This man in a bicycle stopped by our house at 1:24 to 1:25am and stole the\n"
        "car cover. Call Det. Ruiz at (619) 531-2000 ext. 4 or see 3200 block of Adams Ave.\n"
        "\u00A92020 Ring LLC or its affiliates. 1523 26th Street Santa Monica, CA 90404.\n";
    CHECK(spans_of(alert) == std::vector<found>{
                                 {"email", "no-reply@neighborhoods.ring.com"},
                                 {"email", "jsanchez@pd.sandiego.gov"},
                                 {"phone", "(619) 531-2000 ext. 4"},
                                 {"street_address", "3200 block of Adams Ave."},
                                 {"street_address", "1523 26th Street"},
                             });
}

TEST_CASE("personal data: byte offsets in UTF-8 text") {
    // "é", "ë" and "—" are 2, 2 and 3 bytes: offsets count bytes, not characters
    const std::string text = "Café — écrire à zoë@exemple.fr — ou 619-555-0123 — “1 Rue St”";
    const auto spans = find_personal_data(text);
    REQUIRE(spans.size() == 3);
    CHECK(spans[0].kind == "email");
    CHECK(spans[0].begin == 21);
    CHECK(spans[0].begin == text.find("zoë"));
    CHECK(spans[0].end == text.find(" —", spans[0].begin));
    CHECK(spans[1].kind == "phone");
    CHECK(spans[1].begin == text.find("619"));
    CHECK(spans[1].end == text.find("619") + 12);
    CHECK(spans[2].kind == "street_address");
    CHECK(spans[2].begin == text.find("1 Rue"));
    CHECK(spans[2].end == text.size() - std::string("”").size());
    for (const auto& s : spans) {
        // every span starts and ends on a character boundary
        CHECK((static_cast<unsigned char>(text[s.begin]) & 0xC0) != 0x80);
        CHECK((s.end == text.size() || (static_cast<unsigned char>(text[s.end]) & 0xC0) != 0x80));
    }
    CHECK(redact(text, spans) == "Café — écrire à [email] — ou [phone] — “[street address]”");
}

TEST_CASE("personal data: spans are sorted and do not overlap") {
    // an e-mail address whose local part is a phone number, inside an address line
    const std::string text = "1523 26th Street, 619-555-0123@fax.example.com and 619-555-0124";
    const auto spans = find_personal_data(text);
    REQUIRE(spans.size() == 3);
    CHECK(spans[0].kind == "street_address");
    CHECK(spans[1].kind == "email"); // longer than the phone number inside it
    CHECK(text.substr(spans[1].begin, spans[1].end - spans[1].begin) ==
          "619-555-0123@fax.example.com");
    CHECK(spans[2].kind == "phone");
    for (std::size_t i = 1; i < spans.size(); ++i)
        CHECK(spans[i - 1].end <= spans[i].begin);
}

TEST_CASE("personal data: redact") {
    const std::string text =
        "Contact Sgt. Lee, lee@pd.example.gov, (619) 555-0123, at 123 N. Main St. Apt 4.";
    CHECK(redact(text, find_personal_data(text)) ==
          "Contact Sgt. Lee, [email], [phone], at [street address].");
    CHECK(redact("no personal data here", find_personal_data("no personal data here")) ==
          "no personal data here");
    CHECK(redact("", {}).empty());
    CHECK(redact("abc", {personal_span{1, 2, "license_plate"}}) == "a[license plate]c");

    SECTION("bad spans") {
        CHECK_THROWS_AS(
            redact("abcdef", {personal_span{2, 4, "email"}, personal_span{3, 5, "phone"}}),
            std::invalid_argument);
        CHECK_THROWS_AS(redact("abc", {personal_span{1, 9, "email"}}), std::invalid_argument);
        CHECK_THROWS_AS(redact("abc", {personal_span{2, 1, "email"}}), std::invalid_argument);
    }
}

TEST_CASE("personal data: pathological input finishes") {
    // each is 1 MB of text built to make a backtracking matcher go quadratic or worse;
    // RE2 reads each in linear time (no timing assertion: it must simply finish)
    const std::size_t mb = 1 << 20;
    const std::vector<std::string> units = {"1 ",
                                            "a@",
                                            "a.",
                                            "2",
                                            "1 A ",
                                            "(2",
                                            "+1 2",
                                            "a [at] b [dot] ",
                                            "1,2 Main St ",
                                            "12 Superior Court ",
                                            "1-619-555-0123-4",
                                            "\u200C1 ",
                                            "1 Aaaaaaaaaaaaaaaaaaaaaaaaaaaaa "};
    for (const auto& unit : units) {
        std::string text;
        text.reserve(mb + unit.size());
        while (text.size() < mb)
            text += unit;
        INFO("repeated: \"" << unit << '"');
        CHECK(find_personal_data(text).empty());
    }
    std::string many;
    while (many.size() < mb)
        many += "619-555-0123 123 Main St a@b.co ";
    const auto spans = find_personal_data(many);
    CHECK(spans.size() == 3 * (many.size() / 32));
}
