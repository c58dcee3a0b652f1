// SPDX-License-Identifier: MIT
// Kernel density: hand-checked kernel values, exactness of the fast sum against the naive sum,
// thread independence, edge correction, the ArcGIS bandwidth rule and the Memphis references.
#include "hotmap/density/bandwidth.hpp"
#include "hotmap/density/kde.hpp"
#include "hotmap/error.hpp"
#include "hotmap/grid/grid_spec.hpp"
#include "hotmap/io/read_incidents.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <utility>

using namespace hotmap;
using namespace hotmap::density;

namespace {

std::vector<Incident> random_points(std::size_t n, std::uint32_t seed, double w, double h, bool weights)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> ux(0, w), uy(0, h), uw(0.5, 3);
    std::normal_distribution<double> cl(0, 60);
    std::vector<Incident> v(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (i % 2) { // a cluster, to get cells with many points
            v[i].x = 1000 + 0.37 * w + cl(rng);
            v[i].y = 700 + 0.41 * h + cl(rng);
        } else {
            v[i].x = 1000 + ux(rng);
            v[i].y = 700 + uy(rng);
        }
        v[i].weight = weights ? uw(rng) : 1.0;
    }
    // points exactly on cell edges and corners
    v[0].x = 1100;
    v[0].y = 800;
    v[1].x = 1125;
    v[1].y = 812.5;
    return v;
}

double max_rel_diff(const std::vector<double>& a, const std::vector<double>& b)
{
    double mx = 0, d = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        mx = std::max(mx, std::abs(b[i]));
        d = std::max(d, std::abs(a[i] - b[i]));
    }
    return mx > 0 ? d / mx : d;
}

} // namespace

TEST(Kernels, HandCheckedValues)
{
    const double pi = std::numbers::pi;
    // quartic r = 100 at d = 50: 3/(pi 1e4) (1 - 0.25)^2 = 3 * 0.5625 / (pi 1e4)
    EXPECT_NEAR(kernel_value(Kernel::quartic, 100, 50), 3 * 0.5625 / (pi * 1e4), 1e-18);
    EXPECT_NEAR(kernel_value(Kernel::quartic, 100, 0), 3 / (pi * 1e4), 1e-18);
    EXPECT_EQ(kernel_value(Kernel::quartic, 100, 100), 0.0);
    EXPECT_EQ(kernel_value(Kernel::quartic, 100, 150), 0.0);
    EXPECT_NEAR(kernel_value(Kernel::epanechnikov, 100, 50), 2 * 0.75 / (pi * 1e4), 1e-18);
    EXPECT_NEAR(kernel_value(Kernel::triweight, 100, 50), 4 * 0.421875 / (pi * 1e4), 1e-18);
    EXPECT_NEAR(kernel_value(Kernel::uniform, 100, 99.9), 1 / (pi * 1e4), 1e-18);
    EXPECT_EQ(kernel_value(Kernel::uniform, 100, 100), 0.0);
    // gaussian sigma = 100 at d = 100: exp(-0.5)/(2 pi 1e4)
    EXPECT_NEAR(kernel_value(Kernel::gaussian, 100, 100), std::exp(-0.5) / (2 * pi * 1e4), 1e-18);
    EXPECT_EQ(kernel_value(Kernel::gaussian, 100, 832), 0.0);
    EXPECT_GT(kernel_value(Kernel::gaussian, 100, 830), 0.0);
    EXPECT_THROW(parse_kernel("cosine"), ParameterError);
    EXPECT_EQ(parse_kernel("biweight"), Kernel::quartic);
}

TEST(Kernels, IntegrateToOne)
{
    // midpoint rule on a fine lattice: each kernel's mass is 1
    for (Kernel k : {Kernel::quartic, Kernel::epanechnikov, Kernel::triweight, Kernel::uniform, Kernel::gaussian}) {
        const double bw = 10, h = 0.05, lim = kernel_support(k, bw);
        double s = 0;
        for (double x = -lim + h / 2; x < lim; x += h)
            for (double y = -lim + h / 2; y < lim; y += h) s += kernel_value(k, bw, std::hypot(x, y));
        EXPECT_NEAR(s * h * h, 1.0, k == Kernel::uniform ? 2e-3 : 2e-5) << kernel_name(k);
    }
}

