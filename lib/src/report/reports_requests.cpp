// `porchlight report requests`: video requests per agency, state, month or year, with the
// distribution of requests per agency; individual requests and the totals agencies
// published are kept apart, and what no source gives is empty, not zero.
#include "detail/reports.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace porchlight::report {

using namespace reports_detail;

namespace {

/// Requests of one group, and the videos received of those whose source gave a count.
struct group_count {
    std::int64_t requests = 0;
    std::int64_t videos = 0;
    bool videos_known = false;

    void add(std::int64_t n, std::optional<std::int64_t> videos_received) {
        requests += n;
        if (videos_received) {
            videos += *videos_received;
            videos_known = true;
        }
    }
    value videos_value() const { return videos_known ? value{videos} : value{}; }
};

/// The p-th percentile (0..100) of sorted values, interpolated linearly between the
/// closest ranks (the "type 7" definition of R and NumPy's default).
double percentile(const std::vector<std::int64_t>& sorted, double p) {
    const double rank = p / 100.0 * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(rank));
    const auto hi = std::min(lo + 1, sorted.size() - 1);
    const double frac = rank - static_cast<double>(lo);
    return static_cast<double>(sorted[lo]) +
           frac * static_cast<double>(sorted[hi] - sorted[lo]);
}

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

/// How many dated requests each agency made in the window: the distribution's values, and
/// the ten agencies with the most (ties by name).
struct per_agency {
    std::vector<std::int64_t> counts; ///< sorted ascending
    table top;
};

per_agency requests_per_agency(store::Database& db, const std::optional<std::string>& since,
                               const std::optional<std::string>& until) {
    store::Statement st(db, "SELECT a.name, a.state, count(*) AS requests FROM video_requests v "
                            "JOIN agencies a ON a.id = v.agency_id "
                            "WHERE v.requested_at IS NOT NULL "
                            "  AND (?1 IS NULL OR substr(v.requested_at, 1, 10) >= ?1) "
                            "  AND (?2 IS NULL OR substr(v.requested_at, 1, 10) <= ?2) "
                            "GROUP BY v.agency_id ORDER BY requests DESC, a.name, a.state");
    st.bind(1, since).bind(2, until);
    per_agency out;
    out.top.columns = {"agency", "state", "requests"};
    while (st.step()) {
        out.counts.push_back(st.get_int(2));
        if (out.top.rows.size() < 10)
            out.top.rows.push_back({st.get_text(0),
                                    st.is_null(1) ? value{} : value{st.get_text(1)},
                                    st.get_int(2)});
    }
    std::sort(out.counts.begin(), out.counts.end());
    return out;
}

} // namespace

report_result requests_report(store::Database& db, const request_report_options& o) {
    check_by("requests", o.by, {"agency", "state", "month", "year"});
    const auto [since, until] = date_window(o.since, o.until);
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
    std::map<std::string, group_count> groups;
    std::int64_t requests = 0, undated = 0;
    if (periods) {
        // grouped by SQLite itself: a million requests are one pass over the table
        store::Statement st(db, "SELECT substr(requested_at, 1, ?1), count(*), "
                                "sum(videos_received) FROM video_requests "
                                "WHERE requested_at IS NOT NULL AND (?2 IS NULL OR "
                                "substr(requested_at, 1, 10) >= ?2) AND (?3 IS NULL OR "
                                "substr(requested_at, 1, 10) <= ?3) GROUP BY 1");
        st.bind(1, static_cast<std::int64_t>(o.by == "year" ? 4 : 7)).bind(2, since).bind(3, until);
        while (st.step()) {
            groups[st.get_text(0)].add(st.get_int(1), st.get_optional_int(2));
            requests += st.get_int(1);
        }
        undated = db.scalar_int("SELECT count(*) FROM video_requests WHERE requested_at IS NULL");
        // a period between the first and the last without a request has 0 of them
        if (!groups.empty())
            for (const auto& p : periods_between(groups.begin()->first, groups.rbegin()->first))
                groups.try_emplace(p);
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
            groups[label(st, 1, 2)].add(1, st.get_optional_int(3));
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
        std::vector<value> row = {name, g.requests, g.videos_value()};
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
    if (requests > 0)
        r.notes.push_back("videos_received is empty where no request of the row came with a "
                          "count (a Request for Assistance post has none): unknown, not zero.");

    const auto dist = requests_per_agency(db, since, until);
    if (!dist.counts.empty()) {
        const auto& top = dist.top.rows.front();
        r.notes.push_back(
            "Dated requests per agency, over the " + std::to_string(dist.counts.size()) +
            (dist.counts.size() == 1 ? " agency" : " agencies") + " with at least one: median " + number_text(percentile(dist.counts, 50)) +
            ", 25th percentile " + number_text(percentile(dist.counts, 25)) + ", 75th " +
            number_text(percentile(dist.counts, 75)) + ", 90th " +
            number_text(percentile(dist.counts, 90)) + ", most " +
            std::to_string(dist.counts.back()) + " (" + to_text(top[0]) +
            (to_text(top[1]).empty() ? "" : ", " + to_text(top[1])) +
            "). Percentiles interpolate between ranks; agencies without a request here are "
            "not counted as 0.");
    }
    r.extras.push_back({"requests", requests, std::nullopt});
    r.extras.push_back({"undated", undated, std::nullopt});
    r.extras.push_back({"totals_observed", std::monostate{}, std::move(totals)});
    r.extras.push_back(
        {"agencies_with_requests", static_cast<std::int64_t>(dist.counts.size()), std::nullopt});
    for (const auto& [name, p] : {std::pair{"median_per_agency", 50.0},
                                  std::pair{"p25_per_agency", 25.0},
                                  std::pair{"p75_per_agency", 75.0},
                                  std::pair{"p90_per_agency", 90.0}})
        r.extras.push_back({name,
                            dist.counts.empty() ? value{} : value{percentile(dist.counts, p)},
                            std::nullopt});
    r.extras.push_back({"top_agencies", std::monostate{}, dist.top});
    r.chart_category = o.by;
    r.chart_type = periods ? chart_data::kind::line : chart_data::kind::bar;
    r.chart_series = {"requests"};
    r.chart_y_label = "requests";
    return r;
}

} // namespace porchlight::report
