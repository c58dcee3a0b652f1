// SPDX-License-Identifier: MIT
// Incidents counted on the PostgreSQL/PostGIS server (--aggregate-in-database): the reader's row
// rules and the square-grid binning rule written in SQL, so only per-cell counts travel.
#pragma once

#include "hotmap/crs/crs.hpp"
#include "hotmap/incidents.hpp"
#include "hotmap/io/read_incidents.hpp"
#include "hotmap/types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hotmap::io {

/// True for a "PG:" connection string (GDAL's PostgreSQL driver).
bool is_postgis_source(const std::string& path);

/// One group of the server's answer: rows with the same fate, category and cell.
struct AggregateGroup {
    std::string why;      ///< "" accepted; else a reject reason or (filtered) a filter reason
    bool filtered = false;
    std::string category; ///< trimmed category text ("" without a category column)
    std::int64_t col = 0, row = 0; ///< floor((x - x0)/cell), floor((y - y0)/cell); accepted rows only
    std::uint64_t count = 0;
    double weight = 0;    ///< sum of the weights (1 each without a weight column)
};

/// What the server holds about the incident table, before any counting.
struct PostgisTable {
    std::string table;           ///< --layer, as given
    std::string geometry;        ///< its geometry column
    crs::Crs crs;                ///< the column's CRS (or --incidents-crs)
    int srid = 0;                ///< its EPSG code
    std::string time, category, weight; ///< resolved columns ("" none), by the reader's rules
    bool time_is_timestamp = false;     ///< date/timestamp column (else text, ISO forms parsed)
};

/// Open the table of `src` (a "PG:" source, --layer naming the table) and resolve its columns
/// like read_incidents does. Throws InputError naming the source (no connection, no such
/// table, no geometry column, a named column missing), CrsError (no CRS, not an EPSG code),
/// ParameterError (options the server cannot apply: --x/--y/--wkt, --hours, --days,
/// --timezone, --time DATE,TIME, --strict, --rejects).
PostgisTable describe_postgis_table(const IncidentSource& src, const IncidentFilter& filter);

/// Median lon/lat (or x/y) of the rows the reader would accept before projection, computed on
/// the server (for the working CRS rule); nullopt when no row is accepted.
std::optional<std::pair<double, double>> postgis_median(const IncidentSource& src, const PostgisTable& t,
                                                        const IncidentFilter& filter, const crs::Crs& working_for_area);

/// Extent, in `working` (metres), of the accepted rows; empty when none.
Extent postgis_extent(const IncidentSource& src, const PostgisTable& t, const IncidentFilter& filter, const crs::Crs& working);

/// Count the table's rows on the server by fate (accepted, filtered, rejected with the
/// reader's reasons, in the reader's order), category and square cell of origin (x0, y0) and
/// side `cell` in `working` (points projected with ST_Transform, PostGIS's PROJ). --where is
/// sent as is (PostgreSQL SQL). Throws InputError naming the source when the server fails.
std::vector<AggregateGroup> postgis_square_counts(const IncidentSource& src, const PostgisTable& t, const IncidentFilter& filter,
                                                  const crs::Crs& working, double x0, double y0, double cell);

/// The SQL postgis_square_counts sends (for -v and tests).
std::string postgis_square_sql(const IncidentSource& src, const PostgisTable& t, const IncidentFilter& filter,
                               const crs::Crs& working, double x0, double y0, double cell);

/// How finely districts --aggregate-in-database groups the accepted rows by time: the
/// coarsest unit that still gives every period and --by column (none without them).
enum class TimeUnit { none, hour, day, month };

/// One group of the districts query: rows with the same fate, set of districts, category
/// and truncated time.
struct DistrictGroup {
    std::string why;   ///< "" accepted; else a reject reason or (filtered) a filter reason
    bool filtered = false;
    std::vector<std::int32_t> districts; ///< ascending indexes of the districts containing the point (accepted rows; empty: none)
    std::string category;                ///< trimmed category text ("" without a category column)
    bool has_time = false;               ///< the rows have a time (accepted rows, unit not none)
    Timestamp time = 0;                  ///< the time truncated to the unit (seconds, naive clock as Incident::time)
    Timestamp first = 0, last = 0;       ///< the earliest and latest exact time of the group's rows (has_time)
    std::uint64_t count = 0;
    double weight = 0;                   ///< sum of the weights (1 each without a weight column)
};

/// Count the table's rows on the server by fate, the districts containing each accepted point
/// (closed polygons: ST_Intersects, a point on a shared boundary is in both, as
/// geom::NamedPolygons), category and time truncated to `unit`. `district_wkb` are the
/// districts in `working` (as hotmap tests them: repaired, projected), loaded once into a
/// temporary table with a spatial index; the points are projected with ST_Transform. Throws
/// InputError naming the source when the server fails (also when it refuses a temporary table).
std::vector<DistrictGroup> postgis_district_counts(const IncidentSource& src, const PostgisTable& t, const IncidentFilter& filter,
                                                   const crs::Crs& working, const std::vector<std::string>& district_wkb,
                                                   TimeUnit unit);

/// The SQL postgis_district_counts sends after loading the districts (for -v and tests).
std::string postgis_district_sql(const IncidentSource& src, const PostgisTable& t, const IncidentFilter& filter,
                                 const crs::Crs& working, TimeUnit unit);

} // namespace hotmap::io
