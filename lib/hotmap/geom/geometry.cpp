// SPDX-License-Identifier: MIT
// GEOS C API wrappers (reentrant _r functions, one context per thread).
#include "hotmap/geom/geometry.hpp"

#include "hotmap/error.hpp"

#include <geos_c.h>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>

namespace hotmap::geom {
namespace {

thread_local std::string t_last_error;

void on_error(const char* fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    t_last_error = buf;
}
void on_notice(const char*, ...) {}

struct ContextOwner {
    GEOSContextHandle_t h;
    ContextOwner() : h(GEOS_init_r())
    {
        GEOSContext_setNoticeHandler_r(h, on_notice);
        GEOSContext_setErrorHandler_r(h, on_error);
    }
    ~ContextOwner() { GEOS_finish_r(h); }
};

[[noreturn]] void fail(const std::string& what)
{
    throw GeometryError(what + ": " + (t_last_error.empty() ? "GEOS error" : t_last_error));
}

GEOSGeometry* check(GEOSGeometry* g, const char* what)
{
    if (!g) fail(what);
    return g;
}

struct WkbWriterDeleter {
    void operator()(GEOSWKBWriter* w) const noexcept { GEOSWKBWriter_destroy_r(context(), w); }
};
struct WktWriterDeleter {
    void operator()(GEOSWKTWriter* w) const noexcept { GEOSWKTWriter_destroy_r(context(), w); }
};
struct CoordSeqDeleter {
    void operator()(GEOSCoordSequence* s) const noexcept { GEOSCoordSeq_destroy_r(context(), s); }
};
struct MakeValidParamsDeleter {
    void operator()(GEOSMakeValidParams* p) const noexcept { GEOSMakeValidParams_destroy_r(context(), p); }
};
using CoordSeqPtr = std::unique_ptr<GEOSCoordSequence, CoordSeqDeleter>;
using GeomOwner = std::unique_ptr<GEOSGeometry, GeomDeleter>;

CoordSeqPtr make_seq(const std::vector<Point>& pts, bool close)
{
    GeosHandle h = context();
    const bool need_close = close && !pts.empty() &&
                            (pts.front().x != pts.back().x || pts.front().y != pts.back().y);
    const unsigned n = static_cast<unsigned>(pts.size() + (need_close ? 1 : 0));
    CoordSeqPtr s(GEOSCoordSeq_create_r(h, n, 2));
    if (!s) fail("cannot create coordinates");
    for (unsigned i = 0; i < pts.size(); ++i)
        if (!GEOSCoordSeq_setXY_r(h, s.get(), i, pts[i].x, pts[i].y)) fail("cannot set coordinates");
    if (need_close && !GEOSCoordSeq_setXY_r(h, s.get(), n - 1, pts[0].x, pts[0].y)) fail("cannot set coordinates");
    return s;
}

void ring_points(GeosHandle h, const GEOSGeometry* ring, std::vector<std::vector<Point>>& out)
{
    const GEOSCoordSequence* s = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(h, s, &n);
    std::vector<Point> pts(n);
    for (unsigned i = 0; i < n; ++i) GEOSCoordSeq_getXY_r(h, s, i, &pts[i].x, &pts[i].y);
    out.push_back(std::move(pts));
}

} // namespace

GeosHandle context()
{
    thread_local ContextOwner owner;
    return owner.h;
}

void GeomDeleter::operator()(GEOSGeom_t* g) const noexcept { GEOSGeom_destroy_r(context(), g); }

Geometry Geometry::from_wkb(std::string_view wkb)
{
    return Geometry(check(GEOSGeomFromWKB_buf_r(context(), reinterpret_cast<const unsigned char*>(wkb.data()), wkb.size()),
                          "cannot read WKB"));
}

Geometry Geometry::from_wkt(const std::string& wkt)
{
    return Geometry(check(GEOSGeomFromWKT_r(context(), wkt.c_str()), "cannot read WKT"));
}

Geometry Geometry::point(double x, double y)
{
    return Geometry(check(GEOSGeom_createPointFromXY_r(context(), x, y), "cannot create point"));
}

Geometry Geometry::rectangle(const Extent& e)
{
    return Geometry(check(GEOSGeom_createRectangle_r(context(), e.xmin, e.ymin, e.xmax, e.ymax), "cannot create rectangle"));
}

Geometry Geometry::polygon(const std::vector<Point>& ring)
{
    GeosHandle h = context();
    // the sequence passes to the ring, the ring to the polygon
    GeomOwner shell(GEOSGeom_createLinearRing_r(h, make_seq(ring, true).release()));
    if (!shell) fail("cannot create ring");
    return Geometry(check(GEOSGeom_createPolygon_r(h, shell.release(), nullptr, 0), "cannot create polygon"));
}

Geometry Geometry::linestring(const std::vector<Point>& pts)
{
    return Geometry(check(GEOSGeom_createLineString_r(context(), make_seq(pts, false).release()), "cannot create line"));
}

Geometry Geometry::collect(std::vector<Geometry> parts)
{
    GeosHandle h = context();
    int type = GEOS_GEOMETRYCOLLECTION;
    if (!parts.empty()) {
        const int t0 = GEOSGeomTypeId_r(h, parts[0].get());
        const bool same = std::all_of(parts.begin(), parts.end(), [&](const Geometry& g) { return GEOSGeomTypeId_r(h, g.get()) == t0; });
        if (same && t0 == GEOS_POLYGON) type = GEOS_MULTIPOLYGON;
        else if (same && t0 == GEOS_LINESTRING) type = GEOS_MULTILINESTRING;
        else if (same && t0 == GEOS_POINT) type = GEOS_MULTIPOINT;
    }
    std::vector<GEOSGeometry*> raw;
    for (Geometry& g : parts) raw.push_back(g.m_g.release());
    GEOSGeometry* c = GEOSGeom_createCollection_r(h, type, raw.data(), static_cast<unsigned>(raw.size()));
    if (!c) {
        for (GEOSGeometry* g : raw) GEOSGeom_destroy_r(h, g);
        fail("cannot collect geometries");
    }
    return Geometry(c);
}

bool Geometry::empty() const
{
    if (!m_g) return true;
    const char r = GEOSisEmpty_r(context(), m_g.get());
    if (r == 2) fail("emptiness check failed");
    return r == 1;
}

Geometry Geometry::clone() const
{
    if (!m_g) return {};
    return Geometry(check(GEOSGeom_clone_r(context(), m_g.get()), "cannot copy geometry"));
}

std::string Geometry::to_wkb() const
{
    GeosHandle h = context();
    std::unique_ptr<GEOSWKBWriter, WkbWriterDeleter> w(GEOSWKBWriter_create_r(h));
    if (!w) fail("cannot write WKB");
    GEOSWKBWriter_setByteOrder_r(h, w.get(), GEOS_WKB_NDR);
    GEOSWKBWriter_setOutputDimension_r(h, w.get(), 2);
    std::size_t size = 0;
    unsigned char* buf = GEOSWKBWriter_write_r(h, w.get(), m_g.get(), &size);
    if (!buf) fail("cannot write WKB");
    std::string out(reinterpret_cast<char*>(buf), size);
    GEOSFree_r(h, buf);
    return out;
}

std::string Geometry::to_wkt(int precision) const
{
    GeosHandle h = context();
    std::unique_ptr<GEOSWKTWriter, WktWriterDeleter> w(GEOSWKTWriter_create_r(h));
    if (!w) fail("cannot write WKT");
    GEOSWKTWriter_setRoundingPrecision_r(h, w.get(), precision);
    GEOSWKTWriter_setTrim_r(h, w.get(), 1);
    char* s = GEOSWKTWriter_write_r(h, w.get(), m_g.get());
    if (!s) fail("cannot write WKT");
    std::string out(s);
    GEOSFree_r(h, s);
    return out;
}

double Geometry::area() const
{
    double a = 0;
    if (!GEOSArea_r(context(), m_g.get(), &a)) fail("cannot compute area");
    return a;
}

double Geometry::length() const
{
    double a = 0;
    if (!GEOSLength_r(context(), m_g.get(), &a)) fail("cannot compute length");
    return a;
}

Extent Geometry::envelope() const
{
    Extent e;
    if (empty()) return e;
    GeosHandle h = context();
    if (!GEOSGeom_getXMin_r(h, m_g.get(), &e.xmin) || !GEOSGeom_getYMin_r(h, m_g.get(), &e.ymin) ||
        !GEOSGeom_getXMax_r(h, m_g.get(), &e.xmax) || !GEOSGeom_getYMax_r(h, m_g.get(), &e.ymax))
        fail("cannot compute envelope");
    return e;
}

Point Geometry::centroid() const
{
    GeosHandle h = context();
    GeomOwner c(check(GEOSGetCentroid_r(h, m_g.get()), "cannot compute centroid"));
    Point p;
    GEOSGeomGetX_r(h, c.get(), &p.x);
    GEOSGeomGetY_r(h, c.get(), &p.y);
    return p;
}

std::string Geometry::type_name() const
{
    GeosHandle h = context();
    char* t = GEOSGeomType_r(h, m_g.get());
    std::string s = t ? t : "";
    GEOSFree_r(h, t);
    return s;
}

bool Geometry::is_polygonal() const
{
    const int t = GEOSGeomTypeId_r(context(), m_g.get());
    return t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON;
}
bool Geometry::is_lineal() const
{
    const int t = GEOSGeomTypeId_r(context(), m_g.get());
    return t == GEOS_LINESTRING || t == GEOS_MULTILINESTRING || t == GEOS_LINEARRING;
}
bool Geometry::is_puntal() const
{
    const int t = GEOSGeomTypeId_r(context(), m_g.get());
    return t == GEOS_POINT || t == GEOS_MULTIPOINT;
}

bool Geometry::is_valid(std::string* why) const
{
    GeosHandle h = context();
    const char r = GEOSisValid_r(h, m_g.get());
    if (r == 2) fail("validity check failed");
    if (r == 1) return true;
    if (why) {
        char* s = GEOSisValidReason_r(h, m_g.get());
        *why = s ? s : "invalid";
        GEOSFree_r(h, s);
    }
    return false;
}

Geometry Geometry::make_valid() const
{
    GeosHandle h = context();
    std::unique_ptr<GEOSMakeValidParams, MakeValidParamsDeleter> p(GEOSMakeValidParams_create_r(h));
    if (!p) fail("cannot repair geometry");
    GEOSMakeValidParams_setMethod_r(h, p.get(), GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(h, p.get(), 0);
    Geometry v(check(GEOSMakeValidWithParams_r(h, m_g.get(), p.get()), "cannot repair geometry"));
    if (is_polygonal() && !v.is_polygonal()) {
        // keep the polygonal parts of a collection
        std::vector<Geometry> polys;
        for (Geometry& part : v.parts())
            if (part.is_polygonal())
                for (Geometry& pp : part.parts()) polys.push_back(std::move(pp));
        return collect(std::move(polys));
    }
    return v;
}

std::vector<std::vector<Point>> Geometry::rings() const
{
    GeosHandle h = context();
    std::vector<std::vector<Point>> out;
    const int n = GEOSGetNumGeometries_r(h, m_g.get());
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* poly = GEOSGetGeometryN_r(h, m_g.get(), i);
        if (GEOSGeomTypeId_r(h, poly) != GEOS_POLYGON) continue;
        if (GEOSisEmpty_r(h, poly)) continue;
        ring_points(h, GEOSGetExteriorRing_r(h, poly), out);
        const int holes = GEOSGetNumInteriorRings_r(h, poly);
        for (int k = 0; k < holes; ++k) ring_points(h, GEOSGetInteriorRingN_r(h, poly, k), out);
    }
    return out;
}

std::vector<Geometry> Geometry::parts() const
{
    GeosHandle h = context();
    std::vector<Geometry> out;
    const int n = GEOSGetNumGeometries_r(h, m_g.get());
    for (int i = 0; i < n; ++i)
        out.emplace_back(check(GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, m_g.get(), i)), "cannot copy part"));
    return out;
}

