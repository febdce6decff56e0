#include <catch2/catch.hpp>

#include <porchlight/report/chart.hpp>

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <locale>
#include <regex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace porchlight::report;

namespace {

chart_data two_series_bars() {
    chart_data c;
    c.type = chart_data::kind::bar;
    c.title = "New partnerships per year";
    c.subtitle = "as of 2020-10-07";
    c.x_label = "year";
    c.y_label = "partnerships";
    c.credit = "Source: test data \xC2\xB7 made with porchlight";
    c.categories = {"2017", "2018", "2019", "2020"};
    c.series = {{"Ring", {3, 40, 120, 95}}, {"Flock", {0, 2, 17, 60}}};
    return c;
}

chart_data line_chart(std::size_t months) {
    chart_data c;
    c.type = chart_data::kind::line;
    c.title = "Running total";
    c.credit = "Source: test";
    c.series = {{"new", {}}, {"running total", {}}};
    double total = 0;
    for (std::size_t i = 0; i < months; ++i) {
        const auto year = 2010 + i / 12, month = 1 + i % 12;
        c.categories.push_back(std::to_string(year) + (month < 10 ? "-0" : "-") +
                               std::to_string(month));
        const double v = static_cast<double>((i * 7) % 13);
        total += v;
        c.series[0].values.push_back(v);
        c.series[1].values.push_back(total);
    }
    return c;
}

void parse(pugi::xml_document& doc, const std::string& svg) {
    const auto res = doc.load_string(svg.c_str());
    INFO(res.description() << " at offset " << res.offset);
    REQUIRE(res);
    REQUIRE(std::string(doc.document_element().name()) == "svg");
    REQUIRE(!std::string(doc.document_element().attribute("viewBox").value()).empty());
}

std::size_t count(const pugi::xml_document& doc, const char* xpath) {
    return doc.select_nodes(xpath).size();
}

std::vector<std::string> texts(const pugi::xml_document& doc, const char* xpath) {
    std::vector<std::string> out;
    for (const auto& n : doc.select_nodes(xpath))
        out.emplace_back(n.node().child_value());
    return out;
}

// Tick labels group digits with U+2009 thin spaces: read them back as numbers.
std::vector<double> tick_values(const pugi::xml_document& doc) {
    std::vector<double> out;
    for (std::string s : texts(doc, "//text[@class='tick']")) {
        for (auto p = s.find("\xE2\x80\x89"); p != std::string::npos; p = s.find("\xE2\x80\x89"))
            s.erase(p, 3);
        double v = -1;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        INFO("tick label '" << s << "'");
        REQUIRE(ec == std::errc());
        REQUIRE(end == s.data() + s.size());
        out.push_back(v);
    }
    return out;
}

bool nice_step(double step) {
    const double mag = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    const double norm = step / mag;
    return std::abs(norm - 1) < 1e-9 || std::abs(norm - 2) < 1e-9 || std::abs(norm - 5) < 1e-9;
}

} // namespace

TEST_CASE("chart: bar chart is SVG with one rect per series and category") {
    pugi::xml_document doc;
    parse(doc, render_svg(two_series_bars()));
    const auto svg = doc.document_element();
    CHECK(std::string(svg.attribute("viewBox").value()) == "0 0 960 540");
    CHECK(std::string(svg.attribute("xmlns").value()) == "http://www.w3.org/2000/svg");
    CHECK(std::string(svg.child("title").child_value()) == "New partnerships per year");
    CHECK(!std::string(svg.child("desc").child_value()).empty());
    CHECK(count(doc, "//rect[@class='bar']") == 8);
    CHECK(count(doc, "//polyline") == 0);
    CHECK(texts(doc, "//text[@class='title']") ==
          std::vector<std::string>{"New partnerships per year"});
    CHECK(texts(doc, "//text[@class='credit']") ==
          std::vector<std::string>{"Source: test data \xC2\xB7 made with porchlight"});
    CHECK(texts(doc, "//text[@class='category']") ==
          std::vector<std::string>{"2017", "2018", "2019", "2020"});
    CHECK(count(doc, "//g[@class='legend']//text") == 2);
    CHECK(std::string(svg.attribute("font-family").value()).find("sans-serif") !=
          std::string::npos);
}

