// SPDX-License-Identifier: MIT
// OGR-backed vector writer and polygon/geometry readers.
#include "hotmap/io/vector.hpp"

#include "hotmap/error.hpp"
#include "hotmap/io/output_set.hpp"
#include "hotmap/text.hpp"
#include "hotmap/timeparse.hpp"
#include "hotmap/io/gdal_handles.hpp"
#include "hotmap/io/read_incidents.hpp"

#include <cpl_string.h>

#include <algorithm>
#include <cmath>
#include <cstring>
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

std::string field_suffix(const std::string& s)
{
    std::string o;
    for (char c : s) {
        const unsigned char u = static_cast<unsigned char>(c);
        o.push_back(std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '_');
    }
    while (o.find("__") != std::string::npos) o.replace(o.find("__"), 2, "_");
    if (!o.empty() && o.front() == '_') o.erase(0, 1);
    if (!o.empty() && o.back() == '_') o.pop_back();
    return o.empty() ? "none" : o;
}

std::vector<std::string> unique_field_names(const std::string& prefix, const std::vector<std::string>& names)
{
    std::set<std::string> used;
    std::vector<std::string> out;
    for (const std::string& n : names) {
        std::string f = prefix + field_suffix(n);
        while (used.count(f)) f += "_";
        used.insert(f);
        out.push_back(f);
    }
    return out;
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

std::vector<std::string> vector_sidecars(const std::string& path, const std::string& format, bool styled, bool titled)
{
    const std::string drv = driver_for(path, format);
    std::vector<std::string> out;
    if (drv == "ESRI Shapefile") out = {".shx", ".dbf", ".prj", ".cpg"};
    if (styled && drv != "GPKG" && drv != "CSV") out.push_back(".qml");
    if (titled && drv != "GPKG") out.push_back(".qmd");
    return out;
}

namespace {
std::string xml_esc(const std::string& s)
{
    std::string o;
    for (char c : s) {
        switch (c) {
        case '&': o += "&amp;"; break;
        case '<': o += "&lt;"; break;
        case '>': o += "&gt;"; break;
        case '"': o += "&quot;"; break;
        default: o.push_back(c);
        }
    }
    return o;
}
} // namespace

std::string qgis_metadata(const std::string& title, const std::string& abstract)
{
    if (title.empty() && abstract.empty()) return {};
    const std::string t = xml_esc(text::to_utf8(title)), a = xml_esc(text::to_utf8(abstract));
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.22.0\">\n  <identifier>" + t +
           "</identifier>\n  <parentidentifier></parentidentifier>\n  <language></language>\n  <type>dataset</type>\n  <title>" + t +
           "</title>\n  <abstract>" + a +
           "</abstract>\n  <keywords vocabulary=\"gmd:topicCategory\">\n    <keyword>hotmap</keyword>\n  </keywords>\n"
           "  <fees></fees>\n  <encoding></encoding>\n  <crs></crs>\n</qgis>\n";
}

namespace {

/// Read n bytes at `pos` of a file (fewer at its end).
std::string read_bytes(const std::string& path, std::uint64_t pos, std::size_t n)
{
    std::ifstream f(path, std::ios::binary);
    if (!f) return {};
    f.seekg(static_cast<std::streamoff>(pos));
    std::string b(n, '\0');
    f.read(b.data(), static_cast<std::streamsize>(n));
    b.resize(static_cast<std::size_t>(f.gcount()));
    return b;
}

std::uint32_t u32(const std::string& b, std::size_t at, bool big)
{
    const auto c = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + i])); };
    return big ? (c(0) << 24 | c(1) << 16 | c(2) << 8 | c(3)) : (c(3) << 24 | c(2) << 16 | c(1) << 8 | c(0));
}

