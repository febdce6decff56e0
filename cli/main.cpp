// porchlight: the command-line front end. Parses, prints, picks exit codes; all the work is
// in porchlight::core. This is the only place that catches exceptions.
#include "command.hpp"

#include <porchlight/config.hpp>
#include <porchlight/error.hpp>

#include <clocale>
#include <cstdlib>
#include <iostream>

namespace porchlight::cli {
void print_general_help(std::ostream& out);
void print_command_help(Command& cmd, std::ostream& out);
} // namespace porchlight::cli

int main(int argc, char** argv) {
    using namespace porchlight::cli;
    std::setlocale(LC_ALL, "C"); // numbers and sorting never depend on the user's locale
    std::ios::sync_with_stdio(false);

    global_options globals;
    const char* env_db = std::getenv("PORCHLIGHT_DB");
    globals.db = (env_db && *env_db) ? env_db : "porchlight.db";

    std::vector<std::string> args(argv + 1, argv + argc);
    std::size_t i = 0;
    for (; i < args.size(); ++i) {
        const auto& a = args[i];
        if (a == "--db") {
            if (i + 1 >= args.size()) {
                std::cerr << "porchlight: --db needs a path\n";
                return 2;
            }
            globals.db = args[++i];
        } else if (a.rfind("--db=", 0) == 0) {
            globals.db = a.substr(5);
        } else if (a == "-q" || a == "--quiet") {
            globals.verbosity = -1;
        } else if (a == "-v" || a == "--verbose") {
            globals.verbosity = 1;
        } else if (a == "--version" || a == "-V") {
            std::cout << "porchlight " << porchlight::config::version << '\n';
            return 0;
        } else if (a == "--help" || a == "-h") {
            print_general_help(std::cout);
            return 0;
        } else if (!a.empty() && a[0] == '-') {
            std::cerr << "porchlight: unknown option '" << a
                      << "' before the command (see `porchlight help`)\n";
            return 2;
        } else {
            break;
        }
    }
    if (i >= args.size()) {
        print_general_help(std::cerr);
        return 2;
    }
    const std::string name = args[i];
    auto cmd = make_command(name);
    if (!cmd) {
        std::vector<std::string> names;
        for (const auto& c : all_commands())
            names.emplace_back(c.name);
        const auto hint = suggest(name, names);
        std::cerr << "porchlight: unknown command '" << name << "'"
                  << (hint.empty() ? "" : "; did you mean '" + hint + "'?")
                  << " (see `porchlight help`)\n";
        return 2;
    }
    const std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
    try {
        cmd->setup(rest, globals);
    } catch (const help_requested&) {
        print_command_help(*cmd, std::cout);
        return 0;
    } catch (const argument_error& e) {
        std::cerr << "porchlight " << name << ": " << e.what() << '\n';
        return 2;
    }
    try {
        const int rc = cmd->run();
        std::cout.flush();
        return rc;
    } catch (const std::invalid_argument& e) {
        std::cerr << "porchlight " << name << ": " << e.what() << '\n';
        return 2;
    } catch (const porchlight::error& e) {
        std::cerr << "porchlight " << name << ": " << e.what() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "porchlight " << name << ": unexpected error: " << e.what() << '\n';
        return 1;
    }
}
