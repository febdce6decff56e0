#include "detail/readers.hpp"

#include "../detail/gdal_handles.hpp"

#include <porchlight/error.hpp>
#include <porchlight/ingest/table_reader.hpp>
#include <porchlight/util/text.hpp>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace fs = std::filesystem;

namespace porchlight::ingest {

std::string_view to_string(table_format f) {
    switch (f) {
    case table_format::csv:
        return "csv";
    case table_format::xlsx:
        return "xlsx";
    case table_format::ods:
        return "ods";
    case table_format::geojson:
        return "geojson";
    case table_format::gpkg:
        return "gpkg";
    case table_format::kml:
        return "kml";
    case table_format::kmz:
        return "kmz";
    case table_format::json:
        return "json";
    case table_format::osm:
        return "osm";
    }
    return "csv";
}

std::optional<table_format> table_format_of(const fs::path& file) {
    const auto ext = util::to_lower_ascii(file.extension().string());
    if (ext == ".csv" || ext == ".tsv" || ext == ".txt")
        return table_format::csv;
    if (ext == ".xlsx")
        return table_format::xlsx;
    if (ext == ".ods")
        return table_format::ods;
    if (ext == ".geojson" || ext == ".json")
        return table_format::geojson;
    if (ext == ".gpkg")
        return table_format::gpkg;
    if (ext == ".kml")
        return table_format::kml;
    if (ext == ".kmz")
        return table_format::kmz;
    if (ext == ".osm")
        return table_format::osm;
    return std::nullopt;
}

table_format sniff_format(const fs::path& file, table_format by_extension) {
    if (by_extension != table_format::geojson ||
        util::to_lower_ascii(file.extension().string()) != ".json")
        return by_extension;
    std::ifstream in(file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    const auto text = ss.str();
    const auto first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (first == std::string::npos || text[first] == '[')
        return table_format::json;
    return detail::is_geojson_text(text) ? table_format::geojson : table_format::json;
}

std::string_view TableReader::locator_word() const {
    switch (m_format) {
    case table_format::kml:
    case table_format::kmz:
        return "placemark";
    case table_format::geojson:
    case table_format::gpkg:
        return "feature";
    case table_format::osm:
        return "element";
    default:
        return "row";
    }
}

namespace {

// GDAL reports through CPLError; keep the last message per thread for our exceptions
// instead of letting GDAL print to stderr.
void CPL_STDCALL quiet_handler(CPLErr, CPLErrorNum, const char*) {}

} // namespace

void gdal_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetErrorHandler(quiet_handler);
        // Never reach for the network or for sidecar files while reading a source.
        CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1");
        CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", ".none");
    });
}

namespace {

/// The data row (1-based; 0 = header) that holds byte offset `at` of a CSV file: a slow
/// rescan, only run to name the row of an error.
std::int64_t csv_row_at(const fs::path& file, std::uint64_t at) {
    std::FILE* fp = std::fopen(file.c_str(), "rb");
    if (!fp)
        return 0;
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> owner(fp, &std::fclose);
    std::vector<char> buf(1 << 20);
    std::int64_t record = 0;
    bool quoted = false;
    std::uint64_t offset = 0;
    while (offset < at) {
        const auto n = std::fread(buf.data(), 1, buf.size(), fp);
        if (n == 0)
            break;
        for (std::size_t i = 0; i < n && offset + i < at; ++i) {
            if (buf[i] == '"')
                quoted = !quoted;
            else if (buf[i] == '\n' && !quoted)
                ++record;
        }
        offset += n;
    }
    return record;
}

/// The data row in which the last quoted field opens (for a file that ends inside one).
std::int64_t csv_row_of_open_quote(const fs::path& file) {
    std::FILE* fp = std::fopen(file.c_str(), "rb");
    if (!fp)
        return 0;
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> owner(fp, &std::fclose);
    std::vector<char> buf(1 << 20);
    std::int64_t record = 0, open_record = 0;
    bool quoted = false;
    while (const auto n = std::fread(buf.data(), 1, buf.size(), fp)) {
        for (std::size_t i = 0; i < n; ++i) {
            if (buf[i] == '"') {
                quoted = !quoted;
                if (quoted)
                    open_record = record;
            } else if (buf[i] == '\n' && !quoted) {
                ++record;
            }
        }
    }
    return open_record;
}

/// Offset of the first byte that is not ASCII, or size when there is none (8 bytes a step).
std::size_t ascii_prefix(const char* p, std::size_t size) {
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ULL)
            break;
    }
    while (i < size && !(static_cast<unsigned char>(p[i]) & 0x80))
        ++i;
    return i;
}

} // namespace

