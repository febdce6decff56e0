// Placeholder: replaced by the command's implementation.
#include "command.hpp"

#include <porchlight/error.hpp>

namespace porchlight::cli {
namespace {

class command_heatmap final : public Command {
public:
    std::string_view name() const override { return "heatmap"; }
    std::string_view synopsis() const override { return "(not built yet)"; }
    std::string usage() const override { return "porchlight heatmap"; }
    int run() override { throw error("porchlight heatmap is not built yet"); }

protected:
    void add_options(po::options_description&) override {}
};

} // namespace

std::unique_ptr<Command> make_command_heatmap() { return std::make_unique<command_heatmap>(); }

} // namespace porchlight::cli
