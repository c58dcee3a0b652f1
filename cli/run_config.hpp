// SPDX-License-Identifier: MIT
// The config file of `hotmap run` (Boost.Program_options INI syntax): [inputs] once, then one
// section per step, "[COMMAND]" or "[COMMAND LABEL]", with the command's own option names.
#pragma once

#include "command.hpp"

#include "hotmap/incidents.hpp"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace hotmap::cli {

struct RunStep {
    std::string section;   ///< "coverage night"
    std::string id;        ///< "coverage_night": the step's layer names in results.gpkg
    std::string command;   ///< "coverage"
    std::string title;     ///< `title = ...`, else generated from the section
    std::vector<std::pair<std::string, std::string>> options; ///< as written (key, value), paths resolved
    std::vector<std::string> args;        ///< the command line the step is parsed from
    IncidentFilter filter;                ///< the step's own from/to/hours/days
    std::vector<std::string> categories;  ///< the step's own categories
    std::vector<std::string> input_files; ///< facility and candidate layers it reads
};

struct RunConfig {
    std::string path, dir;           ///< the file and its folder (relative paths are resolved against it)
    std::string title, subtitle;     ///< top-level `title`, `subtitle` (or in [report])
    std::vector<std::string> input_args; ///< [inputs] as command-line arguments, paths resolved
    bool rejects = false;            ///< [inputs] rejects = yes: DIR/rejects.csv
    bool public_profile = false;     ///< top-level `public = yes`: every step with --public (a step without it is refused)
    std::string sensitive;           ///< top-level `sensitive = CAT,CAT`: every step's --sensitive
    std::vector<RunStep> steps;      ///< in file order
};

/// Read and check the config: sections, keys and values against the commands' declarations.
/// Throws UsageError naming the file, section and key (exit 2), InputError when unreadable.
RunConfig read_run_config(const std::string& path);

/// The step's command, parsed and validated from its arguments (the [inputs] arguments and
/// its own; outputs it asks for with `KEY = yes`). Throws UsageError naming the section.
std::unique_ptr<Command> make_step_command(const RunStep& step, const RunConfig& cfg, unsigned threads);

/// The input option names that a step may set for itself (applied in memory): from, to,
/// hours, days, categories.
bool is_step_filter(const std::string& key);

} // namespace hotmap::cli
