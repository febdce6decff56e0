#include "detail/partnership_filter.hpp"

#include <porchlight/error.hpp>
#include <porchlight/report/listings.hpp>
#include <porchlight/util/date.hpp>
#include <porchlight/util/sha256.hpp>
#include <porchlight/util/text.hpp>

#include <cstdio>
#include <stdexcept>

namespace porchlight::report {

std::string to_text(const value& v) {
    if (std::holds_alternative<std::int64_t>(v))
        return std::to_string(std::get<std::int64_t>(v));
    if (std::holds_alternative<double>(v)) {
        // locale-independent, shortest form that round-trips to 7 significant digits
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.7g", std::get<double>(v));
        for (char* p = buf; *p; ++p)
            if (*p == ',')
                *p = '.';
        return buf;
    }
    if (std::holds_alternative<std::string>(v))
        return std::get<std::string>(v);
    return {};
}

table collect(store::Statement& st) {
    table t;
    for (int i = 0; i < st.column_count(); ++i)
        t.columns.push_back(st.column_name(i));
    while (st.step()) {
        std::vector<value> row;
        row.reserve(t.columns.size());
        for (int i = 0; i < st.column_count(); ++i) {
            switch (st.column_type(i)) {
            case store::Statement::type::null:
                row.emplace_back(std::monostate{});
                break;
            case store::Statement::type::integer:
                row.emplace_back(st.get_int(i));
                break;
            case store::Statement::type::real:
                row.emplace_back(st.get_double(i));
                break;
            default:
                row.emplace_back(st.get_text(i));
            }
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

table sources(store::Database& db) {
    store::Statement st(db, "SELECT id, substr(sha256, 1, 12) AS sha256, kind, format, title, "
                            "origin, profile, dataset, row_count AS rows, warning_count AS warnings, "
                            "as_of, ingested_at FROM sources ORDER BY id");
    return collect(st);
}

std::optional<std::string> state_arg(const std::optional<std::string>& s) {
    if (!s)
        return std::nullopt;
    auto code = util::state_code(*s);
    if (!code)
        throw std::invalid_argument("unknown state '" + *s + "' (use a USPS code like IL or a "
                                                         "state name)");
    return code;
}

table agencies(store::Database& db, const agency_filter& f) {
    store::Statement st(
        db, "SELECT a.id, a.name, a.kind, a.jurisdiction, a.place, a.county, a.state, "
            "  (SELECT count(*) FROM aliases x WHERE x.agency_id = a.id) AS aliases, "
            "  (SELECT count(*) FROM partnerships p WHERE p.agency_id = a.id) AS partnerships, "
            "  (SELECT count(*) FROM evidence e WHERE e.fact_type = 'agency' AND e.fact_id = a.id) "
            "    AS evidence, "
            "  a.lat, a.lon, a.geocode_precision AS precision, a.geocode_warnings AS warnings "
            "FROM agencies a "
            "WHERE (?1 IS NULL OR a.state = ?1) "
            "  AND (?2 IS NULL OR EXISTS (SELECT 1 FROM aliases x WHERE x.agency_id = a.id "
            "       AND (x.norm LIKE '%' || ?2 || '%' OR x.alias LIKE '%' || ?3 || '%'))) "
            "  AND (?4 IS NULL OR EXISTS (SELECT 1 FROM partnerships p JOIN vendor_aliases va "
            "       ON va.vendor_id = p.vendor_id WHERE p.agency_id = a.id "
            "       AND va.norm LIKE '%' || ?4 || '%')) "
            "ORDER BY a.state, a.name, a.place, a.id");
    st.bind(1, state_arg(f.state));
    if (f.search) {
        st.bind(2, util::normalise_agency(*f.search));
        st.bind(3, *f.search);
    }
    if (f.vendor)
        st.bind(4, util::normalise_words(*f.vendor));
    return collect(st);
}

std::int64_t find_agency(store::Database& db, const std::string& id_or_name) {
    const auto t = util::trim(id_or_name);
    if (!t.empty() && t.find_first_not_of("0123456789") == std::string::npos) {
        store::Statement st(db, "SELECT id FROM agencies WHERE id = ?1");
        st.bind(1, static_cast<std::int64_t>(std::stoll(t)));
        if (st.step())
            return st.get_int(0);
        throw not_found_error("no agency with id " + t);
    }
    store::Statement st(db, "SELECT DISTINCT a.id, a.name, a.place, a.state FROM aliases x "
                            "JOIN agencies a ON a.id = x.agency_id WHERE x.norm = ?1 ORDER BY a.id");
    st.bind(1, util::normalise_agency(t));
    std::vector<std::int64_t> ids;
    std::string listing;
    while (st.step()) {
        ids.push_back(st.get_int(0));
        listing += "\n  " + std::to_string(st.get_int(0)) + "  " + st.get_text(1) + " (" +
                   st.get_text(2) + (st.is_null(2) ? "" : ", ") + st.get_text(3) + ")";
    }
    if (ids.size() == 1)
        return ids.front();
    if (ids.size() > 1)
        throw not_found_error("'" + t + "' names " + std::to_string(ids.size()) +
                              " agencies; give an id:" + listing);
    store::Statement like(db, "SELECT DISTINCT a.id, a.name, a.state FROM aliases x JOIN agencies a "
                              "ON a.id = x.agency_id WHERE x.norm LIKE '%' || ?1 || '%' "
                              "ORDER BY a.name LIMIT 8");
    like.bind(1, util::normalise_agency(t));
    std::string close;
    while (like.step())
        close += "\n  " + std::to_string(like.get_int(0)) + "  " + like.get_text(1) + " (" +
                 like.get_text(2) + ")";
    throw not_found_error("no agency named '" + t + "'" +
                          (close.empty() ? std::string() : "; close matches:" + close));
}

agency_detail agency_details(store::Database& db, std::int64_t id) {
    agency_detail d;
    {
        store::Statement st(db, "SELECT id, name, kind, jurisdiction, place, county, state, "
                                "county_fips, ori, lat, lon, geocode_precision, geocode_provider, "
                                "geocode_match, geocode_match_id, geocode_score, geocode_warnings, "
                                "gazetteer_version, geocoded_at FROM agencies WHERE id = ?1");
        st.bind(1, id);
        d.agency = collect(st);
    }
    {
        store::Statement st(db, "SELECT alias, norm FROM aliases WHERE agency_id = ?1 ORDER BY alias");
        st.bind(1, id);
        d.aliases = collect(st);
    }
    {
        store::Statement st(db, "SELECT id, vendor, technology, start_date, start_precision, "
                                "end_date, first_seen, last_seen, evidence_count "
                                "FROM partnerships_view WHERE agency_id = ?1 ORDER BY technology, vendor");
        st.bind(1, id);
        d.partnerships = collect(st);
    }
    {
        store::Statement st(
            db, "SELECT e.id AS evidence, e.fact_type AS fact, e.fact_id, s.title AS source, "
                "substr(s.sha256, 1, 12) AS sha256, e.locator, e.claim_start_raw AS claimed_start, "
                "e.excerpt FROM evidence e JOIN sources s ON s.id = e.source_id "
                "WHERE (e.fact_type = 'agency' AND e.fact_id = ?1) OR (e.fact_type = 'partnership' "
                "AND e.fact_id IN (SELECT id FROM partnerships WHERE agency_id = ?1)) "
                "ORDER BY e.source_id, e.record_id, e.fact_type");
        st.bind(1, id);
        d.evidence = collect(st);
    }
    return d;
}

table partnerships(store::Database& db, const partnership_filter& f) {
    std::optional<std::string> as_of;
    if (f.as_of) {
        auto d = util::parse_date(*f.as_of);
        if (!d || d->precision != util::date_precision::day)
            throw std::invalid_argument("--as-of needs a full date (YYYY-MM-DD)");
        as_of = d->iso();
    }
    store::Statement st(
        db,
        std::string("SELECT p.id, p.agency, p.place, p.state, p.vendor, p.technology, "
                    "p.start_date, p.start_precision, p.end_date, p.evidence_count AS evidence "
                    "FROM partnerships_view p ") +
            detail::partnership_filter +
        // as of D: surely started by D (a month or year start counts from its last day),
        // and not ended before D
        "  AND (?4 IS NULL OR (p.start_date IS NOT NULL AND "
        "       (CASE p.start_precision WHEN 'year' THEN p.start_date || '-12-31' "
        "        WHEN 'month' THEN date(p.start_date || '-01', '+1 month', '-1 day') "
        "        ELSE p.start_date END) <= ?4 "
        "       AND (p.end_date IS NULL OR p.end_date >= ?4))) "
        "ORDER BY p.state, p.agency, p.technology, p.vendor, p.id");
    st.bind(1, state_arg(f.state));
    if (f.vendor)
        st.bind(2, util::normalise_words(*f.vendor));
    if (f.technology)
        st.bind(3, util::normalise_words(*f.technology));
    st.bind(4, as_of);
    return collect(st);
}

table conflicts(store::Database& db) {
    store::Statement st(
        db, "SELECT k.partnership_id AS partnership, k.agency, k.state, k.vendor, k.technology, "
            "k.chosen_start, k.rule, e.claim_start AS claimed_start, e.claim_start_raw AS "
            "as_written, s.title AS source, e.locator "
            "FROM partnership_conflicts k JOIN evidence e ON e.fact_type = 'partnership' "
            "AND e.fact_id = k.partnership_id JOIN sources s ON s.id = e.source_id "
            "ORDER BY k.state, k.agency, k.technology, k.partnership_id, e.claim_start, e.id");
    return collect(st);
}

table warnings(store::Database& db, std::optional<std::int64_t> source_id) {
    store::Statement st(db, "SELECT w.source_id AS source, s.title, w.locator, w.field, w.message "
                            "FROM ingest_warnings w JOIN sources s ON s.id = w.source_id "
                            "WHERE ?1 IS NULL OR w.source_id = ?1 ORDER BY w.source_id, w.id");
    st.bind(1, source_id);
    return collect(st);
}

verify_result verify(store::Store& s) {
    verify_result r;
    r.problems.columns = {"kind", "subject", "detail"};
    auto problem = [&](std::string kind, std::string subject, std::string detail) {
        r.problems.rows.push_back({std::move(kind), std::move(subject), std::move(detail)});
    };
    auto check_blob = [&](const std::string& sha, const std::string& subject) {
        const auto path = s.blobs().path_of(sha);
        ++r.blobs_checked;
        if (!s.blobs().contains(sha)) {
            problem("missing-blob", subject, "no blob at " + path.string());
            return;
        }
        try {
            const auto actual = util::sha256_file(path);
            if (actual != sha)
                problem("damaged-blob", subject,
                        path.string() + " hashes to " + actual + ", expected " + sha);
        } catch (const error& e) {
            problem("unreadable-blob", subject, e.what());
        }
    };
    store::Statement src(s.db(), "SELECT id, sha256, title FROM sources ORDER BY id");
    while (src.step())
        check_blob(src.get_text(1),
                   "source " + std::to_string(src.get_int(0)) + " (" + src.get_text(2) + ")");
    // the files of a folder release are kept one blob each, beside the release's manifest
    store::Statement files(s.db(),
                           "SELECT d.sha256, d.source_id, d.path FROM documents d JOIN sources src "
                           "ON src.id = d.source_id WHERE src.format = 'folder' AND "
                           "d.parent_id IS NULL AND d.status = 'ok' ORDER BY d.id");
    while (files.step())
        check_blob(files.get_text(0), "source " + std::to_string(files.get_int(1)) + " file " +
                                          files.get_text(2));
    store::Statement orphans(s.db(), "SELECT fact_type, fact_id FROM facts_without_evidence "
                                     "ORDER BY fact_type, fact_id");
    while (orphans.step())
        problem("no-evidence", orphans.get_text(0) + " " + std::to_string(orphans.get_int(1)),
                "a fact without evidence");
    store::Statement integrity(s.db(), "PRAGMA integrity_check");
    while (integrity.step())
        if (integrity.get_text(0) != "ok")
            problem("integrity", "database", integrity.get_text(0));
    store::Statement fk(s.db(), "PRAGMA foreign_key_check");
    while (fk.step())
        problem("foreign-key", fk.get_text(0) + " row " + std::to_string(fk.get_int(1)),
                "refers to a missing " + fk.get_text(2));
    return r;
}

} // namespace porchlight::report
