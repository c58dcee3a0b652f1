// SPDX-License-Identifier: MIT
// The hotspots pipeline: hexagonal cells (neighbours within one cell size, Gi* values against
// an independent computation) and district rates (--rate: count per 1,000 residents as the
// analysed variable, rook vs queen).
#include "hotmap/geom/geometry.hpp"
#include "hotmap/log.hpp"
#include "hotmap/pipeline/hotspots.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <numeric>
#include <string>
#include <variant>
#include <vector>

using namespace hotmap;

namespace {

/// The result with its layer's rows held (the pipeline streams grid cells to the writer).
pipeline::HotspotsResult held(pipeline::HotspotsResult r)
{
    r.layer.materialise();
    return r;
}

int field(const io::VectorLayer& l, const std::string& name)
{
    for (std::size_t i = 0; i < l.fields.size(); ++i)
        if (l.fields[i].name == name) return static_cast<int>(i);
    ADD_FAILURE() << "no field " << name;
    return 0;
}

/// A numeric cell (NaN for null).
double num(const io::VectorLayer& l, std::size_t row, const std::string& name)
{
    const io::Value& v = l.rows.at(row).at(static_cast<std::size_t>(field(l, name)));
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    return NAN;
}

std::string text(const io::VectorLayer& l, std::size_t row, const std::string& name)
{
    const io::Value& v = l.rows.at(row).at(static_cast<std::size_t>(field(l, name)));
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    return {};
}

/// Gi* z (reference/README.md §b): binary weights, self included.
double gi_z(const std::vector<double>& x, const std::vector<std::size_t>& with_self)
{
    const double n = static_cast<double>(x.size());
    const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
    double ss = 0;
    for (double v : x) ss += (v - mean) * (v - mean);
    const double s = std::sqrt(ss / n);
    double lag = 0;
    for (std::size_t j : with_self) lag += x[j];
    const double w = static_cast<double>(with_self.size());
    const double den = s * std::sqrt((n * w - w * w) / (n - 1));
    return den > 0 ? (lag - w * mean) / den : NAN;
}

/// Incidents at the centres (plus a small offset) of a 7 x 7 block of pointy-top hexagons of
/// size s (README: centre(row, col) = (x0 + (col + (row even ? 0.5 : 0)) s, y0 + row s sqrt(3)/2),
/// y0 a multiple of s sqrt(3)). Weights: 10 at the block's centre cell (row 3, col 3), 5 on its
/// six neighbours, 1 elsewhere.
pipeline::Inputs hex_inputs(double x0, double y0_hint, int epsg, double s)
{
    const double dy = s * std::sqrt(3.0) / 2;
    const double y0 = std::floor(y0_hint / (2 * dy)) * (2 * dy);
    pipeline::Inputs in;
    in.working = crs::Crs::epsg(epsg);
    in.threads = 1;
    in.incidents.crs = in.working;
    in.incidents.has_weight = true;
    const auto centre = [&](int r, int c) { return Point{x0 + (c + (r % 2 == 0 ? 0.5 : 0.0)) * s, y0 + r * dy}; };
    const Point mid = centre(3, 3);
    std::uint32_t row = 1;
    for (int r = 0; r < 7; ++r)
        for (int c = 0; c < 7; ++c) {
            const Point p = centre(r, c);
            const double d = std::hypot(p.x - mid.x, p.y - mid.y);
            const double w = d < 1 ? 10 : d < 1.01 * s ? 5 : 1;
            in.incidents.items.push_back({p.x + 0.05 * s, p.y + 0.1 * s, w, k_no_time, -1, ++row});
        }
    return in;
}

void check_hex_hotspots(double x0, double y0, int epsg, const std::string& where)
{
    const double s = 100;
    const pipeline::Inputs in = hex_inputs(x0, y0, epsg, s);
    pipeline::HotspotsParams p;
    p.cell_m = s;
    p.shape = grid::Shape::hex;
    p.distance_m = s; // exactly one cell: the six cells around (centres s apart)
    NullLog log;
    const pipeline::HotspotsResult r = held(pipeline::find_hotspots(p, in, log));
    const io::VectorLayer& L = r.layer;
    const std::size_t n = L.rows.size();
    ASSERT_GE(n, 49u) << where;
    // independent neighbours: cell centres (centroids of the written hexagons) within s, with a
    // tolerance for the rounding of the coordinates (1e-9 of s; the next ring is s sqrt(3) away)
    std::vector<Point> c;
    std::vector<double> x;
    for (std::size_t i = 0; i < n; ++i) {
        c.push_back(geom::Geometry::from_wkb(L.wkb[i]).centroid());
        x.push_back(num(L, i, "weight"));
    }
    double total = 0;
    for (double v : x) total += v;
    EXPECT_EQ(total, 10 + 6 * 5 + 42 * 1) << where;
    std::size_t interior = 0, centre_cell = n;
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<std::size_t> nb{i};
        for (std::size_t j = 0; j < n; ++j)
            if (j != i && std::hypot(c[i].x - c[j].x, c[i].y - c[j].y) <= s * (1 + 1e-9)) nb.push_back(j);
        ASSERT_LE(nb.size(), 7u) << where;
        if (nb.size() == 7) ++interior;
        if (x[i] == 10) centre_cell = i;
        EXPECT_EQ(num(L, i, "NNeighbors"), static_cast<double>(nb.size()))
            << where << ": cell " << num(L, i, "cell_id") << " at (" << c[i].x << ", " << c[i].y << ")";
        const double z = gi_z(x, nb);
        EXPECT_NEAR(num(L, i, "GiZScore"), z, 1e-9) << where << ": cell " << num(L, i, "cell_id");
    }
    // the 5 x 5 inner cells of the 7 x 7 block have their 6 neighbours inside the block
    EXPECT_GE(interior, 25u) << where;
    ASSERT_LT(centre_cell, n) << where;
    EXPECT_EQ(num(L, centre_cell, "NNeighbors"), 7) << where << ": the block's centre cell";
    EXPECT_EQ(num(L, centre_cell, "row"), 3) << where;
    EXPECT_EQ(num(L, centre_cell, "col"), 3) << where;
}

