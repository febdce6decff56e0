#pragma once

// The cairo drawing path shared by the PNG, SVG and PDF writers.

#include <porchlight/render/detail/map_scene.hpp>

#include <vector>

typedef struct _cairo cairo_t;

namespace porchlight::render::detail {

/// Draws the scene in page units. With labels, texts are not drawn but collected there
/// (the SVG writer writes them as <text>).
void draw_scene(cairo_t* cr, const scene& s, std::vector<text_label>* labels);

} // namespace porchlight::render::detail
