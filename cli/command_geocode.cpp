#include "command.hpp"
#include "output.hpp"

#include <porchlight/geo/geocode_agencies.hpp>
#include <porchlight/geo/online.hpp>
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
        return "porchlight geocode [--only-missing] [--agency ID|NAME]\n"
               "       [--provider offline|census|nominatim [--base-url URL] [--user-agent TEXT] "
               "[--email ADDRESS]]\n"
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
        geo::geocode_options opts;
        opts.only_missing = m_only_missing;
        if (!m_agency.empty())
            opts.agency = report::find_agency(s.db(), m_agency);
        Progress progress("geocoding", !quiet());
        opts.progress = [&](std::int64_t n) { progress.update(n); };
        geo::geocode_summary sum;
        if (m_provider == "offline") {
            const auto dir = default_data_dir() / "gazetteer";
            const auto gazetteer = geo::Gazetteer::load(dir);
            sum = geo::geocode_agencies(s, gazetteer, dir, opts);
        } else {
            geo::online_options o;
            o.provider = m_provider;
            o.base_url = m_base_url;
            o.user_agent = m_user_agent;
            o.contact_email = m_email;
            geo::OnlineGeocoder provider(s.db(), o);
            opts.commit_every = 25;
            sum = geo::geocode_agencies_online(s, provider, opts);
        }
        progress.finish();
        if (quiet())
            return 0;
        std::cout << "geocoded " << sum.agencies << " agenc" << (sum.agencies == 1 ? "y" : "ies")
                  << ' ' << (m_provider == "offline" ? "offline (gazetteer " + sum.gazetteer_version + ")"
                                                      : "with " + m_provider);
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
                                "offline (the embedded gazetteer, the default), census or "
                                "nominatim (online, opt-in)")(
            "base-url", po::value<std::string>(&m_base_url)->value_name("URL"),
            "online: the provider's base URL (default: its public service)")(
            "user-agent", po::value<std::string>(&m_user_agent)->value_name("TEXT"),
            "online: the User-Agent, naming you (Nominatim's usage policy asks for it)")(
            "email", po::value<std::string>(&m_email)->value_name("ADDRESS"),
            "online: a contact address sent to Nominatim")(
            "report", po::bool_switch(&m_report),
            "print agencies per precision and every warning instead of geocoding");
    }
    void check(const po::variables_map&) override {
        check_format();
        if (m_provider != "offline" && m_provider != "census" && m_provider != "nominatim") {
            auto hint = suggest(m_provider, {"offline", "census", "nominatim"});
            throw argument_error("unknown provider '" + m_provider + "'" +
                                 (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                                 " (providers: offline, census, nominatim)");
        }
        if (m_provider == "offline" && (!m_base_url.empty() || !m_user_agent.empty() || !m_email.empty()))
            throw argument_error("--base-url, --user-agent and --email are for the online providers");
        if (m_report && (m_only_missing || !m_agency.empty()))
            throw argument_error("--report prints what is stored; it takes no --only-missing "
                                 "or --agency");
    }

private:
    bool m_only_missing = false;
    bool m_report = false;
    std::string m_agency;
    std::string m_provider = "offline";
    std::string m_base_url, m_user_agent, m_email;
};

} // namespace

std::unique_ptr<Command> make_command_geocode() { return std::make_unique<command_geocode>(); }

} // namespace porchlight::cli
