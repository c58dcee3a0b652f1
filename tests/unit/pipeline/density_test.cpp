// SPDX-License-Identifier: MIT
// The density pipeline's isobands: band polygons' areas and the share of incidents in each band,
// on a case small enough to work out by hand.
#include "hotmap/geom/geometry.hpp"
#include "hotmap/log.hpp"
#include "hotmap/pipeline/density.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <variant>

using namespace hotmap;

namespace {

double real(const io::Value& v)
{
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    ADD_FAILURE() << "not a number";
    return NAN;
}

int field(const io::VectorLayer& l, const std::string& name)
{
    for (std::size_t i = 0; i < l.fields.size(); ++i)
        if (l.fields[i].name == name) return static_cast<int>(i);
    ADD_FAILURE() << "no field " << name;
    return 0;
}

/// Area inside a contour of level L around a "plus" of five cell centres of value V (the centre
/// and its 4 edge neighbours; zeros around), on a lattice of unit spacing. Along an edge from a
/// V centre to a 0 centre the contour crosses at a = 1 - L/V. The 4 squares between the centre
/// and two arms have one 0 corner: inside 1 - (1 - a)^2 / 2 each; the 8 squares beside the arms
/// have one V corner: inside a^2 / 2 each.
double plus_area(double L, double V)
{
    const double a = 1 - L / V;
    return 4 * (1 - (1 - a) * (1 - a) / 2) + 8 * (a * a / 2);
}

} // namespace

TEST(DensityIsobands, AreasAndSharesOfAHandComputedCase)
{
    // Uniform kernel of radius 10.5 m on 10 m cells: an incident at a cell centre adds
    // c = 1e6 / (pi 10.5^2) incidents/km2 to its own cell and its 4 edge neighbours (distance 10)
    // and nothing to the diagonal ones (14.1 m). Site A: 3 incidents at one centre (a plus of 3c),
    // site B: 1 incident at a centre 90 m away (a plus of c).
    pipeline::Inputs in;
    in.working = crs::Crs::epsg(32735);
    in.threads = 1;
    const double ax = 500055, ay = 9340055, bx = 500145, by = 9340145;
    for (int k = 0; k < 3; ++k) in.incidents.items.push_back({ax, ay, 1, k_no_time, -1, static_cast<std::uint32_t>(k + 2)});
    in.incidents.items.push_back({bx, by, 1, k_no_time, -1, 5});
    in.incidents.crs = in.working;
    in.incidents.accounting.read = in.incidents.accounting.accepted = 4;
    const double c = 1e6 / (std::numbers::pi * 10.5 * 10.5);

    pipeline::DensityParams p;
    p.cell_m = 10;
    p.bandwidth_m = 10.5;
    p.kernel = density::Kernel::uniform;
    p.extent = Extent{500000, 9340000, 500195, 9340195}; // 20 x 20 cells
    p.isobands = true;
    p.levels = {0.5 * c, 2 * c};
    NullLog log;
    const pipeline::DensityResult r = pipeline::estimate_density(p, in, log);

    // the raster itself: 3c at A's cell and its 4 edge neighbours, c around B, 0 elsewhere
    const grid::GridSpec& g = r.raster.grid;
    ASSERT_EQ(g.ncol, 20u);
    ASSERT_EQ(g.nrow, 20u);
    const auto value = [&](double x, double y) { return static_cast<double>(r.raster.values[*g.locate(x, y)]); };
    EXPECT_NEAR(value(ax, ay), 3 * c, 1e-3);
    EXPECT_NEAR(value(ax + 10, ay), 3 * c, 1e-3);
    EXPECT_NEAR(value(ax + 10, ay + 10), 0, 1e-9);
    EXPECT_NEAR(value(bx, by - 10), c, 1e-3);

    ASSERT_TRUE(r.isobands.has_value());
    const io::VectorLayer& L = *r.isobands;
    ASSERT_EQ(L.rows.size(), 2u);
    const int fb = field(L, "band"), flo = field(L, "lower"), fup = field(L, "upper"), fin = field(L, "incidents"),
              fsh = field(L, "share_pct");
    // band 1 [0.5c, 2c): B's whole plus and A's ring between the two contours
    // band 2 [2c, 3c]:   A's inner plus
    const double cell2 = 100; // m2 per unit square of the centre lattice
    const double band1 = (plus_area(0.5 * c, c) + plus_area(0.5 * c, 3 * c) - plus_area(2 * c, 3 * c)) * cell2;
    const double band2 = plus_area(2 * c, 3 * c) * cell2;
    EXPECT_NEAR(band1, 766.6666667, 1e-6); // 4.5 + 6.7222 - 3.5556 squares
    EXPECT_NEAR(band2, 355.5555556, 1e-6); // 32/9 squares
    EXPECT_EQ(real(L.rows[0][static_cast<std::size_t>(fb)]), 1);
    EXPECT_EQ(real(L.rows[1][static_cast<std::size_t>(fb)]), 2);
    EXPECT_NEAR(real(L.rows[0][static_cast<std::size_t>(flo)]), 0.5 * c, 1e-9);
    EXPECT_NEAR(real(L.rows[0][static_cast<std::size_t>(fup)]), 2 * c, 1e-9);
    EXPECT_NEAR(real(L.rows[1][static_cast<std::size_t>(flo)]), 2 * c, 1e-9);
    EXPECT_NEAR(real(L.rows[1][static_cast<std::size_t>(fup)]), 3 * c, 1e-6); // the raster maximum
    EXPECT_NEAR(geom::Geometry::from_wkb(L.wkb[0]).area(), band1, 1e-4);
    EXPECT_NEAR(geom::Geometry::from_wkb(L.wkb[1]).area(), band2, 1e-4);
    // incidents: B's one in band 1, A's three in band 2; shares of the 4 accepted incidents
    EXPECT_EQ(real(L.rows[0][static_cast<std::size_t>(fin)]), 1);
    EXPECT_EQ(real(L.rows[1][static_cast<std::size_t>(fin)]), 3);
    EXPECT_NEAR(real(L.rows[0][static_cast<std::size_t>(fsh)]), 25.0, 1e-12);
    EXPECT_NEAR(real(L.rows[1][static_cast<std::size_t>(fsh)]), 75.0, 1e-12);
}

