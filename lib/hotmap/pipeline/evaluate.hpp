// SPDX-License-Identifier: MIT
// `hotmap evaluate` as one library call: hotspot cells chosen on a training window (by kernel
// density or by Gi*), scored on a test window (hit rate, PAI, PEI, RRI; spacetime/evaluate.hpp).
#pragma once

#include "hotmap/density/kernels.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/log.hpp"
#include "hotmap/pipeline/inputs.hpp"
#include "hotmap/spacetime/change.hpp"
#include "hotmap/spacetime/evaluate.hpp"

#include <optional>
#include <string>
#include <vector>

namespace hotmap::pipeline {

enum class RankMethod { density, gistar };
/// "density" / "gistar"; throws ParameterError naming --by.
RankMethod parse_rank_method(const std::string& s);
std::string rank_method_name(RankMethod m);

struct EvaluateParams {
    spacetime::Window train;                        ///< --train FROM,TO
    spacetime::Window test;                         ///< --test FROM,TO (disjoint from `train`)
    std::vector<RankMethod> methods{RankMethod::density}; ///< --by, in the order given
    std::vector<double> shares{1, 2, 5, 10, 20};    ///< --shares, percent of the study area's cells
    double cell_m = 250;                            ///< --cell: square cells (the KDE raster's lattice)
    std::optional<Extent> extent;                   ///< --extent; default: districts', else incidents'
    std::optional<double> bandwidth_m;              ///< --bandwidth; nullopt = the ArcGIS rule on the training incidents
    density::Kernel kernel = density::Kernel::quartic;
    std::optional<double> distance_m;               ///< --distance; nullopt = auto (as hotmap hotspots)
    bool curve = false;                             ///< also score curve_shares()
};

/// One method's scores.
struct MethodScores {
    RankMethod method = RankMethod::density;
    std::string setting;                        ///< "bandwidth 400 m (quartic)", "distance band 750 m (auto)"
    std::vector<spacetime::ShareScore> shares;  ///< per requested share, ascending
    std::vector<spacetime::ShareScore> curve;   ///< per curve share (with EvaluateParams::curve)
};

struct EvaluateResult {
    std::vector<MethodScores> methods;
    io::VectorLayer table;     ///< DESIGN.md §4 "evaluate": one row per method and share (no geometry)
    io::VectorLayer curve;     ///< the same fields over curve_shares() (empty without `curve`)
    std::size_t cells = 0;     ///< cells of the study area
    std::uint64_t n_train = 0, n_test = 0; ///< incidents of each window in the cells
};

/// Rank the study area's square cells on the training window and score them on the test
/// window. Density: the exact KDE (density::estimate) of the training incidents at each cell
/// centre. Gi*: the z-score of the training counts with a distance band (stats::auto_distance
/// when not given). Ties: training count, then cell id. Counts, not weights (a warning says so
/// when the incidents carry weights). Throws ParameterError (overlapping windows, no time
/// column, bad shares, cell size, bandwidth), InputError (a window without incidents in the
/// study area, a training window where every cell has the same count for Gi*).
EvaluateResult evaluate_predictions(const EvaluateParams& p, const Inputs& in, Log& log);

} // namespace hotmap::pipeline
