// Charts as standalone, hand-written SVG 1.1: no library, text kept as <text>, every string
// from the data escaped, numbers written with std::to_chars (never the global locale).

#include <porchlight/report/chart.hpp>
#include <porchlight/util/text.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string_view>

namespace porchlight::report {

namespace {

constexpr std::string_view font_stack = "system-ui, -apple-system, 'Segoe UI', Roboto, "
                                        "'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif";
// Okabe–Ito, most distinct first; yellow (weak on white) and black last.
constexpr std::array<std::string_view, 8> palette = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                                     "#56B4E9", "#CC79A7", "#F0E442", "#000000"};
constexpr std::string_view thin_space = "\xE2\x80\x89"; // U+2009, groups thousands
constexpr double pad = 16, title_px = 20, subtitle_px = 13, label_px = 12, tick_px = 11,
                 credit_px = 11, legend_px = 12;

// Fixed notation with `decimals` digits, trailing zeros dropped unless keep_zeros.
std::string fixed(double v, int decimals, bool keep_zeros = false) {
    std::array<char, 64> buf{};
    auto [end, ec] =
        std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, decimals);
    if (ec != std::errc())
        return "0";
    std::string s(buf.data(), end);
    if (!keep_zeros && s.find('.') != std::string::npos) {
        s.erase(s.find_last_not_of('0') + 1);
        if (s.back() == '.')
            s.pop_back();
    }
    return s == "-0" ? "0" : s;
}

std::string num(double v) {
    return fixed(v, 2);
} // coordinates and sizes

// A value for people: integer digits grouped by threes with thin spaces ("1 000 000").
std::string human(double v, int decimals, bool keep_zeros = false) {
    std::string s = fixed(v, decimals, keep_zeros);
    const std::size_t sign = s[0] == '-' ? 1 : 0;
    std::size_t int_end = std::min(s.find('.'), s.size());
    for (std::size_t i = int_end; i > sign + 3; i -= 3)
        s.insert(i - 3, thin_space);
    return s;
}

// Valid UTF-8 without control characters: invalid bytes become U+FFFD, C0/C1 controls,
// DEL and the non-characters U+FFFE/U+FFFF (not allowed in XML) are dropped.
std::string clean(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const std::size_t len = b < 0x80                ? 1
                                : b >= 0xC2 && b < 0xE0 ? 2
                                : b >= 0xE0 && b < 0xF0 ? 3
                                : b >= 0xF0 && b < 0xF5 ? 4
                                                        : 0;
        std::uint32_t cp = len == 1 ? b : len == 2 ? b & 0x1F : len == 3 ? b & 0x0F : b & 0x07;
        bool ok = len > 0 && i + len <= s.size();
        for (std::size_t k = 1; ok && k < len; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            ok = (c & 0xC0) == 0x80;
            cp = (cp << 6) | (c & 0x3F);
        }
        ok = ok && !(len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp < 0xE000))) &&
             !(len == 4 && (cp < 0x10000 || cp > 0x10FFFF));
        if (!ok) {
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        if (!(cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFFFE || cp == 0xFFFF))
            out.append(s.substr(i, len));
        i += len;
    }
    return out;
}

// Markup-escapes a string that went through clean() (SVG: ' as &apos;).
std::string esc(std::string_view s) {
    return util::xml_escape(s, util::xml_quotes::named);
}

