// SPDX-License-Identifier: MIT
// The density pipeline: raster, study-area mask, isobands with their share of incidents.
#include "hotmap/pipeline/density.hpp"

#include "hotmap/density/bandwidth.hpp"
#include "hotmap/density/kernels.hpp"
#include "hotmap/error.hpp"
#include "hotmap/text.hpp"
#include "hotmap/grid/binning.hpp"
#include "hotmap/io/isobands.hpp"
#include "hotmap/report/qml.hpp"
#include "hotmap/resources.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <cstdio>

namespace hotmap::pipeline {
namespace {

/// --min-count: the radius within which incidents count as contributing to a cell: the kernel's
/// radius, 3 sigma for the gaussian (its weight there is 1.1% of the peak; its numerical
/// support, 8.3 sigma, would count incidents that add almost nothing).
double count_radius(const density::KdeParams& kp) { return kp.kernel == density::Kernel::gaussian ? 3 * kp.bandwidth_m : kp.bandwidth_m; }

io::VectorLayer isoband_layer(const DensityParams& p, const std::vector<double>& v, const grid::GridSpec& g,
                              const density::KdeParams& kp, bool has_nodata, const Inputs& in, Log& log)
{
    std::vector<double> levels = p.levels;
    if (levels.empty()) {
        std::vector<double> nz;
        for (double x : v)
            if (x > 0 && (!has_nodata || x != kp.nodata)) nz.push_back(x);
        std::sort(nz.begin(), nz.end());
        for (double q : {0.5, 0.75, 0.9, 0.95, 0.99}) {
            if (nz.empty()) break;
            const double l = nz[static_cast<std::size_t>(q * static_cast<double>(nz.size() - 1))];
            if (levels.empty() || l > levels.back()) levels.push_back(l);
        }
        if (levels.empty()) throw InputError("--isobands: the density is zero everywhere; no band to draw");
        std::string s;
        for (double l : levels) s += (s.empty() ? "" : ",") + text::number(l);
        log.info("isoband levels (percentiles 50/75/90/95/99 of non-zero cells): " + s);
    }
    const std::vector<io::Isoband> bands = io::isobands(g, v, levels, has_nodata ? std::optional<double>(kp.nodata) : std::nullopt);
    // incidents per band: point in polygon (closed; a point on a contour counts in the lower band)
    std::vector<std::string> names;
    std::vector<geom::Geometry> polys;
    for (const io::Isoband& b : bands) {
        names.push_back(text::number(b.lower));
        polys.push_back(geom::Geometry::from_wkb(b.wkb));
    }
    const geom::NamedPolygons bandset(std::move(names), std::move(polys));
    std::vector<std::int64_t> count(bands.size(), 0);
    for (std::int32_t k : bandset.first_containing(in.incidents.items, in.threads))
        if (k >= 0) ++count[static_cast<std::size_t>(k)];
    const double total = static_cast<double>(in.incidents.items.size());
    io::VectorLayer layer;
    layer.name = "isobands";
    layer.kind = io::GeomKind::polygon;
    layer.crs = in.working;
    layer.add_field("band", io::FieldType::integer);
    layer.add_field("lower", io::FieldType::real);
    layer.add_field("upper", io::FieldType::real);
    layer.add_field("incidents", io::FieldType::integer);
    layer.add_field("share_pct", io::FieldType::real);
    for (std::size_t k = 0; k < bands.size(); ++k) {
        const auto lvl = std::find(levels.begin(), levels.end(), bands[k].lower);
        layer.rows.push_back({static_cast<std::int64_t>(lvl - levels.begin() + 1), bands[k].lower, bands[k].upper, count[k],
                              total > 0 ? 100.0 * static_cast<double>(count[k]) / total : 0.0});
        layer.wkb.push_back(bands[k].wkb);
    }
    // one class (and colour) per band, on its number: a band's lower value is also the upper
    // bound of the band below, so classes on `lower` would merge neighbours
    double top = levels.back();
    for (const io::Isoband& b : bands) top = std::max(top, b.upper);
    const std::string units = "incidents per " + density::units_name(p.units);
    const std::vector<report::Rgba> col = report::ramp("YlOrRd", static_cast<int>(levels.size()));
    std::vector<report::Category> cats;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const std::string upper = i + 1 < levels.size() ? text::number(levels[i + 1], 4) : top > levels[i] ? text::number(top, 4) : "";
        cats.push_back({std::to_string(i + 1),
                        upper.empty() ? "over " + text::number(levels[i], 4) + " " + units : text::number(levels[i], 4) + " - " + upper + " " + units,
                        col[i]});
    }
    layer.qml = report::categorized_qml("band", io::GeomKind::polygon, cats);
    layer.metadata = "hotmap density isobands, incidents per " + density::units_name(p.units);
    layer.title = with_filters("Incident density bands (" + units + ", " + density::kernel_name(kp.kernel) + " kernel, bandwidth " +
                                   text::number(kp.bandwidth_m) + " m)",
                               in);
    layer.abstract = "Areas between consecutive density levels of the kernel density estimate (" + units +
                     "); band = 1 for the lowest level; incidents = incidents inside the band, share_pct = their share of all " +
                     std::to_string(in.incidents.items.size()) + " incidents" + (in.filters.empty() ? "" : "; incidents: " + in.filters) + ".";
    return layer;
}

} // namespace

