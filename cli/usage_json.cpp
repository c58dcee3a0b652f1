// SPDX-License-Identifier: MIT
// The option declarations (OptionSpec) as JSON: the same data --help prints, so it cannot drift.
#include "usage_json.hpp"

#include "command.hpp"
#include "registry.hpp"

#include <cmath>

namespace hotmap::cli {
namespace {

using json = nlohmann::ordered_json;

/// Bumped when a field changes meaning; tools check it.
constexpr int k_usage_json_version = 1;

json bound(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json option_json(const OptionSpec& s, const po::positional_options_description& pos)
{
    json o;
    o["name"] = s.name;
    o["short"] = s.short_name ? json(std::string(1, s.short_name)) : json(nullptr);
    o["kind"] = kind_name(s.kind);
    o["group"] = s.group;
    o["help"] = s.help;
    o["default"] = s.default_text.empty() ? json(nullptr) : json(s.default_text);
    o["required"] = s.required;
    const bool numeric = s.kind == OptionKind::integer || s.kind == OptionKind::number;
    o["min"] = numeric ? bound(s.min) : json(nullptr);
    o["max"] = numeric ? bound(s.max) : json(nullptr);
    o["min_open"] = numeric && s.min_open;
    o["choices"] = s.choices;
    o["path"] = s.path == PathKind::none ? json(nullptr) : json(path_kind_name(s.path));
    o["layer_option"] = s.layer_option.empty() ? json(nullptr) : json(s.layer_option);
    o["repeatable"] = s.kind == OptionKind::list;
    o["position"] = nullptr;
    for (unsigned i = 0; i < pos.max_total_count() && i < 16; ++i)
        if (pos.name_for_position(i) == s.name) {
            o["position"] = i;
            break;
        }
    return o;
}

} // namespace

json usage_json(Command& cmd)
{
    json j;
    j["name"] = std::string(cmd.name());
    const CommandInfo* info = find_command(cmd.name());
    j["description"] = info ? std::string(info->summary) : std::string(cmd.summary());
    j["help"] = std::string(cmd.summary());
    j["synopsis"] = cmd.synopsis();
    j["options"] = json::array();
    const po::positional_options_description& pos = cmd.positional();
    for (const OptionGroup& g : cmd.option_groups())
        for (const OptionSpec& s : g.specs()) j["options"].push_back(option_json(s, pos));
    j["positional"] = json::array();
    for (unsigned i = 0; i < pos.max_total_count() && i < 16; ++i) j["positional"].push_back(pos.name_for_position(i));
    return j;
}

json usage_json_all()
{
    json j;
    j["name"] = "hotmap";
    j["version"] = HOTMAP_VERSION;
    j["usage_json_version"] = k_usage_json_version;
    j["commands"] = json::array();
    for (const CommandInfo& c : commands()) {
        j["commands"].push_back(usage_json(*c.make()));
    }
    return j;
}

} // namespace hotmap::cli