pipeline::Inputs nine_squares(const std::string& population)
{
    pipeline::InputParams ip;
    ip.incidents.path = test::data("nine_points.csv");
    ip.incidents.crs = "EPSG:32735";
    ip.districts.path = test::data("nine_squares.geojson");
    ip.districts.population_field = population;
    ip.threads = 1;
    NullLog log;
    return pipeline::load(ip, log);
}

// tests/data/nine_squares.geojson: 3 x 3 squares of 1 km, file order r0c0, r0c1, ..., r2c2
// (row 0 south); tests/data/nine_points.csv puts these incident counts inside them:
const double k_counts[9] = {2, 6, 2, 4, 5, 4, 6, 4, 3};
const double k_pops[9] = {1000, 2000, 500, 4000, 1000, 2000, 1000, 500, 2500};

/// Neighbours (self included) of square i on the 3 x 3 block.
std::vector<std::size_t> block_neighbours(std::size_t i, bool rook)
{
    std::vector<std::size_t> nb;
    for (std::size_t j = 0; j < 9; ++j) {
        const long dr = std::labs(static_cast<long>(i / 3) - static_cast<long>(j / 3));
        const long dc = std::labs(static_cast<long>(i % 3) - static_cast<long>(j % 3));
        if (rook ? dr + dc <= 1 : std::max(dr, dc) <= 1) nb.push_back(j);
    }
    return nb;
}

} // namespace

TEST(HotspotsHex, OneCellBandNearTheOrigin)
{
    // small coordinates (EPSG:3857 near 0, 0): no rounding worth speaking of
    check_hex_hotspots(1000, 1000, 3857, "EPSG:3857 near the origin");
}

TEST(HotspotsHex, OneCellBandInUtmSouth)
{
    // the same block at Kalemie (UTM 35S, northing 9.34e6): the same neighbours and values.
    // (Fails with hotmap 0.1.0: centres rounded at 9.34e6 put the diagonal neighbours
    // 1.6e-11 (relative, squared) beyond the band, more than distance_band's 1e-12 allowance.)
    check_hex_hotspots(735000, 9340000, 32735, "EPSG:32735 at northing 9.34e6");
}

