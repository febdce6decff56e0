#include "command.hpp"
#include "output.hpp"

#include <porchlight/audit/codebook.hpp>
#include <porchlight/paths.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_codebook final : public Command, with_format {
public:
    std::string_view name() const override { return "codebook"; }
    std::string_view synopsis() const override {
        return "check a privacy-audit codebook's examples, or show its rules";
    }
    std::string usage() const override {
        return "porchlight codebook test [FILE]\n"
               "       porchlight codebook show [FILE] [--format table|csv|json]";
    }

    int run() override {
        const auto file = m_file.empty() ? audit::default_codebook_path(default_data_dir())
                                         : std::filesystem::path(m_file);
        const auto cb = audit::load_codebook(file);
        if (m_action == "show") {
            print_table(rules_table(cb), m_format, std::cout);
            return 0;
        }
        const auto failures = audit::test_examples(cb);
        for (const auto& f : failures)
            std::cerr << "porchlight codebook: " << file.string() << ":" << f.line << ": rule "
                      << f.rule << ": "
                      << (f.should_match ? "example should match but does not"
                                         : "no_match example matches")
                      << ": \"" << f.example << "\"\n";
        if (!quiet())
            std::cout << "codebook " << cb.name << " (" << file.string() << "): "
                      << count(cb.rules.size(), "rule") << ", "
                      << count(audit::example_count(cb), "example") << ", " << failures.size()
                      << " failed\n";
        return failures.empty() ? 0 : 1;
    }

protected:
    void add_options(po::options_description& opts) override { add_format_option(opts); }
    void add_hidden_options(po::options_description& opts) override {
        opts.add_options()("args", po::value<std::vector<std::string>>(&m_args), "test|show FILE");
    }
    void add_positional(po::positional_options_description& pos) override { pos.add("args", -1); }
    void check(const po::variables_map&) override {
        check_format();
        if (m_args.empty())
            throw argument_error("codebook needs test or show (usage: " + usage() + ")");
        m_action = m_args[0];
        if (m_action != "test" && m_action != "show") {
            const auto hint = suggest(m_action, {"test", "show"});
            throw argument_error("unknown action '" + m_action + "'" +
                                 (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                                 " (usage: " + usage() + ")");
        }
        if (m_args.size() > 2)
            throw argument_error("too many arguments (usage: " + usage() + ")");
        if (m_args.size() == 2)
            m_file = m_args[1];
    }

private:
    static std::string count(std::size_t n, const std::string& word) {
        return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
    }

    static report::table rules_table(const audit::codebook& cb) {
        report::table t;
        t.columns = {"rule", "label", "severity", "phrases", "near", "regex", "applies_to",
                     "examples", "description"};
        for (const auto& r : cb.rules) {
            std::string applies;
            for (const auto& c : r.classes)
                applies += (applies.empty() ? "class " : ", class ") + c;
            for (const auto& d : r.sender_domains)
                applies += (applies.empty() ? "from " : ", from ") + d;
            t.rows.push_back({r.id, r.label, r.severity, static_cast<std::int64_t>(r.phrases.size()),
                              static_cast<std::int64_t>(r.near.size()),
                              static_cast<std::int64_t>(r.regexes.size()), applies,
                              static_cast<std::int64_t>(r.examples_match.size() +
                                                        r.examples_no_match.size()),
                              r.description});
        }
        return t;
    }

    std::vector<std::string> m_args;
    std::string m_action;
    std::string m_file;
};

} // namespace

std::unique_ptr<Command> make_command_codebook() { return std::make_unique<command_codebook>(); }

} // namespace porchlight::cli
