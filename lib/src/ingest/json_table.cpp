// JSON record sources: an array of objects (scraped Neighbors posts, API exports), or an
// object holding one such array. Nested objects are flattened into dotted column names
// ("area.radius"); a GeoJSON geometry object inside a row stays one value (its JSON text).
#include "detail/readers.hpp"

#include <porchlight/error.hpp>
#include <porchlight/util/text.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <unordered_map>

namespace fs = std::filesystem;
using nlohmann::json;

namespace porchlight::ingest::detail {

namespace {

bool is_geojson_type(const json& v) {
    if (!v.is_object())
        return false;
    auto t = v.find("type");
    if (t == v.end() || !t->is_string())
        return false;
    static const char* types[] = {"FeatureCollection", "Feature",      "Point",
                                  "MultiPoint",        "LineString",   "MultiLineString",
                                  "Polygon",           "MultiPolygon", "GeometryCollection"};
    for (const char* n : types)
        if (*t == n)
            return true;
    return false;
}

/// A geometry object inside a row: kept whole.
bool is_geometry(const json& v) {
    return is_geojson_type(v) && (v.contains("coordinates") || v.contains("geometries"));
}

std::string scalar_text(const json& v) {
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_null())
        return {};
    if (v.is_boolean())
        return v.get<bool>() ? "true" : "false";
    return v.dump(); // numbers as JSON spells them; arrays and geometries as JSON text
}

template <typename F> void flatten(const json& obj, const std::string& prefix, F&& emit) {
    for (const auto& [key, v] : obj.items()) {
        const auto name = prefix.empty() ? key : prefix + "." + key;
        if (v.is_object() && !is_geometry(v))
            flatten(v, name, emit);
        else
            emit(name, v);
    }
}

std::string read_all(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw error("cannot open " + file.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

json parse_json(const std::string& text, const fs::path& file) {
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        std::int64_t line = 1;
        for (std::size_t i = 0; i < e.byte && i < text.size(); ++i)
            line += text[i] == '\n';
        std::string what = e.what();
        if (auto p = what.find("parse error"); p != std::string::npos)
            what = what.substr(p);
        throw parse_error("not valid JSON (line " + std::to_string(line) + "): " + what,
                          file.string());
    }
}

class json_table final : public TableReader {
  public:
    explicit json_table(const fs::path& file) : TableReader(file, table_format::json) {
        const auto text = read_all(file);
        if (util::trim(text).empty())
            throw parse_error("file is empty", file.string());
        m_doc = parse_json(text, file);
        m_rows = &find_rows();
        std::unordered_map<std::string, std::size_t> seen;
        std::int64_t n = 0;
        for (const auto& item : *m_rows) {
            ++n;
            if (!item.is_object())
                throw parse_error("item " + std::to_string(n) +
                                      " of the array is not an object (porchlight reads an "
                                      "array of objects, one per row)",
                                  file.string(), n);
            flatten(item, "", [&](const std::string& key, const json&) {
                if (seen.emplace(key, m_columns.size()).second)
                    m_columns.push_back(key);
            });
        }
        m_index = std::move(seen);
    }

    bool next(table_row& row) override {
        if (m_next >= m_rows->size())
            return false;
        const auto& item = (*m_rows)[m_next++];
        row.number = static_cast<std::int64_t>(m_next);
        row.values.assign(m_columns.size(), std::string());
        row.wkt.reset();
        flatten(item, "", [&](const std::string& key, const json& v) {
            row.values[m_index.at(key)] = scalar_text(v);
        });
        return true;
    }

  private:
    const json& find_rows() {
        if (m_doc.is_array())
            return m_doc;
        if (!m_doc.is_object())
            throw parse_error("a JSON " + std::string(m_doc.type_name()) +
                                  "; porchlight reads an array of objects or an object holding one",
                              m_file.string());
        const json* found = nullptr;
        std::string names;
        for (const auto& [key, v] : m_doc.items())
            if (v.is_array()) {
                names += (names.empty() ? "'" : ", '") + key + "'";
                if (!found)
                    found = &v;
                else
                    found = &m_none;
            }
        if (!found)
            throw parse_error("a JSON object without an array of rows; porchlight reads an array "
                              "of objects or an object holding one",
                              m_file.string());
        if (found == &m_none)
            throw parse_error("a JSON object holding several arrays (" + names +
                                  "); porchlight reads an object holding one",
                              m_file.string());
        return *found;
    }

    json m_doc;
    json m_none;
    const json* m_rows = nullptr;
    std::unordered_map<std::string, std::size_t> m_index;
    std::size_t m_next = 0;
};

} // namespace

bool is_geojson_text(std::string_view text) {
    auto doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
    return !doc.is_discarded() && is_geojson_type(doc);
}

std::unique_ptr<TableReader> open_json_table(const fs::path& file) {
    return std::make_unique<json_table>(file);
}

} // namespace porchlight::ingest::detail
