#include "command.hpp"
#include "ingest_report.hpp"
#include "output.hpp"

#include <porchlight/docs/timezone.hpp>
#include <porchlight/ingest/document_ingester.hpp>
#include <porchlight/ingest/ingester.hpp>
#include <porchlight/ingest/remote.hpp>
#include <porchlight/net/http.hpp>
#include <porchlight/paths.hpp>
#include <porchlight/util/text.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_ingest final : public Command {
public:
    std::string_view name() const override { return "ingest"; }
    std::string_view synopsis() const override {
        return "read records (CSV, XLSX, GeoJSON, KML ...) and FOIA releases (PDF, e-mail, .msg, "
               "Office, zip, folders) into the store";
    }
    std::string usage() const override {
        return "porchlight ingest PATH|URL... [--profile NAME|FILE.yaml] [--as-of DATE] [--title TEXT] "
               "[--agency NAME] [--state ST] [--foia-request ID] [--requester NAME] [--released DATE] "
               "[--timezone ZONE] [--documents] [--strict] [--dry-run]";
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
        ingest::DocumentIngester documents(s, default_data_dir());
        bool wrote = false;
        for (const auto& file : m_files) {
            if (net::is_url(file)) {
                Progress progress("fetching " + file, !quiet());
                net::fetch_options fetch;
                fetch.progress = [&](std::uint64_t n, std::optional<std::uint64_t> total) {
                    progress.update_bytes(n, total);
                };
                const auto r = ingest::ingest_url(s, default_data_dir(), file, m_options,
                                                  m_doc_options, m_force_documents, fetch);
                progress.finish();
                print_report(r, style());
                wrote = wrote || !m_options.dry_run;
                guard.armed = created && !wrote;
                continue;
            }
            if (as_documents(file)) {
                Progress progress("reading " + file, !quiet(), "documents");
                auto opts = m_doc_options;
                opts.progress = [&](std::int64_t n) { progress.update(n); };
                const auto r = documents.ingest(file, opts);
                progress.finish();
                print_report(r, style());
                wrote = wrote || (!r.dry_run && !r.already_ingested);
                guard.armed = created && !wrote;
                continue;
            }
            Progress progress("reading " + file, !quiet());
            auto opts = m_options;
            opts.progress = [&](std::int64_t rows) { progress.update(rows); };
            const auto r = ingester.ingest_file(file, opts);
            progress.finish();
            print_report(r, style());
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
            "read, resolve and report, then roll back: the store is not changed")(
            "foia-request", po::value<std::string>()->value_name("ID"),
            "documents: the public-records request the release answers")(
            "requester", po::value<std::string>()->value_name("NAME"),
            "documents: who asked for the release")(
            "agency", po::value<std::string>()->value_name("NAME"),
            "records: the agency of rows that name none (an agency's request log); "
            "documents: the agency that released it")(
            "state", po::value<std::string>()->value_name("ST"),
            "records: the state of rows that give none; points are checked against it")(
            "released", po::value<std::string>()->value_name("DATE"),
            "documents: the date of the release, YYYY-MM-DD")(
            "timezone", po::value<std::string>()->value_name("ZONE"),
            "documents: IANA time zone of e-mail times printed without one "
            "(e.g. America/Los_Angeles)")(
            "documents", po::bool_switch(&m_force_documents),
            "read every PATH as documents, also .csv/.xlsx/.ods files")(
            "strict", po::bool_switch(&m_doc_options.strict),
            "documents: fail the whole release (and write nothing) when one document cannot be "
            "read");
    }
    void add_hidden_options(po::options_description& opts) override {
        opts.add_options()("file", po::value<std::vector<std::string>>(&m_files), "file to ingest");
    }
    void add_positional(po::positional_options_description& pos) override { pos.add("file", -1); }
    void check(const po::variables_map& vm) override {
        if (m_files.empty())
            throw argument_error("no file given (usage: " + usage() + ")");
        auto& rel = m_doc_options.release;
        for (const auto& [opt, target] :
             {std::pair{"foia-request", &rel.foia_request}, std::pair{"requester", &rel.requester},
              std::pair{"released", &rel.released}, std::pair{"timezone", &m_doc_options.timezone}})
            if (vm.count(opt)) {
                *target = vm[opt].as<std::string>();
                m_release_option = std::string("--") + opt;
            }
        // --agency names the releasing agency of documents and the agency of record rows
        if (vm.count("agency")) {
            rel.agency = vm["agency"].as<std::string>();
            m_options.agency = rel.agency;
        }
        if (vm.count("state")) {
            m_options.state = vm["state"].as<std::string>();
            if (!util::state_code(*m_options.state))
                throw argument_error("unknown state '" + *m_options.state +
                                     "' given as --state (a USPS code such as MD, or a name)");
        }
        if (rel.released)
            check_as_of(*rel.released, "--released");
        if (m_doc_options.timezone && !docs::known_timezone(*m_doc_options.timezone))
            throw argument_error("unknown time zone '" + *m_doc_options.timezone +
                                 "' given as --timezone (a name of the tz database, e.g. "
                                 "America/Los_Angeles or UTC)");
        for (const auto& f : m_files) {
            if (net::is_url(f))
                continue; // what it holds is known once it is fetched
            if (as_documents(f) && vm.count("profile"))
                throw argument_error("--profile applies to record files; " + f +
                                     " is read as documents");
            if (!as_documents(f) && !m_release_option.empty())
                throw argument_error(m_release_option + " describes a FOIA release; " + f +
                                     " is a record file: add --documents to read it as a "
                                     "document of the release");
        }
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
            rel.title = m_options.title;
        }
        m_doc_options.as_of = m_options.as_of;
        m_doc_options.dry_run = m_options.dry_run;
    }

private:
    report_style style() const { return {quiet(), verbose(), m_options.dry_run, {}}; }

    bool as_documents(const std::string& file) const {
        return m_force_documents || ingest::is_document_path(file, m_options.profile.has_value());
    }

    std::vector<std::string> m_files;
    ingest::ingest_options m_options;
    ingest::document_options m_doc_options;
    bool m_force_documents = false;
    std::string m_release_option; ///< a release option given (for the error message)
};

} // namespace

std::unique_ptr<Command> make_command_ingest() { return std::make_unique<command_ingest>(); }

} // namespace porchlight::cli
