// SPDX-License-Identifier: MIT
// Legend labels in the report's language (hotmap run --lang): the styles are built in English
// by the pipelines; these turn their labels into the catalogue's language.
#pragma once

#include "hotmap/report/i18n.hpp"

#include <string>

namespace hotmap::report {

/// One legend label: a text equal to an English catalogue entry becomes that entry in `cat`'s
/// language ("Not significant" -> "Non significatif"), the class patterns are rebuilt ("Hot
/// spot, 99% confidence", "new site (40 m)"), the unit phrases replaced ("incidents per km²")
/// and decimal points written as the language writes them ("3.6 - 15.0" -> "3,6 - 15,0").
/// English returns the label unchanged.
std::string translate_label(const std::string& label, const Catalog& cat);

/// A QGIS style with every label="..." attribute translated (translate_label).
std::string translate_qml_labels(const std::string& qml, const Catalog& cat);

} // namespace hotmap::report
