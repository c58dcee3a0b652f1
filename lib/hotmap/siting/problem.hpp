// SPDX-License-Identifier: MIT
// Where new sites could go and what they would reach: demand (incident weight at places),
// candidate sites, and the sparse coverage matrix between them (DESIGN.md §5 "Siting").
//
// All coordinates are in the working CRS (metres). A candidate covers a demand place when
// their distance is at most the radius (equality counts as covered, as in `hotmap coverage`).
#pragma once

#include "hotmap/types.hpp"

#include <algorithm>
#include <cmath>

#include <cstdint>
#include <string>
#include <vector>

namespace hotmap::siting {

/// Incident weight at places. Incidents at identical coordinates are one place; with
/// `cell_m` > 0 they are merged per square cell of that side, at the weighted centroid of the
/// cell's incidents (so a place stands at most cell_m * sqrt(2) from any incident it holds).
struct Demand {
    std::vector<Point> pts;
    std::vector<double> weight;
    std::vector<std::uint32_t> incidents; ///< incidents behind each place
    double total = 0;                     ///< sum of the weights
    double cell_m = 0;                    ///< 0: exact places
    double max_shift_m = 0;               ///< largest distance from an incident to its place
};

/// Build the demand of `items` (weights as given). Deterministic; `threads` for the merging.
Demand make_demand(const std::vector<Incident>& items, double cell_m, unsigned threads);

/// A place a new site may go.
struct Candidate {
    Point p;
    std::int32_t district = -1; ///< index of the district containing it, -1 none
    std::int32_t source = -1;   ///< -1: the candidate grid; k >= 0: the k-th candidate layer
    std::uint32_t feature = 0;  ///< 1-based feature position in its layer (0 for the grid)
};

/// Candidate grid inside the study area: the centres of the square cells of side `spacing_m`
/// (snapped as every hotmap grid, DESIGN.md §3) over `e`; `inside` says which centres to keep
/// (lies in the study area). Throws ParameterError (spacing, too many candidates).
std::vector<Point> grid_candidates(const Extent& e, double spacing_m, std::size_t max_candidates = 5'000'000);

/// Demand places each candidate covers (distance <= radius), only those with `active` set:
/// CSR, candidate j covers demand[index[start[j] .. start[j+1])], ascending.
struct CoverMatrix {
    std::vector<std::uint64_t> start{0};
    std::vector<std::uint32_t> index;
    std::size_t candidates() const noexcept { return start.size() - 1; }
    std::size_t entries() const noexcept { return index.size(); }
};

/// Build the matrix with a bucket grid over the demand; candidates in parallel, identical
/// results for any thread count. Throws ParameterError for a radius that is not positive.
CoverMatrix cover_matrix(const std::vector<Candidate>& candidates, const Demand& demand, const std::vector<std::uint8_t>& active,
                         double radius_m, unsigned threads);

/// Points in square buckets (a uniform grid) for radius queries. Build once, query from any thread.
class PointBuckets {
public:
    /// Buckets of side `bucket` (grown when the extent would need more than 4 per point).
    PointBuckets(const std::vector<Point>& pts, double bucket);
    /// fn(point index) for every point in the buckets within `r` of (x, y): a superset of the
    /// points within r, in a fixed order; callers test the distance.
    template <class Fn>
    void around(double x, double y, double r, Fn&& fn) const
    {
        const std::int64_t reach = static_cast<std::int64_t>(std::min(std::ceil(r / size), static_cast<double>(std::max(nx, ny))));
        const std::int64_t bx = cx(x), by = cy(y);
        for (std::int64_t yy = std::max<std::int64_t>(0, by - reach); yy <= std::min(ny - 1, by + reach); ++yy)
            for (std::int64_t xx = std::max<std::int64_t>(0, bx - reach); xx <= std::min(nx - 1, bx + reach); ++xx) {
                const auto b = static_cast<std::size_t>(yy * nx + xx);
                for (std::uint64_t k = start[b]; k < start[b + 1]; ++k) fn(items[k]);
            }
    }

private:
    std::int64_t cx(double x) const
    {
        return static_cast<std::int64_t>(std::clamp(std::floor((x - x0) / size), 0.0, static_cast<double>(nx - 1)));
    }
    std::int64_t cy(double y) const
    {
        return static_cast<std::int64_t>(std::clamp(std::floor((y - y0) / size), 0.0, static_cast<double>(ny - 1)));
    }
    double x0 = 0, y0 = 0, size = 1;
    std::int64_t nx = 1, ny = 1;
    std::vector<std::uint64_t> start;
    std::vector<std::uint32_t> items;
};

/// Pairs of candidates closer than `spacing_m` (for --min-spacing): CSR of neighbours per candidate.
CoverMatrix conflict_lists(const std::vector<Candidate>& candidates, double spacing_m, unsigned threads);

} // namespace hotmap::siting
