#include "command.hpp"
#include "output.hpp"

#include <porchlight/report/listings.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_partnerships final : public Command, with_format {
public:
    std::string_view name() const override { return "partnerships"; }
    std::string_view synopsis() const override {
        return "list partnerships (agency x vendor x technology) with their start dates";
    }
    std::string usage() const override {
        return "porchlight partnerships [--vendor V] [--technology T] [--state S] [--as-of DATE] "
               "[--format table|csv|json]";
    }

    int run() override {
        auto s = open_store(false);
        print_table(report::partnerships(s.db(), m_filter), m_format, std::cout);
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override {
        add_format_option(opts);
        opts.add_options()("vendor", po::value<std::string>()->value_name("VENDOR"), "vendor name or alias (substring)")(
            "technology", po::value<std::string>()->value_name("TECH"), "technology name (substring)")(
            "state", po::value<std::string>()->value_name("ST"), "USPS code or state name")(
            "as-of", po::value<std::string>()->value_name("DATE"),
            "only partnerships that existed on DATE (YYYY-MM-DD)");
    }
    void check(const po::variables_map& vm) override {
        check_format();
        if (vm.count("vendor"))
            m_filter.vendor = vm["vendor"].as<std::string>();
        if (vm.count("technology"))
            m_filter.technology = vm["technology"].as<std::string>();
        if (vm.count("state"))
            m_filter.state = vm["state"].as<std::string>();
        if (vm.count("as-of")) {
            m_filter.as_of = vm["as-of"].as<std::string>();
            check_as_of(*m_filter.as_of);
        }
    }

private:
    report::partnership_filter m_filter;
};

} // namespace

std::unique_ptr<Command> make_command_partnerships() {
    return std::make_unique<command_partnerships>();
}

} // namespace porchlight::cli
