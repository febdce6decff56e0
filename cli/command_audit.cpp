// Placeholder: replaced by the command's implementation.
#include "command.hpp"

#include <porchlight/error.hpp>

namespace porchlight::cli {
namespace {

class command_audit final : public Command {
public:
    std::string_view name() const override { return "audit"; }
    std::string_view synopsis() const override { return "(not built yet)"; }
    std::string usage() const override { return "porchlight audit"; }
    int run() override { throw error("porchlight audit is not built yet"); }

protected:
    void add_options(po::options_description&) override {}
};

} // namespace

std::unique_ptr<Command> make_command_audit() { return std::make_unique<command_audit>(); }

} // namespace porchlight::cli
