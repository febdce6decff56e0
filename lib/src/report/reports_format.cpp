// The forms of a report other than the text table and CSV (which the CLI prints like any
// listing): Markdown, JSON and the chart. Nothing here reads the clock: the same report
// gives the same bytes.
#include "detail/reports.hpp"
#include "detail/value_json.hpp"

#include <porchlight/error.hpp>
#include <porchlight/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace porchlight::report {

namespace {

using namespace reports_detail;
using json = nlohmann::ordered_json;

json to_objects(const table& t) {
    auto arr = json::array();
    for (const auto& row : t.rows) {
        auto obj = json::object();
        for (std::size_t i = 0; i < row.size() && i < t.columns.size(); ++i)
            obj[t.columns[i]] = value_json<json>(row[i]);
        arr.push_back(std::move(obj));
    }
    return arr;
}

json optional_text(const std::optional<std::string>& s) {
    return s ? json(*s) : json(nullptr);
}

/// Text porchlight wrote (a note, the filters) for Markdown: one line, pipes escaped, and
/// HTML markup neutralised (a renderer would run it). Its `code spans` stay code.
std::string md_cell(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n' || c == '\r' || c == '\t')
            out += ' ';
        else
            util::append_xml_escaped(out, std::string_view(&c, 1), util::xml_quotes::kept);
    }
    return out;
}

/// Text from the records (an agency, a title) for Markdown: md_cell, and the characters
/// Markdown reads as emphasis, links or code escaped, so a name is shown as written. ('_'
/// is left alone: inside words, as in column names and class ids, CommonMark does not read
/// it as emphasis.)
std::string md_text(const std::string& s) {
    std::string out;
    for (char c : md_cell(s)) {
        if (c == '*' || c == '[' || c == ']' || c == '`')
            out += '\\';
        out += c;
    }
    return out;
}

/// Text shown as `code`: a backtick would end the span early, a line break the line.
std::string code_span(const std::string& s) {
    std::string out = "`";
    for (char c : s)
        out += c == '`' ? '\'' : (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    return out + "`";
}

void append_cell(std::string& out, const std::string& s) {
    out += ' ';
    out += md_text(s);
    out += " |";
}

bool numeric_column(const table& t, std::size_t i) {
    bool any = false;
    for (const auto& row : t.rows) {
        if (std::holds_alternative<std::monostate>(row[i]))
            continue;
        if (std::holds_alternative<std::string>(row[i]))
            return false;
        any = true;
    }
    return any;
}

std::string filters_text(const report_result& r, bool with_by, std::string_view separator) {
    std::vector<std::string> parts;
    for (const auto& [name, v] : r.filters)
        if (with_by || name != "by")
            parts.push_back(name + " " + v);
    for (auto& p : parts)
        std::replace(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(p.find(' ')), '_', ' ');
    return join_text(parts, separator);
}

} // namespace

table without_source_columns(const report_result& r) {
    table t;
    std::vector<std::size_t> keep;
    for (std::size_t i = 0; i < r.rows.columns.size(); ++i)
        if (std::find(r.source_columns.begin(), r.source_columns.end(), r.rows.columns[i]) ==
            r.source_columns.end()) {
            keep.push_back(i);
            t.columns.push_back(r.rows.columns[i]);
        }
    for (const auto& row : r.rows.rows) {
        std::vector<value> out;
        for (auto i : keep)
            out.push_back(row[i]);
        t.rows.push_back(std::move(out));
    }
    return t;
}

