// SPDX-License-Identifier: MIT
// Cell suppression: the builders' layouts, the LP audit against hand-computed bounds, the
// greedy complementary pattern on hand cases (table, hierarchy, periods), the guarantees over
// 200 random tables, determinism, fixed cells, and two larger systems.
#include "hotmap/privacy/suppression.hpp"

#include "hotmap/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <random>
#include <stdexcept>

namespace hotmap::privacy {
namespace {

std::vector<char> mask(std::size_t n, std::initializer_list<std::size_t> on)
{
    std::vector<char> m(n, 0);
    for (std::size_t i : on) m[i] = 1;
    return m;
}

std::vector<std::size_t> suppressed_cells(const Suppression& r)
{
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < r.suppressed.size(); ++i)
        if (r.suppressed[i]) out.push_back(i);
    return out;
}

/// The guarantee: every suppressed cell's interval contains [max(0, v - p), v + p]; with
/// integer counts its bounds are integers.
void expect_protected(const CountSystem& s, const Suppression& r, double p, const std::string& what)
{
    const auto iv = audit(s, r.suppressed);
    for (std::size_t i = 0; i < s.values.size(); ++i) {
        if (!r.suppressed[i]) continue;
        const double v = s.values[i];
        EXPECT_LE(iv[i].lo, std::max(0.0, v - p) + 1e-6) << what << " cell " << i << " v=" << v;
        EXPECT_GE(iv[i].hi, v + p - 1e-6) << what << " cell " << i << " v=" << v;
        // integer counts, network matrix: the LP bounds are integers (see the header)
        EXPECT_NEAR(iv[i].lo, std::round(iv[i].lo), 1e-6) << what << " cell " << i;
        if (std::isfinite(iv[i].hi)) {
            EXPECT_NEAR(iv[i].hi, std::round(iv[i].hi), 1e-6) << what << " cell " << i;
        }
    }
}

TEST(Suppression, TableLayout)
{
    const auto s = table_system({{1, 2, 3}, {4, 5, 6}});
    ASSERT_EQ(s.values.size(), 6u + 2u + 3u + 1u);
    EXPECT_EQ(s.values[4], 5);   // (1, 1) = 1*3 + 1
    EXPECT_EQ(s.values[6], 6);   // row total 0
    EXPECT_EQ(s.values[7], 15);  // row total 1
    EXPECT_EQ(s.values[8], 5);   // column total 0
    EXPECT_EQ(s.values[10], 9);  // column total 2
    EXPECT_EQ(s.values[11], 21); // grand total
    ASSERT_EQ(s.equations.size(), 2u + 3u + 2u);
    EXPECT_EQ(s.equations[0].total, 6u);
    EXPECT_EQ(s.equations[0].parts, (std::vector<std::size_t>{0, 1, 2}));
    EXPECT_EQ(s.equations[2].parts, (std::vector<std::size_t>{0, 3})); // column 0
    EXPECT_EQ(s.equations[5].parts, (std::vector<std::size_t>{6, 7}));
    EXPECT_EQ(s.equations[6].parts, (std::vector<std::size_t>{8, 9, 10}));
}

// A 2x2 table with all four interior cells suppressed and every total published:
// a in [max(0, r1 - c2), min(r1, c1)], and the others follow.
TEST(Suppression, AuditTwoByTwoKnownBounds)
{
    const auto s = table_system({{3, 5}, {4, 6}}); // r1 = 8, r2 = 10, c1 = 7, c2 = 11
    const auto iv = audit(s, mask(s.values.size(), {0, 1, 2, 3}));
    ASSERT_EQ(iv.size(), s.values.size());
    EXPECT_NEAR(iv[0].lo, 0, 1e-9); // max(0, 8 - 11)
    EXPECT_NEAR(iv[0].hi, 7, 1e-9); // min(8, 7)
    EXPECT_NEAR(iv[1].lo, 1, 1e-9); // b = 8 - a
    EXPECT_NEAR(iv[1].hi, 8, 1e-9);
    EXPECT_NEAR(iv[2].lo, 0, 1e-9); // c = 7 - a
    EXPECT_NEAR(iv[2].hi, 7, 1e-9);
    EXPECT_NEAR(iv[3].lo, 3, 1e-9); // d = 3 + a
    EXPECT_NEAR(iv[3].hi, 10, 1e-9);
    EXPECT_EQ(iv[4].lo, 8); // published: its value
    EXPECT_EQ(iv[4].hi, 8);
}

// Without complementary suppression the totals give a small cell away.
TEST(Suppression, AuditPinsALoneSmallCell)
{
    const auto row = table_system({{2, 50, 60}});
    const auto iv = audit(row, mask(row.values.size(), {0}));
    EXPECT_NEAR(iv[0].lo, 2, 1e-9);
    EXPECT_NEAR(iv[0].hi, 2, 1e-9);
    // by a combination: (0,0) is not alone in its row or column, but row 0 - column 1 pins it
    const auto t = table_system({{2, 50}, {40, 30}});
    const auto iv2 = audit(t, mask(t.values.size(), {0, 1, 3}));
    EXPECT_NEAR(iv2[0].lo, 2, 1e-9);
    EXPECT_NEAR(iv2[0].hi, 2, 1e-9);
    // a suppressed cell in no equation with another suppressed cell is unbounded above only if
    // it is in no equation at all
    CountSystem free{{5}, {}, {}};
    const auto iv3 = audit(free, {1});
    EXPECT_EQ(iv3[0].lo, 0);
    EXPECT_TRUE(std::isinf(iv3[0].hi));
}

TEST(Suppression, AuditRejectsInconsistentValues)
{
    auto s = table_system({{3, 5}, {4, 6}});
    s.values[6] = 9; // row total 0 is 8
    EXPECT_THROW(audit(s, mask(s.values.size(), {0, 1})), std::logic_error);
    EXPECT_THROW(audit(s, mask(s.values.size(), {})), std::logic_error);
    EXPECT_THROW(audit(s, std::vector<char>(3, 0)), ParameterError);
}

// 3x3, one cell below k: the pattern is the rectangle (0,0) (0,1) (1,0) (1,1).
//   step 1: (0,0) alone in row 0 and column 0: smallest of 10, 20, 8, 25 -> (1,0)
//   step 2: (0,0) still alone in row 0: smallest of 10, 20 -> (0,1)
//   step 3: (0,1) alone in column 1: smallest of 9, 30 -> (1,1)
TEST(Suppression, TableRectangle)
{
    const auto s = table_system({{2, 10, 20}, {8, 9, 30}, {25, 30, 40}});
    const auto r = suppress(s, 5);
    EXPECT_EQ(r.primary, 1u);
    EXPECT_EQ(r.complementary, 3u);
    EXPECT_EQ(suppressed_cells(r), (std::vector<std::size_t>{0, 1, 3, 4}));
    const auto iv = audit(s, r.suppressed);
    // a + b = 12, a + c = 10, c + d = 17, b + d = 19: a in [0, 10], b = 12 - a, c = 10 - a, d = 7 + a
    const double lo[] = {0, 2, 0, 7}, hi[] = {10, 12, 10, 17};
    const std::size_t cell[] = {0, 1, 3, 4};
    for (int j = 0; j < 4; ++j) {
        EXPECT_NEAR(iv[cell[j]].lo, lo[j], 1e-9) << cell[j];
        EXPECT_NEAR(iv[cell[j]].hi, hi[j], 1e-9) << cell[j];
        EXPECT_GT(iv[cell[j]].hi - iv[cell[j]].lo, 2) << cell[j];
    }
    expect_protected(s, r, 1, "rectangle");
}

// The audit, not only the equations with a lone cell, drives the loop: a rectangle of small
// cells whose intervals are too narrow for p = 3 needs more.
TEST(Suppression, ProtectionLevelWidensThePattern)
{
    const auto s = table_system({{1, 1, 50}, {1, 1, 50}, {50, 50, 50}});
    const auto r1 = suppress(s, 2, 1);
    EXPECT_EQ(suppressed_cells(r1), (std::vector<std::size_t>{0, 1, 3, 4}));
    expect_protected(s, r1, 1, "p=1");
    const auto r3 = suppress(s, 2, 3);
    EXPECT_GT(r3.complementary, 0u);
    expect_protected(s, r3, 3, "p=3");
    const auto iv = audit(s, r1.suppressed);
    EXPECT_LT(iv[0].hi, 1 + 3); // the p=1 pattern is not enough for p=3
}

TEST(Suppression, ZerosArePublishedByDefault)
{
    const auto s = table_system({{0, 7, 9}, {6, 8, 10}});
    EXPECT_EQ(suppress(s, 5).primary, 0u);
    EXPECT_EQ(suppress(s, 5).complementary, 0u);
    const auto z = suppress(s, 5, 1, true);
    EXPECT_EQ(z.primary, 1u);
    EXPECT_TRUE(z.suppressed[0]);
    EXPECT_GT(z.complementary, 0u);
    expect_protected(s, z, 1, "zero");
}

// A district of 3 cells with one cell of 2 incidents: another cell of the same district goes.
TEST(Suppression, Hierarchy)
{
    const auto s = hierarchy_system({2, 7, 30, 12, 15}, {{0, 1, 2}, {3, 4}});
    ASSERT_EQ(s.values.size(), 7u);
    EXPECT_EQ(s.values[5], 39);
    EXPECT_EQ(s.values[6], 27);
    const auto r = suppress(s, 5);
    EXPECT_EQ(r.primary, 1u);
    EXPECT_EQ(r.complementary, 1u);
    EXPECT_EQ(suppressed_cells(r), (std::vector<std::size_t>{0, 1}));
    const auto iv = audit(s, r.suppressed);
    EXPECT_NEAR(iv[0].lo, 0, 1e-9);
    EXPECT_NEAR(iv[0].hi, 9, 1e-9);
    EXPECT_GT(iv[0].hi - iv[0].lo, 0);
    expect_protected(s, r, 1, "hierarchy");
}

// before = 2, after = 40, total published: after (not the total) is suppressed too.
TEST(Suppression, Periods)
{
    const auto s = periods_system({2, 20}, {40, 30});
    ASSERT_EQ(s.values.size(), 6u);
    EXPECT_EQ(s.values[4], 42);
    const auto r = suppress(s, 5);
    EXPECT_EQ(r.primary, 1u);
    EXPECT_TRUE(r.suppressed[0]);
    EXPECT_TRUE(r.suppressed[2] || r.suppressed[4]);
    EXPECT_EQ(suppressed_cells(r), (std::vector<std::size_t>{0, 2})); // the non-total is preferred
    const auto iv = audit(s, r.suppressed);
    EXPECT_NEAR(iv[0].lo, 0, 1e-9);
    EXPECT_NEAR(iv[0].hi, 42, 1e-9);
    expect_protected(s, r, 1, "periods");
}

TEST(Suppression, RejectsBadParameters)
{
    const auto s = table_system({{1, 2}});
    EXPECT_THROW(suppress(s, 0), ParameterError);
    EXPECT_THROW(suppress(s, 5, -1), ParameterError);
    CountSystem bad{{1, 2}, {{{0, 5}, 1}}, {}};
    EXPECT_THROW(suppress(bad, 5), ParameterError);
    CountSystem neg{{-1}, {}, {}};
    EXPECT_THROW(suppress(neg, 5), ParameterError);
    EXPECT_THROW(table_system({{1, 2}, {3}}), ParameterError);
}

// 200 random tables up to 6 x 5, counts 0..12, k = 5, p = 1: every small cell suppressed,
// values untouched, every suppressed cell's interval contains [max(0, v - 1), v + 1].
TEST(Suppression, PropertyRandomTables)
{
    std::mt19937 rng(20261201);
    std::uniform_int_distribution<int> dim_r(1, 6), dim_c(1, 5), count(0, 12);
    std::size_t total_suppressed = 0, total_complementary = 0;
    for (int t = 0; t < 200; ++t) {
        const int R = dim_r(rng), C = dim_c(rng);
        std::vector<std::vector<double>> counts(static_cast<std::size_t>(R), std::vector<double>(static_cast<std::size_t>(C)));
        for (auto& row : counts)
            for (auto& v : row) v = count(rng);
        const auto s = table_system(counts);
        const auto before = s.values;
        const auto r = suppress(s, 5, 1);
        ASSERT_EQ(r.suppressed.size(), s.values.size());
        EXPECT_EQ(s.values, before);
        std::size_t n_primary = 0, n_supp = 0;
        for (std::size_t i = 0; i < s.values.size(); ++i) {
            const double v = s.values[i];
            if (v > 0 && v < 5) {
                EXPECT_TRUE(r.suppressed[i]) << "table " << t << " cell " << i;
                ++n_primary;
            }
            n_supp += r.suppressed[i] ? 1 : 0;
        }
        EXPECT_EQ(r.primary, n_primary);
        EXPECT_EQ(r.primary + r.complementary, n_supp);
        expect_protected(s, r, 1, "table " + std::to_string(t));
        total_suppressed += n_supp;
        total_complementary += r.complementary;
    }
    EXPECT_GT(total_complementary, 100u); // the property is not vacuous
    EXPECT_GT(total_suppressed, total_complementary);
}

TEST(Suppression, Deterministic)
{
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> count(0, 12);
    std::vector<std::vector<double>> counts(6, std::vector<double>(5));
    for (auto& row : counts)
        for (auto& v : row) v = count(rng);
    const auto s = table_system(counts);
    const auto a = suppress(s, 5), b = suppress(s, 5);
    EXPECT_EQ(a.suppressed, b.suppressed);
    EXPECT_EQ(a.primary, b.primary);
    EXPECT_EQ(a.complementary, b.complementary);
    const auto ia = audit(s, a.suppressed), ib = audit(s, b.suppressed);
    for (std::size_t i = 0; i < ia.size(); ++i) {
        EXPECT_EQ(ia[i].lo, ib[i].lo);
        EXPECT_EQ(ia[i].hi, ib[i].hi);
    }
}

// 16 districts x 150 grid cells (2,416 cells), counts 0..12, k = 5 (the time is printed, not asserted).
TEST(Suppression, Hierarchy16x150)
{
    std::mt19937 rng(16150);
    std::uniform_int_distribution<int> count(0, 12);
    std::vector<double> leaves(16 * 150);
    for (auto& v : leaves) v = count(rng);
    std::vector<std::vector<std::size_t>> groups(16);
    for (std::size_t d = 0; d < 16; ++d)
        for (std::size_t j = 0; j < 150; ++j) groups[d].push_back(d * 150 + j);
    const auto s = hierarchy_system(leaves, groups);
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = suppress(s, 5);
    const auto t1 = std::chrono::steady_clock::now();
    const auto iv = audit(s, r.suppressed);
    const auto t2 = std::chrono::steady_clock::now();
    const double ts = std::chrono::duration<double>(t1 - t0).count(), ta = std::chrono::duration<double>(t2 - t1).count();
    std::cout << "16x150 hierarchy: " << r.primary << " primary, " << r.complementary << " complementary; suppress " << ts
              << " s, audit " << ta << " s\n";
    EXPECT_GT(r.primary, 500u);
    for (std::size_t i = 0; i < s.values.size(); ++i)
        if (r.suppressed[i]) {
            EXPECT_LE(iv[i].lo, std::max(0.0, s.values[i] - 1) + 1e-6) << i;
            EXPECT_GE(iv[i].hi, s.values[i] + 1 - 1e-6) << i;
        }

    // large counts with one small cell per district: the complementary loop does the work
    std::uniform_int_distribution<int> big(20, 100), small(1, 4), pos(0, 149);
    for (auto& v : leaves) v = big(rng);
    for (std::size_t d = 0; d < 16; ++d)
        for (int j = 0; j < 1; ++j) leaves[d * 150 + static_cast<std::size_t>(pos(rng))] = small(rng);
    const auto s2 = hierarchy_system(leaves, groups);
    const auto t3 = std::chrono::steady_clock::now();
    const auto r2 = suppress(s2, 5);
    const auto t4 = std::chrono::steady_clock::now();
    std::cout << "16x150 hierarchy, sparse small cells: " << r2.primary << " primary, " << r2.complementary
              << " complementary; suppress " << std::chrono::duration<double>(t4 - t3).count() << " s\n";
    EXPECT_EQ(r2.primary, 16u);
    EXPECT_EQ(r2.complementary, 16u); // one per district
    expect_protected(s2, r2, 1, "sparse hierarchy");
}

// A 40 x 45 table (1,800 interior cells, 1,886 in all), counts 0..12, k = 5.
TEST(Suppression, Table40x45)
{
    std::mt19937 rng(4045);
    std::uniform_int_distribution<int> count(0, 12);
    std::vector<std::vector<double>> counts(40, std::vector<double>(45));
    for (auto& row : counts)
        for (auto& v : row) v = count(rng);
    const auto s = table_system(counts);
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = suppress(s, 5);
    const double ts = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "40x45 table: " << r.primary << " primary, " << r.complementary << " complementary; suppress " << ts << " s\n";
    expect_protected(s, r, 1, "40x45");
}

} // namespace
} // namespace hotmap::privacy

