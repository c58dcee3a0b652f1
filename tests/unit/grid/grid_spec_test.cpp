// SPDX-License-Identifier: MIT
// The snapped grid rule, checked against the Memphis reference grid parameters.
#include "hotmap/error.hpp"
#include "hotmap/grid/grid_spec.hpp"

#include <gtest/gtest.h>

using namespace hotmap;

TEST(GridSpec, MemphisReferenceGrids)
{
    // incidents' extent x 214953.162..251200.9, y 3876740.4..3905583.3 (reference params.csv)
    const Extent e{214953.162, 3876740.354, 251200.865, 3905583.291};
    const grid::GridSpec g = grid::GridSpec::snapped(e, 500);
    EXPECT_DOUBLE_EQ(g.x0, 214500);
    EXPECT_DOUBLE_EQ(g.y0, 3876500);
    EXPECT_EQ(g.ncol, 74u);
    EXPECT_EQ(g.nrow, 59u);
    const grid::GridSpec k = grid::GridSpec::snapped(e, 250);
    EXPECT_DOUBLE_EQ(k.x0, 214750);
    EXPECT_EQ(k.ncol, 146u);
    EXPECT_EQ(k.nrow, 117u);
}

TEST(GridSpec, LocateEdgesAndIds)
{
    const grid::GridSpec g = grid::GridSpec::snapped({0, 0, 10, 5}, 5);
    EXPECT_EQ(g.ncol, 3u); // floor(10/5)+1: a point on the east edge gets its own column
    EXPECT_EQ(g.nrow, 2u);
    EXPECT_EQ(*g.locate(0, 0), 0u);
    EXPECT_EQ(*g.locate(5, 0), 1u);      // west edge inclusive
    EXPECT_EQ(*g.locate(4.999, 5), 3u);  // row 1, col 0
    EXPECT_EQ(*g.locate(10, 5), 5u);
    EXPECT_FALSE(g.locate(-0.001, 0));
    EXPECT_FALSE(g.locate(15, 0));
    EXPECT_DOUBLE_EQ(g.centre(4).x, 7.5);
    EXPECT_DOUBLE_EQ(g.centre(4).y, 7.5);
    EXPECT_THROW(grid::GridSpec::snapped({0, 0, 1, 1}, 0), ParameterError);
    EXPECT_THROW(grid::GridSpec::snapped(Extent{}, 1), ParameterError);
}
