// SPDX-License-Identifier: MIT
// The `kalemie` synthetic city (exact district tiling) and the chunked incident generator.
#include "hotmap/synth/kalemie.hpp"

#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/random.hpp"
#include "hotmap/timeparse.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <numbers>

namespace hotmap::synth {
namespace {

constexpr double k_pi = std::numbers::pi;

// ---------------------------------------------------------------------------------------
// Random numbers: the project's splitmix64 / xoshiro256** (hotmap/random.hpp).

using random::splitmix64;

/// The generator with what the synthesiser draws: ranges, integers, normal pairs.
class Rng : public random::Xoshiro256 {
public:
    using Xoshiro256::Xoshiro256;
    using Xoshiro256::uniform;
    /// The stream of chunk `chunk` of a data set with seed `seed`.
    static Rng for_chunk(std::uint64_t seed, std::uint64_t chunk) noexcept
    {
        std::uint64_t s = seed;
        const std::uint64_t a = splitmix64(s);
        std::uint64_t t = chunk ^ 0x6b616c656d6965ull; // "kalemie"
        const std::uint64_t b = splitmix64(t);
        return Rng(a ^ (b * 0x2545f4914f6cdd1dull));
    }
    double uniform(double a, double b) noexcept { return a + (b - a) * uniform(); }
    /// Uniform integer in [0, n), n < 2^32.
    std::uint32_t below(std::uint32_t n) noexcept
    {
        return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32);
    }
    /// Two independent standard normal values (Box-Muller).
    void normal2(double& a, double& b) noexcept
    {
        const double u1 = 1.0 - uniform(); // (0, 1]
        const double u2 = uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        a = r * std::cos(2 * k_pi * u2);
        b = r * std::sin(2 * k_pi * u2);
    }
};

// Walker/Vose alias table: O(1) sampling from a discrete distribution. Each entry packs its
// threshold, its own value and its alias value (12 bytes), so a draw touches one cache line.
class AliasTable {
public:
    AliasTable() = default;
    /// Weights w; a draw returns values[i] (or i when values is empty) with probability ~ w[i].
    explicit AliasTable(const std::vector<double>& w, const std::vector<std::uint32_t>& values = {})
    {
        const std::size_t n = w.size();
        double total = 0;
        for (double v : w) total += std::max(0.0, v);
        if (n == 0 || !(total > 0)) throw Error("synth: empty sampling distribution");
        auto value = [&](std::size_t i) { return values.empty() ? static_cast<std::uint32_t>(i) : values[i]; };
        m_e.assign(n, Entry{});
        std::vector<double> p(n);
        std::vector<std::uint32_t> small, large;
        for (std::size_t i = 0; i < n; ++i) {
            p[i] = std::max(0.0, w[i]) * static_cast<double>(n) / total;
            m_e[i].self = value(i);
            (p[i] < 1 ? small : large).push_back(static_cast<std::uint32_t>(i));
        }
        while (!small.empty() && !large.empty()) {
            const std::uint32_t s = small.back(), l = large.back();
            small.pop_back();
            m_e[s].prob = static_cast<float>(p[s]);
            m_e[s].alias = value(l);
            p[l] = (p[l] + p[s]) - 1;
            if (p[l] < 1) {
                large.pop_back();
                small.push_back(l);
            }
        }
        // Rounding leftovers: near-1 entries keep themselves; a zero weight never may.
        const auto heaviest = value(static_cast<std::size_t>(std::max_element(w.begin(), w.end()) - w.begin()));
        for (std::uint32_t i : large) m_e[i].prob = 2;
        for (std::uint32_t i : small) {
            m_e[i].prob = w[i] > 0 ? 2.0f : 0.0f;
            m_e[i].alias = heaviest;
        }
    }
    std::uint32_t sample(Rng& rng) const noexcept
    {
        const double u = rng.uniform() * static_cast<double>(m_e.size());
        const std::size_t i = std::min(static_cast<std::size_t>(u), m_e.size() - 1);
        const Entry& e = m_e[i];
        return static_cast<float>(u - static_cast<double>(i)) < e.prob ? e.self : e.alias;
    }
    std::size_t size() const noexcept { return m_e.size(); }

private:
    struct Entry {
        float prob = 2; // > 1: always self
        std::uint32_t self = 0;
        std::uint32_t alias = 0;
    };
    std::vector<Entry> m_e;
};

// ---------------------------------------------------------------------------------------
// Geometry helpers (plain arithmetic; GEOS is not needed to build the city).

double sq(double v) { return v * v; }

bool point_in_ring(const std::vector<Point>& ring, double x, double y) noexcept
{
    bool in = false;
    const std::size_t n = ring.size();
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        const Point& a = ring[i];
        const Point& b = ring[j];
        if ((a.y > y) != (b.y > y) && x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x) in = !in;
    }
    return in;
}

double ring_area(const std::vector<Point>& ring) noexcept
{
    double a = 0;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
        a += (ring[j].x * ring[i].y - ring[i].x * ring[j].y);
    return 0.5 * a;
}

double segment_distance(const Point& p, const Point& a, const Point& b) noexcept
{
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    return std::sqrt(sq(p.x - (a.x + t * dx)) + sq(p.y - (a.y + t * dy)));
}

// A profile sampled every `step` metres of northing from 0: linear between samples, clamped.
double profile_at(const std::vector<double>& v, double step, double y) noexcept
{
    const double n = static_cast<double>(v.size() - 1);
    const double t = std::clamp(y / step, 0.0, n);
    const std::size_t k = std::min(static_cast<std::size_t>(t), v.size() - 2);
    return v[k] + (t - static_cast<double>(k)) * (v[k + 1] - v[k]);
}

// Point at arc length s along a polyline (clamped to its ends), and the unit direction there.
Point along(const std::vector<Point>& line, double s, Point* dir = nullptr)
{
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        const double len = std::hypot(line[i + 1].x - line[i].x, line[i + 1].y - line[i].y);
        if (s <= len || i + 2 == line.size()) {
            const double t = len > 0 ? std::clamp(s / len, 0.0, 1.0) : 0;
            if (dir && len > 0) *dir = {(line[i + 1].x - line[i].x) / len, (line[i + 1].y - line[i].y) / len};
            return {line[i].x + t * (line[i + 1].x - line[i].x), line[i].y + t * (line[i + 1].y - line[i].y)};
        }
        s -= len;
    }
    return line.front();
}

