// E-mail classes from the ordered rules of data/message-classes.yaml: the first rule whose
// conditions hold names the class. The file's header comment defines the format; this
// reads it strictly (an unknown key is an error, not ignored) so that a typo in a rule
// cannot silently change what the rule matches.

#include <porchlight/docs/classifier.hpp>

#include <glib.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

namespace fs = std::filesystem;

namespace porchlight::docs {

namespace classifier_detail {

enum class field { subject, from, body };

struct pattern {
    std::string literal;        ///< lower-case ASCII: a substring, or a domain of `from`
    bool domain = false;        ///< literal is a domain: matches the sender's domain
    std::unique_ptr<RE2> regex; ///< set for "re:" patterns
};

struct condition {
    field on = field::subject;
    std::vector<pattern> patterns; ///< the condition holds when any of them matches
};

struct rule {
    std::string id;
    std::string label;
    std::string description;
    std::vector<condition> all; ///< every one must hold
    std::vector<condition> any; ///< when not empty, at least one must hold
};

/// The fields of one e-mail as the patterns see them, each lower-cased (ASCII) once.
struct message_fields {
    std::string subject; ///< normalised: without RE:/FW: markers and [tags]
    std::string_view from;
    std::string_view body;
    std::string subject_lower;
    std::string from_lower;
    std::string body_lower;
    std::string from_domain; ///< lower case, "" when the sender shows no address
};

} // namespace classifier_detail

using namespace classifier_detail;

namespace {

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim_left(std::string_view s) {
    while (!s.empty() && is_blank(s.front()))
        s.remove_prefix(1);
    // a no-break space (U+00A0) that mail clients put after a tag
    if (s.size() >= 2 && s[0] == '\xC2' && s[1] == '\xA0')
        return trim_left(s.substr(2));
    return s;
}

std::string_view trim(std::string_view s) {
    s = trim_left(s);
    while (!s.empty() && is_blank(s.back()))
        s.remove_suffix(1);
    return s;
}

/// s without one leading reply/forward marker ("RE:", "Fwd [2]:", "EXTERNAL:"), or nullopt
/// when it does not start with one.
std::optional<std::string_view> strip_marker(std::string_view s) {
    static constexpr std::array markers = {
        "external email", "external", "fwd", "fw", "re", "aw", "wg", "tr", "sv", "rv"};
    const auto lower = ascii_lower(s.substr(0, 16));
    for (std::string_view m : markers) {
        if (lower.rfind(m, 0) != 0)
            continue;
        auto rest = trim_left(s.substr(m.size()));
        if (!rest.empty() && (rest.front() == '[' || rest.front() == '(')) {
            // a reply count: "Re[2]:", "RE (3):"
            const char close = rest.front() == '[' ? ']' : ')';
            std::size_t i = 1;
            while (i < rest.size() && i < 6 && rest[i] >= '0' && rest[i] <= '9')
                ++i;
            if (i > 1 && i < rest.size() && rest[i] == close)
                rest = trim_left(rest.substr(i + 1));
        }
        if (!rest.empty() && rest.front() == ':')
            return rest.substr(1);
    }
    return std::nullopt;
}

/// The subject without leading markers and bracketed tags, however often they repeat.
std::string normalise_subject(std::string_view s) {
    for (;;) {
        s = trim_left(s);
        if (!s.empty() && s.front() == '[') {
            const auto close = s.find(']');
            if (close != std::string_view::npos && close <= 41) {
                s.remove_prefix(close + 1);
                continue;
            }
        }
        if (auto rest = strip_marker(s)) {
            s = *rest;
            continue;
        }
        break;
    }
    return std::string(trim(s));
}

/// The domain of the address in "Name <user@host>" or "user@host", lower case; "" when none.
std::string sender_domain(std::string_view from) {
    std::string_view addr = from;
    if (const auto lt = from.rfind('<'); lt != std::string_view::npos) {
        const auto gt = from.find('>', lt);
        addr = from.substr(lt + 1,
                           gt == std::string_view::npos ? std::string_view::npos : gt - lt - 1);
    }
    addr = trim(addr);
    const auto at = addr.rfind('@');
    if (at == std::string_view::npos || addr.find(' ') != std::string_view::npos)
        return {};
    return ascii_lower(addr.substr(at + 1));
}

bool looks_like_domain(std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.' || s.find('.') == std::string_view::npos)
        return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '.';
    });
}

