// SPDX-License-Identifier: MIT
// The space-time cube: time steps (calendar periods or fixed steps) and incident counts per
// location and step (DESIGN.md §5 "Emerging hotspots").
#pragma once

#include "hotmap/districts/summary.hpp"
#include "hotmap/types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hotmap::spacetime {

/// How time is cut: calendar periods (`--period`) or fixed steps of whole days or hours
/// (`--step 14d`).
struct StepSpec {
    districts::Period period = districts::Period::month;
    std::int64_t step_s = 0; ///< > 0: fixed steps of this many seconds, from the first day
};

/// "14d", "2w", "12h" (a positive whole number and d, w or h); throws ParameterError naming --step.
StepSpec parse_step(const std::string& text);

/// The steps: step t is [start[t], start[t + 1]).
struct Steps {
    std::vector<Timestamp> start;   ///< steps + 1 boundaries
    districts::Period period = districts::Period::none; ///< calendar periods, or none for fixed steps
    std::int64_t step_s = 0;
    Timestamp covered_from = 0, covered_to = 0; ///< the span the data (or --from/--to) covers
    bool first_partial = false, last_partial = false; ///< the span covers only part of that step
    int dropped = 0;                ///< partial steps removed by --drop-partial

    std::size_t size() const noexcept { return start.empty() ? 0 : start.size() - 1; }
    /// The step containing t, -1 outside every step.
    std::int64_t index(Timestamp t) const noexcept;
    /// "2012-07" (month), "2012-W27" (week), "2012-07-01" (fixed steps and days), ...
    std::string label(std::size_t t) const;
};

/// The most steps a cube may have.
inline constexpr std::size_t k_max_steps = 10000;

/// Steps covering [first, last] (the incidents' times) or the --from/--to window when given.
/// The span starts at `from` or at 00:00 of the first incident's day, and ends at `to` or at the
/// end of the last incident's day. Calendar steps are whole periods from the one containing the
/// start to the one containing the end; fixed steps start at the span's start. A first or last
/// step that the span covers only in part is marked partial, and removed with `drop_partial`.
/// Throws InputError for fewer than 2 steps (after dropping) or more than k_max_steps.
Steps make_steps(const StepSpec& spec, Timestamp first, Timestamp last, std::optional<Timestamp> from, std::optional<Timestamp> to,
                 bool drop_partial);

/// Counts (or weights) per location and step, location-major: value[l * steps + t].
struct Cube {
    std::size_t locations = 0, steps = 0;
    std::vector<double> value;       ///< the analysed variable: counts, or weight sums
    std::vector<std::uint32_t> count; ///< incidents per bin
    std::uint64_t outside_steps = 0; ///< incidents in a dropped partial step
    std::uint64_t no_location = 0;   ///< incidents in no analysed location
    double at(std::size_t l, std::size_t t) const noexcept { return value[l * steps + t]; }
};

/// An empty cube of `locations` x the steps.
Cube empty_cube(std::size_t locations, const Steps& steps);

/// One incident into the cube: its location (-1: none, counted in no_location), time (outside
/// the steps: outside_steps) and weight (the value when `weighted`, else 1). Incidents added in
/// the same order give the same sums as make_cube.
inline void add_to_cube(Cube& c, std::int64_t location, Timestamp time, double weight, bool weighted, const Steps& steps)
{
    if (location < 0) {
        ++c.no_location;
        return;
    }
    const std::int64_t t = steps.index(time);
    if (t < 0) {
        ++c.outside_steps;
        return;
    }
    const std::size_t b = static_cast<std::size_t>(location) * c.steps + static_cast<std::size_t>(t);
    c.value[b] += weighted ? weight : 1.0;
    ++c.count[b];
}

/// Build the cube from each incident's location (-1: none) and time.
Cube make_cube(const std::vector<std::int64_t>& location, const std::vector<Timestamp>& time, const std::vector<double>& weight,
               bool weighted, std::size_t locations, const Steps& steps);

} // namespace hotmap::spacetime
