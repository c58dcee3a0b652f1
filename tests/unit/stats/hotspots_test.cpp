// SPDX-License-Identifier: MIT
// Gi*, local and global Moran's I, weights: golden case, reference results (spdep), invariants.
#include "hotmap/geom/geometry.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/stats/getis_ord.hpp"
#include "hotmap/stats/morans_i.hpp"
#include "hotmap/stats/weights.hpp"
#include "hotmap/error.hpp"
#include "test_support.hpp"

#include <cmath>
#include <map>
#include <random>
#include <set>

using namespace hotmap;
using namespace hotmap::stats;

namespace {

/// Golden 5x5 case: rows given from the top; points at (col, row-from-bottom).
struct Golden {
    std::vector<Point> pts;
    std::vector<double> x;
    Golden()
    {
        const int top[5][5] = {{0, 1, 0, 2, 0}, {1, 3, 4, 2, 0}, {0, 5, 9, 6, 1}, {1, 4, 7, 3, 0}, {0, 0, 1, 0, 0}};
        for (int y = 0; y < 5; ++y)
            for (int c = 0; c < 5; ++c) {
                pts.push_back({static_cast<double>(c), static_cast<double>(y)});
                x.push_back(top[4 - y][c]);
            }
    }
    static std::size_t at(int c, int y) { return static_cast<std::size_t>(y * 5 + c); }
};

double num(const std::string& s) { return std::stod(s); }

/// Memphis grid by the reference rule: cell counts (row-major from the south) and centres.
struct MemphisGrid {
    std::size_t ncol = 0, nrow = 0;
    std::vector<double> count;
    std::vector<Point> centres;
};

MemphisGrid memphis_grid(const std::string& dir)
{
    const auto t = test::read_csv(dir + "/incidents.csv");
    std::vector<double> xs, ys;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        xs.push_back(num(t.at(r, "x")));
        ys.push_back(num(t.at(r, "y")));
    }
    const double cs = 500;
    const double x0 = std::floor(*std::min_element(xs.begin(), xs.end()) / cs) * cs;
    const double y0 = std::floor(*std::min_element(ys.begin(), ys.end()) / cs) * cs;
    MemphisGrid g;
    g.ncol = static_cast<std::size_t>(std::floor((*std::max_element(xs.begin(), xs.end()) - x0) / cs)) + 1;
    g.nrow = static_cast<std::size_t>(std::floor((*std::max_element(ys.begin(), ys.end()) - y0) / cs)) + 1;
    g.count.assign(g.ncol * g.nrow, 0);
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const auto c = static_cast<std::size_t>(std::floor((xs[i] - x0) / cs));
        const auto r = static_cast<std::size_t>(std::floor((ys[i] - y0) / cs));
        g.count[r * g.ncol + c] += 1;
    }
    for (std::size_t r = 0; r < g.nrow; ++r)
        for (std::size_t c = 0; c < g.ncol; ++c)
            g.centres.push_back({x0 + (static_cast<double>(c) + 0.5) * cs, y0 + (static_cast<double>(r) + 0.5) * cs});
    return g;
}

/// Polygons of a GeoJSON as vertex rings, with one attribute as numbers.
struct Polys {
    std::vector<std::vector<std::vector<Point>>> rings;
    std::vector<double> value;
};

Polys read_polys(const std::string& path, const std::string& field)
{
    const io::GenericLayer g = io::read_geometries(path, "", {field}, crs::Crs());
    Polys p;
    for (std::size_t i = 0; i < g.wkb.size(); ++i) {
        p.rings.push_back(geom::Geometry::from_wkb(g.wkb[i]).rings());
        p.value.push_back(field.empty() ? 0.0 : num(g.values[0][i]));
    }
    return p;
}

std::set<std::pair<int, int>> edges_of(const Weights& w)
{
    std::set<std::pair<int, int>> e;
    for (std::size_t i = 0; i < w.size(); ++i)
        for (std::size_t l = w.start[i]; l < w.start[i + 1]; ++l) e.insert({static_cast<int>(i) + 1, static_cast<int>(w.index[l]) + 1});
    return e;
}