bool pattern_matches(const pattern& p, field on, const message_fields& m) {
    if (p.regex) {
        const std::string_view text = on == field::subject ? std::string_view(m.subject)
                                      : on == field::from  ? m.from
                                                           : m.body;
        return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *p.regex);
    }
    if (p.domain) {
        const auto& d = m.from_domain;
        return d == p.literal ||
               (d.size() > p.literal.size() &&
                d.compare(d.size() - p.literal.size(), p.literal.size(), p.literal) == 0 &&
                d[d.size() - p.literal.size() - 1] == '.');
    }
    const std::string& text = on == field::subject ? m.subject_lower
                              : on == field::from  ? m.from_lower
                                                   : m.body_lower;
    return text.find(p.literal) != std::string::npos;
}

bool condition_holds(const condition& c, const message_fields& m) {
    return std::any_of(c.patterns.begin(), c.patterns.end(),
                       [&](const pattern& p) { return pattern_matches(p, c.on, m); });
}

bool rule_matches(const rule& r, const message_fields& m) {
    for (const auto& c : r.all)
        if (!condition_holds(c, m))
            return false;
    if (r.any.empty())
        return true;
    return std::any_of(r.any.begin(), r.any.end(),
                       [&](const condition& c) { return condition_holds(c, m); });
}

// ---------------------------------------------------------------------------------------
// Reading the file

std::string read_bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw rules_error(file.string() + ": cannot read the message-class rules");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        throw rules_error(file.string() + ": cannot read the message-class rules");
    return ss.str();
}

std::string sha256_hex(std::string_view bytes) {
    gchar* hex = g_compute_checksum_for_data(
        G_CHECKSUM_SHA256, reinterpret_cast<const guchar*>(bytes.data()), bytes.size());
    if (!hex)
        throw rules_error("cannot compute sha256 of the message-class rules");
    std::string out(hex);
    g_free(hex);
    return out;
}

/// Builds the messages of rules_error: "<file>:<line>: rule <n> (<id>): <what>".
class reporter {
  public:
    explicit reporter(const fs::path& file) : m_file(file.string()) {}

    /// The rule the next errors are about: its 1-based position and id ("" when unknown).
    void at_rule(std::size_t number, std::string id) {
        m_rule = number;
        m_id = std::move(id);
    }

    [[noreturn]] void fail(const YAML::Node& where, const std::string& what) const {
        std::string msg = m_file;
        if (where.IsDefined() && where.Mark().line >= 0)
            msg += ":" + std::to_string(where.Mark().line + 1);
        msg += ": ";
        if (m_rule > 0)
            msg += "rule " + std::to_string(m_rule) +
                   (m_id.empty() ? std::string(" (no id)") : " (" + m_id + ")") + ": ";
        throw rules_error(msg + what);
    }

  private:
    std::string m_file;
    std::size_t m_rule = 0;
    std::string m_id;
};

void check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                const std::string& where, const reporter& rep) {
    std::vector<std::string> seen;
    for (const auto& kv : map) {
        const auto key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
        if (std::find(seen.begin(), seen.end(), key) != seen.end())
            rep.fail(kv.first, "duplicate key \"" + key + "\" in " + where);
        seen.push_back(key);
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            std::string list;
            for (auto a : allowed)
                list += (list.empty() ? "" : ", ") + std::string(a);
            rep.fail(kv.first,
                     "unknown key \"" + key + "\" in " + where + " (allowed: " + list + ")");
        }
    }
}

