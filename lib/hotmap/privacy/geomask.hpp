// SPDX-License-Identifier: MIT
// Donut geomasking: incident points displaced a random distance before publication.
//
// MATHS. Each point p is moved to p + r (cos t, sin t) with t uniform on [0, 2 pi) and r drawn
// uniformly on the AREA of the annulus min <= r <= max (not uniformly on r, which would crowd
// masked points near the inner ring): with u uniform on [0, 1),
//     r = sqrt(u (max^2 - min^2) + min^2),
// so P(r <= s) = (s^2 - min^2) / (max^2 - min^2) and the mean displacement is
//     E[r] = 2/3 (max^3 - min^3) / (max^2 - min^2)   (172.22 m for 50-250).
// min > 0 guarantees no point is published closer than min to its true location; max bounds
// the loss of accuracy. Coordinates and distances are in the units of the (projected) working
// CRS, metres.
//
// DISTRICT CONSTRAINT. A point inside a district (the lowest-index polygon containing it,
// NamedPolygons::first_containing, boundary included) must land in the same district: a draw
// whose first containing district differs is rejected and drawn again, up to max_tries times
// (rejection sampling keeps the distribution area-uniform on the part of the annulus inside
// the district). Points in no district are displaced once, without the constraint, and counted
// in `outside_district`.
//
// FALLBACK (counted in `fallback`). When max_tries draws all land outside the district, a
// deterministic scan looks for the point of the district nearest to the inner ring: 64 radii
// from min to max in increasing order, 360 angles each starting at the point's own random
// angle; the first candidate inside the district is used, so the distance stays in
// [min, max] and the point stays in its district. When no candidate is inside (the district
// does not reach the annulus at all, e.g. it is narrower than min everywhere around the point)
// privacy wins over the district: the point keeps its first random draw, at a distance in
// [min, max] but outside its district, and is also counted in `left_district`. No point is
// ever left at its true location or closer than min to it.
//
// REPRODUCIBILITY. Point i draws from its own stream: xoshiro256** seeded by SplitMix64 from
// seed ^ ((i + 1) * 0x9E3779B97F4A7C15); 64-bit outputs become doubles in [0, 1) as
// (x >> 11) * 2^-53 (no std:: distributions, whose results differ between standard libraries).
// The result therefore depends only on the inputs and the seed, never on the thread count or
// the chunking. (cos, sin and sqrt come from the platform's libm: bit-identical on one
// platform, equal to the last bits or so across platforms.)
//
// K-ANONYMITY. For a point in district d with known population P_d and area A_d, the estimated
// number of residents among whom the true location hides is the resident density times the
// area of the annulus (centred on the TRUE location) inside the district:
//     k = P_d / A_d * area(annulus ∩ d).
// When the true location is at least max from the district's boundary (GEOS prepared distance)
// the annulus is wholly inside and k = P_d / A_d * pi (max^2 - min^2), exact. Otherwise the
// inside fraction is APPROXIMATED on a deterministic polar grid of 16 area-equal rings x 64
// angles (1024 cell centres tested against the district), error of the order of 1 %. Points
// outside every district, or whose district's population is NaN, get k = NaN; k_min and
// k_median summarise the finite values (NaN when there is none).
#pragma once

#include "hotmap/geom/geometry.hpp"
#include "hotmap/types.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace hotmap::privacy {

/// Donut parameters: inner and outer radius (metres), RNG seed, rejection draws per point.
struct DonutSpec {
    double min_m = 0, max_m = 0;
    std::uint64_t seed = 1;
    unsigned max_tries = 100;
};

/// Largest accepted outer radius, metres.
inline constexpr double k_max_donut_m = 1e5;

/// "donut:50-250" -> {min_m 50, max_m 250} (seed and max_tries left at their defaults).
/// Throws ParameterError naming --geomask for anything else: not "donut:" and two finite
/// numbers joined by '-', min < 0, max <= min, max > 1e5.
DonutSpec parse_donut(const std::string& text);

/// Masked points and what happened to them.
struct MaskResult {
    std::vector<Point> points;        ///< displaced, same order as the input
    std::vector<double> distance_m;   ///< each displacement, in [min, max]
    std::size_t outside_district = 0; ///< inputs in no district: displaced without the constraint
    std::size_t fallback = 0;         ///< max_tries draws never landed in the own district
    std::size_t left_district = 0;    ///< of `fallback`: no place in the district at [min, max]; left it
    std::vector<double> k_anonymity;  ///< per point, residents within the annulus; NaN unknown
    double k_min = std::numeric_limits<double>::quiet_NaN();
    double k_median = std::numeric_limits<double>::quiet_NaN();
};

/// Donut-masks `pts` (working CRS, metres) within `districts` (same CRS). `population` is
/// per district (NaN = unknown) or empty (every k NaN). Runs on `threads` threads (0 = all
/// cores) through parallel::for_chunks_with; the result does not depend on the thread count.
/// Throws ParameterError for a bad spec (see parse_donut; max_tries >= 1) or a population
/// vector whose size is neither 0 nor districts.size(); GeometryError when GEOS fails.
MaskResult geomask(const std::vector<Point>& pts, const geom::NamedPolygons& districts,
                   const std::vector<double>& population, const DonutSpec& spec, unsigned threads);

} // namespace hotmap::privacy