std::set<std::pair<int, int>> reference_edges(const std::string& path)
{
    const auto t = test::read_csv(path);
    std::set<std::pair<int, int>> e;
    for (std::size_t r = 0; r < t.rows.size(); ++r) e.insert({std::stoi(t.at(r, "from")), std::stoi(t.at(r, "to"))});
    return e;
}

/// Compare local Moran results with a reference file (rows filtered by style), 1e-8 absolute.
void check_local_moran(const std::string& path, const std::vector<double>& x, const Weights& w, std::size_t expect_rows,
                       const std::string& variable = "")
{
    const auto t = test::read_csv(path);
    std::size_t checked = 0;
    double worst = 0;
    for (const char* style : {"W", "B"}) {
        LisaOptions o;
        o.style = std::string(style) == "W" ? WeightStyle::row : WeightStyle::binary;
        o.permutations = 0;
        const LocalMoran lm = local_moran(x, w, o);
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            if (t.at(r, "style") != style) continue;
            if (!variable.empty() && t.at(r, "variable") != variable) continue;
            const std::string idc = t.col("cell_id") >= 0 ? "cell_id" : "id";
            const std::size_t i = static_cast<std::size_t>(std::stoll(t.at(r, idc))) - (idc == "id" ? 1 : 0);
            ASSERT_LT(i, x.size());
            EXPECT_DOUBLE_EQ(x[i], num(t.at(r, "value")));
            const bool cond = t.at(r, "conditional") == "TRUE";
            const double e = cond ? lm.e_cond[i] : lm.e_total[i];
            const double v = cond ? lm.var_cond[i] : lm.var_total[i];
            const double z = cond ? lm.z_cond[i] : lm.z_total[i];
            const double vals[4] = {lm.ii[i], e, v, z};
            const char* cols[4] = {"Ii", "E_Ii", "Var_Ii", "Z_Ii"};
            for (int k = 0; k < 4; ++k) {
                const double ref = num(t.at(r, cols[k]));
                const double d = std::fabs(vals[k] - ref);
                worst = std::max(worst, d);
                EXPECT_LT(d, 1e-8) << path << " " << style << " cond=" << cond << " feature " << i << " " << cols[k];
            }
            if (!cond) {
                EXPECT_NEAR(lm.p_total[i], num(t.at(r, "p_two_sided")), 1e-8);
            }
            ++checked;
        }
    }
    EXPECT_EQ(checked, expect_rows);
    std::cout << "[ local Moran ] " << path << ": " << checked << " rows, max abs diff " << worst << "\n";
}

/// Compare global Moran with reference rows (dataset, layer, variable).
void check_global(const std::string& ref, const std::string& dataset, const std::string& layer, const std::string& var,
                  const std::vector<double>& x, const Weights& w)
{
    HOTMAP_REQUIRE_SHARED(dummy, "reference/global_moran.csv");
    const auto t = test::read_csv(ref);
    int n = 0;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        if (t.at(r, "dataset") != dataset || t.at(r, "layer") != layer || t.at(r, "variable") != var) continue;
        Weights ww = w;
        if (t.at(r, "style") == "W") row_standardise(ww);
        const GlobalMoran g = global_moran(x, ww, t.at(r, "randomisation") == "TRUE");
        EXPECT_NEAR(g.i, num(t.at(r, "I")), 1e-9) << layer << " " << t.at(r, "style");
        EXPECT_NEAR(g.expected, num(t.at(r, "E_I")), 1e-12);
        EXPECT_NEAR(g.variance, num(t.at(r, "Var_I")), 1e-9) << layer << " " << t.at(r, "style") << t.at(r, "randomisation");
        EXPECT_NEAR(g.z, num(t.at(r, "z")), 1e-8);
        EXPECT_NEAR(g.p_greater, num(t.at(r, "p_greater")), 1e-9);
        EXPECT_NEAR(g.p_two_sided, num(t.at(r, "p_two_sided")), 1e-9);
        ++n;
    }
    EXPECT_EQ(n, 4) << layer;
}

} // namespace

