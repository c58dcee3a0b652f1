// SPDX-License-Identifier: MIT
// Conditional permutation pseudo-p with a partial Fisher-Yates shuffle undone after each draw.
#include "hotmap/stats/permutation.hpp"

#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/stats/getis_ord.hpp"
#include "hotmap/stats/neighbour_views.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace hotmap::stats {

namespace {
/// splitmix64 stream with Lemire's multiply-shift bounded draw: fast and the same on every platform.
struct Rng {
    std::uint64_t state;
    std::uint64_t next() noexcept
    {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t range) noexcept
    {
        __extension__ using U128 = unsigned __int128;
        return static_cast<std::size_t>((static_cast<U128>(next()) * range) >> 64);
    }
};
template <class View>
std::vector<double> pseudo_p_impl(const std::vector<double>& x, const View& w, PermStat stat, unsigned permutations, std::uint64_t seed,
                                  unsigned threads)
{
    const std::size_t n = x.size();
    if (w.size() != n) throw ParameterError("permutations: weights and values differ in size");
    if (n < 3) throw InputError("permutations: at least 3 features are needed");
    double mean = 0;
    for (double v : x) mean += v;
    mean /= static_cast<double>(n);
    // local Moran uses deviations; the statistic's constant factor (1/m2) does not matter
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = stat == PermStat::local_moran ? x[i] - mean : x[i];
    std::vector<double> out(n, std::numeric_limits<double>::quiet_NaN());
    parallel::for_chunks(n, 1024, threads, [&](std::size_t lo, std::size_t hi) {
        std::vector<std::uint32_t> pool(n);
        std::iota(pool.begin(), pool.end(), 0u); // restored after every feature
        std::vector<std::pair<std::size_t, std::size_t>> swaps;
        for (std::size_t i = lo; i < hi; ++i) {
            const std::size_t k = w.count(i);
            if (k == 0) continue;
            if (k > n - 1) continue;
            // pool[0, n-1) = all indices but i
            std::swap(pool[i], pool[n - 1]);
            double obs = 0;
            w.for_each(i, [&](std::size_t j, double wl) { obs += wl * v[j]; });
            Rng rng{feature_seed(seed, i)};
            std::size_t larger = 0, smaller = 0; // draws at least / at most as large as observed
            for (unsigned r = 0; r < permutations; ++r) {
                swaps.clear();
                double sim = 0;
                for (std::size_t q = 0; q < k; ++q) {
                    const std::size_t range = n - 1 - q;
                    const std::size_t pick = q + rng.below(range);
                    std::swap(pool[q], pool[pick]);
                    swaps.emplace_back(q, pick);
                    sim += w.weight(i, q) * v[pool[q]];
                }
                for (auto it = swaps.rbegin(); it != swaps.rend(); ++it) std::swap(pool[it->first], pool[it->second]);
                // local Moran: I_i = v_i * lag; compare I values (sign of v_i matters)
                const double a = stat == PermStat::local_moran ? v[i] * sim : sim;
                const double b = stat == PermStat::local_moran ? v[i] * obs : obs;
                if (a >= b) ++larger;
                if (a <= b) ++smaller;
            }
            std::swap(pool[i], pool[n - 1]);
            // folded on the side of the observed value: a draw equal to it counts on both sides,
            // so a value every draw ties with (zeros around zeros) gets p = 1, not 1/(R+1)
            const std::size_t extreme = std::min(larger, smaller);
            out[i] = (static_cast<double>(extreme) + 1.0) / (static_cast<double>(permutations) + 1.0);
        }
    });
    return out;
}

} // namespace

std::vector<double> permutation_pseudo_p(const std::vector<double>& x, const Weights& w, PermStat stat,
                                         unsigned permutations, std::uint64_t seed, unsigned threads)
{
    return pseudo_p_impl(x, detail::CsrView{w}, stat, permutations, seed, threads);
}

std::vector<double> permutation_pseudo_p(const std::vector<double>& x, const LatticeWeights& w, bool row_standardised, PermStat stat,
                                         unsigned permutations, std::uint64_t seed, unsigned threads)
{
    return pseudo_p_impl(x, detail::LatticeView{w, row_standardised}, stat, permutations, seed, threads);
}

} // namespace hotmap::stats
