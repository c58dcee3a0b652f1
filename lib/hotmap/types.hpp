// SPDX-License-Identifier: MIT
// Small value types shared by every module: points, extents, incidents.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace hotmap {

/// A planar point. x is always easting or longitude, y northing or latitude.
struct Point {
    double x = 0;
    double y = 0;
};

/// An axis-aligned rectangle; empty() until a point is added.
struct Extent {
    double xmin = std::numeric_limits<double>::infinity();
    double ymin = std::numeric_limits<double>::infinity();
    double xmax = -std::numeric_limits<double>::infinity();
    double ymax = -std::numeric_limits<double>::infinity();

    bool empty() const noexcept { return !(xmin <= xmax && ymin <= ymax); }
    void expand(double x, double y) noexcept
    {
        xmin = std::min(xmin, x);
        ymin = std::min(ymin, y);
        xmax = std::max(xmax, x);
        ymax = std::max(ymax, y);
    }
    void expand(const Extent& o) noexcept
    {
        if (o.empty()) return;
        expand(o.xmin, o.ymin);
        expand(o.xmax, o.ymax);
    }
    bool contains(double x, double y) const noexcept
    {
        return x >= xmin && x <= xmax && y >= ymin && y <= ymax;
    }
    double width() const noexcept { return xmax - xmin; }
    double height() const noexcept { return ymax - ymin; }
};

/// Timestamps are seconds since 1970-01-01 00:00:00 of a naive (zone-less) local clock.
using Timestamp = std::int64_t;
inline constexpr Timestamp k_no_time = std::numeric_limits<Timestamp>::min();

/// One accepted incident, 40 bytes. Coordinates are in the CRS of the IncidentSet holding it.
struct Incident {
    double x = 0;
    double y = 0;
    double weight = 1;
    Timestamp time = k_no_time;
    std::int32_t category = -1; ///< index into IncidentSet::categories, -1 = none
    std::uint32_t row = 0;      ///< source row: CSV line number (header = 1) or feature index
};

} // namespace hotmap
