// SPDX-License-Identifier: MIT
// Candidates on the streets and the network coverage matrix.
#include "hotmap/siting/network.hpp"

#include "hotmap/error.hpp"
#include "hotmap/network/paths.hpp"
#include "hotmap/parallel.hpp"

#include <algorithm>
#include <cmath>

namespace hotmap::siting {

std::vector<network::NetPoint> street_candidates(const network::Graph& g, double spacing_m, std::size_t max_candidates)
{
    if (!(spacing_m > 0)) throw ParameterError("--candidate-spacing must be a positive number of metres");
    const double n_est = static_cast<double>(g.nodes.size()) + g.total_length_m / spacing_m;
    if (n_est > static_cast<double>(max_candidates))
        throw ParameterError("--candidate-spacing " + std::to_string(spacing_m) + " m gives about " + std::to_string(static_cast<long long>(n_est)) +
                             " candidate sites along the streets (more than " + std::to_string(max_candidates) + "): use a larger spacing");
    std::vector<network::NetPoint> out;
    for (std::uint32_t n = 0; n < g.nodes.size(); ++n) {
        const std::uint32_t e = g.adj_edge[g.adj_start[n]];
        out.push_back({e, g.edges[e].from == n ? 0.0 : g.edges[e].length_m, 0});
    }
    for (std::uint32_t e = 0; e < g.edges.size(); ++e) {
        const double len = g.edges[e].length_m;
        const double pieces = std::max(1.0, std::ceil(len / spacing_m - 1e-9));
        for (double k = 1; k < pieces; ++k) out.push_back({e, len * k / pieces, 0});
    }
    return out;
}

namespace {

/// Per candidate, the active places within `radius_m` along the streets (`strict`: closer than
/// it), ascending: a bounded Dijkstra per candidate, candidates in parallel.
CoverMatrix within_along_streets(const network::Graph& g, const std::vector<network::NetPoint>& cand,
                                 const std::vector<network::NetPoint>& places, const std::vector<std::uint8_t>& active,
                                 double radius_m, bool strict, unsigned threads)
{
    // active places per edge (CSR)
    std::vector<std::uint32_t> start(g.edges.size() + 1, 0), on;
    for (std::size_t i = 0; i < places.size(); ++i)
        if (active.empty() || active[i]) ++start[places[i].edge + 1];
    for (std::size_t e = 0; e < g.edges.size(); ++e) start[e + 1] += start[e];
    on.resize(start.back());
    {
        std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
        for (std::uint32_t i = 0; i < places.size(); ++i)
            if (active.empty() || active[i]) on[fill[places[i].edge]++] = i;
    }
    const auto inside = [&](double d) { return strict ? d < radius_m : d <= radius_m; };
    std::vector<std::vector<std::uint32_t>> cols(cand.size());
    parallel::for_chunks(cand.size(), 64, threads, [&](std::size_t b, std::size_t en) {
        std::vector<std::uint32_t> edges;
        for (std::size_t j = b; j < en; ++j) {
            const network::NetPoint& c = cand[j];
            const auto reach = network::reach_from(g, c, radius_m); // sorted by node
            const auto dist = [&](std::uint32_t node) {
                const auto it = std::lower_bound(reach.begin(), reach.end(), std::pair<std::uint32_t, double>(node, -1.0));
                return it != reach.end() && it->first == node ? it->second : INFINITY;
            };
            edges.assign(1, c.edge);
            for (const auto& [node, d] : reach)
                for (std::uint32_t k = g.adj_start[node]; k < g.adj_start[node + 1]; ++k) edges.push_back(g.adj_edge[k]);
            std::sort(edges.begin(), edges.end());
            edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
            std::vector<std::uint32_t>& col = cols[j];
            for (std::uint32_t e : edges) {
                const network::Edge& ed = g.edges[e];
                const double da = dist(ed.from), db = dist(ed.to);
                for (std::uint32_t k = start[e]; k < start[e + 1]; ++k) {
                    const network::NetPoint& p = places[on[k]];
                    double d = std::min(da + p.offset_m, db + (ed.length_m - p.offset_m));
                    if (e == c.edge) d = std::min(d, std::fabs(p.offset_m - c.offset_m));
                    if (inside(d)) col.push_back(on[k]);
                }
            }
            std::sort(col.begin(), col.end());
        }
    });
    CoverMatrix m;
    m.start.assign(1, 0);
    for (const auto& col : cols) {
        m.index.insert(m.index.end(), col.begin(), col.end());
        m.start.push_back(m.index.size());
    }
    return m;
}

} // namespace

CoverMatrix network_cover_matrix(const network::Graph& g, const std::vector<network::NetPoint>& cand,
                                 const std::vector<network::NetPoint>& places, const std::vector<std::uint8_t>& active,
                                 double radius_m, unsigned threads)
{
    if (!(radius_m > 0)) throw ParameterError("the radius of the new sites must be positive");
    return within_along_streets(g, cand, places, active, radius_m, false, threads);
}

CoverMatrix network_conflicts(const network::Graph& g, const std::vector<network::NetPoint>& cand, double spacing_m, unsigned threads)
{
    CoverMatrix m;
    if (!(spacing_m > 0)) {
        m.start.assign(cand.size() + 1, 0);
        return m;
    }
    const CoverMatrix near = within_along_streets(g, cand, cand, {}, spacing_m, true, threads);
    // leave each candidate out of its own list
    m.start.assign(1, 0);
    for (std::size_t j = 0; j < cand.size(); ++j) {
        for (std::uint64_t k = near.start[j]; k < near.start[j + 1]; ++k)
            if (near.index[k] != j) m.index.push_back(near.index[k]);
        m.start.push_back(m.index.size());
    }
    return m;
}

std::vector<double> network_distance_matrix(const network::Graph& g, const std::vector<network::NetPoint>& cand,
                                            const std::vector<network::NetPoint>& places, unsigned threads, std::size_t max_entries)
{
    const double entries = static_cast<double>(cand.size()) * static_cast<double>(places.size());
    if (entries > static_cast<double>(max_entries))
        throw ParameterError("the p-median along the streets needs the distance of every candidate to every demand place: " +
                             std::to_string(cand.size()) + " candidates x " + std::to_string(places.size()) + " places is more than " +
                             std::to_string(max_entries) + ": use a larger --candidate-spacing or --demand-cell");
    const std::size_t np = places.size();
    std::vector<double> d(cand.size() * np);
    parallel::for_each(cand.size(), 4, threads, [&](std::size_t j) {
        const network::NodeDistances nd = network::nearest_sources(g, {cand[j]});
        double* row = d.data() + j * np;
        for (std::size_t i = 0; i < np; ++i) {
            const network::NetPoint& p = places[i];
            double x = network::via_ends(g, nd, p);
            if (p.edge == cand[j].edge) x = std::min(x, std::fabs(p.offset_m - cand[j].offset_m));
            row[i] = x;
        }
    });
    return d;
}

Demand merge_along_streets(const network::Graph& g, const Demand& demand, const std::vector<network::NetPoint>& places,
                           double piece_m, std::vector<network::NetPoint>& at)
{
    if (!(piece_m > 0)) throw ParameterError("--demand-cell must be a positive number of metres");
    // (edge, piece) of each place, then the places in that order
    std::vector<std::pair<std::uint64_t, std::uint32_t>> key(places.size());
    for (std::uint32_t i = 0; i < places.size(); ++i) {
        const double len = g.edges[places[i].edge].length_m;
        const double pieces = std::max(1.0, std::ceil(len / piece_m - 1e-9));
        const auto k = static_cast<std::uint64_t>(std::min(pieces - 1, std::floor(places[i].offset_m / (len / pieces))));
        key[i] = {(static_cast<std::uint64_t>(places[i].edge) << 24) | k, i};
    }
    std::sort(key.begin(), key.end());
    Demand out;
    out.cell_m = piece_m;
    at.clear();
    for (std::size_t a = 0; a < key.size();) {
        std::size_t b = a;
        double w = 0, wo = 0, so = 0;
        std::uint32_t n = 0;
        while (b < key.size() && key[b].first == key[a].first) {
            const std::uint32_t i = key[b].second;
            w += demand.weight[i];
            wo += demand.weight[i] * places[i].offset_m;
            so += places[i].offset_m;
            n += demand.incidents.empty() ? 1 : demand.incidents[i];
            ++b;
        }
        const std::uint32_t e = places[key[a].second].edge;
        // the weighted mean offset (the plain mean when the weights sum to zero)
        const double off = w > 0 ? wo / w : so / static_cast<double>(b - a);
        for (std::size_t k = a; k < b; ++k) out.max_shift_m = std::max(out.max_shift_m, std::fabs(places[key[k].second].offset_m - off));
        at.push_back({e, off, 0});
        out.pts.push_back(g.point_at(e, off));
        out.weight.push_back(w);
        out.incidents.push_back(n);
        out.total += w;
        a = b;
    }
    return out;
}

} // namespace hotmap::siting