/// Check what a driver wrote before it is accepted: a full disk (ENOSPC, EFBIG) truncates a
/// file, and not every GDAL driver reports the failed write.
void verify_written(const std::string& temp, const std::string& target, const std::string& driver, const std::string& layer,
                    std::size_t rows, bool has_geom)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(temp, ec);
    const std::string bad = target + ": write failed (the file is incomplete; is the disk full?)";
    if (ec) throw OutputError(target + ": write failed: " + ec.message());
    if (driver == "GeoJSON") {
        std::string tail = read_bytes(temp, size > 64 ? size - 64 : 0, 64);
        while (!tail.empty() && std::isspace(static_cast<unsigned char>(tail.back()))) tail.pop_back();
        while (!tail.empty() && tail.back() == '}') {
            tail.pop_back();
            while (!tail.empty() && std::isspace(static_cast<unsigned char>(tail.back()))) tail.pop_back();
            if (!tail.empty() && tail.back() == ']') return;
        }
        throw OutputError(bad);
    }
    if (driver == "CSV") {
        std::ifstream f(temp, std::ios::binary);
        std::uint64_t lines = 0;
        std::vector<char> buf(1 << 20);
        while (f) {
            f.read(buf.data(), static_cast<std::streamsize>(buf.size()));
            lines += static_cast<std::uint64_t>(std::count(buf.data(), buf.data() + f.gcount(), '\n'));
        }
        if (lines < rows + 1) throw OutputError(bad);
        return;
    }
    if (driver == "ESRI Shapefile") {
        const std::string dbf = replace_extension(temp, ".dbf");
        const auto dsize = std::filesystem::file_size(dbf, ec);
        const std::string h = read_bytes(dbf, 0, 12);
        if (ec || h.size() < 12) throw OutputError(bad);
        const std::uint64_t nrec = u32(h, 4, false), hlen = u32(h, 8, false) & 0xffff, rlen = u32(h, 10, false) & 0xffff;
        if (nrec != rows || dsize < hlen + nrec * rlen) throw OutputError(bad);
        if (has_geom) {
            const std::string sh = read_bytes(temp, 0, 28);
            if (sh.size() < 28 || static_cast<std::uint64_t>(u32(sh, 24, true)) * 2 != size) throw OutputError(bad);
        }
        return;
    }
    // GeoPackage (SQLite reports its failures), FlatGeobuf and the rest: the count read back
    CPLErrorReset();
    GDALDatasetUniquePtr ds(GDALDataset::Open(temp.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    OGRLayer* l = ds ? ds->GetLayerByName(layer.c_str()) : nullptr;
    if (!l && ds && ds->GetLayerCount() > 0) l = ds->GetLayer(0);
    if (!l) throw OutputError(bad);
    const GIntBig n = l->GetFeatureCount(TRUE);
    if (n != static_cast<GIntBig>(rows)) throw OutputError(bad);
}

std::string sql_quote(const std::string& s)
{
    std::string o = "'";
    for (char c : s) {
        o.push_back(c);
        if (c == '\'') o.push_back('\'');
    }
    return o + "'";
}

/// Run one SQL statement that returns no rows; throws OutputError with GDAL's message.
void exec_sql(GDALDataset& ds, const std::string& sql, const std::string& target)
{
    CPLErrorReset();
    OGRLayer* res = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (res) ds.ReleaseResultSet(res);
    if (CPLGetLastErrorType() == CE_Failure) throw OutputError(target + ": cannot store the QGIS style: " + gdal_error("SQL error"));
}

} // namespace

