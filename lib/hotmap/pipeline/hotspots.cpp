// SPDX-License-Identifier: MIT
// The hotspots pipeline: analysis units, weights, the statistic, and the styled layer.
#include "hotmap/pipeline/hotspots.hpp"

#include "hotmap/pipeline/districts.hpp"
#include "hotmap/pipeline/grid.hpp"

#include "hotmap/pipeline/masking.hpp"
#include "hotmap/privacy/publish.hpp"

#include "hotmap/districts/summary.hpp"
#include "hotmap/error.hpp"
#include "hotmap/text.hpp"
#include "hotmap/report/qml.hpp"
#include "hotmap/stats/dbscan.hpp"
#include "hotmap/stats/getis_ord.hpp"
#include "hotmap/stats/morans_i.hpp"

#include <cmath>
#include <cstdio>
#include <memory>

namespace hotmap::pipeline {
namespace {

/// What the Gi* / local Moran layer's rows are made of, held once per analysis unit (a few
/// numbers per cell) and turned into rows only as they are written (io::RowSource).
struct UnitRows {
    // grid cells: the lattice (ids, centres for the rings, districts) and the counts
    std::shared_ptr<const grid::Lattice> lattice;
    std::vector<double> count, weight;
    std::vector<std::string> district_names;
    // districts: their rows so far (few) and polygons
    std::vector<std::vector<io::Value>> base;
    std::vector<std::string> wkb;
    // the statistic
    bool gistar = true;
    bool shp = false; ///< null z as 0, null p as 1 (Shapefiles have no nulls)
    std::vector<double> z, p, pseudo_p, ii;
    std::vector<std::uint32_t> nn;
    std::vector<int> bin;
    std::vector<std::string> cotype;