void precheck_csv(const fs::path& file) {
    // One streaming pass, constant memory whatever the file size: NUL bytes, UTF-8 validity
    // across buffer boundaries, and whether the file ends inside a quoted field (an odd
    // number of '"' in RFC 4180 CSV). Rows are only counted again to name an error's row.
    const auto name = file.string();
    std::FILE* fp = std::fopen(file.c_str(), "rb");
    if (!fp)
        throw error("cannot open " + name + ": " + std::strerror(errno));
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> owner(fp, &std::fclose);
    std::vector<char> buf(1 << 20);
    std::string carry; // an incomplete UTF-8 sequence at the end of the previous buffer
    std::uint64_t offset = 0, quotes = 0;
    bool any = false;
    while (true) {
        const auto n = std::fread(buf.data(), 1, buf.size(), fp);
        if (n == 0)
            break;
        any = true;
        const char* data = buf.data();
        if (const void* nul = std::memchr(data, '\0', n)) {
            const auto at = offset + static_cast<std::uint64_t>(static_cast<const char*>(nul) - data);
            throw parse_error("binary data (NUL byte at offset " + std::to_string(at) +
                                  "), not a CSV text file",
                              name, csv_row_at(file, at));
        }
        for (const char* p = data; (p = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(data + n - p)))); ++p)
            ++quotes;
        // UTF-8: the ASCII stretches are skipped 8 bytes at a time
        std::size_t start = 0;
        if (!carry.empty()) {
            // complete the sequence cut at the previous boundary
            std::string joined = carry;
            joined.append(data, std::min<std::size_t>(n, 4));
            const auto lead = static_cast<unsigned char>(joined[0]);
            const std::size_t len = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : 4;
            if (joined.size() < len || util::invalid_utf8_offset(std::string_view(joined).substr(0, len)))
                throw parse_error("invalid UTF-8 at byte offset " +
                                      std::to_string(offset - carry.size()) +
                                      "; convert the file to UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8)",
                                  name, csv_row_at(file, offset - carry.size()));
            start = len - carry.size();
            carry.clear();
        }
        std::size_t i = start;
        while (i < n) {
            i += ascii_prefix(data + i, n - i);
            if (i >= n)
                break;
            // a multi-byte sequence: validate it, or keep it for the next buffer when cut
            const auto lead = static_cast<unsigned char>(data[i]);
            const std::size_t len = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3
                                    : (lead & 0xF8) == 0xF0 ? 4 : 1;
            if (len > 1 && i + len > n) {
                carry.assign(data + i, n - i);
                break;
            }
            if (len == 1 || util::invalid_utf8_offset(std::string_view(data + i, len))) {
                const auto at = offset + i;
                const auto row = csv_row_at(file, at);
                throw parse_error("invalid UTF-8 at byte offset " + std::to_string(at) +
                                      (row == 0 ? " in the header" : "") +
                                      "; convert the file to UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8)",
                                  name, row);
            }
            i += len;
        }
        offset += n;
    }
    if (std::ferror(fp))
        throw error("cannot read " + name);
    if (!any)
        throw parse_error("file is empty", name);
    if (!carry.empty())
        throw parse_error("invalid UTF-8 at the end of the file (a truncated character)", name,
                          csv_row_at(file, offset));
    if (quotes % 2 == 1)
        throw parse_error("file ends inside a quoted field opened in this row: the file is "
                          "truncated or has an unbalanced quote",
                          name, csv_row_of_open_quote(file));
}

