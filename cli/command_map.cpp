#include "command.hpp"

#include <porchlight/error.hpp>
#include <porchlight/paths.hpp>
#include <porchlight/render/layers.hpp>
#include <porchlight/render/map.hpp>
#include <porchlight/util/part_file.hpp>

#include <filesystem>
#include <iostream>
#include <system_error>

namespace porchlight::cli {
namespace {

class command_map final : public Command, with_layer_filter {
  public:
    std::string_view name() const override { return "map"; }
    std::string_view synopsis() const override {
        return "draw a layer as a PNG, SVG, PDF or one-file HTML map";
    }
    std::string usage() const override {
        return "porchlight map agencies|partnerships|requests|cameras|hexbins "
               "OUT.png|OUT.svg|OUT.pdf|OUT.html [--scope us|ST|COUNTY-FIPS] [--title T] "
               "[--color-by ATTR] [--choropleth state|county [--per-km2]] [filters]";
    }

    int run() override {
        auto s = open_store(false);
        const auto data_dir = default_data_dir();
        const auto l = render::load_layer(s.db(), data_dir, m_kind, m_filter);
        m_options.date_line = render::map_date_line(s.db(), m_filter.as_of);
        m_options.fictional = render::store_holds_demo_data(s.db(), data_dir);
        // written beside the output and renamed: a failed run leaves no half-written map
        util::part_file partial(m_out.string() + ".part");
        const auto r = render::write_map(l, data_dir, m_options, partial.path(), m_format);
        util::move_into_place(partial.path(), m_out, "the map ");
        if (!quiet()) {
            std::cout << "wrote " << m_out.string() << ": " << r.drawn << " " << l.name
                      << " on the map";
            if (r.outside > 0)
                std::cout << ", " << r.outside << " outside it";
            if (l.without_location > 0)
                std::cout << ", " << l.without_location << " without a location";
            std::cout << (m_options.fictional ? " (fictional sample data)" : "") << '\n';
            for (const auto& n : r.notes)
                std::cout << "note: " << n << '\n';
        }
        return 0;
    }

  protected:
    void add_options(po::options_description& opts) override {
        opts.add_options()("scope", po::value<std::string>()->value_name("SCOPE"),
                           "us (default: contiguous states with Alaska and Hawaii insets), "
                           "a state (USPS code) or a 5-digit county FIPS code")(
            "title", po::value<std::string>()->value_name("T"), "the map's title")(
            "color-by", po::value<std::string>()->value_name("ATTR"),
            "colour the features by this property (text: categories; numbers: classes)")(
            "choropleth", po::value<std::string>()->value_name("state|county"),
            "count the features per state or county instead of drawing them")(
            "per-km2", po::bool_switch(), "choropleth: count per 1,000 km² of land and water")(
            "png-scale", po::value<int>(&m_options.png_scale)->default_value(2)->value_name("N"),
            "PNG pixels per point of the 960 x 640 page: 1 to 4 (default 2, for screens)");
        add_layer_filter_options(opts);
    }
    void add_hidden_options(po::options_description& opts) override {
        opts.add_options()("layer", po::value<std::string>(),
                           "layer")("out", po::value<std::string>(), "output file");
    }
    void add_positional(po::positional_options_description& pos) override {
        pos.add("layer", 1).add("out", 1);
    }
    void check(const po::variables_map& vm) override {
        if (!vm.count("layer") || !vm.count("out"))
            throw argument_error("which layer, and where to? (usage: " + usage() + ")");
        try {
            m_kind = render::layer_from_string(vm["layer"].as<std::string>());
            m_out = vm["out"].as<std::string>();
            m_format = render::map_format_of(m_out);
        } catch (const std::invalid_argument& e) {
            throw argument_error(e.what());
        }
        m_options.scope = option_text(vm, "scope").value_or("us");
        m_options.title = option_text(vm, "title");
        m_options.color_by = option_text(vm, "color-by");
        m_options.choropleth = option_text(vm, "choropleth");
        m_options.per_km2 = vm["per-km2"].as<bool>();
        if (m_options.choropleth && *m_options.choropleth != "state" &&
            *m_options.choropleth != "county")
            throw argument_error("--choropleth must be state or county");
        if (m_options.png_scale < 1 || m_options.png_scale > 4)
            throw argument_error("--png-scale must be 1, 2, 3 or 4");
        if (m_options.per_km2 && !m_options.choropleth)
            throw argument_error("--per-km2 needs --choropleth state|county");
        if (m_options.choropleth && m_options.color_by)
            throw argument_error("--color-by and --choropleth do not go together");
        check_layer_filter(vm, m_kind);
    }

  private:
    render::layer_kind m_kind = render::layer_kind::agencies;
    std::filesystem::path m_out;
    render::map_format m_format = render::map_format::png;
    render::map_options m_options;
};

} // namespace

std::unique_ptr<Command> make_command_map() {
    return std::make_unique<command_map>();
}

} // namespace porchlight::cli
