// `porchlight heatmap`: kernel density of cameras or video requests on an equal-area grid,
// as a GeoTIFF or a PNG, with the min-count privacy rule; optional hexbins (GeoJSON).
#include "command.hpp"

#include <porchlight/error.hpp>
#include <porchlight/geo/coverage.hpp>
#include <porchlight/geo/heatmap.hpp>
#include <porchlight/geo/hexbin.hpp>
#include <porchlight/paths.hpp>
#include <porchlight/render/map.hpp>
#include <porchlight/util/text.hpp>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>

namespace porchlight::cli {
namespace {

/// "500m", "1km", "1.5 km", "750" (metres) -> metres; argument_error otherwise.
double parse_length(const std::string& text, const std::string& option) {
    std::string s;
    for (char c : text)
        if (c != ' ')
            s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    double factor = 1;
    if (s.size() > 2 && s.compare(s.size() - 2, 2, "km") == 0) {
        factor = 1000;
        s.resize(s.size() - 2);
    } else if (s.size() > 1 && s.back() == 'm') {
        s.pop_back();
    }
    double v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v))
        throw argument_error("--" + option + " " + text + ": give a length such as 500m or 1km");
    if (!(v > 0))
        throw argument_error("--" + option + " must be more than 0 (got " + text + ")");
    return v * factor;
}

