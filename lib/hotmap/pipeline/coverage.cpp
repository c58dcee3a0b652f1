// SPDX-License-Identifier: MIT
// The coverage pipeline: reach per incident, areas, gaps, the distance raster, the layers.
#include "hotmap/pipeline/coverage.hpp"

#include "hotmap/pipeline/masking.hpp"
#include "hotmap/privacy/publish.hpp"

#include "hotmap/error.hpp"
#include "hotmap/text.hpp"
#include "hotmap/report/qml.hpp"
#include "hotmap/resources.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace hotmap::pipeline {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// What the per-incident layer's rows are made of (io::RowSource). `items` are the Inputs'
/// incidents: the layer is written while they live (the CLI), or materialised (a batch step).
struct IncidentRows {
    const std::vector<Incident>* items = nullptr;
    std::vector<std::string> categories;
    std::vector<std::string> types; ///< per facility
    std::vector<std::int32_t> nearest;
    std::vector<double> nearest_m;
    std::vector<std::uint8_t> covered;
    std::vector<std::uint32_t> n_within;
    std::vector<double> snap_m;
    std::vector<Point> mask_points;
    bool snapped = false, geometry = true, masked = false;

    void fill(std::size_t i, std::vector<io::Value>& v, io::FeatureGeometry& g) const
    {
        const Incident& it = (*items)[i];
        const std::int32_t f = nearest[i];
        v[0] = static_cast<std::int64_t>(it.row);
        if (f >= 0) {
            v[1] = static_cast<std::int64_t>(f) + 1;
            v[2] = types[static_cast<std::size_t>(f)];
        } else {
            v[1] = std::monostate{};
            v[2] = std::monostate{};
        }
        if (masked) v[3] = std::monostate{};
        else v[3] = io::number(nearest_m[i]);
        v[4] = static_cast<std::int64_t>(covered[i]);
        v[5] = static_cast<std::int64_t>(n_within[i]);
        if (it.time != k_no_time) v[6] = static_cast<std::int64_t>(it.time);
        else v[6] = std::monostate{};
        if (it.category >= 0 && static_cast<std::size_t>(it.category) < categories.size() &&
            !categories[static_cast<std::size_t>(it.category)].empty())
            v[7] = categories[static_cast<std::size_t>(it.category)];
        else v[7] = std::monostate{};
        if (snapped) v[8] = io::number(snap_m[i]);
        if (geometry) {
            if (masked) g.set_point(mask_points[i].x, mask_points[i].y);
            else g.set_point(it.x, it.y);
        }
    }
};

/// --public: no `incident` row id (it links a point to the office's records); the exact `time`
/// becomes `hour` (0-23) and `week` (the Monday 00:00 that starts the incident's week).
void public_incident_fields(io::VectorLayer& layer)
{
    std::size_t id = layer.fields.size(), time = layer.fields.size();
    for (std::size_t f = 0; f < layer.fields.size(); ++f) {
        if (layer.fields[f].name == "incident") id = f;
        if (layer.fields[f].name == "time") time = f;
    }
    constexpr std::int64_t day = 86400, week = 7 * day, monday = 4 * day; // 1970-01-05 was a Monday
    std::vector<io::FieldDef> fields;
    for (std::size_t f = 0; f < layer.fields.size(); ++f) {
        if (f == id) continue;
        if (f == time) {
            fields.push_back({"hour", io::FieldType::integer});
            fields.push_back({"week", io::FieldType::datetime});
        } else {
            fields.push_back(layer.fields[f]);
        }
    }
    for (auto& row : layer.rows) {
        std::vector<io::Value> v;
        v.reserve(row.size() + 1);
        for (std::size_t f = 0; f < row.size(); ++f) {
            if (f == id) continue;
            if (f == time) {
                if (const auto* t = std::get_if<std::int64_t>(&row[f])) {
                    const std::int64_t d = *t - monday;
                    const std::int64_t w = d - ((d % week) + week) % week; // floor to the week
                    v.emplace_back(((*t % day) + day) % day / 3600);
                    v.emplace_back(w + monday);
                } else {
                    v.emplace_back();
                    v.emplace_back();
                }
            } else {
                v.push_back(std::move(row[f]));
            }
        }
        row = std::move(v);
    }
    layer.fields = std::move(fields);
    layer.abstract += " Published with --public: no incident id; times as the hour of the day (hour) and the week (week, its Monday).";
}

