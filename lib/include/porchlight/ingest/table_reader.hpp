#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace porchlight::ingest {

/// The tabular formats porchlight reads records from.
enum class table_format { csv, xlsx, ods, geojson, gpkg, kml, kmz, json, osm };

std::string_view to_string(table_format f);
/// From the file name's extension (case-insensitive); nullopt when not a table format.
/// A .json file is geojson here: see sniff_format.
std::optional<table_format> table_format_of(const std::filesystem::path& file);

/// The format of a file whose extension says `by_extension`, checked against its bytes: a
/// .json file that is not GeoJSON (an array of objects, or an object holding one array)
/// is json. Other formats are returned as they are.
table_format sniff_format(const std::filesystem::path& file, table_format by_extension);

/// One data row / feature / placemark, values aligned with TableReader::columns().
struct table_row {
    std::int64_t number = 0; ///< 1-based data row / feature / placemark number
    std::vector<std::string> values;
    std::optional<std::string> wkt; ///< geometry as WKT in WGS84 lon/lat
};

/// Reads rows of one layer of a tabular or spatial file: CSV/XLSX/ODS/GeoJSON/GeoPackage
/// through GDAL/OGR, KML/KMZ placemarks with pugixml (GDAL's KML drivers drop <address>),
/// JSON arrays of objects with nlohmann-json (nested keys flattened: "area.radius"), and
/// OpenStreetMap XML surveillance nodes and ways with pugixml.
/// Every value is returned as text exactly as the source spells it (no type guessing).
/// Problems with the file throw parse_error naming the file and row.
class TableReader {
public:
    virtual ~TableReader() = default;
    /// Opens a file. A CSV file's bytes are checked with precheck_csv() first unless the
    /// caller has done so (prechecked).
    static std::unique_ptr<TableReader> open(const std::filesystem::path& file,
                                             table_format format, bool prechecked = false);

    const std::vector<std::string>& columns() const noexcept { return m_columns; }
    table_format format() const noexcept { return m_format; }
    /// "row", "feature", "placemark" or "element" (OSM): the word locators use.
    std::string_view locator_word() const;
    /// Next row into row; false at the end.
    virtual bool next(table_row& row) = 0;

protected:
    TableReader(std::filesystem::path file, table_format format)
        : m_file(std::move(file)), m_format(format) {}
    std::filesystem::path m_file;
    table_format m_format;
    std::vector<std::string> m_columns;
};

/// Checks a CSV file's bytes before GDAL reads it: not empty, no NUL bytes, valid UTF-8,
/// no quoted field left open at the end. Throws parse_error naming the row.
void precheck_csv(const std::filesystem::path& file);

/// Registers GDAL drivers once and routes GDAL's messages away from stderr.
void gdal_init();

} // namespace porchlight::ingest