std::string to_markdown(const report_result& r) {
    std::string out = "# " + md_text(r.title) + "\n\n";
    const auto filters = filters_text(r, true, ", ");
    out += "Filters: " + (filters.empty() ? std::string("none") : md_cell(filters)) + ".\n";
    const auto& g = r.generated_from;
    out += "Generated from " + code_span(g.store) + " (schema " + std::to_string(g.schema_version) + ", " +
           count_of(g.sources, "source") +
           (g.last_ingested_at ? ", last ingest " + *g.last_ingested_at : std::string()) +
           ") by porchlight " + g.porchlight_version + ".\n\n";
    const auto t = without_source_columns(r);
    if (t.rows.empty()) {
        out += "_No rows._\n";
    } else {
        out += "|";
        for (const auto& c : t.columns)
            append_cell(out, c);
        out += "\n|";
        for (std::size_t i = 0; i < t.columns.size(); ++i)
            out += numeric_column(t, i) ? " ---: |" : " --- |";
        out += "\n";
        for (const auto& row : t.rows) {
            out += "|";
            for (const auto& v : row)
                append_cell(out, to_text(v));
            out += "\n";
        }
    }
    if (!r.notes.empty()) {
        out += "\n## Notes\n\n";
        for (const auto& n : r.notes)
            out += "- " + md_cell(n) + "\n";
    }
    out += "\n## Sources\n\n";
    if (r.sources.empty())
        out += "None: no source in the store supports this report.\n";
    for (const auto& s : r.sources) {
        out += std::to_string(s.n) + ". " + md_text(s.title) + ", " + code_span(s.origin) +
               ", sha256 `" + s.sha256.substr(0, 12) + "`";
        if (s.retrieved_at)
            out += ", retrieved " + s.retrieved_at->substr(0, 10);
        if (s.as_of)
            out += ", as of " + *s.as_of;
        out += "\n";
    }
    return out;
}

std::string to_json_text(const report_result& r) {
    json j = json::object();
    j["report"] = r.kind;
    j["title"] = r.title;
    auto filters = json::object();
    for (const auto& [name, v] : r.filters)
        filters[name] = v;
    j["filters"] = std::move(filters);
    const auto& g = r.generated_from;
    j["generated_from"] = {{"store", g.store},
                           {"schema_version", g.schema_version},
                           {"sources", g.sources},
                           {"last_ingested_at", optional_text(g.last_ingested_at)},
                           {"porchlight_version", g.porchlight_version}};
    j["columns"] = r.rows.columns;
    j["rows"] = to_objects(r.rows);
    j["notes"] = r.notes;
    auto sources = json::array();
    for (const auto& s : r.sources)
        sources.push_back({{"n", s.n},
                           {"id", s.id},
                           {"title", s.title},
                           {"origin", s.origin},
                           {"sha256", s.sha256},
                           {"retrieved_at", optional_text(s.retrieved_at)},
                           {"as_of", optional_text(s.as_of)}});
    j["sources"] = std::move(sources);
    for (const auto& e : r.extras)
        j[e.name] = e.list ? to_objects(*e.list) : value_json<json>(e.scalar);
    return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string chart_credit(const report_result& r) {
    std::vector<std::string> titles;
    for (const auto& s : r.sources)
        titles.push_back(s.title);
    return "Source: " + (titles.empty() ? std::string("none") : join_text(titles, "; ")) +
           " · porchlight";
}

chart_data to_chart(const report_result& r) {
    if (r.chart_category.empty())
        throw error("report " + r.kind + " has no chart");
    if (r.rows.rows.empty())
        throw error("nothing to chart: the report has no rows");
    auto column = [&](const std::string& name) {
        const auto it = std::find(r.rows.columns.begin(), r.rows.columns.end(), name);
        if (it == r.rows.columns.end())
            throw error("report " + r.kind + " has no column " + name + " to chart");
        return static_cast<std::size_t>(it - r.rows.columns.begin());
    };
    chart_data c;
    c.type = r.chart_type;
    c.title = r.title;
    const auto filters = filters_text(r, false, " · ");
    c.subtitle = filters.empty() ? "no filters" : filters;
    c.x_label = r.chart_category;
    c.y_label = r.chart_y_label;
    c.credit = chart_credit(r);
    const auto cat = column(r.chart_category);
    for (const auto& row : r.rows.rows)
        c.categories.push_back(to_text(row[cat]));
    for (const auto& name : r.chart_series) {
        chart_series s;
        s.name = name;
        const auto i = column(name);
        for (const auto& row : r.rows.rows) {
            if (const auto* n = std::get_if<std::int64_t>(&row[i]))
                s.values.push_back(static_cast<double>(*n));
            else if (const auto* d = std::get_if<double>(&row[i]))
                s.values.push_back(*d);
            else
                s.values.push_back(0.0);
        }
        c.series.push_back(std::move(s));
    }
    return c;
}

} // namespace porchlight::report
