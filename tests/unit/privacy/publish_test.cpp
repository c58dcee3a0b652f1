// SPDX-License-Identifier: MIT
#include "hotmap/privacy/publish.hpp"
#include "hotmap/privacy/suppression.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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
    row(0, 2, 40); // 2 < 5: before suppressed; after would give it back from the unit's total, the
                   // before window's total from the other befores
    row(1, 30, 31);
    row(2, 25, 20);
    row(3, 1, 1);  // both small: suppressed; their total 2 < 5 is suppressed where it is published
    const privacy::PublishReport r = privacy::suppress_layer(L, privacy::LayerKind::change, 5);
    EXPECT_EQ(r.primary, 3u);
    EXPECT_TRUE(is_null(L.rows[0][1]));
    EXPECT_TRUE(is_null(L.rows[0][2])); // its complement in the unit
    EXPECT_TRUE(is_null(L.rows[0][3])); // diff = after - before would give both back
    EXPECT_TRUE(is_null(L.rows[0][4]));
    EXPECT_TRUE(is_null(L.rows[3][1]));
    EXPECT_TRUE(is_null(L.rows[3][2]));
    EXPECT_EQ(std::get<std::int64_t>(L.rows[0].back()), 1);
    EXPECT_EQ(r.unprotected, 0u);
    // every suppressed count keeps +-1 against the windows' totals and the units' totals of 5 or more
    const double v[4][2] = {{2, 40}, {30, 31}, {25, 20}, {1, 1}};
    privacy::CountSystem s;
    std::vector<char> sup;
    std::vector<std::size_t> col[2];
    for (std::size_t u = 0; u < 4; ++u) {
        for (std::size_t w = 0; w < 2; ++w) {
            s.values.push_back(v[u][w]);
            sup.push_back(is_null(L.rows[u][1 + w]));
            col[w].push_back(s.values.size() - 1);
        }
        if (v[u][0] + v[u][1] >= 5) {
            s.values.push_back(v[u][0] + v[u][1]);
            sup.push_back(0);
            s.equations.push_back({{s.values.size() - 3, s.values.size() - 2}, s.values.size() - 1});
        }
    }
    for (const auto& c : col) {
        double t = 0;
        for (std::size_t i : c) t += s.values[i];
        s.values.push_back(t);
        sup.push_back(0);
        s.equations.push_back({c, s.values.size() - 1});
    }
    const auto iv = privacy::audit(s, sup);
    std::size_t n = 0;
    for (std::size_t c = 0; c < sup.size(); ++c)
        if (sup[c]) {
            ++n;
            EXPECT_LE(iv[c].lo, std::max(0.0, s.values[c] - 1) + 1e-9) << c;
            EXPECT_GE(iv[c].hi, s.values[c] + 1 - 1e-9) << c;
        }
    EXPECT_EQ(n, r.primary + r.complementary);
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

// A grid layer of 1,000 cells x 4 categories in 4 districts, small random counts: well above the
// exact-mode limit (1,500 suppressed cells), so the local audit and the circulation complements
// do the work. The attacker's system is rebuilt here from the original layer -- every cell's
// count = the sum of its categories, the column totals, and each district's count and count per
// category as published by a districts layer -- and audited in full: no suppressed count can be
// pinned to within 1 but the ones the report says the district totals pin.
TEST(PublishSuppression, GridNoSuppressedCountRecoverable)
{
    io::VectorLayer L;
    L.name = "grid";
    L.add_field("cell_id", io::FieldType::integer);
    L.add_field("count", io::FieldType::integer);
    L.add_field("district", io::FieldType::string);
    const std::size_t C = 4, R = 1000, per = 250;
    for (std::size_t c = 0; c < C; ++c) L.add_field("c_" + std::to_string(c), io::FieldType::integer);
    std::uint64_t x = 88172645463325252ull; // xorshift: counts 0..6, more zeros in the rare categories
    const auto next = [&] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    for (std::size_t r = 0; r < R; ++r) {
        std::vector<Value> row{Value(static_cast<std::int64_t>(r)), Value(std::int64_t{0}), Value(std::string(1, static_cast<char>('A' + r / per)))};
        std::int64_t total = 0;
        for (std::size_t c = 0; c < C; ++c) {
            const std::int64_t v = static_cast<std::int64_t>(next() % (7 + 3 * c)) - static_cast<std::int64_t>(3 * c);
            row.emplace_back(std::max<std::int64_t>(0, v));
            total += std::max<std::int64_t>(0, v);
        }
        row[1] = Value(total);
        L.rows.push_back(std::move(row));
    }
    const io::VectorLayer orig = L;
    const privacy::PublishReport rep = privacy::suppress_layer(L, privacy::LayerKind::grid, 5);
    EXPECT_GT(rep.primary, 1500u);

    privacy::CountSystem s;
    std::vector<char> sup;
    std::vector<std::size_t> count(R);
    std::vector<std::vector<std::size_t>> cat(C, std::vector<std::size_t>(R));
    for (std::size_t r = 0; r < R; ++r) {
        std::vector<std::size_t> parts;
        for (std::size_t f = 1, c = 0; f < 3 + C; f = (f == 1 ? 3 : f + 1)) {
            s.values.push_back(num(orig.rows[r][f]));
            sup.push_back(is_null(L.rows[r][f]));
            if (!is_null(L.rows[r][f])) {
                EXPECT_EQ(num(L.rows[r][f]), num(orig.rows[r][f]));
            }
            if (f == 1) count[r] = s.values.size() - 1;
            else cat[c++][r] = s.values.size() - 1, parts.push_back(s.values.size() - 1);
        }
        s.equations.push_back({parts, count[r]});
        EXPECT_EQ(std::get<std::int64_t>(L.rows[r].back()), std::find(sup.end() - 1 - C, sup.end(), 1) != sup.end() ? 1 : 0);
    }
    const auto known_total = [&](const std::vector<std::size_t>& parts) {
        double t = 0;
        for (std::size_t p : parts) t += s.values[p];
        s.values.push_back(t);
        sup.push_back(0);
        s.equations.push_back({parts, s.values.size() - 1});
    };
    known_total(count);
    for (const auto& column : cat) known_total(column);
    for (std::size_t d = 0; d < 4; ++d) {
        known_total(std::vector<std::size_t>(count.begin() + static_cast<long>(d * per), count.begin() + static_cast<long>((d + 1) * per)));
        for (const auto& column : cat)
            known_total(std::vector<std::size_t>(column.begin() + static_cast<long>(d * per), column.begin() + static_cast<long>((d + 1) * per)));
    }
    const std::vector<privacy::Interval> iv = privacy::audit(s, sup);
    std::size_t suppressed = 0, exposed = 0;
    for (std::size_t c = 0; c < sup.size(); ++c) {
        if (!sup[c]) continue;
        ++suppressed;
        const double v = s.values[c];
        if (iv[c].lo > std::max(0.0, v - 1) + 1e-6 || iv[c].hi < v + 1 - 1e-6) ++exposed;
    }
    EXPECT_EQ(suppressed, rep.primary + rep.complementary);
    EXPECT_EQ(exposed, rep.unprotected);
    EXPECT_LE(rep.unprotected, 2u); // 250 cells per district: the district totals pin (almost) nothing
}
