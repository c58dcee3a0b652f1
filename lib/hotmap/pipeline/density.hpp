// SPDX-License-Identifier: MIT
// `hotmap density` as one library call: the kernel density raster and its isobands.
#pragma once

#include "hotmap/density/kde.hpp"
#include "hotmap/io/raster.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/log.hpp"
#include "hotmap/pipeline/inputs.hpp"

#include <optional>
#include <vector>

namespace hotmap::pipeline {

struct DensityParams {
    double cell_m = 50;
    std::optional<double> bandwidth_m; ///< nullopt: the ArcGIS rule (density::auto_bandwidth)
    density::Kernel kernel = density::Kernel::quartic;
    density::Units units = density::Units::km2;
    bool edge_correct = false;         ///< needs districts
    std::optional<Extent> extent;      ///< default: districts', else incidents'
    bool isobands = false;
    std::vector<double> levels;        ///< empty: percentiles 50/75/90/95/99 of the non-zero cells
    /// --min-count K (publication): cells whose kernel sum comes from 1 to K-1 incidents
    /// (incidents within the kernel's radius of the cell centre, 3 sigma for the gaussian) are nodata, in the raster and the isobands (a cell no incident reaches stays 0: it reveals
    /// no one); 0 = off.
    unsigned min_count = 0;
};

struct DensityResult {
    io::RasterOut raster;                 ///< Float32, nodata outside the districts when given
    std::optional<io::VectorLayer> isobands;
    double bandwidth_m = 0;               ///< as used
    std::size_t blanked = 0;              ///< cells blanked by min_count
};

/// Exact KDE on the snapped raster (DESIGN.md §5). With `release_incidents` and no isobands,
/// the incidents' memory is released once they are bucketed (lower peak; `in.incidents.items`
/// is then empty). Throws InputError (no extent; automatic bandwidth undefined; an overflow),
/// ParameterError (bandwidth, cell size, memory).
DensityResult estimate_density(const DensityParams& p, Inputs& in, Log& log, bool release_incidents = false);

} // namespace hotmap::pipeline
