// `porchlight export`: picks the writer, streams the layer into OUT.part and renames it to
// OUT at the end (no half files); an empty layer is an error that names the filter that
// emptied it.
#include "detail/export_writers.hpp"

#include "../report/detail/reports.hpp"

#include <porchlight/error.hpp>
#include <porchlight/ingest/table_reader.hpp>
#include <porchlight/util/part_file.hpp>
#include <porchlight/util/text.hpp>

#include <system_error>

namespace porchlight::render {

namespace {

struct format_info {
    export_format format;
    const char* name;
    const char* extension;
};

constexpr format_info formats[] = {
    {export_format::geojson, "geojson", ".geojson"}, {export_format::geojsonl, "geojsonl", ".geojsonl"},
    {export_format::kml, "kml", ".kml"},             {export_format::kmz, "kmz", ".kmz"},
    {export_format::gpkg, "gpkg", ".gpkg"},          {export_format::fgb, "fgb", ".fgb"},
    {export_format::csv, "csv", ".csv"}};

std::string format_list() {
    return report::reports_detail::join_text(export_format_names(), ", ");
}

} // namespace

std::string_view to_string(export_format f) {
    for (const auto& i : formats)
        if (i.format == f)
            return i.name;
    return "geojson";
}

const std::vector<std::string>& export_format_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const auto& i : formats)
            n.emplace_back(i.name);
        return n;
    }();
    return names;
}

export_format export_format_from_name(std::string_view name) {
    auto n = util::to_lower_ascii(name);
    if (n == "json")
        n = "geojson";
    if (n == "geojsonseq" || n == "geojsons" || n == "jsonl" || n == "ndjson")
        n = "geojsonl";
    if (n == "geopackage")
        n = "gpkg";
    if (n == "flatgeobuf")
        n = "fgb";
    for (const auto& i : formats)
        if (n == i.name)
            return i.format;
    throw std::invalid_argument("unknown format '" + std::string(name) + "' (use " +
                                format_list() + ")");
}

export_format export_format_from_path(const std::filesystem::path& out) {
    const auto ext = util::to_lower_ascii(out.extension().string());
    if (ext == ".json")
        return export_format::geojson;
    if (ext == ".geojsons" || ext == ".jsonl" || ext == ".ndjson")
        return export_format::geojsonl;
    for (const auto& i : formats)
        if (ext == i.extension)
            return i.format;
    throw std::invalid_argument("cannot tell the format of " + out.string() +
                                (ext.empty() ? " (no extension)" : " from " + ext) +
                                ": give --format (" + format_list() + ")");
}

namespace {

std::unique_ptr<export_detail::feature_writer> make_writer(export_format f,
                                                           const std::filesystem::path& part) {
    switch (f) {
    case export_format::geojson:
    case export_format::geojsonl:
        return export_detail::make_geojson_writer(part, f == export_format::geojsonl);
    case export_format::kml:
    case export_format::kmz:
        return export_detail::make_kml_writer(part, f == export_format::kmz);
    case export_format::csv:
        return export_detail::make_csv_writer(part);
    case export_format::gpkg:
    case export_format::fgb:
        return export_detail::make_gdal_writer(part, f);
    }
    throw std::invalid_argument("unknown format");
}

} // namespace

export_result export_layer(store::Database& db, const std::filesystem::path& data_dir,
                           layer_kind kind, const layer_filter& filter, export_format format,
                           const std::filesystem::path& out) {
    const auto header = layer_header(kind, filter); // checks the filters before any file
    if (out.empty() || std::filesystem::is_directory(out))
        throw error("cannot write " + out.string() + ": it is a folder (give a file name)");
    const auto parent = out.has_parent_path() ? out.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(parent))
        throw error("cannot write " + out.string() + ": the folder " + parent.string() +
                    " does not exist");
    ingest::gdal_init(); // GDAL's messages go to exceptions, never to stderr
    util::part_file part(out.string() + ".part");
    auto writer = make_writer(format, part.path());
    writer->begin(header);
    export_result r;
    r.format = format;
    r.info = stream_layer(db, data_dir, kind, filter, [&](const feature& f) {
        writer->write(f);
        ++r.features;
    });
    if (r.features == 0) {
        writer.reset();
        part.remove();
        throw error("nothing to write to " + out.string() + ": " +
                    explain_empty(db, data_dir, kind, filter, r.info.without_location));
    }
    writer->finish(r.info);
    writer.reset();
    if (format == export_format::fgb) // GDAL wrote OUT.part/<layer>.fgb
        util::move_into_place(part.path() / (header.name + ".fgb"), out);
    else
        util::move_into_place(part.path(), out);
    return r;
}

std::string explain_empty(store::Database& db, const std::filesystem::path& data_dir,
                          layer_kind kind, const layer_filter& filter,
                          std::int64_t without_location) {
    auto count = [&](const layer_filter& f) {
        std::int64_t n = 0;
        const auto l = stream_layer(db, data_dir, kind, f, [&](const feature&) { ++n; });
        return std::make_pair(n, l.without_location);
    };
    const std::string name(to_string(kind));
    const auto note =
        without_location
            ? " (" + std::to_string(without_location) + " " + name +
                  (kind == layer_kind::requests
                       ? " left out for having no centre or area in their source)"
                       : " left out for having no location: run `porchlight geocode`)")
            : std::string();
    if (kind == layer_kind::hexbins) { // the cameras there are, binned
        std::int64_t cameras = 0;
        stream_layer(db, data_dir, layer_kind::cameras, filter, [&](const feature&) { ++cameras; });
        if (cameras == 0)
            return "the store holds no cameras" +
                   (filter.state ? " in " + *filter.state : std::string()) + note + ".";
        return "no hexagon " + report::to_text(filter.hexbin_cell_m) + " m across holds " +
               std::to_string(filter.hexbin_min_count) + " cameras or more (of " +
               std::to_string(cameras) + "; the privacy rule: --min-count)" + note + ".";
    }
    layer_filter none;
    none.include_personal_data = filter.include_personal_data;
    none.hexbin_cell_m = filter.hexbin_cell_m;
    none.hexbin_min_count = filter.hexbin_min_count;
    const auto [all, all_unplaced] = count(none);
    if (all == 0 && all_unplaced == 0)
        return "the store holds no " + name + note + ".";
    if (all == 0)
        return "no " + name + " has a location" + note + ".";
    std::vector<std::string> emptied;
    auto alone = [&](const char* option, std::optional<std::string> layer_filter::*member) {
        if (!(filter.*member))
            return;
        auto f = none;
        f.*member = filter.*member;
        if (count(f).first == 0)
            emptied.push_back(std::string(option) + " " + *(filter.*member));
    };
    alone("--vendor", &layer_filter::vendor);
    alone("--technology", &layer_filter::technology);
    alone("--state", &layer_filter::state);
    alone("--as-of", &layer_filter::as_of);
    alone("--since", &layer_filter::since);
    alone("--until", &layer_filter::until);
    if (!emptied.empty())
        return report::reports_detail::join_text(emptied, ", ") + (emptied.size() == 1 ? " keeps" : " each keep") +
               " no " + name + " (of " + std::to_string(all) + ")" + note + ".";
    return "the filters together keep no " + name + " (of " + std::to_string(all) +
           "), though each alone keeps some" + note + ".";
}

} // namespace porchlight::render
