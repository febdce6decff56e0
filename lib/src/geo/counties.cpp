// US county polygons (data/gazetteer/counties.geojson) with a grid index over their
// bounding boxes: which county holds a point (even-odd rule), and each county's area on
// the WGS84 ellipsoid.
#include <porchlight/error.hpp>
#include <porchlight/geo/counties.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <unordered_map>

namespace fs = std::filesystem;

namespace porchlight::geo {

namespace {

using json = nlohmann::json;

// WGS84 ellipsoid
constexpr double wgs84_a = 6378137.0;
constexpr double wgs84_f = 1.0 / 298.257223563;

/// Lambert's authalic q(φ) of the WGS84 ellipsoid: a·a·q/2 is the area (per radian of
/// longitude) between the equator and latitude φ.
double authalic_q(double lat_deg) {
    static const double e2 = wgs84_f * (2 - wgs84_f);
    static const double e = std::sqrt(e2);
    const double s = std::sin(lat_deg * M_PI / 180.0);
    return (1 - e2) * (s / (1 - e2 * s * s) - std::log((1 - e * s) / (1 + e * s)) / (2 * e));
}

/// Area of a ring on the ellipsoid, m², through the cylindrical equal-area projection
/// (x = a·λ, y = a·q/2): exact for edges straight in that projection, within a few parts
/// per million of the geodesic area for county-sized edges.
double ring_area_m2(const ring& r) {
    double sum = 0;
    const std::size_t n = r.size();
    for (std::size_t i = 0; i < n; ++i) {
        const auto& p = r[i];
        const auto& q = r[(i + 1) % n];
        const double x1 = wgs84_a * p.lon * M_PI / 180.0, y1 = wgs84_a * authalic_q(p.lat) / 2;
        const double x2 = wgs84_a * q.lon * M_PI / 180.0, y2 = wgs84_a * authalic_q(q.lat) / 2;
        sum += x1 * y2 - x2 * y1;
    }
    return sum / 2; // positive for counter-clockwise rings
}

struct box {
    double west = std::numeric_limits<double>::infinity();
    double south = std::numeric_limits<double>::infinity();
    double east = -std::numeric_limits<double>::infinity();
    double north = -std::numeric_limits<double>::infinity();

    void add(const lonlat& p) {
        west = std::min(west, p.lon);
        east = std::max(east, p.lon);
        south = std::min(south, p.lat);
        north = std::max(north, p.lat);
    }
    bool contains(double lon, double lat) const {
        return lon >= west && lon <= east && lat >= south && lat <= north;
    }
    bool empty() const { return west > east; }
};

/// One ring, flattened for the point-in-polygon loop.
struct flat_ring {
    box bounds;
    std::uint32_t first = 0; ///< into impl::xs / ys
    std::uint32_t count = 0;
};

ring read_ring(const json& coords, const fs::path& file, const std::string& fips) {
    ring r;
    r.reserve(coords.size());
    for (const auto& pt : coords) {
        if (!pt.is_array() || pt.size() < 2 || !pt[0].is_number() || !pt[1].is_number())
            throw error("county " + fips + " has a malformed coordinate (" + file.string() + ")");
        r.push_back({pt[0].get<double>(), pt[1].get<double>()});
    }
    if (r.size() > 1 && r.front().lon == r.back().lon && r.front().lat == r.back().lat)
        r.pop_back(); // GeoJSON closes its rings; ours do not repeat the first point
    return r;
}

void read_geometry(const json& g, county_shape& c, const fs::path& file) {
    if (g.is_null())
        return; // a polygon collapsed by generalisation (51610 Falls Church)
    const auto type = g.value("type", std::string());
    const auto& coords = g.at("coordinates");
    if (type == "Polygon") {
        for (const auto& r : coords)
            c.rings.push_back(read_ring(r, file, c.fips));
    } else if (type == "MultiPolygon") {
        for (const auto& poly : coords)
            for (const auto& r : poly)
                c.rings.push_back(read_ring(r, file, c.fips));
    } else {
        throw error("county " + c.fips + " has a " + type + " geometry, not a polygon (" +
                    file.string() + ")");
    }
}

// The index grid: cells of 0.25° over the whole globe's longitudes and the latitudes
// the US and its territories reach.
constexpr double grid_step = 0.25;
constexpr double grid_west = -180, grid_south = -20;
constexpr int grid_nx = 1440, grid_ny = 380; // up to 75°N

int cell_x(double lon) {
    return std::clamp(static_cast<int>(std::floor((lon - grid_west) / grid_step)), 0, grid_nx - 1);
}
int cell_y(double lat) {
    return std::clamp(static_cast<int>(std::floor((lat - grid_south) / grid_step)), 0, grid_ny - 1);
}

} // namespace

struct CountyIndex::impl {
    std::vector<county_shape> counties;
    std::unordered_map<std::string, std::size_t> by_fips;
    std::vector<box> bounds;                  ///< per county
    std::vector<std::uint32_t> ring_first;    ///< per county, into rings (+ one past)
    std::vector<flat_ring> rings;
    std::vector<double> xs, ys;
    std::vector<std::uint32_t> cell_first;    ///< per grid cell, into cell_counties (+ one)
    std::vector<std::uint32_t> cell_counties; ///< county indexes, ascending per cell

