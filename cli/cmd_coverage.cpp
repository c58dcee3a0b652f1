// SPDX-License-Identifier: MIT
// hotmap coverage: what posts, patrol routes and lamps reach, and the gaps they leave.
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/coverage/summary.hpp"
#include "hotmap/error.hpp"
#include "hotmap/io/atomic_output.hpp"
#include "hotmap/io/raster.hpp"
#include "hotmap/report/qml.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <set>
#include <sstream>

namespace hotmap::cli {
namespace {



bool file_exists(const std::string& p)
{
    std::error_code ec;
    return std::filesystem::exists(p, ec);
}

double seconds_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string fmt(double v, int decimals)
{
    if (!std::isfinite(v)) return "-";
    char b[64];
    std::snprintf(b, sizeof b, "%.*f", decimals, v);
    return b;
}

class CoverageCommand final : public Command {
public:
    std::string_view name() const noexcept override { return "coverage"; }
    std::string_view summary() const noexcept override
    {
        return "What posts, patrol routes and lamps cover: nearest facility and coverage per incident, covered area and "
               "incidents per district, ranked gap polygons, distance-to-facility raster.";
    }

protected:
    void add_options(std::vector<po::options_description>& groups, po::positional_options_description&) override
    {
        po::options_description own("Command options");
        own.add_options()
            ("facilities", po::value<std::vector<std::string>>(&m_facilities)->composing(),
             "facility layer PATH[:RADIUS_M] (repeatable): points (posts, stations, lamps) or lines (patrol routes)")
            ("facility-type", po::value<std::string>(&m_type_field), "facility type field, for --radius TYPE=M and per-type fields")
            ("radius", po::value<std::vector<std::string>>(&m_radius)->composing(),
             "service radius in metres: TYPE=M,... per type and/or a bare M for the rest (e.g. lamp=40,post=500,800)")
            ("radius-field", po::value<std::string>(&m_radius_field), "per-feature radius field (metres); overrides the rules")
            ("incident-output", po::value<std::string>(&m_incident_out), "per-incident layer: nearest_id, nearest_m, covered, n_within")
            ("gaps", po::value<std::string>(&m_gaps_out), "gap polygons (districts minus the service area), ranked by incidents")
            ("covered-area", po::value<std::string>(&m_covered_out), "the service area clipped to the districts")
            ("distance-raster", po::value<std::string>(&m_raster_out), "GeoTIFF of the distance to the nearest facility (m)")
            ("cell", po::value<double>(&m_cell)->default_value(50.0, "50")->notifier(check_positive("cell")),
             "cell size of --distance-raster, metres")
            ("min-gap-area", po::value<double>(&m_min_gap)->default_value(0.0, "0"), "drop gap parts smaller than this, m2")
            ("buffer-segments", po::value<int>(&m_quadsegs)->default_value(16)->notifier(check_at_least("buffer-segments", 1)),
             "segments per quarter circle of the service-area buffers");
        groups.push_back(own);
        groups.push_back(m_input.describe());
        groups.push_back(m_districts.describe(false));
        groups.push_back(m_crs.describe());
        groups.push_back(m_output.describe(false, "per-district layer (.geojson .shp .gpkg .fgb .csv); default: a table on stdout"));
    }

    void validate() override
    {
        if (m_facilities.empty()) throw UsageError("the option '--facilities' is required but missing");
        if (!(m_min_gap >= 0)) throw UsageError("--min-gap-area must be >= 0");
        try {
            for (const std::string& f : m_facilities) m_specs.push_back(coverage::parse_facility_spec(f, file_exists));
            std::string joined;
            for (const std::string& r : m_radius) joined += (joined.empty() ? "" : ",") + r;
            if (!joined.empty()) m_rules = coverage::parse_radius_rules(joined);
        } catch (const ParameterError& e) {
            throw UsageError(e.what());
        }
        const std::pair<const char*, const std::string*> needs_districts[] = {
            {"--output", &m_output.path}, {"--gaps", &m_gaps_out}, {"--covered-area", &m_covered_out}, {"--distance-raster", &m_raster_out}};
        for (const auto& [opt, path] : needs_districts)
            if (!path->empty() && !m_districts.given()) throw UsageError(std::string(opt) + " needs --districts");
        if (m_output.given()) io::driver_for(m_output.path, m_output.format);
        for (const std::string* p : {&m_incident_out, &m_gaps_out, &m_covered_out})
            if (!p->empty()) io::driver_for(*p, "");
        if (!m_raster_out.empty() && io::extension_of(m_raster_out) != ".tif" && io::extension_of(m_raster_out) != ".tiff")
            throw UsageError("--distance-raster '" + m_raster_out + "': expected a .tif path");
        std::set<std::string> seen;
        for (const std::string* p : {&m_output.path, &m_incident_out, &m_gaps_out, &m_covered_out, &m_raster_out})
            if (!p->empty() && !seen.insert(*p).second) throw UsageError("output '" + *p + "' is given twice");
    }

