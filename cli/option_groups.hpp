// SPDX-License-Identifier: MIT
// Option groups shared by commands (composition, osmium-style mix-ins), turned into library
// parameters, and the few steps every command takes: stage outputs, load inputs, write.
#pragma once

#include "command.hpp"

#include "hotmap/privacy/geomask.hpp"
#include "hotmap/io/output_set.hpp"
#include "hotmap/io/raster.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/pipeline/inputs.hpp"
#include "hotmap/pipeline/network.hpp"
#include "hotmap/pipeline/weights.hpp"

#include <optional>
#include <string>
#include <vector>

namespace hotmap::cli {

/// DESIGN.md §3 "Incident input".
struct InputOptions {
    io::IncidentSource src;
    std::string from, to, hours, days;
    std::string rejects;
    std::string categories; ///< --categories a,b: keep only these
    std::vector<std::string> drop_categories; ///< set by the command: --sensitive below district level (not an option)
    bool in_database = false; ///< --aggregate-in-database (declared by the commands that count on the server)
    std::optional<double> clip_margin_m; ///< set by the command: pipeline::InputParams::clip_margin_m (not an option)
    bool streamable = false;      ///< set by the command: it counts in batches (pipeline::InputParams::streamable)
    std::uint64_t batch_rows = 0; ///< --batch-rows (declared by the commands that count in batches)
    /// read in batches with --rejects: the rejects are known after the command's last pass
    /// (write_late_rejects), staged by load_inputs
    mutable const io::Staged* late_rejects = nullptr;

    OptionGroup describe(bool required = true);
    /// Parse --from/--to/--hours/--days; throws UsageError or ParameterError (both exit 2).
    IncidentFilter filter() const;
};

/// DESIGN.md §3 "Districts and other layers" (the polygon part).
struct DistrictOptions {
    io::PolygonSource src;
    OptionGroup describe(bool with_population = true);
    bool given() const { return !src.path.empty(); }
};

struct CrsOptions {
    std::string crs;
    OptionGroup describe();
};

struct OutputOptions {
    std::string path;
    std::string format;
    std::string layer_name;
    /// `layer_options`: -f and --layer-name (vector outputs; a GeoTIFF has no layers); `kind`: what -o is.
    OptionGroup describe(bool required, const std::string& what, bool layer_options = true, PathKind kind = PathKind::vector);
    bool given() const { return !path.empty(); }
    /// Usage check of the path (extension or -f known); throws UsageError.
    void check() const;
    /// Stage it (vector layer, styled) in `outs`.
    const io::Staged& stage(io::OutputSet& outs) const;
};

/// DESIGN.md §3 --facilities, --facility-type, --radius (coverage, site).
struct FacilityOptions {
    std::vector<std::string> layers, radius;
    std::string type_field, radius_field, crs;
    pipeline::FacilityParams params; ///< filled by check()
    OptionGroup describe();
    /// Parse the layer specs and radius rules; throws UsageError or ParameterError (exit 2).
    void check(bool required = true);
};

/// DESIGN.md §3 "Street network": --streets and how points are put on it (coverage, density, site).
struct StreetOptions {
    pipeline::StreetParams params;
    OptionGroup describe();
    bool given() const { return params.given(); }
};

/// DESIGN.md §5 weights: --distance M|auto, --knn K, --contiguity queen|rook (hotspots, emerging).
struct WeightsOptions {
    std::string distance, contiguity;
    unsigned knn = 0;
    OptionGroup describe();
    /// Check (one scheme at most; contiguity for districts only) and fill `out`; throws UsageError.
    void check(bool on_districts, pipeline::WeightsSpec& out) const;
};

/// Publication (issue "Privacy"): --min-count K on the count layers meant to leave the office.
struct PublicationOptions {
    unsigned min_count = 0;
    std::string geomask;        ///< --geomask donut:MIN-MAX
    std::string geomask_seed;   ///< --geomask-seed N (default: from the system's entropy, never written)
    bool public_profile = false; ///< --public
    std::string sensitive;      ///< --sensitive CAT,CAT

    /// `raster`: the density's meaning (cells from 1..K-1 incidents blanked) instead of counts;
    /// `counts`: --min-count at all; `points`: --geomask and --geomask-seed (commands that export points).
    OptionGroup describe(bool raster = false, bool counts = true, bool points = false);
    /// --min-count, else 5 with --public, else 0.
    unsigned k() const noexcept { return min_count ? min_count : (public_profile ? k_public_min_count : 0); }
    /// The parsed --geomask, else donut:50-250 with --public, else none; throws UsageError.
    std::optional<privacy::DonutSpec> donut() const;
    /// The --sensitive categories to leave out of an output below district level (none at
    /// district level: there they are published with the suppression); throws UsageError on
    /// an empty name.
    std::vector<std::string> dropped(bool district_level) const;

    static constexpr unsigned k_public_min_count = 5;
    static constexpr const char* k_public_geomask = "donut:50-250";
};

/// Mark the command's input files as inputs of `outs` (no output may replace them).
void protect_inputs(io::OutputSet& outs, const InputOptions& in, const DistrictOptions* d,
                    const FacilityOptions* f = nullptr, const StreetOptions* s = nullptr);

/// Load the inputs through the library (pipeline::load), staging and writing --rejects in `outs`.
pipeline::Inputs load_inputs(const InputOptions& in, const DistrictOptions* d, const CrsOptions& c, const CommonOptions& common,
                             io::OutputSet& outs, Log& log);

/// Write a layer to its staged output and report Shapefile renames under -v.
void write_layer(const io::VectorLayer& layer, const io::Staged& out, const OutputOptions& opts, Log& log);

/// --batch-rows N, for the commands that count the incidents in batches.
void add_batch_option(OptionGroup& g, InputOptions& in);

/// Incidents read in batches (pipeline::Inputs::streamed) with --rejects: write the rows the
/// last pass rejected (call after the command's computation, before committing).
void write_late_rejects(const pipeline::Inputs& loaded, const InputOptions& in, Log& log);

} // namespace hotmap::cli
