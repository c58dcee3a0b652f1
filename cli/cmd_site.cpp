// SPDX-License-Identifier: MIT
// hotmap site: where K new lamps or posts would cover the most incidents, given what stands.
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/error.hpp"
#include "hotmap/pipeline/site.hpp"
#include "hotmap/report/tables.hpp"

#include <filesystem>
#include <ostream>
#include <set>

#include <memory>

namespace hotmap::cli {
namespace {

class SiteCommand final : public Command {
public:
    std::string_view name() const noexcept override { return "site"; }
    std::string_view summary() const noexcept override
    {
        return "Where K new sites (lamps, posts) would cover the most incident weight given the existing facilities (maximal "
               "covering), the fewest sites reaching a coverage target, or the K sites nearest to the incidents (p-median); "
               "ranked by marginal gain, with a bound on the optimum and the gap.";
    }

protected:
    void add_options(std::vector<OptionGroup>& groups, po::positional_options_description&) override
    {
        OptionGroup own("Command options");
        own.choice("objective", &m_objective, {"mclp", "lscp", "pmedian"},
                   "mclp: most weight covered by --add K sites; lscp: fewest sites reaching --target-coverage; "
                   "pmedian: K sites minimising the weighted mean distance")
            .integer("add", &m_params.solver.k, 1, 100000, "new sites to place (mclp, pmedian: required; lscp: at most this many)")
            .shows("")
            .then([this] { m_add_given = true; })
            .number("target-coverage", &m_params.solver.target_pct, 0, 100, true,
                    "lscp: share of all incident weight to cover, percent, existing facilities included")
            .shows("")
            .text("site-type", &m_site_type, "type of the new sites: their radius is the --radius TYPE=M rule (default: the bare --radius M)")
            .list("candidates", &m_params.candidate_layers, "candidate sites: a point layer (any OGR source or CSV; repeatable)")
            .path_kind(PathKind::vector)
            .text("candidates-crs", &m_params.candidates_crs, "CRS of candidate layers that have none (CSV x/y columns without a .prj)")
            .metres("candidate-spacing", &m_params.candidate_spacing_m, 1e6,
                    "candidate grid inside the study area, spacing in metres; with --streets: every junction and points at most "
                    "this far apart along the streets")
            .shows("")
            .metres("min-spacing", &m_params.solver.min_spacing_m, 1e6, "least distance between new sites and from existing facilities, metres")
            .shows("none")
            .integer("max-per-district", &m_params.solver.max_per_district, 1, 100000, "most new sites in one district")
            .shows("no limit")
            .number("capacity", &m_params.solver.capacity, 0, 1e12, true, "mclp: incident weight one new site serves at most")
            .shows("no limit")
            .flag("exact", &m_params.solver.exact, "solve the integer programme exactly with GLPK (small and medium instances)")
            .number("time-limit", &m_params.solver.time_limit_s, 0, 86400, true,
                    "seconds for --exact; when reached, the best solution and bound found are reported")
            .text("demand-cell", &m_demand_cell, "merge incidents to square cells of this side (metres) to solve big inputs; "
                                                 "0: every incident place; auto: when there are many places")
            .shows("auto")
            .output("curve", &m_curve, PathKind::table, "table k = 1..K: gain, covered weight and share (diminishing returns)")
            .output("district-output", &m_district_out, PathKind::vector, "per-district layer: coverage before and after the new sites");
        groups.push_back(std::move(own));
        OptionGroup fac = m_facilities.describe();
        groups.push_back(std::move(fac));
        groups.push_back(m_streets.describe());
        groups.push_back(m_input.describe());
        groups.push_back(m_districts.describe(false));
        groups.push_back(m_crs.describe());
        groups.push_back(m_output.describe(false, "sites layer (.geojson .shp .gpkg .fgb .csv); default: a table on stdout"));
    }

