// SPDX-License-Identifier: MIT
// Spatial weights of analysis units.
#include "hotmap/pipeline/weights.hpp"

#include "hotmap/text.hpp"

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

} // namespace hotmap::pipeline