std::vector<std::vector<Point>> Geometry::coordinates() const
{
    GeosHandle h = context();
    std::vector<std::vector<Point>> out;
    const int n = GEOSGetNumGeometries_r(h, m_g.get());
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* part = GEOSGetGeometryN_r(h, m_g.get(), i);
        const int t = GEOSGeomTypeId_r(h, part);
        if (GEOSisEmpty_r(h, part)) continue;
        if (t == GEOS_POINT || t == GEOS_LINESTRING || t == GEOS_LINEARRING) ring_points(h, part, out);
        else if (t == GEOS_MULTIPOINT || t == GEOS_MULTILINESTRING || t == GEOS_GEOMETRYCOLLECTION) {
            Geometry sub(check(GEOSGeom_clone_r(h, part), "cannot copy part"));
            for (auto& v : sub.coordinates()) out.push_back(std::move(v));
        }
    }
    return out;
}

Geometry Geometry::buffer(double d, int quadsegs) const
{
    return Geometry(check(GEOSBuffer_r(context(), m_g.get(), d, quadsegs), "buffer failed"));
}
Geometry Geometry::convex_hull() const
{
    return Geometry(check(GEOSConvexHull_r(context(), m_g.get()), "convex hull failed"));
}
Geometry Geometry::intersection(const Geometry& o) const
{
    return Geometry(check(GEOSIntersection_r(context(), m_g.get(), o.get()), "intersection failed"));
}
Geometry Geometry::difference(const Geometry& o) const
{
    return Geometry(check(GEOSDifference_r(context(), m_g.get(), o.get()), "difference failed"));
}
bool Geometry::intersects(const Geometry& o) const
{
    const char r = GEOSIntersects_r(context(), m_g.get(), o.get());
    if (r == 2) fail("intersects failed");
    return r == 1;
}
double Geometry::distance(const Geometry& o) const
{
    double d = 0;
    if (!GEOSDistance_r(context(), m_g.get(), o.get(), &d)) fail("distance failed");
    return d;
}

