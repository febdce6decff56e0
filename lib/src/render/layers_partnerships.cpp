// The agencies and partnerships layers, and what every layer shares: the evidence behind a
// fact (citations, sources, links) and the partnerships the filters keep (the filter of
// `partnerships`, the as-of rule of `partnerships --as-of`, the window of `report`).
#include "detail/layer_sql.hpp"

#include "../report/detail/partnership_filter.hpp"
#include "../report/detail/reports.hpp"

#include <porchlight/util/date.hpp>
#include <porchlight/util/text.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace porchlight::render::layer_detail {

namespace rd = report::reports_detail;

std::string as_of_day(const std::string& text) {
    std::optional<util::partial_date> d;
    try {
        d = util::parse_date(text);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(std::string("--as-of: ") + e.what());
    }
    if (!d || d->precision != util::date_precision::day)
        throw std::invalid_argument("--as-of needs a full date (YYYY-MM-DD)");
    return d->iso();
}

bool partnership_filtered(const layer_filter& f) {
    return f.vendor || f.technology || f.as_of || f.since || f.until;
}

bool valid_point(const geo::lonlat& p) {
    return std::isfinite(p.lon) && std::isfinite(p.lat) && std::abs(p.lon) <= 180 &&
           std::abs(p.lat) <= 90;
}

report::value cell(const store::Statement& st, int i) {
    switch (st.column_type(i)) {
    case store::Statement::type::null:
        return std::monostate{};
    case store::Statement::type::integer:
        return st.get_int(i);
    case store::Statement::type::real:
        return st.get_double(i);
    default:
        return st.get_text(i);
    }
}

void evidence_summary::merge(const evidence_summary& o) {
    count += o.count;
    sources.insert(o.sources.begin(), o.sources.end());
    for (const auto& l : o.links)
        if (std::find(links.begin(), links.end(), l) == links.end())
            links.push_back(l);
}

std::string evidence_summary::sources_text() const {
    std::vector<std::string> titles;
    for (const auto& [id, title] : sources)
        titles.push_back(title);
    return rd::join_text(titles, "; ");
}

std::string evidence_summary::links_text() const {
    return rd::join_text(links, " ");
}

std::map<std::int64_t, evidence_summary> evidence_by_fact(store::Database& db,
                                                          std::string_view where, bool with_links) {
    std::map<std::int64_t, evidence_summary> out;
    store::Statement st(db, "SELECT e.fact_id, e.source_id, ifnull(s.title, s.file_name) "
                            "FROM evidence e JOIN sources s ON s.id = e.source_id WHERE " +
                                std::string(where) + " ORDER BY e.fact_id, e.id");
    while (st.step()) {
        auto& s = out[st.get_int(0)];
        ++s.count;
        s.sources.emplace(st.get_int(1), st.get_text(2));
    }
    if (!with_links)
        return out;
    store::Statement links(db, "SELECT e.fact_id, trim(l.url) FROM evidence_links l JOIN "
                               "evidence e ON e.id = l.evidence_id WHERE " +
                                   std::string(where) +
                                   " ORDER BY e.fact_id, l.evidence_id, l.position");
    while (links.step()) {
        auto& v = out[links.get_int(0)].links;
        auto url = links.get_text(1);
        if (std::find(v.begin(), v.end(), url) == v.end())
            v.push_back(std::move(url));
    }
    return out;
}

std::vector<std::string> credits(store::Database& db, const std::set<std::int64_t>& ids) {
    std::vector<std::string> out;
    store::Statement st(db, "SELECT id, ifnull(title, file_name) || ' (' || substr(sha256, 1, "
                            "12) || ')' FROM sources ORDER BY id");
    while (st.step())
        if (ids.count(st.get_int(0)))
            out.push_back(st.get_text(1));
    return out;
}

namespace {

std::optional<geo::lonlat> point_of(const store::Statement& st, int lon, int lat) {
    if (st.is_null(lon) || st.is_null(lat))
        return std::nullopt;
    const geo::lonlat p{st.get_double(lon), st.get_double(lat)};
    return valid_point(p) ? std::optional<geo::lonlat>(p) : std::nullopt;
}

/// Whether a partnership passes --as-of (surely started by D, not ended before D; an
/// undated one cannot be said to exist then) and --since/--until (its start lies inside).
bool keep_dates(const std::optional<std::string>& start, const std::optional<std::string>& end,
                const std::optional<std::string>& as_of, const std::optional<std::string>& since,
                const std::optional<std::string>& until) {
    if ((as_of || since || until) && !start)
        return false;
    if (as_of && (rd::days_of(*start).last > *as_of || (end && *end < *as_of)))
        return false;
    return !(since || until) || rd::place(rd::days_of(*start), since, until) == rd::placement::inside;
}

} // namespace

