#pragma once

// Private to the ingest module: writing the rows of a partnerships source.

#include "kind_rows.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace porchlight::ingest::detail {

struct partnership_input {
    store::Database& db;
    const std::filesystem::path& data_dir;
    const Profile& profile;
    const column_map& cols;
    const std::vector<std::string>& columns;
    TableReader& table;
    bool check_utf8;
    const std::string& file;
    const std::function<void(std::int64_t)>& progress;
};

/// Reads every row of the table into the store; before_dates runs after the last row and
/// before the partnerships' dates are written (the caller's checks and index rebuild).
void write_partnerships(const partnership_input& in, ingest_result& res, const warn_fn& warn,
                        const std::function<void()>& before_dates);

} // namespace porchlight::ingest::detail
