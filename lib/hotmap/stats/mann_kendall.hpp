// SPDX-License-Identifier: MIT
// Mann-Kendall trend test with tie correction (used by districts and emerging hotspots).
#pragma once

#include <vector>

namespace hotmap::stats {

struct MannKendall {
    double s = 0;      ///< S statistic
    double var_s = 0;  ///< variance of S with the tie correction
    double tau = 0;    ///< Kendall's tau-b against time (ties in the series corrected)
    double z = 0;      ///< (S - sign(S)) / sqrt(Var S), continuity-corrected
    double p = 1;      ///< two-sided normal p-value
    bool valid = false; ///< false for fewer than 3 values or a constant series (tau, z undefined)
};

/// Trend of a series observed at equally spaced times. O(n^2); n is a number of periods.
MannKendall mann_kendall(const std::vector<double>& series);

/// Two-sided p-value of a standard normal z.
double normal_two_sided_p(double z);

} // namespace hotmap::stats
