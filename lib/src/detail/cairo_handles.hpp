#pragma once

// cairo surfaces and contexts owned by std::unique_ptr (the static maps and the heat maps'
// PNG). Header-only (private to the library).

#include <cairo.h>

#include <memory>

namespace porchlight::cairo_detail {

struct surface_destroyer {
    void operator()(cairo_surface_t* s) const noexcept { cairo_surface_destroy(s); }
};
struct context_destroyer {
    void operator()(cairo_t* c) const noexcept { cairo_destroy(c); }
};
using surface_ptr = std::unique_ptr<cairo_surface_t, surface_destroyer>;
using context_ptr = std::unique_ptr<cairo_t, context_destroyer>;

} // namespace porchlight::cairo_detail
