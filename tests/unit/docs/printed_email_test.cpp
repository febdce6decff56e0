#include <catch2/catch.hpp>

#include <porchlight/docs/document.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

using porchlight::docs::message;
using porchlight::docs::page;
using porchlight::docs::split_printed_emails;

namespace {

std::vector<page> pages_of(std::vector<std::string> texts) {
    std::vector<page> pages;
    for (auto& t : texts)
        pages.push_back(page{std::move(t), false});
    return pages;
}

std::vector<message> split(std::vector<std::string> texts) {
    return split_printed_emails(pages_of(std::move(texts)));
}

// The one message of a header block with this date.
message with_date(const std::string& date) {
    const auto messages =
        split({"From:    Jane Doe\nDate:    " + date + "\nSubject: dates\n\nbody\n"});
    REQUIRE(messages.size() == 1);
    return messages[0];
}

} // namespace

TEST_CASE("printed e-mail: an Outlook header block and its body", "[docs][printed_email]") {
    const auto messages = split({
        "Sanchez, Jesus\n"
        "\n"
        "From:           Jobe, Grant\n"
        "Sent:           Tuesday, June 4, 2019 3:15 PM\n"
        "To:             Sanchez, Jesus; Woods, Carol; records@example.gov\n"
        "Cc:             Doe, Jane\n"
        "Subject:        RE: Neighbors portal request\n"
        "Importance:     High\n"
        "\n"
        "    Jesus,\n"
        "\n"
        "\n"
        "\n"
        "    The request is approved.      \n"
        "\n",
    });
    REQUIRE(messages.size() == 1);
    const auto& m = messages[0];
    CHECK(m.header.from == "Jobe, Grant");
    CHECK(m.header.to ==
          std::vector<std::string>{"Sanchez, Jesus", "Woods, Carol", "records@example.gov"});
    CHECK(m.header.cc == std::vector<std::string>{"Doe, Jane"});
    CHECK(m.header.bcc.empty());
    CHECK(m.header.subject == "RE: Neighbors portal request");
    CHECK(m.header.date_raw == "Tuesday, June 4, 2019 3:15 PM");
    CHECK(m.header.sent_local == std::optional<std::string>("2019-06-04T15:15:00"));
    CHECK_FALSE(m.header.sent_utc.has_value());
    CHECK_FALSE(m.header.sent_offset.has_value());
    CHECK(m.body == "Jesus,\n\nThe request is approved.");
    CHECK(m.first_page == 1);
    CHECK(m.last_page == 1);
}

TEST_CASE("printed e-mail: values wrapped onto the next lines", "[docs][printed_email]") {
    SECTION("physical layout: the wrapped line starts at the value column") {
        const auto messages = split({
            "From:      The Neighbors Team\n"
            "To:        Sanchez, Jesus; Jobe, Grant; Woods, Carol;\n"
            "           Doe, Jane\n"
            "Subject:   [EXTERNAL] About Your Neighbors Post \"I believe they were\n"
            "           trying to pry open my garage\"\n"
            "Date:      Thursday, May 12, 2022 5:49:51 PM\n"
            "\n"
            "Thank you for your post.\n",
        });
        REQUIRE(messages.size() == 1);
        const auto& h = messages[0].header;
        CHECK(h.to == std::vector<std::string>{"Sanchez, Jesus", "Jobe, Grant", "Woods, Carol",
                                               "Doe, Jane"});
        CHECK(h.subject == "[EXTERNAL] About Your Neighbors Post \"I believe they were trying to "
                           "pry open my garage\"");
        CHECK(h.sent_local == std::optional<std::string>("2022-05-12T17:49:51"));
        CHECK(messages[0].body == "Thank you for your post.");
    }
    SECTION("raw order: a list that ends with ';' goes on, so does a line before the next label") {
        const auto messages = split({
            "From: Jobe, Grant\n"
            "Sent: 6/4/2019 3:15:00 PM\n"
            "To: Sanchez, Jesus;\n"
            "Woods, Carol\n"
            "Subject: Camera registry numbers for\n"
            "the second quarter\n"
            "Attachments: q2.xlsx\n"
            "\n"
            "See attached.\n",
        });
        REQUIRE(messages.size() == 1);
        const auto& h = messages[0].header;
        CHECK(h.to == std::vector<std::string>{"Sanchez, Jesus", "Woods, Carol"});
        CHECK(h.subject == "Camera registry numbers for the second quarter");
        CHECK(messages[0].body == "See attached.");
    }
    SECTION("a body that follows the block without a blank line is not a wrapped value") {
        const auto messages =
            split({"From: Jane Doe\nSent: 6/4/2019 3:15 PM\nSubject: short\nHello there\n"});
        REQUIRE(messages.size() == 1);
        CHECK(messages[0].header.subject == "short");
        CHECK(messages[0].body == "Hello there");
    }
}

