// SPDX-License-Identifier: MIT
// Shared option groups and the incident/district loader.
#include "option_groups.hpp"

#include "hotmap/error.hpp"
#include "hotmap/io/atomic_output.hpp"
#include "hotmap/timeparse.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <thread>
#include <sstream>

namespace hotmap::cli {

po::options_description InputOptions::describe(bool required)
{
    po::options_description g("Input");
    auto inc = po::value<std::string>(&src.path);
    if (required) inc->required();
    g.add_options()
        ("incidents,i", inc, "incident file: CSV or any OGR vector source")
        ("layer", po::value<std::string>(&src.layer), "layer within a multi-layer source")
        ("x", po::value<std::string>(&src.x_field), "x/longitude column of a CSV (default: detect)")
        ("y", po::value<std::string>(&src.y_field), "y/latitude column of a CSV (default: detect)")
        ("wkt", po::value<std::string>(&src.wkt_field), "WKT point column instead of x/y")
        ("incidents-crs", po::value<std::string>(&src.crs), "CRS of the coordinates (EPSG:nnnn, WKT, PROJ string)")
        ("time", po::value<std::string>(&src.time_field), "timestamp column (default: detect; '-' for none)")
        ("time-format", po::value<std::string>(&src.time_format), "strptime format, e.g. '%d/%m/%Y %H:%M'")
        ("category", po::value<std::string>(&src.category_field), "incident type column (default: 'category' if present)")
        ("categories", po::value<std::string>(&categories), "keep only these categories (comma-separated)")
        ("weight", po::value<std::string>(&src.weight_field), "incident weight column (default: 1)")
        ("where", po::value<std::string>(&src.where), "OGR SQL attribute filter, e.g. \"category = 'theft'\"")
        ("from", po::value<std::string>(&from), "keep incidents at or after DATE[ TIME]")
        ("to", po::value<std::string>(&to), "keep incidents before DATE[ TIME]")
        ("hours", po::value<std::string>(&hours), "time-of-day window H1-H2, may wrap midnight (18-6 = night)")
        ("days", po::value<std::string>(&days), "days of week, e.g. mon,tue,fri")
        ("rejects", po::value<std::string>(&rejects), "write every rejected row (row, reason, raw values) as CSV")
        ("strict", po::bool_switch(&src.strict), "any rejected row is an error (exit 1)");
    return g;
}

IncidentFilter InputOptions::filter() const
{
    IncidentFilter f;
    try {
        if (!from.empty()) f.from = timeparse::parse_user_date(from, "--from");
        if (!to.empty()) f.to = timeparse::parse_user_date(to, "--to");
    } catch (const ParameterError& e) {
        throw UsageError(e.what());
    }
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

po::options_description DistrictOptions::describe(bool with_population)
{
    po::options_description g("Districts");
    g.add_options()
        ("districts,d", po::value<std::string>(&src.path), "district polygons (any OGR source)")
        ("district-layer", po::value<std::string>(&src.layer), "layer within the districts source")
        ("district-name", po::value<std::string>(&src.name_field), "name field (default: detect name/nom/district)");
    if (with_population)
        g.add_options()("population", po::value<std::string>(&src.population_field), "population field, for rates per 1,000 residents");
    return g;
}

po::options_description CrsOptions::describe()
{
    po::options_description g("Working CRS");
    g.add_options()("crs", po::value<std::string>(&crs),
                    "projected working CRS in metres (default: districts' CRS if projected, else the incidents' "
                    "if projected, else the UTM zone of the data)");
    return g;
}

po::options_description OutputOptions::describe(bool required, const std::string& what)
{
    po::options_description g("Output");
    auto o = po::value<std::string>(&path);
    if (required) o->required();
    g.add_options()
        ("output,o", o, what.c_str())
        ("format,f", po::value<std::string>(&format), "GDAL driver name when the extension is not enough")
        ("layer-name", po::value<std::string>(&layer_name), "layer name inside a GeoPackage");
    return g;
}

std::string accounting_line(const Accounting& a)
{
    std::ostringstream o;
    o << "rows read " << a.read << " = accepted " << a.accepted << " + filtered " << a.filtered << " + rejected " << a.rejected;
    auto list = [&](const std::map<std::string, std::uint64_t>& m) {
        std::string s;
        for (const auto& [k, v] : m) s += (s.empty() ? "" : ", ") + k + " " + std::to_string(v);
        return s;
    };
    if (!a.filtered_by.empty()) o << "; filtered: " << list(a.filtered_by);
    if (!a.rejected_by.empty()) o << "; rejected: " << list(a.rejected_by);
    return o.str();
}

Loaded load_inputs(const InputOptions& in, const DistrictOptions* d, const CrsOptions& c, const CommonOptions& common,
                   const Log& log)
{
    Loaded L;
    const IncidentFilter filter = in.filter();
    io::IncidentSource src = in.src;
    src.threads = common.threads;
    src.keep_rejects = !in.rejects.empty();
    if (!in.rejects.empty()) io::check_writable(in.rejects, common.overwrite);
    crs::Crs user_crs;
    if (!c.crs.empty()) user_crs = crs::Crs::from_user(c.crs);
    // Districts' CRS first: it may be the working CRS.
    crs::Crs district_crs;
    io::PolygonLayer polys;
    if (d && d->given()) {
        polys = io::read_polygons(d->src, crs::Crs());
        district_crs = polys.source_crs;
    }
    L.incidents = io::read_incidents(src, filter);
    log.v("incidents: " + in.src.path + " (CRS " + (L.incidents.crs.empty() ? "unknown" : L.incidents.crs.id()) + ")");
    log.v("columns: x=" + L.incidents.resolved_x + " y=" + L.incidents.resolved_y +
          (L.incidents.resolved_wkt.empty() ? "" : " wkt=" + L.incidents.resolved_wkt) +
          " time=" + (L.incidents.resolved_time.empty() ? "(none)" : L.incidents.resolved_time + " as " + L.incidents.time_format) +
          " category=" + (L.incidents.resolved_category.empty() ? "(none)" : L.incidents.resolved_category) +
          " weight=" + (L.incidents.resolved_weight.empty() ? "(1)" : L.incidents.resolved_weight));
    const WorkingCrsChoice choice = choose_working_crs(user_crs, district_crs, L.incidents);
    L.working = choice.crs;
    log.v("working CRS: " + L.working.id() + " (" + L.working.name() + "), " + choice.why);
    project_incidents(L.incidents, L.working, src.keep_rejects, 2.0,
                      common.threads ? common.threads : std::max(1u, std::thread::hardware_concurrency()));
    if (!in.categories.empty()) {
        std::vector<std::string> keep;
        std::stringstream ss(in.categories);
        std::string s;
        while (std::getline(ss, s, ',')) keep.push_back(s);
        if (!L.incidents.has_category) throw UsageError("--categories needs a category column (--category)");
        filter_categories(L.incidents, keep);
    }
    if (in.src.strict && L.incidents.accounting.rejected > 0) {
        const auto& r = L.incidents.rejects;
        throw InputError(in.src.path + (r.empty() ? std::string() : ": line " + std::to_string(r.front().row)) +
                         ": rejected (" + (r.empty() ? L.incidents.accounting.rejected_by.begin()->first : r.front().reason) +
                         ") and --strict is set");
    }
    log.v(accounting_line(L.incidents.accounting));
    if (L.incidents.accounting.rejected > 0 && !common.verbose)
        log.w(std::to_string(L.incidents.accounting.rejected) + " of " + std::to_string(L.incidents.accounting.read) +
              " rows rejected (" + [&] {
                  std::string s;
                  for (const auto& [k, v] : L.incidents.accounting.rejected_by) s += (s.empty() ? "" : ", ") + k + " " + std::to_string(v);
                  return s;
              }() + ")" + (in.rejects.empty() ? "; list them with --rejects FILE" : ""));
    if (d && d->given()) {
        polys = io::read_polygons(d->src, L.working);
        for (const std::string& w : polys.warnings) log.w(w);
        std::vector<std::string> warnings;
        L.districts = districts::from_wkb(polys.wkb, polys.names, polys.population, warnings);
        for (const std::string& w : warnings) log.w(w);
        log.v("districts: " + d->src.path + ", " + std::to_string(L.districts.size()) + " polygons, name field " +
              (polys.name_field.empty() ? "(none: numbered)" : polys.name_field));
    }
    if (!in.rejects.empty()) {
        io::write_rejects(L.incidents.rejects, in.rejects, common.overwrite);
        log.v("rejects: " + std::to_string(L.incidents.rejects.size()) + " rows written to " + in.rejects);
    }
    if (L.incidents.items.empty()) log.w("no incident was accepted");
    return L;
}

std::string field_suffix(const std::string& s)
{
    std::string o;
    for (char c : s) {
        const unsigned char u = static_cast<unsigned char>(c);
        o.push_back(std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '_');
    }
    while (o.find("__") != std::string::npos) o.replace(o.find("__"), 2, "_");
    if (!o.empty() && o.back() == '_') o.pop_back();
    return o.empty() ? "none" : o;
}

io::Value num(double v) { return std::isfinite(v) ? io::Value(v) : io::Value(); }

void write_layer(const io::VectorLayer& layer, const OutputOptions& out, bool overwrite, const Log& log)
{
    io::WriteOptions wo;
    wo.format = out.format;
    wo.layer_name = out.layer_name;
    wo.overwrite = overwrite;
    const io::WriteReport rep = io::write_vector(layer, out.path, wo);
    for (const auto& [from, to] : rep.renamed_fields) log.v("shapefile field " + from + " -> " + to);
    log.v("wrote " + std::to_string(layer.rows.size()) + " features to " + out.path + " (" + rep.driver + ")");
}

} // namespace hotmap::cli
