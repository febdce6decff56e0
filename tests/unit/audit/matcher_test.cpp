#include <porchlight/audit/audit.hpp>
#include <porchlight/audit/codebook.hpp>
#include <porchlight/audit/matcher.hpp>
#include <porchlight/paths.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

using namespace porchlight::audit;

namespace {

codebook book(const std::string& rules) {
    return parse_codebook("name: t\nrules:\n" + rules, "t.yaml");
}

std::vector<std::string> matched(const rule& r, const std::string& text) {
    const text_index t(text);
    std::vector<std::string> out;
    for (const auto& s : match_rule(r, t))
        out.push_back(text.substr(s.begin, s.end - s.begin));
    return out;
}

} // namespace

TEST_CASE("audit words: punctuation, curly quotes and zero-width fillers separate words",
          "[audit]") {
    CHECK(words_of("Non-Disclosure, “Public” don’t") ==
          phrase{"non", "disclosure", "public", "don", "t"});
    CHECK(words_of("approv* press") == phrase{"approv*", "press"});
    const text_index t("A\xE2\x80\x8C\xE2\x80\x8C" "b  c");
    REQUIRE(t.size() == 3);
    CHECK(t.word(1) == "b");
}

TEST_CASE("audit phrases match whole words in order, across lines and any case", "[audit]") {
    const auto cb = book("  - id: r\n    match:\n      phrases: [should not be shared, heat map*]\n");
    const auto& r = cb.rules.at(0);
    CHECK(matched(r, "These SHOULD not\nbe shared. Heat maps too.") ==
          std::vector<std::string>{"SHOULD not\nbe shared", "Heat maps"});
    CHECK(matched(r, "it should not be sharedx; heat").empty());
}

TEST_CASE("audit near: every term within N words of the first, in either order", "[audit]") {
    const auto cb = book("  - id: r\n    match:\n      near:\n        - terms: [share, public, not]\n"
                         "          within: 4\n");
    const auto& r = cb.rules.at(0);
    CHECK(matched(r, "Do not share it with the public.") ==
          std::vector<std::string>{"not share it with the public"});
    CHECK(matched(r, "Share it. Much later, far away, the public was not told.").empty());
    CHECK(matched(r, "share with the public").empty()); // no "not"
}

TEST_CASE("audit regex is case-insensitive RE2, unless drops near-misses", "[audit]") {
    const auto cb = book(
        "  - id: r\n    match:\n      phrases: [video request*]\n      regex: ['\\b\\d+ mile radius\\b']\n"
        "    unless:\n      phrases: [body worn]\n      within: 2\n");
    const auto& r = cb.rules.at(0);
    CHECK(matched(r, "A 2 MILE RADIUS around it") == std::vector<std::string>{"2 MILE RADIUS"});
    CHECK(matched(r, "the body worn video request").empty());
    CHECK(matched(r, "a video request was filed today, unlike the body worn footage").size() == 1);
}

TEST_CASE("audit overlapping matches of one rule are one finding, capped per text", "[audit]") {
    const auto cb = book("  - id: r\n    match:\n      phrases: [free camera, camera for every]\n");
    CHECK(matched(cb.rules.at(0), "a free camera for every 20") ==
          std::vector<std::string>{"free camera for every"});
    std::string many;
    for (int i = 0; i < 200; ++i)
        many += "free camera. ";
    CHECK(match_rule(cb.rules.at(0), text_index(many)).size() == max_matches_per_text);
}

TEST_CASE("audit rules restricted to a class or a sender domain", "[audit]") {
    const auto cb = book("  - id: r\n    match:\n      phrases: [x]\n    applies_to:\n"
                         "      classes: [video_request]\n      sender_domains: ['@Ring.com']\n");
    const auto& r = cb.rules.at(0);
    CHECK(rule_applies(r, "video_request", "Neighbors <no-reply@ring.com>"));
    CHECK(rule_applies(r, "video_request", "x@neighborhoods.ring.com"));
    CHECK_FALSE(rule_applies(r, "video_request", "x@notring.com"));
    CHECK_FALSE(rule_applies(r, "marketing", "x@ring.com"));
    CHECK_FALSE(rule_applies(r, "", ""));
}

