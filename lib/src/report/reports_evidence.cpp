// `porchlight report evidence FACT`: every citation behind one partnership, agency or
// e-mail: the source (title, origin, hash, as-of and retrieval dates), the place in it, the
// words it uses, the dates it claims as written, and the links it cites.
#include "detail/reports.hpp"

#include <porchlight/error.hpp>
#include <porchlight/util/text.hpp>

#include <map>
#include <stdexcept>

namespace porchlight::report {

namespace {

using namespace reports_detail;

std::int64_t fact_id(const std::string& kind, const std::string& text) {
    const auto t = util::trim(text);
    if (t.empty() || t.size() > 18 || t.find_first_not_of("0123456789") != std::string::npos)
        throw std::invalid_argument("report evidence " + kind + ":ID needs a number, not '" + t +
                                    "'");
    return std::stoll(t);
}

/// "Name (Place, ST)".
std::string agency_name(store::Database& db, std::int64_t id) {
    store::Statement st(db, "SELECT name, place, state FROM agencies WHERE id = ?1");
    st.bind(1, id);
    if (!st.step())
        throw not_found_error("no agency with id " + std::to_string(id));
    std::vector<std::string> where;
    for (int i : {1, 2})
        if (!st.is_null(i) && !st.get_text(i).empty())
            where.push_back(st.get_text(i));
    return st.get_text(0) + (where.empty() ? "" : " (" + join_text(where, ", ") + ")");
}

} // namespace

report_result evidence_report(store::Database& db, const std::string& fact) {
    const auto colon = fact.find(':');
    const auto kind = util::to_lower_ascii(util::trim(fact.substr(0, colon)));
    if (colon == std::string::npos ||
        (kind != "partnership" && kind != "agency" && kind != "message"))
        throw std::invalid_argument("report evidence needs a FACT: partnership:ID, agency:ID, "
                                    "agency:NAME or message:ID, not '" +
                                    fact + "'");
    const auto rest = fact.substr(colon + 1);
    report_result r;
    r.kind = "evidence";
    r.filters.emplace_back("fact", fact);
    r.generated_from = read_store_info(db);

    std::int64_t id = 0;
    std::string condition;
    if (kind == "partnership") {
        id = fact_id(kind, rest);
        store::Statement st(db, "SELECT p.agency_id, ifnull(v.name, '(no vendor)'), t.name, "
                                "p.start_date, p.start_precision, p.start_rule, p.start_conflict, "
                                "p.end_date FROM partnerships p JOIN technologies t ON "
                                "t.id = p.technology_id LEFT JOIN vendors v ON v.id = p.vendor_id "
                                "WHERE p.id = ?1");
        st.bind(1, id);
        if (!st.step())
            throw not_found_error("no partnership with id " + std::to_string(id) +
                                  " (see `porchlight partnerships`)");
        r.title = "Evidence for partnership " + std::to_string(id) + ": " +
                  agency_name(db, st.get_int(0)) + " × " + st.get_text(1) + " × " + st.get_text(2);
        r.notes.push_back(st.is_null(3)
                              ? std::string("No source gives a readable start date: the "
                                            "partnership is undated.")
                              : "Chosen start " + st.get_text(3) + " (" + st.get_text(4) +
                                    "), by the rule " + st.get_text(5) +
                                    (st.get_int(6) ? "; the sources disagree on the start "
                                                     "(`porchlight conflicts`)"
                                                   : "") +
                                    (st.is_null(7) ? "" : "; end " + st.get_text(7)) + ".");
        condition = "e.fact_type = 'partnership' AND e.fact_id = ?1";
    } else if (kind == "agency") {
        id = find_agency(db, rest);
        r.title = "Evidence for agency " + std::to_string(id) + ": " + agency_name(db, id);
        const auto n = db.scalar_int("SELECT count(*) FROM partnerships WHERE agency_id = " +
                                     std::to_string(id));
        r.notes.push_back("The agency's own citations (fact agency, location) and those of its " +
                          count_of(n, "partnership") + ".");
        condition = "((e.fact_type = 'agency' OR e.fact_type = 'location') AND e.fact_id = ?1) "
                    "OR (e.fact_type = 'partnership' AND e.fact_id IN "
                    "(SELECT id FROM partnerships WHERE agency_id = ?1))";
    } else {
        id = fact_id(kind, rest);
        store::Statement st(db, "SELECT subject, coalesce(sent_utc, sent_local), from_addr "
                                "FROM email_messages WHERE id = ?1");
        st.bind(1, id);
        if (!st.step())
            throw not_found_error("no e-mail with id " + std::to_string(id) +
                                  " (see `porchlight messages`)");
        r.title = "Evidence for e-mail " + std::to_string(id) + ": " + st.get_text(0);
        r.notes.push_back("Sent " + (st.is_null(1) ? std::string("(no date)") : st.get_text(1)) +
                          " by " + st.get_text(2) + ".");
        condition = "e.fact_type = 'message' AND e.fact_id = ?1";
    }

    store::Statement st(
        db, "SELECT e.id AS evidence, e.fact_type || ' ' || e.fact_id AS fact, "
            "e.source_id AS source, e.source_id, ifnull(s.title, s.file_name) AS title, "
            "substr(s.sha256, 1, 12) AS sha256, s.origin, s.as_of, s.retrieved_at, e.locator, "
            "d.path AS document, e.excerpt, e.claim_start_raw AS start_as_written, "
            "e.claim_start AS start, e.claim_end_raw AS end_as_written, "
            "(SELECT group_concat(url, ' ') FROM (SELECT l.url FROM evidence_links l "
            "  WHERE l.evidence_id = e.id ORDER BY l.position)) AS links "
            "FROM evidence e JOIN sources s ON s.id = e.source_id "
            "LEFT JOIN documents d ON d.id = e.document_id WHERE " +
                condition + " ORDER BY e.source_id, e.id");
    st.bind(1, id);
    r.rows = collect(st);
    std::set<std::int64_t> ids;
    for (const auto& row : r.rows.rows)
        ids.insert(std::get<std::int64_t>(row[3]));
    r.sources = numbered_sources(db, ids);
    std::map<std::int64_t, std::int64_t> number;
    for (const auto& s : r.sources)
        number[s.id] = s.n;
    std::int64_t undated = 0;
    for (auto& row : r.rows.rows) {
        row[2] = number[std::get<std::int64_t>(row[3])];
        undated += (std::get<std::string>(row[1]).rfind("partnership", 0) == 0 &&
                    std::holds_alternative<std::monostate>(row[13]))
                       ? 1
                       : 0;
    }
    r.notes.insert(r.notes.begin(),
                   count_of(static_cast<std::int64_t>(r.rows.rows.size()), "citation") + " in " +
                       count_of(static_cast<std::int64_t>(ids.size()), "source") +
                       "; the source column numbers the list of sources.");
    if (undated)
        r.notes.push_back(count_of(undated, "citation") + " of a partnership " +
                          verb(undated, "gives", "give") +
                          " no readable start date (start_as_written keeps the text).");

    table links;
    {
        store::Statement l(db, "SELECT l.evidence_id, l.position, l.url, l.snapshot_url, "
                               "l.publisher, l.link_type, l.date_as_written FROM evidence_links l "
                               "JOIN evidence e ON e.id = l.evidence_id WHERE " +
                                   condition + " ORDER BY l.evidence_id, l.position");
        l.bind(1, id);
        links = collect(l);
    }
    r.source_columns = {"source_id", "sha256", "origin", "retrieved_at", "start"};
    r.extras.push_back({"fact_type", kind, std::nullopt});
    r.extras.push_back({"fact_id", id, std::nullopt});
    r.extras.push_back({"links", std::monostate{}, std::move(links)});
    return r;
}

} // namespace porchlight::report
