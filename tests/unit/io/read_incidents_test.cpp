// SPDX-License-Identifier: MIT
// Tests of the CSV and OGR incident readers: columns, formats, reject reasons, line numbers.
#include "hotmap/error.hpp"
#include "hotmap/io/read_incidents.hpp"
#include "hotmap/timeparse.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

using namespace hotmap;

namespace {
IncidentSet read(const std::string& path, io::IncidentSource src = {}, IncidentFilter f = {})
{
    src.path = path;
    src.keep_rejects = true;
    return io::read_incidents(src, f);
}
} // namespace

TEST(ReadIncidents, LonLatCsvWithTimeCategoryWeight)
{
    io::IncidentSource src;
    src.weight_field = "weight";
    const IncidentSet s = read(test::data("small_lonlat.csv"), src);
    EXPECT_EQ(s.accounting.read, 5u);
    EXPECT_EQ(s.accounting.accepted, 5u);
    EXPECT_TRUE(s.crs.is_geographic());
    EXPECT_EQ(s.resolved_x, "lon");
    EXPECT_EQ(s.resolved_time, "datetime");
    ASSERT_EQ(s.categories, (std::vector<std::string>{"assault", "burglary", "theft"}));
    ASSERT_EQ(s.items.size(), 5u);
    EXPECT_DOUBLE_EQ(s.items[1].x, 29.191);
    EXPECT_DOUBLE_EQ(s.items[1].weight, 2);
    EXPECT_EQ(s.items[1].category, 1);
    EXPECT_EQ(s.items[0].row, 2u); // header is line 1
    EXPECT_EQ(s.items[0].time, timeparse::from_civil(2024, 3, 1, 22, 15, 0));
    EXPECT_EQ(s.items[4].time, k_no_time); // empty time is missing, not rejected
}

TEST(ReadIncidents, DirtyRowsRejectedWithReasonsAndLines)
{
    const IncidentSet s = read(test::data("dirty.csv"));
    EXPECT_EQ(s.accounting.read, 8u);
    EXPECT_EQ(s.accounting.accepted, 3u);
    EXPECT_TRUE(s.accounting.balanced());
    const auto& r = s.accounting.rejected_by;
    EXPECT_EQ(r.at(reason::missing_coordinate), 1u);
    EXPECT_EQ(r.at(reason::unparseable_number), 1u);
    EXPECT_EQ(r.at(reason::null_island), 1u);
    EXPECT_EQ(r.at(reason::unparseable_time), 1u);
    EXPECT_EQ(r.at(reason::out_of_range), 1u);
    // row 2 has lon -5.93 lat 29.19: valid lon/lat, caught later by the working CRS's area
    ASSERT_EQ(s.rejects.size(), 5u);
    EXPECT_EQ(s.rejects[0].row, 4u);
    EXPECT_EQ(s.rejects[0].reason, reason::missing_coordinate);
    EXPECT_EQ(s.rejects[0].raw, "3,2024-03-02 09:00:00,,-5.93,theft");
}

TEST(ReadIncidents, StrictThrowsNamingLineAndColumn)
{
    io::IncidentSource src;
    src.strict = true;
    try {
        read(test::data("dirty.csv"), src);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("line 4, column 'lon/lat'"), std::string::npos) << e.what();
    }
}

TEST(ReadIncidents, SemicolonDecimalCommaDayMonth)
{
    io::IncidentSource src;
    src.crs = "EPSG:32735";
    const IncidentSet s = read(test::data("semicolon_dmy.csv"), src);
    ASSERT_EQ(s.items.size(), 2u);
    EXPECT_DOUBLE_EQ(s.items[0].x, 500100.5);
    EXPECT_DOUBLE_EQ(s.items[0].y, 9340200.25);
    EXPECT_EQ(s.items[0].time, timeparse::from_civil(2024, 2, 1, 10, 0, 0));
    EXPECT_EQ(s.items[1].time, timeparse::from_civil(2024, 2, 13, 23, 0, 0));
}

TEST(ReadIncidents, BomTabQuotedCategory)
{
    io::IncidentSource src;
    src.category_field = "type";
    const IncidentSet s = read(test::data("bom_tab.csv"), src);
    ASSERT_EQ(s.items.size(), 2u);
    EXPECT_EQ(s.resolved_x, "Longitude");
    ASSERT_EQ(s.categories.size(), 2u);
    EXPECT_EQ(s.categories[0], "a \"quoted\" type");
}

TEST(ReadIncidents, WktColumn)
{
    io::IncidentSource src;
    src.crs = "EPSG:32735";
    const IncidentSet s = read(test::data("wkt.csv"), src);
    EXPECT_EQ(s.accounting.accepted, 2u);
    EXPECT_EQ(s.accounting.rejected_by.at(reason::null_geometry), 1u);
    EXPECT_EQ(s.accounting.rejected_by.at(reason::not_a_point), 1u);
    EXPECT_DOUBLE_EQ(s.items[1].y, 9340400);
}

