// SPDX-License-Identifier: MIT
// Local Moran's I (LISA, total and conditional randomisation) and global Moran's I.
#pragma once

#include "hotmap/stats/lattice_weights.hpp"
#include "hotmap/stats/weights.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace hotmap::stats {

enum class WeightStyle { row, binary }; ///< spdep styles "W" and "B"

/// Per feature results (reference/README.md §c). NaN for features without neighbours.
struct LocalMoran {
    std::vector<double> ii;                      ///< Ii (LMiIndex)
    std::vector<double> e_total, var_total, z_total, p_total; ///< conditional = FALSE
    std::vector<double> e_cond, var_cond, z_cond;             ///< conditional = TRUE
    std::vector<std::uint32_t> nn;               ///< neighbours (no self)
    std::vector<double> pseudo_p;                ///< permutation pseudo-p (empty without)
    std::vector<std::string> cotype;             ///< HH/LL/HL/LH where significant, else ""
};

struct LisaOptions {
    WeightStyle style = WeightStyle::row;
    unsigned permutations = 999;
    std::uint64_t seed = 12345;
    bool fdr = true;        ///< COType significance: BH FDR at 0.05 instead of p <= 0.05
    unsigned threads = 0;
};

/// Local Moran's I of `x` with binary neighbour lists `w` (no self); the style is applied here.
/// COType uses the permutation pseudo-p when permutations > 0, else the analytical p.
/// Throws InputError (a data condition) for fewer than 3 features or a constant variable.
LocalMoran local_moran(const std::vector<double>& x, const Weights& w, const LisaOptions& o = {});

/// The same on a lattice stencil (binary distance band; the style applied as 1/count): the
/// same arithmetic in the same order as on the equal CSR lists, so the same Ii, z, p,
/// pseudo-p and COType to the bit, without holding the links. The permutations run on it
/// too (their cost is R x neighbours per cell, as on the lists).
LocalMoran local_moran(const std::vector<double>& x, const LatticeWeights& w, const LisaOptions& o = {});

/// Global Moran's I with E[I], variance under randomisation (or normality), z and p.
struct GlobalMoran {
    double i = 0, expected = 0, variance = 0, z = 0, p_greater = 0, p_two_sided = 0;
    std::size_t n = 0; ///< features with at least one neighbour
};

/// `w` as given (apply row_standardise first for style W). Mean and moments over all
/// features; n excludes features without neighbours (spdep adjust.n).
GlobalMoran global_moran(const std::vector<double>& x, const Weights& w, bool randomisation = true);

/// The same on a lattice stencil, binary or row-standardised (style W): equal to the bit to
/// global_moran on the equal (row-standardised) lists.
GlobalMoran global_moran(const std::vector<double>& x, const LatticeWeights& w, bool row_standardised, bool randomisation = true);

} // namespace hotmap::stats
