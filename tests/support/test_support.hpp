#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace porchlight::test {

/// A fresh directory under the system temp dir, removed with its contents on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const noexcept { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

/// tests/data/<relative>
std::filesystem::path data_file(const std::string& relative);
/// ../shared/data/real/<relative>, or nullopt (and a WARN naming what is missing) when the
/// real-data folder is absent: the caller returns early, the test passes as skipped.
std::optional<std::filesystem::path> real_file(const std::string& relative);

struct run_result {
    int status = -1; ///< exit status, or 128+signal
    std::string out;
    std::string err;
};

/// Runs the built porchlight binary with args (no shell), in cwd, with extra environment.
run_result run_porchlight(const std::vector<std::string>& args,
                          const std::filesystem::path& cwd = {},
                          const std::map<std::string, std::string>& env = {});

/// Every row of every table of an SQLite file, in a canonical text form, plus the names of
/// the blob files beside it: equal fingerprints mean the store did not change.
std::string store_fingerprint(const std::filesystem::path& db);

/// The whole contents of a file.
std::string read_text(const std::filesystem::path& file);

/// Runs a query on an SQLite file and returns the first column of the first row as text.
std::string query(const std::filesystem::path& db, const std::string& sql);

/// Number of lines in s.
std::size_t count_lines(const std::string& s);

} // namespace porchlight::test
