// SPDX-License-Identifier: MIT
// `hotmap districts --by hour-of-week|month`: counts per hour of the week and per calendar
// month on a tiny CSV with known times (tests/data/week_times.csv in tests/data/two_squares.geojson).
#include "hotmap/districts/summary.hpp"
#include "hotmap/error.hpp"
#include "hotmap/log.hpp"
#include "hotmap/pipeline/districts.hpp"
#include "hotmap/timeparse.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <variant>

using namespace hotmap;

namespace {

pipeline::Inputs week_inputs(const std::string& time_field = "")
{
    pipeline::InputParams ip;
    ip.incidents.path = test::data("week_times.csv");
    ip.incidents.crs = "EPSG:32735";
    ip.incidents.time_field = time_field;
    ip.districts.path = test::data("two_squares.geojson");
    ip.threads = 1;
    NullLog log;
    return pipeline::load(ip, log);
}

std::int64_t field(const io::VectorLayer& l, std::size_t row, const std::string& name)
{
    for (std::size_t i = 0; i < l.fields.size(); ++i)
        if (l.fields[i].name == name) return std::get<std::int64_t>(l.rows.at(row).at(i));
    ADD_FAILURE() << "no field " << name;
    return -1;
}

std::size_t how(const char* day, int hour)
{
    static const char* days[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    for (std::size_t d = 0; d < 7; ++d)
        if (std::string(days[d]) == day) return d * 24 + static_cast<std::size_t>(hour);
    return 999;
}

} // namespace

TEST(TimeProfile, HourOfWeekIndexAndLabels)
{
    // 2024-01-01 was a Monday
    EXPECT_EQ(districts::hour_of_week(timeparse::from_civil(2024, 1, 1, 0, 30)), 0u);
    EXPECT_EQ(districts::hour_of_week(timeparse::from_civil(2024, 1, 7, 23, 59)), 167u);
    EXPECT_EQ(districts::hour_of_week(timeparse::from_civil(2024, 3, 13, 14, 10)), 2u * 24 + 14);
    EXPECT_EQ(districts::hour_of_week(timeparse::from_civil(1969, 12, 31, 5, 0)), 2u * 24 + 5); // a Wednesday before the epoch
    EXPECT_EQ(districts::hour_of_week_label(0), "mon_00");
    EXPECT_EQ(districts::hour_of_week_label(2 * 24 + 14), "wed_14");
    EXPECT_EQ(districts::hour_of_week_label(167), "sun_23");
}

TEST(TimeProfile, CountsPerDistrictAndInTotal)
{
    const pipeline::Inputs in = week_inputs();
    pipeline::DistrictsParams p;
    pipeline::parse_by("hour-of-week,month", p);
    MemoryLog log;
    const pipeline::DistrictsResult r = pipeline::summarise_districts(p, in, log);
    const districts::Summary& s = r.summary;
    ASSERT_EQ(s.rows.size(), 2u);
    const auto& west = s.rows[0].by_hour_of_week;
    const auto& east = s.rows[1].by_hour_of_week;
    ASSERT_EQ(west.size(), 168u);
    // West: Monday 00:30 and Monday 00:00 a week later, Sunday 23:59, and the boundary incident
    // (Saturday 12:00) that counts in both districts
    EXPECT_EQ(west[how("mon", 0)], 2u);
    EXPECT_EQ(west[how("sun", 23)], 1u);
    EXPECT_EQ(west[how("sat", 12)], 1u);
    std::uint64_t sum = 0;
    for (auto c : west) sum += c;
    EXPECT_EQ(sum, 4u);
    // East: Wednesday 14:10 (2024-03-13), Saturday 08:00 (2025-03-01), the boundary incident;
    // the incident without a time is in no column
    EXPECT_EQ(east[how("wed", 14)], 1u);
    EXPECT_EQ(east[how("sat", 8)], 1u);
    EXPECT_EQ(east[how("sat", 12)], 1u);
    sum = 0;
    for (auto c : east) sum += c;
    EXPECT_EQ(sum, 3u);
    EXPECT_EQ(s.rows[1].incidents, 4u); // it still counts as an incident
    // months across years: West January 3, June 1; East March 2 (2024 and 2025), June 1
    EXPECT_EQ(s.rows[0].by_month, (std::vector<std::uint64_t>{3, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}));
    EXPECT_EQ(s.rows[1].by_month, (std::vector<std::uint64_t>{0, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0}));
    // totals: each incident in a district once (the boundary one too), the one outside none
    EXPECT_EQ(s.total_hour_of_week[how("mon", 0)], 2u);
    EXPECT_EQ(s.total_hour_of_week[how("sat", 12)], 1u);
    sum = 0;
    for (auto c : s.total_hour_of_week) sum += c;
    EXPECT_EQ(sum, 6u);
    EXPECT_EQ(s.total_month, (std::vector<std::uint64_t>{3, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0}));
    EXPECT_EQ(s.no_time, 1u);
    // the layer: h_mon_00 .. h_sun_23 then m_01 .. m_12
    EXPECT_EQ(field(r.layer, 0, "h_mon_00"), 2);
    EXPECT_EQ(field(r.layer, 1, "h_wed_14"), 1);
    EXPECT_EQ(field(r.layer, 1, "h_sun_23"), 0);
    EXPECT_EQ(field(r.layer, 0, "m_01"), 3);
    EXPECT_EQ(field(r.layer, 1, "m_03"), 2);
    // and a warning about the incident without a time
    bool warned = false;
    for (const auto& w : log.warnings) warned = warned || w.find("1 incident(s) have no time") != std::string::npos;
    EXPECT_TRUE(warned);
}

TEST(TimeProfile, ParseBy)
{
    pipeline::DistrictsParams p;
    pipeline::parse_by("month", p);
    EXPECT_TRUE(p.by_month);
    EXPECT_FALSE(p.by_hour_of_week);
    pipeline::parse_by("none", p);
    EXPECT_FALSE(p.by_month);
    EXPECT_THROW(pipeline::parse_by("hour", p), ParameterError);
}

TEST(TimeProfile, NeedsATimeColumn)
{
    const pipeline::Inputs in = week_inputs("-");
    pipeline::DistrictsParams p;
    p.by_month = true;
    NullLog log;
    EXPECT_THROW(pipeline::summarise_districts(p, in, log), ParameterError);
}
