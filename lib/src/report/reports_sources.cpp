// `porchlight report sources`: what each source holds and contributed.
#include "detail/reports.hpp"

#include <porchlight/util/text.hpp>

#include <map>
#include <stdexcept>

namespace porchlight::report {

using namespace reports_detail;

report_result sources_report(store::Database& db) {
    report_result r;
    r.kind = "sources";
    r.title = "Sources";
    r.generated_from = read_store_info(db);
    // The first evidence row of a partnership (the smallest id: ingest order) names the
    // source that introduced it. evidence has no index on source_id: one pass each.
    store::Statement st(
        db,
        "WITH firsts AS (SELECT min(id) AS id FROM evidence WHERE fact_type = 'partnership' "
        "                GROUP BY fact_id), "
        "introduced AS (SELECT e.source_id, count(*) AS n FROM firsts f JOIN evidence e "
        "               ON e.id = f.id GROUP BY e.source_id), "
        "per_source AS (SELECT source_id, "
        "    count(DISTINCT CASE WHEN fact_type = 'agency' OR fact_type = 'location' "
        "                        THEN fact_id END) AS agencies, "
        "    count(DISTINCT CASE WHEN fact_type = 'partnership' THEN fact_id END) AS partnerships, "
        "    sum(fact_type = 'partnership' AND claim_start IS NULL) AS undated, "
        "    count(DISTINCT record_id) AS cited_records "
        "  FROM evidence GROUP BY source_id), "
        "conflicted AS (SELECT e.source_id, count(DISTINCT e.fact_id) AS n FROM evidence e "
        "  JOIN partnership_conflicts k ON k.partnership_id = e.fact_id "
        "  WHERE e.fact_type = 'partnership' GROUP BY e.source_id), "
        "docs AS (SELECT source_id, count(*) AS n, sum(status = 'failed') AS failed "
        "  FROM documents GROUP BY source_id), "
        "mails AS (SELECT d.source_id, count(DISTINCT md.message_id) AS n "
        "  FROM message_documents md JOIN documents d ON d.id = md.document_id "
        "  GROUP BY d.source_id), "
        "recs AS (SELECT source_id, count(*) AS n FROM records GROUP BY source_id) "
        "SELECT s.id, s.kind, ifnull(s.title, s.file_name) AS title, s.as_of, "
        "  CASE WHEN s.kind = 'records' THEN s.row_count END AS rows, "
        "  CASE WHEN s.kind = 'documents' THEN ifnull(docs.n, 0) END AS documents, "
        "  ifnull(ps.agencies, 0) AS agencies, ifnull(ps.partnerships, 0) AS partnerships, "
        "  ifnull(introduced.n, 0) AS new_partnerships, ifnull(conflicted.n, 0) AS conflicts, "
        "  ifnull(ps.undated, 0) AS undated_claims, "
        "  CASE WHEN s.kind = 'records' THEN ifnull(recs.n, 0) - ifnull(ps.cited_records, 0) "
        "  END AS unresolved_rows, "
        "  CASE WHEN s.kind = 'documents' THEN ifnull(docs.failed, 0) END AS failed_documents, "
        "  CASE WHEN s.kind = 'documents' THEN ifnull(mails.n, 0) END AS emails "
        "FROM sources s LEFT JOIN per_source ps ON ps.source_id = s.id "
        "LEFT JOIN introduced ON introduced.source_id = s.id "
        "LEFT JOIN conflicted ON conflicted.source_id = s.id "
        "LEFT JOIN docs ON docs.source_id = s.id LEFT JOIN mails ON mails.source_id = s.id "
        "LEFT JOIN recs ON recs.source_id = s.id ORDER BY s.id");
    r.rows = collect(st);

    std::set<std::int64_t> ids;
    std::int64_t introduced = 0, unresolved = 0, failed = 0;
    for (const auto& row : r.rows.rows) {
        ids.insert(std::get<std::int64_t>(row[0]));
        introduced += std::get<std::int64_t>(row[8]);
        if (const auto* n = std::get_if<std::int64_t>(&row[11]))
            unresolved += *n;
        if (const auto* n = std::get_if<std::int64_t>(&row[12]))
            failed += *n;
    }
    r.sources = numbered_sources(db, ids);
    const auto partnerships = db.scalar_int("SELECT count(*) FROM partnerships");
    r.notes.push_back(count_of(static_cast<std::int64_t>(ids.size()), "source") + ", " +
                      count_of(partnerships, "partnership") +
                      "; new_partnerships counts the "
                      "partnerships a source was the first to name (in the order of ingest): "
                      "the column sums to " +
                      std::to_string(introduced) + ".");
    r.notes.push_back("rows and unresolved_rows are for tables and maps (records sources); "
                      "documents, failed_documents and emails for FOIA releases; an empty cell "
                      "does not apply, it is not zero.");
    r.notes.push_back("undated_claims: rows that name a partnership without a readable start "
                      "date; conflicts: partnerships the source names whose sources disagree "
                      "on the start (`porchlight conflicts`).");
    if (unresolved)
        r.notes.push_back(count_of(unresolved, "row") +
                          " name no agency or partnership that "
                          "porchlight could read (`porchlight warnings`): missing, not zero.");
    if (failed)
        r.notes.push_back(count_of(failed, "document") +
                          " could not be read "
                          "(`porchlight documents --failed`): what they hold is not counted.");
    r.extras.push_back({"partnerships", partnerships, std::nullopt});
    r.chart_category = "title";
    r.chart_type = chart_data::kind::bar;
    r.chart_series = {"partnerships", "new_partnerships"};
    r.chart_y_label = "partnerships";
    return r;
}

} // namespace porchlight::report
