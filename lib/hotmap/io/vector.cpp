// SPDX-License-Identifier: MIT
// OGR-backed vector writer and polygon/geometry readers.
#include "hotmap/io/vector.hpp"

#include "hotmap/error.hpp"
#include "hotmap/io/atomic_output.hpp"
#include "hotmap/io/gdal_handles.hpp"

#include <cpl_string.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

namespace hotmap::io {
namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

OGRwkbGeometryType ogr_type(GeomKind k)
{
    switch (k) {
    case GeomKind::none: return wkbNone;
    case GeomKind::point: return wkbPoint;
    case GeomKind::line: return wkbMultiLineString;
    case GeomKind::polygon: return wkbMultiPolygon;
    }
    return wkbUnknown;
}

std::string srs_wkt(const OGRSpatialReference* srs)
{
    char* wkt = nullptr;
    const char* opts[] = {"FORMAT=WKT2_2018", nullptr};
    srs->exportToWkt(&wkt, opts);
    std::string w = wkt ? wkt : "";
    CPLFree(wkt);
    return w;
}

OGRGeometry* promote(OGRGeometry* g, GeomKind k)
{
    if (!g) return g;
    const auto t = wkbFlatten(g->getGeometryType());
    if (k == GeomKind::polygon && t == wkbPolygon) return OGRGeometryFactory::forceToMultiPolygon(g);
    if (k == GeomKind::line && t == wkbLineString) return OGRGeometryFactory::forceToMultiLineString(g);
    return g;
}

std::string qgis_layer_styles_sql(const std::string& table, const std::string& geom_col, const std::string& qml)
{
    auto q = [](const std::string& s) {
        std::string o = "'";
        for (char c : s) {
            o.push_back(c);
            if (c == '\'') o.push_back('\'');
        }
        return o + "'";
    };
    return "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
           "styleName, styleQML, styleSLD, useAsDefault, description, owner, ui) VALUES ('', '', " +
           q(table) + ", " + q(geom_col) + ", " + q(table) + ", " + q(qml) + ", '', 1, 'hotmap', '', NULL)";
}

} // namespace

std::string driver_for(const std::string& path, const std::string& format)
{
    if (!format.empty()) return format;
    const std::string e = extension_of(path);
    if (e == ".geojson" || e == ".json") return "GeoJSON";
    if (e == ".shp") return "ESRI Shapefile";
    if (e == ".gpkg") return "GPKG";
    if (e == ".fgb") return "FlatGeobuf";
    if (e == ".csv") return "CSV";
    throw ParameterError("output '" + path + "': unknown extension '" + e +
                         "' (use .geojson, .shp, .gpkg, .fgb, .csv, or give -f DRIVER)");
}

std::vector<std::string> shapefile_names(const std::vector<std::string>& names)
{
    std::vector<std::string> out;
    std::set<std::string> used;
    for (const std::string& n : names) {
        std::string cut = n.substr(0, 10);
        if (used.count(lower(cut))) {
            for (int i = 1; i < 1000; ++i) {
                const std::string suffix = "_" + std::to_string(i);
                std::string cand = n.substr(0, 10 - suffix.size()) + suffix;
                if (!used.count(lower(cand))) {
                    cut = cand;
                    break;
                }
            }
        }
        used.insert(lower(cut));
        out.push_back(cut);
    }
    return out;
}

