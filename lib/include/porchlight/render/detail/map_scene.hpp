#pragma once

// The scene both map writers draw: everything already projected onto the page (x right,
// y down, CSS pixels at 1x) and styled. Built once (map_scene.cpp); drawn by cairo for
// PNG/SVG/PDF (map_cairo.cpp) and serialised for the HTML map (map_html.cpp).

#include <porchlight/render/map.hpp>
#include <porchlight/render/projection.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace porchlight::render::detail {

/// A state or county of the shipped gazetteer (data/gazetteer/*.geojson and *.tsv).
struct boundary {
    std::string key;   ///< USPS code (states) or 5-digit FIPS (counties)
    std::string state; ///< USPS code
    std::string name;
    double area_km2 = 0;
    std::vector<geo::ring> rings;
    /// Bounding box; west is below -180 for shapes across the 180th meridian (Alaska).
    double west = 0, south = 0, east = 0, north = 0;
};

/// The states (56) of <gazetteer>/states.geojson, areas from states.tsv.
std::vector<boundary> load_states(const std::filesystem::path& gazetteer_dir);
/// The counties of the county index (with their polygons and areas).
std::vector<boundary> load_counties(const geo::CountyIndex& index);

struct rgb {
    std::uint8_t r = 0, g = 0, b = 0;
};
std::string hex(rgb c); ///< "#rrggbb"

/// Rings on the page; a ring is closed implicitly.
using page_shape = std::vector<std::vector<xy>>;

/// A state or county outline, or a counted area of a choropleth (cls >= 0: its class).
struct area_shape {
    std::string key;   ///< USPS code or county FIPS
    std::string label; ///< "Ohio", "Lorne County, OH"
    page_shape shape;
    int cls = -1;
    double value = 0; ///< count, or count per 1,000 km²
    double area_km2 = 0;
    int part = 0; ///< 0 the main map, 1 + the index of its inset in scene::insets
};

/// One feature of the layer on the page.
struct mark {
    std::size_t feature = 0; ///< index in layer::features
    bool is_point = true;
    /// Placed only at the centre of its county or state (geocode_precision): drawn hollow.
    bool approximate = false;
    xy at;            ///< points
    page_shape shape; ///< polygons
    int cls = 0;      ///< legend entry
    int part = 0;     ///< as area_shape::part
};

struct legend_item {
    std::string label;
    rgb color;
    std::size_t count = 0;
};

struct legend_box {
    std::string title;
    std::vector<legend_item> items;
};

struct scale_bar {
    xy at;             ///< left end
    double length = 0; ///< page units
    double metres = 0; ///< what the length measures
    std::string label; ///< "500 km"
};

struct scene {
    double width = 960, height = 640;
    box frame; ///< where the map is drawn (clipped)
    std::string title, date_line, notice, credit, footnote;
    std::vector<area_shape> states;   ///< outlines (and fills of a state choropleth)
    std::vector<area_shape> counties; ///< outlines (and fills of a county choropleth)
    std::string highlight;            ///< the scope's state or county key, drawn stronger
    bool choropleth = false;
    bool choropleth_counties = false;
    std::vector<mark> marks;
    double point_radius = 3;
    legend_box legend;
    scale_bar bar;
    std::vector<box> insets;
    std::string color_by; ///< property that picks the legend entry ("" for one colour)
    map_result result;
};

/// The legend entry of every feature (map_style.cpp).
struct classing {
    legend_box legend;
    std::vector<int> cls; ///< per feature (or per value)
};

/// Features classed by a property: a categorical palette for text values, a sequential
/// ramp of classes for numbers, one entry without a property. Throws porchlight::error
/// naming the layer's properties when color_by is not one of them.
classing class_features(const layer& l, const std::optional<std::string>& color_by);
/// Counts or densities classed on a sequential ramp (0 apart, light grey).
classing class_values(const std::vector<double>& values, const std::string& title, bool integers);
/// "1,234" / "0.0123": locale-independent, at most `significant` digits after the point
/// for small numbers.
std::string format_number(double v, bool integer);

scene build_scene(const layer& l, const std::filesystem::path& data_dir,
                  const map_options& options);

/// The cairo drawing path. text_as_text: leave the text out of the cairo drawing and
/// return it as labels (the SVG writer writes them as <text> elements).
struct text_label {
    xy at;
    std::string text;
    double size = 12;
    bool bold = false;
    std::string anchor = "start"; ///< start, middle, end
    rgb color;
};

/// scale: pixels per page unit (the page is 960 x 640 units).
void write_png(const scene& s, const std::filesystem::path& out, int scale);
void write_svg(const scene& s, const std::filesystem::path& out);
void write_pdf(const scene& s, const std::filesystem::path& out);
void write_html(const scene& s, const layer& l, const std::filesystem::path& data_dir,
                const std::filesystem::path& out);

} // namespace porchlight::render::detail
