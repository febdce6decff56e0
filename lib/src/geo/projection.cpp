// WGS84 <-> the US equal-area projections, through OGRCoordinateTransformation in batches.
#include "../detail/gdal_handles.hpp"

#include <porchlight/error.hpp>
#include <porchlight/geo/projection.hpp>
#include <porchlight/ingest/table_reader.hpp>

#include <cpl_error.h>
#include <ogr_spatialref.h>

namespace porchlight::geo {

us_region region_of(double lon, double lat) {
    if (lat >= 51 && (lon <= -129 || lon >= 172))
        return us_region::alaska;
    if (lat >= 18 && lat <= 23 && lon <= -154 && lon >= -179)
        return us_region::hawaii;
    return us_region::conus;
}

const char* crs_of(us_region r) {
    switch (r) {
    case us_region::alaska:
        return "EPSG:3338";
    case us_region::hawaii:
        return "ESRI:102007";
    case us_region::conus:
        break;
    }
    return "EPSG:5070";
}

namespace {

struct ct_deleter {
    void operator()(OGRCoordinateTransformation* ct) const noexcept {
        OGRCoordinateTransformation::DestroyCT(ct);
    }
};
using ct_ptr = std::unique_ptr<OGRCoordinateTransformation, ct_deleter>;

void run(const ct_ptr& ct, std::vector<double>& x, std::vector<double>& y, const std::string& crs) {
    if (x.size() != y.size())
        throw error("projection: x and y differ in length");
    if (x.empty())
        return;
    std::vector<int> ok(x.size(), 0);
    if (!ct->Transform(x.size(), x.data(), y.data(), nullptr, ok.data()))
        for (int v : ok)
            if (!v)
                throw gdal_error("cannot transform a point to or from " + crs +
                                 gdal_detail::message_suffix());
}

} // namespace

struct Projection::impl {
    std::string crs;
    OGRSpatialReference wgs84, target;
    ct_ptr forward, inverse;
};

Projection::Projection(const std::string& crs) : m(std::make_unique<impl>()) {
    ingest::gdal_init();
    m->crs = crs;
    m->wgs84.SetWellKnownGeogCS("WGS84");
    m->wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (m->target.SetFromUserInput(crs.c_str()) != OGRERR_NONE)
        throw gdal_error("unknown coordinate reference system " + crs + gdal_detail::message_suffix());
    m->target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    m->forward.reset(OGRCreateCoordinateTransformation(&m->wgs84, &m->target));
    m->inverse.reset(OGRCreateCoordinateTransformation(&m->target, &m->wgs84));
    if (!m->forward || !m->inverse)
        throw gdal_error("cannot transform between WGS84 and " + crs + gdal_detail::message_suffix());
}

Projection::~Projection() = default;
Projection::Projection(Projection&&) noexcept = default;
Projection& Projection::operator=(Projection&&) noexcept = default;

void Projection::forward(std::vector<double>& x, std::vector<double>& y) const {
    run(m->forward, x, y, m->crs);
}

void Projection::inverse(std::vector<double>& x, std::vector<double>& y) const {
    run(m->inverse, x, y, m->crs);
}

const std::string& Projection::crs() const {
    return m->crs;
}

std::string Projection::wkt() const {
    char* text = nullptr;
    const char* options[] = {"FORMAT=WKT2_2018", nullptr};
    m->target.exportToWkt(&text, options);
    std::string out = text ? text : "";
    CPLFree(text);
    return out;
}

} // namespace porchlight::geo
