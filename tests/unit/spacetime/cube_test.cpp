// SPDX-License-Identifier: MIT
// Time steps (calendar periods and fixed steps, partial steps) and the space-time cube.
#include "hotmap/spacetime/cube.hpp"

#include "hotmap/error.hpp"
#include "hotmap/timeparse.hpp"

#include <gtest/gtest.h>

using namespace hotmap;
using hotmap::timeparse::from_civil;

TEST(Steps, MonthsAlignedToTheCalendarWithAPartialLastMonth)
{
    // data from 2024-01-03 10:00 to 2024-04-17 08:00: Jan..Apr, April covered up to the 18th
    const spacetime::StepSpec spec; // month
    const spacetime::Steps s = spacetime::make_steps(spec, from_civil(2024, 1, 3, 10), from_civil(2024, 4, 17, 8), {}, {}, false);
    ASSERT_EQ(s.size(), 4u);
    EXPECT_EQ(s.start[0], from_civil(2024, 1, 1));
    EXPECT_EQ(s.start[1], from_civil(2024, 2, 1));
    EXPECT_EQ(s.start[4], from_civil(2024, 5, 1));
    EXPECT_EQ(s.label(1), "2024-02");
    EXPECT_TRUE(s.first_partial); // the data start on the 3rd
    EXPECT_TRUE(s.last_partial);
    EXPECT_EQ(s.covered_to, from_civil(2024, 4, 18));
    EXPECT_EQ(s.index(from_civil(2024, 2, 29, 23, 59, 59)), 1);
    EXPECT_EQ(s.index(from_civil(2024, 3, 1)), 2);
    EXPECT_EQ(s.index(from_civil(2023, 12, 31, 23)), -1);
    EXPECT_EQ(s.index(from_civil(2024, 5, 1)), -1);
    // --drop-partial removes both ends
    const spacetime::Steps d = spacetime::make_steps(spec, from_civil(2024, 1, 3, 10), from_civil(2024, 4, 17, 8), {}, {}, true);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(d.dropped, 2);
    EXPECT_EQ(d.label(0), "2024-02");
    EXPECT_FALSE(d.first_partial || d.last_partial);
}

TEST(Steps, AWholeLastDayMakesTheLastMonthComplete)
{
    // dates without a time: the last incident on 2012-12-31 covers December to its end
    const spacetime::Steps s = spacetime::make_steps({}, from_civil(2012, 7, 1), from_civil(2012, 12, 31), {}, {}, false);
    EXPECT_EQ(s.size(), 6u);
    EXPECT_FALSE(s.first_partial);
    EXPECT_FALSE(s.last_partial);
}

TEST(Steps, FromAndToSetTheSpan)
{
    const spacetime::Steps s = spacetime::make_steps({}, from_civil(2024, 1, 3), from_civil(2024, 12, 30), from_civil(2024, 3, 1),
                                                     from_civil(2024, 6, 1), false);
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(s.label(0), "2024-03");
    EXPECT_EQ(s.label(2), "2024-05");
    EXPECT_FALSE(s.first_partial || s.last_partial);
}

TEST(Steps, FixedStepsFromTheFirstDay)
{
    const spacetime::StepSpec spec = spacetime::parse_step("14d");
    EXPECT_EQ(spec.step_s, 14 * 86400);
    // 2024-01-01 .. 2024-02-10: 41 days -> 3 steps of 14 days, the last partial (13 of 14 days)
    const spacetime::Steps s = spacetime::make_steps(spec, from_civil(2024, 1, 1, 9), from_civil(2024, 2, 10, 22), {}, {}, false);
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(s.start[0], from_civil(2024, 1, 1));
    EXPECT_EQ(s.start[3], from_civil(2024, 2, 12));
    EXPECT_TRUE(s.last_partial);
    EXPECT_EQ(s.label(1), "2024-01-15");
    EXPECT_EQ(spacetime::parse_step("2w").step_s, 14 * 86400);
    EXPECT_EQ(spacetime::parse_step("12h").step_s, 12 * 3600);
    for (const char* bad : {"", "d", "0d", "-3d", "14", "14m", "1.5d", "14 d"}) EXPECT_THROW(spacetime::parse_step(bad), ParameterError) << bad;
}

TEST(Steps, TooFewOrTooManyStepsAreRefused)
{
    EXPECT_THROW(spacetime::make_steps({}, from_civil(2024, 3, 2), from_civil(2024, 3, 20), {}, {}, false), InputError); // one month
    spacetime::StepSpec day;
    day.period = districts::Period::day;
    EXPECT_THROW(spacetime::make_steps(day, from_civil(1990, 1, 1), from_civil(2024, 1, 1), {}, {}, false), InputError); // 12,418 days
}

TEST(Cube, CountsAndWeightsPerLocationAndStep)
{
    const spacetime::Steps s = spacetime::make_steps({}, from_civil(2024, 1, 1), from_civil(2024, 3, 31), {}, {}, false);
    const std::vector<std::int64_t> loc{0, 0, 1, 1, 1, -1, 2};
    const std::vector<Timestamp> t{from_civil(2024, 1, 5), from_civil(2024, 1, 6), from_civil(2024, 2, 1), from_civil(2024, 3, 31, 23),
                                   from_civil(2024, 3, 1), from_civil(2024, 2, 2), from_civil(2025, 1, 1)};
    const std::vector<double> w{1, 2, 1, 1, 4, 1, 1};
    const spacetime::Cube c = spacetime::make_cube(loc, t, w, true, 3, s);
    ASSERT_EQ(c.steps, 3u);
    EXPECT_EQ(c.at(0, 0), 3.0);
    EXPECT_EQ(c.count[0 * 3 + 0], 2u);
    EXPECT_EQ(c.at(1, 1), 1.0);
    EXPECT_EQ(c.at(1, 2), 5.0);
    EXPECT_EQ(c.count[1 * 3 + 2], 2u);
    EXPECT_EQ(c.no_location, 1u);
    EXPECT_EQ(c.outside_steps, 1u);
    double total = 0;
    for (double v : c.value) total += v;
    EXPECT_EQ(total, 1 + 2 + 1 + 1 + 4); // every incident is in the cube or counted out
}
