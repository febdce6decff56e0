#include "command.hpp"
#include "output.hpp"

#include <porchlight/error.hpp>
#include <porchlight/paths.hpp>
#include <porchlight/report/chart.hpp>
#include <porchlight/report/documents.hpp>
#include <porchlight/report/reports.hpp>
#include <porchlight/util/date.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

namespace porchlight::cli {
namespace {

/// The options each kind understands (besides --format and --chart).
const std::map<std::string, std::set<std::string>>& kind_options() {
    static const std::map<std::string, std::set<std::string>> m = {
        {"partnerships",
         {"by", "vendor", "technology", "state", "since", "until", "as-of", "cumulative"}},
        {"messages", {"by", "source", "since", "until"}},
        {"sources", {}},
        {"evidence", {}},
        {"requests", {"by", "since", "until"}},
        {"coverage", {"by", "state"}},
        {"audit", {"by", "source", "agency", "rule", "include-personal-data"}}};
    return m;
}

class command_report final : public Command {
  public:
    std::string_view name() const override { return "report"; }
    std::string_view synopsis() const override {
        return "citable reports: how many, where, since when, according to whom";
    }
    std::string usage() const override {
        return "porchlight report partnerships|messages|sources|evidence FACT|requests|"
               "coverage|audit [--by B] [filters] [--format table|csv|json|md] [--chart OUT.svg]";
    }

    int run() override {
        auto s = open_store(false);
        auto r = build(s.db());
        if (m_chart) {
            std::string svg;
            try {
                svg = report::render_svg(report::to_chart(r));
            } catch (const std::invalid_argument& e) {
                throw error(std::string("cannot draw the chart: ") + e.what());
            }
            std::ofstream out(*m_chart, std::ios::binary | std::ios::trunc);
            if (out)
                out << svg;
            if (out)
                out.close();
            if (!out)
                throw error("cannot write the chart to " + *m_chart + ": " + std::strerror(errno));
        }
        print(r);
        return 0;
    }

