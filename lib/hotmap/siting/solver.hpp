// SPDX-License-Identifier: MIT
// Site selection (DESIGN.md §5 "Siting"): maximal covering (MCLP), set covering to a target
// (LSCP) and p-median, with existing facilities open and fixed, spacing, per-district and
// capacity limits; a heuristic for any size and an exact MIP (GLPK), each with a bound.
//
// MCLP: choose at most K candidates maximising the weight of demand within the radius of an
// open site (existing facilities count as open; their demand is covered before the first new
// site). Heuristic: greedy with lazy gains (gains only shrink as coverage grows), then
// pairwise interchange (replace an open site by a closed candidate while it pays). Bounds on
// the optimum: f(S) + the K largest gains left (submodularity), a Lagrangian relaxation of the
// coverage constraints (subgradient), and the exact optimum with GLPK.
// LSCP: the fewest new sites reaching a share of all demand weight (existing coverage
// included); greedy, redundant sites dropped, and GLPK. P-median: K sites minimising the
// weighted mean distance from demand to its nearest open site (existing included); greedy and
// interchange, a Lagrangian lower bound, GLPK for small instances.
// Everything is deterministic: ties go to the lower candidate index; any thread count.
#pragma once

#include "hotmap/siting/problem.hpp"

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace hotmap::siting {

enum class Objective { mclp, lscp, pmedian };
/// "mclp" / "lscp" / "pmedian"; throws ParameterError naming --objective.
Objective parse_objective(const std::string& s);
std::string objective_name(Objective o);

/// Everything a solver needs, in the working CRS (metres).
struct Problem {
    Demand demand;
    std::vector<std::uint8_t> precovered;  ///< per place: reached by an existing facility
    std::vector<double> existing_m;        ///< per place: distance to the nearest existing facility (inf: none)
    std::vector<Candidate> candidates;
    std::vector<std::uint8_t> allowed;     ///< per candidate: may open (not too close to an existing facility)
    double radius_m = 0;                   ///< reach of a new site (mclp, lscp; pmedian: for the coverage figures)
    std::size_t districts = 0;             ///< number of districts (for max_per_district)
    /// A coverage matrix given by the caller (distances along the streets, siting/network.hpp)
    /// instead of the straight-line one: candidate j covers the places cover->index[start[j] ..
    /// start[j+1]), precovered places left out. Not owned; null = straight-line within radius_m.
    const CoverMatrix* cover = nullptr;
    /// Distances given by the caller (p-median along the streets): (*distances)[j * places + i]
    /// from candidate j to place i, infinity where none leads there. Not owned; null = straight lines.
    const std::vector<double>* distances = nullptr;
    /// Spacing conflicts given by the caller (--min-spacing along the streets): candidate j may
    /// not open beside the candidates conflicts->index[start[j] .. start[j+1]). Not owned; null =
    /// straight-line distances below Params::min_spacing_m.
    const CoverMatrix* conflicts = nullptr;
};

struct Params {
    Objective objective = Objective::mclp;
    unsigned k = 1;                    ///< mclp/pmedian: sites to add; lscp: at most this many (0 = no limit)
    double target_pct = 0;             ///< lscp: share of all demand weight to reach, percent
    double min_spacing_m = 0;          ///< between new sites (existing ones: Problem::allowed)
    unsigned max_per_district = 0;     ///< 0 = no limit
    double capacity = 0;               ///< mclp: weight a new site serves at most (0 = no limit)
    bool exact = false;                ///< GLPK MIP
    double time_limit_s = 60;          ///< for the MIP; the best solution and bound are kept
    unsigned max_swap_passes = 200;
    unsigned threads = 0;
};

struct Solution {
    std::vector<std::uint32_t> sites;  ///< candidate indexes in rank order (largest marginal gain first)
    std::vector<double> gain;          ///< per rank: newly covered weight (pmedian: weighted distance saved)
    std::vector<double> covered;       ///< per rank: covered weight with this and the higher ranks, existing included
    std::vector<double> mean_m;        ///< per rank (pmedian): weighted mean distance to the nearest open site
    double base_covered = 0;           ///< covered by the existing facilities alone
    double base_mean_m = 0;            ///< pmedian: mean distance with the existing facilities alone (inf: none)
    double objective = 0;              ///< mclp/lscp: covered weight; pmedian: total weighted distance
    double bound = std::numeric_limits<double>::quiet_NaN(); ///< mclp: upper; pmedian: lower; lscp: fewest sites possible
    std::string bound_method;
    double gap_pct = std::numeric_limits<double>::quiet_NaN(); ///< 100 (bound - objective) / bound (mclp), (obj - bound)/obj (pmedian)
    bool optimal = false;              ///< proved (exact, within tolerance)
    bool time_limit_reached = false;
    std::string method;                ///< "greedy + interchange", "GLPK branch-and-cut", ...
    unsigned swaps = 0;                ///< interchanges applied
    std::vector<std::string> notes;    ///< things the planner should know (fewer sites than asked, ...)
    std::vector<std::string> info;     ///< how it was solved (model sizes, times), for -v
};

/// Solve. Throws ParameterError (k = 0, target not in (0, 100], capacity with another
/// objective), InputError (no candidate can open; an infeasible coverage target: the message
/// gives the best reachable share).
Solution solve(const Problem& p, const Params& o);

/// The ranked prefix figures of a given set of sites (greedy order within the set).
Solution rank_sites(const Problem& p, const Params& o, const std::vector<std::uint32_t>& sites);

} // namespace hotmap::siting
