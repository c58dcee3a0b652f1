// SPDX-License-Identifier: MIT
// Snapped grid construction.
#include "hotmap/grid/grid_spec.hpp"

#include "hotmap/error.hpp"

#include <cmath>
#include <string>

namespace hotmap::grid {

GridSpec GridSpec::snapped(const Extent& e, double cell_m, std::size_t max_cells)
{
    if (!(cell_m > 0) || !std::isfinite(cell_m)) throw ParameterError("cell size must be positive, got " + std::to_string(cell_m));
    if (e.empty()) throw ParameterError("cannot build a grid over an empty extent");
    GridSpec g;
    g.cell = cell_m;
    g.x0 = std::floor(e.xmin / cell_m) * cell_m;
    g.y0 = std::floor(e.ymin / cell_m) * cell_m;
    const double nc = std::floor((e.xmax - g.x0) / cell_m) + 1, nr = std::floor((e.ymax - g.y0) / cell_m) + 1;
    if (nc * nr > static_cast<double>(max_cells))
        throw ParameterError("a " + std::to_string(static_cast<long long>(nc)) + " x " + std::to_string(static_cast<long long>(nr)) +
                             " grid is too large: use a larger cell size or a smaller extent");
    g.ncol = static_cast<std::size_t>(nc);
    g.nrow = static_cast<std::size_t>(nr);
    return g;
}

GridSpec GridSpec::snapped_hex(const Extent& e, double cell_m, std::size_t max_cells)
{
    if (!(cell_m > 0) || !std::isfinite(cell_m)) throw ParameterError("cell size must be positive, got " + std::to_string(cell_m));
    if (e.empty()) throw ParameterError("cannot build a grid over an empty extent");
    GridSpec g;
    g.cell = cell_m;
    const double pitch = g.hex_pitch();
    g.x0 = std::floor(e.xmin / cell_m) * cell_m;
    g.y0 = std::floor(e.ymin / (2 * pitch)) * (2 * pitch);
    const double nc = std::floor((e.xmax - g.x0) / cell_m) + 2, nr = std::floor((e.ymax - g.y0) / pitch) + 2;
    if (nc * nr > static_cast<double>(max_cells))
        throw ParameterError("a " + std::to_string(static_cast<long long>(nc)) + " x " + std::to_string(static_cast<long long>(nr)) +
                             " hexagon grid is too large: use a larger cell size or a smaller extent");
    g.ncol = static_cast<std::size_t>(nc);
    g.nrow = static_cast<std::size_t>(nr);
    return g;
}

} // namespace hotmap::grid
