#include "command.hpp"
#include "ingest_report.hpp"
#include "output.hpp"

#include <porchlight/error.hpp>
#include <porchlight/ingest/remote.hpp>
#include <porchlight/net/http.hpp>
#include <porchlight/paths.hpp>
#include <porchlight/report/table.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_fetch final : public Command, with_format {
public:
    std::string_view name() const override { return "fetch"; }
    std::string_view synopsis() const override {
        return "fetch a public source from the web (a URL or a name of data/sources.yaml) and "
               "ingest it with its provenance";
    }
    std::string usage() const override {
        return "porchlight fetch URL|NAME [-o FILE] [--no-ingest] [--profile P] [--title TEXT] "
               "[--as-of DATE] [--documents] [--dry-run] [--timeout S] [--max-size BYTES] "
               "[--retries N] [--registry FILE] | porchlight fetch --list";
    }

    int run() override {
        const auto registry = ingest::load_registry(m_registry.empty()
                                                        ? default_data_dir() / "sources.yaml"
                                                        : std::filesystem::path(m_registry));
        if (m_list) {
            report::table t;
            t.columns = {"name", "title", "url", "profile", "licence", "note"};
            for (const auto& e : registry)
                t.rows.push_back({e.name, e.title, e.url, e.profile, e.licence, e.note});
            if (m_format == "table")
                drop_columns(t, {"note"});
            print_table(t, m_format, std::cout);
            return 0;
        }
        std::string url = m_target;
        if (!net::is_url(m_target)) {
            const ingest::registry_entry* entry = nullptr;
            std::vector<std::string> names;
            for (const auto& e : registry) {
                names.push_back(e.name);
                if (e.name == m_target)
                    entry = &e;
            }
            if (!entry) {
                const auto close = suggest(m_target, names);
                throw not_found_error("'" + m_target + "' is neither an http(s) URL nor a source "
                                     "of the registry" +
                                     (close.empty() ? "" : "; did you mean '" + close + "'?") +
                                     " (see `porchlight fetch --list`)");
            }
            url = entry->url;
            if (!m_options.profile && !entry->profile.empty())
                m_options.profile = entry->profile;
            if (!m_options.title && !entry->title.empty())
                m_options.title = entry->title;
            m_doc_options.release.title = m_options.title;
        }
        if (m_no_ingest) {
            Progress progress("fetching " + url, !quiet());
            m_fetch.progress = [&](std::uint64_t n, std::optional<std::uint64_t> total) {
                progress.update_bytes(n, total);
            };
            const auto r = net::fetch_to_file(url, m_output, m_fetch);
            progress.finish();
            if (!quiet())
                std::cout << m_output << ": " << r.size << " bytes from " << r.final_url
                          << " (HTTP " << r.status << ", sha256 " << r.sha256.substr(0, 12)
                          << "…" << (r.etag.empty() ? "" : ", ETag " + r.etag) << ")\n";
            return 0;
        }
        auto s = store::Store::create(m_global.db);
        Progress progress("fetching " + url, !quiet());
        m_fetch.progress = [&](std::uint64_t n, std::optional<std::uint64_t> total) {
            progress.update_bytes(n, total);
        };
        const auto r = ingest::ingest_url(s, default_data_dir(), url, m_options, m_doc_options,
                                          m_documents, m_fetch, m_output);
        progress.finish();
        print_report(r, {quiet(), verbose(), m_options.dry_run, {}});
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override {
        add_format_option(opts);
        opts.add_options()("output,o", po::value<std::string>(&m_output)->value_name("FILE"),
                           "also write the bytes to FILE")(
            "no-ingest", po::bool_switch(&m_no_ingest), "only download to FILE (-o); no store")(
            "list", po::bool_switch(&m_list), "list the known public sources (data/sources.yaml)")(
            "registry", po::value<std::string>(&m_registry)->value_name("FILE"),
            "another registry of sources instead of data/sources.yaml")(
            "profile,p", po::value<std::string>()->value_name("NAME"),
            "profile to read records with (default: the registry's, else detected)")(
            "title", po::value<std::string>()->value_name("TEXT"), "title of the source")(
            "as-of", po::value<std::string>()->value_name("DATE"),
            "date the snapshot describes (default: today, UTC)")(
            "documents", po::bool_switch(&m_documents), "read it as documents (a FOIA release)")(
            "dry-run,n", po::bool_switch(&m_options.dry_run),
            "fetch, read and report, then roll back")(
            "timeout", po::value<long>(&m_fetch.total_timeout_s)->value_name("S"),
            "give up an attempt after S seconds (default 900)")(
            "max-size", po::value<std::uint64_t>(&m_fetch.max_bytes)->value_name("BYTES"),
            "refuse bodies larger than this (default 2 GiB)")(
            "retries", po::value<int>(&m_fetch.retries)->value_name("N"),
            "attempts after a 5xx or network error (default 3)");
    }
    void add_hidden_options(po::options_description& opts) override {
        opts.add_options()("target", po::value<std::string>(&m_target), "URL or name");
    }
    void add_positional(po::positional_options_description& pos) override { pos.add("target", 1); }
    void check(const po::variables_map& vm) override {
        check_format();
        if (!m_list && m_target.empty())
            throw argument_error("no URL or NAME given (usage: " + usage() + ")");
        if (m_no_ingest && m_output.empty())
            throw argument_error("--no-ingest needs -o FILE: where to put the bytes");
        if (vm.count("profile"))
            m_options.profile = vm["profile"].as<std::string>();
        if (vm.count("title"))
            m_options.title = vm["title"].as<std::string>();
        m_doc_options.release.title = m_options.title;
        if (vm.count("as-of")) {
            m_options.as_of = vm["as-of"].as<std::string>();
            check_as_of(*m_options.as_of);
            m_doc_options.as_of = m_options.as_of;
        }
        m_doc_options.dry_run = m_options.dry_run;
        if (m_fetch.total_timeout_s <= 0 || m_fetch.retries < 0)
            throw argument_error("--timeout must be positive and --retries 0 or more");
    }

private:
    std::string m_target;
    std::string m_output;
    std::string m_registry;
    bool m_no_ingest = false;
    bool m_list = false;
    bool m_documents = false;
    ingest::ingest_options m_options;
    ingest::document_options m_doc_options;
    net::fetch_options m_fetch;
};

} // namespace

std::unique_ptr<Command> make_command_fetch() { return std::make_unique<command_fetch>(); }

} // namespace porchlight::cli
