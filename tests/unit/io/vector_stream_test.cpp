// SPDX-License-Identifier: MIT
// Streamed layers (io::RowSource): the writer makes the same files as from held rows, asks for
// every row once and in order, and a source or output that fails leaves no output behind.
#include "hotmap/error.hpp"
#include "hotmap/geom/geometry.hpp"
#include "hotmap/io/output_set.hpp"
#include "hotmap/io/vector.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

using namespace hotmap;
namespace fs = std::filesystem;

namespace {

std::string bytes(const std::string& path)
{
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

/// Every feature of the first layer as text: fields (type and value) and geometry WKT.
std::string dump(const std::string& path)
{
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    if (!ds) return "cannot open " + path;
    OGRLayer* l = ds->GetLayer(0);
    std::string out;
    for (int i = 0; i < l->GetLayerDefn()->GetFieldCount(); ++i)
        out += std::string(l->GetLayerDefn()->GetFieldDefn(i)->GetNameRef()) + ":" +
               OGRFieldDefn::GetFieldTypeName(l->GetLayerDefn()->GetFieldDefn(i)->GetType()) + " ";
    out += "\n";
    for (auto& f : *l) {
        out += std::to_string(f->GetFID()) + "|";
        for (int i = 0; i < f->GetFieldCount(); ++i)
            out += (f->IsFieldNull(i) ? std::string("NULL") : !f->IsFieldSet(i) ? std::string("UNSET") : std::string(f->GetFieldAsString(i))) + "|";
        if (const OGRGeometry* g = f->GetGeometryRef()) {
            char* wkt = nullptr;
            g->exportToWkt(&wkt, wkbVariantIso);
            out += wkt;
            CPLFree(wkt);
        }
        out += "\n";
    }
    return out;
}

/// A layer of `n` streamed rows of every field type, with nulls, a non-UTF-8 name, and
/// geometries that change shape from row to row (square, hexagon, null, WKB, a ring again).
/// `null_geometry` false: a hexagon instead of the null (GDAL 3.6's FlatGeobuf writer skips
/// features without geometry).
io::VectorLayer streamed_polygons(std::size_t n, std::shared_ptr<std::vector<std::size_t>> asked = {}, bool null_geometry = true)
{
    io::VectorLayer l;
    l.name = "cells";
    l.kind = io::GeomKind::polygon;
    l.crs = crs::Crs::epsg(32735);
    l.add_field("cell_id", io::FieldType::integer);
    l.add_field("district", io::FieldType::string);
    l.add_field("z", io::FieldType::real);
    l.add_field("seen", io::FieldType::datetime);
    l.add_field("bin", io::FieldType::integer);
    l.qml = "<qgis/>";
    l.title = "Streamed cells";
    const std::string square = geom::Geometry::rectangle({500000, 9340000, 500100, 9340100}).to_wkb();
    l.source.count = n;
    l.source.fill = [asked, square, null_geometry](std::size_t r, std::vector<io::Value>& v, io::FeatureGeometry& g) {
        if (asked) asked->push_back(r);
        v[0] = static_cast<std::int64_t>(r) * 7;
        if (r % 5 == 3) v[1] = std::monostate{};
        else if (r % 5 == 4) v[1] = std::string("Caf\xe9"); // Latin-1: converted to UTF-8
        else v[1] = "district " + std::to_string(r % 3);
        if (r % 4 == 1) v[2] = std::monostate{};
        else if (r % 4 == 2) v[2] = NAN; // not finite: null (0 in Shapefiles)
        else v[2] = 0.25 * static_cast<double>(r) - 3;
        if (r % 6 == 0) v[3] = std::monostate{};
        else v[3] = std::int64_t{1700000000} + static_cast<std::int64_t>(r) * 3601;
        v[4] = static_cast<std::int64_t>(static_cast<int>(r % 7) - 3);
        const double x = 500000 + 25.0 * static_cast<double>(r % 40), y = 9340000 + 25.0 * static_cast<double>(r / 40);
        switch (r % 5 == 2 && !null_geometry ? 1 : r % 5) {
        case 0:
        case 4: {
            auto& ring = g.set_ring();
            ring = {{x, y}, {x + 25, y}, {x + 25, y + 25}, {x, y + 25}, {x, y}};
            break;
        }
        case 1: {
            auto& ring = g.set_ring();
            for (int k = 0; k < 6; ++k)
                ring.push_back({x + 12.5 + 14 * std::cos(k * M_PI / 3), y + 12.5 + 14 * std::sin(k * M_PI / 3)});
            ring.push_back(ring.front());
            break;
        }
        case 2: g.set_null(); break;
        case 3:
            g.kind = io::FeatureGeometry::Kind::wkb;
            g.wkb = square;
            break;
        }
    };
    return l;
}

io::VectorLayer streamed_points(std::size_t n, bool null_geometry = true)
{
    io::VectorLayer l;
    l.name = "points";
    l.kind = io::GeomKind::point;
    l.crs = crs::Crs::epsg(32735);
    l.add_field("incident", io::FieldType::integer);
    l.add_field("nearest_m", io::FieldType::real);
    l.source.count = n;
    l.source.fill = [null_geometry](std::size_t r, std::vector<io::Value>& v, io::FeatureGeometry& g) {
        v[0] = static_cast<std::int64_t>(r) + 2;
        v[1] = 1.5 * static_cast<double>(r);
        if (r % 9 == 8 && null_geometry) g.set_null();
        else g.set_point(500000 + 3.0 * static_cast<double>(r), 9340000 - 2.0 * static_cast<double>(r));
    };
    return l;
}

io::VectorLayer held(io::VectorLayer l)
{
    l.materialise();
    return l;
}

/// No file of the target and no temporary in `dir`.
void expect_nothing_in(const std::string& dir, const std::string& what)
{
    for (const auto& e : fs::directory_iterator(dir)) ADD_FAILURE() << what << ": left " << e.path();
}

} // namespace

TEST(StreamedLayer, MaterialiseGivesTheRowsAndGeometries)
{
    io::VectorLayer l = streamed_polygons(12);
    EXPECT_TRUE(l.streamed());
    EXPECT_EQ(l.size(), 12u);
    l.materialise();
    EXPECT_FALSE(l.streamed());
    ASSERT_EQ(l.rows.size(), 12u);
    ASSERT_EQ(l.wkb.size(), 12u);
    EXPECT_EQ(l.size(), 12u);
    EXPECT_EQ(std::get<std::int64_t>(l.rows[3][0]), 21);
    EXPECT_TRUE(std::holds_alternative<std::monostate>(l.rows[3][1]));
    EXPECT_TRUE(l.wkb[2].empty()); // a null geometry
    // a square ring encodes as the same polygon as geom's rectangle
    const geom::Geometry g = geom::Geometry::from_wkb(l.wkb[0]);
    EXPECT_DOUBLE_EQ(g.area(), 625.0);
    EXPECT_EQ(geom::Geometry::from_wkb(l.wkb[1]).rings().front().size(), 7u);
}

TEST(StreamedLayer, MaterialiseLeavesTheLayerWhenTheSourceThrows)
{
    io::VectorLayer l = streamed_points(10);
    auto fill = l.source.fill;
    l.source.fill = [fill](std::size_t r, std::vector<io::Value>& v, io::FeatureGeometry& g) {
        if (r == 6) throw InputError("row 6 is bad");
        fill(r, v, g);
    };
    EXPECT_THROW(l.materialise(), InputError);
    EXPECT_TRUE(l.streamed());
    EXPECT_TRUE(l.rows.empty());
}

TEST(StreamedLayer, WritesTheSameFilesAsHeldRows)
{
    const std::string a = test::out_dir("stream_same/held"), b = test::out_dir("stream_same/streamed");
    for (const std::string ext : {".fgb", ".geojson", ".csv", ".shp", ".gpkg"}) {
        const bool nulls = ext != ".fgb";
        for (const auto& make : {streamed_polygons(333, {}, nulls), streamed_points(100, nulls)}) {
            const std::string name = make.name + ext;
            io::write_vector(held(make), a + "/" + name, {});
            const io::WriteReport rep = io::write_vector(make, b + "/" + name, {});
            EXPECT_FALSE(rep.driver.empty());
            if (ext == ".gpkg") {
                // GeoPackages record when they were written: compare what they hold
                EXPECT_EQ(dump(a + "/" + name), dump(b + "/" + name)) << name;
            } else {
                for (const std::string side : {"", ".shx", ".dbf", ".qml", ".qmd"}) {
                    const std::string pa = side.empty() ? a + "/" + name : io::replace_extension(a + "/" + name, side);
                    const std::string pb = side.empty() ? b + "/" + name : io::replace_extension(b + "/" + name, side);
                    ASSERT_EQ(fs::exists(pa), fs::exists(pb)) << pb;
                    if (fs::exists(pa)) {
                        EXPECT_TRUE(bytes(pa) == bytes(pb)) << pb << " differs";
                    }
                }
            }
            // nothing lost: every row is a feature, in order
            GDALDatasetUniquePtr ds(GDALDataset::Open((b + "/" + name).c_str(), GDAL_OF_VECTOR));
            ASSERT_TRUE(ds) << name;
            OGRLayer* l = ds->GetLayer(0);
            EXPECT_EQ(l->GetFeatureCount(), static_cast<GIntBig>(make.size())) << name;
            std::int64_t expect = make.kind == io::GeomKind::point ? 2 : 0;
            const int id = l->GetLayerDefn()->GetFieldIndex(make.fields[0].name.c_str());
            for (auto& f : *l) {
                EXPECT_EQ(f->GetFieldAsInteger64(id), expect) << name;
                expect += make.kind == io::GeomKind::point ? 1 : 7;
            }
        }
    }
}

TEST(StreamedLayer, AsksForEveryRowOnceInOrder)
{
    const std::string dir = test::out_dir("stream_order");
    auto asked = std::make_shared<std::vector<std::size_t>>();
    io::write_vector(streamed_polygons(1000, asked, false), dir + "/cells.fgb", {});
    ASSERT_EQ(asked->size(), 1000u);
    for (std::size_t r = 0; r < asked->size(); ++r) ASSERT_EQ((*asked)[r], r);
    // an empty source is an empty layer
    io::write_vector(streamed_polygons(0), dir + "/empty.geojson", {});
    GDALDatasetUniquePtr ds(GDALDataset::Open((dir + "/empty.geojson").c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->GetLayer(0)->GetFeatureCount(), 0);
}

TEST(StreamedLayer, FailingSourceLeavesNoOutput)
{
    for (const std::string ext : {".fgb", ".geojson", ".csv", ".shp", ".gpkg"}) {
        const std::string dir = test::out_dir("stream_fail");
        io::VectorLayer l = streamed_polygons(5000, {}, ext != ".fgb");
        auto fill = l.source.fill;
        l.source.fill = [fill](std::size_t r, std::vector<io::Value>& v, io::FeatureGeometry& g) {
            if (r == 2500) throw InputError("the source failed at row 2500");
            fill(r, v, g);
        };
        EXPECT_THROW(io::write_vector(l, dir + "/cells" + ext, {}), InputError) << ext;
        expect_nothing_in(dir, ext);
        // in a run of two outputs, the first written completely: neither is left
        {
            io::OutputSet outs(false);
            const io::Staged& first = outs.add(dir + "/first" + ext, io::vector_sidecars(dir + "/first" + ext, "", true));
            const io::Staged& second = outs.add(dir + "/second" + ext, io::vector_sidecars(dir + "/second" + ext, "", true));
            io::write_vector(streamed_points(50, ext != ".fgb"), first, {});
            EXPECT_TRUE(fs::exists(first.temp)) << ext;
            EXPECT_THROW(io::write_vector(l, second, {}), InputError) << ext;
        }
        expect_nothing_in(dir, ext + " (two outputs)");
    }
}

TEST(StreamedLayer, UnwritableOutputLeavesNoOutput)
{
    const std::string dir = test::out_dir("stream_unwritable");
    const std::string sub = dir + "/gone";
    fs::create_directories(sub);
    {
        io::OutputSet outs(false);
        const io::Staged& ok = outs.add(dir + "/ok.fgb", io::vector_sidecars(dir + "/ok.fgb", "", true));
        const io::Staged& lost = outs.add(sub + "/cells.fgb", io::vector_sidecars(sub + "/cells.fgb", "", true));
        io::write_vector(streamed_points(20, false), ok, {});
        fs::remove_all(sub); // the folder disappears (a removed stick, a full disk) after staging
        EXPECT_THROW(io::write_vector(streamed_polygons(100, {}, false), lost, {}), OutputError);
    }
    expect_nothing_in(dir, "unwritable");
}