TEST(GiStar, GoldenFiveByFiveWithoutAndWithFdr)
{
    const Golden g;
    const Weights w = distance_band(g.pts, std::sqrt(2.0), 1);
    EXPECT_EQ(w.count(Golden::at(2, 2)), 8u);
    EXPECT_EQ(w.count(Golden::at(0, 0)), 3u);
    GiOptions o;
    o.fdr = false;
    const GiStar a = getis_ord_gistar(g.x, w, o);
    o.fdr = true;
    const GiStar b = getis_ord_gistar(g.x, w, o);
    struct Row {
        int c, y;
        double z, p;
        int bin, bin_fdr;
    };
    const Row rows[] = {{2, 3, 2.302831, 0.0212884, 2, 0}, {1, 2, 2.631807, 0.00849322, 3, 1}, {2, 2, 4.112198, 0.000039191, 3, 3},
                        {3, 2, 2.302831, 0.0212884, 2, 0}, {2, 1, 2.796295, 0.00516922, 3, 1}};
    std::set<std::size_t> listed;
    for (const Row& r : rows) {
        const std::size_t i = Golden::at(r.c, r.y);
        listed.insert(i);
        EXPECT_NEAR(a.z[i], r.z, 5e-7);
        EXPECT_NEAR(a.p[i] / r.p, 1.0, 1e-5);
        EXPECT_EQ(a.bin[i], r.bin) << r.c << "," << r.y;
        EXPECT_EQ(b.bin[i], r.bin_fdr) << r.c << "," << r.y;
        EXPECT_EQ(a.nn[i], 9u);
    }
    for (std::size_t i = 0; i < 25; ++i)
        if (!listed.count(i)) {
            EXPECT_EQ(a.bin[i], 0) << i;
            EXPECT_EQ(b.bin[i], 0) << i;
        }
    // the lattice path gives the same numbers
    std::vector<double> rows_x = g.x;
    const GiStar l = getis_ord_lattice(rows_x, 5, 5, std::sqrt(2.0), GiOptions{});
    for (std::size_t i = 0; i < 25; ++i) {
        EXPECT_NEAR(l.z[i], b.z[i], 1e-12);
        EXPECT_EQ(l.bin[i], b.bin[i]);
        EXPECT_EQ(l.nn[i], b.nn[i]);
    }
}

TEST(GiStar, BinBoundariesBothSides)
{
    // p exactly at and just above each level, no FDR: both sides of 0.01/0.05/0.10
    const std::vector<double> p = {0.01, 0.0100001, 0.05, 0.0500001, 0.10, 0.1000001, 0.5};
    const std::vector<double> z = {3, -3, 2, -2, 1, -1, 0.5};
    const std::vector<int> bins = significance_bins(z, p, false);
    EXPECT_EQ(bins, (std::vector<int>{3, -2, 2, -1, 1, 0, 0}));
    // FDR on the golden p-values: ranks 1..3 of 25 at q = 0.10 threshold k/25*0.1
    std::vector<double> pf(25, 0.9), zf(25, 1.0);
    pf[0] = 0.0004;   // = 1/25 * 0.01: passes at 0.01 exactly
    pf[1] = 0.00400001; // above 2/25 * 0.05 = 0.004: fails at 0.05, passes at 0.10 (0.008)
    pf[2] = 0.012;    // = 3/25 * 0.10: passes at 0.10 exactly
    const std::vector<int> bf = significance_bins(zf, pf, true);
    EXPECT_EQ(bf[0], 3);
    EXPECT_EQ(bf[1], 1);
    EXPECT_EQ(bf[2], 1);
    pf[2] = 0.0120001; // just above: rank 3 fails at 0.10, and rank 2 still passes (0.008)
    const std::vector<int> bg = significance_bins(zf, pf, true);
    EXPECT_EQ(bg[2], 0);
    EXPECT_EQ(bg[1], 1);
    // NaN p never gets a bin
    const std::vector<int> bn = significance_bins({std::nan(""), 3.0, 0.1}, {std::nan(""), 0.001, 0.9}, true);
    EXPECT_EQ(bn, (std::vector<int>{0, 3, 0}));
}

