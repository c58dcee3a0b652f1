// SPDX-License-Identifier: MIT
// Loading the street network and snapping points onto it.
#include "hotmap/pipeline/network.hpp"

#include "hotmap/error.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/text.hpp"

#include <chrono>
#include <cmath>

namespace hotmap::pipeline {

Streets load_streets(const StreetParams& p, const crs::Crs& working, Log& log)
{
    if (!p.given()) throw ParameterError("no street layer given (--streets PATH)");
    if (working.is_geographic())
        throw CrsError(p.path + ": network distances need a projected working CRS in metres (give --crs EPSG:nnnn), not " + working.id());
    if (!(p.max_snap_m > 0)) throw ParameterError("--max-snap must be a positive number of metres");
    const auto t0 = std::chrono::steady_clock::now();
    io::StreetLayer layer = io::read_street_lines(p.path, p.layer, working, p.crs);
    network::StreetLines lines;
    lines.lines = std::move(layer.parts);
    lines.feature.reserve(layer.feature.size());
    for (std::size_t f : layer.feature) lines.feature.push_back(static_cast<std::uint32_t>(f));
    network::GraphParams gp;
    gp.snap_tolerance_m = p.snap_tolerance_m;
    Streets s;
    try {
        s.graph = std::make_unique<network::Graph>(network::build_graph(lines, gp));
    } catch (const InputError& e) {
        throw InputError(p.path + ": " + e.what());
    }
    s.index = std::make_unique<network::EdgeIndex>(*s.graph);
    s.source = p.path;
    s.max_snap_m = p.max_snap_m;
    const network::Graph& g = *s.graph;
    if (layer.without_geometry)
        log.warning(p.path + ": " + std::to_string(layer.without_geometry) + " feature(s) without geometry: not streets");
    if (g.dropped_lines) log.warning(p.path + ": " + std::to_string(g.dropped_lines) + " line(s) of zero length ignored");
    log.info("streets " + p.path + (layer.osm ? " (OSM ways with a highway tag, motorways and trunk roads left out)" : "") + ": " +
             std::to_string(layer.features) + " features, " + std::to_string(g.input_lines) + " lines -> " +
             std::to_string(g.nodes.size()) + " nodes, " + std::to_string(g.edges.size()) + " edges, " +
             text::fixed(g.total_length_m / 1000, 3) + " km; vertices within " + text::number(p.snap_tolerance_m) +
             " m merged (" + std::to_string(g.merged_vertices) + " moved); lines that cross without a shared vertex are not joined (" +
             text::fixed(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 3) + " s)");
    if (g.n_components() > 1)
        log.warning(p.path + ": the street network has " + std::to_string(g.n_components()) + " separate parts (the largest " +
                    text::fixed(g.component_length_m[0] / 1000, 3) + " km of " + text::fixed(g.total_length_m / 1000, 3) +
                    " km): places in different parts cannot reach each other (--snap-tolerance joins ends that nearly meet)");
    return s;
}

SnappedIncidents snap_incidents(const Streets& s, const StreetParams& p, const Inputs& in, Log& log)
{
    const auto& items = in.incidents.items;
    std::vector<Point> pts;
    pts.reserve(items.size());
    for (const Incident& i : items) pts.push_back({i.x, i.y});
    SnappedIncidents r;
    r.at = network::snap_points(*s.index, pts, in.threads);
    r.on_network.assign(items.size(), 1);
    std::size_t first = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (r.at[i].snap_m > p.max_snap_m) {
            if (r.off_network++ == 0) first = i;
            r.on_network[i] = 0;
            if (p.strict)
                throw InputError(in.incidents.source + ": row " + std::to_string(items[i].row) + ": the incident is " +
                                 text::fixed(r.at[i].snap_m, 1) + " m from the nearest street of " + s.source +
                                 ", beyond --max-snap " + text::number(p.max_snap_m) + " m");
        } else {
            r.max_snap_m = std::max(r.max_snap_m, r.at[i].snap_m);
        }
    }
    log.info("incidents on the streets: " + std::to_string(items.size() - r.off_network) + " of " + std::to_string(items.size()) +
             " within --max-snap " + text::number(p.max_snap_m) + " m (farthest moved " + text::fixed(r.max_snap_m, 2) + " m)");
    if (r.off_network)
        log.warning(std::to_string(r.off_network) + " incident(s) farther than --max-snap " + text::number(p.max_snap_m) +
                    " m from every street (the first: " + in.incidents.source + " row " + std::to_string(items[first].row) + ", " +
                    text::fixed(r.at[first].snap_m, 1) + " m): left off the network (no network distance: not covered, not in a network density)");
    return r;
}

std::vector<network::NetPoint> snap_required(const Streets& s, const std::vector<Point>& pts, const std::string& what, unsigned threads,
                                             const std::vector<std::string>& labels)
{
    std::vector<network::NetPoint> at = network::snap_points(*s.index, pts, threads);
    for (std::size_t i = 0; i < at.size(); ++i)
        if (at[i].snap_m > s.max_snap_m)
            throw InputError(what + " " + (labels.empty() ? std::to_string(i + 1) : labels[i]) + " is " + text::fixed(at[i].snap_m, 1) +
                             " m from the nearest street of " + s.source + ", beyond --max-snap " + text::number(s.max_snap_m) + " m");
    return at;
}

std::vector<coverage::NetFacility> facilities_on_streets(const Streets& s, const std::vector<coverage::Facility>& fac, unsigned threads,
                                                         Log& log)
{
    // every vertex of every facility snapped at once, then put back together facility by facility
    std::vector<Point> pts;
    std::vector<std::string> labels;
    for (const coverage::Facility& f : fac) {
        const std::string name = "'" + f.type + "' feature " + std::to_string(f.feature);
        const bool point = f.parts.size() == 1 && f.parts.front().size() == 1;
        std::size_t n = 0;
        for (const auto& part : f.parts)
            for (const Point& q : part) {
                pts.push_back(q);
                labels.push_back(point ? name : name + " vertex " + std::to_string(++n));
            }
    }
    const std::vector<network::NetPoint> at = snap_required(s, pts, "facility", threads, labels);
    std::vector<coverage::NetFacility> out(fac.size());
    std::size_t k = 0;
    for (std::size_t i = 0; i < fac.size(); ++i) {
        const coverage::Facility& f = fac[i];
        out[i].radius_m = f.radius_m;
        out[i].at = at[k];
        if (f.parts.size() == 1 && f.parts.front().size() == 1) {
            ++k;
            continue;
        }
        std::vector<std::vector<network::NetPoint>> parts;
        for (const auto& part : f.parts) {
            parts.emplace_back(at.begin() + static_cast<std::ptrdiff_t>(k), at.begin() + static_cast<std::ptrdiff_t>(k + part.size()));
            k += part.size();
        }
        coverage::StreetRoute route;
        try {
            route = coverage::route_along_streets(*s.graph, parts);
        } catch (const InputError& e) {
            throw InputError("facility '" + f.type + "' feature " + std::to_string(f.feature) + ": " + e.what());
        }
        if (f.is_line())
            log.info("route '" + f.type + "' feature " + std::to_string(f.feature) + " along the streets: " + text::fixed(route.walked_m / 1000, 3) +
                     " km walked, " + text::fixed(route.street_m / 1000, 3) + " km of street, " + std::to_string(route.stretches.size()) +
                     " stretches");
        out[i].along = std::move(route.stretches);
    }
    return out;
}

} // namespace hotmap::pipeline
