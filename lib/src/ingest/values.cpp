#include <porchlight/error.hpp>
#include <porchlight/ingest/values.hpp>
#include <porchlight/util/date.hpp>
#include <porchlight/util/text.hpp>

#include "../detail/gdal_handles.hpp"

#include <cpl_conv.h>
#include <ogr_api.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <vector>

namespace porchlight::ingest {

namespace {

constexpr double pi = 3.14159265358979323846;
constexpr double earth_radius_m = 6371008.8; // mean radius (IUGG)

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

std::string format_utc(std::chrono::sys_seconds t) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{t - day};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<long>(hms.hours().count()),
                  static_cast<long>(hms.minutes().count()),
                  static_cast<long>(hms.seconds().count()));
    return buf;
}

/// "YYYY-MM-DD[T ]HH:MM[:SS[.fff]](Z|±HH[:MM])": the UTC time, or nullopt when the text is
/// not of that form (a time without a zone included).
std::optional<std::string> iso_time_with_zone(const std::string& s) {
    int y, mo, d, h, mi;
    int n = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d%*1[T ]%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5)
        return std::nullopt;
    std::size_t i = static_cast<std::size_t>(n);
    int sec = 0;
    if (i < s.size() && s[i] == ':') {
        if (i + 2 >= s.size() + 0 || !is_digit(s[i + 1]) || !is_digit(s[i + 2]))
            return std::nullopt;
        sec = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
        i += 3;
        if (i < s.size() && s[i] == '.')
            for (++i; i < s.size() && is_digit(s[i]);)
                ++i;
    }
    int offset_min = 0;
    if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
        ++i;
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        int oh = 0, om = 0, m = 0;
        if (std::sscanf(s.c_str() + i + 1, "%2d%n", &oh, &m) != 1 || m != 2)
            return std::nullopt;
        std::size_t j = i + 3;
        if (j < s.size() && s[j] == ':')
            ++j;
        if (j + 1 < s.size() + 0 && is_digit(s[j]) && is_digit(s[j + 1])) {
            om = (s[j] - '0') * 10 + (s[j + 1] - '0');
            j += 2;
        }
        offset_min = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
        i = j;
    } else {
        return std::nullopt;
    }
    if (i != s.size())
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{y},
                                          std::chrono::month{static_cast<unsigned>(mo)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 60)
        return std::nullopt;
    const auto t = std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} +
                   std::chrono::seconds{sec} - std::chrono::minutes{offset_min};
    return format_utc(std::chrono::sys_seconds{t});
}

/// "2:15 PM", "14:22", "14:22:05" at the end of a date, after a space.
std::string without_clock_time(const std::string& s) {
    auto sp = s.rfind(' ');
    if (sp == std::string::npos)
        return s;
    std::string tail = util::to_lower_ascii(s.substr(sp + 1));
    std::string head = util::trim(s.substr(0, sp));
    if (tail == "am" || tail == "pm") {
        sp = head.rfind(' ');
        if (sp == std::string::npos)
            return s;
        tail = head.substr(sp + 1);
        head = util::trim(head.substr(0, sp));
    }
    if (tail.find(':') == std::string::npos)
        return s;
    for (char c : tail)
        if (!is_digit(c) && c != ':' && c != '.')
            return s;
    return head;
}

} // namespace

read_value<std::string> parse_request_time(std::string_view text) {
    const auto s = util::trim(text);
    if (s.empty())
        return {};
    if (auto t = iso_time_with_zone(s))
        return {*t, {}};
    if ((s.size() == 10 || s.size() == 13) &&
        std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c); })) {
        std::int64_t v = 0;
        std::from_chars(s.data(), s.data() + s.size(), v);
        if (s.size() == 13)
            v /= 1000;
        return {format_utc(std::chrono::sys_seconds{std::chrono::seconds{v}}), {}};
    }
    std::optional<util::partial_date> d;
    try {
        d = util::parse_date(s);
    } catch (const std::invalid_argument& e) {
        const auto day = without_clock_time(s);
        if (day == s)
            return {std::nullopt, e.what()};
        try {
            d = util::parse_date(day);
        } catch (const std::invalid_argument&) {
            return {std::nullopt, e.what()};
        }
    }
    if (!d)
        return {};
    if (d->precision != util::date_precision::day)
        return {std::nullopt, "date '" + s + "' is not a full day"};
    return {d->iso(), {}};
}

