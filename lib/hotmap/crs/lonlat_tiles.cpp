// SPDX-License-Identifier: MIT
// Polynomial tiles of a lon/lat transformation, checked against PROJ (see lonlat_tiles.hpp).
#include "hotmap/crs/lonlat_tiles.hpp"

#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numbers>

namespace hotmap::crs {
namespace {

constexpr int D = k_tile_degree;
constexpr int N = D + 1; // Chebyshev nodes per axis
constexpr double k_tile = 1.0 / k_tiles_per_degree;

const double& at(const double* p, std::size_t i, std::size_t stride)
{
    return *reinterpret_cast<const double*>(reinterpret_cast<const char*>(p) + i * stride);
}
double& at(double* p, std::size_t i, std::size_t stride)
{
    return *reinterpret_cast<double*>(reinterpret_cast<char*>(p) + i * stride);
}

bool usable(double lon, double lat)
{
    return std::isfinite(lon) && std::isfinite(lat) && std::abs(lon) <= 180 && std::abs(lat) <= 90;
}

// floor(deg * 16) without a call to floor (x86-64 has no rounding instruction before SSE4.1)
std::int32_t key_of(double deg)
{
    const double v = deg * k_tiles_per_degree;
    const auto t = static_cast<std::int32_t>(v);
    return t - (static_cast<double>(t) > v);
}

/// One number per tile, ordered by latitude row, then by longitude (as unsigned within a row).
std::int64_t compose(std::int32_t kx, std::int32_t ky)
{
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(static_cast<std::int64_t>(ky)) << 32) | static_cast<std::uint32_t>(kx);
}

/// Monomial coefficients of the Chebyshev polynomials T_0..T_D: T_n(u) = sum_k m[n][k] u^k.
std::array<std::array<double, N>, N> chebyshev_monomials()
{
    std::array<std::array<double, N>, N> m{};
    m[0][0] = 1;
    if (N > 1) m[1][1] = 1;
    for (int n = 1; n + 1 < N; ++n)
        for (int k = 0; k < N; ++k)
            m[static_cast<std::size_t>(n + 1)][static_cast<std::size_t>(k)] =
                (k > 0 ? 2 * m[static_cast<std::size_t>(n)][static_cast<std::size_t>(k - 1)] : 0) -
                m[static_cast<std::size_t>(n - 1)][static_cast<std::size_t>(k)];
    return m;
}

constexpr int term(int i, int j) // index of u^i v^j, i + j <= D: by v power, then u power
{
    return j * (D + 1) - j * (j - 1) / 2 + i;
}

template <std::size_t K>
double evaluate(const std::array<double, K>& c, double u, double v)
{
    double r = 0;
    for (int j = D; j >= 0; --j) {
        const int base = term(0, j);
        double p = c[static_cast<std::size_t>(base + D - j)];
        for (int i = D - j - 1; i >= 0; --i) p = p * u + c[static_cast<std::size_t>(base + i)];
        r = r * v + p;
    }
    return r;
}

} // namespace