WriteReport write_vector(const VectorLayer& layer, const Staged& out, const WriteOptions& opts)
{
    ensure_gdal();
    const std::string& style = opts.qml ? *opts.qml : layer.qml;
    const std::string& path = out.target;
    WriteReport rep;
    rep.driver = driver_for(path, opts.format);
    const bool shp = rep.driver == "ESRI Shapefile";
    const bool geojson = rep.driver == "GeoJSON";
    const bool gpkg = rep.driver == "GPKG";
    const bool csv = rep.driver == "CSV";
    const bool want_qml_sidecar = !style.empty() && !gpkg && !csv;
    // the abstract, then the run's details
    const std::string description = layer.abstract.empty()    ? layer.metadata
                                    : layer.metadata.empty() ? layer.abstract
                                                             : layer.abstract + "\n\n" + layer.metadata;
    // a .qmd for a titled layer only (vector_sidecars(..., titled) staged it)
    const std::string qmd = gpkg || layer.title.empty() ? std::string() : qgis_metadata(layer.title, description);
    if (layer.kind != GeomKind::none && !layer.streamed() && layer.wkb.size() != layer.rows.size() && !csv)
        throw ParameterError(path + ": " + std::to_string(layer.wkb.size()) + " geometries for " + std::to_string(layer.rows.size()) +
                             " rows");

    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(rep.driver.c_str());
    if (!drv) throw OutputError(path + ": GDAL driver '" + rep.driver + "' is not available");
    const bool has_geom = layer.kind != GeomKind::none && !csv;
    const std::string lname = !opts.layer_name.empty() ? opts.layer_name
                              : gpkg || shp                ? std::filesystem::path(path).stem().string()
                                                           : layer.name;
    {
        CPLStringList dsopts;
        CPLErrorReset();
        std::error_code ec;
        const bool append = opts.append && gpkg && std::filesystem::exists(out.temp, ec);
        GDALDatasetUniquePtr ds(append ? GDALDataset::Open(out.temp.c_str(), GDAL_OF_VECTOR | GDAL_OF_RASTER | GDAL_OF_UPDATE)
                                       : drv->Create(out.temp.c_str(), 0, 0, 0, GDT_Unknown, dsopts.List()));
        if (!ds) throw OutputError(path + ": cannot " + (append ? "open" : "create") + ": " + gdal_error("driver error"));
        if (append && ds->GetLayerByName(lname.c_str()))
            throw ParameterError(path + ": layer '" + lname + "' is written twice");
        SrsPtr srs;
        CoordTransformPtr ct;
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
        if (gpkg && !layer.title.empty()) {
            // identifiers are unique in a GeoPackage: a second layer with the same title (a
            // batch run's per-period copies) gets its table name added
            std::string ident = text::to_utf8(layer.title);
            if (append) {
                OGRLayer* q = ds->ExecuteSQL(("SELECT 1 FROM gpkg_contents WHERE identifier = " + sql_quote(ident)).c_str(), nullptr, nullptr);
                const bool taken = q && q->GetFeatureCount() > 0;
                if (q) ds->ReleaseResultSet(q);
                if (taken) ident += " (" + lname + ")";
            }
            lopts.SetNameValue("IDENTIFIER", ident.c_str());
        }
        if (gpkg && !description.empty()) lopts.SetNameValue("DESCRIPTION", text::to_utf8(description).c_str());
        if (csv) {
            lopts.SetNameValue("GEOMETRY", "AS_XY");
            lopts.SetNameValue("STRING_QUOTING", "IF_NEEDED"); // numbers unquoted, text only when it must be
        }
        if (rep.driver == "FlatGeobuf") lopts.SetNameValue("SPATIAL_INDEX", "NO"); // keep row order
        OGRLayer* ol = ds->CreateLayer(lname.c_str(), srs.get(), has_geom ? ogr_type(layer.kind) : wkbNone, lopts.List());
        if (!ol) throw OutputError(path + ": cannot create layer: " + gdal_error("driver error"));
        std::vector<std::string> names;
        for (const FieldDef& f : layer.fields) names.push_back(text::to_utf8(f.name));
        if (shp) {
            names = shapefile_names(names);
            for (std::size_t i = 0; i < names.size(); ++i)
                if (names[i] != layer.fields[i].name) rep.renamed_fields.emplace_back(layer.fields[i].name, names[i]);
        }
        for (std::size_t i = 0; i < layer.fields.size(); ++i) {
            const FieldDef& f = layer.fields[i];
            OGRFieldDefn fd(names[i].c_str(), f.type == FieldType::integer                ? OFTInteger64
                                              : f.type == FieldType::real                 ? OFTReal
                                              : f.type == FieldType::datetime && !shp     ? OFTDateTime
                                                                                          : OFTString);
            if (shp && f.type == FieldType::real) {
                fd.SetWidth(24);
                fd.SetPrecision(15);
            }
            if (shp && f.type == FieldType::string) fd.SetWidth(254);
            if (shp && f.type == FieldType::datetime) fd.SetWidth(19);
            if (ol->CreateField(&fd) != OGRERR_NONE)
                throw OutputError(path + ": cannot create field '" + f.name + "': " + gdal_error("driver error"));
        }
        if (gpkg && ds->StartTransaction() != OGRERR_NONE)
            throw OutputError(path + ": cannot start a transaction: " + gdal_error("driver error"));
        // one feature for every row (its FID reset, every field set or unset) and, for a
        // streamed point or ring, one geometry changed in place: no allocation per row
        OGRFeatureUniquePtr feat(OGRFeature::CreateFeature(ol->GetLayerDefn()));
        const int nfields = static_cast<int>(layer.fields.size());
        std::string utf8;
        const auto set_fields = [&](const std::vector<Value>& row) {
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
                        if (layer.fields[i].type == FieldType::datetime) {
                            const timeparse::Civil c = timeparse::to_civil(v);
                            if (shp) feat->SetField(fi, timeparse::format(v).c_str());
                            else feat->SetField(fi, c.year, c.month, c.day, c.hour, c.minute, static_cast<float>(c.second), 0);
                        } else {
                            feat->SetField(fi, static_cast<GIntBig>(v));
                        }
                    } else if constexpr (std::is_same_v<T, double>) {
                        if (std::isfinite(v)) feat->SetField(fi, v);
                        else if (shp) feat->SetField(fi, 0.0);
                        else feat->SetFieldNull(fi);
                    } else {
                        if (text::is_utf8(v)) {
                            feat->SetField(fi, v.c_str());
                        } else {
                            utf8 = text::to_utf8(v);
                            feat->SetField(fi, utf8.c_str());
                        }
                    }
                }, row[i]);
            }
            for (int fi = static_cast<int>(std::min(row.size(), layer.fields.size())); fi < nfields; ++fi) feat->UnsetField(fi);
        };
        const auto set_wkb = [&](const char* data, std::size_t size, std::size_t r) {
            OGRGeometry* raw = nullptr;
            const OGRErr err = OGRGeometryFactory::createFromWkb(data, nullptr, &raw, size);
            OGRGeometryUniquePtr g(raw);
            if (err != OGRERR_NONE || !g) throw OutputError(path + ": invalid geometry in row " + std::to_string(r + 1));
            g.reset(promote(g.release(), layer.kind));
            feat->SetGeometryDirectly(g.release());
        };
        // a streamed point or ring: the feature's geometry from the previous row when it has
        // the same shape, its coordinates overwritten (a transform to WGS84 changed them in place)
        const auto set_point = [&](double x, double y) {
            OGRGeometry* g = feat->GetGeometryRef();
            if (!g || wkbFlatten(g->getGeometryType()) != wkbPoint) {
                feat->SetGeometryDirectly(new OGRPoint(x, y));
                return;
            }
            g->toPoint()->setX(x);
            g->toPoint()->setY(y);
        };
        const auto set_ring = [&](const std::vector<Point>& ring) {
            OGRGeometry* g = feat->GetGeometryRef();
            OGRPolygon* poly = nullptr;
            if (g && layer.kind == GeomKind::polygon && wkbFlatten(g->getGeometryType()) == wkbMultiPolygon &&
                g->toMultiPolygon()->getNumGeometries() == 1)
                poly = g->toMultiPolygon()->getGeometryRef(0);
            else if (g && layer.kind != GeomKind::polygon && wkbFlatten(g->getGeometryType()) == wkbPolygon)
                poly = g->toPolygon();
            if (!poly || poly->getNumInteriorRings() != 0 || !poly->getExteriorRing()) {
                auto p = std::make_unique<OGRPolygon>();
                p->addRingDirectly(new OGRLinearRing());
                poly = p.get();
                if (layer.kind == GeomKind::polygon) {
                    auto mp = std::make_unique<OGRMultiPolygon>();
                    mp->addGeometryDirectly(p.release());
                    feat->SetGeometryDirectly(mp.release());
                } else {
                    feat->SetGeometryDirectly(p.release());
                }
            }
            OGRLinearRing* lr = poly->getExteriorRing();
            lr->setNumPoints(static_cast<int>(ring.size()), FALSE);
            for (std::size_t i = 0; i < ring.size(); ++i) lr->setPoint(static_cast<int>(i), ring[i].x, ring[i].y);
        };
        const bool streamed = layer.streamed();
        const std::size_t nrows = layer.size();
        std::vector<Value> values(streamed ? layer.fields.size() : 0);
        FeatureGeometry fg;
        for (std::size_t r = 0; r < nrows; ++r) {
            if (streamed) {
                fg.set_null();
                layer.source.fill(r, values, fg);
            }
            feat->SetFID(OGRNullFID);
            set_fields(streamed ? values : layer.rows[r]);
            if (has_geom) {
                if (!streamed) {
                    if (layer.wkb[r].empty()) feat->SetGeometryDirectly(nullptr);
                    else set_wkb(layer.wkb[r].data(), layer.wkb[r].size(), r);
                } else {
                    switch (fg.kind) {
                    case FeatureGeometry::Kind::null: feat->SetGeometryDirectly(nullptr); break;
                    case FeatureGeometry::Kind::point: set_point(fg.x, fg.y); break;
                    case FeatureGeometry::Kind::ring: set_ring(fg.ring); break;
                    case FeatureGeometry::Kind::wkb:
                        if (fg.wkb.empty()) feat->SetGeometryDirectly(nullptr);
                        else set_wkb(fg.wkb.data(), fg.wkb.size(), r);
                        break;
                    }
                }
                if (OGRGeometry* g = feat->GetGeometryRef(); g && ct && g->transform(ct.get()) != OGRERR_NONE)
                    throw OutputError(path + ": cannot transform row " + std::to_string(r + 1) + " to WGS84");
            }
            if (ol->CreateFeature(feat.get()) != OGRERR_NONE)
                throw OutputError(path + ": cannot write row " + std::to_string(r + 1) + ": " + gdal_error("driver error"));
        }
        if (gpkg && ds->CommitTransaction() != OGRERR_NONE)
            throw OutputError(path + ": write failed: " + gdal_error("cannot commit the transaction"));
        if (gpkg && !style.empty()) {
            exec_sql(*ds,
                     "CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT, "
                     "f_table_schema TEXT, f_table_name TEXT, f_geometry_column TEXT, styleName TEXT, styleQML TEXT, "
                     "styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT, ui TEXT, update_time DATETIME "
                     "DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
                     path);
            const char* gcol = ol->GetGeometryColumn();
            exec_sql(*ds,
                     "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
                     "styleQML, styleSLD, useAsDefault, description, owner, ui) VALUES ('', '', " +
                         sql_quote(lname) + ", " + sql_quote(gcol && *gcol ? gcol : "geom") + ", " + sql_quote(lname) + ", " +
                         sql_quote(text::to_utf8(style)) + ", '', 1, 'hotmap', '', NULL)",
                     path);
            // registered as an attribute table, so GDAL and QGIS open the file without warnings
            exec_sql(*ds,
                     "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier) VALUES ('layer_styles', "
                     "'attributes', 'layer_styles')",
                     path);
        }
        CPLErrorReset();
        ds->FlushCache();
        if (CPLGetLastErrorType() == CE_Failure) throw OutputError(path + ": write failed: " + gdal_error("driver error"));
        ds.reset(); // closes: some drivers write the file only now
        if (CPLGetLastErrorType() == CE_Failure) throw OutputError(path + ": write failed: " + gdal_error("driver error"));
    }
    verify_written(out.temp, path, rep.driver, lname, layer.size(), has_geom);
    if (want_qml_sidecar) {
        const std::string qml_temp = replace_extension(out.temp, ".qml"), qml_target = replace_extension(path, ".qml");
        std::ofstream q(qml_temp, std::ios::binary);
        q << text::to_utf8(style);
        q.close();
        if (!q) throw OutputError(qml_target + ": write failed (is the disk full?)");
    }
    if (!qmd.empty()) {
        std::ofstream q(replace_extension(out.temp, ".qmd"), std::ios::binary);
        q << qmd;
        q.close();
        if (!q) throw OutputError(replace_extension(path, ".qmd") + ": write failed (is the disk full?)");
    }
    return rep;
}