std::optional<double> parse_number(std::string_view text) {
    auto s = util::trim(text);
    if (!s.empty() && s[0] == '+')
        s.erase(0, 1);
    if (s.empty())
        return std::nullopt;
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

read_value<std::int64_t> parse_count(std::string_view text) {
    auto s = util::trim(text);
    if (s.empty())
        return {};
    if (auto colon = s.rfind(':'); colon != std::string::npos)
        s = util::trim(s.substr(colon + 1));
    std::string digits;
    std::size_t i = 0;
    while (i < s.size() && !is_digit(s[i]))
        ++i;
    if (i > 0 && s.find_first_of("0123456789") != std::string::npos && s[i - 1] == '-')
        return {std::nullopt, "'" + util::trim(text) + "' is negative, not a count"};
    for (; i < s.size() &&
           (is_digit(s[i]) || (s[i] == ',' && i + 1 < s.size() && is_digit(s[i + 1])));
         ++i)
        if (s[i] != ',')
            digits += s[i];
    if (digits.empty() || digits.size() > 15)
        return {std::nullopt, "'" + util::trim(text) + "' is not a count"};
    if (i < s.size() && s[i] == '.' && i + 1 < s.size() && is_digit(s[i + 1]))
        return {std::nullopt, "'" + util::trim(text) + "' is not a whole number"};
    return {std::stoll(digits), {}};
}

std::string unit_in_column_name(std::string_view column) {
    const auto words = util::normalise_words(column);
    const auto padded = " " + words + " ";
    for (const auto& [unit, spellings] :
         std::array<std::pair<const char*, std::array<const char*, 3>>, 4>{{
             {"ft", {" ft ", " feet ", " foot "}},
             {"mi", {" mi ", " miles ", " mile "}},
             {"km", {" km ", " kilometers ", " kilometres "}},
             {"m", {" m ", " meters ", " metres "}},
         }})
        for (const char* sp : spellings)
            if (padded.find(sp) != std::string::npos)
                return unit;
    return {};
}

read_value<double> parse_radius(std::string_view text, std::string_view default_unit) {
    const auto s = util::trim(text);
    if (s.empty())
        return {};
    std::size_t i = 0;
    std::string number;
    for (; i < s.size() && (is_digit(s[i]) || s[i] == '.' || s[i] == ','); ++i)
        if (s[i] != ',')
            number += s[i];
    const auto value = parse_number(number);
    std::string unit = util::to_lower_ascii(util::trim(s.substr(i)));
    if (!unit.empty() && unit.back() == '.')
        unit.pop_back();
    if (unit.empty())
        unit = std::string(default_unit);
    static const std::pair<const char*, double> units[] = {{"m", 1.0},
                                                           {"meter", 1.0},
                                                           {"meters", 1.0},
                                                           {"metre", 1.0},
                                                           {"metres", 1.0},
                                                           {"ft", 0.3048},
                                                           {"feet", 0.3048},
                                                           {"foot", 0.3048},
                                                           {"'", 0.3048},
                                                           {"mi", 1609.344},
                                                           {"mile", 1609.344},
                                                           {"miles", 1609.344},
                                                           {"km", 1000.0},
                                                           {"kilometer", 1000.0},
                                                           {"kilometers", 1000.0},
                                                           {"kilometre", 1000.0},
                                                           {"kilometres", 1000.0},
                                                           {"yd", 0.9144},
                                                           {"yards", 0.9144}};
    if (!value || *value < 0)
        return {std::nullopt, "radius '" + s + "' is not a distance"};
    for (const auto& [name, factor] : units)
        if (unit == name)
            return {*value * factor, {}};
    return {std::nullopt, "radius '" + s + "' has a unit porchlight does not know (m, ft, mi, km)"};
}

std::string circle_wkt(double lat, double lon, double radius_m, int sides) {
    const double phi1 = lat * pi / 180, lambda1 = lon * pi / 180;
    const double delta = radius_m / earth_radius_m;
    std::string out = "POLYGON ((";
    std::string first;
    char buf[64];
    for (int k = 0; k < sides; ++k) {
        const double theta = 2 * pi * k / sides; // bearing, clockwise from north
        const double phi2 = std::asin(std::sin(phi1) * std::cos(delta) +
                                      std::cos(phi1) * std::sin(delta) * std::cos(theta));
        double lambda2 = lambda1 + std::atan2(std::sin(theta) * std::sin(delta) * std::cos(phi1),
                                              std::cos(delta) - std::sin(phi1) * std::sin(phi2));
        double lon2 = std::fmod(lambda2 * 180 / pi + 540.0, 360.0) - 180.0;
        std::snprintf(buf, sizeof buf, "%.7f %.7f", lon2, phi2 * 180 / pi);
        if (k == 0)
            first = buf;
        out += buf;
        out += ", ";
    }
    out += first + "))";
    return out;
}

namespace {

using gdal_detail::geometry_ptr;

/// "POINT (x y)" or "POINT(x y)" (with an optional Z), read without OGR: a million
/// camera rows spell their point this way.
std::optional<std::pair<double, double>> simple_point(const std::string& s) {
    if (s.size() < 9 || util::to_lower_ascii(s.substr(0, 5)) != "point")
        return std::nullopt;
    const auto open = s.find('('), close = s.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open)
        return std::nullopt;
    const auto parts = util::split(util::trim(s.substr(open + 1, close - open - 1)), ' ');
    std::vector<std::string> xs;
    for (const auto& p : parts)
        if (!p.empty())
            xs.push_back(p);
    if (xs.size() < 2 || xs.size() > 3)
        return std::nullopt;
    auto x = parse_number(xs[0]), y = parse_number(xs[1]);
    if (!x || !y)
        return std::nullopt;
    return std::pair{*x, *y};
}

bool in_range(double lon, double lat) {
    return std::fabs(lat) <= 90 && std::fabs(lon) <= 180;
}

} // namespace