Geometry union_all(std::vector<Geometry> geoms)
{
    if (geoms.empty()) return Geometry::collect({});
    Geometry c = Geometry::collect(std::move(geoms));
    return Geometry(check(GEOSUnaryUnion_r(context(), c.get()), "union failed"));
}

// ---------------------------------------------------------------------------------------
// PolygonIndex

PolygonIndex::PolygonIndex(const std::vector<Geometry>& polygons, std::size_t max_side)
{
    Extent all;
    std::vector<std::vector<std::vector<Point>>> rings(polygons.size());
    std::size_t nverts = 0;
    for (std::size_t k = 0; k < polygons.size(); ++k) {
        if (polygons[k].null()) throw GeometryError("polygon index: polygon " + std::to_string(k + 1) + " has no geometry");
        m_geoms.push_back(polygons[k].get());
        all.expand(polygons[k].envelope());
        rings[k] = polygons[k].rings();
        for (const auto& r : rings[k]) nverts += r.size();
    }
    if (all.empty()) {
        m_nx = m_ny = 0;
        return;
    }
    if (!std::isfinite(all.width()) || !std::isfinite(all.height()))
        throw GeometryError("polygon index: the polygons' extent is not finite");
    // Cell size: about 4 cells per vertex, square cells, at most max_side per side.
    const double w = std::max(all.width(), 1e-9), hgt = std::max(all.height(), 1e-9);
    const double target = std::clamp<double>(static_cast<double>(nverts) * 4.0, 4096.0,
                                             static_cast<double>(max_side * max_side));
    double cell = std::sqrt(w * hgt / target);
    m_nx = std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(w / cell)), 1, max_side);
    m_ny = std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(hgt / cell)), 1, max_side);
    m_x0 = all.xmin;
    m_y0 = all.ymin;
    // Cells slightly larger than needed so the far edge is inside the grid.
    m_cw = w / static_cast<double>(m_nx) * (1 + 1e-12);
    m_ch = hgt / static_cast<double>(m_ny) * (1 + 1e-12);

    // 1. Boundary cells: every cell a polygon edge passes through (conservative supercover,
    //    widened by one cell to absorb rounding), per polygon.
    std::vector<std::vector<std::uint32_t>> boundary(polygons.size());
    std::vector<std::uint32_t> cells;
    for (std::size_t k = 0; k < polygons.size(); ++k) {
        cells.clear();
        for (const auto& ring : rings[k]) {
            for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
                const Point a = ring[i], b = ring[i + 1];
                const double ylo = std::min(a.y, b.y), yhi = std::max(a.y, b.y);
                const long r0 = static_cast<long>(std::floor((ylo - m_y0) / m_ch)) - 1;
                const long r1 = static_cast<long>(std::floor((yhi - m_y0) / m_ch)) + 1;
                for (long r = std::max(0L, r0); r <= std::min<long>(static_cast<long>(m_ny) - 1, r1); ++r) {
                    // x range of the segment within this row's y band
                    const double by0 = m_y0 + static_cast<double>(r) * m_ch, by1 = by0 + m_ch;
                    double xa, xb;
                    if (a.y == b.y) {
                        xa = std::min(a.x, b.x);
                        xb = std::max(a.x, b.x);
                    } else {
                        const double t0 = std::clamp((by0 - a.y) / (b.y - a.y), 0.0, 1.0);
                        const double t1 = std::clamp((by1 - a.y) / (b.y - a.y), 0.0, 1.0);
                        const double x0 = a.x + t0 * (b.x - a.x), x1 = a.x + t1 * (b.x - a.x);
                        xa = std::min(x0, x1);
                        xb = std::max(x0, x1);
                    }
                    const long c0 = std::max(0L, static_cast<long>(std::floor((xa - m_x0) / m_cw)) - 1);
                    const long c1 = std::min<long>(static_cast<long>(m_nx) - 1, static_cast<long>(std::floor((xb - m_x0) / m_cw)) + 1);
                    for (long c = c0; c <= c1; ++c)
                        cells.push_back(static_cast<std::uint32_t>(static_cast<std::size_t>(r) * m_nx + static_cast<std::size_t>(c)));
                }
            }
        }
        std::sort(cells.begin(), cells.end());
        cells.erase(std::unique(cells.begin(), cells.end()), cells.end());
        boundary[k] = cells;
    }
    // 2. Interior cells by scanline fill at cell-centre rows (even-odd over all rings).
    m_cell.assign(m_nx * m_ny, -1);
    std::vector<std::vector<std::int32_t>> cands(m_nx * m_ny); // boundary candidates (sparse use)
    std::vector<char> is_boundary(m_nx * m_ny, 0);
    for (std::size_t k = 0; k < polygons.size(); ++k) {
        for (std::uint32_t c : boundary[k]) {
            is_boundary[c] = 1;
            cands[c].push_back(static_cast<std::int32_t>(k));
        }
        const Extent e = polygons[k].envelope();
        const long r0 = std::max(0L, static_cast<long>(std::floor((e.ymin - m_y0) / m_ch)));
        const long r1 = std::min<long>(static_cast<long>(m_ny) - 1, static_cast<long>(std::floor((e.ymax - m_y0) / m_ch)));
        std::vector<double> xs;
        for (long r = r0; r <= r1; ++r) {
            const double yc = m_y0 + (static_cast<double>(r) + 0.5) * m_ch;
            xs.clear();
            for (const auto& ring : rings[k])
                for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
                    const Point a = ring[i], b = ring[i + 1];
                    if ((a.y > yc) != (b.y > yc)) xs.push_back(a.x + (yc - a.y) / (b.y - a.y) * (b.x - a.x));
                }
            std::sort(xs.begin(), xs.end());
            for (std::size_t j = 0; j + 1 < xs.size(); j += 2) {
                const long c0 = std::max(0L, static_cast<long>(std::ceil((xs[j] - m_x0) / m_cw - 0.5)));
                const long c1 = std::min<long>(static_cast<long>(m_nx) - 1, static_cast<long>(std::floor((xs[j + 1] - m_x0) / m_cw - 0.5)));
                for (long c = c0; c <= c1; ++c) {
                    const std::size_t ci = static_cast<std::size_t>(r) * m_nx + static_cast<std::size_t>(c);
                    if (is_boundary[ci]) {
                        // boundary of another polygon, inside this one: a candidate too
                        cands[ci].push_back(static_cast<std::int32_t>(k));
                        continue;
                    }
                    if (m_cell[ci] >= 0 && m_cell[ci] != static_cast<std::int32_t>(k)) {
                        // overlapping polygons: let the exact test decide
                        is_boundary[ci] = 1;
                        cands[ci].push_back(m_cell[ci]);
                        cands[ci].push_back(static_cast<std::int32_t>(k));
                        continue;
                    }
                    m_cell[ci] = static_cast<std::int32_t>(k);
                }
            }
        }
    }
    // A cell may be marked boundary by a later polygon after an earlier one filled it.
    m_list_start.push_back(0);
    for (std::size_t ci = 0; ci < m_cell.size(); ++ci) {
        if (!is_boundary[ci]) continue;
        // a polygon whose interior covers this cell (filled before it became boundary) is a candidate too
        if (m_cell[ci] >= 0) {
            auto& cv = cands[ci];
            if (std::find(cv.begin(), cv.end(), m_cell[ci]) == cv.end()) cv.push_back(m_cell[ci]);
        }
        std::sort(cands[ci].begin(), cands[ci].end());
        cands[ci].erase(std::unique(cands[ci].begin(), cands[ci].end()), cands[ci].end());
        m_cell[ci] = -2 - static_cast<std::int32_t>(m_list_start.size() - 1);
        m_list.insert(m_list.end(), cands[ci].begin(), cands[ci].end());
        m_list_start.push_back(static_cast<std::uint32_t>(m_list.size()));
    }
}


