// SPDX-License-Identifier: MIT
// Hotspot map evaluation: rankings, area shares, hit rate, PAI, PEI, RRI.
#include "hotmap/spacetime/evaluate.hpp"

#include "hotmap/error.hpp"
#include "hotmap/text.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <string>

namespace hotmap::spacetime {

std::size_t cells_for_share(double share_pct, std::size_t n)
{
    if (!(share_pct > 0 && share_pct <= 100))
        throw ParameterError("area share " + text::number(share_pct) + "%: expected a share in (0, 100]");
    if (n == 0) return 0;
    // round half up; the 1e-9 keeps 1.5 at 2 when the product is computed as 1.4999999999
    const double k = std::floor(share_pct * static_cast<double>(n) / 100 + 0.5 + 1e-9);
    return std::clamp<std::size_t>(static_cast<std::size_t>(k), 1, n);
}

std::vector<std::size_t> rank_cells(const std::vector<double>& score, const std::vector<double>& tiebreak)
{
    if (score.size() != tiebreak.size()) throw ParameterError("evaluate: scores and tie-breaks differ in size");
    std::vector<std::size_t> order(score.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    const auto key = [](double v) { return std::isnan(v) ? -std::numeric_limits<double>::infinity() : v; };
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const double sa = key(score[a]), sb = key(score[b]);
        if (sa != sb) return sa > sb;
        const bool na = std::isnan(score[a]), nb = std::isnan(score[b]);
        if (na != nb) return nb; // a finite -inf ranks before a NaN
        if (tiebreak[a] != tiebreak[b]) return tiebreak[a] > tiebreak[b];
        return a < b;
    });
    return order;
}

std::vector<ShareScore> score_shares(const std::vector<std::size_t>& order, const std::vector<std::uint64_t>& train,
                                     const std::vector<std::uint64_t>& test, const std::vector<double>& shares_pct)
{
    const std::size_t n = order.size();
    if (train.size() != n || test.size() != n) throw ParameterError("evaluate: the ranking and the counts differ in size");
    std::vector<char> seen(n, 0);
    for (std::size_t i : order) {
        if (i >= n || seen[i]) throw ParameterError("evaluate: the ranking is not a permutation of the cells");
        seen[i] = 1;
    }
    const std::uint64_t n_train = std::accumulate(train.begin(), train.end(), std::uint64_t(0));
    const std::uint64_t n_test = std::accumulate(test.begin(), test.end(), std::uint64_t(0));
    if (n_train == 0) throw InputError("evaluate: no training incident in the study area's cells");
    if (n_test == 0) throw InputError("evaluate: no test incident in the study area's cells");
    // prefix sums along the ranking, and along the best possible ranking (most test incidents first)
    std::vector<std::uint64_t> cum_test(n + 1, 0), cum_train(n + 1, 0), cum_best(n + 1, 0);
    std::vector<std::uint64_t> best = test;
    std::sort(best.begin(), best.end(), std::greater<>());
    for (std::size_t r = 0; r < n; ++r) {
        cum_test[r + 1] = cum_test[r] + test[order[r]];
        cum_train[r + 1] = cum_train[r] + train[order[r]];
        cum_best[r + 1] = cum_best[r] + best[r];
    }
    std::vector<ShareScore> out;
    out.reserve(shares_pct.size());
    for (double s : shares_pct) {
        ShareScore v;
        v.share_pct = s;
        v.cells = cells_for_share(s, n);
        v.area_pct = 100.0 * static_cast<double>(v.cells) / static_cast<double>(n);
        v.hits = cum_test[v.cells];
        v.train_hits = cum_train[v.cells];
        v.best_hits = cum_best[v.cells];
        v.hit_rate_pct = 100.0 * static_cast<double>(v.hits) / static_cast<double>(n_test);
        v.pai = v.hit_rate_pct / v.area_pct;
        v.pei = v.best_hits > 0 ? static_cast<double>(v.hits) / static_cast<double>(v.best_hits) : std::nan("");
        v.rri = v.train_hits > 0 ? (static_cast<double>(v.hits) / static_cast<double>(v.train_hits)) /
                                       (static_cast<double>(n_test) / static_cast<double>(n_train))
                                 : std::nan("");
        out.push_back(v);
    }
    return out;
}

std::vector<double> curve_shares()
{
    std::vector<double> s;
    for (int i = 1; i <= 9; ++i) s.push_back(i / 10.0);
    for (int i = 1; i <= 100; ++i) s.push_back(i);
    return s;
}

} // namespace hotmap::spacetime
