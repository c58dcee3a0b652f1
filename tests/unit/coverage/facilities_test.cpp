// SPDX-License-Identifier: MIT
// Facility specs, radius rules and the radius priority of build_facilities.
#include "hotmap/coverage/facilities.hpp"
#include "hotmap/error.hpp"
#include "hotmap/geom/geometry.hpp"

#include <gtest/gtest.h>

using namespace hotmap;
using namespace hotmap::coverage;

namespace {
bool always(const std::string&) { return true; }
std::string pt(double x, double y) { return geom::Geometry::point(x, y).to_wkb(); }
} // namespace

TEST(FacilitySpec, PathWithAndWithoutRadius)
{
    FacilitySpec s = parse_facility_spec("posts.geojson:500");
    EXPECT_EQ(s.path, "posts.geojson");
    ASSERT_TRUE(s.radius_m);
    EXPECT_DOUBLE_EQ(*s.radius_m, 500);
    s = parse_facility_spec("dir/lamps.csv:37.5");
    EXPECT_EQ(s.path, "dir/lamps.csv");
    EXPECT_DOUBLE_EQ(*s.radius_m, 37.5);
    s = parse_facility_spec("posts.geojson");
    EXPECT_EQ(s.path, "posts.geojson");
    EXPECT_FALSE(s.radius_m);
    // a connection string keeps its colons
    s = parse_facility_spec("PG:dbname=city");
    EXPECT_EQ(s.path, "PG:dbname=city");
    EXPECT_FALSE(s.radius_m);
}

TEST(FacilitySpec, BadRadiusIsAnError)
{
    EXPECT_THROW(parse_facility_spec("posts.geojson:0"), ParameterError);
    EXPECT_THROW(parse_facility_spec("posts.geojson:-5"), ParameterError);
    EXPECT_THROW(parse_facility_spec("posts.geojson:abc", always), ParameterError);
    // without an existing file before the colon, the whole text is the path
    EXPECT_EQ(parse_facility_spec("posts.geojson:abc").path, "posts.geojson:abc");
}

TEST(RadiusRules, TypesAndDefault)
{
    const RadiusRules r = parse_radius_rules("lamp=40, post=500,station=800,250");
    ASSERT_EQ(r.by_type.size(), 3u);
    EXPECT_DOUBLE_EQ(r.by_type.at("lamp"), 40);
    EXPECT_DOUBLE_EQ(r.by_type.at("post"), 500);
    EXPECT_DOUBLE_EQ(r.by_type.at("station"), 800);
    ASSERT_TRUE(r.default_m);
    EXPECT_DOUBLE_EQ(*r.default_m, 250);
    EXPECT_DOUBLE_EQ(*parse_radius_rules("300").default_m, 300);
}

TEST(RadiusRules, BadSyntaxIsAnError)
{
    for (const char* bad : {"lamp=", "lamp=abc", "=40", "lamp=-5", "lamp=0", "lamp=40,lamp=50", "100,200", "lamp=40,,post=5", "lamp",
                            "", "lamp:40"})
        EXPECT_THROW(parse_radius_rules(bad), ParameterError) << bad;
}

TEST(BuildFacilities, RadiusPriorityFieldThenTypeThenLayerThenDefault)
{
    FacilityLayerInput a;
    a.name = "posts";
    a.wkb = {pt(0, 0), pt(1, 0), pt(2, 0), pt(3, 0)};
    a.types = {"lamp", "post", "tower", "lamp"};
    a.radius_values = {"", "", "", "75"};
    a.radius_m = 300;
    FacilityLayerInput b;
    b.name = "patrols";
    b.wkb = {geom::Geometry::linestring({{0, 0}, {10, 0}, {10, 10}}).to_wkb()};
    RadiusRules rules = parse_radius_rules("lamp=40,post=500,1000");
    const auto f = build_facilities({a, b}, rules);
    ASSERT_EQ(f.size(), 5u);
    EXPECT_DOUBLE_EQ(f[0].radius_m, 40);   // type rule
    EXPECT_DOUBLE_EQ(f[1].radius_m, 500);  // type rule beats layer radius
    EXPECT_DOUBLE_EQ(f[2].radius_m, 300);  // no rule for tower: layer radius
    EXPECT_DOUBLE_EQ(f[3].radius_m, 75);   // field beats everything
    EXPECT_DOUBLE_EQ(f[4].radius_m, 1000); // default rule
    EXPECT_EQ(f[4].type, "patrols");
    EXPECT_TRUE(f[4].is_line());
    EXPECT_FALSE(f[0].is_line());
    ASSERT_EQ(f[4].parts.size(), 1u);
    EXPECT_EQ(f[4].parts[0].size(), 3u);
    EXPECT_EQ(f[4].layer, 1);
    EXPECT_EQ(facility_types(f), (std::vector<std::string>{"lamp", "patrols", "post", "tower"}));
}

TEST(BuildFacilities, UnknownTypeWithoutRadiusIsAnError)
{
    FacilityLayerInput a;
    a.name = "facilities";
    a.wkb = {pt(0, 0), pt(1, 0)};
    a.types = {"post", "tower"};
    try {
        build_facilities({a}, parse_radius_rules("post=500"));
        FAIL() << "no error";
    } catch (const ParameterError& e) {
        EXPECT_NE(std::string(e.what()).find("type 'tower' with no radius"), std::string::npos) << e.what();
    }
    a.types.clear();
    EXPECT_THROW(build_facilities({a}, RadiusRules{}), ParameterError);
}

TEST(BuildFacilities, PolygonsAndBadRadiusValuesAreInputErrors)
{
    FacilityLayerInput a;
    a.name = "zones";
    a.radius_m = 10;
    a.wkb = {geom::Geometry::rectangle({0, 0, 1, 1}).to_wkb()};
    EXPECT_THROW(build_facilities({a}, {}), InputError);
    a.wkb = {pt(0, 0)};
    a.radius_values = {"ten"};
    EXPECT_THROW(build_facilities({a}, {}), InputError);
}

TEST(BuildFacilities, MultiPartGeometriesKeepEveryPart)
{
    FacilityLayerInput a;
    a.name = "mixed";
    a.radius_m = 10;
    a.wkb = {geom::Geometry::from_wkt("MULTIPOINT ((0 0), (5 5))").to_wkb(),
             geom::Geometry::from_wkt("MULTILINESTRING ((0 0, 1 0, 2 0), (10 10, 20 20))").to_wkb()};
    const auto f = build_facilities({a}, {});
    ASSERT_EQ(f.size(), 2u);
    ASSERT_EQ(f[0].parts.size(), 2u);
    EXPECT_EQ(f[0].parts[1].size(), 1u);
    EXPECT_DOUBLE_EQ(f[0].parts[1][0].x, 5);
    EXPECT_FALSE(f[0].is_line());
    ASSERT_EQ(f[1].parts.size(), 2u);
    EXPECT_EQ(f[1].parts[0].size(), 3u);
    EXPECT_DOUBLE_EQ(f[1].parts[1][1].y, 20);
    EXPECT_TRUE(f[1].is_line());
    EXPECT_EQ(f[1].feature, 2u);
}
