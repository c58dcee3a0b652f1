// SPDX-License-Identifier: MIT
// Square grid specification shared by binning, density rasters and hotspot statistics.
//
// The rule (DESIGN.md §3, reference README): x0 = floor(xmin/cs)*cs, y0 = floor(ymin/cs)*cs,
// ncol = floor((xmax-x0)/cs)+1, nrow = floor((ymax-y0)/cs)+1; col = floor((x-x0)/cs),
// row = floor((y-y0)/cs), row 0 at the south; cell_id = row*ncol + col.
#pragma once

#include "hotmap/crs/crs.hpp"
#include "hotmap/types.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace hotmap::grid {

struct GridSpec {
    double x0 = 0;          ///< west edge of column 0 (working CRS, metres)
    double y0 = 0;          ///< south edge of row 0
    double cell = 1;        ///< cell side, metres
    std::size_t ncol = 0;
    std::size_t nrow = 0;
    crs::Crs crs;

    /// The snapped grid covering `e` by the rule above. Throws ParameterError when the cell
    /// size is not positive, the extent is empty, or the grid would exceed `max_cells`.
    static GridSpec snapped(const Extent& e, double cell_m, std::size_t max_cells = 400'000'000);
    /// The snapped POINTY-TOP hexagonal grid covering `e` (see grid/binning.hpp): `cell` is the
    /// distance between opposite edges, x0 = floor(xmin/cs)*cs, y0 = floor(ymin/(2p))*(2p) with
    /// p = hex_pitch(); ncol = floor((xmax-x0)/cs)+2, nrow = floor((ymax-y0)/p)+2 (every point of
    /// `e` falls in one of these cells). centre()/locate()/extent() above are for square grids
    /// only; use grid::cell_centre / grid::locate for hex grids. Same errors as snapped().
    static GridSpec snapped_hex(const Extent& e, double cell_m, std::size_t max_cells = 400'000'000);
    /// Row pitch of a hex grid: cell * sqrt(3) / 2.
    double hex_pitch() const noexcept { return cell * 0.86602540378443864676; }

    std::size_t size() const noexcept { return ncol * nrow; }
    std::size_t id(std::size_t row, std::size_t col) const noexcept { return row * ncol + col; }
    std::size_t row_of(std::size_t id) const noexcept { return id / ncol; }
    std::size_t col_of(std::size_t id) const noexcept { return id % ncol; }
    Point centre(std::size_t id) const noexcept
    {
        return {x0 + (static_cast<double>(col_of(id)) + 0.5) * cell, y0 + (static_cast<double>(row_of(id)) + 0.5) * cell};
    }
    /// Cell containing (x, y) (west/south edges inclusive), nullopt outside the grid.
    std::optional<std::size_t> locate(double x, double y) const noexcept
    {
        const double fc = std::floor((x - x0) / cell), fr = std::floor((y - y0) / cell);
        if (!(fc >= 0 && fr >= 0 && fc < static_cast<double>(ncol) && fr < static_cast<double>(nrow))) return std::nullopt;
        return id(static_cast<std::size_t>(fr), static_cast<std::size_t>(fc));
    }
    Extent extent() const noexcept
    {
        return {x0, y0, x0 + static_cast<double>(ncol) * cell, y0 + static_cast<double>(nrow) * cell};
    }
    Extent cell_extent(std::size_t id) const noexcept
    {
        const double cx = x0 + static_cast<double>(col_of(id)) * cell, cy = y0 + static_cast<double>(row_of(id)) * cell;
        return {cx, cy, cx + cell, cy + cell};
    }
};

} // namespace hotmap::grid
