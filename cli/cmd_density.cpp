// SPDX-License-Identifier: MIT
// hotmap density: kernel density raster (GeoTIFF) and isoband polygons.
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/density/bandwidth.hpp"
#include "hotmap/density/kde.hpp"
#include "hotmap/error.hpp"
#include "hotmap/grid/binning.hpp"
#include "hotmap/io/atomic_output.hpp"
#include "hotmap/io/isobands.hpp"
#include "hotmap/io/raster.hpp"
#include "hotmap/report/qml.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <utility>

namespace hotmap::cli {
namespace {

std::string num(double v)
{
    char b[64];
    std::snprintf(b, sizeof b, "%.10g", v);
    return b;
}

class DensityCommand final : public Command {
public:
    std::string_view name() const noexcept override { return "density"; }
    std::string_view summary() const noexcept override
    {
        return "Kernel density raster (GeoTIFF, exact kernel sums at cell centres) and isoband polygons with the share "
               "of incidents in each band.";
    }

protected:
    void add_options(std::vector<po::options_description>& groups, po::positional_options_description&) override
    {
        po::options_description own("Command options");
        own.add_options()
            ("cell", po::value<double>(&m_cell)->default_value(50, "50")->notifier(check_positive("cell")), "raster cell size, metres")
            ("bandwidth", po::value<std::string>(&m_bandwidth)->default_value("auto"),
             "kernel radius r (gaussian: sigma) in metres, or 'auto' (ArcGIS rule; -v prints it)")
            ("kernel", po::value<std::string>(&m_kernel)->default_value("quartic"), "quartic|epanechnikov|triweight|uniform|gaussian")
            ("units", po::value<std::string>(&m_units)->default_value("km2"), "density units: incidents per km2|ha|m2")
            ("edge-correct", po::bool_switch(&m_edge), "divide by the share of the kernel inside the study area (needs --districts)")
            ("extent", po::value<std::string>(&m_extent),
             "XMIN,YMIN,XMAX,YMAX in the working CRS (default: districts' extent, else the incidents')")
            ("isobands", po::value<std::string>(&m_isobands), "also write isoband polygons (.geojson .shp .gpkg .fgb)")
            ("levels", po::value<std::string>(&m_levels),
             "isoband levels a,b,c in the density units (default: the 50/75/90/95/99th percentiles of the non-zero cells)");
        groups.push_back(own);
        groups.push_back(m_input.describe());
        groups.push_back(m_districts.describe(false));
        groups.push_back(m_crs.describe());
        groups.push_back(m_output.describe(true, "output GeoTIFF (.tif)"));
    }

    void validate() override
    {
        try {
            m_params.kernel = density::parse_kernel(m_kernel);
            m_params.units = density::parse_units(m_units);
            if (m_bandwidth != "auto") {
                std::size_t used = 0;
                double v = 0;
                try {
                    v = std::stod(m_bandwidth, &used);
                } catch (const std::exception&) {
                    used = 0;
                }
                if (used != m_bandwidth.size() || !(v > 0) || !std::isfinite(v))
                    throw ParameterError("--bandwidth '" + m_bandwidth + "': expected a positive number of metres or 'auto'");
                m_params.bandwidth_m = v;
            }
            if (!m_extent.empty()) m_extent_v = grid::parse_extent(m_extent);
            if (!m_levels.empty()) {
                std::stringstream ss(m_levels);
                std::string part;
                while (std::getline(ss, part, ',')) {
                    std::size_t used = 0;
                    double v = 0;
                    try {
                        v = std::stod(part, &used);
                    } catch (const std::exception&) {
                        used = 0;
                    }
                    if (used != part.size() || !std::isfinite(v)) throw ParameterError("--levels '" + m_levels + "': expected numbers a,b,c");
                    m_level_v.push_back(v);
                }
                for (std::size_t i = 1; i < m_level_v.size(); ++i)
                    if (!(m_level_v[i] > m_level_v[i - 1])) throw ParameterError("--levels '" + m_levels + "': must be strictly ascending");
            }
            if (!m_isobands.empty()) io::driver_for(m_isobands, "");
        } catch (const ParameterError& e) {
            throw UsageError(e.what());
        }
        const std::string ext = io::extension_of(m_output.path);
        if (ext != ".tif" && ext != ".tiff" && m_output.format != "GTiff")
            throw UsageError("--output '" + m_output.path + "': the density raster is a GeoTIFF (.tif)");
        if (m_edge && !m_districts.given()) throw UsageError("--edge-correct needs --districts (the study area)");
        if (!m_levels.empty() && m_isobands.empty()) throw UsageError("--levels needs --isobands PATH");
    }

