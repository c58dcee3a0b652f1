// SPDX-License-Identifier: MIT
// The report and the QGIS project of a batch run (`hotmap run`), built from the steps'
// results: a section per step with its map, tables and charts, then the parameters and the
// row accounting; the project groups the same layers with their styles and one print layout
// per map.
#pragma once

#include "hotmap/pipeline/batch.hpp"
#include "hotmap/pipeline/inputs.hpp"
#include "hotmap/report/document.hpp"
#include "hotmap/report/i18n.hpp"
#include "hotmap/report/qgis_project.hpp"

#include <string>
#include <vector>

namespace hotmap::report {

struct BatchInfo {
    std::string title, subtitle;   ///< from the config (empty: generated)
    std::string generated;         ///< footer line: "Made by hotmap 0.1.0 on 2026-12-01"
    std::string version;           ///< hotmap's version, for the layouts' source line
    std::string gpkg = "results.gpkg"; ///< the run's GeoPackage, relative to the project
};

/// A sub-report of `hotmap run --each`: the steps computed on one period.
struct PeriodSteps {
    std::string label;                       ///< "2025-03", "2025-W10", "2025-Q1"
    std::vector<pipeline::StepResult> steps;
};

/// The report document. `periods` (from --each) adds a section per period and a comparison
/// across them (incidents, and per district when a districts step ran).
Document batch_document(const pipeline::Inputs& in, const std::vector<pipeline::StepResult>& steps, const BatchInfo& info,
                        const Catalog& cat, const std::vector<PeriodSteps>& periods = {});

/// The QGIS project of the run's layers (sources in info.gpkg).
ProjectSpec batch_project(const pipeline::Inputs& in, const std::vector<pipeline::StepResult>& steps, const BatchInfo& info,
                          const Catalog& cat);

/// A layer's title in the QGIS layers panel and the report: the step's title for its main
/// output, "title — gaps" (translated) for the others.
std::string layer_title(const pipeline::StepResult& s, const pipeline::StepLayer& l, const Catalog& cat);

/// The report group of a command's layers: "districts", "hotspots", "density", "coverage",
/// "sites", "emerging", "change", "other" (their order in the project and the report).
std::string layer_group(const std::string& command, const std::string& role);

} // namespace hotmap::report