// Vertices every `spacing` metres along the straight legs between control points.
std::vector<Point> densify(const std::vector<Point>& ctrl, double spacing)
{
    std::vector<Point> out{ctrl.front()};
    for (std::size_t i = 0; i + 1 < ctrl.size(); ++i) {
        const double len = std::hypot(ctrl[i + 1].x - ctrl[i].x, ctrl[i + 1].y - ctrl[i].y);
        const int n = std::max(1, static_cast<int>(std::ceil(len / spacing)));
        for (int k = 1; k <= n; ++k) {
            const double t = static_cast<double>(k) / n;
            out.push_back({ctrl[i].x + t * (ctrl[i + 1].x - ctrl[i].x), ctrl[i].y + t * (ctrl[i + 1].y - ctrl[i].y)});
        }
    }
    return out;
}

Timestamp date(int y, int m, int d) { return timeparse::from_civil(y, m, d); }

} // namespace

// ---------------------------------------------------------------------------------------
// City

double City::shore_x(double y) const noexcept
{
    const double n = static_cast<double>(shoreline.size() - 1);
    const double t = std::clamp((y - origin.y) / shore_step_m, 0.0, n);
    const std::size_t k = std::min(static_cast<std::size_t>(t), shoreline.size() - 2);
    return shoreline[k].x + (t - static_cast<double>(k)) * (shoreline[k + 1].x - shoreline[k].x);
}

int City::district_at(double x, double y) const noexcept
{
    for (std::size_t i = 0; i < districts.size(); ++i)
        if (point_in_ring(districts[i].ring, x, y)) return static_cast<int>(i);
    return -1;
}

std::string_view to_string(HotspotKind k) noexcept
{
    switch (k) {
    case HotspotKind::stable: return "stable";
    case HotspotKind::emerging: return "emerging";
    case HotspotKind::fading: return "fading";
    }
    return "stable";
}

std::string_view to_string(Defect d) noexcept
{
    switch (d) {
    case Defect::none: return "";
    case Defect::swapped_lat_lon: return "swapped_lat_lon";
    case Defect::missing_coordinate: return "missing_coordinate";
    case Defect::unparseable_number: return "unparseable_number";
    case Defect::null_island: return "null_island";
    case Defect::unparseable_time: return "unparseable_time";
    }
    return "";
}

const std::array<double, k_defect_kinds>& defect_mix()
{
    static const std::array<double, k_defect_kinds> mix = {0.0, 0.25, 0.20, 0.15, 0.15, 0.25};
    return mix;
}

const std::vector<CategoryDef>& categories()
{
    static const std::vector<CategoryDef> list = {
        {"theft", 2},   {"burglary", 3},  {"assault", 4}, {"robbery", 4},
        {"sexual violence", 5}, {"vandalism", 1}, {"fraud", 2}, {"domestic violence", 3},
    };
    return list;
}

std::vector<std::string> preset_names() { return {"kalemie"}; }

City make_city(const std::string& preset)
{
    if (preset == "kalemie") return kalemie();
    throw ParameterError("unknown preset '" + preset + "' (known: kalemie)");
}

namespace {

/// The street network: an irregular grid of blocks about 200 m across (junctions jittered by up
/// to 40 m, kept on land inside the city, 30 m from the shore), one block side in ten left out
/// (dead ends and larger blocks), the main roads on top, each of their vertices joined to the
/// nearest junction by a short street, and an access street from every facility to its nearest
/// junction. Its own random stream: the incidents do not change.
void add_streets(City& c)
{
    Rng rng(0x73747265657473ull); // "streets"
    Extent e;
    for (const Point& p : c.outline) e.expand(p.x, p.y);
    const double s = 150;
    const int nx = static_cast<int>(e.width() / s) + 1, ny = static_cast<int>(e.height() / s) + 1;
    std::vector<Point> node(static_cast<std::size_t>(nx * ny));
    std::vector<std::uint8_t> keep(node.size(), 0);
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            const std::size_t k = static_cast<std::size_t>(j * nx + i);
            const double dx = rng.uniform(-30, 30), dy = rng.uniform(-30, 30);
            node[k] = {std::round((e.xmin + i * s + dx) * 100) / 100, std::round((e.ymin + j * s + dy) * 100) / 100};
            keep[k] = c.district_at(node[k].x, node[k].y) >= 0 && !c.in_lake(node[k].x, node[k].y, 30);
        }
    // block sides, drawn first so the rows and columns below use one stream whatever is kept
    std::vector<std::uint8_t> east(node.size(), 0), north(node.size(), 0);
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            const std::size_t k = static_cast<std::size_t>(j * nx + i);
            const bool de = rng.uniform() >= 0.1, dn = rng.uniform() >= 0.1;
            east[k] = i + 1 < nx && keep[k] && keep[k + 1] && de;
            north[k] = j + 1 < ny && keep[k] && keep[k + static_cast<std::size_t>(nx)] && dn;
        }
    const auto runs = [&](bool along_x) {
        const int outer = along_x ? ny : nx, inner = along_x ? nx : ny;
        for (int a = 0; a < outer; ++a) {
            std::vector<Point> line;
            for (int b = 0; b < inner; ++b) {
                const std::size_t k = static_cast<std::size_t>(along_x ? a * nx + b : b * nx + a);
                const bool on = along_x ? east[k] : north[k];
                if (on) {
                    if (line.empty()) line.push_back(node[k]);
                    line.push_back(node[along_x ? k + 1 : k + static_cast<std::size_t>(nx)]);
                } else if (!line.empty()) {
                    c.streets.push_back({std::move(line), "street"});
                    line.clear();
                }
            }
            if (!line.empty()) c.streets.push_back({std::move(line), "street"});
        }
    };
    runs(true);
    runs(false);
    // main roads, joined at each of their vertices to the nearest kept junction within 150 m
    for (const auto& road : c.roads) {
        c.streets.push_back({road, "main"});
        for (const Point& v : road) {
            double best = 150;
            std::size_t at = node.size();
            for (std::size_t k = 0; k < node.size(); ++k)
                if (keep[k] && (east[k] || north[k] || (k >= 1 && east[k - 1]) || (k >= static_cast<std::size_t>(nx) && north[k - static_cast<std::size_t>(nx)]))) {
                    const double d = std::hypot(node[k].x - v.x, node[k].y - v.y);
                    if (d < best) best = d, at = k;
                }
            if (at < node.size() && best > 0.01) c.streets.push_back({{v, node[at]}, "street"});
        }
    }
    // every station, post and lamp stands on a street: a short access street to the nearest junction
    for (const Facility& f : c.facilities) {
        double best = INFINITY;
        std::size_t at = node.size();
        for (std::size_t k = 0; k < node.size(); ++k)
            if (keep[k] && (east[k] || north[k] || (k >= 1 && east[k - 1]) || (k >= static_cast<std::size_t>(nx) && north[k - static_cast<std::size_t>(nx)]))) {
                const double d = std::hypot(node[k].x - f.p.x, node[k].y - f.p.y);
                if (d < best) best = d, at = k;
            }
        if (at < node.size() && best > 0.01) c.streets.push_back({{f.p, node[at]}, "street"});
    }
}

} // namespace

