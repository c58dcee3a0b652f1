// SPDX-License-Identifier: MIT
// GDAL start-up and SRS helpers.
#include "hotmap/io/gdal_handles.hpp"

#include "hotmap/error.hpp"

#include <cpl_error.h>
#include <gdal.h>

#include <mutex>

namespace hotmap::io {

void ensure_gdal()
{
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetErrorHandler(CPLQuietErrorHandler);
    });
}

SrsPtr make_srs(const std::string& definition)
{
    SrsPtr srs(new OGRSpatialReference());
    srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (srs->SetFromUserInput(definition.c_str()) != OGRERR_NONE)
        throw CrsError("GDAL cannot read the CRS definition");
    return srs;
}

std::string gdal_error(const std::string& fallback)
{
    const char* m = CPLGetLastErrorMsg();
    if (m && *m) return m;
    return fallback;
}

std::string gdal_version() { return GDALVersionInfo("RELEASE_NAME"); }

} // namespace hotmap::io
