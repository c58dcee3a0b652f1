// SPDX-License-Identifier: MIT
// Emerging hot spots: space-time weights, Gi* per bin, Mann-Kendall per location, patterns.
#include "hotmap/spacetime/emerging.hpp"

#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"

#include <algorithm>
#include <cmath>

namespace hotmap::spacetime {

stats::Weights space_time_weights(const stats::Weights& spatial, std::size_t steps, unsigned time_neighbors)
{
    const std::size_t L = spatial.size(), T = steps;
    stats::Weights w;
    w.start.assign(L * T + 1, 0);
    // row sizes first: (spatial neighbours + self) x (steps back available + 1) - self
    for (std::size_t l = 0; l < L; ++l)
        for (std::size_t t = 0; t < T; ++t) {
            const std::size_t back = std::min<std::size_t>(time_neighbors, t);
            w.start[l * T + t + 1] = (spatial.count(l) + 1) * (back + 1) - 1;
        }
    for (std::size_t b = 0; b < L * T; ++b) w.start[b + 1] += w.start[b];
    w.index.resize(w.start.back());
    for (std::size_t l = 0; l < L; ++l) {
        // the location and its spatial neighbours, ascending (bin ids then ascend too)
        std::vector<std::uint32_t> around(spatial.index.begin() + static_cast<std::ptrdiff_t>(spatial.start[l]),
                                          spatial.index.begin() + static_cast<std::ptrdiff_t>(spatial.start[l + 1]));
        around.insert(std::upper_bound(around.begin(), around.end(), static_cast<std::uint32_t>(l)), static_cast<std::uint32_t>(l));
        for (std::size_t t = 0; t < T; ++t) {
            const std::size_t first = t - std::min<std::size_t>(time_neighbors, t);
            std::size_t k = w.start[l * T + t];
            for (std::uint32_t m : around)
                for (std::size_t s = first; s <= t; ++s) {
                    if (m == l && s == t) continue;
                    w.index[k++] = static_cast<std::uint32_t>(static_cast<std::size_t>(m) * T + s);
                }
        }
    }
    return w;
}

namespace {

/// The rules for one side (hot, or cold for the mirror): `side` 1 where the step is significant
/// on that side, `other` on the other side; `up` = a significant trend towards the side.
int rules(const std::vector<int>& side, const std::vector<int>& other, bool up, bool down)
{
    const std::size_t T = side.size();
    std::size_t n = 0;
    for (std::size_t t = 0; t < T; ++t) n += static_cast<std::size_t>(side[t]);
    const bool final = side[T - 1] != 0;
    const bool ninety = static_cast<double>(n) >= 0.9 * static_cast<double>(T);
    if (final) {
        std::size_t run = 0;
        while (run < T && side[T - 1 - run]) ++run;
        const bool before_run = n > run; // hot steps before the final run
        if (n == 1) return 1;                                    // New
        if (run >= 2 && !before_run && !ninety) return 2;        // Consecutive
        if (ninety) return up ? 3 : down ? 5 : 4;               // Intensifying / Diminishing / Persistent
        bool other_before = false;
        for (std::size_t t = 0; t + 1 < T; ++t) other_before = other_before || other[t] != 0;
        return other_before ? 7 : 6;                             // Oscillating / Sporadic
    }
    if (ninety) return 8;                                        // Historical
    return 0;
}

} // namespace

int classify(const std::vector<int>& bins, const stats::MannKendall& trend)
{
    if (bins.empty()) return 0;
    std::vector<int> hot(bins.size()), cold(bins.size());
    for (std::size_t t = 0; t < bins.size(); ++t) {
        hot[t] = bins[t] >= 1;
        cold[t] = bins[t] <= -1;
    }
    const bool sig = trend.valid && trend.p <= 0.05;
    const bool increasing = sig && trend.s > 0, decreasing = sig && trend.s < 0;
    if (const int h = rules(hot, cold, increasing, decreasing)) return h;
    if (const int c = rules(cold, hot, decreasing, increasing)) return -c;
    return 0;
}

std::string pattern_name(int c)
{
    static const char* names[9] = {"No Pattern Detected", "New", "Consecutive", "Intensifying", "Persistent", "Diminishing", "Sporadic",
                                   "Oscillating", "Historical"};
    if (c == 0 || c < -8 || c > 8) return names[0];
    return std::string(names[std::abs(c)]) + (c > 0 ? " Hot Spot" : " Cold Spot");
}

Emerging emerging_hotspots(const std::vector<double>& x, std::size_t L, std::size_t T, const stats::Weights& spatial,
                           const EmergingOptions& o)
{
    if (spatial.size() != L || x.size() != L * T) throw ParameterError("emerging: the cube and the weights do not match");
    Emerging e;
    const stats::Weights w = space_time_weights(spatial, T, o.time_neighbors);
    stats::GiOptions g;
    g.fdr = o.fdr;
    g.threads = o.threads;
    e.bins = stats::getis_ord_gistar(x, w, g);
    e.category.assign(L, 0);
    e.trend.assign(L, {});
    e.hot_steps.assign(L, 0);
    e.cold_steps.assign(L, 0);
    parallel::for_each(L, 256, o.threads, [&](std::size_t l) {
        std::vector<double> z(T);
        std::vector<int> bins(T);
        for (std::size_t t = 0; t < T; ++t) {
            const double v = e.bins.z[l * T + t];
            z[t] = std::isfinite(v) ? v : 0.0; // a bin without neighbours counts as z = 0 in the trend
            bins[t] = e.bins.bin[l * T + t];
            e.hot_steps[l] += bins[t] >= 1;
            e.cold_steps[l] += bins[t] <= -1;
        }
        e.trend[l] = stats::mann_kendall(z);
        e.category[l] = classify(bins, e.trend[l]);
    });
    for (int c : e.category) ++e.pattern_counts[static_cast<std::size_t>(c + 8)];
    return e;
}

} // namespace hotmap::spacetime
