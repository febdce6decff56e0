// E-mails printed to PDF (Outlook's "Print to PDF", Acrobat PDFMaker for Outlook, a
// browser's print of a webmail thread): the pages' text is split at the header blocks
// that the mail program prints above each message,
//
//     From:     Sanchez, Jesus
//     Sent:     Tuesday, June 4, 2019 3:15 PM
//     To:       Jobe, Grant; cwoods@pd.sandiego.gov
//     Subject:  RE: camera request
//
// A header block is a run of lines that each start with one of the labels From, Sent,
// Date, To, Cc, Bcc, Subject, Attachments, Importance (then ':', then spaces or tabs, then
// the value, which may be empty), with no label twice. A value may wrap onto the next
// lines: a line that is not a label line continues the value before it when it starts at
// the value column (the physical layout puts wrapped text where it stands on the page),
// when the value so far ends with ';' or ',' (a list of recipients), or when a label line
// of the same block follows it. A blank line ends the block. A block counts only with
// From: and at least Subject: or Sent:/Date:.
//
// Choice: headers quoted inside a body -- a reply or forward printed under
// "-----Original Message-----", "From: ... Sent: ..." -- start messages of their own. A
// printed thread is how an agency releases a conversation, and each quoted message has
// its own sender, recipients and date, which is what a reader searches for. So a
// message's body runs from its header block to the next block only, and the separator
// line printed just above the next block ("-----Original Message-----", a line of
// underscores, "Begin forwarded message:") is dropped from its end.

#include <porchlight/docs/document.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::docs {
namespace {

// ---------------------------------------------------------------------------------------
// small text helpers

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '\n';
}

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowered(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = lower(c);
    return out;
}

