#include "command.hpp"
#include "output.hpp"

#include <porchlight/paths.hpp>
#include <porchlight/report/documents.hpp>
#include <porchlight/report/observations.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_requests final : public Command, with_format {
public:
    std::string_view name() const override { return "requests"; }
    std::string_view synopsis() const override {
        return "list video requests to residents, or the per-agency totals observed";
    }
    std::string usage() const override {
        return "porchlight requests [--agency A] [--state S] [--since D] [--until D] "
               "[--source S] [--totals] [--include-personal-data] [--format table|csv|json]";
    }

    int run() override {
        auto s = open_store(false);
        if (m_source_name)
            m_filter.source = report::find_source(s.db(), *m_source_name);
        if (m_totals) {
            print_table(report::request_totals(s.db(), m_filter), m_format, std::cout);
            return 0;
        }
        const auto t = report::requests(s.db(), m_filter);
        print_table(t, m_format, std::cout);
        if (m_format == "table" && !quiet()) {
            const auto totals = report::request_totals(s.db(), m_filter);
            if (!totals.rows.empty())
                std::cout << "\n" << totals.rows.size()
                          << " per-agency totals observed too (never added to these): "
                             "porchlight requests --totals\n";
        }
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override {
        add_format_option(opts);
        opts.add_options()("agency", po::value<std::string>()->value_name("A"),
                           "only this agency (id or name)")(
            "state", po::value<std::string>()->value_name("ST"), "USPS code or state name")(
            "since", po::value<std::string>()->value_name("DATE"),
            "requested on or after this day, month or year")(
            "until", po::value<std::string>()->value_name("DATE"),
            "requested up to this day, month or year, inclusive")(
            "source", po::value<std::string>()->value_name("S"),
            "only rows of this source (id, title, file name or sha256 prefix)")(
            "totals", po::bool_switch(&m_totals),
            "list the per-agency totals observed (as of a date) instead of requests")(
            "include-personal-data", po::bool_switch(&m_filter.include_personal_data),
            "add case numbers and addresses (they identify incidents and homes)");
    }
    void check(const po::variables_map& vm) override {
        check_format();
        for (const auto& [opt, field] :
             {std::pair{"agency", &m_filter.agency}, std::pair{"state", &m_filter.state},
              std::pair{"since", &m_filter.since}, std::pair{"until", &m_filter.until},
              std::pair{"source", &m_source_name}})
            if (vm.count(opt))
                *field = vm[opt].as<std::string>();
    }

private:
    report::request_filter m_filter;
    std::optional<std::string> m_source_name;
    bool m_totals = false;
};

} // namespace

std::unique_ptr<Command> make_command_requests() { return std::make_unique<command_requests>(); }

} // namespace porchlight::cli
