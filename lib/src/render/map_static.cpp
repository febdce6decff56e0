// PNG, SVG and PDF files from the one cairo drawing path (map_cairo.cpp).

#include "../detail/cairo_handles.hpp"

#include <porchlight/error.hpp>
#include <porchlight/render/detail/map_cairo.hpp>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <pugixml.hpp>

#include <array>
#include <charconv>
#include <memory>
#include <string_view>

namespace porchlight::render::detail {

namespace {

using cairo_detail::context_ptr;
using cairo_detail::surface_ptr;

void check(cairo_status_t st, const std::filesystem::path& out) {
    if (st != CAIRO_STATUS_SUCCESS)
        throw error("cannot write the map " + out.string() + ": " + cairo_status_to_string(st));
}

void draw_on(cairo_surface_t* surface, const scene& s, double scale,
             std::vector<text_label>* labels, const std::filesystem::path& out) {
    check(cairo_surface_status(surface), out);
    context_ptr cr(cairo_create(surface));
    cairo_scale(cr.get(), scale, scale);
    draw_scene(cr.get(), s, labels);
    check(cairo_status(cr.get()), out);
}

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

std::string num(double v) {
    std::array<char, 32> buf{};
    auto [end, ec] =
        std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, 2);
    return std::string(buf.data(), end);
}

// The collected labels as <text> elements of the SVG cairo wrote.
void add_text(pugi::xml_node svg, const scene& s, const std::vector<text_label>& labels) {
    // cairo names its drawing "surfaceN" with a counter of the process: unreferenced, it
    // goes, so that the same scene gives the same bytes
    for (auto g = svg.child("g"); g; g = g.next_sibling("g"))
        if (std::string_view(g.attribute("id").value()).rfind("surface", 0) == 0)
            g.remove_attribute("id");
    svg.prepend_child("title").text().set(s.title.c_str());
    auto g = svg.append_child("g");
    g.append_attribute("font-family") = "'DejaVu Sans', Verdana, Arial, sans-serif";
    for (const auto& l : labels) {
        auto t = g.append_child("text");
        t.append_attribute("x") = num(l.at.x).c_str();
        t.append_attribute("y") = num(l.at.y).c_str();
        t.append_attribute("font-size") = num(l.size).c_str();
        if (l.bold)
            t.append_attribute("font-weight") = "bold";
        if (l.anchor != "start")
            t.append_attribute("text-anchor") = l.anchor.c_str();
        t.append_attribute("fill") = hex(l.color).c_str();
        t.text().set(l.text.c_str());
    }
}

// "...YYYY-MM-DD" at the end of the date line as an ISO time, else a fixed one
std::string creation_date(const std::string& date_line) {
    const auto d = date_line.size() >= 10 ? date_line.substr(date_line.size() - 10) : "";
    const bool iso = d.size() == 10 && d[4] == '-' && d[7] == '-';
    return (iso ? d : "2000-01-01") + "T00:00:00Z";
}

} // namespace

void write_png(const scene& s, const std::filesystem::path& out, int scale) {
    surface_ptr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, // opaque page
                                                   static_cast<int>(s.width * scale),
                                                   static_cast<int>(s.height * scale)));
    draw_on(surface.get(), s, scale, nullptr, out);
    cairo_surface_flush(surface.get());
    check(cairo_surface_write_to_png(surface.get(), out.c_str()), out);
}

void write_svg(const scene& s, const std::filesystem::path& out) {
    std::string svg;
    std::vector<text_label> labels;
    {
        surface_ptr surface(
            cairo_svg_surface_create_for_stream(append_to_string, &svg, s.width, s.height));
        cairo_svg_surface_restrict_to_version(surface.get(), CAIRO_SVG_VERSION_1_1);
        cairo_svg_surface_set_document_unit(surface.get(), CAIRO_SVG_UNIT_PX);
        draw_on(surface.get(), s, 1, &labels, out);
        cairo_surface_finish(surface.get());
        check(cairo_surface_status(surface.get()), out);
    }
    pugi::xml_document doc;
    if (!doc.load_buffer(svg.data(), svg.size()))
        throw error("cannot write the map " + out.string() + ": cairo wrote no valid SVG");
    add_text(doc.document_element(), s, labels);
    if (!doc.save_file(out.c_str(), "  ", pugi::format_default, pugi::encoding_utf8))
        throw error("cannot write the map " + out.string());
}

void write_pdf(const scene& s, const std::filesystem::path& out) {
    surface_ptr surface(cairo_pdf_surface_create(out.c_str(), s.width, s.height));
    check(cairo_surface_status(surface.get()), out);
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, s.title.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "porchlight");
    // not the time of the run (the same store gives the same bytes): the data's date
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE,
                                   creation_date(s.date_line).c_str());
    draw_on(surface.get(), s, 1, nullptr, out);
    cairo_surface_finish(surface.get());
    check(cairo_surface_status(surface.get()), out);
}

} // namespace porchlight::render::detail
