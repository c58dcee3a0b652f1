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
/// points in boundary cells need an exact GEOS test. The index keeps pointers to the GEOS
/// geometries of `polygons`: they must outlive it (NamedPolygons owns both).
class PolygonIndex {
public:
    explicit PolygonIndex(const std::vector<Geometry>& polygons, std::size_t max_cells_per_side = 2048);
    ~PolygonIndex();
    PolygonIndex(const PolygonIndex&) = delete;
    PolygonIndex& operator=(const PolygonIndex&) = delete;

    /// Exact queries from one thread: prepares (GEOS) the polygons it tests, lazily, in the
    /// calling thread's GEOS context, and destroys them there. Not to be shared between threads.
    class Query {
    public:
        explicit Query(const PolygonIndex& index);
        ~Query();
        Query(const Query&) = delete;
        Query& operator=(const Query&) = delete;
        Query(Query&&) noexcept;
        Query& operator=(Query&&) = delete;
        /// Every polygon containing (x, y), ascending indexes, into `out` (cleared first).
        /// Throws GeometryError when GEOS fails (never reads a failure as "outside").
        void containing(double x, double y, std::vector<int>& out);
        /// Exact test of (x, y) against the given candidates only.
        void exact(double x, double y, const std::int32_t* cand, std::size_t ncand, std::vector<int>& out);

    private:
        const PolygonIndex* m_index;
        std::vector<void*> m_prepared; ///< GEOSPreparedGeometry*, null until used
    };

    /// One-off query (makes a Query each call; use a Query in loops).
    void query(double x, double y, std::vector<int>& out) const;

    /// For each point, calls fn(point index, polygon index) for each containing polygon.
    /// Points with no polygon call nothing. Runs through parallel::for_chunks on `threads`
    /// threads (0 = all cores); fn must be thread-safe for distinct point indexes. Results are
    /// independent of the thread count. A GEOS failure in any worker is rethrown here.
    template <typename Fn>
    void assign(std::size_t n, const double* xs, const double* ys, std::size_t stride_bytes, unsigned threads, Fn&& fn) const;

    std::size_t size() const noexcept { return m_geoms.size(); }

    // Grid, exposed for assign()'s inline fast path.
    double m_x0 = 0, m_y0 = 0, m_cw = 1, m_ch = 1;
    std::size_t m_nx = 0, m_ny = 0;
    /// >= 0: inside exactly that polygon; -1: outside all; <= -2: boundary list -(v+2)
    std::vector<std::int32_t> m_cell;
    std::vector<std::uint32_t> m_list_start; ///< CSR of boundary candidate lists
    std::vector<std::int32_t> m_list;

private:
    std::vector<const GEOSGeom_t*> m_geoms;
};

/// Which polygons contain each point, CSR: the polygons of point i are ids[start[i] .. start[i+1]),
/// ascending.
struct Containment {
    std::vector<std::uint32_t> start;
    std::vector<std::int32_t> ids;
    std::uint64_t outside = 0;  ///< points in no polygon
    std::uint64_t multiple = 0; ///< points in more than one
};

/// Polygons with names (districts, isobands, gap parts) and their point-in-polygon index,
/// built once. Coordinates in the caller's (working) CRS. Movable, not copyable.
class NamedPolygons {
public:
    NamedPolygons();
    /// Throws ParameterError when the sizes differ, GeometryError for a non-polygonal part.
    NamedPolygons(std::vector<std::string> names, std::vector<Geometry> polygons);
    ~NamedPolygons();
    NamedPolygons(NamedPolygons&&) noexcept;
    NamedPolygons& operator=(NamedPolygons&&) noexcept;

    std::size_t size() const noexcept { return m_geoms.size(); }
    bool empty() const noexcept { return m_geoms.empty(); }
    const std::string& name(std::size_t i) const { return m_names.at(i); }
    const std::vector<std::string>& names() const noexcept { return m_names; }
    const Geometry& geometry(std::size_t i) const { return m_geoms.at(i); }
    const std::vector<Geometry>& geometries() const noexcept { return m_geoms; }
    /// Union of the polygons' envelopes (empty when there is none).
    const Extent& extent() const noexcept { return m_extent; }
    const PolygonIndex& index() const { return *m_index; }

    /// Per point (x at xs + i*stride bytes): the lowest-index polygon containing it, -1 none.
    std::vector<std::int32_t> first_containing(std::size_t n, const double* xs, const double* ys, std::size_t stride_bytes,
                                               unsigned threads) const;
    /// Every polygon containing each point.
    Containment containing(std::size_t n, const double* xs, const double* ys, std::size_t stride_bytes, unsigned threads) const;
    /// The same for incidents and points.
    std::vector<std::int32_t> first_containing(const std::vector<Incident>& pts, unsigned threads) const;
    std::vector<std::int32_t> first_containing(const std::vector<Point>& pts, unsigned threads) const;
    Containment containing(const std::vector<Incident>& pts, unsigned threads) const;

private:
    std::vector<std::string> m_names;
    std::vector<Geometry> m_geoms;
    Extent m_extent;
    std::unique_ptr<PolygonIndex> m_index;
};

/// Distance from a point to the boundary (exterior and hole rings) of one of the given
/// polygons, with each boundary prepared (GEOS prepared distance) on first use. Same units as
/// the coordinates. One thread only: build one per worker (parallel::for_chunks_with); the
/// polygons must outlive it. Throws GeometryError when GEOS fails.
class BoundaryDistance {
public:
    explicit BoundaryDistance(const std::vector<Geometry>& polygons);
    ~BoundaryDistance();
    BoundaryDistance(const BoundaryDistance&) = delete;
    BoundaryDistance& operator=(const BoundaryDistance&) = delete;
    BoundaryDistance(BoundaryDistance&&) noexcept;
    BoundaryDistance& operator=(BoundaryDistance&&) = delete;

    double operator()(std::size_t polygon, double x, double y);

private:
    const std::vector<Geometry>* m_polygons;
    std::vector<Geometry> m_boundaries; ///< null until used
    std::vector<void*> m_prepared;      ///< GEOSPreparedGeometry*, null until used
};

/// GEOS runtime version, for --version.
std::string geos_version();

} // namespace hotmap::geom

#include "hotmap/geom/polygon_index_impl.hpp"
