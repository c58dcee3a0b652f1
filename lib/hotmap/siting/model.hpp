// SPDX-License-Identifier: MIT
// Internal to siting/: the solver's working model, shared by the heuristics and the MIP.
#pragma once

#include "hotmap/siting/solver.hpp"

#include <cstdint>
#include <vector>

namespace hotmap::siting::detail {

/// The problem made ready to solve: the coverage matrix over the demand that no existing
/// facility reaches, the spacing conflicts, and the weights.
struct Model {
    const Problem* p = nullptr;
    const Params* o = nullptr;
    CoverMatrix cover;          ///< candidate -> places it covers (only places not covered already)
    CoverMatrix conflicts;      ///< candidate -> candidates closer than --min-spacing
    std::vector<double> w;      ///< per place: weight, 0 where an existing facility covers it
    double base = 0;            ///< weight covered by the existing facilities
    double total = 0;           ///< all demand weight
    std::size_t n_places = 0, n_candidates = 0;

    double weight_of(std::uint32_t j) const
    {
        double s = 0;
        for (std::uint64_t k = cover.start[j]; k < cover.start[j + 1]; ++k) s += w[cover.index[k]];
        return s;
    }
};

/// Distance from place i to candidate j, metres.
double distance(const Problem& p, std::uint32_t i, std::uint32_t j);

/// The exact MIP (GLPK) for the objective, started from `start` (a feasible heuristic
/// solution, offered to GLPK as its first incumbent). Fills sites (unranked), objective,
/// bound, optimal, time_limit_reached. Throws ParameterError when the model is too large.
Solution solve_exact(const Model& m, const std::vector<std::uint32_t>& start);

/// The LP relaxation's optimum (mclp: an upper bound on the covered weight, base included;
/// lscp: a lower bound on the sites needed, before rounding up), within a fixed number of
/// simplex iterations (the same answer on every machine); NaN when they do not suffice.
/// Throws ParameterError when the model is too large for GLPK.
double lp_bound(const Model& m);

/// Weight a capacitated set serves at most: max flow from the sites (capacity each) to the
/// places they cover (each place its weight), solved exactly on integer-scaled weights.
/// `served` (optional) receives the weight of each place the flow serves.
double capacitated_coverage(const Model& m, const std::vector<std::uint32_t>& sites, double capacity,
                            std::vector<double>* served = nullptr);

} // namespace hotmap::siting::detail
