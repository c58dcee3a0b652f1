// SPDX-License-Identifier: MIT
// Emerging hot spots: the space-time neighbourhood, each of the 17 patterns from a constructed
// z-series and from a constructed incident set, the Kalemie sample's planted hotspots, thread
// independence, and San Francisco 2012 by month.
#include "hotmap/spacetime/emerging.hpp"

#include "hotmap/error.hpp"
#include "hotmap/log.hpp"
#include "hotmap/pipeline/emerging.hpp"
#include "hotmap/timeparse.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <variant>

using namespace hotmap;

namespace {

int field(const io::VectorLayer& l, const std::string& name)
{
    for (std::size_t i = 0; i < l.fields.size(); ++i)
        if (l.fields[i].name == name) return static_cast<int>(i);
    ADD_FAILURE() << "no field " << name;
    return 0;
}

std::int64_t integer(const io::VectorLayer& l, std::size_t row, const std::string& name)
{
    return std::get<std::int64_t>(l.rows.at(row).at(static_cast<std::size_t>(field(l, name))));
}

/// The series of each pattern (20 steps; hot steps H, cold steps C, the rest 0 = background),
/// as z-scores: 3 = hot at 99%, -3 = cold at 99%, 0 = not significant; trends in the hot steps'
/// values where the pattern needs one.
std::map<int, std::vector<double>> pattern_series()
{
    const std::size_t T = 20;
    std::map<int, std::vector<double>> s;
    auto all = [&](double v) { return std::vector<double>(T, v); };
    auto ramp = [&](double a, double b) {
        std::vector<double> v(T);
        for (std::size_t t = 0; t < T; ++t) v[t] = a + (b - a) * static_cast<double>(t) / static_cast<double>(T - 1);
        return v;
    };
    for (int side : {1, -1}) {
        const double H = 3.0 * side;
        std::vector<double> v = all(0);
        v[T - 1] = H;
        s[1 * side] = v; // New
        v = all(0);
        v[T - 3] = v[T - 2] = v[T - 1] = H;
        s[2 * side] = v; // Consecutive
        s[3 * side] = side > 0 ? ramp(2.0, 6.0) : ramp(-2.0, -6.0); // Intensifying: always significant, growing
        s[4 * side] = all(H);                                        // Persistent
        s[5 * side] = side > 0 ? ramp(6.0, 2.0) : ramp(-6.0, -2.0); // Diminishing
        v = all(0);
        v[2] = v[8] = v[T - 1] = H;
        s[6 * side] = v; // Sporadic
        v = all(0);
        v[3] = -H;
        v[10] = v[T - 1] = H;
        s[7 * side] = v; // Oscillating: the other side once, earlier
        v = all(H);
        v[T - 1] = 0;
        s[8 * side] = v; // Historical: 19 of 20 steps
    }
    s[0] = all(0);
    return s;
}

/// Gi_Bin of a z without FDR (|z| >= 1.645 / 1.960 / 2.576 -> 1 / 2 / 3).
int bin_of(double z)
{
    const double a = std::abs(z);
    const int b = a >= 2.5758293035489 ? 3 : a >= 1.9599639845401 ? 2 : a >= 1.6448536269515 ? 1 : 0;
    return z < 0 ? -b : b;
}

} // namespace

TEST(EmergingWeights, NeighboursInSpaceAndTheStepsBefore)
{
    // three locations in a row (0-1, 1-2), 3 steps, one previous step
    stats::Weights s;
    s.start = {0, 1, 3, 4};
    s.index = {1, 0, 2, 1};
    const stats::Weights w = spacetime::space_time_weights(s, 3, 1);
    ASSERT_EQ(w.size(), 9u);
    const auto row = [&](std::size_t b) {
        return std::vector<std::uint32_t>(w.index.begin() + static_cast<std::ptrdiff_t>(w.start[b]),
                                          w.index.begin() + static_cast<std::ptrdiff_t>(w.start[b + 1]));
    };
    // bin (1, 2) = 5: locations 0, 1, 2 at steps 1 and 2, without itself
    EXPECT_EQ(row(1 * 3 + 2), (std::vector<std::uint32_t>{1, 2, 4, 7, 8}));
    // bin (0, 0) = 0: no step before: location 1 at step 0
    EXPECT_EQ(row(0), (std::vector<std::uint32_t>{3}));
    // bin (2, 1) = 7: locations 1, 2 at steps 0, 1
    EXPECT_EQ(row(2 * 3 + 1), (std::vector<std::uint32_t>{3, 4, 6}));
    // N = 0: space only
    const stats::Weights w0 = spacetime::space_time_weights(s, 3, 0);
    EXPECT_EQ(w0.links(), 2u * 4u * 3u / 2u);
}

