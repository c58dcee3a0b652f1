// SPDX-License-Identifier: MIT
// Writes a small layer in every format and reads it back with GDAL.
#include "hotmap/error.hpp"
#include "hotmap/geom/geometry.hpp"
#include "hotmap/io/vector.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <filesystem>

using namespace hotmap;

namespace {
io::VectorLayer sample_layer()
{
    io::VectorLayer l;
    l.kind = io::GeomKind::polygon;
    l.crs = crs::Crs::epsg(32735);
    l.add_field("district", io::FieldType::string);
    l.add_field("incidents", io::FieldType::integer);
    l.add_field("per_1k_population", io::FieldType::real);
    l.add_field("per_1k_pop_rank", io::FieldType::integer);
    l.rows.push_back({std::string("Kankomba"), std::int64_t{42}, 1.5, std::int64_t{1}});
    l.rows.push_back({std::string("Lac"), std::int64_t{7}, io::Value{}, std::int64_t{2}});
    l.wkb.push_back(geom::Geometry::rectangle({500000, 9340000, 501000, 9341000}).to_wkb());
    l.wkb.push_back(geom::Geometry::rectangle({501000, 9340000, 502000, 9341000}).to_wkb());
    l.qml = "<qgis/>";
    return l;
}
} // namespace

TEST(WriteVector, EveryFormatReadsBack)
{
    const std::string dir = test::out_dir("write_vector");
    for (const std::string ext : {".geojson", ".shp", ".gpkg", ".fgb", ".csv"}) {
        const std::string path = dir + "/layer" + ext;
        const io::WriteReport rep = io::write_vector(sample_layer(), path, {});
        GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
        ASSERT_TRUE(ds) << ext;
        OGRLayer* l = ds->GetLayer(0);
        ASSERT_EQ(l->GetFeatureCount(), 2) << ext;
        l->ResetReading();
        OGRFeatureUniquePtr f(l->GetNextFeature());
        const int di = f->GetFieldIndex("district");
        ASSERT_GE(di, 0) << ext;
        EXPECT_STREQ(f->GetFieldAsString(di), "Kankomba") << ext;
        EXPECT_EQ(f->GetFieldAsInteger64(f->GetFieldIndex("incidents")), 42) << ext;
        if (ext == ".shp") {
            // 10-character names, cut deterministically: per_1k_pop, per_1k_p_1
            EXPECT_GE(f->GetFieldIndex("per_1k_pop"), 0);
            EXPECT_GE(f->GetFieldIndex("per_1k_p_1"), 0);
            EXPECT_EQ(rep.renamed_fields.size(), 2u);
            EXPECT_TRUE(std::filesystem::exists(dir + "/layer.prj"));
            EXPECT_TRUE(std::filesystem::exists(dir + "/layer.cpg"));
        }
        if (ext == ".geojson") {
            // RFC 7946: lon/lat
            OGREnvelope e;
            f->GetGeometryRef()->getEnvelope(&e);
            EXPECT_NEAR(e.MinX, 27.0, 1e-9); // easting 500000 is the zone's central meridian
            EXPECT_NEAR(e.MinY, -5.97, 0.01);
        }
        if (ext == ".gpkg") {
            OGRLayer* styles = ds->GetLayerByName("layer_styles");
            ASSERT_TRUE(styles);
            EXPECT_EQ(styles->GetFeatureCount(), 1);
        } else if (ext != ".csv") {
            EXPECT_TRUE(std::filesystem::exists(dir + "/layer.qml")) << ext;
        }
    }
    // nothing temporary left behind
    for (const auto& e : std::filesystem::directory_iterator(dir))
        EXPECT_EQ(e.path().filename().string().rfind(".hotmap-tmp", 0), std::string::npos) << e.path();
}

TEST(WriteVector, RefusesToOverwriteAndChecksFolder)
{
    const std::string dir = test::out_dir("write_vector_overwrite");
    const std::string path = dir + "/l.geojson";
    test::write_file(path, "old");
    EXPECT_THROW(io::write_vector(sample_layer(), path, {}), OutputError);
    EXPECT_EQ(std::filesystem::file_size(path), 3u); // untouched
    io::WriteOptions o;
    o.overwrite = true;
    io::write_vector(sample_layer(), path, o);
    EXPECT_GT(std::filesystem::file_size(path), 3u);
    EXPECT_THROW(io::write_vector(sample_layer(), dir + "/missing/l.geojson", {}), OutputError);
    EXPECT_THROW(io::write_vector(sample_layer(), dir + "/l.xyz", {}), ParameterError);
}

TEST(ShapefileNames, CutDeterministically)
{
    EXPECT_EQ(io::shapefile_names({"covered_inc_pct", "covered_inc", "covered_km2", "district"}),
              (std::vector<std::string>{"covered_in", "covered__1", "covered_km", "district"}));
}

TEST(ReadPolygons, ReprojectsAndDetectsNames)
{
    const io::PolygonLayer p = io::read_polygons({test::data("two_squares.geojson"), "", "", "population", ""}, crs::Crs());
    ASSERT_EQ(p.names, (std::vector<std::string>{"West", "East"}));
    EXPECT_EQ(p.name_field, "name");
    EXPECT_DOUBLE_EQ(p.population[1], 2000);
    EXPECT_EQ(p.crs.id(), "EPSG:32735");
    EXPECT_THROW(io::read_polygons({test::data("lines.geojson"), "", "", "", ""}, crs::Crs()), InputError);
    EXPECT_THROW(io::read_polygons({test::data("two_squares.geojson"), "", "nope", "", ""}, crs::Crs()), InputError);
}
