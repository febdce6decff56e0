#pragma once

// Private to the ingest module: the table readers that live in their own files.

#include <porchlight/ingest/table_reader.hpp>

#include <filesystem>
#include <memory>
#include <string_view>

namespace porchlight::ingest::detail {

/// KML or KMZ placemarks (kml_table.cpp).
std::unique_ptr<TableReader> open_kml_table(const std::filesystem::path& file, table_format format);

/// A JSON array of objects, or an object holding one such array (json_table.cpp).
std::unique_ptr<TableReader> open_json_table(const std::filesystem::path& file);

/// Whether JSON text is GeoJSON (a FeatureCollection, a Feature or a geometry at the top).
bool is_geojson_text(std::string_view text);

/// OpenStreetMap XML: nodes and ways tagged man_made=surveillance (osm_table.cpp).
std::unique_ptr<TableReader> open_osm_table(const std::filesystem::path& file);

} // namespace porchlight::ingest::detail
