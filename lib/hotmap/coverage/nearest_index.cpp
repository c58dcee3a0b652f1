// SPDX-License-Identifier: MIT
// Uniform segment grids: nearest facility by ring search, reach by one cell lookup.
#include "hotmap/coverage/nearest_index.hpp"

#include "hotmap/error.hpp"

#include <algorithm>
#include <cmath>

namespace hotmap::coverage {
namespace {

struct Box {
    double xmin, ymin, xmax, ymax;
};

inline double segment_distance2(double px, double py, double ax, double ay, double bx, double by) noexcept
{
    const double dx = bx - ax, dy = by - ay;
    const double len2 = dx * dx + dy * dy;
    double qx = ax, qy = ay;
    if (len2 > 0) {
        const double t = ((px - ax) * dx + (py - ay) * dy) / len2;
        if (t >= 1) {
            qx = bx;
            qy = by;
        } else if (t > 0) {
            qx = ax + t * dx;
            qy = ay + t * dy;
        }
    }
    const double ex = px - qx, ey = py - qy;
    return ex * ex + ey * ey;
}

/// Cells a box overlaps, as an inclusive column/row range (clamped to the grid).
inline void cell_range(const FacilityIndex::Grid& g, const Box& b, std::size_t& c0, std::size_t& c1, std::size_t& r0, std::size_t& r1)
{
    auto col = [&](double x) {
        const double f = std::floor((x - g.x0) / g.cell);
        return static_cast<std::size_t>(std::clamp(f, 0.0, static_cast<double>(g.nx - 1)));
    };
    auto row = [&](double y) {
        const double f = std::floor((y - g.y0) / g.cell);
        return static_cast<std::size_t>(std::clamp(f, 0.0, static_cast<double>(g.ny - 1)));
    };
    c0 = col(b.xmin);
    c1 = col(b.xmax);
    r0 = row(b.ymin);
    r1 = row(b.ymax);
}

/// A grid over the boxes with about `per_cell` boxes per cell, at most `max_entries`
/// registrations (cells grow until it fits) and at most 2048 cells per side.
FacilityIndex::Grid build_grid(const std::vector<Box>& boxes, double per_cell, double max_entries)
{
    FacilityIndex::Grid g;
    if (boxes.empty()) return g;
    Box all = boxes[0];
    for (const Box& b : boxes) {
        all.xmin = std::min(all.xmin, b.xmin);
        all.ymin = std::min(all.ymin, b.ymin);
        all.xmax = std::max(all.xmax, b.xmax);
        all.ymax = std::max(all.ymax, b.ymax);
    }
    const double w = std::max(all.xmax - all.xmin, 1e-6), h = std::max(all.ymax - all.ymin, 1e-6);
    double cell = std::sqrt(w * h * per_cell / static_cast<double>(boxes.size()));
    cell = std::max({cell, w / 2048.0, h / 2048.0, 1e-6});
    for (;;) {
        double entries = 0;
        for (const Box& b : boxes)
            entries += (std::floor((b.xmax - b.xmin) / cell) + 2) * (std::floor((b.ymax - b.ymin) / cell) + 2);
        if (entries <= max_entries) break;
        cell *= 1.5;
    }
    // Slightly larger cells so the far edges fall inside the grid.
    g.nx = std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(w / cell)), 1, 2048);
    g.ny = std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(h / cell)), 1, 2048);
    g.cell = std::max(w / static_cast<double>(g.nx), h / static_cast<double>(g.ny)) * (1 + 1e-12);
    g.x0 = all.xmin;
    g.y0 = all.ymin;
    g.start.assign(g.nx * g.ny + 1, 0);
    std::size_t c0, c1, r0, r1;
    for (const Box& b : boxes) {
        cell_range(g, b, c0, c1, r0, r1);
        for (std::size_t r = r0; r <= r1; ++r)
            for (std::size_t c = c0; c <= c1; ++c) ++g.start[r * g.nx + c + 1];
    }
    for (std::size_t k = 1; k < g.start.size(); ++k) g.start[k] += g.start[k - 1];
    g.items.resize(g.start.back());
    std::vector<std::uint32_t> fill(g.start.begin(), g.start.end() - 1);
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        cell_range(g, boxes[i], c0, c1, r0, r1);
        for (std::size_t r = r0; r <= r1; ++r)
            for (std::size_t c = c0; c <= c1; ++c) g.items[fill[r * g.nx + c]++] = static_cast<std::uint32_t>(i);
    }
    return g;
}

} // namespace

