// SPDX-License-Identifier: MIT
// Mann-Kendall S, tie-corrected variance, tau-b and normal p-value.
#include "hotmap/stats/mann_kendall.hpp"

#include <algorithm>
#include <cmath>

namespace hotmap::stats {

double normal_two_sided_p(double z)
{
    if (!std::isfinite(z)) return std::isnan(z) ? std::nan("") : 0.0;
    return std::erfc(std::abs(z) / std::sqrt(2.0));
}

MannKendall mann_kendall(const std::vector<double>& x)
{
    MannKendall r;
    const std::size_t n = x.size();
    if (n < 3) return r;
    double s = 0;
    for (std::size_t i = 0; i + 1 < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) s += (x[j] > x[i]) - (x[j] < x[i]);
    // tie groups
    std::vector<double> sorted = x;
    std::sort(sorted.begin(), sorted.end());
    double tie_var = 0, tie_pairs = 0;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && sorted[j] == sorted[i]) ++j;
        const double t = static_cast<double>(j - i);
        tie_var += t * (t - 1) * (2 * t + 5);
        tie_pairs += t * (t - 1) / 2;
        i = j;
    }
    const double nd = static_cast<double>(n);
    const double n0 = nd * (nd - 1) / 2;
    r.s = s;
    r.var_s = (nd * (nd - 1) * (2 * nd + 5) - tie_var) / 18.0;
    if (r.var_s <= 0 || n0 - tie_pairs <= 0) return r; // constant series
    r.tau = s / std::sqrt(n0 * (n0 - tie_pairs));
    r.z = s == 0 ? 0.0 : (s - (s > 0 ? 1 : -1)) / std::sqrt(r.var_s);
    r.p = normal_two_sided_p(r.z);
    r.valid = true;
    return r;
}

} // namespace hotmap::stats
