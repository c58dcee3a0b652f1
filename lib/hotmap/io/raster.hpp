// SPDX-License-Identifier: MIT
// GeoTIFF writing and reading of single-band Float32 rasters on a GridSpec.
#pragma once

#include "hotmap/grid/grid_spec.hpp"
#include "hotmap/io/output_set.hpp"

#include <optional>
#include <string>
#include <vector>

namespace hotmap::io {

/// A single-band raster: values row-major with row 0 at the SOUTH (the grid's convention);
/// the writer flips rows so the GeoTIFF is north-up.
struct RasterOut {
    grid::GridSpec grid;
    std::vector<float> values;        ///< grid.size() values
    std::optional<float> nodata;      ///< written as the band's nodata value
    std::string description;          ///< band description (e.g. "density, incidents per km2")
    std::vector<std::pair<std::string, std::string>> metadata; ///< dataset metadata items
    std::string title, abstract;      ///< what it shows, with parameters and filters (.qmd sidecar)
    std::string qml;                  ///< QGIS style (.qml sidecar; report::raster_qml)
};

/// The files written beside a GeoTIFF (".qml" when styled, ".qmd" when titled): give them to
/// OutputSet::add.
std::vector<std::string> raster_sidecars();

/// Write a tiled, DEFLATE-compressed Float32 GeoTIFF with CRS and geotransform to a staged
/// output, with internal overviews (averages at 2, 4, 8... while the level above has its smaller
/// side over 256 pixels), and read it back before accepting it. The style (r.qml) and the
/// metadata (title, abstract) go to ".qml" and ".qmd" sidecars (stage them with
/// raster_sidecars). Throws OutputError naming out.target.
void write_geotiff(const RasterOut& r, const Staged& out);

/// Write the raster as a table of a GeoPackage (Float32 tiles, exact; the 2D gridded
/// coverage extension QGIS and GDAL read), added to the staged file when it exists. Throws
/// OutputError naming out.target and the table.
void write_gpkg_raster(const RasterOut& r, const Staged& out, const std::string& table, const std::string& identifier = {},
                       const std::string& description = {});

/// The same as a one-output run (staged, checked, renamed into place).
void write_geotiff(const RasterOut& r, const std::string& path, bool overwrite);

/// Read band 1 of a raster back (for tests and tools): values row 0 = south, grid from the
/// geotransform (north-up, square pixels required), nodata if set.
RasterOut read_raster(const std::string& path);

} // namespace hotmap::io