std::string extension_of(const std::string& path) {
    auto ext = std::filesystem::path(path).extension().string();
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

std::string metres_text(double m) {
    char buf[48];
    std::snprintf(buf, sizeof buf, m >= 1000 ? "%g km" : "%g m", m >= 1000 ? m / 1000 : m);
    return buf;
}

class command_heatmap final : public Command {
public:
    std::string_view name() const override { return "heatmap"; }
    std::string_view synopsis() const override {
        return "kernel density of cameras or requests: GeoTIFF or PNG, with a min-count rule";
    }
    std::string usage() const override {
        return "porchlight heatmap OUT.tif|OUT.png [--layer cameras|requests] [--cell 500m] "
               "[--bandwidth 1km] [--state ST | --county FIPS | --bbox W,S,E,N] "
               "[--min-count K] [--hexbins OUT.geojson] [--title T]";
    }

    int run() override {
        auto s = open_store(false);
        const auto layer = m_layer == "cameras" ? geo::camera_points(s.db())
                                                : geo::request_points(s.db());
        if (layer.points.empty())
            throw error("the store holds no " + std::string(m_layer == "cameras" ? "cameras" :
                        "video requests with a point") + " to map (" + s.db().path().string() + ")");
        const auto extent = scope_extent(layer.points);
        const auto grid = geo::grid_for(extent, m_options);
        const auto d = geo::kernel_density(grid, layer.points, m_options);
        if (d.points == 0)
            throw error("no " + m_layer + " in the area asked for (" + scope_text() + ")");

        const auto titles = geo::source_titles(s.db(), layer.source_ids);
        const std::string what = m_layer == "cameras" ? "cameras" : "video requests";
        const std::string rule = "cell " + metres_text(grid.cell) + ", bandwidth " +
                                 metres_text(m_options.bandwidth_m) + ", cells with fewer than " +
                                 std::to_string(m_options.min_count) + " points blank";
        if (m_format == "tif") {
            geo::write_geotiff(d, m_out, "porchlight heat map of " + what + " (" + rule + ")");
        } else {
            geo::png_style style;
            style.title = m_title.value_or("Density of " + what + ", " + scope_text());
            style.legend = what + " per km² (kernel density)";
            style.outlines = geo::county_outlines(counties(), extent);
            // the demo corpus is fictional: its heat maps say so first (never cut short)
            style.credit = (render::store_holds_demo_data(s.db(), default_data_dir())
                                ? std::string("FICTIONAL SAMPLE DATA (porchlight's demo) · ")
                                : std::string()) +
                           "Source: " +
                           (titles.empty() ? std::string("none")
                                           : util::join(titles, "; ")) +
                           " · porchlight · " + rule;
            geo::write_png(d, m_out, style);
        }
        if (m_hexbins)
            write_hexbins(grid, layer.points);
        if (!quiet())
            std::cerr << "porchlight heatmap: " << d.points << " " << what << " on a " << grid.nx
                      << " x " << grid.ny << " grid (" << grid.crs << ", " << rule << "); "
                      << d.outside << " off the grid; "
                      << (layer.without_point ? std::to_string(layer.without_point) +
                                                    " without a point, left out; "
                                              : std::string())
                      << d.suppressed
                      << " cells blank under the minimum count; wrote " << m_out << '\n';
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override {
        opts.add_options()("layer", po::value<std::string>(&m_layer)->value_name("L"),
                           "cameras (default) or requests (a request's centre, or the "
                           "centroid of its area)")(
            "cell", po::value<std::string>()->value_name("LEN"), "cell size (default 500m)")(
            "bandwidth", po::value<std::string>()->value_name("LEN"),
            "kernel radius (default 1km)")("state", po::value<std::string>()->value_name("ST"),
                                           "the area of a state (USPS code or name)")(
            "county", po::value<std::string>()->value_name("FIPS"),
            "the area of a county (5-digit FIPS)")(
            "bbox", po::value<std::string>()->value_name("W,S,E,N"),
            "the area of a box, degrees")(
            "min-count", po::value<std::int64_t>()->value_name("K"),
            "leave cells supported by fewer than K points blank (default 5)")(
            "hexbins", po::value<std::string>()->value_name("OUT.geojson"),
            "also write hexagons of the cell size with their counts (same rule)")(
            "title", po::value<std::string>()->value_name("T"), "the PNG's title");
    }
    void add_hidden_options(po::options_description& opts) override {
        opts.add_options()("out", po::value<std::string>(&m_out), "output file");
    }
    void add_positional(po::positional_options_description& pos) override { pos.add("out", 1); }

    void check(const po::variables_map& vm) override {
        if (m_out.empty())
            throw argument_error("where to? (usage: " + usage() + ")");
        const auto ext = extension_of(m_out);
        if (ext == ".tif" || ext == ".tiff")
            m_format = "tif";
        else if (ext == ".png")
            m_format = "png";
        else
            throw argument_error("cannot tell the format of " + m_out +
                                 ": name it .tif (GeoTIFF) or .png");
        if (m_layer != "cameras" && m_layer != "requests")
            throw argument_error("unknown layer '" + m_layer + "' (use cameras or requests)");
        if (vm.count("cell"))
            m_options.cell_m = parse_length(vm["cell"].as<std::string>(), "cell");
        if (vm.count("bandwidth"))
            m_options.bandwidth_m = parse_length(vm["bandwidth"].as<std::string>(), "bandwidth");
        if (vm.count("min-count")) {
            m_options.min_count = vm["min-count"].as<std::int64_t>();
            if (m_options.min_count < 1)
                throw argument_error("--min-count must be at least 1");
        }
        const int scopes = static_cast<int>(vm.count("state") + vm.count("county") +
                                            vm.count("bbox"));
        if (scopes > 1)
            throw argument_error("give one of --state, --county and --bbox");
        if (vm.count("state")) {
            m_state = util::state_code(vm["state"].as<std::string>());
            if (!m_state)
                throw argument_error("unknown state '" + vm["state"].as<std::string>() +
                                     "' (use a USPS code like MD or a state name)");
        }
        if (vm.count("county")) {
            m_county = vm["county"].as<std::string>();
            if (m_county->size() != 5 ||
                !std::all_of(m_county->begin(), m_county->end(),
                             [](char c) { return c >= '0' && c <= '9'; }))
                throw argument_error("--county " + *m_county +
                                     ": give a 5-digit county FIPS code, e.g. 24510");
        }
        if (vm.count("bbox")) {
            try {
                m_bbox = geo::parse_bbox(vm["bbox"].as<std::string>());
            } catch (const std::invalid_argument& e) {
                throw argument_error(e.what());
            }
        }
        m_hexbins = option_text(vm, "hexbins");
        m_title = option_text(vm, "title");
    }

private:
    geo::bbox scope_extent(const std::vector<geo::lonlat>& points) const {
        if (m_bbox)
            return *m_bbox;
        if (!m_state && !m_county)
            return geo::points_extent(points);
        if (m_state)
            return geo::state_extent(counties(), *m_state);
        return geo::county_extent(counties(), *m_county);
    }

    /// The county polygons, read once when needed.
    const geo::CountyIndex& counties() const {
        if (!m_counties)
            m_counties = std::make_unique<geo::CountyIndex>(default_data_dir() / "gazetteer");
        return *m_counties;
    }

    std::string scope_text() const {
        if (m_state)
            return util::state_name(*m_state);
        if (m_county)
            return "county " + *m_county;
        if (m_bbox) {
            char buf[128];
            std::snprintf(buf, sizeof buf, "%g,%g,%g,%g", m_bbox->west, m_bbox->south,
                          m_bbox->east, m_bbox->north);
            return std::string("box ") + buf;
        }
        return "all points";
    }

    void write_hexbins(const geo::grid_spec& grid, const std::vector<geo::lonlat>& points) const {
        const auto bins = geo::hexbin_counts(geo::points_on_grid(grid, points), m_options.cell_m,
                                             m_options.min_count);
        std::ofstream out(*m_hexbins, std::ios::binary | std::ios::trunc);
        if (out)
            out << geo::hexbins_geojson(bins);
        if (out)
            out.close();
        if (!out)
            throw error("cannot write the hexbins to " + *m_hexbins + ": " + std::strerror(errno));
    }

    std::string m_out;
    std::string m_format;
    std::string m_layer = "cameras";
    geo::heatmap_options m_options;
    std::optional<std::string> m_state, m_county, m_hexbins, m_title;
    std::optional<geo::bbox> m_bbox;
    mutable std::unique_ptr<geo::CountyIndex> m_counties;
};

} // namespace

std::unique_ptr<Command> make_command_heatmap() { return std::make_unique<command_heatmap>(); }

} // namespace porchlight::cli