TEST(HotspotsDistrictRate, RatePerThousandIsTheAnalysedVariable)
{
    const pipeline::Inputs in = nine_squares("population");
    ASSERT_EQ(in.districts.size(), 9u);
    std::vector<double> rate(9);
    for (std::size_t i = 0; i < 9; ++i) rate[i] = k_counts[i] / k_pops[i] * 1000; // 2 3 4 1 5 2 6 8 1.2
    for (const bool rook : {true, false}) {
        pipeline::HotspotsParams p;
        p.on_districts = true;
        p.rate = true;
        p.rate_field = "population";
        p.contiguity = rook ? stats::Contiguity::rook : stats::Contiguity::queen;
        NullLog log;
        const pipeline::HotspotsResult r = held(pipeline::find_hotspots(p, in, log));
        const io::VectorLayer& L = r.layer;
        ASSERT_EQ(L.rows.size(), 9u);
        EXPECT_EQ(r.weights, rook ? "rook contiguity" : "queen contiguity");
        for (std::size_t i = 0; i < 9; ++i) {
            const std::string what = std::string(rook ? "rook " : "queen ") + text(L, i, "district");
            EXPECT_EQ(text(L, i, "district"), "r" + std::to_string(i / 3) + "c" + std::to_string(i % 3));
            EXPECT_EQ(num(L, i, "incidents"), k_counts[i]) << what;
            EXPECT_EQ(num(L, i, "population"), k_pops[i]) << what;
            EXPECT_NEAR(num(L, i, "per_1k_pop"), rate[i], 1e-12) << what;
            const std::vector<std::size_t> nb = block_neighbours(i, rook);
            EXPECT_EQ(num(L, i, "NNeighbors"), static_cast<double>(nb.size())) << what;
            const double z = gi_z(rate, nb);
            if (std::isnan(z)) {
                // queen centre: all 9 squares are its neighbours, W_i = n, no variance
                EXPECT_TRUE(!rook && i == 4) << what;
                EXPECT_TRUE(std::isnan(num(L, i, "GiZScore"))) << what;
            } else {
                EXPECT_NEAR(num(L, i, "GiZScore"), z, 1e-12) << what;
            }
        }
    }
    // hand check of one value: r0c0 with rook neighbours r0c1, r1c0 and itself:
    // mean 32.2/9, s^2 = 160.44/9 - mean^2, z = (2 + 3 + 1 - 3 mean) / (s sqrt((9*3 - 9)/8))
    const double mean = 32.2 / 9, sd = std::sqrt(160.44 / 9 - mean * mean);
    EXPECT_NEAR(gi_z(rate, block_neighbours(0, true)), (6 - 3 * mean) / (sd * 1.5), 1e-12);
    // and the rate is not the count: the count-based z of r0c0 is far from the rate-based one
    const std::vector<double> counts(k_counts, k_counts + 9);
    EXPECT_GT(std::fabs(gi_z(counts, block_neighbours(0, true)) - gi_z(rate, block_neighbours(0, true))), 0.3);
}

TEST(HotspotsDistrictRate, LocalMoranOfTheRates)
{
    const pipeline::Inputs in = nine_squares("population");
    pipeline::HotspotsParams p;
    p.method = pipeline::HotspotMethod::lisa;
    p.on_districts = true;
    p.rate = true;
    p.rate_field = "population";
    p.contiguity = stats::Contiguity::rook;
    p.permutations = 0;
    NullLog log;
    const pipeline::HotspotsResult r = held(pipeline::find_hotspots(p, in, log));
    std::vector<double> rate(9);
    for (std::size_t i = 0; i < 9; ++i) rate[i] = k_counts[i] / k_pops[i] * 1000;
    const double mean = std::accumulate(rate.begin(), rate.end(), 0.0) / 9;
    double m2 = 0;
    for (double v : rate) m2 += (v - mean) * (v - mean) / 9;
    for (std::size_t i = 0; i < 9; ++i) {
        std::vector<std::size_t> nb = block_neighbours(i, true);
        double lag = 0;
        for (std::size_t j : nb)
            if (j != i) lag += (rate[j] - mean) / static_cast<double>(nb.size() - 1);
        EXPECT_NEAR(num(r.layer, i, "LMiIndex"), (rate[i] - mean) * lag / m2, 1e-12) << text(r.layer, i, "district");
        EXPECT_EQ(num(r.layer, i, "NNeighbors"), static_cast<double>(nb.size() - 1)); // no self in local Moran
    }
    // r0c0 by hand: z = 2 - 3.5778 = -1.5778, lag = ((3 - 3.5778) + (1 - 3.5778)) / 2 = -1.5778
    EXPECT_NEAR(num(r.layer, 0, "LMiIndex"), (2 - mean) * ((3 - mean) + (1 - mean)) / 2 / m2, 1e-12);
}

TEST(HotspotsDistrictRate, MissingPopulationIsAnError)
{
    // r1c1 given no population: --rate needs a positive one everywhere
    const std::string dir = test::out_dir("HotspotsDistrictRate_MissingPopulation");
    std::ifstream f(test::data("nine_squares.geojson"));
    std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    const std::string from = "\"name\":\"r1c1\",\"population\":1000";
    ASSERT_NE(s.find(from), std::string::npos);
    s.replace(s.find(from), from.size(), "\"name\":\"r1c1\",\"population\":0");
    test::write_file(dir + "/d.geojson", s);
    pipeline::InputParams ip;
    ip.incidents.path = test::data("nine_points.csv");
    ip.incidents.crs = "EPSG:32735";
    ip.districts.path = dir + "/d.geojson";
    ip.districts.population_field = "population";
    ip.threads = 1;
    NullLog log;
    const pipeline::Inputs in = pipeline::load(ip, log);
    pipeline::HotspotsParams p;
    p.on_districts = true;
    p.rate = true;
    p.rate_field = "population";
    try {
        (void)pipeline::find_hotspots(p, in, log);
        ADD_FAILURE() << "no error for a zero population";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("r1c1"), std::string::npos) << e.what();
    }
}