  protected:
    void add_options(po::options_description& opts) override {
        opts.add_options()("by", po::value<std::string>()->value_name("B"),
                           "partnerships: year (default), month, state, county, vendor, "
                           "technology, agency-type; messages: month (default), class, sender; "
                           "requests: agency (default), state, month, year; coverage: county (default), "
                           "state, agency; audit: agency (default), rule, source")(
            "vendor", po::value<std::string>()->value_name("VENDOR"),
            "partnerships of this vendor (name or alias, substring)")(
            "technology", po::value<std::string>()->value_name("TECH"),
            "partnerships of this technology (substring)")(
            "state", po::value<std::string>()->value_name("ST"), "USPS code or state name")(
            "since", po::value<std::string>()->value_name("DATE"),
            "from this day, month or year on")("until",
                                               po::value<std::string>()->value_name("DATE"),
                                               "up to this day, month or year, inclusive")(
            "as-of", po::value<std::string>()->value_name("DATE"),
            "only partnerships that existed on DATE (YYYY-MM-DD)")(
            "cumulative", po::bool_switch(), "add the running total (default for year and month)")(
            "source", po::value<std::string>()->value_name("S"),
            "messages, audit: only this release (id, title, file name or sha256 prefix)")(
            "agency", po::value<std::string>()->value_name("A"),
            "audit: only findings of this agency (name or id)")(
            "rule", po::value<std::string>()->value_name("RULE"),
            "audit: only findings of this codebook rule")(
            "include-personal-data", po::bool_switch(),
            "audit: show personal data in excerpts (masked by default)")(
            "format,f",
            po::value<std::string>(&m_format)->default_value("table")->value_name("FORMAT"),
            "output format: table, csv, json or md")(
            "chart", po::value<std::string>()->value_name("OUT.svg"),
            "also draw the report as SVG");
    }
    void add_hidden_options(po::options_description& opts) override {
        opts.add_options()("kind", po::value<std::string>(&m_kind),
                           "report kind")("fact", po::value<std::string>(&m_fact), "fact");
    }
    void add_positional(po::positional_options_description& pos) override {
        pos.add("kind", 1).add("fact", 1);
    }
    void check(const po::variables_map& vm) override {
        if (m_kind.empty())
            throw argument_error("which report? (usage: " + usage() + ")");
        const auto& kinds = kind_options();
        const auto it = kinds.find(m_kind);
        if (it == kinds.end()) {
            const auto hint = suggest(m_kind, report::report_kinds());
            throw argument_error("no report '" + m_kind + "'" +
                                 (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                                 " (reports: partnerships, messages, sources, evidence, "
                                 "requests, coverage, audit)");
        }
        if (m_format != "table" && m_format != "csv" && m_format != "json" && m_format != "md") {
            const auto hint = suggest(m_format, {"table", "csv", "json", "md"});
            throw argument_error("unknown format '" + m_format + "'" +
                                 (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                                 " (formats: table, csv, json, md)");
        }
        if (m_kind == "evidence" && m_fact.empty())
            throw argument_error("report evidence needs a FACT: partnership:ID, agency:ID, "
                                 "agency:NAME or message:ID");
        if (m_kind != "evidence" && !m_fact.empty())
            throw argument_error("too many arguments (usage: " + usage() + ")");
        for (const char* opt : {"by", "vendor", "technology", "state", "since", "until", "as-of",
                                "cumulative", "source", "agency", "rule",
                                "include-personal-data"}) {
            const bool is_switch =
                std::string(opt) == "cumulative" || std::string(opt) == "include-personal-data";
            const bool given = is_switch ? vm[opt].as<bool>() : vm.count(opt) > 0;
            if (given && !it->second.count(opt))
                throw argument_error("--" + std::string(opt) + " does not apply to report " +
                                     m_kind);
            if (given && !is_switch)
                m_values[opt] = vm[opt].as<std::string>();
        }
        m_cumulative = vm["cumulative"].as<bool>();
        m_include_personal_data = vm["include-personal-data"].as<bool>();
        if (m_values.count("as-of"))
            check_as_of(m_values["as-of"]);
        for (const char* opt : {"since", "until"})
            if (m_values.count(opt))
                check_date(m_values[opt], opt);
        if (vm.count("chart"))
            m_chart = vm["chart"].as<std::string>();
    }

  private:
    static void check_date(const std::string& value, const std::string& opt) {
        try {
            if (!util::parse_date(value))
                throw argument_error("--" + opt + " needs a date");
        } catch (const std::invalid_argument& e) {
            throw argument_error("--" + opt + ": " + e.what());
        }
    }

    static std::vector<std::string> empty_columns(const report::table& t) {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < t.columns.size(); ++i) {
            bool empty = true;
            for (const auto& row : t.rows)
                empty = empty && report::to_text(row[i]).empty();
            if (empty)
                out.push_back(t.columns[i]);
        }
        return out;
    }

    std::optional<std::string> value_of(const std::string& opt) const {
        const auto it = m_values.find(opt);
        return it == m_values.end() ? std::nullopt : std::optional<std::string>(it->second);
    }

    report::report_result build(store::Database& db) const {
        if (m_kind == "partnerships") {
            report::partnership_report_options o;
            o.by = value_of("by").value_or("year");
            o.filter.vendor = value_of("vendor");
            o.filter.technology = value_of("technology");
            o.filter.state = value_of("state");
            o.filter.as_of = value_of("as-of");
            o.since = value_of("since");
            o.until = value_of("until");
            if (m_cumulative)
                o.cumulative = true;
            return report::partnerships_report(db, o);
        }
        if (m_kind == "messages") {
            report::message_report_options o;
            o.by = value_of("by").value_or("month");
            if (const auto s = value_of("source"))
                o.source = report::find_source(db, *s);
            o.since = value_of("since");
            o.until = value_of("until");
            return report::messages_report(db, o);
        }
        if (m_kind == "sources")
            return report::sources_report(db);
        if (m_kind == "evidence")
            return report::evidence_report(db, m_fact);
        if (m_kind == "coverage") {
            report::coverage_report_options o;
            o.by = value_of("by").value_or("county");
            o.state = value_of("state");
            return report::coverage_report(db, default_data_dir(), o);
        }
        if (m_kind == "audit") {
            report::audit_report_options o;
            o.by = value_of("by").value_or("agency");
            o.source = value_of("source");
            o.agency = value_of("agency");
            o.rule = value_of("rule");
            o.include_personal_data = m_include_personal_data;
            return report::audit_report(db, o);
        }
        report::request_report_options o;
        o.by = value_of("by").value_or("agency");
        o.since = value_of("since");
        o.until = value_of("until");
        return report::requests_report(db, o);
    }

    void print(const report::report_result& r) const {
        if (m_format == "json") {
            std::cout << report::to_json_text(r);
            return;
        }
        if (m_format == "md") {
            std::cout << report::to_markdown(r);
            return;
        }
        if (m_format == "csv") {
            print_table(r.rows, "csv", std::cout);
            // CSV has room for the rows only: what was left out goes to stderr
            if (!quiet())
                for (const auto& n : r.notes)
                    std::cerr << "porchlight report: note: " << n << '\n';
            return;
        }
        std::cout << r.title << '\n';
        std::string filters;
        for (const auto& [key, v] : r.filters)
            if (key != "by")
                filters += (filters.empty() ? "" : ", ") + key + " " + v;
        if (!filters.empty())
            std::cout << "(" << filters << ")\n";
        std::cout << '\n';
        auto t = report::without_source_columns(r);
        if (r.kind == "evidence") // a terminal is narrow: the columns no citation fills go
            drop_columns(t, empty_columns(t));
        if (t.rows.empty())
            std::cout << "(no rows)\n";
        else
            print_table(t, "table", std::cout);
        if (!r.notes.empty()) {
            std::cout << "\nnotes:\n";
            for (const auto& n : r.notes)
                std::cout << "  - " << n << '\n';
        }
        std::cout << "\nsources:\n";
        if (r.sources.empty())
            std::cout << "  (none)\n";
        for (const auto& s : r.sources)
            std::cout << "  [" << s.n << "] " << s.title << ", " << s.origin << ", sha256 "
                      << s.sha256.substr(0, 12)
                      << (s.retrieved_at ? ", retrieved " + s.retrieved_at->substr(0, 10) : "")
                      << (s.as_of ? ", as of " + *s.as_of : "") << '\n';
    }

    std::string m_kind;
    std::string m_fact;
    std::string m_format = "table";
    std::map<std::string, std::string> m_values;
    bool m_cumulative = false;
    bool m_include_personal_data = false;
    std::optional<std::string> m_chart;
};

} // namespace

std::unique_ptr<Command> make_command_report() {
    return std::make_unique<command_report>();
}

} // namespace porchlight::cli
