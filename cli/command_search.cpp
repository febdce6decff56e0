#include "command.hpp"
#include "output.hpp"

#include <porchlight/report/documents.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_search final : public Command, with_format {
public:
    std::string_view name() const override { return "search"; }
    std::string_view synopsis() const override {
        return "full-text search of every document page and e-mail, with citations";
    }
    std::string usage() const override {
        return "porchlight search QUERY [--source S] [--since DATE] [--until DATE] [--limit N] "
               "[--redact] [--format table|csv|json]";
    }

    int run() override {
        auto s = open_store(false);
        if (m_source)
            m_options.source = report::find_source(s.db(), *m_source);
        auto t = report::search(s.db(), m_options);
        if (m_format == "table")
            drop_columns(t, {"source_id", "score", "page_id", "source_sha256"});
        print_table(t, m_format, std::cout);
        if (t.rows.empty() && !quiet())
            std::cerr << "porchlight search: no page matches " << m_options.query << '\n';
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override {
        add_format_option(opts);
        opts.add_options()("source", po::value<std::string>(&m_source_value)->value_name("S"),
                           "only this source (id, title, file name or sha256 prefix)")(
            "since", po::value<std::string>()->value_name("DATE"),
            "only pages dated on or after DATE (the e-mail's date, else the document's or "
            "the release's)")(
            "until", po::value<std::string>()->value_name("DATE"), "only pages dated on or before DATE")(
            "limit", po::value<int>(&m_options.limit)->default_value(50)->value_name("N"),
            "at most N hits, best first (0: all)")(
            "redact", po::bool_switch(&m_options.redact),
            "mask e-mail addresses, phone numbers and street addresses in the snippets");
    }
    void add_hidden_options(po::options_description& opts) override {
        opts.add_options()("query", po::value<std::vector<std::string>>(&m_words), "query");
    }
    void add_positional(po::positional_options_description& pos) override { pos.add("query", -1); }
    void check(const po::variables_map& vm) override {
        check_format();
        if (m_words.empty())
            throw argument_error("no query given (usage: " + usage() + ")");
        for (const auto& w : m_words)
            m_options.query += (m_options.query.empty() ? "" : " ") + w;
        if (vm.count("source"))
            m_source = m_source_value;
        if (vm.count("since")) {
            m_options.since = vm["since"].as<std::string>();
            check_as_of(*m_options.since, "--since");
        }
        if (vm.count("until")) {
            m_options.until = vm["until"].as<std::string>();
            check_as_of(*m_options.until, "--until");
        }
        if (m_options.limit < 0)
            throw argument_error("--limit must be 0 or more");
    }

private:
    std::vector<std::string> m_words;
    std::string m_source_value;
    std::optional<std::string> m_source;
    report::search_options m_options;
};

} // namespace

std::unique_ptr<Command> make_command_search() { return std::make_unique<command_search>(); }

} // namespace porchlight::cli