TEST(Kde, SinglePointHandValues)
{
    // one incident at (0,0), 10 m cells, quartic r = 25 m: the cell centred at (5,5) is at
    // d^2 = 50: 3/(pi 625) (1 - 50/625)^2 per m2
    const grid::GridSpec g = grid::GridSpec::snapped({-30, -30, 30, 30}, 10);
    std::vector<Incident> one(1);
    KdeParams p;
    p.bandwidth_m = 25;
    p.units = Units::m2;
    const std::vector<double> v = estimate(one, g, p);
    const auto id = *g.locate(5, 5);
    EXPECT_NEAR(v[id], 3 / (std::numbers::pi * 625) * std::pow(1 - 50.0 / 625, 2), 1e-15);
    p.units = Units::km2;
    EXPECT_NEAR(estimate(one, g, p)[id], 1e6 * 3 / (std::numbers::pi * 625) * std::pow(1 - 50.0 / 625, 2), 1e-9);
    // the cell centred at (25, 5) has d > r: 0
    EXPECT_EQ(v[*g.locate(25, 5)], 0.0);
}

TEST(Kde, FastSumEqualsNaiveSumOnRandomData)
{
    const std::vector<Incident> pts = random_points(2000, 42, 1500, 1000, false);
    const std::vector<Incident> wpts = random_points(2000, 7, 1500, 1000, true);
    Extent e;
    for (const Incident& i : pts) e.expand(i.x, i.y);
    const grid::GridSpec g = grid::GridSpec::snapped(e, 25);
    for (Kernel k : {Kernel::quartic, Kernel::epanechnikov, Kernel::triweight, Kernel::uniform, Kernel::gaussian}) {
        for (double bw : {100.0, 137.5}) {
            if (k == Kernel::gaussian && bw > 100) continue; // slow path, one case is enough
            KdeParams p;
            p.kernel = k;
            p.bandwidth_m = bw;
            p.units = Units::m2;
            p.threads = 2;
            for (const auto* set : {&pts, &wpts}) {
                const std::vector<double> fast = estimate(*set, g, p), naive = estimate_naive(*set, g, p);
                EXPECT_LT(max_rel_diff(fast, naive), 1e-12) << kernel_name(k) << " r=" << bw;
            }
        }
    }
}

TEST(Kde, IdenticalForAnyThreadCount)
{
    const std::vector<Incident> pts = random_points(20000, 3, 3000, 2000, true);
    Extent e;
    for (const Incident& i : pts) e.expand(i.x, i.y);
    const grid::GridSpec g = grid::GridSpec::snapped(e, 20);
    KdeParams p;
    p.bandwidth_m = 150;
    p.threads = 1;
    const std::vector<double> a = estimate(pts, g, p);
    // 20 chunks of 1,000 incidents in the bucketing pass, one raster row per chunk after it
    const test::ChunkCap cap(1000);
    for (unsigned t : {1u, 2u, 7u}) {
        p.threads = t;
        EXPECT_TRUE(estimate(pts, g, p) == a) << t << " threads";
    }
    p.kernel = Kernel::gaussian;
    p.threads = 1;
    const std::vector<double> ga = estimate(pts, g, p);
    p.threads = 7;
    EXPECT_TRUE(estimate(pts, g, p) == ga);
}

