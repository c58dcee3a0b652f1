// SPDX-License-Identifier: MIT
// Network coverage: per-facility bounded Dijkstra, nearest facility per incident, covered streets.
#include "hotmap/coverage/network.hpp"

#include "hotmap/error.hpp"
#include "hotmap/geom/geometry.hpp"
#include "hotmap/network/paths.hpp"
#include "hotmap/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hotmap::coverage {

std::vector<EdgeStretch> merge_stretches(std::vector<EdgeStretch> s)
{
    std::sort(s.begin(), s.end(), [](const EdgeStretch& a, const EdgeStretch& b) {
        return a.edge < b.edge || (a.edge == b.edge && (a.from_m < b.from_m || (a.from_m == b.from_m && a.to_m < b.to_m)));
    });
    std::vector<EdgeStretch> out;
    for (const EdgeStretch& x : s) {
        if (!out.empty() && out.back().edge == x.edge && x.from_m <= out.back().to_m) out.back().to_m = std::max(out.back().to_m, x.to_m);
        else out.push_back(x);
    }
    return out;
}

StreetRoute route_along_streets(const network::Graph& g, const std::vector<std::vector<network::NetPoint>>& parts)
{
    StreetRoute r;
    std::vector<EdgeStretch> all;
    for (std::size_t k = 0; k < parts.size(); ++k) {
        const auto& v = parts[k];
        if (v.size() == 1) all.push_back({v[0].edge, v[0].offset_m, v[0].offset_m});
        for (std::size_t i = 1; i < v.size(); ++i) {
            const network::Path path = network::shortest_path(g, v[i - 1], v[i]);
            if (!path.found())
                throw InputError("vertices " + std::to_string(i) + " and " + std::to_string(i + 1) + (parts.size() > 1 ? " of part " + std::to_string(k + 1) : "") +
                                 " lie in separate parts of the street network: no way along the streets joins them");
            r.walked_m += path.length_m;
            all.insert(all.end(), path.stretches.begin(), path.stretches.end());
        }
    }
    if (all.empty()) throw ParameterError("a route without vertices");
    r.stretches = merge_stretches(std::move(all));
    for (const EdgeStretch& x : r.stretches) r.street_m += x.to_m - x.from_m;
    return r;
}

double NetworkReach::along_edge_m(std::uint32_t f, std::uint32_t edge, double offset_m) const
{
    const auto b = parts.begin() + part_start[f], e = parts.begin() + part_start[f + 1];
    auto it = std::lower_bound(b, e, edge, [](const EdgeStretch& s, std::uint32_t x) { return s.edge < x; });
    double best = std::numeric_limits<double>::infinity();
    for (; it != e && it->edge == edge; ++it) {
        if (offset_m < it->from_m) best = std::min(best, it->from_m - offset_m);
        else if (offset_m > it->to_m) best = std::min(best, offset_m - it->to_m);
        else return 0;
    }
    return best;
}

namespace {

/// A facility's searches start at both ends of each of its stretches.
void add_seeds(const network::Graph& g, const NetworkReach& r, std::uint32_t f, std::vector<network::NodeSeed>& out)
{
    for (std::uint32_t k = r.part_start[f]; k < r.part_start[f + 1]; ++k) {
        const EdgeStretch& s = r.parts[k];
        const network::Edge& e = g.edges[s.edge];
        out.push_back({e.from, s.from_m, f});
        out.push_back({e.to, e.length_m - s.to_m, f});
    }
}

} // namespace

