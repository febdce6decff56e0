#pragma once

// What the `porchlight report` tests share (report_test.cpp on the demo corpus,
// report_real_test.cpp on the real Atlas export and FOIA releases): running the binary on a
// store, a small check of a JSON report against schemas/report-<kind>.schema.json, and
// counting the marks of a chart, and writing fixtures (file times, a printed e-mail PDF).

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <test_support.hpp>

#if __has_include(<pugixml.hpp>)
#include <pugixml.hpp>
#define PORCHLIGHT_REPORT_TEST_PUGIXML 1
#endif

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace porchlight::test::report {

using json = nlohmann::json;
namespace fs = std::filesystem;

inline run_result run_on(const std::string& db, std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db});
    return run_porchlight(args);
}

inline json report_json(const std::string& db, std::vector<std::string> args) {
    args.insert(args.begin(), "report");
    args.insert(args.end(), {"--format", "json"});
    const auto r = run_on(db, args);
    INFO("stderr: " << r.err);
    REQUIRE(r.status == 0);
    return json::parse(r.out);
}

/// Problems of `v` against a JSON Schema, as far as porchlight's report schemas use it:
/// type (one or a list), const, enum, required, properties, additionalProperties (false
/// or a schema), items, minimum, pattern. Empty when v conforms.
inline void schema_problems(const json& v, const json& schema, const std::string& where,
                            std::vector<std::string>& out) {
    auto type_ok = [&](const std::string& t) {
        if (t == "object")
            return v.is_object();
        if (t == "array")
            return v.is_array();
        if (t == "string")
            return v.is_string();
        if (t == "integer")
            return v.is_number_integer();
        if (t == "number")
            return v.is_number();
        if (t == "boolean")
            return v.is_boolean();
        return t == "null" && v.is_null();
    };
    if (schema.contains("type")) {
        bool ok = false;
        if (schema["type"].is_string())
            ok = type_ok(schema["type"].get<std::string>());
        else
            for (const auto& t : schema["type"])
                ok = ok || type_ok(t.get<std::string>());
        if (!ok) {
            out.push_back(where + ": " + v.dump() + " is not of type " + schema["type"].dump());
            return;
        }
    }
    if (schema.contains("const") && v != schema["const"])
        out.push_back(where + ": not " + schema["const"].dump());
    if (schema.contains("enum") &&
        std::find(schema["enum"].begin(), schema["enum"].end(), v) == schema["enum"].end())
        out.push_back(where + ": " + v.dump() + " not in " + schema["enum"].dump());
    if (schema.contains("minimum") && v.is_number() &&
        v.get<double>() < schema["minimum"].get<double>())
        out.push_back(where + ": below the minimum");
    if (schema.contains("pattern") && v.is_string() &&
        !std::regex_search(v.get<std::string>(), std::regex(schema["pattern"].get<std::string>())))
        out.push_back(where + ": does not match " + schema["pattern"].get<std::string>());
    if (v.is_object()) {
        for (const auto& key : schema.value("required", json::array()))
            if (!v.contains(key.get<std::string>()))
                out.push_back(where + ": no required key " + key.get<std::string>());
        for (const auto& [key, item] : v.items()) {
            const auto props = schema.value("properties", json::object());
            if (props.contains(key))
                schema_problems(item, props[key], where + "." + key, out);
            else if (schema.contains("additionalProperties")) {
                const auto& extra = schema["additionalProperties"];
                if (extra.is_boolean() && !extra.get<bool>())
                    out.push_back(where + ": unexpected key " + key);
                else if (extra.is_object())
                    schema_problems(item, extra, where + "." + key, out);
            }
        }
    }
    if (v.is_array() && schema.contains("items"))
        for (std::size_t i = 0; i < v.size(); ++i)
            schema_problems(v[i], schema["items"], where + "[" + std::to_string(i) + "]", out);
}

