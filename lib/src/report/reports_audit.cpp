// `porchlight report audit`: the privacy audit's current findings per agency, rule or
// source: which rules were found, how often, first and last dates, each finding quoted with
// its citation and review. Rejected findings are left out (and counted); personal data in
// excerpts is masked unless asked for.
#include "detail/reports.hpp"

#include <porchlight/audit/audit.hpp>
#include <porchlight/report/documents.hpp>

#include <algorithm>
#include <map>

namespace porchlight::report {

namespace {

using namespace reports_detail;

/// One finding as read from audit::list_findings.
struct quoted {
    std::int64_t id = 0;
    std::string rule, label, severity, agency, date, review, document, excerpt, codebook, note;
    std::int64_t source = 0, page = 0;
    value email;
    std::string group, other;
};

std::string text_of(const value& v) { return to_text(v); }

std::vector<quoted> read_findings(store::Database& db, const audit::finding_filter& f,
                                  std::int64_t& rejected) {
    const auto t = audit::list_findings(db, f);
    auto col = [&](const std::string& name) {
        return static_cast<std::size_t>(std::find(t.columns.begin(), t.columns.end(), name) -
                                        t.columns.begin());
    };
    const auto c_id = col("id"), c_rule = col("rule"), c_label = col("label"),
               c_sev = col("severity"), c_agency = col("agency"), c_date = col("date"),
               c_review = col("review"), c_source = col("source"), c_doc = col("document"),
               c_page = col("page"), c_email = col("email"), c_excerpt = col("excerpt"),
               c_codebook = col("codebook"), c_note = col("review_note");
    std::vector<quoted> out;
    for (const auto& row : t.rows) {
        quoted q;
        q.review = text_of(row[c_review]);
        if (q.review == "rejected") {
            ++rejected;
            continue;
        }
        q.id = std::get<std::int64_t>(row[c_id]);
        q.rule = text_of(row[c_rule]);
        q.label = text_of(row[c_label]);
        q.severity = text_of(row[c_sev]);
        q.agency = text_of(row[c_agency]).empty() ? "(no agency)" : text_of(row[c_agency]);
        q.date = text_of(row[c_date]);
        q.source = std::get<std::int64_t>(row[c_source]);
        q.document = text_of(row[c_doc]);
        q.page = std::get<std::int64_t>(row[c_page]);
        q.email = row[c_email];
        q.excerpt = text_of(row[c_excerpt]);
        q.codebook = text_of(row[c_codebook]);
        q.note = text_of(row[c_note]);
        out.push_back(std::move(q));
    }
    return out;
}

struct group_stats {
    std::int64_t findings = 0, accepted = 0;
    std::string first, last, label, severity;
};

} // namespace

report_result audit_report(store::Database& db, const audit_report_options& o) {
    check_by("audit", o.by, {"agency", "rule", "source"});
    report_result r;
    r.kind = "audit";
    r.title = "Privacy audit findings per " + o.by;
    r.filters.emplace_back("by", o.by);
    r.generated_from = read_store_info(db);
    audit::finding_filter f;
    f.rule = o.rule;
    f.agency = o.agency;
    f.include_personal_data = o.include_personal_data;
    if (o.source) {
        f.source = find_source(db, *o.source);
        r.filters.emplace_back("source", *o.source);
    }
    if (o.agency)
        r.filters.emplace_back("agency", *o.agency);
    if (o.rule)
        r.filters.emplace_back("rule", *o.rule);
    if (o.include_personal_data)
        r.filters.emplace_back("include_personal_data", "yes");

    std::int64_t rejected = 0;
    auto found = read_findings(db, f, rejected);
    std::set<std::int64_t> source_ids;
    for (const auto& q : found)
        source_ids.insert(q.source);
    r.sources = numbered_sources(db, source_ids);
    std::map<std::int64_t, std::int64_t> number;
    for (const auto& s : r.sources)
        number[s.id] = s.n;

    const std::string second = o.by == "rule" ? "agency" : "rule";
    for (auto& q : found) {
        const auto src = "[" + std::to_string(number[q.source]) + "]";
        q.group = o.by == "agency" ? q.agency : o.by == "rule" ? q.rule : src;
        q.other = o.by == "rule" ? q.agency : q.rule;
    }
    std::stable_sort(found.begin(), found.end(), [](const quoted& a, const quoted& b) {
        return std::tie(a.group, a.other, a.date, a.source, a.document, a.page, a.id) <
               std::tie(b.group, b.other, b.date, b.source, b.document, b.page, b.id);
    });
    std::map<std::pair<std::string, std::string>, group_stats> stats;
    for (const auto& q : found) {
        auto& s = stats[{q.group, q.other}];
        ++s.findings;
        s.accepted += q.review == "accepted" ? 1 : 0;
        const auto day = q.date.substr(0, 10);
        if (!day.empty() && (s.first.empty() || day < s.first))
            s.first = day;
        if (!day.empty() && day > s.last)
            s.last = day;
        s.label = q.label;
        s.severity = q.severity;
    }

    r.rows.columns = {o.by,     second,   "findings", "first",    "last",  "finding",
                      "date",   "review", "citation", "excerpt",  "label", "severity",
                      "source_id", "document", "page", "email", "review_note", "codebook"};
    for (const auto& q : found) {
        const auto& s = stats[{q.group, q.other}];
        const auto citation = "[" + std::to_string(number[q.source]) + "] " + q.document +
                              ", p. " + std::to_string(q.page) +
                              (std::holds_alternative<std::int64_t>(q.email)
                                   ? ", e-mail " + std::to_string(std::get<std::int64_t>(q.email))
                                   : std::string());
        auto opt = [](const std::string& s) { return s.empty() ? value{} : value{s}; };
        r.rows.rows.push_back({q.group, q.other, s.findings, opt(s.first), opt(s.last), q.id,
                               opt(q.date.substr(0, 10)), opt(q.review.empty() ? "not reviewed" : q.review),
                               citation, q.excerpt, q.label, q.severity, q.source, q.document,
                               q.page, q.email, opt(q.note), q.codebook});
    }
    r.source_columns = {"label", "severity", "source_id", "document", "page", "email",
                        "review_note", "codebook"};

    table summary;
    summary.columns = {o.by, second, "label", "severity", "findings", "accepted", "first", "last"};
    std::int64_t accepted = 0;
    for (const auto& [key, s] : stats) {
        summary.rows.push_back({key.first, key.second, s.label, s.severity, s.findings, s.accepted,
                                s.first.empty() ? value{} : value{s.first},
                                s.last.empty() ? value{} : value{s.last}});
        accepted += s.accepted;
    }
    const auto n = static_cast<std::int64_t>(found.size());
    std::set<std::string> groups, rules;
    for (const auto& q : found) {
        groups.insert(q.group);
        rules.insert(q.rule);
    }
    r.notes.push_back(count_of(n, "finding") + " of " +
                      count_of(static_cast<std::int64_t>(rules.size()), "rule") + " in " +
                      count_of(static_cast<std::int64_t>(groups.size()), o.by == "agency" ? "agency" : o.by) +
                      ": " + std::to_string(accepted) + " accepted by a reviewer, " +
                      std::to_string(n - accepted) + " not reviewed. findings, first and last "
                      "count the rows of each " + o.by + " and " + second + ".");
    if (rejected)
        r.notes.push_back(count_of(rejected, "finding") + std::string(verb(rejected, " was", " were")) +
                          " rejected by a reviewer and " + verb(rejected, "is", "are") +
                          " left out (`porchlight findings --format json` lists them).");
    r.notes.push_back("A date is the e-mail's time, else the document's date, else the release "
                      "date; the citation numbers the list of sources, then the document, page "
                      "and e-mail (`porchlight report evidence message:ID`).");
    r.notes.push_back(o.include_personal_data
                          ? "Excerpts show personal data (--include-personal-data): e-mail "
                            "addresses, phone numbers and street addresses are not masked."
                          : "Personal data in excerpts (e-mail addresses, phone numbers, street "
                            "addresses) is masked; names are not recognised and are shown.");
    if (found.empty())
        r.notes.push_back("No findings: run `porchlight audit` to run a codebook over the "
                          "store's documents.");
    r.extras.push_back({"findings", n, std::nullopt});
    r.extras.push_back({"accepted", accepted, std::nullopt});
    r.extras.push_back({"rejected", rejected, std::nullopt});
    r.extras.push_back({"summary", std::monostate{}, std::move(summary)});
    return r;
}

} // namespace porchlight::report
