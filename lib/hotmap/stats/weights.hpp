// SPDX-License-Identifier: MIT
// Sparse spatial weights (CSR neighbour lists): distance band, k nearest, queen/rook contiguity.
#pragma once

#include "hotmap/types.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hotmap::stats {

/// Neighbour lists in compressed sparse rows. Self is never stored. `value` is empty for binary
/// weights (every stored link weighs 1), else one weight per link.
struct Weights {
    std::vector<std::size_t> start{0}; ///< n + 1 offsets into `index`
    std::vector<std::uint32_t> index;  ///< neighbour ids, ascending within a row
    std::vector<double> value;         ///< per link weight; empty = binary

    std::size_t size() const noexcept { return start.size() - 1; }
    std::size_t count(std::size_t i) const noexcept { return start[i + 1] - start[i]; }
    double weight(std::size_t link) const noexcept { return value.empty() ? 1.0 : value[link]; }
    std::size_t links() const noexcept { return index.size(); }
};

/// Binary distance-band weights: j != i with centre distance <= `band` (same units as the
/// points, metres in a projected CRS), within 1e-9 of the band plus 64 ulps of the largest
/// coordinate (rounding of lattice centres in a UTM zone). Uniform-bucket search, O(n * neighbours).
Weights distance_band(const std::vector<Point>& pts, double band, unsigned threads);

/// Binary k-nearest-neighbour weights (not symmetric). Ties in distance broken by lower index.
/// Throws InputError when k < 1 or k >= n (there are not enough features for k).
Weights knn(const std::vector<Point>& pts, unsigned k, unsigned threads);

enum class Contiguity { queen, rook };

/// Polygon contiguity from vertex rings (one vector of rings per polygon, as Geometry::rings()).
/// Queen: any vertex of one within `tol` map units of a vertex of the other. Rook: a shared
/// edge, i.e. two consecutive vertices of one each within `tol` of a vertex of the other.
Weights contiguity(const std::vector<std::vector<std::vector<Point>>>& rings, Contiguity c, double tol = 1.49e-8);

/// Row-standardise in place (each row sums to 1; rows without neighbours stay empty).
void row_standardise(Weights& w);

/// Mean over points of the distance to the k-th nearest neighbour (k = 5% of n clamped 3..30).
double knn_mean_distance(const std::vector<Point>& pts, unsigned threads);

/// `--distance auto` (DESIGN.md §5): global Moran's I z (binary, randomisation) over 10
/// increasing bands starting at the k-th-neighbour mean distance; the band at the first peak
/// of z, else the starting distance. Metres.
double auto_distance(const std::vector<Point>& pts, const std::vector<double>& x, unsigned threads);

} // namespace hotmap::stats
