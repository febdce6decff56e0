// What every report kind shares: the sources it stands on, the store it was read from,
// date windows (--since/--until) and the periods of a report.
#include "detail/reports.hpp"

#include <porchlight/config.hpp>
#include <porchlight/util/date.hpp>

#include <cstdio>
#include <stdexcept>

namespace porchlight::report {

namespace reports_detail {

std::string count_of(std::int64_t n, std::string_view word) {
    return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

store_info read_store_info(store::Database& db) {
    store_info s;
    s.store = db.path().filename().string();
    s.schema_version = db.scalar_int("PRAGMA user_version");
    s.sources = db.scalar_int("SELECT count(*) FROM sources");
    s.last_ingested_at = db.scalar_text("SELECT max(ingested_at) FROM sources");
    s.porchlight_version = config::version;
    return s;
}

std::vector<report_source> numbered_sources(store::Database& db,
                                            const std::set<std::int64_t>& ids) {
    std::vector<report_source> out;
    store::Statement st(db, "SELECT id, ifnull(title, file_name), origin, sha256, retrieved_at, "
                            "as_of FROM sources ORDER BY id");
    while (st.step()) {
        if (!ids.count(st.get_int(0)))
            continue;
        report_source s;
        s.n = static_cast<std::int64_t>(out.size()) + 1;
        s.id = st.get_int(0);
        s.title = st.get_text(1);
        s.origin = st.get_text(2);
        s.sha256 = st.get_text(3);
        s.retrieved_at = st.get_optional_text(4);
        s.as_of = st.get_optional_text(5);
        out.push_back(std::move(s));
    }
    return out;
}

std::string latest_as_of(const std::vector<report_source>& sources) {
    std::string latest;
    for (const auto& s : sources)
        if (s.as_of && *s.as_of > latest)
            latest = *s.as_of;
    return latest;
}

namespace {

bool is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int month_days(int y, int m) {
    static constexpr int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

std::string ymd(int y, int m, int d) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
}

util::partial_date read_bound(const std::string& text, std::string_view option) {
    std::optional<util::partial_date> d;
    try {
        d = util::parse_date(text);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(std::string(option) + ": " + e.what());
    }
    if (!d)
        throw std::invalid_argument(std::string(option) + " needs a date (YYYY, YYYY-MM or "
                                                          "YYYY-MM-DD)");
    return *d;
}

} // namespace

std::string window_start(const std::string& text, std::string_view option) {
    return days_of(read_bound(text, option).iso()).first;
}

std::string window_end(const std::string& text, std::string_view option) {
    return days_of(read_bound(text, option).iso()).last;
}

std::pair<std::optional<std::string>, std::optional<std::string>>
date_window(const std::optional<std::string>& since, const std::optional<std::string>& until) {
    std::optional<std::string> from, to;
    if (since)
        from = window_start(*since, "--since");
    if (until)
        to = window_end(*until, "--until");
    if (from && to && *from > *to)
        throw std::invalid_argument("--since " + *since + " is after --until " + *until);
    return {from, to};
}

interval days_of(const std::string& iso) {
    const int y = std::stoi(iso.substr(0, 4));
    if (iso.size() == 4)
        return {ymd(y, 1, 1), ymd(y, 12, 31)};
    const int m = std::stoi(iso.substr(5, 2));
    if (iso.size() == 7)
        return {ymd(y, m, 1), ymd(y, m, month_days(y, m))};
    const auto day = iso.substr(0, 10);
    return {day, day};
}

placement place(const interval& d, const std::optional<std::string>& since,
                const std::optional<std::string>& until) {
    if ((since && d.last < *since) || (until && d.first > *until))
        return placement::outside;
    if ((since && d.first < *since) || (until && d.last > *until))
        return placement::straddles;
    return placement::inside;
}

std::string next_period(const std::string& p) {
    const int y = std::stoi(p.substr(0, 4));
    char buf[32];
    if (p.size() == 4) {
        std::snprintf(buf, sizeof buf, "%04d", y + 1);
        return buf;
    }
    const int m = std::stoi(p.substr(5, 2));
    if (m == 12)
        std::snprintf(buf, sizeof buf, "%04d-01", y + 1);
    else
        std::snprintf(buf, sizeof buf, "%04d-%02d", y, m + 1);
    return buf;
}

std::vector<std::string> periods_between(const std::string& first, const std::string& last) {
    std::vector<std::string> out;
    for (auto p = first; p <= last; p = next_period(p))
        out.push_back(p);
    return out;
}

void check_by(const std::string& kind, const std::string& by,
              const std::vector<std::string>& allowed) {
    for (const auto& a : allowed)
        if (a == by)
            return;
    throw std::invalid_argument("report " + kind + " cannot be made --by " + by + " (use " +
                                join_text(allowed, ", ") + ")");
}

} // namespace reports_detail

const std::vector<std::string>& report_kinds() {
    static const std::vector<std::string> kinds = {"partnerships", "messages", "sources",
                                                   "evidence",     "requests", "coverage",
                                                   "audit"};
    return kinds;
}

} // namespace porchlight::report
