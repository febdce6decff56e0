#include "command.hpp"
#include "output.hpp"

#include <porchlight/report/documents.hpp>

#include <iostream>

namespace porchlight::cli {
namespace {

class command_documents final : public Command, with_format {
public:
    std::string_view name() const override { return "documents"; }
    std::string_view synopsis() const override {
        return "list the documents of FOIA releases: pages, e-mails, failures";
    }
    std::string usage() const override {
        return "porchlight documents [--source S] [--kind KIND] [--failed] "
               "[--format table|csv|json]";
    }

    int run() override {
        auto s = open_store(false);
        if (m_source)
            m_filter.source = report::find_source(s.db(), *m_source);
        auto t = report::documents(s.db(), m_filter);
        if (m_format == "table")
            drop_columns(t, {"source", "title", "size", "sha256"});
        print_table(t, m_format, std::cout);
        return 0;
    }

protected:
    void add_options(po::options_description& opts) override {
        add_format_option(opts);
        opts.add_options()("source", po::value<std::string>()->value_name("S"),
                           "only this source (id, title, file name or sha256 prefix)")(
            "kind", po::value<std::string>()->value_name("KIND"),
            "only documents of this kind (pdf, email, msg, mbox, docx, xlsx, html, text, zip ...)")(
            "failed", po::bool_switch(&m_filter.failed_only), "only documents that could not be read");
    }
    void check(const po::variables_map& vm) override {
        check_format();
        if (vm.count("source"))
            m_source = vm["source"].as<std::string>();
        if (vm.count("kind"))
            m_filter.kind = vm["kind"].as<std::string>();
    }

private:
    std::optional<std::string> m_source;
    report::document_filter m_filter;
};

} // namespace

std::unique_ptr<Command> make_command_documents() { return std::make_unique<command_documents>(); }

} // namespace porchlight::cli
