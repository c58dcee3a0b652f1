// SPDX-License-Identifier: MIT
// RAII owners for the GDAL/OGR handles GDAL itself does not wrap, plus GDAL start-up.
#pragma once

#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <string>

namespace hotmap::io {

struct CtDeleter {
    void operator()(OGRCoordinateTransformation* p) const noexcept
    {
        OGRCoordinateTransformation::DestroyCT(p);
    }
};
using CoordTransformPtr = std::unique_ptr<OGRCoordinateTransformation, CtDeleter>;

struct SrsReleaser {
    void operator()(OGRSpatialReference* p) const noexcept
    {
        if (p) p->Release();
    }
};
using SrsPtr = std::unique_ptr<OGRSpatialReference, SrsReleaser>;

/// Register GDAL drivers once and route GDAL's messages away from stderr (the library never
/// prints); call before any GDAL use. Thread-safe.
void ensure_gdal();

/// An SRS from WKT (or any user string), traditional GIS axis order (x = lon/easting).
SrsPtr make_srs(const std::string& definition);

/// The last GDAL error message, or `fallback`.
std::string gdal_error(const std::string& fallback);

/// GDAL runtime version, for --version.
std::string gdal_version();

} // namespace hotmap::io
