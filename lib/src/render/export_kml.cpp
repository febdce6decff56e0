// KML and KMZ: one Placemark per feature with a style per vendor (partnerships) or kind
// (agencies, cameras), the properties as ExtendedData, and an HTML description holding the
// citations and evidence links. Every value is escaped twice over: as HTML inside the
// description, and as XML by pugixml, so a name like <img src=x onerror=alert(1)> stays
// text. Only http(s) links become anchors. KMZ is the same doc.kml in a zip (GDAL's zip
// writer).
#include "detail/export_writers.hpp"

#include <porchlight/error.hpp>
#include <porchlight/util/text.hpp>

#include <cpl_conv.h>
#include <cpl_error.h>

#include <pugixml.hpp>

#include <algorithm>
#include <map>
#include <sstream>

namespace porchlight::render::export_detail {

namespace {

/// Colour-blind-safe palette (ColorBrewer Dark2) as KML aabbggrr.
const char* const palette[] = {"ff779e1b", "ff025fd9", "ffb37075", "ff8a29e7",
                               "ff1ea666", "ff02abe6", "ff1d76a6", "ff666666"};

std::string value_text(const report::value& v) {
    if (const auto* s = std::get_if<std::string>(&v))
        return *s;
    if (std::holds_alternative<std::monostate>(v))
        return {};
    std::string out;
    append_json_value(out, v);
    return out;
}

/// Which property names a placemark and which one picks its style.
struct layer_keys {
    const char* name = nullptr;
    const char* style = nullptr;
};

layer_keys keys_of(layer_kind k) {
    switch (k) {
    case layer_kind::agencies:
        return {"name", "kind"};
    case layer_kind::partnerships:
        return {"agency", "vendor"};
    case layer_kind::requests:
        return {"agency", "area"};
    case layer_kind::cameras:
        return {"kind", "kind"};
    case layer_kind::hexbins:
        return {"count", nullptr};
    }
    return {};
}

std::string coordinates(const std::vector<geo::lonlat>& ring, bool close) {
    std::string out;
    for (std::size_t i = 0; i <= ring.size(); ++i) {
        if (i == ring.size() && !close)
            break;
        const auto& p = ring[i % ring.size()];
        if (i)
            out += ' ';
        append_coordinate(out, p.lon);
        out += ',';
        append_coordinate(out, p.lat);
    }
    return out;
}

class kml_writer final : public feature_writer {
public:
    kml_writer(const std::filesystem::path& file, bool kmz) : m_path(file), m_kmz(kmz) {}

    void begin(const layer& header) override {
        m_header = header;
        m_keys = keys_of(header.kind);
        auto decl = m_doc.append_child(pugi::node_declaration);
        decl.append_attribute("version") = "1.0";
        decl.append_attribute("encoding") = "UTF-8";
        auto kml = m_doc.append_child("kml");
        kml.append_attribute("xmlns") = "http://www.opengis.net/kml/2.2";
        m_document = kml.append_child("Document");
        m_document.append_child("name").text() = header.name.c_str();
        m_document.append_child("description").text() = header.description.c_str();
    }

    void write(const feature& f) override {
        auto pm = m_document.append_child("Placemark");
        pm.append_attribute("id") = (m_header.name + "-" + std::to_string(f.id)).c_str();
        pm.append_child("name").text() = placemark_name(f).c_str();
        pm.append_child("description").text() = description(f).c_str();
        append_time(pm, f);
        pm.append_child("styleUrl").text() = ("#" + style_id(f)).c_str();
        auto data = pm.append_child("ExtendedData");
        for (std::size_t i = 0; i < f.properties.size(); ++i) {
            if (std::holds_alternative<std::monostate>(f.properties[i]))
                continue;
            auto d = data.append_child("Data");
            d.append_attribute("name") = m_header.property_names[i].c_str();
            d.append_child("value").text() = value_text(f.properties[i]).c_str();
        }
        append_geometry(pm, f.geom);
    }

    void finish(const layer&) override {
        // the styles go before the first placemark, in the order they were first used
        auto first = m_document.child("Placemark");
        for (const auto& [key, id] : m_style_order)
            insert_style(first, id.first, id.second);
        std::ostringstream text;
        m_doc.save(text, "  ", pugi::format_default, pugi::encoding_utf8);
        const auto bytes = text.str();
        if (m_kmz)
            write_kmz(bytes);
        else {
            buffered_file out(m_path);
            out.buffer() = bytes;
            out.close();
        }
    }

private:
    const report::value* property(const feature& f, const char* name) const {
        if (!name)
            return nullptr;
        const auto& names = m_header.property_names;
        const auto it = std::find(names.begin(), names.end(), name);
        return it == names.end() ? nullptr : &f.properties[it - names.begin()];
    }

