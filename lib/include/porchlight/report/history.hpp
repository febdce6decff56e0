#pragma once

#include <porchlight/report/table.hpp>
#include <porchlight/store/database.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace porchlight::report {

/// How `diff --from/--to` names a snapshot: a day (the latest snapshot as of it) or the
/// start of a source's SHA-256.
struct snapshot_ref {
    enum class kind { date, sha256 };
    kind by = kind::date;
    std::string value; ///< YYYY-MM-DD, or a lower-case hex prefix
};

/// Reads a --from/--to value: text that reads as a full date is a date ("2020-10-07",
/// "10/7/2020", "20201007"); else 6 to 64 hex digits are a SHA-256 prefix. Throws
/// std::invalid_argument saying why anything else is neither.
snapshot_ref parse_snapshot_ref(std::string_view text);

/// A records source seen as one snapshot of a dataset.
struct snapshot {
    std::int64_t source_id = 0;
    std::string dataset; ///< sources.dataset, or the title of a source without one
    std::string title;
    std::string as_of;
    std::string sha256;
};

struct diff_request {
    std::optional<std::string> source; ///< a dataset key or a source title
    snapshot_ref from;
    snapshot_ref to;
};

struct diff_result {
    snapshot from;
    snapshot to;
    /// change, what, agency, state, vendor, technology, field, from, to, from_evidence,
    /// to_evidence: one row per change, sorted by change, agency, state, technology, vendor.
    table changes;
};

/// Compares what two snapshots of one dataset say (their evidence rows): partnerships and
/// agencies that appeared or disappeared, and changed starts, ends, vendors and agency
/// names as written. Throws not_found_error naming what is missing or ambiguous.
diff_result diff(store::Database& db, const diff_request& request);

struct timeline_result {
    std::string agency; ///< "Name (Place, ST)"
    /// date, precision, event, says, source, title, as_of, locator, evidence: every
    /// dated observation about the agency and its partnerships, in date order, plus the
    /// "last seen" and "absent" rows of each partnership in each dataset.
    table events;
};

timeline_result timeline(store::Database& db, std::int64_t agency_id);

} // namespace porchlight::report
