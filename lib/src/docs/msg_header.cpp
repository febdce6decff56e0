// RFC 5322 for the Outlook .msg reader (detail/msg_header.hpp): dates read from and written
// to header text, FILETIME, header fields, addresses and message ids.

#include "detail/msg_header.hpp"

#include "detail/msg_text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace porchlight::docs::detail::msg {
namespace {

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil_time {
    std::int64_t year;
    unsigned month, day, hour, minute, second, weekday; // weekday 0 = Sunday
};

civil_time civil_from_unix(std::int64_t t) {
    std::int64_t days = t / 86400;
    std::int64_t rest = t % 86400;
    if (rest < 0) {
        rest += 86400;
        --days;
    }
    civil_time c{};
    c.weekday = static_cast<unsigned>(((days % 7) + 11) % 7); // 1970-01-01 was a Thursday
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    c.day = doy - (153 * mp + 2) / 5 + 1;
    c.month = mp < 10 ? mp + 3 : mp - 9;
    c.year = static_cast<std::int64_t>(yoe) + era * 400 + (c.month <= 2);
    c.hour = static_cast<unsigned>(rest / 3600);
    c.minute = static_cast<unsigned>(rest % 3600 / 60);
    c.second = static_cast<unsigned>(rest % 60);
    return c;
}

constexpr const char* month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

constexpr std::int64_t min_time = -11644473600; // 1601-01-01, FILETIME's epoch
constexpr std::int64_t max_time = 253402300799; // 9999-12-31T23:59:59Z

} // namespace

std::string iso_local(std::int64_t t) {
    const civil_time c = civil_from_unix(t);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u",
                  static_cast<long long>(c.year), c.month, c.day, c.hour, c.minute, c.second);
    return buf;
}

std::string iso_utc(std::int64_t t) {
    return iso_local(t) + "Z";
}

std::string offset_text(int minutes) {
    char buf[16];
    const int a = minutes < 0 ? -minutes : minutes;
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", minutes < 0 ? '-' : '+', a / 60, a % 60);
    return buf;
}

std::string rfc5322_date(std::int64_t t) {
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    const civil_time c = civil_from_unix(t);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02u %s %04lld %02u:%02u:%02u +0000", days[c.weekday],
                  c.day, month_names[c.month - 1], static_cast<long long>(c.year), c.hour, c.minute,
                  c.second);
    return buf;
}

std::optional<std::int64_t> filetime_to_unix(std::uint64_t ft) {
    if (ft == 0)
        return std::nullopt;
    const auto t = static_cast<std::int64_t>(ft / 10000000) + min_time;
    if (t > max_time)
        return std::nullopt;
    return t;
}