read_value<area> parse_area(std::string_view text) {
    const auto s = util::trim(text);
    if (s.empty())
        return {};
    auto range_error = [&](double lon, double lat) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "coordinates (%g, %g) are outside -180..180, -90..90", lon,
                      lat);
        return read_value<area>{std::nullopt, buf};
    };
    if (auto p = simple_point(s)) {
        if (!in_range(p->first, p->second))
            return range_error(p->first, p->second);
        char buf[80];
        std::snprintf(buf, sizeof buf, "POINT (%.7f %.7f)", p->first, p->second);
        return {area{buf, p->second, p->first, false}, {}};
    }
    OGRGeometryH raw = nullptr;
    if (s[0] == '{') {
        raw = OGR_G_CreateGeometryFromJson(s.c_str());
    } else {
        char* cursor = const_cast<char*>(s.c_str());
        if (OGR_G_CreateFromWkt(&cursor, nullptr, &raw) != OGRERR_NONE)
            raw = nullptr;
    }
    geometry_ptr g(raw);
    if (!g || OGR_G_IsEmpty(raw))
        return {std::nullopt, "'" + s.substr(0, 60) + (s.size() > 60 ? "…" : "") +
                                  "' is not a WKT or GeoJSON geometry"};
    OGREnvelope env;
    OGR_G_GetEnvelope(raw, &env);
    if (!in_range(env.MinX, env.MinY))
        return range_error(env.MinX, env.MinY);
    if (!in_range(env.MaxX, env.MaxY))
        return range_error(env.MaxX, env.MaxY);
    const auto type = wkbFlatten(OGR_G_GetGeometryType(raw));
    area a;
    a.polygon = type == wkbPolygon || type == wkbMultiPolygon;
    geometry_ptr centroid(OGR_G_CreateGeometry(wkbPoint));
    if (OGR_G_Centroid(raw, static_cast<OGRGeometryH>(centroid.get())) != OGRERR_NONE)
        return {std::nullopt, "cannot find the centre of '" + s.substr(0, 60) + "'"};
    a.lon = OGR_G_GetX(static_cast<OGRGeometryH>(centroid.get()), 0);
    a.lat = OGR_G_GetY(static_cast<OGRGeometryH>(centroid.get()), 0);
    char* wkt = nullptr;
    OGR_G_FlattenTo2D(raw);
    OGRGeometryH out = a.polygon ? raw : static_cast<OGRGeometryH>(centroid.get());
    if (OGR_G_ExportToIsoWkt(out, &wkt) == OGRERR_NONE && wkt)
        a.wkt = wkt;
    CPLFree(wkt);
    return {a, {}};
}