std::string scalar(const YAML::Node& node, const std::string& what, const reporter& rep,
                   bool allow_empty = false) {
    if (!node.IsScalar())
        rep.fail(node, what + " must be a string");
    if (!allow_empty && trim(node.Scalar()).empty())
        rep.fail(node, what + " must not be empty");
    return node.Scalar();
}

bool is_snake_case(std::string_view id) {
    if (id.empty() || id.front() < 'a' || id.front() > 'z' || id.back() == '_')
        return false;
    char prev = 0;
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok || (c == '_' && prev == '_'))
            return false;
        prev = c;
    }
    return true;
}

pattern read_pattern(const YAML::Node& node, field on, const std::string& where,
                     const reporter& rep) {
    const auto text = scalar(node, "a pattern of " + where, rep);
    pattern p;
    if (text.rfind("re:", 0) == 0) {
        const auto expr = text.substr(3);
        if (trim(expr).empty())
            rep.fail(node, "empty regular expression in " + where);
        RE2::Options o;
        o.set_encoding(RE2::Options::EncodingUTF8);
        o.set_case_sensitive(false);
        o.set_log_errors(false);
        p.regex = std::make_unique<RE2>(expr, o);
        if (!p.regex->ok())
            rep.fail(node, "bad regular expression in " + where + ": \"" + expr +
                               "\": " + p.regex->error());
        return p;
    }
    p.literal = ascii_lower(text);
    p.domain = on == field::from && looks_like_domain(text);
    return p;
}

std::vector<condition> read_conditions(const YAML::Node& node, const std::string& section,
                                       const reporter& rep) {
    if (!node.IsMap() || node.size() == 0)
        rep.fail(node, "\"" + section + "\" must be a mapping of subject, from and body patterns");
    check_keys(node, {"subject", "from", "body"}, "\"" + section + "\"", rep);
    std::vector<condition> out;
    for (const auto& kv : node) {
        const auto name = kv.first.Scalar();
        condition c;
        c.on = name == "subject" ? field::subject : name == "from" ? field::from : field::body;
        const auto where = section + "." + name;
        if (kv.second.IsScalar()) {
            c.patterns.push_back(read_pattern(kv.second, c.on, where, rep));
        } else if (kv.second.IsSequence() && kv.second.size() > 0) {
            for (const auto& item : kv.second)
                c.patterns.push_back(read_pattern(item, c.on, where, rep));
        } else {
            rep.fail(kv.second, where + " must be a pattern or a non-empty list of patterns");
        }
        out.push_back(std::move(c));
    }
    return out;
}

void check_example(const YAML::Node& node, const std::string& where, const reporter& rep) {
    if (node.IsScalar()) {
        scalar(node, "an example in " + where, rep);
        return;
    }
    if (!node.IsMap() || node.size() == 0)
        rep.fail(node, "an example in " + where +
                           " must be a subject or a mapping of subject, from and body");
    check_keys(node, {"subject", "from", "body"}, "an example in " + where, rep);
    for (const auto& kv : node)
        scalar(kv.second, where + " example's " + kv.first.Scalar(), rep, true);
}

void check_examples(const YAML::Node& node, const reporter& rep) {
    if (!node.IsMap())
        rep.fail(node, "\"examples\" must be a mapping with match and no_match lists");
    check_keys(node, {"match", "no_match"}, "\"examples\"", rep);
    for (const auto& kv : node) {
        const auto where = "examples." + kv.first.Scalar();
        if (!kv.second.IsSequence())
            rep.fail(kv.second, where + " must be a list");
        for (const auto& item : kv.second)
            check_example(item, where, rep);
    }
}

} // namespace

struct MessageClassifier::impl {
    std::string version;
    std::vector<rule> rules;
};

MessageClassifier::MessageClassifier(std::unique_ptr<impl> p) : m_impl(std::move(p)) {}
MessageClassifier::MessageClassifier(MessageClassifier&&) noexcept = default;
MessageClassifier& MessageClassifier::operator=(MessageClassifier&&) noexcept = default;
MessageClassifier::~MessageClassifier() = default;

