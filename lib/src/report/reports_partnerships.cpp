// `porchlight report partnerships`: new, ended and active partnerships per period of their
// start (year, month) or per group (state, county, vendor, technology, agency type).
// Undated partnerships are counted apart, never dropped; dates known only to a year are
// left out of a month report with a note; conflicts are counted.
#include "detail/partnership_filter.hpp"
#include "detail/reports.hpp"

#include <porchlight/util/text.hpp>

#include <algorithm>
#include <map>
#include <stdexcept>

namespace porchlight::report {

namespace {

using namespace reports_detail;

const std::vector<std::string> period_kinds = {"year", "month"};
const std::vector<std::string> group_kinds = {"state", "county", "vendor", "technology",
                                              "agency-type"};

struct partnership {
    std::int64_t id = 0;
    std::string group;
    std::optional<std::string> start;
    std::optional<std::string> end;
};

std::string group_label(const store::Statement& st, const std::string& by) {
    auto text = [&](int i, const char* none) {
        return st.is_null(i) || st.get_text(i).empty() ? std::string(none) : st.get_text(i);
    };
    if (by == "state")
        return text(1, "(no state)");
    if (by == "county")
        return st.is_null(2) ? "(no county)"
                             : text(2, "") + (st.is_null(1) ? "" : ", " + st.get_text(1));
    if (by == "vendor")
        return text(3, "(no vendor)");
    if (by == "technology")
        return text(4, "(no technology)");
    return text(5, "other");
}

/// The partnerships the filters select (vendor, technology, state; --as-of applied here,
/// undated ones kept: they are counted apart).
std::vector<partnership> load(store::Database& db, const partnership_report_options& o) {
    std::optional<std::string> state;
    if (o.filter.state) {
        state = util::state_code(*o.filter.state);
        if (!state)
            throw std::invalid_argument("unknown state '" + *o.filter.state +
                                        "' (use a USPS code like IL or a state name)");
    }
    store::Statement st(
        db,
        std::string("SELECT p.id, p.state, p.county, p.vendor, p.technology, p.agency_kind, "
                    "p.start_date, p.end_date FROM partnerships_view p ") +
            detail::partnership_filter + "ORDER BY p.id");
    st.bind(1, state);
    if (o.filter.vendor)
        st.bind(2, util::normalise_words(*o.filter.vendor));
    if (o.filter.technology)
        st.bind(3, util::normalise_words(*o.filter.technology));
    std::optional<std::string> as_of;
    if (o.filter.as_of)
        as_of = window_start(*o.filter.as_of, "--as-of");
    std::vector<partnership> out;
    while (st.step()) {
        partnership p;
        p.id = st.get_int(0);
        p.group = group_label(st, o.by);
        p.start = st.get_optional_text(6);
        p.end = st.get_optional_text(7);
        // as of D (the rule of `partnerships --as-of`): surely started by D, not ended before
        if (as_of && p.start && (days_of(*p.start).last > *as_of || (p.end && *p.end < *as_of)))
            continue;
        if (as_of)
            p.end.reset(); // an end on or after D is still to come on D
        out.push_back(std::move(p));
    }
    return out;
}

struct counts {
    std::int64_t undated = 0;
    std::int64_t year_only = 0;
    std::int64_t straddling = 0;
    std::int64_t year_only_ends = 0;
    std::int64_t outside = 0; ///< starts outside --since/--until
    std::map<std::string, std::int64_t> year_only_by_year;
};

void period_rows(const std::vector<partnership>& ps, const partnership_report_options& o,
                 const std::optional<std::string>& since, const std::optional<std::string>& until,
                 bool cumulative, report_result& r, counts& c) {
    const std::size_t len = o.by == "year" ? 4 : 7;
    std::map<std::string, std::int64_t> started, ended;
    std::vector<std::string> all_starts, all_ends;
    for (const auto& p : ps) {
        if (!p.start) {
            ++c.undated;
            continue;
        }
        if (p.start->size() < len) {
            ++c.year_only;
            ++c.year_only_by_year[*p.start];
            continue;
        }
        const auto key = p.start->substr(0, len);
        all_starts.push_back(key);
        const auto where = place(days_of(*p.start), since, until);
        if (where == placement::inside)
            ++started[key];
        else if (where == placement::straddles)
            ++c.straddling;
        else
            ++c.outside;
        if (!p.end)
            continue;
        if (p.end->size() < len) { // an end known to the year only: no month to put it in
            ++c.year_only_ends;
            continue;
        }
        const auto ekey = p.end->substr(0, len);
        all_ends.push_back(ekey);
        const auto ewhere = place(days_of(*p.end), since, until);
        if (ewhere == placement::inside)
            ++ended[ekey];
        else if (ewhere == placement::straddles)
            ++c.straddling;
    }
    r.rows.columns = {o.by, "new", "ended"};
    if (cumulative)
        r.rows.columns.push_back("active");
    if (started.empty() && ended.empty())
        return;
    std::string first = "9999", last;
    for (const auto* m : {&started, &ended})
        if (!m->empty()) {
            first = std::min(first, m->begin()->first);
            last = std::max(last, m->rbegin()->first);
        }
    std::sort(all_starts.begin(), all_starts.end());
    std::sort(all_ends.begin(), all_ends.end());
    for (const auto& period : periods_between(first, last)) {
        std::vector<value> row = {period, started[period], ended[period]};
        if (cumulative) {
            const auto s =
                std::upper_bound(all_starts.begin(), all_starts.end(), period) - all_starts.begin();
            const auto e =
                std::upper_bound(all_ends.begin(), all_ends.end(), period) - all_ends.begin();
            row.emplace_back(static_cast<std::int64_t>(s - e));
        }
        r.rows.rows.push_back(std::move(row));
    }
}

void group_rows(const std::vector<partnership>& ps, const partnership_report_options& o,
                const std::optional<std::string>& since, const std::optional<std::string>& until,
                bool cumulative, report_result& r, counts& c) {
    struct group {
        std::int64_t started = 0, ended = 0, undated = 0, active = 0;
    };
    std::map<std::string, group> groups;
    for (const auto& p : ps) {
        auto& g = groups[p.group];
        if (!p.start) {
            ++g.undated;
            ++c.undated;
            continue;
        }
        const auto days = days_of(*p.start);
        const auto where = place(days, since, until);
        if (where == placement::inside)
            ++g.started;
        else if (where == placement::straddles)
            ++c.straddling;
        else
            ++c.outside;
        // active at the end of the window: started by then and not ended by then
        if (!until || days.last <= *until)
            g.active += (p.end && (!until || days_of(*p.end).last <= *until)) ? 0 : 1;
        if (p.end) {
            const auto ewhere = place(days_of(*p.end), since, until);
            if (ewhere == placement::inside)
                ++g.ended;
            else if (ewhere == placement::straddles)
                ++c.straddling;
        }
    }
    std::string column = o.by;
    std::replace(column.begin(), column.end(), '-', '_');
    r.rows.columns = {column, "new", "ended", "undated"};
    if (cumulative)
        r.rows.columns.push_back("active");
    std::vector<std::pair<std::string, group>> sorted(groups.begin(), groups.end());
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        return a.second.started + a.second.undated > b.second.started + b.second.undated;
    });
    for (const auto& [name, g] : sorted) {
        if (g.started == 0 && g.ended == 0 && g.undated == 0 && (!cumulative || g.active == 0))
            continue;
        std::vector<value> row = {name, g.started, g.ended, g.undated};
        if (cumulative)
            row.emplace_back(g.active);
        r.rows.rows.push_back(std::move(row));
    }
}

} // namespace