WriteReport write_vector(const VectorLayer& layer, const std::string& path, const WriteOptions& opts)
{
    ensure_gdal();
    WriteReport rep;
    rep.driver = driver_for(path, opts.format);
    const bool shp = rep.driver == "ESRI Shapefile";
    const bool geojson = rep.driver == "GeoJSON";
    const bool gpkg = rep.driver == "GPKG";
    const bool csv = rep.driver == "CSV";
    std::vector<std::string> sidecars;
    if (shp) sidecars = {".shx", ".dbf", ".prj", ".cpg"};
    const bool want_qml_sidecar = !layer.qml.empty() && !gpkg && !csv;
    AtomicOutput out(path, opts.overwrite, sidecars);
    std::unique_ptr<AtomicOutput> qml_out;
    if (want_qml_sidecar) qml_out = std::make_unique<AtomicOutput>(replace_extension(path, ".qml"), true);

    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(rep.driver.c_str());
    if (!drv) throw OutputError(path + ": GDAL driver '" + rep.driver + "' is not available");
    {
        CPLStringList dsopts;
        GDALDatasetUniquePtr ds(drv->Create(out.temp_path().c_str(), 0, 0, 0, GDT_Unknown, dsopts.List()));
        if (!ds) throw OutputError(path + ": cannot create: " + gdal_error("driver error"));
        SrsPtr srs;
        CoordTransformPtr ct;
        const bool has_geom = layer.kind != GeomKind::none && !csv;
        if (has_geom && !layer.crs.empty()) {
            SrsPtr src = make_srs(layer.crs.wkt());
            if (geojson) {
                srs = make_srs("EPSG:4326");
                ct.reset(OGRCreateCoordinateTransformation(src.get(), srs.get()));
                if (!ct) throw OutputError(path + ": cannot transform to WGS84: " + gdal_error("no transformation"));
            } else {
                srs = std::move(src);
            }
        }
        CPLStringList lopts;
        if (geojson) lopts.SetNameValue("RFC7946", "YES");
        if (shp) lopts.SetNameValue("ENCODING", "UTF-8");
        if (gpkg && !layer.metadata.empty()) lopts.SetNameValue("DESCRIPTION", layer.metadata.c_str());
        if (csv) lopts.SetNameValue("GEOMETRY", "AS_XY");
        if (rep.driver == "FlatGeobuf") lopts.SetNameValue("SPATIAL_INDEX", "NO"); // keep row order
        const std::string lname = !opts.layer_name.empty() ? opts.layer_name
                                  : gpkg || shp ? std::filesystem::path(path).stem().string()
                                                : layer.name;
        OGRLayer* ol = ds->CreateLayer(lname.c_str(), srs.get(), has_geom ? ogr_type(layer.kind) : wkbNone, lopts.List());
        if (!ol) throw OutputError(path + ": cannot create layer: " + gdal_error("driver error"));
        std::vector<std::string> names;
        for (const FieldDef& f : layer.fields) names.push_back(f.name);
        if (shp) {
            names = shapefile_names(names);
            for (std::size_t i = 0; i < names.size(); ++i)
                if (names[i] != layer.fields[i].name) rep.renamed_fields.emplace_back(layer.fields[i].name, names[i]);
        }
        for (std::size_t i = 0; i < layer.fields.size(); ++i) {
            const FieldDef& f = layer.fields[i];
            OGRFieldDefn fd(names[i].c_str(), f.type == FieldType::integer ? OFTInteger64
                                              : f.type == FieldType::real  ? OFTReal
                                                                           : OFTString);
            if (shp && f.type == FieldType::real) {
                fd.SetWidth(24);
                fd.SetPrecision(15);
            }
            if (shp && f.type == FieldType::string) fd.SetWidth(254);
            if (ol->CreateField(&fd) != OGRERR_NONE)
                throw OutputError(path + ": cannot create field '" + f.name + "': " + gdal_error("driver error"));
        }
        if (gpkg) ds->StartTransaction();
        for (std::size_t r = 0; r < layer.rows.size(); ++r) {
            OGRFeatureUniquePtr feat(OGRFeature::CreateFeature(ol->GetLayerDefn()));
            const auto& row = layer.rows[r];
            for (std::size_t i = 0; i < row.size() && i < layer.fields.size(); ++i) {
                const int fi = static_cast<int>(i);
                std::visit([&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, std::monostate>) {
                        if (shp) { // Shapefiles have no nulls: 0 / empty (documented)
                            if (layer.fields[i].type == FieldType::string) feat->SetField(fi, "");
                            else feat->SetField(fi, 0);
                        } else {
                            feat->SetFieldNull(fi);
                        }
                    } else if constexpr (std::is_same_v<T, std::int64_t>) {
                        feat->SetField(fi, static_cast<GIntBig>(v));
                    } else if constexpr (std::is_same_v<T, double>) {
                        if (std::isfinite(v)) feat->SetField(fi, v);
                        else if (shp) feat->SetField(fi, 0.0);
                        else feat->SetFieldNull(fi);
                    } else {
                        feat->SetField(fi, v.c_str());
                    }
                }, row[i]);
            }
            if (has_geom && r < layer.wkb.size() && !layer.wkb[r].empty()) {
                OGRGeometry* g = nullptr;
                if (OGRGeometryFactory::createFromWkb(layer.wkb[r].data(), nullptr, &g, layer.wkb[r].size()) != OGRERR_NONE || !g)
                    throw OutputError(path + ": invalid geometry in row " + std::to_string(r + 1));
                g = promote(g, layer.kind);
                if (ct && g->transform(ct.get()) != OGRERR_NONE) {
                    OGRGeometryFactory::destroyGeometry(g);
                    throw OutputError(path + ": cannot transform row " + std::to_string(r + 1) + " to WGS84");
                }
                feat->SetGeometryDirectly(g);
            }
            if (ol->CreateFeature(feat.get()) != OGRERR_NONE)
                throw OutputError(path + ": cannot write row " + std::to_string(r + 1) + ": " + gdal_error("driver error"));
        }
        if (gpkg) ds->CommitTransaction();
        if (gpkg && !layer.qml.empty()) {
            ds->ExecuteSQL("CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                           "f_table_catalog TEXT, f_table_schema TEXT, f_table_name TEXT, f_geometry_column TEXT, "
                           "styleName TEXT, styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, "
                           "owner TEXT, ui TEXT, update_time DATETIME DEFAULT CURRENT_TIMESTAMP)",
                           nullptr, nullptr);
            const char* gcol = ol->GetGeometryColumn();
            ds->ExecuteSQL(qgis_layer_styles_sql(lname, gcol ? gcol : "geom", layer.qml).c_str(), nullptr, nullptr);
        }
        CPLErrorReset();
        ds->FlushCache();
        ds.reset();
        if (CPLGetLastErrorType() == CE_Failure) throw OutputError(path + ": write failed: " + gdal_error("driver error"));
    }
    if (qml_out) {
        std::ofstream q(qml_out->temp_path());
        q << layer.qml;
        if (!q) throw OutputError(qml_out->target() + ": write failed");
    }
    out.commit();
    if (qml_out) qml_out->commit();
    return rep;
}

