// Points per county, points within a radius, and the jurisdiction of an agency.
#include <porchlight/geo/coverage.hpp>
#include <porchlight/ingest/table_reader.hpp>

#include <ogr_geometry.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

namespace porchlight::geo {

namespace {

constexpr double earth_radius_m = 6371008.8;
constexpr double cell_deg = 0.1;

std::int64_t cell_key(std::int64_t cx, std::int64_t cy) {
    return cy * 4000 + cx; // cx in [0, 3600]
}

std::int64_t cell_x(double lon) {
    return static_cast<std::int64_t>(std::floor((lon + 180.0) / cell_deg));
}
std::int64_t cell_y(double lat) {
    return static_cast<std::int64_t>(std::floor((lat + 90.0) / cell_deg));
}

bool valid(const lonlat& p) {
    return std::isfinite(p.lon) && std::isfinite(p.lat) && std::abs(p.lon) <= 180 &&
           std::abs(p.lat) <= 90;
}

} // namespace

county_counts count_by_county(const CountyIndex& counties, const std::vector<lonlat>& points) {
    county_counts out;
    out.per_county.assign(counties.size(), 0);
    for (const auto& p : points) {
        if (!valid(p)) {
            ++out.invalid;
            continue;
        }
        if (const auto c = counties.locate(p.lon, p.lat))
            ++out.per_county[*c];
        else
            ++out.outside;
    }
    return out;
}

double distance_m(lonlat a, lonlat b) {
    const double rad = M_PI / 180.0;
    const double dlat = (b.lat - a.lat) * rad, dlon = (b.lon - a.lon) * rad;
    const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                     std::cos(a.lat * rad) * std::cos(b.lat * rad) * std::sin(dlon / 2) *
                         std::sin(dlon / 2);
    return 2 * earth_radius_m * std::asin(std::min(1.0, std::sqrt(h)));
}

PointGrid::PointGrid(const std::vector<lonlat>& points) {
    std::vector<std::pair<std::int64_t, lonlat>> keyed;
    keyed.reserve(points.size());
    for (const auto& p : points)
        if (valid(p))
            keyed.emplace_back(cell_key(cell_x(p.lon), cell_y(p.lat)), p);
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    m_points.reserve(keyed.size());
    for (const auto& [key, p] : keyed) {
        if (m_cells.empty() || m_cells.back().first != key)
            m_cells.emplace_back(key, static_cast<std::uint32_t>(m_points.size()));
        m_points.push_back(p);
    }
}

std::int64_t PointGrid::count_within(lonlat centre, double radius_m) const {
    if (!valid(centre) || !(radius_m >= 0))
        return 0;
    const double dlat = radius_m / earth_radius_m * 180.0 / M_PI;
    const double coslat = std::max(0.01, std::cos((std::abs(centre.lat) + dlat) * M_PI / 180.0));
    const double dlon = std::min(180.0, dlat / coslat);
    std::int64_t n = 0;
    for (auto cy = cell_y(centre.lat - dlat); cy <= cell_y(centre.lat + dlat); ++cy) {
        for (auto cx = cell_x(centre.lon - dlon); cx <= cell_x(centre.lon + dlon); ++cx) {
            const auto wrapped = (cx % 3600 + 3600) % 3600; // across the 180th meridian
            const auto key = cell_key(wrapped, cy);
            const auto it = std::lower_bound(
                m_cells.begin(), m_cells.end(), key,
                [](const auto& cell, std::int64_t k) { return cell.first < k; });
            if (it == m_cells.end() || it->first != key)
                continue;
            const auto end = std::next(it) == m_cells.end() ? m_points.size()
                                                            : std::next(it)->second;
            for (auto i = it->second; i < end; ++i)
                n += distance_m(centre, m_points[i]) <= radius_m;
        }
    }
    return n;
}

std::string jurisdiction::describe() const {
    switch (type) {
    case kind::county:
        return "county " + county_fips;
    case kind::state:
        return "state " + state;
    case kind::radius: {
        const double km = radius_m / 1000;
        return (km == std::floor(km) ? std::to_string(static_cast<long long>(km))
                                     : std::to_string(km)) +
               " km around the point";
    }
    case kind::none:
        break;
    }
    return "not placed";
}

jurisdiction jurisdiction_of(const agency_place& a) {
    jurisdiction j;
    j.state = a.state.value_or("");
    const bool has_point = a.lat && a.lon;
    const bool has_county = a.county_fips && a.county_fips->size() == 5;
    if (a.kind == "state" || a.precision == "state") {
        if (!j.state.empty())
            j.type = jurisdiction::kind::state;
        return j;
    }
    if (has_county && (a.kind == "sheriff" || a.precision == "county" || !has_point)) {
        j.type = jurisdiction::kind::county;
        j.county_fips = *a.county_fips;
        return j;
    }
    if (has_point) { // a point geocoded or given by the source
        j.type = jurisdiction::kind::radius;
        j.centre = {*a.lon, *a.lat};
        j.radius_m = place_radius_m;
    }
    return j;
}

namespace {

/// The centroid of a WGS84 WKT area, or nullopt when it is not a readable geometry.
std::optional<lonlat> centroid_of(const std::string& wkt) {
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g) != OGRERR_NONE || !g)
        return std::nullopt;
    std::unique_ptr<OGRGeometry> owner(g);
    OGRPoint c;
    if (g->IsEmpty() || g->Centroid(&c) != OGRERR_NONE || c.IsEmpty())
        return std::nullopt;
    return lonlat{c.getX(), c.getY()};
}

} // namespace

store_points camera_points(store::Database& db) {
    store_points out;
    store::Statement st(db, "SELECT id, lon, lat, source_id FROM cameras ORDER BY id");
    std::int64_t last_source = -1;
    while (st.step()) {
        if (st.is_null(1) || st.is_null(2)) {
            ++out.without_point;
            continue;
        }
        out.ids.push_back(st.get_int(0));
        out.points.push_back({st.get_double(1), st.get_double(2)});
        if (!st.is_null(3) && st.get_int(3) != last_source) {
            last_source = st.get_int(3);
            out.source_ids.insert(last_source);
        }
    }
    return out;
}

store_points request_points(store::Database& db) {
    ingest::gdal_init();
    store_points out;
    store::Statement st(db, "SELECT id, center_lon, center_lat, area_wkt, source_id "
                            "FROM video_requests ORDER BY id");
    while (st.step()) {
        std::optional<lonlat> p;
        if (!st.is_null(1) && !st.is_null(2))
            p = lonlat{st.get_double(1), st.get_double(2)};
        else if (!st.is_null(3))
            p = centroid_of(st.get_text(3));
        if (!p) {
            ++out.without_point;
            continue;
        }
        out.ids.push_back(st.get_int(0));
        out.points.push_back(*p);
        if (!st.is_null(4))
            out.source_ids.insert(st.get_int(4));
    }
    return out;
}

std::vector<std::string> source_titles(store::Database& db, const std::set<std::int64_t>& ids) {
    std::vector<std::string> out;
    store::Statement st(db, "SELECT id, ifnull(title, file_name) FROM sources ORDER BY id");
    while (st.step())
        if (ids.count(st.get_int(0)) && !st.is_null(1))
            out.push_back(st.get_text(1));
    return out;
}

} // namespace porchlight::geo