LonLatTiles::LonLatTiles(const Crs& from, const Crs& to, const double* x, const double* y, std::size_t n, std::size_t stride,
                         unsigned threads)
{
    if (!from.is_geographic()) throw CrsError("lon/lat tiles need a geographic source CRS (" + from.id() + ")");
    // the tiles: every tile of the points' box when it holds few (a city, a district), else the
    // distinct tiles of the points, each chunk of points collecting its own in a small hash set
    // (in parallel), then merged; in key order
    std::vector<std::int64_t> keys;
    const std::size_t chunk = parallel::chunk_size(1 << 16), nchunks = (n + chunk - 1) / chunk;
    {
        std::vector<Extent> boxes(nchunks);
        parallel::for_chunks(n, chunk, threads, [&](std::size_t b, std::size_t e) {
            Extent& bx = boxes[b / chunk];
            for (std::size_t i = b; i < e; ++i) {
                const double lon = at(x, i, stride), lat = at(y, i, stride);
                if (usable(lon, lat)) bx.expand(lon, lat);
            }
        });
        Extent box;
        for (const Extent& bx : boxes) box.expand(bx);
        if (box.empty()) return; // no usable point
        const std::int32_t kx0 = key_of(box.xmin), ky0 = key_of(box.ymin), kx1 = key_of(box.xmax), ky1 = key_of(box.ymax);
        if ((static_cast<std::int64_t>(kx1) - kx0 + 1) * (static_cast<std::int64_t>(ky1) - ky0 + 1) <= k_box_tiles) {
            for (std::int32_t ky = ky0; ky <= ky1; ++ky)
                for (std::int32_t kx = kx0; kx <= kx1; ++kx) keys.push_back(compose(kx, ky));
            std::sort(keys.begin(), keys.end());
        }
    }
    if (keys.empty()) {
        constexpr std::int64_t empty = std::numeric_limits<std::int64_t>::min(); // no key: |ky| <= 1441
        std::vector<std::vector<std::int64_t>> found(nchunks);
        std::atomic<bool> too_many{false};
        parallel::for_chunks(n, chunk, threads, [&](std::size_t b, std::size_t e) {
            std::vector<std::int64_t> table(256, empty);
            std::size_t used = 0;
            std::int64_t last = empty;
            const auto slot_of = [](std::int64_t k, std::size_t size) {
                return static_cast<std::size_t>((static_cast<std::uint64_t>(k) * 0x9E3779B97F4A7C15ull) >> 32) & (size - 1);
            };
            for (std::size_t i = b; i < e; ++i) {
                const double lon = at(x, i, stride), lat = at(y, i, stride);
                if (!usable(lon, lat)) continue;
                const std::int64_t k = compose(key_of(lon), key_of(lat));
                if (k == last) continue;
                last = k;
                std::size_t h = slot_of(k, table.size());
                while (table[h] != empty && table[h] != k) h = (h + 1) & (table.size() - 1);
                if (table[h] == k) continue;
                table[h] = k;
                if (++used > k_max_tiles) {
                    too_many = true;
                    return;
                }
                if (2 * used > table.size()) { // keep it at most half full
                    std::vector<std::int64_t> grown(2 * table.size(), empty);
                    for (std::int64_t v : table)
                        if (v != empty) {
                            std::size_t g = slot_of(v, grown.size());
                            while (grown[g] != empty) g = (g + 1) & (grown.size() - 1);
                            grown[g] = v;
                        }
                    table.swap(grown);
                }
            }
            std::vector<std::int64_t>& f = found[b / chunk];
            for (std::int64_t v : table)
                if (v != empty) f.push_back(v);
        });
        if (too_many) return;
        for (const auto& f : found) keys.insert(keys.end(), f.begin(), f.end());
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
        if (keys.empty() || keys.size() > k_max_tiles) return;
    }
    const auto kx_of = [](std::int64_t k) { return static_cast<std::int32_t>(static_cast<std::uint32_t>(k & 0xffffffff)); };
    const auto ky_of = [](std::int64_t k) { return static_cast<std::int32_t>(k >> 32); };
    std::int32_t x0 = kx_of(keys[0]), x1 = x0;
    for (std::int64_t k : keys) {
        x0 = std::min(x0, kx_of(k));
        x1 = std::max(x1, kx_of(k));
    }
    m_kx0 = x0;
    m_ky0 = ky_of(keys.front());
    m_w = x1 - x0 + 1;
    m_h = ky_of(keys.back()) - m_ky0 + 1;
    m_tiles.resize(keys.size());
    if (static_cast<std::size_t>(m_w) * static_cast<std::size_t>(m_h) <= k_max_index_slots) {
        m_index.assign(static_cast<std::size_t>(m_w) * static_cast<std::size_t>(m_h), -1);
        for (std::size_t t = 0; t < keys.size(); ++t)
            m_index[static_cast<std::size_t>(ky_of(keys[t]) - m_ky0) * static_cast<std::size_t>(m_w) +
                    static_cast<std::size_t>(kx_of(keys[t]) - m_kx0)] = static_cast<std::int32_t>(t);
    } else {
        m_keys = keys; // scattered tiles: found by binary search
    }

    static const auto mono = chebyshev_monomials();
    // cheb[i][a] = T_i at the node a = cos(i pi (a + 1/2) / N); the nodes themselves are cheb[1]
    std::array<std::array<double, N>, N> cheb{};
    for (int i = 0; i < N; ++i)
        for (int a = 0; a < N; ++a)
            cheb[static_cast<std::size_t>(i)][static_cast<std::size_t>(a)] = std::cos(i * std::numbers::pi * (a + 0.5) / N);
    const std::array<double, N>& node = cheb[1];
    constexpr int L = 9; // check lattice per axis
    std::vector<double> errors(keys.size(), 0.0);
    parallel::for_chunks_with(
        keys.size(), 64, threads, [&] { return Transformer(from, to); },
        [&](const Transformer& tr, std::size_t b, std::size_t e) {
            std::vector<double> px(1 + N * N + L * L), py(px.size());
            for (std::size_t t = b; t < e; ++t) {
                Tile& tile = m_tiles[t];
                const double lon0 = kx_of(keys[t]) * k_tile, lat0 = ky_of(keys[t]) * k_tile, half = k_tile / 2;
                // u, v in [-1, 1] across the tile: lon = lon0 + half * (1 + u)
                std::size_t q = 0;
                px[q] = lon0 + half;
                py[q++] = lat0 + half;
                for (int bb = 0; bb < N; ++bb)
                    for (int a = 0; a < N; ++a) {
                        px[q] = lon0 + half * (1 + node[static_cast<std::size_t>(a)]);
                        py[q++] = lat0 + half * (1 + node[static_cast<std::size_t>(bb)]);
                    }
                for (int bb = 0; bb < L; ++bb)
                    for (int a = 0; a < L; ++a) {
                        px[q] = lon0 + half * (2.0 * a / (L - 1));
                        py[q++] = lat0 + half * (2.0 * bb / (L - 1));
                    }
                tr.transform(px.data(), py.data(), px.size());
                if (std::any_of(px.begin(), px.end(), [](double v) { return !std::isfinite(v); })) {
                    errors[t] = std::numeric_limits<double>::infinity();
                    continue;
                }
                tile.x0 = px[0];
                tile.y0 = py[0];
                // Chebyshev coefficients of the interpolant (total degree <= D kept), then monomials
                for (int out = 0; out < 2; ++out) {
                    const std::vector<double>& f = out ? py : px;
                    const double f0 = out ? tile.y0 : tile.x0;
                    std::array<double, k_terms>& c = out ? tile.cy : tile.cx;
                    c.fill(0);
                    for (int i = 0; i <= D; ++i)
                        for (int j = 0; i + j <= D; ++j) {
                            double s = 0;
                            for (int bb = 0; bb < N; ++bb)
                                for (int a = 0; a < N; ++a)
                                    s += (f[static_cast<std::size_t>(1 + bb * N + a)] - f0) *
                                         cheb[static_cast<std::size_t>(i)][static_cast<std::size_t>(a)] *
                                         cheb[static_cast<std::size_t>(j)][static_cast<std::size_t>(bb)];
                            s *= (i ? 2.0 : 1.0) * (j ? 2.0 : 1.0) / (N * N);
                            for (int k = 0; k <= i; ++k)
                                for (int l = 0; l <= j; ++l)
                                    c[static_cast<std::size_t>(term(k, l))] +=
                                        s * mono[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)] *
                                        mono[static_cast<std::size_t>(j)][static_cast<std::size_t>(l)];
                        }
                }
                double err = 0;
                for (int bb = 0; bb < L; ++bb)
                    for (int a = 0; a < L; ++a) {
                        const std::size_t at_q = static_cast<std::size_t>(1 + N * N + bb * L + a);
                        const double u = 2.0 * a / (L - 1) - 1, v = 2.0 * bb / (L - 1) - 1;
                        err = std::max({err, std::abs(tile.x0 + evaluate(tile.cx, u, v) - px[at_q]),
                                        std::abs(tile.y0 + evaluate(tile.cy, u, v) - py[at_q])});
                    }
                errors[t] = err / tile_tolerance(tile.x0, tile.y0);
                tile.fitted = errors[t] <= 1;
            }
        });
    for (std::size_t t = 0; t < m_tiles.size(); ++t) {
        if (!m_tiles[t].fitted) ++m_exact_tiles;
        else m_max_error = std::max(m_max_error, errors[t]);
    }
}

