// SPDX-License-Identifier: MIT
// Reading incidents from CSV (fast parallel path) or any OGR vector source.
#pragma once

#include "hotmap/incidents.hpp"

#include <string>

namespace hotmap::io {

/// Where incidents come from and which columns mean what (DESIGN.md §3, incident input).
/// Empty strings mean "detect" (columns) or "the source's own" (CRS).
struct IncidentSource {
    std::string path;
    std::string layer;
    std::string x_field, y_field, wkt_field;
    std::string crs;          ///< --incidents-crs
    std::string time_field;   ///< empty: detect; "-": no time column
    std::string time_format;  ///< strptime format; empty: detect
    std::string category_field;
    std::string weight_field;
    std::string where;        ///< OGR SQL attribute filter
    bool keep_rejects = false;
    bool strict = false;      ///< throw InputError on the first rejected row
    unsigned threads = 0;     ///< 0 = all cores
};

/// Read, validate and filter incidents; coordinates stay in the source CRS (see
/// project_incidents). Throws InputError naming the file (and line/column for CSV) when
/// the source cannot be read, a named column is missing, or (strict) a row is bad; CrsError
/// when the CRS is unknown.
IncidentSet read_incidents(const IncidentSource& src, const IncidentFilter& filter);

/// Is this path read by the fast CSV reader? (.csv/.tsv/.txt, not a "CSV:" GDAL prefix)
bool is_plain_csv(const std::string& path);

/// Write rejected rows as CSV (row, reason, raw). Atomic; refuses to overwrite unless asked.
void write_rejects(const std::vector<RejectedRow>& rows, const std::string& path, bool overwrite);

} // namespace hotmap::io
