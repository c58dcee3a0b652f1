// SPDX-License-Identifier: MIT
// Parse-only tests of `hotmap coverage` options.
#include "command.hpp"
#include "registry.hpp"

#include "hotmap/error.hpp"

#include <gtest/gtest.h>

#include <functional>

using namespace hotmap::cli;

namespace {
/// What main() reports with exit code 2: a usage error or a parameter error.
bool usage(const std::function<void()>& fn)
{
    try {
        fn();
    } catch (const UsageError&) {
        return true;
    } catch (const hotmap::ParameterError&) {
        return true;
    } catch (...) {
        return false;
    }
    return false;
}
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
    EXPECT_TRUE(usage([] { parse({}); }));                                                   // no --facilities
    EXPECT_TRUE(usage([] { parse({"--facilities", "f.geojson", "--radius", "lamp=abc"}); }));
    EXPECT_TRUE(usage([] { parse({"--facilities", "f.geojson", "--radius", "lamp=40,lamp=50"}); }));
    EXPECT_TRUE(usage([] { parse({"--facilities", "f.geojson:0"}); }));
    EXPECT_TRUE(usage([] { parse({"--facilities", "f.geojson:1", "--gaps", "g.geojson"}); })); // needs --districts
    EXPECT_TRUE(usage([] { parse({"--facilities", "f.geojson:1", "-o", "o.gpkg"}); }));
    EXPECT_TRUE(usage([] { parse({"--facilities", "f.geojson:1", "-d", "d.geojson", "--distance-raster", "d.png"}); }));
    EXPECT_TRUE(usage([] { parse({"--facilities", "f.geojson:1", "-d", "d.geojson", "--gaps", "x.geojson", "-o", "x.geojson"}); }));
    EXPECT_TRUE(usage([] { parse({"--facilities", "f.geojson:1", "-d", "d.geojson", "--cell", "0", "--distance-raster", "d.tif"}); }));
    EXPECT_TRUE(usage([] { parse({"--facilities", "f.geojson:1", "--min-gap-area", "-1"}); }));
    EXPECT_THROW(parse({"--facilities", "f.geojson:1", "--incident-output", "i.xyz"}), hotmap::ParameterError);
}