TEST_CASE("chart: legend sits above the plot and bars grow from one baseline") {
    pugi::xml_document doc;
    parse(doc, render_svg(two_series_bars()));
    double legend_bottom = 0;
    for (const auto& n : doc.select_nodes("//g[@class='legend']/rect"))
        legend_bottom = std::max(legend_bottom, n.node().attribute("y").as_double() +
                                                    n.node().attribute("height").as_double());
    REQUIRE(legend_bottom > 0);
    double baseline = -1;
    for (const auto& n : doc.select_nodes("//rect[@class='bar']")) {
        const double y = n.node().attribute("y").as_double();
        const double bottom = y + n.node().attribute("height").as_double();
        CHECK(y > legend_bottom);
        if (baseline < 0)
            baseline = bottom;
        CHECK(bottom == Approx(baseline));
    }
}

TEST_CASE("chart: a single series has no legend and a zero value keeps its bar") {
    chart_data c = two_series_bars();
    c.series = {{"only", {0, 5, -3, 2}}};
    pugi::xml_document doc;
    parse(doc, render_svg(c));
    CHECK(count(doc, "//g[@class='legend']") == 0);
    const auto bars = doc.select_nodes("//rect[@class='bar']");
    REQUIRE(bars.size() == 4);
    CHECK(bars[0].node().attribute("height").as_double() == 0);
    CHECK(bars[1].node().attribute("height").as_double() > 0);
    CHECK(bars[2].node().attribute("height").as_double() == 0); // negative: clamped at 0
}

TEST_CASE("chart: line chart has one polyline per series and one circle per value") {
    pugi::xml_document doc;
    parse(doc, render_svg(line_chart(24)));
    CHECK(count(doc, "//polyline[@class='line']") == 2);
    CHECK(count(doc, "//circle[@class='point']") == 48);
    CHECK(count(doc, "//rect[@class='bar']") == 0);
    for (const auto& n : doc.select_nodes("//polyline[@class='line']")) {
        const std::string points = n.node().attribute("points").value();
        CHECK(std::count(points.begin(), points.end(), ',') == 24);
    }
}

TEST_CASE("chart: hostile strings from records are escaped and stay text") {
    chart_data c = two_series_bars();
    const std::string hostile = "<script>alert(1)</script>";
    c.categories[1] = hostile;
    c.title = "Tom & Jerry's \"PD\"\x01\x1b";
    c.series[0].name = "</text><g onload=\"x\">";
    c.credit = "bad utf-8: \xFF\xC3 end";
    const std::string svg = render_svg(c);
    CHECK(svg.find("<script") == std::string::npos);
    pugi::xml_document doc;
    parse(doc, svg);
    CHECK(count(doc, "//script") == 0);
    CHECK(count(doc, "//*[@onload]") == 0);
    const auto cats = texts(doc, "//text[@class='category']");
    CHECK(std::find(cats.begin(), cats.end(), hostile) != cats.end());
    CHECK(texts(doc, "//text[@class='title']") == std::vector<std::string>{"Tom & Jerry's \"PD\""});
    CHECK(std::string(doc.document_element().child("title").child_value()) ==
          "Tom & Jerry's \"PD\"");
    const auto legend = texts(doc, "//g[@class='legend']/text");
    CHECK(std::find(legend.begin(), legend.end(), "</text><g onload=\"x\">") != legend.end());
    CHECK(texts(doc, "//text[@class='credit']") ==
          std::vector<std::string>{"bad utf-8: \xEF\xBF\xBD\xEF\xBF\xBD end"});
}

