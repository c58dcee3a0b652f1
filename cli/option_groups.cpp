// SPDX-License-Identifier: MIT
// Shared option groups, and the load/stage/write steps every command takes.
#include "option_groups.hpp"

#include "hotmap/error.hpp"
#include "hotmap/timeparse.hpp"

#include <cctype>
#include <charconv>
#include <filesystem>
#include <random>
#include <sstream>

namespace hotmap::cli {

OptionGroup InputOptions::describe(bool required)
{
    OptionGroup g("Input");
    g.input("incidents,i", &src.path, PathKind::vector, "incident file: CSV or any OGR vector source").layer_option("layer");
    if (required) g.required();
    g.text("layer", &src.layer, "layer within a multi-layer source")
        .text("x", &src.x_field, "x/longitude column of a CSV (default: detect)")
        .text("y", &src.y_field, "y/latitude column of a CSV (default: detect)")
        .text("wkt", &src.wkt_field, "WKT point column instead of x/y")
        .text("incidents-crs", &src.crs, "CRS of the coordinates (EPSG:nnnn, WKT, PROJ string, or a .prj file)")
        .text("time", &src.time_field,
              "timestamp column, or DATE_COLUMN,TIME_COLUMN for exports that split them (default: detect; '-' for none)")
        .text("time-format", &src.time_format, "strptime format of the (date) column, e.g. '%d/%m/%Y %H:%M'")
        .text("timezone", &src.timezone,
              "IANA time zone (e.g. Africa/Lubumbashi): times with a UTC offset or Z are read at its local clock")
        .text("category", &src.category_field, "incident type column (default: 'category' if present)")
        .text("categories", &categories, "keep only these categories (comma-separated)")
        .text("weight", &src.weight_field, "incident weight column (default: 1)")
        .text("where", &src.where, "attribute filter, e.g. \"category = 'theft'\" (OGR SQL; PostgreSQL SQL on a PG: source, "
                                   "where the server applies it)")
        .text("from", &from, "keep incidents at or after DATE[ TIME]")
        .text("to", &to, "keep incidents before DATE[ TIME]")
        .text("hours", &hours, "time-of-day window H1-H2, may wrap midnight (18-6 = night)")
        .text("days", &days, "days of week, e.g. mon,tue,fri")
        .output("rejects", &rejects, PathKind::table, "write every rejected row (row, reason, raw values) as CSV")
        .flag("strict", &src.strict, "any rejected row is an error (exit 1)");
    return g;
}

IncidentFilter InputOptions::filter() const
{
    IncidentFilter f;
    if (!from.empty()) f.from = timeparse::parse_user_date(from, "--from");
    if (!to.empty()) f.to = timeparse::parse_user_date(to, "--to");
    if (f.from && f.to && *f.to <= *f.from) throw UsageError("--to must be after --from");
    if (!hours.empty()) {
        int a = -1, b = -1;
        char dash = 0;
        std::istringstream is(hours);
        if (!(is >> a >> dash >> b) || dash != '-' || a < 0 || a > 24 || b < 0 || b > 24 || a == b || !is.eof())
            throw UsageError("--hours '" + hours + "': expected H1-H2 with hours 0..24, e.g. 18-6");
        f.hour_from = a % 24;
        f.hour_to = b % 24;
        if (*f.hour_from == *f.hour_to) f.hour_from.reset(), f.hour_to.reset(); // 0-24: all day
    }
    if (!days.empty()) {
        static const char* names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
        f.days = 0;
        std::stringstream ss(days);
        std::string d;
        while (std::getline(ss, d, ',')) {
            for (char& c : d) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            int k = -1;
            for (int i = 0; i < 7; ++i)
                if (d.rfind(names[i], 0) == 0 && d.size() >= 3) k = i;
            if (k < 0) throw UsageError("--days '" + days + "': unknown day '" + d + "' (use mon,tue,wed,thu,fri,sat,sun)");
            f.days = static_cast<std::uint8_t>(f.days | (1u << k));
        }
    }
    return f;
}

OptionGroup DistrictOptions::describe(bool with_population)
{
    OptionGroup g("Districts");
    g.input("districts,d", &src.path, PathKind::vector, "district polygons (any OGR source)")
        .layer_option("district-layer")
        .text("district-layer", &src.layer, "layer within the districts source")
        .text("district-name", &src.name_field, "name field (default: detect name/nom/district)")
        .text("districts-crs", &src.crs, "CRS of a district layer that has none (a Shapefile without .prj)");
    if (with_population) g.text("population", &src.population_field, "population field: rates per 1,000 residents (and the k-anonymity of a geomask)");
    return g;
}

OptionGroup CrsOptions::describe()
{
    OptionGroup g("Working CRS");
    g.text("crs", &crs,
           "projected working CRS in metres (default: districts' CRS if projected, else the incidents' if projected, else the "
           "UTM zone of the data)");
    return g;
}

OptionGroup OutputOptions::describe(bool required, const std::string& what, bool layer_options, PathKind kind)
{
    OptionGroup g("Output");
    g.output("output,o", &path, kind, what);
    if (required) g.required();
    if (layer_options)
        g.text("format,f", &format, "GDAL driver name when the extension is not enough")
            .text("layer-name", &layer_name, "layer name inside a GeoPackage");
    return g;
}

void OutputOptions::check() const
{
    if (path.empty()) return;
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw UsageError("--output '" + path + "': is a folder; give a file name inside it");
    io::driver_for(path, format);
}

const io::Staged& OutputOptions::stage(io::OutputSet& outs) const
{
    return outs.add(path, io::vector_sidecars(path, format, true));
}

OptionGroup FacilityOptions::describe()
{
    OptionGroup g("Facilities");
    g.list("facilities", &layers, "facility layer PATH[:RADIUS_M] (repeatable): points (posts, stations, lamps) or lines (patrol routes)")
        .path_kind(PathKind::vector)
        .text("facility-type", &type_field, "facility type field, for --radius TYPE=M and per-type fields")
        .list("radius", &radius, "service radius in metres: TYPE=M,... per type and/or a bare M for the rest (e.g. lamp=40,post=500,800)")
        .text("radius-field", &radius_field, "per-feature radius field (metres); overrides the rules")
        .text("facilities-crs", &crs,
              "CRS of facility layers that have none (CSV x/y columns without a .prj, a Shapefile without .prj)");
    return g;
}

OptionGroup StreetOptions::describe()
{
    OptionGroup g("Street network");
    g.input("streets", &params.path, PathKind::vector,
            "street centre lines (any OGR line layer; .osm.pbf: highway ways but motorways and trunk roads): distances follow the streets")
        .layer_option("streets-layer")
        .text("streets-layer", &params.layer, "layer of --streets (default: the first; 'lines' for OSM files)")
        .text("streets-crs", &params.crs, "CRS of a street layer that has none")
        .metres("snap-tolerance", &params.snap_tolerance_m, 1000, "street vertices closer than this are one junction, metres")
        .metres("max-snap", &params.max_snap_m, 1e6,
                "farthest an incident or facility may lie from a street, metres (incidents beyond: off the network, counted; "
                "--strict: an error; facilities beyond: an error)");
    return g;
}

void FacilityOptions::check(bool required)
{
    if (layers.empty() && required) throw UsageError("the option '--facilities' is required but missing");
    params.specs.clear();
    const auto exists = [](const std::string& p) {
        std::error_code ec;
        return std::filesystem::exists(p, ec);
    };
    for (const std::string& f : layers) params.specs.push_back(coverage::parse_facility_spec(f, exists));
    std::string joined;
    for (const std::string& r : radius) joined += (joined.empty() ? "" : ",") + r;
    if (!joined.empty()) params.rules = coverage::parse_radius_rules(joined);
    params.type_field = type_field;
    params.radius_field = radius_field;
    params.crs = crs;
}

OptionGroup WeightsOptions::describe()
{
    OptionGroup g("Spatial weights");
    g.text("distance", &distance, "distance band in metres between cell centres / district centroids, or 'auto' (default for grids)")
        .integer("knn", &knn, 0, 1000, "k nearest neighbours instead of a distance band")
        .shows("")
        .choice("contiguity", &contiguity, {"queen", "rook"}, "queen|rook (districts; default for --on districts)");
    return g;
}

void WeightsOptions::check(bool on_districts, pipeline::WeightsSpec& out) const
{
    const int schemes = !distance.empty() + (knn > 0) + !contiguity.empty();
    if (schemes > 1) throw UsageError("give only one of --distance, --knn, --contiguity");
    if (!contiguity.empty() && !on_districts) throw UsageError("--contiguity applies to --on districts; use --distance or --knn for grids");
    out = {};
    out.knn = knn;
    if (!contiguity.empty()) out.contiguity = contiguity == "rook" ? stats::Contiguity::rook : stats::Contiguity::queen;
    if (distance == "auto") {
        out.distance_auto = true;
    } else if (!distance.empty()) {
        const auto d = to_number(distance);
        if (!d || !(*d > 0) || *d > 1e7) throw UsageError("--distance '" + distance + "': expected a positive number of metres (at most 1e7) or 'auto'");
        out.distance_m = *d;
    }
}

OptionGroup PublicationOptions::describe(bool raster, bool counts, bool points)
{
    OptionGroup g("Publication");
    if (counts)
        g.integer("min-count", &min_count, 0, 1000000,
                  raster ? "cells whose density comes from 1 to K-1 incidents within the kernel radius (gaussian: 3 sigma) are nodata"
                         : "counts of 1 to K-1 are suppressed (null, `suppressed` = 1), with complementary suppression so that none can "
                           "be recovered from the totals; derived rates and differences nulled");
    g.flag("public", &public_profile,
           std::string("the publication profile: --min-count ") + std::to_string(k_public_min_count) + " unless set" +
               (points ? std::string(", --geomask ") + k_public_geomask + " unless set, identifying fields dropped (ids; times as hour and week)" : "") +
               "; the --sensitive categories only at district level")
        .text("sensitive", &sensitive, "CAT,CAT: categories never written below district level (their incidents left out of grids, "
                                       "rasters, hot spots and points)");
    if (points)
        g.text("geomask", &geomask, "donut:MIN-MAX: every exported incident point moved MIN to MAX metres in a random direction, staying in "
                                    "its district; the achieved k-anonymity is reported")
            .text("geomask-seed", &geomask_seed, "seed of the geomask (a secret: with it the mask can be undone; default: drawn from the "
                                                 "system's entropy and never written)");
    return g;
}

std::vector<std::string> PublicationOptions::dropped(bool district_level) const
{
    std::vector<std::string> out;
    if (sensitive.empty()) return out;
    std::stringstream ss(sensitive);
    std::string c;
    while (std::getline(ss, c, ',')) {
        if (c.empty()) throw UsageError("--sensitive '" + sensitive + "': an empty category name");
        out.push_back(c);
    }
    if (district_level) out.clear();
    return out;
}

std::optional<privacy::DonutSpec> PublicationOptions::donut() const
{
    if (geomask.empty() && !public_profile) {
        if (!geomask_seed.empty()) throw UsageError("--geomask-seed needs --geomask donut:MIN-MAX");
        return std::nullopt;
    }
    privacy::DonutSpec d;
    try {
        d = privacy::parse_donut(geomask.empty() ? std::string(k_public_geomask) : geomask);
    } catch (const ParameterError& e) {
        throw UsageError(e.what());
    }
    if (!geomask_seed.empty()) {
        std::uint64_t v = 0;
        const auto [end, ec] = std::from_chars(geomask_seed.data(), geomask_seed.data() + geomask_seed.size(), v);
        if (ec != std::errc{} || end != geomask_seed.data() + geomask_seed.size())
            throw UsageError("--geomask-seed '" + geomask_seed + "': expected a whole number from 0 to 18446744073709551615");
        d.seed = v;
    } else {
        std::random_device rd;
        d.seed = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
    }
    return d;
}

void protect_inputs(io::OutputSet& outs, const InputOptions& in, const DistrictOptions* d, const FacilityOptions* f,
                    const StreetOptions* streets)
{
    outs.protect(in.src.path);
    if (streets && streets->given()) outs.protect(streets->params.path);
    if (d) outs.protect(d->src.path);
    if (f)
        for (const coverage::FacilitySpec& s : f->params.specs) outs.protect(s.path);
}

pipeline::Inputs load_inputs(const InputOptions& in, const DistrictOptions* d, const CrsOptions& c, const CommonOptions& common,
                             io::OutputSet& outs, Log& log)
{
    pipeline::InputParams p;
    p.incidents = in.src;
    p.incidents.keep_rejects = !in.rejects.empty();
    p.filter = in.filter();
    if (!in.categories.empty()) {
        std::stringstream ss(in.categories);
        std::string s;
        while (std::getline(ss, s, ',')) p.categories.push_back(s);
    }
    p.drop_categories = in.drop_categories;
    if (d) p.districts = d->src;
    p.crs = c.crs;
    p.threads = common.threads;
    p.in_database = in.in_database;
    p.clip_margin_m = in.clip_margin_m;
    p.streamable = in.streamable;
    p.batch_rows = in.batch_rows;
    const io::Staged* rejects = in.rejects.empty() ? nullptr : &outs.add(in.rejects);
    pipeline::Inputs loaded = pipeline::load(p, log);
    if (rejects && loaded.streamed) {
        in.late_rejects = rejects;
    } else if (rejects) {
        io::write_rejects(loaded.incidents.rejects, rejects->temp, rejects->target);
        log.info("rejects: " + std::to_string(loaded.incidents.rejects.size()) + " rows to " + in.rejects);
    }
    return loaded;
}

void add_batch_option(OptionGroup& g, InputOptions& in)
{
    g.integer("batch-rows", &in.batch_rows, 1, 1000000000000LL,
              "read the incidents about N rows at a time and keep only their counts (files larger than memory; "
              "default: so when the file would take more than half of the memory)");
}

void write_late_rejects(const pipeline::Inputs& loaded, const InputOptions& in, Log& log)
{
    if (!in.late_rejects || !loaded.streamed) return;
    const std::vector<RejectedRow>& rows = loaded.streamed->seen->rejects;
    io::write_rejects(rows, in.late_rejects->temp, in.late_rejects->target);
    log.info("rejects: " + std::to_string(rows.size()) + " rows to " + in.rejects);
}

void write_layer(const io::VectorLayer& layer, const io::Staged& out, const OutputOptions& opts, Log& log)
{
    io::WriteOptions wo;
    wo.format = opts.format;
    wo.layer_name = opts.layer_name;
    const io::WriteReport rep = io::write_vector(layer, out, wo);
    for (const auto& [from, to] : rep.renamed_fields) log.info("shapefile field " + from + " -> " + to);
    log.info("wrote " + std::to_string(layer.size()) + " features to " + out.target + " (" + rep.driver + ")");
}

} // namespace hotmap::cli
