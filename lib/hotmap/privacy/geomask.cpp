// SPDX-License-Identifier: MIT
// Donut geomasking (see geomask.hpp for the maths and the decisions).
#include "hotmap/privacy/geomask.hpp"

#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/random.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>

namespace hotmap::privacy {
namespace {

constexpr std::uint64_t k_golden = 0x9E3779B97F4A7C15ULL;

using Rng = random::Xoshiro256;

[[noreturn]] void bad_spec(const std::string& text, const std::string& why)
{
    throw ParameterError("--geomask: '" + text + "': " + why + " (expected donut:MIN-MAX in metres, 0 <= MIN < MAX <= 100000)");
}

void check_spec(const DonutSpec& s, const std::string& text)
{
    if (!std::isfinite(s.min_m) || !std::isfinite(s.max_m)) bad_spec(text, "radii must be finite numbers");
    if (s.min_m < 0) bad_spec(text, "MIN must be >= 0");
    if (s.max_m <= s.min_m) bad_spec(text, "MAX must be greater than MIN");
    if (s.max_m > k_max_donut_m) bad_spec(text, "MAX must be <= 100000");
    if (s.max_tries == 0) bad_spec(text, "max_tries must be >= 1");
}

constexpr int k_scan_radii = 64;
constexpr int k_scan_angles = 360;
constexpr int k_k_rings = 16;
constexpr int k_k_angles = 64;
constexpr std::size_t k_chunk = 2048;

struct Worker {
    geom::PolygonIndex::Query query;
    geom::BoundaryDistance boundary;
    std::vector<int> hits;

    /// first_containing of (x, y) == d
    bool in(double x, double y, int d)
    {
        query.containing(x, y, hits);
        return !hits.empty() && hits.front() == d;
    }
};

double median_of(std::vector<double> v)
{
    if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
    const std::size_t h = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(h), v.end());
    const double hi = v[h];
    if (v.size() % 2) return hi;
    const double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(h));
    return 0.5 * (lo + hi);
}

} // namespace

DonutSpec parse_donut(const std::string& text)
{
    const std::string prefix = "donut:";
    if (text.compare(0, prefix.size(), prefix) != 0) bad_spec(text, "unknown method (only donut:MIN-MAX)");
    const char* p = text.data() + prefix.size();
    const char* end = text.data() + text.size();
    DonutSpec s;
    auto r1 = std::from_chars(p, end, s.min_m);
    if (r1.ec != std::errc() || r1.ptr == end || *r1.ptr != '-') bad_spec(text, "not two numbers MIN-MAX");
    auto r2 = std::from_chars(r1.ptr + 1, end, s.max_m);
    if (r2.ec != std::errc() || r2.ptr != end) bad_spec(text, "not two numbers MIN-MAX");
    check_spec(s, text);
    return s;
}