TEST(EmergingPatterns, EachOfTheSeventeenFromAZSeries)
{
    for (const auto& [expected, z] : pattern_series()) {
        std::vector<int> bins;
        for (double v : z) bins.push_back(bin_of(v));
        const int got = spacetime::classify(bins, stats::mann_kendall(z));
        EXPECT_EQ(got, expected) << spacetime::pattern_name(expected) << " came out as " << spacetime::pattern_name(got);
    }
    EXPECT_EQ(spacetime::pattern_name(3), "Intensifying Hot Spot");
    EXPECT_EQ(spacetime::pattern_name(-8), "Historical Cold Spot");
    EXPECT_EQ(spacetime::pattern_name(0), "No Pattern Detected");
}

TEST(EmergingPatterns, RulesAtTheirEdges)
{
    const stats::MannKendall none; // no valid trend
    // 27 of 30 hot including the final step is >= 90%: persistent, not consecutive
    std::vector<int> b(30, 1);
    b[0] = b[1] = b[2] = 0;
    EXPECT_EQ(spacetime::classify(b, none), 4);
    // 26 of 30 (87%) as one final run: consecutive
    b[3] = 0;
    EXPECT_EQ(spacetime::classify(b, none), 2);
    // a hot step before the run (26 of 30 again): sporadic (never cold), or oscillating (cold before)
    b[4] = 0;
    b[0] = 1;
    EXPECT_EQ(spacetime::classify(b, none), 6);
    b[1] = -1;
    EXPECT_EQ(spacetime::classify(b, none), 7);
    // hot rules first: 90% hot and the final step cold is a historical hot spot
    std::vector<int> h(10, 2);
    h[9] = -1;
    EXPECT_EQ(spacetime::classify(h, none), 8);
    // a significant trend only counts at p <= 0.05
    stats::MannKendall up;
    up.valid = true;
    up.s = 40;
    up.p = 0.05;
    EXPECT_EQ(spacetime::classify(std::vector<int>(10, 3), up), 3);
    up.p = 0.0500001;
    EXPECT_EQ(spacetime::classify(std::vector<int>(10, 3), up), 4);
    EXPECT_EQ(spacetime::classify({}, none), 0);
}

namespace {

/// Counts per step giving each pattern when a location has no spatial neighbour and one time
/// neighbour (the step before) in a cube that is mostly background: Gi* of bin t is then the
/// standard score of the sum of steps t - 1 and t (the first step has no neighbour: null z,
/// never significant), so a spike at step t makes steps t and t + 1 hot.
std::map<int, std::vector<int>> pattern_counts()
{
    const std::size_t T = 20;
    const int B = 20; // background
    std::map<int, std::vector<int>> s;
    auto all = [&](int v) { return std::vector<int>(T, v); };
    auto ramp = [&](int a, int b) {
        std::vector<int> v(T);
        for (std::size_t t = 0; t < T; ++t) v[t] = a + static_cast<int>(std::lround((b - a) * static_cast<double>(t) / (T - 1)));
        return v;
    };
    for (int side : {1, -1}) {
        const int H = side > 0 ? 50 : 1;
        std::vector<int> v = all(B);
        v[T - 1] = H;
        s[side] = v;
        v = all(B);
        v[T - 3] = v[T - 2] = v[T - 1] = H;
        s[2 * side] = v;
        s[3 * side] = side > 0 ? ramp(40, 60) : ramp(6, 0);
        s[4 * side] = all(H);
        s[5 * side] = side > 0 ? ramp(60, 40) : ramp(0, 6);
        v = all(B);
        v[2] = v[8] = v[T - 1] = H;
        s[6 * side] = v;
        v = all(B);
        v[3] = side > 0 ? 0 : 50;
        v[10] = v[T - 1] = H;
        s[7 * side] = v;
        v = all(H);
        v[T - 2] = v[T - 1] = B; // hot (or cold) bins 1..18: 90%, the final bin background
        s[8 * side] = v;
    }
    return s;
}

/// Write the constructed incidents (one location per 100 m cell, `background` extra cells of
/// constant counts) as a CSV and load them.
pipeline::Inputs constructed_inputs(const std::string& dir, int background)
{
    const std::string path = dir + "/patterns.csv";
    std::ofstream f(path);
    f.precision(12);
    f << "x,y,time\n";
    int loc = 0;
    const auto write = [&](const std::vector<int>& counts) {
        const double x = 500050 + 100.0 * (loc % 20), y = 9340050 + 100.0 * (loc / 20);
        for (std::size_t t = 0; t < counts.size(); ++t) {
            const Timestamp ts = timeparse::from_civil(2024 + static_cast<int>(t / 12), static_cast<int>(t % 12) + 1, 10);
            for (int k = 0; k < counts[t]; ++k) f << x << "," << y << "," << timeparse::format(ts + 3600 * (k % 20)) << "\n";
        }
        ++loc;
    };
    for (const auto& [c, counts] : pattern_counts()) write(counts);
    for (int b = 0; b < background; ++b) write(std::vector<int>(20, 20));
    f.close();
    pipeline::InputParams ip;
    ip.incidents.path = path;
    ip.incidents.crs = "EPSG:32735";
    NullLog log;
    return pipeline::load(ip, log);
}

} // namespace

