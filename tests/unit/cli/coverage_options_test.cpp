// SPDX-License-Identifier: MIT
// Parse-only tests of `hotmap coverage` options.
#include "command.hpp"
#include "registry.hpp"

#include "hotmap/error.hpp"

#include <gtest/gtest.h>

using namespace hotmap::cli;

namespace {
void parse(std::vector<std::string> extra)
{
    std::vector<std::string> args{"-i", "a.csv"};
    args.insert(args.end(), extra.begin(), extra.end());
    find_command("coverage")->make()->parse_only(args);
}
} // namespace

TEST(CoverageOptions, ValidCombinations)
{
    EXPECT_NO_THROW(parse({"--facilities", "posts.geojson:500"}));
    EXPECT_NO_THROW(parse({"--facilities", "f.geojson", "--facilities", "p.geojson:150", "--facility-type", "type", "--radius",
                           "lamp=40,post=500", "--radius", "800", "-d", "d.geojson", "-o", "o.gpkg", "--gaps", "g.geojson",
                           "--covered-area", "c.shp", "--distance-raster", "d.tif", "--cell", "25", "--min-gap-area", "100",
                           "--incident-output", "i.csv", "--hours", "18-6"}));
}

TEST(CoverageOptions, UsageErrors)
{
    EXPECT_THROW(parse({}), UsageError);                                                   // no --facilities
    EXPECT_THROW(parse({"--facilities", "f.geojson", "--radius", "lamp=abc"}), UsageError);
    EXPECT_THROW(parse({"--facilities", "f.geojson", "--radius", "lamp=40,lamp=50"}), UsageError);
    EXPECT_THROW(parse({"--facilities", "f.geojson:0"}), UsageError);
    EXPECT_THROW(parse({"--facilities", "f.geojson:1", "--gaps", "g.geojson"}), UsageError); // needs --districts
    EXPECT_THROW(parse({"--facilities", "f.geojson:1", "-o", "o.gpkg"}), UsageError);
    EXPECT_THROW(parse({"--facilities", "f.geojson:1", "-d", "d.geojson", "--distance-raster", "d.png"}), UsageError);
    EXPECT_THROW(parse({"--facilities", "f.geojson:1", "-d", "d.geojson", "--gaps", "x.geojson", "-o", "x.geojson"}), UsageError);
    EXPECT_THROW(parse({"--facilities", "f.geojson:1", "-d", "d.geojson", "--cell", "0", "--distance-raster", "d.tif"}), UsageError);
    EXPECT_THROW(parse({"--facilities", "f.geojson:1", "--min-gap-area", "-1"}), UsageError);
    EXPECT_THROW(parse({"--facilities", "f.geojson:1", "--incident-output", "i.xyz"}), hotmap::ParameterError);
}
