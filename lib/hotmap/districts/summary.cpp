// SPDX-License-Identifier: MIT
// Point-in-district assignment and the per-district summary table.
#include "hotmap/districts/summary.hpp"

#include "hotmap/error.hpp"
#include "hotmap/stats/mann_kendall.hpp"
#include "hotmap/timeparse.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <optional>

namespace hotmap::districts {

DistrictSet from_wkb(const std::vector<std::string>& wkb, const std::vector<std::string>& names,
                     const std::vector<double>& population, std::vector<std::string>& warnings)
{
    std::vector<std::string> nm;
    std::vector<geom::Geometry> geoms;
    DistrictSet out;
    nm.reserve(wkb.size());
    geoms.reserve(wkb.size());
    for (std::size_t i = 0; i < wkb.size(); ++i) {
        const std::string name = i < names.size() ? names[i] : std::to_string(i + 1);
        geom::Geometry g = geom::Geometry::from_wkb(wkb[i]);
        std::string why;
        if (!g.is_valid(&why)) {
            g = g.make_valid();
            if (!g.is_polygonal() || g.empty())
                throw GeometryError("district '" + name + "' (feature " + std::to_string(i + 1) +
                                    "): invalid and cannot be repaired into a polygon");
            warnings.push_back("district '" + name + "' (feature " + std::to_string(i + 1) + ") was invalid (" + why +
                               "); repaired with MakeValid");
        }
        nm.push_back(name);
        geoms.push_back(std::move(g));
        out.population.push_back(i < population.size() ? population[i] : std::nan(""));
    }
    out.polygons = geom::NamedPolygons(std::move(nm), std::move(geoms));
    return out;
}

Period parse_period(const std::string& s)
{
    if (s.empty() || s == "none") return Period::none;
    if (s == "day") return Period::day;
    if (s == "week") return Period::week;
    if (s == "month") return Period::month;
    if (s == "quarter") return Period::quarter;
    if (s == "year") return Period::year;
    throw ParameterError("--period '" + s + "': expected day, week, month, quarter or year");
}

std::int64_t period_index(Timestamp t, Period p)
{
    const auto floordiv = [](std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); };
    switch (p) {
    case Period::none: return 0;
    case Period::day: return floordiv(t, 86400);
    case Period::week: return floordiv(floordiv(t, 86400) + 3, 7); // 1970-01-01 was a Thursday
    default: break;
    }
    const timeparse::Civil c = timeparse::to_civil(t);
    if (p == Period::month) return static_cast<std::int64_t>(c.year) * 12 + (c.month - 1);
    if (p == Period::quarter) return static_cast<std::int64_t>(c.year) * 4 + (c.month - 1) / 3;
    return c.year;
}

Timestamp period_start(std::int64_t i, Period p)
{
    const auto fdiv = [](std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); };
    switch (p) {
    case Period::day: return i * 86400;
    case Period::week: return (i * 7 - 3) * 86400;
    case Period::month: return timeparse::from_civil(static_cast<int>(fdiv(i, 12)), static_cast<int>(i - fdiv(i, 12) * 12) + 1, 1);
    case Period::quarter: return timeparse::from_civil(static_cast<int>(fdiv(i, 4)), static_cast<int>(i - fdiv(i, 4) * 4) * 3 + 1, 1);
    case Period::year: return timeparse::from_civil(static_cast<int>(i), 1, 1);
    case Period::none: return 0;
    }
    return 0;
}

std::string period_label(std::int64_t i, Period p)
{
    char b[32];
    const timeparse::Civil c = timeparse::to_civil(period_start(i, p));
    switch (p) {
    case Period::day: std::snprintf(b, sizeof b, "%04d-%02d-%02d", c.year, c.month, c.day); break;
    case Period::week: {
        // ISO week: the year of the week's Thursday
        const timeparse::Civil th = timeparse::to_civil(period_start(i, p) + 3 * 86400);
        const std::int64_t first = period_index(timeparse::from_civil(th.year, 1, 4), Period::week);
        std::snprintf(b, sizeof b, "%04d-W%02d", th.year, static_cast<int>(i - first + 1));
        break;
    }
    case Period::month: std::snprintf(b, sizeof b, "%04d-%02d", c.year, c.month); break;
    case Period::quarter: std::snprintf(b, sizeof b, "%04d-Q%d", c.year, (c.month - 1) / 3 + 1); break;
    case Period::year: std::snprintf(b, sizeof b, "%04d", c.year); break;
    case Period::none: b[0] = 0; break;
    }
    return b;
}

