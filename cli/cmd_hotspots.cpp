// SPDX-License-Identifier: MIT
// hotmap hotspots: Getis-Ord Gi* or Local Moran's I on grid cells or districts.
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/error.hpp"
#include "hotmap/grid/binning.hpp"
#include "hotmap/io/atomic_output.hpp"
#include "hotmap/report/qml.hpp"
#include "hotmap/geom/geometry.hpp"
#include "hotmap/stats/dbscan.hpp"
#include "hotmap/stats/getis_ord.hpp"
#include "hotmap/stats/morans_i.hpp"
#include "hotmap/stats/weights.hpp"

#include <cmath>
#include <cstdio>

namespace hotmap::cli {
namespace {


std::string fmt(double v)
{
    char b[64];
    std::snprintf(b, sizeof b, "%.6g", v);
    return b;
}

class HotspotsCommand final : public Command {
public:
    std::string_view name() const noexcept override { return "hotspots"; }
    std::string_view summary() const noexcept override
    {
        return "Getis-Ord Gi* hot and cold spots (with FDR-corrected confidence bins) or Local Moran's I clusters and "
               "outliers, on grid cells or districts.";
    }

protected:
    void add_options(std::vector<po::options_description>& groups, po::positional_options_description&) override
    {
        po::options_description own("Command options");
        own.add_options()
            ("method", po::value<std::string>(&m_method)->default_value("gistar"), "gistar|lisa|dbscan")
            ("on", po::value<std::string>(&m_on)->default_value("grid"), "grid|districts: the analysis units")
            ("cell", po::value<double>(&m_cell)->notifier(check_positive("cell")), "grid cell size in metres (--on grid)")
            ("shape", po::value<std::string>(&m_shape)->default_value("square"), "square|hex")
            ("distance", po::value<std::string>(&m_distance),
             "distance band in metres between cell centres / district centroids, or 'auto' (default for grids)")
            ("knn", po::value<unsigned>(&m_knn), "k nearest neighbours instead of a distance band")
            ("contiguity", po::value<std::string>(&m_contiguity), "queen|rook (districts; default for --on districts)")
            ("no-fdr", po::bool_switch(&m_no_fdr), "plain p thresholds instead of Benjamini-Hochberg FDR")
            ("permutations", po::value<unsigned>(&m_permutations)->notifier([this](unsigned) { m_permutations_set = true; }),
             "conditional permutations for a pseudo-p (default: 0 for gistar, 999 for lisa)")
            ("seed", po::value<std::uint64_t>(&m_seed)->default_value(12345), "permutation seed")
            ("rate", po::value<std::string>(&m_rate), "districts: analyse count per 1,000 of this population field")
            ("eps", po::value<double>(&m_eps), "dbscan: neighbourhood radius in metres")
            ("min-points", po::value<unsigned>(&m_min_points)->default_value(5), "dbscan: points (itself included) within --eps for a core point");
        groups.push_back(own);
        groups.push_back(m_input.describe());
        groups.push_back(m_districts.describe(false));
        groups.push_back(m_crs.describe());
        groups.push_back(m_output.describe(true, "output layer (.geojson .shp .gpkg .fgb .csv)"));
    }

