// SPDX-License-Identifier: MIT
// A QGIS 3 project (.qgs) for the layers of a batch run: relative paths into the run's
// GeoPackage, layers grouped and ordered, each with its style, labels and temporal settings,
// and one print layout per map (title, map, legend, scale bar, north arrow, source).
#pragma once

#include "hotmap/crs/crs.hpp"
#include "hotmap/report/colour.hpp"
#include "hotmap/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace hotmap::report {

/// One layer of the project: a vector layer or a raster inside a GeoPackage (or a file).
struct ProjectLayer {
    std::string source;       ///< path relative to the project file: "results.gpkg"
    std::string layer_name;   ///< layer (or raster table) inside the GeoPackage; empty for a single-layer file
    bool raster = false;
    std::string geometry;     ///< "Point", "Line", "Polygon" ("" for a table without geometry or a raster)
    std::string title;        ///< the name shown in the layers panel ("Gi* hot and cold spots, 250 m cells")
    std::string abstract;     ///< parameters and filters (layer properties > metadata)
    std::string qml;          ///< the layer's QGIS style (a whole <qgis> document, as written beside files)
    std::string label_field;  ///< features labelled with this field (district names); empty = none
    bool visible = true;      ///< checked in the layers panel
    std::size_t feature_count = 0; ///< for the layer's metadata only
};

/// A group of the layers panel, top to bottom.
struct ProjectGroup {
    std::string name;                 ///< "Districts", "Hot spots", ...
    std::vector<ProjectLayer> layers; ///< top to bottom
    bool expanded = true;
};

/// A print layout: an A4 landscape page showing `layers` (titles as in the groups, top first).
struct PrintLayout {
    std::string name;                 ///< unique layout name
    std::string title;                ///< the page title
    std::vector<std::string> layers;  ///< layer titles to show (others hidden in this layout); empty = follow the layers panel
    std::string source_text;          ///< "Source: ... · hotmap 0.x · CRS EPSG:32735"
    std::string legend_title;         ///< heading of the legend box; empty = none
};

struct ProjectSpec {
    std::string title;              ///< project title
    crs::Crs crs;                   ///< the project CRS (the working CRS)
    Extent extent;                  ///< initial view and layouts' map extent, in crs
    std::vector<ProjectGroup> groups;
    std::vector<PrintLayout> layouts;
};

/// The .qgs XML (QGIS 3.22 reads it without warnings). Deterministic: layer ids are derived
/// from the layer names, not random, so the same spec gives the same bytes.
///
/// Layers are assumed to be in spec.crs (the working CRS of a run). Data sources are written
/// relative to the project file: "./results.gpkg|layername=districts" (ogr),
/// "GPKG:./results.gpkg:density" (gdal, raster table) or "./density.tif" (gdal, layer_name
/// empty). Layer ids are "<layer name or file stem, as [a-z0-9_]>_<position, 4 digits>"
/// ("districts_0001"), positions counted from 1 through the groups in order; "_layer" is
/// inserted when that is 10 characters or fewer ("sites_layer_0004"), because QGIS replaces
/// such short ids with random ones when it reads a project. The children of
/// each layer's QML document are embedded in its <maplayer> (renderer, labeling, temporal,
/// raster pipe...); label_field adds simple labels unless the QML has its own <labeling>.
/// Each PrintLayout becomes an A4 landscape layout (millimetres): the title on top; the map
/// (left, 205 x 170) on spec.extent grown by 4 % and fitted to the frame, showing only the
/// layout's layers (a kept layer set, drawn in layer-tree order); on the right a legend with
/// only those layers; a scale bar in m or km and QGIS's default north arrow on the map; the
/// source text under it. Its layers are looked up by title (the first layer with that title).
/// Throws ParameterError when spec.extent is empty, a layout names a title no layer has, or
/// two layouts share a name.
std::string qgis_project(const ProjectSpec& spec);

/// A raster style (a QML document with a <pipe>) for ProjectLayer::qml of a raster layer:
/// single-band pseudocolour, `breaks` n+1 ascending values, `colors` n (one per class):
/// a value in (breaks[i], breaks[i+1]] is drawn in colors[i], values above the last break in
/// the last colour; values at or below breaks[0] are transparent (zero density is not painted:
/// the same as the HTML report's MapRaster). Legend labels read "lower - upper units".
/// The transparency is the layer's no-data range, which QGIS reads from projects only
/// (a .qml file beside a GeoTIFF keeps the classes but paints values at breaks[0]).
/// Throws ParameterError when breaks has fewer than 2 values or colors.size() != n.
std::string raster_qml(const std::vector<double>& breaks, const std::vector<Rgba>& colors, int label_decimals,
                       const std::string& units);

} // namespace hotmap::report
