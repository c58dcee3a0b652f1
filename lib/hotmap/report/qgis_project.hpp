// SPDX-License-Identifier: MIT
// A QGIS 3 project (.qgs) for the layers of a batch run: relative paths into the run's
// GeoPackage, layers grouped and ordered, each with its style, labels and temporal settings,
// and one print layout per map (title, map, legend, scale bar, north arrow, source).
#pragma once

#include "hotmap/crs/crs.hpp"
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
    std::vector<std::string> layers;  ///< layer titles to show (others hidden in this layout)
    std::string source_text;          ///< "Source: ... · hotmap 0.x · CRS EPSG:32735"
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
std::string qgis_project(const ProjectSpec& spec);

} // namespace hotmap::report
