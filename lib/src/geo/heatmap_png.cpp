// The PNG form of a heat map, drawn with cairo: cells on the viridis ramp, blank cells
// transparent, title, legend, scale bar and source credit.
#include "../detail/cairo_handles.hpp"

#include <porchlight/error.hpp>
#include <porchlight/geo/heatmap.hpp>
#include <porchlight/geo/projection.hpp>

#include <cairo.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <memory>

namespace porchlight::geo {

namespace {

using cairo_detail::context_ptr;
using cairo_detail::surface_ptr;

struct rgb {
    double r, g, b;
};

/// viridis (matplotlib's perceptually uniform ramp), 9 stops from 0 to 1.
rgb ramp(double t) {
    static constexpr std::array<rgb, 9> stops = {{{0.267, 0.005, 0.329},
                                                  {0.278, 0.175, 0.483},
                                                  {0.229, 0.322, 0.546},
                                                  {0.173, 0.449, 0.558},
                                                  {0.128, 0.567, 0.551},
                                                  {0.153, 0.680, 0.504},
                                                  {0.360, 0.785, 0.388},
                                                  {0.678, 0.864, 0.190},
                                                  {0.993, 0.906, 0.144}}};
    t = std::clamp(t, 0.0, 1.0) * (stops.size() - 1);
    const auto i = std::min(static_cast<std::size_t>(t), stops.size() - 2);
    const double f = t - static_cast<double>(i);
    const auto& a = stops[i];
    const auto& b = stops[i + 1];
    return {a.r + f * (b.r - a.r), a.g + f * (b.g - a.g), a.b + f * (b.b - a.b)};
}

std::string number_text(double v) {
    char buf[32];
    if (v >= 100)
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else if (v >= 10)
        std::snprintf(buf, sizeof buf, "%.1f", v);
    else
        std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

/// The cells as an image, one pixel per cell (ARGB32, premultiplied: blank is 0).
surface_ptr cell_image(const density_grid& d) {
    surface_ptr img(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, d.grid.nx, d.grid.ny));
    cairo_surface_flush(img.get());
    auto* data = cairo_image_surface_get_data(img.get());
    const int stride = cairo_image_surface_get_stride(img.get());
    const double max = d.max_density > 0 ? d.max_density : 1;
    for (int row = 0; row < d.grid.ny; ++row) {
        auto* px = reinterpret_cast<std::uint32_t*>(data + static_cast<std::size_t>(row) * stride);
        for (int col = 0; col < d.grid.nx; ++col) {
            const float v = d.density[static_cast<std::size_t>(row) * d.grid.nx + col];
            if (std::isnan(v)) {
                px[col] = 0;
                continue;
            }
            const auto c = ramp(v / max);
            px[col] = 0xff000000u | (static_cast<std::uint32_t>(std::lround(c.r * 255)) << 16) |
                      (static_cast<std::uint32_t>(std::lround(c.g * 255)) << 8) |
                      static_cast<std::uint32_t>(std::lround(c.b * 255));
        }
    }
    cairo_surface_mark_dirty(img.get());
    return img;
}

void text_at(cairo_t* cr, double x, double y, double size, const std::string& s,
             bool bold = false) {
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, s.c_str());
}

/// A round length (1, 2 or 5 × 10^k metres) close to a quarter of the map's width.
double scale_length_m(double map_width_m) {
    const double target = map_width_m / 4;
    double best = 1;
    for (double p = 1; p <= 1e7; p *= 10)
        for (double f : {1.0, 2.0, 5.0})
            if (f * p <= target)
                best = f * p;
    return best;
}

std::string length_text(double m) {
    char buf[32];
    if (m >= 1000)
        std::snprintf(buf, sizeof buf, "%g km", m / 1000);
    else
        std::snprintf(buf, sizeof buf, "%g m", m);
    return buf;
}

void draw_legend(cairo_t* cr, double x, double y, const density_grid& d, const png_style& s) {
    constexpr double w = 220, h = 12;
    for (int i = 0; i < static_cast<int>(w); ++i) {
        const auto c = ramp(i / (w - 1));
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
        cairo_rectangle(cr, x + i, y, 1, h);
        cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, x + 0.5, y + 0.5, w - 1, h - 1);
    cairo_stroke(cr);
    text_at(cr, x, y + h + 13, 11, "0");
    const auto max = number_text(d.max_density);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, max.c_str(), &ext);
    text_at(cr, x + w - ext.x_advance, y + h + 13, 11, max);
    text_at(cr, x, y - 5, 11, s.legend);
}

void draw_scale_bar(cairo_t* cr, double x, double y, double px_per_m, double map_width_m) {
    const double len_m = scale_length_m(map_width_m);
    const double len_px = len_m * px_per_m;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_set_line_width(cr, 2);
    cairo_move_to(cr, x, y - 5);
    cairo_line_to(cr, x, y);
    cairo_line_to(cr, x + len_px, y);
    cairo_line_to(cr, x + len_px, y - 5);
    cairo_stroke(cr);
    text_at(cr, x, y + 14, 11, length_text(len_m));
}

