#include "command.hpp"
#include "output.hpp"

#include <porchlight/report/history.hpp>
#include <porchlight/report/listings.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_timeline final : public Command, with_format {
public:
    std::string_view name() const override { return "timeline"; }
    std::string_view synopsis() const override {
        return "every dated observation about one agency, from every source, in date order";
    }
    std::string usage() const override {
        return "porchlight timeline ID|NAME [--format table|csv|json]";
    }

    int run() override {
        auto s = open_store(false);
        const auto id = report::find_agency(s.db(), m_which);
        auto t = report::timeline(s.db(), id);
        if (m_format == "table") {
            // the date shows its precision, and the source id its title (porchlight sources)
            drop_columns(t.events, {"precision", "title"});
            std::cout << "agency " << id << ": " << t.agency << "\n\n";
        }
        print_table(t.events, m_format, std::cout);
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override { add_format_option(opts); }
    void add_hidden_options(po::options_description& opts) override {
        opts.add_options()("agency", po::value<std::vector<std::string>>(&m_args), "ID|NAME");
    }
    void add_positional(po::positional_options_description& pos) override { pos.add("agency", -1); }
    void check(const po::variables_map&) override {
        check_format();
        for (const auto& a : m_args)
            m_which += (m_which.empty() ? "" : " ") + a;
        if (m_which.find_first_not_of(" \t") == std::string::npos)
            throw argument_error("timeline needs an agency id or name (usage: " + usage() + ")");
    }

private:
    std::vector<std::string> m_args;
    std::string m_which;
};

} // namespace

std::unique_ptr<Command> make_command_timeline() {
    return std::make_unique<command_timeline>();
}

} // namespace porchlight::cli
