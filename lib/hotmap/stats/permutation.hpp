// SPDX-License-Identifier: MIT
// Conditional permutation pseudo-p for local statistics (Gi*, local Moran), seeded per feature.
#pragma once

#include "hotmap/stats/lattice_weights.hpp"
#include "hotmap/stats/weights.hpp"

#include <cstdint>
#include <vector>

namespace hotmap::stats {

enum class PermStat { gistar, local_moran };

/// Pseudo-p (k+1)/(R+1) per feature: x_i held fixed, its neighbours' values drawn at random
/// without replacement from the other n-1 values, R times; k = the number of draws at least as
/// extreme as observed, on the side of the observed value: k = min(#draws >= observed,
/// #draws <= observed), so ties count on both sides (PySAL's fold counts them on one side only,
/// which gives a unit that ties with every draw the smallest pseudo-p). Each
/// feature's RNG is seeded from (seed, index): identical for any thread count. NaN for
/// features without neighbours.
std::vector<double> permutation_pseudo_p(const std::vector<double>& x, const Weights& w, PermStat stat,
                                         unsigned permutations, std::uint64_t seed, unsigned threads);

/// The same on a lattice stencil, binary or (`row_standardised`) with weights 1/count: the
/// same draws and sums as on the equal (row-standardised) CSR lists.
std::vector<double> permutation_pseudo_p(const std::vector<double>& x, const LatticeWeights& w, bool row_standardised, PermStat stat,
                                         unsigned permutations, std::uint64_t seed, unsigned threads);

} // namespace hotmap::stats
