#include "command.hpp"
#include "output.hpp"

#include <porchlight/audit/audit.hpp>
#include <porchlight/paths.hpp>
#include <porchlight/report/documents.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_audit final : public Command, with_format {
public:
    std::string_view name() const override { return "audit"; }
    std::string_view synopsis() const override {
        return "run a privacy-audit codebook over every page and e-mail, keeping findings";
    }
    std::string usage() const override {
        return "porchlight audit [--codebook FILE] [--source S] [--agency A] "
               "[--format table|csv|json]";
    }

    int run() override {
        const auto file = m_codebook.empty() ? audit::default_codebook_path(default_data_dir())
                                             : std::filesystem::path(m_codebook);
        const auto cb = audit::load_codebook(file);
        auto s = open_store(true);
        if (m_source)
            m_options.source = report::find_source(s.db(), *m_source);
        const auto r = audit::run_audit(s.db(), cb, m_options);
        report::table t;
        t.columns = {"rule", "label", "findings", "new", "unchanged", "removed"};
        for (const auto& rule : r.rules)
            t.rows.push_back({rule.id, rule.label, rule.findings, rule.added, rule.unchanged,
                              rule.removed});
        t.rows.push_back({std::string("total"), std::string(""), r.findings, r.added,
                          r.unchanged, r.removed});
        print_table(t, m_format, std::cout);
        if (!quiet())
            std::cerr << summary_line(r) << '\n';
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override {
        add_format_option(opts);
        opts.add_options()("codebook", po::value<std::string>(&m_codebook)->value_name("FILE"),
                           "the codebook (default: the data folder's codebooks/default.yaml)")(
            "source", po::value<std::string>()->value_name("S"),
            "only the pages of this release (id, title, file name or sha256 prefix)")(
            "agency", po::value<std::string>()->value_name("A"),
            "only findings of this agency (id, or part of its name)");
    }
    void check(const po::variables_map& vm) override {
        check_format();
        if (vm.count("source"))
            m_source = vm["source"].as<std::string>();
        if (vm.count("agency"))
            m_options.agency = vm["agency"].as<std::string>();
    }

private:
    static std::string summary_line(const audit::audit_summary& r) {
        std::string line = "porchlight audit: codebook " + r.codebook + " (sha256 " +
                           r.sha256.substr(0, 12) + ") over " + std::to_string(r.pages) +
                           " pages: ";
        if (r.run_id == 0)
            return line + "nothing changed since the last run (" + std::to_string(r.findings) +
                   " findings; no run recorded)";
        line += "run " + std::to_string(r.run_id) + ", " + std::to_string(r.findings) +
                " findings (" + std::to_string(r.added) + " new, " + std::to_string(r.unchanged) +
                " unchanged, " + std::to_string(r.removed) + " removed)";
        if (r.updated)
            line += ", " + std::to_string(r.updated) + " with a new agency, date or excerpt";
        if (r.codebook_changed)
            line += "; the codebook changed: its earlier findings are kept as history";
        return line;
    }

    std::string m_codebook;
    std::optional<std::string> m_source;
    audit::audit_options m_options;
};

} // namespace

std::unique_ptr<Command> make_command_audit() { return std::make_unique<command_audit>(); }

} // namespace porchlight::cli