TEST(GiStar, DegenerateInputsAreErrorsOrNull)
{
    const std::vector<Point> pts = {{0, 0}, {1, 0}, {2, 0}, {100, 0}};
    const Weights w = distance_band(pts, 1.5, 1);
    const GiStar r = getis_ord_gistar({1, 2, 3, 4}, w, {});
    EXPECT_TRUE(std::isnan(r.z[3]));
    EXPECT_TRUE(std::isnan(r.p[3]));
    EXPECT_EQ(r.bin[3], 0);
    EXPECT_EQ(r.nn[3], 1u);
    EXPECT_THROW(getis_ord_gistar({5, 5, 5, 5}, w, {}), InputError);
    const std::vector<Point> two = {{0, 0}, {1, 0}};
    EXPECT_THROW(getis_ord_gistar({1, 2}, distance_band(two, 2, 1), {}), InputError);
    EXPECT_THROW(local_moran({5, 5, 5, 5}, w, {}), InputError);
    EXPECT_THROW(knn(pts, 4, 1), InputError);
}

TEST(Weights, KnnMatchesBruteForceWithIndexTieBreak)
{
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<int> u(0, 40); // integer coordinates: many distance ties
    std::vector<Point> pts;
    for (int i = 0; i < 600; ++i) pts.push_back({static_cast<double>(u(rng)), static_cast<double>(u(rng)) * 0.5});
    for (unsigned k : {1u, 5u, 12u}) {
        const Weights w = knn(pts, k, 2);
        ASSERT_EQ(w.size(), pts.size());
        for (std::size_t i = 0; i < pts.size(); ++i) {
            std::vector<std::pair<double, std::uint32_t>> all;
            for (std::size_t j = 0; j < pts.size(); ++j)
                if (j != i) {
                    const double dx = pts[j].x - pts[i].x, dy = pts[j].y - pts[i].y;
                    all.push_back({dx * dx + dy * dy, static_cast<std::uint32_t>(j)});
                }
            std::sort(all.begin(), all.end());
            std::vector<std::uint32_t> expect;
            for (unsigned q = 0; q < k; ++q) expect.push_back(all[q].second);
            std::sort(expect.begin(), expect.end());
            const std::vector<std::uint32_t> got(w.index.begin() + static_cast<std::ptrdiff_t>(w.start[i]),
                                                 w.index.begin() + static_cast<std::ptrdiff_t>(w.start[i + 1]));
            ASSERT_EQ(got, expect) << "k=" << k << " i=" << i;
        }
    }
}

TEST(Weights, DistanceBandMatchesBruteForceAndThreads)
{
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(0, 5000);
    std::vector<Point> pts;
    for (int i = 0; i < 1500; ++i) pts.push_back({u(rng), u(rng)});
    const Weights a = distance_band(pts, 300, 1);
    {
        const test::ChunkCap cap(64); // 24 chunks: several threads really work
        for (unsigned t : {2u, 7u}) {
            const Weights b = distance_band(pts, 300, t);
            EXPECT_EQ(a.index, b.index) << t;
            EXPECT_EQ(a.start, b.start) << t;
        }
    }
    std::size_t links = 0;
    for (std::size_t i = 0; i < pts.size(); ++i)
        for (std::size_t j = 0; j < pts.size(); ++j)
            if (i != j && std::hypot(pts[i].x - pts[j].x, pts[i].y - pts[j].y) <= 300) ++links;
    EXPECT_EQ(a.links(), links);
}

TEST(Weights, RookNeedsASharedEdgeQueenACorner)
{
    // 2x2 unit squares: diagonal squares share one corner only
    const auto sq = [](double x, double y) {
        return std::vector<std::vector<Point>>{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}};
    };
    const std::vector<std::vector<std::vector<Point>>> rings = {sq(0, 0), sq(1, 0), sq(0, 1), sq(1, 1)};
    const Weights q = contiguity(rings, Contiguity::queen);
    const Weights r = contiguity(rings, Contiguity::rook);
    EXPECT_EQ(q.links(), 12u);
    EXPECT_EQ(r.links(), 8u);
    EXPECT_EQ(r.count(0), 2u);
    // a vertex 1e-8 away still counts (snap 1.49e-8), 2e-8 does not
    const std::vector<std::vector<std::vector<Point>>> near = {sq(0, 0), sq(1 + 1e-8, 1), sq(1 + 2e-8, -1 - 2e-8 + 0.0)};
    const Weights n = contiguity(near, Contiguity::queen);
    EXPECT_EQ(n.count(0), 1u);
    EXPECT_EQ(n.index[n.start[0]], 1u);
}

