// SPDX-License-Identifier: MIT
// GDAL GeoTIFF writer/reader for GridSpec rasters.
#include "hotmap/io/raster.hpp"

#include "hotmap/error.hpp"
#include "hotmap/io/output_set.hpp"
#include "hotmap/io/gdal_handles.hpp"
#include "hotmap/io/vector.hpp"

#include <gdal_alg.h>
#include <gdal_priv.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace hotmap::io {

std::vector<std::string> raster_sidecars() { return {".qml", ".qmd"}; }

void write_geotiff(const RasterOut& r, const Staged& out)
{
    ensure_gdal();
    const std::string& path = out.target;
    const grid::GridSpec& g = r.grid;
    if (r.values.size() != g.size())
        throw OutputError(path + ": raster has " + std::to_string(r.values.size()) + " values for " + std::to_string(g.size()) + " cells");
    if (g.ncol > 0x7fffffff || g.nrow > 0x7fffffff) throw OutputError(path + ": raster too large for GDAL");
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
    if (!drv) throw OutputError(path + ": GDAL GTiff driver missing");
    CPLStringList opts;
    opts.SetNameValue("COMPRESS", "DEFLATE");
    opts.SetNameValue("PREDICTOR", "3");
    opts.SetNameValue("TILED", "YES");
    opts.SetNameValue("BIGTIFF", "IF_SAFER");
    const auto fail = [&](const char* what) { return OutputError(path + ": " + what + ": " + gdal_error("driver error")); };
    {
        CPLErrorReset();
        GDALDatasetUniquePtr ds(drv->Create(out.temp.c_str(), static_cast<int>(g.ncol), static_cast<int>(g.nrow), 1, GDT_Float32, opts.List()));
        if (!ds) throw fail("cannot create");
        double gt[6] = {g.x0, g.cell, 0, g.y0 + static_cast<double>(g.nrow) * g.cell, 0, -g.cell};
        if (ds->SetGeoTransform(gt) != CE_None) throw fail("cannot set the geotransform");
        if (!g.crs.empty()) {
            SrsPtr srs = make_srs(g.crs.wkt());
            if (ds->SetSpatialRef(srs.get()) != CE_None) throw fail("cannot set the CRS");
        }
        for (const auto& [k, v] : r.metadata)
            if (ds->SetMetadataItem(k.c_str(), v.c_str()) != CE_None) throw fail("cannot set metadata");
        GDALRasterBand* band = ds->GetRasterBand(1);
        if (r.nodata && band->SetNoDataValue(*r.nodata) != CE_None) throw fail("cannot set the nodata value");
        if (!r.description.empty()) band->SetDescription(r.description.c_str());
        std::vector<float> row(g.ncol);
        for (std::size_t rr = 0; rr < g.nrow; ++rr) {
            const std::size_t src_row = g.nrow - 1 - rr; // north-up
            std::copy(r.values.begin() + static_cast<std::ptrdiff_t>(src_row * g.ncol),
                      r.values.begin() + static_cast<std::ptrdiff_t>((src_row + 1) * g.ncol), row.begin());
            if (band->RasterIO(GF_Write, 0, static_cast<int>(rr), static_cast<int>(g.ncol), 1, row.data(), static_cast<int>(g.ncol), 1,
                               GDT_Float32, 0, 0) != CE_None)
                throw fail("write failed");
        }
        if (!r.title.empty()) ds->SetMetadataItem("TIFFTAG_DOCUMENTNAME", r.title.c_str());
        if (!r.abstract.empty()) ds->SetMetadataItem("TIFFTAG_IMAGEDESCRIPTION", r.abstract.c_str());
        // optional (a raster of nodata only has none): write failures show at the flush below
        band->ComputeStatistics(FALSE, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
        // internal overviews, so QGIS draws a large raster zoomed out without reading it all
        std::vector<int> levels;
        for (std::size_t f = 2, side = std::min(g.ncol, g.nrow); side / (f / 2) > 256 && f <= 1024; f *= 2) levels.push_back(static_cast<int>(f));
        if (!levels.empty()) {
            CPLErrorReset();
            if (ds->BuildOverviews("AVERAGE", static_cast<int>(levels.size()), levels.data(), 0, nullptr, nullptr, nullptr) != CE_None)
                throw fail("cannot build overviews");
        }
        CPLErrorReset();
        ds->FlushCache();
        if (CPLGetLastErrorType() == CE_Failure) throw fail("write failed");
        ds.reset();
        if (CPLGetLastErrorType() == CE_Failure) throw fail("write failed");
    }
    // read every block back: a full disk leaves missing or short tiles that libtiff reports here
    CPLErrorReset();
    GDALDatasetUniquePtr back(GDALDataset::Open(out.temp.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!back || back->GetRasterXSize() != static_cast<int>(g.ncol) || back->GetRasterYSize() != static_cast<int>(g.nrow))
        throw OutputError(path + ": write failed (the file is incomplete; is the disk full?)");
    GDALChecksumImage(GDALRasterBand::ToHandle(back->GetRasterBand(1)), 0, 0, static_cast<int>(g.ncol), static_cast<int>(g.nrow));
    if (CPLGetLastErrorType() == CE_Failure) throw OutputError(path + ": write failed (the file is incomplete; is the disk full?)");
    const auto side = [&](const std::string& ext, const std::string& text) {
        if (text.empty()) return;
        std::ofstream f(replace_extension(out.temp, ext), std::ios::binary);
        f << text;
        f.close();
        if (!f) throw OutputError(replace_extension(path, ext) + ": write failed (is the disk full?)");
    };
    side(".qml", r.qml);
    if (!r.title.empty()) side(".qmd", qgis_metadata(r.title, r.abstract));
}

void write_gpkg_raster(const RasterOut& r, const Staged& out, const std::string& table, const std::string& identifier,
                       const std::string& description)
{
    ensure_gdal();
    const std::string& path = out.target;
    const grid::GridSpec& g = r.grid;
    if (r.values.size() != g.size())
        throw OutputError(path + ": raster has " + std::to_string(r.values.size()) + " values for " + std::to_string(g.size()) + " cells");
    if (g.ncol > 0x7fffffff || g.nrow > 0x7fffffff) throw OutputError(path + ": raster too large for GDAL");
    const auto fail = [&](const std::string& what) { return OutputError(path + ": raster '" + table + "': " + what + ": " + gdal_error("driver error")); };
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDriver* gpkg = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!mem || !gpkg) throw OutputError(path + ": GDAL MEM or GPKG driver missing");
    CPLErrorReset();
    GDALDatasetUniquePtr src(mem->Create("", static_cast<int>(g.ncol), static_cast<int>(g.nrow), 1, GDT_Float32, nullptr));
    if (!src) throw fail("cannot create");
    double gt[6] = {g.x0, g.cell, 0, g.y0 + static_cast<double>(g.nrow) * g.cell, 0, -g.cell};
    src->SetGeoTransform(gt);
    if (!g.crs.empty()) {
        SrsPtr srs = make_srs(g.crs.wkt());
        src->SetSpatialRef(srs.get());
    }
    GDALRasterBand* band = src->GetRasterBand(1);
    if (r.nodata) band->SetNoDataValue(*r.nodata);
    std::vector<float> north_up(r.values.size());
    for (std::size_t rr = 0; rr < g.nrow; ++rr)
        std::copy(r.values.begin() + static_cast<std::ptrdiff_t>((g.nrow - 1 - rr) * g.ncol),
                  r.values.begin() + static_cast<std::ptrdiff_t>((g.nrow - rr) * g.ncol), north_up.begin() + static_cast<std::ptrdiff_t>(rr * g.ncol));
    if (band->RasterIO(GF_Write, 0, 0, static_cast<int>(g.ncol), static_cast<int>(g.nrow), north_up.data(), static_cast<int>(g.ncol),
                       static_cast<int>(g.nrow), GDT_Float32, 0, 0) != CE_None)
        throw fail("cannot fill");
    CPLStringList opts;
    std::error_code ec;
    if (std::filesystem::exists(out.temp, ec)) opts.SetNameValue("APPEND_SUBDATASET", "YES");
    opts.SetNameValue("RASTER_TABLE", table.c_str());
    if (!identifier.empty()) opts.SetNameValue("RASTER_IDENTIFIER", identifier.c_str());
    if (!description.empty()) opts.SetNameValue("RASTER_DESCRIPTION", description.c_str());
    opts.SetNameValue("TILE_FORMAT", "TIFF"); // Float32 tiles, exact (PNG would quantise)
    {
        GDALDatasetUniquePtr dst(gpkg->CreateCopy(out.temp.c_str(), src.get(), FALSE, opts.List(), nullptr, nullptr));
        if (!dst) throw fail("cannot write");
        CPLErrorReset();
        dst->FlushCache();
        if (CPLGetLastErrorType() == CE_Failure) throw fail("write failed");
    }
    GDALDatasetUniquePtr back(GDALDataset::Open(("GPKG:" + out.temp + ":" + table).c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!back || back->GetRasterXSize() != static_cast<int>(g.ncol) || back->GetRasterYSize() != static_cast<int>(g.nrow))
        throw OutputError(path + ": raster '" + table + "': write failed (the file is incomplete; is the disk full?)");
}

void write_geotiff(const RasterOut& r, const std::string& path, bool overwrite)
{
    OutputSet set(overwrite);
    write_geotiff(r, set.add(path, raster_sidecars()));
    set.commit();
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