TEST_CASE("printed e-mail: an empty To: line", "[docs][printed_email]") {
    const auto messages = split({
        "From:           The Neighbors Team\n"
        "To:\n"
        "Subject:        [EXTERNAL] Crime Alert: Car cover theft\n"
        "Date:           Sunday, September 6, 2020 4:04:27 PM\n"
        "\n"
        "A crime was just reported in your neighborhood.\n",
    });
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].header.to.empty());
    CHECK(messages[0].header.from == "The Neighbors Team");
    CHECK(messages[0].header.subject == "[EXTERNAL] Crime Alert: Car cover theft");
    CHECK(messages[0].header.sent_local == std::optional<std::string>("2020-09-06T16:04:27"));
}

TEST_CASE("printed e-mail: recipients split on semicolons, and on commas between addresses only",
          "[docs][printed_email]") {
    const auto to_of = [](const std::string& to) {
        const auto messages = split({"From: x@example.org\nTo: " + to + "\nSubject: s\n"});
        REQUIRE(messages.size() == 1);
        return messages[0].header.to;
    };
    using list = std::vector<std::string>;
    CHECK(to_of("Sanchez, Jesus") == list{"Sanchez, Jesus"});
    CHECK(to_of("Sanchez, Jesus; Jobe, Grant;") == list{"Sanchez, Jesus", "Jobe, Grant"});
    CHECK(to_of("a@example.org, b@example.net") == list{"a@example.org", "b@example.net"});
    CHECK(to_of("\"Doe, Jane\" <jane@example.org>, Bob <bob@example.net>") ==
          list{"\"Doe, Jane\" <jane@example.org>", "Bob <bob@example.net>"});
    CHECK(to_of("Sanchez, Jesus <jsanchez@example.gov>") ==
          list{"Sanchez, Jesus <jsanchez@example.gov>"});
    CHECK(to_of("Roe, Richard [mailto:rroe@example.gov]; 'Doe,   Jane'") ==
          list{"Roe, Richard <rroe@example.gov>", "'Doe, Jane'"});
}

TEST_CASE("printed e-mail: a thread with quoted messages gives one message each",
          "[docs][printed_email]") {
    const auto messages = split({
        // page 1
        "From:     Doe, Jane\n"
        "Sent:     Wednesday, June 5, 2019 8:01 AM\n"
        "To:       Roe, Richard\n"
        "Subject:  RE: footage\n"
        "\n"
        "Thanks, received.\n"
        "\n"
        "-----Original Message-----\n"
        "From: Roe, Richard [mailto:rroe@example.gov]\n"
        "Sent: Tuesday, June 4, 2019 5:30 PM\n"
        "To: Doe, Jane\n"
        "Subject: RE: footage\n"
        "\n"
        "The footage is attached.\n",
        // page 2: the quoted message goes on, then the first one of the thread
        "It runs to page two.\n"
        "\n"
        "________________________________\n",
        // page 3
        "From: Doe, Jane <jane@example.org>\n"
        "Sent: Tuesday, June 4, 2019 9:00 AM\n"
        "To: rroe@example.gov\n"
        "Subject: footage\n"
        "\n"
        "May I have the footage?\n",
        // page 4: an attachment printed after the message, scanned
        "",
    });
    REQUIRE(messages.size() == 3);
    CHECK(messages[0].header.from == "Doe, Jane");
    CHECK(messages[0].body == "Thanks, received.");
    CHECK(messages[0].first_page == 1);
    CHECK(messages[0].last_page == 1);

    CHECK(messages[1].header.from == "Roe, Richard <rroe@example.gov>");
    CHECK(messages[1].header.sent_local == std::optional<std::string>("2019-06-04T17:30:00"));
    CHECK(messages[1].body == "The footage is attached.\nIt runs to page two.");
    CHECK(messages[1].first_page == 1);
    CHECK(messages[1].last_page == 2);

    CHECK(messages[2].header.from == "Doe, Jane <jane@example.org>");
    CHECK(messages[2].header.to == std::vector<std::string>{"rroe@example.gov"});
    CHECK(messages[2].header.subject == "footage");
    CHECK(messages[2].body == "May I have the footage?");
    CHECK(messages[2].first_page == 3);
    CHECK(messages[2].last_page == 4);
}

TEST_CASE("printed e-mail: a message that ends where the next page begins",
          "[docs][printed_email]") {
    const auto messages = split({
        "From: A\nSent: 6/4/2019 3:15 PM\nSubject: one\n\npage one\n",
        "page two\n",
        "\n\nFrom: B\nSent: 6/5/2019 3:15 PM\nSubject: two\n\npage three\n",
    });
    REQUIRE(messages.size() == 2);
    CHECK(messages[0].first_page == 1);
    CHECK(messages[0].last_page == 2);
    CHECK(messages[0].body == "page one\npage two");
    CHECK(messages[1].first_page == 3);
    CHECK(messages[1].last_page == 3);
}

