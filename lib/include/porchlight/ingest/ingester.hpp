#pragma once

#include <porchlight/ingest/remote.hpp>
#include <porchlight/store/store.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace porchlight::ingest {

struct ingest_options {
    std::optional<std::string> profile; ///< name or path; detected from the columns when empty
    std::optional<std::string> as_of;   ///< date the snapshot describes (default: today, UTC)
    /// The agency of rows that name none (an agency's own request log): wins over the
    /// profile's constant, not over a row's agency column.
    std::optional<std::string> agency;
    /// The state (USPS code or name) of rows that give none: the agency's state, and the
    /// state points are checked against (swapped lat/lon, points outside it).
    std::optional<std::string> state;
    std::optional<std::string> title;
    bool dry_run = false; ///< read and resolve everything, then roll back
    /// Set when the file was fetched from the web: kept on the source instead of the
    /// file's own path and time.
    std::optional<web_provenance> web;
    /// Called now and then with the number of rows read so far.
    std::function<void(std::int64_t rows)> progress;
};

/// An expected per-row problem: counted and reported, never fatal.
struct row_warning {
    std::string locator;
    std::string field;
    std::string message;
};

/// How many rows something happened to, and the first few of their numbers.
struct row_list {
    std::int64_t count = 0;
    std::vector<std::int64_t> rows; ///< the first 20 row numbers
};

/// "rows 3, 5, 8" / "row 6", with ", ..." when there are more rows than listed.
std::string to_string(const row_list& l);

struct ingest_result {
    std::filesystem::path file;
    std::string sha256;
    std::int64_t size = 0;
    std::int64_t source_id = 0;
    bool already_ingested = false; ///< same bytes as an earlier source: nothing changed
    /// already ingested with another profile than the one named with --profile
    std::optional<std::string> profile_not_applied;
    bool dry_run = false;
    std::string format;
    std::string profile;
    std::string profile_reason; ///< "named with --profile" or how it was detected
    std::string dataset;
    std::string as_of;
    std::int64_t rows = 0;
    std::int64_t agencies = 0; ///< distinct agencies the rows resolved to
    std::int64_t agencies_new = 0;
    std::int64_t partnerships = 0;
    std::int64_t partnerships_new = 0;
    std::int64_t undated = 0;    ///< rows whose partnership claim has no start date
    std::int64_t unresolved = 0; ///< rows kept as records but linked to no agency
    std::int64_t conflicts = 0;  ///< partnerships with disagreeing start dates, store-wide
    std::int64_t conflicts_new = 0;
    std::string kind = "partnerships"; ///< the profile's kind
    std::int64_t requests = 0;         ///< video requests added
    std::int64_t requests_with_area = 0;
    row_list requests_undated;      ///< requests added without a date
    row_list requests_without_area; ///< requests added without a point or area
    std::int64_t totals = 0;        ///< request totals (dated observations) added
    std::int64_t cameras = 0;       ///< cameras added
    std::int64_t cameras_with_direction = 0;
    std::map<std::string, row_list> skipped; ///< rows not added, by reason
    std::int64_t skipped_count() const {
        std::int64_t n = 0;
        for (const auto& [reason, l] : skipped)
            n += l.count;
        return n;
    }
    std::int64_t warning_count = 0;
    std::vector<row_warning> warnings; ///< the first 1000
};

/// Reads record sources (CSV, XLSX, ODS, GeoJSON, GeoPackage, KML, KMZ) into the store,
/// one transaction per source.
class Ingester {
public:
    Ingester(store::Store& store, std::filesystem::path data_dir);
    ingest_result ingest_file(const std::filesystem::path& file, const ingest_options& options);

private:
    store::Store& m_store;
    std::filesystem::path m_data_dir;
};

} // namespace porchlight::ingest
