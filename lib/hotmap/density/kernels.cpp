// SPDX-License-Identifier: MIT
// Kernel constants and values, and the automatic bandwidth rule.
#include "hotmap/density/bandwidth.hpp"
#include "hotmap/density/kernels.hpp"

#include "hotmap/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace hotmap::density {

Kernel parse_kernel(const std::string& s)
{
    if (s == "quartic" || s == "biweight") return Kernel::quartic;
    if (s == "epanechnikov") return Kernel::epanechnikov;
    if (s == "triweight") return Kernel::triweight;
    if (s == "uniform") return Kernel::uniform;
    if (s == "gaussian") return Kernel::gaussian;
    throw ParameterError("--kernel '" + s + "': expected quartic, epanechnikov, triweight, uniform or gaussian");
}

std::string kernel_name(Kernel k)
{
    switch (k) {
    case Kernel::quartic: return "quartic";
    case Kernel::epanechnikov: return "epanechnikov";
    case Kernel::triweight: return "triweight";
    case Kernel::uniform: return "uniform";
    case Kernel::gaussian: return "gaussian";
    }
    return "?";
}

int kernel_degree(Kernel k)
{
    switch (k) {
    case Kernel::quartic: return 2;
    case Kernel::epanechnikov: return 1;
    case Kernel::triweight: return 3;
    case Kernel::uniform: return 0;
    case Kernel::gaussian: return -1;
    }
    return -1;
}

double kernel_scale(Kernel k, double r)
{
    const double pi = std::numbers::pi, r2 = r * r;
    switch (k) {
    case Kernel::quartic: return 3.0 / (pi * r2 * r2 * r2);
    case Kernel::epanechnikov: return 2.0 / (pi * r2 * r2);
    case Kernel::triweight: return 4.0 / (pi * r2 * r2 * r2 * r2);
    case Kernel::uniform: return 1.0 / (pi * r2);
    case Kernel::gaussian: return 1.0 / (2 * pi * r2);
    }
    return 0;
}

double kernel_support(Kernel k, double bw) { return k == Kernel::gaussian ? bw * k_gaussian_cut_sigmas : bw; }

double kernel_value(Kernel k, double bw, double d)
{
    const double d2 = d * d;
    if (k == Kernel::gaussian) {
        if (d >= kernel_support(k, bw)) return 0;
        return kernel_scale(k, bw) * std::exp(-d2 / (2 * bw * bw));
    }
    const double t = bw * bw - d2;
    if (!(d < bw)) return 0;
    return kernel_scale(k, bw) * std::pow(t, kernel_degree(k));
}

BandwidthRule auto_bandwidth(const std::vector<Incident>& items, bool weighted)
{
    if (items.empty()) throw InputError("--bandwidth auto needs at least one incident");
    double sw = 0, sx = 0, sy = 0;
    for (const Incident& i : items) {
        const double w = weighted ? i.weight : 1.0;
        sw += w;
        sx += w * i.x;
        sy += w * i.y;
    }
    if (!(sw > 0)) throw InputError("--bandwidth auto: the incident weights sum to zero");
    const double mx = sx / sw, my = sy / sw;
    std::vector<std::pair<double, double>> dw; // (distance, weight)
    dw.reserve(items.size());
    double s2 = 0;
    for (const Incident& i : items) {
        const double w = weighted ? i.weight : 1.0;
        const double d2 = (i.x - mx) * (i.x - mx) + (i.y - my) * (i.y - my);
        s2 += w * d2;
        dw.emplace_back(std::sqrt(d2), w);
    }
    std::sort(dw.begin(), dw.end());
    BandwidthRule r;
    r.standard_distance = std::sqrt(s2 / sw);
    r.n = sw;
    // (weighted) median: first distance where the cumulative weight reaches half; the mean of
    // it and the next one when the half falls exactly between them (the usual even-n median).
    const double half = sw / 2;
    double cum = 0;
    for (std::size_t k = 0; k < dw.size(); ++k) {
        cum += dw[k].second;
        if (cum >= half) {
            r.median_distance = (cum == half && k + 1 < dw.size()) ? 0.5 * (dw[k].first + dw[k + 1].first) : dw[k].first;
            break;
        }
    }
    r.bandwidth = 0.9 * std::min(r.standard_distance, std::sqrt(1.0 / std::log(2.0)) * r.median_distance) * std::pow(r.n, -0.2);
    // Rounding leaves nanometres when every incident is at one place: a data condition.
    if (!(r.bandwidth >= k_min_bandwidth_m)) {
        char b[64];
        std::snprintf(b, sizeof b, "%.3g", r.bandwidth);
        throw InputError(std::string("--bandwidth auto: the incidents lie (almost) all at one place (the rule gives ") + b +
                         " m); give --bandwidth METRES");
    }
    return r;
}

} // namespace hotmap::density