City kalemie()
{
    City c;
    c.name = "Kalemie";
    c.crs = crs::Crs::epsg(32735);
    // South-west reference corner in UTM 35S: the 15 x 10 km box is centred on about
    // 29.19 E, 5.93 S (742455 E, 9344054 N).
    c.origin = {735000, 9339000};
    c.start = date(2024, 1, 1);
    c.end = date(2026, 1, 1);

    // Everything below is built in local metres (x east, y north from the origin) with a
    // fixed stream: the geography never depends on the user's seed.
    Rng geo(0x4b414c454d4945ull);
    const double step = c.shore_step_m;
    constexpr int n_steps = 100; // 10 km of shore, a vertex every 100 m
    std::vector<double> fx(n_steps + 1), wx(n_steps + 1);
    for (int k = 0; k <= n_steps; ++k) {
        const double y = k * step;
        fx[static_cast<std::size_t>(k)] =
            13700 + 550 * std::sin(2 * k_pi * y / 11000 + 0.7) + 230 * std::sin(2 * k_pi * y / 3700 + 2.1) +
            80 * std::sin(2 * k_pi * y / 1300 + 0.3) + 450 * std::exp(-sq((y - 6200) / 380)) // port headland
            - 350 * std::exp(-sq((y - 2300) / 700))                                           // a bay
            + geo.uniform(-20, 20);
        wx[static_cast<std::size_t>(k)] =
            250 + 180 * std::sin(2 * k_pi * y / 7000 + 1.3) + 70 * std::sin(2 * k_pi * y / 2300 + 0.4) + geo.uniform(-15, 15);
    }
    const double fmax = *std::max_element(fx.begin(), fx.end());
    const double wmin = *std::min_element(wx.begin(), wx.end());
    for (double& v : fx) v = std::round(v + 15000 - fmax); // whole metres: easy to read back
    for (double& v : wx) v = std::round(v - wmin);

    auto shore_pt = [&](int k) { return Point{fx[static_cast<std::size_t>(k)], k * step}; };
    auto west_pt = [&](int k) { return Point{wx[static_cast<std::size_t>(k)], k * step}; };
    auto f_at = [&](double y) { return profile_at(fx, step, y); };
    auto w_at = [&](double y) { return profile_at(wx, step, y); };
    // (u, y) -> x: u = 0 on the western limit, 1 on the shore.
    auto map_x = [&](double u, double y) { return w_at(y) + u * (f_at(y) - w_at(y)); };

    // Row boundaries: polylines from the western limit to the shore. Their end vertices ARE
    // the limit/shore vertices, and their last three vertices at each end are level, so the
    // end segments cannot cross the shore or the western limit.
    constexpr int M = 60;
    const int row_idx[5] = {0, 24, 49, 75, 100};
    const double amp[5] = {110, 260, 280, 250, 110};
    std::vector<std::vector<Point>> rowb(5);
    for (int r = 0; r < 5; ++r) {
        const double yb = row_idx[r] * step;
        const double ph1 = geo.uniform(0, 2 * k_pi), ph2 = geo.uniform(0, 2 * k_pi);
        auto& line = rowb[static_cast<std::size_t>(r)];
        for (int i = 0; i <= M; ++i) {
            if (i == 0) {
                line.push_back(west_pt(row_idx[r]));
                continue;
            }
            if (i == M) {
                line.push_back(shore_pt(row_idx[r]));
                continue;
            }
            const double u = static_cast<double>(i) / M;
            const double win = (i <= 2 || i >= M - 2) ? 0.0 : 1.0;
            const double y = yb + win * amp[r] * std::sin(k_pi * u) *
                                      (0.6 * std::sin(2 * k_pi * 1.5 * u + ph1) + 0.4 * std::sin(2 * k_pi * 3.5 * u + ph2));
            line.push_back({map_x(u, y), y});
        }
    }

    // Column cuts per row (bottom and top positions as fractions of the land width): more,
    // narrower districts toward the dense lakeside.
    const std::vector<std::vector<double>> cut_b = {{0.38, 0.62, 0.82}, {0.33, 0.55, 0.72, 0.87}, {0.34, 0.58, 0.80}, {0.43, 0.74}};
    const std::vector<std::vector<double>> cut_t = {{0.36, 0.60, 0.85}, {0.35, 0.57, 0.70, 0.86}, {0.38, 0.62, 0.82}, {0.47, 0.76}};
    struct Def {
        const char* name;
        const char* commune;
        double density; // residents per km2
    };
    const std::vector<std::vector<Def>> defs = {
        {{"Kisebwe", "Kankomba", 560}, {"Kalimbi", "Kankomba", 1100}, {"Mwandwe", "Kalemie", 2100}, {"Kasanga", "Lac", 3600}},
        {{"Kankomba", "Kankomba", 850},
         {"Kataki", "Kalemie", 4200},
         {"Mandela", "Kalemie", 5400},
         {"Kitali", "Lac", 6600},
         {"Lac", "Lac", 7200}},
        {{"Kifungo", "Kankomba", 950}, {"Kilima", "Kalemie", 2700}, {"Makala", "Kalemie", 3900}, {"Tanganyika", "Lac", 5700}},
        {{"Kahinda", "Kankomba", 480}, {"Kituku", "Kalemie", 1800}, {"Lukuga", "Lac", 3300}},
    };
    for (int r = 0; r < 4; ++r) {
        const auto& bot = rowb[static_cast<std::size_t>(r)];
        const auto& top = rowb[static_cast<std::size_t>(r + 1)];
        const auto& cb = cut_b[static_cast<std::size_t>(r)];
        const auto& ct = cut_t[static_cast<std::size_t>(r)];
        const std::size_t ncols = cb.size() + 1;
        std::vector<int> ib{0}, it{0};
        for (double u : cb) ib.push_back(static_cast<int>(std::lround(u * M)));
        for (double u : ct) it.push_back(static_cast<int>(std::lround(u * M)));
        ib.push_back(M);
        it.push_back(M);
        // Column boundaries, bottom to top: the western limit, the interior cuts, the shore.
        std::vector<std::vector<Point>> cols(ncols + 1);
        for (int k = row_idx[r]; k <= row_idx[r + 1]; ++k) {
            cols.front().push_back(west_pt(k));
            cols.back().push_back(shore_pt(k));
        }
        for (std::size_t k = 1; k < ncols; ++k) {
            const Point a = bot[static_cast<std::size_t>(ib[k])], b = top[static_cast<std::size_t>(it[k])];
            const double ua = static_cast<double>(ib[k]) / M, ub = static_cast<double>(it[k]) / M;
            const double ph = geo.uniform(0, 2 * k_pi);
            constexpr int K = 12;
            auto& line = cols[k];
            line.push_back(a);
            for (int s = 1; s < K; ++s) {
                const double t = static_cast<double>(s) / K;
                const double y = a.y + t * (b.y - a.y);
                const double jitter_m = 110 * std::sin(k_pi * t) * std::sin(2 * k_pi * 1.3 * t + ph);
                const double u = ua + t * (ub - ua) + jitter_m / (f_at(y) - w_at(y));
                line.push_back({map_x(u, y), y});
            }
            line.push_back(b);
        }
        for (std::size_t k = 0; k < ncols; ++k) {
            std::vector<Point> ring;
            for (int i = ib[k]; i <= ib[k + 1]; ++i) ring.push_back(bot[static_cast<std::size_t>(i)]);
            const auto& right = cols[k + 1];
            for (std::size_t i = 1; i < right.size(); ++i) ring.push_back(right[i]);
            for (int i = it[k + 1] - 1; i >= it[k]; --i) ring.push_back(top[static_cast<std::size_t>(i)]);
            const auto& left = cols[k];
            for (std::size_t i = left.size() - 2; i >= 1; --i) ring.push_back(left[i]);
            const Def& d = defs[static_cast<std::size_t>(r)][k];
            District dist;
            dist.name = d.name;
            dist.commune = d.commune;
            dist.ring = std::move(ring);
            dist.population = static_cast<std::int64_t>(std::llround(d.density * ring_area(dist.ring) / 1e6 / 10.0)) * 10;
            c.districts.push_back(std::move(dist));
        }
    }

    // The city's outline: south limit, shore, north limit (reversed), western limit (reversed).
    for (const Point& p : rowb[0]) c.outline.push_back(p);
    for (int k = 1; k <= n_steps; ++k) c.outline.push_back(shore_pt(k));
    for (int i = M - 1; i >= 0; --i) c.outline.push_back(rowb[4][static_cast<std::size_t>(i)]);
    for (int k = n_steps - 1; k >= 1; --k) c.outline.push_back(west_pt(k));
    for (int k = 0; k <= n_steps; ++k) c.shoreline.push_back(shore_pt(k));

    // Main roads. The lakeside boulevard keeps 420 m from the nearest shore within 600 m.
    auto shore_min = [&](double y) {
        double m = 1e300;
        for (int k = 0; k <= n_steps; ++k)
            if (std::abs(k * step - y) <= 600) m = std::min(m, fx[static_cast<std::size_t>(k)]);
        return m;
    };
    auto r1x = [&](double y) { return shore_min(y) - 420; };
    std::vector<Point> boulevard;
    for (double y = 200; y <= 9800; y += 200) boulevard.push_back({r1x(y), y});
    const Point junction{r1x(5600), 5600};
    const std::vector<Point> avenue = densify({junction,
                                               {junction.x - 1500, 5520},
                                               {junction.x - 3500, 5350},
                                               {junction.x - 6000, 5200},
                                               {junction.x - 9000, 5150},
                                               {900, 5000}},
                                              200);
    const std::vector<Point> nyunzu =
        densify({{junction.x - 3500, 5350}, {junction.x - 5500, 7200}, {junction.x - 8000, 8800}, {1800, 9950}}, 200);
    const std::vector<Point> airport =
        densify({{r1x(3000), 3000}, {r1x(3000) - 1500, 1800}, {r1x(3000) - 2500, 50}}, 200);
    c.roads = {boulevard, avenue, nyunzu, airport};

    // Planted hotspots.
    const Point market{r1x(5650) - 350, 5650};
    const Point port{f_at(6200) - 220, 6200};
    const Point bus{junction.x - 2600, 5500};
    const Point railway{r1x(7000) + 180, 7000};
    const Point bars{map_x(0.45, 3700), 3700};
    const Point old_market{map_x(0.5, 1300), 1300};
    const Point new_market{map_x(0.22, 6300), 6300};
    auto hotspot = [&](const char* name, const char* place, HotspotKind kind, Profile prof, Point p, double radius,
                       double share, Timestamp start, Timestamp end) {
        PlantedHotspot h;
        h.name = name;
        h.place = place;
        h.kind = kind;
        h.profile = prof;
        h.centre = p;
        h.radius_m = radius;
        h.share = share;
        h.start = start;
        h.end = end;
        c.hotspots.push_back(std::move(h));
    };
    hotspot("Marché central", "market", HotspotKind::stable, Profile::market, market, 300, 0.09, c.start, c.end);
    hotspot("Port de Kalemie", "port", HotspotKind::stable, Profile::port, port, 350, 0.07, c.start, c.end);
    hotspot("Gare routière", "bus station", HotspotKind::stable, Profile::transport, bus, 250, 0.06, c.start, c.end);
    hotspot("Gare SNCC", "railway station", HotspotKind::stable, Profile::transport, railway, 250, 0.03, c.start, c.end);
    hotspot("Bars de Kataki", "bars", HotspotKind::stable, Profile::nightlife, bars, 300, 0.06, c.start, c.end);
    hotspot("Marché provisoire de Kalimbi", "market", HotspotKind::fading, Profile::market, old_market, 300, 0.05,
            c.start, date(2025, 7, 1));
    hotspot("Nouveau marché de Kifungo", "market", HotspotKind::emerging, Profile::market, new_market, 300, 0.035,
            date(2025, 9, 1), c.end);

    // Facilities: police stations, container posts, street lamps.
    auto facility = [&](std::string name, const char* type, Point p) {
        c.facilities.push_back({std::move(name), type, std::string(), p});
    };
    const std::vector<Point> stations = {
        {r1x(5950) - 250, 5950}, {map_x(0.18, 3500), 3500}, {r1x(8300) - 120, 8300}, {map_x(0.55, 6900), 6900}};
    facility("Commissariat provincial", "station", stations[0]);
    facility("Commissariat de Kankomba", "station", stations[1]);
    facility("Sous-commissariat du Lac", "station", stations[2]);
    facility("Commissariat de Kalemie", "station", stations[3]);
    facility("Poste conteneur du Port", "post", {port.x - 260, port.y + 90});
    facility("Poste conteneur Gare routière", "post", {bus.x + 150, bus.y - 140});
    facility("Poste conteneur Kataki", "post", {bars.x + 420, bars.y + 260});
    facility("Poste conteneur Kasanga", "post", {map_x(0.91, 1200), 1200});
    facility("Poste conteneur Mwandwe", "post", {map_x(0.72, 1500), 1500});
    facility("Poste conteneur Kitali", "post", {map_x(0.79, 3600), 3600});
    facility("Poste conteneur Lukuga", "post", {map_x(0.86, 8900), 8900});
    facility("Poste conteneur Kalimbi", "post", {old_market.x + 120, old_market.y + 110});
    int lamp_no = 0;
    auto lamp = [&](Point p) {
        ++lamp_no;
        facility(std::string(lamp_no < 10 ? "Lampe 0" : "Lampe ") + std::to_string(lamp_no), "lamp", p);
    };
    // 30 along the boulevard through the centre, 12 along the avenue toward the bus station,
    // 2 beside each station: 50 in all.
    double s0 = 0;
    for (std::size_t i = 0; i + 1 < boulevard.size() && boulevard[i + 1].y <= 4300; ++i)
        s0 += std::hypot(boulevard[i + 1].x - boulevard[i].x, boulevard[i + 1].y - boulevard[i].y);
    for (int i = 0; i < 30; ++i) {
        Point dir{0, 1};
        const Point p = along(boulevard, s0 + 95.0 * i, &dir);
        const double side = (i % 2 ? 12.0 : -12.0);
        lamp({p.x + side * dir.y, p.y - side * dir.x});
    }
    for (int i = 0; i < 12; ++i) {
        Point dir{-1, 0};
        const Point p = along(avenue, 150 + 85.0 * i, &dir);
        const double side = (i % 2 ? 10.0 : -10.0);
        lamp({p.x + side * dir.y, p.y - side * dir.x});
    }
    for (const Point& s : stations) {
        lamp({s.x + 35, s.y + 20});
        lamp({s.x - 30, s.y - 25});
    }

    // Patrol routes, along roads so they stay on land.
    auto boulevard_between = [&](double y0, double y1) {
        std::vector<Point> out;
        if (y0 <= y1) {
            for (const Point& p : boulevard)
                if (p.y >= y0 && p.y <= y1) out.push_back(p);
        } else {
            for (auto it = boulevard.rbegin(); it != boulevard.rend(); ++it)
                if (it->y <= y0 && it->y >= y1) out.push_back(*it);
        }
        return out;
    };
    {
        PatrolRoute centre{"Patrouille Centre–Port", "day", {}};
        auto& l = centre.line;
        l.push_back(market);
        l.push_back({r1x(5600), 5600});
        for (const Point& p : boulevard_between(5800, 6200)) l.push_back(p);
        l.push_back({port.x - 120, port.y});
        l.push_back({r1x(6200), 6200});
        for (const Point& p : boulevard_between(6400, 7000)) l.push_back(p);
        l.push_back(railway);
        l.push_back(stations[0]);
        l.push_back(market);
        c.patrols.push_back(std::move(centre));
        c.patrols.push_back({"Patrouille du Boulevard", "night", boulevard_between(2400, 8800)});
        PatrolRoute west{"Patrouille Kankomba", "day", {}};
        for (const Point& p : avenue)
            if (p.x <= bus.x && p.x >= 2500) west.line.push_back(p);
        west.line.insert(west.line.begin(), bus);
        west.line.push_back(stations[1]);
        c.patrols.push_back(std::move(west));
        PatrolRoute loop{"Patrouille de nuit Kataki", "night", {}};
        const double ca = std::cos(0.26), sa = std::sin(0.26);
        for (const Point& d : std::vector<Point>{{-350, -300}, {350, -300}, {350, 300}, {-350, 300}, {-350, -300}})
            loop.line.push_back({bars.x + d.x * ca - d.y * sa, bars.y + d.x * sa + d.y * ca});
        c.patrols.push_back(std::move(loop));
    }

    // Local metres -> UTM. Shared vertices get identical doubles, so the tiling stays exact.
    const Point o = c.origin;
    auto shift = [&](Point& p) {
        p.x += o.x;
        p.y += o.y;
    };
    for (auto& p : c.shoreline) shift(p);
    for (auto& p : c.outline) shift(p);
    for (auto& d : c.districts)
        for (auto& p : d.ring) shift(p);
    for (auto& f : c.facilities) shift(f.p);
    for (auto& r : c.roads)
        for (auto& p : r) shift(p);
    for (auto& r : c.patrols)
        for (auto& p : r.line) shift(p);
    for (auto& h : c.hotspots) shift(h.centre);
    for (auto& f : c.facilities) {
        const int d = c.district_at(f.p.x, f.p.y);
        f.district = d >= 0 ? c.districts[static_cast<std::size_t>(d)].name : std::string();
    }
    for (auto& h : c.hotspots) {
        const int d = c.district_at(h.centre.x, h.centre.y);
        h.district = d >= 0 ? c.districts[static_cast<std::size_t>(d)].name : std::string();
    }
    add_streets(c);
    return c;
}