std::string FeatureGeometry::to_wkb() const
{
    const auto put = [](std::string& s, const auto v) {
        char b[sizeof v];
        std::memcpy(b, &v, sizeof v);
        s.append(b, sizeof v);
    };
    std::string s;
    switch (kind) {
    case Kind::null: break;
    case Kind::point:
        s.push_back(1); // little endian
        put(s, std::uint32_t{1});
        put(s, x);
        put(s, y);
        break;
    case Kind::ring:
        s.reserve(13 + ring.size() * 16);
        s.push_back(1);
        put(s, std::uint32_t{3}); // Polygon, one ring
        put(s, std::uint32_t{1});
        put(s, static_cast<std::uint32_t>(ring.size()));
        for (const Point& p : ring) {
            put(s, p.x);
            put(s, p.y);
        }
        break;
    case Kind::wkb: s = wkb; break;
    }
    return s;
}

void VectorLayer::materialise()
{
    if (!source) return;
    // into new vectors first: a source that throws leaves the layer as it was
    std::vector<std::vector<Value>> held;
    std::vector<std::string> geoms;
    held.reserve(source.count);
    if (kind != GeomKind::none) geoms.reserve(source.count);
    std::vector<Value> values(fields.size());
    FeatureGeometry g;
    for (std::size_t r = 0; r < source.count; ++r) {
        g.set_null();
        source.fill(r, values, g);
        held.push_back(values);
        if (kind != GeomKind::none) geoms.push_back(g.to_wkb());
    }
    rows = std::move(held);
    wkb = std::move(geoms);
    source = {};
}

