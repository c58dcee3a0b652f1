// SPDX-License-Identifier: MIT
// `hotmap site` as one library call: where K new lamps or posts would cover the most
// incidents, given the facilities that stand (DESIGN.md §3 site, §4 sites, §5 siting).
#pragma once

#include "hotmap/coverage/facilities.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/log.hpp"
#include "hotmap/pipeline/inputs.hpp"
#include "hotmap/pipeline/network.hpp"
#include "hotmap/siting/solver.hpp"

#include <string>
#include <vector>

namespace hotmap::pipeline {

struct SiteParams {
    siting::Params solver;
    double radius_m = 0;                  ///< reach of a new site (pmedian: 0 = no coverage figures)
    double candidate_spacing_m = 0;       ///< grid candidates inside the study area (0 = none)
    std::vector<std::string> candidate_layers; ///< point layers of candidate sites
    std::string candidates_crs;           ///< CRS of candidate layers that have none
    double demand_cell_m = -1;            ///< -1 automatic, 0 every incident place, > 0 merge to cells
    /// Along the streets when given: candidates on the network (--candidate-spacing: every
    /// junction and points at most that far apart along each street; --candidates snapped to the
    /// nearest street), coverage, the p-median's distances and --min-spacing by walking
    /// distance. mclp/lscp: every incident place its own demand point; pmedian: places within
    /// --max-snap, merged per street piece of --demand-cell metres (automatic when the
    /// candidate x place distances would pass 25 million).
    StreetParams streets;
};

struct SiteResult {
    siting::Solution solution;
    io::VectorLayer sites;     ///< DESIGN.md §4 "sites" fields, one point per new site
    io::VectorLayer curve;     ///< k = 1..K: gain, covered, covered_pct (a table)
    io::VectorLayer districts; ///< per district: incidents and coverage before and after
    double incidents_weight = 0;  ///< all accepted incidents' weight
    double covered_before = 0;    ///< weight the existing facilities reach (on the incidents themselves)
    double covered_after = 0;     ///< with the new sites
    std::size_t candidates = 0, places = 0;
    double demand_cell_m = 0, aggregation_error = 0; ///< demand merged to cells; bound on its effect on the coverage
    std::string summary;       ///< objective, bound, gap, method: for -v, the metadata and the table
};

/// Choose the sites and describe them. Throws ParameterError (no candidate source, K larger
/// than the candidates, radius), InputError (no candidate inside the study area, an
/// infeasible coverage target: the best reachable is named).
SiteResult plan_sites(const SiteParams& p, const Inputs& in, const std::vector<coverage::Facility>& existing, Log& log);

} // namespace hotmap::pipeline
