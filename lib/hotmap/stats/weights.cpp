// SPDX-License-Identifier: MIT
// Sparse spatial weights: bucket-grid distance band and KNN, snapped-vertex contiguity.
#include "hotmap/stats/weights.hpp"

#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/stats/morans_i.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <utility>

namespace hotmap::stats {

namespace {

/// Points bucketed in a uniform grid of square buckets of side `size`.
struct Buckets {
    double x0 = 0, y0 = 0, size = 1;
    std::int64_t nx = 1, ny = 1;
    std::vector<std::size_t> start;
    std::vector<std::uint32_t> items;

    Buckets(const std::vector<Point>& pts, double bucket)
    {
        Extent e;
        for (const auto& p : pts) e.expand(p.x, p.y);
        if (!pts.empty() && !(e.width() <= 1e12 && e.height() <= 1e12))
            throw InputError("weights: the features lie more than 1e12 map units apart (check the coordinates)");
        x0 = pts.empty() ? 0 : e.xmin;
        y0 = pts.empty() ? 0 : e.ymin;
        size = bucket;
        // keep the bucket count bounded (about 4 points per bucket at most on average)
        const double max_buckets = std::max<double>(16.0, 4.0 * static_cast<double>(pts.size()));
        while (((e.width() / size) + 1) * ((e.height() / size) + 1) > max_buckets) size *= 2;
        nx = static_cast<std::int64_t>(std::floor(e.width() / size)) + 1;
        ny = static_cast<std::int64_t>(std::floor(e.height() / size)) + 1;
        std::vector<std::size_t> counts(static_cast<std::size_t>(nx * ny) + 1, 0);
        std::vector<std::size_t> key(pts.size());
        for (std::size_t i = 0; i < pts.size(); ++i) {
            key[i] = cell(pts[i].x, pts[i].y);
            ++counts[key[i] + 1];
        }
        for (std::size_t b = 1; b < counts.size(); ++b) counts[b] += counts[b - 1];
        start = counts;
        items.resize(pts.size());
        for (std::size_t i = 0; i < pts.size(); ++i) items[counts[key[i]]++] = static_cast<std::uint32_t>(i);
    }
    // clamped in floating point first: a far-away query point must not overflow the cast
    std::int64_t cx(double x) const
    {
        return static_cast<std::int64_t>(std::clamp(std::floor((x - x0) / size), 0.0, static_cast<double>(nx - 1)));
    }
    std::int64_t cy(double y) const
    {
        return static_cast<std::int64_t>(std::clamp(std::floor((y - y0) / size), 0.0, static_cast<double>(ny - 1)));
    }
    std::size_t cell(double x, double y) const { return static_cast<std::size_t>(cy(y) * nx + cx(x)); }
};

Weights assemble(std::vector<std::vector<std::uint32_t>>& rows)
{
    Weights w;
    w.start.assign(rows.size() + 1, 0);
    for (std::size_t i = 0; i < rows.size(); ++i) w.start[i + 1] = w.start[i] + rows[i].size();
    w.index.resize(w.start.back());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        std::sort(rows[i].begin(), rows[i].end());
        std::copy(rows[i].begin(), rows[i].end(), w.index.begin() + static_cast<std::ptrdiff_t>(w.start[i]));
        std::vector<std::uint32_t>().swap(rows[i]);
    }
    return w;
}

void check_points(const std::vector<Point>& pts)
{
    for (const auto& p : pts)
        if (!std::isfinite(p.x) || !std::isfinite(p.y)) throw InputError("weights: non-finite coordinate");
    if (pts.size() > 0xFFFFFFF0u) throw ParameterError("weights: too many features");
}

} // namespace

Weights distance_band(const std::vector<Point>& pts, double band, unsigned threads)
{
    if (!(band > 0) || !std::isfinite(band)) throw ParameterError("--distance must be a positive number of metres");
    check_points(pts);
    const std::size_t n = pts.size();
    if (n == 0) return {};
    const Buckets b(pts, band);
    const std::int64_t reach =
        static_cast<std::int64_t>(std::min(std::ceil(band / b.size), static_cast<double>(std::max(b.nx, b.ny))));
    // "within the band" includes the band itself: distances of centres on a lattice in a UTM
    // zone (coordinates ~1e7 m, an ulp ~2e-9 m) come out a few ulps off, so the test allows
    // 1e-9 of the band plus 64 ulps of the largest coordinate
    double maxabs = 0;
    for (const Point& p : pts) maxabs = std::max({maxabs, std::abs(p.x), std::abs(p.y)});
    const double slack = band * 1e-9 + 64 * (std::nextafter(maxabs, INFINITY) - maxabs);
    const double b2 = (band + slack) * (band + slack);
    std::vector<std::vector<std::uint32_t>> rows(n);
    parallel::for_chunks(n, 1024, threads, [&](std::size_t lo, std::size_t hi) {
        for (std::size_t i = lo; i < hi; ++i) {
            const auto cx = b.cx(pts[i].x), cy = b.cy(pts[i].y);
            auto& row = rows[i];
            for (std::int64_t yy = std::max<std::int64_t>(0, cy - reach); yy <= std::min(b.ny - 1, cy + reach); ++yy)
                for (std::int64_t xx = std::max<std::int64_t>(0, cx - reach); xx <= std::min(b.nx - 1, cx + reach); ++xx) {
                    const auto c = static_cast<std::size_t>(yy * b.nx + xx);
                    for (std::size_t k = b.start[c]; k < b.start[c + 1]; ++k) {
                        const std::uint32_t j = b.items[k];
                        if (j == i) continue;
                        const double dx = pts[j].x - pts[i].x, dy = pts[j].y - pts[i].y;
                        if (dx * dx + dy * dy <= b2) row.push_back(j);
                    }
                }
        }
    });
    return assemble(rows);
}

