#pragma once

// What diff (history.cpp) and timeline (timeline.cpp) share.

#include <porchlight/report/history.hpp>
#include <porchlight/report/table.hpp>
#include <porchlight/store/database.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::report::detail {

using text = std::optional<std::string>;

/// A cell: the text, or NULL.
value cell(const text& s);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
/// "1 snapshot", "2 snapshots".
std::string plural(std::int64_t n, const std::string& word);
/// Every records source (or every source), oldest snapshot first; a source without a
/// dataset key is a snapshot of the list named by its title.
std::vector<snapshot> all_snapshots(store::Database& db, bool records_only = true);

} // namespace porchlight::report::detail