PolygonIndex::~PolygonIndex() = default;

PolygonIndex::Query::Query(const PolygonIndex& index) : m_index(&index), m_prepared(index.m_geoms.size(), nullptr) {}

PolygonIndex::Query::Query(Query&& o) noexcept
    : m_index(o.m_index), m_prepared(std::move(o.m_prepared))
{
    o.m_prepared.clear();
}

PolygonIndex::Query::~Query()
{
    // made in this thread's context, destroyed in it
    GeosHandle h = context();
    for (void* p : m_prepared)
        if (p) GEOSPreparedGeom_destroy_r(h, static_cast<const GEOSPreparedGeometry*>(p));
}

void PolygonIndex::Query::exact(double x, double y, const std::int32_t* cand, std::size_t ncand, std::vector<int>& out)
{
    out.clear();
    if (ncand == 0) return;
    GeosHandle h = context();
    const GeomOwner owner(check(GEOSGeom_createPointFromXY_r(h, x, y), "cannot create point"));
    const GEOSGeometry* pt = owner.get();
    for (std::size_t i = 0; i < ncand; ++i) {
        const auto k = static_cast<std::size_t>(cand[i]);
        if (!m_prepared[k]) {
            const GEOSPreparedGeometry* p = GEOSPrepare_r(h, m_index->m_geoms[k]);
            if (!p) fail("cannot prepare polygon " + std::to_string(k + 1));
            m_prepared[k] = const_cast<GEOSPreparedGeometry*>(p);
        }
        const char r = GEOSPreparedIntersects_r(h, static_cast<const GEOSPreparedGeometry*>(m_prepared[k]), pt);
        if (r == 2) fail("point-in-polygon test failed at (" + std::to_string(x) + ", " + std::to_string(y) + ")");
        if (r == 1) out.push_back(static_cast<int>(k));
    }
}

