#include "command.hpp"
#include "output.hpp"

#include <porchlight/audit/audit.hpp>
#include <porchlight/report/documents.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_findings final : public Command, with_format {
public:
    std::string_view name() const override { return "findings"; }
    std::string_view synopsis() const override {
        return "list the privacy audit's findings, or record a review of one";
    }
    std::string usage() const override {
        return "porchlight findings [--rule R] [--agency A] [--source S] [--since DATE] "
               "[--include-personal-data] [--format table|csv|json]\n"
               "       porchlight findings review ID --accept|--reject [--note TEXT]";
    }

    int run() override {
        if (m_review) {
            auto s = open_store(true);
            const auto key = audit::review_finding(s.db(), m_id, m_accept, m_note);
            if (!quiet())
                std::cout << "finding " << m_id << " " << (m_accept ? "accepted" : "rejected")
                          << " (key " << key.substr(0, 12)
                          << "; the review holds in later audit runs)\n";
            return 0;
        }
        auto s = open_store(false);
        if (m_source)
            m_filter.source = report::find_source(s.db(), *m_source);
        auto t = audit::list_findings(s.db(), m_filter);
        if (m_format == "table")
            drop_columns(t, {"label", "severity", "source", "email", "begin", "end", "codebook",
                             "review_note", "key"});
        print_table(t, m_format, std::cout);
        if (t.rows.empty() && !quiet())
            std::cerr << "porchlight findings: no findings (run `porchlight audit` first?)\n";
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override {
        add_format_option(opts);
        opts.add_options()("rule", po::value<std::string>()->value_name("R"),
                           "only findings of this rule id")(
            "agency", po::value<std::string>()->value_name("A"),
            "only findings of this agency (id, or part of its name)")(
            "source", po::value<std::string>()->value_name("S"),
            "only findings in this release (id, title, file name or sha256 prefix)")(
            "since", po::value<std::string>()->value_name("DATE"),
            "only findings dated on or after DATE (YYYY-MM-DD)")(
            "include-personal-data", po::bool_switch(&m_filter.include_personal_data),
            "show e-mail addresses, phone numbers and street addresses in excerpts (masked by "
            "default)")("accept", po::bool_switch(&m_accept), "review: the finding is right")(
            "reject", po::bool_switch(&m_reject), "review: the finding is wrong")(
            "note", po::value<std::string>()->value_name("TEXT"), "review: why");
    }
    void add_hidden_options(po::options_description& opts) override {
        opts.add_options()("args", po::value<std::vector<std::string>>(&m_args), "review ID");
    }
    void add_positional(po::positional_options_description& pos) override { pos.add("args", -1); }
    void check(const po::variables_map& vm) override {
        check_format();
        if (!m_args.empty()) {
            if (m_args[0] != "review")
                throw argument_error("unknown argument '" + m_args[0] + "' (usage: " + usage() + ")");
            check_review(vm);
            return;
        }
        if (m_accept || m_reject || vm.count("note"))
            throw argument_error("--accept, --reject and --note go with `findings review ID`");
        if (vm.count("rule"))
            m_filter.rule = vm["rule"].as<std::string>();
        if (vm.count("agency"))
            m_filter.agency = vm["agency"].as<std::string>();
        if (vm.count("source"))
            m_source = vm["source"].as<std::string>();
        if (vm.count("since")) {
            m_filter.since = vm["since"].as<std::string>();
            check_as_of(*m_filter.since, "--since");
        }
    }

private:
    void check_review(const po::variables_map& vm) {
        if (m_args.size() != 2)
            throw argument_error("findings review needs one finding ID (usage: " + usage() + ")");
        const auto& id = m_args[1];
        if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos)
            throw argument_error("finding ID must be a number, not '" + id + "'");
        m_id = std::stoll(id);
        if (m_accept == m_reject)
            throw argument_error("findings review needs --accept or --reject (one of them)");
        for (const char* opt : {"rule", "agency", "source", "since"})
            if (vm.count(opt))
                throw argument_error("--" + std::string(opt) + " does not go with findings review");
        if (vm.count("note"))
            m_note = vm["note"].as<std::string>();
        m_review = true;
    }

    std::vector<std::string> m_args;
    audit::finding_filter m_filter;
    std::optional<std::string> m_source;
    bool m_review = false, m_accept = false, m_reject = false;
    std::int64_t m_id = 0;
    std::optional<std::string> m_note;
};

} // namespace

std::unique_ptr<Command> make_command_findings() { return std::make_unique<command_findings>(); }

} // namespace porchlight::cli