TEST(GiStar, NullUniformIncidentsFdrFalsePositivesNearNominal)
{
    // uniform random counts on a 40 x 40 grid, 10 seeds: cells with a non-zero FDR bin are rare
    std::size_t flagged = 0, total = 0;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        std::mt19937_64 rng(seed);
        std::vector<double> x(1600, 0.0);
        std::uniform_int_distribution<std::size_t> cell(0, 1599);
        for (int k = 0; k < 4000; ++k) x[cell(rng)] += 1;
        const GiStar r = getis_ord_lattice(x, 40, 40, 1.5, {});
        for (int b : r.bin) flagged += b != 0;
        total += x.size();
        const GiStar nofdr = getis_ord_lattice(x, 40, 40, 1.5, GiOptions{false, 0, 1, 1});
        std::size_t raw = 0;
        for (int b : nofdr.bin) raw += b != 0;
        EXPECT_LT(raw, 1600u * 0.2) << seed; // p <= 0.10 nominal, spatially correlated z
    }
    EXPECT_LE(static_cast<double>(flagged) / static_cast<double>(total), 0.01);
}

TEST(GiStar, PermutationPseudoPSeededAndThreadIndependent)
{
    const Golden g;
    const Weights w = distance_band(g.pts, std::sqrt(2.0), 1);
    GiOptions o;
    o.permutations = 499;
    o.seed = 42;
    o.threads = 1;
    const GiStar a = getis_ord_gistar(g.x, w, o);
    ASSERT_EQ(a.pseudo_p.size(), 25u);
    {
        const test::ChunkCap cap(3); // 25 features in 9 chunks
        for (unsigned t : {2u, 7u}) {
            o.threads = t;
            const GiStar b = getis_ord_gistar(g.x, w, o);
            EXPECT_EQ(a.pseudo_p, b.pseudo_p) << t;
            EXPECT_EQ(a.z, b.z) << t;
        }
    }
    o.threads = 1;
    // the centre (z = 4.1) is extreme under permutation; all pseudo-p within [1/(R+1), 1]
    // (above 0.5 only when draws tie with the observed sum: ties count on both sides)
    EXPECT_LT(a.pseudo_p[Golden::at(2, 2)], 0.01);
    for (double p : a.pseudo_p) {
        EXPECT_GE(p, 1.0 / 500);
        EXPECT_LE(p, 1.0);
    }
    o.seed = 43;
    const GiStar c = getis_ord_gistar(g.x, w, o);
    EXPECT_NE(a.pseudo_p, c.pseudo_p);
}

TEST(HotspotsReference, MemphisGridCountsAndGiStarBothBands)
{
    HOTMAP_REQUIRE_SHARED(real, "realdata/memphis_robberies_2019");
    HOTMAP_REQUIRE_SHARED(ref, "reference/memphis_robberies_2019");
    const MemphisGrid g = memphis_grid(real);
    ASSERT_EQ(g.ncol, 74u);
    ASSERT_EQ(g.nrow, 59u);
    const auto cells = test::read_csv(ref + "/grid_cells.csv");
    ASSERT_EQ(cells.rows.size(), g.count.size());
    for (std::size_t r = 0; r < cells.rows.size(); ++r) {
        const auto id = static_cast<std::size_t>(std::stoll(cells.at(r, "cell_id")));
        EXPECT_EQ(g.count[id], num(cells.at(r, "count"))) << id;
        EXPECT_DOUBLE_EQ(g.centres[id].x, num(cells.at(r, "cx")));
        EXPECT_DOUBLE_EQ(g.centres[id].y, num(cells.at(r, "cy")));
    }
    const auto t = test::read_csv(ref + "/grid_gistar.csv");
    std::map<int, std::size_t> expect_links = {{750, 34134}, {1600, 150320}};
    std::size_t checked = 0;
    for (int band : {750, 1600}) {
        const Weights w = distance_band(g.centres, band, 2);
        EXPECT_EQ(w.links(), expect_links[band]);
        const GiStar a = getis_ord_gistar(g.count, w, {});
        const GiStar l = getis_ord_lattice(g.count, g.ncol, g.nrow, band / 500.0, {});
        double worst = 0;
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            if (std::stoi(t.at(r, "band")) != band) continue;
            const auto id = static_cast<std::size_t>(std::stoll(t.at(r, "cell_id")));
            const double ref_z = num(t.at(r, "gistar_z"));
            EXPECT_EQ(a.nn[id], std::stoul(t.at(r, "n_neighbours_incl_self")));
            EXPECT_EQ(l.nn[id], a.nn[id]);
            worst = std::max({worst, std::fabs(a.z[id] - ref_z), std::fabs(l.z[id] - ref_z)});
            EXPECT_NEAR(a.z[id], ref_z, 1e-8) << id;
            EXPECT_NEAR(l.z[id], ref_z, 1e-8) << id;
            ++checked;
        }
        std::cout << "[ Gi* grid band " << band << " ] max abs diff " << worst << "\n";
    }
    EXPECT_EQ(checked, 2 * g.count.size());
}

