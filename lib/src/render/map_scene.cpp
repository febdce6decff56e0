// The scene of a map: scope and projection, outlines, the layer's features as marks,
// legend, scale bar and the texts around the map. Both writers draw from it.

#include <porchlight/error.hpp>
#include <porchlight/render/detail/map_choropleth.hpp>
#include <porchlight/render/detail/map_scene.hpp>
#include <porchlight/util/text.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <variant>

namespace porchlight::render::detail {

namespace {

constexpr box page_frame{16, 92, 928, 468};

struct scope_info {
    page_projection proj = page_projection::national(page_frame);
    std::string label;     ///< "the United States", "Ohio", "Lorne County, OH"
    std::string highlight; ///< key drawn stronger
    std::string state;     ///< USPS code of a state or county scope
    double west = -180, south = -90, east = 180, north = 90;
};

const boundary* find_key(const std::vector<boundary>& v, const std::string& key) {
    for (const auto& b : v)
        if (b.key == key)
            return &b;
    return nullptr;
}

scope_info regional_scope(const boundary& b, std::string label) {
    scope_info s;
    const double mx = (b.east - b.west) * 0.03, my = (b.north - b.south) * 0.03;
    s.west = b.west - mx, s.east = b.east + mx, s.south = b.south - my, s.north = b.north + my;
    s.proj = page_projection::regional(s.west, s.south, s.east, s.north, page_frame);
    s.label = std::move(label);
    s.highlight = b.key;
    s.state = b.state;
    return s;
}

scope_info resolve_scope(const std::string& scope, const std::vector<boundary>& states,
                         const std::vector<boundary>& counties) {
    if (scope == "us" || scope == "US") {
        scope_info s;
        s.label = "the United States";
        return s;
    }
    const bool fips = scope.size() == 5 && std::all_of(scope.begin(), scope.end(),
                                                       [](char c) { return c >= '0' && c <= '9'; });
    if (fips) {
        if (const auto* c = find_key(counties, scope))
            return regional_scope(*c, c->name + ", " + c->state);
        throw error("no county with FIPS code " + scope + " in the gazetteer");
    }
    if (const auto code = util::state_code(scope))
        if (const auto* st = find_key(states, *code))
            return regional_scope(*st, st->name);
    throw error("unknown map scope '" + scope +
                "' (use us, a state code such as OH, or a 5-digit county FIPS code)");
}

bool overlaps(const boundary& b, const scope_info& s) {
    return b.east >= s.west && b.west <= s.east && b.north >= s.south && b.south <= s.north;
}

page_shape project_rings(const page_projection& p, map_part part,
                         const std::vector<geo::ring>& rings) {
    page_shape out;
    out.reserve(rings.size());
    for (const auto& r : rings) {
        std::vector<xy> v;
        v.reserve(r.size());
        for (const auto& q : r)
            v.push_back(p.project_in(part, q.lon, q.lat));
        out.push_back(std::move(v));
    }
    return out;
}

std::vector<area_shape> outlines(const std::vector<boundary>& all, const scope_info& s,
                                 bool only_scope_state) {
    std::vector<area_shape> out;
    for (const auto& b : all) {
        const auto part = s.proj.part_of_state(b.state);
        if (!part || (!s.proj.is_national() && !overlaps(b, s)) ||
            (only_scope_state && b.state != s.state))
            continue;
        const bool county = b.key.size() == 5;
        out.push_back({b.key, county ? b.name + ", " + b.state : b.name,
                       project_rings(s.proj, *part, b.rings), -1, 0, b.area_km2,
                       static_cast<int>(*part)});
    }
    return out;
}

bool inside(const box& f, const xy& p) {
    return p.x >= f.x && p.x <= f.x + f.w && p.y >= f.y && p.y <= f.y + f.h;
}

// Whether the feature's geocode_precision says it sits at a county's or state's centre.
bool approximate(const layer& l, const feature& f) {
    const auto it = std::find(l.property_names.begin(), l.property_names.end(),
                              "geocode_precision");
    if (it == l.property_names.end())
        return false;
    const auto* v = std::get_if<std::string>(&f.properties.at(
        static_cast<std::size_t>(it - l.property_names.begin())));
    return v && (*v == "state" || *v == "county");
}

void add_marks(scene& s, const layer& l, const scope_info& sc, const classing& c) {
    for (std::size_t i = 0; i < l.features.size(); ++i) {
        const auto& g = l.features[i].geom;
        mark m;
        m.feature = i;
        m.cls = c.cls.at(i);
        m.approximate = approximate(l, l.features[i]);
        if (g.type == geometry::kind::point) {
            const auto part = sc.proj.part_of(g.point.lon, g.point.lat);
            if (part) {
                m.at = sc.proj.project_in(*part, g.point.lon, g.point.lat);
                m.part = static_cast<int>(*part);
            }
            if (!part || (!sc.proj.is_national() && !inside(s.frame, m.at))) {
                ++s.result.outside;
                continue;
            }
        } else if (g.type == geometry::kind::polygon && !g.rings.empty() &&
                   !g.rings.front().empty()) {
            const auto& p0 = g.rings.front().front();
            const auto part = sc.proj.part_of(p0.lon, p0.lat);
            if (!part) {
                ++s.result.outside;
                continue;
            }
            m.is_point = false;
            m.part = static_cast<int>(*part);
            m.shape = project_rings(sc.proj, *part, g.rings);
            m.at = m.shape.front().front();
            // a regional map shows an area only when some of its outline is in the frame
            const auto& outer = m.shape.front();
            if (!sc.proj.is_national() &&
                std::none_of(outer.begin(), outer.end(),
                             [&](const xy& p) { return inside(s.frame, p); })) {
                ++s.result.outside;
                continue;
            }
        } else {
            continue;
        }
        s.marks.push_back(std::move(m));
    }
    s.result.drawn = s.marks.size();
    for (auto& it : s.legend.items) // the legend counts what the map shows
        it.count = 0;
    for (const auto& m : s.marks)
        ++s.legend.items.at(static_cast<std::size_t>(m.cls)).count;
    // entries with nothing on the map go; the marks' classes follow
    std::vector<int> renumber(s.legend.items.size(), -1);
    std::vector<legend_item> kept;
    for (std::size_t i = 0; i < s.legend.items.size(); ++i)
        if (s.legend.items[i].count > 0) {
            renumber[i] = static_cast<int>(kept.size());
            kept.push_back(s.legend.items[i]);
        }
    s.legend.items = std::move(kept);
    for (auto& m : s.marks)
        m.cls = renumber[static_cast<std::size_t>(m.cls)];
    const auto n = s.marks.size();
    s.point_radius = n <= 500 ? 3.5 : n <= 5000 ? 2.5 : 1.6;
}

scale_bar make_scale_bar(const page_projection& p, const box& f) {
    const double target_m = 110 / p.units_per_metre();
    double nice = std::pow(10, std::floor(std::log10(target_m)));
    for (const double k : {5.0, 2.0, 1.0})
        if (nice * k <= target_m) {
            nice *= k;
            break;
        }
    scale_bar b;
    b.length = nice * p.units_per_metre();
    b.metres = nice;
    b.label =
        nice >= 1000 ? format_number(nice / 1000, true) + " km" : format_number(nice, true) + " m";
    b.at = p.is_national() ? xy{f.x + f.w * 0.47, f.y + f.h - 14} : xy{f.x + 8, f.y + f.h - 14};
    return b;
}

std::string capitalised(std::string s) {
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z')
        s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

std::string credit_line(const layer& l) {
    std::string out = "Sources: ";
    std::size_t shown = 0;
    for (const auto& t : l.source_titles) {
        if (shown > 0 && out.size() + t.size() > 220)
            break;
        out += (shown++ ? "; " : "") + t;
    }
    if (l.source_titles.empty())
        out += "(none)";
    if (shown < l.source_titles.size())
        out += "; and " + std::to_string(l.source_titles.size() - shown) + " more";
    return out + ". Boundaries: US Census Bureau 2017 via us-atlas. Map: porchlight.";
}

void set_texts(scene& s, const layer& l, const map_options& o, const scope_info& sc) {
    s.title = o.title ? *o.title : capitalised(l.name) + " in " + sc.label;
    s.date_line = o.date_line;
    if (o.fictional)
        s.notice = "FICTIONAL SAMPLE DATA: porchlight's demo corpus. These agencies and "
                   "partnerships are invented.";
    s.credit = credit_line(l);
    std::string foot = sc.proj.is_national()
                           ? "Albers equal-area conic; Alaska and Hawaii in insets at their own "
                             "scales, the scale bar measures the contiguous states."
                           : "Albers equal-area conic fitted to " + sc.label + ".";
    const auto add_count = [&foot](std::size_t n, const char* what) {
        if (n == 0)
            return;
        foot.append(" ").append(format_number(static_cast<double>(n), true)).append(what);
    };
    if (std::any_of(s.marks.begin(), s.marks.end(), [](const mark& m) { return m.approximate; }))
        foot += " Rings: located only to a county or state, drawn at its centre.";
    add_count(s.result.outside, " outside the map are not shown.");
    add_count(static_cast<std::size_t>(l.without_location), " without a location are not shown.");
    s.footnote = foot;
}

} // namespace

scene build_scene(const layer& l, const std::filesystem::path& data_dir, const map_options& o) {
    const auto gz = data_dir / "gazetteer";
    scene s;
    s.frame = page_frame;
    const auto states = load_states(gz);
    const bool county_scope = o.scope.size() == 5;
    const bool want_counties = o.scope != "us" || (o.choropleth && *o.choropleth == "county");
    std::unique_ptr<geo::CountyIndex> index;
    if (want_counties || o.choropleth)
        index = std::make_unique<geo::CountyIndex>(gz);
    const auto counties = want_counties ? load_counties(*index) : std::vector<boundary>{};
    const auto sc = resolve_scope(o.scope, states, counties);
    s.highlight = sc.highlight;
    s.states = outlines(states, sc, false);
    if (want_counties)
        s.counties = outlines(counties, sc, !county_scope && o.scope != "us");
    s.insets = sc.proj.inset_frames();
    s.bar = make_scale_bar(sc.proj, s.frame);
    if (o.choropleth) {
        apply_choropleth(s, l, o, *index);
    } else {
        auto opts_color = o.color_by;
        const bool has_count = std::find(l.property_names.begin(), l.property_names.end(),
                                         "count") != l.property_names.end();
        if (!opts_color && l.kind == layer_kind::hexbins && has_count)
            opts_color = "count";
        const auto c = class_features(l, opts_color);
        s.legend = c.legend;
        s.color_by = opts_color.value_or("");
        add_marks(s, l, sc, c);
    }
    set_texts(s, l, o, sc);
    return s;
}

} // namespace porchlight::render::detail
