// SPDX-License-Identifier: MIT
// The inputs every command reads: incidents and districts in the working CRS, read once
// (DESIGN.md §3 "Incident input", "Districts and other layers", "Working CRS").
#pragma once

#include "hotmap/coverage/facilities.hpp"
#include "hotmap/districts/summary.hpp"
#include "hotmap/incidents.hpp"
#include "hotmap/io/postgis.hpp"
#include "hotmap/io/read_incidents.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/log.hpp"

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hotmap::pipeline {

struct InputParams {
    io::IncidentSource incidents;
    IncidentFilter filter;
    std::vector<std::string> categories; ///< --categories: keep only these (empty = all)
    std::vector<std::string> drop_categories; ///< --sensitive below district level: left out, incidents and columns
    io::PolygonSource districts;         ///< path empty = no districts
    std::string crs;                     ///< --crs: the working CRS (empty = automatic)
    unsigned threads = 0;                ///< 0 = all cores
    /// --aggregate-in-database: the incidents are a PostGIS table counted on the server; load()
    /// reads its description only (io::describe_postgis_table), and commands count there.
    bool in_database = false;
    /// The command uses no incident farther than this (metres of the working CRS) from the
    /// districts' bounding box (0: it drops incidents outside every district; a cell for a
    /// grid over the districts, the kernel's support and a cell for a density raster): a
    /// PostGIS table read through GDAL then sends only the rows inside that widened box
    /// (io::IncidentSource::study_box), when the working CRS does not depend on the incidents.
    std::optional<double> clip_margin_m;
    /// The command can count the incidents batch by batch (grid and district counts): with
    /// batch_rows, or when the source would not fit in memory (io::estimate_rows), load() reads
    /// no row and the command reads them in batches (Inputs::streamed, stream_incidents).
    bool streamable = false;
    std::uint64_t batch_rows = 0; ///< --batch-rows: rows per batch (0: only when they would not fit in memory)
};

/// Incidents read again, in batches, by each pass of a command over them (stream_incidents).
struct StreamedSource {
    io::IncidentSource src;
    IncidentFilter filter;
    std::uint64_t rows = 0; ///< per batch
    std::vector<std::string> categories, drop_categories;
    /// what the last pass with a log saw (the accounting, rejects and categories), for --rejects
    std::shared_ptr<IncidentSet> seen = std::make_shared<IncidentSet>();
};

/// Incidents (and districts) in the working CRS, with the row accounting.
struct Inputs {
    IncidentSet incidents;
    districts::DistrictSet districts;
    crs::Crs working;
    std::string working_why; ///< how the working CRS was chosen (for -v)
    /// The user's incident filters in words, for layer titles ("18:00-06:00 only, from
    /// 2024-01-01 00:00:00 to 2024-04-01 00:00:00, Mon-Fri, categories theft, assault"); "" = none.
    std::string filters;
    unsigned threads = 0;
    /// With InputParams::in_database: the table, the source and the filters the commands send to
    /// the server (incidents.items is empty; incidents.accounting is filled by the command).
    std::optional<io::PostgisTable> database;
    io::IncidentSource database_source;
    IncidentFilter database_filter;
    /// With InputParams::streamable and batches: incidents.items is empty (incidents holds the
    /// source's columns, CRS and flags); commands read the rows with stream_incidents.
    std::optional<StreamedSource> streamed;

    bool has_districts() const noexcept { return !districts.empty(); }
    /// The districts' extent, else the incidents'; `from` says which.
    Extent study_extent(std::string* from = nullptr) const;
};

/// Read and check the inputs: incidents (accounting, rejects kept when asked), districts
/// (repaired when invalid), the working CRS (the DESIGN rule), incidents projected to it,
/// --categories applied. Logs the resolved columns, the CRS choice and the accounting; warns
/// about rejected rows and what the reader noticed. Throws InputError (unreadable data, a
/// rejected row under --strict), CrsError, ParameterError (a category filter without a
/// category column).
Inputs load(const InputParams& p, Log& log);

/// With Inputs::streamed: read the incidents once more, batch by batch, each projected to the
/// working CRS with --categories and --sensitive applied as load() applies them, and hand each
/// to `each`. Returns what the pass saw: the accounting (the projection's rejects included),
/// the categories of all batches (sorted; without the --sensitive ones), the rejects, the
/// warnings. With `log` (a command's last pass): logs and checks what load() would (the
/// accounting, --strict, --categories not found) and keeps the result in streamed->seen.
/// Throws as load().
IncidentSet stream_incidents(const Inputs& in, const std::function<void(const IncidentSet& batch)>& each, Log* log);

/// The run's incidents part by part: the rows held as one part, or (Inputs::streamed) the
/// batches of stream_incidents (with `log`: the command's last pass).
void for_each_part(const Inputs& in, const std::function<void(const IncidentSet& part)>& each, Log* log);

/// Log the row accounting of a set and warn about its rejected rows (what load() does after
/// reading; commands counting on the server call it with the server's accounting).
void log_accounting(const IncidentSet& s, bool keep_rejects, Log& log);

/// The filters of `p` in words (Inputs::filters).
std::string describe_filters(const InputParams& p);

/// "title" or "title, <filters>": a layer title with the run's incident filters.
std::string with_filters(const std::string& title, const Inputs& in);

/// "rows read 5000 = accepted 4950 + filtered 0 + rejected 50; rejected: null_island 3, ..."
std::string accounting_line(const Accounting& a);

/// --aggregate-in-database: one of the server's groups of rows (io::AggregateGroup,
/// io::DistrictGroup) into the row accounting: read, then filtered or rejected by its reason,
/// or accepted. True for an accepted group.
template <class Group>
bool account_group(Accounting& a, const Group& g)
{
    a.read += g.count;
    if (g.why.empty()) {
        a.accepted += g.count;
        return true;
    }
    if (g.filtered) a.filter(g.why, g.count);
    else a.reject(g.why, g.count);
    return false;
}

/// The distinct categories of the accepted groups, sorted (a group's category index is then
/// its lower_bound).
template <class Group>
std::vector<std::string> accepted_categories(const std::vector<Group>& groups)
{
    std::vector<std::string> c;
    for (const Group& g : groups)
        if (g.why.empty()) c.push_back(g.category);
    std::sort(c.begin(), c.end());
    c.erase(std::unique(c.begin(), c.end()), c.end());
    return c;
}

/// Facility layers (DESIGN.md §3 --facilities, --facility-type, --radius).
struct FacilityParams {
    std::vector<coverage::FacilitySpec> specs; ///< PATH[:RADIUS_M], repeatable
    std::string type_field;                    ///< --facility-type
    std::string radius_field;                  ///< --radius-field
    coverage::RadiusRules rules;               ///< --radius TYPE=M,...
    std::string crs;                           ///< --facilities-crs: CRS of CSV layers without one
};

/// Read every facility layer into the working CRS and give each feature its radius. A layer
/// without the type field takes its file name as type (warned unless it has a layer radius).
/// Logs the facilities per type. Throws InputError (unreadable, no facility), ParameterError
/// (a type without a radius), CrsError.
std::vector<coverage::Facility> load_facilities(const FacilityParams& p, const crs::Crs& working, Log& log);

} // namespace hotmap::pipeline
