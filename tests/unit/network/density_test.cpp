// SPDX-License-Identifier: MIT
// Network kernel density: hand-computed values on small networks (straight street, dead end,
// T junction, loop, two components), mass conservation, thread-count independence, and the
// shared reference (spatstat.linnet equal-split densities on the Chicago street crimes).
#include "hotmap/error.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/network/density.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace hotmap;
using namespace hotmap::network;

namespace {

Graph make(std::vector<std::vector<Point>> lines)
{
    StreetLines s;
    s.lines = std::move(lines);
    return build_graph(s);
}

double epa(double h, double d) { return d < h ? 3.0 / (4.0 * h) * (1 - d * d / (h * h)) : 0.0; }

double at(const Graph& g, const std::vector<NetPoint>& ev, NetPoint q, Split split, double h = 100,
          density::Kernel k = density::Kernel::epanechnikov)
{
    NetworkKdeParams p;
    p.bandwidth_m = h;
    p.kernel = k;
    p.split = split;
    p.threads = 1;
    return network_density(g, ev, {}, {q}, p)[0];
}

} // namespace

TEST(NetworkDensity, Kernels1DIntegrateToOne)
{
    for (density::Kernel k : {density::Kernel::quartic, density::Kernel::epanechnikov, density::Kernel::triweight,
                              density::Kernel::uniform, density::Kernel::gaussian}) {
        const double h = 50, top = kernel_1d_support(k, h);
        double sum = 0;
        const int n = 200000;
        for (int i = 0; i < n; ++i) sum += 2 * kernel_1d(k, h, (i + 0.5) * top / n) * top / n;
        EXPECT_NEAR(sum, 1.0, 1e-8) << density::kernel_name(k);
    }
    EXPECT_DOUBLE_EQ(kernel_1d(density::Kernel::epanechnikov, 100, 50), 0.005625);
    EXPECT_DOUBLE_EQ(kernel_1d(density::Kernel::quartic, 100, 0), 15.0 / 1600);
    EXPECT_EQ(kernel_1d(density::Kernel::quartic, 100, 100), 0.0);
}

TEST(NetworkDensity, StraightStreetAndDeadEnd)
{
    const Graph g = make({{{0, 0}, {1000, 0}}});
    // in the middle: the plain 1-D kernel
    EXPECT_DOUBLE_EQ(at(g, {{0, 500, 0}}, {0, 550, 0}, Split::discontinuous), epa(100, 50));
    EXPECT_DOUBLE_EQ(at(g, {{0, 500, 0}}, {0, 550, 0}, Split::continuous), epa(100, 50));
    // 20 m from a dead end: discontinuous loses the mass there, continuous reflects it
    EXPECT_DOUBLE_EQ(at(g, {{0, 20, 0}}, {0, 50, 0}, Split::discontinuous), epa(100, 30));
    EXPECT_DOUBLE_EQ(at(g, {{0, 20, 0}}, {0, 50, 0}, Split::continuous), epa(100, 30) + epa(100, 70));
    EXPECT_DOUBLE_EQ(at(g, {{0, 20, 0}}, {0, 5, 0}, Split::continuous), epa(100, 15) + epa(100, 25));
}

TEST(NetworkDensity, TJunction)
{
    // arms of 200 m from the junction J = (0,0): west, east, north
    const Graph g = make({{{-200, 0}, {0, 0}}, {{0, 0}, {200, 0}}, {{0, 0}, {0, 200}}});
    ASSERT_EQ(g.edges.size(), 3u);
    const NetPoint ev{0, 170, 0};                   // 30 m west of J
    const NetPoint north20{2, 20, 0}, west10{0, 190, 0};
    EXPECT_DOUBLE_EQ(at(g, {ev}, north20, Split::discontinuous), epa(100, 50) / 2);
    EXPECT_DOUBLE_EQ(at(g, {ev}, north20, Split::continuous), epa(100, 50) * 2 / 3);
    // between the event and J: the direct path, and (continuous) the reflection at J x (2-3)/3
    EXPECT_DOUBLE_EQ(at(g, {ev}, west10, Split::discontinuous), epa(100, 20));
    EXPECT_DOUBLE_EQ(at(g, {ev}, west10, Split::continuous), epa(100, 20) - epa(100, 40) / 3);
    // quartic too: 15/(16h)(1-u^2)^2
    const double q50 = 15.0 / 1600 * std::pow(1 - 0.25, 2);
    EXPECT_DOUBLE_EQ(at(g, {ev}, north20, Split::discontinuous, 100, density::Kernel::quartic), q50 / 2);
}

