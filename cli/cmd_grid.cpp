// SPDX-License-Identifier: MIT
// hotmap grid: incidents aggregated to a square or hexagonal grid.
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/pipeline/grid.hpp"

#include <memory>

namespace hotmap::cli {
namespace {

class GridCommand final : public Command {
public:
    std::string_view name() const noexcept override { return "grid"; }
    std::string_view summary() const noexcept override
    {
        return "Incidents aggregated to a square or hexagonal grid: count, weight, district and per-category counts per "
               "cell, clipped to the districts when given.";
    }

protected:
    void add_options(std::vector<OptionGroup>& groups, po::positional_options_description&) override
    {
        OptionGroup own("Command options");
        own.metres("cell", &m_params.cell_m, 1e6, "cell size in metres (square: side; hex: distance between opposite edges)").required()
            .choice("shape", &m_shape, {"square", "hex"}, "square|hex (pointy-top hexagons)", {"hexagon"})
            .text("extent", &m_extent, "XMIN,YMIN,XMAX,YMAX in the working CRS (default: districts' extent, else the incidents')")
            .flag("aggregate-in-database", &m_input.in_database,
                  "count on the PostgreSQL/PostGIS server (-i PG:... --layer TABLE): only the counts per cell travel (square cells)");
        add_batch_option(own, m_input);
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
        m_input.drop_categories = m_dropped = m_publication.dropped(false);
        m_params.shape = grid::parse_shape(m_shape);
        if (!m_extent.empty()) m_params.extent = grid::parse_extent(m_extent);
        // over the districts, the grid reaches at most a cell beyond their box: rows farther out
        // stay on the server
        if (!m_params.extent) m_input.clip_margin_m = m_params.cell_m;
        m_input.streamable = true;
        m_output.check();
        (void)m_input.filter();
        if (m_input.batch_rows && m_input.in_database) throw UsageError("--batch-rows and --aggregate-in-database exclude each other");
        if (m_input.in_database && !io::is_postgis_source(m_input.src.path))
            throw UsageError("--aggregate-in-database needs a PostgreSQL/PostGIS source (-i \"PG:dbname=... host=...\" --layer TABLE), "
                             "not '" + m_input.src.path + "'");
        if (m_input.in_database && m_params.shape == grid::Shape::hex)
            throw UsageError("--aggregate-in-database counts square cells only (--shape square)");
    }

    void run(Io& io) override
    {
        StderrLog log(name(), m_common, io.err);
        io::OutputSet outs(m_common.overwrite);
        protect_inputs(outs, m_input, &m_districts);
        const io::Staged& out = m_output.stage(outs);
        const pipeline::Inputs in = load_inputs(m_input, &m_districts, m_crs, m_common, outs, log);
        const pipeline::GridResult r = pipeline::make_grid(m_params, in, log);
        write_late_rejects(in, m_input, log);
        write_layer(r.layer, out, m_output, log);
        outs.commit();
    }


    pipeline::StepResult compute(pipeline::Inputs& in, Log& log) override
    {
        return one_layer_step(pipeline::make_grid(m_params, in, log));
    }

private:
    InputOptions m_input;
    DistrictOptions m_districts;
    CrsOptions m_crs;
    OutputOptions m_output;
    PublicationOptions m_publication;
    std::string m_shape = "square", m_extent;
    pipeline::GridParams m_params;
};

} // namespace

std::unique_ptr<Command> make_grid_command() { return std::make_unique<GridCommand>(); }

} // namespace hotmap::cli
