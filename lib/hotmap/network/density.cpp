// SPDX-License-Identifier: MIT
// Equal-split network kernel density by path tracing from each place.
#include "hotmap/network/density.hpp"

#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/text.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace hotmap::network {

Split parse_split(const std::string& s)
{
    if (s == "discontinuous") return Split::discontinuous;
    if (s == "continuous") return Split::continuous;
    throw ParameterError("--split '" + s + "': expected continuous or discontinuous");
}

std::string split_name(Split s) { return s == Split::continuous ? "continuous" : "discontinuous"; }

double kernel_1d_support(density::Kernel k, double h)
{
    return k == density::Kernel::gaussian ? h * density::k_gaussian_cut_sigmas : h;
}

double kernel_1d(density::Kernel k, double h, double d)
{
    if (!(d < kernel_1d_support(k, h))) return 0.0;
    const double u = 1.0 - (d * d) / (h * h);
    switch (k) {
    case density::Kernel::quartic: return 15.0 / (16.0 * h) * u * u;
    case density::Kernel::epanechnikov: return 3.0 / (4.0 * h) * u;
    case density::Kernel::triweight: return 35.0 / (32.0 * h) * u * u * u;
    case density::Kernel::uniform: return 1.0 / (2.0 * h);
    case density::Kernel::gaussian: return std::exp(-d * d / (2 * h * h)) / (std::sqrt(2 * M_PI) * h);
    }
    return 0.0;
}

namespace {

/// Events per edge, sorted by offset (CSR). For the polynomial kernels, each edge shorter
/// than the support also keeps the moments of its events' offsets from either end, in units of
/// h: m[e][i] = sum of w (o/h)^i and r[e][i] = sum of w ((len - o)/h)^i, i = 0..degree. A path
/// that enters such an edge with the whole edge inside the support then sums it in O(1): the
/// kernel is a polynomial in (d/h)^2, d = s + o, expanded by the binomial theorem. Every term
/// is below 1 in size (the offsets and s lie within h), so nothing cancels beyond rounding.
struct EventIndex {
    std::vector<std::uint32_t> start;
    std::vector<double> offset, weight;
    unsigned degree = 0;                 ///< of the kernel polynomial in d/h (0: no moments)
    std::vector<double> from_start, from_end; ///< per edge (degree + 1) moments; NaN: edge too long
};

/// The polynomial kernels as c(h) x sum_j q[j] (d/h)^(2j): the coefficients q and the degree 2j.
struct KernelPolynomial {
    unsigned degree = 0; ///< 0: not a polynomial (the gaussian)
    double q[4] = {0, 0, 0, 0};
    double c = 0;        ///< the constant factor, per metre
};

KernelPolynomial polynomial_of(density::Kernel k, double h)
{
    KernelPolynomial p;
    switch (k) {
    case density::Kernel::quartic: p = {4, {1, -2, 1, 0}, 15.0 / (16.0 * h)}; break;
    case density::Kernel::epanechnikov: p = {2, {1, -1, 0, 0}, 3.0 / (4.0 * h)}; break;
    case density::Kernel::triweight: p = {6, {1, -3, 3, -1}, 35.0 / (32.0 * h)}; break;
    case density::Kernel::uniform: p = {1, {1, 0, 0, 0}, 1.0 / (2.0 * h)}; break; // degree 1: one moment (the weights)
    case density::Kernel::gaussian: break;
    }
    return p;
}

EventIndex index_events(const Graph& g, const std::vector<NetPoint>& ev, const std::vector<double>& w)
{
    std::vector<std::uint32_t> order(ev.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return ev[a].edge != ev[b].edge ? ev[a].edge < ev[b].edge : (ev[a].offset_m != ev[b].offset_m ? ev[a].offset_m < ev[b].offset_m : a < b);
    });
    EventIndex ix;
    ix.start.assign(g.edges.size() + 1, 0);
    for (const NetPoint& p : ev) ++ix.start[p.edge + 1];
    for (std::size_t e = 0; e < g.edges.size(); ++e) ix.start[e + 1] += ix.start[e];
    for (std::uint32_t i : order) {
        ix.offset.push_back(ev[i].offset_m);
        ix.weight.push_back(w.empty() ? 1.0 : w[i]);
    }
    return ix;
}