std::vector<partnership_row> kept_partnerships(store::Database& db, const layer_filter& f,
                                               bool with_dates) {
    std::optional<std::string> as_of, since, until;
    if (with_dates) {
        if (f.as_of)
            as_of = as_of_day(*f.as_of);
        std::tie(since, until) = rd::date_window(f.since, f.until);
    }
    store::Statement st(
        db, std::string("SELECT p.id, p.agency_id, p.agency, p.agency_id, p.agency_kind, p.state, "
                        "p.county, p.place, p.vendor, p.technology, p.start_date, "
                        "p.start_precision, p.start_rule, q.start_conflict, p.end_date, "
                        "p.end_precision, p.first_seen, p.last_seen, a.geocode_precision, "
                        "a.lon, a.lat FROM partnerships_view p JOIN partnerships q ON q.id = p.id "
                        "JOIN agencies a ON a.id = p.agency_id ") +
                report::detail::partnership_filter + "ORDER BY p.id");
    st.bind(1, f.state ? util::state_code(*f.state) : std::nullopt);
    if (f.vendor)
        st.bind(2, util::normalise_words(*f.vendor));
    if (f.technology)
        st.bind(3, util::normalise_words(*f.technology));
    std::vector<partnership_row> out;
    while (st.step()) {
        const auto start = st.get_optional_text(10);
        if (!keep_dates(start, st.get_optional_text(14), as_of, since, until))
            continue;
        partnership_row p;
        p.id = st.get_int(0);
        p.agency_id = st.get_int(1);
        p.vendor = st.get_optional_text(8);
        p.technology = st.get_text(9);
        p.start = start;
        for (int i = 2; i <= 18; ++i)
            p.properties.push_back(cell(st, i));
        p.point = point_of(st, 19, 20);
        out.push_back(std::move(p));
    }
    return out;
}

void stream_partnerships(store::Database& db, const layer_filter& f, layer& l,
                         const sink_fn& sink) {
    const auto evidence = evidence_by_fact(db, "e.fact_type = 'partnership'", true);
    std::set<std::int64_t> sources;
    feature ft;
    for (auto& p : kept_partnerships(db, f, true)) {
        if (!p.point) {
            ++l.without_location;
            continue;
        }
        const auto it = evidence.find(p.id);
        const evidence_summary none;
        const auto& e = it == evidence.end() ? none : it->second;
        ft.id = p.id;
        ft.geom.type = geometry::kind::point;
        ft.geom.point = *p.point;
        ft.properties = std::move(p.properties);
        ft.properties.insert(ft.properties.end(), {e.count, e.sources_text(), e.links_text()});
        for (const auto& [id, title] : e.sources)
            sources.insert(id);
        sink(ft);
    }
    l.source_titles = credits(db, sources);
}

namespace {

struct agency_partnerships {
    std::int64_t count = 0;
    std::set<std::string> vendors;
    std::set<std::string> technologies;
    std::optional<std::string> first_start;
    evidence_summary evidence;
};

std::string joined(const std::set<std::string>& s) {
    return rd::join_text(std::vector<std::string>(s.begin(), s.end()), "; ");
}

} // namespace

void stream_agencies(store::Database& db, const layer_filter& f, layer& l, const sink_fn& sink) {
    const auto partnership_evidence = evidence_by_fact(db, "e.fact_type = 'partnership'", true);
    std::map<std::int64_t, agency_partnerships> by_agency;
    for (const auto& p : kept_partnerships(db, f, true)) {
        auto& a = by_agency[p.agency_id];
        ++a.count;
        if (p.vendor)
            a.vendors.insert(*p.vendor);
        a.technologies.insert(p.technology);
        if (p.start && (!a.first_start || *p.start < *a.first_start))
            a.first_start = p.start;
        if (const auto it = partnership_evidence.find(p.id); it != partnership_evidence.end())
            a.evidence.merge(it->second);
    }
    const auto own = evidence_by_fact(db, "(e.fact_type = 'agency' OR e.fact_type = 'location')",
                                      false);
    store::Statement st(db, "SELECT id, name, kind, state, county, county_fips, place, "
                            "geocode_precision, geocode_match, lon, lat FROM agencies "
                            "WHERE ?1 IS NULL OR state = ?1 ORDER BY id");
    st.bind(1, f.state ? util::state_code(*f.state) : std::nullopt);
    const bool filtered = partnership_filtered(f);
    std::set<std::int64_t> sources;
    feature ft;
    while (st.step()) {
        const auto id = st.get_int(0);
        const auto it = by_agency.find(id);
        if (filtered && it == by_agency.end())
            continue;
        const auto point = point_of(st, 9, 10);
        if (!point) {
            ++l.without_location;
            continue;
        }
        const agency_partnerships none;
        const auto& a = it == by_agency.end() ? none : it->second;
        auto e = a.evidence;
        if (const auto o = own.find(id); o != own.end())
            e.merge(o->second);
        ft.id = id;
        ft.geom.type = geometry::kind::point;
        ft.geom.point = *point;
        ft.properties.clear();
        for (int i = 1; i <= 8; ++i)
            ft.properties.push_back(cell(st, i));
        ft.properties.insert(ft.properties.end(),
                             {a.count, joined(a.vendors), joined(a.technologies),
                              a.first_start ? report::value{*a.first_start} : report::value{},
                              e.count, e.sources_text(), e.links_text()});
        for (const auto& [sid, title] : e.sources)
            sources.insert(sid);
        sink(ft);
    }
    l.source_titles = credits(db, sources);
}

} // namespace porchlight::render::layer_detail
