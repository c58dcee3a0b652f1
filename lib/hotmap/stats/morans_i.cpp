// SPDX-License-Identifier: MIT
// Local and global Moran's I (spdep conventions, reference/README.md §c, §d).
#include "hotmap/stats/morans_i.hpp"

#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/stats/getis_ord.hpp"
#include "hotmap/stats/neighbour_views.hpp"
#include "hotmap/stats/permutation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hotmap::stats {

namespace {
constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

std::vector<double> deviations(const std::vector<double>& x, double& m2)
{
    if (x.size() < 3) throw InputError("Moran's I: at least 3 features are needed (got " + std::to_string(x.size()) + ")");
    double mean = 0;
    for (double v : x) {
        if (!std::isfinite(v)) throw InputError("Moran's I: non-finite value in the analysis variable");
        mean += v;
    }
    mean /= static_cast<double>(x.size());
    std::vector<double> z(x.size());
    m2 = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        z[i] = x[i] - mean;
        m2 += z[i] * z[i];
    }
    m2 /= static_cast<double>(x.size());
    if (!(m2 > 1e-24 * std::max(1.0, mean * mean)))
        throw InputError("Moran's I: the analysis variable is constant (zero variance)");
    return z;
}
} // namespace

namespace {

/// Local Moran's I on neighbours `w` (weights already in the chosen style); `perm` computes
/// the pseudo-p when permutations are asked for.
template <class View, class Perm>
LocalMoran local_moran_impl(const std::vector<double>& x, const View& w, const LisaOptions& o, Perm&& perm)
{
    double m2 = 0;
    const std::vector<double> z = deviations(x, m2);
    const std::size_t n = x.size();
    const double nd = static_cast<double>(n);
    double m4 = 0;
    for (double v : z) m4 += v * v * v * v;
    const double b2 = (m4 / nd) / (m2 * m2);
    LocalMoran r;
    for (auto* v : {&r.ii, &r.e_total, &r.var_total, &r.z_total, &r.p_total, &r.e_cond, &r.var_cond, &r.z_cond}) v->assign(n, k_nan);
    r.nn.assign(n, 0);
    r.cotype.assign(n, std::string());
    parallel::for_chunks(n, 1024, o.threads, [&](std::size_t lo, std::size_t hi) {
        for (std::size_t i = lo; i < hi; ++i) {
            r.nn[i] = static_cast<std::uint32_t>(w.count(i));
            if (w.count(i) == 0) continue;
            double lz = 0, wi = 0, w2 = 0;
            w.for_each(i, [&](std::size_t j, double wl) {
                lz += wl * z[j];
                wi += wl;
                w2 += wl * wl;
            });
            const double ii = z[i] * lz / m2;
            r.ii[i] = ii;
            const double e = -wi / (nd - 1);
            const double var = (nd - b2) / (nd - 1) * w2 + (2 * b2 - nd) / ((nd - 1) * (nd - 2)) * (wi * wi - w2) - e * e;
            r.e_total[i] = e;
            r.var_total[i] = var;
            r.z_total[i] = var > 0 ? (ii - e) / std::sqrt(var) : k_nan;
            r.p_total[i] = two_sided_p(r.z_total[i]);
            const double zi2 = z[i] * z[i];
            const double ec = -zi2 * wi / ((nd - 1) * m2);
            const double vc = (z[i] / m2) * (z[i] / m2) * nd / (nd - 2) * (w2 - wi * wi / (nd - 1)) * (m2 - zi2 / (nd - 1));
            r.e_cond[i] = ec;
            r.var_cond[i] = vc;
            r.z_cond[i] = vc > 0 ? (ii - ec) / std::sqrt(vc) : k_nan;
        }
    });
    if (o.permutations > 0) r.pseudo_p = perm();
    const std::vector<double>& p = o.permutations > 0 ? r.pseudo_p : r.p_total;
    std::vector<char> sig(n, 0);
    if (o.fdr) sig = fdr_pass(p, 0.05);
    else
        for (std::size_t i = 0; i < n; ++i) sig[i] = std::isfinite(p[i]) && p[i] <= 0.05;
    for (std::size_t i = 0; i < n; ++i) {
        if (!sig[i] || w.count(i) == 0) continue;
        double lz = 0;
        w.for_each(i, [&](std::size_t j, double wl) { lz += wl * z[j]; });
        if (o.style == WeightStyle::binary) lz /= static_cast<double>(w.count(i)); // compare the mean of neighbours
        r.cotype[i] = std::string(z[i] >= 0 ? "H" : "L") + (lz >= 0 ? "H" : "L");
    }
    return r;
}

template <class View>
GlobalMoran global_moran_impl(const std::vector<double>& x, const View& w, bool randomisation)
{
    double m2 = 0;
    const std::vector<double> z = deviations(x, m2);
    const std::size_t nall = x.size();
    double zz = 0, z4 = 0;
    for (double v : z) {
        zz += v * v;
        z4 += v * v * v * v;
    }
    // S0, S1, S2 need w_ji: build the transpose by scanning (symmetric or not). One pass over
    // the links (at 25 m cells and a 250 m band, 75M of them) for every sum; each sum is taken
    // in the same order as by separate passes, so the bits are the same.
    std::vector<double> colsum(nall, 0.0), rowsum(nall, 0.0);
    double s0 = 0, cross = 0, s1 = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < nall; ++i) {
        if (w.count(i) > 0) ++n;
        double rs = 0, lz = 0;
        w.for_each(i, [&](std::size_t j, double wl) {
            rs += wl;
            colsum[j] += wl;
            lz += wl * z[j];
            // S1 = 1/2 sum over ordered pairs of (w_ij + w_ji)^2: a two-way link is visited from
            // both ends (half each), a one-way link once (both ordered pairs, halved)
            const double wji = w.reverse(i, j);
            s1 += wji != 0 ? (wl + wji) * (wl + wji) / 2.0 : wl * wl;
        });
        rowsum[i] = rs;
        s0 += rs;
        cross += z[i] * lz;
    }
    double s2 = 0;
    for (std::size_t i = 0; i < nall; ++i) s2 += (rowsum[i] + colsum[i]) * (rowsum[i] + colsum[i]);
    GlobalMoran g;
    g.n = n;
    if (n < 3 || !(s0 > 0)) throw InputError("global Moran: fewer than 3 features with neighbours");
    const double nd = static_cast<double>(n);
    g.i = nd / s0 * cross / zz;
    g.expected = -1.0 / (nd - 1);
    const double s02 = s0 * s0;
    if (randomisation) {
        const double k = static_cast<double>(nall) * z4 / (zz * zz);
        double vi = nd * (s1 * (nd * nd - 3 * nd + 3) - nd * s2 + 3 * s02);
        const double tmp = k * (s1 * (nd * nd - nd) - 2 * nd * s2 + 6 * s02);
        vi = (vi - tmp) / ((nd - 1) * (nd - 2) * (nd - 3) * s02);
        g.variance = vi - g.expected * g.expected;
    } else {
        g.variance = (nd * nd * s1 - nd * s2 + 3 * s02) / (s02 * (nd * nd - 1)) - g.expected * g.expected;
    }
    g.z = g.variance > 0 ? (g.i - g.expected) / std::sqrt(g.variance) : k_nan;
    g.p_greater = std::isfinite(g.z) ? 0.5 * std::erfc(g.z / std::sqrt(2.0)) : k_nan;
    g.p_two_sided = two_sided_p(g.z);
    return g;
}

} // namespace

