// SPDX-License-Identifier: MIT
// What `hotmap run` keeps of each step: the pipeline's result, the layers and rasters it
// produced (with their names in results.gpkg), and the step's filters applied in memory to
// the inputs read once (DESIGN.md §3 "run").
#pragma once

#include "hotmap/incidents.hpp"
#include "hotmap/io/raster.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/pipeline/inputs.hpp"

#include <any>
#include <string>
#include <utility>
#include <vector>

namespace hotmap::pipeline {

/// One output of a step: a layer or a raster (pointers into StepResult::result).
struct StepLayer {
    std::string role;                   ///< the command's output option: "output", "isobands", "gaps", ...
    std::string name;                   ///< layer or raster table in results.gpkg ("coverage_night_gaps")
    const io::VectorLayer* layer = nullptr;
    const io::RasterOut* raster = nullptr;
    std::string qml;                    ///< the layer's style in the run's language (empty: layer->qml)
};

struct StepResult {
    std::string id;       ///< from the config section: "coverage night" -> "coverage_night"
    std::string command;  ///< "coverage"
    std::string title;    ///< the section's `title`, else a generated one
    std::vector<std::pair<std::string, std::string>> options; ///< as configured (key, value)
    std::string filters;  ///< the step's own filters in words ("hours 18-6"), empty = none
    std::size_t incidents = 0;       ///< incidents after the step's filters
    std::any result;      ///< std::shared_ptr<const DistrictsResult>, <const CoverageResult>, ...
    std::vector<StepLayer> layers;
    std::string table;    ///< the command's terminal table, if it has one
    std::vector<std::string> log;    ///< the step's -v messages (automatic choices)
};

/// Restrict `in`'s incidents to `filter` and `categories` while the object lives (the
/// incidents are swapped, not copied twice); the accounting counts what the step filtered.
/// Restores the inputs on destruction.
class StepFilter {
public:
    /// `drop`: sensitive categories left out of this step (drop_categories), restored after.
    StepFilter(Inputs& in, const IncidentFilter& filter, const std::vector<std::string>& categories,
               const std::vector<std::string>& drop = {});
    ~StepFilter();
    StepFilter(const StepFilter&) = delete;
    StepFilter& operator=(const StepFilter&) = delete;
    bool active() const noexcept { return m_active; }

private:
    Inputs& m_in;
    bool m_active = false;
    std::vector<Incident> m_all;
    std::vector<std::string> m_categories;
    Accounting m_accounting;
    std::string m_filters;
};

/// The filters in words, as layer titles give them (describe_filters): "18:00-06:00 only; categories theft".
std::string describe_filter(const IncidentFilter& f, const std::vector<std::string>& categories, const std::vector<std::string>& drop = {});

/// A section name as a layer-name part: "coverage night" -> "coverage_night".
std::string step_id(const std::string& section);

} // namespace hotmap::pipeline
