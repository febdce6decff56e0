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

class command_export final : public Command, with_layer_filter {
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
                          << " left out for having no location"
                          << (m_kind == render::layer_kind::requests
                                  ? " (no centre or area in their source)"
                                  : " (`porchlight geocode`)");
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
                           "OUT's extension)");
        add_layer_filter_options(opts);
        add_hexbin_options(opts);
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
        check_layer_filter(vm, m_kind);
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
};

} // namespace

std::unique_ptr<Command> make_command_export() { return std::make_unique<command_export>(); }

} // namespace porchlight::cli
