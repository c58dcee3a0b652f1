// SPDX-License-Identifier: MIT
// Districts summary on a hand-made two-square layout: counts, boundary rule, rates, ranks, periods.
#include "hotmap/districts/summary.hpp"
#include "hotmap/error.hpp"
#include "hotmap/io/read_incidents.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/timeparse.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace hotmap;

namespace {
districts::DistrictSet two_squares()
{
    const io::PolygonLayer p = io::read_polygons({test::data("two_squares.geojson"), "", "", "population", ""}, crs::Crs());
    std::vector<std::string> warnings;
    return districts::from_wkb(p.wkb, p.names, p.population, warnings);
}
IncidentSet square_points()
{
    io::IncidentSource src;
    src.path = test::data("squares_points.csv");
    src.crs = "EPSG:32735";
    return io::read_incidents(src, {});
}
} // namespace

TEST(DistrictsSummary, CountsBoundaryRatesRanks)
{
    const auto d = two_squares();
    const IncidentSet s = square_points();
    districts::SummaryParams p;
    p.period = districts::Period::month;
    const districts::Summary sum = districts::summarise(d, s, p);
    ASSERT_EQ(sum.rows.size(), 2u);
    // West: points 1, 2, 3 (shared edge), 7 (outer corner); East: 3, 4, 5; point 6 outside.
    EXPECT_EQ(sum.rows[0].incidents, 4u);
    EXPECT_EQ(sum.rows[1].incidents, 3u);
    EXPECT_EQ(sum.outside, 1u);
    EXPECT_EQ(sum.multiple, 1u);
    EXPECT_DOUBLE_EQ(sum.rows[0].area_km2, 1.0);
    EXPECT_DOUBLE_EQ(sum.rows[0].per_km2, 4.0);
    EXPECT_DOUBLE_EQ(sum.rows[1].per_1k_pop, 1.5);
    EXPECT_NEAR(sum.rows[0].share_pct, 100.0 * 4 / 7, 1e-12);
    EXPECT_EQ(sum.rows[0].rank, 1);
    EXPECT_EQ(sum.rows[1].rank, 2);
    ASSERT_EQ(sum.periods, (std::vector<std::string>{"2024-01", "2024-02", "2024-03", "2024-04"}));
    EXPECT_EQ(sum.rows[0].by_period, (std::vector<std::uint64_t>{1, 1, 1, 1}));
    EXPECT_EQ(sum.rows[1].by_period, (std::vector<std::uint64_t>{0, 0, 2, 1}));
    EXPECT_NEAR(sum.rows[1].change_pct, -50.0, 1e-12);
    EXPECT_TRUE(std::isnan(sum.rows[0].trend)); // constant series: no trend
}

// The summary from counted groups (what a database's GROUP BY returns) equals the one from the
// incidents: here the groups are the incidents merged by districts, category and hour.
TEST(DistrictsSummary, FromCountedGroupsEqualsFromIncidents)
{
    const auto d = two_squares();
    const IncidentSet s = square_points();
    districts::SummaryParams p;
    p.period = districts::Period::week;
    p.by_hour_of_week = p.by_month = true;
    p.by_category = s.has_category;
    const districts::Summary a = districts::summarise(d, s, p);
    const districts::Assignment as = districts::assign(d, s.items, 1);
    std::vector<districts::CountGroup> groups;
    for (std::size_t i = 0; i < s.items.size(); ++i) {
        const Incident& inc = s.items[i];
        districts::CountGroup g;
        g.districts.assign(as.ids.begin() + as.start[i], as.ids.begin() + as.start[i + 1]);
        g.category = inc.category;
        g.has_time = inc.time != k_no_time;
        g.time = g.has_time ? inc.time - inc.time % 3600 : 0; // truncated to the hour
        g.first = g.last = inc.time;
        auto same = std::find_if(groups.begin(), groups.end(), [&](const districts::CountGroup& o) {
            return o.districts == g.districts && o.category == g.category && o.has_time == g.has_time && o.time == g.time;
        });
        if (same == groups.end()) {
            g.count = 1;
            g.weight = inc.weight;
            groups.push_back(g);
        } else {
            ++same->count;
            same->weight += inc.weight;
            same->first = std::min(same->first, inc.time);
            same->last = std::max(same->last, inc.time);
        }
    }
    const districts::Summary b = districts::summarise(d, groups, s.categories.size(), s.has_time, p);
    EXPECT_EQ(a.total, b.total);
    EXPECT_EQ(a.outside, b.outside);
    EXPECT_EQ(a.multiple, b.multiple);
    EXPECT_EQ(a.no_time, b.no_time);
    EXPECT_EQ(a.periods, b.periods);
    EXPECT_EQ(a.total_hour_of_week, b.total_hour_of_week);
    EXPECT_EQ(a.total_month, b.total_month);
    ASSERT_EQ(a.rows.size(), b.rows.size());
    for (std::size_t k = 0; k < a.rows.size(); ++k) {
        EXPECT_EQ(a.rows[k].incidents, b.rows[k].incidents);
        EXPECT_EQ(a.rows[k].weight, b.rows[k].weight);
        EXPECT_EQ(a.rows[k].by_category, b.rows[k].by_category);
        EXPECT_EQ(a.rows[k].by_period, b.rows[k].by_period);
        EXPECT_EQ(a.rows[k].by_hour_of_week, b.rows[k].by_hour_of_week);
        EXPECT_EQ(a.rows[k].by_month, b.rows[k].by_month);
        EXPECT_EQ(a.rows[k].rank, b.rows[k].rank);
        EXPECT_EQ(a.rows[k].per_km2, b.rows[k].per_km2);
        EXPECT_EQ(std::isnan(a.rows[k].change_pct), std::isnan(b.rows[k].change_pct));
        if (!std::isnan(a.rows[k].change_pct)) {
            EXPECT_EQ(a.rows[k].change_pct, b.rows[k].change_pct);
        }
    }
}