double segment_distance(double px, double py, double ax, double ay, double bx, double by) noexcept
{
    return std::sqrt(segment_distance2(px, py, ax, ay, bx, by));
}

FacilityIndex::FacilityIndex(const std::vector<Facility>& facilities, const std::vector<std::string>& types)
{
    std::vector<Box> near_boxes, reach_boxes;
    m_seg_start.push_back(0);
    for (std::size_t f = 0; f < facilities.size(); ++f) {
        const Facility& fac = facilities[f];
        if (!(fac.radius_m >= 0) || !std::isfinite(fac.radius_m))
            throw ParameterError("facility " + std::to_string(f + 1) + ": radius must be a finite number >= 0");
        m_radius.push_back(fac.radius_m);
        const auto it = std::find(types.begin(), types.end(), fac.type);
        const std::size_t t = static_cast<std::size_t>(it - types.begin());
        m_type.push_back(it == types.end() || t >= 64 ? 255 : static_cast<std::uint8_t>(t));
        auto add = [&](const Point& a, const Point& b) {
            m_seg.push_back({a.x, a.y, b.x, b.y, static_cast<std::int32_t>(f)});
            const Box box{std::min(a.x, b.x), std::min(a.y, b.y), std::max(a.x, b.x), std::max(a.y, b.y)};
            near_boxes.push_back(box);
            const double r = fac.radius_m * (1 + 1e-12) + 1e-9; // candidates only: the exact test decides
            reach_boxes.push_back({box.xmin - r, box.ymin - r, box.xmax + r, box.ymax + r});
        };
        for (const auto& part : fac.parts) {
            if (part.size() == 1) add(part[0], part[0]);
            for (std::size_t i = 0; i + 1 < part.size(); ++i) add(part[i], part[i + 1]);
        }
        m_seg_start.push_back(static_cast<std::uint32_t>(m_seg.size()));
    }
    if (m_seg.size() >= (std::size_t(1) << 31)) throw ParameterError("too many facility segments for the index");
    const double budget = std::max(8e6, 32.0 * static_cast<double>(m_seg.size()));
    m_near = build_grid(near_boxes, 1.0, budget);
    m_reach = build_grid(reach_boxes, 2.0, budget);
}