// ---------------------------------------------------------------------------------------
// Incident generator

namespace {

constexpr std::size_t k_profiles = 5;
constexpr std::size_t k_categories = 8;

// Category mix of each profile (order of categories()).
constexpr double k_cat_mix[k_profiles][k_categories] = {
    {0.30, 0.20, 0.12, 0.06, 0.04, 0.10, 0.06, 0.12}, // background
    {0.45, 0.04, 0.08, 0.12, 0.03, 0.05, 0.20, 0.03}, // market
    {0.38, 0.06, 0.12, 0.18, 0.04, 0.06, 0.14, 0.02}, // port
    {0.40, 0.03, 0.12, 0.20, 0.05, 0.05, 0.13, 0.02}, // transport
    {0.18, 0.02, 0.35, 0.17, 0.13, 0.10, 0.02, 0.03}, // nightlife
};

// Relative frequency by hour of day (0..23) of each category.
constexpr double k_cat_hours[k_categories][24] = {
    {4, 3, 2, 2, 1, 2, 3, 4, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 9, 10, 9, 8, 6, 5},       // theft
    {9, 10, 10, 9, 7, 4, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 4, 5, 6, 7, 8, 9},      // burglary
    {8, 7, 6, 4, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 4, 5, 7, 9, 10, 10, 9, 9},      // assault
    {8, 7, 6, 5, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 4, 6, 8, 9, 10, 10, 9},      // robbery
    {8, 8, 7, 5, 3, 2, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 4, 5, 7, 9, 10, 10, 9},      // sexual violence
    {9, 9, 8, 6, 4, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4, 6, 7, 8, 9, 9},        // vandalism
    {1, 1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 9, 9, 9, 8, 7, 5, 3, 2, 2, 1, 1, 1},      // fraud
    {7, 6, 5, 4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 4, 6, 8, 9, 10, 9, 8},       // domestic violence
};

double profile_hour_factor(Profile p, int h)
{
    switch (p) {
    case Profile::background: return 1.0;
    case Profile::market: return (h >= 6 && h < 18) ? 2.0 : 0.7;
    case Profile::port: return (h >= 19 && h <= 23) ? 1.3 : 1.0;
    case Profile::transport: return ((h >= 5 && h < 9) || (h >= 16 && h < 21)) ? 1.5 : 1.0;
    case Profile::nightlife: return (h >= 19 || h < 3) ? 3.0 : 0.4;
    }
    return 1.0;
}

// Least-squares cubic in normalised coordinates: 10 coefficients.
struct Cubic {
    double c[10] = {};
    static void basis(double a, double b, double* t)
    {
        t[0] = 1;
        t[1] = a;
        t[2] = b;
        t[3] = a * a;
        t[4] = a * b;
        t[5] = b * b;
        t[6] = a * a * a;
        t[7] = a * a * b;
        t[8] = a * b * b;
        t[9] = b * b * b;
    }
    double eval(double a, double b) const noexcept
    {
        return c[0] + a * (c[1] + a * (c[3] + a * c[6]) + b * (c[4] + b * c[8])) + b * (c[2] + b * (c[5] + b * c[9])) +
               a * a * b * c[7];
    }
};

Cubic fit_cubic(const std::vector<std::array<double, 10>>& rows, const std::vector<double>& v)
{
    double m[10][11] = {};
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (int i = 0; i < 10; ++i) {
            for (int j = 0; j < 10; ++j) m[i][j] += rows[r][static_cast<std::size_t>(i)] * rows[r][static_cast<std::size_t>(j)];
            m[i][10] += rows[r][static_cast<std::size_t>(i)] * v[r];
        }
    for (int col = 0; col < 10; ++col) {
        int piv = col;
        for (int r = col + 1; r < 10; ++r)
            if (std::abs(m[r][col]) > std::abs(m[piv][col])) piv = r;
        if (piv != col)
            for (int j = 0; j < 11; ++j) std::swap(m[col][j], m[piv][j]);
        if (m[col][col] == 0) throw CrsError("synth: singular lon/lat fit");
        for (int r = 0; r < 10; ++r) {
            if (r == col) continue;
            const double f = m[r][col] / m[col][col];
            for (int j = col; j < 11; ++j) m[r][j] -= f * m[col][j];
        }
    }
    Cubic out;
    for (int i = 0; i < 10; ++i) out.c[i] = m[i][10] / m[i][i];
    return out;
}

} // namespace

