// The requests, cameras and hexbins layers. A request is drawn as its area (a WKT polygon,
// rings turned to RFC 7946 order) or else its centre; its case number, title and address
// are personal data. A camera's name may name a home: personal data too. Cameras are
// placed in a state by the county polygon that holds them (geo::CountyIndex).
#include "detail/layer_sql.hpp"

#include "../detail/gdal_handles.hpp"
#include "../report/detail/reports.hpp"

#include <porchlight/geo/hexbin.hpp>
#include <porchlight/ingest/table_reader.hpp>
#include <porchlight/util/text.hpp>

#include <ogr_api.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

namespace porchlight::render::layer_detail {

namespace {

namespace rd = report::reports_detail;

double signed_area(const geo::ring& r) {
    double a = 0;
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++)
        a += (r[j].lon * r[i].lat) - (r[i].lon * r[j].lat);
    return a / 2;
}

geo::ring read_ring(OGRGeometryH g, bool outer) {
    geo::ring r;
    const int n = OGR_G_GetPointCount(g);
    for (int i = 0; i < n; ++i)
        r.push_back({OGR_G_GetX(g, i), OGR_G_GetY(g, i)});
    if (r.size() > 1 && r.front().lon == r.back().lon && r.front().lat == r.back().lat)
        r.pop_back();
    // RFC 7946: exterior rings counter-clockwise, holes clockwise
    if ((signed_area(r) < 0) == outer)
        std::reverse(r.begin(), r.end());
    return r;
}

/// The rings of a WKT polygon (outer first), or empty for anything else or an unreadable text.
std::vector<geo::ring> polygon_rings(const std::string& wkt) {
    ingest::gdal_init();
    OGRGeometryH raw = nullptr;
    char* text = const_cast<char*>(wkt.c_str());
    if (OGR_G_CreateFromWkt(&text, nullptr, &raw) != OGRERR_NONE || !raw)
        return {};
    gdal_detail::geometry_ptr g(raw);
    if (wkbFlatten(OGR_G_GetGeometryType(raw)) != wkbPolygon)
        return {};
    std::vector<geo::ring> rings;
    for (int i = 0; i < OGR_G_GetGeometryCount(raw); ++i) {
        auto r = read_ring(OGR_G_GetGeometryRef(raw, i), i == 0);
        if (r.size() < 3)
            return {};
        rings.push_back(std::move(r));
    }
    return rings;
}

/// The agencies that have a partnership --vendor and --technology keep (dates aside: a
/// request's dates are its own).
std::optional<std::set<std::int64_t>> partner_agencies(store::Database& db,
                                                       const layer_filter& f) {
    if (!f.vendor && !f.technology)
        return std::nullopt;
    std::set<std::int64_t> ids;
    for (const auto& p : kept_partnerships(db, f, false))
        ids.insert(p.agency_id);
    return ids;
}

} // namespace

void stream_requests(store::Database& db, const layer_filter& f, layer& l, const sink_fn& sink) {
    const auto [since, until] = rd::date_window(f.since, f.until);
    const auto partners = partner_agencies(db, f);
    const auto evidence = evidence_by_fact(db, "e.fact_type = 'video_request'", false);
    store::Statement st(
        db, "SELECT v.id, a.name, v.agency_id, a.state, v.requested_at, v.window_start, "
            "v.window_end, v.radius_m, v.users_notified, v.videos_received, v.area_wkt, "
            "v.center_lon, v.center_lat, r.locator, v.case_number, v.title, v.address, "
            "v.source_id, ifnull(s.title, s.file_name) FROM video_requests v "
            "LEFT JOIN agencies a ON a.id = v.agency_id LEFT JOIN sources s ON s.id = v.source_id "
            "LEFT JOIN records r ON r.id = v.record_id "
            "WHERE (?1 IS NULL OR a.state = ?1) "
            "  AND (?2 IS NULL OR substr(v.requested_at, 1, 10) >= ?2) "
            "  AND (?3 IS NULL OR substr(v.requested_at, 1, 10) <= ?3) ORDER BY v.id");
    st.bind(1, f.state ? util::state_code(*f.state) : std::nullopt);
    st.bind(2, since).bind(3, until);
    std::set<std::int64_t> sources;
    feature ft;
    while (st.step()) {
        if (partners && (st.is_null(2) || !partners->count(st.get_int(2))))
            continue;
        ft.geom = {};
        if (!st.is_null(10))
            ft.geom.rings = polygon_rings(st.get_text(10));
        if (!ft.geom.rings.empty()) {
            ft.geom.type = geometry::kind::polygon;
        } else if (!st.is_null(11) && !st.is_null(12) &&
                   valid_point({st.get_double(11), st.get_double(12)})) {
            ft.geom.type = geometry::kind::point;
            ft.geom.point = {st.get_double(11), st.get_double(12)};
        } else {
            ++l.without_location;
            continue;
        }
        ft.id = st.get_int(0);
        ft.properties.clear();
        for (int i = 1; i <= 9; ++i)
            ft.properties.push_back(cell(st, i));
        const auto it = evidence.find(ft.id);
        const evidence_summary none;
        auto e = it == evidence.end() ? none : it->second;
        if (e.sources.empty() && !st.is_null(17))
            e.sources.emplace(st.get_int(17), st.get_text(18)); // the row it was read from
        for (const auto& [sid, title] : e.sources)
            sources.insert(sid);
        ft.properties.insert(ft.properties.end(),
                             {std::string(ft.geom.type == geometry::kind::polygon ? "polygon"
                                                                                  : "point"),
                              e.count, e.sources_text(), cell(st, 13)});
        if (f.include_personal_data)
            for (int i = 14; i <= 16; ++i)
                ft.properties.push_back(cell(st, i));
        sink(ft);
    }
    l.source_titles = credits(db, sources);
}

