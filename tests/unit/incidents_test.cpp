// SPDX-License-Identifier: MIT
// Tests of accounting, filters, working-CRS choice and projection of incidents.
#include "hotmap/error.hpp"
#include "hotmap/incidents.hpp"
#include "hotmap/timeparse.hpp"

#include <gtest/gtest.h>

using namespace hotmap;

namespace {
Incident at(double x, double y, std::uint32_t row)
{
    Incident i;
    i.x = x;
    i.y = y;
    i.row = row;
    return i;
}
} // namespace

TEST(IncidentFilter, HoursWrapMidnight)
{
    IncidentFilter f;
    f.hour_from = 18;
    f.hour_to = 6;
    EXPECT_EQ(f.check(timeparse::from_civil(2024, 3, 1, 18, 0, 0)), nullptr);
    EXPECT_EQ(f.check(timeparse::from_civil(2024, 3, 1, 23, 59, 59)), nullptr);
    EXPECT_EQ(f.check(timeparse::from_civil(2024, 3, 2, 5, 59, 59)), nullptr);
    EXPECT_STREQ(f.check(timeparse::from_civil(2024, 3, 2, 6, 0, 0)), reason::f_hours);
    EXPECT_STREQ(f.check(timeparse::from_civil(2024, 3, 2, 12, 0, 0)), reason::f_hours);
    EXPECT_STREQ(f.check(k_no_time), reason::f_no_time);
}

TEST(IncidentFilter, FromInclusiveToExclusiveAndDays)
{
    IncidentFilter f;
    f.from = timeparse::from_civil(2024, 3, 1);
    f.to = timeparse::from_civil(2024, 3, 8);
    f.days = 1u << 4; // Friday only; 2024-03-01 was a Friday
    EXPECT_EQ(f.check(timeparse::from_civil(2024, 3, 1)), nullptr);
    EXPECT_STREQ(f.check(timeparse::from_civil(2024, 3, 2)), reason::f_days);
    EXPECT_STREQ(f.check(timeparse::from_civil(2024, 3, 8)), reason::f_time_window);
    EXPECT_STREQ(f.check(timeparse::from_civil(2024, 2, 29, 23, 59, 59)), reason::f_time_window);
}

TEST(Accounting, MergeKeepsBalance)
{
    Accounting a, b;
    a.read = 5;
    a.accepted = 3;
    a.reject("x", 2);
    b.read = 4;
    b.accepted = 1;
    b.filter("hours", 3);
    a.merge(b);
    EXPECT_EQ(a.read, 9u);
    EXPECT_TRUE(a.balanced());
    EXPECT_EQ(a.rejected_by["x"], 2u);
    EXPECT_EQ(a.filtered_by["hours"], 3u);
}

TEST(WorkingCrs, UtmZoneOfKalemieIs35South)
{
    IncidentSet s;
    s.crs = crs::Crs::epsg(4326);
    s.items = {at(29.19, -5.93, 2), at(29.20, -5.94, 3), at(-5.93, 29.19, 4)};
    const WorkingCrsChoice c = choose_working_crs({}, {}, s);
    EXPECT_EQ(c.crs.id(), "EPSG:32735");
}

TEST(WorkingCrs, PriorityUserThenDistrictsThenIncidents)
{
    IncidentSet s;
    s.crs = crs::Crs::epsg(32616);
    s.items = {at(500000, 4000000, 2)};
    EXPECT_EQ(choose_working_crs({}, {}, s).crs.id(), "EPSG:32616");
    EXPECT_EQ(choose_working_crs({}, crs::Crs::epsg(32617), s).crs.id(), "EPSG:32617");
    EXPECT_EQ(choose_working_crs(crs::Crs::epsg(3857), crs::Crs::epsg(32617), s).crs.id(), "EPSG:3857");
    EXPECT_THROW(choose_working_crs(crs::Crs::epsg(4326), {}, s), CrsError);
}

TEST(ProjectIncidents, RejectsSwappedAndOutsideWithReasons)
{
    IncidentSet s;
    s.crs = crs::Crs::epsg(4326);
    s.items = {at(29.19, -5.93, 2), at(-5.93, 29.19, 3), at(120.0, 45.0, 4)};
    s.accounting.read = 3;
    s.accounting.accepted = 3;
    project_incidents(s, crs::Crs::epsg(32735), true);
    ASSERT_EQ(s.items.size(), 1u);
    EXPECT_EQ(s.items[0].row, 2u);
    // 29.19E is 2.19 deg east of the zone's 27E central meridian: about 242 km east of 500000
    EXPECT_NEAR(s.items[0].x, 742455.0, 1.0);
    EXPECT_NEAR(s.items[0].y, 9344122.0, 2000.0);
    EXPECT_EQ(s.accounting.rejected_by[reason::swapped_lat_lon], 1u);
    EXPECT_EQ(s.accounting.rejected_by[reason::outside_crs_area], 1u);
    EXPECT_TRUE(s.accounting.balanced());
    ASSERT_EQ(s.rejects.size(), 2u);
    EXPECT_EQ(s.rejects[0].row, 3u);
}

// --sensitive below district level: the incidents of the sensitive categories leave the set
// (filtered, sensitive_category), so do the categories; the others are renumbered, order kept.
TEST(DropCategories, SensitiveIncidentsAndColumnsLeave)
{
    hotmap::IncidentSet s;
    s.categories = {"assault", "domestic violence", "sexual violence", "theft"};
    s.has_category = true;
    for (std::int32_t c : {0, 1, 2, 3, 1, -1, 3}) {
        hotmap::Incident p;
        p.category = c;
        p.row = static_cast<std::uint32_t>(s.items.size() + 2);
        s.items.push_back(p);
    }
    s.accounting.read = s.accounting.accepted = 7;
    EXPECT_EQ(hotmap::drop_categories(s, {"sexual_violence", "Domestic-Violence", "no such"}), 3u);
    EXPECT_EQ(s.categories, (std::vector<std::string>{"assault", "theft"}));
    ASSERT_EQ(s.items.size(), 4u);
    EXPECT_EQ(s.items[0].category, 0); // assault
    EXPECT_EQ(s.items[1].category, 1); // theft, renumbered from 3
    EXPECT_EQ(s.items[2].category, -1); // no category stays
    EXPECT_EQ(s.items[3].category, 1);
    EXPECT_EQ(s.items[1].row, 5u);
    EXPECT_EQ(s.accounting.accepted, 4u);
    EXPECT_EQ(s.accounting.filtered, 3u);
    EXPECT_EQ(s.accounting.filtered_by.at("sensitive_category"), 3u);
    EXPECT_EQ(s.accounting.accepted + s.accounting.filtered + s.accounting.rejected, s.accounting.read);
    EXPECT_EQ(hotmap::drop_categories(s, {"burglary"}), 0u); // nothing to drop: unchanged
    EXPECT_EQ(s.items.size(), 4u);
    EXPECT_TRUE(hotmap::same_category("sexual violence", "SEXUAL_VIOLENCE"));
    EXPECT_FALSE(hotmap::same_category("sexual violence", "sexual violenc"));
    EXPECT_TRUE(hotmap::same_category("vol à main armée", "vol à main armée"));
}
