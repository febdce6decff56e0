#include <porchlight/util/text.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <unordered_map>

namespace porchlight::util {

std::string trim(std::string_view s) {
    auto is_space = [](unsigned char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
    };
    std::size_t b = 0, e = s.size();
    while (b < e && is_space(static_cast<unsigned char>(s[b])))
        ++b;
    while (e > b && is_space(static_cast<unsigned char>(s[e - 1])))
        --e;
    // U+00A0 no-break space, common in spreadsheet exports
    while (e - b >= 2 && static_cast<unsigned char>(s[e - 2]) == 0xC2 &&
           static_cast<unsigned char>(s[e - 1]) == 0xA0)
        e -= 2;
    return std::string(s.substr(b, e - b));
}

std::string to_lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        auto pos = s.find(sep, start);
        out.emplace_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
        if (pos == std::string_view::npos)
            break;
        start = pos + 1;
    }
    return out;
}

std::optional<std::size_t> invalid_utf8_offset(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        std::uint32_t cp;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n)
            return i;
        for (std::size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        // overlong forms, surrogates, beyond U+10FFFF
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return i;
        i += len;
    }
    return std::nullopt;
}

namespace {
/// ASCII letter for a Latin-1 Supplement letter (U+00C0..U+00FF), 0 when there is none.
char fold_latin1(unsigned cp) {
    static constexpr const char* map = // U+00C0 .. U+00FF
        "AAAAAAACEEEEIIII" "DNOOOOOxOUUUUYTs" "aaaaaaaceeeeiiii" "dnooooo/ouuuuyty";
    if (cp < 0xC0 || cp > 0xFF)
        return 0;
    const char c = map[cp - 0xC0];
    return (c == 'x' || c == '/') ? 0 : c;
}
} // namespace

std::string normalise_words(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool pending_space = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        // accented Latin letters compare as their base letter ("Doña Ana" == "Dona Ana")
        if (c == 0xC3 && i + 1 < s.size()) {
            const unsigned cp = 0xC0 + (static_cast<unsigned char>(s[i + 1]) & 0x3F);
            if (char base = fold_latin1(cp)) {
                ++i;
                if (pending_space && !out.empty())
                    out += ' ';
                pending_space = false;
                out += static_cast<char>(base >= 'A' && base <= 'Z' ? base - 'A' + 'a' : base);
                continue;
            }
        }
        // invisible marks pasted with names (left-to-right mark, zero-width space, BOM)
        if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(s[i + 2]) >= 0x8B &&
             static_cast<unsigned char>(s[i + 2]) <= 0x8F)) {
            i += 2;
            continue;
        }
        if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBB &&
            static_cast<unsigned char>(s[i + 2]) == 0xBF) {
            i += 2;
            continue;
        }
        // apostrophes (ASCII and U+2019) join words: "Sheriff's" -> "sheriffs"
        if (c == '\'' || c == '`')
            continue;
        if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(s[i + 2]) == 0x99 ||
             static_cast<unsigned char>(s[i + 2]) == 0x98)) {
            i += 2;
            continue;
        }
        if (c == '&') {
            if (!out.empty())
                out += ' ';
            out += "and";
            pending_space = true;
            continue;
        }
        bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<unsigned char>(c - 'A' + 'a');
            word = true;
        }
        if (!word) {
            pending_space = true;
            continue;
        }
        if (pending_space && !out.empty())
            out += ' ';
        pending_space = false;
        out += static_cast<char>(c);
    }
    return out;
}

namespace {

std::string expand_tokens(std::string_view words,
                          const std::unordered_map<std::string_view, std::string_view>& map) {
    std::string out;
    for (const auto& token : split(words, ' ')) {
        if (token.empty())
            continue;
        auto it = map.find(token);
        if (!out.empty())
            out += ' ';
        out += it == map.end() ? std::string_view(token) : it->second;
    }
    return out;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    // whole-word replacement on a space-separated string
    std::string padded = pad_words(s);
    const std::string f = pad_words(from);
    const std::string t = pad_words(to);
    std::size_t pos = 0;
    while ((pos = padded.find(f, pos)) != std::string::npos) {
        padded.replace(pos, f.size(), t);
        pos += t.size() - 1;
    }
    s = padded.substr(1, padded.size() - 2);
}

const std::unordered_map<std::string_view, std::string_view>& place_tokens() {
    static const std::unordered_map<std::string_view, std::string_view> m = {
        {"st", "saint"},  {"ste", "sainte"},    {"twp", "township"}, {"twsp", "township"},
        {"mt", "mount"},  {"ft", "fort"},       {"pt", "point"},     {"vlg", "village"},
        {"co", "county"}, {"cnty", "county"},   {"hts", "heights"},  {"n", "north"},
        {"s", "south"},   {"e", "east"},        {"w", "west"},       {"boro", "borough"},
        {"bor", "borough"}, {"ctr", "center"},
    };
    return m;
}

const std::unordered_map<std::string_view, std::string_view>& agency_tokens() {
    static const std::unordered_map<std::string_view, std::string_view> m = [] {
        auto t = place_tokens();
        t.insert({{"pd", "police department"},
                  {"dept", "department"},
                  {"dep", "department"},
                  {"so", "sheriffs office"},
                  {"sheriff", "sheriffs"},
                  {"sherriffs", "sheriffs"},
                  {"sherrifs", "sheriffs"},
                  {"ofc", "office"},
                  {"dps", "department of public safety"},
                  {"hwy", "highway"},
                  {"univ", "university"},
                  {"twp", "township"}});
        return t;
    }();
    return m;
}

} // namespace