    void run(Io& io) override
    {
        for (const std::string* p : {&m_output.path, &m_incident_out, &m_gaps_out, &m_covered_out, &m_raster_out})
            if (!p->empty()) io::check_writable(*p, m_common.overwrite);
        for (const coverage::FacilitySpec& s : m_specs)
            if (s.path.find(':') == std::string::npos && s.path.rfind("/vsi", 0) != 0 && !file_exists(s.path))
                throw InputError(s.path + ": cannot open: no such file");
        const Log lg = log(io);
        Loaded L = load_inputs(m_input, &m_districts, m_crs, m_common, lg);
        const unsigned threads = m_common.threads;

        // Facilities in the working CRS.
        std::vector<coverage::FacilityLayerInput> layers;
        for (const coverage::FacilitySpec& s : m_specs) {
            coverage::FacilityLayerInput in;
            in.name = std::filesystem::path(s.path).stem().string();
            in.source = s.path;
            in.radius_m = s.radius_m;
            io::GenericLayer g;
            bool typed = !m_type_field.empty();
            try {
                g = io::read_geometries(s.path, "", m_type_field, L.working);
            } catch (const InputError& e) {
                // a layer without the type field: its features take the layer's name as type
                if (!typed || std::string(e.what()).find("no field named") == std::string::npos) throw;
                g = io::read_geometries(s.path, "", "", L.working);
                typed = false;
                const std::string msg = s.path + ": no field '" + m_type_field + "': its facilities have type '" + in.name + "'";
                if (s.radius_m) lg.v(msg);
                else lg.w(msg);
            }
            in.wkb = std::move(g.wkb);
            if (typed) in.types = std::move(g.values);
            if (!m_radius_field.empty()) in.radius_values = io::read_geometries(s.path, "", m_radius_field, L.working).values;
            layers.push_back(std::move(in));
        }
        const std::vector<coverage::Facility> fac = coverage::build_facilities(layers, m_rules);
        const std::vector<std::string> types = coverage::facility_types(fac);
        if (fac.empty()) throw InputError("no facility geometry in " + m_specs.front().path);
        if (m_common.verbose) {
            for (const std::string& t : types) {
                std::size_t n = 0, lines = 0;
                double rmin = INFINITY, rmax = 0;
                for (const auto& f : fac)
                    if (f.type == t) {
                        ++n;
                        lines += f.is_line() ? 1 : 0;
                        rmin = std::min(rmin, f.radius_m);
                        rmax = std::max(rmax, f.radius_m);
                    }
                lg.v("facilities of type '" + t + "': " + std::to_string(n) + " (" + std::to_string(lines) + " lines), radius " +
                     fmt(rmin, 1) + (rmax > rmin ? ".." + fmt(rmax, 1) : "") + " m");
            }
        }
        if (types.size() > 64) lg.w("more than 64 facility types: per-type fields only for the first 64");

        auto t0 = std::chrono::steady_clock::now();
        const coverage::FacilityIndex index(fac, types);
        const coverage::IncidentCoverage cov = coverage::cover_incidents(index, L.incidents.items, threads);
        lg.v("incidents covered: " + std::to_string(cov.n_covered) + " of " + std::to_string(L.incidents.items.size()) +
             " (index and nearest/reach queries against " + std::to_string(fac.size()) + " facilities: " + fmt(seconds_since(t0), 3) + " s)");

        const bool need_areas = L.districts.size() > 0 && (!m_gaps_out.empty() || !m_covered_out.empty() || m_output.given() ||
                                                           m_incident_out.empty());
        coverage::AreaCoverage areas;
        if (need_areas) {
            coverage::AreaParams ap;
            ap.quadsegs = m_quadsegs;
            ap.threads = threads;
            ap.covered_geometry = !m_covered_out.empty();
            t0 = std::chrono::steady_clock::now();
            areas = coverage::area_coverage(L.districts, fac, ap);
            lg.v("study area " + fmt(areas.study_m2 / 1e6, 3) + " km2, covered " + fmt(areas.covered_m2 / 1e6, 3) + " km2, " +
                 std::to_string(areas.gaps.size()) + " gap parts (buffers, unions, clips and gaps per district: " +
                 fmt(seconds_since(t0), 3) + " s)");
        }
        // Everything is computed before the first output is written: a failure leaves no output.
        std::vector<coverage::GapRow> gap_rows;
        if (!m_gaps_out.empty()) {
            gap_rows = coverage::rank_gaps(areas, L.districts, L.incidents.items, cov, m_min_gap, threads);
            lg.v("gaps: " + std::to_string(gap_rows.size()) + " parts of at least " + fmt(m_min_gap, 0) + " m2 (of " +
                 std::to_string(areas.gaps.size()) + ")");
        }
        io::RasterOut raster;
        if (!m_raster_out.empty()) {
            raster.grid = grid::GridSpec::snapped(districts::extent(L.districts), m_cell);
            raster.grid.crs = L.working;
            raster.nodata = -9999.0f;
            raster.values = coverage::distance_grid(index, raster.grid, L.districts, *raster.nodata, threads);
            raster.description = "distance to the nearest facility, m";
        }
        std::vector<coverage::DistrictCoverage> rows;
        const bool table = !L.districts.empty() && (m_output.given() || m_incident_out.empty());
        if (table)
            rows = coverage::summarise_districts(L.districts, L.incidents.items, cov, need_areas ? &areas : nullptr,
                                                 types.size() > 1 ? std::min<std::size_t>(types.size(), 64) : 0, threads);

        if (!m_incident_out.empty()) write_incidents(L, fac, cov, lg);
        if (!m_covered_out.empty()) write_covered(L, areas, lg);
        if (!m_gaps_out.empty()) write_gaps(L, areas, gap_rows, lg);
        if (!m_raster_out.empty()) {
            io::write_geotiff(raster, m_raster_out, m_common.overwrite);
            lg.v("wrote distance raster " + std::to_string(raster.grid.ncol) + " x " + std::to_string(raster.grid.nrow) +
                 " cells of " + fmt(m_cell, 1) + " m to " + m_raster_out);
        }
        if (table) {
            if (m_output.given()) write_districts(L, rows, types, lg);
            else print_table(io, rows, cov, L.incidents.items.size(), areas);
        } else if (L.districts.empty() && m_incident_out.empty()) {
            io.out << "incidents covered: " << cov.n_covered << " of " << L.incidents.items.size() << "\n";
        }
    }

private:
    void write_incidents(const Loaded& L, const std::vector<coverage::Facility>& fac, const coverage::IncidentCoverage& cov,
                         const Log& lg) const
    {
        io::VectorLayer layer;
        layer.name = "coverage_incidents";
        // CSV gets attributes only: no geometry kept in memory for it
        const bool csv = io::driver_for(m_incident_out, "") == "CSV";
        layer.kind = csv ? io::GeomKind::none : io::GeomKind::point;
        layer.crs = L.working;
        layer.add_field("incident", io::FieldType::integer);
        layer.add_field("nearest_id", io::FieldType::integer);
        layer.add_field("nearest_type", io::FieldType::string);
        layer.add_field("nearest_m", io::FieldType::real);
        layer.add_field("covered", io::FieldType::integer);
        layer.add_field("n_within", io::FieldType::integer);
        const auto& items = L.incidents.items;
        layer.rows.reserve(items.size());
        if (!csv) layer.wkb.reserve(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) {
            const std::int32_t f = cov.nearest[i];
            layer.rows.push_back({static_cast<std::int64_t>(items[i].row),
                                  f >= 0 ? io::Value(static_cast<std::int64_t>(f) + 1) : io::Value(),
                                  f >= 0 ? io::Value(fac[static_cast<std::size_t>(f)].type) : io::Value(), num(cov.nearest_m[i]),
                                  static_cast<std::int64_t>(cov.covered[i]), static_cast<std::int64_t>(cov.n_within[i])});
            if (!csv) layer.wkb.push_back(point_wkb(items[i].x, items[i].y));
        }
        layer.qml = report::categorized_qml("covered", io::GeomKind::point,
                                            {{"0", "not covered", {215, 48, 39, 255}}, {"1", "covered", {26, 152, 80, 255}}});
        OutputOptions o;
        o.path = m_incident_out;
        write_layer(layer, o, m_common.overwrite, lg);
    }

