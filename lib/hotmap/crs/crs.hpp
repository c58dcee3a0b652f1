// SPDX-License-Identifier: MIT
// Coordinate reference systems as value types, and PROJ transformations of coordinate arrays.
//
// Axis order: everywhere in hotmap x is easting/longitude and y northing/latitude. PROJ
// transformations are normalised for visualisation (proj_normalize_for_visualization), so
// EPSG:4326 is handled as lon/lat whatever the authority says.
#pragma once

#include "hotmap/types.hpp"

#include <memory>
#include <optional>
#include <span>
#include <string>

namespace hotmap::crs {

/// Area of use in degrees (west, south, east, north); west > east crosses the antimeridian.
struct AreaOfUse {
    double west = -180, south = -90, east = 180, north = 90;
    /// True when lon/lat lies inside the area widened by margin_deg on every side.
    bool contains(double lon, double lat, double margin_deg = 0) const noexcept;
};

/// A CRS definition. Built from anything PROJ understands (EPSG:nnnn, WKT, PROJ string,
/// a .prj file's WKT). Cheap to copy: it keeps the normalised WKT and a few facts.
class Crs {
public:
    Crs() = default; ///< the "unknown" CRS: empty() is true

    /// Parse a user string. Throws CrsError naming the string when PROJ cannot read it.
    static Crs from_user(const std::string& definition);
    /// EPSG code shortcut.
    static Crs epsg(int code);
    /// WGS84 UTM zone containing lon/lat (EPSG:326zz north, 327zz south).
    static Crs utm_for(double lon, double lat);

    bool empty() const noexcept { return m_wkt.empty(); }
    bool is_geographic() const noexcept { return m_geographic; }
    const std::string& wkt() const noexcept { return m_wkt; }
    /// "EPSG:32735" when an authority code is known, else the CRS name.
    const std::string& id() const noexcept { return m_id; }
    const std::string& name() const noexcept { return m_name; }
    const AreaOfUse& area_of_use() const noexcept { return m_area; }
    /// True when both describe the same CRS (PROJ equivalence, ignoring axis order).
    bool same_as(const Crs& other) const;

private:
    std::string m_wkt;
    std::string m_id;
    std::string m_name;
    bool m_geographic = false;
    AreaOfUse m_area;
};

/// A transformation between two CRSs, lon/lat axis order for geographic ones.
/// Not thread-safe: use one Transformer per thread.
class Transformer {
public:
    /// Throws CrsError when no transformation between the two exists.
    Transformer(const Crs& from, const Crs& to);
    ~Transformer();
    Transformer(const Transformer&) = delete;
    Transformer& operator=(const Transformer&) = delete;
    Transformer(Transformer&&) noexcept;
    Transformer& operator=(Transformer&&) noexcept;

    /// Transform in place. x and y have the same length and may be strided views into
    /// structs (stride in bytes). A point that cannot be transformed becomes +inf.
    void transform(double* x, double* y, std::size_t n, std::size_t stride_bytes = sizeof(double)) const;
    /// One point; returns nullopt when it cannot be transformed.
    std::optional<std::pair<double, double>> transform(double x, double y) const;
    bool is_identity() const noexcept { return m_identity; }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    bool m_identity = false;
};

/// The box in `to` holding the image of `box` (given in `from`): its edges transformed at 64
/// points each (the image of a rectangle is bounded by the image of its edges). Empty when a
/// point cannot be transformed.
Extent transform_box(const Extent& box, const Crs& from, const Crs& to);

/// PROJ library version string, for --version.
std::string proj_version();

} // namespace hotmap::crs
