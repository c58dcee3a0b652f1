// SPDX-License-Identifier: MIT
// Drawing helpers of the HTML report: maps (vector layers from WKB, a raster as an embedded
// PNG, scale bar, north arrow) and charts as inline SVG, plus the small text/number/colour
// helpers they share. Output is deterministic (no ids, no clock), coordinates have one decimal.
#pragma once

#include "hotmap/report/document.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hotmap::report::svg {

/// Text escaped for HTML/XML content and attribute values (& < > " ').
std::string esc(std::string_view s);

/// A coordinate with at most one decimal, no trailing ".0", never "-0" ("12.3", "7", "-4.5").
std::string num(double v);

/// "#rrggbb" (alpha is written separately as an opacity attribute).
std::string hex(Rgba c);

/// Relative luminance 0..1 (sRGB), to pick a readable text colour on a fill.
double luminance(Rgba c);

/// The i-th colour of a qualitative palette (series of a line chart), cycling after 8.
Rgba palette(std::size_t i);

/// A sequential ramp (light yellow -> orange -> dark red) at t in [0, 1] (clamped).
Rgba ramp(double t);

/// Round tick values covering [lo, hi]: steps of 1, 2 or 5 x 10^n, about `target` ticks; the
/// first tick <= lo and the last >= hi. lo == hi gives a range around the value.
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

/// The largest 1, 2 or 5 x 10^n that is <= max (max > 0).
double nice_length(double max);

/// Standard base64 (RFC 4648, with padding).
std::string base64(std::string_view bytes);

/// An RGBA image (row 0 at the top, 4 bytes per pixel) as PNG bytes, made by GDAL's PNG driver
/// through /vsimem. Throws OutputError when GDAL fails.
std::string png_rgba(const std::vector<std::uint8_t>& rgba, int width, int height);

/// The raster classed into colours as a north-up PNG (nodata, NaN and values below breaks[0]
/// transparent; values above the last break take the last colour), at most `max_px` pixels on
/// the long side (nearest-neighbour sampling beyond). Throws ParameterError when breaks and
/// colours do not match (n + 1 breaks, n colours) or the raster has no values.
std::string raster_png(const MapRaster& r, int max_px = 1600);

/// The extent a map shows: its `extent`, else the first layer's (or the raster's) extent
/// grown by 3% each side. Empty when there is nothing to show.
Extent map_extent(const MapFigure& m);

/// The map as one <svg> element `width_px` wide (height from the extent's aspect, at most
/// `max_height_px`; the width shrinks to keep the aspect): the raster (if any) under the layers
/// in order, labels on top, then the scale bar and the north arrow. Vertices closer than
/// 0.5 px to the previous kept one are dropped. Throws GeometryError for unreadable WKB.
std::string map_svg(const MapFigure& m, double width_px = 760, double max_height_px = 860);

/// Number formatter used for chart tick labels (language-specific in the report).
using NumberFormat = std::string (*)(double v, int decimals, const void* ctx);
struct Formatter {
    NumberFormat fn = nullptr; ///< nullptr = plain "%.*f"
    const void* ctx = nullptr;
    std::string operator()(double v, int decimals) const;
};

/// A line chart as <svg>: axes, round y ticks with grid lines, x labels (thinned to about 12),
/// one polyline per series broken at NaN (isolated values as dots), axis titles.
std::string line_chart_svg(const LineChart& c, const Formatter& f, double width_px = 760, double height_px = 320);

/// A horizontal bar chart as <svg>: one bar per label with its value at the end, round ticks.
std::string bar_chart_svg(const BarChart& c, const Formatter& f, double width_px = 760);

/// Decimals that show the step between ticks (0 for whole steps, 1 for 0.5, 2 for 0.25...).
int tick_decimals(const std::vector<double>& ticks);

} // namespace hotmap::report::svg
