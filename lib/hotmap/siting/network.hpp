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

/// --min-spacing along the streets: per candidate, the other candidates closer than
/// `spacing_m` along the streets (strictly, as the straight-line conflict_lists).
CoverMatrix network_conflicts(const network::Graph& g, const std::vector<network::NetPoint>& candidates, double spacing_m,
                              unsigned threads);

/// The most distances network_distance_matrix holds by default (200 MB).
inline constexpr std::size_t k_max_distances = 25'000'000;

/// The p-median's distances along the streets: [j * places + i] is the shortest path from
/// candidate j to place i (infinity when they lie in different components of the network).
/// One Dijkstra per candidate, candidates in parallel. Throws ParameterError when the matrix
/// would hold more than `max_entries` distances.
std::vector<double> network_distance_matrix(const network::Graph& g, const std::vector<network::NetPoint>& candidates,
                                            const std::vector<network::NetPoint>& places, unsigned threads,
                                            std::size_t max_entries = k_max_distances);

/// Demand along the streets merged per street piece: the places on each edge are grouped by
/// pieces of at most `piece_m` along the edge (the edge cut into the fewest equal pieces), each
/// group one place at the weight-averaged offset of its own. `at` receives the merged places on
/// the network; `max_shift_m` of the result is the farthest an incident moved along its street.
Demand merge_along_streets(const network::Graph& g, const Demand& demand, const std::vector<network::NetPoint>& places,
                           double piece_m, std::vector<network::NetPoint>& at);

} // namespace hotmap::siting
