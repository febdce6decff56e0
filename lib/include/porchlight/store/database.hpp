#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace porchlight::store {

struct sqlite_closer {
    void operator()(sqlite3* db) const noexcept;
};
struct stmt_finalizer {
    void operator()(sqlite3_stmt* stmt) const noexcept;
};

class Database;

/// A prepared statement. Bind parameters are 1-based, columns 0-based.
class Statement {
public:
    Statement(Database& db, std::string_view sql);

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    Statement& bind(int index, const std::optional<std::string>& value);
    Statement& bind(int index, std::optional<std::int64_t> value);
    Statement& bind_null(int index);
    /// Binds text without copying it: value must stay unchanged until the statement has
    /// been stepped (exec()). For hot loops that bind large buffers.
    Statement& bind_static(int index, std::string_view value);

    /// Steps once: true while a row is available.
    bool step();
    /// Steps a statement that returns no rows, then resets it for reuse.
    void exec();
    void reset();

    int column_count() const;
    std::string column_name(int index) const;
    enum class type { integer, real, text, blob, null };
    type column_type(int index) const;
    bool is_null(int index) const;
    std::int64_t get_int(int index) const;
    double get_double(int index) const;
    std::string get_text(int index) const;
    std::optional<std::string> get_optional_text(int index) const;
    std::optional<std::int64_t> get_optional_int(int index) const;

private:
    Database* m_db;
    std::unique_ptr<sqlite3_stmt, stmt_finalizer> m_stmt;
};

/// The store's SQLite connection: WAL, foreign keys on, busy timeout.
class Database {
public:
    enum class mode { read_write_create, read_write, read_only };

    Database(const std::filesystem::path& path, mode open_mode);

    void exec(std::string_view sql);
    std::int64_t last_insert_id() const;
    int changes() const;
    /// Runs a query that returns one integer (0 when it returns no row).
    std::int64_t scalar_int(std::string_view sql);
    std::optional<std::string> scalar_text(std::string_view sql);

    sqlite3* handle() const noexcept { return m_db.get(); }
    const std::filesystem::path& path() const noexcept { return m_path; }

    /// Throws db_error carrying SQLite's message when rc is an error.
    void check(int rc, std::string_view context) const;

    /// Explicit close that reports failure (the destructor cannot).
    void close();

private:
    std::filesystem::path m_path;
    std::unique_ptr<sqlite3, sqlite_closer> m_db;
};

/// Rolls back in its destructor unless committed.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& m_db;
    bool m_done = false;
};

} // namespace porchlight::store
