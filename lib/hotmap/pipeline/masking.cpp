// SPDX-License-Identifier: MIT
#include "hotmap/pipeline/masking.hpp"

#include "hotmap/text.hpp"

#include <cmath>

namespace hotmap::pipeline {

MaskedIncidents mask_incidents(const Inputs& in, const privacy::DonutSpec& spec, Log& log)
{
    std::vector<Point> pts;
    pts.reserve(in.incidents.items.size());
    for (const auto& it : in.incidents.items) pts.push_back({it.x, it.y});
    static const geom::NamedPolygons no_districts;
    static const std::vector<double> no_population;
    privacy::MaskResult m = in.has_districts() ? privacy::geomask(pts, in.districts.polygons, in.districts.population, spec, in.threads)
                                               : privacy::geomask(pts, no_districts, no_population, spec, in.threads);
    MaskedIncidents r;
    r.points = std::move(m.points);
    const auto k = [](double v) { return std::isfinite(v) ? text::number(std::floor(v), 10) : std::string("unknown"); };
    r.text = "geomask donut " + text::number(spec.min_m) + "-" + text::number(spec.max_m) + " m: " + std::to_string(pts.size()) +
             " incident point(s) moved " + text::number(spec.min_m) + " to " + text::number(spec.max_m) +
             " m in a random direction" + (in.has_districts() ? ", each within its own district" : "") + " (" +
             std::to_string(m.fallback) + " placed by the fallback scan, " + std::to_string(m.left_district) + " left their district, " +
             std::to_string(m.outside_district) + " in no district); estimated k-anonymity (residents within the displacement): " +
             (std::isfinite(m.k_min) ? "min " + k(m.k_min) + ", median " + k(m.k_median)
                                     : std::string("unknown (no district population given)"));
    log.info(r.text);
    return r;
}

} // namespace hotmap::pipeline
