// Placeholder: replaced by the command's implementation.
#include "command.hpp"

#include <porchlight/error.hpp>

namespace porchlight::cli {
namespace {

class command_coverage final : public Command {
public:
    std::string_view name() const override { return "coverage"; }
    std::string_view synopsis() const override { return "(not built yet)"; }
    std::string usage() const override { return "porchlight coverage"; }
    int run() override { throw error("porchlight coverage is not built yet"); }

protected:
    void add_options(po::options_description&) override {}
};

} // namespace

std::unique_ptr<Command> make_command_coverage() { return std::make_unique<command_coverage>(); }

} // namespace porchlight::cli
