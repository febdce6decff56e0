#include "command.hpp"
#include "output.hpp"

#include <porchlight/report/documents.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_messages final : public Command, with_format {
public:
    std::string_view name() const override { return "messages"; }
    std::string_view synopsis() const override {
        return "list the e-mails found in FOIA releases: sender, recipients, time, subject, class";
    }
    std::string usage() const override {
        return "porchlight messages [--since DATE] [--until DATE] [--from TEXT] [--subject TEXT] "
               "[--class CLASS] [--source S] [--redact] [--format table|csv|json]";
    }

    int run() override {
        auto s = open_store(false);
        if (m_source)
            m_filter.source = report::find_source(s.db(), *m_source);
        auto t = report::messages(s.db(), m_filter);
        if (m_format == "table")
            drop_columns(t, {"cc", "message_id", "source_id", "document"});
        print_table(t, m_format, std::cout);
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override {
        add_format_option(opts);
        opts.add_options()("since", po::value<std::string>()->value_name("DATE"),
                           "only e-mails sent on or after DATE (UTC; printed local time when no "
                           "zone is known)")(
            "until", po::value<std::string>()->value_name("DATE"), "only e-mails sent on or before DATE")(
            "from", po::value<std::string>()->value_name("TEXT"), "sender contains TEXT (any case)")(
            "subject", po::value<std::string>()->value_name("TEXT"), "subject contains TEXT (any case)")(
            "class", po::value<std::string>()->value_name("CLASS"),
            "only this class (see data/message-classes.yaml); 'none' for unclassified")(
            "source", po::value<std::string>()->value_name("S"),
            "only e-mails found in this source (id, title, file name or sha256 prefix)")(
            "redact", po::bool_switch(&m_filter.redact),
            "mask e-mail addresses, phone numbers and street addresses");
    }
    void check(const po::variables_map& vm) override {
        check_format();
        if (vm.count("since")) {
            m_filter.since = vm["since"].as<std::string>();
            check_as_of(*m_filter.since, "--since");
        }
        if (vm.count("until")) {
            m_filter.until = vm["until"].as<std::string>();
            check_as_of(*m_filter.until, "--until");
        }
        if (vm.count("from"))
            m_filter.from = vm["from"].as<std::string>();
        if (vm.count("subject"))
            m_filter.subject = vm["subject"].as<std::string>();
        if (vm.count("class"))
            m_filter.cls = vm["class"].as<std::string>();
        if (vm.count("source"))
            m_source = vm["source"].as<std::string>();
    }

private:
    std::optional<std::string> m_source;
    report::message_filter m_filter;
};

} // namespace

std::unique_ptr<Command> make_command_messages() { return std::make_unique<command_messages>(); }

} // namespace porchlight::cli
