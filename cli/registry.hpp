// SPDX-License-Identifier: MIT
// The explicit list of subcommands: name, one-line summary, factory.
#pragma once

#include "command.hpp"

#include <memory>
#include <string_view>
#include <vector>

namespace hotmap::cli {

struct CommandInfo {
    std::string_view name;
    std::string_view summary;
    std::unique_ptr<Command> (*make)();
};

/// Every command, in the order `hotmap --help` lists them.
const std::vector<CommandInfo>& commands();
/// nullptr when unknown.
const CommandInfo* find_command(std::string_view name);

std::unique_ptr<Command> make_info_command();
std::unique_ptr<Command> make_synth_command();
std::unique_ptr<Command> make_districts_command();
std::unique_ptr<Command> make_grid_command();
std::unique_ptr<Command> make_hotspots_command();
std::unique_ptr<Command> make_density_command();
std::unique_ptr<Command> make_coverage_command();
std::unique_ptr<Command> make_site_command();
std::unique_ptr<Command> make_run_command();
std::unique_ptr<Command> make_change_command();
std::unique_ptr<Command> make_evaluate_command();
std::unique_ptr<Command> make_emerging_command();

} // namespace hotmap::cli
