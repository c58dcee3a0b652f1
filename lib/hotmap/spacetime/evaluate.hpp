// SPDX-License-Identifier: MIT
// How well one period's hotspot map predicts the next: the cells a method ranks highest on the
// training period, scored on the test period (hit rate, PAI, PEI, recapture rate index).
//
// For a study area of n cells, a ranking (best first) and an area share s (percent), the
// k = round(s n / 100) best cells (at least 1) are the predicted hotspots. With
// N_train, N_test the incidents in all cells in each period, and h_train, h_test those in
// the k chosen cells:
//   hit rate  H   = 100 h_test / N_test                        (percent of test incidents caught)
//   area      a   = 100 k / n                                  (the exact share of the k cells)
//   PAI           = H / a                                      (Chainey et al. 2008)
//   PEI           = h_test / h_best, h_best = the test incidents in the k cells with the most
//                   test incidents: 1 = no k cells would have done better (Hunt 2016)
//   RRI           = (h_test / h_train) / (N_test / N_train)    (Levine's recapture rate index:
//                   above 1 when the chosen cells keep more than their share of the incidents)
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hotmap::spacetime {

/// k = round(share_pct * n / 100), at least 1 and at most n (0 when n = 0). Throws
/// ParameterError when share_pct is not in (0, 100].
std::size_t cells_for_share(double share_pct, std::size_t n);

/// Cell indices best first: `score` descending (NaN last), ties broken by `tiebreak`
/// descending, then by index ascending (deterministic). Throws ParameterError on a size
/// mismatch.
std::vector<std::size_t> rank_cells(const std::vector<double>& score, const std::vector<double>& tiebreak);

/// The scores of one ranking at one area share.
struct ShareScore {
    double share_pct = 0;       ///< as requested
    std::size_t cells = 0;      ///< k
    double area_pct = 0;        ///< 100 k / n
    std::uint64_t hits = 0;     ///< h_test
    std::uint64_t train_hits = 0; ///< h_train
    std::uint64_t best_hits = 0;  ///< h_best
    double hit_rate_pct = 0;
    double pai = 0;
    double pei = 0;
    double rri = 0;             ///< NaN when h_train = 0
};

/// Score `order` (a permutation of the cells, best first, as rank_cells) at each share.
/// `train` and `test` are the incidents per cell in each period. Throws ParameterError (sizes,
/// shares), InputError when either period has no incident in the cells.
std::vector<ShareScore> score_shares(const std::vector<std::size_t>& order, const std::vector<std::uint64_t>& train,
                                     const std::vector<std::uint64_t>& test, const std::vector<double>& shares_pct);

/// The shares of a hit-rate curve: 0.1 .. 0.9 by 0.1, then every whole percent 1 .. 100.
std::vector<double> curve_shares();

} // namespace hotmap::spacetime
