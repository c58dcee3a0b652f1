// SPDX-License-Identifier: MIT
// hotmap change: what changed between two time windows, per grid cell or district, with significance.
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/pipeline/change.hpp"

#include <memory>

namespace hotmap::cli {
namespace {

class ChangeCommand final : public Command {
public:
    std::string_view name() const noexcept override { return "change"; }
    std::string_view summary() const noexcept override
    {
        return "What changed between two time windows, per grid cell or district: counts in both, difference, ratio, the "
               "exact conditional binomial test of each unit's split (FDR-corrected bins) and the map's similarity index.";
    }

protected:
    void add_options(std::vector<OptionGroup>& groups, po::positional_options_description&) override
    {
        OptionGroup own("Command options");
        own.text("before", &m_before, "first time window FROM,TO: [FROM, TO), dates as --from/--to").required()
            .text("after", &m_after, "second time window FROM,TO, disjoint from --before").required()
            .choice("on", &m_on, {"grid", "districts"}, "grid|districts: the analysis units")
            .metres("cell", &m_params.cell_m, 1e6, "grid cell size in metres (square: side; hex: distance between opposite edges)").shows("")
            .choice("shape", &m_shape, {"square", "hex"}, "square|hex (pointy-top hexagons)", {"hexagon"})
            .text("extent", &m_extent, "XMIN,YMIN,XMAX,YMAX in the working CRS (default: districts' extent, else the incidents')")
            .flag("no-fdr", &m_no_fdr, "plain p thresholds instead of Benjamini-Hochberg FDR");
        groups.push_back(std::move(own));
        groups.push_back(m_publication.describe());
        groups.push_back(m_input.describe());
        groups.push_back(m_districts.describe(false));
        groups.push_back(m_crs.describe());
        groups.push_back(m_output.describe(true, "output layer (.geojson .shp .gpkg .fgb .csv)"));
    }

    void validate() override
    {
        m_params.min_count = m_publication.k();
        m_params.before = spacetime::parse_window(m_before, "--before");
        m_params.after = spacetime::parse_window(m_after, "--after");
        if (spacetime::overlaps(m_params.before, m_params.after))
            throw UsageError("--before " + m_before + " and --after " + m_after + " overlap: the two windows must be disjoint");
        m_params.on_districts = m_on == "districts";
        m_input.drop_categories = m_dropped = m_publication.dropped(m_params.on_districts);
        if (!m_params.on_districts && !(m_params.cell_m > 0)) throw UsageError("--on grid needs --cell METRES");
        if (m_params.on_districts && !m_districts.given()) throw UsageError("--on districts needs --districts PATH");
        if (m_params.on_districts && (m_params.cell_m > 0 || !m_extent.empty()))
            throw UsageError("--cell and --extent apply to --on grid");
        m_params.shape = grid::parse_shape(m_shape);
        if (!m_extent.empty()) m_params.extent = grid::parse_extent(m_extent);
        m_params.fdr = !m_no_fdr;
        m_output.check();
        m_params.shapefile_nulls = io::driver_for(m_output.path, m_output.format) == "ESRI Shapefile";
        (void)m_input.filter();
    }

    void run(Io& io) override
    {
        StderrLog log(name(), m_common, io.err);
        io::OutputSet outs(m_common.overwrite);
        protect_inputs(outs, m_input, &m_districts);
        const io::Staged& out = m_output.stage(outs);
        const pipeline::Inputs in = load_inputs(m_input, m_districts.given() ? &m_districts : nullptr, m_crs, m_common, outs, log);
        const pipeline::ChangeResult r = pipeline::compare_periods(m_params, in, log);
        write_layer(r.layer, out, m_output, log);
        outs.commit();
    }


    pipeline::StepResult compute(pipeline::Inputs& in, Log& log) override
    {
        return one_layer_step(pipeline::compare_periods(m_params, in, log));
    }

private:
    InputOptions m_input;
    DistrictOptions m_districts;
    CrsOptions m_crs;
    OutputOptions m_output;
    PublicationOptions m_publication;
    std::string m_before, m_after, m_on = "grid", m_shape = "square", m_extent;
    bool m_no_fdr = false;
    pipeline::ChangeParams m_params;
};

} // namespace

std::unique_ptr<Command> make_change_command() { return std::make_unique<ChangeCommand>(); }

} // namespace hotmap::cli
