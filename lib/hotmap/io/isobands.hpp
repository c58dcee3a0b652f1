// SPDX-License-Identifier: MIT
// Isoband polygons of a raster (GDAL contour generator in polygon mode).
#pragma once

#include "hotmap/grid/grid_spec.hpp"

#include <optional>
#include <string>
#include <vector>

namespace hotmap::io {

/// One band of values [lower, upper) as a (multi)polygon, WKB in the grid's CRS.
struct Isoband {
    double lower = 0;
    double upper = 0;
    std::string wkb;
};

/// Polygons between consecutive `levels` (ascending, at least one), the last band running
/// from the last level to the raster maximum. Values are sampled at cell centres and contours
/// interpolated linearly between them (GDAL's contour algorithm, POLYGONIZE=YES); cells equal
/// to `nodata` are left out. `values` are row 0 SOUTH (grid convention). Bands without any
/// area are omitted. Throws ParameterError (levels not ascending), OutputError (GDAL failure).
std::vector<Isoband> isobands(const grid::GridSpec& g, const std::vector<double>& values, const std::vector<double>& levels,
                              std::optional<double> nodata);

} // namespace hotmap::io
