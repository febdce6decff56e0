#pragma once

// What the report kinds (reports_*.cpp) share: the sources a report stands on, the store it
// was read from, date windows and periods.

#include <porchlight/report/reports.hpp>
#include <porchlight/util/text.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace porchlight::report::reports_detail {

/// "1 partnership", "2 partnerships" (word + "s").
std::string count_of(std::int64_t n, std::string_view word);
/// The verb for a count: verb(1, "has", "have") is "has".
inline const char* verb(std::int64_t n, const char* one, const char* many) {
    return n == 1 ? one : many;
}
/// util::join (the name the report and render code has always used).
inline std::string join_text(const std::vector<std::string>& parts, std::string_view sep) {
    return util::join(parts, sep);
}

/// The store the report is read from.
store_info read_store_info(store::Database& db);

/// The sources with these ids, numbered from 1 in id order.
std::vector<report_source> numbered_sources(store::Database& db, const std::set<std::int64_t>& ids);

/// The latest as_of among the sources, or "".
std::string latest_as_of(const std::vector<report_source>& sources);

/// A window bound as given (a day, a month or a year, in any spelling parse_date reads) as
/// its first or its last day, YYYY-MM-DD. Throws std::invalid_argument naming option.
std::string window_start(const std::string& text, std::string_view option);
std::string window_end(const std::string& text, std::string_view option);
/// --since and --until as the first and last day they cover; std::invalid_argument when
/// since is after until.
std::pair<std::optional<std::string>, std::optional<std::string>>
date_window(const std::optional<std::string>& since, const std::optional<std::string>& until);

/// The days an ISO date of a precision ("2019", "2019-07", "2019-07-15") may mean.
struct interval {
    std::string first; ///< YYYY-MM-DD
    std::string last;  ///< YYYY-MM-DD
};
interval days_of(const std::string& iso);

/// Where a date's interval lies against a window (bounds optional).
enum class placement { inside, outside, straddles };
placement place(const interval& d, const std::optional<std::string>& since,
                const std::optional<std::string>& until);

/// The period after p ("2019" -> "2020", "2019-12" -> "2020-01").
std::string next_period(const std::string& p);
/// Every period from first to last, inclusive (both of one length: 4 or 7).
std::vector<std::string> periods_between(const std::string& first, const std::string& last);

/// Checks `by` is one of allowed (throws std::invalid_argument listing them).
void check_by(const std::string& kind, const std::string& by,
              const std::vector<std::string>& allowed);

} // namespace porchlight::report::reports_detail
