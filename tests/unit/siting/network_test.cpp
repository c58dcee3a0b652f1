// SPDX-License-Identifier: MIT
// Siting along the streets: candidates on the network and the coverage matrix by network
// distance, against brute-force pairwise shortest paths (Chicago street crimes, and a grid).
#include "hotmap/error.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/network/paths.hpp"
#include "hotmap/siting/network.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

using namespace hotmap;

namespace {

void check_matrix(const network::Graph& g, const std::vector<network::NetPoint>& cand, const std::vector<network::NetPoint>& places,
                  const std::vector<std::uint8_t>& active, double r)
{
    siting::CoverMatrix one;
    {
        one = siting::network_cover_matrix(g, cand, places, active, r, 1);
    }
    const test::ChunkCap cap(3);
    const siting::CoverMatrix many = siting::network_cover_matrix(g, cand, places, active, r, 3);
    ASSERT_EQ(one.start, many.start);
    ASSERT_EQ(one.index, many.index);
    ASSERT_EQ(one.candidates(), cand.size());
    for (std::size_t j = 0; j < cand.size(); ++j) {
        std::vector<std::uint32_t> want;
        for (std::uint32_t i = 0; i < places.size(); ++i)
            if (active[i] && network::network_distance(g, cand[j], places[i]) <= r) want.push_back(i);
        const std::vector<std::uint32_t> got(one.index.begin() + static_cast<std::ptrdiff_t>(one.start[j]),
                                             one.index.begin() + static_cast<std::ptrdiff_t>(one.start[j + 1]));
        ASSERT_EQ(got, want) << "candidate " << j;
    }
}

} // namespace

TEST(SitingNetwork, StreetCandidates)
{
    network::StreetLines s;
    s.lines = {{{0, 0}, {250, 0}}, {{250, 0}, {250, 100}}};
    const network::Graph g = network::build_graph(s);
    const std::vector<network::NetPoint> c = siting::street_candidates(g, 100);
    // 3 junctions, then 2 points inside the 250 m street (83.3 m apart), none inside the 100 m one
    ASSERT_EQ(c.size(), 5u);
    EXPECT_NEAR(c[3].offset_m, 250.0 / 3, 1e-12);
    EXPECT_NEAR(c[4].offset_m, 500.0 / 3, 1e-12);
    EXPECT_THROW(siting::street_candidates(g, 0), ParameterError);
    EXPECT_THROW(siting::street_candidates(g, 1e-3, 1000), ParameterError);
}

TEST(SitingNetwork, GridMatrixMatchesBruteForce)
{
    network::StreetLines s;
    for (int i = 0; i <= 4; ++i) {
        s.lines.push_back({{0, 50.0 * i}, {200, 50.0 * i}});
        s.lines.push_back({{50.0 * i, 0}, {50.0 * i, 200}});
    }
    // the full lines cross without shared vertices except at their ends: a comb of 10 lines
    // joined only at the border; the matrix must follow that topology, not the picture
    const network::Graph g = network::build_graph(s);
    const network::EdgeIndex ix(g);
    std::vector<network::NetPoint> places;
    for (int k = 0; k < 120; ++k) places.push_back(ix.snap(3.7 * k, 1.9 * k));
    std::vector<std::uint8_t> active(places.size(), 1);
    for (std::size_t i = 0; i < active.size(); i += 7) active[i] = 0;
    check_matrix(g, siting::street_candidates(g, 40), places, active, 130);
}

TEST(SitingNetwork, ChicagoMatrixMatchesBruteForce)
{
    HOTMAP_REQUIRE_SHARED(dir, "realdata/chicago_street_crimes");
    const io::StreetLayer sl = io::read_street_lines(dir + "/streets_32616.geojson", "", crs::Crs());
    network::StreetLines lines;
    lines.lines = sl.parts;
    const network::Graph g = network::build_graph(lines);
    const network::EdgeIndex ix(g);
    const test::Table cr = test::read_csv(dir + "/crimes.csv");
    std::vector<network::NetPoint> crimes;
    for (std::size_t i = 0; i < cr.rows.size(); ++i) crimes.push_back(ix.snap(std::stod(cr.at(i, "x")), std::stod(cr.at(i, "y"))));
    check_matrix(g, siting::street_candidates(g, 50), crimes, std::vector<std::uint8_t>(crimes.size(), 1), 100);
}

namespace {

/// Two streets that meet (an L of 300 m + 200 m) and one apart (a 100 m street 50 m away).
network::Graph l_and_island()
{
    network::StreetLines s;
    s.lines = {{{0, 0}, {300, 0}}, {{300, 0}, {300, 200}}, {{0, 50}, {100, 50}}};
    return network::build_graph(s);
}

} // namespace

TEST(SitingNetwork, ConflictsAreWalkingDistancesBelowTheSpacing)
{
    network::StreetLines s;
    for (int i = 0; i <= 3; ++i) {
        s.lines.push_back({{0, 60.0 * i}, {180, 60.0 * i}});
        s.lines.push_back({{60.0 * i, 0}, {60.0 * i, 180}});
    }
    const network::Graph g = network::build_graph(s);
    const std::vector<network::NetPoint> cand = siting::street_candidates(g, 25);
    const siting::CoverMatrix one = siting::network_conflicts(g, cand, 90, 1);
    const test::ChunkCap cap(3);
    const siting::CoverMatrix many = siting::network_conflicts(g, cand, 90, 3);
    ASSERT_EQ(one.start, many.start);
    ASSERT_EQ(one.index, many.index);
    ASSERT_EQ(one.candidates(), cand.size());
    std::size_t pairs = 0;
    for (std::uint32_t j = 0; j < cand.size(); ++j) {
        std::vector<std::uint32_t> want;
        for (std::uint32_t k = 0; k < cand.size(); ++k)
            if (k != j && network::network_distance(g, cand[j], cand[k]) < 90) want.push_back(k);
        const std::vector<std::uint32_t> got(one.index.begin() + static_cast<std::ptrdiff_t>(one.start[j]),
                                             one.index.begin() + static_cast<std::ptrdiff_t>(one.start[j + 1]));
        ASSERT_EQ(got, want) << "candidate " << j;
        pairs += got.size();
    }
    EXPECT_GT(pairs, cand.size()); // the test means something: most candidates have neighbours
    // no spacing: no conflicts, one empty list per candidate
    const siting::CoverMatrix none = siting::network_conflicts(g, cand, 0, 1);
    EXPECT_EQ(none.candidates(), cand.size());
    EXPECT_EQ(none.entries(), 0u);
}