std::size_t code_points(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// Estimated rendered width: about 0.6 em per character in a sans-serif face.
double text_px(std::string_view s, double font_px) {
    return static_cast<double>(code_points(s)) * font_px * 0.6;
}

// Shortened to about max_px with an ellipsis, cut at a code point boundary.
std::string fit(const std::string& s, double max_px, double font_px) {
    if (text_px(s, font_px) <= max_px)
        return s;
    const auto keep = static_cast<std::size_t>(std::max(0.0, max_px / (font_px * 0.6) - 1));
    std::size_t i = 0, n = 0;
    while (i < s.size() && n < keep) {
        ++i;
        while (i < s.size() && (s[i] & 0xC0) == 0x80)
            ++i;
        ++n;
    }
    return s.substr(0, i) + "\xE2\x80\xA6";
}

// A font size down to min_px at which s fits max_px, so that a title or credit shrinks
// before it loses words.
double shrink(const std::string& s, double max_px, double font_px, double min_px) {
    const double need = text_px(s, font_px);
    return need <= max_px ? font_px : std::max(min_px, font_px * max_px / need);
}

void text(std::string& out, double x, double y, double size, std::string_view attrs,
          const std::string& content) {
    out += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + num(size) + "\"";
    if (!attrs.empty())
        out.append(" ").append(attrs);
    out.append(">").append(esc(content)).append("</text>\n");
}

void line(std::string& out, double x1, double y1, double x2, double y2, std::string_view attrs) {
    out += "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" +
           num(y2) + "\" ";
    out.append(attrs).append("/>\n");
}

// Y axis from 0: a step of 1, 2 or 5 x 10^n giving about five intervals.
struct axis_scale {
    double step = 1;
    int intervals = 1;
    int decimals = 0;
    double top() const { return step * intervals; }
};

axis_scale nice_scale(double max_value) {
    axis_scale sc;
    if (!(max_value > 0))
        return sc;
    const double raw = max_value / 5;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double norm = raw / mag;
    sc.step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
    sc.intervals = std::max(1, static_cast<int>(std::ceil(max_value / sc.step - 1e-9)));
    sc.decimals = sc.step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(sc.step) - 1e-9));
    return sc;
}

double clamp_value(double v) {
    return std::isfinite(v) && v > 0 ? v : 0;
}

std::string describe(const chart_data& c, const std::vector<std::string>& names,
                     const std::vector<std::string>& cats, double max_value) {
    std::string d = c.type == chart_data::kind::bar ? "Bar chart" : "Line chart";
    if (cats.empty() || names.empty())
        return d + " with no data.";
    d += " of " + std::to_string(names.size()) + " series (";
    for (std::size_t i = 0; i < names.size(); ++i)
        d += (i ? ", " : "") + names[i];
    d += ") over " + std::to_string(cats.size()) + " categories, from " + cats.front() + " to " +
         cats.back() + ". Largest value " + human(max_value, 2) + ".";
    if (!c.subtitle.empty())
        d += " " + clean(c.subtitle) + ".";
    return d;
}

} // namespace

