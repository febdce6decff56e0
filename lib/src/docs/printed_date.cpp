// The dates printed in e-mail header blocks (see printed_email.cpp).

#include "detail/printed_date.hpp"
#include "detail/scan.hpp"

#include <array>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::docs::detail {
namespace {

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
} // namespace

void parse_printed_date(std::string_view raw, email_header& h) {
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

} // namespace porchlight::docs::detail
