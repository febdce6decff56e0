#pragma once

// Reports a researcher can cite (`porchlight report KIND`): how many, where, since when,
// according to whom. Every report carries the sources it stands on and notes on what it
// left out (an undated partnership is missing, not zero). Deterministic: the same store
// gives the same report, byte for byte, in every format.

#include <porchlight/report/chart.hpp>
#include <porchlight/report/listings.hpp>
#include <porchlight/report/table.hpp>
#include <porchlight/store/database.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace porchlight::report {

/// One source a report stands on; n numbers it in the report's list (from 1).
struct report_source {
    std::int64_t n = 0;
    std::int64_t id = 0;
    std::string title; ///< sources.title, else the file name
    std::string origin;
    std::string sha256; ///< the whole hash
    std::optional<std::string> retrieved_at;
    std::optional<std::string> as_of;
};

/// A kind-specific field of the JSON form ("undated": 2, "conflicts": [...]).
struct report_extra {
    std::string name;
    value scalar;              ///< used when list is empty
    std::optional<table> list; ///< an array of objects
};

/// What the report was read from (no time of "now": the same store gives the same bytes).
struct store_info {
    std::string store; ///< the database's file name
    std::int64_t schema_version = 0;
    std::int64_t sources = 0;
    std::optional<std::string> last_ingested_at;
    std::string porchlight_version;
};

struct report_result {
    std::string kind;  ///< partnerships, messages, sources, evidence, requests
    std::string title; ///< "Ring partnerships per year"
    std::vector<std::pair<std::string, std::string>> filters; ///< name, value as given
    table rows;
    std::vector<std::string> notes; ///< what was left out or counted apart, in words
    std::vector<report_source> sources;
    std::vector<report_extra> extras;
    store_info generated_from;
    /// Columns that the text table and Markdown leave to the list of sources (the JSON and
    /// CSV forms keep them).
    std::vector<std::string> source_columns;

    /// How the report is drawn: the category column and the columns that are series.
    chart_data::kind chart_type = chart_data::kind::bar;
    std::string chart_category;
    std::vector<std::string> chart_series;
    std::string chart_y_label;
};

/// Partnerships per period (year, month: of the start date) or per group (state, county,
/// vendor, technology, agency-type).
struct partnership_report_options {
    std::string by = "year";
    partnership_filter filter;        ///< vendor, technology, state, as_of as `partnerships`
    std::optional<std::string> since; ///< a day, month or year: counts from its first day
    std::optional<std::string> until; ///< a day, month or year: counts to its last day
    std::optional<bool> cumulative;   ///< running total; default: yes for periods
};
report_result partnerships_report(store::Database& db, const partnership_report_options& o);

/// FOIA e-mails per month (UTC; the local month of e-mails printed without a zone), per
/// class or per sender address.
struct message_report_options {
    std::string by = "month";
    std::optional<std::int64_t> source;
    std::optional<std::string> since;
    std::optional<std::string> until;
};
report_result messages_report(store::Database& db, const message_report_options& o);

/// One row per source: what it holds and what it contributed.
report_result sources_report(store::Database& db);

/// Every citation behind one fact: "partnership:ID", "agency:ID|NAME" or "message:ID".
/// Throws std::invalid_argument for a FACT of another shape, not_found_error for a fact
/// that does not exist.
report_result evidence_report(store::Database& db, const std::string& fact);

/// Video requests per agency, state, month or year: individual requests and observed
/// per-agency totals, never added together.
struct request_report_options {
    std::string by = "agency";
    std::optional<std::string> since;
    std::optional<std::string> until;
};
report_result requests_report(store::Database& db, const request_report_options& o);

/// Cameras per county, state or agency jurisdiction, and per km² (see coverage.md).
/// data_dir is porchlight's data directory (the gazetteer's county polygons).
struct coverage_report_options {
    std::string by = "county";
    std::optional<std::string> state; ///< USPS code or name
};
report_result coverage_report(store::Database& db, const std::filesystem::path& data_dir,
                              const coverage_report_options& o);

/// Audit findings per agency, rule or source: how often, first and last dates, with
/// citations; personal data in excerpts masked unless include_personal_data.
struct audit_report_options {
    std::string by = "agency";
    std::optional<std::string> source; ///< id, title, file name or sha256 prefix
    std::optional<std::string> agency; ///< name (substring) or id
    std::optional<std::string> rule;   ///< rule id
    bool include_personal_data = false;
};
report_result audit_report(store::Database& db, const audit_report_options& o);

/// The kinds `report` knows, in the order the manual lists them.
const std::vector<std::string>& report_kinds();

/// The rows without the source_columns (for the text table and Markdown).
table without_source_columns(const report_result& r);
/// A report as a Markdown document: title, filters, table, notes, numbered sources.
std::string to_markdown(const report_result& r);
/// A report as a JSON object (see schemas/report-<kind>.schema.json), with a final newline.
std::string to_json_text(const report_result& r);
/// The chart of a report, for render_svg. Throws porchlight::error when the report has
/// nothing to draw.
chart_data to_chart(const report_result& r);
/// "Source: title; title · porchlight".
std::string chart_credit(const report_result& r);

} // namespace porchlight::report
