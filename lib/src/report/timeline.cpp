// porchlight timeline: every dated observation about one agency, from every source.

#include "detail/history.hpp"

#include <porchlight/error.hpp>
#include <porchlight/report/history.hpp>
#include <porchlight/resolve/claims.hpp>
#include <porchlight/util/date.hpp>
#include <porchlight/util/text.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>
#include <vector>

namespace porchlight::report {

using namespace detail;

timeline_result timeline(store::Database& db, std::int64_t agency_id) {
    timeline_result res;
    {
        store::Statement st(db, "SELECT name || ifnull(' (' || place || ', ' || state || ')', "
                                "ifnull(' (' || ifnull(place, state) || ')', '')) "
                                "FROM agencies WHERE id = ?1");
        st.bind(1, agency_id);
        if (!st.step())
            throw not_found_error("no agency with id " + std::to_string(agency_id));
        res.agency = st.get_text(0);
    }
    const auto snaps = all_snapshots(db);
    std::map<std::int64_t, snapshot> by_id; // every source: its title and as_of
    for (const auto& s : all_snapshots(db, false))
        by_id[s.source_id] = s;
    // sort key (date, rank: evidence, then "last seen", then "absent"; source; evidence) + row
    std::vector<
        std::pair<std::tuple<std::string, int, std::int64_t, std::int64_t>, std::vector<value>>>
        events;
    const auto add = [&](const std::string& date, const std::string& precision, int rank,
                         const char* event, const std::string& says, std::int64_t source,
                         text locator = {}, std::int64_t evidence = 0) {
        const auto& s = by_id.at(source);
        events.push_back({{date, rank, source, evidence},
                          {date, precision, event, says, source, s.title, s.as_of, cell(locator),
                           evidence ? value(evidence) : value(std::monostate{})}});
    };
    std::map<std::int64_t, std::string> labels;                                     // partnership
    std::map<std::int64_t, std::map<std::int64_t, std::vector<std::string>>> named; // -> source
    store::Statement st(
        db, "SELECT e.id, e.fact_type, e.fact_id, e.source_id, s.kind, e.locator, e.excerpt, "
            "e.claim_start, e.claim_start_precision, e.claim_start_raw, e.claim_end, "
            "e.claim_end_precision, e.claim_end_raw, t.name, v.name FROM evidence e "
            "JOIN sources s ON s.id = e.source_id "
            "LEFT JOIN partnerships p ON e.fact_type = 'partnership' AND p.id = e.fact_id "
            "LEFT JOIN technologies t ON t.id = p.technology_id "
            "LEFT JOIN vendors v ON v.id = p.vendor_id "
            "WHERE ((e.fact_type = 'agency' OR e.fact_type = 'location') AND e.fact_id = ?1) "
            "OR (e.fact_type = 'partnership' AND e.fact_id IN "
            "(SELECT id FROM partnerships WHERE agency_id = ?1)) ORDER BY e.id");
    st.bind(1, agency_id);
    while (st.step()) {
        const auto id = st.get_int(0), source = st.get_int(3);
        const auto type = st.get_text(1), kind = st.get_text(4), locator = st.get_text(5);
        const auto& as_of = by_id.at(source).as_of;
        const auto as_written = [&](int i, const char* more) {
            return st.is_null(i) ? std::string() : " (as written: " + st.get_text(i) + more + ")";
        };
        if (type != "partnership") {
            add(as_of, "day", 0, type == "agency" ? "named" : "placed",
                type == "agency"
                    ? "named as \"" + st.get_text(6) + "\""
                    : (kind == "manual" ? "placed by hand: " : "placed at ") + st.get_text(6),
                source, locator, id);
            continue;
        }
        const auto label = st.get_text(13) + (st.is_null(14) ? "" : " (" + st.get_text(14) + ")");
        labels[st.get_int(2)] = label;
        if (kind == "records")
            named[st.get_int(2)][source].push_back(locator);
        if (!st.is_null(7))
            add(st.get_text(7), st.get_text(8), 0, "started",
                label + " started " + st.get_text(7) + as_written(9, ""), source, locator, id);
        else
            add(as_of, "day", 0, "named",
                label + " named, no start date" + as_written(9, ", not a date"), source, locator,
                id);
        if (!st.is_null(10))
            add(st.get_text(10), st.get_text(11), 0, "ended",
                label + " ended " + st.get_text(10) + as_written(12, ""), source, locator, id);
    }
    // each partnership's last snapshot in each dataset that names it, and the later
    // snapshots of that dataset that do not
    for (const auto& [partnership, sources] : named) {
        std::map<std::string, const snapshot*> last; // dataset -> its last snapshot naming it
        for (const auto& [source, locators] : sources) {
            const auto& s = by_id.at(source);
            auto& l = last[s.dataset];
            if (!l || std::tie(s.as_of, s.source_id) > std::tie(l->as_of, l->source_id))
                l = &s;
        }
        const auto& label = labels.at(partnership);
        for (const auto& [dataset, l] : last) {
            std::vector<const snapshot*> later;
            for (const auto& s : snaps)
                if (s.dataset == dataset && s.as_of > l->as_of)
                    later.push_back(&s);
            add(l->as_of, "day", 1, "last seen",
                label + " last seen in " + dataset + " on " + l->as_of +
                    (later.empty()
                         ? " (its latest snapshot)"
                         : "; absent from " +
                               plural(static_cast<std::int64_t>(later.size()), "later snapshot")),
                l->source_id, join(sources.at(l->source_id), ", "));
            for (const auto* s : later)
                add(s->as_of, "day", 2, "absent",
                    label + " absent from " + dataset + " as of " + s->as_of + " (last seen " +
                        l->as_of + ")",
                    s->source_id);
        }
    }
    std::stable_sort(events.begin(), events.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    res.events.columns = {"date",  "precision", "event",   "says",    "source",
                          "title", "as_of",     "locator", "evidence"};
    for (auto& e : events)
        res.events.rows.push_back(std::move(e.second));
    return res;
}

} // namespace porchlight::report