io::VectorLayer incident_layer(const CoverageParams& p, const Inputs& in, const std::vector<coverage::Facility>& fac,
                               const coverage::IncidentCoverage& cov, const SnappedIncidents* snapped, Log& log)
{
    std::optional<MaskedIncidents> mask;
    if (p.geomask && p.incident_geometry) mask = mask_incidents(in, *p.geomask, log);
    io::VectorLayer layer;
    layer.name = "coverage_incidents";
    layer.kind = p.incident_geometry ? io::GeomKind::point : io::GeomKind::none;
    layer.crs = in.working;
    layer.add_field("incident", io::FieldType::integer);
    layer.add_field("nearest_id", io::FieldType::integer);
    layer.add_field("nearest_type", io::FieldType::string);
    layer.add_field("nearest_m", io::FieldType::real);
    layer.add_field("covered", io::FieldType::integer);
    layer.add_field("n_within", io::FieldType::integer);
    // the incident's own time and category, so QGIS can filter and animate the points
    layer.add_field("time", io::FieldType::datetime);
    layer.add_field("category", io::FieldType::string);
    if (snapped) layer.add_field("snap_m", io::FieldType::real);
    // the rows are made as they are written (io::RowSource), from the incidents and a copy of
    // their coverage (17 bytes each; the result keeps its own)
    auto rows = std::make_shared<IncidentRows>();
    rows->items = &in.incidents.items;
    rows->categories = in.incidents.categories;
    rows->types.reserve(fac.size());
    for (const coverage::Facility& f : fac) rows->types.push_back(f.type);
    rows->nearest = cov.nearest;
    rows->nearest_m = cov.nearest_m;
    rows->covered = cov.covered;
    rows->n_within = cov.n_within;
    if (snapped) {
        rows->snap_m.reserve(snapped->at.size());
        for (const auto& a : snapped->at) rows->snap_m.push_back(a.snap_m);
    }
    rows->snapped = snapped != nullptr;
    rows->geometry = p.incident_geometry;
    if (mask) {
        rows->masked = true;
        rows->mask_points = std::move(mask->points);
    }
    layer.source.count = in.incidents.items.size();
    layer.source.fill = [rows = std::shared_ptr<const IncidentRows>(std::move(rows))](std::size_t i, std::vector<io::Value>& v,
                                                                                      io::FeatureGeometry& g) { rows->fill(i, v, g); };
    layer.qml = report::categorized_qml("covered", io::GeomKind::point,
                                        {{"0", "incident not covered (no facility within its radius)", {215, 48, 39, 255}},
                                         {"1", "incident covered by a facility", {26, 152, 80, 255}}});
    if (in.incidents.has_time) layer.qml = report::with_temporal(layer.qml, p.public_fields ? "week" : "time", "");
    layer.title = with_filters("Incidents by coverage (" + std::to_string(fac.size()) + " facilities" + (snapped ? ", along the streets)" : ")"), in);
    layer.abstract = "One point per incident: covered = 1 when a facility is within its service radius; nearest_id, nearest_type and "
                     "nearest_m describe the nearest facility; n_within counts the facilities in range; time and category are the "
                     "incident's own" + std::string(snapped ? "; distances follow the streets: nearest_m is the shortest path along them, snap_m the "
                                           "straight-line distance from the incident to the nearest street (nearest_m empty beyond --max-snap)"
                                         : "") +
                     std::string(in.filters.empty() ? "" : "; incidents: " + in.filters) + ".";
    if (mask)
        layer.abstract += " Disclosure control: " + mask->text + "; covered, nearest_id and n_within are those of the true location, "
                          "nearest_m is withheld (with the facilities known it would pin the true location).";
    if (p.public_fields) {
        layer.materialise(); // --public rewrites the fields: held, for the few runs that publish
        public_incident_fields(layer);
    }
    return layer;
}

