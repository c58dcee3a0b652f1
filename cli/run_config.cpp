// SPDX-License-Identifier: MIT
#include "run_config.hpp"

#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/error.hpp"
#include "hotmap/pipeline/batch.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace hotmap::cli {
namespace {

namespace fs = std::filesystem;

struct Entry {
    std::string section, key, value;
};

std::string lower(std::string s)
{
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::vector<Entry> read_entries(const std::string& path)
{
    std::error_code ec;
    if (fs::is_directory(path, ec)) throw InputError(path + ": is a folder, not a config file");
    std::ifstream f(path);
    if (!f) throw InputError(path + ": cannot open: no such file");
    po::options_description none;
    po::parsed_options parsed(&none);
    try {
        parsed = po::parse_config_file(f, none, true);
    } catch (const po::error& e) {
        throw UsageError(path + ": " + e.what());
    }
    std::vector<Entry> out;
    for (const po::option& o : parsed.options) {
        Entry e;
        const std::string& k = o.string_key;
        const auto dot = k.rfind('.');
        if (dot != std::string::npos) {
            e.section = k.substr(0, dot);
            e.key = k.substr(dot + 1);
        } else {
            e.key = k;
        }
        e.value = o.value.empty() ? std::string() : o.value.front();
        out.push_back(std::move(e));
    }
    return out;
}

bool truthy(const std::string& where, const std::string& v)
{
    const std::string l = lower(v);
    if (l == "yes" || l == "true" || l == "on" || l == "1" || l.empty()) return true;
    if (l == "no" || l == "false" || l == "off" || l == "0") return false;
    throw UsageError(where + ": '" + v + "': expected yes or no");
}

/// Option specs of a command by long name.
std::map<std::string, OptionSpec> specs_of(Command& c)
{
    std::map<std::string, OptionSpec> m;
    for (const OptionGroup& g : c.option_groups())
        for (const OptionSpec& s : g.specs()) m[s.name] = s;
    return m;
}

std::string resolve(const std::string& dir, const std::string& value)
{
    if (value.empty() || value.rfind("/vsi", 0) == 0 || value.find("PG:") == 0) return value;
    const fs::path p(value);
    if (p.is_absolute()) return value;
    return (fs::path(dir) / p).lexically_normal().string();
}

bool is_path_key(const std::string& key, const OptionSpec& spec, const std::string& value)
{
    if (spec.kind == OptionKind::input_path) return true;
    if (key == "facilities" || key == "candidates") return true;
    const bool crs_key = key.size() > 4 && key.compare(key.size() - 4, 4, "-crs") == 0;
    return (crs_key || key == "crs") && lower(fs::path(value).extension().string()) == ".prj";
}

/// A facility spec "lamps.csv:40" names the file "lamps.csv" unless the whole string is one.
std::string facility_file(const std::string& spec)
{
    std::error_code ec;
    if (fs::exists(spec, ec)) return spec;
    const auto colon = spec.rfind(':');
    if (colon != std::string::npos) return spec.substr(0, colon);
    return spec;
}

/// `streets`: the step has --streets (density then writes a line layer of lixels, not a raster).
std::string placeholder_extension(const std::string& command, const std::string& role, bool streets = false)
{
    if ((command == "density" && role == "output" && !streets) || (command == "coverage" && role == "distance-raster")) return ".tif";
    if (command == "evaluate") return ".csv";
    return ".gpkg";
}

const std::set<std::string> k_not_steps = {"run", "synth", "info"};

std::string step_names()
{
    std::string s;
    for (const CommandInfo& c : commands())
        if (!k_not_steps.count(std::string(c.name))) s += (s.empty() ? "" : ", ") + std::string(c.name);
    return s;
}

} // namespace

bool is_step_filter(const std::string& key)
{
    return key == "from" || key == "to" || key == "hours" || key == "days" || key == "categories";
}

RunConfig read_run_config(const std::string& path)
{
    RunConfig cfg;
    cfg.path = path;
    cfg.dir = fs::path(path).parent_path().string();
    if (cfg.dir.empty()) cfg.dir = ".";
    const std::vector<Entry> entries = read_entries(path);

    // the input declarations: what [inputs] may hold
    std::map<std::string, OptionSpec> input_specs;
    {
        InputOptions i;
        DistrictOptions d;
        CrsOptions c;
        for (const OptionGroup& g : {i.describe(), d.describe(true), c.describe()})
            for (const OptionSpec& s : g.specs()) input_specs[s.name] = s;
    }
    std::vector<std::string> order;
    std::map<std::string, std::vector<const Entry*>> by_section;
    for (const Entry& e : entries) {
        if (!by_section.count(e.section)) order.push_back(e.section);
        by_section[e.section].push_back(&e);
    }
    std::map<std::string, std::string> input_values; // key -> value (filters overridable per step)
    std::vector<std::pair<std::string, std::string>> input_pairs;
    std::set<std::string> ids;
    for (const std::string& section : order) {
        const std::string where = path + ": [" + section + "]";
        if (section.empty() || section == "report") {
            for (const Entry* e : by_section[section]) {
                if (e->key == "title") cfg.title = e->value;
                else if (e->key == "subtitle") cfg.subtitle = e->value;
                else if (section.empty() && e->key == "public") cfg.public_profile = truthy(path + ": public", e->value);
                else if (section.empty() && e->key == "sensitive") cfg.sensitive = e->value;
                else
                    throw UsageError(path + ": " + (section.empty() ? "" : "[report] ") + e->key +
                                     ": unknown setting (the top of the file takes title, subtitle, public and sensitive; [report] title and subtitle)");
            }
            continue;
        }
        if (section == "inputs") {
            for (const Entry* e : by_section[section]) {
                if (e->key == "rejects") {
                    cfg.rejects = truthy(where + " rejects", e->value);
                    continue;
                }
                const auto it = input_specs.find(e->key);
                if (it == input_specs.end())
                    throw UsageError(where + " " + e->key + ": no input option --" + e->key + " (see hotmap districts --help, Input)");
                if (input_values.count(e->key)) throw UsageError(where + " " + e->key + ": given twice");
                const std::string v = is_path_key(e->key, it->second, e->value) ? resolve(cfg.dir, e->value) : e->value;
                input_values[e->key] = v;
                input_pairs.emplace_back(e->key, v);
            }
            continue;
        }
        RunStep step;
        step.section = section;
        step.command = lower(section.substr(0, section.find(' ')));
        step.id = pipeline::step_id(section);
        const CommandInfo* info = find_command(step.command);
        if (!info || k_not_steps.count(step.command))
            throw UsageError(where + ": unknown step '" + step.command + "': expected " + step_names() + ", [inputs] or [report]");
        if (!ids.insert(step.id).second) throw UsageError(where + ": a second section named '" + step.id + "'");
        const std::unique_ptr<Command> cmd = info->make();
        const std::map<std::string, OptionSpec> specs = specs_of(*cmd);
        std::vector<std::string> own_args;
        std::set<std::string> own_keys;
        InputOptions filter_opts;
        bool has_output = false;
        const bool streets = std::any_of(by_section[section].begin(), by_section[section].end(), [](const Entry* e) { return e->key == "streets"; });
        for (const Entry* e : by_section[section]) {
            const std::string at = where + " " + e->key;
            if (e->key == "title") {
                step.title = e->value;
                continue;
            }
            if (input_specs.count(e->key) && !is_step_filter(e->key))
                throw UsageError(at + ": inputs are read once: set it in [inputs] (a step may set only from, to, hours, days, categories)");
            const auto it = specs.find(e->key);
            if (it == specs.end() || e->key == "help" || e->key == "overwrite" || e->key == "threads" ||
                e->key == "progress" || e->key == "usage-json")
                throw UsageError(at + ": hotmap " + step.command + " has no option --" + e->key);
            const OptionSpec& s = it->second;
            if (s.kind != OptionKind::list && !own_keys.insert(e->key).second) throw UsageError(at + ": given twice");
            std::string v = e->value;
            if (s.kind == OptionKind::flag) {
                if (truthy(at, v)) own_args.push_back("--" + e->key);
                step.options.emplace_back(e->key, truthy(at, v) ? "yes" : "no");
                continue;
            }
            if (s.kind == OptionKind::output_path) {
                if (!truthy(at, v) && lower(v) != "no" && lower(v) != "false")
                    throw UsageError(at + ": '" + v + "': outputs of a run go into its folder; write " + e->key + " = yes");
                if (!truthy(at, v)) continue;
                if (e->key == "output") has_output = true;
                own_args.push_back("--" + e->key);
                own_args.push_back(cfg.dir + "/.hotmap-run-" + step.id + "-" + e->key + placeholder_extension(step.command, e->key, streets));
                step.options.emplace_back(e->key, "yes");
                continue;
            }
            if (is_path_key(e->key, s, v)) v = resolve(cfg.dir, v);
            if (e->key == "facilities" || e->key == "candidates") step.input_files.push_back(facility_file(v));
            if (e->key == "streets") step.input_files.push_back(v);
            if (e->key == "from") filter_opts.from = v;
            if (e->key == "to") filter_opts.to = v;
            if (e->key == "hours") filter_opts.hours = v;
            if (e->key == "days") filter_opts.days = v;
            if (e->key == "categories") {
                std::stringstream ss(v);
                std::string c;
                while (std::getline(ss, c, ',')) step.categories.push_back(c);
            }
            own_args.push_back("--" + e->key);
            own_args.push_back(v);
            step.options.emplace_back(e->key, v);
        }
        try {
            step.filter = filter_opts.filter();
        } catch (const std::exception& ex) {
            throw UsageError(where + ": " + ex.what());
        }
        if (!has_output && specs.count("output")) {
            own_args.push_back("--output");
            own_args.push_back(cfg.dir + "/.hotmap-run-" + step.id + "-output" + placeholder_extension(step.command, "output", streets));
        }
        for (const auto& [k, v] : input_pairs) {
            if (own_keys.count(k) || !specs.count(k)) continue; // the step's own filter wins; options the command lacks
            const OptionSpec& s = specs.at(k);
            step.args.push_back("--" + k);
            if (s.kind != OptionKind::flag) step.args.push_back(v);
        }
        step.args.insert(step.args.end(), own_args.begin(), own_args.end());
        // the run's publication profile, on every step (a step's own settings are refused: one profile per run)
        for (const char* k : {"public", "sensitive"})
            if (own_keys.count(k)) throw UsageError(where + " " + k + ": set it at the top of the file, for the whole run");
        if (cfg.public_profile) {
            if (!specs.count("public"))
                throw UsageError(where + ": hotmap " + step.command + " has no --public (it publishes what the profile cannot protect): "
                                 "leave this step out of a public run");
            step.args.push_back("--public");
            step.options.emplace_back("public", "yes");
        }
        if (!cfg.sensitive.empty() && specs.count("sensitive")) {
            step.args.push_back("--sensitive");
            step.args.push_back(cfg.sensitive);
            step.options.emplace_back("sensitive", cfg.sensitive);
        }
        if (step.title.empty()) step.title = section;
        cfg.steps.push_back(std::move(step));
    }
    for (const auto& [k, v] : input_pairs) {
        cfg.input_args.push_back("--" + k);
        if (input_specs.at(k).kind != OptionKind::flag) cfg.input_args.push_back(v);
    }
    if (!input_values.count("incidents")) throw UsageError(path + ": [inputs] needs incidents = PATH");
    if (cfg.steps.empty()) throw UsageError(path + ": no step: add a section such as [districts] or [hotspots]");
    return cfg;
}

std::unique_ptr<Command> make_step_command(const RunStep& step, const RunConfig& cfg, unsigned threads)
{
    std::unique_ptr<Command> cmd = find_command(step.command)->make();
    std::vector<std::string> args = step.args;
    if (threads) {
        args.push_back("--threads");
        args.push_back(std::to_string(threads));
    }
    try {
        cmd->parse_only(args);
    } catch (const UsageError& e) {
        throw UsageError(cfg.path + ": [" + step.section + "]: " + e.what());
    } catch (const po::error& e) {
        throw UsageError(cfg.path + ": [" + step.section + "]: " + e.what());
    } catch (const ParameterError& e) {
        throw UsageError(cfg.path + ": [" + step.section + "]: " + e.what());
    }
    return cmd;
}

} // namespace hotmap::cli