namespace {

using namespace gdal_detail;

class gdal_reader final : public TableReader {
public:
    gdal_reader(const fs::path& file, table_format format) : TableReader(file, format) {
        gdal_init();
        const char* driver = nullptr;
        std::vector<const char*> options;
        switch (format) {
        case table_format::csv:
            driver = "CSV";
            options = {"HEADERS=YES", "AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=NO",
                       "KEEP_GEOM_COLUMNS=YES"};
            break;
        case table_format::xlsx:
            // GDAL 3.6 takes these as configuration options only (open options from 3.7)
            driver = "XLSX";
            CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", "FORCE");
            CPLSetThreadLocalConfigOption("OGR_XLSX_FIELD_TYPES", "STRING");
            break;
        case table_format::ods:
            driver = "ODS";
            CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", "FORCE");
            CPLSetThreadLocalConfigOption("OGR_ODS_FIELD_TYPES", "STRING");
            break;
        case table_format::geojson:
            driver = "GeoJSON";
            options = {"DATE_AS_STRING=YES"};
            break;
        case table_format::gpkg:
            driver = "GPKG";
            break;
        default:
            throw error("internal: gdal_reader used for " + std::string(to_string(format)));
        }
        options.push_back(nullptr);
        const char* drivers[] = {driver, nullptr};
        CPLErrorReset();
        std::string path = file.string();
        if (format == table_format::csv && util::to_lower_ascii(file.extension().string()) != ".csv")
            path = "CSV:" + path;
        m_ds.reset(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers,
                              options.data(), nullptr));
        if (!m_ds) {
            throw parse_error("cannot read as " + std::string(driver) + ": " +
                                  last_message("the file is not in that format (or is damaged)"),
                              file.string());
        }
        if (GDALDatasetGetLayerCount(m_ds.get()) < 1)
            throw parse_error("no table or layer in the file", file.string());
        m_layer = GDALDatasetGetLayer(m_ds.get(), 0);
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(m_layer);
        const int n = OGR_FD_GetFieldCount(defn);
        for (int i = 0; i < n; ++i)
            m_columns.emplace_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
        if (OGRSpatialReferenceH layer_srs = OGR_L_GetSpatialRef(m_layer)) {
            m_wgs84.reset(OSRNewSpatialReference(nullptr));
            OSRSetWellKnownGeogCS(static_cast<OGRSpatialReferenceH>(m_wgs84.get()), "WGS84");
            OSRSetAxisMappingStrategy(static_cast<OGRSpatialReferenceH>(m_wgs84.get()),
                                      OAMS_TRADITIONAL_GIS_ORDER);
            if (!OSRIsSame(layer_srs, static_cast<OGRSpatialReferenceH>(m_wgs84.get())))
                m_transform.reset(OCTNewCoordinateTransformation(
                    layer_srs, static_cast<OGRSpatialReferenceH>(m_wgs84.get())));
        }
        OGR_L_ResetReading(m_layer);
    }

    bool next(table_row& row) override {
        CPLErrorReset();
        feature_ptr f(OGR_L_GetNextFeature(m_layer));
        if (!f) {
            if (CPLGetLastErrorType() >= CE_Failure)
                throw parse_error("read error after this row: " + last_message(), m_file.string(),
                                  m_count);
            return false;
        }
        row.number = ++m_count;
        row.values.resize(m_columns.size());
        for (std::size_t i = 0; i < m_columns.size(); ++i) {
            const int idx = static_cast<int>(i);
            if (OGR_F_IsFieldSetAndNotNull(f.get(), idx))
                row.values[i] = OGR_F_GetFieldAsString(f.get(), idx);
            else
                row.values[i].clear();
        }
        row.wkt.reset();
        if (OGRGeometryH g = OGR_F_GetGeometryRef(f.get()); g && !OGR_G_IsEmpty(g)) {
            if (m_transform)
                OGR_G_Transform(g, static_cast<OGRCoordinateTransformationH>(m_transform.get()));
            char* wkt = nullptr;
            if (OGR_G_ExportToIsoWkt(g, &wkt) == OGRERR_NONE && wkt)
                row.wkt = wkt;
            CPLFree(wkt);
        }
        return true;
    }

private:
    dataset_ptr m_ds;
    OGRLayerH m_layer = nullptr;
    srs_ptr m_wgs84;
    transform_ptr m_transform;
    std::int64_t m_count = 0;
};

} // namespace

std::unique_ptr<TableReader> TableReader::open(const fs::path& file, table_format format,
                                               bool prechecked) {
    if (format == table_format::kml || format == table_format::kmz)
        return detail::open_kml_table(file, format);
    if (format == table_format::json)
        return detail::open_json_table(file);
    if (format == table_format::osm)
        return detail::open_osm_table(file);
    if (format == table_format::csv && !prechecked)
        precheck_csv(file);
    return std::make_unique<gdal_reader>(file, format);
}

} // namespace porchlight::ingest