io::VectorLayer covered_layer(const Inputs& in, const coverage::AreaCoverage& a, std::size_t n_fac)
{
    io::VectorLayer layer;
    layer.name = "covered_area";
    layer.kind = io::GeomKind::polygon;
    layer.crs = in.working;
    layer.add_field("covered_km2", io::FieldType::real);
    layer.add_field("study_km2", io::FieldType::real);
    layer.add_field("covered_pct", io::FieldType::real);
    layer.rows.push_back({a.covered_m2 / 1e6, a.study_m2 / 1e6, io::number(a.study_m2 > 0 ? 100.0 * a.covered_m2 / a.study_m2 : NAN)});
    layer.wkb.push_back(a.covered.empty() ? std::string() : a.covered.to_wkb());
    layer.qml = report::single_qml(io::GeomKind::polygon, {26, 152, 80, 110}, 0, "area within a facility's service radius");
    layer.title = "Area covered by " + std::to_string(n_fac) + " facilities (within the districts)";
    layer.abstract = "The union of the facilities' service areas clipped to the districts; covered_km2 of study_km2 (covered_pct %).";
    return layer;
}

io::VectorLayer gap_layer(const Inputs& in, const coverage::AreaCoverage& a, const std::vector<coverage::GapRow>& rows, std::size_t n_fac)
{
    io::VectorLayer layer;
    layer.name = "gaps";
    layer.kind = io::GeomKind::polygon;
    layer.crs = in.working;
    layer.add_field("gap_id", io::FieldType::integer);
    layer.add_field("district", io::FieldType::string);
    layer.add_field("area_km2", io::FieldType::real);
    layer.add_field("incidents", io::FieldType::integer);
    layer.add_field("per_km2", io::FieldType::real);
    layer.add_field("rank", io::FieldType::integer);
    std::vector<double> dens;
    for (const auto& r : rows) {
        layer.rows.push_back({static_cast<std::int64_t>(r.gap_id), r.district, r.area_km2, static_cast<std::int64_t>(r.incidents), r.per_km2,
                              static_cast<std::int64_t>(r.rank)});
        layer.wkb.push_back(a.gaps[r.part].geometry.to_wkb());
        dens.push_back(r.per_km2);
    }
    auto breaks = report::quantile_breaks(dens, 5);
    if (breaks.size() < 2) breaks = {0.0, 1.0};
    layer.qml = report::graduated_qml("per_km2", io::GeomKind::polygon, breaks, report::ramp("YlOrRd", static_cast<int>(breaks.size()) - 1), 1,
                                      "uncovered incidents per km²");
    layer.title = with_filters("Coverage gaps ranked by uncovered incidents (" + std::to_string(n_fac) + " facilities)", in);
    layer.abstract = "Parts of the districts outside every facility's service area; incidents = incidents inside the gap, per_km2 = "
                     "incidents per km² of the gap, rank 1 = the most incidents" + std::string(in.filters.empty() ? "" : "; incidents: " + in.filters) + ".";
    return layer;
}

io::VectorLayer district_layer(const Inputs& in, const std::vector<coverage::DistrictCoverage>& rows, const std::vector<std::string>& types,
                               std::size_t n_fac, bool streets)
{
    io::VectorLayer layer;
    layer.name = "coverage_districts";
    layer.kind = io::GeomKind::polygon;
    layer.crs = in.working;
    layer.add_field("district", io::FieldType::string);
    for (const char* f : {"area_km2", "covered_km2", "covered_pct"}) layer.add_field(f, io::FieldType::real);
    layer.add_field("incidents", io::FieldType::integer);
    layer.add_field("covered_inc", io::FieldType::integer);
    layer.add_field("covered_inc_pct", io::FieldType::real);
    const std::size_t nt = rows.empty() ? 0 : rows.front().covered_inc_by_type.size();
    const std::vector<std::string> names = io::unique_field_names("covered_inc_", std::vector<std::string>(types.begin(), types.begin() + static_cast<std::ptrdiff_t>(nt)));
    for (const std::string& n : names) layer.add_field(n, io::FieldType::integer);
    if (streets)
        for (const char* f : {"street_km", "covered_street_km", "covered_street_pct"}) layer.add_field(f, io::FieldType::real);
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const auto& r = rows[k];
        std::vector<io::Value> v{r.district, io::number(r.area_km2), io::number(r.covered_km2), io::number(r.covered_pct),
                                 static_cast<std::int64_t>(r.incidents), static_cast<std::int64_t>(r.covered_inc), io::number(r.covered_inc_pct)};
        for (std::uint64_t c : r.covered_inc_by_type) v.emplace_back(static_cast<std::int64_t>(c));
        if (streets) {
            v.push_back(io::number(r.street_km));
            v.push_back(io::number(r.covered_street_km));
            v.push_back(io::number(r.covered_street_pct));
        }
        layer.rows.push_back(std::move(v));
        layer.wkb.push_back(in.districts.geometry(k).to_wkb());
    }
    // red = little of the district's incidents covered, blue = well covered
    const std::vector<double> breaks{0, 20, 40, 60, 80, 100};
    std::vector<report::Rgba> colors = report::ramp("RdBu", 5);
    std::reverse(colors.begin(), colors.end());
    layer.qml = report::with_labels(report::graduated_qml("covered_inc_pct", io::GeomKind::polygon, breaks, colors, 0, "% of incidents covered"),
                                    "district");
    layer.title = with_filters("Coverage of incidents by " + std::to_string(n_fac) + " facilities, per district" + (streets ? " (along the streets)" : ""), in);
    layer.abstract = (streets ? std::string("Per district, along the streets: street_km = street length inside, covered_street_pct = % of it "
                                            "within a facility's reach on foot, covered_inc_pct = % of its incidents within one by walking "
                                            "distance (covered_inc of incidents)")
                              : std::string("Per district: covered_pct = % of the area within a facility's service radius, covered_inc_pct = % of "
                                            "its incidents within one (covered_inc of incidents)")) +
                     std::string(in.filters.empty() ? "" : "; incidents: " + in.filters) + ".";
    return layer;
}

