#include "command.hpp"
#include "output.hpp"

#include <porchlight/ingest/ingester.hpp>
#include <porchlight/paths.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_ingest final : public Command {
public:
    std::string_view name() const override { return "ingest"; }
    std::string_view synopsis() const override {
        return "read record files (CSV, XLSX, ODS, GeoJSON, GeoPackage, KML, KMZ) into the store";
    }
    std::string usage() const override {
        return "porchlight ingest FILE... [--profile NAME|FILE.yaml] [--as-of DATE] [--title TEXT] "
               "[--dry-run]";
    }

    int run() override {
        bool created = false;
        auto s = store::Store::create(m_global.db, &created);
        // a store this command created goes away again when nothing was written to it
        struct remove_if_new {
            const std::filesystem::path& db;
            bool armed;
            store::Store& s;
            ~remove_if_new() {
                if (!armed)
                    return;
                try {
                    s.db().close();
                } catch (...) {
                    return;
                }
                std::error_code ec;
                std::filesystem::remove(db, ec);
                std::filesystem::remove(std::filesystem::path(db.string() + "-wal"), ec);
                std::filesystem::remove(std::filesystem::path(db.string() + "-shm"), ec);
                std::filesystem::remove_all(store::Store::blob_dir_for(db), ec);
            }
        } guard{m_global.db, created, s};
        ingest::Ingester ingester(s, default_data_dir());
        bool wrote = false;
        for (const auto& file : m_files) {
            Progress progress("reading " + file, !quiet());
            auto opts = m_options;
            opts.progress = [&](std::int64_t rows) { progress.update(rows); };
            const auto r = ingester.ingest_file(file, opts);
            progress.finish();
            report(r);
            wrote = wrote || (!r.dry_run && !r.already_ingested);
            guard.armed = created && !wrote;
        }
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override {
        opts.add_options()(
            "profile,p", po::value<std::string>()->value_name("NAME"),
            "profile name (see data/profiles) or a profile .yaml file; detected when absent")(
            "as-of", po::value<std::string>()->value_name("DATE"),
            "date the snapshot describes, YYYY-MM-DD (default: today, UTC)")(
            "title", po::value<std::string>()->value_name("TEXT"), "title of the source (default: the file name)")(
            "dry-run,n", po::bool_switch(&m_options.dry_run),
            "read, resolve and report, then roll back: the store is not changed");
    }
    void add_hidden_options(po::options_description& opts) override {
        opts.add_options()("file", po::value<std::vector<std::string>>(&m_files), "file to ingest");
    }
    void add_positional(po::positional_options_description& pos) override { pos.add("file", -1); }
    void check(const po::variables_map& vm) override {
        if (m_files.empty())
            throw argument_error("no file given (usage: " + usage() + ")");
        if (vm.count("profile"))
            m_options.profile = vm["profile"].as<std::string>();
        if (vm.count("as-of")) {
            m_options.as_of = vm["as-of"].as<std::string>();
            check_as_of(*m_options.as_of);
        }
        if (vm.count("title")) {
            if (m_files.size() > 1)
                throw argument_error("--title names one source; give one file with it");
            m_options.title = vm["title"].as<std::string>();
        }
    }

private:
    void report(const ingest::ingest_result& r) const {
        const auto short_sha = r.sha256.substr(0, 12);
        if (r.already_ingested) {
            if (!quiet()) {
                std::cout << r.file.string() << ": already ingested (sha256 " << short_sha
                          << "…) as source " << r.source_id << "; nothing changed\n";
                if (r.profile_not_applied)
                    std::cerr << "porchlight ingest: " << r.file.string() << " was read with profile "
                              << r.profile << "; profile " << *r.profile_not_applied
                              << " was not applied to the same bytes\n";
            }
            return;
        }
        if (!quiet()) {
            std::cout << r.file.string() << ": "
                      << (r.dry_run ? "dry run, nothing written" : "ingested as source " +
                                                                     std::to_string(r.source_id))
                      << " (sha256 " << short_sha << "…, " << r.format << ", profile " << r.profile
                      << ": " << r.profile_reason << ")\n"
                      << "  rows " << r.rows << ", agencies " << r.agencies << " (" << r.agencies_new
                      << " new), partnerships " << r.partnerships << " (" << r.partnerships_new
                      << " new), undated " << r.undated << ", unresolved " << r.unresolved
                      << ", conflicts " << r.conflicts << " (" << r.conflicts_new << " new)"
                      << ", warnings " << r.warning_count << '\n';
        }
        const std::size_t show = verbose() ? r.warnings.size() : std::min<std::size_t>(10, r.warnings.size());
        if (quiet())
            return;
        for (std::size_t i = 0; i < show; ++i) {
            const auto& w = r.warnings[i];
            std::cerr << "porchlight ingest: warning: " << w.message << " (" << r.file.string()
                      << ":" << w.locator << (w.field.empty() ? "" : ", " + w.field) << ")\n";
        }
        if (static_cast<std::int64_t>(show) < r.warning_count && r.dry_run)
            std::cerr << "porchlight ingest: " << (r.warning_count - static_cast<std::int64_t>(show))
                      << " more warning(s); use -v to see them all\n";
        else if (static_cast<std::int64_t>(show) < r.warning_count)
            std::cerr << "porchlight ingest: " << (r.warning_count - static_cast<std::int64_t>(show))
                      << " more warning(s); see `porchlight warnings --source " << r.source_id
                      << "` or use -v\n";
    }

    std::vector<std::string> m_files;
    ingest::ingest_options m_options;
};

} // namespace

std::unique_ptr<Command> make_command_ingest() { return std::make_unique<command_ingest>(); }

} // namespace porchlight::cli
