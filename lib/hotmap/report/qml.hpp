// SPDX-License-Identifier: MIT
// QGIS layer styles (QML) for the vector outputs: graduated, categorised and single symbols.
#pragma once

#include "hotmap/io/raster.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/report/colour.hpp"

#include <limits>
#include <string>
#include <vector>

namespace hotmap::report {

/// A colour ramp sampled at n classes (n >= 1): "YlOrRd" (sequential) or "RdBu" (diverging,
/// blue = low/cold, red = high/hot).
std::vector<Rgba> ramp(const std::string& name, int n);

/// Graduated symbols on a numeric field. `breaks` has n+1 ascending values; the legend labels
/// read "lower - upper units" ("0 - 20 % covered", "12.5 - 40 incidents/km²"). The bounds are
/// written exactly (shortest round-trip text), so classes built to enclose the data still do
/// when QGIS reads them; the labels round the lowest bound down and the highest up.
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
/// controller animates the layer. An empty `end_field` makes each feature an instant at its
/// `start_field` (QGIS "single field with date/time").
std::string with_temporal(const std::string& qml, const std::string& start_field, const std::string& end_field);

/// Class upper bounds for a count field (whole numbers >= 0): up to n ascending whole numbers
/// from quantiles of the NON-ZERO finite values (rounded up), the last the maximum. Ties do not
/// cost classes: each bound is the first k-quantile of the values above the previous one (k =
/// classes still to place), so 300 ones, 60 twos and a few larger counts give 1, 2, 4, 9, 40.
/// Zero is not among them: count_qml gives it its own class. Empty when no value is > 0.
std::vector<double> count_breaks(const std::vector<double>& values, int n);

/// Graduated symbols for a count field: "0 <units>" alone (light, mostly transparent), then up to
/// n classes of whole numbers from count_breaks ("1 - 2 <units>", "3 - 5 <units>", "6 <units>"
/// for a class of one value), YlOrRd; the first class's label starts at the smallest positive
/// count ("5 - 6" once counts below 5 are suppressed). Every value of `values` falls in exactly one class.
std::string count_qml(const std::string& field, io::GeomKind kind, const std::vector<double>& values, int n, const std::string& units);

/// Graduated symbols for a measure >= 0 where 0 means "none" (a rate of incidents): when some
/// value is 0 (or below), "0 <units>" is a class alone (light, mostly transparent); then
/// quantile classes of the positive values (quantile_breaks, n classes, `dec` decimals), YlOrRd.
std::string zero_and_quantiles_qml(const std::string& field, io::GeomKind kind, const std::vector<double>& values, int n, int dec,
                                   const std::string& units);

/// The same style with the features labelled by `field` (QGIS simple labelling, dark text with a
/// white halo, enabled).
std::string with_labels(const std::string& qml, const std::string& field);

/// A raster style (QGIS singlebandpseudocolor, discrete YlOrRd classes at quantiles of the
/// raster's positive finite values, labels "lower - upper <units_label>"); zero and nodata are
/// transparent.
std::string raster_qml(const io::RasterOut& r, const std::string& units_label);

/// A graduated style that also shows the features whose classified value was suppressed (null)
/// for publication: the renderer classifies `coalesce("field", -1)` and a first grey class
/// [-2, -1] reads `label` (the old first class starts above -1). A categorised style gains a
/// last catch-all class (value "") with that label, which QGIS gives to the nulls too, unless it
/// has one. Other styles are returned unchanged.
std::string with_suppressed_class(const std::string& qml, io::GeomKind kind, const std::string& label);

/// A vector style read back from QML written by this module (graduated, categorised or single).
struct StyleClass {
    double lower = 0, upper = 0; ///< graduated
    std::string value;           ///< categorised ("" = every other value)
    std::string label;
    Rgba colour;
};
struct ParsedStyle {
    std::string renderer;    ///< "graduatedSymbol", "categorizedSymbol", "singleSymbol" or ""
    std::string field;       ///< the classified field ("" for one symbol)
    double null_as = std::numeric_limits<double>::quiet_NaN(); ///< graduated on coalesce(field, v): a null counts as v
    std::vector<StyleClass> classes;
    std::string label_field; ///< field of the labels, "" when none
    bool temporal = false;
};
ParsedStyle parse_qml(const std::string& qml);

/// The fill (or line, or marker) colour each feature of the layer gets under its style (layer.qml),
/// as QGIS draws it: graduated classes match lower < v <= upper (the first class includes its
/// lower bound), categories match the value as text. {0,0,0,0} where no class matches or no style.
std::vector<Rgba> feature_colours(const io::VectorLayer& layer);

/// The legend of the layer's style: one item per class, in order.
std::vector<LegendItem> legend(const io::VectorLayer& layer);

/// The legend's heading: the layer's title, or the classified field's name when it has none.
std::string legend_title(const io::VectorLayer& layer);

/// Class breaks at quantiles of the finite values (n classes; duplicates merged).
std::vector<double> quantile_breaks(std::vector<double> values, int n);

} // namespace hotmap::report
