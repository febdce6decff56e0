// `porchlight coverage`: the table of `report coverage` (one computation, in
// report::coverage_report); the report adds the notes and the numbered sources.
#include "command.hpp"
#include "output.hpp"

#include <porchlight/paths.hpp>
#include <porchlight/report/reports.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_coverage final : public Command, with_format {
public:
    std::string_view name() const override { return "coverage"; }
    std::string_view synopsis() const override {
        return "cameras per county, state or agency jurisdiction, per km², and requests";
    }
    std::string usage() const override {
        return "porchlight coverage [--by county|state|agency] [--state ST] "
               "[--format table|csv|json]";
    }

    int run() override {
        auto s = open_store(false);
        report::coverage_report_options o;
        o.by = m_by;
        o.state = m_state;
        const auto r = report::coverage_report(s.db(), default_data_dir(), o);
        if (r.rows.rows.empty() && m_format == "table")
            std::cout << "(no rows)\n";
        else
            print_table(r.rows, m_format, std::cout);
        // the table has room for the rows only: what was left out goes to stderr
        if (!quiet())
            for (const auto& n : r.notes)
                std::cerr << "porchlight coverage: note: " << n << '\n';
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override {
        opts.add_options()("by", po::value<std::string>(&m_by)->value_name("B"),
                           "county (default), state or agency")(
            "state", po::value<std::string>()->value_name("ST"),
            "only this state (USPS code or name); --by county then lists all its counties");
        add_format_option(opts);
    }
    void check(const po::variables_map& vm) override {
        check_format();
        if (m_by != "county" && m_by != "state" && m_by != "agency") {
            const auto hint = suggest(m_by, {"county", "state", "agency"});
            throw argument_error("cannot count coverage --by " + m_by +
                                 (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                                 " (use county, state or agency)");
        }
        if (vm.count("state"))
            m_state = vm["state"].as<std::string>();
    }

private:
    std::string m_by = "county";
    std::optional<std::string> m_state;
};

} // namespace

std::unique_ptr<Command> make_command_coverage() { return std::make_unique<command_coverage>(); }

} // namespace porchlight::cli