TEST(EmergingPatterns, EachOfTheSeventeenFromConstructedIncidents)
{
    const pipeline::Inputs in = constructed_inputs(test::out_dir("emerging_patterns"), 120);
    pipeline::EmergingParams p;
    p.cell_m = 100;
    p.distance_m = 1; // no spatial neighbour: each bin is judged on its own and the previous step's count
    p.time_neighbors = 1;
    p.fdr = false;
    NullLog log;
    const pipeline::EmergingResult r = pipeline::emerging_hotspots(p, in, log);
    ASSERT_EQ(r.steps.size(), 20u);
    ASSERT_EQ(r.locations, 16u + 120u);
    // locations are the cells with incidents, in cell order: row 0 holds the 16 patterns (map
    // order -8..8 without 0), then background
    const auto patterns = pattern_counts();
    std::vector<int> expected;
    for (const auto& [c, counts] : patterns) expected.push_back(c);
    std::map<std::int64_t, int> by_cell; // cell id -> category
    for (std::size_t k = 0; k < r.layer.rows.size(); ++k) by_cell[integer(r.layer, k, "LOCATION")] = static_cast<int>(integer(r.layer, k, "CATEGORY"));
    std::size_t k = 0;
    for (const auto& [cell, category] : by_cell) {
        if (k < expected.size())
            EXPECT_EQ(category, expected[k]) << spacetime::pattern_name(expected[k]) << " came out as " << spacetime::pattern_name(category);
        else
            EXPECT_EQ(category, 0) << "background cell " << cell;
        ++k;
    }
    EXPECT_EQ(r.patterns[8], 120u); // No Pattern Detected
}

TEST(EmergingKalemie, PlantedHotspotsComeOutAsPlanted)
{
    // the sample's answer key: 5 stable hotspots, one emerging from 2025-09, one fading in 2025
    pipeline::InputParams ip;
    ip.incidents.path = test::samples("kalemie/incidents.csv");
    ip.districts.path = test::samples("kalemie/districts.geojson");
    NullLog log;
    const pipeline::Inputs in = pipeline::load(ip, log);
    pipeline::EmergingParams p;
    p.cell_m = 250;
    p.distance_m = 750;
    const auto run = [&](std::optional<Timestamp> to) {
        pipeline::EmergingParams q = p;
        q.to = to;
        return pipeline::emerging_hotspots(q, in, log);
    };
    const pipeline::EmergingResult all = run({});
    ASSERT_EQ(all.steps.size(), 24u);
    // each planted place: the patterns of the cells whose centre is within its radius
    struct Planted {
        const char* name;
        double lon, lat, radius;
        std::vector<int> allowed;
    };
    const auto check = [&](const pipeline::EmergingResult& r, const Planted& h) {
        crs::Transformer to_utm(crs::Crs::epsg(4326), in.working);
        const auto c = to_utm.transform(h.lon, h.lat);
        ASSERT_TRUE(c);
        int cells = 0;
        for (std::size_t k = 0; k < r.layer.rows.size(); ++k) {
            const geom::Geometry g = geom::Geometry::from_wkb(r.layer.wkb[k]);
            const Point q = g.centroid();
            if (std::hypot(q.x - c->first, q.y - c->second) > h.radius) continue;
            ++cells;
            const int cat = static_cast<int>(integer(r.layer, k, "CATEGORY"));
            EXPECT_NE(std::find(h.allowed.begin(), h.allowed.end(), cat), h.allowed.end())
                << h.name << ": a cell came out as " << spacetime::pattern_name(cat);
        }
        EXPECT_GE(cells, 3) << h.name;
    };
    // stable: persistent or intensifying; emerging: new, consecutive or intensifying
    check(all, {"Marché central", 29.2409234, -5.924413, 300, {3, 4}});
    check(all, {"Port de Kalemie", 29.2495067, -5.9194065, 350, {3, 4}});
    check(all, {"Gare routière", 29.220535, -5.925851, 250, {3, 4}});
    check(all, {"Nouveau marché de Kifungo", 29.1532875, -5.9188845, 300, {1, 2, 3}});
    // the fading market (hot through 2024, gone in 2025): analysed in February 2025 (13 months,
    // hot in 12 of them, not in the last) it is a historical hot spot; diminishing is allowed
    const pipeline::EmergingResult feb = run(timeparse::from_civil(2025, 2, 1));
    check(feb, {"Marché provisoire de Kalimbi", 29.190428, -5.9639382, 300, {5, 8}});
    // the background, far from every planted place, has no pattern
    const std::vector<std::pair<double, double>> planted{{29.2409234, -5.924413}, {29.2495067, -5.9194065}, {29.220535, -5.925851},
                                                         {29.1532875, -5.9188845}, {29.190428, -5.9639382}, {29.2462185, -5.9121882},
                                                         {29.1823745, -5.9422745}};
    crs::Transformer to_utm(crs::Crs::epsg(4326), in.working);
    std::vector<Point> pu;
    for (const auto& [lon, lat] : planted) {
        const auto c = to_utm.transform(lon, lat);
        pu.push_back({c->first, c->second});
    }
    int background = 0;
    for (std::size_t k = 0; k < all.layer.rows.size(); ++k) {
        const Point q = geom::Geometry::from_wkb(all.layer.wkb[k]).centroid();
        double d = INFINITY;
        for (const Point& c : pu) d = std::min(d, std::hypot(q.x - c.x, q.y - c.y));
        if (d < 1500) continue;
        ++background;
        EXPECT_EQ(integer(all.layer, k, "CATEGORY"), 0) << "cell " << integer(all.layer, k, "LOCATION") << " at " << d << " m";
    }
    EXPECT_GT(background, 1000);
}

