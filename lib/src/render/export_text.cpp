// The formats written directly, streamed through one buffer: GeoJSON (RFC 7946: WGS84
// lon/lat, 7 decimals at most, no crs member, rings counter-clockwise outside and clockwise
// inside, closed), GeoJSON lines (one Feature a line) and CSV (lon/lat columns for point
// layers, a WKT column for layers of areas). Numbers are the shortest text that reads back
// (std::to_chars: no locale), so the same store gives the same bytes.
#include "detail/export_writers.hpp"

#include <porchlight/error.hpp>
#include <porchlight/util/text.hpp>

#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstring>

namespace porchlight::render::export_detail {

double round7(double v) {
    const double r = std::round(v * 1e7) / 1e7;
    return r == 0 ? 0.0 : r;
}

void append_number(std::string& out, double v) {
    if (!std::isfinite(v)) {
        out += "null";
        return;
    }
    char buf[32];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, res.ptr);
}

void append_coordinate(std::string& out, double v) {
    append_number(out, round7(v));
}

void append_json_value(std::string& out, const report::value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        char buf[24];
        const auto res = std::to_chars(buf, buf + sizeof buf, *i);
        out.append(buf, res.ptr);
    } else if (const auto* d = std::get_if<double>(&v)) {
        append_number(out, *d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
        util::append_json_string(out, *s);
    } else {
        out += "null";
    }
}

buffered_file::buffered_file(const std::filesystem::path& file) : m_path(file) {
    m_file = std::fopen(file.c_str(), "wb");
    if (!m_file)
        throw error("cannot write " + file.string() + ": " + std::strerror(errno));
    m_buf.reserve(1u << 21);
}

buffered_file::~buffered_file() {
    if (m_file)
        std::fclose(m_file);
}

void buffered_file::flush() {
    if (!m_buf.empty() && std::fwrite(m_buf.data(), 1, m_buf.size(), m_file) != m_buf.size())
        throw error("cannot write " + m_path.string() + ": " + std::strerror(errno));
    m_buf.clear();
}

void buffered_file::close() {
    flush();
    auto* f = m_file;
    m_file = nullptr;
    if (std::fclose(f) != 0)
        throw error("cannot write " + m_path.string() + ": " + std::strerror(errno));
}

namespace {

void append_position(std::string& out, const geo::lonlat& p) {
    out += '[';
    append_coordinate(out, p.lon);
    out += ',';
    append_coordinate(out, p.lat);
    out += ']';
}

void append_geometry(std::string& out, const geometry& g) {
    if (g.type == geometry::kind::point) {
        out += "{\"type\":\"Point\",\"coordinates\":";
        append_position(out, g.point);
        out += '}';
        return;
    }
    if (g.type == geometry::kind::none) {
        out += "null";
        return;
    }
    out += "{\"type\":\"Polygon\",\"coordinates\":[";
    for (std::size_t r = 0; r < g.rings.size(); ++r) {
        out += r ? ",[" : "[";
        for (const auto& p : g.rings[r]) {
            append_position(out, p);
            out += ',';
        }
        append_position(out, g.rings[r].front()); // closed: the first position again
        out += ']';
    }
    out += "]}";
}

class geojson_writer final : public feature_writer {
public:
    geojson_writer(const std::filesystem::path& file, bool lines) : m_file(file), m_lines(lines) {}

    void begin(const layer& header) override {
        m_keys.clear();
        for (const auto& name : header.property_names) {
            std::string key;
            util::append_json_string(key, name);
            m_keys.push_back(key + ':');
        }
        if (m_lines)
            return;
        auto& out = m_file.buffer();
        out += "{\"type\":\"FeatureCollection\",\"name\":";
        util::append_json_string(out, header.name);
        out += ",\"description\":";
        util::append_json_string(out, header.description);
        out += ",\"features\":[";
    }

    void write(const feature& f) override {
        auto& out = m_file.buffer();
        if (!m_lines)
            out += m_first ? "\n" : ",\n";
        m_first = false;
        out += "{\"type\":\"Feature\",\"id\":";
        append_json_value(out, f.id);
        out += ",\"geometry\":";
        append_geometry(out, f.geom);
        out += ",\"properties\":{";
        for (std::size_t i = 0; i < m_keys.size(); ++i) {
            if (i)
                out += ',';
            out += m_keys[i];
            append_json_value(out, i < f.properties.size() ? f.properties[i] : report::value{});
        }
        out += "}}";
        if (m_lines)
            out += '\n';
        m_file.maybe_flush();
    }

    void finish(const layer&) override {
        if (!m_lines)
            m_file.buffer() += "\n]}\n";
        m_file.close();
    }

private:
    buffered_file m_file;
    bool m_lines;
    bool m_first = true;
    std::vector<std::string> m_keys;
};

void append_csv(std::string& out, std::string_view s) {
    const bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos ||
                       (!s.empty() && (s.front() == ' ' || s.back() == ' '));
    if (!quote) {
        out += s;
        return;
    }
    out += '"';
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

void append_wkt(std::string& out, const geometry& g) {
    auto pos = [&](const geo::lonlat& p) {
        append_coordinate(out, p.lon);
        out += ' ';
        append_coordinate(out, p.lat);
    };
    if (g.type == geometry::kind::point) {
        out += "POINT (";
        pos(g.point);
        out += ')';
        return;
    }
    out += "POLYGON (";
    for (std::size_t r = 0; r < g.rings.size(); ++r) {
        out += r ? ", (" : "(";
        for (const auto& p : g.rings[r]) {
            pos(p);
            out += ", ";
        }
        pos(g.rings[r].front());
        out += ')';
    }
    out += ')';
}

class csv_writer final : public feature_writer {
public:
    explicit csv_writer(const std::filesystem::path& file) : m_file(file) {}

    void begin(const layer& header) override {
        m_wkt = header.kind == layer_kind::requests || header.kind == layer_kind::hexbins;
        auto& out = m_file.buffer();
        out += m_wkt ? "id,wkt" : "id,lon,lat";
        for (const auto& name : header.property_names) {
            out += ',';
            append_csv(out, name);
        }
        out += '\n';
    }

    void write(const feature& f) override {
        auto& out = m_file.buffer();
        append_json_value(out, f.id);
        out += ',';
        if (m_wkt) {
            std::string wkt;
            append_wkt(wkt, f.geom);
            append_csv(out, wkt);
        } else {
            append_coordinate(out, f.geom.point.lon);
            out += ',';
            append_coordinate(out, f.geom.point.lat);
        }
        for (const auto& v : f.properties) {
            out += ',';
            if (const auto* s = std::get_if<std::string>(&v))
                append_csv(out, *s);
            else if (!std::holds_alternative<std::monostate>(v))
                append_json_value(out, v);
        }
        out += '\n';
        m_file.maybe_flush();
    }

    void finish(const layer&) override { m_file.close(); }

private:
    buffered_file m_file;
    bool m_wkt = false;
};

} // namespace

std::unique_ptr<feature_writer> make_geojson_writer(const std::filesystem::path& file, bool lines) {
    return std::make_unique<geojson_writer>(file, lines);
}

std::unique_ptr<feature_writer> make_csv_writer(const std::filesystem::path& file) {
    return std::make_unique<csv_writer>(file);
}

} // namespace porchlight::render::export_detail