struct IncidentGenerator::Tables {
    AliasTable source;                         // 0 = background, k + 1 = hotspot k
    std::vector<Profile> source_profile;
    std::vector<double> source_sigma;          // Gaussian spread (hotspots)
    std::vector<AliasTable> day;               // per source, over the days of [start, end)
    AliasTable category[k_profiles];
    AliasTable hour[k_profiles][k_categories];
    // background density raster
    AliasTable cell;                           // draws raster cell indexes
    double gx0 = 0, gy0 = 0, cs = 50;
    std::size_t ncol = 0;
    // lon/lat fit
    double cx = 0, cy = 0, scale = 1e4;
    Cubic lon, lat;
};

IncidentGenerator::~IncidentGenerator() = default;

std::size_t IncidentGenerator::chunk_rows(std::uint64_t count, std::uint64_t chunk) noexcept
{
    const std::uint64_t first = chunk * k_chunk_rows;
    if (first >= count) return 0;
    return static_cast<std::size_t>(std::min<std::uint64_t>(k_chunk_rows, count - first));
}

void validate(const IncidentParams& p)
{
    if (!(p.dirty >= 0 && p.dirty <= 1)) throw ParameterError("dirty share must lie in [0, 1]");
    if (p.count > 1'000'000'000ull) throw ParameterError("at most 1,000,000,000 incidents");
}

IncidentGenerator::IncidentGenerator(const City& city) : m_city(city), m_t(std::make_unique<Tables>())
{
    Tables& t = *m_t;
    const City& c = m_city;
    if (c.districts.empty() || c.shoreline.size() < 2 || !(c.end > c.start))
        throw ParameterError("synth: the city has no districts, no shore or an empty period");

    // Sources.
    std::vector<double> shares{1.0};
    double hot = 0;
    for (const auto& h : c.hotspots) hot += h.share;
    if (hot >= 1) throw ParameterError("synth: hotspot shares must sum to less than 1");
    shares[0] = 1 - hot;
    t.source_profile.push_back(Profile::background);
    t.source_sigma.push_back(0);
    for (const auto& h : c.hotspots) {
        shares.push_back(h.share);
        t.source_profile.push_back(h.profile);
        t.source_sigma.push_back(h.radius_m / 2);
    }
    t.source = AliasTable(shares);

    // Days: weekday, season, a slight upward trend and the end-of-year festivities, times the
    // activity of each source (an emerging hotspot ramps up, a fading one dies out).
    const auto ndays = static_cast<std::size_t>((c.end - c.start) / 86400);
    std::vector<double> base(ndays);
    static constexpr double weekday[7] = {0.95, 0.92, 0.93, 0.97, 1.10, 1.20, 1.00};
    for (std::size_t d = 0; d < ndays; ++d) {
        const Timestamp ts = c.start + static_cast<Timestamp>(d) * 86400;
        const timeparse::Civil cv = timeparse::to_civil(ts);
        const double frac = static_cast<double>(d) / static_cast<double>(ndays);
        const double doy = static_cast<double>((ts - timeparse::from_civil(cv.year, 1, 1)) / 86400);
        base[d] = weekday[cv.weekday] * (1 + 0.12 * std::sin(2 * k_pi * (doy - 60) / 365.25)) * (1 + 0.06 * frac) *
                  (cv.month == 12 && cv.day >= 15 ? 1.15 : 1.0);
    }
    t.day.push_back(AliasTable(base));
    for (const auto& h : c.hotspots) {
        std::vector<double> w(ndays, 0.0);
        const double span = static_cast<double>(h.end - h.start);
        for (std::size_t d = 0; d < ndays; ++d) {
            const Timestamp ts = c.start + static_cast<Timestamp>(d) * 86400;
            if (ts < h.start || ts >= h.end) continue;
            const double f = static_cast<double>(ts - h.start) / span;
            double act = 1;
            if (h.kind == HotspotKind::emerging) act = 0.3 + 0.7 * f;
            if (h.kind == HotspotKind::fading) act = f < 0.5 ? 1.0 : std::max(0.0, 2 * (1 - f));
            w[d] = base[d] * act;
        }
        t.day.push_back(AliasTable(w));
    }

    // Categories and hours.
    for (std::size_t p = 0; p < k_profiles; ++p) {
        t.category[p] = AliasTable(std::vector<double>(std::begin(k_cat_mix[p]), std::end(k_cat_mix[p])));
        for (std::size_t k = 0; k < k_categories; ++k) {
            std::vector<double> w(24);
            for (int h = 0; h < 24; ++h)
                w[static_cast<std::size_t>(h)] = k_cat_hours[k][h] * profile_hour_factor(static_cast<Profile>(p), h);
            t.hour[p][k] = AliasTable(w);
        }
    }

    // Background raster: 50 m cells over the city, weighted by the district's residential
    // density and by closeness to a main road. Cells whose centre is in no district are empty.
    Extent e;
    for (const Point& p : c.outline) e.expand(p.x, p.y);
    t.gx0 = std::floor(e.xmin / t.cs) * t.cs;
    t.gy0 = std::floor(e.ymin / t.cs) * t.cs;
    t.ncol = static_cast<std::size_t>(std::ceil((e.xmax - t.gx0) / t.cs));
    const auto nrow = static_cast<std::size_t>(std::ceil((e.ymax - t.gy0) / t.cs));
    std::vector<double> density;
    for (const auto& d : c.districts) density.push_back(static_cast<double>(d.population) / (ring_area(d.ring) / 1e6));
    std::vector<Extent> boxes(c.districts.size());
    for (std::size_t d = 0; d < c.districts.size(); ++d)
        for (const Point& p : c.districts[d].ring) boxes[d].expand(p.x, p.y);
    struct Seg {
        Point a, b;
        Extent box;
    };
    std::vector<Seg> segs;
    for (const auto& line : c.roads)
        for (std::size_t i = 0; i + 1 < line.size(); ++i) {
            Seg sg{line[i], line[i + 1], {}};
            sg.box.expand(sg.a.x, sg.a.y);
            sg.box.expand(sg.b.x, sg.b.y);
            segs.push_back(sg);
        }
    constexpr double road_reach_m = 2000; // exp(-2000/250) is negligible
    std::vector<double> w;
    std::vector<std::uint32_t> cells;
    for (std::size_t r = 0; r < nrow; ++r)
        for (std::size_t col = 0; col < t.ncol; ++col) {
            const Point p{t.gx0 + (static_cast<double>(col) + 0.5) * t.cs, t.gy0 + (static_cast<double>(r) + 0.5) * t.cs};
            int d = -1;
            for (std::size_t k = 0; k < boxes.size() && d < 0; ++k)
                if (boxes[k].contains(p.x, p.y) && point_in_ring(c.districts[k].ring, p.x, p.y)) d = static_cast<int>(k);
            if (d < 0) continue;
            double road = road_reach_m;
            for (const Seg& sg : segs)
                if (p.x >= sg.box.xmin - road && p.x <= sg.box.xmax + road && p.y >= sg.box.ymin - road &&
                    p.y <= sg.box.ymax + road)
                    road = std::min(road, segment_distance(p, sg.a, sg.b));
            w.push_back(density[static_cast<std::size_t>(d)] * (1 + 1.2 * std::exp(-road / 250)));
            cells.push_back(static_cast<std::uint32_t>(r * t.ncol + col));
        }
    t.cell = AliasTable(w, cells);

    // UTM -> lon/lat: a least-squares cubic over a 9 x 9 grid of PROJ-transformed points.
    crs::Transformer tr(c.crs, crs::Crs::epsg(4326));
    t.cx = 0.5 * (e.xmin + e.xmax);
    t.cy = 0.5 * (e.ymin + e.ymax);
    std::vector<std::array<double, 10>> rows;
    std::vector<double> lons, lats;
    for (int i = 0; i <= 8; ++i)
        for (int j = 0; j <= 8; ++j) {
            const double x = e.xmin - 2000 + (e.width() + 4000) * i / 8.0;
            const double y = e.ymin - 2000 + (e.height() + 4000) * j / 8.0;
            const auto ll = tr.transform(x, y);
            if (!ll) throw CrsError("synth: cannot transform the city to WGS84");
            std::array<double, 10> b;
            Cubic::basis((x - t.cx) / t.scale, (y - t.cy) / t.scale, b.data());
            rows.push_back(b);
            lons.push_back(ll->first);
            lats.push_back(ll->second);
        }
    t.lon = fit_cubic(rows, lons);
    t.lat = fit_cubic(rows, lats);
}

Point IncidentGenerator::to_lonlat(double x, double y) const noexcept
{
    const double a = (x - m_t->cx) / m_t->scale, b = (y - m_t->cy) / m_t->scale;
    return {m_t->lon.eval(a, b), m_t->lat.eval(a, b)};
}

void IncidentGenerator::generate_chunk(const IncidentParams& p, std::uint64_t chunk, std::vector<SynthIncident>& out) const
{
    validate(p);
    const Tables& t = *m_t;
    const City& c = m_city;
    const std::size_t n = chunk_rows(p.count, chunk);
    out.clear();
    out.reserve(n);
    Rng rng = Rng::for_chunk(p.seed, chunk);
    std::array<double, k_defect_kinds> cum{};
    double acc = 0;
    for (std::size_t k = 0; k < k_defect_kinds; ++k) cum[k] = (acc += defect_mix()[k]);
    constexpr double lake_margin_m = 3; // keeps rounding of lon/lat away from the shore
    for (std::size_t i = 0; i < n; ++i) {
        SynthIncident r;
        r.id = chunk * k_chunk_rows + i + 1;
        const std::uint32_t src = t.source.sample(rng);
        const auto prof = static_cast<std::size_t>(t.source_profile[src]);
        const std::uint32_t cat = t.category[prof].sample(rng);
        const std::uint32_t day = t.day[src].sample(rng);
        const std::uint32_t hour = t.hour[prof][cat].sample(rng);
        const std::uint32_t sec = rng.below(3600);
        r.time = c.start + static_cast<Timestamp>(day) * 86400 + static_cast<Timestamp>(hour) * 3600 + sec;
        r.category = static_cast<std::uint8_t>(cat);
        r.source = static_cast<std::uint8_t>(src);
        double x = 0, y = 0;
        for (int attempt = 0;; ++attempt) {
            if (src == 0) {
                const std::uint32_t cell = t.cell.sample(rng);
                x = t.gx0 + (static_cast<double>(cell % t.ncol) + rng.uniform()) * t.cs;
                y = t.gy0 + (static_cast<double>(cell / t.ncol) + rng.uniform()) * t.cs;
            } else {
                double a = 0, b = 0;
                rng.normal2(a, b);
                const Point& ctr = c.hotspots[src - 1].centre;
                x = ctr.x + t.source_sigma[src] * a;
                y = ctr.y + t.source_sigma[src] * b;
            }
            if (!c.in_lake(x, y, lake_margin_m)) break;
            if (attempt > 1000) { // cannot happen with the preset; keep the loop finite
                x = src == 0 ? c.outline.front().x : c.hotspots[src - 1].centre.x;
                y = src == 0 ? c.outline.front().y : c.hotspots[src - 1].centre.y;
                break;
            }
        }
        r.x = x;
        r.y = y;
        const Point ll = to_lonlat(x, y);
        r.lon = ll.x;
        r.lat = ll.y;
        // Always two draws, so clean rows are the same whatever the dirty share.
        const double u = rng.uniform();
        const std::uint64_t v = rng.next();
        if (u < p.dirty) {
            const double k = static_cast<double>(v >> 11) * 0x1.0p-53;
            std::size_t d = 1;
            while (d + 1 < k_defect_kinds && k >= cum[d]) ++d;
            r.defect = static_cast<Defect>(d);
            r.variant = static_cast<std::uint8_t>(v & 0xff);
        }
        out.push_back(r);
    }
}

std::vector<SynthIncident> IncidentGenerator::generate(const IncidentParams& p) const
{
    validate(p);
    std::vector<SynthIncident> all(static_cast<std::size_t>(p.count));
    const std::uint64_t nchunks = chunk_count(p.count);
    struct Scratch {
        std::vector<SynthIncident> buf;
    };
    parallel::for_chunks_with(
        static_cast<std::size_t>(nchunks), 1, p.threads, [] { return Scratch{}; },
        [&](Scratch& w, std::size_t b, std::size_t e) {
            for (std::size_t ch = b; ch < e; ++ch) {
                generate_chunk(p, ch, w.buf);
                std::copy(w.buf.begin(), w.buf.end(), all.begin() + static_cast<std::ptrdiff_t>(ch * k_chunk_rows));
            }
        });
    return all;
}

} // namespace hotmap::synth
