// SPDX-License-Identifier: MIT
// Street graph: vertex merging, junction nodes, edges, components; nearest-street snapping.
#include "hotmap/network/graph.hpp"

#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <unordered_map>

namespace hotmap::network {
namespace {

constexpr std::uint32_t k_none = static_cast<std::uint32_t>(-1);

std::uint64_t cell_key(long long cx, long long cy) noexcept
{
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(cx)) << 32) | static_cast<std::uint32_t>(cy);
}

} // namespace

Point Graph::point_at(std::uint32_t edge, double offset_m) const
{
    const Edge& e = edges[edge];
    const double t = std::clamp(offset_m, 0.0, e.length_m);
    const double* a = along.data() + e.first;
    std::uint32_t k = static_cast<std::uint32_t>(std::upper_bound(a, a + e.count, t) - a);
    k = std::clamp<std::uint32_t>(k, 1, e.count - 1);
    const Point& p = vertices[e.first + k - 1];
    const Point& q = vertices[e.first + k];
    const double len = a[k] - a[k - 1];
    const double f = len > 0 ? (t - a[k - 1]) / len : 0.0;
    return {p.x + f * (q.x - p.x), p.y + f * (q.y - p.y)};
}

std::vector<Point> Graph::piece(std::uint32_t edge, double a, double b) const
{
    const Edge& e = edges[edge];
    a = std::clamp(a, 0.0, e.length_m);
    b = std::clamp(b, a, e.length_m);
    std::vector<Point> out{point_at(edge, a)};
    for (std::uint32_t k = 1; k + 1 < e.count; ++k) {
        const double t = along[e.first + k];
        if (t > a && t < b) out.push_back(vertices[e.first + k]);
    }
    out.push_back(point_at(edge, b));
    return out;
}