    void flatten() {
        ring_first.push_back(0);
        for (const auto& c : counties) {
            box b;
            for (const auto& r : c.rings) {
                flat_ring fr;
                fr.first = static_cast<std::uint32_t>(xs.size());
                fr.count = static_cast<std::uint32_t>(r.size());
                for (const auto& p : r) {
                    xs.push_back(p.lon);
                    ys.push_back(p.lat);
                    fr.bounds.add(p);
                    b.add(p);
                }
                if (fr.count >= 3)
                    rings.push_back(fr);
            }
            bounds.push_back(b);
            ring_first.push_back(static_cast<std::uint32_t>(rings.size()));
        }
    }

    void build_grid() {
        std::vector<std::uint32_t> counts(static_cast<std::size_t>(grid_nx) * grid_ny + 1, 0);
        auto each_cell = [&](const box& b, auto&& f) {
            for (int y = cell_y(b.south); y <= cell_y(b.north); ++y)
                for (int x = cell_x(b.west); x <= cell_x(b.east); ++x)
                    f(static_cast<std::size_t>(y) * grid_nx + x);
        };
        for (const auto& b : bounds)
            if (!b.empty())
                each_cell(b, [&](std::size_t cell) { ++counts[cell]; });
        cell_first.assign(counts.size(), 0);
        for (std::size_t i = 1; i < counts.size(); ++i)
            cell_first[i] = cell_first[i - 1] + counts[i - 1];
        cell_counties.resize(cell_first.back());
        auto fill = cell_first;
        for (std::uint32_t c = 0; c < bounds.size(); ++c)
            if (!bounds[c].empty())
                each_cell(bounds[c], [&](std::size_t cell) { cell_counties[fill[cell]++] = c; });
    }

    bool inside(std::uint32_t county, double lon, double lat) const {
        bool in = false;
        for (auto r = ring_first[county]; r < ring_first[county + 1]; ++r) {
            const auto& fr = rings[r];
            if (!fr.bounds.contains(lon, lat))
                continue; // outside this ring: an even number of crossings
            const double* x = xs.data() + fr.first;
            const double* y = ys.data() + fr.first;
            for (std::uint32_t i = 0, j = fr.count - 1; i < fr.count; j = i++) {
                if ((y[i] > lat) != (y[j] > lat) &&
                    lon < (x[j] - x[i]) * (lat - y[i]) / (y[j] - y[i]) + x[i])
                    in = !in;
            }
        }
        return in;
    }
};

CountyIndex::CountyIndex(const fs::path& gazetteer_dir) : m(std::make_unique<impl>()) {
    const auto file = gazetteer_dir / "counties.geojson";
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw error("cannot read the county polygons " + file.string() +
                    " (rebuild them with tools/build-gazetteer)");
    std::ostringstream text;
    text << in.rdbuf();
    json doc;
    try {
        doc = json::parse(text.str());
    } catch (const json::exception& e) {
        throw error("the county polygons " + file.string() + " are not JSON: " + e.what());
    }
    if (!doc.is_object() || !doc.contains("features") || !doc["features"].is_array())
        throw error("the county polygons " + file.string() + " are not a FeatureCollection");
    try {
        for (const auto& f : doc["features"]) {
            county_shape c;
            const auto& props = f.at("properties");
            c.fips = props.at("fips").get<std::string>();
            c.name = props.value("name", std::string());
            c.state = props.value("state", std::string());
            read_geometry(f.contains("geometry") ? f["geometry"] : json(), c, file);
            double area = 0;
            for (const auto& r : c.rings)
                area += ring_area_m2(r); // holes are clockwise: they subtract
            c.area_km2 = std::abs(area) / 1e6;
            m->by_fips.emplace(c.fips, m->counties.size());
            m->counties.push_back(std::move(c));
        }
    } catch (const json::exception& e) {
        throw error("the county polygons " + file.string() + " are malformed: " + e.what());
    }
    m->flatten();
    m->build_grid();
}

CountyIndex::~CountyIndex() = default;

std::optional<std::size_t> CountyIndex::locate(double lon, double lat) const {
    if (!std::isfinite(lon) || !std::isfinite(lat) || lon < -180 || lon > 180 || lat < -90 ||
        lat > 90)
        return std::nullopt;
    if (lat < grid_south || lat > grid_south + grid_step * grid_ny)
        return std::nullopt;
    const auto cell = static_cast<std::size_t>(cell_y(lat)) * grid_nx + cell_x(lon);
    for (auto k = m->cell_first[cell]; k < m->cell_first[cell + 1]; ++k) {
        const auto c = m->cell_counties[k];
        if (m->bounds[c].contains(lon, lat) && m->inside(c, lon, lat))
            return c;
    }
    return std::nullopt;
}

const county_shape& CountyIndex::county(std::size_t i) const {
    return m->counties.at(i);
}

std::size_t CountyIndex::size() const {
    return m->counties.size();
}

std::optional<std::size_t> CountyIndex::find(const std::string& fips) const {
    const auto it = m->by_fips.find(fips);
    if (it == m->by_fips.end())
        return std::nullopt;
    return it->second;
}

} // namespace porchlight::geo
