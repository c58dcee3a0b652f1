// SPDX-License-Identifier: MIT
// hotmap density: kernel density raster (GeoTIFF) and isoband polygons.
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/density/kernels.hpp"
#include "hotmap/grid/binning.hpp"
#include "hotmap/pipeline/density.hpp"
#include "hotmap/pipeline/network_density.hpp"

#include <sstream>

#include <memory>

namespace hotmap::cli {
namespace {

class DensityCommand final : public Command {
public:
    std::string_view name() const noexcept override { return "density"; }
    std::string_view summary() const noexcept override
    {
        return "Kernel density raster (GeoTIFF, exact kernel sums at cell centres) and isoband polygons with the share "
               "of incidents in each band.";
    }

protected:
    void add_options(std::vector<OptionGroup>& groups, po::positional_options_description&) override
    {
        OptionGroup own("Command options");
        own.metres("cell", &m_params.cell_m, 1e6, "raster cell size, metres")
            .text("bandwidth", &m_bandwidth, "kernel radius r (gaussian: sigma) in metres, or 'auto' (ArcGIS rule; -v prints it)")
            .choice("kernel", &m_kernel, {"quartic", "epanechnikov", "triweight", "uniform", "gaussian"},
                    "quartic|epanechnikov|triweight|uniform|gaussian", {"biweight"})
            .choice("units", &m_units, {"km2", "ha", "m2", "km", "m"},
                    "density units: incidents per km2|ha|m2; with --streets per km|m of street (default km)")
            .shows("km2")
            .flag("edge-correct", &m_params.edge_correct, "divide by the share of the kernel inside the study area (needs --districts)")

            .text("extent", &m_extent, "XMIN,YMIN,XMAX,YMAX in the working CRS (default: districts' extent, else the incidents')")
            .output("isobands", &m_isobands, PathKind::vector, "also write isoband polygons (.geojson .shp .gpkg .fgb)")
            .text("levels", &m_levels,
                  "isoband levels a,b,c in the density units (default: the 50/75/90/95/99th percentiles of the non-zero cells)");
        groups.push_back(std::move(own));
        OptionGroup net = m_streets.describe();
        net.metres("lixel", &m_net.lixel_m, 1e6, "with --streets: longest street piece (lixel) carrying a density value, metres")
            .choice("split", &m_split, {"discontinuous", "continuous"},
                    "with --streets: equal-split rule at junctions (discontinuous: 1/(m-1) into each other street; continuous: "
                    "2/m on, (2-m)/m reflected)");
        groups.push_back(std::move(net));
        groups.push_back(m_publication.describe(true));
        groups.push_back(m_input.describe());
        groups.push_back(m_districts.describe(false));
        groups.push_back(m_crs.describe());
        groups.push_back(m_output.describe(true, "output GeoTIFF (.tif); with --streets a line layer of lixels (.gpkg .geojson .shp .fgb .csv)", true, PathKind::raster));
    }

    void validate() override
    {
        m_params.min_count = m_publication.k();
        m_input.drop_categories = m_dropped = m_publication.dropped(false);
        m_params.kernel = density::parse_kernel(m_kernel);
        if (m_streets.given()) {
            validate_streets();
            return;
        }
        if (m_units == "km" || m_units == "m") throw UsageError("--units " + m_units + " (per length of street) needs --streets");
        if (!m_output.format.empty() || !m_output.layer_name.empty())
            throw UsageError("-f and --layer-name are for the lixel layer of --streets: the density raster is a GeoTIFF");
        m_params.units = density::parse_units(m_units.empty() ? "km2" : m_units);
        if (m_bandwidth != "auto") {
            const auto b = to_number(m_bandwidth);
            if (!b || !(*b >= density::k_min_bandwidth_m) || !(*b <= density::k_max_bandwidth_m))
                throw UsageError("--bandwidth '" + m_bandwidth + "': expected a number of metres in [0.01, 1e6] or 'auto'");
            m_params.bandwidth_m = *b;
        }
        if (!m_extent.empty()) m_params.extent = grid::parse_extent(m_extent);
        if (!m_levels.empty()) {
            std::stringstream ss(m_levels);
            std::string part;
            while (std::getline(ss, part, ',')) m_params.levels.push_back(parse_number("levels", part, -1e300, 1e300, false));
            for (std::size_t i = 1; i < m_params.levels.size(); ++i)
                if (!(m_params.levels[i] > m_params.levels[i - 1]))
                    throw UsageError("--levels '" + m_levels + "': must be strictly ascending");
        }
        m_params.isobands = !m_isobands.empty();
        if (m_params.isobands) io::driver_for(m_isobands, "");
        const std::string ext = io::extension_of(m_output.path);
        if (ext != ".tif" && ext != ".tiff")
            throw UsageError("--output '" + m_output.path + "': the density raster is a GeoTIFF (.tif)");
        if (m_params.edge_correct && !m_districts.given()) throw UsageError("--edge-correct needs --districts (the study area)");
        if (!m_levels.empty() && m_isobands.empty()) throw UsageError("--levels needs --isobands PATH");
        (void)m_input.filter();
    }

