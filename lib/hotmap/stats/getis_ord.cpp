// SPDX-License-Identifier: MIT
// Getis-Ord Gi*: z-scores, two-sided p, bins with Benjamini-Hochberg FDR, permutation pseudo-p.
#include "hotmap/stats/getis_ord.hpp"

#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/stats/neighbour_views.hpp"
#include "hotmap/stats/permutation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

namespace hotmap::stats {

namespace {
constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

struct Moments {
    double n = 0, mean = 0, s = 0;
};

Moments moments(const std::vector<double>& x)
{
    if (x.size() < 3) throw InputError("hotspots: at least 3 features are needed (got " + std::to_string(x.size()) + ")");
    Moments m;
    m.n = static_cast<double>(x.size());
    for (double v : x) {
        if (!std::isfinite(v)) throw InputError("hotspots: non-finite value in the analysis variable");
        m.mean += v;
    }
    m.mean /= m.n;
    double ss = 0;
    for (double v : x) ss += (v - m.mean) * (v - m.mean);
    m.s = std::sqrt(ss / m.n);
    if (!(m.s > 0) || m.s <= 1e-12 * std::max(1.0, std::fabs(m.mean)))
        throw InputError("hotspots: the analysis variable is constant (zero variance); no hot spot statistic");
    return m;
}

double gi_z(const Moments& m, double lag, double wi, double s1)
{
    const double den = m.s * std::sqrt((m.n * s1 - wi * wi) / (m.n - 1));
    if (!(den > 0)) return k_nan;
    return (lag - wi * m.mean) / den;
}

} // namespace

double two_sided_p(double z)
{
    if (!std::isfinite(z)) return k_nan;
    return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

std::uint64_t feature_seed(std::uint64_t seed, std::size_t i)
{
    // splitmix64 of seed and index
    std::uint64_t v = seed ^ (0x9E3779B97F4A7C15ULL * (static_cast<std::uint64_t>(i) + 1));
    v = (v ^ (v >> 30)) * 0xBF58476D1CE4E5B9ULL;
    v = (v ^ (v >> 27)) * 0x94D049BB133111EBULL;
    return v ^ (v >> 31);
}

std::vector<char> fdr_pass(const std::vector<double>& p, double q)
{
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < p.size(); ++i)
        if (std::isfinite(p[i])) idx.push_back(i);
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
    const double m = static_cast<double>(idx.size());
    std::size_t kmax = 0; // number passing
    for (std::size_t r = 0; r < idx.size(); ++r)
        if (p[idx[r]] <= static_cast<double>(r + 1) / m * q) kmax = r + 1;
    std::vector<char> pass(p.size(), 0);
    for (std::size_t r = 0; r < kmax; ++r) pass[idx[r]] = 1;
    return pass;
}

std::vector<int> significance_bins(const std::vector<double>& z, const std::vector<double>& p, bool fdr)
{
    std::vector<int> bin(p.size(), 0);
    const double levels[3] = {0.10, 0.05, 0.01};
    for (int l = 0; l < 3; ++l) {
        std::vector<char> pass;
        if (fdr) pass = fdr_pass(p, levels[l]);
        for (std::size_t i = 0; i < p.size(); ++i) {
            const bool ok = fdr ? pass[i] != 0 : (std::isfinite(p[i]) && p[i] <= levels[l]);
            if (ok && std::isfinite(z[i]) && z[i] != 0) bin[i] = (z[i] > 0 ? 1 : -1) * (l + 1);
        }
    }
    return bin;
}

namespace {

template <class View>
GiStar gistar_impl(const std::vector<double>& x, const View& w, const GiOptions& o)
{
    const Moments m = moments(x);
    const std::size_t n = x.size();
    GiStar r;
    r.z.assign(n, k_nan);
    r.p.assign(n, k_nan);
    r.nn.assign(n, 0);
    parallel::for_chunks(n, 1024, o.threads, [&](std::size_t lo, std::size_t hi) {
        for (std::size_t i = lo; i < hi; ++i) {
            double lag = x[i], wi = 1, s1 = 1;
            w.for_each(i, [&](std::size_t j, double wl) {
                lag += wl * x[j];
                wi += wl;
                s1 += wl * wl;
            });
            r.nn[i] = static_cast<std::uint32_t>(w.count(i) + 1);
            if (w.count(i) == 0) continue;
            r.z[i] = gi_z(m, lag, wi, s1);
            r.p[i] = two_sided_p(r.z[i]);
        }
    });
    r.bin = significance_bins(r.z, r.p, o.fdr);
    return r;
}

} // namespace

GiStar getis_ord_gistar(const std::vector<double>& x, const Weights& w, const GiOptions& o)
{
    if (w.size() != x.size()) throw ParameterError("hotspots: weights and values differ in size");
    GiStar r = gistar_impl(x, detail::CsrView{w}, o);
    if (o.permutations > 0) r.pseudo_p = permutation_pseudo_p(x, w, PermStat::gistar, o.permutations, o.seed, o.threads);
    return r;
}

GiStar getis_ord_gistar(const std::vector<double>& x, const LatticeWeights& w, const GiOptions& o)
{
    if (w.size() != x.size()) throw ParameterError("hotspots: weights and values differ in size");
    GiStar r = gistar_impl(x, detail::LatticeView{w, false}, o);
    if (o.permutations > 0) r.pseudo_p = permutation_pseudo_p(x, w, false, PermStat::gistar, o.permutations, o.seed, o.threads);
    return r;
}

GiStar getis_ord_lattice(const std::vector<double>& x, std::size_t ncol, std::size_t nrow, double band_cells,
                         const GiOptions& o)
{
    if (x.size() != ncol * nrow) throw ParameterError("hotspots: lattice size mismatch");
    if (!(band_cells > 0)) throw ParameterError("--distance must be positive");
    const Moments m = moments(x);
    const auto reach = static_cast<std::int64_t>(std::floor(band_cells));
    const double b2 = band_cells * band_cells * (1 + 1e-12);
    // stencil: per row offset dy, the column half-width
    std::vector<std::int64_t> half(static_cast<std::size_t>(2 * reach + 1));
    for (std::int64_t dy = -reach; dy <= reach; ++dy) {
        std::int64_t h = 0;
        while (static_cast<double>((h + 1) * (h + 1) + dy * dy) <= b2) ++h;
        half[static_cast<std::size_t>(dy + reach)] = h;
    }
    const auto nc = static_cast<std::int64_t>(ncol), nr = static_cast<std::int64_t>(nrow);
    // prefix sums along rows make each stencil row O(1)
    std::vector<double> pre(nrow * (ncol + 1), 0.0);
    for (std::size_t rr = 0; rr < nrow; ++rr)
        for (std::size_t c = 0; c < ncol; ++c) pre[rr * (ncol + 1) + c + 1] = pre[rr * (ncol + 1) + c] + x[rr * ncol + c];
    GiStar r;
    const std::size_t n = x.size();
    r.z.assign(n, k_nan);
    r.p.assign(n, k_nan);
    r.nn.assign(n, 0);
    parallel::for_chunks(nrow, 8, o.threads, [&](std::size_t lo, std::size_t hi) {
        for (std::size_t rr = lo; rr < hi; ++rr)
            for (std::size_t c = 0; c < ncol; ++c) {
                double lag = 0;
                std::int64_t cnt = 0;
                for (std::int64_t dy = -reach; dy <= reach; ++dy) {
                    const std::int64_t y = static_cast<std::int64_t>(rr) + dy;
                    if (y < 0 || y >= nr) continue;
                    const std::int64_t h = half[static_cast<std::size_t>(dy + reach)];
                    const std::int64_t a = std::max<std::int64_t>(0, static_cast<std::int64_t>(c) - h);
                    const std::int64_t b = std::min<std::int64_t>(nc - 1, static_cast<std::int64_t>(c) + h);
                    const double* row = &pre[static_cast<std::size_t>(y) * (ncol + 1)];
                    lag += row[b + 1] - row[a];
                    cnt += b - a + 1;
                }
                const std::size_t i = rr * ncol + c;
                r.nn[i] = static_cast<std::uint32_t>(cnt);
                if (cnt <= 1) continue;
                const double wi = static_cast<double>(cnt);
                r.z[i] = gi_z(m, lag, wi, wi);
                r.p[i] = two_sided_p(r.z[i]);
            }
    });
    r.bin = significance_bins(r.z, r.p, o.fdr);
    return r;
}

} // namespace hotmap::stats
