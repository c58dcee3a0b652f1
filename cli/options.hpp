// SPDX-License-Identifier: MIT
// Option declarations: each option is declared once, next to the member it fills, with its
// type, range or choices, default and help (GDAL's AddArg style over Boost.Program_options).
// Values are parsed and checked where they are declared: "-1" is no unsigned, 1e308 no
// radius. The declarations are kept as data (OptionSpec) for --help and for tools.
#pragma once

#include <boost/program_options.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace hotmap::cli {

namespace po = boost::program_options;

/// What an option's value is.
enum class OptionKind { flag, integer, number, text, choice, list, input_path, output_path };

/// What a path option (or a list of paths) names, for tools that build forms from the
/// declarations (--usage-json, the QGIS provider): a vector source (CSV included), a raster,
/// a folder, a table (CSV), a config file.
enum class PathKind { none, vector, raster, folder, table, config };

/// The --usage-json spellings ("input_path", "vector", ...).
const char* kind_name(OptionKind k) noexcept;
const char* path_kind_name(PathKind k) noexcept;

/// One declared option, as data.
struct OptionSpec {
    std::string name;       ///< long name without dashes
    char short_name = 0;
    OptionKind kind = OptionKind::text;
    std::string help;
    std::string default_text; ///< shown in --help; empty = no default
    bool required = false;
    double min = -std::numeric_limits<double>::infinity(), max = std::numeric_limits<double>::infinity();
    bool min_open = false;  ///< (min, max] instead of [min, max]
    std::vector<std::string> choices;
    PathKind path = PathKind::none; ///< input_path, output_path, and lists of paths
    std::string layer_option;       ///< the option naming the layer inside this source (a GeoPackage's), if any
    std::string group;              ///< the title of the group it is declared in
};

/// A group of options printed under one title.
class OptionGroup {
public:
    explicit OptionGroup(std::string title);

    OptionGroup& flag(const std::string& name, bool* dst, const std::string& help);
    /// An integer in [lo, hi].
    template <class T>
    OptionGroup& integer(const std::string& name, T* dst, long long lo, long long hi, const std::string& help);
    /// A finite number in [lo, hi] (or (lo, hi] with open_low). `set` (optional) is raised when given.
    OptionGroup& number(const std::string& name, double* dst, double lo, double hi, bool open_low, const std::string& help);
    /// A positive number of metres (0, hi].
    OptionGroup& metres(const std::string& name, double* dst, double hi, const std::string& help);
    OptionGroup& text(const std::string& name, std::string* dst, const std::string& help);
    /// One of `choices`; `aliases` are accepted too but not listed ("hexagon" for "hex").
    OptionGroup& choice(const std::string& name, std::string* dst, std::vector<std::string> choices, const std::string& help,
                        std::vector<std::string> aliases = {});
    /// Repeatable; values in order.
    OptionGroup& list(const std::string& name, std::vector<std::string>* dst, const std::string& help);
    /// A path read (`kind`: what it names).
    OptionGroup& input(const std::string& name, std::string* dst, PathKind kind, const std::string& help);
    /// A path written (`kind`: what it names).
    OptionGroup& output(const std::string& name, std::string* dst, PathKind kind, const std::string& help);

    /// Modifiers of the option declared last.
    OptionGroup& required();
    /// The default shown in --help (the member's initial value is the default).
    OptionGroup& shows(const std::string& default_text);
    /// Called after the value is stored (e.g. to note that it was given).
    OptionGroup& then(std::function<void()> fn);
    /// What the path (input, output, or list of paths) names.
    OptionGroup& path_kind(PathKind k);
    /// The option that picks the layer inside this (multi-layer) source, e.g. "district-layer".
    OptionGroup& layer_option(const std::string& option);

    const std::string& title() const noexcept { return m_title; }
    const std::vector<OptionSpec>& specs() const noexcept { return m_specs; }
    /// The Boost description (built once, after the declarations).
    const po::options_description& description() const;

private:
    struct Entry {
        OptionSpec spec;
        std::function<void(const std::string&)> store; ///< scalar values
        std::vector<std::string>* list = nullptr;
        bool* flag = nullptr;
        std::function<void()> after;
    };
    OptionGroup& add(OptionSpec spec, std::function<void(const std::string&)> store);
    std::string m_title;
    std::vector<OptionSpec> m_specs;
    std::vector<std::shared_ptr<Entry>> m_entries;
    mutable std::optional<po::options_description> m_desc;
};

/// Parse a whole-string integer; throws UsageError naming --name and the range.
long long parse_integer(const std::string& name, const std::string& text, long long lo, long long hi);
/// Parse a whole-string finite number; throws UsageError naming --name and the range.
double parse_number(const std::string& name, const std::string& text, double lo, double hi, bool open_low);
/// A whole-string finite number, or nullopt.
std::optional<double> to_number(const std::string& text);

template <class T>
OptionGroup& OptionGroup::integer(const std::string& name, T* dst, long long lo, long long hi, const std::string& help)
{
    OptionSpec s;
    s.name = name;
    s.kind = OptionKind::integer;
    s.help = help;
    s.min = static_cast<double>(lo);
    s.max = static_cast<double>(hi);
    s.default_text = std::to_string(*dst);
    const std::string bare = name.substr(0, name.find(','));
    return add(std::move(s), [dst, lo, hi, bare](const std::string& v) { *dst = static_cast<T>(parse_integer(bare, v, lo, hi)); });
}

} // namespace hotmap::cli
