// SPDX-License-Identifier: MIT
// Statistical disclosure control for published count tables: cell suppression.
//
// THE MODEL. A publication is a set of cells (counts or weights, all >= 0) linked by
// additivity equations, each "sum of the cells in `parts` == the cell `total`". A units x
// categories table with its margins, a hierarchy (each district total = the sum of its grid
// cells) and two periods with their sum (before + after = total) are all instances
// (table_system, hierarchy_system, periods_system).
//
// PRIMARY SUPPRESSION. Every cell with 0 < value < k is suppressed. A zero is published by
// default: it says that no incident happened, which reveals no one (set `suppress_zero` to
// suppress the zeros too, as some publishers require).
//
// THE ATTACKER AND THE AUDIT. An attacker knows the published cells, the equations and that
// counts are non-negative. For a suppressed cell the set of values he cannot exclude is the
// interval [lo, hi] = [min, max] of that cell over all non-negative real solutions of the
// equations with the published cells fixed: two linear programs per suppressed cell (GLPK
// simplex). These bounds are exactly the extremes the attacker can obtain from ANY linear
// combination of the published totals the equations allow (LP duality), so no smarter
// combination of rows, columns and periods does better. The bounds are over real solutions;
// for the three builders' systems (with disjoint groups in a hierarchy) the constraint matrix
// is a network matrix (each cell is +1 in one equation and -1 in at most one other, once the
// column and by-columns equations are negated), hence totally unimodular: with integer counts
// every bound is an integer and equals the bound over integer solutions, so an attacker who
// knows the counts are whole numbers learns nothing more. For other systems the integer bounds
// can be tighter than the real ones.
//
// PROTECTION. A suppressed cell of value v is "recovered" (exposed) when its interval is too
// narrow: when lo > max(0, v - p) or hi < v + p (up to a tolerance of 1e-7 times the scale of
// the values), i.e. the interval must contain [v - p, v + p] intersected with [0, inf). With
// the default p = 1 the attacker cannot pin any suppressed count to within 1 either way (a
// determined cell, lo == hi, is always exposed when p > 0; with p = 0 only a determined cell
// is exposed).
//
// COMPLEMENTARY SUPPRESSION (greedy, deterministic). Until no suppressed cell is exposed:
//  1. if an equation holds exactly one suppressed cell, that cell is determined; take the one
//     of lowest index and suppress one more published cell of the equations in which it is
//     alone (the smallest by (rank, zero last, value, index), see below);
//  2. otherwise audit the suppressed cells in index order and take the first exposed one;
//     suppress the published cells of the cheapest change that moves it by p the way(s) it is
//     exposed: a min-cost circulation over its neighbourhood (an LP: every equation kept, every
//     count >= 0, a published cell costs 1 + 4 rank + value/scale when it changes); after
//     that, that very change is open to the attacker, so the cell is protected that way. When
//     no change exists in its neighbourhood (nor in one 8 times wider), one more cell of its
//     equations (else anywhere) -- unless fixed cells pin it, when it is counted `unprotected`.
// Rank 0 = a cell that is the total of no equation (an interior cell, a grid cell, a period),
// rank 1 = a total that is also a part of another equation (a row or column total), rank 2 = a
// total that is the part of nothing (a grand total, a district total, a two-period total). A
// zero is the last choice of its rank: it cannot go down to hide an increase and, once
// suppressed, needs protecting itself. Each step adds a cell, so the loop ends.
//
// THE AUDIT IN THE LOOP. Adding a suppression only widens the intervals (a solution of the old
// system is one of the new with the added cell at its value), so a cell found protected stays
// protected and is not audited again. A cell is first audited LOCALLY: only the suppressed cells
// of its neighbourhood are free (the cells of its equations and of their equations, at most 24
// suppressed and 24 published cells nearest by index from a large equation, fewer at the second
// step), all others fixed at their values; that interval lies inside the full one, so a cell
// protected locally is protected. With at most 1,500 suppressed cells after step 1 (EXACT mode)
// a cell exposed locally is audited again on the full system before anything is added; above
// that (large grids) the local verdict stands, which may suppress more than needed, never less.
// The greedy result is not minimal (the cheapest pattern is NP-hard to find); it is safe.
//
// FIXED CELLS. CountSystem::fixed marks totals published by another layer or in metadata
// (the column totals, the districts' totals beside a grid): never suppressed, known to the
// attacker. A suppressed cell that they pin (a district with one grid cell), or that no change
// within its widened neighbourhood can move while they hold, is left as it is and counted in
// Suppression::unprotected: this layer alone cannot protect it.
//
// GUARANTEES of suppress(): the values are not changed (the caller publishes values[i] for
// every i with !suppressed[i]); every cell with 0 < v < k that is not fixed is suppressed (and
// v == 0 too with suppress_zero); for every suppressed cell the audit interval contains
// [max(0, v - p), v + p] (tolerance above) -- unless every cell ends up suppressed and even
// then a cell is exposed, when no further suppression can help, and except the `unprotected`
// cells pinned by fixed cells. Without fixed cells that does not happen for the builders'
// systems: with everything suppressed, 0 and any multiple of the values are solutions
// (lo = 0, hi = inf for v > 0), and a zero cell can be raised with its totals.
//
// COST. Per suppressed cell one small local LP (two bounds, warm-started), plus a small
// circulation LP per complement step; the full audit (exact mode, audit()) is one LP whose
// objective changes between solves, each warm-started from the previous basis. The Kalemie
// sample's 250 m hexagons by category (25,000 cells, 4,083 primary) take about 8 s.
#pragma once