    void validate_streets()
    {
        if (m_bandwidth == "auto")
            throw UsageError("--streets needs --bandwidth METRES (the half-width along the streets; 'auto' is the area rule)");
        const auto b = to_number(m_bandwidth);
        if (!b || !(*b >= density::k_min_bandwidth_m) || !(*b <= density::k_max_bandwidth_m))
            throw UsageError("--bandwidth '" + m_bandwidth + "': expected a number of metres in [0.01, 1e6]");
        if (!m_units.empty() && m_units != "km" && m_units != "m")
            throw UsageError("--units " + m_units + ": along the streets the density is per km or m of street");
        const std::pair<const char*, bool> area_only[] = {{"--isobands", !m_isobands.empty()}, {"--levels", !m_levels.empty()},
                                                          {"--edge-correct", m_params.edge_correct}, {"--extent", !m_extent.empty()},
                                                          {"--min-count", m_publication.k() > 0}};
        for (const auto& [opt, given] : area_only)
            if (given) throw UsageError(std::string(opt) + " is for the area density: it cannot be combined with --streets");
        io::driver_for(m_output.path, m_output.format); // a vector layer of lixels
        m_net.streets = m_streets.params;
        m_net.streets.strict = m_input.src.strict;
        m_net.bandwidth_m = *b;
        m_net.kernel = m_params.kernel;
        m_net.split = network::parse_split(m_split);
        m_net.per_metre = m_units == "m";
        (void)m_input.filter();
    }

    void run(Io& io) override
    {
        StderrLog log(name(), m_common, io.err);
        io::OutputSet outs(m_common.overwrite);
        protect_inputs(outs, m_input, &m_districts, nullptr, &m_streets);
        if (m_streets.given()) {
            const io::Staged& lix = m_output.stage(outs);
            const pipeline::Inputs in = load_inputs(m_input, &m_districts, m_crs, m_common, outs, log);
            const pipeline::NetworkDensityResult r = pipeline::estimate_network_density(m_net, in, log);
            write_layer(r.lixels, lix, m_output, log);
            outs.commit();
            return;
        }
        const io::Staged& out = outs.add(m_output.path, io::raster_sidecars());
        const io::Staged* bands = m_isobands.empty() ? nullptr : &outs.add(m_isobands, io::vector_sidecars(m_isobands, "", true));
        pipeline::Inputs in = load_inputs(m_input, &m_districts, m_crs, m_common, outs, log);
        // without isobands the incidents are not needed afterwards: the estimator may free them
        const pipeline::DensityResult r = pipeline::estimate_density(m_params, in, log, true);
        io::write_geotiff(r.raster, out);
        log.info("wrote " + std::to_string(r.raster.grid.ncol) + " x " + std::to_string(r.raster.grid.nrow) + " raster to " + out.target);
        if (bands) {
            OutputOptions o;
            o.path = m_isobands;
            write_layer(*r.isobands, *bands, o, log);
        }
        outs.commit();
    }


    pipeline::StepResult compute(pipeline::Inputs& in, Log& log) override
    {
        if (m_streets.given()) {
            auto n = std::make_shared<const pipeline::NetworkDensityResult>(pipeline::estimate_network_density(m_net, in, log));
            pipeline::StepResult s;
            s.layers.push_back({"output", "", &n->lixels, nullptr, {}});
            s.result = n;
            return s;
        }
        auto r = std::make_shared<const pipeline::DensityResult>(pipeline::estimate_density(m_params, in, log, false));
        pipeline::StepResult s;
        s.layers.push_back({"output", "", nullptr, &r->raster, {}});
        if (r->isobands) s.layers.push_back({"isobands", "", &*r->isobands, nullptr, {}});
        s.result = r;
        return s;
    }

private:
    InputOptions m_input;
    DistrictOptions m_districts;
    CrsOptions m_crs;
    OutputOptions m_output;
    PublicationOptions m_publication;
    StreetOptions m_streets;
    pipeline::NetworkDensityParams m_net;
    std::string m_split = "discontinuous";
    std::string m_bandwidth = "auto", m_kernel = "quartic", m_units, m_extent, m_isobands, m_levels;
    pipeline::DensityParams m_params;
};

} // namespace

std::unique_ptr<Command> make_density_command() { return std::make_unique<DensityCommand>(); }

} // namespace hotmap::cli