TEST(HotspotsStencil, GridLayerEqualsTheListPath)
{
    // 25 m cells, 250 m band (the stencil) against the same run on neighbour lists: the same
    // layer (every value, the weights text, the global Moran line), Gi* and local Moran (with
    // permutations), 1 and 2 threads with small chunks; an unweighted and a weighted variable
    const test::ChunkCap cap(64);
    for (const bool weighted : {false, true}) {
        pipeline::Inputs in;
        in.working = crs::Crs::epsg(32735);
        in.incidents.crs = in.working;
        in.incidents.has_weight = weighted;
        std::uint64_t state = 99;
        const auto next = [&] { // splitmix64
            std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
            return static_cast<double>((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
        };
        for (std::uint32_t i = 0; i < 3000; ++i) {
            const bool cluster = i % 3 == 0;
            const double x = cluster ? 500'300 + 200 * next() : 500'000 + 1210 * next();
            const double y = cluster ? 9'300'400 + 150 * next() : 9'300'000 + 830 * next();
            in.incidents.items.push_back({x, y, weighted ? 0.5 + 3 * next() : 1.0, k_no_time, -1, i + 2});
        }
        for (const auto method : {pipeline::HotspotMethod::gistar, pipeline::HotspotMethod::lisa}) {
            pipeline::HotspotsParams p;
            p.cell_m = 25;
            p.distance_m = 250;
            p.method = method;
            p.permutations = 19;
            in.threads = 1;
            p.stencil = false;
            NullLog log;
            const pipeline::HotspotsResult lists = held(pipeline::find_hotspots(p, in, log));
            p.stencil = true;
            for (unsigned t : {1u, 2u}) {
                in.threads = t;
                const pipeline::HotspotsResult s = held(pipeline::find_hotspots(p, in, log));
                const std::string what = std::string(method == pipeline::HotspotMethod::gistar ? "Gi*" : "local Moran") +
                                         (weighted ? ", weighted" : "") + ", " + std::to_string(t) + " thread(s)";
                ASSERT_EQ(s.layer.rows.size(), lists.layer.rows.size()) << what;
                EXPECT_GT(s.layer.rows.size(), 1000u) << what;
                EXPECT_TRUE(s.layer.rows == lists.layer.rows) << what;
                EXPECT_EQ(s.layer.wkb, lists.layer.wkb) << what;
                EXPECT_EQ(s.weights, lists.weights) << what;
                EXPECT_EQ(s.global_moran, lists.global_moran) << what;
                EXPECT_EQ(s.bins, lists.bins) << what;
                EXPECT_EQ(s.layer.metadata, lists.layer.metadata) << what;
            }
            if (method == pipeline::HotspotMethod::gistar) {
                EXPECT_GT(lists.bins[6], 0u) << "some 99% hot spots";
            }
        }
    }
}

TEST(HotspotsStream, GridRowsAreStreamedAndWriteAsHeld)
{
    // the grid layer's rows are made as they are written: one per analysis cell, the same file
    // as from the held rows, for Gi* and local Moran, in a format with nulls and one without
    const pipeline::Inputs in = hex_inputs(500000, 9340000, 32735, 100);
    const std::string dir = test::out_dir("hotspots_stream");
    for (const auto method : {pipeline::HotspotMethod::gistar, pipeline::HotspotMethod::lisa}) {
        for (const std::string ext : {".fgb", ".shp"}) {
            pipeline::HotspotsParams p;
            p.cell_m = 100;
            p.shape = grid::Shape::hex;
            p.distance_m = 100;
            p.method = method;
            p.permutations = 9;
            p.shapefile_nulls = ext == ".shp";
            NullLog log;
            const pipeline::HotspotsResult r = pipeline::find_hotspots(p, in, log);
            ASSERT_TRUE(r.layer.streamed());
            EXPECT_TRUE(r.layer.rows.empty());
            const pipeline::HotspotsResult h = held(pipeline::find_hotspots(p, in, log));
            EXPECT_EQ(r.layer.size(), h.layer.rows.size());
            EXPECT_GE(r.layer.size(), 49u);
            const std::string tag = std::string(method == pipeline::HotspotMethod::gistar ? "gi" : "lisa");
            const std::string a = dir + "/" + tag + "_streamed" + ext, b = dir + "/" + tag + "_held" + ext;
            io::write_vector(r.layer, a, {});
            io::write_vector(h.layer, b, {});
            const auto bytes = [](const std::string& path) {
                std::ifstream f(path, std::ios::binary);
                return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
            };
            // FlatGeobuf names the layer inside the file (the same); Shapefiles: the .shp and .dbf
            EXPECT_TRUE(bytes(a) == bytes(b)) << a;
            if (ext == ".shp") {
                EXPECT_TRUE(bytes(io::replace_extension(a, ".dbf")) == bytes(io::replace_extension(b, ".dbf"))) << a;
            }
        }
    }
}
