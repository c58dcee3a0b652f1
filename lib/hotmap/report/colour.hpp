// SPDX-License-Identifier: MIT
// Colours and legend entries shared by the QGIS styles, the QGIS project and the HTML report.
#pragma once

#include <string>

namespace hotmap::report {

/// RGBA colour.
struct Rgba {
    int r = 0, g = 0, b = 0, a = 255;
    friend bool operator==(const Rgba&, const Rgba&) = default;
};

/// One legend entry: the colour a class is drawn in and its label ("12.5 - 40 incidents/km²").
struct LegendItem {
    Rgba colour;
    std::string label;
};

} // namespace hotmap::report
