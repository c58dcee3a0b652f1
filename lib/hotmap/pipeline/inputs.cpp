// SPDX-License-Identifier: MIT
// Reading the shared inputs once: incidents, districts, the working CRS, facilities.
#include "hotmap/pipeline/inputs.hpp"

#include "hotmap/error.hpp"
#include "hotmap/geom/geometry.hpp"
#include "hotmap/io/postgis.hpp"
#include "hotmap/timeparse.hpp"

#include <algorithm>
#include <utility>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

namespace hotmap::pipeline {

Extent Inputs::study_extent(std::string* from) const
{
    if (has_districts()) {
        if (from) *from = "districts";
        return districts.extent();
    }
    if (from) *from = "incidents";
    return incidents.extent();
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

namespace {

districts::DistrictSet read_districts(const io::PolygonSource& src, const crs::Crs& working, Log& log)
{
    io::PolygonLayer polys = io::read_polygons(src, working);
    for (const std::string& w : polys.warnings) log.warning(w);
    std::vector<std::string> warnings;
    districts::DistrictSet d = districts::from_wkb(polys.wkb, polys.names, polys.population, warnings);
    for (const std::string& w : warnings) log.warning(w);
    std::map<std::string, std::size_t> seen;
    for (const std::string& n : d.polygons.names()) ++seen[n];
    for (const auto& [name, n] : seen)
        if (n > 1)
            log.warning(io::redact_source(src.path) + ": the district name '" + name + "' is given to " + std::to_string(n) +
                        " polygons: their rows cannot be told apart by name (--district-name names another field)");
    log.info("districts: " + io::redact_source(src.path) + ", " + std::to_string(d.size()) + " polygons, name field " +
             (polys.name_field.empty() ? "(none: numbered)" : polys.name_field));
    return d;
}

} // namespace

std::string describe_filters(const InputParams& p)
{
    std::vector<std::string> parts;
    const IncidentFilter& f = p.filter;
    if (f.hour_from && f.hour_to) {
        char b[32];
        std::snprintf(b, sizeof b, "%02d:00-%02d:00 only", *f.hour_from, *f.hour_to);
        parts.emplace_back(b);
    }
    if (f.from && f.to) parts.push_back("from " + timeparse::format(*f.from) + " to " + timeparse::format(*f.to));
    else if (f.from) parts.push_back("from " + timeparse::format(*f.from));
    else if (f.to) parts.push_back("before " + timeparse::format(*f.to));
    if (f.days != 0x7f) {
        static const char* names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        std::string d;
        for (int i = 0; i < 7; ++i)
            if (f.days & (1u << i)) d += (d.empty() ? "" : ",") + std::string(names[i]);
        parts.push_back(d.empty() ? "no day" : d + " only");
    }
    if (!p.categories.empty()) {
        std::string c;
        for (const std::string& x : p.categories) c += (c.empty() ? "" : ", ") + x;
        parts.push_back("categories " + c);
    }
    if (!p.drop_categories.empty()) {
        std::string c;
        for (const std::string& x : p.drop_categories) c += (c.empty() ? "" : ", ") + x;
        parts.push_back("without the sensitive categories " + c);
    }
    std::string out;
    for (const std::string& x : parts) out += (out.empty() ? "" : "; ") + x;
    return out;
}

std::string with_filters(const std::string& title, const Inputs& in) { return in.filters.empty() ? title : title + ", " + in.filters; }

void log_accounting(const IncidentSet& s, bool keep_rejects, Log& log)
{
    log.info(accounting_line(s.accounting));
    for (const std::string& w : s.warnings) log.warning(w);
    if (s.accounting.rejected > 0) {
        std::string why;
        for (const auto& [k, v] : s.accounting.rejected_by) why += (why.empty() ? "" : ", ") + k + " " + std::to_string(v);
        log.warning(std::to_string(s.accounting.rejected) + " of " + std::to_string(s.accounting.read) + " rows rejected (" + why +
                    ")" + (keep_rejects ? "" : "; list them with --rejects FILE"));
    }
}

namespace {

/// What both loads start from: the Inputs shell, the incident source, the user's CRS and the
/// districts' CRS (read first: it may be the working CRS; only the layer's CRS is needed now).
struct Start {
    Inputs in;
    io::IncidentSource src;
    crs::Crs user_crs, district_crs;
};
Start start_loading(const InputParams& p)
{
    Start st;
    st.in.threads = p.threads;
    st.in.filters = describe_filters(p);
    st.src = p.incidents;
    st.src.threads = p.threads;
    if (!p.crs.empty()) st.user_crs = crs::Crs::from_user(p.crs);
    if (!p.districts.path.empty()) {
        const io::PolygonLayer polys = io::read_polygons(p.districts, crs::Crs());
        st.district_crs = polys.source_crs;
        // the box only when the working CRS does not come from the incidents (their median
        // lon/lat would then be taken over the rows inside the box only)
        const crs::Crs working = !st.user_crs.empty() ? st.user_crs : st.district_crs;
        if (p.clip_margin_m && !p.in_database && io::is_postgis_source(st.src.path) && !st.district_crs.empty() &&
            !working.is_geographic()) {
            Extent e;
            for (const std::string& w : polys.wkb) e.expand(geom::Geometry::from_wkb(w).envelope());
            if (!e.empty() && *p.clip_margin_m > 0) {
                // widened in the working CRS
                if (!st.district_crs.same_as(working)) e = crs::transform_box(e, st.district_crs, working);
                const double m = *p.clip_margin_m;
                if (!e.empty()) e = Extent{e.xmin - m, e.ymin - m, e.xmax + m, e.ymax + m};
                st.src.study_crs = working;
            } else {
                st.src.study_crs = st.district_crs;
            }
            if (!e.empty()) {
                st.src.study_box = e;
                st.src.working = working;
            }
        }
    }
    return st;
}

// --aggregate-in-database: the table's description, the working CRS and the districts; no row.
Inputs load_database(const InputParams& p, Log& log)
{
    if (!p.categories.empty()) throw ParameterError("--aggregate-in-database: --categories is not supported (use --where \"category IN (...)\")");
    if (!p.drop_categories.empty()) throw ParameterError("--aggregate-in-database: --sensitive is not supported");
    auto [in, src, user_crs, district_crs] = start_loading(p);
    const io::PostgisTable t = io::describe_postgis_table(src, p.filter);
    const std::string shown = io::redact_source(src.path);
    IncidentSet& s = in.incidents;
    s.source = src.path;
    s.crs = t.crs;
    s.resolved_x = s.resolved_y = "(geometry " + t.geometry + ")";
    s.resolved_time = t.time;
    s.resolved_category = t.category;
    s.resolved_weight = t.weight;
    s.has_time = !t.time.empty();
    s.has_category = !t.category.empty();
    s.has_weight = !t.weight.empty();
    log.info("incidents: " + shown + " table " + t.table + " (CRS " + t.crs.id() + "), counted on the server (--aggregate-in-database)");
    log.info("columns: geometry=" + t.geometry + " time=" + (t.time.empty() ? "(none)" : t.time + (t.time_is_timestamp ? " (date/timestamp)" : " (text, ISO forms)")) +
             " category=" + (t.category.empty() ? "(none)" : t.category) + " weight=" + (t.weight.empty() ? "(1)" : t.weight));
    WorkingCrsChoice choice;
    if (!user_crs.empty() || (!district_crs.empty() && !district_crs.is_geographic()) || !t.crs.is_geographic()) {
        choice = choose_working_crs(user_crs, district_crs, s);
    } else {
        const auto median = io::postgis_median(src, t, p.filter, t.crs);
        if (!median) throw InputError(shown + ": table " + t.table + ": no incident was accepted (counted on the server): check the filters");
        IncidentSet one;
        one.crs = t.crs;
        one.items.push_back(Incident{});
        one.items[0].x = median->first;
        one.items[0].y = median->second;
        choice = choose_working_crs(user_crs, district_crs, one);
    }
    in.working = choice.crs;
    in.working_why = choice.why;
    log.info("working CRS: " + in.working.id() + " (" + in.working.name() + "), " + choice.why);
    if (!p.districts.path.empty()) in.districts = read_districts(p.districts, in.working, log);
    in.database = t;
    in.database_source = src;
    in.database_filter = p.filter;
    return std::move(in); // a structured binding: not moved implicitly
}

} // namespace

Inputs load(const InputParams& p, Log& log)
{
    if (p.in_database) return load_database(p, log);
    auto [in, src, user_crs, district_crs] = start_loading(p);
    in.incidents = io::read_incidents(src, p.filter);
    IncidentSet& s = in.incidents;
    log.info("incidents: " + io::redact_source(src.path) + " (CRS " + (s.crs.empty() ? "unknown" : s.crs.id()) + ")");
    log.info("columns: x=" + s.resolved_x + " y=" + s.resolved_y + (s.resolved_wkt.empty() ? "" : " wkt=" + s.resolved_wkt) +
             " time=" + (s.resolved_time.empty() ? "(none)" : s.resolved_time + " as " + s.time_format) +
             (src.timezone.empty() ? "" : " in " + src.timezone) +
             " category=" + (s.resolved_category.empty() ? "(none)" : s.resolved_category) +
             " weight=" + (s.resolved_weight.empty() ? "(1)" : s.resolved_weight));
    for (const std::string& n : s.notes) log.info(n);
    const WorkingCrsChoice choice = choose_working_crs(user_crs, district_crs, s);
    in.working = choice.crs;
    in.working_why = choice.why;
    log.info("working CRS: " + in.working.id() + " (" + in.working.name() + "), " + choice.why);
    project_incidents(s, in.working, src.keep_rejects, 2.0, p.threads);
    if (!p.categories.empty()) {
        if (!s.has_category) throw ParameterError("--categories needs a category column (--category)");
        std::string known;
        for (const std::string& c : s.categories) known += (known.empty() ? "" : ", ") + c;
        for (const std::string& u : filter_categories(s, p.categories))
            log.warning("--categories: no incident has the category '" + u + "' (categories: " + known + ")");
    }
    for (const std::string& c : p.categories)
        for (const std::string& d : p.drop_categories)
            if (same_category(c, d)) throw ParameterError("--categories " + c + ": the category is --sensitive, published at district level only");
    for (const std::string& d : p.drop_categories)
        if (std::none_of(s.categories.begin(), s.categories.end(), [&](const std::string& c) { return same_category(c, d); }))
            log.warning("--sensitive: no incident has the category '" + d + "'");
    if (!p.drop_categories.empty()) {
        const std::size_t n = drop_categories(s, p.drop_categories);
        log.info("--sensitive: " + std::to_string(n) + " incident(s) of the sensitive categories left out of this output (below district level)");
    }
    if (src.strict && s.accounting.rejected > 0) {
        const auto& r = s.rejects;
        throw InputError(src.path + (r.empty() ? std::string() : ": line " + std::to_string(r.front().row)) + ": rejected (" +
                         (r.empty() ? s.accounting.rejected_by.begin()->first : r.front().reason) + ") and --strict is set");
    }
    log_accounting(s, src.keep_rejects, log);
    if (!p.districts.path.empty()) in.districts = read_districts(p.districts, in.working, log);
    if (s.items.empty()) log.warning("no incident was accepted");
    return std::move(in); // a structured binding: not moved implicitly
}

std::vector<coverage::Facility> load_facilities(const FacilityParams& p, const crs::Crs& working, Log& log)
{
    if (p.specs.empty()) throw ParameterError("no facility layer given (--facilities PATH[:RADIUS_M])");
    std::vector<coverage::FacilityLayerInput> layers;
    for (const coverage::FacilitySpec& s : p.specs) {
        coverage::FacilityLayerInput in;
        in.name = std::filesystem::path(s.path).stem().string();
        in.source = s.path;
        in.radius_m = s.radius_m;
        const io::GenericLayer g =
            io::read_geometries(s.path, "", {p.type_field, p.radius_field}, working, p.crs, "--facilities-crs");
        if (g.without_geometry > 0)
            log.warning(s.path + ": " + std::to_string(g.without_geometry) + " of " + std::to_string(g.features) +
                        " feature(s) have no geometry (the first is feature " + std::to_string(g.first_without) +
                        "): they are not facilities");
        const bool has_type = !p.type_field.empty() &&
                              std::find(g.missing.begin(), g.missing.end(), p.type_field) == g.missing.end();
        if (!p.type_field.empty() && !has_type) {
            // a layer without the type field: its features take the layer's name as type
            const std::string msg = s.path + ": no field '" + p.type_field + "': its facilities have type '" + in.name + "'";
            if (s.radius_m) log.info(msg);
            else log.warning(msg);
        }
        if (!p.radius_field.empty() &&
            std::find(g.missing.begin(), g.missing.end(), p.radius_field) != g.missing.end())
            throw InputError(s.path + ": --radius-field '" + p.radius_field + "': no such field");
        in.wkb = g.wkb;
        in.features = g.feature;
        if (has_type) in.types = g.values[0];
        if (!p.radius_field.empty()) in.radius_values = g.values[1];
        layers.push_back(std::move(in));
    }
    std::vector<coverage::Facility> fac = coverage::build_facilities(layers, p.rules);
    if (fac.empty()) throw InputError("no facility geometry in " + p.specs.front().path);
    for (const std::string& t : coverage::facility_types(fac)) {
        std::size_t n = 0, lines = 0;
        double rmin = INFINITY, rmax = 0;
        for (const auto& f : fac)
            if (f.type == t) {
                ++n;
                lines += f.is_line() ? 1 : 0;
                rmin = std::min(rmin, f.radius_m);
                rmax = std::max(rmax, f.radius_m);
            }
        char b[96];
        std::snprintf(b, sizeof b, "%.1f", rmin);
        std::string r = b;
        if (rmax > rmin) {
            std::snprintf(b, sizeof b, "..%.1f", rmax);
            r += b;
        }
        log.info("facilities of type '" + t + "': " + std::to_string(n) + " (" + std::to_string(lines) + " lines), radius " + r + " m");
    }
    return fac;
}

} // namespace hotmap::pipeline