    static std::string point_wkb(double x, double y)
    {
        std::string w(21, '\0');
        w[0] = 1; // little endian
        const std::uint32_t t = 1;
        std::memcpy(&w[1], &t, 4);
        std::memcpy(&w[5], &x, 8);
        std::memcpy(&w[13], &y, 8);
        return w;
    }

    void write_covered(const Loaded& L, const coverage::AreaCoverage& a, const Log& lg) const
    {
        io::VectorLayer layer;
        layer.name = "covered_area";
        layer.kind = io::GeomKind::polygon;
        layer.crs = L.working;
        layer.add_field("covered_km2", io::FieldType::real);
        layer.add_field("study_km2", io::FieldType::real);
        layer.add_field("covered_pct", io::FieldType::real);
        layer.rows.push_back({a.covered_m2 / 1e6, a.study_m2 / 1e6, num(a.study_m2 > 0 ? 100.0 * a.covered_m2 / a.study_m2 : NAN)});
        layer.wkb.push_back(a.covered.empty() ? std::string() : a.covered.to_wkb());
        layer.qml = report::single_qml(io::GeomKind::polygon, {26, 152, 80, 110});
        OutputOptions o;
        o.path = m_covered_out;
        write_layer(layer, o, m_common.overwrite, lg);
    }

