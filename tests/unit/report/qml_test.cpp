// SPDX-License-Identifier: MIT
// Quantile class breaks of the QGIS styles: hand-computed breaks, ties merged, NaN ignored.
#include "hotmap/report/qml.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

using hotmap::report::quantile_breaks;

namespace {
// Expected breaks are order statistics where the quantile positions i/n * (m - 1) are whole
// numbers (m values, n classes): there every quantile definition (R types 1-9) agrees with the
// plain order statistic, so the expected values do not depend on a convention.
std::vector<double> seq(int from, int to)
{
    std::vector<double> v;
    for (int i = from; i <= to; ++i) v.push_back(i);
    return v;
}
} // namespace

TEST(QuantileBreaks, HandComputedOnNineValues)
{
    // 9 values, 4 classes: positions 0, 2, 4, 6, 8 of the sorted values
    const std::vector<double> v = {9, 1, 8, 2, 7, 3, 6, 4, 5};
    EXPECT_EQ(quantile_breaks(v, 4), (std::vector<double>{1, 3, 5, 7, 9}));
    // 2 classes: min, median, max
    EXPECT_EQ(quantile_breaks(v, 2), (std::vector<double>{1, 5, 9}));
    // 1 class: min and max
    EXPECT_EQ(quantile_breaks(v, 1), (std::vector<double>{1, 9}));
}

TEST(QuantileBreaks, FiveClassesOfElevenValues)
{
    // 11 values 0, 10, ..., 100 (shuffled), 5 classes: positions 0, 2, 4, 6, 8, 10
    const std::vector<double> v = {50, 0, 100, 30, 20, 90, 10, 60, 40, 80, 70};
    EXPECT_EQ(quantile_breaks(v, 5), (std::vector<double>{0, 20, 40, 60, 80, 100}));
}

TEST(QuantileBreaks, TiesAreMerged)
{
    // 9 values, positions 0, 2, 4, 6, 8 -> 1, 1, 1, 3, 5: the repeated 1 is one break
    EXPECT_EQ(quantile_breaks({1, 1, 1, 1, 1, 2, 3, 4, 5}, 4), (std::vector<double>{1, 3, 5}));
    // counts with many zeros (a typical grid): 0 0 0 0 0 0 0 1 2 (positions 0,2,4,6,8)
    EXPECT_EQ(quantile_breaks({0, 0, 2, 0, 0, 1, 0, 0, 0}, 4), (std::vector<double>{0, 2}));
    // a constant: still two ascending breaks (one class that holds the value)
    const std::vector<double> c = quantile_breaks({4, 4, 4}, 5);
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0], 4);
    EXPECT_GT(c[1], 4);
}

TEST(QuantileBreaks, NonFiniteValuesAreIgnored)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    // the same nine values as above with NaN and infinities mixed in
    const std::vector<double> v = {nan, 9, 1, inf, 8, 2, 7, -inf, 3, 6, nan, 4, 5};
    EXPECT_EQ(quantile_breaks(v, 4), (std::vector<double>{1, 3, 5, 7, 9}));
    // nothing finite: a usable single class
    const std::vector<double> none = quantile_breaks({nan, nan}, 5);
    ASSERT_EQ(none.size(), 2u);
    EXPECT_LT(none[0], none[1]);
}

TEST(QuantileBreaks, BreaksAreStrictlyAscending)
{
    const std::vector<double> v = {3, 3, 3, 7, 7, 7, 7, 9, 9, 12, 40, 40, 41};
    for (int n = 1; n <= 12; ++n) {
        const std::vector<double> b = quantile_breaks(v, n);
        ASSERT_GE(b.size(), 2u) << n;
        EXPECT_EQ(b.front(), 3) << n;
        EXPECT_EQ(b.back(), 41) << n;
        for (std::size_t i = 1; i < b.size(); ++i) EXPECT_GT(b[i], b[i - 1]) << n;
    }
}

TEST(QuantileBreaks, EvenlySpacedValuesGiveEvenlySpacedBreaks)
{
    // m = k*n + 1 values 0, 1, ..., k*n: the i-th break of n classes is exactly i*k (the
    // position i/n * (m - 1) = i*k is a whole number). Checked for every n up to 12 and k up to 40.
    // (Fails with hotmap 0.1.0 for n >= 10: floor(double(i)/n * (m-1)) rounds 0.7 * 90 to
    // 62.999... and picks the order statistic below, e.g. break 7 of 10 classes of 0..90 is 62.)
    std::string wrong;
    int failures = 0;
    for (int n = 1; n <= 12; ++n)
        for (int k = 1; k <= 40; ++k) {
            const std::vector<double> b = quantile_breaks(seq(0, k * n), n);
            ASSERT_EQ(b.size(), static_cast<std::size_t>(n + 1)) << "n=" << n << " k=" << k;
            for (int i = 0; i <= n; ++i)
                if (b[static_cast<std::size_t>(i)] != i * k && ++failures <= 5)
                    wrong += "\n  " + std::to_string(n) + " classes of " + std::to_string(k * n + 1) + " values: break " +
                             std::to_string(i) + " is " + std::to_string(b[static_cast<std::size_t>(i)]) + ", expected " +
                             std::to_string(i * k);
        }
    EXPECT_EQ(failures, 0) << "wrong breaks (first 5):" << wrong;
}

TEST(QmlLegend, GraduatedLabelsCarryTheUnitsAndASingleSymbolItsLabel)
{
    const std::string g = hotmap::report::graduated_qml("per_km2", hotmap::io::GeomKind::polygon, {0, 12.5, 40},
                                                        hotmap::report::ramp("YlOrRd", 2), 1, "incidents/km²");
    EXPECT_NE(g.find("label=\"0.0 - 12.5 incidents/km²\""), std::string::npos) << g;
    EXPECT_NE(g.find("label=\"12.5 - 40.0 incidents/km²\""), std::string::npos) << g;
    const std::string s = hotmap::report::single_qml(hotmap::io::GeomKind::point, {128, 0, 160, 255}, 4, "new site (40 m) & <more>");
    // one catch-all class (QGIS's "all other values") carries the legend label, escaped
    EXPECT_NE(s.find("<category value=\"\" symbol=\"0\" label=\"new site (40 m) &amp; &lt;more&gt;\""), std::string::npos) << s;
}

TEST(QuantileBreaks, OrderStatisticsOfAFullSort)
{
    // the breaks are found by partial selection: the same values as the order statistics of a
    // full sort, on shuffled data with many ties and for several class counts
    std::vector<double> v;
    for (int i = 0; i < 5000; ++i) v.push_back(static_cast<double>((i * 7919) % 1013 / 3));
    std::vector<double> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    for (int n : {1, 2, 3, 5, 7, 10}) {
        std::vector<double> want;
        for (int i = 0; i <= n; ++i) {
            const double x = sorted[static_cast<std::size_t>(i) * (sorted.size() - 1) / static_cast<std::size_t>(n)];
            if (want.empty() || x > want.back()) want.push_back(x);
        }
        EXPECT_EQ(quantile_breaks(v, n), want) << n << " classes";
    }
}
