// SPDX-License-Identifier: MIT
// Isobands through GDALContourGenerateEx on an in-memory raster and an in-memory OGR layer.
#include "hotmap/io/isobands.hpp"

#include "hotmap/error.hpp"
#include "hotmap/io/gdal_handles.hpp"

#include <gdal_alg.h>
#include <gdal_priv.h>

#include <algorithm>
#include <cstdio>
#include <limits>

namespace hotmap::io {

std::vector<Isoband> isobands(const grid::GridSpec& g, const std::vector<double>& values, const std::vector<double>& levels,
                              std::optional<double> nodata)
{
    ensure_gdal();
    if (levels.empty()) throw ParameterError("isobands need at least one level");
    for (std::size_t i = 1; i < levels.size(); ++i)
        if (!(levels[i] > levels[i - 1])) throw ParameterError("--levels must be strictly ascending");
    if (values.size() != g.size()) throw ParameterError("isobands: raster size mismatch");
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDriver* vmem = GetGDALDriverManager()->GetDriverByName("Memory");
    if (!mem || !vmem) throw OutputError("GDAL MEM/Memory drivers missing");
    GDALDatasetUniquePtr rds(mem->Create("", static_cast<int>(g.ncol), static_cast<int>(g.nrow), 1, GDT_Float64, nullptr));
    if (!rds) throw OutputError("isobands: cannot create a memory raster: " + gdal_error("MEM driver"));
    double gt[6] = {g.x0, g.cell, 0, g.y0 + static_cast<double>(g.nrow) * g.cell, 0, -g.cell};
    if (rds->SetGeoTransform(gt) != CE_None) throw OutputError("isobands: cannot set the geotransform");
    GDALRasterBand* band = rds->GetRasterBand(1);
    double vmax = -std::numeric_limits<double>::infinity();
    for (std::size_t r = 0; r < g.nrow; ++r) {
        std::vector<double> row(values.begin() + static_cast<std::ptrdiff_t>((g.nrow - 1 - r) * g.ncol),
                                values.begin() + static_cast<std::ptrdiff_t>((g.nrow - r) * g.ncol));
        for (double v : row)
            if (!(nodata && v == *nodata)) vmax = std::max(vmax, v);
        if (band->RasterIO(GF_Write, 0, static_cast<int>(r), static_cast<int>(g.ncol), 1, row.data(), static_cast<int>(g.ncol), 1,
                           GDT_Float64, 0, 0) != CE_None)
            throw OutputError("isobands: memory raster write failed");
    }
    GDALDatasetUniquePtr vds(vmem->Create("", 0, 0, 0, GDT_Unknown, nullptr));
    if (!vds) throw OutputError("isobands: cannot create a memory layer");
    OGRLayer* lyr = vds->CreateLayer("bands", nullptr, wkbMultiPolygon, nullptr);
    if (!lyr) throw OutputError("isobands: cannot create a memory layer");
    OGRFieldDefn fid("id", OFTInteger), flo("lower", OFTReal), fhi("upper", OFTReal);
    if (lyr->CreateField(&fid) != OGRERR_NONE || lyr->CreateField(&flo) != OGRERR_NONE || lyr->CreateField(&fhi) != OGRERR_NONE)
        throw OutputError("isobands: cannot create the memory layer's fields: " + gdal_error("driver error"));
    std::string fixed;
    char buf[64];
    for (double l : levels) {
        std::snprintf(buf, sizeof buf, "%.17g", l);
        fixed += (fixed.empty() ? "" : ",") + std::string(buf);
    }
    CPLStringList opts;
    opts.SetNameValue("FIXED_LEVELS", fixed.c_str());
    opts.SetNameValue("POLYGONIZE", "YES");
    opts.SetNameValue("ID_FIELD", "0");
    opts.SetNameValue("ELEV_FIELD_MIN", "1");
    opts.SetNameValue("ELEV_FIELD_MAX", "2");
    if (nodata) {
        std::snprintf(buf, sizeof buf, "%.17g", *nodata);
        opts.SetNameValue("NODATA", buf);
    }
    if (GDALContourGenerateEx(GDALRasterBand::ToHandle(band), OGRLayer::ToHandle(lyr), opts.List(), nullptr, nullptr) != CE_None)
        throw OutputError("isobands: " + gdal_error("contour generation failed"));
    std::vector<Isoband> out;
    lyr->ResetReading();
    for (auto& f : *lyr) {
        const OGRGeometry* geom = f->GetGeometryRef();
        if (!geom || geom->IsEmpty()) continue;
        Isoband b;
        b.lower = f->GetFieldAsDouble(1);
        b.upper = f->GetFieldAsDouble(2);
        if (b.lower < levels.front()) continue; // below the first level: background, not a band
        if (b.upper > levels.back()) b.upper = std::max(vmax, levels.back());
        std::string wkb(static_cast<std::size_t>(geom->WkbSize()), '\0');
        geom->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(wkb.data()), wkbVariantIso);
        b.wkb = std::move(wkb);
        out.push_back(std::move(b));
    }
    std::sort(out.begin(), out.end(), [](const Isoband& a, const Isoband& b) { return a.lower < b.lower; });
    return out;
}

} // namespace hotmap::io
