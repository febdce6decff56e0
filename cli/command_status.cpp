#include "command.hpp"
#include "output.hpp"

#include <porchlight/store/schema.hpp>

#include <nlohmann/json.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_status final : public Command, with_format {
public:
    std::string_view name() const override { return "status"; }
    std::string_view synopsis() const override {
        return "show the store: path, schema version, rows per table, conflicts";
    }
    std::string usage() const override { return "porchlight status [--format table|csv|json]"; }

    int run() override {
        auto s = open_store(false);
        auto& db = s.db();
        const auto counts = s.table_counts();
        const auto conflicts = db.scalar_int("SELECT count(*) FROM partnership_conflicts");
        const auto orphans = db.scalar_int("SELECT count(*) FROM facts_without_evidence");
        const auto warnings = db.scalar_int("SELECT count(*) FROM ingest_warnings");
        const auto failed =
            db.scalar_int("SELECT count(*) FROM documents WHERE status = 'failed'");
        const auto ocr = db.scalar_int("SELECT count(*) FROM pages WHERE needs_ocr");
        if (m_format == "json") {
            nlohmann::ordered_json j;
            j["db"] = s.path().string();
            j["blobs"] = s.blobs().dir().string();
            j["schema_version"] = s.schema_version();
            auto tables = nlohmann::ordered_json::object();
            for (const auto& c : counts)
                tables[c.table] = c.rows;
            j["tables"] = tables;
            j["conflicts"] = conflicts;
            j["ingest_warnings"] = warnings;
            j["facts_without_evidence"] = orphans;
            j["documents_failed"] = failed;
            j["pages_needing_ocr"] = ocr;
            std::cout << j.dump(2) << '\n';
            return 0;
        }
        report::table t;
        t.columns = {"table", "rows"};
        for (const auto& c : counts)
            t.rows.push_back({c.table, c.rows});
        if (m_format == "table") {
            std::cout << "store:            " << s.path().string() << '\n'
                      << "blobs:            " << s.blobs().dir().string() << '\n'
                      << "schema version:   " << s.schema_version() << " (this porchlight: "
                      << store::latest_schema_version() << ")\n"
                      << "conflicts:        " << conflicts
                      << (conflicts ? " (see `porchlight conflicts`)" : "") << '\n'
                      << "warnings:         " << warnings
                      << (warnings ? " (see `porchlight warnings`)" : "") << '\n'
                      << "without evidence: " << orphans << '\n'
                      << "unread documents: " << failed
                      << (failed ? " (see `porchlight documents --failed`)" : "") << '\n'
                      << "pages to OCR:     " << ocr << "\n\n";
        } else {
            t.rows.push_back({std::string("partnership_conflicts (view)"), conflicts});
        }
        print_table(t, m_format, std::cout);
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override { add_format_option(opts); }
    void check(const po::variables_map&) override { check_format(); }
};

} // namespace

std::unique_ptr<Command> make_command_status() { return std::make_unique<command_status>(); }

} // namespace porchlight::cli
