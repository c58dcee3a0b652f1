// SPDX-License-Identifier: MIT
// Coverage of incidents (nearest facility, covered, facilities within reach), per-district
// coverage, ranked gaps and the distance-to-nearest-facility raster.
#pragma once

#include "hotmap/coverage/nearest_index.hpp"
#include "hotmap/coverage/service_area.hpp"
#include "hotmap/grid/grid_spec.hpp"
#include "hotmap/incidents.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <limits>
#include <vector>

namespace hotmap::coverage {

/// Per incident, in the order of the incidents.
struct IncidentCoverage {
    std::vector<std::int32_t> nearest;     ///< facility index, -1 when there is no facility
    std::vector<double> nearest_m;         ///< metres to it
    std::vector<std::uint8_t> covered;     ///< 1 when some facility's distance <= its radius
    std::vector<std::uint32_t> n_within;   ///< facilities reaching the incident
    std::vector<std::uint64_t> type_mask;  ///< bit t: reached by a facility of type t
    std::uint64_t n_covered = 0;

    /// `n` incidents, none reached yet (no facility, infinitely far).
    static IncidentCoverage unreached(std::size_t n)
    {
        IncidentCoverage c;
        c.nearest.assign(n, -1);
        c.nearest_m.assign(n, std::numeric_limits<double>::infinity());
        c.covered.assign(n, 0);
        c.n_within.assign(n, 0);
        c.type_mask.assign(n, 0);
        return c;
    }
};

/// Nearest facility and reach for every incident, on `threads` threads (0 = all cores);
/// identical results for any thread count.
IncidentCoverage cover_incidents(const FacilityIndex& index, const std::vector<Incident>& incidents, unsigned threads);

/// One row of the per-district table (areas in km^2, shares in percent).
struct DistrictCoverage {
    std::string district;
    double area_km2 = 0, covered_km2 = 0, covered_pct = 0;
    std::uint64_t incidents = 0, covered_inc = 0;
    double covered_inc_pct = 0;                   ///< NaN when the district has no incident
    std::vector<std::uint64_t> covered_inc_by_type; ///< per type position
    /// Along the streets (--streets): street length inside and the part within reach, km and %.
    double street_km = NAN, covered_street_km = NAN, covered_street_pct = NAN;
};

/// Per-district coverage. Incidents count in every district whose closed polygon contains
/// them (as `hotmap districts`). `areas` may be null (area fields are then NaN).
std::vector<DistrictCoverage> summarise_districts(const geom::NamedPolygons& d, const std::vector<Incident>& incidents,
                                                  const IncidentCoverage& cov, const AreaCoverage* areas, std::size_t ntypes,
                                                  unsigned threads);

/// A gap part with its uncovered incidents, ready to write.
struct GapRow {
    std::size_t part = 0;       ///< index into AreaCoverage::gaps
    int gap_id = 0;             ///< 1..n in district order, then by decreasing area
    std::string district;
    double area_km2 = 0;
    std::uint64_t incidents = 0; ///< uncovered incidents inside (each counted once)
    double per_km2 = 0;
    int rank = 0;                ///< 1 = most incidents (ties: denser first, then gap_id)
};

/// The gaps with area >= min_area_m2, their uncovered incidents and ranks. An uncovered
/// incident on the border of two gaps counts in the one listed first.
std::vector<GapRow> rank_gaps(const AreaCoverage& areas, const geom::NamedPolygons& d,
                              const std::vector<Incident>& incidents, const IncidentCoverage& cov, double min_area_m2,
                              unsigned threads);

/// per_km2 and rank of gap rows from their incidents (what rank_gaps ends with; again after
/// adding the incidents of several batches).
void rank_gap_rows(std::vector<GapRow>& rows);

/// Add the incident counts of `more` (the same districts, from another batch of incidents) to
/// `rows` and recompute covered_inc_pct.
void add_district_counts(std::vector<DistrictCoverage>& rows, const std::vector<DistrictCoverage>& more);

/// Distance (metres) from each cell centre of `grid` to the nearest facility; `nodata` for
/// centres outside every district (or everywhere when there is no facility). Row 0 = south.
std::vector<float> distance_grid(const FacilityIndex& index, const grid::GridSpec& grid, const geom::NamedPolygons& d,
                                 float nodata, unsigned threads);

} // namespace hotmap::coverage
