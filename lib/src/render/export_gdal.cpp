// GeoPackage and FlatGeobuf through GDAL/OGR: one layer in WGS84 (EPSG:4326, lon/lat
// order), fields typed by type_of_property, the feature id as FID, coordinates rounded to 7
// decimals as in the other formats. GeoPackage keeps the layer's description in
// gpkg_contents (DESCRIPTION), is written in one transaction, and gets its spatial index
// packed at the end (export_gpkg_rtree.cpp). FlatGeobuf has no place
// for a description in GDAL 3.6; GDAL writes a FlatGeobuf whose name has no .fgb extension
// as a folder, so the file is written inside one and moved out by finish().
#include "detail/export_writers.hpp"

#include "../detail/gdal_handles.hpp"

#include <porchlight/error.hpp>
#include <porchlight/ingest/table_reader.hpp>

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <memory>

namespace porchlight::render::export_detail {

namespace {

using namespace gdal_detail;

OGRwkbGeometryType geometry_type(layer_kind k) {
    if (k == layer_kind::hexbins)
        return wkbPolygon;
    return k == layer_kind::requests ? wkbUnknown : wkbPoint;
}

class gdal_writer final : public feature_writer {
public:
    gdal_writer(const std::filesystem::path& file, export_format format)
        : m_path(file), m_format(format) {}

    void begin(const layer& header) override {
        ingest::gdal_init();
        const bool gpkg = m_format == export_format::gpkg;
        GDALDriverH driver = GDALGetDriverByName(gpkg ? "GPKG" : "FlatGeobuf");
        if (!driver)
            throw gdal_error(std::string("GDAL has no ") + (gpkg ? "GPKG" : "FlatGeobuf") +
                             " driver");
        CPLErrorReset();
        m_ds.reset(GDALCreate(driver, m_path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!m_ds)
            throw gdal_error("cannot write " + m_path.string() + ": " + last_message());
        srs_ptr srs(OSRNewSpatialReference(nullptr));
        auto* s = static_cast<OGRSpatialReferenceH>(srs.get());
        OSRImportFromEPSG(s, 4326);
        OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
        string_list options;
        if (gpkg) {
            options.set("DESCRIPTION", header.description);
            options.set("IDENTIFIER", header.name);
            // packed by build_gpkg_rtree once the rows are in: GDAL 3.6 inserts one by one
            options.set("SPATIAL_INDEX", "NO");
        }
        m_table = header.name;
        m_layer = GDALDatasetCreateLayer(m_ds.get(), header.name.c_str(), s,
                                         geometry_type(header.kind), options.list);
        if (!m_layer)
            throw gdal_error("cannot create layer " + header.name + " in " + m_path.string() +
                             ": " + last_message());
        for (const auto& name : header.property_names)
            add_field(name);
        m_feature.reset(OGR_F_Create(OGR_L_GetLayerDefn(m_layer)));
        if (gpkg && GDALDatasetStartTransaction(m_ds.get(), FALSE) != OGRERR_NONE)
            throw gdal_error("cannot write " + m_path.string() + ": " + last_message());
    }

    void write(const feature& f) override {
        auto* ft = static_cast<OGRFeatureH>(m_feature.get());
        OGR_F_SetFID(ft, f.id);
        for (int i = 0; i < static_cast<int>(f.properties.size()); ++i)
            set_field(ft, i, f.properties[i]);
        OGR_F_SetGeometryDirectly(ft, make_geometry(f.geom));
        if (m_format == export_format::gpkg)
            m_index.push_back({f.id, box_of(f.geom)});
        if (OGR_L_CreateFeature(m_layer, ft) != OGRERR_NONE)
            throw gdal_error("cannot write feature " + std::to_string(f.id) + " to " +
                             m_path.string() + ": " + last_message());
    }

    void finish(const layer&) override {
        m_feature.reset();
        if (m_format == export_format::gpkg &&
            GDALDatasetCommitTransaction(m_ds.get()) != OGRERR_NONE)
            throw gdal_error("cannot write " + m_path.string() + ": " + last_message());
        CPLErrorReset();
        m_ds.reset();
        if (CPLGetLastErrorType() >= CE_Failure)
            throw gdal_error("cannot write " + m_path.string() + ": " + last_message());
        if (m_format == export_format::gpkg)
            build_gpkg_rtree(m_path, m_table, "geom", std::move(m_index));
    }

private:
    void add_field(const std::string& name) {
        const auto t = type_of_property(name);
        std::unique_ptr<void, void (*)(void*)> defn(
            OGR_Fld_Create(name.c_str(), t == property_type::integer ? OFTInteger64
                                         : t == property_type::real  ? OFTReal
                                                                     : OFTString),
            [](void* d) { OGR_Fld_Destroy(static_cast<OGRFieldDefnH>(d)); });
        if (OGR_L_CreateField(m_layer, static_cast<OGRFieldDefnH>(defn.get()), TRUE) !=
            OGRERR_NONE)
            throw gdal_error("cannot add field " + name + " to " + m_path.string() + ": " +
                             last_message());
    }

    static void set_field(OGRFeatureH ft, int i, const report::value& v) {
        if (const auto* n = std::get_if<std::int64_t>(&v))
            OGR_F_SetFieldInteger64(ft, i, *n);
        else if (const auto* d = std::get_if<double>(&v))
            OGR_F_SetFieldDouble(ft, i, *d);
        else if (const auto* s = std::get_if<std::string>(&v))
            OGR_F_SetFieldString(ft, i, s->c_str());
        else
            OGR_F_SetFieldNull(ft, i);
    }

    static OGRGeometryH make_geometry(const geometry& g) {
        if (g.type == geometry::kind::point) {
            OGRGeometryH p = OGR_G_CreateGeometry(wkbPoint);
            OGR_G_SetPoint_2D(p, 0, round7(g.point.lon), round7(g.point.lat));
            return p;
        }
        OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
        for (const auto& r : g.rings) {
            OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
            for (const auto& p : r)
                OGR_G_AddPoint_2D(ring, round7(p.lon), round7(p.lat));
            OGR_G_AddPoint_2D(ring, round7(r.front().lon), round7(r.front().lat));
            OGR_G_AddGeometryDirectly(poly, ring);
        }
        return poly;
    }

    std::filesystem::path m_path;
    export_format m_format;
    dataset_ptr m_ds;
    OGRLayerH m_layer = nullptr;
    feature_ptr m_feature;
    std::string m_table;
    std::vector<rtree_entry> m_index; ///< GeoPackage: the boxes of the spatial index
};

} // namespace

std::unique_ptr<feature_writer> make_gdal_writer(const std::filesystem::path& file,
                                                 export_format format) {
    return std::make_unique<gdal_writer>(file, format);
}

} // namespace porchlight::render::export_detail
