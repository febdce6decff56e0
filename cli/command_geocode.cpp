#include "command.hpp"
#include "output.hpp"

#include <porchlight/geo/geocode_agencies.hpp>
#include <porchlight/paths.hpp>
#include <porchlight/report/listings.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_geocode final : public Command, with_format {
public:
    std::string_view name() const override { return "geocode"; }
    std::string_view synopsis() const override {
        return "place every agency with the offline gazetteer: point, precision, warnings";
    }
    std::string usage() const override {
        return "porchlight geocode [--only-missing] [--agency ID|NAME] [--provider offline]\n"
               "       porchlight geocode --report [--format table|csv|json]";
    }

    int run() override {
        if (m_report) {
            auto s = open_store(false);
            if (m_format == "table") {
                std::cout << "agencies by precision\n";
                print_table(geo::geocode_counts(s.db()), m_format, std::cout);
                std::cout << "\nwarnings\n";
            }
            // csv and json: one listing, the warnings (the counts are their summary)
            print_table(geo::geocode_warnings(s.db()), m_format, std::cout);
            return 0;
        }
        auto s = open_store(true);
        const auto dir = default_data_dir() / "gazetteer";
        const auto gazetteer = geo::Gazetteer::load(dir);
        geo::geocode_options opts;
        opts.only_missing = m_only_missing;
        if (!m_agency.empty())
            opts.agency = report::find_agency(s.db(), m_agency);
        Progress progress("geocoding", !quiet());
        opts.progress = [&](std::int64_t n) { progress.update(n); };
        const auto sum = geo::geocode_agencies(s, gazetteer, dir, opts);
        progress.finish();
        if (quiet())
            return 0;
        std::cout << "geocoded " << sum.agencies << " agenc" << (sum.agencies == 1 ? "y" : "ies")
                  << " offline (gazetteer " << sum.gazetteer_version << ")";
        const char* order[] = {"address", "place", "county_subdivision", "county", "state", "none"};
        std::string sep = ": ";
        for (const auto* p : order)
            if (auto it = sum.by_precision.find(p); it != sum.by_precision.end()) {
                std::cout << sep << p << ' ' << it->second;
                sep = ", ";
            }
        std::cout << "; " << sum.with_warnings << " with warnings (see `porchlight geocode --report`); "
                  << sum.changed << " changed\n";
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override {
        add_format_option(opts);
        opts.add_options()("only-missing", po::bool_switch(&m_only_missing),
                           "only agencies that were never geocoded")(
            "agency", po::value<std::string>(&m_agency)->value_name("ID|NAME"),
            "only this agency")("provider", po::value<std::string>(&m_provider)->value_name("NAME")
                                                ->default_value("offline"),
                                "offline (the embedded gazetteer)")(
            "report", po::bool_switch(&m_report),
            "print agencies per precision and every warning instead of geocoding");
    }
    void check(const po::variables_map&) override {
        check_format();
        if (m_provider != "offline")
            throw argument_error("provider '" + m_provider +
                                 "' is not available in this build (providers: offline)");
        if (m_report && (m_only_missing || !m_agency.empty()))
            throw argument_error("--report prints what is stored; it takes no --only-missing "
                                 "or --agency");
    }

private:
    bool m_only_missing = false;
    bool m_report = false;
    std::string m_agency;
    std::string m_provider = "offline";
};

} // namespace

std::unique_ptr<Command> make_command_geocode() { return std::make_unique<command_geocode>(); }

} // namespace porchlight::cli
