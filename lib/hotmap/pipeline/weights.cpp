// SPDX-License-Identifier: MIT
// Spatial weights of analysis units.
#include "hotmap/pipeline/weights.hpp"

#include "hotmap/text.hpp"

#include <algorithm>
#include <cmath>

namespace hotmap::pipeline {

stats::Weights spatial_weights(const WeightsSpec& s, bool polygons, const std::vector<Point>& centres,
                               const std::vector<std::vector<std::vector<Point>>>& rings, const std::vector<double>& x, unsigned threads,
                               std::string& description)
{
    if (s.knn > 0) {
        description = "k nearest neighbours, k = " + std::to_string(s.knn);
        return stats::knn(centres, s.knn, threads);
    }
    if (polygons && !s.distance_m && !s.distance_auto) {
        const stats::Contiguity c = s.contiguity.value_or(stats::Contiguity::queen);
        description = (c == stats::Contiguity::rook ? "rook" : "queen") + std::string(" contiguity");
        return stats::contiguity(rings, c);
    }
    double band = 0;
    if (s.distance_m) {
        band = *s.distance_m;
        description = "distance band " + text::number(band, 6) + " m";
    } else {
        band = stats::auto_distance(centres, x, threads);
        description = "distance band " + text::number(band, 6) + " m (auto)";
    }
    return stats::distance_band(centres, band, threads);
}

UnitWeights unit_weights(const WeightsSpec& s, bool polygons, const grid::Lattice* lattice, const std::vector<Point>& centres,
                         const std::vector<std::vector<std::vector<Point>>>& rings, const std::vector<double>& x, unsigned threads)
{
    UnitWeights u;
    const bool band = s.knn == 0 && !polygons && (s.distance_m || s.distance_auto);
    if (!s.stencil || !band || !lattice || lattice->shape != grid::Shape::square) {
        u.lists = spatial_weights(s, polygons, centres, rings, x, threads, u.description);
        return u;
    }
    double b = 0;
    if (s.distance_m) {
        b = *s.distance_m;
        u.description = "distance band " + text::number(b, 6) + " m";
    } else {
        b = stats::auto_distance(centres, x, threads);
        u.description = "distance band " + text::number(b, 6) + " m (auto)";
    }
    double maxabs = 0;
    for (const Point& p : centres) maxabs = std::max({maxabs, std::abs(p.x), std::abs(p.y)});
    const grid::GridSpec& g = lattice->spec;
    u.stencil = stats::lattice_distance_band(g.ncol, g.nrow, lattice->cells, lattice->position, g.cell, b, maxabs, threads);
    if (!u.stencil) u.lists = stats::distance_band(centres, b, threads);
    return u;
}

} // namespace hotmap::pipeline