void PolygonIndex::Query::containing(double x, double y, std::vector<int>& out)
{
    const PolygonIndex& ix = *m_index;
    out.clear();
    const double fx = (x - ix.m_x0) / ix.m_cw, fy = (y - ix.m_y0) / ix.m_ch;
    if (fx >= 0 && fy >= 0 && fx < static_cast<double>(ix.m_nx) && fy < static_cast<double>(ix.m_ny)) {
        const std::int32_t c = ix.m_cell[static_cast<std::size_t>(fy) * ix.m_nx + static_cast<std::size_t>(fx)];
        if (c >= 0) out.push_back(c);
        else if (c <= -2) {
            const std::size_t li = static_cast<std::size_t>(-(c + 2));
            exact(x, y, ix.m_list.data() + ix.m_list_start[li], ix.m_list_start[li + 1] - ix.m_list_start[li], out);
        }
        return;
    }
    std::vector<std::int32_t> all(ix.m_geoms.size());
    for (std::size_t k = 0; k < all.size(); ++k) all[k] = static_cast<std::int32_t>(k);
    exact(x, y, all.data(), all.size(), out);
}

void PolygonIndex::query(double x, double y, std::vector<int>& out) const
{
    Query q(*this);
    q.containing(x, y, out);
}

// ---------------------------------------------------------------------------------------
// NamedPolygons

