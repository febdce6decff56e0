#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <random>
#include <set>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace fs = std::filesystem;

namespace porchlight::test {

TempDir::TempDir() {
    std::random_device rd;
    for (int i = 0; i < 100; ++i) {
        auto p = fs::temp_directory_path() / ("porchlight-test-" + std::to_string(rd()));
        std::error_code ec;
        if (fs::create_directory(p, ec)) {
            m_path = p;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

fs::path data_file(const std::string& relative) {
    return fs::path(PORCHLIGHT_TEST_DATA_DIR) / relative;
}

std::optional<fs::path> real_file(const std::string& relative) {
    const auto p = fs::path(PORCHLIGHT_REAL_DATA_DIR) / relative;
    std::error_code ec;
    if (!fs::exists(p, ec)) {
        WARN("SKIPPED: real-world data not found at " << p.string()
                                                      << " (../shared/data/real is absent)");
        return std::nullopt;
    }
    return p;
}

run_result run_porchlight(const std::vector<std::string>& args, const fs::path& cwd,
                          const std::map<std::string, std::string>& env) {
    int out_pipe[2], err_pipe[2];
    if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0)
        throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
    posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (!cwd.empty())
        posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());

    std::vector<std::string> argv_s = {PORCHLIGHT_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    std::map<std::string, std::string> merged;
    for (char** e = environ; *e; ++e) {
        std::string kv = *e;
        auto eq = kv.find('=');
        if (eq != std::string::npos)
            merged[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    merged.erase("PORCHLIGHT_DB");
    merged.erase("COLUMNS");
    for (const auto& [k, v] : env)
        merged[k] = v;
    std::vector<std::string> env_s;
    for (const auto& [k, v] : merged)
        env_s.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& e : env_s)
        envp.push_back(e.data());
    envp.push_back(nullptr);

    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (rc != 0) {
        close(out_pipe[0]);
        close(err_pipe[0]);
        throw std::runtime_error("cannot start " + std::string(PORCHLIGHT_BINARY));
    }
    run_result r;
    std::array<pollfd, 2> fds = {{{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}}};
    int open_fds = 2;
    char buf[65536];
    while (open_fds > 0) {
        if (poll(fds.data(), fds.size(), -1) < 0)
            break;
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
                continue;
            auto n = read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            } else {
                (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(n));
            }
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

run_result require_success(run_result r) {
    INFO("stderr: " << r.err);
    REQUIRE(r.status == 0);
    return r;
}

void check_failure(const run_result& r, int status, const std::string& message) {
    INFO("stderr: " << r.err);
    CHECK(r.status == status);
    CHECK(r.err.find(message) != std::string::npos);
}

run_result TempStore::ingest(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db(), "ingest"});
    return run_porchlight(args);
}

std::string TempStore::sql(const std::string& q) const { return query(db(), q); }

void ingest_quietly(const std::string& db, std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db, "-q", "ingest"});
    require_success(run_porchlight(args));
}

void exec_sql(const fs::path& db, const std::string& sql) {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            nullptr) == SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err);
    const std::string msg = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(h);
    INFO(msg);
    REQUIRE(rc == SQLITE_OK);
}

std::string store_fingerprint(const fs::path& db) {
    std::ostringstream out;
    std::error_code ec;
    if (!fs::exists(db, ec))
        return "(no store)";
    sqlite3* h = nullptr;
    if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(h);
        throw std::runtime_error("cannot open " + db.string());
    }
    auto each = [&](const std::string& sql, auto&& f) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
            throw std::runtime_error(sqlite3_errmsg(h));
        while (sqlite3_step(st) == SQLITE_ROW)
            f(st);
        sqlite3_finalize(st);
    };
    std::vector<std::string> tables;
    each("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
         "ORDER BY name",
         [&](sqlite3_stmt* st) { tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))); });
    each("PRAGMA user_version", [&](sqlite3_stmt* st) { out << "user_version " << sqlite3_column_int(st, 0) << '\n'; });
    for (const auto& t : tables) {
        out << "table " << t << '\n';
        std::vector<std::string> rows; // sorted: some tables (FTS shadows) have no rowid
        each("SELECT * FROM \"" + t + "\"", [&](sqlite3_stmt* st) {
            std::string row;
            for (int i = 0; i < sqlite3_column_count(st); ++i) {
                const auto* txt = sqlite3_column_text(st, i);
                row += (i ? "|" : "");
                row += txt ? reinterpret_cast<const char*>(txt) : "NULL";
            }
            rows.push_back(std::move(row));
        });
        std::sort(rows.begin(), rows.end());
        for (const auto& r : rows)
            out << r << '\n';
    }
    sqlite3_close(h);
    auto blobs = db;
    blobs.replace_extension(".blobs");
    std::set<std::string> files;
    if (fs::exists(blobs, ec))
        for (const auto& e : fs::recursive_directory_iterator(blobs))
            files.insert(fs::relative(e.path(), blobs).string());
    for (const auto& f : files)
        out << "blob " << f << '\n';
    return out.str();
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string query(const fs::path& db, const std::string& sql) {
    sqlite3* h = nullptr;
    if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(h);
        throw std::runtime_error("cannot open " + db.string());
    }
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
        std::string msg = sqlite3_errmsg(h);
        sqlite3_close(h);
        throw std::runtime_error(msg + " in: " + sql);
    }
    std::string result;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        result = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return result;
}

std::size_t count_lines(const std::string& s) {
    std::size_t n = 0;
    for (char c : s)
        n += c == '\n';
    return n;
}

} // namespace porchlight::test
