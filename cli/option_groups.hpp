// SPDX-License-Identifier: MIT
// Option groups shared by commands (composition, osmium-style mix-ins), and the loader that
// turns them into incidents and districts in the working CRS.
#pragma once

#include "command.hpp"

#include "hotmap/districts/summary.hpp"
#include "hotmap/incidents.hpp"
#include "hotmap/io/read_incidents.hpp"
#include "hotmap/io/vector.hpp"

#include <string>
#include <vector>

namespace hotmap::cli {

/// DESIGN.md §3 "Incident input".
struct InputOptions {
    io::IncidentSource src;
    std::string from, to, hours, days;
    std::string rejects;
    std::string categories; ///< --categories a,b: keep only these

    po::options_description describe(bool required = true);
    /// Parse --from/--to/--hours/--days; throws UsageError.
    IncidentFilter filter() const;
};

/// DESIGN.md §3 "Districts and other layers" (the polygon part).
struct DistrictOptions {
    io::PolygonSource src;
    po::options_description describe(bool with_population = true);
    bool given() const { return !src.path.empty(); }
};

struct CrsOptions {
    std::string crs;
    po::options_description describe();
};

struct OutputOptions {
    std::string path;
    std::string format;
    std::string layer_name;
    po::options_description describe(bool required, const std::string& what);
    bool given() const { return !path.empty(); }
};

/// Incidents (and districts, when given) in the working CRS, with the accounting printed
/// under -v and --rejects written.
struct Loaded {
    IncidentSet incidents;
    std::vector<districts::District> districts;
    crs::Crs working;
};

Loaded load_inputs(const InputOptions& in, const DistrictOptions* d, const CrsOptions& c, const CommonOptions& common,
                   const Log& log);

/// "read 5000 = accepted 4950 + filtered 0 + rejected 50 (null_island 3, ...)"
std::string accounting_line(const Accounting& a);

/// A string made safe as a field-name suffix: lower case, runs of other characters -> "_"
/// ("Sexual violence" -> "sexual_violence"; "" -> "none").
std::string field_suffix(const std::string& s);

/// A number as an output value: null when not finite (no neighbour, no population...).
io::Value num(double v);

/// Write a layer and report Shapefile renames under -v.
void write_layer(const io::VectorLayer& layer, const OutputOptions& out, bool overwrite, const Log& log);

} // namespace hotmap::cli