    void validate() override
    {
        m_facilities.check(false);
        m_params.solver.objective = siting::parse_objective(m_objective);
        const siting::Objective o = m_params.solver.objective;
        if (o == siting::Objective::lscp) {
            if (!(m_params.solver.target_pct > 0)) throw UsageError("--objective lscp needs --target-coverage PCT");
            if (!m_add_given) m_params.solver.k = 0;
        } else {
            if (m_params.solver.target_pct > 0) throw UsageError("--target-coverage applies to --objective lscp only");
            if (!m_add_given) throw UsageError("--objective " + m_objective + " needs --add K (the number of new sites)");
        }
        if (m_params.solver.capacity > 0 && o != siting::Objective::mclp) throw UsageError("--capacity applies to --objective mclp only");
        if (m_params.candidate_layers.empty() && !(m_params.candidate_spacing_m > 0))
            throw UsageError("no candidate sites: give --candidate-spacing METRES (a grid inside the study area) and/or --candidates PATH");
        if (m_params.solver.max_per_district > 0 && !m_districts.given()) throw UsageError("--max-per-district needs --districts");
        if (!m_district_out.empty() && !m_districts.given()) throw UsageError("--district-output needs --districts");

        // the new sites' radius: the --site-type rule, else the bare --radius M
        const coverage::RadiusRules& rules = m_facilities.params.rules;
        if (!m_site_type.empty()) {
            const auto it = rules.by_type.find(m_site_type);
            if (it != rules.by_type.end())
                m_params.radius_m = it->second;
            else if (rules.default_m)
                m_params.radius_m = *rules.default_m;
            else
                throw UsageError("--site-type " + m_site_type + " has no radius: give --radius " + m_site_type + "=METRES");
        } else if (rules.default_m) {
            m_params.radius_m = *rules.default_m;
        } else if (!rules.by_type.empty() && o != siting::Objective::pmedian) {
            throw UsageError("which --radius rule is the new sites'? give --site-type TYPE or a bare --radius METRES");
        }
        if (o != siting::Objective::pmedian && !(m_params.radius_m > 0))
            throw UsageError("the new sites need a radius: --radius METRES (or --site-type TYPE with a --radius TYPE=METRES rule)");

        if (m_demand_cell == "auto")
            m_params.demand_cell_m = -1;
        else
            m_params.demand_cell_m = parse_number("demand-cell", m_demand_cell, 0, 1e5, false);

        m_params.streets = m_streets.params;
        m_params.streets.strict = m_input.src.strict;
        m_output.check();
        for (const std::string* p : {&m_curve, &m_district_out})
            if (!p->empty()) io::driver_for(*p, "");
        std::set<std::string> seen;
        for (const std::string* p : {&m_output.path, &m_curve, &m_district_out})
            if (!p->empty() && !seen.insert(*p).second) throw UsageError("output '" + *p + "' is given twice");
        (void)m_input.filter();
    }

    void run(Io& io) override
    {
        StderrLog log(name(), m_common, io.err);
        io::OutputSet outs(m_common.overwrite);
        protect_inputs(outs, m_input, &m_districts, &m_facilities, &m_streets);
        for (const std::string& c : m_params.candidate_layers) outs.protect(c);
        const auto stage = [&](const std::string& path) {
            return path.empty() ? nullptr : &outs.add(path, io::vector_sidecars(path, "", true));
        };
        const io::Staged* out = m_output.given() ? &m_output.stage(outs) : nullptr;
        const io::Staged* curve = stage(m_curve);
        const io::Staged* districts = stage(m_district_out);
        const pipeline::Inputs in = load_inputs(m_input, &m_districts, m_crs, m_common, outs, log);
        std::vector<coverage::Facility> existing;
        if (!m_facilities.params.specs.empty()) existing = pipeline::load_facilities(m_facilities.params, in.working, log);
        const pipeline::SiteResult r = pipeline::plan_sites(m_params, in, existing, log);
        const auto plain = [](const std::string& path) {
            OutputOptions o;
            o.path = path;
            return o;
        };
        if (curve) write_layer(r.curve, *curve, plain(m_curve), log);
        if (districts) write_layer(r.districts, *districts, plain(m_district_out), log);
        if (out) write_layer(r.sites, *out, m_output, log);
        outs.commit();
        if (!out) io.out << report::sites_table(r);
    }


    pipeline::StepResult compute(pipeline::Inputs& in, Log& log) override
    {
        std::vector<coverage::Facility> existing;
        if (!m_facilities.params.specs.empty()) existing = pipeline::load_facilities(m_facilities.params, in.working, log);
        auto r = std::make_shared<const pipeline::SiteResult>(pipeline::plan_sites(m_params, in, existing, log));
        pipeline::StepResult s;
        s.layers.push_back({"output", "", &r->sites, nullptr, {}});
        if (!m_curve.empty()) s.layers.push_back({"curve", "", &r->curve, nullptr, {}});
        if (!m_district_out.empty()) s.layers.push_back({"district-output", "", &r->districts, nullptr, {}});
        s.table = report::sites_table(*r);
        s.result = r;
        return s;
    }

private:
    InputOptions m_input;
    DistrictOptions m_districts;
    CrsOptions m_crs;
    OutputOptions m_output;
    FacilityOptions m_facilities;
    StreetOptions m_streets;
    pipeline::SiteParams m_params;
    std::string m_objective = "mclp", m_site_type, m_demand_cell = "auto", m_curve, m_district_out;
    bool m_add_given = false;
};

} // namespace

std::unique_ptr<Command> make_site_command() { return std::make_unique<SiteCommand>(); }

} // namespace hotmap::cli
