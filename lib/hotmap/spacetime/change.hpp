// SPDX-License-Identifier: MIT
// What changed between two time windows, per analysis unit: the exact conditional binomial
// test of each unit's split between the windows given the overall split, confidence bins with
// Benjamini-Hochberg FDR, and Andresen's SPPT-style similarity index of the whole map.
//
// The test. A unit with n_b incidents in the first window and n_a in the second has
// n = n_b + n_a incidents in all. If nothing changed but the overall level, each of them fell in
// the second window with the overall probability p0 = N_a / (N_b + N_a) (N_b, N_a: every
// incident of the study area in each window), so that n_a ~ Binomial(n, p0). The two-sided
// exact p-value is the probability, under that binomial, of every outcome k = 0..n that is no
// more likely than the one observed: p = sum of P(K = k) over the k with
// P(K = k) <= P(K = n_a) * (1 + 1e-7) (the definition of R's binom.test, whose relative
// tolerance keeps outcomes whose probability equals the observed one up to rounding). It
// conditions on the unit's total, so windows of different lengths and a city-wide rise or fall
// need no correction: the test asks whether this unit's share moved, not whether its count did.
#pragma once

#include "hotmap/types.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hotmap::spacetime {

/// A time window [from, to) on the incidents' naive local clock (seconds, see types.hpp).
struct Window {
    Timestamp from = 0;
    Timestamp to = 0;

    /// False for an incident without a time.
    bool contains(Timestamp t) const noexcept { return t != k_no_time && t >= from && t < to; }
};

/// True when the two windows share an instant ([a, b) and [b, c) do not).
inline bool overlaps(const Window& a, const Window& b) noexcept { return a.from < b.to && b.from < a.to; }

/// "FROM,TO" (each YYYY-MM-DD[ HH:MM[:SS]], as --from/--to) -> the window [FROM, TO).
/// Throws ParameterError naming `option` when it is not two dates or TO is not after FROM.
Window parse_window(const std::string& text, const std::string& option);

/// "2012-07-01 00:00:00 .. 2012-10-01 00:00:00" for messages.
std::string describe(const Window& w);

/// P(K = k) for K ~ Binomial(n, p), 0 <= p <= 1, computed with Loader's saddle-point
/// expansion (as R's dbinom): accurate to a few ulps for any n, also far in the tails.
double binomial_pmf(std::uint64_t k, std::uint64_t n, double p);

/// The exact two-sided binomial p-value of observing x of n under probability p0 (the
/// definition above, identical to R's binom.test(x, n, p0)$p.value). 1 when n = 0. Throws
/// ParameterError when x > n or p0 is outside [0, 1]. O(sqrt(n)) terms, not O(n): each tail is
/// summed from the observed outcome outward until its terms no longer change the sum.
double binomial_two_sided_p(std::uint64_t x, std::uint64_t n, double p0);

struct ChangeOptions {
    bool fdr = true;                         ///< Benjamini-Hochberg bins (else plain thresholds)
    std::optional<std::uint64_t> total_before; ///< N_b; default: the sum of `before`
    std::optional<std::uint64_t> total_after;  ///< N_a; default: the sum of `after`
    unsigned threads = 0;                    ///< 0 = all cores; results identical for any count
};

/// Per unit results and the map-wide figures.
struct Change {
    std::vector<std::int64_t> diff;   ///< n_after - n_before
    std::vector<double> ratio;        ///< n_after / n_before; NaN when n_before = 0
    std::vector<double> excess;       ///< n_after - n * p0: > 0 when the unit's share rose
    std::vector<double> p;            ///< two-sided exact p; NaN for units without incidents (not tested)
    std::vector<int> bin;             ///< -3..3: sign of `excess`, 3/2/1 at p <= 0.01/0.05/0.10 (FDR or plain)
    std::uint64_t total_before = 0, total_after = 0;
    double p0 = 0;                    ///< total_after / (total_before + total_after)
    std::size_t tested = 0;           ///< units with at least one incident in either window
    std::size_t similar = 0;          ///< of those, units whose bin is -1, 0 or 1 (no change at 95%)
    double similarity = 0;            ///< similar / tested (SPPT S-index); NaN when nothing was tested
    std::array<std::size_t, 7> bins{}; ///< units per bin -3..3
};

/// The change of every unit from its counts in the two windows. The FDR runs over the units
/// with incidents (units with none say nothing about a change and are not tested: p NaN,
/// bin 0). Throws ParameterError when the vectors differ in size, InputError when a window has
/// no incident in total (p0 would be 0 or 1: every split is forced and nothing can be tested).
Change compare_counts(const std::vector<std::uint64_t>& before, const std::vector<std::uint64_t>& after,
                      const ChangeOptions& o = {});

/// Legend labels of the bins -3..3: "Significant decrease, 99% confidence" .. "No significant
/// change" .. "Significant increase, 99% confidence".
const std::array<const char*, 7>& change_bin_labels();

} // namespace hotmap::spacetime