    /// A partnership's start and end, a request's day: KML time for a viewer's time slider.
    void append_time(pugi::xml_node pm, const feature& f) const {
        const auto* start = property(f, "start_date");
        const auto* end = property(f, "end_date");
        const auto* when = property(f, "requested_at");
        if (start && !value_text(*start).empty()) {
            auto span = pm.append_child("TimeSpan");
            span.append_child("begin").text() = value_text(*start).c_str();
            if (end && !value_text(*end).empty())
                span.append_child("end").text() = value_text(*end).c_str();
        } else if (when && !value_text(*when).empty()) {
            pm.append_child("TimeStamp").append_child("when").text() = value_text(*when).c_str();
        }
    }

    std::string placemark_name(const feature& f) const {
        const auto* v = property(f, m_keys.name);
        if (m_header.kind == layer_kind::hexbins && v)
            return value_text(*v) + " cameras";
        if (v && !value_text(*v).empty())
            return value_text(*v);
        return m_header.name + " " + std::to_string(f.id);
    }

    std::string style_id(const feature& f) {
        const auto* v = property(f, m_keys.style);
        const auto key = v ? value_text(*v) : std::string();
        auto it = m_styles.find(key);
        if (it == m_styles.end()) {
            const auto n = m_styles.size();
            it = m_styles.emplace(key, "style-" + std::to_string(n + 1)).first;
            m_style_order.push_back({key, {it->second, palette[n % std::size(palette)]}});
        }
        return it->second;
    }

    void insert_style(pugi::xml_node before, const std::string& id, const char* colour) {
        auto style = before ? m_document.insert_child_before("Style", before)
                            : m_document.append_child("Style");
        style.append_attribute("id") = id.c_str();
        const bool areas =
            m_header.kind == layer_kind::hexbins || m_header.kind == layer_kind::requests;
        auto icon = style.append_child("IconStyle");
        icon.append_child("color").text() = colour;
        icon.append_child("scale").text() = "0.8";
        auto line = style.append_child("LineStyle");
        line.append_child("color").text() = colour;
        line.append_child("width").text() = "1.5";
        if (areas) {
            auto poly = style.append_child("PolyStyle");
            // the same colour at 40 % opacity
            poly.append_child("color").text() = ("66" + std::string(colour + 2)).c_str();
        }
    }

    std::string description(const feature& f) const {
        std::string html = "<p><b>" + util::xml_escape(placemark_name(f)) + "</b></p><table>";
        std::string sources, links;
        for (std::size_t i = 0; i < f.properties.size(); ++i) {
            const auto& name = m_header.property_names[i];
            const auto text = value_text(f.properties[i]);
            if (name == "sources" || name == "source")
                sources = text;
            else if (name == "links")
                links = text;
            else if (!text.empty())
                html += "<tr><th>" + util::xml_escape(name) + "</th><td>" + util::xml_escape(text) +
                        "</td></tr>";
        }
        html += "</table>";
        if (!sources.empty())
            html += "<p>Sources: " + util::xml_escape(sources) + "</p>";
        if (!links.empty()) {
            html += "<p>Evidence links:</p><ul>";
            for (const auto& url : util::split(links, ' ')) {
                if (url.empty())
                    continue;
                const bool web = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
                html += web ? "<li><a href=\"" + util::xml_escape(url) + "\">" +
                                  util::xml_escape(url) + "</a></li>"
                            : "<li>" + util::xml_escape(url) + "</li>";
            }
            html += "</ul>";
        }
        return html;
    }

    static void append_geometry(pugi::xml_node pm, const geometry& g) {
        if (g.type == geometry::kind::point) {
            pm.append_child("Point").append_child("coordinates").text() =
                coordinates({g.point}, false).c_str();
            return;
        }
        auto poly = pm.append_child("Polygon");
        for (std::size_t r = 0; r < g.rings.size(); ++r)
            poly.append_child(r ? "innerBoundaryIs" : "outerBoundaryIs")
                .append_child("LinearRing")
                .append_child("coordinates")
                .text() = coordinates(g.rings[r], true).c_str();
    }

    void write_kmz(const std::string& bytes) const {
        CPLErrorReset();
        void* zip = CPLCreateZip(m_path.c_str(), nullptr);
        if (!zip)
            throw gdal_error("cannot write " + m_path.string() + ": " + CPLGetLastErrorMsg());
        const bool ok = CPLCreateFileInZip(zip, "doc.kml", nullptr) == CE_None &&
                        CPLWriteFileInZip(zip, bytes.data(), static_cast<int>(bytes.size())) ==
                            CE_None &&
                        CPLCloseFileInZip(zip) == CE_None;
        const bool closed = CPLCloseZip(zip) == CE_None;
        if (!ok || !closed)
            throw gdal_error("cannot write " + m_path.string() + ": " + CPLGetLastErrorMsg());
    }

    std::filesystem::path m_path;
    bool m_kmz;
    layer m_header;
    layer_keys m_keys;
    pugi::xml_document m_doc;
    pugi::xml_node m_document;
    std::map<std::string, std::string> m_styles; ///< style key -> id
    std::vector<std::pair<std::string, std::pair<std::string, const char*>>> m_style_order;
};

} // namespace

std::unique_ptr<feature_writer> make_kml_writer(const std::filesystem::path& file, bool kmz) {
    return std::make_unique<kml_writer>(file, kmz);
}

} // namespace porchlight::render::export_detail
