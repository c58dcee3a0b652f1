// SPDX-License-Identifier: MIT
// hotmap run: a whole batch from one config file (DESIGN.md §3 "run"). Each section is a step
// parsed by the command's own option declarations and computed by the command's own library
// call on the inputs read once; every layer and raster goes into DIR/results.gpkg, with
// run.json, project.qgs and report.html beside it.
#include "option_groups.hpp"
#include "registry.hpp"
#include "run_config.hpp"
#include "run_outputs.hpp"

#include "hotmap/error.hpp"
#include "hotmap/districts/summary.hpp"
#include "hotmap/pipeline/batch.hpp"
#include "hotmap/report/batch.hpp"
#include "hotmap/report/translate.hpp"
#include "hotmap/timeparse.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <unistd.h>

namespace hotmap::cli {
namespace {

/// The [inputs] section, parsed with the same declarations as every command's input options.
class InputsSection final : public Command {
public:
    std::string_view name() const noexcept override { return "run [inputs]"; }
    std::string_view summary() const noexcept override { return "inputs of a batch run"; }
    InputOptions input;
    DistrictOptions districts;
    CrsOptions crs;

protected:
    void add_options(std::vector<OptionGroup>& groups, po::positional_options_description&) override
    {
        groups.push_back(input.describe());
        groups.push_back(districts.describe(true));
        groups.push_back(crs.describe());
    }
    void validate() override { (void)input.filter(); }
    void run(Io&) override { throw std::logic_error("InputsSection::run"); }
};

/// A step's log: kept for run.json and the report, passed on to stderr.
class StepLog final : public Log {
public:
    StepLog(Log& inner, std::vector<std::string>& lines) : m_inner(inner), m_lines(lines) {}
    void info(const std::string& m) override
    {
        m_lines.push_back(without_timings(m));
        m_inner.info(m);
    }
    /// The record (run.json, the report) is the same for the same inputs: timings such as
    /// "(index and queries: 0.004 s)" stay on stderr only.
    static std::string without_timings(const std::string& m)
    {
        static const std::regex timing(R"( \([^()]*[0-9.]+ s\))");
        return std::regex_replace(m, timing, "");
    }
    void warning(const std::string& m) override
    {
        m_lines.push_back("warning: " + m);
        m_inner.warning(m);
    }

private:
    Log& m_inner;
    std::vector<std::string>& m_lines;
};

/// "[#####.....] 3/9 coverage night" on stderr when it is a terminal; nothing otherwise.
class Progress {
public:
    Progress(std::ostream& err, std::size_t total, bool enabled) : m_err(err), m_total(total), m_on(enabled && isatty(2)) {}
    void step(std::size_t i, const std::string& what)
    {
        if (!m_on) return;
        const std::size_t width = 30, done = m_total ? width * i / m_total : width;
        m_err << "\r[" << std::string(done, '#') << std::string(width - done, '.') << "] " << i << "/" << m_total << " "
              << what.substr(0, 40) << std::string(what.size() < 40 ? 40 - what.size() : 0, ' ') << std::flush;
    }
    void finish()
    {
        if (m_on) m_err << "\r" << std::string(90, ' ') << "\r" << std::flush;
    }

private:
    std::ostream& m_err;
    std::size_t m_total;
    bool m_on;
};

/// A step's layer in results.gpkg: the step id for its main output, else id_role
/// ("coverage_night_gaps"; "incident-output" -> "incidents", "district-output" -> "districts").
std::string layer_name(const std::string& id, std::string role)
{
    if (role == "output") return id;
    const std::string suffix = "-output";
    if (role.size() > suffix.size() && role.compare(role.size() - suffix.size(), suffix.size(), suffix) == 0)
        role = role.substr(0, role.size() - suffix.size()) + "s";
    if (role == "incidents" || role == "districts") return id + "_" + role;
    return id + "_" + pipeline::step_id(role);
}

class RunCommand final : public Command {
public:
    std::string_view name() const noexcept override { return "run"; }
    std::string_view summary() const noexcept override
    {
        return "A whole batch from one config file: every step's layers and rasters in DIR/results.gpkg, a QGIS project, "
               "an HTML report and run.json (parameters, checksums, versions, row accounting).";
    }
    std::string synopsis() const override { return "hotmap run CONFIG -o DIR [--each week|month|quarter] [--lang en|fr]"; }

protected:
    void add_options(std::vector<OptionGroup>& groups, po::positional_options_description& pos) override
    {
        OptionGroup own("Command options");
        own.input("config", &m_config, PathKind::config, "the analysis: an INI file with [inputs] and one section per step ([coverage night])")
            .required()
            .output("output,o", &m_dir, PathKind::folder, "output folder (created if missing): results.gpkg, project.qgs, report.html, run.json")
            .required()
            .choice("each", &m_each, {"week", "month", "quarter"}, "also one sub-report per period and the comparison across them")
            .choice("lang", &m_lang, {"en", "fr"}, "language of the report and of the QGIS legend labels")
            .text("copies", &m_copies, "also write each layer as a file: geojson, shp or geojson,shp (rasters as GeoTIFF)");
        groups.push_back(std::move(own));
        pos.add("config", 1);
    }