/// Checks a JSON report against schemas/report-<kind>.schema.json.
inline void check_schema(const json& report, const std::string& kind) {
    std::ifstream in(fs::path(PORCHLIGHT_SOURCE_DIR) / "schemas" /
                     ("report-" + kind + ".schema.json"));
    REQUIRE(in);
    const auto schema = json::parse(in);
    CHECK(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema");
    std::vector<std::string> problems;
    schema_problems(report, schema, "$", problems);
    for (const auto& p : problems)
        UNSCOPED_INFO(p);
    CHECK(problems.empty());
}

/// Marks of a chart: <rect class="bar">, <circle class="point">, <polyline class="line">.
struct chart_marks {
    std::size_t bars = 0;
    std::size_t points = 0;
    std::size_t lines = 0;
    std::string title;
};

inline chart_marks read_chart(const fs::path& svg) {
    chart_marks m;
    const auto text = read_text(svg);
    REQUIRE(text.find("<svg") != std::string::npos);
#ifdef PORCHLIGHT_REPORT_TEST_PUGIXML
    pugi::xml_document doc;
    const auto parsed = doc.load_string(text.c_str());
    INFO(parsed.description());
    REQUIRE(parsed);
    REQUIRE(std::string(doc.document_element().name()) == "svg");
    for (const auto& n : doc.select_nodes("//rect[@class='bar']"))
        (void)n, ++m.bars;
    for (const auto& n : doc.select_nodes("//circle[@class='point']"))
        (void)n, ++m.points;
    for (const auto& n : doc.select_nodes("//polyline[@class='line']"))
        (void)n, ++m.lines;
    if (const auto t = doc.select_node("//text[contains(@class, 'title')]"))
        m.title = t.node().child_value();
#else
    auto count = [&](const std::string& what) {
        std::size_t n = 0;
        for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
            ++n;
        return n;
    };
    m.bars = count("<rect class=\"bar\"");
    m.points = count("<circle class=\"point\"");
    m.lines = count("<polyline class=\"line\"");
#endif
    return m;
}

/// Sets the modification time of a file or folder tree to 2021-06-01T00:00:00Z, so that
/// retrieved_at (a file's mtime) is the same on every machine.
inline void fix_times(const fs::path& p) {
    using namespace std::chrono;
    const auto t = file_clock::from_sys(sys_seconds{sys_days{year{2021} / 6 / 1}});
    if (fs::is_directory(p))
        for (const auto& e : fs::recursive_directory_iterator(p))
            fs::last_write_time(e.path(), t);
    fs::last_write_time(p, t);
}

/// A one-page PDF (Helvetica, one text line per item) as Outlook prints an e-mail.
inline std::string printed_pdf(const std::vector<std::pair<int, std::string>>& lines) {
    std::string content;
    for (const auto& [y, s] : lines)
        content += "BT /F1 11 Tf 72 " + std::to_string(y) + " Td (" + s + ") Tj ET\n";
    const std::vector<std::string> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 "
        "R >> >> /Contents 5 0 R >>",
        "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream"};
    std::string pdf = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const auto xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (auto off : offsets) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", off);
        pdf += buf;
    }
    return pdf + "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
           " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
}

/// Copies data/demo (fictional) into DIR/demo with fixed file times and ingests its three
/// record sources into the store `db`, the own list titled `list_title`.
inline void ingest_demo_records(const fs::path& dir, const std::string& db,
                                const std::string& list_title) {
    fs::copy(fs::path(PORCHLIGHT_SOURCE_DIR) / "data" / "demo", dir / "demo",
             fs::copy_options::recursive);
    fix_times(dir / "demo");
    const auto file = [&](const char* name) { return (dir / "demo" / name).string(); };
    ingest_quietly(db, {file("atlas-demo.csv"), "--as-of", "2020-10-07", "--title", "Atlas demo"});
    ingest_quietly(db, {file("ring-map-2020-01.kml"), "--as-of", "2020-01-15", "--title",
                        "Ring map demo"});
    ingest_quietly(db, {file("my-partnerships.csv"), "--as-of", "2021-06-01", "--title",
                        list_title});
}

inline void write_file(const fs::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary);
    out << bytes;
    REQUIRE(out);
}

} // namespace porchlight::test::report