std::string_view trim_view(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

std::string_view rtrim_view(std::string_view s) {
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

bool blank(std::string_view s) {
    return trim_view(s).empty();
}

// Runs of white space as one space, none at the ends.
std::string collapse_spaces(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool space = false;
    for (const char c : s) {
        if (is_space(c)) {
            space = !out.empty();
            continue;
        }
        if (space)
            out.push_back(' ');
        space = false;
        out.push_back(c);
    }
    return out;
}

std::size_t indentation(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && (s[n] == ' ' || s[n] == '\t'))
        ++n;
    return n;
}

// ---------------------------------------------------------------------------------------
// header lines

enum class field { from, sent, date, to, cc, bcc, subject, attachments, importance };
constexpr std::size_t field_count = 9;

struct label_name {
    std::string_view name;
    field f;
};

constexpr std::array<label_name, field_count> labels{{{"from", field::from},
                                                      {"sent", field::sent},
                                                      {"date", field::date},
                                                      {"to", field::to},
                                                      {"cc", field::cc},
                                                      {"bcc", field::bcc},
                                                      {"subject", field::subject},
                                                      {"attachments", field::attachments},
                                                      {"importance", field::importance}}};

struct header_line {
    field f;
    std::string_view value; ///< trimmed, may be empty
    std::size_t value_col;  ///< byte column where the value starts (0 when it is empty)
};

// "From:    value" (after optional indentation and '>' quote marks) or nothing.
std::optional<header_line> parse_header_line(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '>'))
        ++i;
    const std::size_t label_begin = i;
    while (i < line.size() && is_alpha(line[i]) && i - label_begin < 12)
        ++i;
    if (i == label_begin || i >= line.size() || line[i] != ':')
        return std::nullopt;
    const std::string name = lowered(line.substr(label_begin, i - label_begin));
    ++i; // ':'
    if (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
        return std::nullopt; // "to:do", "http://", not a label
    for (const label_name& l : labels) {
        if (l.name != name)
            continue;
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        const std::string_view value = rtrim_view(line.substr(i));
        return header_line{l.f, value, value.empty() ? 0 : i};
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------
// dates

struct token {
    enum kind_t { number, word, punct } kind;
    std::string text; ///< lower-case for words
    long value = -1;  ///< numbers: the value, -1 when too long
};

std::vector<token> tokenize(std::string_view s) {
    std::vector<token> out;
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (is_digit(c)) {
            const std::size_t b = i;
            while (i < s.size() && is_digit(s[i]))
                ++i;
            token t{token::number, std::string(s.substr(b, i - b)), -1};
            if (t.text.size() <= 8)
                t.value = std::stol(t.text);
            out.push_back(std::move(t));
        } else if (is_alpha(c)) {
            const std::size_t b = i;
            while (i < s.size() && is_alpha(s[i]))
                ++i;
            out.push_back({token::word, lowered(s.substr(b, i - b)), -1});
        } else {
            // ':' '/' '-' '+' '.' ',' '(' ')' matter; spaces, other ASCII and the bytes of
            // non-ASCII characters (the narrow no-break space before "PM") separate tokens
            if (c == ':' || c == '/' || c == '-' || c == '+' || c == '.' || c == ',' || c == '(' ||
                c == ')')
                out.push_back({token::punct, std::string(1, c), -1});
            ++i;
        }
    }
    return out;
}

int month_number(std::string_view w) {
    static constexpr std::array<std::string_view, 12> names{
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    for (std::size_t m = 0; m < names.size(); ++m) {
        if (w == names[m] || (w.size() == 3 && names[m].substr(0, 3) == w) ||
            (m == 8 && w == "sept"))
            return static_cast<int>(m) + 1;
    }
    return 0;
}

bool is_weekday(std::string_view w) {
    static constexpr std::array<std::string_view, 7> names{
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    for (const std::string_view n : names) {
        if (w == n || (w.size() >= 3 && w.size() <= 5 && n.substr(0, w.size()) == w))
            return true;
    }
    return false;
}

// Offset in minutes east of UTC of a zone name, nullopt when it is not one.
std::optional<int> zone_offset(std::string_view w) {
    struct zone {
        std::string_view name;
        int minutes;
    };
    static constexpr std::array<zone, 15> zones{{{"z", 0},
                                                 {"ut", 0},
                                                 {"utc", 0},
                                                 {"gmt", 0},
                                                 {"est", -300},
                                                 {"edt", -240},
                                                 {"cst", -360},
                                                 {"cdt", -300},
                                                 {"mst", -420},
                                                 {"mdt", -360},
                                                 {"pst", -480},
                                                 {"pdt", -420},
                                                 {"akst", -540},
                                                 {"akdt", -480},
                                                 {"hst", -600}}};
    for (const zone& z : zones)
        if (z.name == w)
            return z.minutes;
    return std::nullopt;
}

bool leap(long y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(long y, int m) {
    static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[static_cast<std::size_t>(m - 1)];
}

// Days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms).
long days_from_civil(long y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civil_from_days(long z, long& y, int& m, int& d) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = yoe + era * 400 + (m <= 2 ? 1 : 0);
}

std::string format_time(long y, int mo, int d, int h, int mi, int s) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04ld-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, s);
    return buf;
}

long two_digit_year(long yy) {
    return yy < 70 ? 2000 + yy : 1900 + yy;
}

// The date of a printed header: "Thursday, May 12, 2022 5:49:51 PM", "6/4/2019 3:15 PM",
// "Mon, 4 Jun 2019 15:15:00 -0700", "Mon, Jun 3, 2019 at 3:15 PM", "2019-06-04 15:15".
// Fills sent_local, and sent_utc and sent_offset when the zone is written; leaves them
// unset when the date does not read as one (an unexplained number, no time of day).
void parse_date(std::string_view raw, email_header& h) {
    const std::vector<token> t = tokenize(raw);
    long year = -1;
    int month = 0;
    int day = 0;
    int hour = -1;
    int minute = -1;
    int second = 0;
    int ampm = 0; // 1 am, 2 pm
    std::optional<int> offset;
    bool offset_from_number = false;

    const auto num = [&t](std::size_t i) {
        return i < t.size() && t[i].kind == token::number && t[i].value >= 0;
    };
    const auto punct = [&t](std::size_t i, char c) {
        return i < t.size() && t[i].kind == token::punct && t[i].text[0] == c;
    };

    std::size_t i = 0;
    int depth = 0; // inside a "(comment)"
    while (i < t.size()) {
        const token& k = t[i];
        if (punct(i, '(')) {
            ++depth;
            ++i;
            continue;
        }
        if (punct(i, ')')) {
            depth = depth > 0 ? depth - 1 : 0;
            ++i;
            continue;
        }
        if (depth > 0) {
            ++i;
            continue;
        }
        if (k.kind == token::number) {
            if (k.value < 0)
                return;
            const std::size_t digits = k.text.size();
            if (hour < 0 && digits <= 2 && punct(i + 1, ':') && num(i + 2)) { // time
                hour = static_cast<int>(k.value);
                minute = static_cast<int>(t[i + 2].value);
                i += 3;
                if (punct(i, ':') && num(i + 1)) {
                    second = static_cast<int>(t[i + 1].value);
                    i += 2;
                    if (punct(i, '.') && num(i + 1)) // fraction of a second
                        i += 2;
                }
                continue;
            }
            if (month == 0 && punct(i + 1, '/') && num(i + 2) && punct(i + 3, '/') && num(i + 4)) {
                const long a = k.value;
                const long b = t[i + 2].value;
                const long c = t[i + 4].value;
                if (digits == 4) { // 2019/06/04
                    year = a;
                    month = static_cast<int>(b);
                    day = static_cast<int>(c);
                } else if (a > 12 && b <= 12) { // 24/12/2019
                    day = static_cast<int>(a);
                    month = static_cast<int>(b);
                    year = t[i + 4].text.size() <= 2 ? two_digit_year(c) : c;
                } else { // 6/4/2019 (as Outlook prints it in the US)
                    month = static_cast<int>(a);
                    day = static_cast<int>(b);
                    year = t[i + 4].text.size() <= 2 ? two_digit_year(c) : c;
                }
                if (month == 0)
                    return;
                i += 5;
                continue;
            }
            if (month == 0 && digits == 4 && punct(i + 1, '-') && num(i + 2) && punct(i + 3, '-') &&
                num(i + 4)) {
                year = k.value; // 2019-06-04
                month = static_cast<int>(t[i + 2].value);
                day = static_cast<int>(t[i + 4].value);
                if (month == 0)
                    return;
                i += 5;
                continue;
            }
            if (month == 0 && digits <= 2 && punct(i + 1, '.') && num(i + 2) && punct(i + 3, '.') &&
                num(i + 4)) { // 04.06.2019
                day = static_cast<int>(k.value);
                month = static_cast<int>(t[i + 2].value);
                year = t[i + 4].text.size() <= 2 ? two_digit_year(t[i + 4].value) : t[i + 4].value;
                if (month == 0)
                    return;
                i += 5;
                continue;
            }
            if (digits == 4 && year < 0)
                year = k.value;
            else if (digits <= 2 && day == 0 && hour < 0)
                day = static_cast<int>(k.value);
            else if (digits <= 2 && day != 0 && year < 0)
                year = two_digit_year(k.value);
            else
                return; // a number that fits nowhere: not a date we understand
            if (day == 0 && digits <= 2)
                return; // "0"
            ++i;
            continue;
        }
        if (k.kind == token::punct) {
            const char c = k.text[0];
            if ((c == '+' || c == '-') && hour >= 0 && (!offset || !offset_from_number) &&
                num(i + 1)) {
                const std::size_t digits = t[i + 1].text.size();
                long hh = 0;
                long mm = 0;
                std::size_t used = 2;
                if (digits == 4) {
                    hh = t[i + 1].value / 100;
                    mm = t[i + 1].value % 100;
                } else if (digits <= 2 && punct(i + 2, ':') && num(i + 3) &&
                           t[i + 3].text.size() == 2) {
                    hh = t[i + 1].value;
                    mm = t[i + 3].value;
                    used = 4;
                } else if (digits <= 2) {
                    hh = t[i + 1].value;
                } else {
                    return;
                }
                if (hh > 14 || mm > 59)
                    return;
                offset = static_cast<int>((c == '-' ? -1 : 1) * (hh * 60 + mm));
                offset_from_number = true;
                i += used;
                continue;
            }
            ++i; // ',' '.' '-' '/' between the parts
            continue;
        }
        // a word
        const std::string& w = k.text;
        if (int m = month_number(w); m != 0) {
            if (month != 0)
                return;
            month = m;
        } else if (is_weekday(w) || w == "at" || w == "t" || w == "on") {
            // nothing
        } else if (w == "am" || w == "pm") {
            ampm = w == "am" ? 1 : 2;
        } else if ((w == "a" || w == "p") && punct(i + 1, '.') && i + 2 < t.size() &&
                   t[i + 2].text == "m") {
            ampm = w == "a" ? 1 : 2; // "a.m."
            i += 2;
        } else if (const auto z = zone_offset(w); z && hour >= 0 && !offset) {
            offset = *z;
        }
        // other words ("Pacific Standard Time") are ignored
        ++i;
    }

    if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month))
        return;
    if (hour < 0 || minute < 0 || minute > 59 || second > 60)
        return;
    if (ampm != 0) {
        if (hour < 1 || hour > 12)
            return;
        hour = hour % 12 + (ampm == 2 ? 12 : 0);
    } else if (hour > 23) {
        return;
    }
    if (second == 60)
        second = 59; // a leap second, as near as a civil time gets

    h.sent_local = format_time(year, month, day, hour, minute, second);
    if (!offset)
        return;
    const long local_minutes = days_from_civil(year, month, day) * 1440 + hour * 60 + minute;
    const long utc_minutes = local_minutes - *offset;
    long uy = 0;
    int um = 0;
    int ud = 0;
    const long udays = utc_minutes >= 0 ? utc_minutes / 1440 : (utc_minutes - 1439) / 1440;
    const long rest = utc_minutes - udays * 1440;
    civil_from_days(udays, uy, um, ud);
    h.sent_utc =
        format_time(uy, um, ud, static_cast<int>(rest / 60), static_cast<int>(rest % 60), second) +
        "Z";
    const int a = *offset < 0 ? -*offset : *offset;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", *offset < 0 ? '-' : '+', a / 60, a % 60);
    h.sent_offset = buf;
}

