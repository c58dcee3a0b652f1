// SPDX-License-Identifier: MIT
// `hotmap grid` as one library call: incidents aggregated to a square or hexagonal grid.
#pragma once

#include "hotmap/grid/binning.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/log.hpp"
#include "hotmap/pipeline/inputs.hpp"

#include <optional>

namespace hotmap::pipeline {

struct GridParams {
    double cell_m = 0;                ///< square side or hex distance between opposite edges
    grid::Shape shape = grid::Shape::square;
    std::optional<Extent> extent;     ///< --extent (working CRS); default: districts', else incidents'
    unsigned min_count = 0;           ///< --min-count K: publication (privacy::suppress_layer, kind grid)
};

struct GridResult {
    io::VectorLayer layer;      ///< DESIGN.md §4 "grid" fields and c_<category>, graduated on count; streamed unless --min-count
    std::size_t cells = 0;      ///< cells kept
    std::uint64_t outside = 0;  ///< accepted incidents in no kept cell
};

/// The extent of a grid of the run: `given` (--extent), else the districts', else the
/// incidents' (asked of the server under --aggregate-in-database); `from` names which.
Extent grid_extent(const Inputs& in, const std::optional<Extent>& given, std::string& from);

/// The incidents per cell of `lat`: binned from the rows, or under --aggregate-in-database
/// counted on the server (square cells; the server's row accounting logged). `categories`
/// becomes the categories of Counts::by_category (with `by_category`).
grid::Counts cell_counts(const Inputs& in, const grid::Lattice& lat, bool by_category, std::vector<std::string>& categories, Log& log);

/// " (and N rows left out by the server, beyond the districts' bounding box)" when the rows
/// came from a PostGIS table read with the districts' box (InputParams::clip_margin_m), else "".
std::string left_out_by_server(const Inputs& in);

/// Bytes the grid layer holds per cell (for the memory estimate before allocating): its
/// counts; the rows are made as they are written (io::RowSource), except with --min-count.
std::size_t grid_layer_bytes_per_cell(std::size_t categories);

/// Throws InputError (no extent: no incident and no district), ParameterError (cell size,
/// too many cells for the cap or this machine's memory).
GridResult make_grid(const GridParams& p, const Inputs& in, Log& log);

} // namespace hotmap::pipeline
