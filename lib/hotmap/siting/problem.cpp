// SPDX-License-Identifier: MIT
// Demand aggregation, candidate grids, the coverage matrix and the spacing conflicts.
#include "hotmap/siting/problem.hpp"

#include "hotmap/coverage/nearest_index.hpp"
#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/resources.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace hotmap::siting {
namespace {

bool within(const Point& a, const Point& b, double r)
{
    // the rule of `hotmap coverage`: distance <= radius (hotmap::coverage::segment_distance)
    return coverage::segment_distance(a.x, a.y, b.x, b.y, b.x, b.y) <= r;
}

} // namespace

PointBuckets::PointBuckets(const std::vector<Point>& pts, double bucket)
{
    Extent e;
    for (const Point& p : pts) e.expand(p.x, p.y);
    if (pts.empty()) e = {0, 0, 0, 0};
    if (!(e.width() <= 1e12 && e.height() <= 1e12)) throw InputError("siting: points more than 1e12 m apart");
    x0 = e.xmin;
    y0 = e.ymin;
    size = bucket;
    const double cap = std::max(16.0, 4.0 * static_cast<double>(pts.size()));
    while ((std::floor(e.width() / size) + 1) * (std::floor(e.height() / size) + 1) > cap) size *= 2;
    nx = static_cast<std::int64_t>(std::floor(e.width() / size)) + 1;
    ny = static_cast<std::int64_t>(std::floor(e.height() / size)) + 1;
    std::vector<std::uint64_t> count(static_cast<std::size_t>(nx * ny) + 1, 0);
    std::vector<std::uint64_t> key(pts.size());
    for (std::size_t i = 0; i < pts.size(); ++i) {
        key[i] = static_cast<std::uint64_t>(cy(pts[i].y) * nx + cx(pts[i].x));
        ++count[key[i] + 1];
    }
    for (std::size_t b = 1; b < count.size(); ++b) count[b] += count[b - 1];
    start = count;
    items.resize(pts.size());
    for (std::size_t i = 0; i < pts.size(); ++i) items[count[key[i]]++] = static_cast<std::uint32_t>(i);
}

Demand make_demand(const std::vector<Incident>& items, double cell_m, unsigned threads)
{
    (void)threads;
    Demand d;
    d.cell_m = cell_m;
    if (items.empty()) return d;
    // key per incident: its exact place, or its cell; sorted, then merged in order
    std::vector<std::uint32_t> order(items.size());
    std::iota(order.begin(), order.end(), 0u);
    if (cell_m > 0) {
        const auto cell = [&](const Incident& i) {
            return std::make_pair(std::floor(i.x / cell_m), std::floor(i.y / cell_m));
        };
        std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return cell(items[a]) < cell(items[b]); });
        for (std::size_t k = 0; k < order.size();) {
            const auto c = cell(items[order[k]]);
            double sw = 0, sx = 0, sy = 0, n = 0;
            std::size_t e = k;
            for (; e < order.size() && cell(items[order[e]]) == c; ++e) {
                const Incident& i = items[order[e]];
                const double w = i.weight > 0 ? i.weight : 0;
                sw += w;
                sx += i.x * (w > 0 ? w : 1);
                sy += i.y * (w > 0 ? w : 1);
                n += w > 0 ? w : 1;
            }
            const Point p{sx / n, sy / n};
            for (std::size_t q = k; q < e; ++q)
                d.max_shift_m = std::max(d.max_shift_m, std::hypot(items[order[q]].x - p.x, items[order[q]].y - p.y));
            d.pts.push_back(p);
            d.weight.push_back(sw);
            d.incidents.push_back(static_cast<std::uint32_t>(e - k));
            d.total += sw;
            k = e;
        }
        return d;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return std::make_pair(items[a].x, items[a].y) < std::make_pair(items[b].x, items[b].y);
    });
    for (std::size_t k = 0; k < order.size();) {
        const Incident& first = items[order[k]];
        double sw = 0;
        std::size_t e = k;
        for (; e < order.size() && items[order[e]].x == first.x && items[order[e]].y == first.y; ++e) sw += items[order[e]].weight;
        d.pts.push_back({first.x, first.y});
        d.weight.push_back(sw);
        d.incidents.push_back(static_cast<std::uint32_t>(e - k));
        d.total += sw;
        k = e;
    }
    return d;
}

