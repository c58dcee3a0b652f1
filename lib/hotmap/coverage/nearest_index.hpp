// SPDX-License-Identifier: MIT
// Nearest-facility and reach queries over point and line facilities: uniform grids over the
// facilities' segments (a point is a zero-length segment). Build once, query from any thread.
#pragma once

#include "hotmap/coverage/facilities.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace hotmap::coverage {

/// Nearest facility to a place: its index in the facility list (-1 when there is none) and the
/// planar distance in metres to the facility (a point, or the nearest point of a line).
struct Nearest {
    std::int32_t facility = -1;
    double distance_m = std::numeric_limits<double>::infinity();
};

/// Facilities reaching a place (distance <= the facility's own radius).
struct Reach {
    std::uint32_t n_within = 0;  ///< distinct facilities
    std::uint64_t type_mask = 0; ///< bit t set: reached by a facility of type t (first 64 types)
};

/// The facilities' index. Distances are planar, in the facilities' (working) CRS.
class FacilityIndex {
public:
    /// `types` lists the type labels; a facility's bit in Reach::type_mask is its type's position.
    /// Throws ParameterError for a negative or non-finite radius.
    FacilityIndex(const std::vector<Facility>& facilities, const std::vector<std::string>& types);

    /// The nearest facility (ring search over the segment grid); ties go to the lowest index.
    Nearest nearest(double x, double y) const;
    /// Which facilities reach (x, y): distance <= their radius (equality counts as covered).
    Reach reach(double x, double y) const;
    /// Exact distance from (x, y) to facility f (brute force over its segments).
    double distance_to(std::size_t f, double x, double y) const;

    std::size_t size() const noexcept { return m_radius.size(); }

    /// A uniform grid with, per cell, the segments registered in it (CSR, ascending ids).
    struct Grid {
        double x0 = 0, y0 = 0, cell = 1;
        std::size_t nx = 0, ny = 0;
        std::vector<std::uint32_t> start; ///< nx*ny + 1
        std::vector<std::uint32_t> items;
    };

private:
    struct Segment {
        double ax, ay, bx, by;
        std::int32_t facility;
    };
    std::vector<Segment> m_seg;             ///< ordered by facility
    std::vector<std::uint32_t> m_seg_start; ///< CSR: segments of facility f
    std::vector<double> m_radius;
    std::vector<std::uint8_t> m_type;       ///< type position, 255 = beyond 64
    Grid m_near;  ///< segments by their bounding box
    Grid m_reach; ///< segments by their bounding box grown by the facility's radius
};

/// Planar distance from (px, py) to the segment a-b (a == b: a point), metres.
double segment_distance(double px, double py, double ax, double ay, double bx, double by) noexcept;

} // namespace hotmap::coverage
