#pragma once

// The privacy audit in the store: running a codebook over the pages of FOIA releases
// (`porchlight audit`), listing what it found (`porchlight findings`) and recording a
// researcher's review of a finding. See docs/codebook.md and schemas/migrations/0004_audit.sql.

#include <porchlight/audit/codebook.hpp>
#include <porchlight/audit/matcher.hpp>
#include <porchlight/report/table.hpp>
#include <porchlight/store/database.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace porchlight::audit {

/// Which pages an audit reads, and which findings it keeps.
struct audit_options {
    std::optional<std::int64_t> source; ///< only this release
    /// Only findings of this agency: an id (digits), else a substring of its name (any case).
    std::optional<std::string> agency;
};

/// One rule's share of a run.
struct rule_summary {
    std::string id;
    std::string label;
    std::int64_t findings = 0;  ///< current findings in scope after the run
    std::int64_t added = 0;     ///< not found by the previous run
    std::int64_t unchanged = 0; ///< found before too
    std::int64_t removed = 0;   ///< found before, not any more
};

struct audit_summary {
    std::string codebook;
    std::string sha256;
    bool codebook_changed = false; ///< the codebook's earlier findings were of another version
    std::int64_t run_id = 0;       ///< 0: nothing changed, so no run was recorded
    std::int64_t pages = 0;        ///< pages read
    std::int64_t findings = 0;
    std::int64_t added = 0;
    std::int64_t unchanged = 0;
    std::int64_t removed = 0;
    std::int64_t updated = 0; ///< unchanged findings whose agency, date or excerpt changed
    std::vector<rule_summary> rules; ///< the codebook's rules in order, then rules it lost
};

/// Runs every rule over every page in scope (one transaction). The same codebook over the
/// same pages changes nothing and records no run; a changed codebook (same name, other
/// bytes) replaces the codebook's current findings in scope, the old ones kept as history.
audit_summary run_audit(store::Database& db, const codebook& cb, const audit_options& o);

/// Personal-data spans (begin, end, kind) of a page, from the store.
std::vector<std::tuple<std::size_t, std::size_t, std::string>>
page_personal_data(store::Database& db, std::int64_t page_id);

/// The excerpt of a match: about 240 bytes around it, the match «marked», whitespace
/// folded, and the spans (personal data, byte offsets into text) masked.
std::string excerpt_of(std::string_view text, span match,
                       const std::vector<std::tuple<std::size_t, std::size_t, std::string>>& personal);

/// The filters of `findings` and `report audit`.
struct finding_filter {
    std::optional<std::string> rule;
    std::optional<std::string> agency; ///< an id (digits), else a name substring
    std::optional<std::int64_t> source;
    std::optional<std::string> since; ///< YYYY-MM-DD: findings dated on or after
    bool include_personal_data = false;
};

/// The current findings, by agency, rule, date: id, rule, label, severity, agency, date,
/// review, source, document, page, e-mail, span and excerpt (personal data masked unless
/// asked for).
report::table list_findings(store::Database& db, const finding_filter& f);

/// Records (or replaces) the review of finding id; not_found_error when there is none.
/// Returns the finding's key.
std::string review_finding(store::Database& db, std::int64_t id, bool accept,
                           const std::optional<std::string>& note);

/// The WHERE conditions of a finding_filter on findings f (and agencies, sources joined by
/// the caller), with ?1 rule, ?2 agency id, ?3 agency text, ?4 source, ?5 since bound by
/// bind_filter.
std::string filter_sql(const finding_filter& f);
void bind_filter(store::Statement& st, const finding_filter& f);

} // namespace porchlight::audit