WriteReport write_vector(const VectorLayer& layer, const std::string& path, const WriteOptions& opts)
{
    OutputSet set(opts.overwrite);
    const Staged& s = set.add(path, vector_sidecars(path, opts.format, !layer.qml.empty(), !layer.title.empty()));
    const WriteReport rep = write_vector(layer, s, opts);
    set.commit();
    return rep;
}

namespace {

GDALDatasetUniquePtr open_vector(const std::string& path)
{
    ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds && path.rfind("PG:", 0) == 0) {
        std::string why = gdal_error("connection failed");
        why = why.substr(0, why.find('\n'));
        throw InputError(redact_source(path) + ": cannot connect to the database: " + why);
    }
    if (!ds) {
        if (!std::filesystem::exists(path)) throw InputError(path + ": cannot open: no such file");
        throw InputError(path + ": cannot open as a vector source: " + gdal_error("unrecognised format"));
    }
    return ds;
}

OGRLayer* pick_layer(GDALDataset& ds, const std::string& path, const std::string& name)
{
    if (!name.empty()) {
        OGRLayer* l = ds.GetLayerByName(name.c_str());
        if (!l) throw InputError(redact_source(path) + ": no layer named '" + name + "'");
        return l;
    }
    if (ds.GetLayerCount() < 1) throw InputError(redact_source(path) + ": no vector layer");
    if (ds.GetLayerCount() > 1 && std::string(ds.GetDriverName()) == "PostgreSQL")
        throw InputError(redact_source(path) + ": the database has several tables: name the one to read (--district-layer, --layer)");
    return ds.GetLayer(0);
}