std::vector<Point> grid_candidates(const Extent& e, double spacing_m, std::size_t max_candidates)
{
    if (!(spacing_m > 0) || !std::isfinite(spacing_m)) throw ParameterError("--candidate-spacing must be a positive number of metres");
    if (e.empty()) throw ParameterError("candidate grid: empty study area");
    const double x0 = std::floor(e.xmin / spacing_m) * spacing_m, y0 = std::floor(e.ymin / spacing_m) * spacing_m;
    const double nc = std::floor((e.xmax - x0) / spacing_m) + 1, nr = std::floor((e.ymax - y0) / spacing_m) + 1;
    if (nc * nr > static_cast<double>(max_candidates))
        throw ParameterError("a candidate grid of " + std::to_string(static_cast<long long>(nc)) + " x " +
                             std::to_string(static_cast<long long>(nr)) + " sites is too large: use a larger --candidate-spacing");
    std::vector<Point> out;
    out.reserve(static_cast<std::size_t>(nc * nr));
    for (std::size_t r = 0; r < static_cast<std::size_t>(nr); ++r)
        for (std::size_t c = 0; c < static_cast<std::size_t>(nc); ++c)
            out.push_back({x0 + (static_cast<double>(c) + 0.5) * spacing_m, y0 + (static_cast<double>(r) + 0.5) * spacing_m});
    return out;
}

CoverMatrix cover_matrix(const std::vector<Candidate>& candidates, const Demand& demand, const std::vector<std::uint8_t>& active,
                         double radius_m, unsigned threads)
{
    if (!(radius_m > 0) || !std::isfinite(radius_m)) throw ParameterError("--radius must be a positive number of metres");
    const PointBuckets b(demand.pts, radius_m);
    const std::size_t nc = candidates.size();
    std::vector<std::vector<std::uint32_t>> rows(nc);
    std::vector<std::uint64_t> counts(nc, 0);
    parallel::for_each(nc, 256, threads, [&](std::size_t j) {
        auto& row = rows[j];
        b.around(candidates[j].p.x, candidates[j].p.y, radius_m, [&](std::uint32_t i) {
            if (active[i] && within(demand.pts[i], candidates[j].p, radius_m)) row.push_back(i);
        });
        std::sort(row.begin(), row.end());
        counts[j] = row.size();
    });
    CoverMatrix m;
    m.start.assign(nc + 1, 0);
    for (std::size_t j = 0; j < nc; ++j) m.start[j + 1] = m.start[j] + counts[j];
    resources::check_memory(static_cast<double>(m.start.back()) * 4.0,
                            "the coverage matrix (" + std::to_string(m.start.back()) + " candidate-place pairs)",
                            "use a larger --candidate-spacing, a smaller --radius or a --demand-cell");
    m.index.resize(m.start.back());
    for (std::size_t j = 0; j < nc; ++j) {
        std::copy(rows[j].begin(), rows[j].end(), m.index.begin() + static_cast<std::ptrdiff_t>(m.start[j]));
        std::vector<std::uint32_t>().swap(rows[j]);
    }
    return m;
}

CoverMatrix conflict_lists(const std::vector<Candidate>& candidates, double spacing_m, unsigned threads)
{
    CoverMatrix m;
    const std::size_t nc = candidates.size();
    m.start.assign(nc + 1, 0);
    if (!(spacing_m > 0)) return m;
    std::vector<Point> pts;
    pts.reserve(nc);
    for (const Candidate& c : candidates) pts.push_back(c.p);
    const PointBuckets b(pts, spacing_m);
    std::vector<std::vector<std::uint32_t>> rows(nc);
    parallel::for_each(nc, 256, threads, [&](std::size_t j) {
        b.around(pts[j].x, pts[j].y, spacing_m, [&](std::uint32_t k) {
            if (k != j && std::hypot(pts[k].x - pts[j].x, pts[k].y - pts[j].y) < spacing_m) rows[j].push_back(k);
        });
        std::sort(rows[j].begin(), rows[j].end());
    });
    for (std::size_t j = 0; j < nc; ++j) m.start[j + 1] = m.start[j] + rows[j].size();
    m.index.reserve(m.start.back());
    for (auto& r : rows) m.index.insert(m.index.end(), r.begin(), r.end());
    return m;
}

} // namespace hotmap::siting