io::VectorLayer covered_streets_layer(const Inputs& in, const network::Graph& g, const coverage::StreetCoverage& sc, std::size_t n_fac)
{
    io::VectorLayer layer;
    layer.name = "covered_streets";
    layer.kind = io::GeomKind::line;
    layer.crs = in.working;
    layer.add_field("edge", io::FieldType::integer);
    layer.add_field("street", io::FieldType::integer);
    layer.add_field("from_m", io::FieldType::real);
    layer.add_field("to_m", io::FieldType::real);
    layer.add_field("length_m", io::FieldType::real);
    for (const coverage::EdgeStretch& e : sc.covered) {
        layer.rows.push_back({static_cast<std::int64_t>(e.edge) + 1, static_cast<std::int64_t>(g.edges[e.edge].feature), e.from_m, e.to_m, e.to_m - e.from_m});
        layer.wkb.push_back(geom::Geometry::linestring(g.piece(e.edge, e.from_m, e.to_m)).to_wkb());
    }
    layer.qml = report::single_qml(io::GeomKind::line, {26, 152, 80, 255}, 0.8, "street within a facility's reach");
    layer.title = "Streets within reach of " + std::to_string(n_fac) + " facilities (along the streets)";
    layer.abstract = "The stretches of street whose shortest path along the streets to some facility is within that facility's radius, cut "
                     "at the exact reach points; edge = network edge (1-based), street = source feature, from_m/to_m = offsets along the edge; " +
                     text::fixed(sc.covered_m / 1000, 3) + " km of " + text::fixed(sc.total_m / 1000, 3) + " km.";
    return layer;
}