TEST(HotspotsReference, MemphisGridLocalAndGlobalMoran)
{
    HOTMAP_REQUIRE_SHARED(real, "realdata/memphis_robberies_2019");
    HOTMAP_REQUIRE_SHARED(ref, "reference/memphis_robberies_2019");
    HOTMAP_REQUIRE_SHARED(glob, "reference/global_moran.csv");
    const MemphisGrid g = memphis_grid(real);
    const Weights w750 = distance_band(g.centres, 750, 2);
    check_local_moran(ref + "/grid_localmoran_band750_W.csv", g.count, w750, 2 * g.count.size());
    check_global(glob, "memphis_robberies_2019", "grid_cs500_band750", "count", g.count, w750);
    check_global(glob, "memphis_robberies_2019", "grid_cs500_band1600", "count", g.count, distance_band(g.centres, 1600, 2));
}

TEST(HotspotsReference, MemphisPrecinctsQueenGiStarAndMoran)
{
    HOTMAP_REQUIRE_SHARED(real, "realdata/memphis_robberies_2019");
    HOTMAP_REQUIRE_SHARED(ref, "reference/memphis_robberies_2019");
    HOTMAP_REQUIRE_SHARED(glob, "reference/global_moran.csv");
    const Polys p = read_polys(real + "/precincts_32616.geojson", "precinct_id");
    ASSERT_EQ(p.rings.size(), 9u);
    for (std::size_t i = 0; i < 9; ++i) ASSERT_EQ(p.value[i], static_cast<double>(i + 1)); // file order = id
    const Weights w = contiguity(p.rings, Contiguity::queen);
    EXPECT_EQ(edges_of(w), reference_edges(ref + "/polygon_queen_edges.csv"));
    const auto counts = test::read_csv(ref + "/polygon_counts.csv");
    std::vector<double> x(9);
    for (std::size_t r = 0; r < counts.rows.size(); ++r) x[static_cast<std::size_t>(std::stoi(counts.at(r, "id")) - 1)] = num(counts.at(r, "count"));
    const GiStar gi = getis_ord_gistar(x, w, {});
    const auto t = test::read_csv(ref + "/polygon_gistar_queen.csv");
    ASSERT_EQ(t.rows.size(), 9u);
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const auto i = static_cast<std::size_t>(std::stoi(t.at(r, "id")) - 1);
        EXPECT_NEAR(gi.z[i], num(t.at(r, "gistar_z")), 1e-8) << i;
    }
    check_local_moran(ref + "/polygon_localmoran_queen.csv", x, w, 36);
    check_global(glob, "memphis_robberies_2019", "polygon_queen", "count", x, w);
}

