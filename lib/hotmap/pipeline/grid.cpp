// SPDX-License-Identifier: MIT
// The grid pipeline.
#include "hotmap/pipeline/grid.hpp"

#include "hotmap/privacy/publish.hpp"

#include "hotmap/error.hpp"
#include "hotmap/text.hpp"
#include "hotmap/report/qml.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

namespace hotmap::pipeline {
std::size_t grid_layer_bytes_per_cell(std::size_t categories) { return 32 + 8 * categories; }

namespace {

// --aggregate-in-database: the counts per cell come from the server (io::postgis_square_counts),
// with the row accounting; categories are the accepted rows' ones, sorted as the reader sorts them.
grid::Counts counts_from_database(const Inputs& in, const grid::Lattice& lat, bool by_cat, std::vector<std::string>& categories,
                                  Log& log)
{
    const io::PostgisTable& t = *in.database;
    log.info("server query: " + io::postgis_square_sql(in.database_source, t, in.database_filter, in.working, lat.spec.x0, lat.spec.y0,
                                                      lat.spec.cell));
    const std::vector<io::AggregateGroup> groups =
        io::postgis_square_counts(in.database_source, t, in.database_filter, in.working, lat.spec.x0, lat.spec.y0, lat.spec.cell);
    IncidentSet acct;
    acct.source = in.incidents.source;
    categories.clear();
    if (by_cat) categories = accepted_categories(groups);
    grid::Counts c;
    c.count.assign(lat.size(), 0);
    c.weight.assign(lat.size(), 0);
    if (by_cat) c.by_category.assign(categories.size(), std::vector<double>(lat.size(), 0));
    Accounting& a = acct.accounting;
    for (const io::AggregateGroup& g : groups) {
        if (!account_group(a, g)) continue;
        const bool inside = g.col >= 0 && g.row >= 0 && static_cast<std::uint64_t>(g.col) < lat.spec.ncol &&
                            static_cast<std::uint64_t>(g.row) < lat.spec.nrow;
        const std::int64_t k =
            inside ? lat.position[static_cast<std::size_t>(g.row) * lat.spec.ncol + static_cast<std::size_t>(g.col)] : -1;
        if (k < 0) {
            c.outside += g.count;
            continue;
        }
        const auto kk = static_cast<std::size_t>(k);
        c.count[kk] += static_cast<double>(g.count);
        c.weight[kk] += g.weight;
        if (by_cat) {
            const auto ci = std::lower_bound(categories.begin(), categories.end(), g.category) - categories.begin();
            c.by_category[static_cast<std::size_t>(ci)][kk] += static_cast<double>(g.count);
        }
    }
    log_accounting(acct, false, log);
    return c;
}

// Inputs::streamed: each batch binned on its own and the counts added up; the categories are
// the names of every batch, sorted as the reader sorts them.
grid::Counts counts_from_batches(const Inputs& in, const grid::Lattice& lat, bool by_cat, std::vector<std::string>& categories, Log& log)
{
    grid::Counts c;
    c.count.assign(lat.size(), 0);
    c.weight.assign(lat.size(), 0);
    std::map<std::string, std::vector<double>> per; // counts per category name
    const IncidentSet seen = stream_incidents(
        in,
        [&](const IncidentSet& b) {
            const grid::Counts k = grid::bin(lat, b, by_cat, in.threads);
            for (std::size_t i = 0; i < lat.size(); ++i) {
                c.count[i] += k.count[i];
                c.weight[i] += k.weight[i];
            }
            c.outside += k.outside;
            for (std::size_t ci = 0; by_cat && ci < k.by_category.size(); ++ci) {
                std::vector<double>& into = per[b.categories[ci]];
                if (into.empty()) into.assign(lat.size(), 0);
                for (std::size_t i = 0; i < lat.size(); ++i) into[i] += k.by_category[ci][i];
            }
        },
        &log);
    categories = seen.categories;
    if (by_cat)
        for (const std::string& n : categories) {
            auto it = per.find(n);
            c.by_category.push_back(it != per.end() ? std::move(it->second) : std::vector<double>(lat.size(), 0));
        }
    return c;
}

/// What the grid layer's rows are made of (io::RowSource): the lattice, the counts and the
/// district names.
struct GridRows {
    grid::Lattice lattice;
    grid::Counts counts;
    std::vector<std::string> district_names;

