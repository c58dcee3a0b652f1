// SPDX-License-Identifier: MIT
// `hotmap [COMMAND] --usage-json`: the option declarations as JSON, for tools that build
// forms from them (the QGIS Processing provider in qgis/hotmap_provider). GDAL's
// `gdal ... --json-usage` is the model.
#pragma once

#include <nlohmann/json.hpp>

namespace hotmap::cli {

class Command;

/// One command: {"name", "description" (the one-line summary of `hotmap --help`), "help" (the
/// paragraph of `hotmap COMMAND --help`), "synopsis", "options": [...], "positional": [...]}.
/// Each option: name, short (or null), kind (flag, integer, number, text, choice, list,
/// input_path, output_path), group, help, default (the text --help shows, or null), required,
/// min/max (null when unbounded), min_open, choices, path (vector, raster, folder, table,
/// config, or null), layer_option (the option that picks a layer inside this source, or null),
/// repeatable, position (index among the positional arguments, or null).
nlohmann::ordered_json usage_json(Command& cmd);

/// Every registered command: {"name": "hotmap", "version", "usage_json_version",
/// "commands": [usage_json(command)...]}.
nlohmann::ordered_json usage_json_all();

} // namespace hotmap::cli
