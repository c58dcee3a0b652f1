// SPDX-License-Identifier: MIT
// Reading the shared inputs once: incidents, districts, the working CRS, facilities.
#include "hotmap/pipeline/inputs.hpp"

#include "hotmap/error.hpp"
#include "hotmap/geom/geometry.hpp"
#include "hotmap/io/postgis.hpp"
#include "hotmap/resources.hpp"
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

/// Bytes a row costs held in memory by the commands that can count in batches: the incident
/// (40 B) and the per-row work beside it (district ids, cell positions).
constexpr double k_bytes_per_held_row = 64;

/// Rows per batch for this run: --batch-rows, else (a command that can count in batches) as
/// many as a quarter of the memory holds when the whole source would take more than half of
/// it; 0 = read whole.
std::uint64_t batch_rows_for(const InputParams& p, const io::IncidentSource& src, Log& log)
{
    if (!p.streamable || p.in_database) return 0;
    if (p.batch_rows) return p.batch_rows;
    const std::optional<std::uint64_t> n = io::estimate_rows(src);
    const double avail = resources::available_memory();
    if (!n || static_cast<double>(*n) * k_bytes_per_held_row <= 0.5 * avail) return 0;
    const auto rows = static_cast<std::uint64_t>(std::max(100000.0, 0.25 * avail / k_bytes_per_held_row));
    log.info("incidents: about " + std::to_string(*n) + " rows, more than half of the " + resources::human_bytes(avail) +
             " of memory would hold: read in batches of about " + std::to_string(rows) + " rows");
    return rows;
}

void log_columns(const IncidentSet& s, const io::IncidentSource& src, Log& log)
{
    log.info("incidents: " + io::redact_source(src.path) + " (CRS " + (s.crs.empty() ? "unknown" : s.crs.id()) + ")");
    log.info("columns: x=" + s.resolved_x + " y=" + s.resolved_y + (s.resolved_wkt.empty() ? "" : " wkt=" + s.resolved_wkt) +
             " time=" + (s.resolved_time.empty() ? "(none)" : s.resolved_time + " as " + s.time_format) +
             (src.timezone.empty() ? "" : " in " + src.timezone) +
             " category=" + (s.resolved_category.empty() ? "(none)" : s.resolved_category) +
             " weight=" + (s.resolved_weight.empty() ? "(1)" : s.resolved_weight));
    for (const std::string& n : s.notes) log.info(n);
}

/// --strict after the projection: its first rejected row (the kept rejects' first, else the
/// first reason) ends the run.
void throw_if_strict(const IncidentSet& s, const io::IncidentSource& src)
{
    if (!src.strict || s.accounting.rejected == 0) return;
    const auto& r = s.rejects;
    throw InputError(src.path + (r.empty() ? std::string() : ": line " + std::to_string(r.front().row)) + ": rejected (" +
                     (r.empty() ? s.accounting.rejected_by.begin()->first : r.front().reason) + ") and --strict is set");
}

/// --categories names that no incident has, among `all` the categories read.
void warn_unknown_categories(const std::vector<std::string>& keep, const std::vector<std::string>& all, Log& log)
{
    std::string known;
    for (const std::string& c : all) known += (known.empty() ? "" : ", ") + c;
    for (const std::string& u : keep)
        if (std::find(all.begin(), all.end(), u) == all.end())
            log.warning("--categories: no incident has the category '" + u + "' (categories: " + known + ")");
}

/// --sensitive: names that no incident has (by same_category, among `all`), and how many
/// incidents the others left out.
void log_sensitive(const std::vector<std::string>& drop, const std::vector<std::string>& all, std::size_t left_out, Log& log)
{
    for (const std::string& d : drop)
        if (std::none_of(all.begin(), all.end(), [&](const std::string& c) { return same_category(c, d); }))
            log.warning("--sensitive: no incident has the category '" + d + "'");
    if (!drop.empty())
        log.info("--sensitive: " + std::to_string(left_out) + " incident(s) of the sensitive categories left out of this output (below district level)");
}