std::string render_svg(const chart_data& chart, int width, int height) {
    if (width < 200 || height < 200)
        throw std::invalid_argument("chart: width and height must be at least 200, not " +
                                    std::to_string(width) + " x " + std::to_string(height));
    for (const auto& s : chart.series)
        if (s.values.size() != chart.categories.size())
            throw std::invalid_argument("chart: series \"" + s.name + "\" has " +
                                        std::to_string(s.values.size()) + " values for " +
                                        std::to_string(chart.categories.size()) + " categories");

    const double w = width, h = height;
    const bool is_bar = chart.type == chart_data::kind::bar;
    const std::string title = clean(chart.title), subtitle = clean(chart.subtitle),
                      credit = clean(chart.credit), x_label = clean(chart.x_label),
                      y_label = clean(chart.y_label);
    std::vector<std::string> cats, names;
    for (const auto& c : chart.categories)
        cats.push_back(clean(c));
    for (const auto& s : chart.series)
        names.push_back(clean(s.name));
    double max_value = 0;
    for (const auto& s : chart.series)
        for (double v : s.values)
            max_value = std::max(max_value, clamp_value(v));
    const bool empty = cats.empty() || names.empty();

    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + num(w) +
           "\" height=\"" + num(h) + "\" viewBox=\"0 0 " + num(w) + " " + num(h) +
           "\" font-family=\"" + std::string(font_stack) + "\">\n";
    out += "<title>" + esc(title.empty() ? std::string("Chart") : title) + "</title>\n";
    out += "<desc>" + esc(describe(chart, names, cats, max_value)) + "</desc>\n";
    out += "<rect class=\"background\" x=\"0\" y=\"0\" width=\"" + num(w) + "\" height=\"" +
           num(h) + "\" fill=\"#ffffff\"/>\n";

    // Header: title, subtitle, legend; all left-aligned.
    const double text_w = w - 2 * pad;
    double top = pad;
    if (!title.empty()) {
        top += title_px;
        const double size = shrink(title, text_w, title_px * 1.05, 14) / 1.05; // bold is wider
        text(out, pad, top, size, "class=\"title\" font-weight=\"bold\" fill=\"#111111\"",
             fit(title, text_w, size * 1.05));
        top += 6;
    }
    if (!subtitle.empty()) {
        top += subtitle_px + 2;
        const double size = shrink(subtitle, text_w, subtitle_px, 10);
        text(out, pad, top, size, "class=\"subtitle\" fill=\"#444444\"",
             fit(subtitle, text_w, size));
        top += 6;
    }
    if (!empty && names.size() > 1) {
        out += "<g class=\"legend\">\n";
        double x = pad, row_y = top + 10;
        for (std::size_t i = 0; i < names.size(); ++i) {
            const std::string name = fit(names[i], text_w - 24, legend_px);
            const double item_w = 18 + text_px(name, legend_px) + 20;
            if (x > pad && x + item_w > w - pad) {
                x = pad;
                row_y += 20;
            }
            const std::string colour(palette[i % palette.size()]);
            if (is_bar)
                out += "<rect class=\"swatch\" x=\"" + num(x) + "\" y=\"" + num(row_y) +
                       "\" width=\"12\" height=\"12\" fill=\"" + colour + "\"/>\n";
            else
                line(out, x, row_y + 6, x + 14, row_y + 6,
                     "class=\"swatch\" stroke=\"" + colour + "\" stroke-width=\"2.5\"");
            text(out, x + 18, row_y + 10.5, legend_px, "fill=\"#222222\"", name);
            x += item_w;
        }
        out += "</g>\n";
        top = row_y + 12 + 4;
    }

    // Footer: source credit at the bottom left.
    double bottom = h - pad;
    if (!credit.empty()) {
        const double size = shrink(credit, text_w, credit_px, 8);
        text(out, pad, h - 10, size, "class=\"credit\" fill=\"#666666\"",
             fit(credit, text_w, size));
        bottom = h - 10 - credit_px - 10;
    }

    if (empty) {
        text(out, w / 2, (top + bottom) / 2, 16,
             "class=\"no-data\" text-anchor=\"middle\" fill=\"#666666\"", "no data");
        return out + "</svg>\n";
    }

    // Y axis: ticks from 0, labels right-aligned left of the plot.
    const axis_scale sc = nice_scale(max_value);
    double tick_w = 0;
    for (int i = 0; i <= sc.intervals; ++i)
        tick_w = std::max(tick_w, text_px(human(i * sc.step, sc.decimals, true), tick_px));
    double plot_left = pad + (y_label.empty() ? 0 : label_px + 10) + tick_w + 8;
    const double plot_right = w - pad - 8;
    const double plot_top = top + 14;
    if (!x_label.empty())
        bottom -= label_px + 8; // x_label baseline at the old bottom

    // X labels: horizontal when every label fits its slot, else rotated -45 degrees and
    // thinned to every k-th (k in 1, 2, 3, 4, 6, 12, 24 ...) so rotated lines do not touch.
    const auto n = cats.size();
    double slot = (plot_right - plot_left) / static_cast<double>(n);
    double widest = 0;
    for (const auto& c : cats)
        widest = std::max(widest, text_px(c, tick_px));
    const bool rotate = widest + 6 > slot;
    std::size_t every = 1;
    double label_max = widest, label_area = tick_px + 10;
    if (rotate) {
        label_max = std::min((bottom - plot_top) * 0.4 / 0.7071 - tick_px, 220.0);
        // the first label runs down-left of its tick: keep it on the page
        const double reach = std::min(text_px(cats.front(), tick_px), label_max) * 0.7071;
        plot_left = std::max(plot_left, pad + reach - slot / 2);
        slot = (plot_right - plot_left) / static_cast<double>(n);
        const auto need = static_cast<std::size_t>(std::ceil(tick_px * 1.6 / slot));
        constexpr std::array<std::size_t, 6> steps = {1, 2, 3, 4, 6, 12};
        const auto k = std::find_if(steps.begin(), steps.end(), [&](auto s) { return s >= need; });
        every = k != steps.end() ? *k : 12 * ((need + 11) / 12);
        label_area = (std::min(widest, label_max) + tick_px) * 0.7071 + 12;
    }
    // labels that fit their slots are always shown; rotated ones only when there is room
    // below the plot for them (else too small a chart: ticks only)
    const bool show_labels = !rotate || label_max >= 20;
    if (!show_labels)
        label_area = 8;
    const double plot_bottom = std::max(plot_top + 20, bottom - label_area);
    const double plot_h = plot_bottom - plot_top;
    auto y_of = [&](double v) { return plot_bottom - clamp_value(v) / sc.top() * plot_h; };
    auto x_of = [&](std::size_t i) { return plot_left + (static_cast<double>(i) + 0.5) * slot; };
    auto tip = [&](std::size_t s, std::size_t i) { // hover text: category, series: value
        return "<title>" +
               esc(cats[i] + ", " + names[s] + ": " +
                   human(clamp_value(chart.series[s].values[i]), 2)) +
               "</title>";
    };

    out += "<g class=\"y-axis\">\n";
    for (int i = 0; i <= sc.intervals; ++i) {
        const double y = plot_bottom - plot_h * i / sc.intervals;
        if (i > 0)
            line(out, plot_left, y, plot_right, y, "class=\"grid\" stroke=\"#e3e3e3\"");
        text(out, plot_left - 8, y + tick_px * 0.35, tick_px,
             "class=\"tick\" text-anchor=\"end\" fill=\"#444444\"",
             human(i * sc.step, sc.decimals, true));
    }
    if (!y_label.empty()) {
        const double x = pad + label_px, y = (plot_top + plot_bottom) / 2;
        text(
            out, x, y, label_px,
            "class=\"axis-label\" text-anchor=\"middle\" fill=\"#222222\" transform=\"rotate(-90 " +
                num(x) + " " + num(y) + ")\"",
            fit(y_label, plot_h, label_px));
    }
    out += "</g>\n";

    // Data, then the x axis line over the bars' feet.
    out += "<g class=\"data\">\n";
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
        const std::string colour(palette[s % palette.size()]);
        const auto& values = chart.series[s].values;
        out += "<g class=\"series\" fill=\"" + colour + "\">\n";
        if (is_bar) {
            const double group = slot * 0.8, bar = group / static_cast<double>(names.size());
            const double gap = names.size() > 1 ? std::min(1.0, bar * 0.1) : 0;
            for (std::size_t i = 0; i < n; ++i) {
                const double x = plot_left + i * slot + slot * 0.1 + s * bar, y = y_of(values[i]);
                out += "<rect class=\"bar\" x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" +
                       num(bar - gap) + "\" height=\"" + num(plot_bottom - y) + "\">" + tip(s, i) +
                       "</rect>\n";
            }
        } else {
            out += "<polyline class=\"line\" fill=\"none\" stroke=\"" + colour +
                   "\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"";
            for (std::size_t i = 0; i < n; ++i)
                out.append(i ? " " : "")
                    .append(num(x_of(i)))
                    .append(",")
                    .append(num(y_of(values[i])));
            out += "\"/>\n";
            const double r = std::clamp(slot / 5, 1.5, 3.5);
            for (std::size_t i = 0; i < n; ++i)
                out += "<circle class=\"point\" cx=\"" + num(x_of(i)) + "\" cy=\"" +
                       num(y_of(values[i])) + "\" r=\"" + num(r) + "\">" + tip(s, i) +
                       "</circle>\n";
        }
        out += "</g>\n";
    }
    out += "</g>\n";

    out += "<g class=\"x-axis\">\n";
    line(out, plot_left, plot_bottom, plot_right, plot_bottom, "stroke=\"#333333\"");
    for (std::size_t i = 0; i < n; i += every) {
        const double x = x_of(i);
        line(out, x, plot_bottom, x, plot_bottom + 4, "stroke=\"#333333\"");
        if (!show_labels)
            continue;
        if (!rotate) {
            text(out, x, plot_bottom + 6 + tick_px, tick_px,
                 "class=\"category\" text-anchor=\"middle\" fill=\"#333333\"", cats[i]);
            continue;
        }
        const double tx = x + tick_px * 0.3, ty = plot_bottom + 10;
        text(out, tx, ty, tick_px,
             "class=\"category\" text-anchor=\"end\" fill=\"#333333\" transform=\"rotate(-45 " +
                 num(tx) + " " + num(ty) + ")\"",
             fit(cats[i], label_max, tick_px));
    }
    if (!x_label.empty())
        text(out, (plot_left + plot_right) / 2, bottom + label_px + 8, label_px,
             "class=\"axis-label\" text-anchor=\"middle\" fill=\"#222222\"",
             fit(x_label, plot_right - plot_left, label_px));
    out += "</g>\n</svg>\n";
    return out;
}

} // namespace porchlight::report