NamedPolygons::NamedPolygons() : m_index(std::make_unique<PolygonIndex>(m_geoms)) {}

NamedPolygons::NamedPolygons(std::vector<std::string> names, std::vector<Geometry> polygons)
    : m_names(std::move(names)), m_geoms(std::move(polygons))
{
    if (m_names.size() != m_geoms.size())
        throw ParameterError("named polygons: " + std::to_string(m_names.size()) + " names for " + std::to_string(m_geoms.size()) +
                             " polygons");
    for (std::size_t i = 0; i < m_geoms.size(); ++i) {
        if (m_geoms[i].null() || (!m_geoms[i].empty() && !m_geoms[i].is_polygonal()))
            throw GeometryError("'" + m_names[i] + "' is not a polygon");
        m_extent.expand(m_geoms[i].envelope());
    }
    m_index = std::make_unique<PolygonIndex>(m_geoms);
}

NamedPolygons::~NamedPolygons() = default;
NamedPolygons::NamedPolygons(NamedPolygons&&) noexcept = default;
NamedPolygons& NamedPolygons::operator=(NamedPolygons&&) noexcept = default;

std::vector<std::int32_t> NamedPolygons::first_containing(std::size_t n, const double* xs, const double* ys, std::size_t stride,
                                                          unsigned threads) const
{
    std::vector<std::int32_t> first(n, -1);
    if (n == 0 || empty()) return first;
    m_index->assign(n, xs, ys, stride, threads, [&](std::size_t i, int k) {
        if (first[i] < 0 || k < first[i]) first[i] = k;
    });
    return first;
}

