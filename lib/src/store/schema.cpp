#include <porchlight/error.hpp>
#include <porchlight/store/database.hpp>
#include <porchlight/store/schema.hpp>

#include <string>

namespace porchlight::store {

int latest_schema_version() {
    const auto& all = migrations();
    return all.empty() ? 0 : all.back().version;
}

void migrate(Database& db) {
    const auto current = db.scalar_int("PRAGMA user_version");
    if (current > latest_schema_version())
        throw error("database " + db.path().string() + " has schema version " +
                    std::to_string(current) + ", newer than this porchlight (" +
                    std::to_string(latest_schema_version()) + "); upgrade porchlight");
    for (const auto& m : migrations()) {
        if (m.version <= current)
            continue;
        Transaction tx(db);
        try {
            db.exec(m.sql);
        } catch (const db_error& e) {
            throw db_error("migration " + std::string(m.name) + " failed: " + e.what(), e.code(),
                           e.extended_code());
        }
        db.exec("PRAGMA user_version = " + std::to_string(m.version));
        tx.commit();
    }
}

} // namespace porchlight::store