    void validate() override
    {
        for (const std::string& c : split_list(m_copies))
            if (c != "geojson" && c != "shp") throw UsageError("--copies '" + m_copies + "': expected geojson, shp or geojson,shp");
    }

    void run(Io& io) override
    {
        StderrLog log(name(), m_common, io.err);
        const RunConfig cfg = read_run_config(m_config);

        // the inputs, read once
        InputsSection inputs;
        inputs.parse_only(cfg.input_args);
        std::vector<std::unique_ptr<Command>> commands;
        std::vector<pipeline::StepResult> steps;
        // every step parsed and checked before anything is read
        for (const RunStep& s : cfg.steps) {
            commands.push_back(make_step_command(s, cfg, m_common.threads));
        }
        for (const RunStep& s : cfg.steps)
            for (const std::string& f : s.input_files) {
                std::error_code ec;
                if (f.find(':') == std::string::npos && f.rfind("/vsi", 0) != 0 && !std::filesystem::exists(f, ec))
                    throw InputError(f + ": cannot open: no such file (" + m_config + ", [" + s.section + "])");
            }
        InputOptions in_opts = inputs.input;
        OutputPlan plan(m_dir, m_common.overwrite, split_list(m_copies));
        plan.protect(inputs.input.src.path);
        plan.protect(inputs.districts.src.path);
        plan.protect(m_config);
        for (const RunStep& s : cfg.steps)
            for (const std::string& p : s.input_files) plan.protect(p);
        in_opts.rejects = cfg.rejects ? plan.rejects_path() : std::string();
        pipeline::Inputs in = load_inputs(in_opts, inputs.districts.given() ? &inputs.districts : nullptr, inputs.crs, m_common,
                                          plan.outputs(), log);

        const report::Catalog cat(m_lang);
        Progress progress(io.err, cfg.steps.size(), !m_common.verbose && !m_common.progress);
        // --progress: 10% for the inputs, 85% shared by the steps, 5% for writing
        const auto step_percent = [&](std::size_t i) { return 10 + static_cast<int>(85 * i / std::max<std::size_t>(cfg.steps.size(), 1)); };
        report_progress(io.err, 10, "inputs read");
        for (std::size_t i = 0; i < cfg.steps.size(); ++i) {
            const RunStep& s = cfg.steps[i];
            progress.step(i, s.section);
            report_progress(io.err, step_percent(i), std::to_string(i + 1) + "/" + std::to_string(cfg.steps.size()) + " " + s.section);
            std::vector<std::string> lines;
            StderrLog step_stderr("run [" + s.section + "]", m_common, io.err);
            StepLog step_log(step_stderr, lines);
            pipeline::StepResult r;
            {
                pipeline::StepFilter filter(in, s.filter, s.categories, commands[i]->dropped_categories());
                r = commands[i]->compute(in, step_log);
                r.incidents = in.incidents.items.size();
            }
            r.id = s.id;
            r.command = s.command;
            r.title = s.title;
            r.options = s.options;
            r.filters = pipeline::describe_filter(s.filter, s.categories, commands[i]->dropped_categories());
            r.log = std::move(lines);
            for (pipeline::StepLayer& l : r.layers) {
                l.name = layer_name(s.id, l.role);
                if (l.layer) l.qml = report::translate_qml_labels(l.layer->qml, cat);
            }
            steps.push_back(std::move(r));
        }
        // --each: the steps that describe one period, computed again on each period
        std::vector<report::PeriodSteps> periods;
        if (!m_each.empty()) periods = each_period(cfg, commands, in, log, io, cat);
        progress.step(cfg.steps.size(), "writing");
        report_progress(io.err, step_percent(cfg.steps.size()), "writing");
        RunRecord rec;
        rec.config = m_config;
        rec.lang = m_lang;
        rec.each = m_each;
        rec.config_dir = cfg.dir;
        rec.title = cfg.title;
        rec.subtitle = cfg.subtitle;
        for (const RunStep& s : cfg.steps)
            for (const std::string& f : s.input_files)
                if (std::find(rec.extra_inputs.begin(), rec.extra_inputs.end(), f) == rec.extra_inputs.end()) rec.extra_inputs.push_back(f);
        plan.write(in, steps, periods, rec, log);
        progress.finish();
        io.out << "hotmap run: " << steps.size() << " steps, " << in.incidents.items.size() << " incidents -> " << m_dir
               << "/ (results.gpkg, project.qgs, report.html, run.json)\n";
    }

private:
    /// The steps whose meaning holds for one period (districts, grid, hotspots, density,
    /// coverage), on each calendar period of the incidents' time range; the step's own time
    /// window narrows it further.
    std::vector<report::PeriodSteps> each_period(const RunConfig& cfg, std::vector<std::unique_ptr<Command>>& commands,
                                                 pipeline::Inputs& in, Log& log, Io& io, const report::Catalog& cat)
    {
        const districts::Period per = districts::parse_period(m_each);
        const auto range = in.incidents.time_range();
        if (!range) throw InputError(in.incidents.source + ": --each " + m_each + " needs incident times (no incident has one)");
        const std::int64_t first = districts::period_index(range->first, per), last = districts::period_index(range->second, per);
        if (last - first + 1 > 400)
            throw InputError(in.incidents.source + ": --each " + m_each + " would make " + std::to_string(last - first + 1) +
                             " sub-reports (the incidents span " + timeparse::format(range->first).substr(0, 10) + " to " +
                             timeparse::format(range->second).substr(0, 10) + "); use a longer period or narrow [inputs] with from/to");
        static const std::set<std::string> per_period = {"districts", "grid", "hotspots", "density", "coverage"};
        std::vector<report::PeriodSteps> out;
        for (std::int64_t k = first; k <= last; ++k) {
            report::PeriodSteps ps;
            ps.label = districts::period_label(k, per);
            IncidentFilter f;
            f.from = districts::period_start(k, per);
            f.to = districts::period_start(k + 1, per);
            pipeline::StepFilter period_filter(in, f, {});
            for (std::size_t i = 0; i < cfg.steps.size(); ++i) {
                const RunStep& s = cfg.steps[i];
                if (!per_period.count(s.command)) continue;
                std::vector<std::string> lines;
                StderrLog step_stderr("run [" + s.section + "] " + ps.label, m_common, io.err);
                StepLog step_log(step_stderr, lines);
                pipeline::StepResult r;
                {
                    pipeline::StepFilter filter(in, s.filter, s.categories, commands[i]->dropped_categories());
                    if (in.incidents.items.empty()) {
                        log.info(ps.label + " [" + s.section + "]: no incident, step left out");
                        continue;
                    }
                    try {
                        r = commands[i]->compute(in, step_log);
                    } catch (const InputError& e) {
                        // a period too small for the statistic (one incident, a constant grid): said, not fatal
                        log.warning(ps.label + " [" + s.section + "]: left out: " + e.what());
                        continue;
                    }
                    r.incidents = in.incidents.items.size();
                }
                r.id = s.id + "_" + pipeline::step_id(ps.label);
                r.command = s.command;
                r.title = s.title + " — " + ps.label;
                r.options = s.options;
                r.filters = pipeline::describe_filter(s.filter, s.categories, commands[i]->dropped_categories());
                r.log = std::move(lines);
                for (pipeline::StepLayer& l : r.layers) {
                    l.name = layer_name(r.id, l.role);
                    if (l.layer) l.qml = report::translate_qml_labels(l.layer->qml, cat);
                }
                ps.steps.push_back(std::move(r));
            }
            out.push_back(std::move(ps));
        }
        return out;
    }

    static std::vector<std::string> split_list(const std::string& s)
    {
        std::vector<std::string> out;
        std::string part;
        for (char c : s + ",") {
            if (c == ',') {
                if (!part.empty()) out.push_back(part);
                part.clear();
            } else if (c != ' ') {
                part.push_back(c);
            }
        }
        return out;
    }
    std::string m_config, m_dir, m_each, m_lang = "en", m_copies;
};

} // namespace

std::unique_ptr<Command> make_run_command() { return std::make_unique<RunCommand>(); }

} // namespace hotmap::cli