#include <cstddef>
#include <vector>

namespace hotmap::privacy {

/// Published counts linked by additivity: every equation says sum(cells in `parts`) == cell `total`.
struct CountSystem {
    std::vector<double> values; ///< one per cell (non-negative counts or weights)
    struct Equation {
        std::vector<std::size_t> parts;
        std::size_t total = 0;
    };
    std::vector<Equation> equations;
    /// Cells that are published whatever happens (empty = none): totals that another layer or
    /// the layer's metadata publishes. They are never suppressed, not even below k, and the
    /// attacker is assumed to know them.
    std::vector<char> fixed;
};

/// A units x categories table (rows = units, cols = categories, all rows the same length) with
/// its margins. With R rows and C columns the cells are: interior cell (r, c) = r*C + c
/// (row-major), row total r = R*C + r, column total c = R*C + R + c, grand total = R*C + R + C.
/// Equations: R row equations, C column equations, then grand = sum of row totals and
/// grand = sum of column totals (in that order; the last is implied by the others but makes
/// the link visible to the greedy choice).
CountSystem table_system(const std::vector<std::vector<double>>& counts);

/// A hierarchy: leaves 0 .. L-1 (grid cells), then one total per group: cell L + d = the sum of
/// the leaves listed in groups[d] (a district). Equation d is group d.
CountSystem hierarchy_system(const std::vector<double>& leaves, const std::vector<std::vector<std::size_t>>& groups);

/// Two periods and their sum, per unit u of n: before = cell u, after = cell n + u,
/// total = cell 2n + u; equation u says before + after = total.
CountSystem periods_system(const std::vector<double>& before, const std::vector<double>& after);

struct Suppression {
    std::vector<char> suppressed; ///< per cell, 1 = suppressed
    std::size_t primary = 0, complementary = 0;
    /// Suppressed cells that stay exposed because fixed cells alone pin them (a district with
    /// one grid cell: its count is the district's published total); 0 without fixed cells.
    std::size_t unprotected = 0;
};

/// Primary and complementary suppression (see the file comment). `k` > 0 is the threshold
/// (0 < v < k is suppressed), `protection` >= 0 the protection level p. Throws ParameterError
/// on a bad parameter or system (index out of range, negative or non-finite value),
/// std::logic_error when the published values do not satisfy the equations.
Suppression suppress(const CountSystem& s, double k, double protection = 1, bool suppress_zero = false);

/// The feasible interval of a suppressed cell.
struct Interval {
    double lo, hi; ///< hi may be +infinity (a cell in no equation with another suppressed cell)
};

/// The audit: one Interval per cell (a published cell gets {value, value}); for each
/// suppressed cell, the min and max of its value over all non-negative real solutions of
/// the equations with the published cells fixed. Two LPs per suppressed cell (GLPK primal simplex,
/// warm-started from the previous basis). Throws std::logic_error if the system is infeasible (the published values are
/// consistent by construction, so that is a bug upstream), hotmap::Error if GLPK fails.
std::vector<Interval> audit(const CountSystem& s, const std::vector<char>& suppressed);

} // namespace hotmap::privacy
