#pragma once

// The layers that `export` writes and `map` draws: agencies, partnerships, requests,
// cameras and hexbins, read from the store with the same filters, with properties that
// carry their provenance (schemas/<layer>.schema.json). Personal data (request
// addresses and case numbers, names found in documents) is left out unless asked for.

#include <porchlight/geo/counties.hpp>
#include <porchlight/report/table.hpp>
#include <porchlight/store/database.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace porchlight::render {

enum class layer_kind { agencies, partnerships, requests, cameras, hexbins };

std::string_view to_string(layer_kind k);
/// Throws std::invalid_argument naming the layers when the name is unknown.
layer_kind layer_from_string(std::string_view name);

struct layer_filter {
    std::optional<std::string> vendor;     ///< name or alias, substring (as `partnerships`)
    std::optional<std::string> technology; ///< substring
    std::optional<std::string> state;      ///< USPS code or name
    std::optional<std::string> as_of;      ///< YYYY-MM-DD: partnerships that existed then
    std::optional<std::string> since;      ///< day, month or year
    std::optional<std::string> until;      ///< day, month or year, inclusive
    bool include_personal_data = false;
    double hexbin_cell_m = 5000;           ///< hexbins layer
    std::int64_t hexbin_min_count = 5;     ///< hexbins layer (the heat-map privacy rule)
};

/// Geometry of one feature: a point, or polygon rings (outer first, counter-clockwise;
/// holes clockwise), WGS84 lon/lat.
struct geometry {
    enum class kind { none, point, polygon } type = kind::none;
    geo::lonlat point;
    std::vector<geo::ring> rings;
};

struct feature {
    std::int64_t id = 0; ///< the fact's id (agency, partnership, request, camera; bin number)
    geometry geom;
    std::vector<report::value> properties; ///< aligned with layer::property_names
};

struct layer {
    layer_kind kind;
    std::string name;        ///< "partnerships"
    std::string description; ///< one sentence: what a feature is, the filters applied
    std::vector<std::string> property_names;
    std::vector<feature> features;
    std::int64_t without_location = 0; ///< facts left out for having no coordinates
    /// The sources the features stand on ("title (sha256 prefix)") for credits.
    std::vector<std::string> source_titles;
};

/// The type of a property's values (every property may also be null): integer counts and
/// ids, real measures (degrees, metres), text for the rest. For writers that declare
/// fields (GeoPackage, FlatGeobuf) and for the schemas.
enum class property_type { integer, real, text };
property_type type_of_property(std::string_view name);

/// Every layer name, in the order the manual lists them.
const std::vector<std::string>& layer_names();

/// The layer's name, description and property names (features empty), after checking that
/// the filters apply to it and read well: std::invalid_argument naming the filter otherwise
/// (--vendor on cameras, an unknown state, --as-of that is not a day ...).
layer layer_header(layer_kind kind, const layer_filter& filter);

/// Reads one layer feature by feature, in load_layer's order, handing each to sink (the
/// reference is valid during the call only) without keeping them: a million cameras in
/// constant memory. Returns the header with without_location and source_titles set and
/// features empty.
layer stream_layer(store::Database& db, const std::filesystem::path& data_dir, layer_kind kind,
                   const layer_filter& filter, const std::function<void(const feature&)>& sink);

/// Reads one layer. data_dir is porchlight's data directory (gazetteer for hexbins'
/// counties and state names). Deterministic order (by id).
layer load_layer(store::Database& db, const std::filesystem::path& data_dir, layer_kind kind,
                 const layer_filter& filter);

} // namespace porchlight::render
