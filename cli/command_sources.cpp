#include "command.hpp"
#include "output.hpp"

#include <porchlight/report/listings.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_sources final : public Command, with_format {
public:
    std::string_view name() const override { return "sources"; }
    std::string_view synopsis() const override {
        return "list every source: sha256, kind, title, origin, rows, ingested at";
    }
    std::string usage() const override { return "porchlight sources [--format table|csv|json]"; }

    int run() override {
        auto s = open_store(false);
        print_table(report::sources(s.db()), m_format, std::cout);
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override { add_format_option(opts); }
    void check(const po::variables_map&) override { check_format(); }
};

} // namespace

std::unique_ptr<Command> make_command_sources() { return std::make_unique<command_sources>(); }

} // namespace porchlight::cli