namespace {

/// k nearest of point i (excluding i), sorted by (distance, index). Returns squared distances.
void nearest(const Buckets& b, const std::vector<Point>& pts, std::size_t i, unsigned k,
             std::vector<std::pair<double, std::uint32_t>>& best)
{
    best.clear();
    const auto cx = b.cx(pts[i].x), cy = b.cy(pts[i].y);
    const auto consider = [&](std::int64_t xx, std::int64_t yy) {
        if (xx < 0 || yy < 0 || xx >= b.nx || yy >= b.ny) return;
        const auto c = static_cast<std::size_t>(yy * b.nx + xx);
        for (std::size_t q = b.start[c]; q < b.start[c + 1]; ++q) {
            const std::uint32_t j = b.items[q];
            if (j == i) continue;
            const double dx = pts[j].x - pts[i].x, dy = pts[j].y - pts[i].y;
            const std::pair<double, std::uint32_t> cand{dx * dx + dy * dy, j};
            if (best.size() < k) {
                best.push_back(cand);
                std::push_heap(best.begin(), best.end());
            } else if (cand < best.front()) {
                std::pop_heap(best.begin(), best.end());
                best.back() = cand;
                std::push_heap(best.begin(), best.end());
            }
        }
    };
    const std::int64_t rmax = std::max(b.nx, b.ny);
    for (std::int64_t r = 0; r <= rmax; ++r) {
        if (r == 0) consider(cx, cy);
        else {
            for (std::int64_t xx = cx - r; xx <= cx + r; ++xx) {
                consider(xx, cy - r);
                consider(xx, cy + r);
            }
            for (std::int64_t yy = cy - r + 1; yy <= cy + r - 1; ++yy) {
                consider(cx - r, yy);
                consider(cx + r, yy);
            }
        }
        // every point not yet seen is at least r * size away from the query
        if (best.size() == k) {
            const double reach = static_cast<double>(r) * b.size;
            if (reach * reach > best.front().first) break;
        }
    }
    std::sort_heap(best.begin(), best.end());
}

} // namespace

Weights knn(const std::vector<Point>& pts, unsigned k, unsigned threads)
{
    check_points(pts);
    const std::size_t n = pts.size();
    if (k < 1 || k >= n)
        throw InputError("--knn must be between 1 and the number of features - 1 (" + std::to_string(n) + " features)");
    const Buckets b(pts, 1.0);
    std::vector<std::vector<std::uint32_t>> rows(n);
    parallel::for_chunks(n, 1024, threads, [&](std::size_t lo, std::size_t hi) {
        std::vector<std::pair<double, std::uint32_t>> best;
        for (std::size_t i = lo; i < hi; ++i) {
            nearest(b, pts, i, k, best);
            for (const auto& [d2, j] : best) rows[i].push_back(j);
        }
    });
    return assemble(rows);
}

double knn_mean_distance(const std::vector<Point>& pts, unsigned threads)
{
    check_points(pts);
    const std::size_t n = pts.size();
    if (n < 4) throw InputError("--distance auto needs at least 4 features");
    const unsigned k = static_cast<unsigned>(std::min<std::size_t>(n - 1, std::clamp<std::size_t>(n / 20, 3, 30)));
    const Buckets b(pts, 1.0);
    std::vector<double> dk(n);
    parallel::for_chunks(n, 1024, threads, [&](std::size_t lo, std::size_t hi) {
        std::vector<std::pair<double, std::uint32_t>> best;
        for (std::size_t i = lo; i < hi; ++i) {
            nearest(b, pts, i, k, best);
            dk[i] = std::sqrt(best.back().first);
        }
    });
    double s = 0;
    for (double d : dk) s += d;
    return s / static_cast<double>(n);
}

