// SPDX-License-Identifier: MIT
// QGIS layer styles (QML) for the vector outputs: graduated, categorised and single symbols.
#pragma once

#include "hotmap/io/vector.hpp"
#include "hotmap/report/colour.hpp"

#include <string>
#include <vector>

namespace hotmap::report {

/// A colour ramp sampled at n classes (n >= 1): "YlOrRd" (sequential) or "RdBu" (diverging,
/// blue = low/cold, red = high/hot).
std::vector<Rgba> ramp(const std::string& name, int n);

/// Graduated symbols on a numeric field. `breaks` has n+1 ascending values; the legend labels
/// read "lower - upper units" ("0 - 20 % covered", "12.5 - 40 incidents/km²").
std::string graduated_qml(const std::string& field, io::GeomKind kind, const std::vector<double>& breaks,
                          const std::vector<Rgba>& colors, int label_decimals, const std::string& units);

/// Categorised symbols on a field: one class per value (as written in the data), with labels.
struct Category {
    std::string value;
    std::string label;
    Rgba color;
};
std::string categorized_qml(const std::string& field, io::GeomKind kind, const std::vector<Category>& classes);

/// One symbol for every feature, with its legend label ("new site (40 m)").
std::string single_qml(io::GeomKind kind, Rgba color, double size_or_width, const std::string& label);

/// The same style with QGIS temporal settings: each feature is shown from its `start_field` to
/// its `end_field` (date-time fields; start included, end excluded), so the temporal
/// controller animates the layer.
std::string with_temporal(const std::string& qml, const std::string& start_field, const std::string& end_field);

/// Class breaks at quantiles of the finite values (n classes; duplicates merged).
std::vector<double> quantile_breaks(std::vector<double> values, int n);

} // namespace hotmap::report
