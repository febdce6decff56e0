// The one-file HTML map: the scene as JSON inside <script type="application/json"> ('<', '>'
// and '&' escaped as \u003c, \u003e, \u0026, so no string in the data can end the element),
// drawn on a canvas by data/map/map.js with data/map/map.css, both inlined, and a
// Content-Security-Policy that allows no network request (default-src 'none'; the script
// and style by their SHA-256 hashes; images only from data: URLs).

#include "../report/detail/value_json.hpp"

#include <porchlight/error.hpp>
#include <porchlight/render/detail/map_scene.hpp>
#include <porchlight/util/sha256.hpp>
#include <porchlight/util/text.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <variant>

namespace porchlight::render::detail {

namespace {

using json = nlohmann::json;

std::string read_template(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw error("cannot read the HTML map template " + file.string() +
                    " (is porchlight's data directory complete?)");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

double r1(double v) {
    return std::round(v * 10) / 10;
}

// Rings as flat [x0, y0, x1, y1 ...] arrays, 0.1 page unit steps, repeated points dropped.
json path_of(const page_shape& shape) {
    json rings = json::array();
    for (const auto& ring : shape) {
        json flat = json::array();
        double px = NAN, py = NAN;
        for (const auto& p : ring) {
            const double x = r1(p.x), y = r1(p.y);
            if (x == px && y == py)
                continue;
            flat.push_back(x), flat.push_back(y);
            px = x, py = y;
        }
        if (flat.size() >= 6)
            rings.push_back(std::move(flat));
    }
    return rings;
}

json areas_json(const std::vector<area_shape>& areas) {
    json out = json::array();
    for (const auto& a : areas)
        out.push_back({{"key", a.key},
                       {"label", a.label},
                       {"path", path_of(a.shape)},
                       {"cls", a.cls},
                       {"value", a.value},
                       {"part", a.part}});
    return out;
}

std::string first_of(const layer& l, std::initializer_list<const char*> names) {
    for (const char* n : names)
        for (const auto& p : l.property_names)
            if (p == n)
                return p;
    return "";
}

json features_json(const scene& s, const layer& l) {
    json out = json::array();
    for (const auto& m : s.marks) {
        const auto& f = l.features.at(m.feature);
        json props = json::array();
        for (const auto& v : f.properties)
            props.push_back(report::reports_detail::value_json<json>(v));
        json j = {{"id", f.id},   {"x", r1(m.at.x)}, {"y", r1(m.at.y)},
                  {"cls", m.cls}, {"part", m.part},  {"p", std::move(props)}};
        if (!m.is_point)
            j["path"] = path_of(m.shape);
        if (m.approximate)
            j["approx"] = true;
        out.push_back(std::move(j));
    }
    return out;
}

json scene_json(const scene& s, const layer& l) {
    json legend = json::array();
    for (const auto& it : s.legend.items)
        legend.push_back({{"label", it.label}, {"color", hex(it.color)}, {"count", it.count}});
    json insets = json::array();
    for (const auto& b : s.insets)
        insets.push_back({b.x, b.y, b.w, b.h});
    return {{"title", s.title},
            {"date_line", s.date_line},
            {"notice", s.notice},
            {"credit", s.credit},
            {"footnote", s.footnote},
            {"layer", l.name},
            {"description", l.description},
            {"frame", {s.frame.x, s.frame.y, s.frame.w, s.frame.h}},
            {"insets", insets},
            {"legend", {{"title", s.legend.title}, {"items", legend}}},
            {"choropleth", s.choropleth ? (s.choropleth_counties ? "county" : "state") : ""},
            {"highlight", s.highlight},
            {"states", areas_json(s.states)},
            {"counties", areas_json(s.counties)},
            {"radius", s.point_radius},
            {"scale_bar",
             {{"x", s.bar.at.x},
              {"y", s.bar.at.y},
              {"length", s.bar.length},
              {"metres", s.bar.metres},
              {"label", s.bar.label}}},
            {"properties", l.property_names},
            {"label_property", first_of(l, {"name", "agency", "operator", "kind", "count"})},
            {"time_property", first_of(l, {"start_date", "first_start", "requested_at"})},
            {"features", features_json(s, l)}};
}

// JSON safe inside a <script> element: <, > and & only occur in strings, as \u escapes.
std::string embeddable(const json& j) {
    const auto text = j.dump(-1, ' ', false, json::error_handler_t::replace);
    std::string out;
    out.reserve(text.size() + 64);
    for (const char c : text) {
        if (c == '<')
            out += "\\u003c";
        else if (c == '>')
            out += "\\u003e";
        else if (c == '&')
            out += "\\u0026";
        else
            out += c;
    }
    return out;
}

std::string base64(const std::string& bytes) {
    static constexpr char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size())
            v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size())
            v |= static_cast<unsigned char>(bytes[i + 2]);
        out += abc[(v >> 18) & 63];
        out += abc[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? abc[(v >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? abc[v & 63] : '=';
    }
    return out;
}

// 'sha256-...' source expression of an inline script or style
std::string csp_hash(const std::string& content) {
    const auto hexd = util::sha256_hex(content);
    std::string raw;
    for (std::size_t i = 0; i + 1 < hexd.size(); i += 2)
        raw += static_cast<char>(std::stoi(hexd.substr(i, 2), nullptr, 16));
    return "'sha256-" + base64(raw) + "'";
}

// @NAME@ placeholders of the template replaced in one pass (inserted text is not scanned).
std::string fill(const std::string& tmpl, const std::map<std::string, std::string>& values,
                 const std::filesystem::path& file) {
    std::string out;
    std::size_t i = 0;
    for (;;) {
        const auto a = tmpl.find('@', i);
        if (a == std::string::npos) {
            out += tmpl.substr(i);
            break;
        }
        if (const auto b = tmpl.find('@', a + 1); b != std::string::npos)
            if (const auto it = values.find(tmpl.substr(a + 1, b - a - 1)); it != values.end()) {
                out += tmpl.substr(i, a - i) + it->second;
                i = b + 1;
                continue;
            }
        out += tmpl.substr(i, a + 1 - i);
        i = a + 1;
    }
    for (const auto& [name, v] : values)
        if (tmpl.find("@" + name + "@") == std::string::npos)
            throw error("the HTML map template " + file.string() + " has no @" + name + "@");
    return out;
}

} // namespace

void write_html(const scene& s, const layer& l, const std::filesystem::path& data_dir,
                const std::filesystem::path& out) {
    const auto dir = data_dir / "map";
    const auto tmpl = read_template(dir / "map.html.in");
    const auto css = read_template(dir / "map.css");
    const auto js = read_template(dir / "map.js");
    const std::string csp = "default-src 'none'; script-src " + csp_hash(js) + "; style-src " +
                            csp_hash(css) + "; img-src data:; base-uri 'none'; form-action 'none'";
    const auto html = fill(tmpl,
                           {{"TITLE", util::xml_escape(s.title)},
                            {"CSP", csp},
                            {"CSS", css},
                            {"JS", js},
                            {"DATA", embeddable(scene_json(s, l))}},
                           dir / "map.html.in");
    std::ofstream f(out, std::ios::binary | std::ios::trunc);
    f << html;
    f.close();
    if (!f)
        throw error("cannot write the map " + out.string());
}

} // namespace porchlight::render::detail