void check_category_names(const InputParams& p)
{
    for (const std::string& c : p.categories)
        for (const std::string& d : p.drop_categories)
            if (same_category(c, d)) throw ParameterError("--categories " + c + ": the category is --sensitive, published at district level only");
}

// The incidents read in batches by the commands (stream_incidents): here only what the working
// CRS needs. Given (--crs, projected districts), or the incidents' own projected CRS: the first
// batch tells. Lon/lat incidents: the UTM zone of the median of every step-th accepted row, as
// choose_working_crs takes it over the rows held: one pass counts them, a second takes them.
Inputs load_streamed(const InputParams& p, std::uint64_t rows, Log& log)
{
    auto [in, src, user_crs, district_crs] = start_loading(p);
    check_category_names(p);
    StreamedSource st;
    st.src = src;
    st.filter = p.filter;
    st.rows = rows;
    st.categories = p.categories;
    st.drop_categories = p.drop_categories;
    const bool given = !user_crs.empty() || (!district_crs.empty() && !district_crs.is_geographic());
    IncidentSet shell;
    bool have_shell = false;
    std::uint64_t accepted = 0;
    io::Batches look{rows, [&](IncidentSet& b) {
                         accepted += b.items.size();
                         if (!have_shell) { // the batch's description, not a copy of its rows
                             shell = std::move(b);
                             shell.items = std::vector<Incident>();
                             have_shell = true;
                         }
                         return !given && b.crs.is_geographic(); // counting lon/lat rows for the median
                     }};
    const IncidentSet whole = io::read_incidents(src, p.filter, look);
    if (!have_shell) shell = whole; // no batch: a file without records
    shell.items.clear();
    shell.accounting = Accounting();
    shell.categories.clear();
    shell.rejects.clear();
    shell.notes = whole.notes;
    WorkingCrsChoice choice;
    if (given || !shell.crs.is_geographic() || shell.crs.empty()) {
        choice = choose_working_crs(user_crs, district_crs, shell); // not from its rows
    } else {
        // every step-th accepted row, as choose_working_crs samples the rows it is given
        IncidentSet sample;
        sample.crs = shell.crs;
        sample.source = shell.source;
        sample.accounting = whole.accounting;
        const std::uint64_t step = std::max<std::uint64_t>(1, accepted / 100000);
        std::uint64_t at = 0;
        io::Batches take{rows, [&](IncidentSet& b) {
                             for (const Incident& inc : b.items)
                                 if (at++ % step == 0) sample.items.push_back(inc);
                             return true;
                         }};
        (void)io::read_incidents(src, p.filter, take);
        log.info("incidents: " + std::to_string(accepted) + " accepted rows counted, then " +
                 (step == 1 ? std::string("all") : "every " + std::to_string(step) + "th") +
                 " read again for their median lon/lat (give --crs to skip both passes)");
        choice = choose_working_crs(user_crs, district_crs, sample);
    }
    in.incidents = shell;
    log_columns(in.incidents, src, log);
    if (!p.categories.empty() && !shell.has_category) throw ParameterError("--categories needs a category column (--category)");
    in.working = choice.crs;
    in.working_why = choice.why;
    log.info("working CRS: " + in.working.id() + " (" + in.working.name() + "), " + choice.why);
    log.info("incidents read in batches of about " + std::to_string(rows) + " rows, again for each count (only the counts are held)");
    if (!p.districts.path.empty()) in.districts = read_districts(p.districts, in.working, log);
    in.streamed = std::move(st);
    return std::move(in); // a structured binding: not moved implicitly
}

} // namespace