Graph build_graph(const StreetLines& streets, const GraphParams& p)
{
    if (!(p.snap_tolerance_m > 0) || !std::isfinite(p.snap_tolerance_m))
        throw ParameterError("snap tolerance must be a positive number of metres");
    const double tol = p.snap_tolerance_m;
    Graph g;
    g.input_lines = streets.lines.size();
    // 1. merge vertices closer than the tolerance into clusters (greedy, input order)
    std::vector<Point> rep;
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> cells;
    std::vector<std::vector<std::uint32_t>> seq(streets.lines.size());
    for (std::size_t li = 0; li < streets.lines.size(); ++li) {
        for (const Point& v : streets.lines[li]) {
            if (!std::isfinite(v.x) || !std::isfinite(v.y))
                throw InputError("street line " + std::to_string(li + 1) + ": a vertex with a non-finite coordinate");
            const long long cx = static_cast<long long>(std::floor(v.x / tol)), cy = static_cast<long long>(std::floor(v.y / tol));
            std::uint32_t best = k_none;
            for (long long dx = -1; dx <= 1; ++dx)
                for (long long dy = -1; dy <= 1; ++dy) {
                    const auto it = cells.find(cell_key(cx + dx, cy + dy));
                    if (it == cells.end()) continue;
                    for (std::uint32_t c : it->second)
                        if (c < best && std::hypot(rep[c].x - v.x, rep[c].y - v.y) <= tol) best = c;
                }
            if (best == k_none) {
                best = static_cast<std::uint32_t>(rep.size());
                rep.push_back(v);
                cells[cell_key(cx, cy)].push_back(best);
            } else if (rep[best].x != v.x || rep[best].y != v.y) {
                ++g.merged_vertices;
            }
            if (seq[li].empty() || seq[li].back() != best) seq[li].push_back(best);
        }
    }
    cells.clear();
    // 2. nodes: line ends, and vertices used more than once
    std::vector<std::uint32_t> uses(rep.size(), 0);
    std::vector<std::uint8_t> is_node(rep.size(), 0);
    for (const auto& s : seq) {
        if (s.size() < 2) continue;
        for (std::uint32_t c : s) ++uses[c];
        is_node[s.front()] = is_node[s.back()] = 1;
    }
    for (std::size_t c = 0; c < rep.size(); ++c)
        if (uses[c] >= 2) is_node[c] = 1;
    // 3. edges between consecutive nodes along each line; nodes numbered in order of appearance
    std::vector<std::uint32_t> node_of(rep.size(), k_none);
    const auto node_id = [&](std::uint32_t c) {
        if (node_of[c] == k_none) {
            node_of[c] = static_cast<std::uint32_t>(g.nodes.size());
            g.nodes.push_back(rep[c]);
        }
        return node_of[c];
    };
    for (std::size_t li = 0; li < seq.size(); ++li) {
        const auto& s = seq[li];
        if (s.size() < 2) {
            ++g.dropped_lines;
            continue;
        }
        const std::uint32_t feature = streets.feature.empty() ? static_cast<std::uint32_t>(li + 1) : streets.feature[li];
        std::size_t start = 0;
        for (std::size_t k = 1; k < s.size(); ++k) {
            if (!is_node[s[k]]) continue;
            Edge e;
            e.from = node_id(s[start]);
            e.to = node_id(s[k]);
            e.first = static_cast<std::uint32_t>(g.vertices.size());
            e.count = static_cast<std::uint32_t>(k - start + 1);
            e.feature = feature;
            double len = 0;
            for (std::size_t j = start; j <= k; ++j) {
                if (j > start) len += std::hypot(rep[s[j]].x - rep[s[j - 1]].x, rep[s[j]].y - rep[s[j - 1]].y);
                g.vertices.push_back(rep[s[j]]);
                g.along.push_back(len);
            }
            e.length_m = len;
            g.total_length_m += len;
            g.edges.push_back(e);
            start = k;
        }
    }
    if (g.edges.empty()) throw InputError("the street network is empty (no line of non-zero length)");
    if (g.edges.size() >= k_none / 2 || g.vertices.size() >= k_none) throw InputError("the street network is too large (over 2^31 edges)");
    // 4. adjacency (CSR): edges in increasing order at each node
    const std::size_t n = g.nodes.size();
    g.adj_start.assign(n + 1, 0);
    for (const Edge& e : g.edges) {
        ++g.adj_start[e.from + 1];
        ++g.adj_start[e.to + 1];
    }
    for (std::size_t i = 0; i < n; ++i) g.adj_start[i + 1] += g.adj_start[i];
    g.adj_edge.resize(g.adj_start[n]);
    std::vector<std::uint32_t> fill(g.adj_start.begin(), g.adj_start.end() - 1);
    for (std::uint32_t k = 0; k < g.edges.size(); ++k) {
        g.adj_edge[fill[g.edges[k].from]++] = k;
        g.adj_edge[fill[g.edges[k].to]++] = k;
    }
    // 5. connected components, largest (by street length) first
    std::vector<std::uint32_t> comp(n, k_none);
    std::vector<double> length;
    std::vector<std::uint32_t> stack;
    for (std::uint32_t s0 = 0; s0 < n; ++s0) {
        if (comp[s0] != k_none) continue;
        const std::uint32_t c = static_cast<std::uint32_t>(length.size());
        length.push_back(0);
        comp[s0] = c;
        stack.push_back(s0);
        while (!stack.empty()) {
            const std::uint32_t u = stack.back();
            stack.pop_back();
            for (std::uint32_t k = g.adj_start[u]; k < g.adj_start[u + 1]; ++k) {
                const std::uint32_t e = g.adj_edge[k];
                if (g.edges[e].from == u) length[c] += g.edges[e].length_m; // each edge once, at its start
                const std::uint32_t v = g.other(e, u);
                if (comp[v] == k_none) {
                    comp[v] = c;
                    stack.push_back(v);
                }
            }
        }
    }
    std::vector<std::uint32_t> order(length.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return length[a] > length[b]; });
    std::vector<std::uint32_t> rank(order.size());
    for (std::uint32_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
    g.component.resize(n);
    for (std::size_t i = 0; i < n; ++i) g.component[i] = rank[comp[i]];
    g.component_length_m.resize(order.size());
    for (std::uint32_t r = 0; r < order.size(); ++r) g.component_length_m[r] = length[order[r]];
    return g;
}