namespace hotmap::privacy {
namespace {

// Fixed cells are published whatever happens: never suppressed, even below k, and a cell they
// alone pin is left as it is and counted.
TEST(Suppression, FixedCellsArePublishedAndCanPin)
{
    // two groups over leaves {3, 10} and {2}; the group totals (13 and 2) are fixed
    auto s = hierarchy_system({3, 10, 2}, {{0, 1}, {2}});
    s.fixed = {0, 0, 0, 1, 1};
    const Suppression r = suppress(s, 5);
    EXPECT_EQ(suppressed_cells(r), (std::vector<std::size_t>{0, 1, 2})); // 3, its complement 10, and 2 (pinned)
    EXPECT_EQ(r.primary, 2u);       // 3 and 2; the fixed total 2 is not suppressed
    EXPECT_EQ(r.complementary, 1u); // 10
    EXPECT_EQ(r.unprotected, 1u);   // leaf 2 = its fixed group total
    const auto iv = audit(s, r.suppressed);
    EXPECT_NEAR(iv[0].lo, 0, 1e-9);
    EXPECT_NEAR(iv[0].hi, 13, 1e-9);
    EXPECT_NEAR(iv[2].lo, 2, 1e-9);
    EXPECT_NEAR(iv[2].hi, 2, 1e-9);
    s.fixed = {0, 0};
    EXPECT_THROW(suppress(s, 5), ParameterError);
}

} // namespace
} // namespace hotmap::privacy