double auto_distance(const std::vector<Point>& pts, const std::vector<double>& x, unsigned threads)
{
    const double d0 = knn_mean_distance(pts, threads);
    if (!(d0 > 0)) throw InputError("--distance auto: all features at the same place");
    std::vector<double> z;
    for (int s = 0; s < 10; ++s) {
        const Weights w = distance_band(pts, d0 * (1.0 + 0.25 * s), threads);
        const GlobalMoran g = global_moran(x, w, true);
        z.push_back(g.z);
        if (s >= 2 && std::isfinite(z[s - 1]) && z[s - 1] > z[s - 2] && z[s - 1] > z[s]) return d0 * (1.0 + 0.25 * (s - 1));
    }
    return d0;
}

Weights contiguity(const std::vector<std::vector<std::vector<Point>>>& rings, Contiguity c, double tol)
{
    if (!(tol > 0)) throw ParameterError("contiguity: snap tolerance must be positive");
    struct Vertex {
        double x, y;
        std::uint32_t poly;
    };
    std::vector<Vertex> verts;
    for (std::size_t p = 0; p < rings.size(); ++p)
        for (const auto& r : rings[p])
            for (const auto& v : r) {
                if (!std::isfinite(v.x) || !std::isfinite(v.y)) throw GeometryError("contiguity: non-finite vertex");
                verts.push_back({v.x, v.y, static_cast<std::uint32_t>(p)});
            }
    const auto key = [tol](double x, double y) {
        const auto kx = static_cast<std::int64_t>(std::floor(x / tol));
        const auto ky = static_cast<std::int64_t>(std::floor(y / tol));
        return std::pair<std::int64_t, std::int64_t>{kx, ky};
    };
    struct Hash {
        std::size_t operator()(const std::pair<std::int64_t, std::int64_t>& k) const noexcept
        {
            return std::hash<std::int64_t>()(k.first * 0x9E3779B97F4A7C15LL ^ k.second);
        }
    };
    std::unordered_map<std::pair<std::int64_t, std::int64_t>, std::vector<std::uint32_t>, Hash> grid;
    grid.reserve(verts.size());
    for (std::size_t v = 0; v < verts.size(); ++v) grid[key(verts[v].x, verts[v].y)].push_back(static_cast<std::uint32_t>(v));
    const double t2 = tol * tol;
    // polygons (other than p) with a vertex within tol of (x, y)
    const auto touching = [&](double x, double y, std::uint32_t p, std::vector<std::uint32_t>& out) {
        out.clear();
        const auto [kx, ky] = key(x, y);
        for (std::int64_t dy = -1; dy <= 1; ++dy)
            for (std::int64_t dx = -1; dx <= 1; ++dx) {
                const auto it = grid.find({kx + dx, ky + dy});
                if (it == grid.end()) continue;
                for (std::uint32_t v : it->second) {
                    const auto& o = verts[v];
                    if (o.poly == p) continue;
                    const double ex = o.x - x, ey = o.y - y;
                    if (ex * ex + ey * ey <= t2) out.push_back(o.poly);
                }
            }
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
    };
    std::vector<std::vector<std::uint32_t>> rows(rings.size());
    std::vector<std::uint32_t> a, b, both;
    for (std::size_t p = 0; p < rings.size(); ++p) {
        auto& row = rows[p];
        for (const auto& r : rings[p]) {
            if (r.empty()) continue;
            if (c == Contiguity::queen) {
                for (const auto& v : r) {
                    touching(v.x, v.y, static_cast<std::uint32_t>(p), a);
                    row.insert(row.end(), a.begin(), a.end());
                }
            } else {
                touching(r[0].x, r[0].y, static_cast<std::uint32_t>(p), a);
                for (std::size_t k = 1; k < r.size(); ++k) {
                    touching(r[k].x, r[k].y, static_cast<std::uint32_t>(p), b);
                    both.clear();
                    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
                    row.insert(row.end(), both.begin(), both.end());
                    std::swap(a, b);
                }
            }
        }
        std::sort(row.begin(), row.end());
        row.erase(std::unique(row.begin(), row.end()), row.end());
    }
    if (c == Contiguity::rook) {
        // symmetrise (an edge of p may be split by extra vertices on the other side)
        std::vector<std::vector<std::uint32_t>> sym = rows;
        for (std::size_t p = 0; p < rows.size(); ++p)
            for (std::uint32_t q : rows[p]) sym[q].push_back(static_cast<std::uint32_t>(p));
        for (auto& row : sym) {
            std::sort(row.begin(), row.end());
            row.erase(std::unique(row.begin(), row.end()), row.end());
        }
        rows.swap(sym);
    }
    return assemble(rows);
}

void row_standardise(Weights& w)
{
    std::vector<double> v(w.links());
    for (std::size_t i = 0; i < w.size(); ++i) {
        double s = 0;
        for (std::size_t l = w.start[i]; l < w.start[i + 1]; ++l) s += w.weight(l);
        for (std::size_t l = w.start[i]; l < w.start[i + 1]; ++l) v[l] = s != 0 ? w.weight(l) / s : 0.0;
    }
    w.value.swap(v);
}

} // namespace hotmap::stats
