#pragma once

// The writers of `export` (lib/src/render/export*.cpp): one per format, fed one feature at
// a time. Each writes to the path it is given (OUT.part) and throws on failure.

#include <porchlight/render/export.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::render::export_detail {

class feature_writer {
public:
    virtual ~feature_writer() = default;
    virtual void begin(const layer& header) = 0;
    virtual void write(const feature& f) = 0;
    /// Completes and closes the file (throws when that fails).
    virtual void finish(const layer& done) = 0;
};

std::unique_ptr<feature_writer> make_geojson_writer(const std::filesystem::path& file, bool lines);
std::unique_ptr<feature_writer> make_csv_writer(const std::filesystem::path& file);
std::unique_ptr<feature_writer> make_kml_writer(const std::filesystem::path& file, bool kmz);
std::unique_ptr<feature_writer> make_gdal_writer(const std::filesystem::path& file,
                                                 export_format format);

/// A GeoPackage R*Tree entry: a feature id and its box as floats rounded outwards.
struct rtree_box {
    float minx, maxx, miny, maxy;
};
struct rtree_entry {
    std::int64_t id;
    rtree_box box;
};
rtree_box box_of(const geometry& g);
/// Builds the spatial index (gpkg_rtree_index) of table.column in the closed GeoPackage
/// file from the entries, packed bottom-up (export_gpkg_rtree.cpp).
void build_gpkg_rtree(const std::filesystem::path& file, const std::string& table,
                      const std::string& column, std::vector<rtree_entry> entries);

/// A coordinate rounded to 7 decimals (about 1 cm), -0 written as 0.
double round7(double v);
/// The shortest text that reads back as v (std::to_chars; "null" when not finite).
void append_number(std::string& out, double v);
/// A coordinate: round7, then append_number.
void append_coordinate(std::string& out, double v);
/// A property value as JSON: null, a number or a string literal.
void append_json_value(std::string& out, const report::value& v);

/// A file written through a large buffer with checked writes.
class buffered_file {
public:
    explicit buffered_file(const std::filesystem::path& file);
    ~buffered_file();
    buffered_file(const buffered_file&) = delete;
    buffered_file& operator=(const buffered_file&) = delete;
    /// The buffer to append to; flushed when large.
    std::string& buffer() { return m_buf; }
    void maybe_flush() {
        if (m_buf.size() >= (1u << 20))
            flush();
    }
    void flush();
    void close();

private:
    std::filesystem::path m_path;
    std::FILE* m_file = nullptr;
    std::string m_buf;
};

} // namespace porchlight::render::export_detail
