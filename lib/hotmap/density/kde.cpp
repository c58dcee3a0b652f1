// SPDX-License-Identifier: MIT
// Exact kernel density: per-cell moments for source cells wholly inside the kernel support,
// point-by-point sums only where the support circle crosses a cell; the gaussian by a Taylor
// series of the offsets inside the cells.
#include "hotmap/density/kde.hpp"

#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/resources.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <type_traits>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

// No FMA contraction in the AVX-512 code (its target allows FMA): a*b + c stays two roundings,
// as in the SSE2 and AVX2 code, so every width gives the same bits.
#if defined(__clang__)
#define HOTMAP_NO_FP_CONTRACT_BEGIN _Pragma("clang fp contract(off)")
#define HOTMAP_NO_FP_CONTRACT_END _Pragma("clang fp contract(on)")
#elif defined(__GNUC__)
#define HOTMAP_NO_FP_CONTRACT_BEGIN _Pragma("GCC push_options") _Pragma("GCC optimize(\"fp-contract=off\")")
#define HOTMAP_NO_FP_CONTRACT_END _Pragma("GCC pop_options")
#else
#define HOTMAP_NO_FP_CONTRACT_BEGIN
#define HOTMAP_NO_FP_CONTRACT_END
#endif

namespace hotmap::density {

Units parse_units(const std::string& s)
{
    if (s == "km2") return Units::km2;
    if (s == "ha") return Units::ha;
    if (s == "m2") return Units::m2;
    throw ParameterError("--units '" + s + "': expected km2, ha or m2");
}

double units_factor(Units u) { return u == Units::km2 ? 1e6 : u == Units::ha ? 1e4 : 1.0; }
std::string units_name(Units u) { return u == Units::km2 ? "km2" : u == Units::ha ? "ha" : "m2"; }

std::size_t support_margin(Kernel k, double bw, double cell)
{
    return static_cast<std::size_t>(std::ceil(kernel_support(k, bw) / cell)) + 1;
}

namespace {

/// fn(row) for rows [0, n), one row per chunk of the parallel helper. Each row is computed
/// wholly by one worker, so results do not depend on the thread count.
template <typename Fn>
void parallel_rows(std::size_t n, unsigned threads, Fn&& fn)
{
    parallel::for_each(n, 1, threads, fn);
}

void check_params(const grid::GridSpec& g, const KdeParams& p)
{
    if (!(p.bandwidth_m >= k_min_bandwidth_m) || !(p.bandwidth_m <= k_max_bandwidth_m))
        throw ParameterError("--bandwidth " + resources::metres(p.bandwidth_m) + ": must lie in " + resources::metres(k_min_bandwidth_m) +
                             " .. " + resources::metres(k_max_bandwidth_m));
    if (!(g.cell > 0) || !std::isfinite(g.cell)) throw ParameterError("cell size must be positive");
    if (kernel_support(p.kernel, p.bandwidth_m) / g.cell > 20000)
        throw ParameterError("--bandwidth " + resources::metres(p.bandwidth_m) + " spans more than 20000 cells of " +
                             resources::metres(g.cell) + ": use larger cells or a smaller bandwidth");
    if (p.edge_correct && !p.mask) throw ParameterError("edge correction needs a study area (districts)");
    if (p.mask) {
        const std::size_t m = p.mask_margin;
        if (p.mask->size() != (g.nrow + 2 * m) * (g.ncol + 2 * m))
            throw ParameterError("study-area mask has " + std::to_string(p.mask->size()) + " cells, expected " +
                                 std::to_string((g.nrow + 2 * m) * (g.ncol + 2 * m)));
    }
}

/// Incidents bucketed by cell of the extended grid (row-major, stable), as offsets from the
/// cell's reference centre.
struct Buckets {
    std::size_t nx = 0, ny = 0, margin = 0;
    std::vector<std::size_t> start; ///< nx*ny + 1
    std::vector<double> a, b, w;    ///< w empty when every weight is 1
};

Buckets bucket(const std::vector<Incident>& items, const grid::GridSpec& g, std::size_t margin, unsigned threads)
{
    Buckets B;
    B.margin = margin;
    B.nx = g.ncol + 2 * margin;
    B.ny = g.nrow + 2 * margin;
    const std::size_t n = items.size(), ncell = B.nx * B.ny;
    constexpr std::uint32_t none = 0xffffffffu;
    if (ncell >= none || B.nx >= none)
        throw ParameterError("the raster extended by the kernel support has too many cells: use larger cells or a smaller bandwidth");
    const double mm = static_cast<double>(margin);
    // row and column of incident i in the extended grid; false outside it (computed in both
    // passes: the same values, and no array of cells)
    const double fnx = static_cast<double>(B.nx), fny = static_cast<double>(B.ny);
    auto locate = [&items, &g, mm, fnx, fny](std::size_t i, std::size_t& row, std::size_t& col) {
        const double fc = std::floor((items[i].x - g.x0) / g.cell) + mm, fr = std::floor((items[i].y - g.y0) / g.cell) + mm;
        if (!(fc >= 0 && fr >= 0 && fc < fnx && fr < fny)) return false;
        row = static_cast<std::size_t>(fr);
        col = static_cast<std::size_t>(fc);
        return true;
    };
    // Counting sort in two stages, the same layout as one sort by cell: first by row of the
    // extended grid, in parallel: chunk t (at most 8 of them, fixed by n) writes its incidents
    // after those of chunks < t in each row, so every row keeps incident order whatever the
    // thread count; then each row by column, stably. The histograms are small (rows, then the
    // columns of one row), where one of every cell per chunk missed the caches on each count.
    const std::size_t nx = B.nx, ny = B.ny;
    const std::size_t chunk = parallel::chunk_size(std::max<std::size_t>(1 << 18, (n + 7) / 8));
    const std::size_t nt = n == 0 ? 1 : (n + chunk - 1) / chunk;
    std::vector<std::vector<std::size_t>> hist(nt, std::vector<std::size_t>(ny, 0));
    std::vector<char> unit_t(nt, 1);
    auto run = [&](auto&& fn) { parallel::for_each(nt, 1, threads, fn); };
    run([&](std::size_t t) {
        std::vector<std::size_t>& h = hist[t];
        bool u = true;
        std::size_t row = 0, col = 0;
        for (std::size_t i = t * chunk; i < std::min(n, (t + 1) * chunk); ++i)
            if (locate(i, row, col)) {
                ++h[row];
                u = u && items[i].weight == 1.0;
            }
        unit_t[t] = u;
    });
    const bool unit = std::all_of(unit_t.begin(), unit_t.end(), [](char u) { return u != 0; });
    std::vector<std::size_t> row_start(ny + 1, 0);
    for (std::size_t r = 0; r < ny; ++r) {
        std::size_t pos = row_start[r];
        for (std::size_t t = 0; t < nt; ++t) {
            const std::size_t k = hist[t][r];
            hist[t][r] = pos; // becomes chunk t's write position in row r
            pos += k;
        }
        row_start[r + 1] = pos;
    }
    const std::size_t kept = row_start[ny];
    B.a.resize(kept);
    B.b.resize(kept);
    if (!unit) B.w.resize(kept);
    B.start.assign(ncell + 1, 0);
    B.start[ncell] = kept;
    // col: the column of each incident, in row order (16 bits when the grid allows)
    auto sort = [&](auto& col) {
        using Col = typename std::remove_reference_t<decltype(col)>::value_type;
        col.resize(kept);
        run([&](std::size_t t) {
            std::vector<std::size_t>& pos = hist[t];
            double* a = B.a.data();
            double* b = B.b.data();
            double* w = B.w.data();
            Col* cl = col.data();
            std::size_t row = 0, c = 0;
            for (std::size_t i = t * chunk; i < std::min(n, (t + 1) * chunk); ++i) {
                if (!locate(i, row, c)) continue;
                const std::size_t k = pos[row]++;
                const double cc = static_cast<double>(c) - mm, rr = static_cast<double>(row) - mm;
                a[k] = items[i].x - (g.x0 + (cc + 0.5) * g.cell);
                b[k] = items[i].y - (g.y0 + (rr + 0.5) * g.cell);
                if (!unit) w[k] = items[i].weight;
                cl[k] = static_cast<Col>(c);
            }
        });
        struct RowScratch {
            std::vector<std::size_t> count;
            std::vector<double> a, b, w;
        };
        parallel::for_chunks_with(
            ny, 1, threads, [&] { return RowScratch{std::vector<std::size_t>(nx + 1), {}, {}, {}}; },
            [&](RowScratch& sc, std::size_t rlo, std::size_t rhi) {
                for (std::size_t r = rlo; r < rhi; ++r) {
                    const std::size_t k0 = row_start[r], k1 = row_start[r + 1];
                    std::fill(sc.count.begin(), sc.count.end(), 0);
                    for (std::size_t k = k0; k < k1; ++k) ++sc.count[col[k] + 1];
                    for (std::size_t c = 0; c < nx; ++c) {
                        sc.count[c + 1] += sc.count[c];
                        B.start[r * nx + c] = k0 + sc.count[c];
                    }
                    if (k1 == k0) continue;
                    sc.a.assign(B.a.begin() + static_cast<std::ptrdiff_t>(k0), B.a.begin() + static_cast<std::ptrdiff_t>(k1));
                    sc.b.assign(B.b.begin() + static_cast<std::ptrdiff_t>(k0), B.b.begin() + static_cast<std::ptrdiff_t>(k1));
                    if (!unit) sc.w.assign(B.w.begin() + static_cast<std::ptrdiff_t>(k0), B.w.begin() + static_cast<std::ptrdiff_t>(k1));
                    for (std::size_t k = k0; k < k1; ++k) {
                        const std::size_t d = k0 + sc.count[col[k]]++;
                        B.a[d] = sc.a[k - k0];
                        B.b[d] = sc.b[k - k0];
                        if (!unit) B.w[d] = sc.w[k - k0];
                    }
                }
            });
    };
    if (nx <= 0x10000) {
        std::vector<std::uint16_t> col;
        sort(col);
    } else {
        std::vector<std::uint32_t> col;
        sort(col);
    }
    return B;
}

struct Mono {
    int a, b, e;
};

std::vector<Mono> monomials(int D)
{
    std::vector<Mono> m;
    for (int s = 0; s <= D; ++s)
        for (int a = s; a >= 0; --a)
            for (int b = s - a; b >= 0; --b) m.push_back({a, b, s - a - b});
    return m;
}

double ipow(double x, int k)
{
    double r = 1;
    for (int i = 0; i < k; ++i) r *= x;
    return r;
}

double factorial(int k) { return k <= 1 ? 1.0 : k * factorial(k - 1); }

/// Stencil offsets of one row offset q: interior p in [-pin, pin] (pin < 0: none), boundary p
/// values listed. Within 2 cells of reach every cell is summed point by point: the moment
/// expansion loses up to 3e-12 of the maximum there (triweight, r = 1.2 cells), and few
/// cells are at stake.
struct StencilRow {
    long q = 0;
    long pin = -1;
    std::vector<long> boundary;
};

/// The boundary pairs of one source row for the target rows of a band: lane j is offset p[j]
/// (P = p cs) of target row offset Q / cs, adding into acc[off[j] + tc] (off: the target row's
/// start in the band). P and Q are padded with zeros to a multiple of 8.
struct BoundaryLanes {
    std::vector<double> P, Q;
    std::vector<long> p, off;
    long pmin = 0, pmax = 0;
    void clear()
    {
        P.clear();
        Q.clear();
        p.clear();
        off.clear();
    }
    void add(long pp, long q, double cs, long offset)
    {
        pmin = p.empty() ? pp : std::min(pmin, pp);
        pmax = p.empty() ? pp : std::max(pmax, pp);
        P.push_back(static_cast<double>(pp) * cs);
        Q.push_back(static_cast<double>(q) * cs);
        p.push_back(pp);
        off.push_back(offset);
    }
    /// Pads P and Q with zeros to a multiple of 8; pv and idx: p and off - p as 64-bit
    /// integers, the padding lanes with an offset no target column has.
    std::vector<long long> pv, idx;
    void pad()
    {
        const std::size_t n = (P.size() + 7) / 8 * 8;
        P.resize(n, 0.0);
        Q.resize(n, 0.0);
        pv.assign(n, std::numeric_limits<long long>::max() / 4);
        idx.assign(n, 0);
        for (std::size_t j = 0; j < p.size(); ++j) {
            pv[j] = p[j];
            idx[j] = off[j] - p[j];
        }
    }
};

std::vector<StencilRow> stencil(double cell, double support, long reach)
{
    std::vector<StencilRow> rows;
    const double r2 = support * support, h = 0.5 * cell;
    for (long q = -reach; q <= reach; ++q) {
        StencilRow s;
        s.q = q;
        const double Q = std::abs(static_cast<double>(q) * cell);
        for (long p = -reach; p <= reach; ++p) {
            const double P = std::abs(static_cast<double>(p) * cell);
            const double nx = std::max(0.0, P - h), ny = std::max(0.0, Q - h);
            if (nx * nx + ny * ny >= r2 * (1 + 1e-12)) continue; // wholly outside
            const double fx = P + h, fy = Q + h;
            if (fx * fx + fy * fy < r2 * (1 - 1e-12) && reach >= 3)
                s.pin = std::max(s.pin, std::labs(p));
            else
                s.boundary.push_back(p);
        }
        // interior offsets are exactly [-pin, pin]: the test is monotone in |p|
        if (s.pin >= 0 || !s.boundary.empty()) rows.push_back(std::move(s));
    }
    return rows;
}

/// Two doubles in one SSE2 register (GCC/Clang vector extension; plain SSE2 code, no CPU check).
typedef double V2 __attribute__((vector_size(16)));

template <int D>
inline V2 kernel_poly(V2 t)
{
    const V2 zero = {0, 0};
    if constexpr (D == 0) {
        const V2 one = {1, 1};
        return t > zero ? one : zero;
    } else {
        const V2 u = t > zero ? t : zero;
        if constexpr (D == 1) return u;
        else if constexpr (D == 2) return u * u;
        else return u * u * u;
    }
}

template <int D>
inline double kernel_poly1(double t)
{
    if constexpr (D == 0) return t > 0 ? 1.0 : 0.0;
    else {
        const double u = t > 0 ? t : 0.0;
        if constexpr (D == 1) return u;
        else if constexpr (D == 2) return u * u;
        else return u * u * u;
    }
}

/// Sum of w (r^2 - d^2)^D over points [k0, k1) with d < r; branch-free, two SSE2 registers:
/// point k+j always goes to lane j (the tail to lane 0), a fixed summation order, so results
/// do not depend on threads.
template <int D, bool Unit>
inline double boundary_sum(const Buckets& B, std::size_t k0, std::size_t k1, double P, double Q, double r2)
{
    const double* a = B.a.data();
    const double* b = B.b.data();
    const double* w = B.w.data();
    V2 s0 = {0, 0}, s1 = {0, 0};
    std::size_t k = k0;
    for (; k + 4 <= k1; k += 4) {
        V2 a0, a1, b0, b1;
        std::memcpy(&a0, a + k, sizeof a0);
        std::memcpy(&a1, a + k + 2, sizeof a1);
        std::memcpy(&b0, b + k, sizeof b0);
        std::memcpy(&b1, b + k + 2, sizeof b1);
        const V2 dx0 = a0 + P, dy0 = b0 + Q, dx1 = a1 + P, dy1 = b1 + Q;
        V2 v0 = kernel_poly<D>(r2 - dx0 * dx0 - dy0 * dy0), v1 = kernel_poly<D>(r2 - dx1 * dx1 - dy1 * dy1);
        if constexpr (!Unit) {
            V2 w0, w1;
            std::memcpy(&w0, w + k, sizeof w0);
            std::memcpy(&w1, w + k + 2, sizeof w1);
            v0 *= w0;
            v1 *= w1;
        }
        s0 += v0;
        s1 += v1;
    }
    double s[4];
    std::memcpy(s, &s0, sizeof s0);
    std::memcpy(s + 2, &s1, sizeof s1);
    for (; k < k1; ++k) {
        const double dx = a[k] + P, dy = b[k] + Q;
        const double v = kernel_poly1<D>(r2 - dx * dx - dy * dy);
        if constexpr (Unit) s[0] += v;
        else s[0] += w[k] * v;
    }
    return (s[0] + s[1]) + (s[2] + s[3]);
}

/// acc[tc] += boundary_sum over the points of cell base + tc, for tc in [0, ncol).
template <int D, bool Unit>
void boundary_row(const Buckets& B, std::size_t base, std::size_t ncol, double P, double Q, double r2, double* acc)
{
    const std::size_t* start = B.start.data() + base;
    for (std::size_t tc = 0; tc < ncol; ++tc)
        if (start[tc + 1] > start[tc]) acc[tc] += boundary_sum<D, Unit>(B, start[tc], start[tc + 1], P, Q, r2);
}

#if defined(__x86_64__) && defined(__GNUC__)
#define HOTMAP_KDE_AVX2 1
/// The same sums with four lanes in one AVX2 register: lane j still takes point k+j and the tail
/// lane 0, every lane does the same IEEE operations in the same order (no FMA), so the result is
/// bit-identical to boundary_row (verified on 300k clustered incidents: same raster hash).
typedef double V4 __attribute__((vector_size(32)));

template <int D, bool Unit>
__attribute__((target("avx2"))) void boundary_row_avx2(const Buckets& B, std::size_t base, std::size_t ncol, double P, double Q,
                                                       double r2, double* acc)
{
    const std::size_t* start = B.start.data() + base;
    const double* a = B.a.data();
    const double* b = B.b.data();
    const double* w = B.w.data();
    const V4 zero = {0, 0, 0, 0}, one = {1, 1, 1, 1};
    for (std::size_t tc = 0; tc < ncol; ++tc) {
        const std::size_t k1 = start[tc + 1];
        std::size_t k = start[tc];
        if (k1 == k) continue;
        V4 sv = zero;
        for (; k + 4 <= k1; k += 4) {
            V4 av, bv;
            std::memcpy(&av, a + k, sizeof av);
            std::memcpy(&bv, b + k, sizeof bv);
            const V4 dx = av + P, dy = bv + Q;
            const V4 t = r2 - dx * dx - dy * dy;
            V4 v;
            if constexpr (D == 0) v = t > zero ? one : zero;
            else {
                const V4 u = t > zero ? t : zero;
                if constexpr (D == 1) v = u;
                else if constexpr (D == 2) v = u * u;
                else v = u * u * u;
            }
            if constexpr (!Unit) {
                V4 wv;
                std::memcpy(&wv, w + k, sizeof wv);
                v *= wv;
            }
            sv += v;
        }
        double sl[4];
        std::memcpy(sl, &sv, sizeof sl);
        for (; k < k1; ++k) {
            const double dx = a[k] + P, dy = b[k] + Q;
            const double v = kernel_poly1<D>(r2 - dx * dx - dy * dy);
            if constexpr (Unit) sl[0] += v;
            else sl[0] += w[k] * v;
        }
        acc[tc] += (sl[0] + sl[1]) + (sl[2] + sl[3]);
    }
}

// No FMA contraction here (target avx512f allows it): the same bits as the AVX2 and SSE2 code.
HOTMAP_NO_FP_CONTRACT_BEGIN
/// w (r^2 - dx^2 - dy^2)^D of one point for eight (P, Q) offsets (lanes).
template <int D, bool Unit>
__attribute__((target("avx512f"), always_inline)) inline __m512d point_values_avx512(const double* a, const double* b, const double* w,
                                                                                   std::size_t k, __m512d vP, __m512d vQ, __m512d vr2)
{
    const __m512d dx = _mm512_add_pd(_mm512_set1_pd(a[k]), vP), dy = _mm512_add_pd(_mm512_set1_pd(b[k]), vQ);
    const __m512d t = _mm512_sub_pd(_mm512_sub_pd(vr2, _mm512_mul_pd(dx, dx)), _mm512_mul_pd(dy, dy));
    const __mmask8 in = _mm512_cmp_pd_mask(t, _mm512_setzero_pd(), _CMP_GT_OQ);
    __m512d v;
    if constexpr (D == 0) v = _mm512_maskz_mov_pd(in, _mm512_set1_pd(1.0));
    else {
        const __m512d u = _mm512_maskz_mov_pd(in, t);
        if constexpr (D == 1) v = u;
        else if constexpr (D == 2) v = _mm512_mul_pd(u, u);
        else v = _mm512_mul_pd(_mm512_mul_pd(u, u), u);
    }
    if constexpr (!Unit) v = _mm512_mul_pd(v, _mm512_set1_pd(w[k]));
    return v;
}

/// The boundary terms of one source row for every target row of a band (see BoundaryLanes),
/// the same bits as boundary_row_avx2 lane by lane, cell by cell: each cell is read once for
/// all its (target row, offset) pairs, each point giving its values for eight pairs in one
/// register, summed into four registers in the lane order of boundary_row_avx2 (point i into
/// lane i mod 4, the last n mod 4 into lane 0), then added to the targets. A target column gets
/// the term of cell M + p + tc for its offsets p in increasing order (the cells are taken in
/// increasing order), as there. One pass per cell and band instead of one per cell, target row
/// and offset, and no horizontal sum per pair.
template <int D, bool Unit>
__attribute__((target("avx512f"))) void boundary_lanes_avx512(const Buckets& B, std::size_t row0, long M, std::size_t ncol,
                                                             const BoundaryLanes& L, double r2, double* acc)
{
    const std::size_t nl = L.p.size();
    if (nl == 0) return;
    const std::size_t* start = B.start.data() + row0;
    const double* a = B.a.data();
    const double* b = B.b.data();
    const double* w = B.w.data();
    const __m512d vr2 = _mm512_set1_pd(r2);
    const long nc = static_cast<long>(ncol);
    const long ec_lo = std::max(0L, M + L.pmin), ec_hi = std::min(static_cast<long>(B.nx), M + L.pmax + nc);
    for (long ec = ec_lo; ec < ec_hi; ++ec) {
        const std::size_t k0 = start[ec], k1 = start[ec + 1];
        if (k0 == k1) continue;
        const long tc0 = ec - M; // target column of offset p: tc0 - p, wanted in [0, ncol)
        const __m512i vt_lo = _mm512_set1_epi64(tc0 - nc);
        const std::size_t n4 = k0 + ((k1 - k0) & ~std::size_t{3});
        for (std::size_t j0 = 0; j0 < nl; j0 += 8) {
            const __m512d vP = _mm512_loadu_pd(L.P.data() + j0), vQ = _mm512_loadu_pd(L.Q.data() + j0);
            __m512d l0 = _mm512_setzero_pd(), l1 = l0, l2 = l0, l3 = l0;
            std::size_t k = k0;
            for (; k < n4; k += 4) {
                l0 = _mm512_add_pd(l0, point_values_avx512<D, Unit>(a, b, w, k, vP, vQ, vr2));
                l1 = _mm512_add_pd(l1, point_values_avx512<D, Unit>(a, b, w, k + 1, vP, vQ, vr2));
                l2 = _mm512_add_pd(l2, point_values_avx512<D, Unit>(a, b, w, k + 2, vP, vQ, vr2));
                l3 = _mm512_add_pd(l3, point_values_avx512<D, Unit>(a, b, w, k + 3, vP, vQ, vr2));
            }
            for (; k < k1; ++k) l0 = _mm512_add_pd(l0, point_values_avx512<D, Unit>(a, b, w, k, vP, vQ, vr2));
            // acc[off + tc0 - p] += sum for the lanes with a target column in [0, ncol) and a
            // sum other than 0 (adding 0 changes no sum), by gather and scatter (the targets of
            // a register are distinct)
            const __m512d sum = _mm512_add_pd(_mm512_add_pd(l0, l1), _mm512_add_pd(l2, l3));
            const __m512i vp = _mm512_loadu_si512(L.pv.data() + j0), vt = _mm512_set1_epi64(tc0);
            const __mmask8 use = _mm512_cmp_epi64_mask(vp, vt, _MM_CMPINT_LE) & _mm512_cmp_epi64_mask(vp, vt_lo, _MM_CMPINT_NLE) &
                                 _mm512_cmp_pd_mask(sum, _mm512_setzero_pd(), _CMP_NEQ_UQ);
            if (use) {
                const __m512i idx = _mm512_add_epi64(_mm512_loadu_si512(L.idx.data() + j0), vt);
                const __m512d cur = _mm512_mask_i64gather_pd(_mm512_setzero_pd(), use, idx, acc, 8);
                _mm512_mask_i64scatter_pd(acc, use, idx, _mm512_add_pd(cur, sum), 8);
            }
        }
    }
}
HOTMAP_NO_FP_CONTRACT_END
#endif

/// The boundary terms of one source row for the target rows of a band (BoundaryLanes).
using BoundaryFn = void (*)(const Buckets&, std::size_t, long, std::size_t, const BoundaryLanes&, double, double*);

/// Lane by lane, each along the whole row (lanes in increasing offset p for each target row).
template <int D, bool Unit, bool Avx2>
void boundary_lanes(const Buckets& B, std::size_t row0, long M, std::size_t ncol, const BoundaryLanes& L, double r2, double* acc)
{
    for (std::size_t j = 0; j < L.p.size(); ++j) {
        const std::size_t base = row0 + static_cast<std::size_t>(M + L.p[j]);
        double* a = acc + L.off[j];
#ifdef HOTMAP_KDE_AVX2
        if constexpr (Avx2) {
            boundary_row_avx2<D, Unit>(B, base, ncol, L.P[j], L.Q[j], r2, a);
            continue;
        }
#endif
        boundary_row<D, Unit>(B, base, ncol, L.P[j], L.Q[j], r2, a);
    }
}

template <int D>
BoundaryFn boundary_fn_d(bool unit, int simd)
{
#ifdef HOTMAP_KDE_AVX2
    if (simd >= 8 && __builtin_cpu_supports("avx512f")) return unit ? &boundary_lanes_avx512<D, true> : &boundary_lanes_avx512<D, false>;
    if (simd >= 4 && __builtin_cpu_supports("avx2")) return unit ? &boundary_lanes<D, true, true> : &boundary_lanes<D, false, true>;
#endif
    (void)simd;
    return unit ? &boundary_lanes<D, true, false> : &boundary_lanes<D, false, false>;
}

/// simd: the widest registers to use, in doubles (2 = SSE2, 4 = AVX2, 8 = AVX-512).
BoundaryFn boundary_fn(int D, bool unit, int simd)
{
    switch (D) {
    case 0: return boundary_fn_d<0>(unit, simd);
    case 1: return boundary_fn_d<1>(unit, simd);
    case 2: return boundary_fn_d<2>(unit, simd);
    default: return boundary_fn_d<3>(unit, simd);
    }
}

/// One target row's share of a source row's interior terms: its coefficients G (K rows of C),
/// its prefix-sum window [lo, hi) and its accumulator.
struct InteriorTarget {
    const double* G;
    std::size_t lo, hi;
    double* acc;
};

/// The interior terms of one source row for some target rows: for every chunk of C target
/// columns and every (moment, power) pair, a[tt] += G[tt] (pre[tt + hi] - pre[tt + lo]), the
/// pairs in order for each column (the prefix sums `pre` of the row: chunk by chunk, K rows of
/// L + 1). Chunk by chunk for all the target rows, so a chunk's prefix sums stay in L1.
void interior_rows(const double* pre, const InteriorTarget* tg, std::size_t nt, std::size_t K, std::size_t C, std::size_t L, std::size_t ncol)
{
    for (std::size_t T0 = 0, ch = 0; T0 < ncol; T0 += C, ++ch) {
        const std::size_t len = std::min(C, ncol - T0);
        for (std::size_t i = 0; i < nt; ++i) {
            double* a = tg[i].acc + T0;
            const std::size_t lo = tg[i].lo, hi = tg[i].hi;
            for (std::size_t pi = 0; pi < K; ++pi) {
                const double* pr = pre + (ch * K + pi) * (L + 1);
                const double* gg = tg[i].G + pi * C;
                for (std::size_t tt = 0; tt < len; ++tt) a[tt] += gg[tt] * (pr[tt + hi] - pr[tt + lo]);
            }
        }
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
HOTMAP_NO_FP_CONTRACT_BEGIN
/// NV registers of 8 columns (the last `last` lanes wide) of interior_rows, each column's
/// running sum kept in a register over the K pairs: the same additions in the same order.
template <std::size_t NV>
__attribute__((target("avx512f"), always_inline)) inline void interior_block_avx512(const double* pr, const double* gg, std::size_t K,
                                                                                   std::size_t C, std::size_t L, std::size_t lo,
                                                                                   std::size_t hi, std::size_t last, double* a)
{
    __mmask8 mk[NV];
    __m512d sv[NV];
    for (std::size_t j = 0; j < NV; ++j) {
        mk[j] = j + 1 < NV ? static_cast<__mmask8>(0xff) : static_cast<__mmask8>((1u << last) - 1);
        sv[j] = _mm512_maskz_loadu_pd(mk[j], a + 8 * j);
    }
    for (std::size_t pi = 0; pi < K; ++pi, pr += L + 1, gg += C)
        for (std::size_t j = 0; j < NV; ++j) {
            const __m512d d = _mm512_sub_pd(_mm512_maskz_loadu_pd(mk[j], pr + hi + 8 * j), _mm512_maskz_loadu_pd(mk[j], pr + lo + 8 * j));
            sv[j] = _mm512_add_pd(sv[j], _mm512_mul_pd(_mm512_maskz_loadu_pd(mk[j], gg + 8 * j), d));
        }
    for (std::size_t j = 0; j < NV; ++j) _mm512_mask_storeu_pd(a + 8 * j, mk[j], sv[j]);
}

/// interior_rows with AVX-512, bit for bit.
__attribute__((target("avx512f"))) void interior_rows_avx512(const double* pre, const InteriorTarget* tg, std::size_t nt, std::size_t K,
                                                             std::size_t C, std::size_t L, std::size_t ncol)
{
    for (std::size_t T0 = 0, ch = 0; T0 < ncol; T0 += C, ++ch) {
        const std::size_t len = std::min(C, ncol - T0);
        const double* pre_ch = pre + ch * K * (L + 1);
        for (std::size_t i = 0; i < nt; ++i)
            for (std::size_t t0 = 0; t0 < len; t0 += 48) {
                const std::size_t n = std::min<std::size_t>(48, len - t0), nv = (n + 7) / 8, last = n - 8 * (nv - 1);
                const double* pr = pre_ch + t0;
                const double* gg = tg[i].G + t0;
                double* a = tg[i].acc + T0 + t0;
                switch (nv) {
                case 1: interior_block_avx512<1>(pr, gg, K, C, L, tg[i].lo, tg[i].hi, last, a); break;
                case 2: interior_block_avx512<2>(pr, gg, K, C, L, tg[i].lo, tg[i].hi, last, a); break;
                case 3: interior_block_avx512<3>(pr, gg, K, C, L, tg[i].lo, tg[i].hi, last, a); break;
                case 4: interior_block_avx512<4>(pr, gg, K, C, L, tg[i].lo, tg[i].hi, last, a); break;
                case 5: interior_block_avx512<5>(pr, gg, K, C, L, tg[i].lo, tg[i].hi, last, a); break;
                default: interior_block_avx512<6>(pr, gg, K, C, L, tg[i].lo, tg[i].hi, last, a); break;
                }
            }
    }
}
HOTMAP_NO_FP_CONTRACT_END
#endif

using InteriorFn = void (*)(const double*, const InteriorTarget*, std::size_t, std::size_t, std::size_t, std::size_t, std::size_t);

InteriorFn interior_fn(int simd)
{
#if defined(__x86_64__) && defined(__GNUC__)
    if (simd >= 8 && __builtin_cpu_supports("avx512f")) return &interior_rows_avx512;
#endif
    (void)simd;
    return &interior_rows;
}

template <int D>
constexpr auto mono_table()
{
    std::array<Mono, static_cast<std::size_t>((D + 1) * (D + 2) * (D + 3) / 6)> t{};
    std::size_t i = 0;
    for (int s = 0; s <= D; ++s)
        for (int a = s; a >= 0; --a)
            for (int b = s - a; b >= 0; --b) t[i++] = Mono{a, b, s - a - b};
    return t;
}

/// Per extended cell, the weighted moments sum w a^alpha b^beta e^gamma (same order as
/// monomials(D)), one plane per monomial, every value written (the planes come uninitialised:
/// their pages are first touched here, in parallel); marks the rows holding points.
template <int D>
void cell_moments(const Buckets& B, std::size_t nx, std::size_t ny, std::size_t ncell, unsigned threads, double* planes,
                  std::vector<std::uint8_t>& row_used)
{
    static constexpr auto T = mono_table<D>();
    constexpr std::size_t N = T.size();
    const bool unit = B.w.empty();
    parallel_rows(ny, threads, [&](std::size_t er) {
        for (std::size_t c = er * nx; c < (er + 1) * nx; ++c) {
            if (B.start[c + 1] == B.start[c]) {
                for (std::size_t j = 0; j < N; ++j) planes[j * ncell + c] = 0;
                continue;
            }
            std::array<double, N> mom{};
            for (std::size_t k = B.start[c]; k < B.start[c + 1]; ++k) {
                const double a = B.a[k], b = B.b[k], e = a * a + b * b, w = unit ? 1.0 : B.w[k];
                const double pa[4] = {1, a, a * a, a * a * a}, pb[4] = {1, b, b * b, b * b * b},
                             pe[4] = {w, w * e, w * e * e, w * e * e * e};
                for (std::size_t j = 0; j < N; ++j) mom[j] += pa[T[j].a] * pb[T[j].b] * pe[T[j].e];
            }
            for (std::size_t j = 0; j < N; ++j) planes[j * ncell + c] = mom[j];
            row_used[er] = 1;
        }
    });
}

std::vector<double> polynomial_kde(const Buckets& B, const grid::GridSpec& g, const KdeParams& p, unsigned threads)
{
    const int D = kernel_degree(p.kernel);
    const double r = p.bandwidth_m, r2 = r * r, cs = g.cell;
    const std::vector<Mono> mono = monomials(D);
    const std::size_t nm = mono.size(), nx = B.nx, ny = B.ny, m = B.margin;
    const std::size_t ncell = nx * ny;
    const bool unit = B.w.empty();
    // Moment planes: plane k holds sum w a^alpha b^beta e^gamma per extended cell.
    const std::unique_ptr<double[]> plane_mem(new double[nm * ncell]);
    double* const planes = plane_mem.get();
    std::vector<std::uint8_t> row_used(ny, 0);
    switch (D) {
    case 0: cell_moments<0>(B, nx, ny, ncell, threads, planes, row_used); break;
    case 1: cell_moments<1>(B, nx, ny, ncell, threads, planes, row_used); break;
    case 2: cell_moments<2>(B, nx, ny, ncell, threads, planes, row_used); break;
    default: cell_moments<3>(B, nx, ny, ncell, threads, planes, row_used); break;
    }
    const long reach = static_cast<long>(m) - 1;
    const std::vector<StencilRow> st = stencil(cs, r, reach);
    // Interior cells of row offset q are the columns p in [-pin, pin]. The coefficient of moment
    // m for offset (p, q) in L^D (L = W - 2P a - 2Q b - e, W = r^2 - P^2 - Q^2, P = p cs) is a
    // polynomial in p: lam[q][m][i] p^i. Along a source row, windowed power sums
    // sum_p p^i M_m(c + p) come from prefix sums of (j - c0)^k M_m(j) over chunks of target
    // columns (local centre c0 keeps the numbers small), then re-centred exactly:
    // sum_p p^i M = sum_k binom(i,k) (c0 - c)^(i-k) T_k. All exact algebra; only rounding differs.
    const int deg = 2 * D;
    struct Pair {
        std::size_t m;
        int k;
    };
    std::vector<Pair> pairs;
    for (std::size_t j = 0; j < nm; ++j) {
        const int kmax = mono[j].a + 2 * (D - mono[j].a - mono[j].b - mono[j].e);
        for (int k = 0; k <= kmax; ++k) pairs.push_back({j, k});
    }
    const std::size_t K = pairs.size();
    const long R = reach;
    // chunk width ~ the kernel diameter: |j - c0| <= 2R keeps the cancellation in the
    // re-centring below 2^(2D) (measured: ~1e-13 relative to the maximum). No wider for small
    // radii: chunks of at least 16 columns once gave 7e-11 for the triweight at r = 1.2 cells.
    const std::size_t C = 2 * static_cast<std::size_t>(R) + (R % 2 ? 0 : 2),
                      L = C + 2 * static_cast<std::size_t>(R);
    const std::size_t ncol = g.ncol, nchunk = (ncol + C - 1) / C;
    auto binom = [](int n, int k) { return factorial(n) / (factorial(k) * factorial(n - k)); };
    // G[s][pair][tt]: weight of T_{m,k} for target tc = T0 + tt (delta = c0 - c = C/2 - tt)
    std::vector<double> G(st.size() * K * C, 0.0);
    for (std::size_t s = 0; s < st.size(); ++s) {
        if (st[s].pin < 0) continue;
        const double Q = static_cast<double>(st[s].q) * cs, CQ = r2 - Q * Q;
        std::vector<double> lam(nm * static_cast<std::size_t>(deg + 1), 0.0);
        for (std::size_t j = 0; j < nm; ++j) {
            const Mono& mo = mono[j];
            const int d = D - mo.a - mo.b - mo.e;
            const double mult = factorial(D) / (factorial(mo.a) * factorial(mo.b) * factorial(mo.e) * factorial(d));
            const double base = mult * ipow(-2 * Q, mo.b) * ipow(-1.0, mo.e) * ipow(-2 * cs, mo.a);
            for (int s2 = 0; s2 <= d; ++s2)
                lam[j * static_cast<std::size_t>(deg + 1) + static_cast<std::size_t>(mo.a + 2 * s2)] +=
                    base * binom(d, s2) * ipow(CQ, d - s2) * ipow(-cs * cs, s2);
        }
        for (std::size_t pi = 0; pi < K; ++pi) {
            const std::size_t j = pairs[pi].m;
            const int k = pairs[pi].k;
            for (std::size_t tt = 0; tt < C; ++tt) {
                const double delta = static_cast<double>(C / 2) - static_cast<double>(tt);
                double v = 0;
                for (int i = k; i <= deg; ++i)
                    v += lam[j * static_cast<std::size_t>(deg + 1) + static_cast<std::size_t>(i)] * binom(i, k) * ipow(delta, i - k);
                G[(s * K + pi) * C + tt] = v;
            }
        }
    }
    // Prefix sums of one source row, chunk by chunk: pre[t] = sum_{j = s0}^{s0+t-1} (j - c0)^k M_m(j),
    // made for each band of target rows that reaches the row (in cache, instead of a raster of
    // them). j - c0 = t - R - C/2 whatever the chunk: the powers come from one table.
    const std::size_t stride_row = nchunk * K * (L + 1);
    std::vector<double> pw(static_cast<std::size_t>(deg + 1) * L);
    for (int k = 0; k <= deg; ++k)
        for (std::size_t t = 0; t < L; ++t)
            pw[static_cast<std::size_t>(k) * L + t] = ipow(static_cast<double>(static_cast<long>(t) - R - static_cast<long>(C / 2)), k);
    // pairs p0 .. p0 + NP - 1 of chunk ch of the source row whose first cell is row_cells
    auto prefix_block = [&]<std::size_t NP>(std::size_t row_cells, std::size_t ch, std::size_t p0, std::size_t s0, std::size_t tmax, double* pre) {
        const double* plane[NP];
        const double* pk[NP];
        double* o[NP];
        double sum[NP];
        for (std::size_t i = 0; i < NP; ++i) {
            plane[i] = planes + pairs[p0 + i].m * ncell + row_cells + s0;
            pk[i] = pw.data() + static_cast<std::size_t>(pairs[p0 + i].k) * L;
            o[i] = pre + (ch * K + p0 + i) * (L + 1);
            o[i][0] = 0;
            sum[i] = 0;
        }
        for (std::size_t t = 0; t < tmax; ++t) {
#pragma GCC unroll 8
            for (std::size_t i = 0; i < NP; ++i) {
                sum[i] += plane[i][t] * pk[i][t];
                o[i][t + 1] = sum[i];
            }
        }
        for (std::size_t t = tmax; t < L; ++t)
            for (std::size_t i = 0; i < NP; ++i) o[i][t + 1] = sum[i];
    };
    auto prefix_row = [&](std::size_t sr, double* pre) {
        for (std::size_t ch = 0; ch < nchunk; ++ch) {
            const std::size_t s0 = ch * C + m - static_cast<std::size_t>(R); // >= 1
            const std::size_t tmax = std::min(L, nx - s0);                   // columns j < nx
            // eight pairs at a time: eight independent running sums (in registers)
            std::size_t p0 = 0;
            for (; p0 + 8 <= K; p0 += 8) prefix_block.template operator()<8>(sr * nx, ch, p0, s0, tmax, pre);
            for (; p0 < K; ++p0) prefix_block.template operator()<1>(sr * nx, ch, p0, s0, tmax, pre);
        }
    };
    const double scale = kernel_scale(p.kernel, r) * units_factor(p.units);
    const int simd = p.simd_doubles > 0 ? p.simd_doubles : 8;
    const BoundaryFn boundary = boundary_fn(D, unit, simd);
    const InteriorFn interior = interior_fn(simd);
    std::vector<long> s_of_q(static_cast<std::size_t>(2 * R + 1), -1); // stencil row of each offset q
    for (std::size_t s = 0; s < st.size(); ++s) s_of_q[static_cast<std::size_t>(st[s].q + R)] = static_cast<long>(s);
    // Bands of target rows, each source row taken once per band for every target row within
    // reach (its prefix sums and points stay in cache). A target cell still receives its terms
    // in the order of the row offsets q (interior, then boundary, for each), so the band size
    // changes no bit; it is fixed, so results do not depend on threads.
    constexpr std::size_t band = 16;
    const std::size_t nbands = (g.nrow + band - 1) / band;
    std::vector<double> out(g.size(), 0.0);
    struct Scratch {
        std::vector<double> acc, pre;
        BoundaryLanes lanes;
        std::vector<InteriorTarget> inner;
    };
    auto make = [&] { return Scratch{std::vector<double>(band * ncol), std::vector<double>(stride_row), BoundaryLanes{}, {}}; };
    parallel::for_chunks_with(nbands, 1, threads, make, [&](Scratch& w, std::size_t blo, std::size_t bhi) {
        std::vector<double>& acc = w.acc;
        for (std::size_t bi = blo; bi < bhi; ++bi) {
            const long tr0 = static_cast<long>(bi * band), tr1 = std::min(static_cast<long>(g.nrow), tr0 + static_cast<long>(band));
            const long M = static_cast<long>(m);
            std::fill(acc.begin(), acc.end(), 0.0);
            for (long sr = tr0 + M - R; sr <= tr1 - 1 + M + R; ++sr) {
                if (!row_used[static_cast<std::size_t>(sr)]) continue;
                prefix_row(static_cast<std::size_t>(sr), w.pre.data());
                const double* pre_row = w.pre.data();
                w.lanes.clear();
                w.inner.clear();
                for (long tr = std::max(tr0, sr - M - R); tr <= std::min(tr1 - 1, sr - M + R); ++tr) {
                    const long si = s_of_q[static_cast<std::size_t>(sr - tr - M + R)];
                    if (si < 0) continue;
                    const StencilRow& row = st[static_cast<std::size_t>(si)];
                    const long off = (tr - tr0) * static_cast<long>(ncol);
                    if (row.pin >= 0)
                        w.inner.push_back({G.data() + static_cast<std::size_t>(si) * K * C, static_cast<std::size_t>(R - row.pin),
                                           static_cast<std::size_t>(R + row.pin + 1), acc.data() + off});
                    for (long pp : row.boundary) w.lanes.add(pp, row.q, cs, off);
                }
                // interior: exact polynomial sums from the moments
                interior(pre_row, w.inner.data(), w.inner.size(), K, C, L, ncol);
                // boundary: points one by one, after the interior terms of this source row (each
                // target cell still gets, row offset by row offset, the interior then the boundary)
                w.lanes.pad();
                boundary(B, static_cast<std::size_t>(sr) * nx, M, ncol, w.lanes, r2, acc.data());
            }
            for (long tr = tr0; tr < tr1; ++tr)
                for (std::size_t tc = 0; tc < ncol; ++tc)
                    out[static_cast<std::size_t>(tr) * ncol + tc] = acc[static_cast<std::size_t>(tr - tr0) * ncol + tc] * scale;
        }
    });
    return out;
}

/// The gaussian one target row at a time: every (point, target cell) pair evaluates exp. Kept
/// as the oracle of gaussian_kde (KdeParams::gaussian_reference).
std::vector<double> gaussian_kde_rows(const Buckets& B, const grid::GridSpec& g, const KdeParams& p, unsigned threads)
{
    const double s = p.bandwidth_m, cut = kernel_support(p.kernel, s), cut2 = cut * cut, cs = g.cell;
    const double inv = 1.0 / (2 * s * s);
    const std::size_t nx = B.nx, m = B.margin, ncol = g.ncol;
    const long reach = static_cast<long>(m) - 1;
    const bool unit = B.w.empty();
    const double scale = kernel_scale(p.kernel, s) * units_factor(p.units);
    std::vector<double> out(g.size(), 0.0);
    parallel_rows(g.nrow, threads, [&](std::size_t tr) {
        std::vector<double> acc(ncol, 0.0);
        for (long q = -reach; q <= reach; ++q) {
            const std::size_t sr = static_cast<std::size_t>(static_cast<long>(tr + m) + q);
            const double Q = static_cast<double>(q) * cs;
            for (std::size_t ec = 0; ec < nx; ++ec) {
                const std::size_t c = sr * nx + ec;
                for (std::size_t k = B.start[c]; k < B.start[c + 1]; ++k) {
                    const double dy = B.b[k] + Q, dy2 = dy * dy;
                    if (dy2 >= cut2) continue;
                    const double wy = (unit ? 1.0 : B.w[k]) * std::exp(-dy2 * inv);
                    // target columns tc with |offset| within reach: ec - m - tc in [-reach, reach]
                    const long lo = std::max(0L, static_cast<long>(ec) - static_cast<long>(m) - reach);
                    const long hi = std::min(static_cast<long>(ncol) - 1, static_cast<long>(ec) - static_cast<long>(m) + reach);
                    for (long tc = lo; tc <= hi; ++tc) {
                        const double dx = B.a[k] + static_cast<double>(static_cast<long>(ec) - static_cast<long>(m) - tc) * cs;
                        const double d2 = dx * dx + dy2;
                        if (d2 < cut2) acc[static_cast<std::size_t>(tc)] += wy * std::exp(-dx * dx * inv);
                    }
                }
            }
        }
        for (std::size_t tc = 0; tc < ncol; ++tc) out[tr * ncol + tc] = acc[tc] * scale;
    });
    return out;
}

/// The gaussian by bands of target rows: each point's column factors exp(-dx^2 / 2s^2) are
/// computed once per band (and its row factor once per target row), then multiplied into the
/// band's rows: exp(-(dx^2 + dy^2) / 2s^2) = exp(-dx^2 / 2s^2) exp(-dy^2 / 2s^2). Every target
/// cell gets the same terms (same values, same circular cut) added in the same order (source
/// row, column, point) as in gaussian_kde_rows, so the same bits, with about band / 2 times
/// fewer exponentials.
std::vector<double> gaussian_kde(const Buckets& B, const grid::GridSpec& g, const KdeParams& p, unsigned threads)
{
    const double s = p.bandwidth_m, cut = kernel_support(p.kernel, s), cut2 = cut * cut, cs = g.cell;
    const double inv = 1.0 / (2 * s * s);
    const std::size_t nx = B.nx, m = B.margin, ncol = g.ncol;
    const long reach = static_cast<long>(m) - 1;
    const bool unit = B.w.empty();
    const double scale = kernel_scale(p.kernel, s) * units_factor(p.units);
    constexpr std::size_t band = 16; // target rows per task (fixed: results do not depend on threads)
    const std::size_t nbands = (g.nrow + band - 1) / band;
    std::vector<double> out(g.size(), 0.0);
    parallel::for_chunks(nbands, 1, threads, [&](std::size_t blo, std::size_t bhi) {
        std::vector<double> acc(band * ncol), ex(static_cast<std::size_t>(2 * reach + 1)), dx2(ex.size());
        for (std::size_t bi = blo; bi < bhi; ++bi) {
            const long tr0 = static_cast<long>(bi * band), tr1 = std::min(static_cast<long>(g.nrow), tr0 + static_cast<long>(band));
            std::fill(acc.begin(), acc.end(), 0.0);
            const long M = static_cast<long>(m);
            for (long sr = tr0 + M - reach; sr <= tr1 - 1 + M + reach; ++sr) {
                // target rows tr with q = sr - tr - m in [-reach, reach]
                const long ta = std::max(tr0, sr - M - reach), tb = std::min(tr1 - 1, sr - M + reach);
                for (std::size_t ec = 0; ec < nx; ++ec) {
                    const std::size_t c = static_cast<std::size_t>(sr) * nx + ec;
                    const long lo = std::max(0L, static_cast<long>(ec) - M - reach);
                    const long hi = std::min(static_cast<long>(ncol) - 1, static_cast<long>(ec) - M + reach);
                    for (std::size_t k = B.start[c]; k < B.start[c + 1]; ++k) {
                        bool have_ex = false;
                        for (long tr = ta; tr <= tb; ++tr) {
                            const double Q = static_cast<double>(sr - tr - M) * cs;
                            const double dy = B.b[k] + Q, dy2 = dy * dy;
                            if (dy2 >= cut2) continue;
                            const double wy = (unit ? 1.0 : B.w[k]) * std::exp(-dy2 * inv);
                            if (!have_ex) {
                                for (long tc = lo; tc <= hi; ++tc) {
                                    const double dx = B.a[k] + static_cast<double>(static_cast<long>(ec) - M - tc) * cs;
                                    dx2[static_cast<std::size_t>(tc - lo)] = dx * dx;
                                    ex[static_cast<std::size_t>(tc - lo)] = std::exp(-dx * dx * inv);
                                }
                                have_ex = true;
                            }
                            // the columns inside the circular cut, [ca, cb]: dx^2 (rounded)
                            // grows monotonically away from the point on either side, so they
                            // are one run; found from both ends, then summed without a test
                            long ca = lo, cb = hi;
                            while (ca <= cb && !(dx2[static_cast<std::size_t>(ca - lo)] + dy2 < cut2)) ++ca;
                            while (cb >= ca && !(dx2[static_cast<std::size_t>(cb - lo)] + dy2 < cut2)) --cb;
                            double* a = acc.data() + static_cast<std::size_t>(tr - tr0) * ncol + ca;
                            const double* e = ex.data() + (ca - lo);
                            const long len = cb - ca + 1;
                            for (long t = 0; t < len; ++t) a[t] += wy * e[t];
                        }
                    }
                }
            }
            for (long tr = tr0; tr < tr1; ++tr)
                for (std::size_t tc = 0; tc < ncol; ++tc)
                    out[static_cast<std::size_t>(tr) * ncol + tc] = acc[static_cast<std::size_t>(tr - tr0) * ncol + tc] * scale;
        }
    });
    return out;
}

/// Series terms n = 0..N-1 of exp(z) = sum z^n / n! needed for |z| <= x: the remainder is at
/// most x^N / N! e^|z| times exp(z) (Lagrange), kept below `tol` relative to exp(z).
int exp_series_terms(double x, double tol)
{
    constexpr int cap = 1000;
    int n = 1;
    double r = x; // x^n / n!
    const double ex = std::exp(x);
    while (r * ex > tol && n < cap) {
        ++n;
        r *= x / n;
    }
    return n;
}

/// The gaussian as a Taylor series of each point's offset inside its cell. For a point at
/// offset b (|b| <= h = cell/2) from its cell's centre and a target at Q = q cell from that
/// centre, exp(-(b+Q)^2/2s^2) = exp(-Q^2/2s^2) exp(-b^2/2s^2) exp(-t eta u) with t = b/h,
/// u = Q/s, eta = h/s, and exp(-t eta u) = sum_n (-eta u)^n/n! t^n: coefficient c_n(q) =
/// exp(-u^2/2) (-eta u)^n/n! for n < terms[q], where terms[q] makes the remainder below 1e-17
/// of the term itself (so every pair (point, cell) is exact to ~1e-17 relative, wherever it is).
/// The same table serves both axes (square cells).
struct GaussianSeries {
    long reach = 0;
    int nmax = 0;             ///< max of terms
    std::vector<int> terms;   ///< per offset q + reach
    std::vector<double> coef; ///< (2 reach + 1) x nmax, zero beyond terms[q]
};

constexpr double k_series_tol = 1e-17;
/// Beyond this many terms (sigma below about a cell) the series is not used.
constexpr int k_max_series_terms = 64;

GaussianSeries gaussian_series(double s, double cs, long reach, int delta)
{
    GaussianSeries S;
    S.reach = reach;
    const std::size_t W = static_cast<std::size_t>(2 * reach + 1);
    S.terms.resize(W);
    const double eta = 0.5 * cs / s;
    for (long q = -reach; q <= reach; ++q) {
        const double u = std::abs(static_cast<double>(q) * cs / s);
        const int n = std::max(1, exp_series_terms(eta * u, k_series_tol) + delta);
        S.terms[static_cast<std::size_t>(q + reach)] = n;
        S.nmax = std::max(S.nmax, n);
    }
    const std::size_t N = static_cast<std::size_t>(S.nmax);
    S.coef.assign(W * N, 0.0);
    for (long q = -reach; q <= reach; ++q) {
        const std::size_t k = static_cast<std::size_t>(q + reach);
        const double u = static_cast<double>(q) * cs / s, z = -eta * u;
        double c = std::exp(-0.5 * u * u);
        for (std::size_t n = 0; n < static_cast<std::size_t>(S.terms[k]); ++n) {
            S.coef[k * N + n] = c;
            c *= z / static_cast<double>(n + 1);
        }
    }
    return S;
}

/// Which exact gaussian to run, and the series when it is the series.
struct GaussianPlan {
    bool series = false;
    GaussianSeries S;
    std::size_t slab_rows = 0;  ///< target rows per slab (a multiple of 16, or all rows)
    std::size_t plane_rows = 0; ///< source rows of planes held at a time
};

constexpr std::size_t k_series_band = 16; // target rows per task of the series' second pass

/// Slabs of target rows whose planes (slab + 2 reach source rows of nmax x ncol doubles) fit in
/// the budget; each slab recomputes the planes of its own source rows.
void plan_slabs(GaussianPlan& plan, const grid::GridSpec& g, const KdeParams& p)
{
    const std::size_t budget = p.gaussian_series_plane_bytes ? p.gaussian_series_plane_bytes : std::size_t{256} << 20;
    const std::size_t row_bytes = 8 * static_cast<std::size_t>(plan.S.nmax) * std::max<std::size_t>(1, g.ncol);
    const std::size_t halo = 2 * static_cast<std::size_t>(plan.S.reach), fit = budget / row_bytes;
    if (g.nrow + halo <= fit) {
        plan.slab_rows = std::max<std::size_t>(1, g.nrow);
    } else {
        const std::size_t free = fit > halo ? fit - halo : 0;
        plan.slab_rows = std::max(k_series_band, free / k_series_band * k_series_band);
    }
    plan.plane_rows = std::min(g.nrow, plan.slab_rows) + halo;
}

GaussianPlan plan_gaussian(const grid::GridSpec& g, const KdeParams& p, std::size_t n_points)
{
    GaussianPlan plan;
    if (p.gaussian_method < 0) return plan;
    const long reach = static_cast<long>(support_margin(p.kernel, p.bandwidth_m, g.cell)) - 1;
    GaussianSeries S = gaussian_series(p.bandwidth_m, g.cell, reach, p.gaussian_series_terms_delta);
    if (S.nmax > k_max_series_terms) return plan;
    plan.S = std::move(S);
    plan_slabs(plan, g, p);
    if (p.gaussian_method == 0) {
        // multiply-adds: the bands do about (2 reach + 1)^2 pi/4 per point; the series
        // (nmax + 2) (2 reach + 1) per point (times the slabs' overlap) and sum(terms) per
        // target cell
        const double w = static_cast<double>(2 * reach + 1), n = static_cast<double>(n_points);
        double per_cell = 0;
        for (int t : plan.S.terms) per_cell += t;
        const double overlap = static_cast<double>(plan.plane_rows) / static_cast<double>(std::min(g.nrow, plan.slab_rows));
        const double bands = n * w * w * 0.785;
        const double series = n * w * (plan.S.nmax + 2) * overlap + static_cast<double>(g.size()) * per_cell;
        if (!(series < bands)) return plan;
    }
    plan.series = true;
    return plan;
}

/// rho^k for k in [0, K] into out, in four interleaved chains (error about (k/4 + 2) ulp).
inline void powers(double rho, long K, double* out)
{
    const double r2 = rho * rho, r4 = r2 * r2;
    out[0] = 1;
    if (K >= 1) out[1] = rho;
    if (K >= 2) out[2] = r2;
    if (K >= 3) out[3] = r2 * rho;
    for (long k = 4; k <= K; ++k) out[k] = out[k - 4] * r4;
}

/// Four doubles (GCC/Clang vector extension; two SSE2 registers without AVX).
typedef double D4 __attribute__((vector_size(32)));

/// What the two passes of gaussian_series_kde share.
struct SeriesPass {
    const Buckets& B;
    const GaussianSeries& S;
    const double* R; ///< R[m][j] = coef[2 reach - j][m], m < N, j < W
    double* H;       ///< planes: H[((sr - h_row0) N + n) ncol + i]
    long h_row0;     ///< first source row held in H
    double s, cs, inv, inv_h;
    std::size_t nx, ncol, N, W;
    long M, reach;
    bool unit;
};

// by reference: a 32-byte vector passed by value has another ABI with and without AVX
[[gnu::always_inline]] inline void load4(D4& v, const double* p) { std::memcpy(&v, p, sizeof v); }
[[gnu::always_inline]] inline void store4(double* p, const D4& v) { std::memcpy(p, &v, sizeof v); }

/// h[t] += sum_j c[j * cstride] x[j * xstride + t] for t < len, j < nj: the sum of each t
/// in a register (j in increasing order), then added once. Element-wise, the same bits with
/// SSE2 or AVX2.
[[gnu::always_inline]] inline void add_combination(double* h, std::size_t len, const double* c, std::size_t cstride, const double* x,
                                                   std::size_t xstride, std::size_t nj)
{
    std::size_t t = 0;
    for (; t + 8 <= len; t += 8) {
        D4 s0 = {0, 0, 0, 0}, s1 = s0, x0, x1;
        for (std::size_t j = 0; j < nj; ++j) {
            const double cj = c[j * cstride];
            load4(x0, x + j * xstride + t);
            load4(x1, x + j * xstride + t + 4);
            s0 += cj * x0;
            s1 += cj * x1;
        }
        load4(x0, h + t);
        load4(x1, h + t + 4);
        store4(h + t, x0 + s0);
        store4(h + t + 4, x1 + s1);
    }
    for (; t < len; ++t) {
        double sc = 0;
        for (std::size_t j = 0; j < nj; ++j) sc += c[j * cstride] * x[j * xstride + t];
        h[t] += sc;
    }
}

/// Points of a sparse cell taken together, at most this many at a time.
constexpr std::size_t k_point_batch = 8;

/// Scratch doubles of series_source_row.
std::size_t series_scratch(std::size_t W, std::size_t N) { return (k_point_batch + 1) * W + 2 + N * N + 2 * k_point_batch * (N + 4); }

/// Pass 1 for source row sr: its points into the planes H_n(sr, .). Element-wise loops only
/// (no FMA), so the AVX2 clone gives the same bits.
[[gnu::always_inline]] inline void series_source_row(const SeriesPass& c, std::size_t sr, double* scratch)
{
    const Buckets& B = c.B;
    const std::size_t N = c.N, W = c.W, ncol = c.ncol, reach1 = static_cast<std::size_t>(c.reach) + 1;
    const long M = c.M, reach = c.reach;
    double* hr = c.H + (sr - static_cast<std::size_t>(c.h_row0)) * N * ncol;
    const std::size_t P = N + 4; // stride of the powers of one point
    double *gx = scratch, *pos = gx + k_point_batch * W, *neg = pos + reach1, *mom = neg + reach1, *ta = mom + N * N,
           *tb = ta + k_point_batch * P;
    for (std::size_t ec = 0; ec < c.nx; ++ec) {
        const std::size_t cell = sr * c.nx + ec, k0 = B.start[cell], k1 = B.start[cell + 1];
        if (k0 == k1) continue;
        const long e = static_cast<long>(ec);
        const long lo = std::max(0L, e - M - reach), hi = std::min(static_cast<long>(ncol) - 1, e - M + reach);
        if (lo > hi) continue;
        const std::size_t len = static_cast<std::size_t>(hi - lo + 1);
        const double* r0 = c.R + static_cast<std::size_t>(lo + M + reach - e);
        const double cnt = static_cast<double>(k1 - k0), dn = static_cast<double>(N), dl = static_cast<double>(len);
        if (cnt * dl * (dn + 2) > cnt * dn * dn + dl * dn * dn) {
            // moments of the cell, then the x factor by the series
            std::fill(mom, mom + N * N, 0.0);
            for (std::size_t kb = k0; kb < k1; kb += k_point_batch) {
                const std::size_t nb = std::min(k_point_batch, k1 - kb);
                for (std::size_t j = 0; j < nb; ++j) {
                    const std::size_t k = kb + j;
                    const double a = B.a[k], b = B.b[k], wy = (c.unit ? 1.0 : B.w[k]) * std::exp(-(a * a + b * b) * c.inv);
                    // the powers four at a time in a register (short dependency chains)
                    const double xa = a * c.inv_h, xb = b * c.inv_h, xa2 = xa * xa, xb2 = xb * xb;
                    const double xa4 = xa2 * xa2, xb4 = xb2 * xb2;
                    D4 pa = {1, xa, xa2, xa2 * xa}, pb = {wy, wy * xb, wy * xb2, wy * xb2 * xb};
                    for (std::size_t n = 0; n < N; n += 4) {
                        store4(ta + j * P + n, pa);
                        store4(tb + j * P + n, pb);
                        pa *= xa4;
                        pb *= xb4;
                    }
                }
                for (std::size_t n = 0; n < N; ++n) add_combination(mom + n * N, N, tb + n, P, ta, P, nb);
            }
            for (std::size_t n = 0; n < N; ++n) add_combination(hr + n * ncol + lo, len, mom + n * N, 1, r0, W, N);
            continue;
        }
        // point by point, a few at a time: the exact x factor, then its N moments in y
        const long off_hi = e - M - lo, off_lo = e - M - hi; // off of i = lo and i = hi
        // t = i - lo, off = off_hi - t: offsets >= 0 first, then the negative ones
        const std::size_t npos = off_hi >= 0 ? static_cast<std::size_t>(std::min(off_hi - off_lo, off_hi) + 1) : 0;
        for (std::size_t kb = k0; kb < k1; kb += k_point_batch) {
            const std::size_t nb = std::min(k_point_batch, k1 - kb);
            for (std::size_t j = 0; j < nb; ++j) {
                const std::size_t k = kb + j;
                const double a = B.a[k], b = B.b[k], wy = (c.unit ? 1.0 : B.w[k]) * std::exp(-(a * a + b * b) * c.inv);
                const double ac = a * c.cs / (c.s * c.s);
                if (off_hi >= 0) powers(std::exp(-ac), off_hi, pos);
                if (off_lo < 0) powers(std::exp(ac), -off_lo, neg);
                double* g = gx + j * W;
                for (std::size_t t = 0; t < npos; ++t) g[t] = r0[t] * pos[static_cast<std::size_t>(off_hi) - t];
                for (std::size_t t = npos; t < len; ++t) g[t] = r0[t] * neg[t - static_cast<std::size_t>(off_hi)];
                const double xb = b * c.inv_h, xb2 = xb * xb, xb4 = xb2 * xb2;
                D4 pb = {wy, wy * xb, wy * xb2, wy * xb2 * xb};
                for (std::size_t n = 0; n < N; n += 4) {
                    store4(tb + j * P + n, pb);
                    pb *= xb4;
                }
            }
            for (std::size_t n = 0; n < N; ++n) add_combination(hr + n * ncol + lo, len, tb + n, P, gx, W, nb);
        }
    }
}

/// Pass 2, target rows [tr0, tr1) into acc ((tr1 - tr0) x ncol, zeroed): source rows in
/// increasing order, so every cell sums q in increasing order (each q's terms n summed in a
/// register first). Element-wise loops.
[[gnu::always_inline]] inline void series_target_band(const SeriesPass& c, const std::uint8_t* row_used, long tr0, long tr1, double* acc)
{
    const std::size_t N = c.N, ncol = c.ncol;
    const long M = c.M, reach = c.reach;
    for (long sr = tr0 + M - reach; sr <= tr1 - 1 + M + reach; ++sr) {
        if (!row_used[sr]) continue;
        const double* hr = c.H + static_cast<std::size_t>(sr - c.h_row0) * N * ncol;
        const long ta = std::max(tr0, sr - M - reach), tb = std::min(tr1 - 1, sr - M + reach);
        for (long tr = ta; tr <= tb; ++tr) {
            const std::size_t k = static_cast<std::size_t>(sr - tr - M + reach);
            add_combination(acc + static_cast<std::size_t>(tr - tr0) * ncol, ncol, c.S.coef.data() + k * N, 1, hr, ncol,
                            static_cast<std::size_t>(c.S.terms[k]));
        }
    }
}

void series_source_row_sse2(const SeriesPass& c, std::size_t sr, double* scratch) { series_source_row(c, sr, scratch); }
void series_target_band_sse2(const SeriesPass& c, const std::uint8_t* used, long tr0, long tr1, double* acc)
{
    series_target_band(c, used, tr0, tr1, acc);
}
#ifdef HOTMAP_KDE_AVX2
__attribute__((target("avx2"))) void series_source_row_avx2(const SeriesPass& c, std::size_t sr, double* scratch)
{
    series_source_row(c, sr, scratch);
}
__attribute__((target("avx2"))) void series_target_band_avx2(const SeriesPass& c, const std::uint8_t* used, long tr0, long tr1, double* acc)
{
    series_target_band(c, used, tr0, tr1, acc);
}
#endif

/// The gaussian by the series (GaussianSeries), in two passes.
/// 1. Per source row sr (in parallel), the planes H_n(sr, i) = sum over the row's points of
///    w exp(-(a^2+b^2)/2s^2) t_b^n gx(i), n < nmax, i over the target columns, where
///    gx(i) = exp(-P^2/2s^2) rho^off (P = off cell, off = the column offset, rho = exp(-a cell/s^2))
///    is the point's exact x factor without exp(-a^2/2s^2). A cell with many points goes through
///    its moments sum w exp(-(a^2+b^2)/2s^2) t_b^n t_a^m instead, with the x factor expanded by
///    the same series (gx = sum_m c_m(off) t_a^m): nmax^2 (2 reach + 1) per cell instead of
///    (nmax + 2) (2 reach + 1) per point.
/// 2. Per band of target rows (in parallel): D(tr, i) = sum_q sum_{n < terms[q]} c_n(q)
///    H_n(tr + m + q, i), q and n in increasing order.
/// The window is the square of offsets |p|, |q| <= reach (the bands cut at the circle of the
/// support radius): the terms in the corners are below exp(-cut^2/2s^2) = 1e-15 of a point's
/// peak. Fixed partition and summation order: the same bits for any thread count (and with or
/// without AVX2).
std::vector<double> gaussian_series_kde(const Buckets& B, const grid::GridSpec& g, const KdeParams& p, const GaussianPlan& plan,
                                        unsigned threads)
{
    const GaussianSeries& S = plan.S;
    const double s = p.bandwidth_m, cs = g.cell;
    const std::size_t ny = B.ny, ncol = g.ncol, nrow = g.nrow, N = static_cast<std::size_t>(S.nmax);
    const long M = static_cast<long>(B.margin), reach = S.reach;
    const std::size_t W = static_cast<std::size_t>(2 * reach + 1);
    // R[m][j] = coef[2 reach - j][m]: along the target columns i the offset off = ec - M - i
    // decreases, so the table is read forwards from j = i + M + reach - ec
    std::vector<double> R(N * W);
    for (std::size_t mm = 0; mm < N; ++mm)
        for (std::size_t j = 0; j < W; ++j) R[mm * W + j] = S.coef[(W - 1 - j) * N + mm];
    std::vector<double> H(plan.plane_rows * N * ncol);
    SeriesPass c{B, S, R.data(), H.data(), 0, s, cs, 1.0 / (2 * s * s), 2.0 / cs, B.nx, ncol, N, W, M, reach, B.w.empty()};
    auto row_fn = &series_source_row_sse2;
    auto band_fn = &series_target_band_sse2;
#ifdef HOTMAP_KDE_AVX2
    if (__builtin_cpu_supports("avx2")) {
        row_fn = &series_source_row_avx2;
        band_fn = &series_target_band_avx2;
    }
#endif
    // source rows read by some target row, [M - reach, nrow - 1 + M + reach], holding points
    std::vector<std::uint8_t> row_used(ny, 0);
    for (long sr = M - reach; sr <= static_cast<long>(nrow) - 1 + M + reach; ++sr)
        row_used[static_cast<std::size_t>(sr)] = B.start[static_cast<std::size_t>(sr + 1) * B.nx] > B.start[static_cast<std::size_t>(sr) * B.nx];
    constexpr std::size_t band = k_series_band; // fixed: results do not depend on threads
    std::vector<double> out(g.size(), 0.0);
    const double scale = kernel_scale(p.kernel, s) * units_factor(p.units);
    // a planes row depends only on its source row, so the slabs change no bit
    for (std::size_t T0 = 0; T0 < nrow; T0 += plan.slab_rows) {
        const std::size_t T1 = std::min(nrow, T0 + plan.slab_rows);
        const long s0 = static_cast<long>(T0) + M - reach, s1 = static_cast<long>(T1) - 1 + M + reach;
        c.h_row0 = s0;
        std::fill(H.begin(), H.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(s1 - s0 + 1) * N * ncol), 0.0);
        parallel::for_chunks_with(
            static_cast<std::size_t>(s1 - s0 + 1), 1, threads, [&] { return std::vector<double>(series_scratch(W, N)); },
            [&](std::vector<double>& scratch, std::size_t lo, std::size_t hi) {
                for (std::size_t r = lo; r < hi; ++r) {
                    const std::size_t sr = static_cast<std::size_t>(s0) + r;
                    if (row_used[sr]) row_fn(c, sr, scratch.data());
                }
            });
        const std::size_t nbands = (T1 - T0 + band - 1) / band;
        parallel::for_chunks(nbands, 1, threads, [&](std::size_t blo, std::size_t bhi) {
            std::vector<double> acc(band * ncol);
            for (std::size_t bi = blo; bi < bhi; ++bi) {
                const long tr0 = static_cast<long>(T0 + bi * band), tr1 = std::min(static_cast<long>(T1), tr0 + static_cast<long>(band));
                std::fill(acc.begin(), acc.end(), 0.0);
                band_fn(c, row_used.data(), tr0, tr1, acc.data());
                for (long tr = tr0; tr < tr1; ++tr)
                    for (std::size_t i = 0; i < ncol; ++i)
                        out[static_cast<std::size_t>(tr) * ncol + i] = acc[static_cast<std::size_t>(tr - tr0) * ncol + i] * scale;
            }
        });
    }
    return out;
}

} // namespace

std::vector<double> edge_shares(const grid::GridSpec& g, const KdeParams& p)
{
    check_params(g, p);
    if (!p.mask) throw ParameterError("edge shares need a study-area mask");
    const std::size_t m = p.mask_margin, nx = g.ncol + 2 * m, ncol = g.ncol;
    const std::size_t need = support_margin(p.kernel, p.bandwidth_m, g.cell);
    if (m + 1 < need) throw ParameterError("study-area mask margin too small for the kernel support");
    const long reach = static_cast<long>(need) - 1;
    const double cs = g.cell, sup = kernel_support(p.kernel, p.bandwidth_m), sup2 = sup * sup;
    const std::vector<std::uint8_t>& mask = *p.mask;
    std::vector<double> share(g.size(), 0.0);
    if (p.kernel == Kernel::gaussian) {
        // separable: square truncation at the support (a difference below 1e-15 of the mass)
        std::vector<double> gk(static_cast<std::size_t>(2 * reach + 1));
        double tot1 = 0;
        for (long k = -reach; k <= reach; ++k) {
            const double d = static_cast<double>(k) * cs;
            gk[static_cast<std::size_t>(k + reach)] = d * d < sup2 ? std::exp(-d * d / (2 * p.bandwidth_m * p.bandwidth_m)) : 0.0;
            tot1 += gk[static_cast<std::size_t>(k + reach)];
        }
        const std::size_t ny = g.nrow + 2 * m;
        std::vector<double> h(ny * ncol, 0.0);
        parallel_rows(ny, p.threads, [&](std::size_t er) {
            for (std::size_t tc = 0; tc < ncol; ++tc) {
                double s = 0;
                for (long k = -reach; k <= reach; ++k)
                    if (mask[er * nx + static_cast<std::size_t>(static_cast<long>(tc + m) + k)]) s += gk[static_cast<std::size_t>(k + reach)];
                h[er * ncol + tc] = s;
            }
        });
        parallel_rows(g.nrow, p.threads, [&](std::size_t tr) {
            for (std::size_t tc = 0; tc < ncol; ++tc) {
                double s = 0;
                for (long k = -reach; k <= reach; ++k)
                    s += gk[static_cast<std::size_t>(k + reach)] * h[static_cast<std::size_t>(static_cast<long>(tr + m) + k) * ncol + tc];
                share[tr * ncol + tc] = s / (tot1 * tot1);
            }
        });
        return share;
    }
    struct Off {
        long p, q;
        double k;
    };
    std::vector<Off> offs;
    double total = 0;
    for (long q = -reach; q <= reach; ++q)
        for (long pp = -reach; pp <= reach; ++pp) {
            const double P = static_cast<double>(pp) * cs, Q = static_cast<double>(q) * cs;
            const double k = kernel_value(p.kernel, p.bandwidth_m, std::sqrt(P * P + Q * Q));
            if (k > 0) {
                offs.push_back({pp, q, k});
                total += k;
            }
        }
    parallel_rows(g.nrow, p.threads, [&](std::size_t tr) {
        for (std::size_t tc = 0; tc < ncol; ++tc) {
            double s = 0;
            for (const Off& o : offs)
                if (mask[static_cast<std::size_t>(static_cast<long>(tr + m) + o.q) * nx + static_cast<std::size_t>(static_cast<long>(tc + m) + o.p)])
                    s += o.k;
            share[tr * ncol + tc] = s / total;
        }
    });
    return share;
}

double memory_bytes(const grid::GridSpec& g, const KdeParams& p, std::size_t n_incidents)
{
    const double m = static_cast<double>(support_margin(p.kernel, p.bandwidth_m, g.cell));
    const double ext = (static_cast<double>(g.ncol) + 2 * m) * (static_cast<double>(g.nrow) + 2 * m);
    const int D = kernel_degree(p.kernel);
    double per_ext_cell = 8 + 4; // bucket starts, study-area mask
    if (D >= 0) {
        // the moment planes (the prefix sums are made per worker, one source row at a time)
        per_ext_cell += 8.0 * static_cast<double>(monomials(D).size());
    }
    const double per_cell = 8 + 4 + (p.edge_correct ? 8 : 0); // result as double and float, shares
    double series = 0;                                         // the gaussian series' planes H_n
    if (p.kernel == Kernel::gaussian && !p.gaussian_reference)
        if (const GaussianPlan plan = plan_gaussian(g, p, n_incidents); plan.series)
            series = 8.0 * plan.S.nmax * static_cast<double>(plan.plane_rows) * static_cast<double>(g.ncol);
    return series + ext * per_ext_cell + static_cast<double>(g.size()) * per_cell + static_cast<double>(n_incidents) * 28;
}

namespace {
void check_memory(const grid::GridSpec& g, const KdeParams& p, std::size_t n)
{
    resources::check_memory(memory_bytes(g, p, n),
                            "a density raster of " + std::to_string(g.ncol) + " x " + std::to_string(g.nrow) + " cells of " +
                                resources::metres(g.cell) + " with a " + resources::metres(p.bandwidth_m) + " bandwidth",
                            "use a larger --cell, a smaller --extent or a smaller --bandwidth");
}

std::vector<double> estimate_buckets(const Buckets& B, const grid::GridSpec& g, const KdeParams& p, unsigned threads)
{
    std::vector<double> out;
    if (p.kernel != Kernel::gaussian)
        out = polynomial_kde(B, g, p, threads);
    else if (p.gaussian_reference)
        out = gaussian_kde_rows(B, g, p, threads);
    else if (const GaussianPlan plan = plan_gaussian(g, p, B.a.size()); plan.series)
        out = gaussian_series_kde(B, g, p, plan, threads);
    else
        out = gaussian_kde(B, g, p, threads);
    for (double v : out)
        if (!std::isfinite(v))
            throw InputError("the density overflows (a value is not finite): check the incident weights and the bandwidth");
    if (p.mask) {
        std::vector<double> share;
        if (p.edge_correct) share = edge_shares(g, p);
        const std::size_t m = p.mask_margin, nx = g.ncol + 2 * m;
        for (std::size_t tr = 0; tr < g.nrow; ++tr)
            for (std::size_t tc = 0; tc < g.ncol; ++tc) {
                double& v = out[tr * g.ncol + tc];
                if (!(*p.mask)[(tr + m) * nx + tc + m])
                    v = p.nodata;
                else if (p.edge_correct && share[tr * g.ncol + tc] > 0)
                    v /= share[tr * g.ncol + tc];
            }
    }
    return out;
}
} // namespace

std::vector<double> estimate(const std::vector<Incident>& items, const grid::GridSpec& g, const KdeParams& p)
{
    check_params(g, p);
    check_memory(g, p, items.size());
    const unsigned threads = p.threads;
    const Buckets B = bucket(items, g, support_margin(p.kernel, p.bandwidth_m, g.cell), threads);
    return estimate_buckets(B, g, p, threads);
}

std::vector<double> estimate(std::vector<Incident>&& items, const grid::GridSpec& g, const KdeParams& p)
{
    check_params(g, p);
    check_memory(g, p, items.size());
    const unsigned threads = p.threads;
    const Buckets B = bucket(items, g, support_margin(p.kernel, p.bandwidth_m, g.cell), threads);
    std::vector<Incident>().swap(items); // release the incidents before the per-cell arrays
    return estimate_buckets(B, g, p, threads);
}

std::vector<double> estimate_naive(const std::vector<Incident>& items, const grid::GridSpec& g, const KdeParams& p)
{
    check_params(g, p);
    const double f = units_factor(p.units);
    std::vector<double> out(g.size(), 0.0);
    parallel_rows(g.nrow, p.threads, [&](std::size_t tr) {
        for (std::size_t tc = 0; tc < g.ncol; ++tc) {
            const Point c = g.centre(g.id(tr, tc));
            double s = 0;
            for (const Incident& i : items)
                s += i.weight * kernel_value(p.kernel, p.bandwidth_m, std::hypot(i.x - c.x, i.y - c.y));
            out[g.id(tr, tc)] = s * f;
        }
    });
    return out;
}

} // namespace hotmap::density
