#include <porchlight/docs/timezone.hpp>

#include <glib.h>

#include <cstdio>
#include <memory>

namespace porchlight::docs {

namespace {

struct tz_unref {
    void operator()(GTimeZone* tz) const noexcept { g_time_zone_unref(tz); }
};
struct dt_unref {
    void operator()(GDateTime* dt) const noexcept { g_date_time_unref(dt); }
};
using tz_ptr = std::unique_ptr<GTimeZone, tz_unref>;
using dt_ptr = std::unique_ptr<GDateTime, dt_unref>;

tz_ptr open_zone(const std::string& zone) {
    if (zone.empty() || zone.find("..") != std::string::npos || zone.front() == '/')
        return nullptr; // an identifier, never a path
    return tz_ptr(g_time_zone_new_identifier(zone.c_str()));
}

} // namespace

bool known_timezone(const std::string& zone) { return open_zone(zone) != nullptr; }

std::optional<std::pair<std::string, std::string>> local_to_utc(const std::string& local,
                                                                const std::string& zone) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (std::sscanf(local.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
        return std::nullopt;
    const auto tz = open_zone(zone);
    if (!tz)
        return std::nullopt;
    const dt_ptr at(g_date_time_new(tz.get(), y, mo, d, h, mi, s));
    if (!at)
        return std::nullopt;
    const dt_ptr utc(g_date_time_to_utc(at.get()));
    if (!utc)
        return std::nullopt;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", g_date_time_get_year(utc.get()),
                  g_date_time_get_month(utc.get()), g_date_time_get_day_of_month(utc.get()),
                  g_date_time_get_hour(utc.get()), g_date_time_get_minute(utc.get()),
                  g_date_time_get_second(utc.get()));
    const long offset = static_cast<long>(g_date_time_get_utc_offset(at.get()) / G_TIME_SPAN_SECOND);
    const long a = offset < 0 ? -offset : offset;
    char off[48];
    std::snprintf(off, sizeof off, "%c%02ld:%02ld", offset < 0 ? '-' : '+', a / 3600, a / 60 % 60);
    return std::make_pair(std::string(buf), std::string(off));
}

} // namespace porchlight::docs