TEST_CASE("chart: the same data gives the same bytes") {
    CHECK(render_svg(two_series_bars()) == render_svg(two_series_bars()));
    CHECK(render_svg(line_chart(120), 1200, 600) == render_svg(line_chart(120), 1200, 600));
}

TEST_CASE("chart: numbers do not depend on the global locale") {
    const std::string classic_bars = render_svg(two_series_bars(), 977, 531);
    chart_data fractions = line_chart(30);
    for (auto& v : fractions.series[0].values)
        v = v / 7 + 1000;
    const std::string classic_lines = render_svg(fractions);
    std::locale old;
    try {
        old = std::locale::global(std::locale("de_DE.UTF-8"));
    } catch (const std::runtime_error&) {
        WARN("locale de_DE.UTF-8 is not installed: skipped");
        return;
    }
    const std::string bars = render_svg(two_series_bars(), 977, 531);
    const std::string lines = render_svg(fractions);
    std::locale::global(old);
    CHECK(bars == classic_bars);
    CHECK(lines == classic_lines);
    // no decimal comma inside any attribute value (points use "x,y" pairs: check the
    // numbers in them separately) and none in tick labels
    pugi::xml_document doc;
    parse(doc, lines);
    const std::regex comma_decimal("[0-9],[0-9]");
    for (const auto& n : doc.select_nodes("//*")) {
        for (const auto& a : n.node().attributes()) {
            const std::string v = a.value();
            if (std::string(a.name()) == "points") {
                const std::regex pair("^-?[0-9.]+,-?[0-9.]+$");
                std::size_t start = 0;
                while (start < v.size()) {
                    const auto end = std::min(v.find(' ', start), v.size());
                    CHECK(std::regex_match(v.substr(start, end - start), pair));
                    start = end + 1;
                }
            } else {
                CHECK_FALSE(std::regex_search(v, comma_decimal));
            }
        }
    }
    for (const auto& t : texts(doc, "//text[@class='tick']"))
        CHECK(t.find(',') == std::string::npos);
}

TEST_CASE("chart: y ticks are nice steps from zero that cover the data") {
    for (double max : {1.0, 7.0, 0.37, 123.0, 999.0, 1000000.0, 2.5e9}) {
        chart_data c = two_series_bars();
        c.series[0].values = {0, max / 4, max / 5, 0};
        c.series[1].values = {0, max / 3, max, max / 2};
        pugi::xml_document doc;
        parse(doc, render_svg(c));
        const auto ticks = tick_values(doc);
        INFO("max " << max);
        REQUIRE(ticks.size() >= 3);
        REQUIRE(ticks.size() <= 11);
        CHECK(ticks.front() == 0);
        const double step = ticks[1] - ticks[0];
        CHECK(nice_step(step));
        for (std::size_t i = 1; i < ticks.size(); ++i)
            CHECK(ticks[i] - ticks[i - 1] == Approx(step));
        CHECK(ticks.back() >= max);
        CHECK(ticks.back() - step < max);
    }
    chart_data small = two_series_bars();
    small.series = {{"fractions", {0.1, 0.37, 0.2, 0}}};
    pugi::xml_document fractions;
    parse(fractions, render_svg(small));
    CHECK(texts(fractions, "//text[@class='tick']") ==
          std::vector<std::string>{"0.0", "0.1", "0.2", "0.3", "0.4"});
    chart_data c = two_series_bars();
    c.series[0].values[2] = 1000000;
    pugi::xml_document doc;
    parse(doc, render_svg(c));
    CHECK(texts(doc, "//text[@class='tick']").back() == "1\xE2\x80\x89"
                                                        "000\xE2\x80\x89"
                                                        "000");
}

