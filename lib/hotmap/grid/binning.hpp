// SPDX-License-Identifier: MIT
// Square and hexagonal lattices (the analysis units of `grid` and `hotspots`) and incident binning.
//
// Square: GridSpec::snapped (DESIGN.md §3); a point on a shared edge belongs to the cell to
// its north/east (cells include their west and south edges).
//
// Hexagons are POINTY-TOP (two vertical edges). The cell size s is the distance between
// opposite (vertical) edges; circumradius R = s/sqrt(3); row pitch dy = 1.5 R = s*sqrt(3)/2.
// GridSpec::snapped_hex: x0 = floor(xmin/s)*s, y0 = floor(ymin/(2dy))*(2dy) (so row parity is
// the same in every run), centre(row, col) = (x0 + (col + (row even ? 0.5 : 0)) * s, y0 + row*dy).
// Hex rows are offset: odd rows are shifted half a cell WEST. Cell ids are row*ncol + col, row 0
// at the south. A point belongs to the hexagon of its nearest centre (exact Voronoi test in
// double precision); a point equidistant from two or three centres (on a shared edge or corner)
// goes to the cell with the HIGHEST id (north row first, then east column), matching the square
// rule of north/east.
#pragma once

#include "hotmap/geom/geometry.hpp"
#include "hotmap/grid/grid_spec.hpp"
#include "hotmap/incidents.hpp"
#include "hotmap/types.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hotmap::grid {

enum class Shape { square, hex };

/// "square" / "hex" (also "hexagon"); throws ParameterError naming --shape.
Shape parse_shape(const std::string& s);

/// Centre of cell `id` of a square or hex grid (working CRS, metres).
Point cell_centre(const GridSpec& g, Shape shape, std::size_t id);

/// Cell containing (x, y) by the rules above, nullopt outside the grid.
std::optional<std::size_t> locate(const GridSpec& g, Shape shape, double x, double y);

/// Per cell of a grid: the lowest-index polygon (district) containing the cell centre
/// (boundary included), -1 when none. Runs on `threads` threads (0 = all cores).
std::vector<std::int32_t> centre_districts(const GridSpec& g, Shape shape, const geom::NamedPolygons& d, unsigned threads);

/// Analysis units of a lattice: the cells kept (all cells of the rectangle, or those whose
/// centre is inside a district). For hex grids without districts, the cells whose bounding box
/// meets the extent.
struct Lattice {
    GridSpec spec;
    Shape shape = Shape::square;
    std::vector<std::size_t> cells;     ///< ids of the kept cells, ascending
    std::vector<Point> centres;         ///< per kept cell
    std::vector<std::int32_t> district; ///< per kept cell: lowest-index district containing the centre, -1 none
    std::vector<std::int64_t> position; ///< per grid cell id: index into `cells`, -1 when not kept

    std::size_t size() const noexcept { return cells.size(); }
    /// Kept index of the cell containing (x, y), -1 when none.
    std::int64_t find(double x, double y) const noexcept
    {
        const auto id = locate(spec, shape, x, y);
        return id ? position[*id] : -1;
    }
};

/// Build the lattice over extent `e` (working CRS, metres) with cell size `cell_m`
/// (square side, or hex distance between opposite edges). `clip` (may be null or empty):
/// keep only cells whose centre lies inside a district. Throws ParameterError (bad cell
/// size, empty extent, too many cells for the cap or for this machine's memory, given
/// `bytes_per_cell` more that the caller will hold per cell).
Lattice make_lattice(const Extent& e, double cell_m, Shape shape, const geom::NamedPolygons* clip, unsigned threads,
                     std::size_t bytes_per_cell = 0);

/// Bytes make_lattice itself holds per grid cell (for memory estimates).
inline constexpr std::size_t k_lattice_bytes_per_cell = 56;

/// Per kept cell: number of incidents, sum of weights, and per category counts
/// (by_category[category][cell], only when requested and the set has categories).
struct Counts {
    std::vector<double> count, weight;
    std::vector<std::vector<double>> by_category;
    std::uint64_t outside = 0; ///< accepted incidents outside every kept cell
};

/// Bin incidents (in the lattice's CRS) to the kept cells. Identical for any thread count
/// (weights are summed in incident order). Invariant: sum(count) + outside == s.items.size().
Counts bin(const Lattice& l, const IncidentSet& s, bool by_category, unsigned threads);

/// Polygon of kept cell k as WKB (little-endian, closed ring, counter-clockwise).
std::string cell_wkb(const Lattice& l, std::size_t k);
/// The same polygon's closed ring (counter-clockwise), into `ring` (cleared first): the
/// coordinates cell_wkb encodes, for writers that build the geometry without WKB.
void cell_ring(const Lattice& l, std::size_t k, std::vector<Point>& ring);

/// "XMIN,YMIN,XMAX,YMAX" -> Extent; throws ParameterError naming --extent.
Extent parse_extent(const std::string& s);

} // namespace hotmap::grid