EdgeIndex::EdgeIndex(const Graph& g) : m_g(g)
{
    Extent ext;
    for (const Point& v : g.vertices) ext.expand(v.x, v.y);
    for (std::uint32_t e = 0; e < g.edges.size(); ++e)
        for (std::uint32_t k = 0; k + 1 < g.edges[e].count; ++k) {
            m_seg_edge.push_back(e);
            m_seg_vertex.push_back(g.edges[e].first + k);
        }
    const double nseg = static_cast<double>(std::max<std::size_t>(1, m_seg_edge.size()));
    const double w = std::max(ext.width(), 1e-3), h = std::max(ext.height(), 1e-3);
    m_cell = std::sqrt(w * h / nseg);
    for (;;) {
        m_nx = static_cast<long>(std::floor(w / m_cell)) + 1;
        m_ny = static_cast<long>(std::floor(h / m_cell)) + 1;
        if (static_cast<double>(m_nx) * static_cast<double>(m_ny) <= 4 * nseg + 16) break;
        m_cell *= 1.5;
    }
    m_x0 = ext.xmin;
    m_y0 = ext.ymin;
    const auto cell_range = [&](double a, double b, double o, long n) {
        const long lo = std::clamp(static_cast<long>(std::floor((std::min(a, b) - o) / m_cell)), 0L, n - 1);
        const long hi = std::clamp(static_cast<long>(std::floor((std::max(a, b) - o) / m_cell)), 0L, n - 1);
        return std::pair<long, long>(lo, hi);
    };
    const std::size_t ncell = static_cast<std::size_t>(m_nx * m_ny);
    m_start.assign(ncell + 1, 0);
    for (int pass = 0; pass < 2; ++pass) {
        std::vector<std::uint32_t> fill;
        if (pass == 1) {
            for (std::size_t c = 0; c < ncell; ++c) m_start[c + 1] += m_start[c];
            m_items.resize(m_start[ncell]);
            fill.assign(m_start.begin(), m_start.end() - 1);
        }
        for (std::uint32_t s = 0; s < m_seg_edge.size(); ++s) {
            const Point& a = g.vertices[m_seg_vertex[s]];
            const Point& b = g.vertices[m_seg_vertex[s] + 1];
            const auto [x0, x1] = cell_range(a.x, b.x, m_x0, m_nx);
            const auto [y0, y1] = cell_range(a.y, b.y, m_y0, m_ny);
            for (long y = y0; y <= y1; ++y)
                for (long x = x0; x <= x1; ++x) {
                    const std::size_t c = static_cast<std::size_t>(y * m_nx + x);
                    if (pass == 0) ++m_start[c + 1];
                    else m_items[fill[c]++] = s;
                }
        }
    }
}

NetPoint EdgeIndex::snap(double x, double y) const
{
    NetPoint best;
    std::uint32_t best_seg = k_none;
    double best_t = 0;
    const auto visit = [&](long cx, long cy) {
        const std::size_t c = static_cast<std::size_t>(cy * m_nx + cx);
        for (std::uint32_t k = m_start[c]; k < m_start[c + 1]; ++k) {
            const std::uint32_t s = m_items[k];
            const Point& a = m_g.vertices[m_seg_vertex[s]];
            const Point& b = m_g.vertices[m_seg_vertex[s] + 1];
            const double dx = b.x - a.x, dy = b.y - a.y;
            const double l2 = dx * dx + dy * dy;
            double t = l2 > 0 ? ((x - a.x) * dx + (y - a.y) * dy) / l2 : 0.0;
            t = std::clamp(t, 0.0, 1.0);
            const double d = std::hypot(x - (a.x + t * dx), y - (a.y + t * dy));
            if (d < best.snap_m || (d == best.snap_m && s < best_seg)) {
                best.snap_m = d;
                best_seg = s;
                best_t = t;
            }
        }
    };
    const long cx = static_cast<long>(std::floor((x - m_x0) / m_cell));
    const long cy = static_cast<long>(std::floor((y - m_y0) / m_cell));
    const long r0 = std::max({0L, cx - (m_nx - 1), -cx, cy - (m_ny - 1), -cy});
    const long r1 = std::max({cx, m_nx - 1 - cx, cy, m_ny - 1 - cy});
    for (long r = r0; r <= r1; ++r) {
        if (best_seg != k_none && static_cast<double>(r - 1) * m_cell > best.snap_m) break;
        for (long xx = std::max(0L, cx - r); xx <= std::min(m_nx - 1, cx + r); ++xx) {
            if (cy - r >= 0 && cy - r < m_ny) visit(xx, cy - r);
            if (r > 0 && cy + r >= 0 && cy + r < m_ny) visit(xx, cy + r);
        }
        for (long yy = std::max(0L, cy - r + 1); yy <= std::min(m_ny - 1, cy + r - 1); ++yy) {
            if (cx - r >= 0 && cx - r < m_nx) visit(cx - r, yy);
            if (r > 0 && cx + r >= 0 && cx + r < m_nx) visit(cx + r, yy);
        }
    }
    if (best_seg == k_none) return best;
    best.edge = m_seg_edge[best_seg];
    const std::uint32_t v = m_seg_vertex[best_seg];
    const double seg_len = m_g.along[v + 1] - m_g.along[v];
    best.offset_m = std::clamp(m_g.along[v] + best_t * seg_len, 0.0, m_g.edges[best.edge].length_m);
    return best;
}

std::vector<NetPoint> snap_points(const EdgeIndex& index, const std::vector<Point>& pts, unsigned threads)
{
    std::vector<NetPoint> out(pts.size());
    parallel::for_each(pts.size(), 4096, threads, [&](std::size_t i) { out[i] = index.snap(pts[i].x, pts[i].y); });
    return out;
}

} // namespace hotmap::network
