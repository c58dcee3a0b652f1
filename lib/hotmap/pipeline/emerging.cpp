// SPDX-License-Identifier: MIT
// The emerging pipeline: locations, steps, the cube, weights, the analysis and the layers.
#include "hotmap/pipeline/emerging.hpp"

#include "hotmap/privacy/publish.hpp"

#include "hotmap/error.hpp"
#include "hotmap/report/qml.hpp"
#include "hotmap/text.hpp"
#include "hotmap/timeparse.hpp"

#include <algorithm>
#include <cmath>

namespace hotmap::pipeline {
namespace {

/// Colours and labels of the 17 patterns (hot reds, cold blues; the historical ones darker and
/// greyed, the sporadic and oscillating ones pale).
std::string pattern_qml(const std::string& field)
{
    const report::Rgba hot[8] = {{252, 146, 114, 255}, {251, 106, 74, 255},  {165, 15, 21, 255},   {222, 45, 38, 255},
                                 {252, 187, 161, 255}, {254, 224, 210, 255}, {231, 138, 195, 255}, {140, 81, 10, 255}};
    const report::Rgba cold[8] = {{158, 202, 225, 255}, {107, 174, 214, 255}, {8, 48, 107, 255},    {33, 113, 181, 255},
                                  {198, 219, 239, 255}, {222, 235, 247, 255}, {158, 154, 200, 255}, {1, 102, 94, 255}};
    std::vector<report::Category> cats;
    for (int c = 1; c <= 8; ++c) cats.push_back({std::to_string(c), spacetime::pattern_name(c), hot[c - 1]});
    for (int c = 1; c <= 8; ++c) cats.push_back({std::to_string(-c), spacetime::pattern_name(-c), cold[c - 1]});
    cats.push_back({"0", spacetime::pattern_name(0), {240, 240, 240, 120}});
    return report::categorized_qml(field, io::GeomKind::polygon, cats);
}

std::string bin_qml()
{
    const auto col = report::ramp("RdBu", 7);
    const char* labels[7] = {"Cold spot, 99% confidence", "Cold spot, 95% confidence", "Cold spot, 90% confidence", "Not significant",
                             "Hot spot, 90% confidence",  "Hot spot, 95% confidence",  "Hot spot, 99% confidence"};
    std::vector<report::Category> cats;
    for (int b = -3; b <= 3; ++b) {
        report::Rgba c = col[static_cast<std::size_t>(b + 3)];
        if (b == 0) c = {230, 230, 230, 255};
        cats.push_back({std::to_string(b), labels[b + 3], c});
    }
    return report::with_temporal(report::categorized_qml("Gi_Bin", io::GeomKind::polygon, cats), "step_start", "step_end");
}

std::string days(std::int64_t s)
{
    return text::number(static_cast<double>(s) / 86400.0, 4) + " day(s)";
}

} // namespace

EmergingResult emerging_hotspots(const EmergingParams& p, const Inputs& in, Log& log)
{
    if (!in.incidents.has_time) throw InputError(in.incidents.source + ": no time column: emerging hot spots need a timestamp per incident");
    EmergingResult r;
    // the incidents with a time; the span and the steps
    // (read in batches: a first pass, with the extent of a grid without districts)
    std::size_t no_time = 0;
    Timestamp first = 0, last = 0;
    bool any = false;
    Extent read_extent;
    for_each_part(
        in,
        [&](const IncidentSet& part) {
            for (const Incident& it : part.items) {
                if (it.time == k_no_time) {
                    ++no_time;
                    continue;
                }
                first = any ? std::min(first, it.time) : it.time;
                last = any ? std::max(last, it.time) : it.time;
                any = true;
            }
            if (in.streamed) read_extent.expand(part.extent());
        },
        nullptr);
    if (!any) throw InputError(in.incidents.source + ": no incident with a time: nothing to cut into steps");
    if (no_time) log.warning(std::to_string(no_time) + " incident(s) without a time are left out of the cube");
    r.steps = spacetime::make_steps(p.step, first, last, p.from, p.to, p.drop_partial);
    const spacetime::Steps& st = r.steps;
    const std::size_t T = st.size();
    const auto span = [&](std::size_t t) { return st.start[t + 1] - st.start[t]; };
    if (st.first_partial)
        log.warning("the first step, " + st.label(0) + ", is partial: the data start " + timeparse::format(st.covered_from) + ", " +
                    days(st.start[1] - st.covered_from) + " of its " + days(span(0)) + " (--drop-partial leaves it out)");
    if (st.last_partial)
        log.warning("the last step, " + st.label(T - 1) + ", is partial: the data end " + timeparse::format(st.covered_to) + ", " +
                    days(st.covered_to - st.start[T - 1]) + " of its " + days(span(T - 1)) + " (--drop-partial leaves it out)");
    if (st.dropped) log.info(std::to_string(st.dropped) + " partial step(s) left out (--drop-partial)");
    if (T < 10)
        log.warning(std::to_string(T) + " time steps: the patterns' 90% rule and the trend test need many steps (10 or more is advised)");

    // locations: grid cells (inside the districts, or with an incident) or the districts
    io::VectorLayer& L = r.layer;
    L.name = "emerging";
    L.kind = io::GeomKind::polygon;
    L.crs = in.working;
    // the cube, filled from the incidents in their order (no per-record copy: 8 B an incident
    // for the grid cells beside the rows)
    spacetime::Cube cube;
    const bool weighted = in.incidents.has_weight;
    std::vector<Point> centres;
    std::vector<std::vector<std::vector<Point>>> rings;
    std::vector<std::string> wkb;
    std::vector<std::vector<io::Value>> head; // the location's own fields
    if (!p.on_districts) {
        const Extent e = in.streamed && !in.has_districts() ? read_extent : in.study_extent();
        if (e.empty()) throw InputError(in.incidents.source + ": no incident accepted: no extent for the grid");
        const grid::Lattice lat = grid::make_lattice(e, p.cell_m, p.shape, in.has_districts() ? &in.districts.polygons : nullptr,
                                                     in.threads, 16 * T + 600);
        // the cube over every cell of the lattice, in the incidents' order; an incident in no
        // cell is in no location, one outside the steps is counted per cell (its cell may hold
        // nothing else, and is then no location either)
        spacetime::Cube all = spacetime::empty_cube(lat.size(), st);
        std::vector<std::uint32_t> outside(lat.size(), 0);
        for_each_part(
            in,
            [&](const IncidentSet& part) {
                for (const Incident& it : part.items) {
                    if (it.time == k_no_time) continue;
                    const std::int64_t c = lat.find(it.x, it.y);
                    if (c >= 0 && st.index(it.time) < 0) ++outside[static_cast<std::size_t>(c)];
                    else spacetime::add_to_cube(all, c, it.time, it.weight, weighted, st);
                }
            },
            &log);
        // without districts, the locations are the cells with at least one incident in the steps
        std::vector<std::int64_t> keep(lat.size(), -1);
        std::size_t kept = 0;
        for (std::size_t k = 0; k < lat.size(); ++k) {
            std::uint64_t n = 0;
            for (std::size_t t = 0; t < T; ++t) n += all.count[k * T + t];
            if (in.has_districts() || n > 0) keep[k] = static_cast<std::int64_t>(kept++);
        }
        cube = spacetime::empty_cube(kept, st);
        cube.no_location = all.no_location;
        for (std::size_t k = 0; k < lat.size(); ++k) {
            if (keep[k] < 0) {
                cube.no_location += outside[k];
                continue;
            }
            cube.outside_steps += outside[k];
            const auto to = static_cast<std::size_t>(keep[k]) * T;
            std::copy_n(all.value.begin() + static_cast<std::ptrdiff_t>(k * T), T, cube.value.begin() + static_cast<std::ptrdiff_t>(to));
            std::copy_n(all.count.begin() + static_cast<std::ptrdiff_t>(k * T), T, cube.count.begin() + static_cast<std::ptrdiff_t>(to));
        }
        for (std::size_t k = 0; k < lat.size(); ++k) {
            if (keep[k] < 0) continue;
            const std::size_t id = lat.cells[k];
            centres.push_back(lat.centres[k]);
            wkb.push_back(grid::cell_wkb(lat, k));
            head.push_back({static_cast<std::int64_t>(id), static_cast<std::int64_t>(lat.spec.row_of(id)), static_cast<std::int64_t>(lat.spec.col_of(id)),
                            lat.district[k] >= 0 ? io::Value(in.districts.name(static_cast<std::size_t>(lat.district[k]))) : io::Value()});
        }
        L.add_field("LOCATION", io::FieldType::integer);
        L.add_field("row", io::FieldType::integer);
        L.add_field("col", io::FieldType::integer);
        L.add_field("district", io::FieldType::string);
        log.info("grid: " + std::string(p.shape == grid::Shape::hex ? "hex" : "square") + " cells of " + text::number(p.cell_m, 6) + " m, " +
                 std::to_string(centres.size()) + " locations" + (in.has_districts() ? " inside the districts" : " with at least one incident"));
    } else {
        if (!in.has_districts()) throw ParameterError("--on districts needs --districts PATH");
        // closed polygons: an incident on a shared boundary counts in each district (as `hotmap districts`)
        cube = spacetime::empty_cube(in.districts.size(), st);
        for_each_part(
            in,
            [&](const IncidentSet& part) {
                const std::vector<Incident>& items = part.items;
                const geom::Containment a = in.districts.polygons.containing(items, in.threads);
                for (std::size_t i = 0; i < items.size(); ++i) {
                    if (items[i].time == k_no_time) continue;
                    if (a.start[i] == a.start[i + 1]) spacetime::add_to_cube(cube, -1, items[i].time, items[i].weight, weighted, st);
                    for (std::uint32_t k = a.start[i]; k < a.start[i + 1]; ++k)
                        spacetime::add_to_cube(cube, a.ids[k], items[i].time, items[i].weight, weighted, st);
                }
            },
            &log);
        for (std::size_t d = 0; d < in.districts.size(); ++d) {
            centres.push_back(in.districts.geometry(d).centroid());
            rings.push_back(in.districts.geometry(d).rings());
            wkb.push_back(in.districts.geometry(d).to_wkb());
            head.push_back({in.districts.name(d)});
        }
        L.add_field("LOCATION", io::FieldType::string);
    }
    const std::size_t NL = centres.size();
    r.locations = NL;
    if (NL < 3) throw InputError("emerging: " + std::to_string(NL) + " location(s); at least 3 are needed");
    if (cube.no_location) log.info(std::to_string(cube.no_location) + " incident(s) lie in no analysed location");
    if (cube.outside_steps) log.info(std::to_string(cube.outside_steps) + " incident(s) fall outside the steps (--from/--to, --drop-partial)");
    log.info("cube: " + std::to_string(NL) + " locations x " + std::to_string(T) + " steps (" + st.label(0) + " to " + st.label(T - 1) +
             ") = " + std::to_string(NL * T) + " bins");

    // spatial weights of the locations
    std::vector<double> total(NL, 0.0);
    for (std::size_t l = 0; l < NL; ++l)
        for (std::size_t t = 0; t < T; ++t) total[l] += cube.at(l, t);
    const stats::Weights w = spatial_weights(p, p.on_districts, centres, rings, total, in.threads, r.weights);
    r.weights += "; time: this and " + std::to_string(p.time_neighbors) + " previous step(s)";
    std::size_t isolated = 0;
    for (std::size_t l = 0; l < NL; ++l) isolated += w.count(l) == 0;
    log.info("weights: " + r.weights + "; " + std::to_string(w.links()) + " spatial links; " + std::to_string(isolated) +
             " location(s) without a spatial neighbour");

    spacetime::EmergingOptions eo;
    eo.time_neighbors = p.time_neighbors;
    eo.fdr = p.fdr;
    eo.threads = in.threads;
    const spacetime::Emerging em = spacetime::emerging_hotspots(cube.value, NL, T, w, eo);
    r.patterns = em.pattern_counts;

    // the locations layer
    for (const char* f : {"count"}) L.add_field(f, io::FieldType::integer);
    if (in.incidents.has_weight) L.add_field("weight", io::FieldType::real);
    L.add_field("CATEGORY", io::FieldType::integer);
    L.add_field("PATTERN", io::FieldType::string);
    L.add_field("MK_TAU", io::FieldType::real);
    L.add_field("MK_Z", io::FieldType::real);
    L.add_field("MK_P", io::FieldType::real);
    L.add_field("HOT_STEPS", io::FieldType::integer);
    L.add_field("COLD_STEPS", io::FieldType::integer);
    L.add_field("STEPS", io::FieldType::integer);
    const bool shp = p.shapefile_nulls;
    const auto num = [shp](double v, double dflt) { return std::isfinite(v) ? io::Value(v) : (shp ? io::Value(dflt) : io::Value()); };
    for (std::size_t l = 0; l < NL; ++l) {
        std::vector<io::Value> v = head[l];
        std::int64_t n = 0;
        double wsum = 0;
        for (std::size_t t = 0; t < T; ++t) n += cube.count[l * T + t], wsum += cube.at(l, t);
        v.emplace_back(n);
        if (in.incidents.has_weight) v.emplace_back(wsum);
        const stats::MannKendall& mk = em.trend[l];
        v.emplace_back(static_cast<std::int64_t>(em.category[l]));
        v.emplace_back(spacetime::pattern_name(em.category[l]));
        v.push_back(num(mk.valid ? mk.tau : NAN, 0));
        v.push_back(num(mk.valid ? mk.z : NAN, 0));
        v.push_back(num(mk.valid ? mk.p : NAN, 1));
        v.emplace_back(static_cast<std::int64_t>(em.hot_steps[l]));
        v.emplace_back(static_cast<std::int64_t>(em.cold_steps[l]));
        v.emplace_back(static_cast<std::int64_t>(T));
        L.rows.push_back(std::move(v));
        L.wkb.push_back(wkb[l]);
    }
    L.qml = pattern_qml("CATEGORY");
    std::string counts;
    for (int c = 8; c >= -8; --c) {
        const std::size_t k = em.pattern_counts[static_cast<std::size_t>(c + 8)];
        if (k) counts += (counts.empty() ? "" : ", ") + spacetime::pattern_name(c) + " " + std::to_string(k);
    }
    r.summary = "patterns over " + std::to_string(NL) + " locations and " + std::to_string(T) + " steps: " + counts;
    log.info(r.summary);
    L.metadata = "hotmap emerging --on " + std::string(p.on_districts ? "districts" : "grid") + "; steps " + st.label(0) + " to " +
                 st.label(T - 1) + " (" + std::to_string(T) + ")" + (st.last_partial ? ", the last partial" : "") + "; weights: " + r.weights +
                 "; " + (p.fdr ? "FDR" : "no FDR") + "; " + r.summary;
    if (p.on_districts) L.qml = report::with_labels(L.qml, "LOCATION"); // the district name
    L.title = with_filters("Emerging hot spot patterns per " + std::string(p.on_districts ? "district" : "grid cell") + ", " + st.label(0) + " to " +
                               st.label(T - 1),
                           in);
    L.abstract = "CATEGORY: the emerging hot spot pattern of each location over " + std::to_string(T) +
                 " time steps (Gi* per step and a Mann-Kendall trend); " + r.summary + (in.filters.empty() ? "" : "; incidents: " + in.filters) + ".";

    if (p.min_count) {
        if (p.cube) throw ParameterError("--min-count: the cube holds a count per location and step; publish the locations layer only");
        log.info(privacy::suppress_layer(L, p.on_districts ? privacy::LayerKind::counts : privacy::LayerKind::grid, p.min_count).text);
    }

    // the cube: one feature per location and step, for QGIS's temporal controller
    if (p.cube) {
        io::VectorLayer& C = r.cube;
        C.name = "cube";
        C.kind = io::GeomKind::polygon;
        C.crs = in.working;
        C.add_field("LOCATION", p.on_districts ? io::FieldType::string : io::FieldType::integer);
        C.add_field("step", io::FieldType::integer);
        C.add_field("label", io::FieldType::string);
        C.add_field("step_start", io::FieldType::datetime);
        C.add_field("step_end", io::FieldType::datetime);
        C.add_field("count", io::FieldType::integer);
        if (in.incidents.has_weight) C.add_field("weight", io::FieldType::real);
        C.add_field("GiZScore", io::FieldType::real);
        C.add_field("GiPValue", io::FieldType::real);
        C.add_field("Gi_Bin", io::FieldType::integer);
        C.rows.reserve(NL * T);
        for (std::size_t l = 0; l < NL; ++l)
            for (std::size_t t = 0; t < T; ++t) {
                const std::size_t b = l * T + t;
                std::vector<io::Value> v{head[l][0], static_cast<std::int64_t>(t + 1), st.label(t), static_cast<std::int64_t>(st.start[t]),
                                         static_cast<std::int64_t>(st.start[t + 1]), static_cast<std::int64_t>(cube.count[b])};
                if (in.incidents.has_weight) v.emplace_back(cube.value[b]);
                v.push_back(num(em.bins.z[b], 0));
                v.push_back(num(em.bins.p[b], 1));
                v.emplace_back(static_cast<std::int64_t>(em.bins.bin[b]));
                C.rows.push_back(std::move(v));
                C.wkb.push_back(wkb[l]);
            }
        C.qml = bin_qml();
        C.metadata = "hotmap emerging space-time cube: Gi* per location and step; " + L.metadata;
        C.title = with_filters("Hot and cold spots (Gi*) per " + std::string(p.on_districts ? "district" : "grid cell") + " and time step", in);
        C.abstract = "One feature per location and step (step_start to step_end, for the temporal controller); Gi_Bin -3..3 = cold "
                     "to hot spot at 99/95/90% confidence.";
    }
    return r;
}

} // namespace hotmap::pipeline