TEST(HotspotsReference, ColumbusQueenGiStarLocalAndGlobalMoran)
{
    HOTMAP_REQUIRE_SHARED(real, "realdata/columbus_crime_1980");
    HOTMAP_REQUIRE_SHARED(ref, "reference/columbus_crime_1980");
    HOTMAP_REQUIRE_SHARED(glob, "reference/global_moran.csv");
    const Polys ids = read_polys(real + "/columbus.geojson", "POLYID");
    ASSERT_EQ(ids.rings.size(), 49u);
    for (std::size_t i = 0; i < 49; ++i) ASSERT_EQ(ids.value[i], static_cast<double>(i + 1));
    // unit-less planar coordinates come through untouched (first vertex of the file)
    EXPECT_DOUBLE_EQ(ids.rings[0][0][0].x, 8.624129295349121);
    EXPECT_DOUBLE_EQ(ids.rings[0][0][0].y, 14.236980438232422);
    const Weights w = contiguity(ids.rings, Contiguity::queen);
    EXPECT_EQ(w.links(), 236u);
    EXPECT_EQ(edges_of(w), reference_edges(ref + "/polygon_queen_edges.csv"));
    for (const std::string var : {"CRIME", "HOVAL", "INC"}) {
        const std::vector<double> x = read_polys(real + "/columbus.geojson", var).value;
        check_global(glob, "columbus_crime_1980", "polygon_queen", var, x, w);
    }
    const std::vector<double> crime = read_polys(real + "/columbus.geojson", "CRIME").value;
    const GiStar gi = getis_ord_gistar(crime, w, {});
    const auto t = test::read_csv(ref + "/polygon_gistar_queen.csv");
    std::size_t checked = 0;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        if (t.at(r, "variable") != "CRIME") continue;
        const auto i = static_cast<std::size_t>(std::stoi(t.at(r, "id")) - 1);
        EXPECT_NEAR(gi.z[i], num(t.at(r, "gistar_z")), 1e-8) << i;
        ++checked;
    }
    EXPECT_EQ(checked, 49u);
    for (const std::string var : {"CRIME", "HOVAL", "INC"})
        check_local_moran(ref + "/polygon_localmoran_queen.csv", read_polys(real + "/columbus.geojson", var).value, w, 196, var);
}

TEST(HotspotsReference, SanFranciscoQueenSnapFindsTheNearMissPairs)
{
    HOTMAP_REQUIRE_SHARED(real, "realdata/sf_crime_2012");
    const Polys p = read_polys(real + "/analysis_neighborhoods_32610.geojson", "nhood_id");
    ASSERT_EQ(p.rings.size(), 41u);
    for (std::size_t i = 0; i < 41; ++i) ASSERT_EQ(p.value[i], static_cast<double>(i + 1));
    const Weights w = contiguity(p.rings, Contiguity::queen);
    EXPECT_EQ(w.links(), 198u);
    const auto e = edges_of(w);
    for (const auto& [a, b] : std::vector<std::pair<int, int>>{{5, 18}, {6, 20}, {8, 10}, {13, 31}, {26, 33}, {27, 30}}) {
        EXPECT_TRUE(e.count({a, b})) << a << "-" << b;
        EXPECT_TRUE(e.count({b, a})) << b << "-" << a;
    }
    // exact matching (tolerance far below the noise) misses exactly those 6 pairs
    const Weights exact = contiguity(p.rings, Contiguity::queen, 1e-12);
    EXPECT_EQ(exact.links(), 198u - 12u);
    // Treasure Island has no neighbour
    std::size_t isolated = 0;
    for (std::size_t i = 0; i < w.size(); ++i) isolated += w.count(i) == 0;
    EXPECT_EQ(isolated, 1u);
}

#include "hotmap/stats/dbscan.hpp"

TEST(Dbscan, TwoClustersBorderAndNoise)
{
    // cluster A: 4 points 1 m apart on a line; cluster B: a 2x2 square; a border point of A; noise far away
    const std::vector<Point> pts = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {100, 100}, {101, 100}, {100, 101}, {101, 101}, {4.5, 0}, {50, 50}};
    const Dbscan d = dbscan(pts, 1.5, 3, 2);
    EXPECT_EQ(d.clusters, 2);
    EXPECT_EQ(d.label, (std::vector<std::int32_t>{0, 0, 0, 0, 1, 1, 1, 1, 0, -1}));
    // min_points above every neighbourhood: all noise
    const Dbscan none = dbscan(pts, 1.5, 6, 1);
    EXPECT_EQ(none.clusters, 0);
    EXPECT_THROW(dbscan(pts, 0, 3, 1), ParameterError);
}
