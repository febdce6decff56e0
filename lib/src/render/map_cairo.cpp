// The one drawing path of the static maps: a scene drawn with cairo onto a PNG image
// surface (2x, for screens), an SVG surface or a PDF surface (vector). cairo's SVG surface
// turns text into glyph outlines, so for SVG the texts are left out of the cairo drawing
// and written as <text> elements afterwards (map_svg.cpp): the same layout, text kept
// as text.

#include <porchlight/error.hpp>
#include <porchlight/render/detail/map_cairo.hpp>

#include <cairo.h>

#include <algorithm>
#include <map>

namespace porchlight::render::detail {

namespace {

constexpr rgb ink{0x22, 0x22, 0x22}, grey_text{0x55, 0x55, 0x55}, notice_red{0xB0, 0x00, 0x20};
constexpr rgb land{0xF1, 0xEF, 0xEA}, county_line{0xD2, 0xCF, 0xC8}, state_line{0x8C, 0x88, 0x80},
    frame_line{0xB5, 0xB5, 0xB5};
constexpr double title_px = 22, date_px = 13, notice_px = 13, small_px = 11, legend_px = 12;

void set_colour(cairo_t* cr, rgb c, double alpha = 1) {
    cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, alpha);
}

void trace(cairo_t* cr, const page_shape& shape) {
    for (const auto& ring : shape) {
        if (ring.empty())
            continue;
        cairo_move_to(cr, ring.front().x, ring.front().y);
        for (std::size_t i = 1; i < ring.size(); ++i)
            cairo_line_to(cr, ring[i].x, ring[i].y);
        cairo_close_path(cr);
    }
}

void draw_areas(cairo_t* cr, const std::vector<area_shape>& areas, int part,
                const legend_box& legend, bool filled_by_class, rgb line, double width,
                const std::string& only = "") {
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    for (const auto& a : areas) {
        if (a.part != part || (!only.empty() && a.key != only))
            continue;
        trace(cr, a.shape);
        if (filled_by_class && a.cls >= 0) {
            set_colour(cr, legend.items.at(static_cast<std::size_t>(a.cls)).color);
            cairo_fill_preserve(cr);
        }
        set_colour(cr, line);
        cairo_set_line_width(cr, width);
        cairo_stroke(cr);
    }
}

void draw_land(cairo_t* cr, const scene& s, int part) {
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    set_colour(cr, land);
    for (const auto& a : s.states)
        if (a.part == part)
            trace(cr, a.shape);
    cairo_fill(cr);
}

bool in_class(const mark& m, std::size_t cls, int part) {
    return static_cast<std::size_t>(m.cls) == cls && m.part == part;
}

// The points of one class in one path: filled discs, or rings for points placed only at
// the centre of a county or state.
void draw_points(cairo_t* cr, const scene& s, int part, std::size_t cls, bool approximate) {
    bool any = false;
    for (const auto& m : s.marks)
        if (m.is_point && m.approximate == approximate && in_class(m, cls, part)) {
            cairo_new_sub_path(cr);
            cairo_arc(cr, m.at.x, m.at.y, s.point_radius, 0, 6.283185307179586);
            any = true;
        }
    if (!any)
        return;
    const auto colour = s.legend.items[cls].color;
    if (approximate) {
        set_colour(cr, colour);
        cairo_set_line_width(cr, 1.2);
        cairo_stroke(cr);
        return;
    }
    set_colour(cr, colour, 0.85);
    if (s.marks.size() > 5000) {
        cairo_fill(cr);
        return;
    }
    cairo_fill_preserve(cr);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
}

// Class by class (most common first, rare ones on top): areas, then points.
void draw_marks(cairo_t* cr, const scene& s, int part) {
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING); // points at one place must not cancel
    cairo_new_path(cr);
    for (std::size_t cls = 0; cls < s.legend.items.size(); ++cls) {
        const auto colour = s.legend.items[cls].color;
        for (const auto& m : s.marks) {
            if (m.is_point || !in_class(m, cls, part))
                continue;
            trace(cr, m.shape);
            set_colour(cr, colour, 0.45);
            cairo_fill_preserve(cr);
            set_colour(cr, colour);
            cairo_set_line_width(cr, 0.8);
            cairo_stroke(cr);
        }
        draw_points(cr, s, part, cls, false);
        draw_points(cr, s, part, cls, true);
    }
}

class painter {
  public:
    painter(cairo_t* cr, std::vector<text_label>* labels) : m_cr(cr), m_labels(labels) {}

    double width(const std::string& text, double size, bool bold) const {
        select(size, bold);
        cairo_text_extents_t e;
        cairo_text_extents(m_cr, text.c_str(), &e);
        return e.x_advance;
    }

    void text(xy at, const std::string& text, double size, bool bold, rgb colour,
              const std::string& anchor = "start") const {
        if (text.empty())
            return;
        if (m_labels) {
            m_labels->push_back({at, text, size, bold, anchor, colour});
            return;
        }
        const double w = width(text, size, bold);
        const double x = anchor == "middle" ? at.x - w / 2 : anchor == "end" ? at.x - w : at.x;
        set_colour(m_cr, colour);
        cairo_move_to(m_cr, x, at.y);
        cairo_show_text(m_cr, text.c_str());
    }

    /// Words of text on lines no wider than max_width; returns the lines' count.
    int wrapped(xy at, const std::string& text, double size, rgb colour, double max_width,
                double leading) const {
        std::string line, word;
        int lines = 0;
        const auto flush = [&] {
            this->text({at.x, at.y + leading * lines}, line, size, false, colour);
            ++lines;
            line.clear();
        };
        std::size_t i = 0;
        while (i <= text.size()) {
            const auto j = std::min(text.find(' ', i), text.size());
            word = text.substr(i, j - i);
            const auto candidate = line.empty() ? word : line + " " + word;
            if (!line.empty() && width(candidate, size, false) > max_width)
                flush(), line = word;
            else
                line = candidate;
            i = j + 1;
        }
        if (!line.empty())
            flush();
        return lines;
    }