NetworkReach network_reach(const network::Graph& g, const std::vector<NetFacility>& fac, unsigned threads)
{
    NetworkReach r;
    r.part_start.assign(fac.size() + 1, 0);
    for (std::uint32_t f = 0; f < fac.size(); ++f) {
        if (fac[f].along.empty()) r.parts.push_back({fac[f].at.edge, fac[f].at.offset_m, fac[f].at.offset_m});
        else {
            const std::vector<EdgeStretch> m = merge_stretches(fac[f].along);
            r.parts.insert(r.parts.end(), m.begin(), m.end());
        }
        r.part_start[f + 1] = static_cast<std::uint32_t>(r.parts.size());
    }
    std::vector<std::vector<std::pair<std::uint32_t, double>>> per(fac.size());
    parallel::for_each(fac.size(), 16, threads, [&](std::size_t f) {
        std::vector<network::NodeSeed> seeds;
        add_seeds(g, r, static_cast<std::uint32_t>(f), seeds);
        per[f] = network::reach_from(g, seeds, fac[f].radius_m);
    });
    r.start.assign(g.nodes.size() + 1, 0);
    for (const auto& v : per)
        for (const auto& [node, d] : v) ++r.start[node + 1];
    for (std::size_t i = 0; i < g.nodes.size(); ++i) r.start[i + 1] += r.start[i];
    r.facility.resize(r.start.back());
    r.dist.resize(r.start.back());
    std::vector<std::uint32_t> fill(r.start.begin(), r.start.end() - 1);
    for (std::uint32_t f = 0; f < per.size(); ++f)
        for (const auto& [node, d] : per[f]) {
            r.facility[fill[node]] = f;
            r.dist[fill[node]++] = d;
        }
    r.on_edge.resize(g.edges.size());
    for (std::uint32_t f = 0; f < fac.size(); ++f)
        for (std::uint32_t k = r.part_start[f]; k < r.part_start[f + 1]; ++k) {
            auto& on = r.on_edge[r.parts[k].edge];
            if (on.empty() || on.back() != f) on.push_back(f);
        }
    return r;
}

IncidentCoverage cover_incidents_network(const network::Graph& g, const std::vector<NetFacility>& fac, const NetworkReach& reach,
                                         const std::vector<network::NetPoint>& inc, const std::vector<std::uint8_t>& on_network,
                                         unsigned threads)
{
    std::vector<network::NodeSeed> seeds;
    for (std::uint32_t f = 0; f < fac.size(); ++f) add_seeds(g, reach, f, seeds);
    const network::NodeDistances nd = network::nearest_sources(g, seeds);
    const std::size_t n = inc.size();
    IncidentCoverage c = IncidentCoverage::unreached(n);
    parallel::for_chunks(n, 8192, threads, [&](std::size_t b, std::size_t e) {
        std::vector<std::pair<std::uint32_t, double>> cand;
        for (std::size_t i = b; i < e; ++i) {
            if (!on_network.empty() && !on_network[i]) continue;
            const network::NetPoint& p = inc[i];
            const network::Edge& ed = g.edges[p.edge];
            // nearest facility: through either end of the incident's edge, or along the edge itself
            std::uint32_t s = network::k_no_source;
            double best = network::via_ends(g, nd, p, &s);
            for (std::uint32_t f : reach.on_edge[p.edge]) {
                const double d = reach.along_edge_m(f, p.edge, p.offset_m);
                if (d < best || (d == best && f < s)) best = d, s = f;
            }
            if (s != network::k_no_source && std::isfinite(best)) {
                c.nearest[i] = static_cast<std::int32_t>(s);
                c.nearest_m[i] = best;
            }
            // reach: every facility that reaches an end of the edge, or lies on it
            cand.clear();
            for (std::uint32_t k = reach.start[ed.from]; k < reach.start[ed.from + 1]; ++k)
                cand.emplace_back(reach.facility[k], reach.dist[k] + p.offset_m);
            for (std::uint32_t k = reach.start[ed.to]; k < reach.start[ed.to + 1]; ++k)
                cand.emplace_back(reach.facility[k], reach.dist[k] + (ed.length_m - p.offset_m));
            for (std::uint32_t f : reach.on_edge[p.edge]) cand.emplace_back(f, reach.along_edge_m(f, p.edge, p.offset_m));
            std::sort(cand.begin(), cand.end());
            for (std::size_t k = 0; k < cand.size(); ++k) {
                if (k > 0 && cand[k].first == cand[k - 1].first) continue; // the shortest of a facility comes first
                const NetFacility& f = fac[cand[k].first];
                if (cand[k].second <= f.radius_m) {
                    ++c.n_within[i];
                    if (f.type < 64) c.type_mask[i] |= std::uint64_t{1} << f.type;
                }
            }
            c.covered[i] = c.n_within[i] > 0;
        }
    });
    for (std::uint8_t v : c.covered) c.n_covered += v;
    return c;
}

