#include <porchlight/geo/counties.hpp>
#include <porchlight/report/listings.hpp>
#include <porchlight/report/observations.hpp>

#include "detail/reports.hpp"

#include <stdexcept>

namespace porchlight::report {
namespace {

/// The filter both request listings share: ?1 agency, ?2 state, ?3 first day, ?4 last day,
/// ?5 source, over video_requests or request_totals `x` joined to agencies `a`.
constexpr const char* request_where =
    "WHERE (?1 IS NULL OR x.agency_id = ?1) AND (?2 IS NULL OR a.state = ?2) "
    "  AND (?3 IS NULL OR substr(DATE_COL, 1, 10) >= ?3) "
    "  AND (?4 IS NULL OR substr(DATE_COL, 1, 10) <= ?4) AND (?5 IS NULL OR x.source_id = ?5) ";

std::string where_on(const std::string& date_column) {
    std::string w = request_where;
    for (auto at = w.find("DATE_COL"); at != std::string::npos; at = w.find("DATE_COL"))
        w.replace(at, 8, date_column);
    return w;
}

void bind_request_filter(store::Database& db, store::Statement& st, const request_filter& f) {
    if (f.agency)
        st.bind(1, find_agency(db, *f.agency));
    st.bind(2, state_arg(f.state));
    const auto [first, last] = reports_detail::date_window(f.since, f.until);
    st.bind(3, first).bind(4, last);
    st.bind(5, f.source);
}

} // namespace

table requests(store::Database& db, const request_filter& f) {
    // a post's title often names the street, a log's address the home: as export
    const std::string personal =
        f.include_personal_data ? "x.title, x.case_number, x.address, " : "";
    store::Statement st(
        db, "SELECT x.id, ifnull(a.name, x.agency_raw) AS agency, a.state, x.requested_at, " +
                personal +
                "x.radius_m, CASE WHEN x.area_wkt IS NULL THEN 'no' ELSE 'yes' END AS area, "
                "x.window_start, x.window_end, x.users_notified, x.videos_received, "
                "x.source_id AS source, r.locator "
                "FROM video_requests x LEFT JOIN agencies a ON a.id = x.agency_id "
                "LEFT JOIN records r ON r.id = x.record_id " +
                where_on("x.requested_at") +
                "ORDER BY x.requested_at IS NULL, x.requested_at, x.id");
    bind_request_filter(db, st, f);
    return collect(st);
}

table request_totals(store::Database& db, const request_filter& f) {
    store::Statement st(db, "SELECT x.id, a.name AS agency, a.state, x.as_of, x.total, "
                            "x.source_id AS source, r.locator "
                            "FROM request_totals x JOIN agencies a ON a.id = x.agency_id "
                            "LEFT JOIN records r ON r.id = x.record_id " +
                                where_on("x.as_of") +
                                "ORDER BY a.state, a.name, x.agency_id, x.as_of DESC, x.id");
    bind_request_filter(db, st, f);
    return collect(st);
}

table cameras(store::Database& db, const std::filesystem::path& data_dir, const camera_filter& f) {
    const geo::CountyIndex counties(data_dir / "gazetteer");
    const auto state = state_arg(f.state);
    if (f.county && !counties.find(*f.county))
        throw std::invalid_argument("no county with FIPS code '" + *f.county +
                                    "' (five digits: state 24 + county 510 is 24510)");
    store::Statement st(
        db, std::string("SELECT c.id, c.lat, c.lon, c.kind, c.surveillance_type, c.zone, "
                        "c.operator, ") +
            "c.direction, c.field_of_view, " +
                std::string(f.include_personal_data ? "c.name, " : "") +
                "c.source_id AS source, r.locator "
            "FROM cameras c LEFT JOIN records r ON r.id = c.record_id "
            "WHERE (?1 IS NULL OR (c.lon BETWEEN ?1 AND ?3 AND c.lat BETWEEN ?2 AND ?4)) "
            "  AND (?5 IS NULL OR c.source_id = ?5) ORDER BY c.id");
    if (f.bbox)
        st.bind(1, f.bbox->west).bind(2, f.bbox->south).bind(3, f.bbox->east).bind(4, f.bbox->north);
    st.bind(5, f.source);
    auto t = collect(st);
    t.columns.insert(t.columns.begin() + 3, {"county", "county_name"});
    table out;
    out.columns = t.columns;
    for (auto& row : t.rows) {
        const auto lat = std::get<double>(row[1]);
        const auto lon = std::get<double>(row[2]);
        const auto at = counties.locate(lon, lat);
        if ((state || f.county) && !at)
            continue;
        value fips, name;
        if (at) {
            const auto& c = counties.county(*at);
            if ((state && c.state != *state) || (f.county && c.fips != *f.county))
                continue;
            fips = c.fips;
            name = c.name + ", " + c.state;
        }
        row.insert(row.begin() + 3, {std::move(fips), std::move(name)});
        out.rows.push_back(std::move(row));
    }
    return out;
}

} // namespace porchlight::report