std::size_t hour_of_week(Timestamp t)
{
    const timeparse::Civil c = timeparse::to_civil(t);
    return static_cast<std::size_t>(c.weekday) * 24 + static_cast<std::size_t>(c.hour);
}

std::string hour_of_week_label(std::size_t h)
{
    static const char* days[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    char b[16];
    std::snprintf(b, sizeof b, "%s_%02u", days[(h / 24) % 7], static_cast<unsigned>(h % 24));
    return b;
}

std::vector<std::string> period_labels(std::pair<Timestamp, Timestamp> range, Period p, std::int64_t& first_index)
{
    const std::int64_t lo = period_index(range.first, p), hi = period_index(range.second, p);
    if (hi - lo + 1 > static_cast<std::int64_t>(k_max_periods))
        throw InputError("the incidents' times run from " + timeparse::format(range.first) + " to " + timeparse::format(range.second) +
                             ": " + std::to_string(hi - lo + 1) + " periods, more than " + std::to_string(k_max_periods) +
                             " (check for wrong dates, filter with --from/--to, or use a longer --period)");
    std::vector<std::string> labels;
    labels.reserve(static_cast<std::size_t>(hi - lo + 1));
    for (std::int64_t i = lo; i <= hi; ++i) labels.push_back(period_label(i, p));
    first_index = lo;
    return labels;
}

std::vector<int> ranks_descending(const std::vector<double>& values)
{
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] > values[b]; });
    std::vector<int> rank(values.size(), 0);
    for (std::size_t k = 0; k < order.size(); ++k) {
        const bool tie = k > 0 && values[order[k]] == values[order[k - 1]];
        rank[order[k]] = tie ? rank[order[k - 1]] : static_cast<int>(k + 1);
    }
    return rank;
}

namespace {

// The summary's rows and time columns before counting; returns the first period's index.
std::int64_t start_summary(Summary& s, const DistrictSet& d, std::optional<std::pair<Timestamp, Timestamp>> range, bool has_time,
                           std::size_t categories, const SummaryParams& p)
{
    std::int64_t pmin = 0;
    if (p.period != Period::none) {
        if (!has_time) throw ParameterError("--period needs a time column (--time)");
        if (range) s.periods = period_labels(*range, p.period, pmin);
    }
    if ((p.by_hour_of_week || p.by_month) && !has_time)
        throw ParameterError(std::string("--by ") + (p.by_hour_of_week ? "hour-of-week" : "month") + " needs a time column (--time)");
    const std::size_t np = s.periods.size();
    const std::size_t nc = p.by_category ? categories : 0;
    const std::size_t nh = p.by_hour_of_week ? k_hours_of_week : 0, nm = p.by_month ? k_months : 0;
    s.total_hour_of_week.assign(nh, 0);
    s.total_month.assign(nm, 0);
    s.rows.resize(d.size());
    for (std::size_t k = 0; k < d.size(); ++k) {
        DistrictRow& r = s.rows[k];
        r.name = d.name(k);
        r.area_km2 = d.geometry(k).area() / 1e6;
        r.population = d.population[k];
        r.by_category.assign(nc, 0);
        r.by_period.assign(np, 0);
        r.by_hour_of_week.assign(nh, 0);
        r.by_month.assign(nm, 0);
    }
    return pmin;
}

// `n` incidents of one time (or none) and category in the districts [ids, ids + nids).
void add_incidents(Summary& s, const std::int32_t* ids, std::size_t nids, std::uint64_t n, double weight, std::int32_t category,
                   bool has_time, Timestamp time, std::int64_t pmin, const SummaryParams& p)
{
    const std::size_t np = s.periods.size(), nh = s.total_hour_of_week.size(), nm = s.total_month.size();
    const bool timed = np || nh || nm;
    const std::int64_t pi = np && has_time ? period_index(time, p.period) - pmin : -1;
    if (timed && !has_time) s.no_time += n;
    const std::size_t how = nh && has_time ? hour_of_week(time) : 0;
    const std::size_t month = nm && has_time ? static_cast<std::size_t>(timeparse::to_civil(time).month - 1) : 0;
    if (has_time && nids > 0) {
        if (nh) s.total_hour_of_week[how] += n;
        if (nm) s.total_month[month] += n;
    }
    for (std::size_t j = 0; j < nids; ++j) {
        DistrictRow& r = s.rows[static_cast<std::size_t>(ids[j])];
        r.incidents += n;
        r.weight += weight;
        if (!r.by_category.empty() && category >= 0) r.by_category[static_cast<std::size_t>(category)] += n;
        if (pi >= 0) r.by_period[static_cast<std::size_t>(pi)] += n;
        if (nh && has_time) r.by_hour_of_week[how] += n;
        if (nm && has_time) r.by_month[month] += n;
    }
}

// Rates, shares, ranks, trend and change, once the counts are in.
void finish_summary(Summary& s)
{
    const std::size_t np = s.periods.size();
    std::uint64_t sum = 0;
    std::vector<double> counts;
    for (const DistrictRow& r : s.rows) {
        sum += r.incidents;
        counts.push_back(static_cast<double>(r.incidents));
    }
    const std::vector<int> rank = ranks_descending(counts);
    for (std::size_t k = 0; k < s.rows.size(); ++k) {
        DistrictRow& r = s.rows[k];
        r.per_km2 = r.area_km2 > 0 ? static_cast<double>(r.incidents) / r.area_km2 : std::nan("");
        if (std::isfinite(r.population) && r.population > 0) r.per_1k_pop = static_cast<double>(r.incidents) / r.population * 1000.0;
        r.share_pct = sum ? 100.0 * static_cast<double>(r.incidents) / static_cast<double>(sum) : 0.0;
        r.rank = rank[k];
        if (np >= 3) {
            std::vector<double> series(r.by_period.begin(), r.by_period.end());
            const stats::MannKendall mk = stats::mann_kendall(series);
            if (mk.valid) {
                r.trend = mk.tau;
                r.trend_p = mk.p;
            }
        }
        if (np >= 2 && r.by_period[np - 2] > 0)
            r.change_pct = 100.0 * (static_cast<double>(r.by_period[np - 1]) - static_cast<double>(r.by_period[np - 2])) /
                           static_cast<double>(r.by_period[np - 2]);
    }
}

} // namespace