Containment NamedPolygons::containing(std::size_t n, const double* xs, const double* ys, std::size_t stride, unsigned threads) const
{
    Containment a;
    // Fast pass: the first polygon of every point, and a count of the others.
    std::vector<std::int32_t> first(n, -1);
    std::vector<std::int32_t> extra(n, 0);
    if (n && !empty())
        m_index->assign(n, xs, ys, stride, threads, [&](std::size_t i, int k) {
            if (first[i] < 0) first[i] = k;
            else ++extra[i];
        });
    a.start.resize(n + 1);
    std::uint64_t pos = 0;
    for (std::size_t i = 0; i < n; ++i) {
        a.start[i] = static_cast<std::uint32_t>(pos);
        pos += first[i] >= 0 ? 1u + static_cast<std::uint32_t>(extra[i]) : 0u;
        if (pos > 0xFFFFFFF0ull) throw ParameterError("point-in-polygon: more than 4 billion memberships");
        if (first[i] < 0) ++a.outside;
        if (extra[i] > 0) ++a.multiple;
    }
    a.start[n] = static_cast<std::uint32_t>(pos);
    a.ids.resize(pos);
    PolygonIndex::Query q(*m_index);
    std::vector<int> hits;
    for (std::size_t i = 0; i < n; ++i) {
        if (first[i] < 0) continue;
        if (extra[i] == 0) {
            a.ids[a.start[i]] = first[i];
            continue;
        }
        const double x = *reinterpret_cast<const double*>(reinterpret_cast<const char*>(xs) + i * stride);
        const double y = *reinterpret_cast<const double*>(reinterpret_cast<const char*>(ys) + i * stride);
        q.containing(x, y, hits);
        if (hits.size() != static_cast<std::size_t>(a.start[i + 1] - a.start[i]))
            throw GeometryError("point-in-polygon: inconsistent results at (" + std::to_string(x) + ", " + std::to_string(y) + ")");
        std::copy(hits.begin(), hits.end(), a.ids.begin() + a.start[i]);
    }
    return a;
}