namespace {

GDALDatasetUniquePtr open_vector(const std::string& path)
{
    ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) {
        if (!std::filesystem::exists(path) && path.rfind("PG:", 0) != 0) throw InputError(path + ": cannot open: no such file");
        throw InputError(path + ": cannot open as a vector source: " + gdal_error("unrecognised format"));
    }
    return ds;
}

OGRLayer* pick_layer(GDALDataset& ds, const std::string& path, const std::string& name)
{
    if (!name.empty()) {
        OGRLayer* l = ds.GetLayerByName(name.c_str());
        if (!l) throw InputError(path + ": no layer named '" + name + "'");
        return l;
    }
    if (ds.GetLayerCount() < 1) throw InputError(path + ": no vector layer");
    return ds.GetLayer(0);
}

int field_index_ci(OGRFeatureDefn* defn, const std::string& name)
{
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        if (lower(defn->GetFieldDefn(i)->GetNameRef()) == lower(name)) return i;
    return -1;
}

crs::Crs layer_crs(OGRLayer* l, const std::string& override_crs, const std::string& path)
{
    if (!override_crs.empty()) return crs::Crs::from_user(override_crs);
    const OGRSpatialReference* srs = l->GetSpatialRef();
    if (!srs) throw CrsError(path + ": the layer has no CRS: give it (e.g. --crs, or a .prj file)");
    return crs::Crs::from_user(srs_wkt(srs));
}

} // namespace

PolygonLayer read_polygons(const PolygonSource& src, const crs::Crs& target)
{
    GDALDatasetUniquePtr ds = open_vector(src.path);
    OGRLayer* l = pick_layer(*ds, src.path, src.layer);
    OGRFeatureDefn* defn = l->GetLayerDefn();
    PolygonLayer out;
    out.source_crs = layer_crs(l, src.crs, src.path);
    out.crs = target.empty() ? out.source_crs : target;
    int name_i = -1, pop_i = -1;
    if (!src.name_field.empty()) {
        name_i = field_index_ci(defn, src.name_field);
        if (name_i < 0) throw InputError(src.path + ": --district-name '" + src.name_field + "': no such field");
    } else {
        for (const char* c : {"name", "nom", "district", "district_name", "nom_quartier", "quartier", "community",
                              "precinct", "nhood", "neighborhood", "neighbourhood", "zone", "label"}) {
            name_i = field_index_ci(defn, c);
            if (name_i >= 0) break;
        }
    }
    if (name_i >= 0) out.name_field = defn->GetFieldDefn(name_i)->GetNameRef();
    if (!src.population_field.empty()) {
        pop_i = field_index_ci(defn, src.population_field);
        if (pop_i < 0) throw InputError(src.path + ": --population '" + src.population_field + "': no such field");
        out.population_field = defn->GetFieldDefn(pop_i)->GetNameRef();
    }
    SrsPtr s_src = make_srs(out.source_crs.wkt());
    CoordTransformPtr ct;
    if (!out.crs.same_as(out.source_crs)) {
        SrsPtr s_dst = make_srs(out.crs.wkt());
        ct.reset(OGRCreateCoordinateTransformation(s_src.get(), s_dst.get()));
        if (!ct) throw CrsError(src.path + ": cannot transform to " + out.crs.id());
    }
    std::size_t index = 0, non_polygons = 0;
    std::string first_other;
    for (auto& feat : *l) {
        ++index;
        OGRGeometry* g = feat->GetGeometryRef();
        const auto t = g ? wkbFlatten(g->getGeometryType()) : wkbNone;
        if (t != wkbPolygon && t != wkbMultiPolygon) {
            ++non_polygons;
            if (first_other.empty()) first_other = g ? OGRGeometryTypeToName(g->getGeometryType()) : "no geometry";
            continue;
        }
        if (ct && g->transform(ct.get()) != OGRERR_NONE)
            throw CrsError(src.path + ": feature " + std::to_string(index) + ": cannot transform to " + out.crs.id());
        std::string wkb(static_cast<std::size_t>(g->WkbSize()), '\0');
        g->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(wkb.data()), wkbVariantIso);
        out.wkb.push_back(std::move(wkb));
        out.fids.push_back(feat->GetFID());
        out.names.push_back(name_i >= 0 ? std::string(feat->GetFieldAsString(name_i)) : std::to_string(index));
        double pop = std::nan("");
        if (pop_i >= 0 && feat->IsFieldSetAndNotNull(pop_i)) pop = feat->GetFieldAsDouble(pop_i);
        out.population.push_back(pop);
    }
    if (out.wkb.empty())
        throw InputError(src.path + ": no polygons in layer '" + std::string(l->GetName()) + "'" +
                         (first_other.empty() ? " (it is empty)" : " (found " + first_other + ")"));
    if (non_polygons)
        out.warnings.push_back(src.path + ": skipped " + std::to_string(non_polygons) + " feature(s) that are not polygons (" + first_other + ")");
    return out;
}

