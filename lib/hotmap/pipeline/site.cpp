// SPDX-License-Identifier: MIT
// The siting pipeline: candidates, demand, existing coverage, the solver, the exact
// evaluation on the incidents themselves, and the layers.
#include "hotmap/pipeline/site.hpp"

#include "hotmap/coverage/nearest_index.hpp"
#include "hotmap/coverage/network.hpp"
#include "hotmap/siting/network.hpp"
#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/report/qml.hpp"
#include "hotmap/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>

namespace hotmap::pipeline {
namespace {

std::string point_wkb(double x, double y)
{
    std::string w(21, '\0');
    w[0] = 1;
    const std::uint32_t t = 1;
    std::memcpy(&w[1], &t, 4);
    std::memcpy(&w[5], &x, 8);
    std::memcpy(&w[13], &y, 8);
    return w;
}

/// Candidate sites: the grid inside the study area and/or the points of the candidate layers.
/// Along the streets (`net`), `net_at` gets each candidate's place on the network: the exact one
/// for the candidates along the streets, the nearest street for the candidate layers'.
std::vector<siting::Candidate> candidates(const SiteParams& p, const Inputs& in, const Streets* net, std::vector<network::NetPoint>* net_at,
                                          std::vector<std::string>& sources, Log& log)
{
    std::vector<siting::Candidate> out;
    const geom::NamedPolygons* area = in.has_districts() ? &in.districts.polygons : nullptr;
    if (p.candidate_spacing_m > 0 && net) {
        const std::vector<network::NetPoint> at = siting::street_candidates(*net->graph, p.candidate_spacing_m);
        std::vector<Point> pts;
        pts.reserve(at.size());
        for (const network::NetPoint& c : at) pts.push_back(net->graph->point_at(c.edge, c.offset_m));
        std::vector<std::int32_t> d(pts.size(), -1);
        if (area) d = area->first_containing(pts, in.threads);
        std::size_t kept = 0;
        for (std::size_t k = 0; k < pts.size(); ++k) {
            if (area && d[k] < 0) continue;
            out.push_back({pts[k], d[k], -1, 0});
            net_at->push_back(at[k]);
            ++kept;
        }
        log.info("candidates along the streets: every junction and points at most " + text::number(p.candidate_spacing_m, 6) +
                 " m apart, " + std::to_string(kept) + " sites" + (area ? " inside the districts" : ""));
    } else if (p.candidate_spacing_m > 0) {
        const Extent e = in.study_extent();
        if (e.empty()) throw InputError("no study area for the candidate grid: no district and no incident");
        std::vector<Point> pts = siting::grid_candidates(e, p.candidate_spacing_m);
        std::vector<std::int32_t> d(pts.size(), -1);
        if (area) d = area->first_containing(pts, in.threads);
        std::size_t kept = 0;
        for (std::size_t k = 0; k < pts.size(); ++k) {
            if (area && d[k] < 0) continue; // outside the study area (the lake)
            out.push_back({pts[k], d[k], -1, 0});
            ++kept;
        }
        log.info("candidate grid: " + text::number(p.candidate_spacing_m, 6) + " m spacing, " + std::to_string(kept) + " sites" +
                 (area ? " inside the districts" : " over the incidents' extent"));
    }
    for (std::size_t l = 0; l < p.candidate_layers.size(); ++l) {
        const std::string& path = p.candidate_layers[l];
        sources.push_back(std::filesystem::path(path).filename().string());
        const io::GenericLayer g = io::read_geometries(path, "", {}, in.working, p.candidates_crs, "--candidates-crs");
        std::vector<Point> pts;
        std::vector<std::uint32_t> feature;
        for (std::size_t k = 0; k < g.wkb.size(); ++k) {
            const geom::Geometry geo = geom::Geometry::from_wkb(g.wkb[k]);
            if (!geo.is_puntal())
                throw InputError(path + ": feature " + std::to_string(g.feature[k]) + ": a " + geo.type_name() +
                                 "; candidate sites must be points");
            for (const auto& part : geo.coordinates())
                for (const Point& q : part) {
                    pts.push_back(q);
                    feature.push_back(static_cast<std::uint32_t>(g.feature[k]));
                }
        }
        std::vector<std::int32_t> d(pts.size(), -1);
        if (area) d = area->first_containing(pts, in.threads);
        std::size_t outside = 0;
        for (std::size_t k = 0; k < pts.size(); ++k) {
            if (area && d[k] < 0) {
                ++outside;
                continue;
            }
            out.push_back({pts[k], d[k], static_cast<std::int32_t>(l), feature[k]});
            if (net) {
                const network::NetPoint at = net->index->snap(pts[k].x, pts[k].y);
                if (at.snap_m > net->max_snap_m)
                    throw InputError(path + ": feature " + std::to_string(feature[k]) + ": the candidate site is " + text::fixed(at.snap_m, 1) +
                                     " m from the nearest street of " + net->source + ", beyond --max-snap " + text::number(net->max_snap_m) + " m");
                net_at->push_back(at);
            }
        }
        if (g.without_geometry) log.warning(path + ": " + std::to_string(g.without_geometry) + " feature(s) without a geometry skipped");
        if (outside) log.warning(path + ": " + std::to_string(outside) + " candidate site(s) lie outside every district and are left out");
        log.info("candidates from " + path + ": " + std::to_string(pts.size() - outside) + " sites");
    }
    return out;
}

/// The new sites' coverage of the incidents themselves (not the merged places), rank by rank.
std::vector<double> covered_by_rank(const std::vector<Incident>& items, const std::vector<std::uint8_t>& pre,
                                    const std::vector<Point>& sites, double radius, double& before)
{
    before = 0;
    for (std::size_t i = 0; i < items.size(); ++i)
        if (pre[i]) before += items[i].weight;
    std::vector<double> out;
    if (!(radius > 0) || items.empty()) return std::vector<double>(sites.size(), before);
    std::vector<Point> pts(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) pts[i] = {items[i].x, items[i].y};
    const siting::PointBuckets b(pts, radius);
    std::vector<std::uint8_t> covered = pre;
    double acc = before;
    for (const Point& s : sites) {
        b.around(s.x, s.y, radius, [&](std::uint32_t i) {
            if (!covered[i] && coverage::segment_distance(pts[i].x, pts[i].y, s.x, s.y, s.x, s.y) <= radius) {
                covered[i] = 1;
                acc += items[i].weight;
            }
        });
        out.push_back(acc);
    }
    return out;
}

/// Along the streets: per point, the rank (0-based) of the first site whose network distance to
/// it is within `radius`, -1 for none.
std::vector<std::int32_t> first_site_along_streets(const network::Graph& g, const std::vector<network::NetPoint>& sites,
                                                   const std::vector<network::NetPoint>& pts, const std::vector<std::uint8_t>& on,
                                                   double radius, unsigned threads)
{
    std::vector<coverage::NetFacility> f;
    for (const network::NetPoint& s : sites) f.push_back({s, radius, 0, {}});
    const coverage::NetworkReach reach = coverage::network_reach(g, f, threads);
    std::vector<std::int32_t> first(pts.size(), -1);
    parallel::for_each(pts.size(), 4096, threads, [&](std::size_t i) {
        if (!on[i]) return;
        const network::NetPoint& p = pts[i];
        const network::Edge& e = g.edges[p.edge];
        std::int32_t best = -1;
        const auto consider = [&](std::uint32_t site, double d) {
            if (d <= radius && (best < 0 || static_cast<std::int32_t>(site) < best)) best = static_cast<std::int32_t>(site);
        };
        for (std::uint32_t k = reach.start[e.from]; k < reach.start[e.from + 1]; ++k) consider(reach.facility[k], reach.dist[k] + p.offset_m);
        for (std::uint32_t k = reach.start[e.to]; k < reach.start[e.to + 1]; ++k)
            consider(reach.facility[k], reach.dist[k] + (e.length_m - p.offset_m));
        for (std::uint32_t s : reach.on_edge[p.edge]) consider(s, reach.along_edge_m(s, p.edge, p.offset_m));
        first[i] = best;
    });
    return first;
}

/// What the street network adds to a siting run.
struct StreetSiting {
    Streets streets;
    SnappedIncidents incidents;
    std::vector<std::uint8_t> pre;               ///< per incident: reached by an existing facility along the streets
    std::vector<network::NetPoint> candidates;   ///< per candidate
    siting::CoverMatrix cover;
    siting::CoverMatrix conflicts;               ///< --min-spacing by walking distance
};

} // namespace

SiteResult plan_sites(const SiteParams& p, const Inputs& in, const std::vector<coverage::Facility>& existing, Log& log)
{
    const siting::Objective objective = p.solver.objective;
    if (p.candidate_spacing_m <= 0 && p.candidate_layers.empty())
        throw ParameterError("no candidate sites: give --candidate-spacing METRES (a grid inside the study area) and/or --candidates PATH");
    if (objective != siting::Objective::pmedian && !(p.radius_m > 0))
        throw ParameterError("the new sites need a radius: --radius METRES (or --site-type TYPE with a --radius TYPE=METRES rule)");
    const auto& items = in.incidents.items;
    if (items.empty()) throw InputError(in.incidents.source + ": no incident accepted: nothing to cover");
    SiteResult r;
    std::vector<std::string> sources;
    siting::Problem prob;
    prob.radius_m = p.radius_m;
    prob.districts = in.districts.size();
    std::unique_ptr<StreetSiting> net;
    if (p.streets.given()) {
        net = std::make_unique<StreetSiting>();
        net->streets = load_streets(p.streets, in.working, log);
    }
    prob.candidates = candidates(p, in, net ? &net->streets : nullptr, net ? &net->candidates : nullptr, sources, log);
    r.candidates = prob.candidates.size();
    if (prob.candidates.empty()) throw InputError("no candidate site inside the study area");

    // demand: every incident place, or merged to cells for big inputs (stated with its error bound)
    // along the streets every incident place is snapped as it is (the p-median merges them per
    // street piece below)
    double cell = net ? 0.0 : p.demand_cell_m;
    if (net && p.demand_cell_m > 0 && objective != siting::Objective::pmedian)
        log.warning("--demand-cell along the streets is for the p-median only: every incident place is its own demand point");
    if (cell < 0) {
        cell = 0;
        const siting::Demand exact = siting::make_demand(items, 0, in.threads);
        const std::size_t limit = objective == siting::Objective::pmedian ? 20000 : 200000;
        if (exact.pts.size() > limit) {
            const Extent e = in.incidents.extent();
            cell = objective == siting::Objective::pmedian ? std::max(e.width(), e.height()) / 141.0 : p.radius_m / 10.0;
        }
    }
    prob.demand = siting::make_demand(items, cell, in.threads);
    std::vector<network::NetPoint> places; // along the streets: the demand places on the network
    std::vector<double> net_dist;          // the p-median along the streets: candidate x place
    std::size_t unreachable_places = 0;
    double penalty_m = 0;
    if (net) {
        places = network::snap_points(*net->streets.index, prob.demand.pts, in.threads);
        if (objective == siting::Objective::pmedian) {
            // only the places on the network take part; merged per street piece when asked, or
            // when the distance matrix would be too big
            siting::Demand on;
            std::vector<network::NetPoint> on_at;
            for (std::size_t i = 0; i < places.size(); ++i)
                if (places[i].snap_m <= p.streets.max_snap_m) {
                    on.pts.push_back(prob.demand.pts[i]);
                    on.weight.push_back(prob.demand.weight[i]);
                    on.incidents.push_back(prob.demand.incidents[i]);
                    on.total += prob.demand.weight[i];
                    on_at.push_back(places[i]);
                }
            if (on.pts.empty())
                throw InputError(in.incidents.source + ": no incident within --max-snap " + text::number(p.streets.max_snap_m, 6) +
                                 " m of the streets: nothing for the p-median");
            if (on.pts.size() < places.size())
                log.info(std::to_string(places.size() - on.pts.size()) + " incident place(s) beyond --max-snap " +
                         text::number(p.streets.max_snap_m, 6) + " m of every street are left out of the p-median");
            double piece = p.demand_cell_m > 0 ? p.demand_cell_m : 0;
            std::vector<network::NetPoint> merged_at;
            if (piece > 0) {
                on = siting::merge_along_streets(*net->streets.graph, on, on_at, piece, merged_at);
            } else if (p.demand_cell_m < 0 && on.pts.size() * prob.candidates.size() > siting::k_max_distances) {
                // the shortest pieces (to the metre) whose places fit the distance matrix: the
                // count of places falls as the pieces grow
                const std::size_t fit = siting::k_max_distances / prob.candidates.size();
                double lo = 1, hi = 1;
                for (const network::Edge& e : net->streets.graph->edges) hi = std::max(hi, e.length_m);
                if (siting::merge_along_streets(*net->streets.graph, on, on_at, hi, merged_at).pts.size() > fit)
                    throw ParameterError("the p-median along the streets: " + std::to_string(prob.candidates.size()) +
                                         " candidates leave room for only " + std::to_string(fit) +
                                         " demand places, fewer than one per street: use a larger --candidate-spacing");
                while (hi - lo > 1) {
                    const double mid = std::floor((lo + hi) / 2);
                    if (siting::merge_along_streets(*net->streets.graph, on, on_at, mid, merged_at).pts.size() > fit) lo = mid;
                    else hi = mid;
                }
                piece = hi;
                on = siting::merge_along_streets(*net->streets.graph, on, on_at, piece, merged_at);
            }
            if (piece > 0) {
                on_at = std::move(merged_at);
                cell = piece;
            }
            prob.demand = std::move(on);
            places = std::move(on_at);
            net_dist = siting::network_distance_matrix(*net->streets.graph, net->candidates, places, in.threads);
            // a place no candidate reaches (another piece of the network) is left out; a pair in
            // different pieces counts at a penalty distance, ten times the longest real one
            std::vector<std::uint8_t> reached(places.size(), 0);
            double longest = 0;
            for (std::size_t k = 0; k < net_dist.size(); ++k)
                if (std::isfinite(net_dist[k])) {
                    reached[k % places.size()] = 1;
                    longest = std::max(longest, net_dist[k]);
                }
            penalty_m = 10.0 * longest + 1.0;
            for (double& d : net_dist)
                if (!std::isfinite(d)) d = penalty_m;
            for (std::size_t i = 0; i < places.size(); ++i)
                if (!reached[i]) {
                    ++unreachable_places;
                    prob.demand.total -= prob.demand.weight[i];
                    prob.demand.weight[i] = 0;
                }
            if (unreachable_places)
                log.warning(std::to_string(unreachable_places) + " demand place(s) lie on pieces of the street network without any candidate: left out of the p-median");
            prob.distances = &net_dist;
        }
    }
    r.places = prob.demand.pts.size();
    r.demand_cell_m = cell;
    r.incidents_weight = prob.demand.total;
    if (prob.distances) { // the p-median along the streets left some places out: coverage shares stay of all incidents
        r.incidents_weight = 0;
        for (const Incident& it : items) r.incidents_weight += it.weight;
    }
    log.info("demand: " + std::to_string(items.size()) + " incidents at " + std::to_string(r.places) + " places" +
             (cell > 0 ? " (merged to " + text::number(cell, 6) + (net ? " m street pieces" : " m cells") + "; an incident moved at most " +
                             text::number(prob.demand.max_shift_m, 4) + " m)"
                       : ""));

    // existing facilities: what they reach is covered before the first new site; new sites keep
    // --min-spacing from them
    const std::vector<std::string> types = coverage::facility_types(existing);
    std::unique_ptr<coverage::FacilityIndex> index; // straight lines only: along the streets the network measures
    if (!existing.empty() && !net) index = std::make_unique<coverage::FacilityIndex>(existing, types);
    const std::size_t np = prob.demand.pts.size(), nc = prob.candidates.size();
    prob.precovered.assign(np, 0);
    prob.existing_m.assign(np, INFINITY);
    prob.allowed.assign(nc, 1);
    if (index) {
        parallel::for_each(np, 4096, in.threads, [&](std::size_t i) {
            const Point& q = prob.demand.pts[i];
            prob.precovered[i] = index->reach(q.x, q.y).n_within > 0;
            prob.existing_m[i] = index->nearest(q.x, q.y).distance_m;
        });
        if (p.solver.min_spacing_m > 0)
            parallel::for_each(nc, 4096, in.threads, [&](std::size_t j) {
                const Point& q = prob.candidates[j].p;
                prob.allowed[j] = index->nearest(q.x, q.y).distance_m >= p.solver.min_spacing_m;
            });
    }
    if (net) {
        // coverage along the streets: existing reach and the candidates' matrix by network distance
        const network::Graph& g = *net->streets.graph;
        const std::vector<coverage::NetFacility> nf = facilities_on_streets(net->streets, existing, in.threads, log);
        const coverage::NetworkReach reach = coverage::network_reach(g, nf, in.threads);
        std::vector<std::uint8_t> on(np, 1);
        for (std::size_t i = 0; i < np; ++i) on[i] = places[i].snap_m <= p.streets.max_snap_m;
        const coverage::IncidentCoverage pc = coverage::cover_incidents_network(g, nf, reach, places, on, in.threads);
        std::vector<std::uint8_t> active(np);
        for (std::size_t i = 0; i < np; ++i) {
            prob.precovered[i] = pc.covered[i];
            // the p-median: the walk to the nearest existing facility
            prob.existing_m[i] = INFINITY;
            if (objective == siting::Objective::pmedian && on[i] && !nf.empty())
                prob.existing_m[i] = std::isfinite(pc.nearest_m[i]) ? pc.nearest_m[i] : penalty_m; // another piece of the network
            active[i] = on[i] && !pc.covered[i];
        }
        if (p.radius_m > 0) {
            net->cover = siting::network_cover_matrix(g, net->candidates, places, active, p.radius_m, in.threads);
            log.info("coverage along the streets: " + std::to_string(net->cover.entries()) + " candidate-place pairs within " +
                     text::number(p.radius_m, 6) + " m of walking");
        } else {
            net->cover.start.assign(net->candidates.size() + 1, 0); // the p-median without a radius: no coverage figures
        }
        prob.cover = &net->cover;
        if (p.solver.min_spacing_m > 0) {
            // --min-spacing by walking: between new sites, and from the existing facilities
            net->conflicts = siting::network_conflicts(g, net->candidates, p.solver.min_spacing_m, in.threads);
            prob.conflicts = &net->conflicts;
            std::vector<coverage::NetFacility> spaced = nf;
            for (coverage::NetFacility& f : spaced) f.radius_m = p.solver.min_spacing_m;
            const coverage::NetworkReach near = coverage::network_reach(g, spaced, in.threads);
            const coverage::IncidentCoverage cc =
                coverage::cover_incidents_network(g, spaced, near, net->candidates, std::vector<std::uint8_t>(nc, 1), in.threads);
            for (std::size_t j = 0; j < nc; ++j) prob.allowed[j] = !(cc.nearest_m[j] < p.solver.min_spacing_m);
        }
        net->incidents = snap_incidents(net->streets, p.streets, in, log);
        const coverage::IncidentCoverage ic =
            coverage::cover_incidents_network(g, nf, reach, net->incidents.at, net->incidents.on_network, in.threads);
        net->pre = ic.covered;
    }
    std::size_t usable = 0;
    for (std::uint8_t a : prob.allowed) usable += a;
    if (usable < nc)
        log.info(std::to_string(nc - usable) + " candidate site(s) closer than --min-spacing " + text::number(p.solver.min_spacing_m, 6) +
                 " m to an existing facility are left out");

    siting::Params sp = p.solver;
    sp.threads = in.threads;
    r.solution = siting::solve(prob, sp);
    const siting::Solution& s = r.solution;
    double unreached_weight = 0; // the p-median along the streets: demand no site reaches
    if (prob.distances)
        for (std::size_t i = 0; i < np; ++i) {
            double best = prob.existing_m[i];
            for (std::uint32_t j : s.sites) best = std::min(best, net_dist[static_cast<std::size_t>(j) * np + i]);
            if (!(best < penalty_m)) unreached_weight += prob.demand.weight[i];
        }

    // the chosen sites on the incidents themselves
    std::vector<std::uint8_t> pre(items.size(), 0);
    if (net) pre = net->pre;
    else if (index) parallel::for_each(items.size(), 4096, in.threads, [&](std::size_t i) { pre[i] = index->reach(items[i].x, items[i].y).n_within > 0; });
    std::vector<Point> site_pts;
    for (std::uint32_t j : s.sites) site_pts.push_back(prob.candidates[j].p);
    std::vector<std::int32_t> first_site; // along the streets: the first rank reaching each incident
    std::vector<double> exact_cov;
    if (net) {
        std::vector<network::NetPoint> sat;
        for (std::uint32_t j : s.sites) sat.push_back(net->candidates[j]);
        first_site = first_site_along_streets(*net->streets.graph, sat, net->incidents.at, net->incidents.on_network, p.radius_m, in.threads);
        r.covered_before = 0;
        std::vector<double> gain(sat.size(), 0);
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (pre[i]) r.covered_before += items[i].weight;
            else if (first_site[i] >= 0) gain[static_cast<std::size_t>(first_site[i])] += items[i].weight;
        }
        double acc = r.covered_before;
        for (double gi : gain) exact_cov.push_back(acc += gi);
    } else {
        exact_cov = covered_by_rank(items, pre, site_pts, p.radius_m, r.covered_before);
    }
    r.covered_after = exact_cov.empty() ? r.covered_before : exact_cov.back();
    if (cell > 0 && objective != siting::Objective::pmedian) {
        // merging moves an incident by at most d: only an incident whose distance to the nearest
        // new site lies in (R - d, R + d] can be on the other side of the new sites' reach in the
        // model than on the ground; their weight bounds the difference the merging makes
        const double d = prob.demand.max_shift_m;
        std::vector<Point> pts(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) pts[i] = {items[i].x, items[i].y};
        const siting::PointBuckets b(pts, p.radius_m + d);
        std::vector<double> nearest(items.size(), INFINITY);
        for (const Point& q : site_pts)
            b.around(q.x, q.y, p.radius_m + d, [&](std::uint32_t i) {
                nearest[i] = std::min(nearest[i], std::hypot(pts[i].x - q.x, pts[i].y - q.y));
            });
        for (std::size_t i = 0; i < items.size(); ++i)
            if (!pre[i] && nearest[i] > p.radius_m - d && nearest[i] <= p.radius_m + d) r.aggregation_error += items[i].weight;
    }

