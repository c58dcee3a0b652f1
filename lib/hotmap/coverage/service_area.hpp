// SPDX-License-Identifier: MIT
// Service areas (union of the facilities' buffers), covered area and gaps per district.
#pragma once

#include "hotmap/coverage/facilities.hpp"
#include "hotmap/geom/geometry.hpp"

#include <vector>

namespace hotmap::coverage {

struct ServiceAreaParams {
    int quadsegs = 16;    ///< segments per quarter circle of each buffer
    unsigned threads = 0; ///< 0 = all cores; the result does not depend on it
};

/// Union of every facility's buffer by its radius (working CRS, metres). Buffers are
/// unioned per spatial tile (cascaded unary union, tiles in parallel), then the tiles are
/// merged. Empty geometry when there is no facility.
geom::Geometry service_area(const std::vector<Facility>& facilities, const ServiceAreaParams& p);

/// One gap part: a polygon of a district outside the service area.
struct GapPart {
    geom::Geometry geometry;
    std::int32_t district = -1; ///< index into the districts
    double area_m2 = 0;
};

/// The service area against the study area (the union of the districts).
struct AreaCoverage {
    geom::Geometry study;     ///< union of the districts
    geom::Geometry covered;   ///< service area clipped to the study area (only when asked for)
    double study_m2 = 0;      ///< area of the union of the districts
    double covered_m2 = 0;    ///< area of `covered` when computed, else the sum over districts
    std::vector<double> district_m2, district_covered_m2; ///< per district
    std::vector<GapPart> gaps; ///< every part of every district minus the service area
};

struct AreaParams {
    int quadsegs = 16;            ///< segments per quarter circle of each buffer
    unsigned threads = 0;         ///< 0 = all cores; the result does not depend on it
    bool covered_geometry = false; ///< also build AreaCoverage::covered (a union over all districts)
};

/// Covered area and gaps per district: each district is intersected with, and differenced
/// from, the union of only the buffers that reach its bounding box (so the cost grows with
/// the facilities near each district, not with all of them); districts in parallel.
/// Gaps are split into polygon parts labelled with their district. Areas in m^2.
AreaCoverage area_coverage(const geom::NamedPolygons& d, const std::vector<Facility>& facilities, const AreaParams& p);

} // namespace hotmap::coverage
