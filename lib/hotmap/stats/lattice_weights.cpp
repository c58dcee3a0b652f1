// SPDX-License-Identifier: MIT
// Distance-band stencils of square lattices.
#include "hotmap/stats/lattice_weights.hpp"

#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"

#include <cmath>
#include <utility>

namespace hotmap::stats {

std::size_t LatticeWeights::links() const noexcept
{
    std::size_t s = 0;
    for (std::uint32_t c : counts) s += c;
    return s;
}

std::optional<LatticeWeights> lattice_distance_band(std::size_t ncol, std::size_t nrow, std::vector<std::size_t> cells,
                                                    std::vector<std::int64_t> position, double cell, double band,
                                                    double max_coordinate, unsigned threads)
{
    if (!(band > 0) || !std::isfinite(band)) throw ParameterError("--distance must be a positive number of metres");
    if (!(cell > 0) || position.size() != ncol * nrow) throw ParameterError("lattice weights: bad lattice");
    const double limit = band * (1 + 1e-12);
    const double m = std::fabs(max_coordinate);
    const double doubt = band + 2 * (1e-9 * band + 64 * (std::nextafter(m, INFINITY) - m)); // beyond: out of the lists too
    // offsets that occur on this grid: dx < ncol, dy < nrow
    const double reach_f = std::min(std::floor(doubt / cell), static_cast<double>(std::max(ncol, nrow)));
    const auto max_dx = static_cast<std::int64_t>(ncol) - 1, max_dy = static_cast<std::int64_t>(nrow) - 1;
    LatticeWeights l;
    l.ncol = ncol;
    l.nrow = nrow;
    std::int64_t reach = 0; // largest |dy| with a neighbour
    std::vector<std::int64_t> half; // per dy >= 0
    for (std::int64_t dy = 0; dy <= std::min(static_cast<std::int64_t>(reach_f), max_dy); ++dy) {
        std::int64_t h = -1;
        for (std::int64_t dx = 0; dx <= std::min(static_cast<std::int64_t>(reach_f), max_dx); ++dx) {
            const double d = cell * std::sqrt(static_cast<double>(dx * dx + dy * dy));
            if (d > limit && d <= doubt) return std::nullopt; // too close to call
            if (d <= limit) h = dx;
        }
        if (h < 0) break; // this row offset and beyond: nothing (dx = 0 is the nearest; doubtful ones returned above)
        half.push_back(h);
        reach = dy;
    }
    l.reach = half.empty() ? 0 : reach;
    if (half.empty()) half.push_back(0); // a band shorter than a cell: only self, which is not stored
    l.half.assign(static_cast<std::size_t>(2 * l.reach + 1), 0);
    for (std::int64_t dy = 0; dy <= l.reach; ++dy) {
        l.half[static_cast<std::size_t>(l.reach + dy)] = half[static_cast<std::size_t>(dy)];
        l.half[static_cast<std::size_t>(l.reach - dy)] = half[static_cast<std::size_t>(dy)];
    }
    l.cells = std::move(cells);
    l.position = std::move(position);
    l.counts.assign(l.cells.size(), 0);
    parallel::for_chunks(l.cells.size(), 4096, threads, [&](std::size_t lo, std::size_t hi) {
        for (std::size_t k = lo; k < hi; ++k) {
            std::uint32_t c = 0;
            l.for_each(k, [&](std::size_t) { ++c; });
            l.counts[k] = c;
        }
    });
    return l;
}

Weights to_weights(const LatticeWeights& l)
{
    Weights w;
    w.start.assign(l.size() + 1, 0);
    for (std::size_t k = 0; k < l.size(); ++k) w.start[k + 1] = w.start[k] + l.count(k);
    w.index.reserve(w.start.back());
    for (std::size_t k = 0; k < l.size(); ++k) l.for_each(k, [&](std::size_t j) { w.index.push_back(static_cast<std::uint32_t>(j)); });
    return w;
}

} // namespace hotmap::stats