Summary summarise(const DistrictSet& d, const IncidentSet& set, const SummaryParams& p)
{
    Summary s;
    s.total = set.items.size();
    const Assignment a = d.polygons.containing(set.items, p.threads);
    s.outside = a.outside;
    s.multiple = a.multiple;
    const std::int64_t pmin = start_summary(s, d, p.period != Period::none ? set.time_range() : std::nullopt, set.has_time,
                                            set.categories.size(), p);
    for (std::size_t i = 0; i < set.items.size(); ++i) {
        const Incident& inc = set.items[i];
        add_incidents(s, a.ids.data() + a.start[i], a.start[i + 1] - a.start[i], 1, inc.weight, inc.category, inc.time != k_no_time,
                      inc.time, pmin, p);
    }
    finish_summary(s);
    return s;
}

Summary summarise(const DistrictSet& d, const std::vector<CountGroup>& groups, std::size_t categories, bool has_time,
                  const SummaryParams& p)
{
    Summary s;
    std::optional<std::pair<Timestamp, Timestamp>> range;
    for (const CountGroup& g : groups) {
        s.total += g.count;
        if (g.districts.empty()) s.outside += g.count;
        if (g.districts.size() > 1) s.multiple += g.count;
        if (!g.has_time) continue;
        if (!range) range = std::make_pair(g.first, g.last);
        range->first = std::min(range->first, g.first);
        range->second = std::max(range->second, g.last);
    }
    const std::int64_t pmin = start_summary(s, d, p.period != Period::none ? range : std::nullopt, has_time, categories, p);
    for (const CountGroup& g : groups) {
        for (std::int32_t id : g.districts)
            if (id < 0 || static_cast<std::size_t>(id) >= d.size()) throw InputError("a counted group names district " + std::to_string(id) + ", which does not exist");
        add_incidents(s, g.districts.data(), g.districts.size(), g.count, g.weight, g.category, g.has_time, g.time, pmin, p);
    }
    finish_summary(s);
    return s;
}

} // namespace hotmap::districts
