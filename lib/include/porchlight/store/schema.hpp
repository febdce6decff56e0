#pragma once

#include <string_view>
#include <vector>

namespace porchlight::store {

class Database;

struct migration {
    int version;
    std::string_view name;
    std::string_view sql;
};

/// Every migration in schemas/migrations/, in version order (embedded at build time).
const std::vector<migration>& migrations();

/// The newest schema version this build knows.
int latest_schema_version();

/// Applies the migrations newer than the database's PRAGMA user_version, each in its own
/// transaction. Throws when the database is newer than this build.
void migrate(Database& db);

} // namespace porchlight::store
