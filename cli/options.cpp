// SPDX-License-Identifier: MIT
// Option declarations over Boost.Program_options, with range and choice checks.
#include "options.hpp"

#include "command.hpp"

#include "hotmap/text.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace hotmap::cli {
namespace {

std::string range_text(double lo, double hi, bool open_low)
{
    const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
    if (lo == 0 && open_low) return has_hi ? "positive and at most " + text::shortest(hi) : "positive";
    if (has_lo && has_hi) return std::string(open_low ? "(" : "[") + text::shortest(lo) + ", " + text::shortest(hi) + "]";
    if (has_lo) return (open_low ? "> " : ">= ") + text::shortest(lo);
    if (has_hi) return "<= " + text::shortest(hi);
    return "any number";
}

std::string trim(const std::string& s)
{
    const auto a = s.find_first_not_of(" \t");
    if (a == std::string::npos) return {};
    return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

} // namespace

const char* kind_name(OptionKind k) noexcept
{
    switch (k) {
    case OptionKind::flag: return "flag";
    case OptionKind::integer: return "integer";
    case OptionKind::number: return "number";
    case OptionKind::text: return "text";
    case OptionKind::choice: return "choice";
    case OptionKind::list: return "list";
    case OptionKind::input_path: return "input_path";
    case OptionKind::output_path: return "output_path";
    }
    return "text";
}

const char* path_kind_name(PathKind k) noexcept
{
    switch (k) {
    case PathKind::none: return "";
    case PathKind::vector: return "vector";
    case PathKind::raster: return "raster";
    case PathKind::folder: return "folder";
    case PathKind::table: return "table";
    case PathKind::config: return "config";
    }
    return "";
}

long long parse_integer(const std::string& name, const std::string& text, long long lo, long long hi)
{
    const std::string t = trim(text);
    long long v = 0;
    const char* b = t.data();
    const char* e = t.data() + t.size();
    if (b != e && *b == '+') ++b;
    const auto r = std::from_chars(b, e, v);
    if (t.empty() || r.ec != std::errc() || r.ptr != e)
        throw UsageError("--" + name + " '" + text + "': expected a whole number in " + std::to_string(lo) + ".." + std::to_string(hi));
    if (v < lo || v > hi)
        throw UsageError("--" + name + " " + text + ": out of range (" + std::to_string(lo) + ".." + std::to_string(hi) + ")");
    return v;
}

std::optional<double> to_number(const std::string& text)
{
    const std::string t = trim(text);
    double v = 0;
    const char* b = t.data();
    const char* e = t.data() + t.size();
    if (b != e && *b == '+') ++b;
    const auto r = std::from_chars(b, e, v);
    if (t.empty() || r.ec != std::errc() || r.ptr != e || !std::isfinite(v)) return std::nullopt;
    return v;
}

double parse_number(const std::string& name, const std::string& text, double lo, double hi, bool open_low)
{
    const std::optional<double> v = to_number(text);
    if (!v) throw UsageError("--" + name + " '" + text + "': expected a number, " + range_text(lo, hi, open_low));
    if ((open_low ? !(*v > lo) : !(*v >= lo)) || !(*v <= hi))
        throw UsageError("--" + name + " must be " + range_text(lo, hi, open_low) + ", got " + text);
    return *v;
}

OptionGroup::OptionGroup(std::string title) : m_title(std::move(title)) {}

OptionGroup& OptionGroup::add(OptionSpec spec, std::function<void(const std::string&)> store)
{
    if (const auto comma = spec.name.find(','); comma != std::string::npos) {
        spec.short_name = spec.name[comma + 1];
        spec.name = spec.name.substr(0, comma);
    }
    spec.group = m_title;
    auto e = std::make_shared<Entry>();
    e->spec = spec;
    e->store = std::move(store);
    m_entries.push_back(e);
    m_specs.push_back(spec);
    m_desc.reset();
    return *this;
}

OptionGroup& OptionGroup::flag(const std::string& name, bool* dst, const std::string& help)
{
    OptionSpec s;
    s.name = name;
    s.kind = OptionKind::flag;
    s.help = help;
    add(std::move(s), nullptr);
    m_entries.back()->flag = dst;
    return *this;
}

OptionGroup& OptionGroup::number(const std::string& name, double* dst, double lo, double hi, bool open_low, const std::string& help)
{
    OptionSpec s;
    s.name = name;
    s.kind = OptionKind::number;
    s.help = help;
    s.min = lo;
    s.max = hi;
    s.min_open = open_low;
    if (std::isfinite(*dst)) s.default_text = text::shortest(*dst);
    const std::string bare = name.substr(0, name.find(','));
    return add(std::move(s), [=](const std::string& v) { *dst = parse_number(bare, v, lo, hi, open_low); });
}

OptionGroup& OptionGroup::metres(const std::string& name, double* dst, double hi, const std::string& help)
{
    return number(name, dst, 0.0, hi, true, help);
}

OptionGroup& OptionGroup::text(const std::string& name, std::string* dst, const std::string& help)
{
    OptionSpec s;
    s.name = name;
    s.kind = OptionKind::text;
    s.help = help;
    s.default_text = *dst;
    return add(std::move(s), [dst](const std::string& v) { *dst = v; });
}

OptionGroup& OptionGroup::choice(const std::string& name, std::string* dst, std::vector<std::string> choices, const std::string& help,
                                 std::vector<std::string> aliases)
{
    OptionSpec s;
    s.name = name;
    s.kind = OptionKind::choice;
    s.help = help;
    s.default_text = *dst;
    s.choices = choices;
    const std::string bare = name.substr(0, name.find(','));
    return add(std::move(s), [dst, choices, aliases, bare](const std::string& v) {
        for (const auto* list : {&choices, &aliases})
            for (const std::string& c : *list)
                if (v == c) {
                    *dst = v;
                    return;
                }
        std::string list;
        for (std::size_t i = 0; i < choices.size(); ++i)
            list += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
        throw UsageError("--" + bare + " '" + v + "': expected " + list);
    });
}

OptionGroup& OptionGroup::list(const std::string& name, std::vector<std::string>* dst, const std::string& help)
{
    OptionSpec s;
    s.name = name;
    s.kind = OptionKind::list;
    s.help = help;
    add(std::move(s), nullptr);
    m_entries.back()->list = dst;
    return *this;
}

OptionGroup& OptionGroup::input(const std::string& name, std::string* dst, PathKind kind, const std::string& help)
{
    text(name, dst, help);
    m_entries.back()->spec.kind = m_specs.back().kind = OptionKind::input_path;
    return path_kind(kind);
}

OptionGroup& OptionGroup::output(const std::string& name, std::string* dst, PathKind kind, const std::string& help)
{
    text(name, dst, help);
    m_entries.back()->spec.kind = m_specs.back().kind = OptionKind::output_path;
    return path_kind(kind);
}

OptionGroup& OptionGroup::path_kind(PathKind k)
{
    m_entries.back()->spec.path = m_specs.back().path = k;
    return *this;
}

OptionGroup& OptionGroup::layer_option(const std::string& option)
{
    m_entries.back()->spec.layer_option = m_specs.back().layer_option = option;
    return *this;
}

OptionGroup& OptionGroup::required()
{
    m_entries.back()->spec.required = m_specs.back().required = true;
    m_desc.reset();
    return *this;
}

OptionGroup& OptionGroup::shows(const std::string& default_text)
{
    m_entries.back()->spec.default_text = m_specs.back().default_text = default_text;
    m_desc.reset();
    return *this;
}

OptionGroup& OptionGroup::then(std::function<void()> fn)
{
    m_entries.back()->after = std::move(fn);
    return *this;
}

const po::options_description& OptionGroup::description() const
{
    if (m_desc) return *m_desc;
    m_desc.emplace(m_title);
    for (const auto& e : m_entries) {
        const OptionSpec& s = e->spec;
        const std::string key = s.short_name ? s.name + "," + std::string(1, s.short_name) : s.name;
        std::string help = s.help;
        if (s.kind == OptionKind::choice) {
            // the choices are always in the help: as the declaration wrote them, or appended
            std::string bar;
            for (const std::string& c : s.choices) bar += (bar.empty() ? "" : "|") + c;
            if (help.find(bar) == std::string::npos) help += " (" + bar + ")";
        }
        if (!s.default_text.empty() && s.kind != OptionKind::flag) help += " (default: " + s.default_text + ")";
        if (e->flag) {
            m_desc->add_options()(key.c_str(), po::bool_switch(e->flag), help.c_str());
        } else if (e->list) {
            auto* v = po::value<std::vector<std::string>>(e->list)->composing();
            if (s.required) v->required();
            m_desc->add_options()(key.c_str(), v, help.c_str());
        } else {
            const auto entry = e;
            auto* v = po::value<std::string>()->notifier([entry](const std::string& text) {
                entry->store(text);
                if (entry->after) entry->after();
            });
            if (s.required) v->required();
            m_desc->add_options()(key.c_str(), v, help.c_str());
        }
    }
    return *m_desc;
}

} // namespace hotmap::cli
