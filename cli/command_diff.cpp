#include "command.hpp"
#include "output.hpp"

#include <porchlight/report/history.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_diff final : public Command, with_format {
public:
    std::string_view name() const override { return "diff"; }
    std::string_view synopsis() const override {
        return "compare two snapshots of a dataset: what appeared, disappeared or changed";
    }
    std::string usage() const override {
        return "porchlight diff [--source NAME] --from DATE|SHA --to DATE|SHA "
               "[--format table|csv|json]";
    }

    int run() override {
        auto s = open_store(false);
        const auto d = report::diff(s.db(), m_request);
        if (m_format == "table") {
            auto side = [](const report::snapshot& x) {
                return "source " + std::to_string(x.source_id) + " (" + x.as_of + ", " +
                       x.sha256.substr(0, 12) + ")";
            };
            const auto n = d.changes.rows.size();
            std::cout << d.from.dataset << ": " << side(d.from) << " -> " << side(d.to) << ", " << n
                      << (n == 1 ? " change" : " changes") << "\n\n";
        }
        print_table(d.changes, m_format, std::cout);
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override {
        add_format_option(opts);
        opts.add_options()("source", po::value<std::string>()->value_name("NAME"),
                           "dataset key (atlas-of-surveillance, ring-agency-map) or source title")(
            "from", po::value<std::string>()->value_name("DATE|SHA"),
            "the older snapshot: the latest as of DATE, or a SHA-256 prefix (6+ hex digits)")(
            "to", po::value<std::string>()->value_name("DATE|SHA"),
            "the newer snapshot, the same way");
    }
    void check(const po::variables_map& vm) override {
        check_format();
        if (!vm.count("from") || !vm.count("to"))
            throw argument_error("diff needs --from and --to (usage: " + usage() + ")");
        if (vm.count("source")) {
            m_request.source = vm["source"].as<std::string>();
            if (m_request.source->empty())
                throw argument_error("--source needs a dataset key or a source title");
        }
        m_request.from = ref(vm, "from");
        m_request.to = ref(vm, "to");
    }

private:
    static report::snapshot_ref ref(const po::variables_map& vm, const std::string& option) {
        try {
            return report::parse_snapshot_ref(vm[option].as<std::string>());
        } catch (const std::invalid_argument& e) {
            throw argument_error("--" + option + ": " + e.what());
        }
    }

    report::diff_request m_request;
};

} // namespace

std::unique_ptr<Command> make_command_diff() {
    return std::make_unique<command_diff>();
}

} // namespace porchlight::cli
