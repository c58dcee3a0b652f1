// SPDX-License-Identifier: MIT
// GeoTIFF round trip: values, orientation (row 0 = south), geotransform, CRS, nodata.
#include "hotmap/io/raster.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

using namespace hotmap;

TEST(Raster, RoundTripKeepsGridAndValues)
{
    io::RasterOut r;
    r.grid = grid::GridSpec::snapped({500010, 9340020, 500240, 9340110}, 50);
    r.grid.crs = crs::Crs::epsg(32735);
    ASSERT_EQ(r.grid.ncol, 5u);
    ASSERT_EQ(r.grid.nrow, 3u);
    for (std::size_t i = 0; i < r.grid.size(); ++i) r.values.push_back(static_cast<float>(i));
    r.nodata = -1;
    const std::string path = test::out_dir("raster") + "/r.tif";
    io::write_geotiff(r, path, false);
    const io::RasterOut back = io::read_raster(path);
    EXPECT_EQ(back.grid.ncol, 5u);
    EXPECT_EQ(back.grid.nrow, 3u);
    EXPECT_DOUBLE_EQ(back.grid.x0, 500000);
    EXPECT_DOUBLE_EQ(back.grid.y0, 9340000);
    EXPECT_DOUBLE_EQ(back.grid.cell, 50);
    EXPECT_TRUE(back.grid.crs.same_as(r.grid.crs));
    ASSERT_TRUE(back.nodata);
    EXPECT_EQ(*back.nodata, -1.0f);
    EXPECT_EQ(back.values, r.values); // row 0 = south both ways
}