io::VectorLayer street_gap_layer(const Inputs& in, const network::Graph& g, const coverage::StreetCoverage& sc,
                                 const coverage::IncidentCoverage& cov, const SnappedIncidents& sn, double min_length_m, std::size_t n_fac)
{
    std::vector<std::uint8_t> uncovered(cov.covered.size());
    for (std::size_t i = 0; i < uncovered.size(); ++i) uncovered[i] = !cov.covered[i] && sn.on_network[i];
    const std::vector<std::uint64_t> n = coverage::incidents_on_stretches(sc.uncovered, sn.at, uncovered);
    std::vector<std::size_t> keep;
    for (std::size_t k = 0; k < sc.uncovered.size(); ++k)
        if (sc.uncovered[k].to_m - sc.uncovered[k].from_m >= min_length_m) keep.push_back(k);
    const auto per_km = [&](std::size_t k) {
        const double len = sc.uncovered[k].to_m - sc.uncovered[k].from_m;
        return len > 0 ? static_cast<double>(n[k]) / (len / 1000) : 0.0;
    };
    std::vector<std::size_t> order = keep;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (n[a] != n[b]) return n[a] > n[b];
        return per_km(a) > per_km(b);
    });
    std::vector<int> rank(sc.uncovered.size(), 0);
    for (std::size_t r = 0; r < order.size(); ++r) {
        const std::size_t prev = r ? order[r - 1] : 0;
        rank[order[r]] = r > 0 && n[order[r]] == n[prev] && per_km(order[r]) == per_km(prev) ? rank[prev] : static_cast<int>(r + 1);
    }
    io::VectorLayer layer;
    layer.name = "street_gaps";
    layer.kind = io::GeomKind::line;
    layer.crs = in.working;
    layer.add_field("gap_id", io::FieldType::integer);
    layer.add_field("edge", io::FieldType::integer);
    layer.add_field("street", io::FieldType::integer);
    layer.add_field("length_m", io::FieldType::real);
    layer.add_field("incidents", io::FieldType::integer);
    layer.add_field("per_km", io::FieldType::real);
    layer.add_field("rank", io::FieldType::integer);
    std::vector<double> dens;
    int id = 0;
    for (std::size_t k : keep) {
        const coverage::EdgeStretch& e = sc.uncovered[k];
        layer.rows.push_back({static_cast<std::int64_t>(++id), static_cast<std::int64_t>(e.edge) + 1, static_cast<std::int64_t>(g.edges[e.edge].feature),
                              e.to_m - e.from_m, static_cast<std::int64_t>(n[k]), per_km(k), static_cast<std::int64_t>(rank[k])});
        layer.wkb.push_back(geom::Geometry::linestring(g.piece(e.edge, e.from_m, e.to_m)).to_wkb());
        dens.push_back(static_cast<double>(n[k]));
    }
    layer.qml = report::count_qml("incidents", io::GeomKind::line, dens, 5, "uncovered incidents");
    layer.title = with_filters("Streets beyond reach of " + std::to_string(n_fac) + " facilities, ranked by uncovered incidents", in);
    layer.abstract = "Stretches of street farther along the streets than every facility's radius; incidents = uncovered incidents on the "
                     "stretch, per_km = incidents per km of it, rank 1 = the most incidents" +
                     std::string(in.filters.empty() ? "" : "; incidents: " + in.filters) + ".";
    return layer;
}

} // namespace

namespace {

CoverageResult along_streets(const CoverageParams& p, const Inputs& in, const std::vector<coverage::Facility>& fac, CoverageResult r, Log& log)
{
    if (p.distance_raster) throw ParameterError("--distance-raster is straight-line only: it cannot be combined with --streets");
    auto t0 = std::chrono::steady_clock::now();
    const Streets streets = load_streets(p.streets, in.working, log);
    const network::Graph& g = *streets.graph;
    std::vector<coverage::NetFacility> nf = facilities_on_streets(streets, fac, in.threads, log);
    for (std::size_t k = 0; k < fac.size(); ++k) {
        const auto pos = std::lower_bound(r.types.begin(), r.types.end(), fac[k].type) - r.types.begin();
        nf[k].type = pos < 64 ? static_cast<std::uint8_t>(pos) : std::uint8_t{255};
    }
    r.along_streets = true;
    r.snapped = snap_incidents(streets, p.streets, in, log);
    const coverage::NetworkReach reach = coverage::network_reach(g, nf, in.threads);
    r.incidents = coverage::cover_incidents_network(g, nf, reach, r.snapped.at, r.snapped.on_network, in.threads);
    r.street = coverage::street_coverage(g, nf, reach);
    r.n_incidents = in.incidents.items.size();
    log.info("incidents covered along the streets: " + std::to_string(r.incidents.n_covered) + " of " + std::to_string(in.incidents.items.size()) +
             "; streets within reach " + text::fixed(r.street.covered_m / 1000, 3) + " of " + text::fixed(r.street.total_m / 1000, 3) +
             " km (network, snapping, shortest paths: " + text::fixed(seconds_since(t0), 3) + " s)");
    const bool table = in.has_districts() && (p.district_rows || p.district_layer);
    if (table) {
        r.districts = coverage::summarise_districts(in.districts.polygons, in.incidents.items, r.incidents, nullptr,
                                                    r.types.size() > 1 ? std::min<std::size_t>(r.types.size(), 64) : 0, in.threads);
        const coverage::DistrictStreets ds = coverage::street_length_by_district(in.districts.polygons, g, r.street, in.threads);
        for (std::size_t k = 0; k < r.districts.size(); ++k) {
            r.districts[k].street_km = ds.street_m[k] / 1000;
            r.districts[k].covered_street_km = ds.covered_m[k] / 1000;
            r.districts[k].covered_street_pct = ds.street_m[k] > 0 ? 100 * ds.covered_m[k] / ds.street_m[k] : NAN;
        }
    }
    if (p.incident_layer) r.incident_layer = incident_layer(p, in, fac, r.incidents, &r.snapped, log);
    if (p.covered_area) r.covered_layer = covered_streets_layer(in, g, r.street, fac.size());
    if (p.gaps) r.gap_layer = street_gap_layer(in, g, r.street, r.incidents, r.snapped, p.min_gap_length_m, fac.size());
    if (p.district_layer) r.district_layer = district_layer(in, r.districts, r.types, fac.size(), true);
    if (p.district_layer && p.min_count) log.info(privacy::suppress_layer(*r.district_layer, privacy::LayerKind::coverage, p.min_count).text);
    return r;
}

} // namespace

