// SPDX-License-Identifier: MIT
// Dijkstra over the street graph (binary heap, lazy deletion).
#include "hotmap/network/paths.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <tuple>

namespace hotmap::network {
namespace {

struct Item {
    double d;
    std::uint32_t source;
    std::uint32_t node;
    bool operator>(const Item& o) const noexcept { return std::tie(d, source, node) > std::tie(o.d, o.source, o.node); }
};
using Heap = std::priority_queue<Item, std::vector<Item>, std::greater<Item>>;

bool better(double d, std::uint32_t s, double d0, std::uint32_t s0) noexcept { return d < d0 || (d == d0 && s < s0); }

void run(const Graph& g, Heap& heap, NodeDistances& out, double limit)
{
    while (!heap.empty()) {
        const Item it = heap.top();
        heap.pop();
        if (it.d != out.dist[it.node] || it.source != out.source[it.node]) continue; // stale
        for (std::uint32_t k = g.adj_start[it.node]; k < g.adj_start[it.node + 1]; ++k) {
            const std::uint32_t e = g.adj_edge[k];
            const std::uint32_t v = g.other(e, it.node);
            const double nd = it.d + g.edges[e].length_m;
            if (nd > limit) continue;
            if (better(nd, it.source, out.dist[v], out.source[v])) {
                out.dist[v] = nd;
                out.source[v] = it.source;
                heap.push({nd, it.source, v});
            }
        }
    }
}

void seed(const Graph& g, Heap& heap, NodeDistances& out, const NetPoint& p, std::uint32_t label, double limit)
{
    const Edge& e = g.edges[p.edge];
    const std::pair<std::uint32_t, double> ends[2] = {{e.from, p.offset_m}, {e.to, e.length_m - p.offset_m}};
    for (const auto& [node, d] : ends)
        if (d <= limit && better(d, label, out.dist[node], out.source[node])) {
            out.dist[node] = d;
            out.source[node] = label;
            heap.push({d, label, node});
        }
}

} // namespace

NodeDistances nearest_sources(const Graph& g, const std::vector<NetPoint>& sources, double limit_m)
{
    NodeDistances out;
    out.dist.assign(g.nodes.size(), std::numeric_limits<double>::infinity());
    out.source.assign(g.nodes.size(), k_no_source);
    Heap heap;
    for (std::size_t s = 0; s < sources.size(); ++s) seed(g, heap, out, sources[s], static_cast<std::uint32_t>(s), limit_m);
    run(g, heap, out, limit_m);
    return out;
}

NodeDistances nearest_sources(const Graph& g, const std::vector<NodeSeed>& seeds, double limit_m)
{
    NodeDistances out;
    out.dist.assign(g.nodes.size(), std::numeric_limits<double>::infinity());
    out.source.assign(g.nodes.size(), k_no_source);
    Heap heap;
    for (const NodeSeed& s : seeds)
        if (s.dist_m <= limit_m && better(s.dist_m, s.source, out.dist[s.node], out.source[s.node])) {
            out.dist[s.node] = s.dist_m;
            out.source[s.node] = s.source;
            heap.push({s.dist_m, s.source, s.node});
        }
    run(g, heap, out, limit_m);
    return out;
}

std::vector<std::pair<std::uint32_t, double>> reach_from(const Graph& g, const NetPoint& source, double limit_m)
{
    const Edge& e = g.edges[source.edge];
    return reach_from(g, {{e.from, source.offset_m, 0}, {e.to, e.length_m - source.offset_m, 0}}, limit_m);
}

std::vector<std::pair<std::uint32_t, double>> reach_from(const Graph& g, const std::vector<NodeSeed>& seeds, double limit_m)
{
    // a sparse run: only the nodes touched are reset, so that many sources cost what they reach
    thread_local NodeDistances d;
    thread_local std::vector<std::uint32_t> touched;
    if (d.dist.size() != g.nodes.size()) {
        d.dist.assign(g.nodes.size(), std::numeric_limits<double>::infinity());
        d.source.assign(g.nodes.size(), k_no_source);
    }
    Heap heap;
    for (const NodeSeed& s : seeds)
        if (s.dist_m <= limit_m && s.dist_m < d.dist[s.node]) {
            if (d.source[s.node] == k_no_source) touched.push_back(s.node);
            d.dist[s.node] = s.dist_m;
            d.source[s.node] = 0;
            heap.push({s.dist_m, 0, s.node});
        }
    std::vector<std::pair<std::uint32_t, double>> out;
    while (!heap.empty()) {
        const Item it = heap.top();
        heap.pop();
        if (it.d != d.dist[it.node] || d.source[it.node] != 0) continue;
        d.source[it.node] = 1; // settled
        out.emplace_back(it.node, it.d);
        for (std::uint32_t k = g.adj_start[it.node]; k < g.adj_start[it.node + 1]; ++k) {
            const std::uint32_t e = g.adj_edge[k];
            const std::uint32_t v = g.other(e, it.node);
            const double nd = it.d + g.edges[e].length_m;
            if (nd <= limit_m && nd < d.dist[v] && d.source[v] != 1) {
                if (d.source[v] == k_no_source) touched.push_back(v);
                d.dist[v] = nd;
                d.source[v] = 0;
                heap.push({nd, 0, v});
            }
        }
    }
    for (std::uint32_t v : touched) {
        d.dist[v] = std::numeric_limits<double>::infinity();
        d.source[v] = k_no_source;
    }
    touched.clear();
    std::sort(out.begin(), out.end());
    return out;
}

double network_distance(const Graph& g, const NetPoint& a, const NetPoint& b)
{
    const NodeDistances d = nearest_sources(g, {a});
    double best = via_ends(g, d, b);
    if (a.edge == b.edge) best = std::min(best, std::fabs(a.offset_m - b.offset_m));
    return best;
}

Path shortest_path(const Graph& g, const NetPoint& a, const NetPoint& b)
{
    Path out;
    const Edge& ea = g.edges[a.edge];
    const Edge& eb = g.edges[b.edge];
    if (g.component[ea.from] != g.component[eb.from]) return out;
    // predecessor per node: the edge it was reached by, or a seed (the start or end of a's edge)
    constexpr std::uint32_t from_seed = k_no_source - 1, to_seed = k_no_source - 2;
    // a sparse run (only the nodes touched are reset): a route of many vertices costs what its
    // joins search, not a pass over the whole graph per pair
    struct State {
        std::vector<double> dist;
        std::vector<std::uint32_t> pred;
        std::vector<std::uint8_t> settled;
        std::vector<std::uint32_t> touched;
    };
    thread_local State st;
    if (st.dist.size() != g.nodes.size()) {
        st.dist.assign(g.nodes.size(), std::numeric_limits<double>::infinity());
        st.pred.assign(g.nodes.size(), k_no_source);
        st.settled.assign(g.nodes.size(), 0);
        st.touched.clear();
    }
    struct Reset {
        State& s;
        ~Reset()
        {
            for (std::uint32_t v : s.touched) {
                s.dist[v] = std::numeric_limits<double>::infinity();
                s.pred[v] = k_no_source;
                s.settled[v] = 0;
            }
            s.touched.clear();
        }
    } reset{st};
    std::vector<double>& dist = st.dist;
    std::vector<std::uint32_t>& pred = st.pred;
    std::vector<std::uint8_t>& settled = st.settled;
    Heap heap;
    const auto relax = [&](std::uint32_t v, double d, std::uint32_t how) {
        if (d < dist[v]) {
            if (pred[v] == k_no_source) st.touched.push_back(v);
            dist[v] = d;
            pred[v] = how;
            heap.push({d, 0, v});
        }
    };
    relax(ea.from, a.offset_m, from_seed);
    relax(ea.to, ea.length_m - a.offset_m, to_seed);
    while (!heap.empty() && !(settled[eb.from] && settled[eb.to])) {
        const Item it = heap.top();
        heap.pop();
        if (settled[it.node] || it.d != dist[it.node]) continue;
        settled[it.node] = 1;
        for (std::uint32_t k = g.adj_start[it.node]; k < g.adj_start[it.node + 1]; ++k) {
            const std::uint32_t e = g.adj_edge[k];
            relax(g.other(e, it.node), it.d + g.edges[e].length_m, e);
        }
    }
    const double via_from = dist[eb.from] + b.offset_m, via_to = dist[eb.to] + (eb.length_m - b.offset_m);
    if (a.edge == b.edge) {
        const double direct = std::fabs(a.offset_m - b.offset_m);
        if (direct <= via_from && direct <= via_to) {
            out.stretches.push_back({a.edge, std::min(a.offset_m, b.offset_m), std::max(a.offset_m, b.offset_m)});
            out.length_m = direct;
            return out;
        }
    }
    if (!std::isfinite(std::min(via_from, via_to))) return out;
    // walk back from the end of b's edge the path comes in by
    const bool by_from = via_from <= via_to;
    out.length_m = by_from ? via_from : via_to;
    out.stretches.push_back(by_from ? EdgeStretch{b.edge, 0, b.offset_m} : EdgeStretch{b.edge, b.offset_m, eb.length_m});
    std::uint32_t v = by_from ? eb.from : eb.to;
    for (;;) {
        const std::uint32_t how = pred[v];
        if (how == from_seed) {
            out.stretches.push_back({a.edge, 0, a.offset_m});
            break;
        }
        if (how == to_seed) {
            out.stretches.push_back({a.edge, a.offset_m, ea.length_m});
            break;
        }
        out.stretches.push_back({how, 0, g.edges[how].length_m});
        v = g.other(how, v);
    }
    std::reverse(out.stretches.begin(), out.stretches.end());
    return out;
}

} // namespace hotmap::network
