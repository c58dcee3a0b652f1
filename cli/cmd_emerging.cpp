// SPDX-License-Identifier: MIT
// hotmap emerging: space-time emerging hot and cold spots (17 patterns) on grid cells or districts.
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/pipeline/emerging.hpp"

#include <memory>

namespace hotmap::cli {
namespace {

class EmergingCommand final : public Command {
public:
    std::string_view name() const noexcept override { return "emerging"; }
    std::string_view summary() const noexcept override
    {
        return "Emerging hot and cold spots: a space-time cube of grid cells or districts by day, week, month, quarter, year "
               "or fixed steps, Gi* per bin with neighbours in space and time, the Mann-Kendall trend of each location and "
               "its pattern (new, consecutive, intensifying, persistent, diminishing, sporadic, oscillating, historical).";
    }

protected:
    void add_options(std::vector<OptionGroup>& groups, po::positional_options_description&) override
    {
        OptionGroup own("Command options");
        own.choice("on", &m_on, {"grid", "districts"}, "grid|districts: the locations")
            .metres("cell", &m_params.cell_m, 1e6, "grid cell size in metres (--on grid)")
            .shows("")
            .choice("shape", &m_shape, {"square", "hex"}, "square|hex", {"hexagon"})
            .choice("period", &m_period, {"day", "week", "month", "quarter", "year"}, "time step: calendar periods (weeks start Monday)")
            .then([this] { m_period_given = true; })
            .text("step", &m_step, "fixed time steps instead of --period: 14d, 2w, 12h (from the first day)")
            .flag("drop-partial", &m_params.drop_partial, "leave out a first or last step the data cover only in part")
            .integer("time-neighbors", &m_params.time_neighbors, 0, 1000, "previous steps in each bin's neighbourhood")
            .flag("no-fdr", &m_no_fdr, "plain p thresholds instead of Benjamini-Hochberg FDR over all bins")
            .output("cube", &m_cube, PathKind::vector, "the cube: one feature per location and step (GeoPackage; a datetime per step for QGIS's temporal controller)");
        add_batch_option(own, m_input);
        groups.push_back(std::move(own));
        groups.push_back(m_weights.describe());
        groups.push_back(m_publication.describe());
        groups.push_back(m_input.describe());
        groups.push_back(m_districts.describe(false));
        groups.push_back(m_crs.describe());
        groups.push_back(m_output.describe(true, "locations layer with their pattern (.geojson .shp .gpkg .fgb .csv)"));
    }

    void validate() override
    {
        m_params.on_districts = m_on == "districts";
        m_input.streamable = true; // the cube holds counts per location and step
        m_input.drop_categories = m_dropped = m_publication.dropped(m_params.on_districts);
        if (!m_params.on_districts && !(m_params.cell_m > 0)) throw UsageError("--on grid needs --cell METRES");
        if (m_params.on_districts && !m_districts.given()) throw UsageError("--on districts needs --districts PATH");
        m_weights.check(m_params.on_districts, m_params);
        if (!m_step.empty() && m_period_given) throw UsageError("give --period or --step, not both");
        if (!m_step.empty()) m_params.step = spacetime::parse_step(m_step);
        else m_params.step.period = districts::parse_period(m_period);
        m_params.fdr = !m_no_fdr;
        m_params.shape = grid::parse_shape(m_shape);
        m_output.check();
        m_params.shapefile_nulls = io::driver_for(m_output.path, m_output.format) == "ESRI Shapefile";
        if (!m_cube.empty()) {
            if (io::driver_for(m_cube, "") != "GPKG") throw UsageError("--cube '" + m_cube + "': expected a .gpkg path (a GeoPackage layer with date-times)");
            if (m_cube == m_output.path) throw UsageError("output '" + m_cube + "' is given twice");
            m_params.cube = true;
        }
        m_params.min_count = m_publication.k();
        if (m_params.min_count > 1 && m_params.cube)
            throw UsageError("--min-count with --cube: the cube holds a count per location and step; publish the locations layer only");
        const IncidentFilter f = m_input.filter();
        m_params.from = f.from;
        m_params.to = f.to;
    }

    void run(Io& io) override
    {
        StderrLog log(name(), m_common, io.err);
        io::OutputSet outs(m_common.overwrite);
        protect_inputs(outs, m_input, &m_districts);
        const io::Staged& out = m_output.stage(outs);
        const io::Staged* cube = m_cube.empty() ? nullptr : &outs.add(m_cube, io::vector_sidecars(m_cube, "", true));
        const pipeline::Inputs in = load_inputs(m_input, m_districts.given() ? &m_districts : nullptr, m_crs, m_common, outs, log);
        const pipeline::EmergingResult r = pipeline::emerging_hotspots(m_params, in, log);
        write_late_rejects(in, m_input, log);
        write_layer(r.layer, out, m_output, log);
        if (cube) {
            OutputOptions o;
            o.path = m_cube;
            write_layer(r.cube, *cube, o, log);
        }
        outs.commit();
    }


    pipeline::StepResult compute(pipeline::Inputs& in, Log& log) override
    {
        auto r = std::make_shared<const pipeline::EmergingResult>(pipeline::emerging_hotspots(m_params, in, log));
        pipeline::StepResult s;
        s.layers.push_back({"output", "", &r->layer, nullptr, {}});
        if (!m_cube.empty()) s.layers.push_back({"cube", "", &r->cube, nullptr, {}});
        s.result = r;
        return s;
    }

private:
    InputOptions m_input;
    DistrictOptions m_districts;
    CrsOptions m_crs;
    OutputOptions m_output;
    PublicationOptions m_publication;
    WeightsOptions m_weights;
    std::string m_on = "grid", m_shape = "square", m_period = "month", m_step, m_cube;
    bool m_no_fdr = false, m_period_given = false;
    pipeline::EmergingParams m_params;
};

} // namespace

std::unique_ptr<Command> make_emerging_command() { return std::make_unique<EmergingCommand>(); }

} // namespace hotmap::cli