GenericLayer read_geometries(const std::string& path, const std::string& layer, const std::string& field,
                             const crs::Crs& target)
{
    ensure_gdal();
    GDALDatasetUniquePtr ds;
    const bool csv = extension_of(path) == ".csv";
    if (csv) {
        if (!std::filesystem::exists(path)) throw InputError(path + ": cannot open: no such file");
        const char* oo[] = {"X_POSSIBLE_NAMES=lon,longitude,lng,x,easting", "Y_POSSIBLE_NAMES=lat,latitude,y,northing",
                            "KEEP_GEOM_COLUMNS=YES", "GEOM_POSSIBLE_NAMES=wkt,geometry", nullptr};
        ds.reset(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, oo, nullptr));
        if (!ds) throw InputError(path + ": cannot open as a table: " + gdal_error("unrecognised format"));
    } else {
        ds = open_vector(path);
    }
    OGRLayer* l = pick_layer(*ds, path, layer);
    OGRFeatureDefn* defn = l->GetLayerDefn();
    GenericLayer out;
    crs::Crs src_crs;
    if (l->GetSpatialRef()) src_crs = crs::Crs::from_user(srs_wkt(l->GetSpatialRef()));
    else if (csv && field_index_ci(defn, "lon") >= 0) src_crs = crs::Crs::epsg(4326);
    else if (csv && std::filesystem::exists(replace_extension(path, ".prj"))) src_crs = crs::Crs::from_user(replace_extension(path, ".prj"));
    else if (!target.empty()) src_crs = target; // a CSV with x/y: assumed in the working CRS
    else throw CrsError(path + ": the layer has no CRS");
    out.crs = target.empty() ? src_crs : target;
    int fi = -1;
    if (!field.empty()) {
        fi = field_index_ci(defn, field);
        if (fi < 0) throw InputError(path + ": no field named '" + field + "'");
    }
    CoordTransformPtr ct;
    if (!out.crs.same_as(src_crs)) {
        SrsPtr a = make_srs(src_crs.wkt()), b = make_srs(out.crs.wkt());
        ct.reset(OGRCreateCoordinateTransformation(a.get(), b.get()));
        if (!ct) throw CrsError(path + ": cannot transform to " + out.crs.id());
    }
    std::size_t index = 0;
    for (auto& feat : *l) {
        ++index;
        OGRGeometry* g = feat->GetGeometryRef();
        if (!g || g->IsEmpty()) continue;
        if (ct && g->transform(ct.get()) != OGRERR_NONE)
            throw CrsError(path + ": feature " + std::to_string(index) + ": cannot transform to " + out.crs.id());
        std::string wkb(static_cast<std::size_t>(g->WkbSize()), '\0');
        g->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(wkb.data()), wkbVariantIso);
        out.wkb.push_back(std::move(wkb));
        out.values.push_back(fi >= 0 ? std::string(feat->GetFieldAsString(fi)) : std::string());
    }
    if (out.wkb.empty()) throw InputError(path + ": no geometries in the layer");
    return out;
}

} // namespace hotmap::io