DensityResult estimate_density(const DensityParams& p, Inputs& in, Log& log, bool release_incidents)
{
    if (p.edge_correct && !in.has_districts()) throw ParameterError("--edge-correct needs --districts (the study area)");
    std::string from = "--extent";
    const Extent e = p.extent ? *p.extent : in.study_extent(&from);
    if (e.empty()) throw InputError(in.incidents.source + ": no incident accepted and no districts: no extent for the raster");
    grid::GridSpec g = grid::GridSpec::snapped(e, p.cell_m, 200'000'000);
    g.crs = in.working;
    density::KdeParams kp;
    kp.kernel = p.kernel;
    kp.units = p.units;
    kp.threads = in.threads;
    kp.edge_correct = p.edge_correct;
    if (p.bandwidth_m) {
        kp.bandwidth_m = *p.bandwidth_m;
    } else {
        const density::BandwidthRule r = density::auto_bandwidth(in.incidents.items, in.incidents.has_weight);
        kp.bandwidth_m = r.bandwidth;
        log.info("bandwidth auto: " + text::number(r.bandwidth) + " m = 0.9 * min(SD " + text::number(r.standard_distance) + ", sqrt(1/ln 2) * Dm " +
                 text::number(r.median_distance) + ") * n^-0.2, n = " + text::number(r.n));
    }
    log.info("raster: " + std::to_string(g.ncol) + " x " + std::to_string(g.nrow) + " cells of " + text::number(p.cell_m) + " m, origin (" +
             text::number(g.x0) + ", " + text::number(g.y0) + ") (extent from " + from + "); kernel " + density::kernel_name(kp.kernel) + ", bandwidth " +
             text::number(kp.bandwidth_m) + " m, units incidents per " + density::units_name(kp.units) + (p.edge_correct ? ", edge-corrected" : ""));
    std::vector<std::uint8_t> mask;
    if (in.has_districts()) {
        const std::size_t m = density::support_margin(kp.kernel, kp.bandwidth_m, p.cell_m);
        grid::GridSpec ext = g;
        ext.x0 = g.x0 - static_cast<double>(m) * p.cell_m;
        ext.y0 = g.y0 - static_cast<double>(m) * p.cell_m;
        ext.ncol = g.ncol + 2 * m;
        ext.nrow = g.nrow + 2 * m;
        // the memory check comes first: the mask itself is as large as the extended raster
        density::KdeParams probe = kp;
        resources::check_memory(density::memory_bytes(g, probe, in.incidents.items.size()),
                                "a density raster of " + std::to_string(g.ncol) + " x " + std::to_string(g.nrow) + " cells of " +
                                    resources::metres(p.cell_m) + " with a " + resources::metres(kp.bandwidth_m) + " bandwidth",
                                "use a larger --cell, a smaller --extent or a smaller --bandwidth");
        const std::vector<std::int32_t> d = grid::centre_districts(ext, grid::Shape::square, in.districts.polygons, in.threads);
        mask.resize(d.size());
        std::size_t inside = 0;
        for (std::size_t i = 0; i < d.size(); ++i) mask[i] = d[i] >= 0;
        for (std::size_t r = m; r < m + g.nrow; ++r)
            for (std::size_t c = m; c < m + g.ncol; ++c) inside += mask[r * ext.ncol + c];
        kp.mask = &mask;
        kp.mask_margin = m;
        log.info("study area: " + std::to_string(inside) + " of " + std::to_string(g.size()) + " cells have their centre in a district");
    }
    const std::size_t n_incidents = in.incidents.items.size();
    // --min-count: how many incidents lie within the kernel's support of each cell centre (a
    // uniform kernel of that radius on unit weights, times its area), counted before the
    // incidents may be released
    std::vector<double> counts;
    if (p.min_count > 0) {
        density::KdeParams cp;
        cp.kernel = density::Kernel::uniform;
        cp.bandwidth_m = count_radius(kp);
        cp.units = density::Units::m2;
        cp.threads = kp.threads;
        std::vector<Incident> unit = in.incidents.items;
        for (Incident& i : unit) i.weight = 1;
        counts = density::estimate(std::move(unit), g, cp);
        const double area = std::numbers::pi * cp.bandwidth_m * cp.bandwidth_m;
        for (double& c : counts) c = std::round(c * area);
    }
    std::vector<double> v = release_incidents && !p.isobands ? density::estimate(std::move(in.incidents.items), g, kp)
                                                             : density::estimate(in.incidents.items, g, kp);
    std::size_t blanked = 0;
    for (std::size_t i = 0; i < counts.size(); ++i)
        if (counts[i] > 0 && counts[i] < static_cast<double>(p.min_count) && !(kp.mask && v[i] == kp.nodata)) {
            v[i] = kp.nodata;
            ++blanked;
        }
    if (p.min_count > 0)
        log.info("--min-count " + std::to_string(p.min_count) + ": " + std::to_string(blanked) + " cells with 1 to " + std::to_string(p.min_count - 1) + " incidents within " +
                 text::number(count_radius(kp)) + " m are nodata");
    DensityResult r;
    r.bandwidth_m = kp.bandwidth_m;
    r.blanked = blanked;
    r.raster.grid = g;
    r.raster.values.assign(v.begin(), v.end());
    const bool has_nodata = kp.mask || p.min_count > 0;
    if (has_nodata) r.raster.nodata = static_cast<float>(kp.nodata);
    r.raster.description = "density, incidents per " + density::units_name(kp.units);
    r.raster.metadata = {{"HOTMAP_KERNEL", density::kernel_name(kp.kernel)},
                         {"HOTMAP_BANDWIDTH_M", text::number(kp.bandwidth_m)},
                         {"HOTMAP_UNITS", "incidents per " + density::units_name(kp.units)},
                         {"HOTMAP_EDGE_CORRECTED", p.edge_correct ? "yes" : "no"},
                         {"HOTMAP_INCIDENTS", std::to_string(n_incidents)}};
    r.raster.title = with_filters("Incident density (incidents per " + density::units_name(kp.units) + ", " + density::kernel_name(kp.kernel) +
                                      " kernel, bandwidth " + text::number(kp.bandwidth_m) + " m)",
                                  in);
    r.raster.abstract = "Kernel density estimate of " + std::to_string(n_incidents) + " incidents on " + text::number(p.cell_m) + " m cells, in incidents per " +
                        density::units_name(kp.units) + (p.edge_correct ? ", edge-corrected at the study area's border" : "") +
                        (kp.mask ? "; cells outside the districts are nodata" : "") +
                        (p.min_count > 0 ? "; cells with 1 to " + std::to_string(p.min_count - 1) + " incidents within " +
                                               text::number(count_radius(kp)) + " m are nodata (disclosure control)"
                                         : "") +
                        (in.filters.empty() ? "" : "; incidents: " + in.filters) + ".";
    r.raster.qml = report::raster_qml(r.raster, "incidents per " + density::units_name(kp.units));
    if (p.isobands) r.isobands = isoband_layer(p, v, g, kp, has_nodata, in, log);
    return r;
}

} // namespace hotmap::pipeline