void add_moments(const Graph& g, EventIndex& ix, density::Kernel kernel, double h)
{
    const KernelPolynomial poly = polynomial_of(kernel, h);
    if (poly.degree == 0) return;
    ix.degree = poly.degree;
    const std::size_t w = poly.degree + 1;
    ix.from_start.assign(g.edges.size() * w, std::numeric_limits<double>::quiet_NaN());
    ix.from_end = ix.from_start;
    for (std::size_t e = 0; e < g.edges.size(); ++e) {
        const double len = g.edges[e].length_m;
        if (!(len < h)) continue; // never whole inside the support
        double* a = ix.from_start.data() + e * w;
        double* b = ix.from_end.data() + e * w;
        std::fill(a, a + w, 0.0);
        std::fill(b, b + w, 0.0);
        for (std::uint32_t k = ix.start[e]; k < ix.start[e + 1]; ++k) {
            const double u = ix.offset[k] / h, v = (len - ix.offset[k]) / h;
            double pu = ix.weight[k], pv = ix.weight[k];
            for (std::size_t i = 0; i < w; ++i) {
                a[i] += pu;
                b[i] += pv;
                pu *= u;
                pv *= v;
            }
        }
    }
}

struct Step {
    std::uint32_t edge;
    bool increasing; ///< entered at the edge's `from` end, going towards `to`
    double dist;     ///< path length at the entry end
    double factor;
};

class Tracer {
public:
    Tracer(const Graph& g, const EventIndex& ev, const NetworkKdeParams& p)
        : m_g(g), m_ev(ev), m_p(p), m_support(kernel_1d_support(p.kernel, p.bandwidth_m)), m_poly(polynomial_of(p.kernel, p.bandwidth_m))
    {
        // binomial coefficients C(n, i), n <= 6
        for (unsigned n = 0; n < 7; ++n) {
            m_binom[n][0] = 1;
            for (unsigned i = 1; i <= n; ++i) m_binom[n][i] = m_binom[n][i - 1] * static_cast<double>(n - i + 1) / static_cast<double>(i);
        }
    }

    double at(const NetPoint& q)
    {
        double sum = 0;
        const Edge& e = m_g.edges[q.edge];
        const double* off = m_ev.offset.data();
        const std::uint32_t b = m_ev.start[q.edge], en = m_ev.start[q.edge + 1];
        // along its own edge, both ways: offsets >= t forward, < t backward
        const std::uint32_t mid = static_cast<std::uint32_t>(std::lower_bound(off + b, off + en, q.offset_m) - off);
        for (std::uint32_t k = mid; k < en; ++k) {
            const double d = off[k] - q.offset_m;
            if (!(d < m_support)) break;
            sum += m_ev.weight[k] * k1(d);
        }
        for (std::uint32_t k = mid; k-- > b;) {
            const double d = q.offset_m - off[k];
            if (!(d < m_support)) break;
            sum += m_ev.weight[k] * k1(d);
        }
        m_steps = 0;
        m_stack.clear();
        arrive(q.edge, e.to, e.length_m - q.offset_m, 1.0, true);
        arrive(q.edge, e.from, q.offset_m, 1.0, false);
        while (!m_stack.empty()) {
            const Step s = m_stack.back();
            m_stack.pop_back();
            if (++m_steps > m_p.max_steps_per_place)
                throw InputError("network density: more than " + std::to_string(m_p.max_steps_per_place) +
                                 " path steps within the bandwidth from one place (edge " + std::to_string(q.edge + 1) + " at " +
                                 text::fixed(q.offset_m, 2) + " m): use --split discontinuous or a smaller --bandwidth");
            sum += s.factor * along(s);
            const Edge& f = m_g.edges[s.edge];
            arrive(s.edge, s.increasing ? f.to : f.from, s.dist + f.length_m, s.factor, s.increasing);
        }
        return sum;
    }

private:
    double k1(double d) const { return kernel_1d(m_p.kernel, m_p.bandwidth_m, d); }

    /// Sum of weight x k over the events of an edge entered at one end.
    double along(const Step& s) const
    {
        const double* off = m_ev.offset.data();
        const std::uint32_t b = m_ev.start[s.edge], en = m_ev.start[s.edge + 1];
        if (b == en) return 0.0;
        const double len = m_g.edges[s.edge].length_m;
        if (m_ev.degree > 0 && s.dist + len < m_support) return whole_edge(s);
        double sum = 0;
        // every event of the edge, its ends included: an event exactly at a junction or a dead
        // end is reached from the other streets through that node (as its own mass would leave it)
        if (s.increasing) {
            for (std::uint32_t k = b; k < en; ++k) {
                const double d = s.dist + off[k];
                if (!(d < m_support)) break;
                sum += m_ev.weight[k] * k1(d);
            }
        } else {
            for (std::uint32_t k = en; k-- > b;) {
                const double d = s.dist + (len - off[k]);
                if (!(d < m_support)) break;
                sum += m_ev.weight[k] * k1(d);
            }
        }
        return sum;
    }

