// SPDX-License-Identifier: MIT
// `hotmap hotspots` as one library call: Gi*, Local Moran or DBSCAN on cells or districts.
#pragma once

#include "hotmap/privacy/geomask.hpp"
#include "hotmap/grid/binning.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/log.hpp"
#include "hotmap/pipeline/inputs.hpp"
#include "hotmap/pipeline/weights.hpp"
#include "hotmap/stats/weights.hpp"

#include <array>
#include <cstdint>
#include <optional>

namespace hotmap::pipeline {

enum class HotspotMethod { gistar, lisa, dbscan };

struct HotspotsParams : WeightsSpec {
    HotspotMethod method = HotspotMethod::gistar;
    bool on_districts = false;               ///< --on districts (else grid cells)
    double cell_m = 0;                       ///< --cell (grid)
    grid::Shape shape = grid::Shape::square;
    bool fdr = true;
    std::optional<unsigned> permutations;    ///< default: 0 for Gi*, 999 for Local Moran
    std::uint64_t seed = 12345;
    bool rate = false;                       ///< districts: count per 1,000 of the districts' population
    std::string rate_field;                  ///< for messages
    double eps_m = 0;                        ///< DBSCAN
    unsigned min_points = 5;
    bool shapefile_nulls = false;            ///< write z = 0, p = 1 where null (Shapefiles have no nulls)
    /// --min-count K (publication): grid/district counts suppressed (privacy::suppress_layer),
    /// z-scores, p-values and local statistics withheld (the classes stay); DBSCAN clusters of
    /// fewer than K incidents dropped, a top category of fewer than K not named
    unsigned min_count = 0;
    /// --geomask (DBSCAN): the hulls are drawn around the masked member points (the clusters
    /// are found on the true ones); a hull's corners are incident points
    std::optional<privacy::DonutSpec> geomask;
};

struct HotspotsResult {
    io::VectorLayer layer;          ///< grid cells: streamed (io::RowSource, it owns what it reads) unless --min-count
    std::string weights;            ///< the weights scheme, for -v and the metadata
    std::string global_moran;       ///< global Moran's I line
    std::array<std::size_t, 7> bins{}; ///< Gi_Bin -3..3 counts
};

/// Throws InputError (fewer than 3 units, a constant variable, no positive population for
/// --rate), ParameterError (bad weights parameters).
HotspotsResult find_hotspots(const HotspotsParams& p, const Inputs& in, Log& log);

} // namespace hotmap::pipeline
