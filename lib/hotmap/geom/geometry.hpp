// SPDX-License-Identifier: MIT
// Owned GEOS geometries (C API, reentrant) and the few operations hotmap needs.
// The only module that includes GEOS headers is geom/.
#pragma once

#include "hotmap/types.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct GEOSGeom_t;
struct GEOSContextHandle_HS;

namespace hotmap::geom {

using GeosHandle = GEOSContextHandle_HS*;
/// The calling thread's GEOS context (created on first use, destroyed at thread exit).
GeosHandle context();

struct GeomDeleter {
    void operator()(GEOSGeom_t* g) const noexcept;
};

/// A GEOS geometry with exactly one owner. Coordinates in whatever CRS the caller uses.
class Geometry {
public:
    Geometry() = default;
    explicit Geometry(GEOSGeom_t* g) : m_g(g) {}

    /// From (ISO or extended) WKB. Throws GeometryError.
    static Geometry from_wkb(std::string_view wkb);
    static Geometry from_wkt(const std::string& wkt);
    static Geometry point(double x, double y);
    static Geometry rectangle(const Extent& e);
    /// A polygon from one closed exterior ring (first point repeated at the end or not).
    static Geometry polygon(const std::vector<Point>& ring);
    static Geometry linestring(const std::vector<Point>& pts);
    /// Collect polygons/lines/points into one Multi* or GeometryCollection (takes ownership).
    static Geometry collect(std::vector<Geometry> parts);

    bool null() const noexcept { return !m_g; }
    bool empty() const;
    GEOSGeom_t* get() const noexcept { return m_g.get(); }
    Geometry clone() const;

    std::string to_wkb() const;
    std::string to_wkt(int precision = 6) const;
    double area() const;
    double length() const;
    Extent envelope() const;
    Point centroid() const;
    /// "Point", "LineString", "Polygon", "MultiPolygon", ...
    std::string type_name() const;
    bool is_polygonal() const;
    bool is_lineal() const;
    bool is_puntal() const;
    /// Validity with GEOS's reason ("Self-intersection[...]") when invalid.
    bool is_valid(std::string* why = nullptr) const;
    /// GEOS MakeValid (structure method), keeping only polygonal parts for polygonal input.
    Geometry make_valid() const;
    /// Vertex rings of polygonal geometries (exterior and holes), for indexing.
    std::vector<std::vector<Point>> rings() const;
    /// Parts of a multi-geometry (a copy of each), or a copy of itself.
    std::vector<Geometry> parts() const;
    /// Vertices of each point or line part (Point/LineString and their Multi* forms): one
    /// list per part, a point part has one vertex. Polygonal parts are skipped.
    std::vector<std::vector<Point>> coordinates() const;

    Geometry buffer(double distance, int quadsegs = 16) const;
    /// Convex hull (a polygon, or a line/point for degenerate input).
    Geometry convex_hull() const;
    Geometry intersection(const Geometry& o) const;
    Geometry difference(const Geometry& o) const;
    bool intersects(const Geometry& o) const;
    double distance(const Geometry& o) const;

private:
    std::unique_ptr<GEOSGeom_t, GeomDeleter> m_g;
};

/// Union of many geometries (GEOS cascaded/unary union).
Geometry union_all(std::vector<Geometry> geoms);

/// Assigns points to the polygons that contain them, boundary included (closed polygons,
/// as GEOS intersects): the reference rule of DESIGN.md. A uniform grid over the polygons'
/// extent classifies each cell as inside one polygon, outside all, or on a boundary; only
/// points in boundary cells need an exact GEOS test. Build once, query from many threads.
class PolygonIndex {
public:
    explicit PolygonIndex(const std::vector<Geometry>& polygons, std::size_t max_cells_per_side = 2048);
    ~PolygonIndex();
    PolygonIndex(const PolygonIndex&) = delete;
    PolygonIndex& operator=(const PolygonIndex&) = delete;

    /// Every polygon containing (x, y), ascending indexes, appended to `out` (cleared first).
    void query(double x, double y, std::vector<int>& out) const;

    /// For each point, calls fn(point index, polygon index) for each containing polygon.
    /// Points with no polygon call nothing. Runs on `threads` threads; fn must be thread-safe
    /// for distinct point indexes. Results are independent of the thread count.
    template <typename Fn>
    void assign(std::size_t n, const double* xs, const double* ys, std::size_t stride_bytes, unsigned threads, Fn&& fn) const;

    /// Slow path for one point: exact GEOS test against the given candidates.
    void exact(double x, double y, const int* cand, std::size_t ncand, std::vector<int>& out) const;

    std::size_t size() const noexcept { return m_n; }

    // Grid, exposed for assign()'s inline fast path.
    double m_x0 = 0, m_y0 = 0, m_cw = 1, m_ch = 1;
    std::size_t m_nx = 0, m_ny = 0;
    /// >= 0: inside exactly that polygon; -1: outside all; <= -2: boundary list -(v+2)
    std::vector<std::int32_t> m_cell;
    std::vector<std::uint32_t> m_list_start; ///< CSR of boundary candidate lists
    std::vector<std::int32_t> m_list;

private:
    struct Prepared;
    std::size_t m_n = 0;
    std::unique_ptr<Prepared> m_prep;
};

} // namespace hotmap::geom

#include "hotmap/geom/polygon_index_impl.hpp"
