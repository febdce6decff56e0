#include "command.hpp"
#include "output.hpp"

#include <porchlight/report/listings.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_verify final : public Command, with_format {
public:
    std::string_view name() const override { return "verify"; }
    std::string_view synopsis() const override {
        return "re-hash every blob and check that every fact has evidence";
    }
    std::string usage() const override { return "porchlight verify [--format table|csv|json]"; }

    int run() override {
        auto s = open_store(false);
        const auto r = report::verify(s);
        if (!r.ok()) {
            print_table(r.problems, m_format, std::cout);
            std::cerr << "porchlight verify: " << r.problems.rows.size()
                      << " problem(s) in " << s.path().string() << '\n';
            return 1;
        }
        if (m_format != "table")
            print_table(r.problems, m_format, std::cout);
        else if (!quiet())
            std::cout << "ok: " << r.blobs_checked << " blob(s) re-hashed and intact, every fact "
                      << "has evidence, database integrity ok\n";
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override { add_format_option(opts); }
    void check(const po::variables_map&) override { check_format(); }
};

} // namespace

std::unique_ptr<Command> make_command_verify() { return std::make_unique<command_verify>(); }

} // namespace porchlight::cli
