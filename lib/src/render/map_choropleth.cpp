// Choropleths: features counted per state or county of the map.

#include <porchlight/error.hpp>
#include <porchlight/render/detail/map_choropleth.hpp>

#include <algorithm>
#include <map>
#include <variant>

namespace porchlight::render::detail {

namespace {

std::optional<std::size_t> column(const layer& l, const std::string& name) {
    const auto it = std::find(l.property_names.begin(), l.property_names.end(), name);
    if (it == l.property_names.end())
        return std::nullopt;
    return static_cast<std::size_t>(it - l.property_names.begin());
}

std::string text_at(const feature& f, std::optional<std::size_t> col) {
    if (!col)
        return "";
    const auto* s = std::get_if<std::string>(&f.properties.at(*col));
    return s ? *s : "";
}

// The state or county a feature counts in: its property, else the polygon holding it.
std::string key_of(const feature& f, bool by_county, std::optional<std::size_t> col,
                   const geo::CountyIndex& counties) {
    if (auto k = text_at(f, col); !k.empty())
        return k;
    const auto& g = f.geom;
    geo::lonlat p = g.point;
    if (g.type == geometry::kind::polygon && !g.rings.empty() && !g.rings.front().empty())
        p = g.rings.front().front();
    else if (g.type != geometry::kind::point)
        return "";
    const auto i = counties.locate(p.lon, p.lat);
    if (!i)
        return "";
    return by_county ? counties.county(*i).fips : counties.county(*i).state;
}

} // namespace

void apply_choropleth(scene& s, const layer& l, const map_options& o,
                      const geo::CountyIndex& counties) {
    const auto& by = *o.choropleth;
    if (by != "state" && by != "county")
        throw error("--choropleth must be state or county, not '" + by + "'");
    const bool by_county = by == "county";
    auto& areas = by_county ? s.counties : s.states;
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < areas.size(); ++i)
        index[areas[i].key] = i;
    const auto col = column(l, by_county ? "county_fips" : "state");
    std::vector<double> counts(areas.size(), 0);
    std::size_t unplaced = 0;
    for (const auto& f : l.features) {
        const auto key = key_of(f, by_county, col, counties);
        if (key.empty()) {
            ++unplaced;
            continue;
        }
        const auto it = index.find(key);
        if (it == index.end()) {
            ++s.result.outside;
            continue;
        }
        ++counts[it->second];
        ++s.result.drawn;
    }
    if (o.per_km2)
        for (std::size_t i = 0; i < areas.size(); ++i)
            counts[i] = areas[i].area_km2 > 0 ? counts[i] * 1000 / areas[i].area_km2 : 0;
    const auto title = o.per_km2 ? l.name + " per 1,000 km\u00B2" : l.name + " per " + by;
    auto c = class_values(counts, title, !o.per_km2);
    for (std::size_t i = 0; i < areas.size(); ++i) {
        areas[i].cls = c.cls[i];
        areas[i].value = counts[i];
    }
    s.legend = std::move(c.legend);
    s.choropleth = true;
    s.choropleth_counties = by_county;
    if (unplaced > 0)
        s.result.notes.push_back(std::to_string(unplaced) + " " + l.name + " in no " + by +
                                 " are not counted");
}

} // namespace porchlight::render::detail
