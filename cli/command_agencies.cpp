#include "command.hpp"
#include "output.hpp"

#include <porchlight/geo/geocode_agencies.hpp>
#include <porchlight/report/listings.hpp>

#include <nlohmann/json.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_agencies final : public Command, with_format {
public:
    std::string_view name() const override { return "agencies"; }
    std::string_view synopsis() const override {
        return "list agencies, or show one with its aliases, partnerships and evidence";
    }
    std::string usage() const override {
        return "porchlight agencies [--state ST] [--search TEXT] [--vendor V] "
               "[--format table|csv|json]\n"
               "       porchlight agencies show ID|NAME [--format table|json]\n"
               "       porchlight agencies set-location ID|NAME --lat LAT --lon LON --note TEXT "
               "[--precision P]";
    }

    int run() override {
        if (m_set_location) {
            auto s = open_store(true);
            const auto id = report::find_agency(s.db(), m_which);
            geo::set_location(s, id, m_lat, m_lon, m_precision, m_note);
            if (!quiet())
                std::cout << "agency " << id << " placed by hand at " << m_lat << ", " << m_lon
                          << " (" << m_precision << "); later geocode runs keep it\n";
            return 0;
        }
        auto s = open_store(false);
        if (!m_show) {
            auto t = report::agencies(s.db(), m_filter);
            if (m_format == "table") // the point and its warnings are for csv and json
                drop_columns(t, {"lat", "lon", "warnings"});
            print_table(t, m_format, std::cout);
            return 0;
        }
        const auto id = report::find_agency(s.db(), m_which);
        const auto d = report::agency_details(s.db(), id);
        if (m_format == "json") {
            nlohmann::ordered_json j = to_json(d.agency).at(0);
            j["aliases"] = to_json(d.aliases);
            j["partnerships"] = to_json(d.partnerships);
            j["evidence"] = to_json(d.evidence);
            std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
            return 0;
        }
        print_record(d.agency, std::cout);
        std::cout << "\naliases\n";
        print_table(d.aliases, "table", std::cout);
        std::cout << "\npartnerships\n";
        print_table(d.partnerships, "table", std::cout);
        std::cout << "\nevidence\n";
        print_table(d.evidence, "table", std::cout);
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override {
        add_format_option(opts);
        opts.add_options()("state", po::value<std::string>()->value_name("ST"), "only agencies in this state")(
            "search", po::value<std::string>()->value_name("TEXT"), "only agencies whose name or an alias contains TEXT")(
            "vendor", po::value<std::string>()->value_name("VENDOR"),
            "only agencies with a partnership with this vendor (name or alias)")(
            "lat", po::value<double>(&m_lat)->value_name("LAT"), "set-location: latitude (WGS84)")(
            "lon", po::value<double>(&m_lon)->value_name("LON"), "set-location: longitude (WGS84)")(
            "note", po::value<std::string>(&m_note)->value_name("TEXT"),
            "set-location: where the point comes from (required)")(
            "precision", po::value<std::string>(&m_precision)->value_name("P")->default_value("address"),
            "set-location: address, place, county_subdivision, county or state");
    }
    void add_hidden_options(po::options_description& opts) override {
        opts.add_options()("args", po::value<std::vector<std::string>>(&m_args), "show ID|NAME");
    }
    void add_positional(po::positional_options_description& pos) override { pos.add("args", -1); }
    void check(const po::variables_map& vm) override {
        check_format();
        if (vm.count("state"))
            m_filter.state = vm["state"].as<std::string>();
        if (vm.count("search"))
            m_filter.search = vm["search"].as<std::string>();
        if (vm.count("vendor"))
            m_filter.vendor = vm["vendor"].as<std::string>();
        const bool location_options = vm.count("lat") || vm.count("lon") || vm.count("note");
        if (m_args.empty()) {
            if (location_options)
                throw argument_error("--lat, --lon and --note go with `agencies set-location`");
            return;
        }
        if (m_args[0] != "show" && m_args[0] != "set-location")
            throw argument_error("unknown argument '" + m_args[0] + "' (usage: " + usage() + ")");
        if (m_args.size() < 2)
            throw argument_error("agencies " + m_args[0] + " needs an agency id or name");
        m_show = m_args[0] == "show";
        m_set_location = !m_show;
        for (std::size_t i = 1; i < m_args.size(); ++i)
            m_which += (i > 1 ? " " : "") + m_args[i];
        if (m_set_location && (!vm.count("lat") || !vm.count("lon") || !vm.count("note")))
            throw argument_error("agencies set-location needs --lat, --lon and --note");
        if (m_show && location_options)
            throw argument_error("--lat, --lon and --note go with `agencies set-location`");
        if (m_format == "csv")
            throw argument_error("agencies show prints several tables: use --format table or json");
    }

private:
    report::agency_filter m_filter;
    std::vector<std::string> m_args;
    bool m_show = false;
    bool m_set_location = false;
    std::string m_which;
    double m_lat = 0, m_lon = 0;
    std::string m_note, m_precision = "address";
};

} // namespace

std::unique_ptr<Command> make_command_agencies() { return std::make_unique<command_agencies>(); }

} // namespace porchlight::cli
