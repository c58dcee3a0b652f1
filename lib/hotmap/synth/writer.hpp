// SPDX-License-Identifier: MIT
// Writing a synthetic data set: the fast incidents CSV, the styled vector layers, a README.
#pragma once

#include "hotmap/io/output_set.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/synth/kalemie.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace hotmap::synth {

/// The incidents CSV header line (with its newline).
inline constexpr std::string_view k_csv_header = "id,datetime,lon,lat,category,weight\n";

/// What was written to an incidents CSV.
struct CsvStats {
    std::uint64_t rows = 0;
    std::uint64_t bytes = 0;
    std::array<std::uint64_t, k_defect_kinds> defects{}; ///< rows per Defect (index 0: clean)
    std::uint64_t dirty() const noexcept { return rows - defects[0]; }
};

/// Append rows as CSV lines (no header): `datetime` as YYYY-MM-DD HH:MM:SS, lon/lat with six
/// decimals, dirty rows with their defect applied. Hand formatting, no locale involved.
void append_csv(const std::vector<SynthIncident>& rows, std::string& out);

/// Generate and format chunks on p.threads threads; `sink` receives the header and then each
/// chunk's text, in order, on the calling thread. The bytes do not depend on the thread count.
/// At most a few chunks are held at a time. Exceptions from `sink` or the workers propagate.
CsvStats write_incidents_csv(const IncidentGenerator& gen, const IncidentParams& p,
                             const std::function<void(std::string_view)>& sink);

/// The same into a staged output (io::OutputSet). Throws OutputError when writing fails.
CsvStats write_incidents_csv(const IncidentGenerator& gen, const IncidentParams& p, const io::Staged& out);

/// The same into a file as a one-output run (staged, renamed into place). Throws OutputError
/// when the file exists and !overwrite, or when writing fails.
CsvStats write_incidents_csv(const IncidentGenerator& gen, const IncidentParams& p, const std::string& path,
                             bool overwrite);

/// Vector layers of a city in its CRS, each with a QGIS style.
/// districts: name, commune, population, area_km2 (polygons, categorised by commune).
io::VectorLayer districts_layer(const City& city);
/// facilities: name, type (station|post|lamp), district (points, categorised by type).
io::VectorLayer facilities_layer(const City& city);
/// patrols: name, type (= patrol), shift (day|night) (lines, categorised by shift).
io::VectorLayer patrols_layer(const City& city);
/// streets: kind (main | street) (lines, categorised by kind).
io::VectorLayer streets_layer(const City& city);
/// hotspots_truth: name, place, kind (stable|emerging|fading), radius_m, share_pct, start,
/// end (last active day), district (points, categorised by kind).
io::VectorLayer hotspots_layer(const City& city);

struct DatasetParams {
    std::string preset = "kalemie";
    IncidentParams incidents;
    bool incidents_only = false; ///< only incidents.csv
    bool overwrite = false;
    std::string command; ///< the command line to quote in README.md
};

struct DatasetReport {
    std::vector<std::string> files; ///< paths written, in order
    CsvStats csv;
};

/// File names (inside the folder) a data set consists of, sidecar styles included.
std::vector<std::string> dataset_files(bool incidents_only);

/// Write a whole data set into `dir` (created when missing): incidents.csv, districts.geojson,
/// facilities.geojson, patrols.geojson, hotspots_truth.geojson (each with a .qml) and
/// README.md. Every target is checked before anything is written (OutputError when one exists
/// and !overwrite); each file is written atomically.
DatasetReport write_dataset(const City& city, const std::string& dir, const DatasetParams& p);

/// README.md text of a data set.
std::string readme_text(const City& city, const DatasetParams& p, const CsvStats& csv);

} // namespace hotmap::synth
