// SPDX-License-Identifier: MIT
// GEOS wrapper basics and PolygonIndex against brute-force GEOS intersects.
#include "hotmap/error.hpp"
#include "hotmap/geom/geometry.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace hotmap;
using geom::Geometry;

TEST(Geometry, AreaWkbRoundTripAndValidity)
{
    const Geometry r = Geometry::rectangle({0, 0, 2, 3});
    EXPECT_DOUBLE_EQ(r.area(), 6);
    const Geometry back = Geometry::from_wkb(r.to_wkb());
    EXPECT_DOUBLE_EQ(back.area(), 6);
    EXPECT_TRUE(back.is_valid());
    const Geometry bowtie = Geometry::from_wkt("POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))");
    std::string why;
    EXPECT_FALSE(bowtie.is_valid(&why));
    EXPECT_NE(why.find("Self-intersection"), std::string::npos);
    const Geometry fixed = bowtie.make_valid();
    EXPECT_TRUE(fixed.is_valid());
    EXPECT_TRUE(fixed.is_polygonal());
    EXPECT_DOUBLE_EQ(fixed.area(), 2.0);
    EXPECT_THROW(Geometry::from_wkt("POLYGON((0 0"), GeometryError);
}

TEST(PolygonIndex, ClosedPolygonsSharedEdgesAndCorners)
{
    std::vector<Geometry> polys;
    polys.push_back(Geometry::rectangle({0, 0, 1, 1}));
    polys.push_back(Geometry::rectangle({1, 0, 2, 1}));
    polys.push_back(Geometry::rectangle({0, 1, 2, 2}));
    const geom::PolygonIndex idx(polys);
    std::vector<int> hits;
    idx.query(0.5, 0.5, hits);
    EXPECT_EQ(hits, (std::vector<int>{0}));
    idx.query(1.0, 0.5, hits); // shared edge: both
    EXPECT_EQ(hits, (std::vector<int>{0, 1}));
    idx.query(1.0, 1.0, hits); // shared corner of all three
    EXPECT_EQ(hits, (std::vector<int>{0, 1, 2}));
    idx.query(0.0, 0.0, hits); // outer corner: closed polygon
    EXPECT_EQ(hits, (std::vector<int>{0}));
    idx.query(2.0000001, 0.5, hits);
    EXPECT_TRUE(hits.empty());
}

TEST(PolygonIndex, MatchesBruteForceOnIrregularPolygons)
{
    // A star-ish polygon with a hole and a neighbour: random points, some exactly on vertices.
    std::vector<Geometry> polys;
    polys.push_back(Geometry::from_wkt("POLYGON((0 0, 10 0, 12 5, 10 10, 5 8, 0 10, -2 5, 0 0),(3 3, 6 3, 6 6, 3 6, 3 3))"));
    polys.push_back(Geometry::from_wkt("POLYGON((10 0, 20 0, 20 10, 10 10, 12 5, 10 0))"));
    polys.push_back(Geometry::from_wkt("POLYGON((3 3, 6 3, 6 6, 3 6, 3 3))"));
    const geom::PolygonIndex idx(polys);
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> ux(-3, 21), uy(-1, 11);
    std::vector<std::pair<double, double>> pts;
    for (int i = 0; i < 20000; ++i) pts.emplace_back(ux(rng), uy(rng));
    for (double x : {0.0, 10.0, 12.0, 3.0, 6.0, 20.0}) // vertices and edge points
        for (double y : {0.0, 5.0, 3.0, 6.0, 10.0}) pts.emplace_back(x, y);
    std::vector<int> hits;
    for (const auto& [x, y] : pts) {
        idx.query(x, y, hits);
        std::vector<int> expect;
        const Geometry p = Geometry::point(x, y);
        for (std::size_t k = 0; k < polys.size(); ++k)
            if (polys[k].intersects(p)) expect.push_back(static_cast<int>(k));
        ASSERT_EQ(hits, expect) << x << " " << y;
    }
    // and the bulk path gives the same
    std::vector<double> xs, ys;
    for (const auto& [x, y] : pts) {
        xs.push_back(x);
        ys.push_back(y);
    }
    std::vector<int> count(pts.size(), 0);
    {
        const test::ChunkCap cap(500); // 41 chunks over 7 threads, each with its own prepared geometries
        idx.assign(pts.size(), xs.data(), ys.data(), sizeof(double), 7, [&](std::size_t i, int) { ++count[i]; });
    }
    for (std::size_t i = 0; i < pts.size(); ++i) {
        idx.query(pts[i].first, pts[i].second, hits);
        ASSERT_EQ(count[i], static_cast<int>(hits.size()));
    }
}