IncidentSet stream_incidents(const Inputs& in, const std::function<void(const IncidentSet& batch)>& each, Log* log)
{
    const StreamedSource& st = *in.streamed;
    Accounting acct;
    std::vector<RejectedRow> projected; // the rows the projection rejects, after the reader's (as load())
    std::vector<std::string> categories, warnings;
    std::size_t sensitive = 0;
    std::uint64_t accepted = 0, nbatches = 0;
    io::Batches b{st.rows, [&](IncidentSet& batch) {
                      project_incidents(batch, in.working, st.src.keep_rejects, 2.0, in.threads);
                      throw_if_strict(batch, st.src);
                      for (RejectedRow& r : batch.rejects) projected.push_back(std::move(r));
                      batch.rejects.clear();
                      if (!st.categories.empty()) (void)filter_categories(batch, st.categories);
                      if (!st.drop_categories.empty()) sensitive += drop_categories(batch, st.drop_categories);
                      acct.merge(batch.accounting);
                      accepted += batch.items.size();
                      categories.insert(categories.end(), batch.categories.begin(), batch.categories.end());
                      std::sort(categories.begin(), categories.end());
                      categories.erase(std::unique(categories.begin(), categories.end()), categories.end());
                      for (const std::string& w : batch.warnings)
                          if (std::find(warnings.begin(), warnings.end(), w) == warnings.end()) warnings.push_back(w);
                      each(batch);
                      ++nbatches;
                      return true;
                  }};
    IncidentSet seen = io::read_incidents(st.src, st.filter, b);
    seen.accounting = acct;
    for (RejectedRow& r : projected) seen.rejects.push_back(std::move(r));
    // in the order of the rows, as project_incidents leaves them
    std::stable_sort(seen.rejects.begin(), seen.rejects.end(), [](const RejectedRow& x, const RejectedRow& y) { return x.row < y.row; });
    for (const std::string& w : warnings)
        if (std::find(seen.warnings.begin(), seen.warnings.end(), w) == seen.warnings.end()) seen.warnings.push_back(w);
    if (log) { // seen.categories: every category read, before the filters
        if (!st.categories.empty()) warn_unknown_categories(st.categories, seen.categories, *log);
        log_sensitive(st.drop_categories, seen.categories, sensitive, *log);
    }
    seen.categories = categories;
    if (log) {
        log->info("incidents read in " + std::to_string(nbatches) + " batch(es) of about " + std::to_string(st.rows) + " rows");
        log_accounting(seen, st.src.keep_rejects, *log);
        if (accepted == 0) log->warning("no incident was accepted");
        *st.seen = seen;
    }
    return seen;
}

void for_each_part(const Inputs& in, const std::function<void(const IncidentSet& part)>& each, Log* log)
{
    if (in.streamed) (void)stream_incidents(in, each, log);
    else each(in.incidents);
}

Inputs load(const InputParams& p, Log& log)
{
    if (p.in_database) return load_database(p, log);
    {
        io::IncidentSource src = p.incidents;
        src.threads = p.threads;
        if (const std::uint64_t rows = batch_rows_for(p, src, log)) return load_streamed(p, rows, log);
    }
    auto [in, src, user_crs, district_crs] = start_loading(p);
    in.incidents = io::read_incidents(src, p.filter);
    IncidentSet& s = in.incidents;
    log_columns(s, src, log);
    const WorkingCrsChoice choice = choose_working_crs(user_crs, district_crs, s);
    in.working = choice.crs;
    in.working_why = choice.why;
    log.info("working CRS: " + in.working.id() + " (" + in.working.name() + "), " + choice.why);
    project_incidents(s, in.working, src.keep_rejects, 2.0, p.threads);
    if (!p.categories.empty()) {
        if (!s.has_category) throw ParameterError("--categories needs a category column (--category)");
        (void)filter_categories(s, p.categories);
        warn_unknown_categories(p.categories, s.categories, log);
    }
    check_category_names(p);
    {
        const std::vector<std::string> all = s.categories; // before --sensitive takes its own away
        const std::size_t n = p.drop_categories.empty() ? 0 : drop_categories(s, p.drop_categories);
        log_sensitive(p.drop_categories, all, n, log);
    }
    throw_if_strict(s, src);
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