TEST(ReadIncidents, ClearErrorsForBadFiles)
{
    EXPECT_THROW(read(test::data("does_not_exist.csv")), InputError);
    EXPECT_THROW(read(test::data("empty.csv")), InputError);
    EXPECT_THROW(read(test::data("header_only.csv")), InputError);
    EXPECT_THROW(read(test::data("binary.csv")), InputError);
    EXPECT_THROW(read(test::data("xy_nocrs.csv")), CrsError);
    try {
        read(test::data("no_coords.csv"));
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("no coordinate columns"), std::string::npos);
    }
    io::IncidentSource src;
    src.x_field = "nope";
    src.y_field = "lat";
    EXPECT_THROW(read(test::data("small_lonlat.csv"), src), InputError);
}

TEST(ReadIncidents, FiltersCountedNotRejected)
{
    IncidentFilter f;
    f.hour_from = 18;
    f.hour_to = 6;
    const IncidentSet s = read(test::data("small_lonlat.csv"), {}, f);
    EXPECT_EQ(s.accounting.accepted, 3u); // 22:15, 23:59, 02:30
    EXPECT_EQ(s.accounting.filtered_by.at(reason::f_hours), 1u);
    EXPECT_EQ(s.accounting.filtered_by.at(reason::f_no_time), 1u);
    EXPECT_TRUE(s.accounting.balanced());
}

TEST(ReadIncidents, GeoJsonPointsThroughOgr)
{
    const IncidentSet s = read(test::data("points.geojson"));
    EXPECT_EQ(s.accounting.read, 3u);
    EXPECT_EQ(s.accounting.accepted, 2u);
    EXPECT_EQ(s.accounting.rejected_by.at(reason::null_geometry), 1u);
    EXPECT_TRUE(s.crs.is_geographic());
    EXPECT_EQ(s.categories, (std::vector<std::string>{"assault", "theft"}));
}

TEST(ReadIncidents, WhereFilterCountsFilteredRows)
{
    io::IncidentSource src;
    src.where = "category = 'theft'";
    const IncidentSet s = read(test::data("small_lonlat.csv"), src);
    EXPECT_EQ(s.accounting.read, 5u);
    EXPECT_EQ(s.accounting.accepted, 3u);
    EXPECT_EQ(s.accounting.filtered_by.at(reason::f_where), 2u);
}

TEST(ReadIncidents, ParallelReadEqualsSerialRead)
{
    // > 8 MiB so the reader splits it across threads; rows with known defects sprinkled in.
    const std::string dir = test::out_dir("parallel_read");
    const std::string path = dir + "/big.csv";
    {
        std::ofstream f(path);
        f << "id,lon,lat,datetime,category\n";
        char buf[160];
        for (int i = 0; i < 200000; ++i) {
            if (i % 997 == 5) {
                f << i << ",x,-5.9,2024-01-01 00:00:00,bad\n";
                continue;
            }
            std::snprintf(buf, sizeof buf, "%d,%.6f,%.6f,2024-%02d-%02d %02d:%02d:00,cat_%d_with_a_long_name_for_bytes\n", i,
                          29.1 + (i % 1000) * 1e-4, -5.9 - (i / 1000) * 1e-4, 1 + i % 12, 1 + i % 28, i % 24, i % 60, i % 7);
            f << buf;
        }
    }
    io::IncidentSource a;
    a.threads = 1;
    a.keep_rejects = true;
    a.path = path;
    io::IncidentSource b = a;
    b.threads = 4;
    const IncidentSet s1 = io::read_incidents(a, {});
    const IncidentSet s4 = io::read_incidents(b, {});
    ASSERT_EQ(s1.items.size(), s4.items.size());
    EXPECT_EQ(s1.accounting.read, 200000u);
    EXPECT_EQ(s1.accounting.rejected, s4.accounting.rejected);
    EXPECT_EQ(s1.categories, s4.categories);
    for (std::size_t i = 0; i < s1.items.size(); ++i) {
        ASSERT_EQ(s1.items[i].row, s4.items[i].row);
        ASSERT_EQ(s1.items[i].x, s4.items[i].x);
        ASSERT_EQ(s1.items[i].time, s4.items[i].time);
        ASSERT_EQ(s1.items[i].category, s4.items[i].category);
    }
    ASSERT_EQ(s1.rejects.size(), s4.rejects.size());
    EXPECT_EQ(s1.rejects.back().row, s4.rejects.back().row);
    EXPECT_EQ(s1.rejects[0].row, 7u); // id 5 is on line 7
}