    void run(Io& io) override
    {
        io::check_writable(m_output.path, m_common.overwrite);
        if (!m_isobands.empty()) io::check_writable(m_isobands, m_common.overwrite);
        const Log lg = log(io);
        Loaded L = load_inputs(m_input, &m_districts, m_crs, m_common, lg);
        Extent e = m_extent_v;
        std::string from = "--extent";
        if (m_extent.empty()) {
            e = L.districts.empty() ? L.incidents.extent() : districts::extent(L.districts);
            from = L.districts.empty() ? "incidents" : "districts";
        }
        if (e.empty()) throw InputError(m_input.src.path + ": no incident accepted and no districts: no extent for the raster");
        grid::GridSpec g = grid::GridSpec::snapped(e, m_cell, 200'000'000);
        g.crs = L.working;
        if (m_bandwidth == "auto") {
            const density::BandwidthRule r = density::auto_bandwidth(L.incidents.items, L.incidents.has_weight);
            m_params.bandwidth_m = r.bandwidth;
            lg.v("bandwidth auto: " + num(r.bandwidth) + " m = 0.9 * min(SD " + num(r.standard_distance) + ", sqrt(1/ln 2) * Dm " +
                 num(r.median_distance) + ") * n^-0.2, n = " + num(r.n));
        }
        m_params.threads = m_common.threads;
        m_params.edge_correct = m_edge;
        lg.v("raster: " + std::to_string(g.ncol) + " x " + std::to_string(g.nrow) + " cells of " + num(m_cell) + " m, origin (" +
             num(g.x0) + ", " + num(g.y0) + ") (extent from " + from + "); kernel " + density::kernel_name(m_params.kernel) +
             ", bandwidth " + num(m_params.bandwidth_m) + " m, units incidents per " + density::units_name(m_params.units) +
             (m_edge ? ", edge-corrected" : ""));
        std::vector<std::uint8_t> mask;
        if (!L.districts.empty()) {
            const std::size_t m = density::support_margin(m_params.kernel, m_params.bandwidth_m, m_cell);
            grid::GridSpec ext = g;
            ext.x0 = g.x0 - static_cast<double>(m) * m_cell;
            ext.y0 = g.y0 - static_cast<double>(m) * m_cell;
            ext.ncol = g.ncol + 2 * m;
            ext.nrow = g.nrow + 2 * m;
            const std::vector<std::int32_t> d = grid::centre_districts(ext, grid::Shape::square, L.districts, m_common.threads);
            mask.resize(d.size());
            std::size_t inside = 0;
            for (std::size_t i = 0; i < d.size(); ++i) mask[i] = d[i] >= 0;
            for (std::size_t r = m; r < m + g.nrow; ++r)
                for (std::size_t c = m; c < m + g.ncol; ++c) inside += mask[r * ext.ncol + c];
            m_params.mask = &mask;
            m_params.mask_margin = m;
            lg.v("study area: " + std::to_string(inside) + " of " + std::to_string(g.size()) + " cells have their centre in a district");
        }
        const std::size_t n_incidents = L.incidents.items.size();
        // without isobands the incidents are not needed afterwards: let the estimator free them
        const std::vector<double> v = m_isobands.empty() ? density::estimate(std::move(L.incidents.items), g, m_params)
                                                         : density::estimate(L.incidents.items, g, m_params);

        io::RasterOut out;
        out.grid = g;
        out.values.assign(v.begin(), v.end());
        if (m_params.mask) out.nodata = static_cast<float>(m_params.nodata);
        out.description = "density, incidents per " + density::units_name(m_params.units);
        out.metadata = {{"HOTMAP_KERNEL", density::kernel_name(m_params.kernel)},
                        {"HOTMAP_BANDWIDTH_M", num(m_params.bandwidth_m)},
                        {"HOTMAP_UNITS", "incidents per " + density::units_name(m_params.units)},
                        {"HOTMAP_EDGE_CORRECTED", m_edge ? "yes" : "no"},
                        {"HOTMAP_INCIDENTS", std::to_string(n_incidents)}};
        if (!m_isobands.empty()) write_isobands(v, g, L, lg);
        io::write_geotiff(out, m_output.path, m_common.overwrite);
        lg.v("wrote " + std::to_string(g.ncol) + " x " + std::to_string(g.nrow) + " raster to " + m_output.path);
    }

private:
    void write_isobands(const std::vector<double>& v, const grid::GridSpec& g, const Loaded& L, const Log& lg)
    {
        std::vector<double> levels = m_level_v;
        if (levels.empty()) {
            std::vector<double> nz;
            for (double x : v)
                if (x > 0 && (!m_params.mask || x != m_params.nodata)) nz.push_back(x);
            std::sort(nz.begin(), nz.end());
            for (double q : {0.5, 0.75, 0.9, 0.95, 0.99}) {
                if (nz.empty()) break;
                const double l = nz[static_cast<std::size_t>(q * static_cast<double>(nz.size() - 1))];
                if (levels.empty() || l > levels.back()) levels.push_back(l);
            }
            if (levels.empty()) throw InputError("--isobands: the density is zero everywhere; no band to draw");
            std::string s;
            for (double l : levels) s += (s.empty() ? "" : ",") + num(l);
            lg.v("isoband levels (percentiles 50/75/90/95/99 of non-zero cells): " + s);
        }
        const std::vector<io::Isoband> bands =
            io::isobands(g, v, levels, m_params.mask ? std::optional<double>(m_params.nodata) : std::nullopt);
        // incidents per band: point in polygon (closed; a point on a contour counts in the lower band)
        std::vector<districts::District> polys;
        for (const io::Isoband& b : bands) polys.push_back({num(b.lower), geom::Geometry::from_wkb(b.wkb), 0});
        const std::vector<std::int32_t> which = districts::first_district(polys, L.incidents.items, m_common.threads);
        std::vector<std::int64_t> count(bands.size(), 0);
        for (std::int32_t k : which)
            if (k >= 0) ++count[static_cast<std::size_t>(k)];
        const double total = static_cast<double>(L.incidents.items.size());
        io::VectorLayer layer;
        layer.name = "isobands";
        layer.kind = io::GeomKind::polygon;
        layer.crs = L.working;
        layer.add_field("band", io::FieldType::integer);
        layer.add_field("lower", io::FieldType::real);
        layer.add_field("upper", io::FieldType::real);
        layer.add_field("incidents", io::FieldType::integer);
        layer.add_field("share_pct", io::FieldType::real);
        for (std::size_t k = 0; k < bands.size(); ++k) {
            const auto lvl = std::find(levels.begin(), levels.end(), bands[k].lower);
            layer.rows.push_back({static_cast<std::int64_t>(lvl - levels.begin() + 1), bands[k].lower, bands[k].upper, count[k],
                                  total > 0 ? 100.0 * static_cast<double>(count[k]) / total : 0.0});
            layer.wkb.push_back(bands[k].wkb);
        }
        std::vector<double> breaks = levels;
        double top = levels.back();
        for (const io::Isoband& b : bands) top = std::max(top, b.upper);
        breaks.push_back(top > levels.back() ? top : levels.back() * 1.000001 + 1e-12);
        layer.qml = report::graduated_qml("lower", io::GeomKind::polygon, breaks, report::ramp("YlOrRd", static_cast<int>(levels.size())), 3);
        layer.metadata = "hotmap density isobands, incidents per " + density::units_name(m_params.units);
        OutputOptions o;
        o.path = m_isobands;
        write_layer(layer, o, m_common.overwrite, lg);
    }

    InputOptions m_input;
    DistrictOptions m_districts;
    CrsOptions m_crs;
    OutputOptions m_output;
    double m_cell = 50;
    std::string m_bandwidth = "auto", m_kernel = "quartic", m_units = "km2", m_extent, m_isobands, m_levels;
    bool m_edge = false;
    Extent m_extent_v;
    std::vector<double> m_level_v;
    density::KdeParams m_params;
};

} // namespace

std::unique_ptr<Command> make_density_command() { return std::make_unique<DensityCommand>(); }

} // namespace hotmap::cli
