#include <porchlight/error.hpp>
#include <porchlight/store/schema.hpp>
#include <porchlight/store/store.hpp>

#include <cerrno>
#include <fstream>
#include <cstring>
#include <unistd.h>

namespace fs = std::filesystem;

namespace porchlight::store {

fs::path BlobStore::path_of(const std::string& sha256) const {
    return m_dir / sha256.substr(0, 2) / sha256;
}

bool BlobStore::contains(const std::string& sha256) const {
    std::error_code ec;
    return fs::is_regular_file(path_of(sha256), ec);
}

namespace {

/// Writes a blob under a temporary name with write_tmp, then renames it into place: a
/// crash never leaves a half blob. Nothing to do when the blob is there already.
template <class Write> void publish_blob(const fs::path& target, Write&& write_tmp) {
    std::error_code ec;
    if (fs::is_regular_file(target, ec))
        return;
    fs::create_directories(target.parent_path(), ec);
    if (ec)
        throw error("cannot create blob directory " + target.parent_path().string() + ": " +
                    ec.message());
    auto tmp = target;
    tmp += ".tmp" + std::to_string(::getpid());
    write_tmp(tmp);
    fs::permissions(tmp, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read,
                    ec);
    fs::rename(tmp, target, ec);
    if (ec)
        throw error("cannot store blob " + target.string() + ": " + ec.message());
}

} // namespace

void BlobStore::put_file(const fs::path& file, const std::string& sha256) {
    publish_blob(path_of(sha256), [&](const fs::path& tmp) {
        std::error_code ec;
        fs::copy_file(file, tmp, fs::copy_options::overwrite_existing, ec);
        if (ec)
            throw error("cannot copy " + file.string() + " into the blob store: " + ec.message());
    });
}

void BlobStore::put_bytes(std::string_view bytes, const std::string& sha256) {
    publish_blob(path_of(sha256), [&](const fs::path& tmp) {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out)
            throw error("cannot write blob " + tmp.string());
    });
}

fs::path Store::blob_dir_for(const fs::path& db_path) {
    auto p = db_path;
    return p.replace_extension(".blobs");
}

Store::Store(const fs::path& path, Database::mode mode)
    : m_db(path, mode), m_blobs(blob_dir_for(path)) {}

Store Store::open(const fs::path& db_path, bool writable) {
    std::error_code ec;
    if (!fs::exists(db_path, ec))
        throw not_found_error("no porchlight store at " + db_path.string() +
                              " (create one with `porchlight init`, or point --db or "
                              "PORCHLIGHT_DB at an existing store)");
    Store s(db_path, writable ? Database::mode::read_write : Database::mode::read_only);
    const auto version = s.check_is_store();
    if (writable) {
        s.db().exec("PRAGMA journal_mode = WAL");
        migrate(s.db());
    } else if (version < latest_schema_version())
        throw error("store " + db_path.string() + " has schema version " +
                    std::to_string(version) + "; open it once with a writing command "
                    "(e.g. `porchlight init`) to upgrade it to " +
                    std::to_string(latest_schema_version()));
    return s;
}

Store Store::create(const fs::path& db_path, bool* created, int* migrated_from) {
    std::error_code ec;
    // an empty file (e.g. made by touch) is a new store too
    const bool existed = fs::exists(db_path, ec) && fs::file_size(db_path, ec) > 0;
    if (created)
        *created = !existed;
    if (db_path.has_parent_path())
        fs::create_directories(db_path.parent_path(), ec);
    Store s(db_path, Database::mode::read_write_create);
    // nothing is written to a file that turns out not to be a porchlight store
    const auto version = existed ? s.check_is_store() : 0;
    if (migrated_from)
        *migrated_from = version;
    if (!existed) // 8 KiB pages: fewer, fuller pages for long JSON records and excerpts
        s.db().exec("PRAGMA page_size = 8192");
    s.db().exec("PRAGMA journal_mode = WAL");
    migrate(s.db());
    fs::create_directories(s.m_blobs.dir(), ec);
    if (ec)
        throw error("cannot create blob directory " + s.m_blobs.dir().string() + ": " +
                    ec.message());
    return s;
}

int Store::check_is_store() {
    // SQLite opens any file lazily: the first read says whether it is a database at all
    int version = 0;
    try {
        version = schema_version();
        if (version == 0 && m_db.scalar_int("SELECT count(*) FROM sqlite_master") > 0)
            throw error(m_db.path().string() + " is an SQLite database but not a porchlight store");
    } catch (const db_error& e) {
        throw error(m_db.path().string() + " is not a porchlight store (" + e.what() + ")");
    }
    if (version > latest_schema_version())
        throw error("store " + m_db.path().string() + " has schema version " +
                    std::to_string(version) + ", newer than this porchlight (" +
                    std::to_string(latest_schema_version()) + "); upgrade porchlight");
    return version;
}

int Store::schema_version() { return static_cast<int>(m_db.scalar_int("PRAGMA user_version")); }

std::vector<table_count> Store::table_counts() {
    std::vector<table_count> out;
    Statement tables(m_db, "SELECT name FROM sqlite_master WHERE type = 'table' "
                           "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'pages_fts%' "
                           "AND name <> 'meta' ORDER BY name");
    while (tables.step()) {
        auto name = tables.get_text(0);
        out.push_back({name, m_db.scalar_int("SELECT count(*) FROM \"" + name + "\"")});
    }
    return out;
}

} // namespace porchlight::store
