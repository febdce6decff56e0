#include "command.hpp"
#include "output.hpp"

#include <porchlight/report/listings.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_warnings final : public Command, with_format {
public:
    std::string_view name() const override { return "warnings"; }
    std::string_view synopsis() const override {
        return "list the per-row warnings kept from ingest (bad dates, unknown states ...)";
    }
    std::string usage() const override {
        return "porchlight warnings [--source ID] [--format table|csv|json]";
    }

    int run() override {
        auto s = open_store(false);
        print_table(report::warnings(s.db(), m_source), m_format, std::cout);
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override {
        add_format_option(opts);
        opts.add_options()("source", po::value<std::int64_t>()->value_name("ID"), "only this source id");
    }
    void check(const po::variables_map& vm) override {
        check_format();
        if (vm.count("source"))
            m_source = vm["source"].as<std::int64_t>();
    }

private:
    std::optional<std::int64_t> m_source;
};

} // namespace

std::unique_ptr<Command> make_command_warnings() { return std::make_unique<command_warnings>(); }

} // namespace porchlight::cli
