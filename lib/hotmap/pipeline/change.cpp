// SPDX-License-Identifier: MIT
// The change pipeline: units, counts per window, the tests, and the styled layer.
#include "hotmap/pipeline/change.hpp"

#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/privacy/publish.hpp"
#include "hotmap/report/qml.hpp"
#include "hotmap/text.hpp"
#include "hotmap/timeparse.hpp"

#include <cmath>

namespace hotmap::pipeline {
namespace {

/// Which window each incident falls in: 0 before, 1 after, -1 neither.
std::vector<std::int8_t> window_of(const std::vector<Incident>& items, const ChangeParams& p, ChangeResult& r,
                                   std::uint64_t& n_before, std::uint64_t& n_after)
{
    std::vector<std::int8_t> w(items.size(), -1);
    n_before = n_after = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const Timestamp t = items[i].time;
        if (t == k_no_time) {
            ++r.no_time;
        } else if (p.before.contains(t)) {
            w[i] = 0;
            ++n_before;
        } else if (p.after.contains(t)) {
            w[i] = 1;
            ++n_after;
        } else {
            ++r.elsewhere;
        }
    }
    return w;
}

std::string time_span(const IncidentSet& s)
{
    const auto range = s.time_range();
    if (!range) return "no incident has a time";
    return "the incidents' times run from " + timeparse::format(range->first) + " to " + timeparse::format(range->second);
}

} // namespace

