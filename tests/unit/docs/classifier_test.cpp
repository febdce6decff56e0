#include <porchlight/docs/classifier.hpp>

#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <string>
#include <vector>

using porchlight::docs::email_header;
using porchlight::docs::MessageClassifier;
using porchlight::docs::rules_error;
using porchlight::test::TempDir;

namespace {

const std::string shipped_rules = PORCHLIGHT_SOURCE_DIR "/data/message-classes.yaml";

const std::string ring_team = "Ring Team <no-reply@neighborhoods.ring.com>";
const std::string neighbors_team = "The Neighbors Team";

email_header header(const std::string& from, const std::string& subject) {
    email_header h;
    h.from = from;
    h.subject = subject;
    return h;
}

void write(const std::filesystem::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary);
    out << text;
}

/// A rules file whose classes are the given YAML text (indented as list items).
std::string rules_with(const std::string& classes) {
    return "version: 1\ndescription: test rules\nclasses:\n" + classes;
}

const std::string good_class = "  - id: alert\n"
                               "    label: Alert\n"
                               "    all:\n"
                               "      subject: [alert]\n";

/// The rules_error message of loading text as a rules file, "" when it loads.
std::string load_error(const std::string& text) {
    TempDir dir;
    const auto file = dir / "rules.yaml";
    write(file, text);
    try {
        MessageClassifier::load(file);
    } catch (const rules_error& e) {
        const std::string msg = e.what();
        CHECK(msg.find(file.string()) != std::string::npos); // names the file
        return msg;
    }
    return {};
}

} // namespace

