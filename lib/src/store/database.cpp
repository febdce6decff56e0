#include <porchlight/error.hpp>
#include <porchlight/store/database.hpp>

#include <sqlite3.h>

namespace porchlight::store {

void sqlite_closer::operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
void stmt_finalizer::operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }

namespace {
[[noreturn]] void throw_db(sqlite3* db, int rc, std::string_view context) {
    std::string msg(context);
    msg += ": ";
    msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    int ext = db ? sqlite3_extended_errcode(db) : rc;
    throw db_error(msg, rc & 0xff, ext);
}
} // namespace

Database::Database(const std::filesystem::path& path, mode open_mode) : m_path(path) {
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (open_mode) {
    case mode::read_write_create:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    case mode::read_write:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case mode::read_only:
        flags |= SQLITE_OPEN_READONLY;
        break;
    }
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    m_db.reset(raw);
    if (rc != SQLITE_OK)
        throw_db(raw, rc, "cannot open database " + path.string());
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 5000);
    exec("PRAGMA foreign_keys = ON");
}

void Database::check(int rc, std::string_view context) const {
    if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        throw_db(m_db.get(), rc, context);
}

void Database::exec(std::string_view sql) {
    char* err = nullptr;
    std::string s(sql);
    int rc = sqlite3_exec(m_db.get(), s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw db_error("SQL error: " + msg, rc & 0xff, sqlite3_extended_errcode(m_db.get()));
    }
}

std::int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(m_db.get()); }
int Database::changes() const { return sqlite3_changes(m_db.get()); }

std::int64_t Database::scalar_int(std::string_view sql) {
    Statement st(*this, sql);
    return st.step() ? st.get_int(0) : 0;
}

std::optional<std::string> Database::scalar_text(std::string_view sql) {
    Statement st(*this, sql);
    if (!st.step())
        return std::nullopt;
    return st.get_optional_text(0);
}

void Database::close() {
    if (!m_db)
        return;
    int rc = sqlite3_close(m_db.get());
    if (rc != SQLITE_OK)
        throw_db(m_db.get(), rc, "cannot close database " + m_path.string());
    (void)m_db.release();
}

Statement::Statement(Database& db, std::string_view sql) : m_db(&db) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &raw,
                                nullptr);
    m_stmt.reset(raw);
    if (rc != SQLITE_OK)
        throw_db(db.handle(), rc, "cannot prepare SQL");
}

Statement& Statement::bind(int index, std::int64_t value) {
    m_db->check(sqlite3_bind_int64(m_stmt.get(), index, value), "bind");
    return *this;
}
Statement& Statement::bind(int index, double value) {
    m_db->check(sqlite3_bind_double(m_stmt.get(), index, value), "bind");
    return *this;
}
Statement& Statement::bind(int index, std::string_view value) {
    m_db->check(sqlite3_bind_text64(m_stmt.get(), index, value.data(), value.size(),
                                    SQLITE_TRANSIENT, SQLITE_UTF8),
                "bind");
    return *this;
}
Statement& Statement::bind(int index, const std::optional<std::string>& value) {
    return value ? bind(index, std::string_view(*value)) : bind_null(index);
}
Statement& Statement::bind(int index, std::optional<std::int64_t> value) {
    return value ? bind(index, *value) : bind_null(index);
}
Statement& Statement::bind_static(int index, std::string_view value) {
    m_db->check(sqlite3_bind_text64(m_stmt.get(), index, value.data(), value.size(),
                                    SQLITE_STATIC, SQLITE_UTF8),
                "bind");
    return *this;
}

Statement& Statement::bind_null(int index) {
    m_db->check(sqlite3_bind_null(m_stmt.get(), index), "bind");
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(m_stmt.get());
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    m_db->check(rc, "SQL step");
    return false;
}

void Statement::exec() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_stmt.get());
    sqlite3_clear_bindings(m_stmt.get());
}

int Statement::column_count() const { return sqlite3_column_count(m_stmt.get()); }
std::string Statement::column_name(int index) const {
    const char* n = sqlite3_column_name(m_stmt.get(), index);
    return n ? n : "";
}
Statement::type Statement::column_type(int index) const {
    switch (sqlite3_column_type(m_stmt.get(), index)) {
    case SQLITE_INTEGER:
        return type::integer;
    case SQLITE_FLOAT:
        return type::real;
    case SQLITE_BLOB:
        return type::blob;
    case SQLITE_NULL:
        return type::null;
    default:
        return type::text;
    }
}

bool Statement::is_null(int index) const {
    return sqlite3_column_type(m_stmt.get(), index) == SQLITE_NULL;
}
std::int64_t Statement::get_int(int index) const {
    return sqlite3_column_int64(m_stmt.get(), index);
}
double Statement::get_double(int index) const { return sqlite3_column_double(m_stmt.get(), index); }
std::string Statement::get_text(int index) const {
    const unsigned char* t = sqlite3_column_text(m_stmt.get(), index);
    if (!t)
        return {};
    return std::string(reinterpret_cast<const char*>(t),
                       static_cast<std::size_t>(sqlite3_column_bytes(m_stmt.get(), index)));
}
std::optional<std::string> Statement::get_optional_text(int index) const {
    if (is_null(index))
        return std::nullopt;
    return get_text(index);
}
std::optional<std::int64_t> Statement::get_optional_int(int index) const {
    if (is_null(index))
        return std::nullopt;
    return get_int(index);
}

Transaction::Transaction(Database& db) : m_db(db) { m_db.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (!m_done) {
        try {
            m_db.exec("ROLLBACK");
        } catch (...) {
        }
    }
}

void Transaction::commit() {
    m_db.exec("COMMIT");
    m_done = true;
}

} // namespace porchlight::store