TEST_CASE("chart: 120 categories are labelled every k-th and rotated") {
    const chart_data c = line_chart(120);
    pugi::xml_document doc;
    parse(doc, render_svg(c));
    CHECK(count(doc, "//circle[@class='point']") == 240);
    const auto labels = texts(doc, "//text[@class='category']");
    CHECK(labels.size() >= 10);
    CHECK(labels.size() < 60);
    REQUIRE(labels.size() >= 2);
    CHECK(labels[0] == c.categories[0]);
    const auto index = [&](const std::string& s) {
        return static_cast<std::size_t>(std::find(c.categories.begin(), c.categories.end(), s) -
                                        c.categories.begin());
    };
    const std::size_t k = index(labels[1]);
    CHECK(k > 1);
    for (std::size_t i = 0; i < labels.size(); ++i)
        CHECK(index(labels[i]) == i * k);
    for (const auto& n : doc.select_nodes("//text[@class='category']"))
        CHECK(std::string(n.node().attribute("transform").value()).rfind("rotate(-45 ", 0) == 0);
    // a few short labels fit: horizontal, all shown
    pugi::xml_document few;
    parse(few, render_svg(two_series_bars()));
    for (const auto& n : few.select_nodes("//text[@class='category']"))
        CHECK(std::string(n.node().attribute("transform").value()).empty());
}

TEST_CASE("chart: every text stays inside the view box") {
    chart_data c = line_chart(120);
    c.x_label = "month";
    c.y_label = "partnerships";
    c.categories[0] = "A very long first category name that would run off the page";
    for (const auto& [w, h] : {std::pair{960, 540}, std::pair{200, 200}, std::pair{400, 900}}) {
        pugi::xml_document doc;
        parse(doc, render_svg(c, w, h));
        for (const auto& n : doc.select_nodes("//text")) {
            INFO(n.node().child_value() << " at " << w << "x" << h);
            CHECK(n.node().attribute("x").as_double() >= 0);
            CHECK(n.node().attribute("x").as_double() <= w);
            CHECK(n.node().attribute("y").as_double() >= 0);
            CHECK(n.node().attribute("y").as_double() <= h);
        }
    }
}

TEST_CASE("chart: empty data gives a valid SVG saying no data") {
    chart_data c;
    c.title = "Nothing yet";
    c.credit = "Source: none";
    for (auto kind : {chart_data::kind::bar, chart_data::kind::line}) {
        c.type = kind;
        pugi::xml_document doc;
        parse(doc, render_svg(c));
        CHECK(texts(doc, "//text[@class='no-data']") == std::vector<std::string>{"no data"});
        CHECK(texts(doc, "//text[@class='title']") == std::vector<std::string>{"Nothing yet"});
        CHECK(count(doc, "//rect[@class='bar']") == 0);
        CHECK(count(doc, "//polyline") == 0);
    }
    c.categories = {"a", "b"}; // categories but no series: nothing to draw either
    pugi::xml_document doc;
    parse(doc, render_svg(c));
    CHECK(count(doc, "//text[@class='no-data']") == 1);
}

TEST_CASE("chart: bad input throws invalid_argument") {
    chart_data c = two_series_bars();
    c.series[1].values.pop_back();
    CHECK_THROWS_AS(render_svg(c), std::invalid_argument);
    c = two_series_bars();
    c.series[0].values.push_back(1);
    CHECK_THROWS_AS(render_svg(c), std::invalid_argument);
    CHECK_THROWS_AS(render_svg(two_series_bars(), 199, 540), std::invalid_argument);
    CHECK_THROWS_AS(render_svg(two_series_bars(), 960, 100), std::invalid_argument);
    CHECK_NOTHROW(render_svg(two_series_bars(), 200, 200));
}

TEST_CASE("chart: short category names such as state codes are labelled", "[report][chart]") {
    porchlight::report::chart_data c;
    c.title = "By state";
    c.categories = {"CA", "FL", "IL", "TX"};
    c.series = {{"new", {4, 3, 2, 1}}};
    const auto svg = porchlight::report::render_svg(c);
    for (const auto* code : {">CA<", ">FL<", ">IL<", ">TX<"})
        CHECK(svg.find(code) != std::string::npos);
}