TEST(NetworkDensity, LoopAndTwoComponents)
{
    // a closed ring of 100 m drawn as one line (one node of degree 2), and a separate street
    const Graph g = make({{{0, 0}, {50, 0}, {50, 50}, {0, 50}, {0, 0}}, {{1000, 0}, {1200, 0}}});
    ASSERT_EQ(g.edges.size(), 2u);
    ASSERT_EQ(g.edges[0].length_m, 200.0);
    // event at 10 m, place at 40 m: 30 m one way, 170 m the other; h = 250: also 230 (once round + 30)
    for (Split s : {Split::discontinuous, Split::continuous}) {
        EXPECT_DOUBLE_EQ(at(g, {{0, 10, 0}}, {0, 40, 0}, s, 250), epa(250, 30) + epa(250, 170) + epa(250, 230)) << split_name(s);
        EXPECT_DOUBLE_EQ(at(g, {{0, 10, 0}}, {0, 150, 0}, s, 100), epa(100, 60));
        EXPECT_EQ(at(g, {{0, 10, 0}}, {1, 10, 0}, s, 1e5), 0.0); // other component: no path
    }
}

TEST(NetworkDensity, MassIsConservedAndThreadCountDoesNotMatter)
{
    // a 3 x 3 block grid (100 m blocks) with two dead-end stubs; events spread over it
    std::vector<std::vector<Point>> lines;
    for (int i = 0; i <= 3; ++i) {
        lines.push_back({{0, 100.0 * i}, {100, 100.0 * i}, {200, 100.0 * i}, {300, 100.0 * i}});
        lines.push_back({{100.0 * i, 0}, {100.0 * i, 100}, {100.0 * i, 200}, {100.0 * i, 300}});
    }
    lines.push_back({{300, 300}, {340, 340}});
    lines.push_back({{0, 0}, {-30, 0}});
    const Graph g = make(lines);
    const EdgeIndex ix(g);
    std::vector<NetPoint> ev;
    for (int i = 0; i < 40; ++i) ev.push_back(ix.snap(150 + 7.3 * (i % 11) - 30, 160 + 5.1 * (i % 7) - 20));
    const std::vector<Lixel> lx = lixels(g, 0.25);
    std::vector<NetPoint> mids;
    for (const Lixel& l : lx) mids.push_back({l.edge, (l.from_m + l.to_m) / 2, 0});
    NetworkKdeParams p;
    p.bandwidth_m = 120;
    p.kernel = density::Kernel::quartic;
    for (Split s : {Split::continuous, Split::discontinuous}) {
        p.split = s;
        p.threads = 1;
        const std::vector<double> one = network_density(g, ev, {}, mids, p);
        double mass = 0;
        for (std::size_t k = 0; k < lx.size(); ++k) mass += one[k] * (lx[k].to_m - lx[k].from_m);
        // the events lie in the middle blocks, more than 120 m from the stubs' tips: all mass stays
        EXPECT_NEAR(mass, 40.0, 40.0 * 1e-4) << split_name(s);
        const test::ChunkCap cap(5);
        p.threads = 3;
        const std::vector<double> many = network_density(g, ev, {}, mids, p);
        ASSERT_EQ(one, many);
    }
}

namespace {

/// The equal-split density by plain recursion over the paths, every event's kernel evaluated
/// on its own (no loops in the network; events off the junctions): the test's oracle.
struct PathOracle {
    const Graph& g;
    const std::vector<NetPoint>& ev;
    density::Kernel k;
    double h;
    Split split;