namespace {

std::optional<double> cardinal(const std::string& s) {
    static const char* points[] = {"n", "nne", "ne", "ene", "e", "ese", "se", "sse",
                                   "s", "ssw", "sw", "wsw", "w", "wnw", "nw", "nnw"};
    static const char* words[] = {"north", "", "northeast", "", "east", "", "southeast", "",
                                  "south", "", "southwest", "", "west", "", "northwest", ""};
    std::string k;
    for (char c : util::to_lower_ascii(s))
        if (c != ' ' && c != '-' && c != '_')
            k += c;
    for (int i = 0; i < 16; ++i)
        if (k == points[i] || (*words[i] && k == words[i]))
            return 22.5 * i;
    return std::nullopt;
}

std::optional<double> one_direction(const std::string& s) {
    if (auto v = parse_number(s))
        return std::fmod(std::fmod(*v, 360.0) + 360.0, 360.0);
    return cardinal(s);
}

} // namespace

direction parse_direction(std::string_view text) {
    const auto s = util::trim(text);
    direction d;
    if (s.empty())
        return d;
    if (auto one = one_direction(s)) {
        d.degrees = one;
        return d;
    }
    // a range "a-b", clockwise from a to b ("-" at the start is a sign, not a range)
    const auto dash = s.find('-', 1);
    if (dash != std::string::npos) {
        auto from = one_direction(util::trim(s.substr(0, dash)));
        auto to = one_direction(util::trim(s.substr(dash + 1)));
        if (from && to) {
            double width = std::fmod(*to - *from + 360.0, 360.0);
            if (width == 0)
                width = 360;
            d.degrees = std::fmod(*from + width / 2, 360.0);
            d.field_of_view = width;
            return d;
        }
    }
    d.error = "direction '" + s + "' is not degrees, a compass point or a range like 90-180";
    return d;
}

bool lon_lat_box::contains(double lon, double lat) const {
    if (lat < south || lat > north)
        return false;
    if (west <= east)
        return lon >= west && lon <= east;
    return lon >= west || lon <= east; // across 180°
}

StateBoxes StateBoxes::load(const std::filesystem::path& gazetteer_dir) {
    const auto file = gazetteer_dir / "states.tsv";
    std::ifstream in(file);
    if (!in)
        throw error("cannot read " + file.string());
    std::string line;
    std::getline(in, line);
    const auto header = util::split(line, '\t');
    auto col = [&](const char* name) -> std::size_t {
        for (std::size_t i = 0; i < header.size(); ++i)
            if (header[i] == name)
                return i;
        throw error(file.string() + ": no column '" + name + "' in the header");
    };
    const auto state = col("state"), west = col("west"), south = col("south"), east = col("east"),
               north = col("north");
    StateBoxes out;
    std::int64_t line_no = 1;
    while (std::getline(in, line)) {
        ++line_no;
        const auto f = util::split(line, '\t');
        if (f.size() < header.size())
            throw error(file.string() + ":" + std::to_string(line_no) + ": too few fields");
        auto w = parse_number(f[west]), s = parse_number(f[south]), e = parse_number(f[east]),
             n = parse_number(f[north]);
        if (!w || !s || !e || !n)
            continue; // a territory without a box
        out.m_boxes[f[state]] = {*w, *s, *e, *n};
    }
    return out;
}

const lon_lat_box* StateBoxes::find(std::string_view usps) const {
    auto it = m_boxes.find(usps);
    return it == m_boxes.end() ? nullptr : &it->second;
}

bool StateBoxes::in_any(double lon, double lat) const {
    for (const auto& [state, box] : m_boxes)
        if (box.contains(lon, lat))
            return true;
    return false;
}

point_check check_point(double lat, double lon, std::string_view state, const StateBoxes& boxes) {
    const lon_lat_box* box = state.empty() ? nullptr : boxes.find(state);
    auto inside = [&](double x, double y) {
        return in_range(x, y) && (box ? box->contains(x, y) : boxes.in_any(x, y));
    };
    if (!in_range(lon, lat))
        return inside(lat, lon) ? point_check::swapped : point_check::out_of_range;
    if (inside(lon, lat))
        return point_check::ok;
    if (inside(lat, lon))
        return point_check::swapped;
    return box ? point_check::outside_state : point_check::ok;
}

} // namespace porchlight::ingest
