#pragma once

#include <porchlight/report/table.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::cli {

/// Prints a listing as an aligned text table (fitted to the terminal when stdout is one),
/// CSV (one header row, RFC 4180 quoting, LF) or JSON (an array of objects).
void print_table(const report::table& t, std::string_view format, std::ostream& out);

/// A listing as a JSON array of objects, values typed (numbers stay numbers, NULL is null).
nlohmann::ordered_json to_json(const report::table& t);

/// Removes the named columns (for a table that would not fit a terminal).
void drop_columns(report::table& t, const std::vector<std::string>& names);

/// Prints "key: value" lines for a single-row table (used by `agencies show`).
void print_record(const report::table& t, std::ostream& out);

/// Width of the terminal on stdout, or 0 when stdout is not a terminal ($COLUMNS wins).
int terminal_width();

/// A progress line on stderr, shown only when stderr is a terminal, the work has taken more
/// than a second, and the user did not ask for quiet.
class Progress {
public:
    /// unit: what update() counts ("rows", "documents").
    Progress(std::string label, bool enabled, std::string unit = "rows");
    ~Progress();
    void update(std::int64_t count);
    /// A download: bytes so far, of the total when known.
    void update_bytes(std::uint64_t received, std::optional<std::uint64_t> total);
    void finish();

private:
    std::string m_label;
    std::string m_unit;
    bool m_enabled;
    bool m_shown = false;
    std::chrono::steady_clock::time_point m_start;
};

} // namespace porchlight::cli
