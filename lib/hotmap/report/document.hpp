// SPDX-License-Identifier: MIT
// The batch report as data (sections of text, maps, tables and charts) and its rendering as
// one self-contained HTML page: no network fetch, maps drawn by hotmap itself as inline SVG
// (vector layers) and embedded PNG (rasters), print CSS for A4.
#pragma once

#include "hotmap/io/raster.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/report/colour.hpp"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace hotmap::report {

/// One vector layer drawn on a map, in the layer's CRS (projected metres, north up).
struct MapLayer {
    const io::VectorLayer* layer = nullptr; ///< not owned; geometries as WKB (points, lines, polygons)
    std::vector<Rgba> fill;                 ///< one per feature (polygon fill, point fill, line colour); empty = `colour` for all
    Rgba colour{128, 128, 128, 255};
    Rgba stroke{60, 60, 60, 255};           ///< polygon outline / point outline
    double stroke_px = 0.6;
    double point_px = 3;                    ///< point radius
    std::string label_field;                ///< text label per feature (e.g. district names) at an interior point; empty = none
    std::string title_field;                ///< SVG <title> tooltip text per feature; empty = none
};

/// A raster drawn under the vector layers: values classed by `breaks` (n+1 ascending) into
/// `colours` (n); nodata and values below breaks[0] transparent.
struct MapRaster {
    const io::RasterOut* raster = nullptr; ///< not owned
    std::vector<double> breaks;
    std::vector<Rgba> colours;
};

/// A map: layers bottom to top, the extent of the first layer (or raster) unless given.
struct MapFigure {
    std::string title;
    std::string caption;               ///< one paragraph under the map (what it shows, parameters)
    std::optional<MapRaster> raster;
    std::vector<MapLayer> layers;
    std::string legend_title;          ///< e.g. "Incidents per km²"
    std::vector<LegendItem> legend;
    std::optional<Extent> extent;
    bool scale_bar = true;             ///< a scale bar in metres/km and a north arrow
};

/// A table; cells are text already formatted (numbers right-aligned when `numeric[i]`).
struct Table {
    std::string title;
    std::vector<std::string> header;
    std::vector<bool> numeric;                 ///< per column; empty = all text
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> footer;           ///< a totals row; empty = none
};

/// Lines over a shared x axis (incidents per month per district, the coverage curve).
struct Series {
    std::string name;
    std::vector<double> y;                      ///< one per x label; NaN = gap
    std::optional<Rgba> colour;                 ///< default: a qualitative palette
};
struct LineChart {
    std::string title;
    std::vector<std::string> x_labels;
    std::vector<Series> series;
    std::string x_label, y_label;
    bool y_from_zero = true;
};

/// Bars (one per label), e.g. incidents per district.
struct BarChart {
    std::string title;
    std::vector<std::string> labels;
    std::vector<double> values;
    std::string value_label;
    Rgba colour{215, 48, 31, 255};
};

/// A heat table: rows x columns of counts (hour x weekday), shaded by value, with totals.
struct HeatTable {
    std::string title;
    std::vector<std::string> row_labels, col_labels;
    std::vector<std::vector<double>> values; ///< [row][col]
    bool totals = true;
};

/// A paragraph of plain text (escaped when rendered); `note` renders it as a highlighted box.
struct Paragraph {
    std::string text;
    bool note = false;
};

/// Key-value pairs (parameters used, the row accounting).
struct KeyValues {
    std::string title;
    std::vector<std::pair<std::string, std::string>> items;
};

using Block = std::variant<Paragraph, MapFigure, Table, LineChart, BarChart, HeatTable, KeyValues>;

struct Section {
    std::string id;    ///< HTML anchor (ASCII letters, digits, '-')
    std::string title;
    std::vector<Block> blocks;
};

struct Document {
    std::string lang = "en";        ///< the html lang attribute
    std::string title, subtitle;    ///< subtitle: e.g. "Incidents 2024-01-01 to 2025-12-31"
    std::string generated;          ///< "Made by hotmap 0.x on ..." footer line (empty = none)
    std::vector<Section> sections;  ///< a table of contents is built from them
};

/// The whole page: UTF-8, inline CSS (screen + print @page A4), inline SVG, PNG as data: URIs.
/// Text is escaped; nothing refers to another file or the network. Deterministic: the same
/// document gives the same bytes.
/// The few words the page adds itself (the "Contents" heading, "Total" of heat tables) and
/// the numbers it formats (chart ticks, heat-table cells and totals) follow the catalogue of
/// `doc.lang` (report/i18n.hpp; English when the language has none). Maps are drawn with
/// report/svg.hpp; unreadable WKB throws GeometryError, a MapRaster whose breaks and colours
/// do not match throws ParameterError.
std::string render_html(const Document& doc);

} // namespace hotmap::report
