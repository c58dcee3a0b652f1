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
#include <thread>

namespace hotmap::districts {

std::vector<District> from_wkb(const std::vector<std::string>& wkb, const std::vector<std::string>& names,
                               const std::vector<double>& population, std::vector<std::string>& warnings)
{
    std::vector<District> out;
    out.reserve(wkb.size());
    for (std::size_t i = 0; i < wkb.size(); ++i) {
        District d;
        d.name = i < names.size() ? names[i] : std::to_string(i + 1);
        d.population = i < population.size() ? population[i] : std::nan("");
        d.geometry = geom::Geometry::from_wkb(wkb[i]);
        std::string why;
        if (!d.geometry.is_valid(&why)) {
            d.geometry = d.geometry.make_valid();
            if (!d.geometry.is_polygonal() || d.geometry.empty())
                throw GeometryError("district '" + d.name + "' (feature " + std::to_string(i + 1) +
                                    "): invalid and cannot be repaired into a polygon");
            warnings.push_back("district '" + d.name + "' (feature " + std::to_string(i + 1) + ") was invalid (" + why +
                               "); repaired with MakeValid");
        }
        out.push_back(std::move(d));
    }
    return out;
}

Extent extent(const std::vector<District>& d)
{
    Extent e;
    for (const District& x : d) e.expand(x.geometry.envelope());
    return e;
}

namespace {
geom::PolygonIndex make_index(const std::vector<District>& d)
{
    std::vector<geom::Geometry> polys;
    polys.reserve(d.size());
    for (const District& x : d) polys.push_back(x.geometry.clone());
    return geom::PolygonIndex(polys);
}
unsigned resolve_threads(unsigned t) { return t ? t : std::max(1u, std::thread::hardware_concurrency()); }
} // namespace

Assignment assign(const std::vector<District>& d, const std::vector<Incident>& inc, unsigned threads)
{
    Assignment a;
    const std::size_t n = inc.size();
    // Fast pass: the first district of every point, and a flag for points with more.
    std::vector<std::int32_t> first(n, -1);
    std::vector<std::int32_t> extra_count(n, 0);
    const geom::PolygonIndex index = make_index(d);
    if (n) {
        index.assign(n, &inc[0].x, &inc[0].y, sizeof(Incident), resolve_threads(threads), [&](std::size_t i, int k) {
            if (first[i] < 0) first[i] = k;
            else ++extra_count[i];
        });
    }
    a.start.resize(n + 1);
    std::uint32_t pos = 0;
    for (std::size_t i = 0; i < n; ++i) {
        a.start[i] = pos;
        pos += first[i] >= 0 ? 1u + static_cast<std::uint32_t>(extra_count[i]) : 0u;
        if (first[i] < 0) ++a.outside;
        if (extra_count[i] > 0) ++a.multiple;
    }
    a.start[n] = pos;
    a.ids.resize(pos);
    std::vector<int> hits;
    for (std::size_t i = 0; i < n; ++i) {
        if (first[i] < 0) continue;
        if (extra_count[i] == 0) {
            a.ids[a.start[i]] = first[i];
        } else {
            index.query(inc[i].x, inc[i].y, hits);
            std::sort(hits.begin(), hits.end());
            for (std::size_t k = 0; k < hits.size() && a.start[i] + k < a.start[i + 1]; ++k) a.ids[a.start[i] + k] = hits[k];
        }
    }
    return a;
}

std::vector<std::int32_t> first_district(const std::vector<District>& d, const std::vector<Incident>& inc, unsigned threads)
{
    std::vector<std::int32_t> first(inc.size(), -1);
    if (inc.empty() || d.empty()) return first;
    const geom::PolygonIndex index = make_index(d);
    index.assign(inc.size(), &inc[0].x, &inc[0].y, sizeof(Incident), resolve_threads(threads), [&](std::size_t i, int k) {
        if (first[i] < 0 || k < first[i]) first[i] = k;
    });
    return first;
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

Summary summarise(const std::vector<District>& d, const IncidentSet& set, const SummaryParams& p)
{
    Summary s;
    s.total = set.items.size();
    const Assignment a = assign(d, set.items, p.threads);
    s.outside = a.outside;
    s.multiple = a.multiple;
    std::int64_t pmin = 0, pmax = -1;
    if (p.period != Period::none) {
        if (!set.has_time) throw ParameterError("--period needs a time column (--time)");
        if (auto r = set.time_range()) {
            pmin = period_index(r->first, p.period);
            pmax = period_index(r->second, p.period);
            for (std::int64_t i = pmin; i <= pmax; ++i) s.periods.push_back(period_label(i, p.period));
        }
    }
    const std::size_t np = s.periods.size();
    const std::size_t nc = p.by_category ? set.categories.size() : 0;
    s.rows.resize(d.size());
    for (std::size_t k = 0; k < d.size(); ++k) {
        DistrictRow& r = s.rows[k];
        r.name = d[k].name;
        r.area_km2 = d[k].geometry.area() / 1e6;
        r.population = d[k].population;
        r.by_category.assign(nc, 0);
        r.by_period.assign(np, 0);
    }
    for (std::size_t i = 0; i < set.items.size(); ++i) {
        const Incident& inc = set.items[i];
        const std::int64_t pi = np && inc.time != k_no_time ? period_index(inc.time, p.period) - pmin : -1;
        if (np && inc.time == k_no_time) ++s.no_time;
        for (std::uint32_t j = a.start[i]; j < a.start[i + 1]; ++j) {
            DistrictRow& r = s.rows[static_cast<std::size_t>(a.ids[j])];
            ++r.incidents;
            r.weight += inc.weight;
            if (nc && inc.category >= 0) ++r.by_category[static_cast<std::size_t>(inc.category)];
            if (pi >= 0) ++r.by_period[static_cast<std::size_t>(pi)];
        }
    }
    std::uint64_t sum = 0;
    for (const DistrictRow& r : s.rows) sum += r.incidents;
    for (DistrictRow& r : s.rows) {
        r.per_km2 = r.area_km2 > 0 ? static_cast<double>(r.incidents) / r.area_km2 : std::nan("");
        if (std::isfinite(r.population) && r.population > 0) r.per_1k_pop = static_cast<double>(r.incidents) / r.population * 1000.0;
        r.share_pct = sum ? 100.0 * static_cast<double>(r.incidents) / static_cast<double>(sum) : 0.0;
        int rank = 1;
        for (const DistrictRow& o : s.rows) rank += o.incidents > r.incidents;
        r.rank = rank;
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
    return s;
}

} // namespace hotmap::districts
