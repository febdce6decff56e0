// OpenStreetMap XML (.osm): surveillance cameras mapped as nodes (or, rarely, ways) tagged
// man_made=surveillance. One row per element: osm_id ("node/123"), lat, lon, then a column
// per tag key seen (surveillance:type, camera:type, camera:direction, operator ...).
#include "detail/readers.hpp"

#include <porchlight/error.hpp>

#include <pugixml.hpp>

#include <cstdio>
#include <unordered_map>
#include <unordered_set>

namespace fs = std::filesystem;

namespace porchlight::ingest::detail {

namespace {

bool is_surveillance(const pugi::xml_node& element) {
    for (auto tag : element.children("tag"))
        if (std::string_view(tag.attribute("k").value()) == "man_made" &&
            std::string_view(tag.attribute("v").value()) == "surveillance")
            return true;
    return false;
}

class osm_table final : public TableReader {
  public:
    explicit osm_table(const fs::path& file) : TableReader(file, table_format::osm) {
        const auto result = m_doc.load_file(file.c_str(), pugi::parse_default);
        if (!result)
            throw parse_error("not valid OSM XML: " + std::string(result.description()) +
                                  " at byte " + std::to_string(result.offset),
                              file.string());
        const auto root = m_doc.document_element();
        if (std::string_view(root.name()) != "osm")
            throw parse_error("not OSM XML: the root element is <" + std::string(root.name()) + ">",
                              file.string());
        std::unordered_set<std::string> wanted_nodes;
        for (auto e : root.children()) {
            const std::string_view kind = e.name();
            if ((kind != "node" && kind != "way") || !is_surveillance(e) ||
                std::string_view(e.attribute("action").value()) == "delete")
                continue; // a JOSM file keeps deleted objects, marked action="delete"
            m_elements.push_back(e);
            if (kind == "way")
                for (auto nd : e.children("nd"))
                    wanted_nodes.insert(nd.attribute("ref").value());
        }
        if (!wanted_nodes.empty())
            for (auto n : root.children("node"))
                if (wanted_nodes.count(n.attribute("id").value()))
                    m_node_points[n.attribute("id").value()] = {n.attribute("lat").as_double(),
                                                                n.attribute("lon").as_double()};
        m_columns = {"osm_id", "lat", "lon"};
        std::unordered_map<std::string, std::size_t> seen;
        for (const auto& e : m_elements)
            for (auto tag : e.children("tag"))
                if (seen.emplace(tag.attribute("k").value(), m_columns.size()).second)
                    m_columns.push_back(tag.attribute("k").value());
        m_index = std::move(seen);
    }

    bool next(table_row& row) override {
        if (m_next >= m_elements.size())
            return false;
        const auto& e = m_elements[m_next++];
        row.number = static_cast<std::int64_t>(m_next);
        row.values.assign(m_columns.size(), std::string());
        row.wkt.reset();
        row.values[0] = std::string(e.name()) + "/" + e.attribute("id").value();
        if (std::string_view(e.name()) == "node") {
            row.values[1] = e.attribute("lat").value();
            row.values[2] = e.attribute("lon").value();
        } else if (auto c = way_centroid(e)) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.7f", c->first);
            row.values[1] = buf;
            std::snprintf(buf, sizeof buf, "%.7f", c->second);
            row.values[2] = buf;
        }
        for (auto tag : e.children("tag"))
            row.values[m_index.at(tag.attribute("k").value())] = tag.attribute("v").value();
        if (!row.values[1].empty() && !row.values[2].empty())
            row.wkt = "POINT (" + row.values[2] + " " + row.values[1] + ")";
        return true;
    }

  private:
    /// The mean of a way's node points (a closed way's repeated first node counted once).
    std::optional<std::pair<double, double>> way_centroid(const pugi::xml_node& way) const {
        // an Overpass export with "out center" gives the way's centre itself
        if (auto center = way.child("center"))
            return std::pair{center.attribute("lat").as_double(), center.attribute("lon").as_double()};
        std::vector<std::string> refs;
        for (auto nd : way.children("nd"))
            refs.emplace_back(nd.attribute("ref").value());
        if (refs.size() > 1 && refs.front() == refs.back())
            refs.pop_back();
        double lat = 0, lon = 0;
        std::size_t n = 0;
        for (const auto& r : refs)
            if (auto it = m_node_points.find(r); it != m_node_points.end()) {
                lat += it->second.first;
                lon += it->second.second;
                ++n;
            }
        if (n == 0 || n != refs.size())
            return std::nullopt; // a node of the way is not in the file
        return std::pair{lat / static_cast<double>(n), lon / static_cast<double>(n)};
    }

    pugi::xml_document m_doc;
    std::vector<pugi::xml_node> m_elements;
    std::unordered_map<std::string, std::pair<double, double>> m_node_points; ///< lat, lon
    std::unordered_map<std::string, std::size_t> m_index;
    std::size_t m_next = 0;
};

} // namespace

std::unique_ptr<TableReader> open_osm_table(const fs::path& file) {
    return std::make_unique<osm_table>(file);
}

} // namespace porchlight::ingest::detail
