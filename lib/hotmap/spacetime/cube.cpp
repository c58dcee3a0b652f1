// SPDX-License-Identifier: MIT
// Time steps and the space-time cube.
#include "hotmap/spacetime/cube.hpp"

#include "hotmap/error.hpp"
#include "hotmap/timeparse.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace hotmap::spacetime {
namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
Timestamp day_start(Timestamp t) { return floor_div(t, 86400) * 86400; }

} // namespace

StepSpec parse_step(const std::string& text)
{
    StepSpec s;
    std::size_t i = 0;
    std::int64_t n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && n < 1'000'000) n = n * 10 + (text[i++] - '0');
    const std::string unit = text.substr(i);
    const std::int64_t per = unit == "d" ? 86400 : unit == "w" ? 7 * 86400 : unit == "h" ? 3600 : 0;
    if (i == 0 || n <= 0 || per == 0 || n >= 1'000'000)
        throw ParameterError("--step '" + text + "': expected a whole number of days, weeks or hours: 14d, 2w, 12h");
    s.period = districts::Period::none;
    s.step_s = n * per;
    return s;
}

std::int64_t Steps::index(Timestamp t) const noexcept
{
    if (start.size() < 2 || t < start.front() || t >= start.back()) return -1;
    return static_cast<std::int64_t>(std::upper_bound(start.begin(), start.end(), t) - start.begin()) - 1;
}

std::string Steps::label(std::size_t t) const
{
    if (period != districts::Period::none) return districts::period_label(districts::period_index(start[t], period), period);
    const timeparse::Civil c = timeparse::to_civil(start[t]);
    char b[40];
    if (step_s % 86400 == 0) std::snprintf(b, sizeof b, "%04d-%02d-%02d", c.year, c.month, c.day);
    else std::snprintf(b, sizeof b, "%04d-%02d-%02d %02d:00", c.year, c.month, c.day, c.hour);
    return b;
}

Steps make_steps(const StepSpec& spec, Timestamp first, Timestamp last, std::optional<Timestamp> from, std::optional<Timestamp> to,
                 bool drop_partial)
{
    Steps s;
    s.period = spec.step_s > 0 ? districts::Period::none : spec.period;
    s.step_s = spec.step_s;
    s.covered_from = from ? *from : day_start(first);
    s.covered_to = to ? *to : day_start(last) + 86400;
    if (!(s.covered_to > s.covered_from))
        throw InputError("no time span to cut into steps: " + timeparse::format(s.covered_from) + " to " + timeparse::format(s.covered_to));
    const auto too_many = [&](std::int64_t n) {
        if (n > static_cast<std::int64_t>(k_max_steps))
            throw InputError("the incidents' times run from " + timeparse::format(s.covered_from) + " to " + timeparse::format(s.covered_to) +
                             ": " + std::to_string(n) + " steps, more than " + std::to_string(k_max_steps) +
                             " (check for wrong dates, filter with --from/--to, or use a longer step)");
    };
    if (s.step_s > 0) {
        const std::int64_t n = (s.covered_to - s.covered_from + s.step_s - 1) / s.step_s;
        too_many(n);
        for (std::int64_t k = 0; k <= n; ++k) s.start.push_back(s.covered_from + k * s.step_s);
        s.last_partial = s.start.back() > s.covered_to;
    } else {
        const std::int64_t lo = districts::period_index(s.covered_from, s.period);
        const std::int64_t hi = districts::period_index(s.covered_to - 1, s.period);
        too_many(hi - lo + 1);
        for (std::int64_t k = lo; k <= hi + 1; ++k) s.start.push_back(districts::period_start(k, s.period));
        s.first_partial = s.covered_from > s.start.front();
        s.last_partial = s.covered_to < s.start.back();
    }
    if (drop_partial) {
        if (s.last_partial && s.start.size() > 2) {
            s.start.pop_back();
            s.last_partial = false;
            ++s.dropped;
        }
        if (s.first_partial && s.start.size() > 2) {
            s.start.erase(s.start.begin());
            s.first_partial = false;
            ++s.dropped;
        }
    }
    if (s.size() < 2)
        throw InputError("the incidents span " + std::to_string(s.size()) + " time step(s) (" + timeparse::format(s.covered_from) + " to " +
                         timeparse::format(s.covered_to) + "): at least 2 are needed; use a shorter --period or --step");
    return s;
}

Cube empty_cube(std::size_t locations, const Steps& steps)
{
    Cube c;
    c.locations = locations;
    c.steps = steps.size();
    c.value.assign(locations * c.steps, 0.0);
    c.count.assign(locations * c.steps, 0);
    return c;
}

Cube make_cube(const std::vector<std::int64_t>& location, const std::vector<Timestamp>& time, const std::vector<double>& weight,
               bool weighted, std::size_t locations, const Steps& steps)
{
    Cube c = empty_cube(locations, steps);
    for (std::size_t i = 0; i < location.size(); ++i) add_to_cube(c, location[i], time[i], weighted ? weight[i] : 1.0, weighted, steps);
    return c;
}

} // namespace hotmap::spacetime