TEST(Kde, CompactKernelsSameBitsAtEverySimdWidth)
{
    // the AVX-512 path (boundary pairs of a band as lanes, cell by cell; interior sums in
    // registers) against the SSE2 and AVX2 loops: the same bits, and the naive sum. Clustered
    // points (cells with 1 to ~30 points: every lane-order case), weighted and not, a raster
    // smaller than the points (boundary targets beyond its edges dropped), 3 bands of target
    // rows shared by 3 threads, radii with and without interior cells.
    const std::vector<Incident> pts = random_points(3000, 11, 1500, 1000, false);
    const std::vector<Incident> wpts = random_points(3000, 12, 1500, 1000, true);
    const grid::GridSpec g = grid::GridSpec::snapped({1200, 850, 2300, 1640}, 25); // inside the points
    const test::ChunkCap cap(1);
    for (Kernel k : {Kernel::quartic, Kernel::epanechnikov, Kernel::triweight, Kernel::uniform})
        for (double bw : {30.0, 137.5})
            for (const auto* set : {&pts, &wpts}) {
                KdeParams p;
                p.kernel = k;
                p.bandwidth_m = bw;
                p.units = Units::m2;
                p.threads = 3;
                p.simd_doubles = 2;
                const std::vector<double> sse2 = estimate(*set, g, p);
                EXPECT_LT(max_rel_diff(sse2, estimate_naive(*set, g, p)), 1e-12) << kernel_name(k) << " r=" << bw;
                for (int simd : {4, 8, 0}) {
                    p.simd_doubles = simd;
                    p.threads = simd == 8 ? 1 : 3;
                    EXPECT_TRUE(estimate(*set, g, p) == sse2) << kernel_name(k) << " r=" << bw << " simd " << simd;
                }
            }
}

TEST(Kde, RasterWiderThan65536Columns)
{
    // the bucketing keeps 16-bit columns up to 65,536 columns of the extended grid, 32-bit
    // beyond: a 70,000 x 3 raster of 1 m cells, points spread along it (and a dense cluster at
    // its far end), against the naive sum
    const grid::GridSpec g = grid::GridSpec::snapped({0, 0, 69999.5, 2.5}, 1);
    ASSERT_GT(g.ncol, 65536u);
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> ux(-3, 70003), uy(-3, 6), uc(69990, 69996);
    std::vector<Incident> pts(200);
    for (std::size_t i = 0; i < pts.size(); ++i) {
        pts[i].x = i % 4 ? ux(rng) : uc(rng);
        pts[i].y = uy(rng);
    }
    for (const auto& [k, bw] : {std::pair{Kernel::quartic, 5.5}, std::pair{Kernel::triweight, 2.0}}) {
        KdeParams p;
        p.kernel = k;
        p.bandwidth_m = bw;
        p.units = Units::m2;
        EXPECT_LT(max_rel_diff(estimate(pts, g, p), estimate_naive(pts, g, p)), 1e-12) << kernel_name(k) << " r=" << bw;
    }
}

TEST(Kde, EdgeCorrectionAndMask)
{
    // study area = the western half of a 20 x 10 grid of 10 m cells; quartic r = 30 m
    const grid::GridSpec g = grid::GridSpec::snapped({0, 0, 199, 99}, 10);
    KdeParams p;
    p.bandwidth_m = 30;
    p.units = Units::m2;
    const std::size_t m = support_margin(p.kernel, p.bandwidth_m, g.cell);
    const std::size_t nx = g.ncol + 2 * m, ny = g.nrow + 2 * m;
    std::vector<std::uint8_t> mask(nx * ny, 0);
    for (std::size_t r = m; r < m + g.nrow; ++r)
        for (std::size_t c = m; c < m + 10; ++c) mask[r * nx + c] = 1;
    p.mask = &mask;
    p.mask_margin = m;
    const std::vector<double> share = edge_shares(g, p);
    // deep inside: full share; a cell on the east edge of the area: about half the mass inside
    EXPECT_NEAR(share[g.id(5, 5)], 1.0, 1e-15);
    EXPECT_GT(share[g.id(5, 9)], 0.5);
    EXPECT_LT(share[g.id(5, 9)], 0.75);
    // incidents: uniform over the area's cell centres; with edge correction the density next to
    // the edge is not lowered
    std::vector<Incident> pts;
    for (int x = 0; x < 10; ++x)
        for (int y = 0; y < 10; ++y) pts.push_back({x * 10.0 + 5, y * 10.0 + 5});
    const std::vector<double> raw = estimate(pts, g, p);
    p.edge_correct = true;
    const std::vector<double> cor = estimate(pts, g, p);
    EXPECT_EQ(cor[g.id(5, 15)], p.nodata);                                // outside the study area
    EXPECT_NEAR(cor[g.id(5, 9)], raw[g.id(5, 9)] / share[g.id(5, 9)], 1e-18); // what is computed
    EXPECT_NEAR(cor[g.id(5, 9)], cor[g.id(5, 5)], 0.1 * cor[g.id(5, 5)]);   // edge ~ interior
    EXPECT_LT(raw[g.id(5, 9)], 0.8 * raw[g.id(5, 5)]);                       // uncorrected is lower
    // without a mask edge correction is a parameter error
    KdeParams q;
    q.bandwidth_m = 30;
    q.edge_correct = true;
    EXPECT_THROW(estimate(pts, g, q), ParameterError);
    q.edge_correct = false;
    q.bandwidth_m = 0;
    EXPECT_THROW(estimate(pts, g, q), ParameterError);
}

