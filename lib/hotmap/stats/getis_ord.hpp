// SPDX-License-Identifier: MIT
// Getis-Ord Gi* hot spots (binary weights, self included), significance bins and FDR.
#pragma once

#include "hotmap/stats/lattice_weights.hpp"
#include "hotmap/stats/weights.hpp"

#include <cstdint>
#include <vector>

namespace hotmap::stats {

/// Per feature results. NaN z/p (and bin 0) for features without any neighbour.
struct GiStar {
    std::vector<double> z;          ///< GiZScore
    std::vector<double> p;          ///< two-sided normal p (GiPValue)
    std::vector<std::uint32_t> nn;  ///< neighbours including self (NNeighbors)
    std::vector<int> bin;           ///< Gi_Bin -3..3
    std::vector<double> pseudo_p;   ///< permutation pseudo-p (empty without permutations)
};

struct GiOptions {
    bool fdr = true;            ///< Benjamini-Hochberg bins
    unsigned permutations = 0;  ///< conditional permutations for pseudo-p (0 = none)
    std::uint64_t seed = 12345;
    unsigned threads = 0;       ///< 0 = all cores; results identical for any count
};

/// Gi* of `x` with weights `w` (self added with weight 1; stored weights are used as given,
/// binary for the DESIGN contract). Throws InputError (a data condition) for fewer than 3
/// features or a constant variable (zero variance), ParameterError for a size mismatch.
GiStar getis_ord_gistar(const std::vector<double>& x, const Weights& w, const GiOptions& o = {});

/// The same on a lattice stencil (binary distance band): the same arithmetic in the same
/// order as on the equal CSR lists, so the same z, p, bins and pseudo-p to the bit, without
/// holding the links.
GiStar getis_ord_gistar(const std::vector<double>& x, const LatticeWeights& w, const GiOptions& o = {});

/// Gi* on a full regular lattice without building weights: values row-major `ncol` x `nrow`
/// (cells of side 1), neighbours = cells whose centre distance <= `band_cells`, self included.
/// Same results as getis_ord_gistar with distance_band weights, O(n * stencil).
GiStar getis_ord_lattice(const std::vector<double>& x, std::size_t ncol, std::size_t nrow, double band_cells,
                         const GiOptions& o = {});

/// Significance bins from z and p: +-3/2/1 at p <= 0.01/0.05/0.10 (sign of z); with `fdr`,
/// Benjamini-Hochberg step-up at each level over the features with a finite p.
std::vector<int> significance_bins(const std::vector<double>& z, const std::vector<double>& p, bool fdr);

/// Benjamini-Hochberg: which of `p` (NaN ignored, not counted) pass at false discovery rate q.
std::vector<char> fdr_pass(const std::vector<double>& p, double q);

/// Two-sided normal p of z (NaN stays NaN).
double two_sided_p(double z);

/// Deterministic per-feature RNG seed from (seed, feature index).
std::uint64_t feature_seed(std::uint64_t seed, std::size_t i);

} // namespace hotmap::stats
