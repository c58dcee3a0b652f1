// SPDX-License-Identifier: MIT
// Siting along the streets: candidate places on the network and the coverage matrix by
// network distance (a candidate covers a demand place when the shortest path along the
// streets between them is at most the radius). The solvers take the matrix as it is.
#pragma once

#include "hotmap/network/graph.hpp"
#include "hotmap/siting/problem.hpp"

#include <cstdint>
#include <vector>

namespace hotmap::siting {

/// Every junction (node) of the network, then points along each street at most `spacing_m`
/// apart (each edge cut into the fewest equal pieces of at most spacing_m; the inner cut points).
/// Throws ParameterError for a spacing that is not positive, or more than `max_candidates`.
std::vector<network::NetPoint> street_candidates(const network::Graph& g, double spacing_m, std::size_t max_candidates = 5'000'000);

/// Demand places (`places`, with `active` set) within `radius_m` along the streets of each
/// candidate: a bounded Dijkstra per candidate, candidates in parallel; identical results for
/// any thread count.
CoverMatrix network_cover_matrix(const network::Graph& g, const std::vector<network::NetPoint>& candidates,
                                 const std::vector<network::NetPoint>& places, const std::vector<std::uint8_t>& active,
                                 double radius_m, unsigned threads);

} // namespace hotmap::siting