ChangeResult compare_periods(const ChangeParams& p, const Inputs& in, Log& log)
{
    if (spacetime::overlaps(p.before, p.after))
        throw ParameterError("--before " + spacetime::describe(p.before) + " and --after " + spacetime::describe(p.after) +
                             " overlap: the two windows must be disjoint");
    if (!in.incidents.has_time) throw ParameterError("change needs a time column (--time)");
    if (p.on_districts && !in.has_districts()) throw ParameterError("--on districts needs --districts PATH");
    if (in.incidents.has_weight) log.warning("--weight is not used: change tests counts of incidents, not weights");

    ChangeResult r;
    const auto& items = in.incidents.items;
    std::uint64_t nb = 0, na = 0;
    const std::vector<std::int8_t> win = window_of(items, p, r, nb, na);
    log.info("windows: before " + spacetime::describe(p.before) + ": " + std::to_string(nb) + " incident(s); after " +
             spacetime::describe(p.after) + ": " + std::to_string(na) + " incident(s); in neither: " + std::to_string(r.elsewhere) +
             "; without time: " + std::to_string(r.no_time));
    if (r.no_time > 0)
        log.warning(std::to_string(r.no_time) + " incident(s) have no time: they are in neither window");
    const auto empty = [&](const char* option, const spacetime::Window& w) {
        return InputError(std::string(option) + " " + spacetime::describe(w) + ": no incident in this window (" + time_span(in.incidents) + ")");
    };
    if (nb == 0) throw empty("--before", p.before);
    if (na == 0) throw empty("--after", p.after);

    std::vector<std::uint64_t> before, after;
    std::uint64_t tb = 0, ta = 0; // incidents of each window in at least one unit, counted once
    io::VectorLayer& layer = r.layer;
    layer.name = "change";
    layer.kind = io::GeomKind::polygon;
    layer.crs = in.working;
    std::string units;
    if (!p.on_districts) {
        std::string from = "--extent";
        const Extent e = p.extent ? *p.extent : in.study_extent(&from);
        if (e.empty()) throw InputError(in.incidents.source + ": no incident accepted and no districts: no extent for the grid");
        const grid::Lattice lat = grid::make_lattice(e, p.cell_m, p.shape, in.has_districts() ? &in.districts.polygons : nullptr,
                                                     in.threads, 600);
        std::vector<std::int64_t> where(items.size(), -1);
        parallel::for_each(items.size(), 65536, in.threads, [&](std::size_t i) {
            if (win[i] >= 0) where[i] = lat.find(items[i].x, items[i].y);
        });
        before.assign(lat.size(), 0);
        after.assign(lat.size(), 0);
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (win[i] < 0) continue;
            if (where[i] < 0) {
                ++r.outside;
                continue;
            }
            const auto k = static_cast<std::size_t>(where[i]);
            if (win[i] == 0) ++before[k], ++tb;
            else ++after[k], ++ta;
        }
        units = std::string(p.shape == grid::Shape::hex ? "hex" : "square") + " cells of " + text::number(p.cell_m, 6) + " m";
        log.info("grid: " + units + ", origin (" + text::number(lat.spec.x0) + ", " + text::number(lat.spec.y0) + "), " +
                 std::to_string(lat.spec.ncol) + " x " + std::to_string(lat.spec.nrow) + " (extent from " + from + "); " +
                 std::to_string(lat.size()) + " cells kept" + (in.has_districts() ? " (centre inside a district)" : "") +
                 "; incidents of the windows outside them: " + std::to_string(r.outside));
        for (const char* f : {"cell_id", "row", "col"}) layer.add_field(f, io::FieldType::integer);
        layer.add_field("district", io::FieldType::string);
        for (std::size_t k = 0; k < lat.size(); ++k) {
            const std::size_t id = lat.cells[k];
            layer.rows.push_back({static_cast<std::int64_t>(id), static_cast<std::int64_t>(lat.spec.row_of(id)),
                                  static_cast<std::int64_t>(lat.spec.col_of(id)),
                                  lat.district[k] >= 0 ? io::Value(in.districts.name(static_cast<std::size_t>(lat.district[k])))
                                                       : io::Value()});
            layer.wkb.push_back(grid::cell_wkb(lat, k));
        }
    } else {
        const districts::Assignment a = districts::assign(in.districts, items, in.threads);
        before.assign(in.districts.size(), 0);
        after.assign(in.districts.size(), 0);
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (win[i] < 0) continue;
            if (a.start[i] == a.start[i + 1]) {
                ++r.outside;
                continue;
            }
            (win[i] == 0 ? tb : ta) += 1;
            for (std::uint32_t j = a.start[i]; j < a.start[i + 1]; ++j) {
                const auto d = static_cast<std::size_t>(a.ids[j]);
                ++(win[i] == 0 ? before : after)[d];
            }
        }
        units = "districts";
        log.info("districts: " + std::to_string(in.districts.size()) + "; incidents of the windows outside every district: " +
                 std::to_string(r.outside));
        if (r.outside > 0) log.warning(std::to_string(r.outside) + " incident(s) of the two windows lie outside every district");
        layer.add_field("district", io::FieldType::string);
        for (std::size_t d = 0; d < in.districts.size(); ++d) {
            layer.rows.push_back({in.districts.name(d)});
            layer.wkb.push_back(in.districts.geometry(d).to_wkb());
        }
    }
    r.units = before.size();
    if (tb == 0) throw InputError("--before " + spacetime::describe(p.before) + ": none of the window's " + std::to_string(nb) +
                                  " incident(s) lies in the study area");
    if (ta == 0) throw InputError("--after " + spacetime::describe(p.after) + ": none of the window's " + std::to_string(na) +
                                  " incident(s) lies in the study area");

    spacetime::ChangeOptions o;
    o.fdr = p.fdr;
    o.total_before = tb;
    o.total_after = ta;
    o.threads = in.threads;
    r.change = spacetime::compare_counts(before, after, o);
    const spacetime::Change& c = r.change;

    for (const char* f : {"n_before", "n_after", "diff"}) layer.add_field(f, io::FieldType::integer);
    layer.add_field("ratio", io::FieldType::real);
    layer.add_field("p_change", io::FieldType::real);
    layer.add_field("change_bin", io::FieldType::integer);
    for (std::size_t k = 0; k < r.units; ++k) {
        auto& v = layer.rows[k];
        v.insert(v.end(), {static_cast<std::int64_t>(before[k]), static_cast<std::int64_t>(after[k]), c.diff[k], io::number(c.ratio[k]),
                           std::isfinite(c.p[k]) ? io::Value(c.p[k]) : (p.shapefile_nulls ? io::Value(1.0) : io::Value()),
                           static_cast<std::int64_t>(c.bin[k])});
    }
    std::string counts;
    for (std::size_t b : c.bins) counts += (counts.empty() ? "" : " ") + std::to_string(b);
    r.summary = "N_before = " + std::to_string(c.total_before) + ", N_after = " + std::to_string(c.total_after) +
                ", overall split p0 = N_after/(N_before+N_after) = " + text::number(c.p0, 6) + "; change_bin counts (-3..3): " + counts +
                (p.fdr ? " (FDR)" : " (no FDR)") + "; similarity index S = " + text::number(c.similarity, 6) + " (" +
                std::to_string(c.similar) + " of " + std::to_string(c.tested) +
                " units with incidents show no significant change at 95%)";
    log.info(r.summary);

    const auto col = report::ramp("RdBu", 7);
    const auto& labels = spacetime::change_bin_labels();
    std::vector<report::Category> cats;
    for (int b = -3; b <= 3; ++b) {
        report::Rgba rgba = col[static_cast<std::size_t>(b + 3)];
        if (b == 0) rgba = {230, 230, 230, 255};
        cats.push_back({std::to_string(b), labels[static_cast<std::size_t>(b + 3)], rgba});
    }
    layer.qml = report::categorized_qml("change_bin", io::GeomKind::polygon, cats);
    if (p.on_districts) layer.qml = report::with_labels(layer.qml, "district");
    layer.title = with_filters("Change in incidents from " + spacetime::describe(p.before) + " to " + spacetime::describe(p.after) + " per " +
                                   (p.on_districts ? "district" : "grid cell"),
                               in);
    layer.abstract = "change_bin: -3..3 = significant decrease to increase at 99/95/90% confidence (exact conditional binomial "
                     "test of each unit's split between the two periods), 0 = no significant change" +
                     std::string(in.filters.empty() ? "" : "; incidents: " + in.filters) + ".";
    layer.metadata = "hotmap change --before " + spacetime::describe(p.before) + " --after " + spacetime::describe(p.after) + " on " +
                     units + "; exact conditional binomial test of each unit's split; " + r.summary;
    if (p.min_count) log.info(privacy::suppress_layer(layer, privacy::LayerKind::change, p.min_count).text);
    return r;
}

} // namespace hotmap::pipeline