TEST(Bandwidth, ArcGisReferenceExample)
{
    const double xs[] = {0, 1, 2, 3, 10, 11, 12, 2, 3, 50}, ys[] = {0, 0, 1, 2, 5, 5, 6, 8, 9, 40};
    std::vector<Incident> v;
    for (int i = 0; i < 10; ++i) v.push_back({xs[i], ys[i]});
    const BandwidthRule r = auto_bandwidth(v, false);
    EXPECT_NEAR(r.standard_distance, 18.074291, 5e-7);
    EXPECT_NEAR(r.median_distance, 7.957460, 5e-7);
    EXPECT_NEAR(r.bandwidth, 5.427555, 5e-7);
    // weights of 1 give the same answer in weighted mode; doubling every weight changes only n
    for (Incident& i : v) i.weight = 2;
    const BandwidthRule w = auto_bandwidth(v, true);
    EXPECT_NEAR(w.standard_distance, r.standard_distance, 1e-12);
    EXPECT_NEAR(w.median_distance, r.median_distance, 1e-12);
    EXPECT_NEAR(w.bandwidth, r.bandwidth * std::pow(2.0, -0.2), 1e-12);
    EXPECT_THROW(auto_bandwidth({}, false), InputError);
    EXPECT_THROW(auto_bandwidth({Incident{5, 5}, Incident{5, 5}}, false), InputError);
}

namespace {
void check_reference(const std::string& file, Kernel k, double bw)
{
    HOTMAP_REQUIRE_SHARED(dir, "realdata/memphis_robberies_2019");
    HOTMAP_REQUIRE_SHARED(ref, "reference/memphis_robberies_2019/" + file);
    io::IncidentSource src;
    src.path = dir + "/incidents.csv";
    src.x_field = "x";
    src.y_field = "y";
    src.crs = "EPSG:32616";
    const IncidentSet s = io::read_incidents(src, {});
    ASSERT_EQ(s.items.size(), 2245u);
    const grid::GridSpec g = grid::GridSpec::snapped(s.extent(), 250);
    ASSERT_DOUBLE_EQ(g.x0, 214750);
    ASSERT_DOUBLE_EQ(g.y0, 3876500);
    ASSERT_EQ(g.ncol, 146u);
    ASSERT_EQ(g.nrow, 117u);
    KdeParams p;
    p.kernel = k;
    p.bandwidth_m = bw;
    p.units = Units::m2;
    const std::vector<double> v = estimate(s.items, g, p);
    const test::Table t = test::read_csv(ref);
    ASSERT_EQ(t.rows.size(), g.size());
    double mx = 0, worst = 0;
    for (std::size_t r = 0; r < t.rows.size(); ++r) mx = std::max(mx, std::stod(t.at(r, "density")));
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::size_t id = std::stoull(t.at(r, "cell_id"));
        const Point c = g.centre(id);
        ASSERT_DOUBLE_EQ(c.x, std::stod(t.at(r, "x")));
        ASSERT_DOUBLE_EQ(c.y, std::stod(t.at(r, "y")));
        worst = std::max(worst, std::abs(v[id] - std::stod(t.at(r, "density"))) / mx);
    }
    EXPECT_LT(worst, 1e-9) << file;
    std::printf("[ reference ] %s: max |diff| / max = %.3g\n", file.c_str(), worst);
}
} // namespace

TEST(KdeReference, MemphisQuarticH1000Px250) { check_reference("kde_quartic_h1000_px250.csv", Kernel::quartic, 1000); }
TEST(KdeReference, MemphisGaussianSigma500Px250) { check_reference("kde_gaussian_sigma500_px250.csv", Kernel::gaussian, 500); }

