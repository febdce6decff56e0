#pragma once

// Charts of reports as standalone SVG documents that a person can publish: axes, labels,
// title, legend and source credit, text kept as text, every string escaped.

#include <string>
#include <vector>

namespace porchlight::report {

struct chart_series {
    std::string name;           ///< legend entry ("new", "running total", "Ring" ...)
    std::vector<double> values; ///< one per category
};

struct chart_data {
    enum class kind { bar, line };
    kind type = kind::bar;
    std::string title;
    std::string subtitle;                ///< e.g. the filters, "as of 2020-10-07"
    std::string x_label;
    std::string y_label;
    std::string credit;                  ///< "Source: ... · made with porchlight"
    std::vector<std::string> categories; ///< x-axis labels, in order
    std::vector<chart_series> series;    ///< bars are grouped per category; lines one each
};

/// A standalone SVG 1.1 document of width x height user units. Bar charts draw one <rect
/// class="bar"> per series and category (a zero value gets a zero-height rect), line charts
/// one <polyline class="line"> per series with one <circle class="point"> per value (so a
/// test can count them). Values are counts: negative, NaN and infinite values are drawn as 0.
/// The y axis starts at 0 with ticks of 1, 2 or 5 x 10^n, digits grouped by thin spaces
/// (U+2009: "1 000 000"); numbers never depend on the global locale. Category labels turn
/// -45 degrees when they would overlap and are thinned to every k-th when there are many;
/// long strings are shortened with an ellipsis (the full text stays in the <title> of each
/// bar or point); at very small sizes category labels are left out. A legend is drawn when
/// there is more than one series; colours are the Okabe-Ito palette, repeating after eight
/// series. Every string is escaped and control characters are dropped. No categories or no
/// series: a valid document saying "no data". Deterministic: the same data gives the same
/// bytes. Throws std::invalid_argument when a series does not have one value per category
/// or width or height is below 200.
std::string render_svg(const chart_data& chart, int width = 960, int height = 540);

} // namespace porchlight::report
