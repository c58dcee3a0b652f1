// SPDX-License-Identifier: MIT
// `hotmap coverage` as one library call: what the facilities reach, per incident, per
// district and as areas, and the gaps they leave.
#pragma once

#include "hotmap/coverage/network.hpp"
#include "hotmap/coverage/summary.hpp"
#include "hotmap/io/raster.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/log.hpp"
#include "hotmap/pipeline/inputs.hpp"
#include "hotmap/privacy/geomask.hpp"
#include "hotmap/pipeline/network.hpp"

#include <optional>

namespace hotmap::pipeline {

struct CoverageParams {
    bool incident_layer = false;      ///< per-incident layer (DESIGN.md §4 "coverage (per incident)")
    bool incident_geometry = true;    ///< false for CSV outputs: attributes only, no points held
    bool covered_area = false;        ///< the service area clipped to the districts
    bool gaps = false;                ///< gap polygons ranked by uncovered incidents
    double min_gap_area_m2 = 0;
    double min_gap_length_m = 0;      ///< along the streets: drop uncovered stretches shorter than this
    bool district_rows = true;        ///< per-district rows (table), with districts
    bool district_layer = false;      ///< per-district layer
    bool distance_raster = false;     ///< distance to the nearest facility
    double raster_cell_m = 50;
    int quadsegs = 16;                ///< buffer segments per quarter circle
    /// --geomask: the per-incident layer's points masked (pipeline::mask_incidents) and its
    /// nearest_m withheld (the exact distance to a known facility would pin the true point)
    std::optional<privacy::DonutSpec> geomask;
    /// --public: the per-incident layer without identifying fields (no `incident` row id; the
    /// exact `time` replaced by `hour` 0-23 and `week`, the Monday 00:00 that starts it)
    bool public_fields = false;
    unsigned min_count = 0; ///< --min-count K: the district layer's counts suppressed (privacy::suppress_layer, kind coverage)
    /// Along the streets when given: network distances; covered_area = the covered streets
    /// (line layer), gaps = the streets beyond reach ranked by incidents (neither needs
    /// districts); the district rows get street lengths instead of areas.
    StreetParams streets;
};

struct CoverageResult {
    coverage::IncidentCoverage incidents;                  ///< per incident (only n_covered when read in batches)
    std::uint64_t n_incidents = 0;                         ///< incidents measured
    std::vector<std::string> types;                        ///< facility types, sorted
    std::vector<coverage::DistrictCoverage> districts;     ///< per district (when there are districts)
    coverage::AreaCoverage areas;                          ///< when districts and an area output or table
    bool have_areas = false;
    /// incident_layer is streamed (io::RowSource) unless --public: it reads the Inputs'
    /// incidents, so write it while they live, or materialise() it first.
    std::optional<io::VectorLayer> incident_layer, covered_layer, gap_layer, district_layer;
    std::optional<io::RasterOut> distance_raster;
    bool along_streets = false;
    coverage::StreetCoverage street;     ///< along the streets: covered and uncovered stretches
    SnappedIncidents snapped;            ///< along the streets: the incidents on the network
};

/// With p.streets given, facilities must be points; each is snapped to the nearest street
/// (an error beyond --max-snap) and distances follow the streets.
/// Incidents read in batches (Inputs::streamed): straight-line distances only, without the
/// per-incident layer (ParameterError); the counts per district and gap are added up batch by
/// batch, equal to those of the rows held.
/// Everything is computed before anything is written (a failure leaves no output). Throws
/// ParameterError (an area output without districts), InputError, GeometryError.
CoverageResult measure_coverage(const CoverageParams& p, const Inputs& in, const std::vector<coverage::Facility>& facilities, Log& log);

} // namespace hotmap::pipeline
