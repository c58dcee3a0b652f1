// SPDX-License-Identifier: MIT
// The evaluate pipeline: the study area's cells, training and test counts, the rankings, the
// scores, and the tables.
#include "hotmap/pipeline/evaluate.hpp"

#include "hotmap/density/bandwidth.hpp"
#include "hotmap/density/kde.hpp"
#include "hotmap/error.hpp"
#include "hotmap/grid/binning.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/stats/getis_ord.hpp"
#include "hotmap/stats/weights.hpp"
#include "hotmap/text.hpp"
#include "hotmap/timeparse.hpp"

#include <algorithm>
#include <cmath>

namespace hotmap::pipeline {
namespace {

std::string time_span(const IncidentSet& s)
{
    const auto range = s.time_range();
    if (!range) return "no incident has a time";
    return "the incidents' times run from " + timeparse::format(range->first) + " to " + timeparse::format(range->second);
}

io::VectorLayer score_table(const std::string& name, const std::vector<MethodScores>& methods, bool curve)
{
    io::VectorLayer t;
    t.name = name;
    t.kind = io::GeomKind::none;
    t.add_field("method", io::FieldType::string);
    t.add_field("area_share_pct", io::FieldType::real);
    for (const char* f : {"hit_rate_pct", "pai", "pei", "rri"}) t.add_field(f, io::FieldType::real);
    t.add_field("cells", io::FieldType::integer);
    t.add_field("area_pct", io::FieldType::real);
    for (const char* f : {"hits", "best_hits", "train_hits"}) t.add_field(f, io::FieldType::integer);
    for (const MethodScores& m : methods)
        for (const spacetime::ShareScore& s : curve ? m.curve : m.shares)
            t.rows.push_back({rank_method_name(m.method), s.share_pct, s.hit_rate_pct, io::number(s.pai), io::number(s.pei),
                              io::number(s.rri), static_cast<std::int64_t>(s.cells), s.area_pct, static_cast<std::int64_t>(s.hits),
                              static_cast<std::int64_t>(s.best_hits), static_cast<std::int64_t>(s.train_hits)});
    return t;
}

} // namespace

RankMethod parse_rank_method(const std::string& s)
{
    if (s == "density") return RankMethod::density;
    if (s == "gistar") return RankMethod::gistar;
    throw ParameterError("--by '" + s + "': expected density or gistar");
}

std::string rank_method_name(RankMethod m) { return m == RankMethod::gistar ? "gistar" : "density"; }

EvaluateResult evaluate_predictions(const EvaluateParams& p, const Inputs& in, Log& log)
{
    if (spacetime::overlaps(p.train, p.test))
        throw ParameterError("--train " + spacetime::describe(p.train) + " and --test " + spacetime::describe(p.test) +
                             " overlap: the two windows must be disjoint");
    if (!in.incidents.has_time) throw ParameterError("evaluate needs a time column (--time)");
    if (p.methods.empty()) throw ParameterError("--by: no method");
    if (p.shares.empty()) throw ParameterError("--shares: no share");
    for (double s : p.shares) (void)spacetime::cells_for_share(s, 1); // throws for a share outside (0, 100]
    if (in.incidents.has_weight) log.warning("--weight is not used: evaluate counts incidents, not weights");

    // the training and test incidents, as unit-weight incidents (the KDE counts them)
    std::vector<Incident> train, test;
    std::uint64_t no_time = 0;
    for (const Incident& it : in.incidents.items) {
        if (it.time == k_no_time) ++no_time;
        Incident c = it;
        c.weight = 1;
        if (p.train.contains(it.time)) train.push_back(c);
        else if (p.test.contains(it.time)) test.push_back(c);
    }
    log.info("windows: train " + spacetime::describe(p.train) + ": " + std::to_string(train.size()) + " incident(s); test " +
             spacetime::describe(p.test) + ": " + std::to_string(test.size()) + " incident(s); without time: " + std::to_string(no_time));
    if (no_time > 0) log.warning(std::to_string(no_time) + " incident(s) have no time: they are in neither window");
    const auto empty = [&](const char* option, const spacetime::Window& w) {
        return InputError(std::string(option) + " " + spacetime::describe(w) + ": no incident in this window (" + time_span(in.incidents) + ")");
    };
    if (train.empty()) throw empty("--train", p.train);
    if (test.empty()) throw empty("--test", p.test);

    std::string from = "--extent";
    const Extent e = p.extent ? *p.extent : in.study_extent(&from);
    if (e.empty()) throw InputError(in.incidents.source + ": no incident accepted and no districts: no extent for the grid");
    const grid::Lattice lat = grid::make_lattice(e, p.cell_m, grid::Shape::square, in.has_districts() ? &in.districts.polygons : nullptr,
                                                 in.threads, 200);
    const std::size_t n = lat.size();
    if (n == 0) throw InputError("evaluate: no cell of " + text::number(p.cell_m, 6) + " m has its centre in a district");
    const auto count = [&](const std::vector<Incident>& items, std::uint64_t& outside) {
        std::vector<std::int64_t> where(items.size(), -1);
        parallel::for_each(items.size(), 65536, in.threads, [&](std::size_t i) { where[i] = lat.find(items[i].x, items[i].y); });
        std::vector<std::uint64_t> c(n, 0);
        outside = 0;
        for (std::int64_t k : where) {
            if (k < 0) ++outside;
            else ++c[static_cast<std::size_t>(k)];
        }
        return c;
    };
    std::uint64_t out_train = 0, out_test = 0;
    const std::vector<std::uint64_t> c_train = count(train, out_train), c_test = count(test, out_test);
    EvaluateResult r;
    r.cells = n;
    r.n_train = train.size() - out_train;
    r.n_test = test.size() - out_test;
    log.info("grid: square cells of " + text::number(p.cell_m, 6) + " m, origin (" + text::number(lat.spec.x0) + ", " +
             text::number(lat.spec.y0) + "), " + std::to_string(lat.spec.ncol) + " x " + std::to_string(lat.spec.nrow) + " (extent from " +
             from + "); " + std::to_string(n) + " study-area cells" + (in.has_districts() ? " (centre inside a district)" : "") +
             "; incidents outside them: train " + std::to_string(out_train) + ", test " + std::to_string(out_test));
    if (r.n_train == 0) throw InputError("--train " + spacetime::describe(p.train) + ": none of the window's incidents lies in the study area");
    if (r.n_test == 0) throw InputError("--test " + spacetime::describe(p.test) + ": none of the window's incidents lies in the study area");

    std::vector<double> shares = p.shares;
    std::sort(shares.begin(), shares.end());
    const std::vector<double> tiebreak(c_train.begin(), c_train.end());
    for (RankMethod m : p.methods) {
        MethodScores ms;
        ms.method = m;
        std::vector<double> score(n, 0.0);
        if (m == RankMethod::density) {
            density::KdeParams kp;
            kp.kernel = p.kernel;
            kp.threads = in.threads;
            if (p.bandwidth_m) {
                kp.bandwidth_m = *p.bandwidth_m;
                ms.setting = "bandwidth " + text::number(kp.bandwidth_m, 6) + " m";
            } else {
                const density::BandwidthRule br = density::auto_bandwidth(train, false);
                kp.bandwidth_m = br.bandwidth;
                ms.setting = "bandwidth " + text::number(kp.bandwidth_m, 6) + " m (auto, ArcGIS rule on the training incidents)";
            }
            ms.setting += ", kernel " + density::kernel_name(kp.kernel);
            const std::vector<double> v = density::estimate(train, lat.spec, kp);
            for (std::size_t k = 0; k < n; ++k) score[k] = v[lat.cells[k]];
        } else {
            const std::vector<double> x(c_train.begin(), c_train.end());
            if (std::all_of(x.begin(), x.end(), [&](double v) { return v == x.front(); }))
                throw InputError("--by gistar: every cell has " + text::number(x.front()) +
                                 " training incident(s): Gi* is undefined for a constant count");
            double band = 0;
            if (p.distance_m) {
                band = *p.distance_m;
                ms.setting = "distance band " + text::number(band, 6) + " m";
            } else {
                band = stats::auto_distance(lat.centres, x, in.threads);
                ms.setting = "distance band " + text::number(band, 6) + " m (auto)";
            }
            const stats::Weights w = stats::distance_band(lat.centres, band, in.threads);
            stats::GiOptions o;
            o.fdr = false;
            o.threads = in.threads;
            score = stats::getis_ord_gistar(x, w, o).z;
        }
        log.info(rank_method_name(m) + ": " + ms.setting);
        const std::vector<std::size_t> order = spacetime::rank_cells(score, tiebreak);
        ms.shares = spacetime::score_shares(order, c_train, c_test, shares);
        if (p.curve) ms.curve = spacetime::score_shares(order, c_train, c_test, spacetime::curve_shares());
        for (const spacetime::ShareScore& s : ms.shares)
            log.info(rank_method_name(m) + " " + text::number(s.share_pct, 6) + "% (" + std::to_string(s.cells) + " cells): hit rate " +
                     text::fixed(s.hit_rate_pct, 2) + "%, PAI " + text::fixed(s.pai, 3) + ", PEI " + text::fixed(s.pei, 3) + ", RRI " +
                     text::fixed(s.rri, 3));
        r.methods.push_back(std::move(ms));
    }
    r.table = score_table("evaluate", r.methods, false);
    if (p.curve) r.curve = score_table("curve", r.methods, true);
    std::string meta = "hotmap evaluate --train " + spacetime::describe(p.train) + " --test " + spacetime::describe(p.test) + " on " +
                       std::to_string(n) + " square cells of " + text::number(p.cell_m, 6) + " m; N_train " + std::to_string(r.n_train) +
                       ", N_test " + std::to_string(r.n_test);
    for (const MethodScores& m : r.methods) meta += "; " + rank_method_name(m.method) + ": " + m.setting;
    r.table.metadata = meta;
    r.curve.metadata = meta;
    r.table.title = with_filters("Forecast scores, trained " + spacetime::describe(p.train) + ", tested " + spacetime::describe(p.test), in);
    r.curve.title = with_filters("Hit-rate curves, trained " + spacetime::describe(p.train) + ", tested " + spacetime::describe(p.test), in);
    r.table.abstract = r.curve.abstract = "How well each ranking method's top cells capture the test period's incidents (hit rate, PAI, PEI, RRI).";
    return r;
}

} // namespace hotmap::pipeline