// ---------------------------------------------------------------------------------------
// addresses

// "Name [mailto:addr]" (older Outlook) as "Name <addr>"; white space folded.
std::string display_address(std::string_view s) {
    std::string a = collapse_spaces(s);
    const std::string low = lowered(a);
    const std::size_t m = low.find("[mailto:");
    if (m != std::string::npos) {
        const std::size_t close = a.find(']', m);
        if (close != std::string::npos) {
            const std::string addr(trim_view(std::string_view(a).substr(m + 8, close - m - 8)));
            std::string name(trim_view(std::string_view(a).substr(0, m)));
            a = name.empty() ? addr : name + " <" + addr + ">";
        }
    }
    return a;
}

// Split at `sep` outside "quotes", <angle brackets> and [brackets].
std::vector<std::string_view> split_outside_quotes(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    bool quoted = false;
    int angle = 0;
    int square = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == '<')
            ++angle;
        else if (c == '>' && angle > 0)
            --angle;
        else if (c == '[')
            ++square;
        else if (c == ']' && square > 0)
            --square;
        else if (c == sep && angle == 0 && square == 0) {
            out.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    out.push_back(s.substr(start));
    return out;
}

// Outlook separates recipients with ';' and prints names as "Last, First", so a ',' splits
// only when every part around it holds an address ("a@x.org, b@y.org").
std::vector<std::string> split_recipients(std::string_view value) {
    std::vector<std::string> out;
    for (const std::string_view part : split_outside_quotes(value, ';')) {
        const std::string_view p = trim_view(part);
        if (p.empty())
            continue;
        const std::vector<std::string_view> pieces = split_outside_quotes(p, ',');
        bool all_addresses = pieces.size() > 1;
        for (const std::string_view piece : pieces)
            if (piece.find('@') == std::string_view::npos)
                all_addresses = false;
        if (all_addresses) {
            for (const std::string_view piece : pieces)
                if (!blank(piece))
                    out.push_back(display_address(piece));
        } else {
            out.push_back(display_address(p));
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// blocks

struct text_line {
    std::string_view text;
    int page; ///< 1-based
};

struct block {
    std::size_t begin = 0; ///< first line
    std::size_t end = 0;   ///< one past the last line
    std::array<std::optional<std::string>, field_count> values;

    std::optional<std::string>& operator[](field f) { return values[static_cast<std::size_t>(f)]; }
    const std::optional<std::string>& operator[](field f) const {
        return values[static_cast<std::size_t>(f)];
    }

    bool counts() const {
        return (*this)[field::from] &&
               ((*this)[field::subject] || (*this)[field::sent] || (*this)[field::date]);
    }
};

constexpr std::size_t max_block_lines = 200;
constexpr std::size_t max_lookahead = 3;

bool recipient_field(field f) {
    return f == field::to || f == field::cc || f == field::bcc || f == field::attachments;
}

// The header block that starts at lines[first] (a label line).
block read_block(const std::vector<text_line>& lines, std::size_t first) {
    block b;
    b.begin = first;
    std::size_t j = first;
    std::optional<field> last;
    std::size_t value_col = 0;
    while (j < lines.size() && j - first < max_block_lines) {
        const std::string_view text = lines[j].text;
        if (const auto hl = parse_header_line(text)) {
            if (b[hl->f])
                break; // a label again: the next block
            b[hl->f] = std::string(hl->value);
            last = hl->f;
            if (hl->value_col != 0)
                value_col = hl->value_col;
            ++j;
            continue;
        }
        if (!last || blank(text))
            break;
        std::string& value = *b[*last];
        const std::size_t indent = indentation(text);
        bool continues = value_col >= 4 && indent + 2 >= value_col && indent <= value_col + 2;
        if (!continues && recipient_field(*last)) {
            const std::string_view v = rtrim_view(value);
            continues = !v.empty() && (v.back() == ';' || v.back() == ',');
        }
        std::size_t run = 1;
        if (!continues) {
            // lines that stand between two label lines of this block
            std::size_t k = j;
            while (k < lines.size() && k - j < max_lookahead && !blank(lines[k].text) &&
                   !parse_header_line(lines[k].text))
                ++k;
            if (k < lines.size()) {
                const auto next = parse_header_line(lines[k].text);
                if (next && !b[next->f]) {
                    continues = true;
                    run = k - j;
                }
            }
        }
        if (!continues)
            break;
        for (std::size_t r = 0; r < run; ++r) {
            value += ' ';
            value += trim_view(lines[j + r].text);
        }
        j += run;
    }
    b.end = j;
    return b;
}

// Separator lines that a mail program prints above a quoted message.
bool separator_line(std::string_view line) {
    const std::string s = lowered(trim_view(line));
    if (s.empty())
        return false;
    if (s.size() >= 8 && s.find_first_not_of('_') == std::string::npos)
        return true;
    if (s.size() >= 8 && s.find_first_not_of("-=") == std::string::npos)
        return true;
    if (s.rfind("---", 0) == 0 && (s.find("original message") != std::string::npos ||
                                   s.find("forwarded message") != std::string::npos))
        return true;
    return s == "begin forwarded message:" || s == "forwarded message";
}

std::string make_body(const std::vector<text_line>& lines, std::size_t begin, std::size_t end,
                      bool before_block) {
    std::vector<std::string_view> body;
    for (std::size_t i = begin; i < end; ++i)
        body.push_back(rtrim_view(lines[i].text));
    while (!body.empty() && (body.back().empty() || (before_block && separator_line(body.back()))))
        body.pop_back();
    std::size_t first = 0;
    while (first < body.size() && body[first].empty())
        ++first;
    std::size_t common = std::string_view::npos;
    for (std::size_t i = first; i < body.size(); ++i)
        if (!body[i].empty())
            common = std::min(common, indentation(body[i]));
    // the layout's runs of blank lines (space around a logo, a page break) as one
    std::string out;
    for (std::size_t i = first; i < body.size(); ++i) {
        if (body[i].empty()) {
            if (i > first && !body[i - 1].empty())
                out += '\n';
            continue;
        }
        if (!out.empty())
            out += '\n';
        out += body[i].substr(common);
    }
    return std::string(trim_view(out));
}

message make_message(const block& b) {
    message m;
    email_header& h = m.header;
    if (b[field::from])
        h.from = display_address(*b[field::from]);
    if (b[field::to])
        h.to = split_recipients(*b[field::to]);
    if (b[field::cc])
        h.cc = split_recipients(*b[field::cc]);
    if (b[field::bcc])
        h.bcc = split_recipients(*b[field::bcc]);
    if (b[field::subject])
        h.subject = collapse_spaces(*b[field::subject]);
    const std::optional<std::string>& date = b[field::sent] ? b[field::sent] : b[field::date];
    if (date) {
        h.date_raw = collapse_spaces(*date);
        parse_date(h.date_raw, h);
    }
    return m;
}

} // namespace

std::vector<message> split_printed_emails(const std::vector<page>& pages) {
    std::vector<text_line> lines;
    for (std::size_t p = 0; p < pages.size(); ++p) {
        const std::string_view text = pages[p].text;
        const int number = static_cast<int>(p) + 1;
        // every page gives one line at least, so that an empty page keeps its number
        std::size_t pos = 0;
        while (true) {
            const std::size_t nl = text.find('\n', pos);
            if (nl == std::string_view::npos) {
                if (pos < text.size() || pos == 0)
                    lines.push_back({text.substr(pos), number});
                break;
            }
            lines.push_back({text.substr(pos, nl - pos), number});
            pos = nl + 1;
        }
    }

    std::vector<block> blocks;
    for (std::size_t i = 0; i < lines.size();) {
        if (!parse_header_line(lines[i].text)) {
            ++i;
            continue;
        }
        block b = read_block(lines, i);
        const std::size_t next = b.end > i ? b.end : i + 1;
        if (b.counts())
            blocks.push_back(std::move(b));
        i = next;
    }

    std::vector<message> out;
    out.reserve(blocks.size());
    for (std::size_t k = 0; k < blocks.size(); ++k) {
        const block& b = blocks[k];
        const bool has_next = k + 1 < blocks.size();
        const std::size_t body_end = has_next ? blocks[k + 1].begin : lines.size();
        message m = make_message(b);
        m.body = make_body(lines, b.end, body_end, has_next);
        m.first_page = lines[b.begin].page;
        if (has_next) {
            // up to the page the next message starts on, unless it starts at the top of it
            const int next_page = lines[body_end].page;
            bool text_before = false;
            for (std::size_t j = body_end; j > b.begin && lines[j - 1].page == next_page; --j)
                if (!blank(lines[j - 1].text) && !separator_line(lines[j - 1].text)) {
                    text_before = true;
                    break;
                }
            m.last_page = text_before ? next_page : next_page - 1;
        } else {
            m.last_page = static_cast<int>(pages.size()); // trailing pages: its attachments
        }
        if (m.last_page < m.first_page)
            m.last_page = m.first_page;
        out.push_back(std::move(m));
    }
    return out;
}

} // namespace porchlight::docs
