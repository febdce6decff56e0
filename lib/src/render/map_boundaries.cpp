// State outlines for the maps, read from the shipped gazetteer's states.geojson (RFC 7946
// Polygon/MultiPolygon features) with nlohmann-json, areas from states.tsv; county
// outlines from geo::CountyIndex.

#include <porchlight/error.hpp>
#include <porchlight/render/detail/map_scene.hpp>
#include <porchlight/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>

namespace porchlight::render::detail {

namespace {

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in)
        throw error("cannot read the boundaries " + p.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// fips -> area_km2 from a gazetteer TSV (header names the columns)
std::map<std::string, double> read_areas(const std::filesystem::path& tsv) {
    std::istringstream in(read_file(tsv));
    std::string line;
    std::getline(in, line);
    const auto header = util::split(line, '\t');
    const auto col = [&](const std::string& name) {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end())
            throw parse_error("no column '" + name + "'", tsv.string());
        return static_cast<std::size_t>(it - header.begin());
    };
    const auto fips = col("fips"), area = col("area_km2");
    std::map<std::string, double> out;
    while (std::getline(in, line)) {
        const auto f = util::split(line, '\t');
        double v = 0;
        if (f.size() > std::max(fips, area) && !f[area].empty())
            std::from_chars(f[area].data(), f[area].data() + f[area].size(), v);
        out[f.size() > fips ? f[fips] : ""] = v;
    }
    return out;
}

geo::ring read_ring(const nlohmann::json& coords) {
    geo::ring r;
    r.reserve(coords.size());
    for (const auto& c : coords)
        r.push_back({c.at(0).get<double>(), c.at(1).get<double>()});
    if (r.size() > 1 && r.front().lon == r.back().lon && r.front().lat == r.back().lat)
        r.pop_back();
    return r;
}

void add_polygon(boundary& b, const nlohmann::json& polygon) {
    for (const auto& ring : polygon)
        b.rings.push_back(read_ring(ring));
}

// Bounding box; a shape with parts on both sides of the 180th meridian gets its eastern
// hemisphere parts counted as west of -180.
void set_bbox(boundary& b) {
    bool east_part = false, west_part = false;
    for (const auto& r : b.rings)
        for (const auto& p : r) {
            east_part = east_part || p.lon > 90;
            west_part = west_part || p.lon < -90;
        }
    const bool wraps = east_part && west_part;
    b.west = b.south = 1e9;
    b.east = b.north = -1e9;
    for (const auto& r : b.rings)
        for (const auto& p : r) {
            const double lon = wraps && p.lon > 0 ? p.lon - 360 : p.lon;
            b.west = std::min(b.west, lon), b.east = std::max(b.east, lon);
            b.south = std::min(b.south, p.lat), b.north = std::max(b.north, p.lat);
        }
}

std::vector<boundary> load(const std::filesystem::path& dir, const std::string& stem) {
    const auto file = dir / (stem + ".geojson");
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(read_file(file));
    } catch (const nlohmann::json::exception& e) {
        throw parse_error(std::string("not GeoJSON: ") + e.what(), file.string());
    }
    const auto areas = read_areas(dir / (stem + ".tsv"));
    std::vector<boundary> out;
    try {
        for (const auto& f : doc.at("features")) {
            const auto& props = f.at("properties");
            boundary b;
            const auto fips = props.at("fips").get<std::string>();
            b.state = props.at("state").get<std::string>();
            b.key = b.state;
            b.name = props.at("name").get<std::string>();
            if (const auto it = areas.find(fips); it != areas.end())
                b.area_km2 = it->second;
            const auto& g = f.at("geometry");
            if (g.is_null())
                continue; // a polygon the generalisation collapsed (Falls Church)
            if (g.at("type") == "Polygon")
                add_polygon(b, g.at("coordinates"));
            else
                for (const auto& poly : g.at("coordinates"))
                    add_polygon(b, poly);
            set_bbox(b);
            out.push_back(std::move(b));
        }
    } catch (const nlohmann::json::exception& e) {
        throw parse_error(std::string("unexpected GeoJSON: ") + e.what(), file.string());
    }
    return out;
}

} // namespace

std::vector<boundary> load_states(const std::filesystem::path& gazetteer_dir) {
    return load(gazetteer_dir, "states");
}

std::vector<boundary> load_counties(const geo::CountyIndex& index) {
    std::vector<boundary> out;
    out.reserve(index.size());
    for (std::size_t i = 0; i < index.size(); ++i) {
        const auto& c = index.county(i);
        if (c.rings.empty())
            continue;
        boundary b{c.fips, c.state, c.name, c.area_km2, c.rings, 0, 0, 0, 0};
        set_bbox(b);
        out.push_back(std::move(b));
    }
    return out;
}

} // namespace porchlight::render::detail
