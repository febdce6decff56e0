#pragma once

// Owners of GLib handles, shared by the parsers that read through GLib libraries (libgsf
// for .msg, GMime for e-mail): one move-only owner per handle.

#include <glib-object.h>

#include <memory>

namespace porchlight::docs::detail {

struct gobject_unref {
    void operator()(gpointer object) const noexcept { g_object_unref(object); }
};
template <class T> using gobject_ptr = std::unique_ptr<T, gobject_unref>;

struct gfree {
    void operator()(gpointer p) const noexcept { g_free(p); }
};
using gchar_ptr = std::unique_ptr<char, gfree>;

struct gerror_free {
    void operator()(GError* error) const noexcept { g_error_free(error); }
};
using gerror_ptr = std::unique_ptr<GError, gerror_free>;

} // namespace porchlight::docs::detail
