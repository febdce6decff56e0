#pragma once

// GDAL/OGR C handles owned by std::unique_ptr, and GDAL's last error as text: what every
// module that opens a dataset (ingest, geo, render) needs. Header-only (private to the
// library).

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <memory>
#include <string>

namespace porchlight::gdal_detail {

/// GDAL's last error message, else fallback (GDAL set none).
inline std::string last_message(const char* fallback = "unknown GDAL error") {
    const char* m = CPLGetLastErrorMsg();
    return (m && *m) ? std::string(m) : std::string(fallback);
}

/// ": " and GDAL's last error message, or "" when GDAL set none (to end a sentence).
inline std::string message_suffix() {
    const char* m = CPLGetLastErrorMsg();
    return (m && *m) ? std::string(": ") + m : std::string();
}

struct dataset_closer {
    void operator()(void* ds) const noexcept { GDALClose(static_cast<GDALDatasetH>(ds)); }
};
struct feature_destroyer {
    void operator()(void* f) const noexcept { OGR_F_Destroy(static_cast<OGRFeatureH>(f)); }
};
struct geometry_destroyer {
    void operator()(void* g) const noexcept { OGR_G_DestroyGeometry(static_cast<OGRGeometryH>(g)); }
};
struct srs_releaser {
    void operator()(void* s) const noexcept { OSRRelease(static_cast<OGRSpatialReferenceH>(s)); }
};
struct transform_destroyer {
    void operator()(void* t) const noexcept {
        OCTDestroyCoordinateTransformation(static_cast<OGRCoordinateTransformationH>(t));
    }
};

/// A GDAL option list (NAME=VALUE strings), freed at the end of the scope.
struct string_list {
    char** list = nullptr;
    string_list() = default;
    string_list(const string_list&) = delete;
    string_list& operator=(const string_list&) = delete;
    ~string_list() { CSLDestroy(list); }
    void set(const char* key, const std::string& value) {
        list = CSLSetNameValue(list, key, value.c_str());
    }
};

using dataset_ptr = std::unique_ptr<void, dataset_closer>;
using feature_ptr = std::unique_ptr<void, feature_destroyer>;
using geometry_ptr = std::unique_ptr<void, geometry_destroyer>;
using srs_ptr = std::unique_ptr<void, srs_releaser>;
using transform_ptr = std::unique_ptr<void, transform_destroyer>;

} // namespace porchlight::gdal_detail