    void fill(std::size_t r, std::vector<io::Value>& v, io::FeatureGeometry& g) const
    {
        const auto num = [this](io::Value& out, double x, double dflt) {
            if (std::isfinite(x)) out = x;
            else if (shp) out = dflt;
            else out = std::monostate{};
        };
        std::size_t f = 0;
        if (lattice) {
            const grid::Lattice& lat = *lattice;
            const std::size_t id = lat.cells[r];
            v[f++] = static_cast<std::int64_t>(id);
            v[f++] = static_cast<std::int64_t>(lat.spec.row_of(id));
            v[f++] = static_cast<std::int64_t>(lat.spec.col_of(id));
            v[f++] = static_cast<std::int64_t>(count[r]);
            v[f++] = weight[r];
            if (lat.district[r] >= 0) v[f++] = district_names[static_cast<std::size_t>(lat.district[r])];
            else v[f++] = std::monostate{};
            grid::cell_ring(lat, r, g.set_ring());
        } else {
            for (const io::Value& b : base[r]) v[f++] = b;
            g.kind = io::FeatureGeometry::Kind::wkb;
            g.wkb = wkb[r];
        }
        if (gistar) {
            num(v[f++], z[r], 0);
            num(v[f++], p[r], 1);
            v[f++] = static_cast<std::int64_t>(nn[r]);
            v[f++] = static_cast<std::int64_t>(bin[r]);
            if (!pseudo_p.empty()) num(v[f++], pseudo_p[r], 1);
        } else {
            num(v[f++], ii[r], 0);
            num(v[f++], z[r], 0);
            num(v[f++], p[r], 1);
            if (!pseudo_p.empty()) num(v[f++], pseudo_p[r], 1);
            v[f++] = cotype[r];
            v[f++] = static_cast<std::int64_t>(nn[r]);
        }
    }
};

/// DBSCAN clusters written as convex-hull polygons with size, density and dominant category.
HotspotsResult dbscan_layer(const HotspotsParams& p, const Inputs& in, Log& log)
{
    const auto& items = in.incidents.items;
    std::vector<Point> pts;
    pts.reserve(items.size());
    for (const auto& it : items) pts.push_back({it.x, it.y});
    const stats::Dbscan d = stats::dbscan(pts, p.eps_m, p.min_points, in.threads);
    std::optional<MaskedIncidents> mask;
    if (p.geomask) mask = mask_incidents(in, *p.geomask, log);
    const auto nc = static_cast<std::size_t>(d.clusters);
    std::vector<std::vector<Point>> members(nc);
    std::vector<double> wsum(nc, 0.0);
    const std::size_t ncat = in.incidents.categories.size();
    std::vector<std::vector<std::size_t>> cat(nc, std::vector<std::size_t>(ncat, 0));
    std::size_t noise = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        if (d.label[i] < 0) {
            ++noise;
            continue;
        }
        const auto c = static_cast<std::size_t>(d.label[i]);
        members[c].push_back(mask ? mask->points[i] : pts[i]);
        wsum[c] += items[i].weight;
        const auto k = items[i].category;
        if (k >= 0 && static_cast<std::size_t>(k) < ncat) ++cat[c][static_cast<std::size_t>(k)];
    }
    log.info("dbscan: eps " + text::number(p.eps_m, 6) + " m, min points " + std::to_string(p.min_points) + ": " + std::to_string(nc) +
             " cluster(s), " + std::to_string(noise) + " noise incident(s)");
    HotspotsResult r;
    io::VectorLayer& layer = r.layer;
    layer.name = "clusters";
    layer.kind = io::GeomKind::polygon;
    layer.crs = in.working;
    layer.add_field("cluster_id", io::FieldType::integer);
    layer.add_field("incidents", io::FieldType::integer);
    layer.add_field("weight", io::FieldType::real);
    layer.add_field("area_km2", io::FieldType::real);
    layer.add_field("per_km2", io::FieldType::real);
    layer.add_field("category", io::FieldType::string);
    layer.add_field("cat_share", io::FieldType::real);
    std::size_t dropped = 0;
    for (std::size_t c = 0; c < nc; ++c) {
        if (p.min_count && members[c].size() < p.min_count) { // publication: a small cluster shows where a few incidents are
            ++dropped;
            continue;
        }
        std::vector<geom::Geometry> parts;
        for (const Point& q : members[c]) parts.push_back(geom::Geometry::point(q.x, q.y));
        geom::Geometry hull = geom::Geometry::collect(std::move(parts)).convex_hull();
        if (!(hull.area() > 0)) hull = hull.buffer(p.eps_m / 2, 8); // collinear or coincident members
        const double area_km2 = hull.area() / 1e6;
        io::Value top, share;
        if (ncat > 0) {
            std::size_t best = 0;
            for (std::size_t k = 1; k < ncat; ++k)
                if (cat[c][k] > cat[c][best]) best = k;
            if (cat[c][best] > 0 && !(p.min_count && cat[c][best] < p.min_count)) {
                top = io::Value(in.incidents.categories[best]);
                share = io::Value(static_cast<double>(cat[c][best]) / static_cast<double>(members[c].size()));
            }
        }
        layer.rows.push_back({static_cast<std::int64_t>(c + 1), static_cast<std::int64_t>(members[c].size()), wsum[c], area_km2,
                              io::number(static_cast<double>(members[c].size()) / area_km2), top, share});
        layer.wkb.push_back(hull.to_wkb());
    }
    layer.qml = report::single_qml(io::GeomKind::polygon, {215, 25, 28, 160}, 0,
                                   "incident cluster (DBSCAN, " + std::to_string(p.min_points) + "+ incidents within " + text::number(p.eps_m, 6) + " m)");
    layer.metadata = "hotmap hotspots --method dbscan --eps " + text::number(p.eps_m, 6) + " --min-points " + std::to_string(p.min_points);
    layer.title = with_filters("Incident clusters (DBSCAN, eps " + text::number(p.eps_m, 6) + " m, min " + std::to_string(p.min_points) + " incidents)", in);
    layer.abstract = "Convex hulls of the DBSCAN clusters of incidents; incidents = members, per_km2 = members per km² of the hull" +
                     std::string(in.filters.empty() ? "" : "; incidents: " + in.filters) + ".";
    if (mask) layer.abstract += " Disclosure control: the hulls are drawn around the masked points; " + mask->text + ".";
    if (p.min_count) {
        const std::string t = "--min-count " + std::to_string(p.min_count) + ": " + std::to_string(dropped) + " cluster(s) of fewer than " +
                              std::to_string(p.min_count) + " incidents left out; a top category of fewer than " + std::to_string(p.min_count) +
                              " incidents not named";
        log.info(t);
        layer.abstract += " Disclosure control: " + t + ".";
    }
    return r;
}

} // namespace