    // the sites layer (DESIGN.md §4)
    crs::Transformer to_lonlat(in.working, crs::Crs::epsg(4326));
    io::VectorLayer& L = r.sites;
    L.name = "sites";
    L.kind = io::GeomKind::point;
    L.crs = in.working;
    L.add_field("rank", io::FieldType::integer);
    L.add_field("gain", io::FieldType::real);
    L.add_field("covered", io::FieldType::real);
    L.add_field("covered_pct", io::FieldType::real);
    if (objective == siting::Objective::pmedian) L.add_field("mean_m", io::FieldType::real);
    L.add_field("district", io::FieldType::string);
    L.add_field("lon", io::FieldType::real);
    L.add_field("lat", io::FieldType::real);
    L.add_field("x", io::FieldType::real);
    L.add_field("y", io::FieldType::real);
    L.add_field("source", io::FieldType::string);
    const double total = std::max(1e-300, r.incidents_weight);
    for (std::size_t k = 0; k < s.sites.size(); ++k) {
        const siting::Candidate& c = prob.candidates[s.sites[k]];
        const auto ll = to_lonlat.transform(c.p.x, c.p.y);
        // gain and covered on the incidents themselves (equal to the model's without merging)
        const double covered = objective == siting::Objective::pmedian && !(p.radius_m > 0) ? NAN : exact_cov[k];
        const double gain = objective == siting::Objective::pmedian ? s.gain[k] : covered - (k ? exact_cov[k - 1] : r.covered_before);
        std::vector<io::Value> v{static_cast<std::int64_t>(k + 1), io::number(gain), io::number(covered), io::number(100.0 * covered / total)};
        if (objective == siting::Objective::pmedian) v.push_back(io::number(s.mean_m[k]));
        v.push_back(c.district >= 0 ? io::Value(in.districts.name(static_cast<std::size_t>(c.district))) : io::Value());
        v.push_back(ll ? io::Value(ll->first) : io::Value());
        v.push_back(ll ? io::Value(ll->second) : io::Value());
        v.push_back(c.p.x);
        v.push_back(c.p.y);
        v.push_back(c.source < 0 ? std::string(net ? "streets" : "grid") : sources[static_cast<std::size_t>(c.source)] + ":" + std::to_string(c.feature));
        L.rows.push_back(std::move(v));
        L.wkb.push_back(point_wkb(c.p.x, c.p.y));
    }
    L.qml = report::single_qml(io::GeomKind::point, {128, 0, 160, 255}, 4.0,
                               "new site" + (p.radius_m > 0 ? " (" + text::number(p.radius_m, 6) + " m)" : std::string()));

