// SPDX-License-Identifier: MIT
// Binary distance-band weights of a square lattice as a stencil (no neighbour lists).
#pragma once

#include "hotmap/stats/weights.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace hotmap::stats {

/// The binary distance-band weights of the kept cells of a square lattice, held as a stencil
/// (per row offset, the column half-width) and the lattice's holes: O(grid cells) memory
/// instead of O(links). Cell k of the units is grid cell `cells[k]` (ids row * ncol + col,
/// ascending); `position[id]` is the unit index of a grid cell, -1 for a hole (a cell left
/// out, e.g. outside every district). Neighbours of k: the kept cells j != k whose centres are
/// within the band, enumerated in ascending j, which is the order of the CSR lists of
/// distance_band on the same centres: every statistic computed through for_each gives the
/// same bits as through those lists.
struct LatticeWeights {
    std::size_t ncol = 0, nrow = 0;
    std::vector<std::size_t> cells;     ///< grid cell id of each unit, ascending
    std::vector<std::int64_t> position; ///< per grid cell: unit index, -1 = hole
    std::int64_t reach = 0;             ///< rows (and columns) the stencil spans each side
    std::vector<std::int64_t> half;     ///< per row offset dy + reach: column half-width
    std::vector<std::uint32_t> counts;  ///< neighbours of each unit (self excluded)

    std::size_t size() const noexcept { return cells.size(); }
    std::size_t count(std::size_t k) const noexcept { return counts[k]; }
    std::size_t links() const noexcept;

    /// f(j) for each neighbour j of unit k, ascending.
    template <class F>
    void for_each(std::size_t k, F&& f) const
    {
        const auto id = cells[k];
        const auto r = static_cast<std::int64_t>(id / ncol), c = static_cast<std::int64_t>(id % ncol);
        const auto nc = static_cast<std::int64_t>(ncol), nr = static_cast<std::int64_t>(nrow);
        for (std::int64_t dy = -reach; dy <= reach; ++dy) {
            const std::int64_t y = r + dy;
            if (y < 0 || y >= nr) continue;
            const std::int64_t h = half[static_cast<std::size_t>(dy + reach)];
            const std::int64_t a = c - h < 0 ? 0 : c - h, b = c + h >= nc ? nc - 1 : c + h;
            const std::int64_t* row = position.data() + y * nc;
            for (std::int64_t x = a; x <= b; ++x) {
                const std::int64_t j = row[x];
                if (j < 0 || (dy == 0 && x == c)) continue;
                f(static_cast<std::size_t>(j));
            }
        }
    }
};

/// The stencil of a band of `band` map units on square cells of side `cell`: the cells whose
/// centre distance (cell * sqrt(dx^2 + dy^2)) is at most band * (1 + 1e-12). distance_band
/// takes the same ones from the centres' coordinates (its tolerance: 1e-9 of the band plus
/// 64 ulps of the largest coordinate `max_coordinate`, against a few ulps of rounding), except
/// for a centre distance just beyond the band, within that tolerance (doubled): there the
/// coordinates' rounding decides, and this returns nullopt (use the lists).
/// `position`: per grid cell (ncol * nrow, row-major from the south-west), the unit index or
/// -1; `cells`: the grid ids of the units, ascending.
std::optional<LatticeWeights> lattice_distance_band(std::size_t ncol, std::size_t nrow, std::vector<std::size_t> cells,
                                                    std::vector<std::int64_t> position, double cell, double band,
                                                    double max_coordinate, unsigned threads = 0);

/// The same neighbours as CSR lists (for tests and for the statistics without a lattice form).
Weights to_weights(const LatticeWeights& l);

} // namespace hotmap::stats