TEST(EmergingThreads, IdenticalForAnyThreadCount)
{
    test::ChunkCap cap(16);
    pipeline::InputParams ip;
    ip.incidents.path = test::samples("kalemie/incidents.csv");
    ip.districts.path = test::samples("kalemie/districts.geojson");
    NullLog log;
    std::vector<pipeline::EmergingResult> r;
    for (unsigned t : {1u, 2u, 7u}) {
        ip.threads = t;
        const pipeline::Inputs in = pipeline::load(ip, log);
        pipeline::EmergingParams p;
        p.cell_m = 300;
        p.step.period = districts::Period::quarter;
        p.time_neighbors = 2;
        p.cube = true;
        r.push_back(pipeline::emerging_hotspots(p, in, log)); // --distance auto
    }
    for (std::size_t k = 1; k < r.size(); ++k) {
        EXPECT_EQ(r[k].weights, r[0].weights);
        EXPECT_EQ(r[k].layer.rows, r[0].layer.rows);
        EXPECT_EQ(r[k].cube.rows, r[0].cube.rows);
    }
}

TEST(EmergingReal, SanFrancisco2012ByMonth)
{
    HOTMAP_REQUIRE_SHARED(dir, "realdata/sf_crime_2012");
    pipeline::InputParams ip;
    ip.incidents.path = dir + "/incidents.csv";
    ip.incidents.x_field = "x";
    ip.incidents.y_field = "y";
    ip.incidents.crs = "EPSG:32610";
    ip.incidents.time_field = "date";
    ip.districts.path = dir + "/analysis_neighborhoods_32610.geojson";
    NullLog log;
    const pipeline::Inputs in = pipeline::load(ip, log);
    ASSERT_EQ(in.incidents.items.size(), 13472u);
    pipeline::EmergingParams p;
    p.cell_m = 250;
    p.distance_m = 375;
    const pipeline::EmergingResult r = pipeline::emerging_hotspots(p, in, log);
    EXPECT_EQ(r.steps.size(), 6u);
    EXPECT_FALSE(r.steps.last_partial);
    std::size_t total = 0;
    for (std::size_t c : r.patterns) total += c;
    EXPECT_EQ(total, r.locations);
    std::int64_t counted = 0;
    for (std::size_t k = 0; k < r.layer.rows.size(); ++k) counted += integer(r.layer, k, "count");
    EXPECT_LE(counted, 13472); // cells inside the neighbourhoods only
    EXPECT_GT(counted, 13000);
    std::cout << "[ sf 2012 ] " << r.summary << "\n";
}
