#pragma once

// `porchlight export LAYER OUT`: one layer (render/layers.hpp) written as GeoJSON (RFC 7946),
// GeoJSON lines, KML, KMZ, GeoPackage, FlatGeobuf or CSV. GeoJSON, GeoJSON lines, KML and
// CSV are written directly (streamed, byte-identical for the same store); GeoPackage and
// FlatGeobuf through GDAL. The file is written beside OUT as OUT.part and renamed at the
// end: an error leaves no half file.

#include <porchlight/render/layers.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::render {

enum class export_format { geojson, geojsonl, kml, kmz, gpkg, fgb, csv };

std::string_view to_string(export_format f);
/// Every format name (as --format takes them), in the order the manual lists them.
const std::vector<std::string>& export_format_names();
/// A --format value ("geojson", "GeoJSONSeq", "gpkg" ...); std::invalid_argument listing
/// the formats when unknown.
export_format export_format_from_name(std::string_view name);
/// The format an output file's extension names; std::invalid_argument when it names none.
export_format export_format_from_path(const std::filesystem::path& out);

struct export_result {
    layer info;                 ///< header, without_location and source_titles (no features)
    export_format format = export_format::geojson;
    std::int64_t features = 0;  ///< features written
};

/// Writes one layer to out. Throws std::invalid_argument for filters that do not apply,
/// porchlight::error when out cannot be written or when the layer is empty (the message
/// says which filter emptied it; no file is left), gdal_error for a GDAL failure.
export_result export_layer(store::Database& db, const std::filesystem::path& data_dir,
                           layer_kind kind, const layer_filter& filter, export_format format,
                           const std::filesystem::path& out);

/// Why a layer came out empty: "the store holds no cameras", or which filters alone keep
/// nothing ("--vendor acme keeps no partnerships"), with the facts left out for having no
/// location.
std::string explain_empty(store::Database& db, const std::filesystem::path& data_dir,
                          layer_kind kind, const layer_filter& filter,
                          std::int64_t without_location);

} // namespace porchlight::render
