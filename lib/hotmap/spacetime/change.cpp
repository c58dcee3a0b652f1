// SPDX-License-Identifier: MIT
// Change between two windows: exact binomial tests, bins, similarity index.
#include "hotmap/spacetime/change.hpp"

#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/stats/getis_ord.hpp"
#include "hotmap/timeparse.hpp"

#include <cmath>
#include <limits>
#include <numbers>

namespace hotmap::spacetime {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

/// log(n!) - log(sqrt(2 pi n) (n/e)^n), the error of Stirling's formula (Loader 2000).
double stirlerr(double n)
{
    if (n <= 15) {
        // n! is exact in a double up to 15! (1.3e12): no cancellation beyond one rounding
        double f = 1;
        for (int i = 2; i <= static_cast<int>(n); ++i) f *= i;
        return std::log(f) - (n + 0.5) * std::log(n) + n - 0.5 * std::log(2 * std::numbers::pi);
    }
    constexpr double s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188;
    const double nn = n * n;
    if (n > 500) return (s0 - s1 / nn) / n;
    if (n > 80) return (s0 - (s1 - s2 / nn) / nn) / n;
    if (n > 35) return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

/// x log(x/np) + np - x, without the cancellation of the plain formula when x ~ np (Loader).
double bd0(double x, double np)
{
    if (std::fabs(x - np) < 0.1 * (x + np)) {
        double v = (x - np) / (x + np);
        double s = (x - np) * v;
        double ej = 2 * x * v;
        v *= v;
        for (int j = 1; j < 1000; ++j) {
            ej *= v;
            const double s1 = s + ej / (2 * j + 1);
            if (s1 == s) return s1;
            s = s1;
        }
    }
    return x * std::log(x / np) + np - x;
}

/// The stopping rule of a tail sum walked away from the mode: terms shrink by the ratio r < 1
/// (or faster), so what is left is at most term * r / (1 - r).
bool negligible(double term, double prev, double sum)
{
    if (term == 0) return true;
    const double r = term / prev;
    return r < 1 && term * r / (1 - r) < 1e-17 * sum;
}

/// sum_{k=0..top} P(K = k), walking down from `top` (top <= the mode: terms decrease).
double sum_down(std::uint64_t top, std::uint64_t n, double p)
{
    double sum = 0, prev = 0;
    for (std::uint64_t k = top + 1; k-- > 0;) {
        const double t = binomial_pmf(k, n, p);
        sum += t;
        if (prev > 0 && negligible(t, prev, sum)) break;
        prev = t;
    }
    return sum;
}

/// sum_{k=bottom..n} P(K = k), walking up from `bottom` (bottom >= the mode).
double sum_up(std::uint64_t bottom, std::uint64_t n, double p)
{
    double sum = 0, prev = 0;
    for (std::uint64_t k = bottom; k <= n; ++k) {
        const double t = binomial_pmf(k, n, p);
        sum += t;
        if (prev > 0 && negligible(t, prev, sum)) break;
        prev = t;
    }
    return sum;
}

} // namespace

Window parse_window(const std::string& text, const std::string& option)
{
    const auto comma = text.find(',');
    if (comma == std::string::npos || text.find(',', comma + 1) != std::string::npos)
        throw ParameterError(option + " '" + text + "': expected FROM,TO (two dates, e.g. 2012-07-01,2012-10-01)");
    Window w;
    w.from = timeparse::parse_user_date(text.substr(0, comma), option);
    w.to = timeparse::parse_user_date(text.substr(comma + 1), option);
    if (w.to <= w.from) throw ParameterError(option + " '" + text + "': TO must be after FROM (the window is [FROM, TO))");
    return w;
}

std::string describe(const Window& w) { return "[" + timeparse::format(w.from) + ", " + timeparse::format(w.to) + ")"; }

double binomial_pmf(std::uint64_t k, std::uint64_t n, double p)
{
    if (k > n) return 0;
    const double q = 1 - p;
    const double x = static_cast<double>(k), nd = static_cast<double>(n);
    if (p == 0) return k == 0 ? 1 : 0;
    if (q == 0) return k == n ? 1 : 0;
    if (k == 0) return n == 0 ? 1 : std::exp(p < 0.1 ? -bd0(nd, nd * q) - nd * p : nd * std::log(q));
    if (k == n) return std::exp(q < 0.1 ? -bd0(nd, nd * p) - nd * q : nd * std::log(p));
    const double lc = stirlerr(nd) - stirlerr(x) - stirlerr(nd - x) - bd0(x, nd * p) - bd0(nd - x, nd * q);
    const double lf = std::log(2 * std::numbers::pi) + std::log(x) + std::log1p(-x / nd);
    return std::exp(lc - 0.5 * lf);
}

double binomial_two_sided_p(std::uint64_t x, std::uint64_t n, double p0)
{
    if (x > n) throw ParameterError("binomial test: " + std::to_string(x) + " successes out of " + std::to_string(n));
    if (!(p0 >= 0 && p0 <= 1)) throw ParameterError("binomial test: probability outside [0, 1]");
    if (n == 0) return 1;
    const double m = static_cast<double>(n) * p0;
    const double xd = static_cast<double>(x);
    if (xd == m) return 1;
    const double d = binomial_pmf(x, n, p0) * (1 + 1e-7);
    double p = 0;
    if (xd < m) {
        // the other side: the first k >= ceil(m) no more likely than x (P is non-increasing there)
        std::uint64_t lo = static_cast<std::uint64_t>(std::ceil(m)), hi = n + 1;
        while (lo < hi) {
            const std::uint64_t mid = lo + (hi - lo) / 2;
            if (binomial_pmf(mid, n, p0) <= d) hi = mid;
            else lo = mid + 1;
        }
        p = sum_down(x, n, p0) + (lo <= n ? sum_up(lo, n, p0) : 0.0);
    } else {
        // the other side: the last k <= floor(m) no more likely than x (P is non-decreasing there)
        const std::uint64_t top = static_cast<std::uint64_t>(std::floor(m));
        std::uint64_t lo = 0, hi = top + 1; // first k in [0, top] with P(k) > d, top + 1 if none
        while (lo < hi) {
            const std::uint64_t mid = lo + (hi - lo) / 2;
            if (binomial_pmf(mid, n, p0) > d) hi = mid;
            else lo = mid + 1;
        }
        p = (lo > 0 ? sum_down(lo - 1, n, p0) : 0.0) + sum_up(x, n, p0);
    }
    return std::min(1.0, p);
}

Change compare_counts(const std::vector<std::uint64_t>& before, const std::vector<std::uint64_t>& after, const ChangeOptions& o)
{
    if (before.size() != after.size()) throw ParameterError("change: the two windows' counts differ in size");
    const std::size_t n = before.size();
    Change c;
    std::uint64_t sb = 0, sa = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sb += before[i];
        sa += after[i];
    }
    c.total_before = o.total_before.value_or(sb);
    c.total_after = o.total_after.value_or(sa);
    if (c.total_before == 0 || c.total_after == 0)
        throw InputError(std::string("change: no incident in the ") + (c.total_before == 0 ? "first" : "second") +
                         " window: nothing to compare");
    c.p0 = static_cast<double>(c.total_after) / (static_cast<double>(c.total_before) + static_cast<double>(c.total_after));
    c.diff.resize(n);
    c.ratio.resize(n);
    c.excess.resize(n);
    c.p.assign(n, k_nan);
    parallel::for_each(n, 512, o.threads, [&](std::size_t i) {
        const std::uint64_t t = before[i] + after[i];
        c.diff[i] = static_cast<std::int64_t>(after[i]) - static_cast<std::int64_t>(before[i]);
        c.ratio[i] = before[i] > 0 ? static_cast<double>(after[i]) / static_cast<double>(before[i]) : k_nan;
        c.excess[i] = static_cast<double>(after[i]) - static_cast<double>(t) * c.p0;
        if (t > 0) c.p[i] = binomial_two_sided_p(after[i], t, c.p0);
    });
    c.bin = stats::significance_bins(c.excess, c.p, o.fdr);
    for (std::size_t i = 0; i < n; ++i) {
        ++c.bins[static_cast<std::size_t>(c.bin[i] + 3)];
        if (before[i] + after[i] == 0) continue;
        ++c.tested;
        if (std::abs(c.bin[i]) < 2) ++c.similar;
    }
    c.similarity = c.tested ? static_cast<double>(c.similar) / static_cast<double>(c.tested) : k_nan;
    return c;
}

const std::array<const char*, 7>& change_bin_labels()
{
    static const std::array<const char*, 7> labels = {
        "Significant decrease, 99% confidence", "Significant decrease, 95% confidence", "Significant decrease, 90% confidence",
        "No significant change",
        "Significant increase, 90% confidence", "Significant increase, 95% confidence", "Significant increase, 99% confidence"};
    return labels;
}

} // namespace hotmap::spacetime
