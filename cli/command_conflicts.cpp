#include "command.hpp"
#include "output.hpp"

#include <porchlight/report/listings.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_conflicts final : public Command, with_format {
public:
    std::string_view name() const override { return "conflicts"; }
    std::string_view synopsis() const override {
        return "list partnerships whose sources disagree on the start date, claim by claim";
    }
    std::string usage() const override { return "porchlight conflicts [--format table|csv|json]"; }

    int run() override {
        auto s = open_store(false);
        print_table(report::conflicts(s.db()), m_format, std::cout);
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override { add_format_option(opts); }
    void check(const po::variables_map&) override { check_format(); }
};

} // namespace

std::unique_ptr<Command> make_command_conflicts() { return std::make_unique<command_conflicts>(); }

} // namespace porchlight::cli