/// The outlines, projected to the grid's CRS, clipped to the map.
void draw_outlines(cairo_t* cr, const density_grid& d, const std::vector<ring>& outlines,
                   double map_x, double map_y, double scale) {
    if (outlines.empty())
        return;
    std::vector<double> x, y;
    for (const auto& r : outlines)
        for (const auto& p : r) {
            x.push_back(p.lon);
            y.push_back(p.lat);
        }
    Projection(d.grid.crs).forward(x, y);
    cairo_save(cr);
    cairo_rectangle(cr, map_x, map_y, d.grid.nx * scale, d.grid.ny * scale);
    cairo_clip(cr);
    const double px = scale / d.grid.cell;
    std::size_t k = 0;
    for (const auto& r : outlines) {
        for (std::size_t i = 0; i < r.size(); ++i, ++k) {
            const double sx = map_x + (x[k] - d.grid.x0) * px;
            const double sy = map_y + (d.grid.y0 - y[k]) * px;
            if (i == 0)
                cairo_move_to(cr, sx, sy);
            else
                cairo_line_to(cr, sx, sy);
        }
        cairo_close_path(cr);
    }
    cairo_set_source_rgba(cr, 0.35, 0.35, 0.35, 0.8);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/// s, cut short with "…" to fit width pixels at the current font.
std::string fitted(cairo_t* cr, std::string s, double width) {
    cairo_text_extents_t ext;
    cairo_text_extents(cr, s.c_str(), &ext);
    if (ext.x_advance <= width)
        return s;
    while (!s.empty()) {
        // drop one UTF-8 character: its continuation bytes, then its first byte
        unsigned char dropped = 0;
        do {
            dropped = static_cast<unsigned char>(s.back());
            s.pop_back();
        } while (!s.empty() && (dropped & 0xc0) == 0x80);
        const auto t = s + "…";
        cairo_text_extents(cr, t.c_str(), &ext);
        if (ext.x_advance <= width)
            return t;
    }
    return s;
}

} // namespace

std::vector<ring> county_outlines(const CountyIndex& counties, const bbox& area) {
    auto inside = [&](const lonlat& p) {
        const double lon = p.lon < area.west ? p.lon + 360 : p.lon; // a box across 180°
        return lon >= area.west && lon <= area.east && p.lat >= area.south && p.lat <= area.north;
    };
    std::vector<ring> out;
    for (std::size_t i = 0; i < counties.size(); ++i) {
        const auto& rings = counties.county(i).rings;
        const bool meets = std::any_of(rings.begin(), rings.end(), [&](const ring& r) {
            return std::any_of(r.begin(), r.end(), inside);
        });
        if (meets)
            out.insert(out.end(), rings.begin(), rings.end());
    }
    return out;
}

void write_png(const density_grid& d, const std::filesystem::path& file, const png_style& s) {
    // the map: one or more pixels per cell, at most 1600 pixels wide
    const double scale = std::clamp(std::floor(800.0 / d.grid.nx), 1.0, 8.0) *
                         std::min(1.0, 1600.0 / d.grid.nx);
    const int map_w = std::max(1, static_cast<int>(std::lround(d.grid.nx * scale)));
    const int map_h = std::max(1, static_cast<int>(std::lround(d.grid.ny * scale)));
    constexpr int margin = 20, top = 44, bottom = 84;
    const int width = std::max(map_w + 2 * margin, 520);
    const int height = map_h + top + bottom;
    const double map_x = (width - map_w) / 2.0;

    surface_ptr page(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height));
    context_ptr cr(cairo_create(page.get()));
    // white margins around a transparent map: blank cells stay transparent
    cairo_set_source_rgb(cr.get(), 1, 1, 1);
    cairo_rectangle(cr.get(), 0, 0, width, height);
    cairo_rectangle(cr.get(), map_x, top, map_w, map_h); // a hole
    cairo_set_fill_rule(cr.get(), CAIRO_FILL_RULE_EVEN_ODD);
    cairo_fill(cr.get());

    const auto cells = cell_image(d);
    cairo_save(cr.get());
    cairo_translate(cr.get(), map_x, top);
    cairo_scale(cr.get(), scale, scale);
    cairo_set_source_surface(cr.get(), cells.get(), 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr.get()),
                             scale >= 1 ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD);
    cairo_paint(cr.get());
    cairo_restore(cr.get());
    draw_outlines(cr.get(), d, s.outlines, map_x, top, scale);
    cairo_set_source_rgb(cr.get(), 0.6, 0.6, 0.6);
    cairo_set_line_width(cr.get(), 1);
    cairo_rectangle(cr.get(), map_x - 0.5, top - 0.5, map_w + 1, map_h + 1);
    cairo_stroke(cr.get());

    cairo_set_source_rgb(cr.get(), 0.1, 0.1, 0.1);
    cairo_select_font_face(cr.get(), "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr.get(), 17);
    text_at(cr.get(), margin, 28, 17, fitted(cr.get(), s.title, width - 2 * margin), true);
    const double legend_y = top + map_h + 26;
    draw_legend(cr.get(), margin, legend_y, d, s);
    draw_scale_bar(cr.get(), width - margin - 160, legend_y + 10, scale / d.grid.cell,
                   d.grid.nx * d.grid.cell);
    cairo_set_source_rgb(cr.get(), 0.35, 0.35, 0.35);
    cairo_select_font_face(cr.get(), "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr.get(), 10);
    text_at(cr.get(), margin, height - 12, 10, fitted(cr.get(), s.credit, width - 2 * margin));

    cairo_surface_flush(page.get());
    if (cairo_surface_write_to_png(page.get(), file.string().c_str()) != CAIRO_STATUS_SUCCESS)
        throw error("cannot write the PNG " + file.string());
}

} // namespace porchlight::geo