StreetCoverage street_coverage(const network::Graph& g, const std::vector<NetFacility>& fac, const NetworkReach& reach)
{
    StreetCoverage out;
    std::vector<std::pair<double, double>> iv;
    for (std::uint32_t e = 0; e < g.edges.size(); ++e) {
        const network::Edge& ed = g.edges[e];
        const double len = ed.length_m;
        out.total_m += len;
        iv.clear();
        for (std::uint32_t k = reach.start[ed.from]; k < reach.start[ed.from + 1]; ++k) {
            const double left = fac[reach.facility[k]].radius_m - reach.dist[k];
            if (left >= 0) iv.emplace_back(0.0, std::min(len, left));
        }
        for (std::uint32_t k = reach.start[ed.to]; k < reach.start[ed.to + 1]; ++k) {
            const double left = fac[reach.facility[k]].radius_m - reach.dist[k];
            if (left >= 0) iv.emplace_back(std::max(0.0, len - left), len);
        }
        for (std::uint32_t f : reach.on_edge[e]) {
            // the facility's own stretches on this edge, and the radius beyond each end
            const double r = fac[f].radius_m;
            const auto end = reach.parts.begin() + reach.part_start[f + 1];
            auto it = std::lower_bound(reach.parts.begin() + reach.part_start[f], end, e,
                                       [](const EdgeStretch& s, std::uint32_t x) { return s.edge < x; });
            for (; it != end && it->edge == e; ++it) iv.emplace_back(std::max(0.0, it->from_m - r), std::min(len, it->to_m + r));
        }
        std::sort(iv.begin(), iv.end());
        double pos = 0;
        std::size_t k = 0;
        while (k < iv.size()) {
            double a = iv[k].first, b = iv[k].second;
            for (++k; k < iv.size() && iv[k].first <= b; ++k) b = std::max(b, iv[k].second);
            if (a > pos) out.uncovered.push_back({e, pos, a});
            if (b > a) {
                out.covered.push_back({e, a, b});
                out.covered_m += b - a;
            }
            pos = std::max(pos, b);
        }
        if (pos < len) out.uncovered.push_back({e, pos, len});
    }
    return out;
}

DistrictStreets street_length_by_district(const geom::NamedPolygons& d, const network::Graph& g, const StreetCoverage& s,
                                          unsigned threads)
{
    DistrictStreets out;
    out.street_m.assign(d.size(), 0);
    out.covered_m.assign(d.size(), 0);
    std::vector<Extent> box(g.edges.size());
    for (std::uint32_t e = 0; e < g.edges.size(); ++e)
        for (std::uint32_t k = 0; k < g.edges[e].count; ++k) box[e].expand(g.vertices[g.edges[e].first + k].x, g.vertices[g.edges[e].first + k].y);
    const auto overlaps = [](const Extent& a, const Extent& b) {
        return !(a.xmax < b.xmin || b.xmax < a.xmin || a.ymax < b.ymin || b.ymax < a.ymin);
    };
    parallel::for_each(d.size(), 1, threads, [&](std::size_t k) {
        const geom::Geometry& poly = d.geometry(k);
        const Extent env = poly.envelope();
        const auto length_inside = [&](const std::vector<EdgeStretch>* parts) {
            std::vector<geom::Geometry> lines;
            if (parts) {
                for (const EdgeStretch& p : *parts)
                    if (p.to_m > p.from_m && overlaps(box[p.edge], env)) lines.push_back(geom::Geometry::linestring(g.piece(p.edge, p.from_m, p.to_m)));
            } else {
                for (std::uint32_t e = 0; e < g.edges.size(); ++e)
                    if (overlaps(box[e], env)) {
                        const auto* v = g.vertices.data() + g.edges[e].first;
                        lines.push_back(geom::Geometry::linestring(std::vector<Point>(v, v + g.edges[e].count)));
                    }
            }
            if (lines.empty()) return 0.0;
            return geom::Geometry::collect(std::move(lines)).intersection(poly).length();
        };
        out.street_m[k] = length_inside(nullptr);
        out.covered_m[k] = length_inside(&s.covered);
    });
    return out;
}

std::vector<std::uint64_t> incidents_on_stretches(const std::vector<EdgeStretch>& stretches, const std::vector<network::NetPoint>& inc,
                                                  const std::vector<std::uint8_t>& keep)
{
    // stretches are in edge order, and in offset order within an edge
    std::vector<std::uint64_t> n(stretches.size(), 0);
    for (std::size_t i = 0; i < inc.size(); ++i) {
        if (!keep[i]) continue;
        const auto lo = std::lower_bound(stretches.begin(), stretches.end(), inc[i], [](const EdgeStretch& s, const network::NetPoint& p) {
            return s.edge < p.edge || (s.edge == p.edge && s.to_m < p.offset_m);
        });
        if (lo != stretches.end() && lo->edge == inc[i].edge && lo->from_m <= inc[i].offset_m) ++n[static_cast<std::size_t>(lo - stretches.begin())];
    }
    return n;
}

} // namespace hotmap::coverage
