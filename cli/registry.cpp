// SPDX-License-Identifier: MIT
// Command registry (explicit list, no static self-registration).
#include "registry.hpp"

namespace hotmap::cli {

const std::vector<CommandInfo>& commands()
{
    static const std::vector<CommandInfo> list = {
        {"info", "what is in the incident file: rows read/accepted/rejected by reason, CRS, extent, time range, categories", make_info_command},
        {"districts", "incidents per district: counts, rates, categories, periods, trend", make_districts_command},
        {"grid", "incidents aggregated to a square or hexagonal grid", make_grid_command},
        {"hotspots", "Getis-Ord Gi*, Local Moran's I or DBSCAN hot spots on grid cells or districts", make_hotspots_command},
        {"density", "kernel density raster (GeoTIFF) and isoband polygons", make_density_command},
        {"emerging", "space-time emerging hot and cold spots (17 patterns)", make_emerging_command},
        {"change", "what changed between two periods, per cell or district, with significance", make_change_command},
        {"evaluate", "how well one period's hotspot map predicts the next (hit rate, PAI, PEI, RRI)", make_evaluate_command},
        {"coverage", "what posts, patrol routes and lamps cover, and the gaps", make_coverage_command},
        {"site", "where K new lamps or posts would cover the most incidents, with a bound on the optimum", make_site_command},
        {"run", "a whole batch from one config file: every layer in one GeoPackage, a QGIS project, an HTML report", make_run_command},
        {"synth", "realistic synthetic data sets (demo, tests, benchmarks)", make_synth_command},
    };
    return list;
}

const CommandInfo* find_command(std::string_view name)
{
    for (const CommandInfo& c : commands())
        if (c.name == name) return &c;
    return nullptr;
}

} // namespace hotmap::cli
