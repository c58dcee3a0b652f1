// SPDX-License-Identifier: MIT
// Tests of timestamp parsing, layout detection and calendar helpers.
#include "hotmap/error.hpp"
#include "hotmap/timeparse.hpp"

#include <gtest/gtest.h>

using namespace hotmap;
using namespace hotmap::timeparse;

TEST(Timeparse, CivilRoundTripAndWeekday)
{
    EXPECT_EQ(from_civil(1970, 1, 1), 0);
    EXPECT_EQ(from_civil(2000, 3, 1), 951868800);
    const Civil c = to_civil(from_civil(2024, 2, 29, 13, 45, 7));
    EXPECT_EQ(c.year, 2024);
    EXPECT_EQ(c.month, 2);
    EXPECT_EQ(c.day, 29);
    EXPECT_EQ(c.hour, 13);
    EXPECT_EQ(c.minute, 45);
    EXPECT_EQ(c.second, 7);
    EXPECT_EQ(c.weekday, 3); // Thursday
    EXPECT_EQ(to_civil(from_civil(1969, 12, 31, 23, 0, 0)).weekday, 2);
    EXPECT_EQ(format(from_civil(2019, 1, 1, 1, 30, 0)), "2019-01-01 01:30:00");
}

TEST(Timeparse, IsoForms)
{
    const Parser p(Layout::iso);
    const Timestamp t = from_civil(2019, 7, 4, 15, 30, 0);
    EXPECT_EQ(p.parse("2019-07-04 15:30:00"), t);
    EXPECT_EQ(p.parse("2019-07-04T15:30:00Z"), t);
    EXPECT_EQ(p.parse("2019-07-04T15:30:00.250+02:00"), t);
    EXPECT_EQ(p.parse("2019-07-04 15:30"), t);
    EXPECT_EQ(p.parse("2019/07/04 15:30"), t);
    EXPECT_EQ(p.parse("2019-07-04"), from_civil(2019, 7, 4));
    EXPECT_FALSE(p.parse("2019-02-30"));
    EXPECT_FALSE(p.parse("2019-07-04 25:00"));
    EXPECT_FALSE(p.parse("yesterday"));
}

TEST(Timeparse, SlashLayoutsAndAmPm)
{
    EXPECT_EQ(Parser(Layout::mdy).parse("07/04/2019 03:30:00 PM"), from_civil(2019, 7, 4, 15, 30, 0));
    EXPECT_EQ(Parser(Layout::mdy).parse("07/04/2019 12:10 AM"), from_civil(2019, 7, 4, 0, 10, 0));
    EXPECT_EQ(Parser(Layout::dmy).parse("04/07/2019 15:30"), from_civil(2019, 7, 4, 15, 30, 0));
    EXPECT_EQ(Parser(Layout::dmy).parse("04.07.2019"), from_civil(2019, 7, 4));
}

TEST(Timeparse, DetectDayMonthOrder)
{
    EXPECT_EQ(detect({"01/02/2024", "13/02/2024"}, "d").layout(), Layout::dmy);
    EXPECT_EQ(detect({"01/02/2024", "02/13/2024"}, "d").layout(), Layout::mdy);
    EXPECT_EQ(detect({"2024-01-02 10:00"}, "d").layout(), Layout::iso);
    EXPECT_THROW(detect({"01/02/2024", "03/04/2024"}, "d"), InputError);
}

TEST(Timeparse, StrptimeFormat)
{
    const Parser p(Layout::strptime_format, "%d %b %Y %Hh%M");
    EXPECT_EQ(p.parse("04 Jul 2019 15h30"), from_civil(2019, 7, 4, 15, 30, 0));
    EXPECT_FALSE(p.parse("04 Jul 2019"));
    // %z: real offsets only (glibc alone would take +30 hours); found by fuzzing
    const Parser z(Layout::strptime_format, "%Y-%m-%dT%H:%M:%S%z");
    ASSERT_TRUE(z.parse_full("2024-03-01T22:15:00+0200"));
    EXPECT_EQ(*z.parse_full("2024-03-01T22:15:00+0200")->utc_offset_s, 7200);
    EXPECT_TRUE(z.parse_full("2024-03-01T22:15:00-1859"));
    EXPECT_FALSE(z.parse_full("2024-03-01T22:15:00+30"));
    EXPECT_FALSE(z.parse_full("2024-03-01T22:15:00+1900"));
}