    void validate() override
    {
        if (m_method == "dbscan" && !(m_eps > 0)) throw UsageError("--method dbscan needs --eps METRES (a positive distance)");
        if (m_method != "gistar" && m_method != "lisa" && m_method != "dbscan") throw UsageError("--method must be gistar, lisa or dbscan (got '" + m_method + "')");
        if (m_on != "grid" && m_on != "districts") throw UsageError("--on must be grid or districts (got '" + m_on + "')");
        if (m_on == "grid" && !(m_cell > 0) && m_method != "dbscan") throw UsageError("--on grid needs --cell METRES");
        if (m_on == "districts" && !m_districts.given()) throw UsageError("--on districts needs --districts PATH");
        const int schemes = !m_distance.empty() + (m_knn > 0) + !m_contiguity.empty();
        if (schemes > 1) throw UsageError("give only one of --distance, --knn, --contiguity");
        if (!m_contiguity.empty() && m_contiguity != "queen" && m_contiguity != "rook")
            throw UsageError("--contiguity must be queen or rook (got '" + m_contiguity + "')");
        if (!m_contiguity.empty() && m_on == "grid") throw UsageError("--contiguity applies to --on districts; use --distance or --knn for grids");
        if (!m_distance.empty() && m_distance != "auto") {
            char* end = nullptr;
            m_band = std::strtod(m_distance.c_str(), &end);
            if (end == m_distance.c_str() || *end != '\0' || !(m_band > 0) || !std::isfinite(m_band))
                throw UsageError("--distance must be a positive number of metres or 'auto' (got '" + m_distance + "')");
        }
        if (!m_rate.empty() && m_on != "districts") throw UsageError("--rate applies to --on districts");
        if (!m_rate.empty()) m_districts.src.population_field = m_rate;
        try {
            m_shape_v = grid::parse_shape(m_shape);
            io::driver_for(m_output.path, m_output.format);
        } catch (const ParameterError& e) {
            throw UsageError(e.what());
        }
    }

