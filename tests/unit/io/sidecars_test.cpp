// SPDX-License-Identifier: MIT
// What is written beside the outputs: the GeoTIFF's style (.qml), metadata (.qmd) and internal
// overviews; a vector layer's title and abstract in gpkg_contents or a .qmd.
#include "hotmap/geom/geometry.hpp"
#include "hotmap/io/raster.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/report/qml.hpp"

#include "test_support.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace hotmap;

namespace {
std::string slurp(const std::string& path)
{
    std::ifstream f(path, std::ios::binary);
    std::ostringstream o;
    o << f.rdbuf();
    return o.str();
}
} // namespace

TEST(GeotiffSidecars, StyleMetadataAndOverviews)
{
    io::RasterOut r;
    r.grid = grid::GridSpec::snapped({500000, 9340000, 500100, 9340100}, 10);
    r.grid.crs = crs::Crs::epsg(32735);
    r.grid.ncol = 600;
    r.grid.nrow = 700;
    r.nodata = -9999.0f;
    r.values.resize(r.grid.size());
    for (std::size_t i = 0; i < r.values.size(); ++i) r.values[i] = i % 5 == 0 ? 0.0f : i % 11 == 0 ? -9999.0f : static_cast<float>(i % 97);
    r.description = "density, incidents per km2";
    r.title = "Incident density (incidents per km2), 18:00-06:00 only";
    r.abstract = "Kernel density <test> & more";
    r.qml = report::raster_qml(r, "incidents per km2");
    const std::string dir = test::out_dir("geotiff_sidecars");
    const std::string path = dir + "/d.tif";
    io::write_geotiff(r, path, true);
    ASSERT_TRUE(std::filesystem::exists(dir + "/d.qml"));
    ASSERT_TRUE(std::filesystem::exists(dir + "/d.qmd"));
    const std::string qml = slurp(dir + "/d.qml");
    EXPECT_EQ(qml, r.qml);
    EXPECT_NE(qml.find("<item alpha=\"0\" value=\"0\""), std::string::npos);
    EXPECT_NE(qml.find("min=\"-9999\" max=\"-9999\" percentTransparent=\"100\""), std::string::npos);
    const std::string qmd = slurp(dir + "/d.qmd");
    EXPECT_NE(qmd.find("<title>Incident density (incidents per km2), 18:00-06:00 only</title>"), std::string::npos);
    EXPECT_NE(qmd.find("<abstract>Kernel density &lt;test&gt; &amp; more</abstract>"), std::string::npos);
    // no temporary is left behind
    for (const auto& e : std::filesystem::directory_iterator(dir)) EXPECT_EQ(e.path().filename().string().find(".hotmap-tmp"), std::string::npos);

    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->GetRasterBand(1)->GetOverviewCount(), 2); // 600 -> 300 -> 150 (300 > 256, 150 is not)
    EXPECT_EQ(ds->GetRasterBand(1)->GetOverview(0)->GetXSize(), 300);
    EXPECT_FALSE(std::filesystem::exists(path + ".ovr")) << "overviews are inside the GeoTIFF";
    const char* doc = ds->GetMetadataItem("TIFFTAG_DOCUMENTNAME");
    ASSERT_TRUE(doc);
    EXPECT_STREQ(doc, r.title.c_str());
    // the values are untouched by the overviews
    EXPECT_EQ(io::read_raster(path).values, r.values);
}

TEST(GeotiffSidecars, SmallRasterHasNoOverviews)
{
    io::RasterOut r;
    r.grid = grid::GridSpec::snapped({0, 0, 100, 100}, 10);
    r.grid.crs = crs::Crs::epsg(32735);
    r.values.assign(r.grid.size(), 1.0f);
    const std::string path = test::out_dir("geotiff_small") + "/s.tif";
    io::write_geotiff(r, path, true);
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->GetRasterBand(1)->GetOverviewCount(), 0);
    EXPECT_FALSE(std::filesystem::exists(test::out_dir("geotiff_small") + "/s.qml")) << "no style asked for";
}

TEST(VectorMetadata, GeoPackageIdentifierAndDescriptionOtherFormatsQmd)
{
    io::VectorLayer l;
    l.name = "cov";
    l.kind = io::GeomKind::point;
    l.crs = crs::Crs::epsg(32735);
    l.add_field("covered", io::FieldType::integer);
    l.rows.push_back({std::int64_t{1}});
    l.wkb.push_back(geom::Geometry::point(500000, 9340000).to_wkb());
    l.qml = report::categorized_qml("covered", io::GeomKind::point, {{"1", "covered", {0, 128, 0, 255}}});
    l.title = "Coverage of incidents by facilities, 18:00-06:00 only";
    l.abstract = "One point per incident.";
    l.metadata = "hotmap coverage";
    const std::string dir = test::out_dir("vector_metadata");
    io::WriteOptions o;
    o.overwrite = true;
    io::write_vector(l, dir + "/c.gpkg", o);
    {
        GDALDatasetUniquePtr ds(GDALDataset::Open((dir + "/c.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
        ASSERT_TRUE(ds);
        OGRLayer* ol = ds->GetLayerByName("c");
        ASSERT_TRUE(ol);
        const char* id = ol->GetMetadataItem("IDENTIFIER");
        const char* desc = ol->GetMetadataItem("DESCRIPTION");
        ASSERT_TRUE(id);
        ASSERT_TRUE(desc);
        EXPECT_STREQ(id, l.title.c_str());
        EXPECT_EQ(std::string(desc), "One point per incident.\n\nhotmap coverage");
    }
    EXPECT_FALSE(std::filesystem::exists(dir + "/c.qmd"));
    io::write_vector(l, dir + "/c.geojson", o);
    ASSERT_TRUE(std::filesystem::exists(dir + "/c.qmd"));
    EXPECT_NE(slurp(dir + "/c.qmd").find("<title>Coverage of incidents by facilities, 18:00-06:00 only</title>"), std::string::npos);
    EXPECT_NE(slurp(dir + "/c.qmd").find("<identifier>Coverage of incidents by facilities"), std::string::npos);
    // day and night layers differ by their titles
    io::VectorLayer day = l;
    day.title = "Coverage of incidents by facilities, 06:00-18:00 only";
    io::write_vector(day, dir + "/day.geojson", o);
    EXPECT_NE(slurp(dir + "/day.qmd"), slurp(dir + "/c.qmd"));
}
