// Reading a codebook (YAML, strictly: an unknown key is an error, so that a typo cannot
// silently change what a rule matches), compiling its patterns, and testing its examples.
#include <porchlight/audit/codebook.hpp>
#include <porchlight/audit/matcher.hpp>
#include <porchlight/util/sha256.hpp>
#include <porchlight/util/text.hpp>

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace porchlight::audit {

namespace {

/// RE2 memory for one pattern: enough for its DFA on any text (past it RE2 falls back to
/// its slower, still linear, NFA).
constexpr std::int64_t pattern_max_mem = 32 << 20;

class reader {
public:
    explicit reader(std::string file) : m_file(std::move(file)) {}

    [[noreturn]] void fail(const YAML::Node& where, const std::string& rule,
                           const std::string& what) const {
        std::string msg = m_file;
        if (where.IsDefined() && where.Mark().line >= 0)
            msg += ":" + std::to_string(where.Mark().line + 1);
        msg += ": ";
        if (!rule.empty())
            msg += "rule " + rule + ": ";
        throw codebook_error(msg + what);
    }

    void only_keys(const YAML::Node& map, const std::set<std::string>& allowed,
                   const std::string& rule, const std::string& what) const {
        if (!map.IsMap())
            fail(map, rule, what + " must be a mapping");
        for (const auto& kv : map) {
            const auto key = kv.first.as<std::string>();
            if (!allowed.count(key)) {
                std::string list;
                for (const auto& a : allowed)
                    list += (list.empty() ? "" : ", ") + a;
                fail(kv.first, rule, "unknown key '" + key + "' in " + what + " (known: " + list + ")");
            }
        }
    }

    std::string text(const YAML::Node& n, const std::string& rule, const std::string& what) const {
        if (!n.IsScalar())
            fail(n, rule, what + " must be text");
        return n.as<std::string>();
    }

    std::vector<std::string> texts(const YAML::Node& n, const std::string& rule,
                                   const std::string& what) const {
        std::vector<std::string> out;
        if (!n.IsDefined() || n.IsNull())
            return out;
        if (n.IsScalar())
            return {n.as<std::string>()};
        if (!n.IsSequence())
            fail(n, rule, what + " must be a list of text");
        for (const auto& item : n)
            out.push_back(text(item, rule, what));
        return out;
    }

    phrase words(const YAML::Node& n, const std::string& s, const std::string& rule,
                 const std::string& what) const {
        auto p = words_of(s);
        if (p.empty())
            fail(n, rule, what + " '" + s + "' has no words");
        return p;
    }

    std::vector<phrase> phrases(const YAML::Node& n, const std::string& rule,
                                const std::string& what) const {
        std::vector<phrase> out;
        for (const auto& s : texts(n, rule, what))
            out.push_back(words(n, s, rule, what));
        return out;
    }

    int number(const YAML::Node& n, const std::string& rule, const std::string& what, int lo,
               int hi) const {
        int v = 0;
        try {
            v = n.as<int>();
        } catch (const YAML::Exception&) {
            fail(n, rule, what + " must be a whole number");
        }
        if (v < lo || v > hi)
            fail(n, rule, what + " must be from " + std::to_string(lo) + " to " + std::to_string(hi));
        return v;
    }

    std::shared_ptr<const re2::RE2> pattern(const YAML::Node& n, const std::string& source,
                                            const std::string& rule) const {
        RE2::Options o;
        o.set_case_sensitive(false);
        o.set_log_errors(false);
        o.set_max_mem(pattern_max_mem);
        auto re = std::make_shared<const RE2>(source, o);
        if (!re->ok())
            fail(n, rule, "bad regular expression '" + source + "': " + re->error());
        if (RE2::FullMatch("", *re))
            fail(n, rule, "regular expression '" + source + "' matches empty text");
        return re;
    }

    void near(const YAML::Node& n, rule& r) const {
        if (!n.IsSequence())
            fail(n, r.id, "near must be a list");
        for (const auto& item : n) {
            only_keys(item, {"terms", "within"}, r.id, "near");
            near_condition c;
            c.terms = phrases(item["terms"], r.id, "near terms");
            if (c.terms.size() < 2)
                fail(item, r.id, "near needs two terms or more");
            if (item["within"])
                c.within = number(item["within"], r.id, "within", 1, 200);
            r.near.push_back(std::move(c));
        }
    }

    void match(const YAML::Node& n, rule& r) const {
        only_keys(n, {"phrases", "near", "regex"}, r.id, "match");
        r.phrases = phrases(n["phrases"], r.id, "phrase");
        if (n["near"])
            near(n["near"], r);
        r.patterns = texts(n["regex"], r.id, "regex");
        for (const auto& p : r.patterns)
            r.regexes.push_back(pattern(n["regex"], p, r.id));
        if (r.phrases.empty() && r.near.empty() && r.regexes.empty())
            fail(n, r.id, "match has no phrases, near or regex");
    }

    rule one_rule(const YAML::Node& n) const {
        rule r;
        if (n.IsMap() && n["id"] && n["id"].IsScalar())
            r.id = n["id"].as<std::string>();
        only_keys(n, {"id", "label", "description", "severity", "match", "unless", "applies_to",
                      "examples"},
                  r.id, "a rule");
        r.line = n.Mark().line + 1;
        if (r.id.empty() || r.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") !=
                                std::string::npos)
            fail(n, r.id, "a rule needs an id of lower-case letters, digits, '-' and '_'");
        r.label = n["label"] ? text(n["label"], r.id, "label") : r.id;
        if (n["description"])
            r.description = text(n["description"], r.id, "description");
        r.severity = n["severity"] ? text(n["severity"], r.id, "severity") : "medium";
        if (r.severity != "low" && r.severity != "medium" && r.severity != "high")
            fail(n["severity"], r.id, "severity must be low, medium or high, not '" + r.severity + "'");
        if (!n["match"])
            fail(n, r.id, "a rule needs match");
        match(n["match"], r);
        if (const auto u = n["unless"]) {
            only_keys(u, {"phrases", "within"}, r.id, "unless");
            r.unless = phrases(u["phrases"], r.id, "unless phrase");
            if (u["within"])
                r.unless_within = number(u["within"], r.id, "unless within", 0, 50);
        }
        if (const auto a = n["applies_to"]) {
            only_keys(a, {"classes", "sender_domains"}, r.id, "applies_to");
            r.classes = texts(a["classes"], r.id, "classes");
            for (auto d : texts(a["sender_domains"], r.id, "sender_domains")) {
                d = util::to_lower_ascii(d);
                while (!d.empty() && d.front() == '@')
                    d.erase(0, 1);
                r.sender_domains.push_back(d);
            }
        }
        if (const auto e = n["examples"]) {
            only_keys(e, {"match", "no_match"}, r.id, "examples");
            r.examples_match = texts(e["match"], r.id, "examples");
            r.examples_no_match = texts(e["no_match"], r.id, "examples");
        }
        return r;
    }

    codebook read(const YAML::Node& root) const {
        only_keys(root, {"name", "description", "rules"}, "", "the codebook");
        codebook cb;
        if (!root["name"])
            fail(root, "", "the codebook needs a name");
        cb.name = text(root["name"], "", "name");
        if (cb.name.empty())
            fail(root["name"], "", "the codebook's name is empty");
        if (root["description"])
            cb.description = text(root["description"], "", "description");
        const auto rules = root["rules"];
        if (!rules || !rules.IsSequence() || rules.size() == 0)
            fail(root, "", "the codebook needs a list of rules");
        std::set<std::string> ids;
        for (const auto& n : rules) {
            auto r = one_rule(n);
            if (!ids.insert(r.id).second)
                fail(n, r.id, "a second rule with this id");
            cb.rules.push_back(std::move(r));
        }
        cb.file = m_file;
        return cb;
    }

private:
    std::string m_file;
};

} // namespace

codebook parse_codebook(std::string_view yaml, const std::string& file) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
        throw codebook_error(file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    auto cb = reader(file).read(root);
    cb.sha256 = util::sha256_hex(yaml);
    return cb;
}

codebook load_codebook(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw codebook_error("cannot read the codebook " + file.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_codebook(ss.str(), file.string());
}

std::filesystem::path default_codebook_path(const std::filesystem::path& data_dir) {
    return data_dir / "codebooks" / "default.yaml";
}

std::vector<example_failure> test_examples(const codebook& cb) {
    std::vector<example_failure> out;
    for (const auto& r : cb.rules) {
        for (const bool should : {true, false})
            for (const auto& e : should ? r.examples_match : r.examples_no_match) {
                const text_index t(e);
                if (match_rule(r, t).empty() == should)
                    out.push_back({r.id, should, e, r.line});
            }
    }
    return out;
}

std::size_t example_count(const codebook& cb) {
    std::size_t n = 0;
    for (const auto& r : cb.rules)
        n += r.examples_match.size() + r.examples_no_match.size();
    return n;
}

} // namespace porchlight::audit
