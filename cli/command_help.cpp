#include "command.hpp"

#include <porchlight/config.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace porchlight::cli {

/// The folder of the per-command manual pages (docs/commands/<cmd>.md).
std::filesystem::path docs_dir() {
    if (const char* env = std::getenv("PORCHLIGHT_DOCS_DIR"); env && *env)
        return env;
    std::error_code ec;
    const auto source = std::filesystem::path(config::source_dir) / "docs" / "commands";
    if (std::filesystem::is_directory(source, ec))
        return source;
    return std::filesystem::path(config::install_data_dir).parent_path() / "doc" / "porchlight" /
           "commands";
}

void print_general_help(std::ostream& out) {
    out << "porchlight " << config::version
        << ": an auditable store of police surveillance partnerships, built from FOIA "
           "releases and public records\n\n"
           "usage: porchlight [--db PATH] [-q|-v] COMMAND [ARGS]\n"
           "       porchlight help COMMAND     the manual page of a command\n"
           "       porchlight --version\n\ncommands:\n";
    std::size_t w = 0;
    for (const auto& c : all_commands())
        w = std::max(w, c.name.size());
    for (const auto& c : all_commands())
        out << "  " << c.name << std::string(w - c.name.size() + 2, ' ') << c.make()->synopsis()
            << '\n';
    out << "\nglobal options:\n"
           "  --db PATH      the store (default: $PORCHLIGHT_DB, else ./porchlight.db)\n"
           "  -q, --quiet    print only errors\n"
           "  -v, --verbose  print more detail\n\n"
           "exit status: 0 ok, 1 processing error, 2 usage error\n";
}

void print_command_help(Command& cmd, std::ostream& out) {
    out << "usage: " << cmd.usage() << "\n\n" << cmd.synopsis() << "\n\n" << cmd.options_help();
    out << "\nmanual: porchlight help " << cmd.name() << '\n';
}

namespace {

class command_help final : public Command {
public:
    std::string_view name() const override { return "help"; }
    std::string_view synopsis() const override { return "show the manual page of a command"; }
    std::string usage() const override { return "porchlight help [COMMAND]"; }

    int run() override {
        if (m_topic.empty()) {
            print_general_help(std::cout);
            return 0;
        }
        auto cmd = make_command(m_topic);
        const auto page = docs_dir() / (m_topic + ".md");
        std::ifstream in(page);
        if (in) {
            std::cout << in.rdbuf();
            return 0;
        }
        print_command_help(*cmd, std::cout);
        return 0;
    }

protected:
    void add_options(po::options_description&) override {}
    void add_hidden_options(po::options_description& opts) override {
        opts.add_options()("topic", po::value<std::string>(&m_topic), "command name");
    }
    void add_positional(po::positional_options_description& pos) override { pos.add("topic", 1); }
    void check(const po::variables_map&) override {
        if (m_topic.empty() || make_command(m_topic))
            return;
        std::vector<std::string> names;
        for (const auto& c : all_commands())
            names.emplace_back(c.name);
        auto hint = suggest(m_topic, names);
        throw argument_error("no command '" + m_topic + "'" +
                             (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
    }

private:
    std::string m_topic;
};

} // namespace

std::unique_ptr<Command> make_command_help() { return std::make_unique<command_help>(); }

} // namespace porchlight::cli
