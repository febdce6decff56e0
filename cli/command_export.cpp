// `porchlight export LAYER OUT`: one layer of the store as GeoJSON, GeoJSON lines, KML, KMZ,
// GeoPackage, FlatGeobuf or CSV (the format from OUT's extension or --format).
#include "command.hpp"

#include <porchlight/error.hpp>
#include <porchlight/paths.hpp>
#include <porchlight/render/export.hpp>
#include <porchlight/util/date.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_export final : public Command {
public:
    std::string_view name() const override { return "export"; }
    std::string_view synopsis() const override {
        return "write a layer as GeoJSON, KML/KMZ, GeoPackage, FlatGeobuf or CSV";
    }
    std::string usage() const override {
        return "porchlight export agencies|partnerships|requests|cameras|hexbins OUT "
               "[--format F] [filters] [--include-personal-data]";
    }

    int run() override {
        auto s = open_store(false);
        const auto r = render::export_layer(s.db(), default_data_dir(), m_kind, m_filter,
                                            m_format, m_out);
        if (!quiet()) {
            std::cout << "wrote " << r.features << " " << r.info.name << " to " << m_out << " ("
                      << render::to_string(r.format) << ")";
            if (r.info.without_location)
                std::cout << "; " << r.info.without_location
                          << " left out for having no location (`porchlight geocode`)";
            std::cout << "\n";
            if (!m_filter.include_personal_data &&
                (m_kind == render::layer_kind::requests || m_kind == render::layer_kind::cameras))
                std::cout << "personal data left out (case numbers, titles, addresses, camera "
                             "names): --include-personal-data adds them\n";
        }
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override {
        opts.add_options()("format,f", po::value<std::string>()->value_name("F"),
                           "geojson, geojsonl, kml, kmz, gpkg, fgb or csv (default: from "
                           "OUT's extension)")(
            "vendor", po::value<std::string>()->value_name("VENDOR"),
            "agencies, partnerships, requests: of partners of this vendor (name or alias, "
            "substring)")("technology", po::value<std::string>()->value_name("TECH"),
                          "agencies, partnerships, requests: of this technology (substring)")(
            "state", po::value<std::string>()->value_name("ST"), "USPS code or state name")(
            "as-of", po::value<std::string>()->value_name("DATE"),
            "agencies, partnerships: partnerships that existed on DATE (YYYY-MM-DD)")(
            "since", po::value<std::string>()->value_name("DATE"),
            "partnerships started, requests made from this day, month or year on")(
            "until", po::value<std::string>()->value_name("DATE"),
            "... up to this day, month or year, inclusive")(
            "include-personal-data", po::bool_switch(&m_filter.include_personal_data),
            "also export request case numbers, titles and addresses and camera names")(
            "cell", po::value<double>(&m_filter.hexbin_cell_m)->value_name("M"),
            "hexbins: hexagon size in metres, flat side to flat side (default 5000)")(
            "min-count", po::value<std::int64_t>(&m_filter.hexbin_min_count)->value_name("N"),
            "hexbins: leave out hexagons of fewer than N cameras (default 5)");
    }
    void add_hidden_options(po::options_description& opts) override {
        opts.add_options()("layer", po::value<std::string>(&m_layer), "layer")(
            "out", po::value<std::string>(&m_out), "output file");
    }
    void add_positional(po::positional_options_description& pos) override {
        pos.add("layer", 1).add("out", 1);
    }
    void check(const po::variables_map& vm) override {
        if (m_layer.empty() || m_out.empty())
            throw argument_error("which layer, and where to? (usage: " + usage() + ")");
        try {
            m_kind = render::layer_from_string(m_layer);
        } catch (const std::invalid_argument& e) {
            const auto hint = suggest(m_layer, render::layer_names());
            throw argument_error(e.what() +
                                 (hint.empty() ? std::string() : "; did you mean '" + hint + "'?"));
        }
        auto text = [&](const char* opt) -> std::optional<std::string> {
            return vm.count(opt) ? std::optional<std::string>(vm[opt].as<std::string>())
                                 : std::nullopt;
        };
        m_filter.vendor = text("vendor");
        m_filter.technology = text("technology");
        m_filter.state = text("state");
        m_filter.as_of = text("as-of");
        m_filter.since = text("since");
        m_filter.until = text("until");
        if (m_filter.as_of)
            check_as_of(*m_filter.as_of);
        if ((vm.count("cell") || vm.count("min-count")) && m_kind != render::layer_kind::hexbins)
            throw argument_error("--cell and --min-count apply to the hexbins layer only");
        try {
            m_format = vm.count("format")
                           ? render::export_format_from_name(vm["format"].as<std::string>())
                           : render::export_format_from_path(m_out);
            (void)render::layer_header(m_kind, m_filter); // filters that do not apply
        } catch (const std::invalid_argument& e) {
            throw argument_error(e.what());
        }
    }

private:
    std::string m_layer;
    std::string m_out;
    render::layer_kind m_kind = render::layer_kind::agencies;
    render::export_format m_format = render::export_format::geojson;
    render::layer_filter m_filter;
};

} // namespace

std::unique_ptr<Command> make_command_export() { return std::make_unique<command_export>(); }

} // namespace porchlight::cli
