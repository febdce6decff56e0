// `porchlight report messages`: FOIA e-mail volumes per month (UTC; the printed local month
// of e-mails without a zone, with a note), per class or per sender address. An e-mail
// found in two releases is counted once.
#include "detail/reports.hpp"

#include <porchlight/util/text.hpp>

#include <algorithm>
#include <map>
#include <stdexcept>

namespace porchlight::report {

namespace {

using namespace reports_detail;

/// "Name <Address@Example>" -> "address@example"; a bare address as it is, lower-cased.
std::string sender_address(const std::optional<std::string>& from) {
    if (!from || util::trim(*from).empty())
        return "(no sender)";
    const auto& f = *from;
    const auto open = f.rfind('<');
    const auto close = f.find('>', open == std::string::npos ? 0 : open);
    if (open != std::string::npos && close != std::string::npos && close > open + 1)
        return util::to_lower_ascii(util::trim(f.substr(open + 1, close - open - 1)));
    return util::to_lower_ascii(util::trim(f));
}

struct email {
    std::int64_t id = 0;
    std::optional<std::string> when; ///< sent_utc, else sent_local
    bool local = false;              ///< when is a printed local time
    std::string cls;
    std::string sender;
};

} // namespace

report_result messages_report(store::Database& db, const message_report_options& o) {
    check_by("messages", o.by, {"month", "class", "sender"});
    const auto [since, until] = date_window(o.since, o.until);

    report_result r;
    r.kind = "messages";
    r.title = "E-mails per " + o.by;
    r.filters.emplace_back("by", o.by);
    r.generated_from = read_store_info(db);
    if (o.source)
        r.filters.emplace_back("source", std::to_string(*o.source));
    if (o.since)
        r.filters.emplace_back("since", *o.since);
    if (o.until)
        r.filters.emplace_back("until", *o.until);

    store::Statement st(
        db, "SELECT m.id, m.sent_utc, m.sent_local, m.from_addr, m.class FROM email_messages m "
            "WHERE ?1 IS NULL OR EXISTS (SELECT 1 FROM message_documents md JOIN documents d "
            "ON d.id = md.document_id WHERE md.message_id = m.id AND d.source_id = ?1) "
            "ORDER BY m.id");
    st.bind(1, o.source);
    std::vector<email> emails;
    std::int64_t undated = 0, outside = 0, local = 0;
    while (st.step()) {
        email e;
        e.id = st.get_int(0);
        e.when = st.get_optional_text(1);
        if (!e.when && !st.is_null(2)) {
            e.when = st.get_text(2);
            e.local = true;
        }
        e.cls = st.is_null(4) ? "unclassified" : st.get_text(4);
        e.sender = sender_address(st.get_optional_text(3));
        if (!e.when) {
            ++undated;
            if (since || until || o.by == "month")
                continue; // no time: in no month, and in no window
        } else {
            const auto day = e.when->substr(0, 10);
            if ((since && day < *since) || (until && day > *until)) {
                ++outside;
                continue;
            }
            local += e.local ? 1 : 0;
        }
        emails.push_back(std::move(e));
    }

    if (o.by == "month") {
        r.rows.columns = {"month", "emails", "local_time"};
        std::map<std::string, std::pair<std::int64_t, std::int64_t>> months;
        for (const auto& e : emails) {
            auto& m = months[e.when->substr(0, 7)];
            ++m.first;
            m.second += e.local ? 1 : 0;
        }
        if (!months.empty())
            for (const auto& month :
                 periods_between(months.begin()->first, months.rbegin()->first)) {
                const auto it = months.find(month);
                const auto n =
                    it == months.end() ? std::pair<std::int64_t, std::int64_t>{} : it->second;
                r.rows.rows.push_back({month, n.first, n.second});
            }
    } else {
        r.rows.columns = {o.by, "emails"};
        std::map<std::string, std::int64_t> groups;
        for (const auto& e : emails)
            ++groups[o.by == "class" ? e.cls : e.sender];
        std::vector<std::pair<std::string, std::int64_t>> sorted(groups.begin(), groups.end());
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        for (const auto& [name, n] : sorted)
            r.rows.rows.push_back({name, n});
    }

    // the releases searched: the one asked for, else every documents source
    std::set<std::int64_t> scope;
    {
        store::Statement s(db, "SELECT id FROM sources WHERE (?1 IS NULL AND kind = 'documents') "
                               "OR id = ?1");
        s.bind(1, o.source);
        while (s.step())
            scope.insert(s.get_int(0));
    }
    r.sources = numbered_sources(db, scope);
    std::int64_t failed = 0;
    {
        store::Statement s(db, "SELECT source_id, count(*) FROM documents WHERE status = 'failed' "
                               "GROUP BY source_id");
        while (s.step())
            failed += scope.count(s.get_int(0)) ? s.get_int(1) : 0;
    }

    const auto counted = static_cast<std::int64_t>(emails.size());
    r.notes.push_back(
        count_of(counted, "e-mail") + " counted, each once however many releases hold a copy" +
        (outside ? "; " + std::to_string(outside) + " outside --since/--until" : "") + ".");
    if (o.by == "month")
        r.notes.push_back("Months are UTC months of the time each e-mail was sent.");
    if (local)
        r.notes.push_back(count_of(local, "e-mail") +
                          std::string(verb(local, " carries", " carry")) +
                          " only a local time, printed without a zone: " +
                          (o.by == "month" ? "counted by the local month (column local_time)"
                                           : "placed by the local date") +
                          "; `ingest --timezone ZONE` gives UTC times.");
    if (undated)
        r.notes.push_back(
            count_of(undated, "e-mail") + verb(undated, " has", " have") +
            " no date: counted apart (\"undated\")" +
            (o.by == "month" || since || until ? ", in no month." : ", and counted in the rows."));
    if (failed)
        r.notes.push_back(
            count_of(failed, "document") + " of these releases could not be read " +
            "(`porchlight documents --failed`): e-mails in them are missing, not zero.");
    if (scope.empty())
        r.notes.push_back("The store holds no FOIA release: no e-mail could be counted.");

    r.extras.push_back({"counted", counted, std::nullopt});
    r.extras.push_back({"undated", undated, std::nullopt});
    r.extras.push_back({"local_time", local, std::nullopt});
    r.extras.push_back({"failed_documents", failed, std::nullopt});
    r.chart_category = r.rows.columns.front();
    r.chart_type = o.by == "month" ? chart_data::kind::line : chart_data::kind::bar;
    r.chart_series = {"emails"};
    r.chart_y_label = "e-mails";
    return r;
}

} // namespace porchlight::report
