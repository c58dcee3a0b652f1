// SPDX-License-Identifier: MIT
// hotmap grid: incidents aggregated to a square or hexagonal grid.
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/error.hpp"
#include "hotmap/grid/binning.hpp"
#include "hotmap/io/atomic_output.hpp"
#include "hotmap/report/qml.hpp"

#include <cmath>
#include <cstdio>
#include <set>

namespace hotmap::cli {
namespace {

std::string num(double v)
{
    char b[64];
    std::snprintf(b, sizeof b, "%.10g", v);
    return b;
}


class GridCommand final : public Command {
public:
    std::string_view name() const noexcept override { return "grid"; }
    std::string_view summary() const noexcept override
    {
        return "Incidents aggregated to a square or hexagonal grid: count, weight, district and per-category counts per "
               "cell, clipped to the districts when given.";
    }

protected:
    void add_options(std::vector<po::options_description>& groups, po::positional_options_description&) override
    {
        po::options_description own("Command options");
        own.add_options()
            ("cell", po::value<double>(&m_cell)->required()->notifier(check_positive("cell")),
             "cell size in metres (square: side; hex: distance between opposite edges)")
            ("shape", po::value<std::string>(&m_shape)->default_value("square"), "square|hex (pointy-top hexagons)")
            ("extent", po::value<std::string>(&m_extent),
             "XMIN,YMIN,XMAX,YMAX in the working CRS (default: districts' extent, else the incidents')");
        groups.push_back(own);
        groups.push_back(m_input.describe());
        groups.push_back(m_districts.describe(false));
        groups.push_back(m_crs.describe());
        groups.push_back(m_output.describe(true, "output layer (.geojson .shp .gpkg .fgb .csv)"));
    }

    void validate() override
    {
        try {
            m_shape_v = grid::parse_shape(m_shape);
            if (!m_extent.empty()) m_extent_v = grid::parse_extent(m_extent);
            io::driver_for(m_output.path, m_output.format);
        } catch (const ParameterError& e) {
            throw UsageError(e.what());
        }
    }

    void run(Io& io) override
    {
        io::check_writable(m_output.path, m_common.overwrite);
        const Log lg = log(io);
        Loaded L = load_inputs(m_input, &m_districts, m_crs, m_common, lg);
        Extent e = m_extent_v;
        std::string from = "--extent";
        if (m_extent.empty()) {
            e = L.districts.empty() ? L.incidents.extent() : districts::extent(L.districts);
            from = L.districts.empty() ? "incidents" : "districts";
        }
        if (e.empty()) throw InputError(m_input.src.path + ": no incident accepted and no districts: no extent for the grid");
        const grid::Lattice lat = grid::make_lattice(e, m_cell, m_shape_v, L.districts.empty() ? nullptr : &L.districts, m_common.threads);
        lg.v("grid: " + m_shape + " cells of " + num(m_cell) + " m, origin (" + num(lat.spec.x0) + ", " + num(lat.spec.y0) + "), " + std::to_string(lat.spec.ncol) + " x " + std::to_string(lat.spec.nrow) +
             " (extent from " + from + "); " + std::to_string(lat.size()) + " cells kept" +
             (L.districts.empty() ? "" : " (centre inside a district)"));
        const bool by_cat = L.incidents.has_category;
        const grid::Counts c = grid::bin(lat, L.incidents, by_cat, m_common.threads);
        lg.v("incidents in kept cells: " + std::to_string(L.incidents.items.size() - c.outside) + "; outside: " + std::to_string(c.outside));

        io::VectorLayer layer;
        layer.name = "grid";
        layer.kind = io::GeomKind::polygon;
        layer.crs = L.working;
        for (const char* f : {"cell_id", "row", "col", "count"}) layer.add_field(f, io::FieldType::integer);
        layer.add_field("weight", io::FieldType::real);
        layer.add_field("district", io::FieldType::string);
        std::set<std::string> used;
        if (by_cat)
            for (const std::string& cat : L.incidents.categories) {
                std::string n = "c_" + field_suffix(cat);
                while (used.count(n)) n += "_";
                used.insert(n);
                layer.add_field(n, io::FieldType::integer);
            }
        layer.rows.reserve(lat.size());
        layer.wkb.reserve(lat.size());
        for (std::size_t k = 0; k < lat.size(); ++k) {
            const std::size_t id = lat.cells[k];
            std::vector<io::Value> v{static_cast<std::int64_t>(id), static_cast<std::int64_t>(lat.spec.row_of(id)),
                                     static_cast<std::int64_t>(lat.spec.col_of(id)), static_cast<std::int64_t>(c.count[k]), c.weight[k]};
            v.emplace_back(lat.district[k] >= 0 ? io::Value(L.districts[static_cast<std::size_t>(lat.district[k])].name) : io::Value());
            if (by_cat)
                for (const auto& per : c.by_category) v.emplace_back(static_cast<std::int64_t>(per[k]));
            layer.rows.push_back(std::move(v));
            layer.wkb.push_back(grid::cell_wkb(lat, k));
        }
        std::vector<double> nonzero;
        for (double x : c.count)
            if (x > 0) nonzero.push_back(x);
        std::vector<double> breaks = report::quantile_breaks(nonzero, 5);
        if (breaks.size() < 2) breaks = {0, 1};
        breaks.front() = 0;
        layer.qml = report::graduated_qml("count", io::GeomKind::polygon, breaks, report::ramp("YlOrRd", static_cast<int>(breaks.size()) - 1), 0);
        layer.metadata = "hotmap grid: " + m_shape + " cells of " + num(m_cell) + " m";
        write_layer(layer, m_output, m_common.overwrite, lg);
    }

private:
    InputOptions m_input;
    DistrictOptions m_districts;
    CrsOptions m_crs;
    OutputOptions m_output;
    double m_cell = 0;
    std::string m_shape = "square", m_extent;
    grid::Shape m_shape_v = grid::Shape::square;
    Extent m_extent_v;
};

} // namespace

std::unique_ptr<Command> make_grid_command() { return std::make_unique<GridCommand>(); }

} // namespace hotmap::cli