HotspotsResult find_hotspots(const HotspotsParams& p, const Inputs& in, Log& log)
{
    if (p.method == HotspotMethod::dbscan) {
        if (in.database) throw ParameterError("--aggregate-in-database: --method dbscan needs the incident points (read without it)");
        if (in.streamed) throw ParameterError("--batch-rows: --method dbscan needs the incident points held together (read without it)");
        return dbscan_layer(p, in, log);
    }
    const bool weighted = in.incidents.has_weight;
    HotspotsResult r;
    io::VectorLayer& layer = r.layer;
    layer.name = "hotspots";
    layer.kind = io::GeomKind::polygon;
    layer.crs = in.working;
    std::vector<double> x;
    std::vector<Point> centres;
    std::vector<std::vector<std::vector<Point>>> rings;
    std::shared_ptr<grid::Lattice> lattice;
    auto rows = std::make_shared<UnitRows>();

    if (in.database && (p.on_districts || p.shape != grid::Shape::square))
        throw ParameterError("--aggregate-in-database: hotspots on the server's counts take square cells (--on grid --shape square)");
    if (!p.on_districts) {
        std::string from;
        const Extent e = grid_extent(in, std::nullopt, from);
        if (e.empty()) throw InputError(io::redact_source(in.incidents.source) + ": no incident accepted: no extent for the grid");
        lattice = std::make_shared<grid::Lattice>(
            grid::make_lattice(e, p.cell_m, p.shape, in.has_districts() ? &in.districts.polygons : nullptr, in.threads, 160));
        const grid::Lattice& lat = *lattice;
        std::vector<std::string> no_categories;
        grid::Counts c = cell_counts(in, lat, false, no_categories, log);
        log.info("grid: " + std::string(p.shape == grid::Shape::hex ? "hex" : "square") + " cells of " + text::number(p.cell_m, 6) + " m, " +
                 std::to_string(lat.size()) + " analysis cells; incidents outside: " + std::to_string(c.outside) + left_out_by_server(in));
        x = weighted ? c.weight : c.count;
        centres = lat.centres;
        for (const char* f : {"cell_id", "row", "col", "count"}) layer.add_field(f, io::FieldType::integer);
        layer.add_field("weight", io::FieldType::real);
        layer.add_field("district", io::FieldType::string);
        // the rows are made as they are written, from the lattice, the counts and the statistic
        rows->count = std::move(c.count);
        rows->weight = std::move(c.weight);
        if (in.has_districts())
            for (std::size_t d = 0; d < in.districts.size(); ++d) rows->district_names.push_back(in.districts.name(d));
    } else {
        if (!in.has_districts()) throw ParameterError("--on districts needs --districts PATH");
        // the districts' own counts: the same rule as `hotmap districts` (closed polygons)
        districts::SummaryParams sp;
        sp.threads = in.threads;
        std::vector<std::string> no_categories;
        const districts::Summary s = district_summary(sp, in, no_categories, log);
        if (s.outside > 0) log.warning(std::to_string(s.outside) + " incident(s) lie outside every district");
        for (const districts::DistrictRow& d : s.rows) x.push_back(weighted ? d.weight : static_cast<double>(d.incidents));
        if (p.rate) {
            for (std::size_t d = 0; d < x.size(); ++d) {
                const double pop = in.districts.population[d];
                if (!(pop > 0))
                    throw InputError("district '" + in.districts.name(d) + "' has no positive '" + p.rate_field + "' for --rate");
                x[d] = x[d] / pop * 1000.0;
            }
        }
        layer.add_field("district", io::FieldType::string);
        layer.add_field("incidents", io::FieldType::integer);
        if (weighted) layer.add_field("weight", io::FieldType::real);
        if (p.rate) {
            layer.add_field("population", io::FieldType::real);
            layer.add_field("per_1k_pop", io::FieldType::real);
        }
        for (std::size_t d = 0; d < in.districts.size(); ++d) {
            std::vector<io::Value> v{in.districts.name(d), static_cast<std::int64_t>(s.rows[d].incidents)};
            if (weighted) v.emplace_back(s.rows[d].weight);
            if (p.rate) {
                v.emplace_back(io::number(in.districts.population[d]));
                v.emplace_back(io::number(x[d]));
            }
            rows->base.push_back(std::move(v));
            rows->wkb.push_back(in.districts.geometry(d).to_wkb());
            centres.push_back(in.districts.geometry(d).centroid());
            rings.push_back(in.districts.geometry(d).rings());
        }
    }
    if (x.size() < 3) throw InputError("hotspots: " + std::to_string(x.size()) + " analysis unit(s); at least 3 are needed");

    const UnitWeights uw = unit_weights(p, p.on_districts, lattice ? &*lattice : nullptr, centres, rings, x, in.threads);
    r.weights = uw.description;
    if (lattice) {
        std::vector<std::int64_t>().swap(lattice->position); // the rows need the cells, their centres and districts only
        rows->lattice = std::move(lattice);
    }
    std::vector<Point>().swap(centres);
    decltype(rings)().swap(rings);
    const UnitWeights& w = uw;
    std::size_t isolated = 0;
    for (std::size_t i = 0; i < w.size(); ++i) isolated += w.count(i) == 0;
    log.info("weights: " + r.weights + "; " + std::to_string(w.links()) + " links" + (w.stencil ? " (as a stencil)" : "") + "; " +
             std::to_string(isolated) + " unit(s) without neighbours");
    if (isolated > 0)
        log.warning(std::to_string(isolated) + " unit(s) have no neighbour: their z and p are null (0 and 1 in Shapefile)");

    // global Moran's I (row-standardised), for -v and the layer metadata
    r.global_moran = "global Moran's I: n/a";
    try {
        const stats::GlobalMoran g = w.stencil ? stats::global_moran(x, *w.stencil, true, true) : [&] {
            stats::Weights wr = w.lists;
            stats::row_standardise(wr);
            return stats::global_moran(x, wr, true);
        }();
        r.global_moran = "global Moran's I (W, randomisation) = " + text::number(g.i, 6) + ", E[I] = " + text::number(g.expected, 6) + ", z = " + text::number(g.z, 6) +
                         ", p = " + text::number(g.p_two_sided, 6);
    } catch (const InputError&) {
        // fewer than 3 units with neighbours: no global statistic (the local one says more)
    }
    log.info(r.global_moran);

    rows->shp = p.shapefile_nulls;
    if (p.method == HotspotMethod::gistar) {
        stats::GiOptions o;
        o.fdr = p.fdr;
        o.permutations = p.permutations.value_or(0);
        o.seed = p.seed;
        o.threads = in.threads;
        stats::GiStar g = w.stencil ? stats::getis_ord_gistar(x, *w.stencil, o) : stats::getis_ord_gistar(x, w.lists, o);
        layer.add_field("GiZScore", io::FieldType::real);
        layer.add_field("GiPValue", io::FieldType::real);
        layer.add_field("NNeighbors", io::FieldType::integer);
        layer.add_field("Gi_Bin", io::FieldType::integer);
        if (!g.pseudo_p.empty()) layer.add_field("GiPseudoP", io::FieldType::real);
        for (std::size_t i = 0; i < x.size(); ++i) ++r.bins[static_cast<std::size_t>(g.bin[i] + 3)];
        rows->gistar = true;
        rows->z = std::move(g.z);
        rows->p = std::move(g.p);
        rows->nn = std::move(g.nn);
        rows->bin = std::move(g.bin);
        rows->pseudo_p = std::move(g.pseudo_p);
        std::string counts;
        for (std::size_t b : r.bins) counts += (counts.empty() ? "" : " ") + std::to_string(b);
        log.info("Gi_Bin counts (-3..3): " + counts + (p.fdr ? " (FDR)" : ""));
        const auto col = report::ramp("RdBu", 7);
        const char* labels[7] = {"Cold spot, 99% confidence", "Cold spot, 95% confidence", "Cold spot, 90% confidence", "Not significant",
                                 "Hot spot, 90% confidence",  "Hot spot, 95% confidence",  "Hot spot, 99% confidence"};
        std::vector<report::Category> cats;
        for (int b = -3; b <= 3; ++b) {
            report::Rgba c = col[static_cast<std::size_t>(b + 3)];
            if (b == 0) c = {230, 230, 230, 255};
            cats.push_back({std::to_string(b), labels[b + 3], c});
        }
        layer.qml = report::categorized_qml("Gi_Bin", io::GeomKind::polygon, cats);
    } else {
        stats::LisaOptions o;
        o.fdr = p.fdr;
        o.permutations = p.permutations.value_or(999);
        o.seed = p.seed;
        o.threads = in.threads;
        stats::LocalMoran m = w.stencil ? stats::local_moran(x, *w.stencil, o) : stats::local_moran(x, w.lists, o);
        layer.add_field("LMiIndex", io::FieldType::real);
        layer.add_field("LMiZScore", io::FieldType::real);
        layer.add_field("LMiPValue", io::FieldType::real);
        if (!m.pseudo_p.empty()) layer.add_field("LMiPseudoP", io::FieldType::real);
        layer.add_field("COType", io::FieldType::string);
        layer.add_field("NNeighbors", io::FieldType::integer);
        rows->gistar = false;
        rows->ii = std::move(m.ii);
        rows->z = std::move(m.z_total);
        rows->p = std::move(m.p_total);
        rows->pseudo_p = std::move(m.pseudo_p);
        rows->cotype = std::move(m.cotype);
        rows->nn = std::move(m.nn);
        layer.qml = report::categorized_qml("COType", io::GeomKind::polygon,
                                            {{"HH", "High-High cluster", {215, 25, 28, 255}},
                                             {"LL", "Low-Low cluster", {44, 123, 182, 255}},
                                             {"HL", "High-Low outlier", {253, 174, 97, 255}},
                                             {"LH", "Low-High outlier", {171, 217, 233, 255}},
                                             {"", "Not significant", {230, 230, 230, 255}}});
    }
    layer.source.count = x.size();
    layer.source.fill = [rows = std::shared_ptr<const UnitRows>(std::move(rows))](std::size_t i, std::vector<io::Value>& v, io::FeatureGeometry& g) {
        rows->fill(i, v, g);
    };
    std::vector<double>().swap(x);
    layer.metadata = std::string("hotmap hotspots --method ") + (p.method == HotspotMethod::gistar ? "gistar" : "lisa") + " --on " +
                     (p.on_districts ? "districts" : "grid") + "; weights: " + r.weights + "; " + r.global_moran;
    if (p.on_districts) layer.qml = report::with_labels(layer.qml, "district");
    layer.title = with_filters(std::string(p.method == HotspotMethod::gistar ? "Hot and cold spots (Getis-Ord Gi*" : "Clusters and outliers (local Moran's I") +
                                   (p.fdr ? ", FDR" : "") + ") of " + (weighted ? "incident weights" : "incidents") + " per " +
                                   (p.on_districts ? "district" : "grid cell"),
                               in);
    layer.abstract = std::string(p.method == HotspotMethod::gistar ? "Gi_Bin: -3..3 = cold to hot spot at 99/95/90% confidence, 0 = not significant"
                                                                   : "COType: HH/LL clusters, HL/LH outliers, empty = not significant") +
                     "; weights: " + r.weights + (in.filters.empty() ? "" : "; incidents: " + in.filters) + ".";
    if (p.min_count) {
        layer.materialise(); // disclosure control changes the rows: held, for the few runs that publish
        log.info(privacy::suppress_layer(layer, p.on_districts ? privacy::LayerKind::districts : privacy::LayerKind::grid, p.min_count).text);
        // with the neighbourhoods known, every cell's z-score is a linear function of the counts
        // around it, so the z-scores together give the counts back: only the classes are published
        const std::size_t n = privacy::withhold_fields(layer, {"GiZScore", "GiPValue", "GiPseudoP", "LMiIndex", "LMiZScore", "LMiPValue", "LMiPseudoP"});
        log.info("--min-count " + std::to_string(p.min_count) + ": z-scores, p-values and local statistics withheld (" + std::to_string(n) +
                 " field(s) null): with the neighbourhoods known they would give the counts back; the classes are published");
        layer.abstract += " The z-scores, p-values and local statistics are withheld: with the neighbourhoods known they would give the counts "
                          "back; the classes are published.";
    }
    return r;
}

} // namespace hotmap::pipeline