Nearest FacilityIndex::nearest(double x, double y) const
{
    Nearest best;
    const Grid& g = m_near;
    if (g.nx == 0) return best;
    // q: (x, y) clamped into the grid; its cell (cx, cy). Cells at ring k (Chebyshev) lie at
    // least (k - 1) * cell + m from q, and so from (x, y), m = q's distance to its cell's edges.
    const double gx1 = g.x0 + static_cast<double>(g.nx) * g.cell, gy1 = g.y0 + static_cast<double>(g.ny) * g.cell;
    const double qx = std::clamp(x, g.x0, gx1), qy = std::clamp(y, g.y0, gy1);
    const auto cx = static_cast<long>(std::min(static_cast<double>(g.nx - 1), std::floor((qx - g.x0) / g.cell)));
    const auto cy = static_cast<long>(std::min(static_cast<double>(g.ny - 1), std::floor((qy - g.y0) / g.cell)));
    const double ex0 = g.x0 + static_cast<double>(cx) * g.cell, ey0 = g.y0 + static_cast<double>(cy) * g.cell;
    const double m = std::max(0.0, std::min({qx - ex0, ex0 + g.cell - qx, qy - ey0, ey0 + g.cell - qy}));
    const long nx = static_cast<long>(g.nx), ny = static_cast<long>(g.ny);
    const long kmax = std::max({cx, nx - 1 - cx, cy, ny - 1 - cy});
    double best2 = std::numeric_limits<double>::infinity();
    std::int32_t bestf = -1;
    auto scan = [&](long c, long r) {
        const std::size_t id = static_cast<std::size_t>(r) * g.nx + static_cast<std::size_t>(c);
        for (std::uint32_t k = g.start[id]; k < g.start[id + 1]; ++k) {
            const Segment& s = m_seg[g.items[k]];
            const double d2 = segment_distance2(x, y, s.ax, s.ay, s.bx, s.by);
            if (d2 < best2 || (d2 == best2 && s.facility < bestf)) {
                best2 = d2;
                bestf = s.facility;
            }
        }
    };
    for (long k = 0; k <= kmax; ++k) {
        const long r0 = cy - k, r1 = cy + k, c0 = cx - k, c1 = cx + k;
        if (k == 0) {
            scan(cx, cy);
        } else {
            for (long c = std::max(0L, c0); c <= std::min(nx - 1, c1); ++c) {
                if (r0 >= 0) scan(c, r0);
                if (r1 < ny) scan(c, r1);
            }
            for (long r = std::max(0L, r0 + 1); r <= std::min(ny - 1, r1 - 1); ++r) {
                if (c0 >= 0) scan(c0, r);
                if (c1 < nx) scan(c1, r);
            }
        }
        if (bestf >= 0) {
            const double lb = static_cast<double>(k) * g.cell + m; // bound for ring k + 1
            if (best2 < lb * lb) break;
        }
    }
    best.facility = bestf;
    best.distance_m = std::sqrt(best2);
    return best;
}

Reach FacilityIndex::reach(double x, double y) const
{
    Reach out;
    const Grid& g = m_reach;
    if (g.nx == 0) return out;
    const double fx = std::floor((x - g.x0) / g.cell), fy = std::floor((y - g.y0) / g.cell);
    if (!(fx >= 0 && fy >= 0 && fx < static_cast<double>(g.nx) && fy < static_cast<double>(g.ny))) return out;
    const std::size_t id = static_cast<std::size_t>(fy) * g.nx + static_cast<std::size_t>(fx);
    std::int32_t hit[16];
    std::size_t nhit = 0;
    thread_local std::vector<std::int32_t> more;
    more.clear();
    for (std::uint32_t k = g.start[id]; k < g.start[id + 1]; ++k) {
        const Segment& s = m_seg[g.items[k]];
        const auto f = static_cast<std::size_t>(s.facility);
        if (std::sqrt(segment_distance2(x, y, s.ax, s.ay, s.bx, s.by)) > m_radius[f]) continue;
        if (nhit < 16) hit[nhit++] = s.facility;
        else more.push_back(s.facility);
    }
    if (nhit == 0) return out;
    more.insert(more.end(), hit, hit + nhit);
    if (more.size() > 1) {
        std::sort(more.begin(), more.end());
        more.erase(std::unique(more.begin(), more.end()), more.end());
    }
    out.n_within = static_cast<std::uint32_t>(more.size());
    for (std::int32_t f : more) {
        const std::uint8_t t = m_type[static_cast<std::size_t>(f)];
        if (t < 64) out.type_mask |= std::uint64_t(1) << t;
    }
    return out;
}

double FacilityIndex::distance_to(std::size_t f, double x, double y) const
{
    double best = std::numeric_limits<double>::infinity();
    for (std::uint32_t s = m_seg_start[f]; s < m_seg_start[f + 1]; ++s) {
        const Segment& g = m_seg[s];
        best = std::min(best, segment_distance(x, y, g.ax, g.ay, g.bx, g.by));
    }
    return best;
}

} // namespace hotmap::coverage
