// SPDX-License-Identifier: MIT
// DBSCAN on a distance-band neighbour graph (bucket search), deterministic labelling.
#include "hotmap/stats/dbscan.hpp"

#include "hotmap/error.hpp"
#include "hotmap/stats/weights.hpp"

#include <cmath>

namespace hotmap::stats {

Dbscan dbscan(const std::vector<Point>& pts, double eps, unsigned min_points, unsigned threads)
{
    if (!(eps > 0) || !std::isfinite(eps)) throw ParameterError("--eps must be a positive number of metres");
    if (min_points < 1) throw ParameterError("--min-points must be at least 1");
    const std::size_t n = pts.size();
    Dbscan r;
    r.label.assign(n, -1);
    if (n == 0) return r;
    const Weights w = distance_band(pts, eps, threads);
    std::vector<char> core(n, 0);
    for (std::size_t i = 0; i < n; ++i) core[i] = w.count(i) + 1 >= min_points;
    std::vector<std::uint32_t> stack;
    for (std::size_t i = 0; i < n; ++i) {
        if (!core[i] || r.label[i] >= 0) continue;
        const std::int32_t c = r.clusters++;
        r.label[i] = c;
        stack.assign(1, static_cast<std::uint32_t>(i));
        while (!stack.empty()) {
            const std::uint32_t p = stack.back();
            stack.pop_back();
            for (std::size_t l = w.start[p]; l < w.start[p + 1]; ++l) {
                const std::uint32_t q = w.index[l];
                if (r.label[q] >= 0) continue;
                r.label[q] = c;
                if (core[q]) stack.push_back(q);
            }
        }
    }
    return r;
}

} // namespace hotmap::stats
