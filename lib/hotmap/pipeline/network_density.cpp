// SPDX-License-Identifier: MIT
// Network density pipeline: streets, snapping, lixels, the equal-split kernel sums, the layer.
#include "hotmap/pipeline/network_density.hpp"

#include "hotmap/error.hpp"
#include "hotmap/geom/geometry.hpp"
#include "hotmap/report/qml.hpp"
#include "hotmap/resources.hpp"
#include "hotmap/text.hpp"

#include <algorithm>
#include <chrono>

namespace hotmap::pipeline {

NetworkDensityResult estimate_network_density(const NetworkDensityParams& p, const Inputs& in, Log& log)
{
    if (!(p.lixel_m > 0)) throw ParameterError("--lixel must be a positive number of metres");
    const Streets streets = load_streets(p.streets, in.working, log);
    const network::Graph& g = *streets.graph;
    const SnappedIncidents sn = snap_incidents(streets, p.streets, in, log);
    std::vector<network::NetPoint> ev;
    std::vector<double> w;
    for (std::size_t i = 0; i < sn.at.size(); ++i)
        if (sn.on_network[i]) {
            ev.push_back(sn.at[i]);
            w.push_back(in.incidents.items[i].weight);
        }
    const double est = g.total_length_m / p.lixel_m + static_cast<double>(g.edges.size());
    resources::check_memory(est * 200.0, "lixels of " + resources::metres(p.lixel_m) + " on " + text::fixed(g.total_length_m / 1000, 1) + " km of street",
                            "use a larger --lixel");
    const std::vector<network::Lixel> lx = network::lixels(g, p.lixel_m);
    std::vector<network::NetPoint> mids(lx.size());
    for (std::size_t k = 0; k < lx.size(); ++k) mids[k] = {lx[k].edge, (lx[k].from_m + lx[k].to_m) / 2, 0};
    network::NetworkKdeParams kp;
    kp.bandwidth_m = p.bandwidth_m;
    kp.kernel = p.kernel;
    kp.split = p.split;
    kp.threads = in.threads;
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<double> d = network::network_density(g, ev, in.incidents.has_weight ? w : std::vector<double>{}, mids, kp);
    const double factor = p.per_metre ? 1.0 : 1000.0;
    NetworkDensityResult r;
    r.on_network = ev.size();
    for (std::size_t k = 0; k < lx.size(); ++k) r.sum_mass += d[k] * (lx[k].to_m - lx[k].from_m);
    log.info("network density (" + density::kernel_name(p.kernel) + ", " + network::split_name(p.split) + ", h = " + text::number(p.bandwidth_m) +
             " m) at " + std::to_string(lx.size()) + " lixels of at most " + text::number(p.lixel_m) + " m from " + std::to_string(ev.size()) +
             " incidents: " + text::fixed(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 3) +
             " s; sum of density x lixel length " + text::fixed(r.sum_mass, 2) + " (the incidents' mass on the streets, less what the "
             "discontinuous rule loses at dead ends, to the lixels' midpoint rule)");
    io::VectorLayer& L = r.lixels;
    L.name = "network_density";
    L.kind = io::GeomKind::line;
    L.crs = in.working;
    L.add_field("lixel_id", io::FieldType::integer);
    L.add_field("edge", io::FieldType::integer);
    L.add_field("street", io::FieldType::integer);
    L.add_field("length_m", io::FieldType::real);
    L.add_field("density", io::FieldType::real);
    L.rows.reserve(lx.size());
    L.wkb.reserve(lx.size());
    std::vector<double> nonzero;
    for (std::size_t k = 0; k < lx.size(); ++k) {
        const double v = d[k] * factor;
        L.rows.push_back({static_cast<std::int64_t>(k + 1), static_cast<std::int64_t>(lx[k].edge) + 1,
                          static_cast<std::int64_t>(g.edges[lx[k].edge].feature), lx[k].to_m - lx[k].from_m, v});
        L.wkb.push_back(geom::Geometry::linestring(g.piece(lx[k].edge, lx[k].from_m, lx[k].to_m)).to_wkb());
        if (v > 0) nonzero.push_back(v);
    }
    const std::string units = p.per_metre ? "incidents/m" : "incidents/km";
    std::vector<double> breaks = report::quantile_breaks(nonzero, 5);
    if (breaks.size() < 2) breaks = {0.0, 1.0};
    breaks.front() = 0;
    L.qml = report::graduated_qml("density", io::GeomKind::line, breaks, report::ramp("YlOrRd", static_cast<int>(breaks.size()) - 1),
                                  p.per_metre ? 4 : 2, units + " of street");
    L.title = with_filters("Density along the streets (" + density::kernel_name(p.kernel) + ", " + text::number(p.bandwidth_m) + " m, " +
                               network::split_name(p.split) + ")",
                           in);
    L.abstract = "Equal-split network kernel density (Okabe and Sugihara), " + network::split_name(p.split) + " rule, " +
                 density::kernel_name(p.kernel) + " kernel of half-width " + text::number(p.bandwidth_m) +
                 " m along the streets; density = value at the lixel's midpoint in " + units + " of street; lixels of at most " +
                 text::number(p.lixel_m) + " m" + std::string(in.filters.empty() ? "" : "; incidents: " + in.filters) + ".";
    return r;
}

} // namespace hotmap::pipeline
