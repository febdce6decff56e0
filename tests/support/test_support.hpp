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

/// Requires a run to have exited 0 (showing its stderr when not); returns it.
run_result require_success(run_result r);

/// Checks a run exited with `status` and said `message` on stderr.
void check_failure(const run_result& r, int status, const std::string& message);

/// A store in a temporary folder, filled through the CLI.
class TempStore {
public:
    std::string db() const { return (m_dir / "store.db").string(); }
    const std::filesystem::path& dir() const noexcept { return m_dir.path(); }
    /// `porchlight --db DB ingest ARGS...`
    run_result ingest(std::vector<std::string> args) const;
    /// First column of the first row of a query on the store, as text.
    std::string sql(const std::string& q) const;

private:
    TempDir m_dir;
};

/// `porchlight --db DB -q ingest ARGS...`, which must succeed.
void ingest_quietly(const std::string& db, std::vector<std::string> args);

/// Runs SQL on an SQLite file (created when missing) through the C API, outside
/// porchlight; requires it to succeed.
void exec_sql(const std::filesystem::path& db, const std::string& sql);

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