    void run(Io& io) override
    {
        io::check_writable(m_output.path, m_common.overwrite);
        const Log lg = log(io);
        Loaded L = load_inputs(m_input, m_districts.given() ? &m_districts : nullptr, m_crs, m_common, lg);
        if (m_method == "dbscan") {
            run_dbscan(L, lg);
            return;
        }
        const bool weighted = L.incidents.has_weight;
        io::VectorLayer layer;
        layer.kind = io::GeomKind::polygon;
        layer.crs = L.working;
        std::vector<double> x;
        std::vector<Point> centres;
        std::vector<std::vector<std::vector<Point>>> rings;

        if (m_on == "grid") {
            const Extent e = L.districts.empty() ? L.incidents.extent() : districts::extent(L.districts);
            if (e.empty()) throw InputError(m_input.src.path + ": no incident accepted: no extent for the grid");
            const grid::Lattice lat = grid::make_lattice(e, m_cell, m_shape_v, L.districts.empty() ? nullptr : &L.districts, m_common.threads);
            const grid::Counts c = grid::bin(lat, L.incidents, false, m_common.threads);
            lg.v("grid: " + m_shape + " cells of " + fmt(m_cell) + " m, " + std::to_string(lat.size()) + " analysis cells; incidents outside: " +
                 std::to_string(c.outside));
            x = weighted ? c.weight : c.count;
            centres = lat.centres;
            layer.name = "hotspots";
            for (const char* f : {"cell_id", "row", "col", "count"}) layer.add_field(f, io::FieldType::integer);
            layer.add_field("weight", io::FieldType::real);
            layer.add_field("district", io::FieldType::string);
            for (std::size_t k = 0; k < lat.size(); ++k) {
                const std::size_t id = lat.cells[k];
                layer.rows.push_back({static_cast<std::int64_t>(id), static_cast<std::int64_t>(lat.spec.row_of(id)),
                                      static_cast<std::int64_t>(lat.spec.col_of(id)), static_cast<std::int64_t>(c.count[k]), c.weight[k],
                                      lat.district[k] >= 0 ? io::Value(L.districts[static_cast<std::size_t>(lat.district[k])].name) : io::Value()});
                layer.wkb.push_back(grid::cell_wkb(lat, k));
            }
        } else {
            const districts::Assignment a = districts::assign(L.districts, L.incidents.items, m_common.threads);
            std::vector<double> cnt(L.districts.size(), 0.0), wsum(L.districts.size(), 0.0);
            for (std::size_t i = 0; i < L.incidents.items.size(); ++i)
                for (std::uint32_t k = a.start[i]; k < a.start[i + 1]; ++k) {
                    cnt[static_cast<std::size_t>(a.ids[k])] += 1;
                    wsum[static_cast<std::size_t>(a.ids[k])] += L.incidents.items[i].weight;
                }
            if (a.outside > 0) lg.w(std::to_string(a.outside) + " incident(s) lie outside every district");
            x = weighted ? wsum : cnt;
            if (!m_rate.empty()) {
                for (std::size_t d = 0; d < x.size(); ++d) {
                    const double pop = L.districts[d].population;
                    if (!(pop > 0))
                        throw InputError(m_districts.src.path + ": district '" + L.districts[d].name + "' has no positive '" + m_rate + "' for --rate");
                    x[d] = x[d] / pop * 1000.0;
                }
            }
            layer.name = "hotspots";
            layer.add_field("district", io::FieldType::string);
            layer.add_field("incidents", io::FieldType::integer);
            if (weighted) layer.add_field("weight", io::FieldType::real);
            if (!m_rate.empty()) {
                layer.add_field("population", io::FieldType::real);
                layer.add_field("per_1k_pop", io::FieldType::real);
            }
            for (std::size_t d = 0; d < L.districts.size(); ++d) {
                std::vector<io::Value> v{L.districts[d].name, static_cast<std::int64_t>(cnt[d])};
                if (weighted) v.emplace_back(wsum[d]);
                if (!m_rate.empty()) {
                    v.emplace_back(num(L.districts[d].population));
                    v.emplace_back(num(x[d]));
                }
                layer.rows.push_back(std::move(v));
                layer.wkb.push_back(L.districts[d].geometry.to_wkb());
                centres.push_back(L.districts[d].geometry.centroid());
                rings.push_back(L.districts[d].geometry.rings());
            }
        }
        if (x.size() < 3) throw InputError("hotspots: " + std::to_string(x.size()) + " analysis unit(s); at least 3 are needed");

        // weights
        stats::Weights w;
        std::string scheme;
        if (m_knn > 0) {
            w = stats::knn(centres, m_knn, m_common.threads);
            scheme = "k nearest neighbours, k = " + std::to_string(m_knn);
        } else if (m_on == "districts" && m_distance.empty()) {
            const auto c = m_contiguity == "rook" ? stats::Contiguity::rook : stats::Contiguity::queen;
            w = stats::contiguity(rings, c);
            scheme = (c == stats::Contiguity::rook ? "rook" : "queen") + std::string(" contiguity");
        } else {
            if (m_distance.empty() || m_distance == "auto") {
                m_band = stats::auto_distance(centres, x, m_common.threads);
                scheme = "distance band " + fmt(m_band) + " m (auto)";
            } else {
                scheme = "distance band " + fmt(m_band) + " m";
            }
            w = stats::distance_band(centres, m_band, m_common.threads);
        }
        std::size_t isolated = 0;
        for (std::size_t i = 0; i < w.size(); ++i) isolated += w.count(i) == 0;
        lg.v("weights: " + scheme + "; " + std::to_string(w.links()) + " links; " + std::to_string(isolated) + " unit(s) without neighbours");
        if (isolated > 0) lg.w(std::to_string(isolated) + " unit(s) have no neighbour: their z and p are null (0 and 1 in Shapefile)");

        // global Moran's I (row-standardised), for -v and the layer metadata
        std::string global = "global Moran's I: n/a";
        try {
            stats::Weights wr = w;
            stats::row_standardise(wr);
            const stats::GlobalMoran g = stats::global_moran(x, wr, true);
            global = "global Moran's I (W, randomisation) = " + fmt(g.i) + ", E[I] = " + fmt(g.expected) + ", z = " + fmt(g.z) +
                     ", p = " + fmt(g.p_two_sided);
        } catch (const ParameterError&) {
        }
        lg.v(global);

        const bool shp = io::driver_for(m_output.path, m_output.format) == "ESRI Shapefile";
        const auto znum = [shp](double v, double dflt) { return std::isfinite(v) ? io::Value(v) : (shp ? io::Value(dflt) : io::Value()); };
        if (m_method == "gistar") {
            stats::GiOptions o;
            o.fdr = !m_no_fdr;
            o.permutations = m_permutations_given() ? m_permutations : 0;
            o.seed = m_seed;
            o.threads = m_common.threads;
            const stats::GiStar r = stats::getis_ord_gistar(x, w, o);
            layer.add_field("GiZScore", io::FieldType::real);
            layer.add_field("GiPValue", io::FieldType::real);
            layer.add_field("NNeighbors", io::FieldType::integer);
            layer.add_field("Gi_Bin", io::FieldType::integer);
            if (!r.pseudo_p.empty()) layer.add_field("GiPseudoP", io::FieldType::real);
            int counts[7] = {0, 0, 0, 0, 0, 0, 0};
            for (std::size_t i = 0; i < x.size(); ++i) {
                auto& v = layer.rows[i];
                v.insert(v.end(), {znum(r.z[i], 0), znum(r.p[i], 1), static_cast<std::int64_t>(r.nn[i]), static_cast<std::int64_t>(r.bin[i])});
                if (!r.pseudo_p.empty()) v.push_back(znum(r.pseudo_p[i], 1));
                ++counts[r.bin[i] + 3];
            }
            lg.v("Gi_Bin counts (-3..3): " + std::to_string(counts[0]) + " " + std::to_string(counts[1]) + " " + std::to_string(counts[2]) +
                 " " + std::to_string(counts[3]) + " " + std::to_string(counts[4]) + " " + std::to_string(counts[5]) + " " +
                 std::to_string(counts[6]) + (m_no_fdr ? "" : " (FDR)"));
            const auto col = report::ramp("RdBu", 7);
            const char* labels[7] = {"Cold spot, 99% confidence", "Cold spot, 95% confidence", "Cold spot, 90% confidence", "Not significant",
                                     "Hot spot, 90% confidence", "Hot spot, 95% confidence", "Hot spot, 99% confidence"};
            std::vector<report::Category> cats;
            for (int b = -3; b <= 3; ++b) {
                report::Rgba c = col[static_cast<std::size_t>(b + 3)];
                if (b == 0) c = {230, 230, 230, 255};
                cats.push_back({std::to_string(b), labels[b + 3], c});
            }
            layer.qml = report::categorized_qml("Gi_Bin", io::GeomKind::polygon, cats);
        } else {
            stats::LisaOptions o;
            o.fdr = !m_no_fdr;
            o.permutations = m_permutations_given() ? m_permutations : 999;
            o.seed = m_seed;
            o.threads = m_common.threads;
            const stats::LocalMoran r = stats::local_moran(x, w, o);
            layer.add_field("LMiIndex", io::FieldType::real);
            layer.add_field("LMiZScore", io::FieldType::real);
            layer.add_field("LMiPValue", io::FieldType::real);
            if (!r.pseudo_p.empty()) layer.add_field("LMiPseudoP", io::FieldType::real);
            layer.add_field("COType", io::FieldType::string);
            layer.add_field("NNeighbors", io::FieldType::integer);
            for (std::size_t i = 0; i < x.size(); ++i) {
                auto& v = layer.rows[i];
                v.insert(v.end(), {znum(r.ii[i], 0), znum(r.z_total[i], 0), znum(r.p_total[i], 1)});
                if (!r.pseudo_p.empty()) v.push_back(znum(r.pseudo_p[i], 1));
                v.emplace_back(r.cotype[i]);
                v.emplace_back(static_cast<std::int64_t>(r.nn[i]));
            }
            layer.qml = report::categorized_qml("COType", io::GeomKind::polygon,
                                                {{"HH", "High-High cluster", {215, 25, 28, 255}},
                                                 {"LL", "Low-Low cluster", {44, 123, 182, 255}},
                                                 {"HL", "High-Low outlier", {253, 174, 97, 255}},
                                                 {"LH", "Low-High outlier", {171, 217, 233, 255}},
                                                 {"", "Not significant", {230, 230, 230, 255}}});
        }
        layer.metadata = "hotmap hotspots --method " + m_method + " --on " + m_on + "; weights: " + scheme + "; " + global;
        write_layer(layer, m_output, m_common.overwrite, lg);
    }

private:
    /// DBSCAN clusters written as convex-hull polygons with size, density and dominant category.
    void run_dbscan(const Loaded& L, const Log& lg)
    {
        std::vector<Point> pts;
        pts.reserve(L.incidents.items.size());
        for (const auto& it : L.incidents.items) pts.push_back({it.x, it.y});
        const stats::Dbscan d = stats::dbscan(pts, m_eps, m_min_points, m_common.threads);
        const auto nc = static_cast<std::size_t>(d.clusters);
        std::vector<std::vector<Point>> members(nc);
        std::vector<double> wsum(nc, 0.0);
        const std::size_t ncat = L.incidents.categories.size();
        std::vector<std::vector<std::size_t>> cat(nc, std::vector<std::size_t>(ncat, 0));
        std::size_t noise = 0;
        for (std::size_t i = 0; i < pts.size(); ++i) {
            if (d.label[i] < 0) {
                ++noise;
                continue;
            }
            const auto c = static_cast<std::size_t>(d.label[i]);
            members[c].push_back(pts[i]);
            wsum[c] += L.incidents.items[i].weight;
            const auto k = L.incidents.items[i].category;
            if (k >= 0 && static_cast<std::size_t>(k) < ncat) ++cat[c][static_cast<std::size_t>(k)];
        }
        lg.v("dbscan: eps " + fmt(m_eps) + " m, min points " + std::to_string(m_min_points) + ": " + std::to_string(nc) + " cluster(s), " +
             std::to_string(noise) + " noise incident(s)");
        io::VectorLayer layer;
        layer.name = "clusters";
        layer.kind = io::GeomKind::polygon;
        layer.crs = L.working;
        layer.add_field("cluster_id", io::FieldType::integer);
        layer.add_field("incidents", io::FieldType::integer);
        layer.add_field("weight", io::FieldType::real);
        layer.add_field("area_km2", io::FieldType::real);
        layer.add_field("per_km2", io::FieldType::real);
        layer.add_field("category", io::FieldType::string);
        layer.add_field("cat_share", io::FieldType::real);
        for (std::size_t c = 0; c < nc; ++c) {
            std::vector<geom::Geometry> parts;
            for (const Point& p : members[c]) parts.push_back(geom::Geometry::point(p.x, p.y));
            geom::Geometry hull = geom::Geometry::collect(std::move(parts)).convex_hull();
            if (!(hull.area() > 0)) hull = hull.buffer(m_eps / 2, 8); // collinear or coincident members
            const double area_km2 = hull.area() / 1e6;
            io::Value top;
            io::Value share;
            if (ncat > 0) {
                std::size_t best = 0;
                for (std::size_t k = 1; k < ncat; ++k)
                    if (cat[c][k] > cat[c][best]) best = k;
                if (cat[c][best] > 0) {
                    top = io::Value(L.incidents.categories[best]);
                    share = io::Value(static_cast<double>(cat[c][best]) / static_cast<double>(members[c].size()));
                }
            }
            layer.rows.push_back({static_cast<std::int64_t>(c + 1), static_cast<std::int64_t>(members[c].size()), wsum[c], area_km2,
                                  num(static_cast<double>(members[c].size()) / area_km2), top, share});
            layer.wkb.push_back(hull.to_wkb());
        }
        layer.qml = report::single_qml(io::GeomKind::polygon, {215, 25, 28, 160});
        layer.metadata = "hotmap hotspots --method dbscan --eps " + fmt(m_eps) + " --min-points " + std::to_string(m_min_points);
        write_layer(layer, m_output, m_common.overwrite, lg);
    }

    bool m_permutations_given() const { return m_permutations_set; }

    InputOptions m_input;
    DistrictOptions m_districts;
    CrsOptions m_crs;
    OutputOptions m_output;
    std::string m_method = "gistar", m_on = "grid", m_shape = "square", m_distance, m_contiguity, m_rate;
    double m_cell = 0, m_band = 0;
    unsigned m_knn = 0, m_permutations = 0, m_min_points = 5;
    double m_eps = 0;
    bool m_permutations_set = false;
    bool m_no_fdr = false;
    std::uint64_t m_seed = 12345;
    grid::Shape m_shape_v = grid::Shape::square;
};

} // namespace

std::unique_ptr<Command> make_hotspots_command() { return std::make_unique<HotspotsCommand>(); }

} // namespace hotmap::cli
