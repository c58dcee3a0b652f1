// SPDX-License-Identifier: MIT
// What `hotmap run` writes into its folder, staged and committed together: results.gpkg
// (every layer and raster), optional file copies, run.json, project.qgs and report.html.
#pragma once

#include "hotmap/io/output_set.hpp"
#include "hotmap/log.hpp"
#include "hotmap/pipeline/batch.hpp"
#include "hotmap/pipeline/inputs.hpp"
#include "hotmap/report/batch.hpp"

#include <memory>
#include <string>
#include <vector>

namespace hotmap::cli {

/// What run.json records beside the steps.
struct RunRecord {
    std::string config, config_dir, lang = "en", each, title, subtitle;
    std::vector<std::string> extra_inputs; ///< facility and candidate layers (checksummed)
};

class OutputPlan {
public:
    /// Creates `dir` when missing (removed again unless the run commits) and registers the
    /// fixed outputs, so a run that could not write them stops before any work.
    OutputPlan(const std::string& dir, bool overwrite, std::vector<std::string> copies);
    ~OutputPlan();
    OutputPlan(const OutputPlan&) = delete;
    OutputPlan& operator=(const OutputPlan&) = delete;

    void protect(const std::string& input) { m_outs.protect(input); }
    io::OutputSet& outputs() noexcept { return m_outs; }
    std::string rejects_path() const { return m_dir + "/rejects.csv"; }
    /// Write everything and commit. Throws OutputError.
    void write(const pipeline::Inputs& in, const std::vector<pipeline::StepResult>& steps,
               const std::vector<report::PeriodSteps>& periods, const RunRecord& rec, Log& log);

private:
    std::string m_dir;
    bool m_created = false, m_done = false;
    std::vector<std::string> m_copies;
    io::OutputSet m_outs;
    const io::Staged* m_gpkg = nullptr;
    const io::Staged* m_json = nullptr;
    const io::Staged* m_qgs = nullptr;
    const io::Staged* m_html = nullptr;
};

} // namespace hotmap::cli
