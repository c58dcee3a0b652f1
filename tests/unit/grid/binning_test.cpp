// SPDX-License-Identifier: MIT
// Square and hex lattices: snapping, cell membership on edges and corners, clipping to
// districts, counts summing to the incidents inside the study area, thread independence.
#include "hotmap/error.hpp"
#include "hotmap/grid/binning.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <numeric>
#include <random>

using namespace hotmap;
using namespace hotmap::grid;

namespace {
IncidentSet points(const std::vector<Point>& pts)
{
    IncidentSet s;
    for (const Point& p : pts) s.items.push_back({p.x, p.y});
    return s;
}
double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }
} // namespace

TEST(Binning, SquareEdgesGoNorthEast)
{
    const Lattice l = make_lattice({0, 0, 30, 20}, 10, Shape::square, nullptr, 1);
    EXPECT_EQ(l.spec.ncol, 4u);
    EXPECT_EQ(l.spec.nrow, 3u);
    EXPECT_EQ(l.size(), 12u);
    // a point on the edge between col 0 and col 1 belongs to col 1; a corner to the NE cell
    EXPECT_EQ(l.find(10, 5), static_cast<std::int64_t>(l.spec.id(0, 1)));
    EXPECT_EQ(l.find(10, 10), static_cast<std::int64_t>(l.spec.id(1, 1)));
    EXPECT_EQ(l.find(0, 0), 0);
    EXPECT_EQ(l.find(-0.001, 0), -1);
    const IncidentSet s = points({{10, 5}, {10, 10}, {0, 0}, {30, 20}, {5, 5}});
    const Counts c = bin(l, s, false, 2);
    EXPECT_EQ(c.count[l.spec.id(0, 1)], 1);
    EXPECT_EQ(c.count[l.spec.id(1, 1)], 1);
    EXPECT_EQ(c.count[0], 2);
    EXPECT_EQ(c.count[l.spec.id(2, 3)], 1);
    EXPECT_EQ(sum(c.count), 5);
    EXPECT_EQ(c.outside, 0u);
}

TEST(Binning, HexSnappingAndCentres)
{
    const double s = 100, pitch = s * std::sqrt(3.0) / 2;
    const Lattice l = make_lattice({1030, 2050, 1420, 2380}, s, Shape::hex, nullptr, 1);
    EXPECT_DOUBLE_EQ(l.spec.x0, 1000);
    EXPECT_DOUBLE_EQ(l.spec.y0, std::floor(2050 / (2 * pitch)) * 2 * pitch);
    // even rows: centres at x0 + (col + 0.5) s; odd rows shifted half a cell west
    const Point c00 = cell_centre(l.spec, Shape::hex, l.spec.id(0, 0));
    const Point c10 = cell_centre(l.spec, Shape::hex, l.spec.id(1, 0));
    EXPECT_DOUBLE_EQ(c00.x, 1050);
    EXPECT_DOUBLE_EQ(c10.x, 1000);
    EXPECT_NEAR(c10.y - c00.y, pitch, 1e-9);
    // every kept cell's centre maps to itself
    for (std::size_t k = 0; k < l.size(); ++k) EXPECT_EQ(l.find(l.centres[k].x, l.centres[k].y), static_cast<std::int64_t>(k));
    EXPECT_THROW(make_lattice({0, 0, 10, 10}, 0, Shape::hex, nullptr, 1), ParameterError);
    EXPECT_THROW(parse_shape("triangle"), ParameterError);
}

TEST(Binning, HexMembershipIsNearestCentreWithHighestIdOnTies)
{
    const double s = 100, R = s / std::sqrt(3.0);
    const GridSpec g = GridSpec::snapped_hex({0, 0, 1000, 1000}, s);
    ASSERT_DOUBLE_EQ(g.x0, 0);
    ASSERT_DOUBLE_EQ(g.y0, 0);
    const std::size_t row = 2; // even row: centres at (col + 0.5) * 100
    const Point c = cell_centre(g, Shape::hex, g.id(row, 3)); // (350, 2 * pitch)
    // inside, near the vertical edges
    EXPECT_EQ(*locate(g, Shape::hex, c.x + 49.999, c.y), g.id(row, 3));
    EXPECT_EQ(*locate(g, Shape::hex, c.x - 49.999, c.y), g.id(row, 3));
    // exactly on the shared vertical edge x = 400: the eastern (higher id) cell
    EXPECT_EQ(*locate(g, Shape::hex, c.x + 50, c.y), g.id(row, 4));
    EXPECT_EQ(*locate(g, Shape::hex, c.x - 50, c.y), g.id(row, 3));
    // just below the top vertex: this cell; just above: the cell north of it
    EXPECT_EQ(*locate(g, Shape::hex, c.x, c.y + R - 1e-6), g.id(row, 3));
    const auto above = *locate(g, Shape::hex, c.x, c.y + R + 1e-6);
    EXPECT_EQ(g.row_of(above), row + 1);
    // the NE slanted edge: points just inside / outside along the edge normal (60 degrees)
    const double nx = std::cos(std::numbers::pi / 3), ny = std::sin(std::numbers::pi / 3), apothem = s / 2;
    EXPECT_EQ(*locate(g, Shape::hex, c.x + nx * (apothem - 1e-6), c.y + ny * (apothem - 1e-6)), g.id(row, 3));
    const auto ne = *locate(g, Shape::hex, c.x + nx * (apothem + 1e-6), c.y + ny * (apothem + 1e-6));
    EXPECT_EQ(g.row_of(ne), row + 1);
    EXPECT_EQ(g.col_of(ne), 4u); // odd row is shifted west: the NE neighbour has col + 1
    // brute force: membership = nearest centre, on random points
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> u(0, 1000);
    for (int i = 0; i < 2000; ++i) {
        const double x = u(rng), y = u(rng);
        const auto id = locate(g, Shape::hex, x, y);
        ASSERT_TRUE(id.has_value());
        double best = 1e300;
        std::size_t arg = 0;
        for (std::size_t k = 0; k < g.size(); ++k) {
            const Point p = cell_centre(g, Shape::hex, k);
            const double d = std::hypot(x - p.x, y - p.y);
            if (d < best) best = d, arg = k;
        }
        ASSERT_EQ(*id, arg) << x << "," << y;
    }
}

