// SPDX-License-Identifier: MIT
// Service areas: tiled cascaded union of buffers; covered area and gaps per district.
#include "hotmap/coverage/service_area.hpp"

#include "hotmap/parallel.hpp"
#include "hotmap/error.hpp"

#include <cmath>

namespace hotmap::coverage {

geom::Geometry service_area(const std::vector<Facility>& facilities, const ServiceAreaParams& p)
{
    if (p.quadsegs < 1) throw ParameterError("buffer segments per quarter circle must be >= 1");
    // Tiles of about 128 facilities by their first vertex, fixed by the data (not the threads).
    Extent all;
    for (const Facility& f : facilities)
        for (const auto& part : f.parts)
            for (const Point& q : part) all.expand(q.x, q.y);
    if (facilities.empty() || all.empty()) return geom::Geometry::collect({});
    const std::size_t side = std::max<std::size_t>(1, static_cast<std::size_t>(std::round(std::sqrt(static_cast<double>(facilities.size()) / 128.0))));
    const double tw = std::max(all.width(), 1e-9) / static_cast<double>(side) * (1 + 1e-12);
    const double th = std::max(all.height(), 1e-9) / static_cast<double>(side) * (1 + 1e-12);
    std::vector<std::vector<std::size_t>> tiles(side * side);
    for (std::size_t i = 0; i < facilities.size(); ++i) {
        if (facilities[i].parts.empty() || facilities[i].radius_m <= 0) continue;
        const Point q = facilities[i].parts.front().front();
        const auto c = std::min(side - 1, static_cast<std::size_t>((q.x - all.xmin) / tw));
        const auto r = std::min(side - 1, static_cast<std::size_t>((q.y - all.ymin) / th));
        tiles[r * side + c].push_back(i);
    }
    std::vector<geom::Geometry> merged(tiles.size());
    parallel::for_chunks(tiles.size(), 1, p.threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t t = b; t < e; ++t) {
            if (tiles[t].empty()) continue;
            std::vector<geom::Geometry> buffers;
            for (std::size_t i : tiles[t]) {
                const Facility& f = facilities[i];
                for (const auto& part : f.parts) {
                    geom::Geometry g = part.size() == 1 ? geom::Geometry::point(part[0].x, part[0].y) : geom::Geometry::linestring(part);
                    buffers.push_back(g.buffer(f.radius_m, p.quadsegs));
                }
            }
            merged[t] = geom::union_all(std::move(buffers));
        }
    });
    std::vector<geom::Geometry> parts;
    for (geom::Geometry& g : merged)
        if (!g.null() && !g.empty()) parts.push_back(std::move(g));
    if (parts.size() == 1) return std::move(parts.front());
    return geom::union_all(std::move(parts));
}

namespace {

/// Buffers of each facility part, with their envelopes.
struct Buffers {
    std::vector<geom::Geometry> geoms;
    std::vector<Extent> boxes;
};

Buffers all_buffers(const std::vector<Facility>& facilities, int quadsegs, unsigned threads)
{
    std::vector<std::pair<std::size_t, std::size_t>> parts; // (facility, part)
    for (std::size_t i = 0; i < facilities.size(); ++i)
        if (facilities[i].radius_m > 0)
            for (std::size_t k = 0; k < facilities[i].parts.size(); ++k) parts.emplace_back(i, k);
    Buffers b;
    b.geoms.resize(parts.size());
    b.boxes.resize(parts.size());
    parallel::for_chunks(parts.size(), 256, threads, [&](std::size_t lo, std::size_t hi) {
        for (std::size_t j = lo; j < hi; ++j) {
            const Facility& f = facilities[parts[j].first];
            const auto& part = f.parts[parts[j].second];
            geom::Geometry g = part.size() == 1 ? geom::Geometry::point(part[0].x, part[0].y) : geom::Geometry::linestring(part);
            b.geoms[j] = g.buffer(f.radius_m, quadsegs);
            b.boxes[j] = b.geoms[j].envelope();
        }
    });
    return b;
}

bool overlaps(const Extent& a, const Extent& b)
{
    return !a.empty() && !b.empty() && a.xmin <= b.xmax && b.xmin <= a.xmax && a.ymin <= b.ymax && b.ymin <= a.ymax;
}

} // namespace

AreaCoverage area_coverage(const geom::NamedPolygons& d, const std::vector<Facility>& facilities, const AreaParams& p)
{
    if (p.quadsegs < 1) throw ParameterError("buffer segments per quarter circle must be >= 1");
    AreaCoverage a;
    std::vector<geom::Geometry> polys;
    for (const geom::Geometry& g : d.geometries()) polys.push_back(g.clone());
    a.study = geom::union_all(std::move(polys));
    a.study_m2 = a.study.area();
    const Buffers buf = all_buffers(facilities, p.quadsegs, p.threads);
    a.district_m2.assign(d.size(), 0);
    a.district_covered_m2.assign(d.size(), 0);
    std::vector<std::vector<GapPart>> gaps(d.size());
    std::vector<geom::Geometry> covered(d.size());
    parallel::for_chunks(d.size(), 1, p.threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
            const geom::Geometry& g = d.geometry(i);
            a.district_m2[i] = g.area();
            const Extent env = g.envelope();
            std::vector<geom::Geometry> near;
            for (std::size_t j = 0; j < buf.geoms.size(); ++j)
                if (overlaps(env, buf.boxes[j])) near.push_back(buf.geoms[j].clone());
            geom::Geometry gap;
            if (near.empty()) {
                gap = g.clone();
            } else {
                const geom::Geometry service = geom::union_all(std::move(near));
                geom::Geometry cov = g.intersection(service);
                a.district_covered_m2[i] = cov.area();
                if (p.covered_geometry) covered[i] = std::move(cov);
                gap = g.difference(service);
            }
            if (gap.empty()) continue;
            for (geom::Geometry& part : gap.parts()) {
                if (!part.is_polygonal() || part.empty()) continue;
                const double area = part.area();
                if (area <= 0) continue;
                gaps[i].push_back({std::move(part), static_cast<std::int32_t>(i), area});
            }
        }
    });
    for (auto& v : gaps)
        for (GapPart& g : v) a.gaps.push_back(std::move(g));
    if (p.covered_geometry) {
        std::vector<geom::Geometry> pieces;
        for (geom::Geometry& c : covered)
            if (!c.null() && !c.empty()) pieces.push_back(std::move(c));
        a.covered = geom::union_all(std::move(pieces));
        a.covered_m2 = a.covered.empty() ? 0.0 : a.covered.area();
    } else {
        for (double v : a.district_covered_m2) a.covered_m2 += v;
    }
    return a;
}

} // namespace hotmap::coverage
