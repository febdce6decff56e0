#pragma once

#include <porchlight/report/table.hpp>
#include <porchlight/store/store.hpp>

#include <optional>
#include <string>
#include <vector>

namespace porchlight::report {

/// Every source: id, sha256, kind, format, title, origin, profile, rows, warnings, as_of, ingested_at.
table sources(store::Database& db);

/// A --state value as its USPS code (nullopt stays nullopt); std::invalid_argument for a
/// name that is no state.
std::optional<std::string> state_arg(const std::optional<std::string>& s);

struct agency_filter {
    std::optional<std::string> state;  ///< USPS code or state name
    std::optional<std::string> search; ///< matched against names and aliases
    std::optional<std::string> vendor; ///< only partners of this vendor (name or alias)
};
table agencies(store::Database& db, const agency_filter& f);

/// Resolves an agency by id, exact name or unique alias; throws not_found_error with
/// close names when it cannot.
std::int64_t find_agency(store::Database& db, const std::string& id_or_name);

/// Everything about one agency: the agency row, its aliases, partnerships, evidence.
struct agency_detail {
    table agency;
    table aliases;
    table partnerships;
    table evidence;
};
agency_detail agency_details(store::Database& db, std::int64_t agency_id);

struct partnership_filter {
    std::optional<std::string> vendor;
    std::optional<std::string> technology;
    std::optional<std::string> state;
    std::optional<std::string> as_of; ///< YYYY-MM-DD: started on or before, not ended before
};
table partnerships(store::Database& db, const partnership_filter& f);

/// Partnerships whose claims disagree on the start date: one row per claim, with the
/// chosen value and the rule that chose it.
table conflicts(store::Database& db);

/// Per-row warnings kept from ingest (all sources, or one).
table warnings(store::Database& db, std::optional<std::int64_t> source_id);

struct verify_result {
    std::int64_t blobs_checked = 0;
    table problems; ///< kind, subject, detail
    bool ok() const { return problems.rows.empty(); }
};
/// Re-hashes every blob, checks every fact has evidence, and runs SQLite's integrity and
/// foreign-key checks.
verify_result verify(store::Store& store);

} // namespace porchlight::report
