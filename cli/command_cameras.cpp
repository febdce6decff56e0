// Placeholder: replaced by the command's implementation.
#include "command.hpp"

#include <porchlight/error.hpp>

namespace porchlight::cli {
namespace {

class command_cameras final : public Command {
public:
    std::string_view name() const override { return "cameras"; }
    std::string_view synopsis() const override { return "(not built yet)"; }
    std::string usage() const override { return "porchlight cameras"; }
    int run() override { throw error("porchlight cameras is not built yet"); }

protected:
    void add_options(po::options_description&) override {}
};

} // namespace

std::unique_ptr<Command> make_command_cameras() { return std::make_unique<command_cameras>(); }

} // namespace porchlight::cli
