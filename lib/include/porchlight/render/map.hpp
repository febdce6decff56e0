#pragma once

// `porchlight map`: one layer drawn as a static map (PNG at 2x, SVG, PDF: one cairo drawing
// path) or as a one-file HTML map (canvas, no network). Both are drawn from the same scene:
// the layer's features projected (Albers equal-area; the national map with Alaska and
// Hawaii insets), styled (--color-by, choropleths) and laid out with legend, title, date,
// scale bar and source credit.

#include <porchlight/render/layers.hpp>
#include <porchlight/store/database.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace porchlight::render {

enum class map_format { png, svg, pdf, html };

/// The format of an output path's extension (.png, .svg, .pdf, .html/.htm, any case);
/// throws std::invalid_argument naming the formats otherwise.
map_format map_format_of(const std::filesystem::path& out);

struct map_options {
    std::string scope = "us";              ///< "us", a USPS state code, or a 5-digit county FIPS
    std::optional<std::string> title;      ///< default: from the layer and filters
    std::optional<std::string> color_by;   ///< a property of the layer
    std::optional<std::string> choropleth; ///< "state" or "county": features counted per area
    bool per_km2 = false;                  ///< choropleth: count per km² of the area
    std::string date_line;                 ///< "as of 2021-06-01", shown under the title
    bool fictional = false;                ///< say in the image that the data is fictional
    int png_scale = 2;                     ///< PNG pixels per page unit (2: for screens)
};

/// What was drawn, for the CLI to report.
struct map_result {
    std::size_t drawn = 0;   ///< features on the map (points, polygons or counted areas)
    std::size_t outside = 0; ///< features with a location outside the map's scope
    std::vector<std::string> notes;
};

/// Checks the options against the layer (a --color-by property that exists, a known
/// scope) and throws porchlight::error naming the choices otherwise. data_dir is
/// porchlight's data directory (gazetteer boundaries).
map_result write_map(const layer& l, const std::filesystem::path& data_dir,
                     const map_options& options, const std::filesystem::path& out,
                     map_format format);

/// True when some source of the store was read from <data_dir>/demo, porchlight's
/// fictional demo corpus: its maps then say so in the image.
bool store_holds_demo_data(store::Database& db, const std::filesystem::path& data_dir);

/// The date line of a map: "as of D" with an --as-of, else "sources as of D" from the
/// latest as-of date of the store's record sources ("" when none has one).
std::string map_date_line(store::Database& db, const std::optional<std::string>& as_of);

} // namespace porchlight::render