    /// along() for an edge wholly inside the support, from its moments: with x = (s + o)/h,
    /// sum_k w_k sum_j q_j x^(2j) = sum_j q_j sum_i C(2j, i) (s/h)^(2j - i) M_i.
    double whole_edge(const Step& s) const
    {
        const std::size_t w = m_ev.degree + 1;
        const double* m = (s.increasing ? m_ev.from_start.data() : m_ev.from_end.data()) + static_cast<std::size_t>(s.edge) * w;
        const double sig = s.dist / m_p.bandwidth_m;
        if (m_poly.degree == 1) return m_poly.c * m[0]; // uniform
        double pw[7];
        pw[0] = 1;
        for (unsigned i = 1; i < 7; ++i) pw[i] = pw[i - 1] * sig;
        double sum = 0;
        for (unsigned j = 0; 2 * j <= m_poly.degree; ++j) {
            if (m_poly.q[j] == 0) continue;
            const unsigned n = 2 * j;
            double t = 0;
            for (unsigned i = 0; i <= n; ++i) t += m_binom[n][i] * pw[n - i] * m[i];
            sum += m_poly.q[j] * t;
        }
        return m_poly.c * sum;
    }

    /// The path reaches `node` at distance `dist` along `edge` (travelling `increasing`):
    /// push the continuations.
    void arrive(std::uint32_t edge, std::uint32_t node, double dist, double factor, bool increasing)
    {
        if (!(dist < m_support)) return;
        const std::uint32_t m = m_g.degree(node);
        // the slot we arrived by: for a loop edge listed twice, the second slot leaves by the
        // `to` end (the end an increasing traversal arrives at)
        std::uint32_t back = m_g.adj_start[node + 1];
        for (std::uint32_t k = m_g.adj_start[node]; k < m_g.adj_start[node + 1]; ++k)
            if (m_g.adj_edge[k] == edge) {
                back = k;
                const Edge& f = m_g.edges[edge];
                if (f.from == f.to && increasing) back = k + 1;
                break;
            }
        double on = 0, reflect = 0;
        if (m_p.split == Split::discontinuous) {
            if (m == 1) return;
            on = factor / static_cast<double>(m - 1);
        } else {
            on = factor * 2.0 / static_cast<double>(m);
            reflect = factor * (2.0 - static_cast<double>(m)) / static_cast<double>(m);
        }
        for (std::uint32_t k = m_g.adj_start[node]; k < m_g.adj_start[node + 1]; ++k) {
            const double f = k == back ? reflect : on;
            if (f == 0) continue;
            const std::uint32_t e = m_g.adj_edge[k];
            const Edge& x = m_g.edges[e];
            // leaving by the from end = increasing; a loop's first slot is its from end
            const bool inc = x.from == x.to ? !(k > m_g.adj_start[node] && m_g.adj_edge[k - 1] == e) : x.from == node;
            m_stack.push_back({e, inc, dist, f});
        }
    }

    const Graph& m_g;
    const EventIndex& m_ev;
    const NetworkKdeParams& m_p;
    double m_support;
    KernelPolynomial m_poly;
    double m_binom[7][7] = {};
    std::vector<Step> m_stack;
    std::uint64_t m_steps = 0;
};

} // namespace

std::vector<double> network_density(const Graph& g, const std::vector<NetPoint>& events, const std::vector<double>& weights,
                                    const std::vector<NetPoint>& at, const NetworkKdeParams& p)
{
    if (!(p.bandwidth_m >= density::k_min_bandwidth_m && p.bandwidth_m <= density::k_max_bandwidth_m))
        throw ParameterError("--bandwidth must lie between 0.01 m and 1000 km");
    if (!weights.empty() && weights.size() != events.size()) throw ParameterError("network density: one weight per event");
    EventIndex ev = index_events(g, events, weights);
    add_moments(g, ev, p.kernel, p.bandwidth_m);
    std::vector<double> out(at.size(), 0.0);
    parallel::for_chunks_with(
        at.size(), 256, p.threads, [&] { return Tracer(g, ev, p); },
        [&](Tracer& t, std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i) out[i] = t.at(at[i]);
        });
    return out;
}

std::vector<Lixel> lixels(const Graph& g, double max_length_m)
{
    if (!(max_length_m > 0)) throw ParameterError("--lixel must be a positive number of metres");
    std::vector<Lixel> out;
    for (std::uint32_t e = 0; e < g.edges.size(); ++e) {
        const double len = g.edges[e].length_m;
        const double n = std::max(1.0, std::ceil(len / max_length_m - 1e-9));
        const std::size_t nn = static_cast<std::size_t>(n);
        for (std::size_t k = 0; k < nn; ++k)
            out.push_back({e, len * static_cast<double>(k) / n, k + 1 == nn ? len : len * static_cast<double>(k + 1) / n});
    }
    return out;
}

} // namespace hotmap::network
