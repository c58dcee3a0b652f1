// SPDX-License-Identifier: MIT
// Tests of the PROJ-backed Crs and Transformer.
#include "hotmap/crs/crs.hpp"
#include "hotmap/error.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

using namespace hotmap;

TEST(Crs, ParsesEpsgWktAndProjStrings)
{
    const crs::Crs a = crs::Crs::from_user("EPSG:32735");
    EXPECT_EQ(a.id(), "EPSG:32735");
    EXPECT_FALSE(a.is_geographic());
    const crs::Crs b = crs::Crs::from_user(a.wkt());
    EXPECT_TRUE(a.same_as(b));
    const crs::Crs c = crs::Crs::from_user("+proj=utm +zone=35 +south +datum=WGS84 +units=m +no_defs");
    EXPECT_TRUE(a.same_as(c));
    EXPECT_TRUE(crs::Crs::epsg(4326).is_geographic());
}

TEST(Crs, UnknownDefinitionThrows)
{
    EXPECT_THROW(crs::Crs::from_user("EPSG:999999"), CrsError);
    EXPECT_THROW(crs::Crs::from_user("not a crs"), CrsError);
}

TEST(Crs, PrjFileIsIdentified)
{
    HOTMAP_REQUIRE_SHARED(prj, "realdata/memphis_robberies_2019/EPSG_32616.prj");
    EXPECT_EQ(crs::Crs::from_user(prj).id(), "EPSG:32616");
}

TEST(Transformer, LonLatToUtmMatchesMemphisReference)
{
    // incidents.csv row 1: lon -89.942 lat 35.149 -> x 231985.162 y 3893530.255 (PROJ 9.1, 1 mm)
    crs::Transformer t(crs::Crs::epsg(4326), crs::Crs::epsg(32616));
    const auto p = t.transform(-89.942, 35.149);
    ASSERT_TRUE(p);
    EXPECT_NEAR(p->first, 231985.162, 0.002);
    EXPECT_NEAR(p->second, 3893530.255, 0.002);
}

TEST(Transformer, AreaOfUseOfUtmZone)
{
    const crs::Crs utm = crs::Crs::epsg(32735);
    EXPECT_TRUE(utm.area_of_use().contains(27.0, -6.0));
    EXPECT_FALSE(utm.area_of_use().contains(-5.93, 29.19, 2.0));
}