MessageClassifier MessageClassifier::load(const fs::path& file) {
    const auto bytes = read_bytes(file);
    auto p = std::make_unique<impl>();
    p->version = sha256_hex(bytes);

    reporter rep(file);
    const YAML::Node root = [&] {
        try {
            return YAML::Load(bytes);
        } catch (const YAML::Exception& e) {
            throw rules_error(file.string() + ":" + std::to_string(e.mark.line + 1) + ":" +
                              std::to_string(e.mark.column + 1) + ": not valid YAML: " + e.msg);
        }
    }();
    if (!root.IsMap())
        rep.fail(root, "the rules must be a mapping with version, description and classes");
    check_keys(root, {"version", "description", "examples_from", "classes"}, "the file", rep);

    const auto version = root["version"];
    if (!version)
        rep.fail(root, "missing \"version\" (the format version, 1)");
    if (!version.IsScalar() || version.Scalar() != "1")
        rep.fail(version, "unsupported version \"" +
                              (version.IsScalar() ? version.Scalar() : std::string("?")) +
                              "\" (this porchlight reads version 1)");
    if (const auto d = root["description"]; d)
        scalar(d, "description", rep, true);
    if (const auto f = root["examples_from"]; f)
        scalar(f, "examples_from", rep);

    const auto classes = root["classes"];
    if (!classes)
        rep.fail(root, "missing \"classes\"");
    if (!classes.IsSequence() || classes.size() == 0)
        rep.fail(classes, "\"classes\" must be a non-empty list");

    std::map<std::string, std::size_t> seen; // id -> rule number
    std::size_t number = 0;
    for (const auto& node : classes) {
        ++number;
        rep.at_rule(number, {});
        if (!node.IsMap())
            rep.fail(node, "must be a mapping (id, label, description, all, any, examples)");
        // the id first, so that every later message names it
        rule r;
        const auto id = node["id"];
        if (!id)
            rep.fail(node, "missing \"id\"");
        r.id = scalar(id, "id", rep);
        rep.at_rule(number, r.id);
        if (!is_snake_case(r.id))
            rep.fail(id, "id \"" + r.id + "\" is not snake_case (a-z, 0-9, single _)");
        if (const auto [it, fresh] = seen.emplace(r.id, number); !fresh)
            rep.fail(id, "duplicate id \"" + r.id + "\" (also rule " + std::to_string(it->second) +
                             ")");
        check_keys(node, {"id", "label", "description", "all", "any", "examples"}, "a class", rep);

        const auto label = node["label"];
        if (!label)
            rep.fail(node, "missing \"label\"");
        r.label = scalar(label, "label", rep);
        if (const auto d = node["description"]; d)
            r.description = scalar(d, "description", rep, true);
        if (const auto all = node["all"]; all)
            r.all = read_conditions(all, "all", rep);
        if (const auto any = node["any"]; any)
            r.any = read_conditions(any, "any", rep);
        if (r.all.empty() && r.any.empty())
            rep.fail(node, "no conditions: give \"all\", \"any\" or both");
        if (const auto ex = node["examples"]; ex)
            check_examples(ex, rep);
        p->rules.push_back(std::move(r));
    }
    return MessageClassifier(std::move(p));
}

std::string MessageClassifier::classify(const email_header& header, std::string_view body) const {
    message_fields m;
    m.subject = normalise_subject(header.subject);
    m.from = header.from;
    m.body = body;
    m.subject_lower = ascii_lower(m.subject);
    m.from_lower = ascii_lower(m.from);
    m.body_lower = ascii_lower(m.body);
    m.from_domain = sender_domain(m.from);
    for (const auto& r : m_impl->rules)
        if (rule_matches(r, m))
            return r.id;
    return {};
}

const std::string& MessageClassifier::version() const {
    return m_impl->version;
}

std::vector<std::string> MessageClassifier::classes() const {
    std::vector<std::string> out;
    out.reserve(m_impl->rules.size());
    for (const auto& r : m_impl->rules)
        out.push_back(r.id);
    return out;
}

} // namespace porchlight::docs