TEST(Kde, GaussianByBandsEqualsThePointByPointLoop)
{
    // the separable loop (column factors once per band of 16 rows) against the former loop,
    // one exponential per (point, cell): the same terms in the same order, so the same bits;
    // odd raster sizes (a last band of 1..15 rows), weighted and not, several threads
    const test::ChunkCap cap(1); // one band per chunk: 2 and 7 threads really share the rows
    for (const bool weighted : {false, true}) {
        const std::vector<Incident> pts = random_points(800, weighted ? 11 : 5, 1730, 1210, weighted);
        Extent e;
        for (const Incident& i : pts) e.expand(i.x, i.y);
        for (const double cell : {25.0, 40.0}) {
            const grid::GridSpec g = grid::GridSpec::snapped(e, cell);
            for (const double s : {30.0, 55.0}) {
                KdeParams p;
                p.kernel = Kernel::gaussian;
                p.bandwidth_m = s;
                p.threads = 1;
                p.gaussian_reference = true;
                const std::vector<double> ref = estimate(pts, g, p);
                p.gaussian_reference = false;
                for (unsigned t : {1u, 2u, 7u}) {
                    p.threads = t;
                    const std::vector<double> v = estimate(pts, g, p);
                    ASSERT_EQ(v.size(), ref.size());
                    EXPECT_TRUE(v == ref) << "cell " << cell << ", sigma " << s << ", " << t << " threads, weighted " << weighted
                                          << ", max diff " << max_rel_diff(v, ref);
                }
                if (cell == 25 && s == 30) { // and the naive sum, as for the other kernels
                    p.units = Units::m2;
                    EXPECT_LT(max_rel_diff(estimate(pts, g, p), estimate_naive(pts, g, p)), 1e-12);
                }
            }
        }
    }
}

TEST(Kde, GaussianSeriesEqualsThePointByPointLoop)
{
    // the Taylor series of the cell offsets against the oracle (one exponential per pair, cut
    // at the circle of 8.31 sigma: the series' square window differs by terms below 1e-15 of a
    // point's peak), for sigma from 0.6 to 30 cells, weighted and not, a raster whose last band
    // is short, dense cells (their moments) and sparse ones (point by point)
    for (const bool weighted : {false, true}) {
        std::vector<Incident> pts = random_points(3000, weighted ? 21 : 9, 1730, 1210, weighted);
        // a dense spot: 400 points in one 25 m cell (the moment path)
        std::mt19937_64 rng(weighted ? 4 : 5);
        std::uniform_real_distribution<double> u(0, 25), uw(0.5, 3);
        for (int i = 0; i < 400; ++i) pts.push_back({1500 + u(rng), 1100 + u(rng), weighted ? uw(rng) : 1.0});
        Extent e;
        for (const Incident& i : pts) e.expand(i.x, i.y);
        const grid::GridSpec g = grid::GridSpec::snapped(e, 25);
        for (const double cells : {0.6, 2.0, 8.16, 30.0}) {
            KdeParams p;
            p.kernel = Kernel::gaussian;
            p.bandwidth_m = cells * g.cell;
            p.threads = 2;
            p.gaussian_reference = true;
            const std::vector<double> ref = estimate(pts, g, p);
            p.gaussian_reference = false;
            p.gaussian_method = 1;
            const double d = max_rel_diff(estimate(pts, g, p), ref);
            EXPECT_LT(d, 1e-12) << "sigma " << cells << " cells, weighted " << weighted;
            std::printf("[ series ] sigma %.2f cells, weighted %d: max |diff| / max = %.3g\n", cells, int(weighted), d);
        }
    }
}

