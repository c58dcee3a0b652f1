// SPDX-License-Identifier: MIT
// Reading incidents from CSV (fast parallel path) or any OGR vector source.
#pragma once

#include "hotmap/crs/crs.hpp"
#include "hotmap/incidents.hpp"
#include "hotmap/types.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace hotmap::io {

/// Where incidents come from and which columns mean what (DESIGN.md §3, incident input).
/// Empty strings mean "detect" (columns) or "the source's own" (CRS).
struct IncidentSource {
    std::string path;
    std::string layer;
    std::string x_field, y_field, wkt_field;
    std::string crs;          ///< --incidents-crs
    std::string time_field;   ///< empty: detect; "-": no time column; "DATE,TIME": two columns
    std::string time_format;  ///< strptime format (of the date column); empty: detect
    std::string timezone;     ///< IANA zone: timestamps with a UTC offset are converted to its clock
    std::string category_field;
    std::string weight_field;
    std::string where;        ///< OGR SQL attribute filter
    bool keep_rejects = false;
    bool strict = false;      ///< throw InputError on the first rejected row
    unsigned threads = 0;     ///< 0 = all cores
    /// A PostGIS table read through GDAL: rows whose point lies outside this box (in
    /// `study_crs`, reprojected to the table's CRS with a 1 % margin) are left out by the
    /// server and counted as filtered (reason::f_outside_study_area), after --where and before
    /// the time and weight checks. Rows the reader rejects for their geometry alone (none, not
    /// a point, (0,0), out of range, outside `working`'s area of use for lon/lat) still travel
    /// and are rejected as before. Only for analyses that drop incidents outside the box
    /// anyway, and whose working CRS (`working`) does not depend on the incidents.
    std::optional<Extent> study_box;
    crs::Crs study_crs;
    crs::Crs working;
};

/// Read, validate and filter incidents; coordinates stay in the source CRS (see
/// project_incidents). Throws InputError naming the file (and line/column for CSV) when
/// the source cannot be read, a named column is missing, or (strict) a row is bad; CrsError
/// when the CRS is unknown.
IncidentSet read_incidents(const IncidentSource& src, const IncidentFilter& filter);

/// Reading in batches, for sources larger than memory: `each` receives the accepted rows of
/// about `rows` rows read at a time (a CSV is cut at whole chunks: a batch may hold somewhat
/// more, never less than one chunk), in the order of the source, with the batch's own sorted
/// categories (its Incident::category index them) and accounting; the same CRS, columns and
/// flags as a whole read. `each` returns false to stop reading (the rest is not read).
struct Batches {
    std::uint64_t rows = 0;
    std::function<bool(IncidentSet& batch)> each;
};

/// read_incidents in batches: the result holds no rows, only what a whole read would say about
/// them: the accounting (of what was read, when `each` stopped early), the categories of
/// every batch (sorted, without duplicates), the rejects (with keep_rejects), the warnings and
/// notes. Equal, batch by batch, to a whole read: the same rows, fields and accounting.
IncidentSet read_incidents(const IncidentSource& src, const IncidentFilter& filter, const Batches& batches);

/// About how many rows the source holds, without reading them: a CSV's size over the mean
/// length of its first records; a layer's count when the driver knows it cheaply; nullopt
/// when neither is known or the source cannot be opened (the read then says why). Throws
/// InputError as read_incidents for a CSV whose named columns are missing.
std::optional<std::uint64_t> estimate_rows(const IncidentSource& src);

/// The columns the reader uses in a table of `names` by its rules (named, else detected);
/// "" = none. Throws InputError naming src.path when a named column is missing.
struct ResolvedColumns {
    std::string x, y, wkt, time, time_of_day, category, weight;
};
ResolvedColumns resolve_incident_columns(const std::vector<std::string>& names, const IncidentSource& src, bool need_xy);

/// A source as it may be shown in messages: a "PG:" connection string with its password=...
/// value replaced by ***; any other path unchanged.
std::string redact_source(const std::string& path);

/// Is this path read by the fast CSV reader? (.csv/.tsv/.txt, not a "CSV:" GDAL prefix)
bool is_plain_csv(const std::string& path);

/// The coordinate columns and CRS of a point table (CSV) by the incidents' rules: the columns
/// named (x/y or wkt), else detected (lon/lat, longitude/latitude, lng/lat, x/y,
/// easting/northing, ...); EPSG:4326 for lon/lat-named columns, else a sidecar .prj, else the
/// CRS given (`crs`, a fallback for x/y tables); else CrsError, which says so when the values
/// look like lon/lat.
/// `crs_option` names the option that gives the CRS, for the messages.
struct PointColumns {
    std::string x, y, wkt;
    crs::Crs crs;
};
PointColumns resolve_point_table(const std::string& path, const std::string& x_field, const std::string& y_field,
                                 const std::string& wkt_field, const std::string& crs, const std::string& crs_option);

/// Write rejected rows as CSV (row, reason, raw values) to `path` (a staged temporary; see
/// OutputSet). Throws OutputError naming `target` when a write fails (a full disk).
void write_rejects(const std::vector<RejectedRow>& rows, const std::string& path, const std::string& target);

} // namespace hotmap::io