    double k1(double d) const { return kernel_1d(k, h, d); }
    /// events of edge f at distance dist + (their offset from `node`'s end)
    double along(std::uint32_t f, std::uint32_t node, double dist) const
    {
        double s = 0;
        for (const NetPoint& e : ev)
            if (e.edge == f) s += k1(dist + (g.edges[f].from == node ? e.offset_m : g.edges[f].length_m - e.offset_m));
        return s;
    }
    double arrive(std::uint32_t node, std::uint32_t came_by, double dist, double factor) const
    {
        if (!(dist < kernel_1d_support(k, h))) return 0;
        const std::uint32_t m = g.degree(node);
        double on = 0, back = 0;
        if (split == Split::discontinuous) {
            if (m == 1) return 0;
            on = factor / (m - 1);
        } else {
            on = factor * 2.0 / m;
            back = factor * (2.0 - m) / m;
        }
        double s = 0;
        for (std::uint32_t a = g.adj_start[node]; a < g.adj_start[node + 1]; ++a) {
            const std::uint32_t f = g.adj_edge[a];
            const double w = f == came_by ? back : on;
            if (w == 0) continue;
            s += w * along(f, node, dist);
            s += arrive(g.other(f, node), f, dist + g.edges[f].length_m, w);
        }
        return s;
    }
    double at(const NetPoint& q) const
    {
        double s = 0;
        for (const NetPoint& e : ev)
            if (e.edge == q.edge) s += k1(std::fabs(e.offset_m - q.offset_m));
        const Edge& e = g.edges[q.edge];
        return s + arrive(e.to, q.edge, e.length_m - q.offset_m, 1.0) + arrive(e.from, q.edge, q.offset_m, 1.0);
    }
};

} // namespace

// Edges shorter than the bandwidth are summed whole from their events' moments: equal to the
// path-by-path oracle for every polynomial kernel and both splits, on blocks of 40 m (many
// whole edges) with stubs, many events per edge.
TEST(NetworkDensity, WholeEdgesEqualThePathOracle)
{
    std::vector<std::vector<Point>> lines;
    for (int i = 0; i <= 3; ++i) {
        lines.push_back({{0, 40.0 * i}, {40, 40.0 * i}, {80, 40.0 * i}, {120, 40.0 * i}});
        lines.push_back({{40.0 * i, 0}, {40.0 * i, 40}, {40.0 * i, 80}, {40.0 * i, 120}});
    }
    lines.push_back({{120, 120}, {137, 141}});
    lines.push_back({{0, 0}, {-23, 0}});
    const Graph g = make(lines);
    const EdgeIndex ix(g);
    std::vector<NetPoint> ev;
    for (int i = 0; i < 150; ++i) {
        NetPoint p = ix.snap(std::fmod(13.7 * i, 125.0) - 3, std::fmod(9.1 * i + 4, 128.0) - 2);
        const double len = g.edges[p.edge].length_m;
        p.offset_m = std::clamp(p.offset_m, 0.5, len - 0.5); // off the junctions, as the oracle assumes
        ev.push_back(p);
    }
    std::vector<NetPoint> places;
    for (const Lixel& l : lixels(g, 7)) places.push_back({l.edge, (l.from_m + l.to_m) / 2, 0});
    for (density::Kernel k : {density::Kernel::quartic, density::Kernel::epanechnikov, density::Kernel::triweight, density::Kernel::uniform})
        for (Split sp : {Split::discontinuous, Split::continuous}) {
            NetworkKdeParams p;
            p.bandwidth_m = 95;
            p.kernel = k;
            p.split = sp;
            p.threads = 1;
            const std::vector<double> got = network_density(g, ev, {}, places, p);
            const PathOracle o{g, ev, k, 95, sp};
            double top = 0, worst = 0;
            for (std::size_t i = 0; i < places.size(); ++i) {
                const double want = o.at(places[i]);
                top = std::max(top, std::fabs(want));
                worst = std::max(worst, std::fabs(got[i] - want));
            }
            ASSERT_GT(top, 0);
            EXPECT_LT(worst, 1e-12 * top) << density::kernel_name(k) << " " << split_name(sp) << " worst " << worst << " of " << top;
        }
}

TEST(NetworkDensity, LixelsAndBadParameters)
{
    const Graph g = make({{{0, 0}, {25, 0}}, {{25, 0}, {25, 10}}});
    const std::vector<Lixel> lx = lixels(g, 10);
    ASSERT_EQ(lx.size(), 4u); // 25 m -> 3 of 8.33 m, 10 m -> 1
    EXPECT_DOUBLE_EQ(lx[2].to_m, 25.0);
    EXPECT_NEAR(lx[1].from_m, 25.0 / 3, 1e-12);
    EXPECT_THROW(lixels(g, 0), ParameterError);
    NetworkKdeParams p;
    p.bandwidth_m = 0;
    EXPECT_THROW(network_density(g, {}, {}, {}, p), ParameterError);
    EXPECT_THROW(parse_split("smooth"), ParameterError);
}