TEST(Kde, GaussianSeriesIdenticalForAnyThreadCount)
{
    const test::ChunkCap cap(1000); // 5 chunks of incidents; one source row, one band of target rows per chunk
    const std::vector<Incident> pts = random_points(5000, 17, 2000, 1500, true);
    Extent e;
    for (const Incident& i : pts) e.expand(i.x, i.y);
    const grid::GridSpec g = grid::GridSpec::snapped(e, 25);
    KdeParams p;
    p.kernel = Kernel::gaussian;
    p.bandwidth_m = 204;
    p.gaussian_method = 1;
    p.threads = 1;
    const std::vector<double> a = estimate(pts, g, p);
    for (unsigned t : {2u, 7u}) {
        p.threads = t;
        EXPECT_TRUE(estimate(pts, g, p) == a) << t << " threads";
    }
    // and the automatic choice picks the series here (the bands would give other bits)
    p.gaussian_method = 0;
    EXPECT_TRUE(estimate(pts, g, p) == a);
    // planes over a budget: slabs of 16 target rows, each recomputing its source rows
    p.gaussian_method = 1;
    p.gaussian_series_plane_bytes = 1;
    for (unsigned t : {1u, 2u}) {
        p.threads = t;
        EXPECT_TRUE(estimate(pts, g, p) == a) << "slabs, " << t << " threads";
    }
}

TEST(Kde, GaussianSeriesTruncatedTooEarlyIsCaught)
{
    // one point next to a cell corner (the largest offsets the series expands), sigma = 8.16
    // cells: every cell within 5 sigma (where the naive sum's own rounding is small) is exact
    // to 1e-14 of its own value; with three terms fewer per offset the cells near the point
    // are off by more than 1e-12 of the maximum
    const grid::GridSpec g = grid::GridSpec::snapped({0, 0, 2500, 2500}, 25);
    ASSERT_DOUBLE_EQ(g.x0, 0);
    const std::vector<Incident> one = {Incident{1250.0 + 1e-9, 1250.0 - 1e-9}};
    KdeParams p;
    p.kernel = Kernel::gaussian;
    p.bandwidth_m = 204;
    p.units = Units::m2;
    p.gaussian_method = 1;
    const std::vector<double> v = estimate(one, g, p), naive = estimate_naive(one, g, p);
    const double mx = *std::max_element(naive.begin(), naive.end());
    double worst = 0;
    for (std::size_t i = 0; i < v.size(); ++i)
        if (naive[i] > std::exp(-12.5) * mx) worst = std::max(worst, std::abs(v[i] - naive[i]) / naive[i]);
    EXPECT_LT(worst, 1e-14);
    std::printf("[ series ] one point, sigma 8.16 cells: max relative error %.3g\n", worst);
    p.gaussian_series_terms_delta = -3;
    const double cut3 = max_rel_diff(estimate(one, g, p), naive);
    EXPECT_GT(cut3, 1e-12);
    std::printf("[ series ] three terms fewer: max |diff| / max = %.3g\n", cut3);
}

TEST(Kde, GaussianSeriesWithMaskAndEdgeCorrection)
{
    // the mask and the edge correction are applied after the sum, whichever method made it
    const std::vector<Incident> pts = random_points(2000, 23, 1500, 1000, false);
    Extent e;
    for (const Incident& i : pts) e.expand(i.x, i.y);
    const grid::GridSpec g = grid::GridSpec::snapped(e, 25);
    KdeParams p;
    p.kernel = Kernel::gaussian;
    p.bandwidth_m = 60;
    const std::size_t m = support_margin(p.kernel, p.bandwidth_m, g.cell);
    const std::size_t nx = g.ncol + 2 * m, ny = g.nrow + 2 * m;
    std::vector<std::uint8_t> mask(nx * ny, 0);
    for (std::size_t r = 0; r < ny; ++r)
        for (std::size_t c = 0; c < nx / 2; ++c) mask[r * nx + c] = 1;
    p.mask = &mask;
    p.mask_margin = m;
    p.edge_correct = true;
    p.gaussian_reference = true;
    const std::vector<double> ref = estimate(pts, g, p);
    p.gaussian_reference = false;
    p.gaussian_method = 1;
    const std::vector<double> v = estimate(pts, g, p);
    ASSERT_EQ(v.size(), ref.size());
    double mx = 0, d = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        EXPECT_EQ(v[i] == p.nodata, ref[i] == p.nodata) << i;
        if (ref[i] == p.nodata) continue;
        mx = std::max(mx, ref[i]);
        d = std::max(d, std::abs(v[i] - ref[i]));
    }
    EXPECT_LT(d, 1e-12 * mx);
}
