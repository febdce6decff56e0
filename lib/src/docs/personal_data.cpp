// Personal data spans: e-mail addresses, North American phone numbers and street addresses,
// found with RE2 so that no text, however hostile, makes the search super-linear.
//
// Each kind has one pattern, compiled once. Every repetition in the phone and address
// patterns is bounded, so a match (and the part of the text the DFA reads past it) is at
// most a few hundred bytes long: restarting one byte after a match that a context check
// rejects costs a bounded amount, and the whole scan stays linear in the text's length.

#include <porchlight/docs/personal_data.hpp>

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

namespace porchlight::docs {

namespace {

// ---------------------------------------------------------------------------------------
// Pattern pieces

// A blank between the words of an address: ASCII space and tab, the no-break and
// typographic spaces, and the zero-width characters that e-mail footers and PDF text
// extraction leave between words ("\u200C1523 \u200C26th Street").
constexpr const char* address_blank =
    R"([ \t\x{00A0}\x{2000}-\x{200D}\x{202F}\x{205F}\x{2060}\x{3000}\x{FEFF}])";

std::string address_gap() {
    return std::string("(?:") + address_blank + "{1,4})";
}

// Street suffixes written out in full: matched in Title case and UPPER case; the common
// ones also in lower case ("123 Main street").
struct suffix {
    const char* word;
    bool lower_too;
};
constexpr std::array full_suffixes = {
    suffix{"Street", true},    suffix{"Avenue", true},   suffix{"Road", false},
    suffix{"Boulevard", true}, suffix{"Drive", false},   suffix{"Lane", false},
    suffix{"Court", false},    suffix{"Way", false},     suffix{"Place", false},
    suffix{"Circle", false},   suffix{"Parkway", true},  suffix{"Highway", true},
    suffix{"Terrace", false},  suffix{"Trail", false},   suffix{"Square", false},
    suffix{"Plaza", false},    suffix{"Alley", false},   suffix{"Expressway", true},
    suffix{"Freeway", true},   suffix{"Turnpike", true}, suffix{"Crescent", false},
    suffix{"Loop", false},     suffix{"Pike", false},    suffix{"Causeway", true},
    suffix{"Path", false},
};
// Abbreviated suffixes, Title and UPPER case; a period after one belongs to the address.
constexpr std::array abbreviated_suffixes = {
    "St",  "Ave", "Av",   "Rd",  "Blvd", "Dr",  "Ln",  "Ct",   "Pl",  "Cir",  "Pkwy", "Pky",
    "Hwy", "Ter", "Terr", "Trl", "Sq",   "Plz", "Aly", "Expy", "Fwy", "Tpke", "Cres", "Cswy",
};

std::string upper(std::string s) {
    for (auto& c : s)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    return s;
}

std::string lower(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::string suffix_pattern() {
    // appended piece by piece (GCC 12 warns, wrongly, of overlapping copies in
    // `a += (c ? "" : "|") + std::string(...)` chains)
    std::string full;
    for (const auto& s : full_suffixes) {
        if (!full.empty())
            full.append("|");
        full.append(s.word).append("|").append(upper(s.word));
        if (s.lower_too)
            full.append("|").append(lower(s.word));
    }
    std::string abbr;
    for (const char* s : abbreviated_suffixes) {
        if (!abbr.empty())
            abbr.append("|");
        abbr.append(s).append("|").append(upper(s));
    }
    return "(?:(?:" + full + R"()\b|(?:)" + abbr + R"()\b\.?))";
}

std::string address_pattern() {
    const std::string gap = address_gap();
    // house number: "1523", "123A", "123 1/2"
    const std::string number = R"(\b\d{1,6}(?:[A-Za-z]\b)?(?:)" + gap + R"(1/2\b)?)";
    // a word of a street name: capitalised ("Main", "N.", "O'Farrell", "Sánchez"), an
    // ordinal ("26th"), or one of the lower-case particles of Spanish and Dutch names.
    // Latin letters only: the Unicode letter classes would make the program a hundred
    // times larger and its compilation take a quarter of a second.
    const std::string word =
        R"((?:[A-Z\x{00C0}-\x{00D6}\x{00D8}-\x{00DE}][A-Za-z\x{00C0}-\x{00D6}\x{00D8}-\x{00F6}\x{00F8}-\x{024F}'’.\-]{0,24}|)"
        R"(\d{1,4}(?:st|nd|rd|th|ST|ND|RD|TH)\b|(?:de|del|la|las|los|el|van|von|der)\b))";
    const std::string words = "(?:" + word + gap + "){1,4}";
    const std::string post_direction = "(?:,?" + gap + R"((?:NE|NW|SE|SW|N|S|E|W)\b\.?)?)";
    const std::string unit =
        "(?:,?" + gap +
        R"((?:(?i:apt|apartment|suite|ste|unit|room|rm|bldg|building|floor|flr|space|spc|lot|trlr)\b\.?)" +
        gap + "?#?|#" + gap + R"(?)[A-Za-z0-9][A-Za-z0-9\-]{0,5}\b)?)";

    // "1523 26th Street", "123 N. Main St. Apt 4", "1999 Broadway"
    const std::string street = number + gap + "(?:" + words + suffix_pattern() +
                               R"(|Broadway\b|BROADWAY\b))" + post_direction + unit;
    // "4500 block of Main St", "the 4500 block of E Colfax"
    const std::string block = number + gap + R"((?i:block|blk)\b\.?)" + gap + "(?:(?i:of)" + gap +
                              ")?(?:" + word + gap + "){0,3}" + word + "(?:" + gap +
                              suffix_pattern() + ")?" + post_direction;
    // "12345 Highway 99", "300 State Route 1", "42 County Road 12"
    const std::string numbered =
        number + gap + R"((?:(?:(?:State|STATE|US|U\.S\.|Interstate|Old|OLD)(?:)" + gap +
        R"())?(?:Highway|HIGHWAY|Hwy|HWY|Route|ROUTE|Rte|RTE|FM)|(?:County|COUNTY))" + gap +
        R"((?:Road|ROAD|Rd|RD))\b\.?)" + gap + R"(#?\d{1,4}[A-Za-z]?\b)" + unit;
    // leftmost-first: "42 County Road 12" is a numbered road before it is a street "County Road"
    return "(?:" + numbered + "|" + block + "|" + street + ")";
}

std::string phone_pattern() {
    const std::string sep = R"([\-. \x{00A0}])";
    const std::string paren_area = R"(\( ?[2-9]\d{2} ?\))";
    const std::string plain_area = R"([2-9]\d{2})";
    const std::string exchange = R"([2-9]\d{2})";
    // "+1 619 555 0123", "+16195550123", "+1 (619) 555-0123"
    const std::string with_plus = R"(\B\+1)" + sep + "?(?:" + paren_area + sep + "?|" + plain_area +
                                  sep + "?)" + exchange + sep + R"(?\d{4})";
    // "1-800-555-0123", "1 (800) 555-0123"
    const std::string with_one = R"(\b1(?:)" + sep + "?" + paren_area + sep + "?|" + sep +
                                 plain_area + sep + ")" + exchange + sep + R"(\d{4})";
    // "(619) 555-0123", "(619)555-0123", "(619) 555 0123"
    const std::string with_paren = paren_area + sep + "?" + exchange + sep + R"(\d{4})";
    // "619-555-0123", "619.555.0123", "619 555-0123", "619/555-0123"; not "619 555 0123",
    // which is as likely three numbers of a table
    const std::string bare =
        R"(\b)" + plain_area + R"([\-./ \x{00A0}])" + exchange + R"([\-.]\d{4})";
    // "ext. 12", "x12", ", extension 4401"
    const std::string extension =
        R"((?:[ \x{00A0}]{0,3},?[ \x{00A0}]{0,3}(?i:extension|ext|ex|x)\.?[ \x{00A0}]{0,2}#?\d{1,6})?)";
    return "(?:" + with_plus + "|" + with_one + "|" + with_paren + "|" + bare + ")" + extension +
           R"(\b)";
}

std::string email_pattern() {
    // "[at]", "(at)", "{at}", "<at>" with or without blanks around; likewise "[dot]"
    const std::string at = R"((?:@|[ \x{00A0}]{0,2}[\[({<] ?(?i:at) ?[\])}>][ \x{00A0}]{0,2}))";
    const std::string dot = R"((?:\.|[ \x{00A0}]{0,2}[\[({<] ?(?i:dot) ?[\])}>][ \x{00A0}]{0,2}))";
    // letters of any script: internationalised addresses ("zoë@exemple.fr", "münchen.de")
    const std::string local = R"([\p{L}\p{N}_][\p{L}\p{M}\p{N}._%+=\-]*)";
    const std::string label = R"([\p{L}\p{N}](?:[\p{L}\p{M}\p{N}\-]*[\p{L}\p{M}\p{N}])?)";
    return local + at + "(?:" + label + dot + ")+" + R"(\p{L}[\p{L}\p{M}]+)";
}

// Words that make a "number + words + Court" or "number + PM + Dr" a false street address.
constexpr const char* address_rejects =
    R"((?i:\b(?:superior|supreme|district|municipal|federal|circuit|appeals?|appellate|traffic|)"
    R"(juvenile|family|bankruptcy|claims|tax|county|high|food|small)(?:\s|\x{00A0})+(?:court|ct)\b)|)"
    R"(\b(?:AM|PM|A\.M\.|P\.M\.|am|pm|a\.m\.|p\.m\.)(?:\s|\x{00A0}))";

RE2::Options options() {
    RE2::Options o;
    o.set_encoding(RE2::Options::EncodingUTF8);
    o.set_log_errors(false);
    o.set_max_mem(64 << 20); // room for the DFAs of the address pattern
    return o;
}

const RE2& compiled(const RE2& re) {
    if (!re.ok())
        throw std::logic_error("personal data pattern does not compile: " + re.error());
    return re;
}

const RE2& email_re() {
    static const RE2 re(email_pattern(), options());
    return compiled(re);
}
const RE2& phone_re() {
    static const RE2 re(phone_pattern(), options());
    return compiled(re);
}
const RE2& address_re() {
    static const RE2 re(address_pattern(), options());
    return compiled(re);
}
const RE2& address_reject_re() {
    static const RE2 re(address_rejects, options());
    return compiled(re);
}

// ---------------------------------------------------------------------------------------
// Context checks the patterns cannot express (RE2 has no look-behind)

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

/// The match continues a longer number: "12-619-555-0123", "1,523 Main St", "5:49 PM Dr".
bool number_before(std::string_view text, std::size_t begin) {
    if (begin >= 2 && is_digit(text[begin - 2])) {
        const char c = text[begin - 1];
        if (c == '-' || c == '.' || c == ',' || c == ':' || c == '/')
            return true;
    }
    return begin >= 1 && text[begin - 1] == '$';
}

/// The match is followed by more of a number: "619-555-0123-45", "619.555.0123.7".
bool number_after(std::string_view text, std::size_t end) {
    if (end + 1 < text.size() && is_digit(text[end + 1])) {
        const char c = text[end];
        return c == '-' || c == '.' || c == '/';
    }
    return false;
}

bool accept_email(std::string_view, std::size_t, std::size_t) {
    return true;
}

bool accept_phone(std::string_view text, std::size_t begin, std::size_t end) {
    return !number_before(text, begin) && !number_after(text, end);
}

bool accept_address(std::string_view text, std::size_t begin, std::size_t end) {
    if (number_before(text, begin))
        return false;
    const re2::StringPiece span(text.data() + begin, end - begin);
    return !RE2::PartialMatch(span, address_reject_re());
}

template <class Accept>
void scan(std::string_view text, const RE2& re, const char* kind, Accept accept,
          std::vector<personal_span>& out) {
    const re2::StringPiece input(text.data(), text.size());
    std::size_t pos = 0;
    re2::StringPiece m;
    while (pos < text.size() && re.Match(input, pos, text.size(), RE2::UNANCHORED, &m, 1)) {
        const auto begin = static_cast<std::size_t>(m.data() - text.data());
        const auto end = begin + m.size();
        if (end > begin && accept(text, begin, end)) {
            out.push_back(personal_span{begin, end, kind});
            pos = end;
        } else {
            pos = begin + 1;
        }
    }
}

std::string_view label_of(const std::string& kind) {
    if (kind == "email")
        return "[email]";
    if (kind == "phone")
        return "[phone]";
    if (kind == "street_address")
        return "[street address]";
    return {};
}

} // namespace

std::vector<personal_span> find_personal_data(std::string_view text) {
    std::vector<personal_span> found;
    scan(text, email_re(), "email", accept_email, found);
    scan(text, phone_re(), "phone", accept_phone, found);
    scan(text, address_re(), "street_address", accept_address, found);

    // by start, the longer first; a stable sort keeps e-mail before phone before address
    // when two spans are the same
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        if (a.begin != b.begin)
            return a.begin < b.begin;
        return a.end - a.begin > b.end - b.begin;
    });
    // of two overlapping spans keep the longer; the earlier one when they are as long
    std::vector<personal_span> out;
    out.reserve(found.size());
    for (auto& s : found) {
        if (!out.empty() && s.begin < out.back().end) {
            if (s.end - s.begin > out.back().end - out.back().begin)
                out.back() = std::move(s);
            continue;
        }
        out.push_back(std::move(s));
    }
    return out;
}

std::string redact(std::string_view text, const std::vector<personal_span>& spans) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    for (const auto& s : spans) {
        if (s.begin < pos || s.end < s.begin || s.end > text.size())
            throw std::invalid_argument("redact: spans must be sorted, not overlap and lie in the "
                                        "text (span " +
                                        std::to_string(s.begin) + "-" + std::to_string(s.end) +
                                        ")");
        out.append(text.substr(pos, s.begin - pos));
        const auto label = label_of(s.kind);
        if (!label.empty()) {
            out.append(label);
        } else {
            out += '[';
            for (char c : s.kind)
                out += c == '_' ? ' ' : c;
            out += ']';
        }
        pos = s.end;
    }
    out.append(text.substr(pos));
    return out;
}

} // namespace porchlight::docs