    cairo_t* cr() const { return m_cr; }

  private:
    void select(double size, bool bold) const {
        cairo_select_font_face(m_cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(m_cr, size);
    }
    cairo_t* m_cr;
    std::vector<text_label>* m_labels;
};

void draw_legend(const painter& p, const scene& s) {
    const auto& lg = s.legend;
    if (lg.items.empty())
        return;
    const bool counts = !s.choropleth;
    const double row = 17, pad = 8;
    std::vector<std::string> labels;
    double w = p.width(lg.title, legend_px, true);
    for (const auto& it : lg.items) {
        labels.push_back(counts ? it.label + " (" + format_number(double(it.count), true) + ")"
                                : it.label);
        w = std::max(w, 22 + p.width(labels.back(), legend_px, false));
    }
    const double h = pad * 2 + (lg.title.empty() ? 0 : row) + row * lg.items.size();
    w += pad * 2;
    const double x = s.frame.x + s.frame.w - w - 6, y = s.frame.y + s.frame.h - h - 6;
    auto* cr = p.cr();
    cairo_rectangle(cr, x, y, w, h);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.88);
    cairo_fill_preserve(cr);
    set_colour(cr, frame_line);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    double ty = y + pad + 11;
    if (!lg.title.empty()) {
        p.text({x + pad, ty}, lg.title, legend_px, true, ink);
        ty += row;
    }
    const bool squares = s.choropleth || (!s.marks.empty() && !s.marks.front().is_point);
    for (std::size_t i = 0; i < lg.items.size(); ++i, ty += row) {
        cairo_new_path(cr);
        set_colour(cr, lg.items[i].color);
        if (squares)
            cairo_rectangle(cr, x + pad, ty - 10, 14, 11);
        else
            cairo_arc(cr, x + pad + 7, ty - 4.5, 5, 0, 6.283185307179586);
        cairo_fill_preserve(cr);
        set_colour(cr, state_line);
        cairo_set_line_width(cr, 0.5);
        cairo_stroke(cr);
        p.text({x + pad + 22, ty}, labels[i], legend_px, false, ink);
    }
}

void draw_scale_bar(const painter& p, const scale_bar& b) {
    auto* cr = p.cr();
    set_colour(cr, ink);
    cairo_set_line_width(cr, 1.2);
    cairo_move_to(cr, b.at.x, b.at.y - 4);
    cairo_line_to(cr, b.at.x, b.at.y);
    cairo_line_to(cr, b.at.x + b.length, b.at.y);
    cairo_line_to(cr, b.at.x + b.length, b.at.y - 4);
    cairo_stroke(cr);
    p.text({b.at.x + b.length / 2, b.at.y - 7}, b.label, small_px, false, ink, "middle");
}

// One part of the map (the main map or an inset), clipped by the caller.
void draw_part(cairo_t* cr, const scene& s, int part) {
    draw_land(cr, s, part);
    const bool county_fill = s.choropleth && s.choropleth_counties;
    const bool state_fill = s.choropleth && !s.choropleth_counties;
    draw_areas(cr, s.counties, part, s.legend, county_fill, county_line, county_fill ? 0.25 : 0.35);
    draw_areas(cr, s.states, part, s.legend, state_fill, state_line, 0.7);
    if (!s.highlight.empty()) {
        draw_areas(cr, s.states, part, s.legend, false, ink, 1.4, s.highlight);
        draw_areas(cr, s.counties, part, s.legend, false, ink, 1.4, s.highlight);
    }
    draw_marks(cr, s, part);
}

// The main map clipped to the frame outside the insets, then each inset in its box.
void draw_map(cairo_t* cr, const scene& s) {
    cairo_save(cr);
    cairo_rectangle(cr, s.frame.x, s.frame.y, s.frame.w, s.frame.h);
    for (const auto& b : s.insets)
        cairo_rectangle(cr, b.x, b.y, b.w, b.h);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_clip(cr);
    draw_part(cr, s, 0);
    cairo_restore(cr);
    for (std::size_t i = 0; i < s.insets.size(); ++i) {
        const auto& b = s.insets[i];
        cairo_save(cr);
        cairo_rectangle(cr, b.x, b.y, b.w, b.h);
        cairo_clip(cr);
        draw_part(cr, s, static_cast<int>(i) + 1);
        cairo_restore(cr);
        set_colour(cr, frame_line);
        cairo_set_line_width(cr, 0.6);
        cairo_rectangle(cr, b.x, b.y, b.w, b.h);
        cairo_stroke(cr);
    }
}

} // namespace

void draw_scene(cairo_t* cr, const scene& s, std::vector<text_label>* labels) {
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    draw_map(cr, s);
    const painter p(cr, labels);
    const double left = 16, right = s.width - 16;
    p.text({left, 36}, s.title, title_px, true, ink);
    p.text({left, 58}, s.date_line, date_px, false, grey_text);
    p.text({left, 80}, s.notice, notice_px, true, notice_red);
    draw_legend(p, s);
    draw_scale_bar(p, s.bar);
    const double foot_y = s.frame.y + s.frame.h + 18;
    const int n = p.wrapped({left, foot_y}, s.footnote, small_px, grey_text, right - left, 15);
    p.wrapped({left, foot_y + 15 * n}, s.credit, small_px, grey_text, right - left, 15);
}

} // namespace porchlight::render::detail