int field_index_ci(OGRFeatureDefn* defn, const std::string& name)
{
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        if (lower(defn->GetFieldDefn(i)->GetNameRef()) == lower(name)) return i;
    return -1;
}

/// The layer's own CRS; `fallback` (a user's option) only for a layer without one.
crs::Crs layer_crs(OGRLayer* l, const std::string& fallback, const std::string& path, const std::string& option)
{
    if (const OGRSpatialReference* srs = l->GetSpatialRef()) return crs::Crs::from_user(srs_wkt(srs));
    if (!fallback.empty()) return crs::Crs::from_user(fallback);
    throw CrsError(path + ": the layer has no CRS: give " + option + " CRS (e.g. EPSG:32735), or a .prj file beside it");
}

} // namespace

PolygonLayer read_polygons(const PolygonSource& src, const crs::Crs& target)
{
    GDALDatasetUniquePtr ds = open_vector(src.path);
    OGRLayer* l = pick_layer(*ds, src.path, src.layer);
    OGRFeatureDefn* defn = l->GetLayerDefn();
    PolygonLayer out;
    out.source_crs = layer_crs(l, src.crs, src.path, "--districts-crs");
    out.crs = target.empty() ? out.source_crs : target;
    int name_i = -1, pop_i = -1;
    if (!src.name_field.empty()) {
        name_i = field_index_ci(defn, src.name_field);
        if (name_i < 0) throw InputError(redact_source(src.path) + ": --district-name '" + src.name_field + "': no such field");
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
        if (pop_i < 0) throw InputError(redact_source(src.path) + ": --population '" + src.population_field + "': no such field");
        out.population_field = defn->GetFieldDefn(pop_i)->GetNameRef();
    }
    SrsPtr s_src = make_srs(out.source_crs.wkt());
    CoordTransformPtr ct;
    if (!out.crs.same_as(out.source_crs)) {
        SrsPtr s_dst = make_srs(out.crs.wkt());
        ct.reset(OGRCreateCoordinateTransformation(s_src.get(), s_dst.get()));
        if (!ct) throw CrsError(redact_source(src.path) + ": cannot transform to " + out.crs.id());
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
            throw CrsError(redact_source(src.path) + ": feature " + std::to_string(index) + ": cannot transform to " + out.crs.id());
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
        throw InputError(redact_source(src.path) + ": no polygons in layer '" + std::string(l->GetName()) + "'" +
                         (first_other.empty() ? " (it is empty)" : " (found " + first_other + ")"));
    if (non_polygons)
        out.warnings.push_back(redact_source(src.path) + ": skipped " + std::to_string(non_polygons) + " feature(s) that are not polygons (" + first_other + ")");
    return out;
}

GenericLayer read_geometries(const std::string& path, const std::string& layer, const std::vector<std::string>& fields,
                             const crs::Crs& target, const std::string& crs, const std::string& crs_option)
{
    ensure_gdal();
    GDALDatasetUniquePtr ds;
    const bool csv = is_plain_csv(path);
    crs::Crs src_crs;
    if (csv) {
        if (!std::filesystem::exists(path)) throw InputError(path + ": cannot open: no such file");
        // the incidents' rules: detected (or named) columns, lon/lat names = EPSG:4326, .prj, or an error
        const PointColumns pc = resolve_point_table(path, "", "", "", crs, crs_option);
        src_crs = pc.crs;
        const std::string xo = "X_POSSIBLE_NAMES=" + pc.x, yo = "Y_POSSIBLE_NAMES=" + pc.y, wo = "GEOM_POSSIBLE_NAMES=" + pc.wkt;
        std::vector<const char*> oo{"KEEP_GEOM_COLUMNS=YES"};
        if (!pc.wkt.empty()) oo.push_back(wo.c_str());
        else {
            oo.push_back(xo.c_str());
            oo.push_back(yo.c_str());
        }
        oo.push_back(nullptr);
        ds.reset(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, oo.data(), nullptr));
        if (!ds) throw InputError(path + ": cannot open as a table: " + gdal_error("unrecognised format"));
    } else {
        ds = open_vector(path);
    }
    OGRLayer* l = pick_layer(*ds, path, layer);
    OGRFeatureDefn* defn = l->GetLayerDefn();
    GenericLayer out;
    if (!csv) src_crs = layer_crs(l, crs, path, crs_option);
    out.crs = target.empty() ? src_crs : target;
    std::vector<int> fi;
    for (const std::string& f : fields) {
        fi.push_back(f.empty() ? -1 : field_index_ci(defn, f));
        if (!f.empty() && fi.back() < 0) out.missing.push_back(f);
    }
    out.values.resize(fields.size());
    CoordTransformPtr ct;
    if (!out.crs.same_as(src_crs)) {
        SrsPtr a = make_srs(src_crs.wkt()), b = make_srs(out.crs.wkt());
        ct.reset(OGRCreateCoordinateTransformation(a.get(), b.get()));
        if (!ct) throw CrsError(path + ": cannot transform to " + out.crs.id());
    }
    for (auto& feat : *l) {
        ++out.features;
        OGRGeometry* g = feat->GetGeometryRef();
        if (!g || g->IsEmpty()) {
            if (out.without_geometry++ == 0) out.first_without = out.features;
            continue;
        }
        if (ct && g->transform(ct.get()) != OGRERR_NONE)
            throw CrsError(path + ": feature " + std::to_string(out.features) + ": cannot transform to " + out.crs.id());
        std::string wkb(static_cast<std::size_t>(g->WkbSize()), '\0');
        g->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(wkb.data()), wkbVariantIso);
        out.wkb.push_back(std::move(wkb));
        out.feature.push_back(out.features);
        for (std::size_t k = 0; k < fields.size(); ++k)
            out.values[k].push_back(fi[k] >= 0 ? text::to_utf8(feat->GetFieldAsString(fi[k])) : std::string());
    }
    if (out.wkb.empty()) throw InputError(path + ": no geometries in the layer");
    return out;
}

