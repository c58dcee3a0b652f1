// SPDX-License-Identifier: MIT
// Command registry (explicit list, no static self-registration).
#include "registry.hpp"

namespace hotmap::cli {

const std::vector<CommandInfo>& commands()
{
    static const std::vector<CommandInfo> list = {
        {"info", "what is in the incident file: rows read/accepted/rejected by reason, CRS, extent, time range, categories", make_info_command},
        {"districts", "incidents per district: counts, rates, categories, periods, trend", make_districts_command},
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