TEST(Binning, CountsSumToIncidentsInsideTheStudyArea)
{
    // study area: two 1 km squares side by side (the fixture), in EPSG:32735 metres
    std::vector<geom::Geometry> polys;
    polys.push_back(geom::Geometry::from_wkt("POLYGON((0 0,1000 0,1000 1000,0 1000,0 0))"));
    polys.push_back(geom::Geometry::from_wkt("POLYGON((1000 0,2000 0,2000 1000,1000 1000,1000 0))"));
    const geom::NamedPolygons d({"west", "east"}, std::move(polys));
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> ux(-300, 2300), uy(-300, 1300);
    IncidentSet s;
    s.categories = {"a", "b"};
    for (int i = 0; i < 5000; ++i) {
        Incident inc{ux(rng), uy(rng)};
        inc.weight = 1 + i % 3;
        inc.category = i % 2;
        s.items.push_back(inc);
    }
    for (Shape shape : {Shape::square, Shape::hex}) {
        const Lattice l = make_lattice(d.extent(), 100, shape, &d, 2);
        const Counts c = bin(l, s, true, 2);
        // analysis units: cells whose centre is inside a district; zero-count cells kept
        std::uint64_t inside = 0;
        for (const Incident& i : s.items) inside += l.find(i.x, i.y) >= 0;
        EXPECT_EQ(sum(c.count), static_cast<double>(inside));
        EXPECT_EQ(static_cast<std::uint64_t>(sum(c.count)) + c.outside, s.items.size());
        EXPECT_EQ(sum(c.by_category[0]) + sum(c.by_category[1]), sum(c.count));
        for (std::size_t k = 0; k < l.size(); ++k) {
            const Point p = l.centres[k];
            ASSERT_GE(l.district[k], 0);
            EXPECT_EQ(l.district[k], p.x <= 1000 ? 0 : 1) << p.x; // x = 1000 is in both: lowest index
        }
        if (shape == Shape::square) {
            EXPECT_EQ(l.size(), 200u); // 20 x 10 cells of 100 m
        }
        // thread independence (weights summed in incident order)
        const Counts c1 = bin(l, s, true, 1), c7 = bin(l, s, true, 7);
        EXPECT_TRUE(c1.weight == c7.weight);
        EXPECT_TRUE(c1.count == c.count);
    }
    // without districts: every cell of the rectangle, every incident counted
    Extent e;
    for (const Incident& i : s.items) e.expand(i.x, i.y);
    for (Shape shape : {Shape::square, Shape::hex}) {
        const Lattice l = make_lattice(e, 150, shape, nullptr, 2);
        const Counts c = bin(l, s, false, 2);
        EXPECT_EQ(c.outside, 0u);
        EXPECT_EQ(sum(c.count), 5000.0);
    }
}

TEST(Binning, CellPolygonsAndExtentParsing)
{
    const Lattice l = make_lattice({0, 0, 200, 200}, 100, Shape::hex, nullptr, 1);
    const geom::Geometry h = geom::Geometry::from_wkb(cell_wkb(l, 0));
    EXPECT_NEAR(h.area(), std::sqrt(3.0) / 2 * 100 * 100, 1e-6); // hexagon area = sqrt(3)/2 s^2
    EXPECT_TRUE(h.is_valid());
    const Lattice q = make_lattice({0, 0, 200, 200}, 100, Shape::square, nullptr, 1);
    EXPECT_NEAR(geom::Geometry::from_wkb(cell_wkb(q, 4)).area(), 1e4, 1e-9);
    const Extent e = parse_extent("1,2,3.5,4");
    EXPECT_EQ(e.xmax, 3.5);
    EXPECT_THROW(parse_extent("1,2,3"), ParameterError);
    EXPECT_THROW(parse_extent("3,2,1,4"), ParameterError);
    EXPECT_THROW(parse_extent("1,2,3,4,5"), ParameterError);
}
