// SPDX-License-Identifier: MIT
// hotmap info: what is in the incident file (accounting, CRS, extent, time range, categories).
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/timeparse.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iomanip>
#include <iostream>

namespace hotmap::cli {
namespace {

class InfoCommand final : public Command {
public:
    std::string_view name() const noexcept override { return "info"; }
    std::string_view summary() const noexcept override
    {
        return "What is in the incident file: rows read/accepted/filtered/rejected by reason, CRS, extent, time range, "
               "categories.";
    }

protected:
    void add_options(std::vector<po::options_description>& groups, po::positional_options_description& pos) override
    {
        po::options_description own("Command options");
        own.add_options()("json", po::bool_switch(&m_json), "print JSON instead of a table");
        groups.push_back(own);
        groups.push_back(m_input.describe());
        groups.push_back(m_districts.describe(false));
        groups.push_back(m_crs.describe());
        pos.add("incidents", 1);
    }

    void run(Io& io) override
    {
        const Loaded L = load_inputs(m_input, &m_districts, m_crs, m_common, log(io));
        const IncidentSet& s = L.incidents;
        const Accounting& a = s.accounting;
        const Extent e = s.extent();
        const auto tr = s.time_range();
        std::size_t no_time = 0;
        std::vector<std::uint64_t> per_cat(s.categories.size(), 0);
        std::uint64_t no_cat = 0;
        for (const Incident& i : s.items) {
            no_time += i.time == k_no_time;
            if (i.category >= 0) ++per_cat[static_cast<std::size_t>(i.category)];
            else ++no_cat;
        }
        if (m_json) {
            nlohmann::ordered_json j;
            j["source"] = s.source;
            j["columns"] = {{"x", s.resolved_x}, {"y", s.resolved_y}, {"wkt", s.resolved_wkt}, {"time", s.resolved_time},
                            {"time_format", s.time_format}, {"category", s.resolved_category}, {"weight", s.resolved_weight}};
            j["working_crs"] = L.working.id();
            j["rows"] = {{"read", a.read}, {"accepted", a.accepted}, {"filtered", a.filtered}, {"rejected", a.rejected},
                         {"filtered_by", a.filtered_by}, {"rejected_by", a.rejected_by}};
            if (!e.empty()) j["extent"] = {e.xmin, e.ymin, e.xmax, e.ymax};
            if (tr) j["time_range"] = {timeparse::format(tr->first), timeparse::format(tr->second)};
            j["missing_time"] = s.has_time ? no_time : s.items.size();
            nlohmann::ordered_json cats = nlohmann::ordered_json::object();
            for (std::size_t c = 0; c < s.categories.size(); ++c) cats[s.categories[c]] = per_cat[c];
            j["categories"] = cats;
            j["total_weight"] = s.total_weight();
            io.out << j.dump(2) << "\n";
            return;
        }
        auto row = [&](const std::string& k, const std::string& v) { io.out << std::left << std::setw(28) << k << v << "\n"; };
        row("source", s.source);
        row("columns", "x=" + s.resolved_x + " y=" + s.resolved_y + (s.resolved_wkt.empty() ? "" : " wkt=" + s.resolved_wkt) +
                           " time=" + (s.resolved_time.empty() ? "(none)" : s.resolved_time) +
                           " category=" + (s.resolved_category.empty() ? "(none)" : s.resolved_category) +
                           " weight=" + (s.resolved_weight.empty() ? "(1)" : s.resolved_weight));
        if (!s.time_format.empty()) row("time format", s.time_format);
        row("working CRS", L.working.id() + " (" + L.working.name() + ")");
        row("rows read", std::to_string(a.read));
        row("  accepted", std::to_string(a.accepted));
        row("  filtered", std::to_string(a.filtered));
        for (const auto& [k, v] : a.filtered_by) row("    " + k, std::to_string(v));
        row("  rejected", std::to_string(a.rejected));
        for (const auto& [k, v] : a.rejected_by) row("    " + k, std::to_string(v));
        if (!e.empty()) {
            char b[160];
            std::snprintf(b, sizeof b, "%.1f %.1f .. %.1f %.1f (%.2f x %.2f km)", e.xmin, e.ymin, e.xmax, e.ymax,
                          e.width() / 1000, e.height() / 1000);
            row("extent", b);
        }
        if (tr) row("time range", timeparse::format(tr->first) + " .. " + timeparse::format(tr->second));
        if (s.has_time) row("missing time", std::to_string(no_time));
        if (s.has_category) {
            row("categories", std::to_string(s.categories.size()));
            for (std::size_t c = 0; c < s.categories.size(); ++c) row("  " + s.categories[c], std::to_string(per_cat[c]));
        }
        if (s.has_weight) {
            char b[64];
            std::snprintf(b, sizeof b, "%.6g", s.total_weight());
            row("total weight", b);
        }
    }

private:
    InputOptions m_input;
    DistrictOptions m_districts;
    CrsOptions m_crs;
    bool m_json = false;
};

} // namespace

std::unique_ptr<Command> make_info_command() { return std::make_unique<InfoCommand>(); }

} // namespace hotmap::cli
