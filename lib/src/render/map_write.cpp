// `porchlight map`'s entry points: the format of an output path, the scene drawn by the
// writer of that format, whether the store holds the fictional demo corpus, the date line.

#include <porchlight/error.hpp>
#include <porchlight/render/detail/map_scene.hpp>
#include <porchlight/util/text.hpp>

#include <stdexcept>

namespace porchlight::render {

map_format map_format_of(const std::filesystem::path& out) {
    const auto ext = util::to_lower_ascii(out.extension().string());
    if (ext == ".png")
        return map_format::png;
    if (ext == ".svg")
        return map_format::svg;
    if (ext == ".pdf")
        return map_format::pdf;
    if (ext == ".html" || ext == ".htm")
        return map_format::html;
    throw std::invalid_argument("cannot tell the map format of '" + out.string() +
                                "' (use .png, .svg, .pdf or .html)");
}

map_result write_map(const layer& l, const std::filesystem::path& data_dir,
                     const map_options& options, const std::filesystem::path& out,
                     map_format format) {
    const auto s = detail::build_scene(l, data_dir, options);
    switch (format) {
    case map_format::png:
        if (options.png_scale < 1 || options.png_scale > 4)
            throw std::invalid_argument("the PNG scale must be 1 to 4");
        detail::write_png(s, out, options.png_scale);
        break;
    case map_format::svg:
        detail::write_svg(s, out);
        break;
    case map_format::pdf:
        detail::write_pdf(s, out);
        break;
    case map_format::html:
        detail::write_html(s, l, data_dir, out);
        break;
    }
    return s.result;
}

bool store_holds_demo_data(store::Database& db, const std::filesystem::path& data_dir) {
    std::error_code ec;
    auto demo = std::filesystem::weakly_canonical(data_dir / "demo", ec);
    if (ec)
        demo = data_dir / "demo";
    const auto prefix = demo.string() + "/";
    store::Statement st(db, "SELECT origin FROM sources ORDER BY id");
    while (st.step()) {
        const auto origin = st.get_text(0);
        if (origin.empty() || origin[0] != '/')
            continue; // a URL
        auto p = std::filesystem::weakly_canonical(origin, ec);
        const auto path = (ec ? std::filesystem::path(origin) : p).string();
        if (path.rfind(prefix, 0) == 0)
            return true;
    }
    return false;
}

std::string map_date_line(store::Database& db, const std::optional<std::string>& as_of) {
    if (as_of)
        return "as of " + *as_of;
    const auto latest = db.scalar_text("SELECT max(as_of) FROM sources WHERE kind = 'records'");
    return latest && !latest->empty() ? "sources as of " + *latest : "";
}

} // namespace porchlight::render