MaskResult geomask(const std::vector<Point>& pts, const geom::NamedPolygons& districts,
                   const std::vector<double>& population, const DonutSpec& spec, unsigned threads)
{
    check_spec(spec, "donut:" + std::to_string(spec.min_m) + "-" + std::to_string(spec.max_m));
    if (!population.empty() && population.size() != districts.size())
        throw ParameterError("geomask: " + std::to_string(population.size()) + " population values for " +
                             std::to_string(districts.size()) + " districts");
    const std::size_t n = pts.size();
    MaskResult res;
    res.points.resize(n);
    res.distance_m.resize(n);
    res.k_anonymity.assign(n, std::numeric_limits<double>::quiet_NaN());
    if (n == 0) return res;

    const std::vector<std::int32_t> own =
        districts.empty() ? std::vector<std::int32_t>(n, -1) : districts.first_containing(pts, threads);

    // resident density per district (NaN unknown)
    std::vector<double> density(districts.size(), std::numeric_limits<double>::quiet_NaN());
    if (!population.empty())
        for (std::size_t d = 0; d < districts.size(); ++d) {
            const double a = districts.geometry(d).area();
            if (a > 0 && std::isfinite(population[d])) density[d] = population[d] / a;
        }

    const double lo2 = spec.min_m * spec.min_m, span2 = spec.max_m * spec.max_m - lo2;
    const double annulus = std::numbers::pi * span2;
    constexpr double two_pi = 2 * std::numbers::pi;
    // per point: 0 kept in district by a draw, 1 outside any district, 2 fallback in, 3 fallback out
    std::vector<std::uint8_t> how(n, 0);

    // centres of the polar grid's area-equal cells, relative to the true location
    std::vector<Point> cells;
    cells.reserve(k_k_rings * k_k_angles);
    for (int j = 0; j < k_k_rings; ++j) {
        const double r = std::sqrt(lo2 + span2 * (j + 0.5) / k_k_rings);
        for (int a = 0; a < k_k_angles; ++a) {
            const double th = two_pi * (a + 0.5) / k_k_angles;
            cells.push_back({r * std::cos(th), r * std::sin(th)});
        }
    }

    auto make = [&] {
        return Worker{geom::PolygonIndex::Query(districts.index()), geom::BoundaryDistance(districts.geometries()), {}};
    };
    parallel::for_chunks_with(n, k_chunk, threads, make, [&](Worker& w, std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
            const Point p = pts[i];
            const int d = own[i];
            Rng rng(spec.seed ^ ((static_cast<std::uint64_t>(i) + 1) * k_golden));
            Point first{}, out{};
            double first_t = 0;
            bool placed = false;
            for (unsigned t = 0; t < spec.max_tries; ++t) {
                const double r = std::sqrt(rng.uniform() * span2 + lo2);
                const double th = two_pi * rng.uniform();
                const Point c{p.x + r * std::cos(th), p.y + r * std::sin(th)};
                if (t == 0) {
                    first = c;
                    first_t = th;
                }
                if (d < 0 || w.in(c.x, c.y, d)) {
                    out = c;
                    placed = true;
                    break;
                }
            }
            if (d < 0) {
                how[i] = 1;
            } else if (!placed) {
                // nearest ring first: the smallest distance >= min that stays in the district
                for (int j = 0; j < k_scan_radii && !placed; ++j) {
                    const double r = spec.min_m + (spec.max_m - spec.min_m) * j / (k_scan_radii - 1);
                    for (int a = 0; a < k_scan_angles; ++a) {
                        const double th = first_t + two_pi * a / k_scan_angles;
                        const Point c{p.x + r * std::cos(th), p.y + r * std::sin(th)};
                        if (w.in(c.x, c.y, d)) {
                            out = c;
                                    placed = true;
                            break;
                        }
                    }
                }
                how[i] = placed ? 2 : 3;
                if (!placed) out = first;
            }
            res.points[i] = out;
            res.distance_m[i] = std::hypot(out.x - p.x, out.y - p.y);

            if (d >= 0 && std::isfinite(density[static_cast<std::size_t>(d)])) {
                const double rho = density[static_cast<std::size_t>(d)];
                if (w.boundary(static_cast<std::size_t>(d), p.x, p.y) >= spec.max_m) {
                    res.k_anonymity[i] = rho * annulus;
                } else {
                    // polar grid of area-equal cells centred on the true location
                    std::size_t inside = 0;
                    for (const Point& o : cells)
                        if (w.in(p.x + o.x, p.y + o.y, d)) ++inside;
                    res.k_anonymity[i] = rho * annulus * static_cast<double>(inside) / static_cast<double>(cells.size());
                }
            }
        }
    });

    std::vector<double> ks;
    ks.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (how[i] == 1) ++res.outside_district;
        if (how[i] >= 2) ++res.fallback;
        if (how[i] == 3) ++res.left_district;
        if (std::isfinite(res.k_anonymity[i])) ks.push_back(res.k_anonymity[i]);
    }
    if (!ks.empty()) {
        res.k_min = *std::min_element(ks.begin(), ks.end());
        res.k_median = median_of(std::move(ks));
    }
    return res;
}

} // namespace hotmap::privacy