TEST_CASE("printed e-mail: dates with and without a zone", "[docs][printed_email]") {
    struct expected {
        std::string raw;
        std::optional<std::string> local;
        std::optional<std::string> utc;
        std::optional<std::string> offset;
    };
    const std::vector<expected> cases{
        {"Thursday, May 12, 2022 5:49:51 PM", "2022-05-12T17:49:51", {}, {}},
        {"Tuesday, June 4, 2019 3:15 PM", "2019-06-04T15:15:00", {}, {}},
        {"Tuesday, June 4, 2019 12:05 AM", "2019-06-04T00:05:00", {}, {}},
        {"Tuesday, June 4, 2019 12:05 PM", "2019-06-04T12:05:00", {}, {}},
        {"6/4/2019 3:15:00 PM", "2019-06-04T15:15:00", {}, {}},
        {"Tue 6/4/19 3:15 PM", "2019-06-04T15:15:00", {}, {}},
        {"Mon, Jun 3, 2019 at 11:30 PM", "2019-06-03T23:30:00", {}, {}},
        {"Tuesday, June 4, 2019 at 3:15\xE2\x80\xAFPM", "2019-06-04T15:15:00", {}, {}},
        {"2019-06-04 15:15", "2019-06-04T15:15:00", {}, {}},
        {"Mon, 4 Jun 2019 15:15:00 -0700", "2019-06-04T15:15:00", "2019-06-04T22:15:00Z", "-07:00"},
        {"Sat, 31 Dec 2022 20:00:00 -0500 (EST)", "2022-12-31T20:00:00", "2023-01-01T01:00:00Z",
         "-05:00"},
        {"2019-06-04T15:15:00+05:30", "2019-06-04T15:15:00", "2019-06-04T09:45:00Z", "+05:30"},
        {"June 4, 2019 12:05 AM PDT", "2019-06-04T00:05:00", "2019-06-04T07:05:00Z", "-07:00"},
        {"Tue, 4 Jun 2019 15:15:00 GMT", "2019-06-04T15:15:00", "2019-06-04T15:15:00Z", "+00:00"},
        {"Wed, 1 Mar 2000 00:30:00 +0100", "2000-03-01T00:30:00", "2000-02-29T23:30:00Z", "+01:00"},
        // not dates, or not ones that can be trusted
        {"sometime last week", {}, {}, {}},
        {"Tuesday, June 4, 2019", {}, {}, {}},
        {"February 30, 2019 3:15 PM", {}, {}, {}},
        {"6/4/2019 13:15 PM", {}, {}, {}},
        {"6/4/2019 3:15 PM 123", {}, {}, {}},
        {"99999999999 3:15", {}, {}, {}},
    };
    for (const auto& c : cases) {
        INFO("date: " << c.raw);
        const auto m = with_date(c.raw);
        CHECK(m.header.date_raw == c.raw);
        CHECK(m.header.sent_local == c.local);
        CHECK(m.header.sent_utc == c.utc);
        CHECK(m.header.sent_offset == c.offset);
    }
}

TEST_CASE("printed e-mail: Sent: is preferred to Date:", "[docs][printed_email]") {
    const auto messages =
        split({"From: A\nDate: 6/1/2019 1:00 PM\nSent: 6/2/2019 2:00 PM\nSubject: s\n"});
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].header.date_raw == "6/2/2019 2:00 PM");
}

TEST_CASE("printed e-mail: text without header blocks gives no messages", "[docs][printed_email]") {
    CHECK(split_printed_emails({}).empty());
    CHECK(split({""}).empty());
    CHECK(split({"Annual report of the police department.\n\nFrom: the desk of the chief\n"})
              .empty());
    // From: alone, or Subject: and Date: without From:, is not a header block
    CHECK(split({"From: Jane Doe\nTo: Richard Roe\n\nbody\n"}).empty());
    CHECK(split({"Subject: s\nDate: 6/4/2019 3:15 PM\n\nbody\n"}).empty());
    // labels only count at the start of a line and followed by a space
    CHECK(split({"Mail it From: Jane Subject: s Sent: 6/4/2019 3:15 PM\nFrom:x\nSubject:y\n"})
              .empty());
}

TEST_CASE("printed e-mail: arbitrary bytes do not break the splitter", "[docs][printed_email]") {
    std::uint32_t state = 12345;
    const auto next = [&state] {
        state = state * 1664525u + 1013904223u;
        return static_cast<char>(state >> 24);
    };
    const std::string alphabet = "From:Sent:To:Cc:Subject:Date: ;,<>\"[]@-+/0123456789amp\n\n\t ";
    for (int round = 0; round < 200; ++round) {
        std::vector<std::string> texts(3);
        for (auto& t : texts)
            for (int i = 0; i < 400; ++i) {
                const char c = next();
                t.push_back(
                    round % 2 == 0 ? c : alphabet[static_cast<unsigned char>(c) % alphabet.size()]);
            }
        const auto messages = split(texts);
        for (const auto& m : messages) {
            CHECK(m.first_page >= 1);
            CHECK(m.last_page >= m.first_page);
            CHECK(m.last_page <= 3);
        }
    }
}
