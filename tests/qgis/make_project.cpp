// SPDX-License-Identifier: MIT
// Test fixture for the headless-QGIS check: writes a few styled layers with hotmap's own
// writers (GeoPackages, a GeoTIFF, a raster table and a vector layer in one results.gpkg),
// a project over them with report::qgis_project, and the expectations check_project.py tests.
//
// Usage: qgis_make_project OUT_DIR   (writes OUT_DIR/project.qgs and OUT_DIR/expected.json)
#include "hotmap/geom/geometry.hpp"
#include "hotmap/io/raster.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/report/qgis_project.hpp"
#include "hotmap/report/qml.hpp"
#include "hotmap/timeparse.hpp"

#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace hotmap;

namespace {

const Extent k_extent{730000, 9335000, 750000, 9350000}; // around Kalemie, UTM 35S

io::VectorLayer districts(const crs::Crs& crs)
{
    io::VectorLayer l;
    l.name = "districts";
    l.kind = io::GeomKind::polygon;
    l.crs = crs;
    l.add_field("name", io::FieldType::string);
    l.add_field("rate", io::FieldType::real);
    const char* names[] = {"Kankomba", "Lac", "Lubuye", "Kataki"};
    const double rates[] = {2.5, 7.5, 12.0, 18.0};
    for (int i = 0; i < 4; ++i) {
        const double x = 730000 + (i % 2) * 10000, y = 9335000 + (i / 2) * 7500;
        l.rows.push_back({std::string(names[i]), rates[i]});
        l.wkb.push_back(geom::Geometry::rectangle({x, y, x + 10000, y + 7500}).to_wkb());
    }
    l.qml = report::graduated_qml("rate", l.kind, {0, 5, 10, 15, 20}, report::ramp("YlOrRd", 4), 0, "per 1000");
    return l;
}

io::VectorLayer incidents(const crs::Crs& crs)
{
    io::VectorLayer l;
    l.name = "incidents";
    l.kind = io::GeomKind::point;
    l.crs = crs;
    l.add_field("type", io::FieldType::string);
    l.add_field("start", io::FieldType::datetime);
    l.add_field("end", io::FieldType::datetime);
    const char* types[] = {"theft", "assault", "fire"};
    for (int i = 0; i < 30; ++i) {
        // two clusters, deterministic
        const double a = i * 2.39996, r = 600.0 * std::sqrt(i % 15 + 1);
        const double cx = i < 15 ? 736000 : 744500, cy = i < 15 ? 9340000 : 9345500;
        const Timestamp start = timeparse::from_civil(2024, 1, 1 + i % 28, 8);
        l.rows.push_back({std::string(types[i % 3]), start, start + 86400});
        l.wkb.push_back(geom::Geometry::point(cx + r * std::cos(a), cy + r * std::sin(a)).to_wkb());
    }
    l.qml = report::with_temporal(report::categorized_qml("type", l.kind, {{"theft", "Theft", {33, 102, 172, 255}},
                                                                          {"assault", "Assault", {178, 24, 43, 255}},
                                                                          {"fire", "Fire", {253, 141, 60, 255}}}),
                                  "start", "end");
    return l;
}

io::VectorLayer sites(const crs::Crs& crs)
{
    io::VectorLayer l;
    l.name = "sites";
    l.kind = io::GeomKind::point;
    l.crs = crs;
    l.add_field("name", io::FieldType::string);
    const double xy[][2] = {{734000, 9346000}, {741000, 9338000}, {747000, 9343000}};
    for (int i = 0; i < 3; ++i) {
        l.rows.push_back({"Post " + std::to_string(i + 1)});
        l.wkb.push_back(geom::Geometry::point(xy[i][0], xy[i][1]).to_wkb());
    }
    l.qml = report::single_qml(l.kind, {20, 20, 20, 255}, 3.5, "police post");
    return l;
}

io::RasterOut density(const crs::Crs& crs)
{
    io::RasterOut r;
    r.grid = grid::GridSpec::snapped(k_extent, 250);
    r.grid.crs = crs;
    r.nodata = -9999.0f;
    r.description = "density, incidents per km2";
    for (std::size_t id = 0; id < r.grid.size(); ++id) {
        const Point p = r.grid.centre(id);
        auto bump = [&](double x, double y, double h, double s) {
            const double d2 = (p.x - x) * (p.x - x) + (p.y - y) * (p.y - y);
            return h * std::exp(-d2 / (2 * s * s));
        };
        const double v = bump(736000, 9340000, 9, 1800) + bump(744500, 9345500, 6, 1400);
        r.values.push_back(static_cast<float>(v < 0.05 ? 0 : v));
    }
    return r;
}

void gdal_check(bool ok, const std::string& what)
{
    if (!ok) throw std::runtime_error(what + ": " + CPLGetLastErrorMsg());
}

/// results.gpkg as the integrator will write it: a raster table and a vector layer in one file.
void write_results_gpkg(const std::string& dir)
{
    const std::string gpkg = dir + "/results.gpkg";
    std::filesystem::remove(gpkg);
    GDALDatasetUniquePtr tif(GDALDataset::Open((dir + "/density.tif").c_str(), GDAL_OF_RASTER));
    gdal_check(tif != nullptr, "open density.tif");
    const char* targs[] = {"-of", "GPKG", "-co", "RASTER_TABLE=density", "-ot", "Float32", nullptr};
    GDALTranslateOptions* to = GDALTranslateOptionsNew(const_cast<char**>(targs), nullptr);
    GDALDatasetH out = GDALTranslate(gpkg.c_str(), tif.get(), to, nullptr);
    GDALTranslateOptionsFree(to);
    gdal_check(out != nullptr, "translate density into results.gpkg");
    GDALClose(out);

    GDALDatasetUniquePtr src(GDALDataset::Open((dir + "/districts.gpkg").c_str(), GDAL_OF_VECTOR));
    gdal_check(src != nullptr, "open districts.gpkg");
    GDALDatasetUniquePtr dst(GDALDataset::Open(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_RASTER | GDAL_OF_UPDATE));
    gdal_check(dst != nullptr, "open results.gpkg for update");
    OGRLayer* layer = src->GetLayerByName("districts");
    gdal_check(layer != nullptr, "districts.gpkg has no layer 'districts'");
    gdal_check(dst->CopyLayer(layer, "districts") != nullptr, "copy districts into results.gpkg");
}

report::ProjectLayer layer(const std::string& source, const std::string& name, const std::string& geometry, const std::string& title,
                           const std::string& qml)
{
    report::ProjectLayer l;
    l.source = source;
    l.layer_name = name;
    l.geometry = geometry;
    l.raster = geometry.empty();
    l.title = title;
    l.qml = qml;
    return l;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::cerr << "usage: qgis_make_project OUT_DIR\n";
        return 2;
    }
    try {
        const std::string dir = argv[1];
        std::filesystem::create_directories(dir);
        const crs::Crs crs = crs::Crs::epsg(32735);
        const io::VectorLayer d = districts(crs), in = incidents(crs), s = sites(crs);
        io::write_vector(d, dir + "/districts.gpkg", {.format = {}, .layer_name = {}, .overwrite = true});
        io::write_vector(in, dir + "/incidents.gpkg", {.format = {}, .layer_name = {}, .overwrite = true});
        io::write_vector(s, dir + "/sites.gpkg", {.format = {}, .layer_name = {}, .overwrite = true});
        io::write_geotiff(density(crs), dir + "/density.tif", true);
        GDALAllRegister();
        write_results_gpkg(dir);

        const auto ramp = report::ramp("YlOrRd", 5);
        const std::string raster_style = report::raster_qml({0.05, 1, 2, 4, 6, 9}, ramp, 0, "incidents/km²");
        report::ProjectSpec spec;
        spec.title = "Kalemie incidents & coverage";
        spec.crs = crs;
        spec.extent = k_extent;
        auto dl = layer("results.gpkg", "districts", "Polygon", "Incidents per 1000 people", d.qml);
        dl.label_field = "name";
        dl.abstract = "Incidents in 2024 per 1000 residents, by district.";
        dl.feature_count = d.rows.size();
        auto il = layer("incidents.gpkg", "", "Point", "Incidents by type", in.qml);
        il.abstract = "Each incident is shown on its day (temporal controller).";
        auto sl = layer("sites.gpkg", "", "Point", "Police posts", s.qml);
        sl.label_field = "name";
        auto rt = layer("density.tif", "", "", "Incident density", raster_style);
        auto rg = layer("results.gpkg", "density", "", "Incident density (GeoPackage)", raster_style);
        rg.visible = false;
        spec.groups.push_back({"Sites", {sl}, true});
        spec.groups.push_back({"Incidents", {il}, true});
        spec.groups.push_back({"Districts", {dl}, true});
        spec.groups.push_back({"Density", {rt, rg}, false});
        spec.layouts.push_back({"Incidents", "Incidents in Kalemie, January 2024", {"Police posts", "Incidents by type", "Incidents per 1000 people"},
                                "Source: synthetic test data · hotmap · CRS EPSG:32735", ""});
        spec.layouts.push_back({"Density", "Incident density, 250 m cells", {"Incident density", "Police posts"},
                                "Source: synthetic test data · hotmap · kernel density, bandwidth 1 km · CRS EPSG:32735", "Legend"});
        // no layers named: follows the layers panel
        spec.layouts.push_back({"Overview", "Overview", {}, "Source: synthetic test data", ""});
        {
            std::ofstream f(dir + "/project.qgs", std::ios::binary);
            f << report::qgis_project(spec);
            if (!f) throw std::runtime_error("cannot write project.qgs");
        }
        std::ofstream e(dir + "/expected.json", std::ios::binary);
        e << "{\n  \"layers\": {\n"
          << "    \"Incidents per 1000 people\": {\"renderer\": \"graduatedSymbol\", \"features\": 4, \"labels\": true, \"temporal\": false},\n"
          << "    \"Incidents by type\": {\"renderer\": \"categorizedSymbol\", \"features\": 30, \"labels\": false, \"temporal\": true},\n"
          << "    \"Police posts\": {\"renderer\": \"categorizedSymbol\", \"features\": 3, \"labels\": true, \"temporal\": false},\n"
          << "    \"Incident density\": {\"renderer\": \"singlebandpseudocolor\"},\n"
          << "    \"Incident density (GeoPackage)\": {\"renderer\": \"singlebandpseudocolor\"}\n"
          << "  },\n  \"layouts\": {\n"
          << "    \"Incidents\": {\"map_layers\": 3, \"legend_layers\": 3},\n"
          << "    \"Density\": {\"map_layers\": 2, \"legend_layers\": 2},\n"
          << "    \"Overview\": {\"follows_project\": true}\n"
          << "  }\n}\n";
        if (!e) throw std::runtime_error("cannot write expected.json");
    } catch (const std::exception& ex) {
        std::cerr << "qgis_make_project: error: " << ex.what() << "\n";
        return 1;
    }
    return 0;
}