    // the summary: objective, bound, gap, method, aggregation
    const bool minimise = objective == siting::Objective::pmedian;
    std::string sum = "hotmap site --objective " + siting::objective_name(objective) + ": " + std::to_string(s.sites.size()) +
                      " new site(s)" + (p.radius_m > 0 ? " of " + text::number(p.radius_m, 6) + " m" : "") + " by " + s.method;
    if (objective == siting::Objective::pmedian) {
        const double model_total = std::max(1e-300, prob.demand.total);
        sum += "; weighted mean distance " + text::fixed(s.objective / model_total, 1) + " m" + (net ? " along the streets (" : " (") +
               (std::isfinite(s.base_mean_m) ? text::fixed(s.base_mean_m, 1) + " m with the existing facilities alone" : "no existing facility") +
               "); lower bound " + text::fixed(s.bound / model_total, 1) + " m (" + s.bound_method + ")";
    } else if (objective == siting::Objective::lscp) {
        sum += "; target " + text::number(p.solver.target_pct, 6) + "% reached with " + std::to_string(s.sites.size()) +
               " site(s); at least " + text::number(s.bound, 6) + " needed (" + s.bound_method + ")";
    } else {
        sum += "; covered weight " + text::fixed(s.objective, 2) + " of " + text::fixed(prob.demand.total, 2) + " (existing facilities alone " +
               text::fixed(s.base_covered, 2) + "); upper bound " + text::fixed(s.bound, 2) + " (" + s.bound_method + "), gap " +
               text::number(s.gap_pct, 4) + "%";
    }
    if (s.optimal) sum += "; proved optimal";
    if (s.time_limit_reached) sum += "; GLPK time limit reached: best solution and bound found so far";
    if (unreached_weight > 0)
        sum += "; incidents of weight " + text::fixed(unreached_weight, 2) + " have no site on their piece of the street network (counted at " +
               text::fixed(penalty_m, 0) + " m)";
    if (cell > 0 && net)
        sum += "; demand merged to street pieces of at most " + text::number(cell, 6) + " m (" + std::to_string(r.places) +
               " places, incidents moved at most " + text::number(prob.demand.max_shift_m, 4) + " m along their street)";
    else if (cell > 0)
        sum += "; demand merged to " + text::number(cell, 6) + " m cells (" + std::to_string(r.places) + " places, incidents moved at most " +
               text::number(prob.demand.max_shift_m, 4) + " m): on the incidents themselves the sites cover " + text::fixed(r.covered_after, 2) +
               (objective == siting::Objective::pmedian ? std::string()
                                                        : "; incidents of weight " + text::fixed(r.aggregation_error, 2) +
                                                              " lie near the edge of the new sites' reach, where the merging can move them across");
    (void)minimise;
    r.summary = sum;
    L.metadata = sum;
    L.title = with_filters("New sites (" + siting::objective_name(objective) + ", " + std::to_string(s.sites.size()) + " sites" +
                               (p.radius_m > 0 ? " of " + text::number(p.radius_m, 6) + " m" : std::string()) + ")",
                           in);
    L.abstract = "Sites chosen in order (gain = what each adds to the objective); " + sum;
    log.info(sum);
    for (const std::string& n : s.info) log.info(n);
    for (const std::string& n : s.notes) log.warning(n);