TEST(DensityIsobands, SharesCountEveryAcceptedIncidentIncludingThoseInNoBand)
{
    // the same raster with one more incident far away (its own plus of c, but below a level of
    // 1.5c): it is in no band, and the shares are of all 5 accepted incidents
    pipeline::Inputs in;
    in.working = crs::Crs::epsg(32735);
    in.threads = 1;
    for (int k = 0; k < 3; ++k) in.incidents.items.push_back({500055, 9340055, 1, k_no_time, -1, static_cast<std::uint32_t>(k + 2)});
    in.incidents.items.push_back({500145, 9340145, 1, k_no_time, -1, 5});
    in.incidents.items.push_back({500175, 9340035, 1, k_no_time, -1, 6});
    in.incidents.crs = in.working;
    const double c = 1e6 / (std::numbers::pi * 10.5 * 10.5);
    pipeline::DensityParams p;
    p.cell_m = 10;
    p.bandwidth_m = 10.5;
    p.kernel = density::Kernel::uniform;
    p.extent = Extent{500000, 9340000, 500195, 9340195}; // 20 x 20 cells
    p.isobands = true;
    p.levels = {1.5 * c};
    NullLog log;
    const pipeline::DensityResult r = pipeline::estimate_density(p, in, log);
    ASSERT_TRUE(r.isobands.has_value());
    const io::VectorLayer& L = *r.isobands;
    ASSERT_EQ(L.rows.size(), 1u);
    EXPECT_NEAR(geom::Geometry::from_wkb(L.wkb[0]).area(), plus_area(1.5 * c, 3 * c) * 100, 1e-4);
    EXPECT_EQ(real(L.rows[0][static_cast<std::size_t>(field(L, "incidents"))]), 3);
    EXPECT_NEAR(real(L.rows[0][static_cast<std::size_t>(field(L, "share_pct"))]), 60.0, 1e-12);
}