TEST(DistrictsSummary, InvalidPolygonRepairedWithWarning)
{
    const io::PolygonLayer p = io::read_polygons({test::data("invalid_bowtie.geojson"), "", "", "", ""}, crs::Crs());
    std::vector<std::string> warnings;
    const auto d = districts::from_wkb(p.wkb, p.names, p.population, warnings);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("Bowtie"), std::string::npos);
    EXPECT_TRUE(d.geometry(0).is_valid());
    EXPECT_NEAR(d.geometry(0).area(), 500000.0, 1e-6);
}

TEST(Periods, LabelsAndIndexes)
{
    using districts::Period;
    const Timestamp t = timeparse::from_civil(2024, 12, 30, 12, 0, 0); // Monday of ISO week 2025-W01
    EXPECT_EQ(districts::period_label(districts::period_index(t, Period::week), Period::week), "2025-W01");
    EXPECT_EQ(districts::period_label(districts::period_index(t, Period::month), Period::month), "2024-12");
    EXPECT_EQ(districts::period_label(districts::period_index(t, Period::quarter), Period::quarter), "2024-Q4");
    EXPECT_EQ(districts::period_label(districts::period_index(t, Period::day), Period::day), "2024-12-30");
    EXPECT_EQ(districts::period_label(districts::period_index(t, Period::year), Period::year), "2024");
    EXPECT_EQ(districts::period_start(districts::period_index(t, Period::week), Period::week), timeparse::from_civil(2024, 12, 30));
    EXPECT_THROW(districts::parse_period("fortnight"), ParameterError);
}

TEST(Periods, FarFutureDatesAreRefusedNotEnumerated)
{
    // one date in 2199 and one in 1900 with --period day: 109,572 days; refused with the range
    std::int64_t first = 0;
    const auto range = std::make_pair(timeparse::from_civil(1900, 1, 1), timeparse::from_civil(2199, 12, 31));
    try {
        (void)districts::period_labels(range, districts::Period::day, first);
        FAIL() << "expected a refusal";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("1900-01-01 00:00:00 to 2199-12-31"), std::string::npos) << e.what();
    }
    // the same range by year is fine: 300 labels
    EXPECT_EQ(districts::period_labels(range, districts::Period::year, first).size(), 300u);
    EXPECT_EQ(first, 1900);
}

TEST(Ranks, CompetitionRanksInLinearithmicTime)
{
    EXPECT_EQ(districts::ranks_descending({10, 7, 7, 3}), (std::vector<int>{1, 2, 2, 4}));
    EXPECT_EQ(districts::ranks_descending({0, 5, 5, 5, 9}), (std::vector<int>{5, 2, 2, 2, 1}));
    EXPECT_TRUE(districts::ranks_descending({}).empty());
    // 200,000 districts: the old O(D^2) loop took minutes here
    std::vector<double> v(200000);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i % 1000);
    const std::vector<int> r = districts::ranks_descending(v);
    EXPECT_EQ(r[999], 1);   // value 999: 200 of them rank 1
    EXPECT_EQ(r[998], 201); // value 998 follows the 200 ties
    EXPECT_EQ(r[0], 199801);
}