LocalMoran local_moran(const std::vector<double>& x, const Weights& w_in, const LisaOptions& o)
{
    if (w_in.size() != x.size()) throw ParameterError("local Moran: weights and values differ in size");
    Weights w = w_in;
    if (o.style == WeightStyle::row) row_standardise(w);
    return local_moran_impl(x, detail::CsrView{w}, o,
                            [&] { return permutation_pseudo_p(x, w, PermStat::local_moran, o.permutations, o.seed, o.threads); });
}

LocalMoran local_moran(const std::vector<double>& x, const LatticeWeights& w, const LisaOptions& o)
{
    if (w.size() != x.size()) throw ParameterError("local Moran: weights and values differ in size");
    const bool row = o.style == WeightStyle::row;
    return local_moran_impl(x, detail::LatticeView{w, row}, o,
                            [&] { return permutation_pseudo_p(x, w, row, PermStat::local_moran, o.permutations, o.seed, o.threads); });
}

GlobalMoran global_moran(const std::vector<double>& x, const Weights& w, bool randomisation)
{
    if (w.size() != x.size()) throw ParameterError("global Moran: weights and values differ in size");
    return global_moran_impl(x, detail::CsrView{w}, randomisation);
}

GlobalMoran global_moran(const std::vector<double>& x, const LatticeWeights& w, bool row_standardised, bool randomisation)
{
    if (w.size() != x.size()) throw ParameterError("global Moran: weights and values differ in size");
    return global_moran_impl(x, detail::LatticeView{w, row_standardised}, randomisation);
}

} // namespace hotmap::stats