std::string normalise_place(std::string_view name) {
    return expand_tokens(normalise_words(name), place_tokens());
}

std::string normalise_agency(std::string_view name) {
    auto s = expand_tokens(normalise_words(name), agency_tokens());
    replace_all(s, "police dept", "police department");
    replace_all(s, "sheriffs department", "sheriffs office");
    replace_all(s, "sheriffs dept", "sheriffs office");
    // "Cook County Sheriff" names the office as much as "Cook County Sheriff's Office" does
    if (s.size() >= 9 && s.compare(s.size() - 9, 9, " sheriffs") == 0)
        s += " office";
    if (s.rfind("the ", 0) == 0)
        s.erase(0, 4);
    return s;
}

namespace {
struct state_entry {
    const char* code;
    const char* name;
};
constexpr std::array<state_entry, 56> states = {{
    {"AL", "Alabama"},        {"AK", "Alaska"},         {"AZ", "Arizona"},
    {"AR", "Arkansas"},       {"CA", "California"},     {"CO", "Colorado"},
    {"CT", "Connecticut"},    {"DE", "Delaware"},       {"DC", "District of Columbia"},
    {"FL", "Florida"},        {"GA", "Georgia"},        {"HI", "Hawaii"},
    {"ID", "Idaho"},          {"IL", "Illinois"},       {"IN", "Indiana"},
    {"IA", "Iowa"},           {"KS", "Kansas"},         {"KY", "Kentucky"},
    {"LA", "Louisiana"},      {"ME", "Maine"},          {"MD", "Maryland"},
    {"MA", "Massachusetts"},  {"MI", "Michigan"},       {"MN", "Minnesota"},
    {"MS", "Mississippi"},    {"MO", "Missouri"},       {"MT", "Montana"},
    {"NE", "Nebraska"},       {"NV", "Nevada"},         {"NH", "New Hampshire"},
    {"NJ", "New Jersey"},     {"NM", "New Mexico"},     {"NY", "New York"},
    {"NC", "North Carolina"}, {"ND", "North Dakota"},   {"OH", "Ohio"},
    {"OK", "Oklahoma"},       {"OR", "Oregon"},         {"PA", "Pennsylvania"},
    {"RI", "Rhode Island"},   {"SC", "South Carolina"}, {"SD", "South Dakota"},
    {"TN", "Tennessee"},      {"TX", "Texas"},          {"UT", "Utah"},
    {"VT", "Vermont"},        {"VA", "Virginia"},       {"WA", "Washington"},
    {"WV", "West Virginia"},  {"WI", "Wisconsin"},      {"WY", "Wyoming"},
    {"PR", "Puerto Rico"},    {"GU", "Guam"},           {"VI", "U.S. Virgin Islands"},
    {"AS", "American Samoa"}, {"MP", "Northern Mariana Islands"},
}};
} // namespace

std::optional<std::string> state_code(std::string_view s) {
    auto t = trim(s);
    if (t.size() == 2) {
        std::string up = t;
        for (auto& c : up)
            if (c >= 'a' && c <= 'z')
                c = static_cast<char>(c - 'a' + 'A');
        for (const auto& e : states)
            if (up == e.code)
                return up;
        return std::nullopt;
    }
    auto key = normalise_words(t);
    for (const auto& e : states)
        if (key == normalise_words(e.name))
            return std::string(e.code);
    if (key == "virgin islands")
        return std::string("VI");
    return std::nullopt;
}

std::string state_name(std::string_view code) {
    for (const auto& e : states)
        if (code == e.code)
            return e.name;
    return {};
}

std::string pad_words(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += ' ';
    out += s;
    out += ' ';
    return out;
}

bool contains_words(std::string_view words, std::string_view phrase) {
    if (phrase.empty())
        return false;
    for (auto pos = words.find(phrase); pos != std::string_view::npos;
         pos = words.find(phrase, pos + 1)) {
        const bool starts = pos == 0 || words[pos - 1] == ' ';
        const bool ends = pos + phrase.size() == words.size() || words[pos + phrase.size()] == ' ';
        if (starts && ends)
            return true;
    }
    return false;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    std::size_t run = 0; // start of the current run of characters that need no escape
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default: {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        }
        }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

void json_array(std::string& out, const std::vector<std::string>& values) {
    out.assign(1, '[');
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i)
            out += ',';
        append_json_string(out, values[i]);
    }
    out += ']';
}

void append_xml_escaped(std::string& out, std::string_view s, xml_quotes q) {
    for (const char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += q == xml_quotes::kept ? "\"" : "&quot;";
            break;
        case '\'':
            out += q == xml_quotes::kept ? "'" : q == xml_quotes::named ? "&apos;" : "&#39;";
            break;
        default:
            out += c;
        }
    }
}

std::string xml_escape(std::string_view s, xml_quotes q) {
    std::string out;
    out.reserve(s.size());
    append_xml_escaped(out, s, q);
    return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty())
            out += sep;
        out += p;
    }
    return out;
}

} // namespace porchlight::util
