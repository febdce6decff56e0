#pragma once

#include <porchlight/store/database.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::store {

/// Content-addressed blobs beside the database: <dir>/<sha[0:2]>/<sha>.
class BlobStore {
public:
    explicit BlobStore(std::filesystem::path dir) : m_dir(std::move(dir)) {}
    const std::filesystem::path& dir() const noexcept { return m_dir; }
    std::filesystem::path path_of(const std::string& sha256) const;
    bool contains(const std::string& sha256) const;
    /// Copies file into the store under sha256 (already computed by the caller).
    /// Writes to a temporary name, then renames: a crash never leaves a half blob.
    void put_file(const std::filesystem::path& file, const std::string& sha256);
    /// The same for bytes in memory (a release's manifest, a file read for parsing).
    void put_bytes(std::string_view bytes, const std::string& sha256);

private:
    std::filesystem::path m_dir;
};

/// Summary of one table for `porchlight status`.
struct table_count {
    std::string table;
    std::int64_t rows;
};

/// The store: one SQLite file plus its blob directory. Opening migrates the schema.
class Store {
public:
    /// Opens an existing store. read_only stores are never migrated or created.
    static Store open(const std::filesystem::path& db_path, bool writable);
    /// Creates (or opens and migrates) the store at db_path. created tells which;
    /// migrated_from, when given, receives the schema version found (0 for a new store).
    static Store create(const std::filesystem::path& db_path, bool* created = nullptr,
                        int* migrated_from = nullptr);

    Database& db() noexcept { return m_db; }
    BlobStore& blobs() noexcept { return m_blobs; }
    const std::filesystem::path& path() const noexcept { return m_db.path(); }
    int schema_version();
    std::vector<table_count> table_counts();

    /// The blob directory that belongs to a database path: "x.db" -> "x.blobs".
    static std::filesystem::path blob_dir_for(const std::filesystem::path& db_path);

private:
    Store(const std::filesystem::path& path, Database::mode mode);
    /// Throws unless the file is a porchlight store this build can read; its version.
    int check_is_store();
    Database m_db;
    BlobStore m_blobs;
};

} // namespace porchlight::store
