// SPDX-License-Identifier: MIT
#include "hotmap/privacy/publish.hpp"
#include "hotmap/privacy/suppression.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace hotmap;
using io::Value;

namespace {

io::VectorLayer districts_layer()
{
    io::VectorLayer L;
    L.name = "districts";
    L.add_field("district", io::FieldType::string);
    L.add_field("incidents", io::FieldType::integer);
    L.add_field("per_km2", io::FieldType::real);
    L.add_field("c_a", io::FieldType::integer);
    L.add_field("c_b", io::FieldType::integer);
    const auto row = [&](const char* n, std::int64_t a, std::int64_t b) {
        L.rows.push_back({Value(std::string(n)), Value(a + b), Value(static_cast<double>(a + b) / 2.0), Value(a), Value(b)});
    };
    row("A", 10, 2); // c_b = 2 < 5
    row("B", 11, 9);
    row("C", 8, 7);
    row("D", 30, 25);
    return L;
}

bool is_null(const Value& v) { return std::holds_alternative<std::monostate>(v); }
double num(const Value& v) { return std::holds_alternative<std::int64_t>(v) ? static_cast<double>(std::get<std::int64_t>(v)) : std::get<double>(v); }

} // namespace

// What the layer publishes, attacked with every linear combination of its rows, columns and
// totals (the LP audit): no suppressed count can be pinned to within 1.
TEST(PublishSuppression, DistrictsNoSuppressedCountRecoverable)
{
    const io::VectorLayer orig = districts_layer();
    io::VectorLayer L = orig;
    const privacy::PublishReport r = privacy::suppress_layer(L, privacy::LayerKind::districts, 5);
    EXPECT_EQ(r.primary, 1u);
    EXPECT_GE(r.complementary, 3u); // a rectangle at least: one more in the row, two in another row
    ASSERT_EQ(L.fields.back().name, "suppressed");
    EXPECT_TRUE(is_null(L.rows[0][4])); // A's c_b
    EXPECT_EQ(std::get<std::int64_t>(L.rows[0][5]), 1);
    // the attacker's system: every count cell, published or not, with the row and column totals
    privacy::CountSystem s;
    std::vector<char> sup;
    std::vector<std::size_t> inc, ca, cb;
    for (std::size_t i = 0; i < orig.rows.size(); ++i) {
        for (auto [f, list] : {std::pair{1, &inc}, std::pair{3, &ca}, std::pair{4, &cb}}) {
            s.values.push_back(num(orig.rows[i][static_cast<std::size_t>(f)]));
            sup.push_back(is_null(L.rows[i][static_cast<std::size_t>(f)]));
            list->push_back(s.values.size() - 1);
        }
        s.equations.push_back({{ca.back(), cb.back()}, inc.back()});
        // a suppressed total takes its rate with it, a published one keeps it
        EXPECT_EQ(is_null(L.rows[i][2]), is_null(L.rows[i][1])) << "row " << i;
        // published counts are unchanged
        for (int f : {1, 3, 4}) {
            if (!is_null(L.rows[i][static_cast<std::size_t>(f)])) {
                EXPECT_EQ(num(L.rows[i][static_cast<std::size_t>(f)]), num(orig.rows[i][static_cast<std::size_t>(f)]));
            }
        }
    }
    for (auto* col : {&inc, &ca, &cb}) {
        double t = 0;
        for (std::size_t c : *col) t += s.values[c];
        s.values.push_back(t);
        sup.push_back(0);
        s.equations.push_back({*col, s.values.size() - 1});
    }
    const std::vector<privacy::Interval> iv = privacy::audit(s, sup);
    std::size_t k = 0;
    for (std::size_t c = 0; c < sup.size(); ++c) {
        if (!sup[c]) continue;
        const double v = s.values[c];
        EXPECT_LE(iv[c].lo, std::max(0.0, v - 1) + 1e-6) << "cell " << c;
        EXPECT_GE(iv[c].hi, v + 1 - 1e-6) << "cell " << c;
        ++k;
    }
    EXPECT_EQ(k, r.primary + r.complementary);
}

TEST(PublishSuppression, ChangeNullsTheDifference)
{
    io::VectorLayer L;
    L.add_field("cell_id", io::FieldType::integer);
    for (const char* f : {"n_before", "n_after", "diff"}) L.add_field(f, io::FieldType::integer);
    L.add_field("ratio", io::FieldType::real);
    const auto row = [&](std::int64_t id, std::int64_t b, std::int64_t a) {
        L.rows.push_back({Value(id), Value(b), Value(a), Value(a - b), Value(b ? static_cast<double>(a) / static_cast<double>(b) : NAN)});
    };
    row(0, 2, 40); // 2 < 5: before suppressed; after would give it back from the unit's total
    row(1, 30, 31);
    row(2, 25, 20);
    const privacy::PublishReport r = privacy::suppress_layer(L, privacy::LayerKind::change, 5);
    EXPECT_EQ(r.primary, 1u);
    EXPECT_TRUE(is_null(L.rows[0][1]));
    EXPECT_TRUE(is_null(L.rows[0][2])); // its complement in the unit
    EXPECT_TRUE(is_null(L.rows[0][3]));  // diff = after - before would give both back
    EXPECT_TRUE(is_null(L.rows[0][4]));
    EXPECT_EQ(std::get<std::int64_t>(L.rows[0].back()), 1);
}

TEST(PublishSuppression, NothingBelowK)
{
    io::VectorLayer L = districts_layer();
    const io::VectorLayer before = L;
    const privacy::PublishReport r = privacy::suppress_layer(L, privacy::LayerKind::districts, 2);
    EXPECT_EQ(r.primary + r.complementary, 0u);
    for (std::size_t i = 0; i < L.rows.size(); ++i) {
        EXPECT_EQ(std::get<std::int64_t>(L.rows[i].back()), 0);
        for (std::size_t f = 0; f < before.fields.size(); ++f) EXPECT_EQ(L.rows[i][f], before.rows[i][f]);
    }
}