std::vector<std::int32_t> NamedPolygons::first_containing(const std::vector<Incident>& pts, unsigned threads) const
{
    if (pts.empty()) return {};
    return first_containing(pts.size(), &pts[0].x, &pts[0].y, sizeof(Incident), threads);
}

std::vector<std::int32_t> NamedPolygons::first_containing(const std::vector<Point>& pts, unsigned threads) const
{
    if (pts.empty()) return {};
    return first_containing(pts.size(), &pts[0].x, &pts[0].y, sizeof(Point), threads);
}

Containment NamedPolygons::containing(const std::vector<Incident>& pts, unsigned threads) const
{
    if (pts.empty()) return containing(0, nullptr, nullptr, sizeof(Incident), threads);
    return containing(pts.size(), &pts[0].x, &pts[0].y, sizeof(Incident), threads);
}

BoundaryDistance::BoundaryDistance(const std::vector<Geometry>& polygons)
    : m_polygons(&polygons), m_boundaries(polygons.size()), m_prepared(polygons.size(), nullptr)
{
}

BoundaryDistance::BoundaryDistance(BoundaryDistance&& o) noexcept
    : m_polygons(o.m_polygons), m_boundaries(std::move(o.m_boundaries)), m_prepared(std::move(o.m_prepared))
{
    o.m_prepared.clear();
}

BoundaryDistance::~BoundaryDistance()
{
    // prepared in this thread's context, destroyed in it, before the boundaries they point to
    GeosHandle h = context();
    for (void* p : m_prepared)
        if (p) GEOSPreparedGeom_destroy_r(h, static_cast<const GEOSPreparedGeometry*>(p));
}

double BoundaryDistance::operator()(std::size_t polygon, double x, double y)
{
    GeosHandle h = context();
    if (!m_prepared.at(polygon)) {
        m_boundaries[polygon] =
            Geometry(check(GEOSBoundary_r(h, (*m_polygons)[polygon].get()), "cannot compute polygon boundary"));
        const GEOSPreparedGeometry* p = GEOSPrepare_r(h, m_boundaries[polygon].get());
        if (!p) fail("cannot prepare boundary of polygon " + std::to_string(polygon + 1));
        m_prepared[polygon] = const_cast<GEOSPreparedGeometry*>(p);
    }
    const GeomOwner pt(check(GEOSGeom_createPointFromXY_r(h, x, y), "cannot create point"));
    double d = 0;
    if (!GEOSPreparedDistance_r(h, static_cast<const GEOSPreparedGeometry*>(m_prepared[polygon]), pt.get(), &d))
        fail("boundary distance failed");
    return d;
}

std::string geos_version() { return GEOSversion(); }

} // namespace hotmap::geom
