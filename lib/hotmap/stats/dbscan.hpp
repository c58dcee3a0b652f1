// SPDX-License-Identifier: MIT
// DBSCAN point clusters of incidents (planar coordinates in metres).
#pragma once

#include "hotmap/types.hpp"

#include <cstdint>
#include <vector>

namespace hotmap::stats {

/// Cluster label per point: 0..k-1, or -1 for noise. A core point has at least `min_points`
/// points (itself included) within `eps`; clusters are numbered in order of their first core
/// point's index, and a border point reachable from several clusters joins the lowest-numbered
/// one, so labels do not depend on thread count. Throws ParameterError for eps <= 0 or
/// min_points < 1.
struct Dbscan {
    std::vector<std::int32_t> label;
    std::int32_t clusters = 0;
};
Dbscan dbscan(const std::vector<Point>& pts, double eps, unsigned min_points, unsigned threads);

} // namespace hotmap::stats
