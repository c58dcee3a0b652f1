// SPDX-License-Identifier: MIT
// hotmap hotspots: Getis-Ord Gi* or Local Moran's I on grid cells or districts, or DBSCAN.
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/pipeline/hotspots.hpp"

#include <memory>

namespace hotmap::cli {
namespace {

class HotspotsCommand final : public Command {
public:
    std::string_view name() const noexcept override { return "hotspots"; }
    std::string_view summary() const noexcept override
    {
        return "Getis-Ord Gi* hot and cold spots (with FDR-corrected confidence bins) or Local Moran's I clusters and "
               "outliers, on grid cells or districts.";
    }

protected:
    void add_options(std::vector<OptionGroup>& groups, po::positional_options_description&) override
    {
        OptionGroup own("Command options");
        own.choice("method", &m_method, {"gistar", "lisa", "dbscan"}, "gistar|lisa|dbscan")
            .choice("on", &m_on, {"grid", "districts"}, "grid|districts: the analysis units")
            .metres("cell", &m_params.cell_m, 1e6, "grid cell size in metres (--on grid)")
            .choice("shape", &m_shape, {"square", "hex"}, "square|hex", {"hexagon"})
            .flag("no-fdr", &m_no_fdr, "plain p thresholds instead of Benjamini-Hochberg FDR")
            .integer("permutations", &m_permutations, 0, 99999, "conditional permutations for a pseudo-p")
            .shows("0 for gistar, 999 for lisa")
            .then([this] { m_params.permutations = m_permutations; })
            .integer("seed", &m_params.seed, 0, std::numeric_limits<long long>::max(), "permutation seed")
            .text("rate", &m_rate, "districts: analyse count per 1,000 of this population field")
            .metres("eps", &m_params.eps_m, 1e6, "dbscan: neighbourhood radius in metres").shows("")
            .integer("min-points", &m_params.min_points, 1, 1000000, "dbscan: points (itself included) within --eps for a core point")
            .flag("aggregate-in-database", &m_input.in_database,
                  "count on the PostgreSQL/PostGIS server (-i PG:... --layer TABLE): only the counts per cell travel (--on grid, square cells)");
        add_batch_option(own, m_input);
        groups.push_back(std::move(own));
        groups.push_back(m_weights.describe());
        groups.push_back(m_publication.describe(false, true, true));
        groups.push_back(m_input.describe());
        groups.push_back(m_districts.describe(false));
        groups.push_back(m_crs.describe());
        groups.push_back(m_output.describe(true, "output layer (.geojson .shp .gpkg .fgb .csv)"));
    }

    void validate() override
    {
        m_params.min_count = m_publication.k();
        // --public's default mask applies where points leave: DBSCAN's hulls
        if (m_method == "dbscan" || !m_publication.geomask.empty()) m_params.geomask = m_publication.donut();
        m_params.method = m_method == "lisa" ? pipeline::HotspotMethod::lisa
                          : m_method == "dbscan" ? pipeline::HotspotMethod::dbscan
                                                 : pipeline::HotspotMethod::gistar;
        m_params.on_districts = m_on == "districts";
        m_input.drop_categories = m_dropped = m_publication.dropped(m_params.on_districts && m_method != "dbscan");
        if (m_method == "dbscan" && !(m_params.eps_m > 0)) throw UsageError("--method dbscan needs --eps METRES (a positive distance)");
        if (!m_params.on_districts && !(m_params.cell_m > 0) && m_method != "dbscan") throw UsageError("--on grid needs --cell METRES");
        if (m_params.on_districts && !m_districts.given()) throw UsageError("--on districts needs --districts PATH");
        m_weights.check(m_params.on_districts, m_params);
        if (!m_rate.empty() && !m_params.on_districts) throw UsageError("--rate applies to --on districts");
        if (m_params.geomask && m_method != "dbscan")
            throw UsageError("--geomask applies to --method dbscan (the other methods publish no incident point)");
        if (!m_rate.empty()) {
            m_districts.src.population_field = m_rate;
            m_params.rate = true;
            m_params.rate_field = m_rate;
        }
        // the cells reach at most a cell beyond the districts' box, districts use what lies in
        // them; DBSCAN clusters every point
        if (m_method != "dbscan") m_input.clip_margin_m = m_params.on_districts ? 0.0 : m_params.cell_m;
        // Gi* and local Moran's I need the counts only; DBSCAN clusters the points held together
        m_input.streamable = m_method != "dbscan";
        if (m_input.batch_rows && m_method == "dbscan")
            throw UsageError("--batch-rows: --method dbscan needs the incident points held together (read without it)");
        if (m_input.batch_rows && m_input.in_database) throw UsageError("--batch-rows and --aggregate-in-database exclude each other");
        m_params.fdr = !m_no_fdr;
        m_params.shape = grid::parse_shape(m_shape);
        m_output.check();
        m_params.shapefile_nulls = io::driver_for(m_output.path, m_output.format) == "ESRI Shapefile";
        (void)m_input.filter();
        if (m_input.in_database) {
            if (!io::is_postgis_source(m_input.src.path))
                throw UsageError("--aggregate-in-database needs a PostgreSQL/PostGIS source (-i \"PG:dbname=... host=...\" --layer TABLE), "
                                 "not '" + m_input.src.path + "'");
            if (m_method == "dbscan") throw UsageError("--aggregate-in-database: --method dbscan needs the incident points (read without it)");
            if (m_params.on_districts || m_params.shape != grid::Shape::square)
                throw UsageError("--aggregate-in-database counts square cells only (--on grid --shape square)");
        }
    }

    void run(Io& io) override
    {
        StderrLog log(name(), m_common, io.err);
        io::OutputSet outs(m_common.overwrite);
        protect_inputs(outs, m_input, &m_districts);
        const io::Staged& out = m_output.stage(outs);
        const pipeline::Inputs in = load_inputs(m_input, m_districts.given() ? &m_districts : nullptr, m_crs, m_common, outs, log);
        const pipeline::HotspotsResult r = pipeline::find_hotspots(m_params, in, log);
        write_late_rejects(in, m_input, log);
        write_layer(r.layer, out, m_output, log);
        outs.commit();
    }


    pipeline::StepResult compute(pipeline::Inputs& in, Log& log) override
    {
        return one_layer_step(pipeline::find_hotspots(m_params, in, log));
    }

private:
    InputOptions m_input;
    DistrictOptions m_districts;
    CrsOptions m_crs;
    OutputOptions m_output;
    PublicationOptions m_publication;
    WeightsOptions m_weights;
    std::string m_method = "gistar", m_on = "grid", m_shape = "square", m_rate;
    unsigned m_permutations = 0;
    bool m_no_fdr = false;
    pipeline::HotspotsParams m_params;
};

} // namespace

std::unique_ptr<Command> make_hotspots_command() { return std::make_unique<HotspotsCommand>(); }

} // namespace hotmap::cli
