// `porchlight report sources`: what each source holds and contributed; and
// `porchlight report requests`: video requests, individual ones and observed totals kept
// apart (this porchlight ingests neither, so the report says so instead of printing zero).
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

report_result requests_report(store::Database& db, const request_report_options& o) {
    check_by("requests", o.by, {"agency", "state", "month", "year"});
    std::optional<std::string> since, until;
    if (o.since)
        since = window_start(*o.since, "--since");
    if (o.until)
        until = window_end(*o.until, "--until");
    report_result r;
    r.kind = "requests";
    r.title = "Video requests per " + o.by;
    r.filters.emplace_back("by", o.by);
    if (o.since)
        r.filters.emplace_back("since", *o.since);
    if (o.until)
        r.filters.emplace_back("until", *o.until);
    r.generated_from = read_store_info(db);
    const bool periods = o.by == "month" || o.by == "year";
    auto label = [&](const store::Statement& st, int name, int state) {
        if (o.by == "state")
            return st.is_null(state) ? std::string("(no state)") : st.get_text(state);
        if (st.is_null(name))
            return std::string("(no agency)");
        return st.get_text(name) + (st.is_null(state) ? "" : " (" + st.get_text(state) + ")");
    };

    // individual requests, counted by their agency or the month/year they were made
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> groups; // requests, videos
    std::int64_t requests = 0, undated = 0;
    if (periods) {
        // grouped by SQLite itself: a million requests are one pass over the table
        store::Statement st(db, "SELECT substr(requested_at, 1, ?1), count(*), "
                                "ifnull(sum(videos_received), 0) FROM video_requests "
                                "WHERE requested_at IS NOT NULL AND (?2 IS NULL OR "
                                "substr(requested_at, 1, 10) >= ?2) AND (?3 IS NULL OR "
                                "substr(requested_at, 1, 10) <= ?3) GROUP BY 1");
        st.bind(1, static_cast<std::int64_t>(o.by == "year" ? 4 : 7)).bind(2, since).bind(3, until);
        while (st.step()) {
            groups[st.get_text(0)] = {st.get_int(1), st.get_int(2)};
            requests += st.get_int(1);
        }
        undated = db.scalar_int("SELECT count(*) FROM video_requests WHERE requested_at IS NULL");
    } else {
        store::Statement st(db, "SELECT v.requested_at, a.name, a.state, v.videos_received "
                                "FROM video_requests v LEFT JOIN agencies a ON a.id = v.agency_id "
                                "ORDER BY v.id");
        while (st.step()) {
            const auto when = st.get_optional_text(0);
            if (!when && (since || until)) {
                ++undated;
                continue;
            }
            if (when && ((since && when->substr(0, 10) < *since) ||
                         (until && when->substr(0, 10) > *until)))
                continue;
            const auto key = label(st, 1, 2);
            ++groups[key].first;
            groups[key].second += st.is_null(3) ? 0 : st.get_int(3);
            ++requests;
        }
    }
    // observed totals: the latest per agency (on or before --until); never added to requests
    store::Statement tot(
        db,
        "SELECT t.as_of, a.name, a.state, t.total FROM request_totals t "
        "JOIN agencies a ON a.id = t.agency_id WHERE (?1 IS NULL OR t.as_of <= ?1) "
        "AND t.as_of = (SELECT max(u.as_of) FROM request_totals u WHERE "
        "u.agency_id = t.agency_id AND (?1 IS NULL OR u.as_of <= ?1)) ORDER BY a.state, a.name");
    tot.bind(1, until);
    table totals;
    totals.columns = {"agency", "state", "as_of", "total"};
    std::map<std::string, std::pair<std::int64_t, std::string>> observed; // total, latest as_of
    while (tot.step()) {
        totals.rows.push_back({tot.get_text(1), tot.is_null(2) ? value{} : value{tot.get_text(2)},
                               tot.get_text(0), tot.get_int(3)});
        if (!periods) {
            auto& g = observed[label(tot, 1, 2)];
            g.first += tot.get_int(3);
            g.second = std::max(g.second, tot.get_text(0));
        }
    }
    r.rows.columns = {o.by, "requests", "videos_received"};
    if (!periods) {
        r.rows.columns.insert(r.rows.columns.end(), {"totals_observed", "totals_as_of"});
        for (const auto& [name, t] : observed)
            groups.try_emplace(name);
    }
    for (const auto& [name, g] : groups) {
        std::vector<value> row = {name, g.first, g.second};
        if (!periods) {
            const auto it = observed.find(name);
            row.push_back(it == observed.end() ? value{} : value{it->second.first});
            row.push_back(it == observed.end() ? value{} : value{it->second.second});
        }
        r.rows.rows.push_back(std::move(row));
    }

    std::set<std::int64_t> ids;
    // the sources of the requests (their evidence) and of the observed totals (their rows)
    store::Statement src(db, "SELECT source_id FROM evidence WHERE fact_type = 'video_request' "
                             "UNION SELECT source_id FROM request_totals "
                             "WHERE source_id IS NOT NULL");
    while (src.step())
        ids.insert(src.get_int(0));
    r.sources = numbered_sources(db, ids);
    if (requests == 0 && totals.rows.empty())
        r.notes.push_back("The store holds no video requests and no observed request totals: "
                          "ingest them with a profile of kind requests or request-totals "
                          "(ring-rfa-posts, request-log, agency-request-totals); until then the "
                          "counts are missing, not zero.");
    r.notes.push_back("requests counts individual requests; totals_observed the latest total "
                      "an agency reported (request_totals). They are never added together.");
    if (periods && !totals.rows.empty())
        r.notes.push_back(
            count_of(static_cast<std::int64_t>(totals.rows.size()), "observed total") +
            " cannot be placed in a " + o.by +
            " (they are running totals): listed "
            "apart (\"totals_observed\").");
    if (undated)
        r.notes.push_back(count_of(undated, "request") + " without a date: counted apart.");
    r.extras.push_back({"requests", requests, std::nullopt});
    r.extras.push_back({"undated", undated, std::nullopt});
    r.extras.push_back({"totals_observed", std::monostate{}, std::move(totals)});
    r.chart_category = o.by;
    r.chart_type = periods ? chart_data::kind::line : chart_data::kind::bar;
    r.chart_series = {"requests"};
    r.chart_y_label = "requests";
    return r;
}

} // namespace porchlight::report