CoverageResult measure_coverage(const CoverageParams& p, const Inputs& in, const std::vector<coverage::Facility>& fac, Log& log)
{
    if (p.district_layer && !in.has_districts()) throw ParameterError("the district layer needs --districts");
    if (!p.streets.given() && (p.covered_area || p.gaps || p.distance_raster) && !in.has_districts())
        throw ParameterError("coverage areas, gaps, the district layer and the distance raster need --districts");
    CoverageResult r;
    r.types = coverage::facility_types(fac);
    if (r.types.size() > 64) log.warning("more than 64 facility types: per-type fields only for the first 64");
    if (in.streamed && p.streets.given())
        throw ParameterError("--batch-rows: coverage along the streets needs the incidents held (read without it)");
    if (in.streamed && p.incident_layer)
        throw ParameterError("--batch-rows: the per-incident layer (--incident-output) needs the incidents held (read without it)");
    if (p.streets.given()) return along_streets(p, in, fac, std::move(r), log);
    auto t0 = std::chrono::steady_clock::now();
    const coverage::FacilityIndex index(fac, r.types);
    // Without the per-incident layer only counts are kept: the incidents are measured and
    // counted part by part (batches read, or slices of the rows held), so no per-incident array
    // of distances and reach is held (25 B an incident); the counts are the same.
    const bool in_parts = in.streamed || !p.incident_layer;
    if (!in_parts) {
        r.incidents = coverage::cover_incidents(index, in.incidents.items, in.threads);
        r.n_incidents = in.incidents.items.size();
        log.info("incidents covered: " + std::to_string(r.incidents.n_covered) + " of " + std::to_string(r.n_incidents) +
                 " (index and nearest/reach queries against " + std::to_string(fac.size()) + " facilities: " + text::fixed(seconds_since(t0), 3) + " s)");
    }
    const bool table = in.has_districts() && (p.district_rows || p.district_layer);
    const bool need_areas = in.has_districts() && (p.gaps || p.covered_area || table);
    const std::size_t ntypes = r.types.size() > 1 ? std::min<std::size_t>(r.types.size(), 64) : 0;
    if (need_areas) {
        coverage::AreaParams ap;
        ap.quadsegs = p.quadsegs;
        ap.threads = in.threads;
        ap.covered_geometry = p.covered_area;
        t0 = std::chrono::steady_clock::now();
        r.areas = coverage::area_coverage(in.districts.polygons, fac, ap);
        r.have_areas = true;
        log.info("study area " + text::fixed(r.areas.study_m2 / 1e6, 3) + " km2, covered " + text::fixed(r.areas.covered_m2 / 1e6, 3) + " km2, " +
                 std::to_string(r.areas.gaps.size()) + " gap parts (buffers, unions, clips and gaps per district: " +
                 text::fixed(seconds_since(t0), 3) + " s)");
    }
    std::vector<coverage::GapRow> gap_rows;
    if (in_parts) {
        // part by part: the incidents measured, then counted per district and per gap part
        const std::vector<Incident> none;
        if (table) r.districts = coverage::summarise_districts(in.districts.polygons, none, coverage::IncidentCoverage::unreached(0),
                                                               need_areas ? &r.areas : nullptr, ntypes, in.threads);
        if (p.gaps) gap_rows = coverage::rank_gaps(r.areas, in.districts.polygons, none, coverage::IncidentCoverage::unreached(0),
                                                   p.min_gap_area_m2, in.threads);
        t0 = std::chrono::steady_clock::now();
        const auto count = [&](const std::vector<Incident>& part) {
            const coverage::IncidentCoverage c = coverage::cover_incidents(index, part, in.threads);
            r.incidents.n_covered += c.n_covered;
            r.n_incidents += part.size();
            if (table)
                coverage::add_district_counts(r.districts,
                                              coverage::summarise_districts(in.districts.polygons, part, c, nullptr, ntypes, in.threads));
            if (p.gaps) {
                const std::vector<coverage::GapRow> more = coverage::rank_gaps(r.areas, in.districts.polygons, part, c, p.min_gap_area_m2, in.threads);
                for (std::size_t k = 0; k < gap_rows.size(); ++k) gap_rows[k].incidents += more[k].incidents;
            }
        };
        if (in.streamed) {
            (void)stream_incidents(in, [&](const IncidentSet& b) { count(b.items); }, &log);
        } else {
            constexpr std::size_t k_part = std::size_t(1) << 20; // 40 MB of rows a slice
            const std::vector<Incident>& all = in.incidents.items;
            std::vector<Incident> part;
            for (std::size_t b = 0; b < all.size(); b += k_part) {
                part.assign(all.begin() + static_cast<std::ptrdiff_t>(b), all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), b + k_part)));
                count(part);
            }
        }
        if (p.gaps) coverage::rank_gap_rows(gap_rows);
        log.info("incidents covered: " + std::to_string(r.incidents.n_covered) + " of " + std::to_string(r.n_incidents) + " (" +
                 (in.streamed ? "read in batches; " : "") + "nearest/reach queries against " + std::to_string(fac.size()) +
                 " facilities: " + text::fixed(seconds_since(t0), 3) + " s)");
    }
    if (p.gaps) {
        const std::vector<coverage::GapRow> rows =
            in_parts ? gap_rows
                     : coverage::rank_gaps(r.areas, in.districts.polygons, in.incidents.items, r.incidents, p.min_gap_area_m2, in.threads);
        log.info("gaps: " + std::to_string(rows.size()) + " parts of at least " + text::fixed(p.min_gap_area_m2, 0) + " m2 (of " +
                 std::to_string(r.areas.gaps.size()) + ")");
        r.gap_layer = gap_layer(in, r.areas, rows, fac.size());
    }
    if (p.distance_raster) {
        io::RasterOut raster;
        raster.grid = grid::GridSpec::snapped(in.districts.extent(), p.raster_cell_m);
        raster.grid.crs = in.working;
        resources::check_memory(static_cast<double>(raster.grid.size()) * 24.0,
                                "a distance raster of " + std::to_string(raster.grid.ncol) + " x " + std::to_string(raster.grid.nrow) +
                                    " cells of " + resources::metres(p.raster_cell_m),
                                "use a larger --cell");
        raster.nodata = -9999.0f;
        raster.values = coverage::distance_grid(index, raster.grid, in.districts.polygons, *raster.nodata, in.threads);
        raster.description = "distance to the nearest facility, m";
        raster.title = "Distance to the nearest of " + std::to_string(fac.size()) + " facilities (m)";
        raster.abstract = "Straight-line distance from each " + text::number(p.raster_cell_m) +
                          " m cell centre to the nearest facility, in metres; nodata outside the districts.";
        raster.qml = report::raster_qml(raster, "m to the nearest facility");
        log.info("distance raster " + std::to_string(raster.grid.ncol) + " x " + std::to_string(raster.grid.nrow) + " cells of " +
                 text::fixed(p.raster_cell_m, 1) + " m");
        r.distance_raster = std::move(raster);
    }
    if (table && !in_parts)
        r.districts = coverage::summarise_districts(in.districts.polygons, in.incidents.items, r.incidents, need_areas ? &r.areas : nullptr,
                                                    ntypes, in.threads);
    if (p.incident_layer) r.incident_layer = incident_layer(p, in, fac, r.incidents, nullptr, log);
    if (p.covered_area) r.covered_layer = covered_layer(in, r.areas, fac.size());
    if (p.district_layer) r.district_layer = district_layer(in, r.districts, r.types, fac.size(), false);
    if (p.district_layer && p.min_count) log.info(privacy::suppress_layer(*r.district_layer, privacy::LayerKind::coverage, p.min_count).text);
    return r;
}

} // namespace hotmap::pipeline
