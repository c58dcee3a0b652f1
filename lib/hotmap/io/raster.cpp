// SPDX-License-Identifier: MIT
// GDAL GeoTIFF writer/reader for GridSpec rasters.
#include "hotmap/io/raster.hpp"

#include "hotmap/error.hpp"
#include "hotmap/io/atomic_output.hpp"
#include "hotmap/io/gdal_handles.hpp"

#include <gdal_priv.h>

#include <cmath>

namespace hotmap::io {

void write_geotiff(const RasterOut& r, const std::string& path, bool overwrite)
{
    ensure_gdal();
    const grid::GridSpec& g = r.grid;
    if (r.values.size() != g.size()) throw OutputError(path + ": raster has " + std::to_string(r.values.size()) + " values for " + std::to_string(g.size()) + " cells");
    AtomicOutput out(path, overwrite);
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
    if (!drv) throw OutputError(path + ": GDAL GTiff driver missing");
    CPLStringList opts;
    opts.SetNameValue("COMPRESS", "DEFLATE");
    opts.SetNameValue("PREDICTOR", "3");
    opts.SetNameValue("TILED", "YES");
    opts.SetNameValue("BIGTIFF", "IF_SAFER");
    {
        GDALDatasetUniquePtr ds(drv->Create(out.temp_path().c_str(), static_cast<int>(g.ncol), static_cast<int>(g.nrow), 1, GDT_Float32, opts.List()));
        if (!ds) throw OutputError(path + ": cannot create: " + gdal_error("driver error"));
        double gt[6] = {g.x0, g.cell, 0, g.y0 + static_cast<double>(g.nrow) * g.cell, 0, -g.cell};
        ds->SetGeoTransform(gt);
        if (!g.crs.empty()) {
            SrsPtr srs = make_srs(g.crs.wkt());
            ds->SetSpatialRef(srs.get());
        }
        for (const auto& [k, v] : r.metadata) ds->SetMetadataItem(k.c_str(), v.c_str());
        GDALRasterBand* band = ds->GetRasterBand(1);
        if (r.nodata) band->SetNoDataValue(*r.nodata);
        if (!r.description.empty()) band->SetDescription(r.description.c_str());
        std::vector<float> row(g.ncol);
        for (std::size_t rr = 0; rr < g.nrow; ++rr) {
            const std::size_t src_row = g.nrow - 1 - rr; // north-up
            std::copy(r.values.begin() + static_cast<std::ptrdiff_t>(src_row * g.ncol),
                      r.values.begin() + static_cast<std::ptrdiff_t>((src_row + 1) * g.ncol), row.begin());
            if (band->RasterIO(GF_Write, 0, static_cast<int>(rr), static_cast<int>(g.ncol), 1, row.data(), static_cast<int>(g.ncol), 1, GDT_Float32, 0, 0) != CE_None)
                throw OutputError(path + ": write failed: " + gdal_error("driver error"));
        }
        band->ComputeStatistics(FALSE, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
        CPLErrorReset();
        ds->FlushCache();
        ds.reset();
        if (CPLGetLastErrorType() == CE_Failure) throw OutputError(path + ": write failed: " + gdal_error("driver error"));
    }
    out.commit();
}

RasterOut read_raster(const std::string& path)
{
    ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!ds) throw InputError(path + ": cannot open as a raster: " + gdal_error("unrecognised format"));
    double gt[6];
    if (ds->GetGeoTransform(gt) != CE_None || gt[2] != 0 || gt[4] != 0 || std::abs(gt[1] + gt[5]) > 1e-9 * std::abs(gt[1]))
        throw InputError(path + ": not a north-up raster with square pixels");
    RasterOut r;
    r.grid.cell = gt[1];
    r.grid.ncol = static_cast<std::size_t>(ds->GetRasterXSize());
    r.grid.nrow = static_cast<std::size_t>(ds->GetRasterYSize());
    r.grid.x0 = gt[0];
    r.grid.y0 = gt[3] + gt[5] * static_cast<double>(r.grid.nrow);
    if (const OGRSpatialReference* srs = ds->GetSpatialRef()) {
        char* wkt = nullptr;
        srs->exportToWkt(&wkt);
        r.grid.crs = crs::Crs::from_user(wkt ? wkt : "");
        CPLFree(wkt);
    }
    GDALRasterBand* band = ds->GetRasterBand(1);
    int has = 0;
    const double nd = band->GetNoDataValue(&has);
    if (has) r.nodata = static_cast<float>(nd);
    r.values.resize(r.grid.size());
    std::vector<float> row(r.grid.ncol);
    for (std::size_t rr = 0; rr < r.grid.nrow; ++rr) {
        if (band->RasterIO(GF_Read, 0, static_cast<int>(rr), static_cast<int>(r.grid.ncol), 1, row.data(), static_cast<int>(r.grid.ncol), 1, GDT_Float32, 0, 0) != CE_None)
            throw InputError(path + ": read failed");
        std::copy(row.begin(), row.end(), r.values.begin() + static_cast<std::ptrdiff_t>((r.grid.nrow - 1 - rr) * r.grid.ncol));
    }
    return r;
}

} // namespace hotmap::io
