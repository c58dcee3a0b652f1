// SPDX-License-Identifier: MIT
// Square and pointy-top hexagonal lattices, clipping to districts, incident binning, cell polygons.
#include "hotmap/grid/binning.hpp"

#include "hotmap/error.hpp"
#include "hotmap/geom/geometry.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/resources.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace hotmap::grid {

Shape parse_shape(const std::string& s)
{
    if (s == "square") return Shape::square;
    if (s == "hex" || s == "hexagon") return Shape::hex;
    throw ParameterError("--shape '" + s + "': expected square or hex");
}

Extent parse_extent(const std::string& s)
{
    double v[4];
    std::size_t pos = 0;
    for (int k = 0; k < 4; ++k) {
        const std::size_t end = k < 3 ? s.find(',', pos) : s.size();
        if (end == std::string::npos) throw ParameterError("--extent '" + s + "': expected XMIN,YMIN,XMAX,YMAX");
        try {
            std::size_t used = 0;
            const std::string part = s.substr(pos, end - pos);
            v[k] = std::stod(part, &used);
            if (used != part.size() || !std::isfinite(v[k])) throw std::invalid_argument(part);
        } catch (const std::exception&) {
            throw ParameterError("--extent '" + s + "': expected XMIN,YMIN,XMAX,YMAX (numbers)");
        }
        pos = end + 1;
    }
    if (!(v[2] > v[0] && v[3] > v[1])) throw ParameterError("--extent '" + s + "': XMAX must exceed XMIN and YMAX must exceed YMIN");
    return {v[0], v[1], v[2], v[3]};
}

namespace {

/// Hex centre from row/col (the one formula used everywhere, so ties compare equal).
inline Point hex_centre(const GridSpec& g, long long row, long long col)
{
    const double off = (row & 1) ? 0.0 : 0.5;
    return {g.x0 + (static_cast<double>(col) + off) * g.cell, g.y0 + static_cast<double>(row) * g.hex_pitch()};
}

std::optional<std::size_t> locate_hex(const GridSpec& g, double x, double y)
{
    if (!std::isfinite(x) || !std::isfinite(y)) return std::nullopt;
    const double pitch = g.hex_pitch();
    const double fr = std::floor((y - g.y0) / pitch);
    if (fr < -2 || fr > static_cast<double>(g.nrow) + 1) return std::nullopt;
    const long long r0 = static_cast<long long>(fr);
    double best = std::numeric_limits<double>::infinity();
    long long br = -1, bc = -1;
    // Nearest centre among rows r0, r0+1 (rows further away cannot contain the point) and
    // the three columns around the rounded one in each row (guards against rounding).
    for (long long r = r0 - 1; r <= r0 + 2; ++r) {
        const double off = (r & 1) ? 0.0 : 0.5;
        const long long c0 = static_cast<long long>(std::floor((x - g.x0) / g.cell - off + 0.5));
        for (long long c = c0 - 1; c <= c0 + 1; ++c) {
            const Point p = hex_centre(g, r, c);
            const double d2 = (x - p.x) * (x - p.x) + (y - p.y) * (y - p.y);
            // ties: the highest (row, col) wins; loops run in increasing (row, col), so <=
            if (d2 <= best) {
                best = d2;
                br = r;
                bc = c;
            }
        }
    }
    if (br < 0 || bc < 0 || br >= static_cast<long long>(g.nrow) || bc >= static_cast<long long>(g.ncol)) return std::nullopt;
    return static_cast<std::size_t>(br) * g.ncol + static_cast<std::size_t>(bc);
}

void put_u32(std::string& s, std::uint32_t v)
{
    char b[4];
    std::memcpy(b, &v, 4);
    s.append(b, 4);
}
void put_f64(std::string& s, double v)
{
    char b[8];
    std::memcpy(b, &v, 8);
    s.append(b, 8);
}

} // namespace

Point cell_centre(const GridSpec& g, Shape shape, std::size_t id)
{
    if (shape == Shape::square) return g.centre(id);
    return hex_centre(g, static_cast<long long>(g.row_of(id)), static_cast<long long>(g.col_of(id)));
}

std::optional<std::size_t> locate(const GridSpec& g, Shape shape, double x, double y)
{
    return shape == Shape::square ? g.locate(x, y) : locate_hex(g, x, y);
}