TEST_CASE("classifier: the shipped rules load") {
    const auto c = MessageClassifier::load(shipped_rules);
    CHECK(c.classes() == std::vector<std::string>{"account_notice", "crime_post_alert",
                                                  "request_for_assistance", "video_request",
                                                  "marketing", "other_ring"});
    CHECK(c.version().size() == 64);
    CHECK(c.version().find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("classifier: the shipped examples hold") {
    const auto c = MessageClassifier::load(shipped_rules);
    const YAML::Node root = YAML::LoadFile(shipped_rules);
    const auto default_from = root["examples_from"].as<std::string>();
    std::size_t checked = 0;
    for (const auto& cls : root["classes"]) {
        const auto id = cls["id"].as<std::string>();
        const auto examples = cls["examples"];
        REQUIRE(examples);
        CHECK(examples["match"].size() > 0);
        for (const char* kind : {"match", "no_match"}) {
            for (const auto& ex : examples[kind]) {
                email_header h;
                std::string body;
                if (ex.IsScalar()) {
                    h = header(default_from, ex.as<std::string>());
                } else {
                    h.subject = ex["subject"].as<std::string>("");
                    h.from = ex["from"].as<std::string>(default_from);
                    body = ex["body"].as<std::string>("");
                }
                INFO("class " << id << ", " << kind << ": from \"" << h.from << "\" subject \""
                              << h.subject << "\" body \"" << body << '"');
                if (std::string(kind) == "match")
                    CHECK(c.classify(h, body) == id);
                else
                    CHECK(c.classify(h, body) != id);
                ++checked;
            }
        }
    }
    CHECK(checked >= 30);
}

TEST_CASE("classifier: real subjects of the Denver and San Diego releases") {
    const auto c = MessageClassifier::load(shipped_rules);
    struct expect {
        std::string from;
        std::string subject;
        std::string id;
    };
    const std::vector<expect> cases = {
        // Denver Police Department, Outlook .msg files
        {ring_team, "[EXTERNAL] A Resident Posted a Crime Incident", "crime_post_alert"},
        {"The Neighbors Team <no-reply@neighborhoods.ring.com>",
         "[EXTERNAL] Introducing Request for Assistance Posts", "request_for_assistance"},
        {"The Neighbors Team <no-reply@neighborhoods.ring.com>",
         "[EXTERNAL] Launching Today: Request for Assistance Posts", "request_for_assistance"},
        {ring_team,
         "[EXTERNAL] ACTION NEEDED: Your Neighbors Public Safety Service Account Will Be "
         "Deactivated",
         "account_notice"},
        {ring_team, "[EXTERNAL] Share Fourth of July Safety Information on Neighbors", "marketing"},
        {ring_team, "[EXTERNAL] REMINDER: New Back to School Graphics", "marketing"},
        {ring_team, "[EXTERNAL] New Scam Prevention Graphics", "marketing"},
        {ring_team, "[EXTERNAL] Post Summer Safety Tips with New Graphics", "marketing"},
        {ring_team, "[EXTERNAL] Help Your Community Stay Safe This Month", "marketing"},
        {ring_team, "[EXTERNAL] New Back to School Graphics", "marketing"},
        {ring_team, "[EXTERNAL] New Shareable Graphics For Your Community", "marketing"},
        // San Diego Police Department, printed to PDF: the sender shows only its name
        {neighbors_team,
         "[EXTERNAL] About Your Neighbors Post \"I believe they were trying to pry open my "
         "garag...\"",
         "account_notice"},
        {neighbors_team, "[EXTERNAL] Crime Alert: Car cover theft", "crime_post_alert"},
        {neighbors_team, "[EXTERNAL] Crime Alert: Lock your car doors", "crime_post_alert"},
        {neighbors_team, "[EXTERNAL] Your Daily Digest for Jul 27", "other_ring"},
        {neighbors_team, "[EXTERNAL] Neighborhood Security is in Your Hands", "other_ring"},
    };
    for (const auto& e : cases) {
        INFO(e.subject);
        CHECK(c.classify(header(e.from, e.subject), "") == e.id);
    }
}

TEST_CASE("classifier: reply and forward markers do not matter") {
    const auto c = MessageClassifier::load(shipped_rules);
    for (const std::string prefix :
         {"", "[EXTERNAL] ", "RE: ", "FW: ", "Fwd: ", "RE: FW: [EXTERNAL] ",
          "[EXT] Re[2]: ", "  fw:[EXTERNAL]RE : ", "EXTERNAL: "}) {
        INFO(prefix);
        CHECK(c.classify(header(ring_team, prefix + "Crime Alert: Car cover theft"), "") ==
              "crime_post_alert");
        CHECK(c.classify(header(ring_team, prefix + "New Shareable Graphics For You"), "") ==
              "marketing");
        CHECK(c.classify(header(neighbors_team, prefix + "About Your Neighbors Post \"x\""), "") ==
              "account_notice");
    }
}

TEST_CASE("classifier: sender and body conditions") {
    const auto c = MessageClassifier::load(shipped_rules);
    const std::string officer = "Ruiz, Ana <aruiz@pd.sandiego.gov>";
    // Ring wording forwarded by an officer: the body tells it came from Neighbors
    CHECK(c.classify(header(officer, "FW: Crime Alert: Car cover theft"),
                     "A crime was just reported.\n\u00A92020 Ring LLC or its affiliates.") ==
          "crime_post_alert");
    CHECK(c.classify(header(officer, "FW: Crime Alert: Car cover theft"), "see below").empty());
    // a domain matches the sender's domain and its subdomains, not a longer name
    CHECK(c.classify(header("x@ring.com", "hello"), "") == "other_ring");
    CHECK(c.classify(header("X <x@mail.ring.com>", "hello"), "") == "other_ring");
    CHECK(c.classify(header("X <x@boring.com>", "hello"), "").empty());
    CHECK(c.classify(header("", ""), "").empty());
    // a police video request mentioning Ring in the body
    CHECK(c.classify(header(officer, "RE: video request for case 21-12345"),
                     "The victim has a Ring doorbell.") == "video_request");
    CHECK(
        c.classify(header(officer, "RE: video request for case 21-12345"), "Body-worn camera only.")
            .empty());
}

TEST_CASE("classifier: rule file errors") {
    CHECK(load_error(rules_with(good_class)).empty());

    SECTION("unknown key") {
        const auto msg = load_error(rules_with(good_class + "  - id: second\n"
                                                            "    label: Second\n"
                                                            "    subjet: [x]\n"
                                                            "    all: {subject: [x]}\n"));
        CHECK_THAT(msg, Catch::Contains("rule 2 (second)"));
        CHECK_THAT(msg, Catch::Contains("unknown key \"subjet\""));
        CHECK_THAT(msg, Catch::Contains(":10:")); // the line of the key
    }
    SECTION("unknown key in the conditions") {
        const auto msg =
            load_error(rules_with("  - id: a\n    label: A\n    all: {sender: [x]}\n"));
        CHECK_THAT(msg, Catch::Contains("rule 1 (a)"));
        CHECK_THAT(msg, Catch::Contains("\"sender\""));
    }
    SECTION("unknown top-level key") {
        CHECK_THAT(load_error("version: 1\nclases: []\n"),
                   Catch::Contains("unknown key \"clases\""));
    }
    SECTION("bad regular expression") {
        const auto msg = load_error(
            rules_with("  - id: bad_re\n    label: Bad\n    all: {body: [\"re:(unclosed\"]}\n"));
        CHECK_THAT(msg, Catch::Contains("rule 1 (bad_re)"));
        CHECK_THAT(msg, Catch::Contains("bad regular expression"));
        CHECK_THAT(msg, Catch::Contains("(unclosed"));
    }
    SECTION("duplicate id") {
        const auto msg = load_error(rules_with(good_class + good_class));
        CHECK_THAT(msg, Catch::Contains("rule 2 (alert)"));
        CHECK_THAT(msg, Catch::Contains("duplicate id \"alert\" (also rule 1)"));
    }
    SECTION("missing id") {
        const auto msg = load_error(rules_with(good_class + "  - label: No id\n"
                                                            "    all: {subject: [x]}\n"));
        CHECK_THAT(msg, Catch::Contains("rule 2 (no id)"));
        CHECK_THAT(msg, Catch::Contains("missing \"id\""));
    }
    SECTION("missing label") {
        const auto msg = load_error(rules_with("  - id: nolabel\n    all: {subject: [x]}\n"));
        CHECK_THAT(msg, Catch::Contains("rule 1 (nolabel)"));
        CHECK_THAT(msg, Catch::Contains("missing \"label\""));
    }
    SECTION("duplicate key") {
        CHECK_THAT(load_error(rules_with(
                       "  - id: d\n    label: D\n    label: E\n    all: {subject: [x]}\n")),
                   Catch::Contains("duplicate key \"label\""));
    }
    SECTION("id not snake_case") {
        CHECK_THAT(load_error(rules_with(
                       "  - id: Video-Request\n    label: V\n    all: {subject: [x]}\n")),
                   Catch::Contains("not snake_case"));
    }
    SECTION("no conditions") {
        CHECK_THAT(load_error(rules_with("  - id: empty\n    label: Empty\n")),
                   Catch::Contains("no conditions"));
    }
    SECTION("empty pattern list") {
        CHECK_THAT(load_error(rules_with("  - id: e\n    label: E\n    any: {subject: []}\n")),
                   Catch::Contains("non-empty list"));
    }
    SECTION("bad examples") {
        CHECK_THAT(load_error(rules_with(good_class + "    examples: {match: [x], maybe: [y]}\n")),
                   Catch::Contains("unknown key \"maybe\""));
    }
    SECTION("version and shape") {
        CHECK_THAT(load_error("classes: []\n"), Catch::Contains("missing \"version\""));
        CHECK_THAT(load_error("version: 2\nclasses: []\n"), Catch::Contains("unsupported version"));
        CHECK_THAT(load_error("version: 1\nclasses: []\n"), Catch::Contains("non-empty list"));
        CHECK_THAT(load_error("- a\n- b\n"), Catch::Contains("must be a mapping"));
        CHECK_THAT(load_error("version: 1\nclasses: [\n"), Catch::Contains("not valid YAML"));
    }
    SECTION("missing file") {
        TempDir dir;
        CHECK_THROWS_AS(MessageClassifier::load(dir / "absent.yaml"), rules_error);
    }
}

TEST_CASE("classifier: first match wins") {
    TempDir dir;
    const auto file = dir / "rules.yaml";
    write(file, rules_with("  - id: first\n    label: First\n    all: {subject: [alert]}\n"
                           "  - id: second\n    label: Second\n"
                           "    all: {subject: [\"re:^crime\"]}\n"
                           "    any: {from: [police.example], body: [urgent]}\n"));
    const auto c = MessageClassifier::load(file);
    CHECK(c.classes() == std::vector<std::string>{"first", "second"});
    CHECK(c.classify(header("a@b.c", "Crime alert"), "") == "first");
    CHECK(c.classify(header("a@x.police.example", "Crime wave"), "") == "second");
    CHECK(c.classify(header("a@b.c", "CRIME wave"), "URGENT") == "second");
    CHECK(c.classify(header("a@b.c", "Crime wave"), "").empty());
    CHECK(c.classify(header("a@b.c", "Recent crime"), "urgent").empty()); // ^ anchors
}

TEST_CASE("classifier: version is the sha256 of the file") {
    TempDir dir;
    const auto file = dir / "rules.yaml";
    const auto text = rules_with(good_class);
    write(file, text);
    const auto v1 = MessageClassifier::load(file).version();
    CHECK(MessageClassifier::load(file).version() == v1); // stable
    write(file, text + "# a comment changes the bytes\n");
    const auto v2 = MessageClassifier::load(file).version();
    CHECK(v2 != v1);
    CHECK(v2.size() == 64);
    // the sha256 of known bytes
    write(file, "");
    CHECK_THROWS_AS(MessageClassifier::load(file), rules_error);
    write(file, "version: 1\nclasses:\n  - {id: a, label: A, all: {subject: [x]}}\n");
    CHECK(MessageClassifier::load(file).version() ==
          "af10dc26c9737738244df2568b2dd33720c651c70c5a9bb5a0f32e64ff53eeb9");
}
