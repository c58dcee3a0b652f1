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
