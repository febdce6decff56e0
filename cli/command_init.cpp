#include "command.hpp"

#include <porchlight/store/schema.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_init final : public Command {
public:
    std::string_view name() const override { return "init"; }
    std::string_view synopsis() const override { return "create a new store (or upgrade one)"; }
    std::string usage() const override { return "porchlight init [--db PATH]"; }

    int run() override {
        bool created = false;
        int found = 0;
        auto s = store::Store::create(m_global.db, &created, &found);
        if (!quiet()) {
            if (created)
                std::cout << "created store " << s.path().string() << " (schema version "
                          << s.schema_version() << ", blobs in " << s.blobs().dir().string()
                          << ")\n";
            else if (found < s.schema_version())
                std::cout << "upgraded store " << s.path().string() << " from schema version "
                          << found << " to " << s.schema_version() << '\n';
            else
                std::cout << "store " << s.path().string() << " already exists (schema version "
                          << s.schema_version() << "); nothing to do\n";
        }
        return 0;
    }

protected:
    void add_options(po::options_description&) override {}
};

} // namespace

std::unique_ptr<Command> make_command_init() { return std::make_unique<command_init>(); }

} // namespace porchlight::cli