report_result partnerships_report(store::Database& db, const partnership_report_options& o) {
    auto kinds = period_kinds;
    kinds.insert(kinds.end(), group_kinds.begin(), group_kinds.end());
    check_by("partnerships", o.by, kinds);
    const bool periods = o.by == "year" || o.by == "month";
    const bool cumulative = o.cumulative.value_or(periods);
    const auto [since, until] = date_window(o.since, o.until);

    report_result r;
    r.kind = "partnerships";
    std::string per = o.by == "agency-type" ? "agency type" : o.by;
    r.title = "Partnerships per " + per;
    r.filters.emplace_back("by", o.by);
    if (o.filter.vendor)
        r.filters.emplace_back("vendor", *o.filter.vendor);
    if (o.filter.technology)
        r.filters.emplace_back("technology", *o.filter.technology);
    if (o.filter.state)
        r.filters.emplace_back("state",
                               util::state_code(*o.filter.state).value_or(*o.filter.state));
    if (o.since)
        r.filters.emplace_back("since", *o.since);
    if (o.until)
        r.filters.emplace_back("until", *o.until);
    if (o.filter.as_of)
        r.filters.emplace_back("as_of", *o.filter.as_of);
    r.generated_from = read_store_info(db);

    const auto ps = load(db, o);
    counts c;
    if (periods)
        period_rows(ps, o, since, until, cumulative, r, c);
    else
        group_rows(ps, o, since, until, cumulative, r, c);

    // the sources the counted partnerships (undated ones too) stand on, and their conflicts
    std::set<std::int64_t> ids, source_ids;
    for (const auto& p : ps)
        ids.insert(p.id);
    {
        store::Statement st(db, "SELECT DISTINCT fact_id, source_id FROM evidence "
                                "WHERE fact_type = 'partnership'");
        while (st.step())
            if (ids.count(st.get_int(0)))
                source_ids.insert(st.get_int(1));
    }
    r.sources = numbered_sources(db, source_ids);
    table conflicts;
    {
        store::Statement st(db, "SELECT partnership_id AS partnership, agency, state, vendor, "
                                "technology, chosen_start FROM partnership_conflicts "
                                "ORDER BY state, agency, technology, partnership_id");
        conflicts = collect(st);
        std::erase_if(conflicts.rows, [&](const std::vector<value>& row) {
            return !ids.count(std::get<std::int64_t>(row[0]));
        });
    }

    const auto n_partnerships = static_cast<std::int64_t>(ps.size());
    r.notes.push_back(count_of(n_partnerships, "partnership") +
                      verb(n_partnerships, " matches", " match") + " the filters" +
                      (o.filter.as_of ? " (as of " + *o.filter.as_of + ")" : "") + ".");
    if (r.sources.empty())
        r.notes.push_back("No source in the store names such a partnership: the counts are "
                          "missing, not zero.");
    if (c.outside)
        r.notes.push_back(count_of(c.outside, "partnership") +
                          " started outside --since/--until: " + "not new here" +
                          (cumulative ? ", but in the active total when earlier" : "") + ".");
    if (c.undated)
        r.notes.push_back(count_of(c.undated, "partnership") + verb(c.undated, " has", " have") +
                          " no start date in any source: counted apart (\"undated\"), " +
                          (periods ? "in no " + o.by : "in the undated column") +
                          (o.filter.as_of || since || until
                               ? ", since " + std::string(verb(c.undated, "it", "they")) +
                                     " cannot be placed in time"
                               : std::string()) +
                          (cumulative ? "; not in the active total" : "") + ".");
    if (c.year_only) {
        std::vector<std::string> parts;
        for (const auto& [year, n] : c.year_only_by_year)
            parts.push_back(year + ": " + std::to_string(n));
        r.notes.push_back(count_of(c.year_only, "partnership") + " dated only to a year " +
                          (c.year_only == 1 ? "is" : "are") + " left out of this month report (" +
                          join_text(parts, ", ") + "); `--by year` counts them.");
    }
    if (c.year_only_ends)
        r.notes.push_back(count_of(c.year_only_ends, "end date") +
                          " known only to the year left out of the ended column.");
    if (c.straddling)
        r.notes.push_back(count_of(c.straddling, "date") +
                          " known only to a month or year that straddles --since/--until " +
                          (c.straddling == 1 ? "is" : "are") + " left out.");
    if (cumulative && periods)
        r.notes.push_back("active: the running total of partnerships started minus those ended, "
                          "up to and including each " +
                          o.by + (since ? ", counting those that started before --since" : "") +
                          ".");
    else if (cumulative)
        r.notes.push_back(std::string("active: partnerships started and not ended by ") +
                          (until ? *until : "the latest date the sources give") + ".");
    if (!periods)
        r.notes.push_back(since || until
                              ? "new: partnerships of the group that started within "
                                "--since/--until."
                              : "new: partnerships with a known start; new + undated is every "
                                "partnership of a group.");
    if (!conflicts.rows.empty())
        r.notes.push_back(
            count_of(static_cast<std::int64_t>(conflicts.rows.size()), "partnership") +
            std::string(" of these ") +
            verb(static_cast<std::int64_t>(conflicts.rows.size()), "has", "have") +
            " sources that disagree on the start date; each is "
            "counted by its earliest claim (see `porchlight conflicts`).");
    if (const auto latest = latest_as_of(r.sources); !latest.empty()) {
        const auto partial = latest.substr(0, o.by == "year" ? 4 : 7);
        const bool shown =
            !r.rows.rows.empty() && std::get<std::string>(r.rows.rows.back()[0]) >= partial;
        if (periods)
            r.notes.push_back("The sources describe the world up to " + latest +
                              " (their latest as-of date): later starts are unknown, not zero" +
                              (shown ? ", and " + partial + " is covered only in part" : "") + ".");
        else
            r.notes.push_back("Counts are as the sources stood on their as-of dates, the latest " +
                              latest + ".");
    }

    r.extras.push_back({"matched", n_partnerships, std::nullopt});
    r.extras.push_back({"undated", c.undated, std::nullopt});
    r.extras.push_back({"year_only", c.year_only, std::nullopt});
    r.extras.push_back({"straddling", c.straddling, std::nullopt});
    r.extras.push_back({"conflicts", std::monostate{}, std::move(conflicts)});

    r.chart_category = r.rows.columns.front();
    r.chart_type = periods ? chart_data::kind::line : chart_data::kind::bar;
    r.chart_series = {"new"};
    if (periods) {
        r.chart_series.push_back("ended");
        if (cumulative)
            r.chart_series.push_back("active");
    } else if (c.undated) {
        r.chart_series.push_back("undated");
    }
    r.chart_y_label = "partnerships";
    return r;
}

} // namespace porchlight::report
