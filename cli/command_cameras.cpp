#include "command.hpp"
#include "output.hpp"

#include <porchlight/paths.hpp>
#include <porchlight/report/documents.hpp>
#include <porchlight/report/observations.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_cameras final : public Command, with_format {
public:
    std::string_view name() const override { return "cameras"; }
    std::string_view synopsis() const override {
        return "list camera points with their kind, operator, direction and county";
    }
    std::string usage() const override {
        return "porchlight cameras [--bbox W,S,E,N] [--state S] [--county FIPS] [--source S] "
               "[--include-personal-data] [--format table|csv|json]";
    }

    int run() override {
        auto s = open_store(false);
        if (m_source_name)
            m_filter.source = report::find_source(s.db(), *m_source_name);
        print_table(report::cameras(s.db(), default_data_dir(), m_filter), m_format, std::cout);
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override {
        add_format_option(opts);
        opts.add_options()("bbox", po::value<std::string>()->value_name("W,S,E,N"),
                           "only cameras inside this box (WGS84 degrees)")(
            "state", po::value<std::string>()->value_name("ST"),
            "only cameras inside this state's counties (USPS code or name)")(
            "county", po::value<std::string>()->value_name("FIPS"),
            "only cameras inside this county (5-digit FIPS, e.g. 24510)")(
            "source", po::value<std::string>()->value_name("S"),
            "only cameras of this source (id, title, file name or sha256 prefix)")(
            "include-personal-data", po::bool_switch(&m_filter.include_personal_data),
            "add each camera's name (it may name a home or its owner)");
    }
    void check(const po::variables_map& vm) override {
        check_format();
        try {
            if (vm.count("bbox"))
                m_filter.bbox = geo::parse_bbox(vm["bbox"].as<std::string>());
        } catch (const std::invalid_argument& e) {
            throw argument_error(e.what());
        }
        m_filter.state = option_text(vm, "state");
        m_filter.county = option_text(vm, "county");
        m_source_name = option_text(vm, "source");
    }

private:
    report::camera_filter m_filter;
    std::optional<std::string> m_source_name;
};

} // namespace

std::unique_ptr<Command> make_command_cameras() { return std::make_unique<command_cameras>(); }

} // namespace porchlight::cli