    // the curve: k = 1..K
    io::VectorLayer& C = r.curve;
    C.name = "curve";
    C.kind = io::GeomKind::none;
    C.add_field("k", io::FieldType::integer);
    C.add_field("gain", io::FieldType::real);
    C.add_field("covered", io::FieldType::real);
    C.add_field("covered_pct", io::FieldType::real);
    if (objective == siting::Objective::pmedian) C.add_field("mean_m", io::FieldType::real);
    for (std::size_t k = 0; k < L.rows.size(); ++k) {
        std::vector<io::Value> v{static_cast<std::int64_t>(k + 1), L.rows[k][1], L.rows[k][2], L.rows[k][3]};
        if (objective == siting::Objective::pmedian) v.push_back(L.rows[k][4]);
        C.rows.push_back(std::move(v));
    }
    C.metadata = sum;
    C.title = with_filters("Coverage curve of the new sites (" + siting::objective_name(objective) + ")", in);
    C.abstract = "The objective after the first k new sites; " + sum;

    // per district, before and after
    if (in.has_districts()) {
        std::vector<std::uint8_t> after = pre;
        if (net) {
            for (std::size_t i = 0; i < items.size(); ++i) after[i] = pre[i] || first_site[i] >= 0;
        } else if (p.radius_m > 0) {
            std::vector<Point> pts(items.size());
            for (std::size_t i = 0; i < items.size(); ++i) pts[i] = {items[i].x, items[i].y};
            const siting::PointBuckets b(pts, p.radius_m);
            for (const Point& q : site_pts)
                b.around(q.x, q.y, p.radius_m, [&](std::uint32_t i) {
                    if (coverage::segment_distance(pts[i].x, pts[i].y, q.x, q.y, q.x, q.y) <= p.radius_m) after[i] = 1;
                });
        }
        const geom::Containment a = in.districts.polygons.containing(items, in.threads);
        const std::size_t nd = in.districts.size();
        std::vector<double> w(nd, 0), wb(nd, 0), wa(nd, 0);
        std::vector<std::int64_t> n(nd, 0), sites_in(nd, 0);
        for (std::size_t i = 0; i < items.size(); ++i)
            for (std::uint32_t k = a.start[i]; k < a.start[i + 1]; ++k) {
                const auto d = static_cast<std::size_t>(a.ids[k]);
                ++n[d];
                w[d] += items[i].weight;
                if (pre[i]) wb[d] += items[i].weight;
                if (after[i]) wa[d] += items[i].weight;
            }
        for (std::uint32_t j : s.sites)
            if (prob.candidates[j].district >= 0) ++sites_in[static_cast<std::size_t>(prob.candidates[j].district)];
        io::VectorLayer& D = r.districts;
        D.name = "site_districts";
        D.kind = io::GeomKind::polygon;
        D.crs = in.working;
        D.add_field("district", io::FieldType::string);
        D.add_field("incidents", io::FieldType::integer);
        D.add_field("weight", io::FieldType::real);
        D.add_field("covered_before", io::FieldType::real);
        D.add_field("covered_after", io::FieldType::real);
        D.add_field("pct_before", io::FieldType::real);
        D.add_field("pct_after", io::FieldType::real);
        D.add_field("new_sites", io::FieldType::integer);
        for (std::size_t d = 0; d < nd; ++d) {
            D.rows.push_back({in.districts.name(d), n[d], w[d], wb[d], wa[d], io::number(w[d] > 0 ? 100.0 * wb[d] / w[d] : NAN),
                              io::number(w[d] > 0 ? 100.0 * wa[d] / w[d] : NAN), sites_in[d]});
            D.wkb.push_back(in.districts.geometry(d).to_wkb());
        }
        const std::vector<double> breaks{0, 20, 40, 60, 80, 100};
        std::vector<report::Rgba> colors = report::ramp("RdBu", 5);
        std::reverse(colors.begin(), colors.end());
        D.qml = report::with_labels(
            report::graduated_qml("pct_after", io::GeomKind::polygon, breaks, colors, 0, "% of incident weight covered with the new sites"),
            "district");
        D.metadata = sum;
        D.title = with_filters("Coverage per district before and after the new sites (" + siting::objective_name(objective) + ")", in);
        D.abstract = "Per district: pct_before and pct_after = % of the incident weight covered by the existing facilities alone and with "
                     "the new sites; new_sites = new sites inside the district.";
    }
    return r;
}

} // namespace hotmap::pipeline
