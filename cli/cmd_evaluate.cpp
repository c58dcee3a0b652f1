// SPDX-License-Identifier: MIT
// hotmap evaluate: how well one window's hotspot map predicts the next (hit rate, PAI, PEI, RRI).
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/density/kernels.hpp"
#include "hotmap/grid/binning.hpp"
#include "hotmap/pipeline/evaluate.hpp"
#include "hotmap/report/tables.hpp"

#include <algorithm>
#include <ostream>
#include <sstream>

#include <memory>

namespace hotmap::cli {
namespace {

std::vector<std::string> split(const std::string& s)
{
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string part;
    while (std::getline(ss, part, ',')) out.push_back(part);
    if (!s.empty() && s.back() == ',') out.emplace_back();
    return out;
}

void require_csv(const std::string& option, const std::string& path)
{
    if (!path.empty() && io::extension_of(path) != ".csv")
        throw UsageError(option + " '" + path + "': the evaluation table is a CSV file (.csv)");
}

class EvaluateCommand final : public Command {
public:
    std::string_view name() const noexcept override { return "evaluate"; }
    std::string_view summary() const noexcept override
    {
        return "How well one time window's hotspot map predicts the next: the top cells by kernel density or Gi* on the "
               "training window, scored on the test window (hit rate, PAI, PEI, recapture rate index) per area share.";
    }

protected:
    void add_options(std::vector<OptionGroup>& groups, po::positional_options_description&) override
    {
        OptionGroup own("Command options");
        own.text("train", &m_train, "training window FROM,TO: [FROM, TO), dates as --from/--to").required()
            .text("test", &m_test, "test window FROM,TO, disjoint from --train").required()
            .text("by", &m_by, "ranking method(s), comma-separated: density, gistar")
            .text("shares", &m_shares, "area shares in percent of the study area's cells, comma-separated, each in (0, 100]")
            .metres("cell", &m_params.cell_m, 1e6, "square cell size in metres")
            .text("extent", &m_extent, "XMIN,YMIN,XMAX,YMAX in the working CRS (default: districts' extent, else the incidents')")
            .text("bandwidth", &m_bandwidth,
                  "density: kernel radius r (gaussian: sigma) in metres, or 'auto' (ArcGIS rule on the training incidents)")
            .choice("kernel", &m_kernel, {"quartic", "epanechnikov", "triweight", "uniform", "gaussian"},
                    "density: quartic|epanechnikov|triweight|uniform|gaussian", {"biweight"})
            .text("distance", &m_distance, "gistar: distance band in metres between cell centres, or 'auto'")
            .output("curve", &m_curve, PathKind::table, "also write the hit-rate curve (shares 0.1..0.9 and 1..100%) as CSV");
        groups.push_back(std::move(own));
        groups.push_back(m_input.describe());
        groups.push_back(m_districts.describe(false));
        groups.push_back(m_crs.describe());
        groups.push_back(m_output.describe(false, "evaluation table (.csv); default: a table on stdout", false, PathKind::table));
    }

    void validate() override
    {
        m_params.train = spacetime::parse_window(m_train, "--train");
        m_params.test = spacetime::parse_window(m_test, "--test");
        if (spacetime::overlaps(m_params.train, m_params.test))
            throw UsageError("--train " + m_train + " and --test " + m_test + " overlap: the two windows must be disjoint");
        m_params.methods.clear();
        for (const std::string& m : split(m_by)) {
            const pipeline::RankMethod r = pipeline::parse_rank_method(m);
            if (std::find(m_params.methods.begin(), m_params.methods.end(), r) != m_params.methods.end())
                throw UsageError("--by '" + m_by + "': '" + m + "' is given twice");
            m_params.methods.push_back(r);
        }
        if (m_params.methods.empty()) throw UsageError("--by: give density, gistar or density,gistar");
        m_params.shares.clear();
        for (const std::string& s : split(m_shares)) {
            const double v = parse_number("shares", s, 0, 100, true);
            if (std::find(m_params.shares.begin(), m_params.shares.end(), v) != m_params.shares.end())
                throw UsageError("--shares '" + m_shares + "': " + s + " is given twice");
            m_params.shares.push_back(v);
        }
        if (m_params.shares.empty()) throw UsageError("--shares: give at least one share, e.g. 1,2,5,10,20");
        if (!m_extent.empty()) m_params.extent = grid::parse_extent(m_extent);
        m_params.kernel = density::parse_kernel(m_kernel);
        if (m_bandwidth != "auto") {
            const auto b = to_number(m_bandwidth);
            if (!b || !(*b >= density::k_min_bandwidth_m) || !(*b <= density::k_max_bandwidth_m))
                throw UsageError("--bandwidth '" + m_bandwidth + "': expected a number of metres in [0.01, 1e6] or 'auto'");
            m_params.bandwidth_m = *b;
        }
        if (m_distance != "auto") {
            const auto d = to_number(m_distance);
            if (!d || !(*d > 0) || *d > 1e7)
                throw UsageError("--distance '" + m_distance + "': expected a positive number of metres (at most 1e7) or 'auto'");
            m_params.distance_m = *d;
        }
        require_csv("--output", m_output.path);
        require_csv("--curve", m_curve);
        if (!m_curve.empty() && m_curve == m_output.path) throw UsageError("output '" + m_curve + "' is given twice");
        m_params.curve = !m_curve.empty();
        m_output.check();
        (void)m_input.filter();
    }

    void run(Io& io) override
    {
        StderrLog log(name(), m_common, io.err);
        io::OutputSet outs(m_common.overwrite);
        protect_inputs(outs, m_input, &m_districts);
        const io::Staged* out = m_output.given() ? &m_output.stage(outs) : nullptr;
        const io::Staged* curve = m_curve.empty() ? nullptr : &outs.add(m_curve, io::vector_sidecars(m_curve, "", false));
        const pipeline::Inputs in = load_inputs(m_input, m_districts.given() ? &m_districts : nullptr, m_crs, m_common, outs, log);
        const pipeline::EvaluateResult r = pipeline::evaluate_predictions(m_params, in, log);
        if (out) write_layer(r.table, *out, m_output, log);
        if (curve) {
            OutputOptions o;
            o.path = m_curve;
            write_layer(r.curve, *curve, o, log);
        }
        outs.commit();
        if (!out) io.out << report::evaluation_table(r);
    }


    pipeline::StepResult compute(pipeline::Inputs& in, Log& log) override
    {
        auto r = std::make_shared<const pipeline::EvaluateResult>(pipeline::evaluate_predictions(m_params, in, log));
        pipeline::StepResult s;
        s.layers.push_back({"output", "", &r->table, nullptr, {}});
        if (!m_curve.empty()) s.layers.push_back({"curve", "", &r->curve, nullptr, {}});
        s.table = report::evaluation_table(*r);
        s.result = r;
        return s;
    }

private:
    InputOptions m_input;
    DistrictOptions m_districts;
    CrsOptions m_crs;
    OutputOptions m_output;
    std::string m_train, m_test, m_by = "density", m_shares = "1,2,5,10,20", m_extent, m_bandwidth = "auto", m_kernel = "quartic",
                                 m_distance = "auto", m_curve;
    pipeline::EvaluateParams m_params;
};

} // namespace

std::unique_ptr<Command> make_evaluate_command() { return std::make_unique<EvaluateCommand>(); }

} // namespace hotmap::cli
