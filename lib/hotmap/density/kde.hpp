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
// origin, which keeps the rounding at ~1e-13 of the maximum; within 2 cells of reach every cell
// is summed point by point). Only the points of the cells the circle crosses are summed one by
// one. Target rows go in bands of 16: each source row within reach is taken once per band, its
// prefix sums made then (kept in cache, not stored for the raster) and its boundary cells read
// once for all the band's (target row, offset) pairs, eight pairs to an AVX-512 register (SSE2
// or AVX2 without it: the same bits at every width, the lanes summed in one fixed order). The
// result equals the naive sum up to floating-point rounding (tests: 1e-12 relative to the
// maximum; measured at most 4e-14). The gaussian
// is separable: exp(-(b+Q)^2/2s^2) for a point at offset b from its cell's centre and a target Q
// away is exp(-Q^2/2s^2) exp(-b^2/2s^2) times the Taylor series of exp(-bQ/s^2), truncated
// where the remainder is below 1e-17 of the term (about 16 terms for sigma = 8 cells). Each
// source row's points are summed once into N planes (per point N (16.6 sigma/cell) multiply-
// adds, or per dense cell through its moments in both axes), which every target row within
// reach combines with N coefficients: 6x fewer operations per point than point by point
// (sigma = 8 cells; dense cells fewer still), within 1e-12 of the maximum of the point-by-point
// sum (measured: ~5e-15). The window is the square of side 2 x 8.31 sigma instead of the
// circle (the corners hold terms below 1e-15 of a point's peak). When sigma is below a cell or two (too many terms) or the raster is large for few
// points, the gaussian is summed point by point within its truncation radius (kernels.hpp),
// the factors exp(-dx^2/2s^2) of a point computed once per band of 16 target rows and
// exp(-dy^2/2s^2) once per row. Rows are computed in parallel and every value is summed in a
// fixed order, so results are identical for any thread count.
// Memory beyond the incidents: 16 bytes per incident (24 with weights; 2 more while they are
// bucketed), plus 10 doubles per cell of the extended raster for the quartic kernel (its
// moments; epanechnikov 4, triweight 20) and one source row of prefix sums per worker; the
// gaussian series N doubles per cell of
// the raster extended by the support in y only, at most 256 MB (then the raster is done in
// slabs of rows).
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
    /// gaussian only, for tests: 0 = the cheaper of the two exact methods by a cost estimate
    /// (the Taylor series of the cell offsets or the bands), 1 = always the series (unless it
    /// would need more than k_max_series_terms terms), -1 = always the bands
    int gaussian_method = 0;
    /// gaussian series only, for tests: added to every truncation length (negative: too few
    /// terms, the result loses accuracy)
    int gaussian_series_terms_delta = 0;
    /// gaussian series only, for tests: the memory its planes may take (0 = 256 MB); beyond it
    /// the raster is done in slabs of rows, each recomputing the planes of its reach (the same
    /// bits, more work)
    std::size_t gaussian_series_plane_bytes = 0;
    /// compact kernels only, for tests: the widest vector registers used, in doubles (0 = the
    /// widest the CPU has; 2 = SSE2, 4 = AVX2, 8 = AVX-512). Every width gives the same bits.
    int simd_doubles = 0;
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