namespace {

struct Chicago {
    Graph graph;
    std::vector<NetPoint> crimes;
};

Chicago load(const std::string& dir)
{
    Chicago c;
    const io::StreetLayer s = io::read_street_lines(dir + "/streets_32616.geojson", "", crs::Crs());
    StreetLines lines;
    lines.lines = s.parts;
    c.graph = build_graph(lines);
    const EdgeIndex ix(c.graph);
    const test::Table cr = test::read_csv(dir + "/crimes.csv");
    for (std::size_t i = 0; i < cr.rows.size(); ++i) c.crimes.push_back(ix.snap(std::stod(cr.at(i, "x")), std::stod(cr.at(i, "y"))));
    return c;
}

void compare(const std::string& ref_file, const Chicago& c, Split split, double h, bool at_crimes)
{
    const test::Table want = test::read_csv(ref_file);
    ASSERT_FALSE(want.rows.empty());
    const EdgeIndex ix(c.graph);
    std::vector<NetPoint> places;
    for (std::size_t i = 0; i < want.rows.size(); ++i) {
        if (at_crimes) {
            places.push_back(c.crimes.at(static_cast<std::size_t>(std::stoi(want.at(i, "id")) - 1)));
        } else {
            const NetPoint p = ix.snap(std::stod(want.at(i, "x")), std::stod(want.at(i, "y")));
            ASSERT_LT(p.snap_m, 1e-5);
            ASSERT_EQ(static_cast<int>(p.edge) + 1, std::stoi(want.at(i, "seg_id"))); // segments are in seg_id order
            places.push_back(p);
        }
    }
    NetworkKdeParams p;
    p.bandwidth_m = h;
    p.kernel = density::Kernel::epanechnikov;
    p.split = split;
    p.threads = 2;
    const std::vector<double> got = network_density(c.graph, c.crimes, {}, places, p);
    // Relative to the largest reference value: the places and crimes are given to the micrometre,
    // and where a kernel's tail ends (values around 1e-3 of the peak) a micrometre moves the
    // value by a few 1e-6 of itself; above 1% of the peak every value agrees to 1e-6 of itself (an independent tracer on the same coordinates agrees with
    // hotmap to 1e-15 there).
    double top = 0;
    for (std::size_t i = 0; i < places.size(); ++i) top = std::max(top, std::fabs(std::stod(want.at(i, "density"))));
    double worst = 0;
    for (std::size_t i = 0; i < places.size(); ++i) {
        const double w = std::stod(want.at(i, "density"));
        const double rel = std::fabs(got[i] - w) / top;
        worst = std::max(worst, rel);
        EXPECT_LE(rel, 1e-6) << ref_file << " row " << i + 2 << ": " << got[i] << " vs " << w;
        if (std::fabs(w) > 1e-2 * top) {
            EXPECT_LE(std::fabs(got[i] - w), 1e-6 * std::fabs(w)) << ref_file << " row " << i + 2;
        }
    }
    char text[64];
    std::snprintf(text, sizeof text, "%.3g", worst);
    ::testing::Test::RecordProperty("worst_diff_over_max_" + ref_file.substr(ref_file.rfind('/') + 1), text);
}

} // namespace

TEST(NetworkDensityReference, ChicagoDiscontinuousH60)
{
    HOTMAP_REQUIRE_SHARED(dir, "realdata/chicago_street_crimes");
    HOTMAP_REQUIRE_SHARED(ref, "reference/chicago_street_crimes");
    const Chicago c = load(dir);
    compare(ref + "/es_disc_R60_at_points.csv", c, Split::discontinuous, 60, false);
    compare(ref + "/es_disc_R60_at_crimes.csv", c, Split::discontinuous, 60, true);
}

TEST(NetworkDensityReference, ChicagoContinuousH40)
{
    HOTMAP_REQUIRE_SHARED(dir, "realdata/chicago_street_crimes");
    HOTMAP_REQUIRE_SHARED(ref, "reference/chicago_street_crimes");
    const Chicago c = load(dir);
    compare(ref + "/es_cont_R40_at_points.csv", c, Split::continuous, 40, false);
    compare(ref + "/es_cont_R40_at_crimes.csv", c, Split::continuous, 40, true);
}
