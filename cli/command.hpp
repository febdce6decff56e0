#pragma once

#include <porchlight/render/layers.hpp>
#include <porchlight/store/store.hpp>

#include <boost/program_options.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::cli {

namespace po = boost::program_options;

/// A usage error: exit status 2.
class argument_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// `CMD --help` was given: main() prints the command's help and exits 0.
struct help_requested {};

/// Options every command understands, before or after the command name.
struct global_options {
    std::filesystem::path db;
    int verbosity = 0; ///< -1 quiet, 0 normal, 1 verbose
};

/// One subcommand: setup() parses only (throws argument_error), run() does the work and
/// returns the exit status. Library errors propagate to main(), the only catcher.
class Command {
public:
    virtual ~Command() = default;
    virtual std::string_view name() const = 0;
    virtual std::string_view synopsis() const = 0; ///< one line for `porchlight help`
    virtual std::string usage() const = 0;         ///< "porchlight ingest FILE... [OPTIONS]"

    void setup(const std::vector<std::string>& args, const global_options& globals);
    virtual int run() = 0;
    /// Options help as program_options prints it.
    std::string options_help();

protected:
    virtual void add_options(po::options_description& opts) = 0;
    /// Options that hold positional arguments: parsed, but not listed in the help.
    virtual void add_hidden_options(po::options_description&) {}
    virtual void add_positional(po::positional_options_description&) {}
    /// Checks the parsed values (throws argument_error).
    virtual void check(const po::variables_map&) {}

    /// Opens the store named by --db; writable stores are migrated to the current schema.
    store::Store open_store(bool writable) const;
    bool quiet() const { return m_global.verbosity < 0; }
    bool verbose() const { return m_global.verbosity > 0; }
    global_options m_global;

private:
    po::options_description visible_options();
};

/// Mixin for listings: --format table|csv|json.
class with_format {
protected:
    void add_format_option(po::options_description& opts);
    void check_format() const;
    std::string m_format = "table";
};

/// Mixin for the layer commands (export, map): the filters of a render::layer_filter.
class with_layer_filter {
protected:
    /// --vendor --technology --state --as-of --since --until --include-personal-data
    void add_layer_filter_options(po::options_description& opts);
    /// --cell --min-count (the hexbins layer)
    void add_hexbin_options(po::options_description& opts);
    /// Fills m_filter from the parsed options and checks them for a layer of `kind`
    /// (throws argument_error).
    void check_layer_filter(const po::variables_map& vm, render::layer_kind kind);
    render::layer_filter m_filter;
};

/// The value of a string option, or nothing when it was not given.
std::optional<std::string> option_text(const po::variables_map& vm, const char* option);

/// Checks an --as-of (or another date option's) value is a full date (throws
/// argument_error naming the option).
void check_as_of(const std::string& value, std::string_view option = "--as-of");

struct command_info {
    std::string_view name;
    std::unique_ptr<Command> (*make)();
};

/// Every command, from the one list in cli/CMakeLists.txt.
const std::vector<command_info>& all_commands();
std::unique_ptr<Command> make_command(std::string_view name);
/// Closest command or option names for "did you mean".
std::string suggest(std::string_view wrong, const std::vector<std::string>& candidates);

} // namespace porchlight::cli