    void fill(std::size_t k, std::vector<io::Value>& v, io::FeatureGeometry& g) const
    {
        const std::size_t id = lattice.cells[k];
        v[0] = static_cast<std::int64_t>(id);
        v[1] = static_cast<std::int64_t>(lattice.spec.row_of(id));
        v[2] = static_cast<std::int64_t>(lattice.spec.col_of(id));
        v[3] = static_cast<std::int64_t>(counts.count[k]);
        v[4] = counts.weight[k];
        if (lattice.district[k] >= 0) v[5] = district_names[static_cast<std::size_t>(lattice.district[k])];
        else v[5] = std::monostate{};
        std::size_t f = 6;
        for (const auto& per : counts.by_category) v[f++] = static_cast<std::int64_t>(per[k]);
        grid::cell_ring(lattice, k, g.set_ring());
    }
};

} // namespace

std::string left_out_by_server(const Inputs& in)
{
    const auto boxed = in.incidents.accounting.filtered_by.find(reason::f_outside_study_area);
    if (boxed == in.incidents.accounting.filtered_by.end()) return {};
    return " (and " + std::to_string(boxed->second) + " rows left out by the server, beyond the districts' bounding box)";
}

Extent grid_extent(const Inputs& in, const std::optional<Extent>& given, std::string& from)
{
    if (given) {
        from = "--extent";
        return *given;
    }
    if (in.database && !in.has_districts()) {
        from = "incidents (on the server)";
        return io::postgis_extent(in.database_source, *in.database, in.database_filter, in.working);
    }
    if (in.streamed && !in.has_districts()) {
        from = "incidents (a first pass over the batches)";
        Extent e;
        (void)stream_incidents(in, [&](const IncidentSet& b) { e.expand(b.extent()); }, nullptr);
        return e;
    }
    return in.study_extent(&from);
}

grid::Counts cell_counts(const Inputs& in, const grid::Lattice& lat, bool by_category, std::vector<std::string>& categories, Log& log)
{
    if (in.streamed) return counts_from_batches(in, lat, by_category, categories, log);
    if (!in.database) {
        categories = in.incidents.categories;
        return grid::bin(lat, in.incidents, by_category, in.threads);
    }
    if (lat.shape != grid::Shape::square)
        throw ParameterError("--aggregate-in-database counts square cells only: --shape hex needs the rows (read without it)");
    return counts_from_database(in, lat, by_category, categories, log);
}

GridResult make_grid(const GridParams& p, const Inputs& in, Log& log)
{
    if (in.database && p.shape == grid::Shape::hex)
        throw ParameterError("--aggregate-in-database counts square cells only: --shape hex needs the rows (read without it)");
    std::string from;
    const Extent e = grid_extent(in, p.extent, from);
    if (e.empty()) throw InputError(io::redact_source(in.incidents.source) + ": no incident accepted and no districts: no extent for the grid");
    const bool by_cat = in.incidents.has_category;
    grid::Lattice lat = grid::make_lattice(e, p.cell_m, p.shape, in.has_districts() ? &in.districts.polygons : nullptr,
                                                 in.threads, grid_layer_bytes_per_cell(by_cat ? in.incidents.categories.size() : 0));
    log.info("grid: " + std::string(p.shape == grid::Shape::hex ? "hex" : "square") + " cells of " + text::number(p.cell_m) + " m, origin (" +
             text::number(lat.spec.x0) + ", " + text::number(lat.spec.y0) + "), " + std::to_string(lat.spec.ncol) + " x " + std::to_string(lat.spec.nrow) +
             " (extent from " + from + "); " + std::to_string(lat.size()) + " cells kept" +
             (in.has_districts() ? " (centre inside a district)" : ""));
    std::vector<std::string> categories;
    grid::Counts c = cell_counts(in, lat, by_cat, categories, log);
    std::uint64_t binned = 0;
    for (double n : c.count) binned += static_cast<std::uint64_t>(n);
    log.info("incidents in kept cells: " + std::to_string(binned) + "; outside: " + std::to_string(c.outside) + left_out_by_server(in));

    GridResult r;
    r.cells = lat.size();
    r.outside = c.outside;
    io::VectorLayer& layer = r.layer;
    layer.name = "grid";
    layer.kind = io::GeomKind::polygon;
    layer.crs = in.working;
    for (const char* f : {"cell_id", "row", "col", "count"}) layer.add_field(f, io::FieldType::integer);
    layer.add_field("weight", io::FieldType::real);
    layer.add_field("district", io::FieldType::string);
    if (by_cat)
        for (const std::string& n : io::unique_field_names("c_", categories)) layer.add_field(n, io::FieldType::integer);
    // zero has its own class; the others on whole numbers, ties merged
    layer.qml = report::count_qml("count", io::GeomKind::polygon, c.count, 5, "incidents per cell");
    // the rows are made as they are written, from the lattice and the counts
    auto cells = std::make_shared<GridRows>();
    cells->lattice = std::move(lat);
    std::vector<std::int64_t>().swap(cells->lattice.position);
    cells->counts = std::move(c);
    if (in.has_districts())
        for (std::size_t d = 0; d < in.districts.size(); ++d) cells->district_names.push_back(in.districts.name(d));
    layer.source.count = cells->lattice.size();
    layer.source.fill = [cells = std::shared_ptr<const GridRows>(std::move(cells))](std::size_t k, std::vector<io::Value>& v,
                                                                                    io::FeatureGeometry& g) { cells->fill(k, v, g); };
    layer.metadata = "hotmap grid: " + std::string(p.shape == grid::Shape::hex ? "hex" : "square") + " cells of " + text::number(p.cell_m) + " m";
    layer.title = with_filters("Incidents per grid cell (" + std::string(p.shape == grid::Shape::hex ? "hexagons" : "squares") + " of " +
                                   text::number(p.cell_m) + " m)",
                               in);
    layer.abstract = "Incidents counted in each cell of a " + std::string(p.shape == grid::Shape::hex ? "hexagonal" : "square") + " grid of " +
                     text::number(p.cell_m) + " m cells (field count; weight: the summed incident weights" +
                     (by_cat ? "; c_<category>: count per category" : "") + ")" + (in.filters.empty() ? "" : "; incidents: " + in.filters) + ".";
    if (p.min_count) {
        layer.materialise(); // disclosure control changes the rows: held, for the few runs that publish
        log.info(privacy::suppress_layer(layer, privacy::LayerKind::grid, p.min_count).text);
        // the classes of what is published (no class of 1 to K-1 left empty in the legend)
        std::vector<double> shown;
        for (const auto& row : layer.rows)
            if (const auto* n = std::get_if<std::int64_t>(&row[3])) shown.push_back(static_cast<double>(*n));
        layer.qml = report::with_suppressed_class(report::count_qml("count", io::GeomKind::polygon, shown, 5, "incidents per cell"),
                                                  io::GeomKind::polygon, privacy::suppressed_label(p.min_count));
    }
    return r;
}

} // namespace hotmap::pipeline
