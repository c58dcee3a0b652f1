// SPDX-License-Identifier: MIT
// Districts: polygons prepared for analysis, point-in-district assignment, per-district summary.
#pragma once

#include "hotmap/geom/geometry.hpp"
#include "hotmap/incidents.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace hotmap::districts {

/// The districts of a study area, in the working CRS (metres): named polygons with their
/// point-in-polygon index (geom::NamedPolygons) and each district's population.
struct DistrictSet {
    geom::NamedPolygons polygons;
    std::vector<double> population; ///< per district; NaN where unknown

    std::size_t size() const noexcept { return polygons.size(); }
    bool empty() const noexcept { return polygons.empty(); }
    const std::string& name(std::size_t i) const { return polygons.name(i); }
    const geom::Geometry& geometry(std::size_t i) const { return polygons.geometry(i); }
    const Extent& extent() const noexcept { return polygons.extent(); }
};

/// Build districts from WKB polygons; invalid ones are repaired with GEOS MakeValid and a
/// warning naming the feature is appended to `warnings`. Throws GeometryError when a
/// polygon cannot be read or repaired into a polygon.
DistrictSet from_wkb(const std::vector<std::string>& wkb, const std::vector<std::string>& names,
                     const std::vector<double>& population, std::vector<std::string>& warnings);

/// Which districts contain each incident (closed polygons: a point on a shared boundary is in
/// both). CSR layout: the districts of incident i are ids[start[i] .. start[i+1]).
using Assignment = geom::Containment;
inline Assignment assign(const DistrictSet& d, const std::vector<Incident>& incidents, unsigned threads)
{
    return d.polygons.containing(incidents, threads);
}

enum class Period { none, day, week, month, quarter, year };
/// "month" -> Period::month; throws ParameterError naming --period.
Period parse_period(const std::string& s);
/// Index of the period containing t, counted from the epoch in that unit (weeks start Monday).
std::int64_t period_index(Timestamp t, Period p);
/// Label of a period index: 2019-01-07 (day), 2019-W02 (ISO week), 2019-01, 2019-Q1, 2019.
std::string period_label(std::int64_t index, Period p);
/// First instant of a period index.
Timestamp period_start(std::int64_t index, Period p);

/// Time profiles (--by): counts per hour of the week and per calendar month.
inline constexpr std::size_t k_hours_of_week = 7 * 24;
inline constexpr std::size_t k_months = 12;

/// Column of an hour of the week: weekday * 24 + hour, Monday 00h = 0 .. Sunday 23h = 167.
std::size_t hour_of_week(Timestamp t);
/// Field suffix of an hour of the week: "mon_00" .. "sun_23".
std::string hour_of_week_label(std::size_t h);

struct SummaryParams {
    Period period = Period::none;
    bool by_category = false;
    bool by_hour_of_week = false; ///< --by hour-of-week: 7 x 24 counts
    bool by_month = false;        ///< --by month: counts per calendar month 1..12, across years
    unsigned threads = 0;
};

struct DistrictRow {
    std::string name;
    std::uint64_t incidents = 0;
    double weight = 0;
    double area_km2 = 0;
    double per_km2 = 0;
    double population = std::numeric_limits<double>::quiet_NaN();
    double per_1k_pop = std::numeric_limits<double>::quiet_NaN();
    double share_pct = 0;
    int rank = 0;
    std::vector<std::uint64_t> by_category; ///< per IncidentSet::categories
    std::vector<std::uint64_t> by_period;   ///< per Summary::periods
    std::vector<std::uint64_t> by_hour_of_week; ///< 168 with --by hour-of-week (hour_of_week())
    std::vector<std::uint64_t> by_month;        ///< 12 with --by month (January first)
    double trend = std::numeric_limits<double>::quiet_NaN();   ///< Mann-Kendall tau
    double trend_p = std::numeric_limits<double>::quiet_NaN();
    double change_pct = std::numeric_limits<double>::quiet_NaN(); ///< last period vs previous
};

struct Summary {
    std::vector<DistrictRow> rows; ///< in district order
    std::vector<std::string> periods; ///< labels, first to last, every period in between
    std::uint64_t total = 0;       ///< incidents considered
    std::uint64_t outside = 0;     ///< in no district
    std::uint64_t multiple = 0;    ///< in more than one district (counted in each)
    std::uint64_t no_time = 0;     ///< without a timestamp (not in any period or --by column)
    /// Rows a PostGIS server left out as outside the districts' bounding box (filtered, so in
    /// neither `total` nor `outside`; set by the pipeline from the row accounting).
    std::uint64_t left_out = 0;
    /// The time profiles over every incident inside at least one district, each counted once
    /// (so that a boundary incident is not doubled): 168 / 12 values with --by, else empty.
    std::vector<std::uint64_t> total_hour_of_week, total_month;
};

/// The most periods a summary accepts (columns of the table): beyond it the time range is
/// almost certainly a data error (a date in the far future), and the table would not fit.
inline constexpr std::size_t k_max_periods = 10000;

/// Counts, areas, rates, shares, ranks (1 = most incidents; ties share the lower rank),
/// per-category and per-period counts, Mann-Kendall trend over the periods and the change
/// of the last period against the previous one, and the --by time profiles. Throws
/// ParameterError when --period or --by needs a time column that is missing, InputError when the time range holds more than k_max_periods
/// periods (a data condition: a wrong date).
Summary summarise(const DistrictSet& d, const IncidentSet& incidents, const SummaryParams& p);

/// Incidents already counted elsewhere (a database's GROUP BY): `count` rows with the same
/// set of containing districts, category and time (truncated to a unit no longer than an hour
/// with --by hour-of-week, a day with --period day/week, a month otherwise).
struct CountGroup {
    std::vector<std::int32_t> districts; ///< ascending indexes into the DistrictSet; empty = in none
    std::int32_t category = -1;          ///< index into the categories, -1 none
    bool has_time = false;
    Timestamp time = 0;                  ///< the truncated time (has_time)
    Timestamp first = 0, last = 0;       ///< earliest and latest exact time of the rows (has_time)
    std::uint64_t count = 0;
    double weight = 0;                   ///< the rows' summed weights
};

/// summarise() over counted groups instead of incidents: the same table, numbers and order
/// (the weights are added group by group: equal to the incident-by-incident sum when the
/// weights are whole numbers). `categories` = the number of categories (p.by_category).
Summary summarise(const DistrictSet& d, const std::vector<CountGroup>& groups, std::size_t categories, bool has_time,
                  const SummaryParams& p);

/// The period labels from the first to the last period of `range` (every one in between).
/// Throws InputError (naming the range) beyond k_max_periods.
std::vector<std::string> period_labels(std::pair<Timestamp, Timestamp> range, Period p, std::int64_t& first_index);

/// Competition ranks of `values` (1 = largest; ties share the lower rank: 10, 7, 7, 3 ->
/// 1, 2, 2, 4). O(n log n).
std::vector<int> ranks_descending(const std::vector<double>& values);

} // namespace hotmap::districts
