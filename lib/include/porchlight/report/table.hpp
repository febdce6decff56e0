#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace porchlight::store {
class Statement;
}

namespace porchlight::report {

/// One cell: SQL NULL, an integer, a real or text (kept typed for JSON output).
using value = std::variant<std::monostate, std::int64_t, double, std::string>;

std::string to_text(const value& v);

/// Rows and named columns: what every listing returns and the CLI formats.
struct table {
    std::vector<std::string> columns;
    std::vector<std::vector<value>> rows;
};

/// Steps st to the end, collecting every row with its column names.
table collect(store::Statement& st);

} // namespace porchlight::report
