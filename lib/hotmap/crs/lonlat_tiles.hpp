// SPDX-License-Identifier: MIT
// A transformation from lon/lat as polynomials on small fixed tiles, each checked against PROJ.
//
// Projecting ten million incidents through PROJ costs about 200 ns a point (a transverse
// Mercator is a dozen transcendental functions). On a tile of 1/16 degree the transformation is
// so smooth that a polynomial of total degree 4 in the tile's scaled lon/lat matches it to far
// below a micrometre (the first term left out is of the order R * (tile / 2)^5, R the Earth's
// radius, the angle in radians: about 3e-10 m). Each tile's polynomial interpolates PROJ's own
// values at 5 x 5 Chebyshev nodes, and is then compared with PROJ on a 9 x 9 lattice of the tile
// (edges and corners included): a tile whose polynomial misses PROJ there by more than
// `tile_tolerance` (a datum grid, a singularity, a failing node) keeps PROJ for its points.
//
// Tiles are fixed in lon/lat (the tile of a point is floor(lon * 16), floor(lat * 16)), so a
// point's projected coordinates depend on the point and the two CRSs only, never on the other
// points of the file: the same incident gets the same coordinates from a CSV file, a database or
// a filtered subset, on any thread count.
#pragma once

#include "hotmap/crs/crs.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace hotmap::crs {

/// Tiles per degree (a power of two: lon * 16 is exact in binary).
inline constexpr int k_tiles_per_degree = 16;
/// Total degree of a tile's polynomial.
inline constexpr int k_tile_degree = 4;
/// The largest difference from PROJ a tile may show on its check lattice, in target units
/// (metres, or feet for a CRS in feet), for a tile whose coordinates are about (x, y): 2e-15 of
/// |x| + |y|, plus 1e-9. PROJ's own arithmetic rounds at about 1e-15 of the coordinates (a double
/// near 1e7 m holds 2e-9 m): for a UTM northing of 9,300 km the tolerance is 2e-8 m, 20 nm.
inline double tile_tolerance(double x, double y) noexcept { return 2e-15 * (std::abs(x) + std::abs(y)) + 1e-9; }
/// Beyond this many distinct tiles (a region of about 16 x 16 degrees filled) every point goes
/// through PROJ: fitting that many tiles would cost more than it saves.
inline constexpr std::size_t k_max_tiles = 65536;
/// When the points' box holds at most this many tiles (2 x 2 degrees), all of them are fitted
/// (cheaper than finding which hold points).
inline constexpr std::int64_t k_box_tiles = 1024;

/// A Transformer made on first use (most points of a tiled transformation never need one).
class LazyTransformer {
public:
    LazyTransformer(Crs from, Crs to) : m_from(std::move(from)), m_to(std::move(to)) {}
    const Transformer& get()
    {
        if (!m_t) m_t.emplace(m_from, m_to);
        return *m_t;
    }

private:
    Crs m_from, m_to;
    std::optional<Transformer> m_t;
};

class LonLatTiles {
public:
    /// Fits the tiles that hold the points (lon/lat, x and y strided by `stride_bytes`; points
    /// that are not finite or not within lon [-180, 180], lat [-90, 90] are ignored). `from`
    /// must be geographic. Fitting runs on up to `threads` threads. When the points need more
    /// than k_max_tiles tiles, no tile is fitted (every point then goes through PROJ).
    LonLatTiles(const Crs& from, const Crs& to, const double* x, const double* y, std::size_t n, std::size_t stride_bytes,
                unsigned threads);

    /// Transforms in place as Transformer::transform does (a point that cannot be transformed
    /// becomes +inf), through the tiles where they were fitted and through `exact` (between the
    /// same CRSs, one per thread) elsewhere. Safe to call from several threads at once on
    /// different points, each with its own `exact`.
    void transform(LazyTransformer& exact, double* x, double* y, std::size_t n, std::size_t stride_bytes) const;

    std::size_t tiles() const noexcept { return m_tiles.size(); }
    /// Tiles whose polynomial failed its check (their points go through PROJ).
    std::size_t exact_tiles() const noexcept { return m_exact_tiles; }
    /// The largest difference from PROJ seen on the check lattices of the fitted tiles, as a
    /// fraction of their tile_tolerance (at most 1).
    double max_check_error() const noexcept { return m_max_error; }

private:
    static constexpr int k_terms = (k_tile_degree + 1) * (k_tile_degree + 2) / 2;
    struct Tile {
        double x0 = 0, y0 = 0;              ///< PROJ at the tile's centre
        std::array<double, k_terms> cx{}, cy{}; ///< monomial coefficients of u^i v^j, i + j <= degree
        bool fitted = false;
    };
    /// Index into m_tiles of the tile (kx, ky), or -1.
    std::int32_t find(std::int32_t kx, std::int32_t ky) const noexcept;

    std::vector<Tile> m_tiles;
    std::int32_t m_kx0 = 0, m_ky0 = 0, m_w = 0, m_h = 0; ///< the box of tile keys
    std::vector<std::int32_t> m_index;                   ///< m_w * m_h slots of m_tiles indices, -1 = none
    std::vector<std::int64_t> m_keys;                    ///< instead of m_index when its box is too large: sorted keys
    static constexpr std::size_t k_max_index_slots = 1u << 22;
    std::size_t m_exact_tiles = 0;
    double m_max_error = 0;
};

} // namespace hotmap::crs