std::vector<std::int32_t> centre_districts(const GridSpec& g, Shape shape, const geom::NamedPolygons& d, unsigned threads)
{
    std::vector<std::int32_t> out(g.size(), -1);
    if (d.empty() || g.size() == 0) return out;
    std::vector<Point> centres(g.size());
    parallel::for_each(g.size(), 1 << 16, threads, [&](std::size_t id) { centres[id] = cell_centre(g, shape, id); });
    return d.first_containing(centres, threads);
}

Lattice make_lattice(const Extent& e, double cell_m, Shape shape, const geom::NamedPolygons* clip, unsigned threads,
                     std::size_t bytes_per_cell)
{
    Lattice l;
    l.shape = shape;
    l.spec = shape == Shape::square ? GridSpec::snapped(e, cell_m, 200'000'000) : GridSpec::snapped_hex(e, cell_m, 200'000'000);
    const GridSpec& g = l.spec;
    resources::check_memory(static_cast<double>(g.size()) * static_cast<double>(k_lattice_bytes_per_cell + bytes_per_cell),
                            "a " + std::to_string(g.ncol) + " x " + std::to_string(g.nrow) + " grid of " + resources::metres(cell_m) +
                                " cells",
                            "use a larger --cell or a smaller --extent");
    std::vector<std::int32_t> dist;
    const bool clipped = clip && !clip->empty();
    if (clipped) dist = centre_districts(g, shape, *clip, threads);
    l.position.assign(g.size(), -1);
    const double half = 0.5 * cell_m, radius = cell_m / std::sqrt(3.0);
    for (std::size_t id = 0; id < g.size(); ++id) {
        const Point c = cell_centre(g, shape, id);
        bool keep;
        if (clipped)
            keep = dist[id] >= 0;
        else if (shape == Shape::square)
            keep = true;
        else // hexagon bounding box meets the extent
            keep = c.x + half >= e.xmin && c.x - half <= e.xmax && c.y + radius >= e.ymin && c.y - radius <= e.ymax;
        if (!keep) continue;
        l.position[id] = static_cast<std::int64_t>(l.cells.size());
        l.cells.push_back(id);
        l.centres.push_back(c);
        l.district.push_back(clipped ? dist[id] : -1);
    }
    return l;
}

Counts bin(const Lattice& l, const IncidentSet& s, bool by_category, unsigned threads)
{
    Counts c;
    c.count.assign(l.size(), 0.0);
    c.weight.assign(l.size(), 0.0);
    const bool cats = by_category && !s.categories.empty();
    if (cats) c.by_category.assign(s.categories.size(), std::vector<double>(l.size(), 0.0));
    const std::size_t n = s.items.size();
    // Locate in parallel, accumulate in incident order (thread-count independent sums).
    std::vector<std::int64_t> where(n, -1);
    parallel::for_each(n, 65536, threads, [&](std::size_t i) { where[i] = l.find(s.items[i].x, s.items[i].y); });
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t k = where[i];
        if (k < 0) {
            ++c.outside;
            continue;
        }
        const auto u = static_cast<std::size_t>(k);
        c.count[u] += 1;
        c.weight[u] += s.items[i].weight;
        if (cats && s.items[i].category >= 0) c.by_category[static_cast<std::size_t>(s.items[i].category)][u] += 1;
    }
    return c;
}

void cell_ring(const Lattice& l, std::size_t k, std::vector<Point>& ring)
{
    const Point c = l.centres.at(k);
    if (l.shape == Shape::square) {
        const double h = 0.5 * l.spec.cell;
        ring.assign({{c.x - h, c.y - h}, {c.x + h, c.y - h}, {c.x + h, c.y + h}, {c.x - h, c.y + h}});
    } else {
        const double h = 0.5 * l.spec.cell, R = l.spec.cell / std::sqrt(3.0);
        ring.assign({{c.x, c.y - R}, {c.x + h, c.y - 0.5 * R}, {c.x + h, c.y + 0.5 * R},
                     {c.x, c.y + R}, {c.x - h, c.y + 0.5 * R}, {c.x - h, c.y - 0.5 * R}});
    }
    ring.push_back(ring.front());
}

std::string cell_wkb(const Lattice& l, std::size_t k)
{
    std::vector<Point> ring;
    cell_ring(l, k, ring);
    std::string s;
    s.reserve(13 + ring.size() * 16);
    s.push_back(1); // little endian
    put_u32(s, 3);  // Polygon
    put_u32(s, 1);
    put_u32(s, static_cast<std::uint32_t>(ring.size()));
    for (const Point& p : ring) {
        put_f64(s, p.x);
        put_f64(s, p.y);
    }
    return s;
}

} // namespace hotmap::grid
