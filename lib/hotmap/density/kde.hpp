// SPDX-License-Identifier: MIT
// Exact kernel density estimation on a square raster (DESIGN.md §5).
//
// Value at each cell centre s: f(s) = sum_i w_i K(|s - x_i|) (kernels.hpp), times the unit factor.
// The compact kernels are polynomials in (r^2 - d^2). Incidents are bucketed by raster cell (the
// raster grid extended by the support); each bucket keeps the weighted moments of its points'
// offsets (a, b, a^2+b^2) about the cell centre. For a target cell, source cells lying wholly
// inside the open disk of radius r contribute exactly through their moments: the polynomial is
// expanded algebraically, and along each source row the sums over the interior run of cells come
// from prefix sums of moment x column-offset powers (computed per chunk of ~2r with a local
// origin, which keeps the rounding at ~1e-13 of the maximum). Only the points of the cells the
// circle crosses are summed one by one (SSE2, two lanes x two registers). The result equals the
// naive sum up to floating-point rounding (tests: 1e-12 relative to the maximum). The gaussian
// is summed point by point within its truncation radius (kernels.hpp): O(n (16.6 sigma/cell)^2)
// multiply-adds, with the factors exp(-dx^2/2s^2) of a point computed once per band of 16
// target rows and exp(-dy^2/2s^2) once per row (separable), not once per cell. Rows are computed in parallel and every value is summed in a
// fixed order, so results are identical for any thread count.
// Memory beyond the incidents: 16 bytes per incident (24 with weights), plus about
// (10 + 50) doubles per cell of the extended raster for the quartic kernel (moments and prefix
// sums; epanechnikov less, triweight about 2.5x more).
#pragma once

#include "hotmap/density/kernels.hpp"
#include "hotmap/grid/grid_spec.hpp"
#include "hotmap/types.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace hotmap::density {

enum class Units { km2, ha, m2 };
/// "km2" / "ha" / "m2"; throws ParameterError naming --units.
Units parse_units(const std::string& s);
/// Multiplier from per-square-metre: 1e6, 1e4, 1.
double units_factor(Units u);
std::string units_name(Units u);

struct KdeParams {
    Kernel kernel = Kernel::quartic;
    double bandwidth_m = 0;   ///< r (compact kernels) or sigma (gaussian), metres
    Units units = Units::km2;
    unsigned threads = 0;     ///< 0 = all cores
    /// Optional study-area mask on the raster grid EXTENDED by `mask_margin` cells on every
    /// side ((nrow + 2m) x (ncol + 2m), row 0 south): 1 = cell centre inside the study area.
    /// Used by edge correction and to set cells outside the study area to `nodata`.
    const std::vector<std::uint8_t>* mask = nullptr;
    std::size_t mask_margin = 0;
    /// Edge correction (needs `mask`): f(s) / e(s), where e(s) = sum over cells c of the
    /// extended grid whose centre is in the study area of K(|c - s|), divided by the same sum
    /// over every cell (the share of the kernel centred at s that falls in the study area,
    /// measured on the cell-centre lattice; spatstat's "uniform" correction, Jones 1993).
    bool edge_correct = false;
    double nodata = -9999;     ///< written outside the study area when `mask` is given
    /// gaussian only: the former loop, one exponential per (point, cell) pair; the same bits,
    /// slower (the tests' oracle)
    bool gaussian_reference = false;
};

/// Extra cells needed on each side of the raster to hold every cell within the kernel support.
std::size_t support_margin(Kernel k, double bandwidth_m, double cell_m);

/// Bytes estimate() holds at its peak for this grid and `n_incidents` (beyond the incidents).
double memory_bytes(const grid::GridSpec& grid, const KdeParams& p, std::size_t n_incidents);

/// The density raster: grid.size() values, row 0 south, in the requested units.
/// Incidents outside the support of every cell are ignored. Throws ParameterError (bandwidth
/// outside [k_min_bandwidth_m, k_max_bandwidth_m], mask of the wrong size, edge correction
/// without a mask, more memory than the machine has), InputError when a value overflows.
std::vector<double> estimate(const std::vector<Incident>& items, const grid::GridSpec& grid, const KdeParams& p);
/// Same, consuming the incidents: their memory is released once they are bucketed (lower peak
/// memory when the caller no longer needs them).
std::vector<double> estimate(std::vector<Incident>&& items, const grid::GridSpec& grid, const KdeParams& p);

/// The plain sum over every (cell, incident) pair, for tests and cross-checks. No mask.
std::vector<double> estimate_naive(const std::vector<Incident>& items, const grid::GridSpec& grid, const KdeParams& p);

/// Per-cell edge-correction share e(s) (see KdeParams), for -v and tests; needs p.mask.
std::vector<double> edge_shares(const grid::GridSpec& grid, const KdeParams& p);

} // namespace hotmap::density