TEST_CASE("audit codebook errors name the file, line and rule", "[audit]") {
    auto message = [](const std::string& yaml) {
        try {
            parse_codebook(yaml, "cb.yaml");
        } catch (const codebook_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(message("name: t\nrules:\n  - id: a\n    match:\n      phrase: [x]\n") ==
          "cb.yaml:5: rule a: unknown key 'phrase' in match (known: near, phrases, regex)");
    CHECK_THAT(message("name: t\nrules:\n  - id: a\n    match:\n      regex: ['(']\n"),
               Catch::Contains("cb.yaml:5: rule a: bad regular expression '('"));
    CHECK_THAT(message("name: t\nrules:\n  - id: a\n    match:\n      regex: ['x*']\n"),
               Catch::Contains("matches empty text"));
    CHECK_THAT(message("name: t\nrules:\n  - id: a\n    match: {phrases: [x]}\n  - id: a\n"
                       "    match: {phrases: [y]}\n"),
               Catch::Contains("cb.yaml:5: rule a: a second rule with this id"));
    CHECK_THAT(message("name: t\nrules:\n  - id: a\n    severity: urgent\n    match: {phrases: [x]}\n"),
               Catch::Contains("severity must be low, medium or high"));
    CHECK_THAT(message("rules: [}"), Catch::Contains("cb.yaml:1"));
}

TEST_CASE("audit the default codebook loads and every example behaves", "[audit]") {
    const auto cb = load_codebook(default_codebook_path(porchlight::default_data_dir()));
    CHECK(cb.name == "default");
    CHECK(cb.rules.size() >= 8);
    CHECK(example_count(cb) >= 40);
    const auto failures = test_examples(cb);
    for (const auto& f : failures)
        UNSCOPED_INFO(f.rule << (f.should_match ? " should match: " : " should not match: ")
                             << f.example);
    CHECK(failures.empty());
    for (const auto& r : cb.rules) { // every rule shows its work both ways
        CHECK_FALSE(r.examples_match.empty());
        CHECK_FALSE(r.examples_no_match.empty());
    }
}

TEST_CASE("audit a broken example is reported", "[audit]") {
    const auto cb = book("  - id: a\n    match: {phrases: [do not disclose]}\n    examples:\n"
                         "      match: [\"keep it quiet\"]\n      no_match: [\"do not disclose\"]\n");
    const auto failures = test_examples(cb);
    REQUIRE(failures.size() == 2);
    CHECK(failures[0].should_match);
    CHECK(failures[0].example == "keep it quiet");
    CHECK_FALSE(failures[1].should_match);
    CHECK(failures[1].line == 3);
}

TEST_CASE("audit hostile text: a 5 MB line and regex-bomb input finish quickly", "[audit]") {
    const auto cb = load_codebook(default_codebook_path(porchlight::default_data_dir()));
    std::string huge;
    huge.reserve(5 << 20);
    const std::string words = "share not public confidential free every sign heat map radius ";
    while (huge.size() < (5u << 20))
        huge += words;
    std::string bomb = std::string(100000, 'a') + "!" + std::string(100000, '1') + " mile";
    const auto start = std::chrono::steady_clock::now();
    std::size_t hits = 0;
    for (const std::string* text : {&huge, &bomb}) {
        const text_index t(*text);
        for (const auto& r : cb.rules)
            hits += match_rule(r, t).size();
    }
    const auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    WARN("default codebook over 5 MB + 200 KB of hostile text: " << seconds << " s, " << hits
                                                                 << " matches");
    CHECK(hits > 0);
    CHECK(seconds < 10.0); // a sanity bound: it takes well under a second
}

TEST_CASE("audit excerpts mark the match, fold fillers and mask personal data", "[audit]") {
    const std::string text =
        "Call (541) 555-0147 now.\xE2\x80\x8C \xE2\x80\x8C\n\n The heat map is \x02secret.";
    const auto b = text.find("heat map");
    CHECK(excerpt_of(text, {b, b + 8}, {{5, 19, "phone"}}) ==
          "Call [phone] now. The «heat map» is secret.");
    CHECK(excerpt_of(text, {b, b + 8}, {}) == "Call (541) 555-0147 now. The «heat map» is secret.");
    const std::string long_text = std::string(3000, 'x') + " the heat map " + std::string(3000, 'y');
    const auto at = long_text.find("heat");
    const auto e = excerpt_of(long_text, {at, at + 8}, {});
    CHECK(e.find("«heat map»") != std::string::npos);
    CHECK(e.size() < 800);
}