    void write_gaps(const Loaded& L, const coverage::AreaCoverage& a, const std::vector<coverage::GapRow>& rows, const Log& lg) const
    {
        io::VectorLayer layer;
        layer.name = "gaps";
        layer.kind = io::GeomKind::polygon;
        layer.crs = L.working;
        layer.add_field("gap_id", io::FieldType::integer);
        layer.add_field("district", io::FieldType::string);
        layer.add_field("area_km2", io::FieldType::real);
        layer.add_field("incidents", io::FieldType::integer);
        layer.add_field("per_km2", io::FieldType::real);
        layer.add_field("rank", io::FieldType::integer);
        std::vector<double> dens;
        for (const auto& r : rows) {
            layer.rows.push_back({static_cast<std::int64_t>(r.gap_id), r.district, r.area_km2, static_cast<std::int64_t>(r.incidents),
                                  r.per_km2, static_cast<std::int64_t>(r.rank)});
            layer.wkb.push_back(a.gaps[r.part].geometry.to_wkb());
            dens.push_back(r.per_km2);
        }
        auto breaks = report::quantile_breaks(dens, 5);
        if (breaks.size() < 2) breaks = {0.0, 1.0};
        layer.qml = report::graduated_qml("per_km2", io::GeomKind::polygon, breaks,
                                          report::ramp("YlOrRd", static_cast<int>(breaks.size()) - 1));
        OutputOptions o;
        o.path = m_gaps_out;
        write_layer(layer, o, m_common.overwrite, lg);
    }