namespace {

/// Calls visit(id, point, statement) for every camera in the state (all without one).
template <typename Visit>
void each_camera(store::Database& db, const std::filesystem::path& data_dir,
                 const layer_filter& f, layer& l, std::set<std::int64_t>& sources, Visit visit) {
    std::unique_ptr<geo::CountyIndex> counties;
    std::optional<std::string> state;
    if (f.state) {
        state = util::state_code(*f.state);
        counties = std::make_unique<geo::CountyIndex>(data_dir / "gazetteer");
    }
    store::Statement st(db, "SELECT c.id, c.lon, c.lat, c.kind, c.operator, c.surveillance_type, "
                            "c.zone, c.direction, c.field_of_view, c.ref, "
                            "ifnull(s.title, s.file_name), r.locator, c.source_id, c.name "
                            "FROM cameras c LEFT JOIN sources s ON s.id = c.source_id "
                            "LEFT JOIN records r ON r.id = c.record_id ORDER BY c.id");
    std::int64_t last_source = -1;
    while (st.step()) {
        const geo::lonlat p{st.get_double(1), st.get_double(2)};
        if (!valid_point(p)) {
            ++l.without_location;
            continue;
        }
        if (counties) {
            const auto c = counties->locate(p.lon, p.lat);
            if (!c || counties->county(*c).state != *state)
                continue;
        }
        if (!st.is_null(12) && st.get_int(12) != last_source) {
            last_source = st.get_int(12);
            sources.insert(last_source);
        }
        visit(st.get_int(0), p, st);
    }
}

} // namespace

void stream_cameras(store::Database& db, const std::filesystem::path& data_dir,
                    const layer_filter& f, layer& l, const sink_fn& sink) {
    std::set<std::int64_t> sources;
    feature ft;
    ft.geom.type = geometry::kind::point;
    ft.properties.resize(l.property_names.size());
    each_camera(db, data_dir, f, l, sources,
                [&](std::int64_t id, geo::lonlat p, const store::Statement& st) {
                    ft.id = id;
                    ft.geom.point = p;
                    for (int i = 3; i <= 11; ++i)
                        ft.properties[i - 3] = cell(st, i);
                    if (f.include_personal_data)
                        ft.properties[9] = cell(st, 13);
                    sink(ft);
                });
    l.source_titles = credits(db, sources);
}

void stream_hexbins(store::Database& db, const std::filesystem::path& data_dir,
                    const layer_filter& f, layer& l, const sink_fn& sink) {
    std::set<std::int64_t> sources;
    std::vector<geo::lonlat> points;
    each_camera(db, data_dir, f, l, sources,
                [&](std::int64_t, geo::lonlat p, const store::Statement&) { points.push_back(p); });
    const auto bins = geo::hexbin_counts(points, f.hexbin_cell_m, f.hexbin_min_count);
    feature ft;
    ft.geom.type = geometry::kind::polygon;
    std::int64_t n = 0;
    for (const auto& b : bins) {
        ft.id = ++n;
        ft.geom.rings = {b.outline};
        ft.properties = {b.count, f.hexbin_cell_m, f.hexbin_min_count};
        sink(ft);
    }
    l.source_titles = credits(db, sources);
}

} // namespace porchlight::render::layer_detail
