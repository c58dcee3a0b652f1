// SPDX-License-Identifier: MIT
// GEOS C API wrappers (reentrant _r functions, one context per thread).
#include "hotmap/geom/geometry.hpp"

#include "hotmap/error.hpp"

#include <geos_c.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <mutex>

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

GEOSCoordSequence* make_seq(const std::vector<Point>& pts, bool close)
{
    GeosHandle h = context();
    const bool need_close = close && !pts.empty() &&
                            (pts.front().x != pts.back().x || pts.front().y != pts.back().y);
    const unsigned n = static_cast<unsigned>(pts.size() + (need_close ? 1 : 0));
    GEOSCoordSequence* s = GEOSCoordSeq_create_r(h, n, 2);
    if (!s) fail("cannot create coordinates");
    for (unsigned i = 0; i < pts.size(); ++i) GEOSCoordSeq_setXY_r(h, s, i, pts[i].x, pts[i].y);
    if (need_close) GEOSCoordSeq_setXY_r(h, s, n - 1, pts[0].x, pts[0].y);
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
    GEOSGeometry* shell = GEOSGeom_createLinearRing_r(h, make_seq(ring, true));
    if (!shell) fail("cannot create ring");
    return Geometry(check(GEOSGeom_createPolygon_r(h, shell, nullptr, 0), "cannot create polygon"));
}

Geometry Geometry::linestring(const std::vector<Point>& pts)
{
    return Geometry(check(GEOSGeom_createLineString_r(context(), make_seq(pts, false)), "cannot create line"));
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

bool Geometry::empty() const { return !m_g || GEOSisEmpty_r(context(), m_g.get()) == 1; }

Geometry Geometry::clone() const
{
    if (!m_g) return {};
    return Geometry(check(GEOSGeom_clone_r(context(), m_g.get()), "cannot copy geometry"));
}

std::string Geometry::to_wkb() const
{
    GeosHandle h = context();
    std::unique_ptr<GEOSWKBWriter, WkbWriterDeleter> w(GEOSWKBWriter_create_r(h));
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
    GEOSWKTWriter* w = GEOSWKTWriter_create_r(h);
    GEOSWKTWriter_setRoundingPrecision_r(h, w, precision);
    GEOSWKTWriter_setTrim_r(h, w, 1);
    char* s = GEOSWKTWriter_write_r(h, w, m_g.get());
    GEOSWKTWriter_destroy_r(h, w);
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
    GEOSGeom_getXMin_r(context(), m_g.get(), &e.xmin);
    GEOSGeom_getYMin_r(context(), m_g.get(), &e.ymin);
    GEOSGeom_getXMax_r(context(), m_g.get(), &e.xmax);
    GEOSGeom_getYMax_r(context(), m_g.get(), &e.ymax);
    return e;
}

Point Geometry::centroid() const
{
    GeosHandle h = context();
    std::unique_ptr<GEOSGeom_t, GeomDeleter> c(check(GEOSGetCentroid_r(h, m_g.get()), "cannot compute centroid"));
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
    GEOSMakeValidParams* p = GEOSMakeValidParams_create_r(h);
    GEOSMakeValidParams_setMethod_r(h, p, GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(h, p, 0);
    GEOSGeometry* g = GEOSMakeValidWithParams_r(h, m_g.get(), p);
    GEOSMakeValidParams_destroy_r(h, p);
    Geometry v(check(g, "cannot repair geometry"));
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

struct PolygonIndex::Prepared {
    std::vector<Geometry> polys; ///< own copies: the prepared geometries point into them
    std::uint64_t id = 0;
    std::mutex mu;
    struct PerThread {
        std::vector<const GEOSPreparedGeometry*> prep;
        GeosHandle owner_ctx = nullptr;
    };
    std::vector<std::unique_ptr<PerThread>> threads;

    ~Prepared()
    {
        GeosHandle h = context();
        for (auto& t : threads)
            for (const GEOSPreparedGeometry* p : t->prep) GEOSPreparedGeom_destroy_r(h, p);
    }
    const std::vector<const GEOSPreparedGeometry*>& for_this_thread()
    {
        thread_local std::uint64_t cached_id = 0;
        thread_local PerThread* cached = nullptr;
        if (cached_id == id && cached) return cached->prep;
        auto pt = std::make_unique<PerThread>();
        GeosHandle h = context();
        for (const Geometry& g : polys) pt->prep.push_back(GEOSPrepare_r(h, g.get()));
        std::lock_guard lock(mu);
        threads.push_back(std::move(pt));
        cached = threads.back().get();
        cached_id = id;
        return cached->prep;
    }
};

namespace {
std::atomic<std::uint64_t> g_index_ids{1};
}

PolygonIndex::PolygonIndex(const std::vector<Geometry>& polygons, std::size_t max_side)
    : m_n(polygons.size()), m_prep(std::make_unique<Prepared>())
{
    m_prep->id = g_index_ids++;
    Extent all;
    std::vector<std::vector<std::vector<Point>>> rings(polygons.size());
    std::size_t nverts = 0;
    for (std::size_t k = 0; k < polygons.size(); ++k) {
        m_prep->polys.push_back(polygons[k].clone());
        all.expand(polygons[k].envelope());
        rings[k] = polygons[k].rings();
        for (const auto& r : rings[k]) nverts += r.size();
    }
    if (all.empty()) {
        m_nx = m_ny = 0;
        return;
    }
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

void PolygonIndex::exact(double x, double y, const int* cand, std::size_t ncand, std::vector<int>& out) const
{
    out.clear();
    if (ncand == 0) return;
    GeosHandle h = context();
    const auto& prep = m_prep->for_this_thread();
    std::unique_ptr<GEOSGeom_t, GeomDeleter> pt(GEOSGeom_createPointFromXY_r(h, x, y));
    for (std::size_t i = 0; i < ncand; ++i) {
        const int k = cand[i];
        if (GEOSPreparedIntersects_r(h, prep[static_cast<std::size_t>(k)], pt.get()) == 1) out.push_back(k);
    }
}

void PolygonIndex::query(double x, double y, std::vector<int>& out) const
{
    out.clear();
    const double fx = (x - m_x0) / m_cw, fy = (y - m_y0) / m_ch;
    if (fx >= 0 && fy >= 0 && fx < static_cast<double>(m_nx) && fy < static_cast<double>(m_ny)) {
        const std::int32_t c = m_cell[static_cast<std::size_t>(fy) * m_nx + static_cast<std::size_t>(fx)];
        if (c >= 0) out.push_back(c);
        else if (c <= -2) {
            const std::size_t li = static_cast<std::size_t>(-(c + 2));
            exact(x, y, m_list.data() + m_list_start[li], m_list_start[li + 1] - m_list_start[li], out);
        }
        return;
    }
    std::vector<int> all(m_n);
    for (std::size_t k = 0; k < m_n; ++k) all[k] = static_cast<int>(k);
    exact(x, y, all.data(), all.size(), out);
}

} // namespace hotmap::geom