    void write_districts(const Loaded& L, const std::vector<coverage::DistrictCoverage>& rows, const std::vector<std::string>& types,
                         const Log& lg) const
    {
        io::VectorLayer layer;
        layer.name = "coverage_districts";
        layer.kind = io::GeomKind::polygon;
        layer.crs = L.working;
        layer.add_field("district", io::FieldType::string);
        for (const char* f : {"area_km2", "covered_km2", "covered_pct"}) layer.add_field(f, io::FieldType::real);
        layer.add_field("incidents", io::FieldType::integer);
        layer.add_field("covered_inc", io::FieldType::integer);
        layer.add_field("covered_inc_pct", io::FieldType::real);
        const std::size_t nt = rows.empty() ? 0 : rows.front().covered_inc_by_type.size();
        std::set<std::string> used;
        for (std::size_t t = 0; t < nt; ++t) {
            std::string n = "covered_inc_" + field_suffix(types[t]);
            while (used.count(n)) n += "_";
            used.insert(n);
            layer.add_field(n, io::FieldType::integer);
        }
        std::vector<double> pct;
        for (std::size_t k = 0; k < rows.size(); ++k) {
            const auto& r = rows[k];
            std::vector<io::Value> v{r.district, num(r.area_km2), num(r.covered_km2), num(r.covered_pct),
                                     static_cast<std::int64_t>(r.incidents), static_cast<std::int64_t>(r.covered_inc),
                                     num(r.covered_inc_pct)};
            for (std::uint64_t c : r.covered_inc_by_type) v.emplace_back(static_cast<std::int64_t>(c));
            layer.rows.push_back(std::move(v));
            layer.wkb.push_back(L.districts[k].geometry.to_wkb());
            pct.push_back(r.covered_inc_pct);
        }
        // red = little of the district's incidents covered, blue = well covered
        const std::vector<double> breaks{0, 20, 40, 60, 80, 100};
        std::vector<report::Rgba> colors = report::ramp("RdBu", 5);
        std::reverse(colors.begin(), colors.end());
        layer.qml = report::graduated_qml("covered_inc_pct", io::GeomKind::polygon, breaks, colors, 0);
        write_layer(layer, m_output, m_common.overwrite, lg);
    }

    void print_table(Io& io, const std::vector<coverage::DistrictCoverage>& rows, const coverage::IncidentCoverage& cov,
                     std::size_t n, const coverage::AreaCoverage& a) const
    {
        std::size_t w = 8;
        for (const auto& r : rows) w = std::max(w, r.district.size());
        char buf[256];
        io.out << std::left << std::setw(static_cast<int>(w)) << "district";
        std::snprintf(buf, sizeof buf, " %9s %11s %8s %9s %11s %8s\n", "area_km2", "covered_km2", "cov%", "incidents", "covered_inc",
                      "inc_cov%");
        io.out << buf;
        for (const auto& r : rows) {
            io.out << std::left << std::setw(static_cast<int>(w)) << r.district;
            std::snprintf(buf, sizeof buf, " %9.3f %11.3f %8.1f %9llu %11llu %8s\n", r.area_km2, r.covered_km2, r.covered_pct,
                          static_cast<unsigned long long>(r.incidents), static_cast<unsigned long long>(r.covered_inc),
                          fmt(r.covered_inc_pct, 1).c_str());
            io.out << buf;
        }
        io.out << "incidents covered: " << cov.n_covered << " of " << n << " ("
               << fmt(n ? 100.0 * static_cast<double>(cov.n_covered) / static_cast<double>(n) : NAN, 1) << "%); area covered: "
               << fmt(a.covered_m2 / 1e6, 3) << " of " << fmt(a.study_m2 / 1e6, 3) << " km2\n";
    }

    InputOptions m_input;
    DistrictOptions m_districts;
    CrsOptions m_crs;
    OutputOptions m_output;
    std::vector<std::string> m_facilities, m_radius;
    std::string m_type_field, m_radius_field, m_incident_out, m_gaps_out, m_covered_out, m_raster_out;
    double m_cell = 50, m_min_gap = 0;
    int m_quadsegs = 16;
    std::vector<coverage::FacilitySpec> m_specs;
    coverage::RadiusRules m_rules;
};

} // namespace

std::unique_ptr<Command> make_coverage_command() { return std::make_unique<CoverageCommand>(); }

} // namespace hotmap::cli