TEST(SitingNetwork, ConflictsFollowTheStreetsNotTheCrowFlight)
{
    const network::Graph g = l_and_island();
    // (0,0) on the L and (0,50) on the island are 50 m apart as the crow flies but not joined;
    // (300,0) is 300 m from (0,0) along the L; (250,0) and (300,50) are 100 m apart round the corner
    const network::EdgeIndex ix(g);
    const std::vector<network::NetPoint> cand{ix.snap(0, 0), ix.snap(0, 50), ix.snap(250, 0), ix.snap(300, 50)};
    const siting::CoverMatrix c = siting::network_conflicts(g, cand, 100.5, 1);
    ASSERT_EQ(c.candidates(), 4u);
    EXPECT_EQ(c.start, (std::vector<std::uint64_t>{0, 0, 0, 1, 2}));
    EXPECT_EQ(c.index, (std::vector<std::uint32_t>{3, 2}));
    // strictly closer: at exactly 100 m they do not conflict
    EXPECT_EQ(siting::network_conflicts(g, cand, 100, 1).entries(), 0u);
}

TEST(SitingNetwork, DistanceMatrixIsTheShortestWalk)
{
    const network::Graph g = l_and_island();
    const network::EdgeIndex ix(g);
    const std::vector<network::NetPoint> cand{ix.snap(100, 0), ix.snap(300, 150), ix.snap(50, 50)};
    const std::vector<network::NetPoint> places{ix.snap(0, -3), ix.snap(290, 40), ix.snap(80, 52), ix.snap(120, 0)};
    const std::vector<double> d = siting::network_distance_matrix(g, cand, places, 1);
    ASSERT_EQ(d.size(), 12u);
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<double> want{100, 200 + 40, inf, 20,   // from (100,0): along the L
                                   450, 110, inf, 330,       // from (300,150): down the side street
                                   inf, inf, 30, inf};       // from the island
    for (std::size_t k = 0; k < want.size(); ++k) {
        if (std::isinf(want[k])) EXPECT_TRUE(std::isinf(d[k])) << k;
        else EXPECT_NEAR(d[k], want[k], 1e-9) << k;
    }
    const test::ChunkCap cap(1);
    EXPECT_EQ(siting::network_distance_matrix(g, cand, places, 3), d);
    EXPECT_THROW(siting::network_distance_matrix(g, cand, places, 1, 11), ParameterError);
}

TEST(SitingNetwork, DemandMergedPerStreetPiece)
{
    network::StreetLines s;
    s.lines = {{{0, 0}, {250, 0}}, {{250, 0}, {250, 60}}};
    const network::Graph g = network::build_graph(s);
    const network::EdgeIndex ix(g);
    siting::Demand d;
    // the 250 m street is cut into 3 pieces of 83.3 m: 10 (w 1) and 50 (w 3) share the first,
    // 90 is alone in the second, 200 in the third; the 60 m street is one piece
    const std::vector<double> xs{10, 50, 90, 200};
    const std::vector<double> ws{1, 3, 1, 2};
    std::vector<network::NetPoint> at;
    for (std::size_t k = 0; k < xs.size(); ++k) {
        d.pts.push_back({xs[k], 0});
        d.weight.push_back(ws[k]);
        d.incidents.push_back(1);
        d.total += ws[k];
        at.push_back(ix.snap(xs[k], 0));
    }
    for (double y : {10.0, 50.0}) {
        d.pts.push_back({250, y});
        d.weight.push_back(1);
        d.incidents.push_back(2);
        d.total += 1;
        at.push_back(ix.snap(250, y));
    }
    std::vector<network::NetPoint> merged;
    const siting::Demand m = siting::merge_along_streets(g, d, at, 100, merged);
    ASSERT_EQ(m.pts.size(), 4u);
    ASSERT_EQ(merged.size(), 4u);
    EXPECT_NEAR(m.pts[0].x, 40, 1e-9); // (1 * 10 + 3 * 50) / 4
    EXPECT_EQ(m.weight[0], 4);
    EXPECT_EQ(m.incidents[0], 2u);
    EXPECT_NEAR(m.pts[1].x, 90, 1e-9);
    EXPECT_NEAR(m.pts[2].x, 200, 1e-9);
    EXPECT_NEAR(m.pts[3].x, 250, 1e-9);
    EXPECT_NEAR(m.pts[3].y, 30, 1e-9);
    EXPECT_EQ(m.incidents[3], 4u);
    EXPECT_NEAR(m.total, d.total, 1e-12);
    EXPECT_NEAR(m.max_shift_m, 30, 1e-9); // 10 -> 40, and 250,10 / 250,50 -> 250,30 (20 m)
    EXPECT_THROW(siting::merge_along_streets(g, d, at, 0, merged), ParameterError);
}
