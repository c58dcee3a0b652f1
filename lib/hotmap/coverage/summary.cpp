// SPDX-License-Identifier: MIT
// Incident coverage, per-district coverage, gap ranking and the distance raster.
#include "hotmap/coverage/summary.hpp"

#include "hotmap/parallel.hpp"
#include "hotmap/error.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace hotmap::coverage {

IncidentCoverage cover_incidents(const FacilityIndex& index, const std::vector<Incident>& incidents, unsigned threads)
{
    const std::size_t n = incidents.size();
    IncidentCoverage c = IncidentCoverage::unreached(n);
    parallel::for_chunks(n, 4096, threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
            const Incident& p = incidents[i];
            const Nearest nn = index.nearest(p.x, p.y);
            c.nearest[i] = nn.facility;
            c.nearest_m[i] = nn.distance_m;
            const Reach r = index.reach(p.x, p.y);
            c.n_within[i] = r.n_within;
            c.covered[i] = r.n_within > 0 ? 1 : 0;
            c.type_mask[i] = r.type_mask;
        }
    });
    c.n_covered = static_cast<std::uint64_t>(std::count(c.covered.begin(), c.covered.end(), std::uint8_t(1)));
    return c;
}

std::vector<DistrictCoverage> summarise_districts(const geom::NamedPolygons& d, const std::vector<Incident>& incidents,
                                                  const IncidentCoverage& cov, const AreaCoverage* areas, std::size_t ntypes,
                                                  unsigned threads)
{
    if (cov.covered.size() != incidents.size()) throw ParameterError("coverage and incidents differ in size");
    const geom::Containment as = d.containing(incidents, threads);
    std::vector<DistrictCoverage> rows(d.size());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t k = 0; k < d.size(); ++k) {
        rows[k].district = d.name(k);
        rows[k].covered_inc_by_type.assign(ntypes, 0);
        if (areas) {
            rows[k].area_km2 = areas->district_m2[k] / 1e6;
            rows[k].covered_km2 = areas->district_covered_m2[k] / 1e6;
            rows[k].covered_pct = areas->district_m2[k] > 0 ? 100.0 * areas->district_covered_m2[k] / areas->district_m2[k] : nan;
        } else {
            rows[k].area_km2 = rows[k].covered_km2 = rows[k].covered_pct = nan;
        }
    }
    for (std::size_t i = 0; i < incidents.size(); ++i) {
        for (std::uint32_t j = as.start[i]; j < as.start[i + 1]; ++j) {
            DistrictCoverage& r = rows[static_cast<std::size_t>(as.ids[j])];
            ++r.incidents;
            if (!cov.covered[i]) continue;
            ++r.covered_inc;
            const std::uint64_t m = cov.type_mask[i];
            for (std::size_t t = 0; t < ntypes && t < 64; ++t)
                if (m & (std::uint64_t(1) << t)) ++r.covered_inc_by_type[t];
        }
    }
    for (DistrictCoverage& r : rows)
        r.covered_inc_pct = r.incidents ? 100.0 * static_cast<double>(r.covered_inc) / static_cast<double>(r.incidents) : nan;
    return rows;
}

std::vector<GapRow> rank_gaps(const AreaCoverage& areas, const geom::NamedPolygons& d,
                              const std::vector<Incident>& incidents, const IncidentCoverage& cov, double min_area_m2,
                              unsigned threads)
{
    if (!(min_area_m2 >= 0)) throw ParameterError("--min-gap-area must be >= 0");
    // Kept parts, in district order, then by decreasing area (ties: original order).
    std::vector<std::size_t> keep;
    for (std::size_t k = 0; k < areas.gaps.size(); ++k)
        if (areas.gaps[k].area_m2 >= min_area_m2) keep.push_back(k);
    std::stable_sort(keep.begin(), keep.end(), [&](std::size_t a, std::size_t b) {
        const GapPart &ga = areas.gaps[a], &gb = areas.gaps[b];
        if (ga.district != gb.district) return ga.district < gb.district;
        return ga.area_m2 > gb.area_m2;
    });
    std::vector<GapRow> rows(keep.size());
    std::vector<geom::Geometry> polys;
    std::vector<std::string> names;
    for (std::size_t k = 0; k < keep.size(); ++k) {
        const GapPart& g = areas.gaps[keep[k]];
        rows[k].part = keep[k];
        rows[k].gap_id = static_cast<int>(k + 1);
        rows[k].district = g.district >= 0 && static_cast<std::size_t>(g.district) < d.size() ? d.name(static_cast<std::size_t>(g.district)) : "";
        rows[k].area_km2 = g.area_m2 / 1e6;
        polys.push_back(g.geometry.clone());
        names.push_back(std::to_string(k + 1));
    }
    if (!polys.empty()) {
        // Uncovered incidents only: the buffers are inscribed polygons, so a covered incident
        // may lie in a gap polygon by a chord's width; it is not a gap incident.
        std::vector<Point> open; // their points only (16 B, not the 40 of an incident)
        for (std::size_t i = 0; i < incidents.size(); ++i)
            if (!cov.covered[i]) open.push_back(Point{incidents[i].x, incidents[i].y});
        const geom::NamedPolygons gaps(std::move(names), std::move(polys));
        for (std::int32_t k : gaps.first_containing(open, threads))
            if (k >= 0) ++rows[static_cast<std::size_t>(k)].incidents;
    }
    rank_gap_rows(rows);
    return rows;
}

void rank_gap_rows(std::vector<GapRow>& rows)
{
    for (GapRow& r : rows) r.per_km2 = r.area_km2 > 0 ? static_cast<double>(r.incidents) / r.area_km2 : 0.0;
    std::vector<std::size_t> order(rows.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (rows[a].incidents != rows[b].incidents) return rows[a].incidents > rows[b].incidents;
        if (rows[a].per_km2 != rows[b].per_km2) return rows[a].per_km2 > rows[b].per_km2;
        return a < b;
    });
    for (std::size_t k = 0; k < order.size(); ++k) rows[order[k]].rank = static_cast<int>(k + 1);
}

void add_district_counts(std::vector<DistrictCoverage>& rows, const std::vector<DistrictCoverage>& more)
{
    if (more.size() != rows.size()) throw ParameterError("district coverage rows differ in number");
    for (std::size_t k = 0; k < rows.size(); ++k) {
        DistrictCoverage& r = rows[k];
        r.incidents += more[k].incidents;
        r.covered_inc += more[k].covered_inc;
        for (std::size_t t = 0; t < r.covered_inc_by_type.size() && t < more[k].covered_inc_by_type.size(); ++t)
            r.covered_inc_by_type[t] += more[k].covered_inc_by_type[t];
        r.covered_inc_pct = r.incidents ? 100.0 * static_cast<double>(r.covered_inc) / static_cast<double>(r.incidents)
                                        : std::numeric_limits<double>::quiet_NaN();
    }
}

std::vector<float> distance_grid(const FacilityIndex& index, const grid::GridSpec& grid, const geom::NamedPolygons& d,
                                 float nodata, unsigned threads)
{
    std::vector<float> out(grid.size(), nodata);
    if (index.size() == 0 || d.empty()) return out;
    std::vector<Point> centres(grid.size());
    for (std::size_t id = 0; id < grid.size(); ++id) centres[id] = grid.centre(id);
    const std::vector<std::int32_t> inside = d.first_containing(centres, threads);
    parallel::for_each(grid.size(), 4096, threads, [&](std::size_t id) {
        if (inside[id] >= 0) out[id] = static_cast<float>(index.nearest(centres[id].x, centres[id].y).distance_m);
    });
    return out;
}

} // namespace hotmap::coverage