std::optional<header_date> parse_rfc5322_date(std::string_view s) {
    std::vector<std::string> tokens;
    std::string current;
    int comment = 0;
    for (const char c : s) {
        if (c == '(') {
            ++comment;
        } else if (c == ')' && comment > 0) {
            --comment;
        } else if (comment == 0 && !is_space(c) && c != ',') {
            current += c;
            continue;
        }
        if (!current.empty())
            tokens.push_back(std::move(current));
        current.clear();
        if (tokens.size() > 16)
            return std::nullopt;
    }
    if (!current.empty())
        tokens.push_back(std::move(current));
    std::size_t i = 0;
    const auto number = [](const std::string& t, int& out) {
        if (t.empty() || t.size() > 4 ||
            !std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return false;
        out = std::stoi(t);
        return true;
    };
    int day = 0;
    if (i < tokens.size() && !number(tokens[i], day))
        ++i; // the day of the week
    if (i + 4 > tokens.size() || !number(tokens[i], day))
        return std::nullopt;
    unsigned month = 0;
    for (unsigned m = 0; m < 12; ++m)
        if (tokens[i + 1].size() >= 3 && iequals(tokens[i + 1].substr(0, 3), month_names[m]))
            month = m + 1;
    int year = 0;
    if (month == 0 || !number(tokens[i + 2], year))
        return std::nullopt;
    if (tokens[i + 2].size() == 2)
        year += year < 50 ? 2000 : 1900;
    else if (tokens[i + 2].size() == 3)
        year += 1900;
    int hour = 0, minute = 0, second = 0;
    {
        const std::string& t = tokens[i + 3];
        int n = 0;
        if (std::sscanf(t.c_str(), "%2d:%2d:%2d%n", &hour, &minute, &second, &n) != 3 ||
            static_cast<std::size_t>(n) != t.size()) {
            second = 0;
            if (std::sscanf(t.c_str(), "%2d:%2d%n", &hour, &minute, &n) != 2 ||
                static_cast<std::size_t>(n) != t.size())
                return std::nullopt;
        }
    }
    if (day < 1 || day > 31 || year < 1601 || year > 9999 || hour < 0 || hour > 23 || minute < 0 ||
        minute > 59 || second < 0 || second > 60)
        return std::nullopt;
    if (i + 4 >= tokens.size())
        return std::nullopt; // no zone: the UTC time is not known
    const std::string& zone = tokens[i + 4];
    std::optional<int> offset;
    if ((zone.size() == 5) && (zone[0] == '+' || zone[0] == '-') &&
        std::all_of(zone.begin() + 1, zone.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        const int hh = std::stoi(zone.substr(1, 2));
        const int mm = std::stoi(zone.substr(3, 2));
        if (hh > 18 || mm > 59)
            return std::nullopt;
        if (zone != "-0000") // -0000: the time is UTC, the sender's offset is not known
            offset = (zone[0] == '-' ? -1 : 1) * (hh * 60 + mm);
    } else {
        static constexpr std::pair<const char*, int> names[] = {
            {"UT", 0},        {"UTC", 0},       {"GMT", 0},       {"Z", 0},
            {"EST", -5 * 60}, {"EDT", -4 * 60}, {"CST", -6 * 60}, {"CDT", -5 * 60},
            {"MST", -7 * 60}, {"MDT", -6 * 60}, {"PST", -8 * 60}, {"PDT", -7 * 60}};
        bool known = false;
        for (const auto& [name, minutes] : names)
            if (iequals(zone, name)) {
                offset = minutes;
                known = true;
            }
        if (!known)
            return std::nullopt;
    }
    const std::int64_t local = days_from_civil(year, month, static_cast<unsigned>(day)) * 86400 +
                               hour * 3600 + minute * 60 + second;
    return header_date{local - offset.value_or(0) * 60, offset};
}

std::string header_field(std::string_view headers, std::string_view name) {
    std::string value;
    bool in_field = false;
    std::size_t pos = 0;
    while (pos < headers.size()) {
        auto end = headers.find('\n', pos);
        if (end == std::string_view::npos)
            end = headers.size();
        std::string_view line = headers.substr(pos, end - pos);
        pos = end + 1;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty() && !value.empty())
            break;
        if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
            if (in_field) {
                value += ' ';
                value += trim(line);
            }
            continue;
        }
        if (in_field)
            break;
        const auto colon = line.find(':');
        if (colon != std::string_view::npos && iequals(trim(line.substr(0, colon)), name)) {
            in_field = true;
            value = trim(line.substr(colon + 1));
        }
    }
    return single_line(value);
}

std::string strip_angle_brackets(std::string_view s) {
    std::string id = trim(s);
    if (!id.empty() && id.front() == '<') {
        const auto close = id.find('>');
        id = id.substr(1, close == std::string::npos ? std::string::npos : close - 1);
    }
    return single_line(id);
}

bool is_smtp_address(std::string_view s) {
    return !s.empty() && s.front() != '/' && s.find('@') != std::string_view::npos &&
           std::none_of(s.begin(), s.end(), [](char c) { return is_space(c); });
}

std::string address_of(std::string_view field) {
    const auto open = field.rfind('<');
    if (open != std::string_view::npos) {
        const auto close = field.find('>', open);
        field = field.substr(open + 1, close == std::string_view::npos ? std::string_view::npos
                                                                       : close - open - 1);
    }
    std::string a = trim(field);
    return is_smtp_address(a) ? a : std::string();
}

} // namespace porchlight::docs::detail::msg