StreetLayer read_street_lines(const std::string& path, const std::string& layer, const crs::Crs& target, const std::string& crs)
{
    GDALDatasetUniquePtr ds = open_vector(path);
    StreetLayer out;
    const std::string drv = ds->GetDriver() ? ds->GetDriver()->GetDescription() : "";
    out.osm = drv == "OSM";
    OGRLayer* l = nullptr;
    if (out.osm) {
        l = ds->GetLayerByName(layer.empty() ? "lines" : layer.c_str());
        if (!l) throw InputError(path + ": no layer named '" + (layer.empty() ? std::string("lines") : layer) + "'");
        if (l->SetAttributeFilter(k_osm_highway_filter) != OGRERR_NONE)
            throw InputError(path + ": the OSM layer has no 'highway' field: " + gdal_error("attribute filter failed"));
    } else {
        l = pick_layer(*ds, path, layer);
    }
    const crs::Crs src_crs = layer_crs(l, crs, path, "--streets-crs");
    out.crs = target.empty() ? src_crs : target;
    CoordTransformPtr ct;
    if (!out.crs.same_as(src_crs)) {
        SrsPtr a = make_srs(src_crs.wkt()), b = make_srs(out.crs.wkt());
        ct.reset(OGRCreateCoordinateTransformation(a.get(), b.get()));
        if (!ct) throw CrsError(path + ": cannot transform to " + out.crs.id());
    }
    const auto add_line = [&](const OGRLineString& ls) {
        std::vector<hotmap::Point> v;
        v.reserve(static_cast<std::size_t>(ls.getNumPoints()));
        for (int k = 0; k < ls.getNumPoints(); ++k) v.push_back({ls.getX(k), ls.getY(k)});
        out.parts.push_back(std::move(v));
        out.feature.push_back(out.features);
    };
    for (auto& feat : *l) {
        ++out.features;
        OGRGeometry* g = feat->GetGeometryRef();
        if (!g || g->IsEmpty()) {
            ++out.without_geometry;
            continue;
        }
        if (ct && g->transform(ct.get()) != OGRERR_NONE)
            throw CrsError(path + ": feature " + std::to_string(out.features) + ": cannot transform to " + out.crs.id());
        const OGRwkbGeometryType t = wkbFlatten(g->getGeometryType());
        if (t == wkbLineString) {
            add_line(*g->toLineString());
        } else if (t == wkbMultiLineString) {
            for (const OGRLineString* part : *g->toMultiLineString()) add_line(*part);
        } else {
            throw InputError(path + ": feature " + std::to_string(out.features) + ": a " + OGRGeometryTypeToName(g->getGeometryType()) +
                             "; streets must be lines (LineString or MultiLineString)");
        }
    }
    if (out.parts.empty()) throw InputError(path + ": no street line in the layer" + std::string(out.osm ? " (OSM ways with a highway tag)" : ""));
    return out;
}

} // namespace hotmap::io
