// SPDX-License-Identifier: MIT
// Timing of the hotspot kernels: Gi* lattice and CSR, local Moran with permutations, KNN weights.
#include "hotmap/stats/getis_ord.hpp"
#include "hotmap/stats/morans_i.hpp"
#include "hotmap/stats/weights.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>

using namespace hotmap;
using namespace hotmap::stats;

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// Clustered counts on an n x n lattice: a Poisson background plus a few Gaussian hot spots.
std::vector<double> lattice_counts(std::size_t n, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::vector<double> x(n * n, 0.0);
    std::poisson_distribution<int> bg(0.3);
    for (auto& v : x) v = bg(rng);
    std::normal_distribution<double> g(0, static_cast<double>(n) / 40.0);
    std::uniform_real_distribution<double> u(0, static_cast<double>(n));
    for (int h = 0; h < 20; ++h) {
        const double cx = u(rng), cy = u(rng);
        for (int k = 0; k < 20000; ++k) {
            const auto c = static_cast<long>(cx + g(rng)), r = static_cast<long>(cy + g(rng));
            if (c >= 0 && r >= 0 && c < static_cast<long>(n) && r < static_cast<long>(n)) x[static_cast<std::size_t>(r) * n + static_cast<std::size_t>(c)] += 1;
        }
    }
    return x;
}
} // namespace

int main(int argc, char** argv)
{
    const unsigned threads = argc > 1 ? static_cast<unsigned>(std::atoi(argv[1])) : 0;
    {
        const std::size_t n = 1000;
        const auto x = lattice_counts(n, 1);
        auto t0 = std::chrono::steady_clock::now();
        const GiStar r = getis_ord_lattice(x, n, n, 10.0, GiOptions{true, 0, 1, threads});
        std::printf("gistar lattice 1000x1000 band 10 cells (stencil %u incl. self): %.3f s\n", r.nn[n * 500 + 500], seconds_since(t0));
    }
    {
        const std::size_t n = 317; // ~100,000 cells
        const auto x = lattice_counts(n, 2);
        std::vector<Point> pts;
        for (std::size_t r = 0; r < n; ++r)
            for (std::size_t c = 0; c < n; ++c) pts.push_back({static_cast<double>(c), static_cast<double>(r)});
        auto t0 = std::chrono::steady_clock::now();
        const Weights w = distance_band(pts, 1.5, threads);
        std::printf("distance band weights, %zu cells, queen band: %.3f s\n", pts.size(), seconds_since(t0));
        t0 = std::chrono::steady_clock::now();
        LisaOptions o;
        o.permutations = 999;
        o.threads = threads;
        const LocalMoran lm = local_moran(x, w, o);
        std::printf("local Moran, %zu cells, 8 neighbours, 999 permutations: %.3f s (pseudo-p[0] %.3f)\n", pts.size(), seconds_since(t0),
                    lm.pseudo_p[0]);
    }
    {
        std::mt19937_64 rng(5);
        std::normal_distribution<double> g(0, 800);
        std::uniform_real_distribution<double> u(0, 15000);
        std::vector<Point> pts;
        for (int i = 0; i < 100000; ++i) {
            if (i % 2) pts.push_back({u(rng), u(rng) * 10.0 / 15.0});
            else pts.push_back({7500 + g(rng), 5000 + g(rng)});
        }
        auto t0 = std::chrono::steady_clock::now();
        const Weights w = knn(pts, 8, threads);
        std::printf("knn k=8, 100000 clustered points: %.3f s (%zu links)\n", seconds_since(t0), w.links());
    }
    return 0;
}
