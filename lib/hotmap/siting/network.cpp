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

CoverMatrix network_cover_matrix(const network::Graph& g, const std::vector<network::NetPoint>& cand,
                                 const std::vector<network::NetPoint>& places, const std::vector<std::uint8_t>& active,
                                 double radius_m, unsigned threads)
{
    if (!(radius_m > 0)) throw ParameterError("the radius of the new sites must be positive");
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
                    if (d <= radius_m) col.push_back(on[k]);
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

} // namespace hotmap::siting