std::int32_t LonLatTiles::find(std::int32_t kx, std::int32_t ky) const noexcept
{
    if (!m_keys.empty()) {
        const std::int64_t k = compose(kx, ky);
        const auto it = std::lower_bound(m_keys.begin(), m_keys.end(), k);
        return it != m_keys.end() && *it == k ? static_cast<std::int32_t>(it - m_keys.begin()) : -1;
    }
    const std::int64_t cx = static_cast<std::int64_t>(kx) - m_kx0, cy = static_cast<std::int64_t>(ky) - m_ky0;
    if (cx < 0 || cy < 0 || cx >= m_w || cy >= m_h) return -1;
    return m_index[static_cast<std::size_t>(cy) * static_cast<std::size_t>(m_w) + static_cast<std::size_t>(cx)];
}

void LonLatTiles::transform(LazyTransformer& exact, double* x, double* y, std::size_t n, std::size_t stride) const
{
    // points of unfitted tiles are gathered and sent to PROJ together
    std::vector<std::size_t> rest;
    for (std::size_t i = 0; i < n; ++i) {
        double& lon = at(x, i, stride);
        double& lat = at(y, i, stride);
        if (usable(lon, lat)) {
            const std::int32_t kx = key_of(lon), ky = key_of(lat);
            const std::int32_t t = find(kx, ky);
            if (t >= 0 && m_tiles[static_cast<std::size_t>(t)].fitted) {
                const Tile& tile = m_tiles[static_cast<std::size_t>(t)];
                const double u = 2 * (lon * k_tiles_per_degree - kx) - 1, v = 2 * (lat * k_tiles_per_degree - ky) - 1;
                lon = tile.x0 + evaluate(tile.cx, u, v);
                lat = tile.y0 + evaluate(tile.cy, u, v);
                continue;
            }
        }
        rest.push_back(i);
    }
    if (rest.empty()) return;
    std::vector<double> rx(rest.size()), ry(rest.size());
    for (std::size_t r = 0; r < rest.size(); ++r) {
        rx[r] = at(x, rest[r], stride);
        ry[r] = at(y, rest[r], stride);
    }
    exact.get().transform(rx.data(), ry.data(), rx.size());
    for (std::size_t r = 0; r < rest.size(); ++r) {
        at(x, rest[r], stride) = rx[r];
        at(y, rest[r], stride) = ry[r];
    }
}

} // namespace hotmap::crs
