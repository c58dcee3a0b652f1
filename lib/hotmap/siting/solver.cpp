// SPDX-License-Identifier: MIT
// Site selection heuristics and bounds: lazy greedy, interchange, Lagrangian relaxations.
#include "hotmap/siting/model.hpp"

#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>

namespace hotmap::siting {

using detail::Model;

Objective parse_objective(const std::string& s)
{
    if (s == "mclp") return Objective::mclp;
    if (s == "lscp") return Objective::lscp;
    if (s == "pmedian" || s == "p-median") return Objective::pmedian;
    throw ParameterError("--objective '" + s + "': expected mclp, lscp or pmedian");
}

std::string objective_name(Objective o)
{
    return o == Objective::mclp ? "mclp" : o == Objective::lscp ? "lscp" : "pmedian";
}

namespace detail {
double distance(const Problem& p, std::uint32_t i, std::uint32_t j)
{
    if (p.distances) return (*p.distances)[static_cast<std::size_t>(j) * p.demand.pts.size() + i];
    const Point& a = p.demand.pts[i];
    const Point& b = p.candidates[j].p;
    const double dx = a.x - b.x, dy = a.y - b.y;
    return std::sqrt(dx * dx + dy * dy); // metres well below 1e100: no need for hypot's care (and cost)
}
} // namespace detail

namespace {

constexpr std::uint32_t k_none = 0xffffffffu;
/// Subgradient iterations for a relaxation whose one evaluation costs `work` steps: a fixed
/// budget of work (a few seconds here) rather than of time, so that the bound is the same on
/// every machine and for any thread count.
int iterations_for(double work, int most)
{
    return static_cast<int>(std::clamp(5e9 / std::max(1.0, work), 10.0, static_cast<double>(most)));
}

Model build(const Problem& p, const Params& o)
{
    Model m;
    m.p = &p;
    m.o = &o;
    m.n_places = p.demand.pts.size();
    m.n_candidates = p.candidates.size();
    m.total = p.demand.total;
    m.w.resize(m.n_places);
    std::vector<std::uint8_t> active(m.n_places, 1);
    for (std::size_t i = 0; i < m.n_places; ++i) {
        const bool pre = !p.precovered.empty() && p.precovered[i];
        m.w[i] = pre ? 0.0 : p.demand.weight[i];
        active[i] = pre ? 0 : 1;
        if (pre) m.base += p.demand.weight[i];
    }
    if (p.cover) {
        if (p.cover->candidates() != m.n_candidates) throw ParameterError("the coverage matrix does not match the candidates");
        m.cover = *p.cover;
    } else if (p.radius_m > 0) {
        m.cover = cover_matrix(p.candidates, p.demand, active, p.radius_m, o.threads);
    }
    else m.cover.start.assign(m.n_candidates + 1, 0);
    if (p.conflicts) {
        if (p.conflicts->candidates() != m.n_candidates) throw ParameterError("the spacing conflicts do not match the candidates");
        m.conflicts = *p.conflicts;
    } else {
        m.conflicts = conflict_lists(p.candidates, o.min_spacing_m, o.threads);
    }
    if (p.distances && p.distances->size() != m.n_candidates * m.n_places)
        throw ParameterError("the distance matrix does not match the candidates and places");
    return m;
}

bool conflicts_with(const Model& m, std::uint32_t a, std::uint32_t b)
{
    const auto* first = m.conflicts.index.data() + m.conflicts.start[a];
    const auto* last = m.conflicts.index.data() + m.conflicts.start[a + 1];
    return std::binary_search(first, last, b);
}

/// Open sites and what they cover, for the covering objectives (and the constraints of all).
struct Open {
    const Model& m;
    std::vector<std::uint32_t> count;   ///< open new sites covering each place
    std::vector<std::uint64_t> idsum;   ///< sum of their ids (the only one when count == 1)
    std::vector<std::uint32_t> blocked; ///< open sites closer than --min-spacing
    std::vector<std::uint32_t> in_district;
    std::vector<std::uint8_t> open;
    std::vector<std::uint32_t> sites;   ///< in the order opened
    double covered = 0;                 ///< new weight covered

    explicit Open(const Model& model)
        : m(model), count(model.n_places, 0), idsum(model.n_places, 0), blocked(model.n_candidates, 0),
          in_district(model.p->districts + 1, 0), open(model.n_candidates, 0)
    {
    }
    std::size_t district_slot(std::uint32_t j) const
    {
        const std::int32_t d = m.p->candidates[j].district;
        return d < 0 ? m.p->districts : static_cast<std::size_t>(d);
    }
    /// May j open (with `except` closed at the same time)?
    bool feasible(std::uint32_t j, std::uint32_t except = k_none) const
    {
        if (!m.p->allowed.empty() && !m.p->allowed[j]) return false;
        if (open[j]) return false;
        std::uint32_t b = blocked[j];
        if (except != k_none && b > 0 && conflicts_with(m, j, except)) --b;
        if (b > 0) return false;
        const unsigned cap = m.o->max_per_district;
        if (cap > 0 && m.p->candidates[j].district >= 0) {
            std::uint32_t n = in_district[district_slot(j)];
            if (except != k_none && district_slot(except) == district_slot(j)) --n;
            if (n >= cap) return false;
        }
        return true;
    }
    void add(std::uint32_t j)
    {
        open[j] = 1;
        sites.push_back(j);
        for (std::uint64_t k = m.cover.start[j]; k < m.cover.start[j + 1]; ++k) {
            const std::uint32_t i = m.cover.index[k];
            if (count[i]++ == 0) covered += m.w[i];
            idsum[i] += j;
        }
        for (std::uint64_t k = m.conflicts.start[j]; k < m.conflicts.start[j + 1]; ++k) ++blocked[m.conflicts.index[k]];
        ++in_district[district_slot(j)];
    }
    void remove(std::uint32_t j)
    {
        open[j] = 0;
        sites.erase(std::find(sites.begin(), sites.end(), j));
        for (std::uint64_t k = m.cover.start[j]; k < m.cover.start[j + 1]; ++k) {
            const std::uint32_t i = m.cover.index[k];
            if (--count[i] == 0) covered -= m.w[i];
            idsum[i] -= j;
        }
        for (std::uint64_t k = m.conflicts.start[j]; k < m.conflicts.start[j + 1]; ++k) --blocked[m.conflicts.index[k]];
        --in_district[district_slot(j)];
    }
    double gain(std::uint32_t j) const
    {
        double g = 0;
        for (std::uint64_t k = m.cover.start[j]; k < m.cover.start[j + 1]; ++k)
            if (count[m.cover.index[k]] == 0) g += m.w[m.cover.index[k]];
        return g;
    }
    double loss(std::uint32_t j) const
    {
        double l = 0;
        for (std::uint64_t k = m.cover.start[j]; k < m.cover.start[j + 1]; ++k)
            if (count[m.cover.index[k]] == 1) l += m.w[m.cover.index[k]];
        return l;
    }
};

struct Entry {
    double gain;
    std::uint32_t j;
    std::uint32_t stamp;
    bool operator<(const Entry& o) const { return gain < o.gain || (gain == o.gain && j > o.j); } // max gain, then min j
};

/// Lazy greedy: add the feasible candidate with the largest gain until `k_max` sites, the
/// `target` weight (base included) or no gain is left.
void greedy(const Model& m, Open& s, std::size_t k_max, double target)
{
    std::vector<double> g0(m.n_candidates, -1);
    parallel::for_each(m.n_candidates, 512, m.o->threads, [&](std::size_t j) {
        if (s.feasible(static_cast<std::uint32_t>(j))) g0[j] = s.gain(static_cast<std::uint32_t>(j));
    });
    std::priority_queue<Entry> heap;
    std::uint32_t round = static_cast<std::uint32_t>(s.sites.size());
    for (std::uint32_t j = 0; j < m.n_candidates; ++j)
        if (g0[j] > 0) heap.push({g0[j], j, round});
    while (s.sites.size() < k_max && m.base + s.covered < target && !heap.empty()) {
        const Entry e = heap.top();
        heap.pop();
        if (!s.feasible(e.j)) continue; // blocked for good: spacing and district counts only grow
        if (e.stamp != round) {
            const double g = s.gain(e.j);
            if (g > 0) heap.push({g, e.j, round});
            continue;
        }
        s.add(e.j);
        ++round;
    }
}

/// Capacitated greedy: each step opens the candidate that could serve the most weight not
/// served yet (at most the capacity), then re-solves the assignment as a max flow so that
/// `served` says what the open sites really serve.
void greedy_capacitated(const Model& m, Open& s, std::size_t k_max, double capacity)
{
    std::vector<double> served(m.n_places, 0.0), g(m.n_candidates);
    const double tiny = 1e-9 * std::max(1.0, m.total);
    while (s.sites.size() < k_max) {
        parallel::for_each(m.n_candidates, 512, m.o->threads, [&](std::size_t j) {
            g[j] = -1;
            if (!s.feasible(static_cast<std::uint32_t>(j))) return;
            double sum = 0;
            for (std::uint64_t t = m.cover.start[j]; t < m.cover.start[j + 1]; ++t) sum += m.w[m.cover.index[t]] - served[m.cover.index[t]];
            g[j] = std::min(capacity, sum);
        });
        std::uint32_t best = k_none;
        for (std::uint32_t j = 0; j < m.n_candidates; ++j)
            if (g[j] > tiny && (best == k_none || g[j] > g[best])) best = j;
        if (best == k_none) break;
        s.add(best);
        detail::capacitated_coverage(m, s.sites, capacity, &served);
    }
}

/// Best improving interchange (open s out, closed c in); applies it; false when none pays.
bool interchange_once(const Model& m, Open& s)
{
    const std::size_t k = s.sites.size();
    if (k == 0) return false;
    std::vector<double> loss(k);
    for (std::size_t q = 0; q < k; ++q) loss[q] = s.loss(s.sites[q]);
    std::vector<std::uint32_t> slot(m.n_candidates, k_none);
    for (std::size_t q = 0; q < k; ++q) slot[s.sites[q]] = static_cast<std::uint32_t>(q);
    struct Best {
        double delta = 0;
        std::uint32_t in = k_none, out = k_none;
    };
    std::vector<Best> best(m.n_candidates);
    parallel::for_chunks(m.n_candidates, 256, m.o->threads, [&](std::size_t b, std::size_t e) {
        std::vector<double> ov(k, 0.0);
        std::vector<std::uint32_t> touched;
        for (std::size_t cj = b; cj < e; ++cj) {
            const auto c = static_cast<std::uint32_t>(cj);
            if (s.open[c] || (!m.p->allowed.empty() && !m.p->allowed[c])) continue;
            double gain = 0;
            for (std::uint64_t t = m.cover.start[c]; t < m.cover.start[c + 1]; ++t) {
                const std::uint32_t i = m.cover.index[t];
                if (s.count[i] == 0) {
                    gain += m.w[i];
                } else if (s.count[i] == 1) {
                    const std::uint32_t q = slot[static_cast<std::uint32_t>(s.idsum[i])];
                    if (ov[q] == 0) touched.push_back(q);
                    ov[q] += m.w[i];
                }
            }
            Best bc;
            for (std::uint32_t q = 0; q < k; ++q) {
                const double d = gain + ov[q] - loss[q];
                if (d > bc.delta && s.feasible(c, s.sites[q])) bc = {d, c, s.sites[q]};
            }
            for (std::uint32_t q : touched) ov[q] = 0;
            touched.clear();
            best[c] = bc;
        }
    });
    Best top;
    for (const Best& b : best)
        if (b.in != k_none && (b.delta > top.delta || (b.delta == top.delta && top.in != k_none && b.in < top.in))) top = b;
    if (top.in == k_none || top.delta <= 1e-9 * std::max(1.0, m.total)) return false;
    s.remove(top.out);
    s.add(top.in);
    return true;
}

struct CoveringBound {
    double bound = 0;           ///< on the new weight K sites can cover
    std::string how;
    std::vector<std::uint32_t> best_sites; ///< the best feasible set met in the relaxation (Lagrangian heuristic)
    double best_covered = -1;
};

/// Upper bound on the new weight K sites can cover: the least of all coverable weight, f(S) +
/// the K largest remaining gains (submodularity) and a Lagrangian relaxation of y_i <= sum_j
/// x_j (subgradient; the spacing and district limits are relaxed too, so it stays a bound).
/// Each relaxed solution, made feasible (candidates in the order of their Lagrangian value,
/// skipping those the limits forbid), is a site set too: the best is kept (Galvão & ReVelle's
/// Lagrangian heuristic for the maximal covering problem).
CoveringBound covering_bound(const Model& m, const Open& s, std::size_t k)
{
    CoveringBound out;
    // every coverable place
    double coverable = 0;
    std::vector<std::uint8_t> reach(m.n_places, 0);
    for (std::uint32_t j = 0; j < m.n_candidates; ++j) {
        if (!m.p->allowed.empty() && !m.p->allowed[j]) continue;
        for (std::uint64_t t = m.cover.start[j]; t < m.cover.start[j + 1]; ++t) reach[m.cover.index[t]] = 1;
    }
    for (std::size_t i = 0; i < m.n_places; ++i)
        if (reach[i]) coverable += m.w[i];
    out.bound = coverable;
    out.how = "all coverable demand";
    // submodular bound
    std::vector<double> g(m.n_candidates, 0.0);
    parallel::for_each(m.n_candidates, 512, m.o->threads, [&](std::size_t j) {
        if (m.p->allowed.empty() || m.p->allowed[j]) g[j] = s.gain(static_cast<std::uint32_t>(j));
    });
    const std::size_t kk = std::min(k, g.size());
    std::nth_element(g.begin(), g.begin() + static_cast<std::ptrdiff_t>(kk > 0 ? kk - 1 : 0), g.end(), std::greater<>());
    double sub = s.covered;
    for (std::size_t q = 0; q < kk; ++q) sub += g[q];
    if (sub < out.bound) out.bound = sub, out.how = "submodular bound";
    // Lagrangian: L(lambda) = sum_i max(0, w_i - lambda_i) + sum of the K largest sum_{i in N_j} lambda_i
    const int iterations = iterations_for(static_cast<double>(m.cover.entries()) + static_cast<double>(m.n_places), 1000);
    const bool limits = m.o->min_spacing_m > 0 || m.o->max_per_district > 0;
    std::vector<double> lambda(m.n_places);
    for (std::size_t i = 0; i < m.n_places; ++i) lambda[i] = reach[i] ? 0.5 * m.w[i] : m.w[i];
    std::vector<double> v(m.n_candidates);
    std::vector<std::uint32_t> idx(m.n_candidates);
    std::vector<double> grad(m.n_places);
    std::vector<std::uint32_t> stamp(m.n_places, 0);
    std::uint32_t tick = 0;
    double theta = 2.0;
    int stall = 0;
    double lb = s.covered;
    double lag_best = std::numeric_limits<double>::infinity();
    Open trial(m);
    for (int it = 0; it < iterations && theta > 1e-4; ++it) {
        parallel::for_each(m.n_candidates, 512, m.o->threads, [&](std::size_t j) {
            double sum = 0;
            if (m.p->allowed.empty() || m.p->allowed[j])
                for (std::uint64_t t = m.cover.start[j]; t < m.cover.start[j + 1]; ++t) sum += lambda[m.cover.index[t]];
            v[j] = sum;
        });
        std::iota(idx.begin(), idx.end(), 0u);
        const auto by_value = [&](std::uint32_t a, std::uint32_t b) { return v[a] > v[b] || (v[a] == v[b] && a < b); };
        std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(kk), idx.end(), by_value);
        double L = 0;
        for (std::size_t i = 0; i < m.n_places; ++i) {
            const double d = m.w[i] - lambda[i];
            L += d > 0 ? d : 0;
            grad[i] = d > 0 ? -1.0 : 0.0; // -y_i
        }
        for (std::size_t q = 0; q < kk; ++q) {
            L += v[idx[q]];
            for (std::uint64_t t = m.cover.start[idx[q]]; t < m.cover.start[idx[q] + 1]; ++t) grad[m.cover.index[t]] += 1.0;
        }
        // the relaxed solution made feasible, and its true coverage
        std::vector<std::uint32_t> sites;
        if (!limits) {
            for (std::size_t q = 0; q < kk; ++q)
                if (m.p->allowed.empty() || m.p->allowed[idx[q]]) sites.push_back(idx[q]);
        } else {
            std::sort(idx.begin() + static_cast<std::ptrdiff_t>(kk), idx.end(), by_value);
            for (std::uint32_t j : std::vector<std::uint32_t>(trial.sites)) trial.remove(j);
            for (std::size_t q = 0; q < idx.size() && trial.sites.size() < kk; ++q)
                if (trial.feasible(idx[q])) trial.add(idx[q]);
            sites = trial.sites;
        }
        ++tick;
        double f = 0;
        for (std::uint32_t j : sites)
            for (std::uint64_t t = m.cover.start[j]; t < m.cover.start[j + 1]; ++t) {
                const std::uint32_t i = m.cover.index[t];
                if (stamp[i] != tick) stamp[i] = tick, f += m.w[i];
            }
        if (f > out.best_covered) out.best_covered = f, out.best_sites = sites;
        lb = std::max(lb, f);
        if (L < lag_best - 1e-12 * std::max(1.0, L)) {
            lag_best = L;
            stall = 0;
        } else if (++stall >= 25) {
            theta /= 2;
            stall = 0;
        }
        if (lag_best - lb <= 1e-9 * std::max(1.0, lag_best)) break;
        double norm = 0;
        for (std::size_t i = 0; i < m.n_places; ++i)
            if (reach[i]) norm += grad[i] * grad[i];
        if (norm == 0) break;
        const double step = theta * (L - lb) / norm;
        for (std::size_t i = 0; i < m.n_places; ++i)
            if (reach[i]) lambda[i] = std::clamp(lambda[i] - step * grad[i], 0.0, m.w[i]);
    }
    if (lag_best < out.bound) out.bound = lag_best, out.how = "Lagrangian relaxation";
    out.bound = std::max(out.bound, std::max(s.covered, out.best_covered));
    return out;
}

/// The LP relaxation's bound when the model is small enough to solve in a few seconds; NaN otherwise.
double relaxation_bound(const Model& m, const Params& o)
{
    if (m.cover.entries() > 400'000 || o.capacity > 0) return std::numeric_limits<double>::quiet_NaN();
    try {
        return detail::lp_bound(m);
    } catch (const ParameterError&) {
        return std::numeric_limits<double>::quiet_NaN();
    }
}

/// Weighted distance of every place to its nearest open site (existing included).
struct Distances {
    std::vector<double> best1, best2;
    std::vector<std::uint32_t> owner1; ///< candidate index, k_none for an existing facility
};

Distances nearest_open(const Model& m, const std::vector<std::uint32_t>& sites)
{
    Distances d;
    d.best1.assign(m.n_places, std::numeric_limits<double>::infinity());
    d.best2 = d.best1;
    d.owner1.assign(m.n_places, k_none);
    parallel::for_each(m.n_places, 1024, m.o->threads, [&](std::size_t i) {
        double b1 = m.p->existing_m.empty() ? INFINITY : m.p->existing_m[i], b2 = INFINITY;
        std::uint32_t o1 = k_none;
        for (std::uint32_t j : sites) {
            const double x = detail::distance(*m.p, static_cast<std::uint32_t>(i), j);
            if (x < b1) {
                b2 = b1;
                b1 = x;
                o1 = j;
            } else if (x < b2) {
                b2 = x;
            }
        }
        d.best1[i] = b1;
        d.best2[i] = b2;
        d.owner1[i] = o1;
    });
    return d;
}

double total_distance(const Model& m, const std::vector<double>& dist)
{
    double t = 0;
    for (std::size_t i = 0; i < m.n_places; ++i) t += m.p->demand.weight[i] * dist[i];
    return t;
}

/// p-median: greedy then interchange; sites in `s` (constraints kept by Open).
void pmedian_heuristic(const Model& m, Open& s, std::size_t k, unsigned& swaps)
{
    const auto& W = m.p->demand.weight;
    std::vector<double> cur(m.n_places);
    for (std::size_t i = 0; i < m.n_places; ++i) cur[i] = m.p->existing_m.empty() ? INFINITY : m.p->existing_m[i];
    while (s.sites.size() < k) {
        std::vector<double> t(m.n_candidates, INFINITY);
        parallel::for_each(m.n_candidates, 16, m.o->threads, [&](std::size_t j) {
            if (!s.feasible(static_cast<std::uint32_t>(j))) return;
            double sum = 0;
            for (std::size_t i = 0; i < m.n_places; ++i)
                sum += W[i] * std::min(cur[i], detail::distance(*m.p, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)));
            t[j] = sum;
        });
        const auto it = std::min_element(t.begin(), t.end());
        if (it == t.end() || !std::isfinite(*it)) break;
        const auto j = static_cast<std::uint32_t>(it - t.begin());
        s.add(j);
        for (std::size_t i = 0; i < m.n_places; ++i) cur[i] = std::min(cur[i], detail::distance(*m.p, static_cast<std::uint32_t>(i), j));
    }
    for (unsigned pass = 0; pass < m.o->max_swap_passes && !s.sites.empty(); ++pass) {
        const Distances d = nearest_open(m, s.sites);
        const double now = total_distance(m, d.best1);
        const std::size_t kk = s.sites.size();
        std::vector<std::uint32_t> slot(m.n_candidates, k_none);
        for (std::size_t q = 0; q < kk; ++q) slot[s.sites[q]] = static_cast<std::uint32_t>(q);
        struct Best {
            double total = INFINITY;
            std::uint32_t in = k_none, out = k_none;
        };
        std::vector<Best> best(m.n_candidates);
        parallel::for_chunks(m.n_candidates, 16, m.o->threads, [&](std::size_t b, std::size_t e) {
            std::vector<double> corr(kk);
            for (std::size_t cj = b; cj < e; ++cj) {
                const auto c = static_cast<std::uint32_t>(cj);
                if (s.open[c] || (!m.p->allowed.empty() && !m.p->allowed[c])) continue;
                std::fill(corr.begin(), corr.end(), 0.0);
                double a = 0;
                for (std::size_t i = 0; i < m.n_places; ++i) {
                    const double dc = detail::distance(*m.p, static_cast<std::uint32_t>(i), c);
                    const double with_all = std::min(dc, d.best1[i]);
                    a += W[i] * with_all;
                    if (d.owner1[i] != k_none) corr[slot[d.owner1[i]]] += W[i] * (std::min(dc, d.best2[i]) - with_all);
                }
                Best bc;
                for (std::uint32_t q = 0; q < kk; ++q) {
                    const double t = a + corr[q];
                    if (t < bc.total && s.feasible(c, s.sites[q])) bc = {t, c, s.sites[q]};
                }
                best[c] = bc;
            }
        });
        Best top;
        for (const Best& b : best)
            if (b.in != k_none && (b.total < top.total || (b.total == top.total && top.in != k_none && b.in < top.in))) top = b;
        if (top.in == k_none || !(top.total < now - 1e-9 * std::max(1.0, now))) break;
        s.remove(top.out);
        s.add(top.in);
        ++swaps;
    }
}

/// Lower bound on the p-median's total weighted distance: a Lagrangian relaxation of the
/// assignment constraints when the instance is small enough, else every candidate open.
std::pair<double, std::string> pmedian_bound(const Model& m, std::size_t k, double upper)
{
    const auto& W = m.p->demand.weight;
    const std::size_t n = m.n_places, c = m.n_candidates;
    std::vector<double> e0(n);
    for (std::size_t i = 0; i < n; ++i) e0[i] = m.p->existing_m.empty() ? INFINITY : m.p->existing_m[i];
    // every allowed candidate open: each place at its nearest one
    std::vector<double> all(n);
    parallel::for_each(n, 1024, m.o->threads, [&](std::size_t i) {
        double b = e0[i];
        for (std::uint32_t j = 0; j < c; ++j)
            if (m.p->allowed.empty() || m.p->allowed[j]) b = std::min(b, detail::distance(*m.p, static_cast<std::uint32_t>(i), j));
        all[i] = b;
    });
    double lower = total_distance(m, all);
    std::string how = "every candidate open";
    if (static_cast<double>(n) * static_cast<double>(c) > 3e8) return {lower, how};
    // L(lambda) = sum_i lambda_i + sum_i min(0, w_i e0_i - lambda_i) + sum of the K most negative
    // rho_j = sum_i min(0, w_i d_ij - lambda_i)
    std::vector<double> lambda(n);
    for (std::size_t i = 0; i < n; ++i) lambda[i] = W[i] * all[i];
    std::vector<double> rho(c);
    std::vector<std::uint32_t> idx(c);
    std::vector<double> grad(n);
    double theta = 2.0, best = lower;
    int stall = 0;
    const int iterations = iterations_for(2.0 * static_cast<double>(n) * static_cast<double>(c), 200);
    const std::size_t kk = std::min(k, c);
    for (int it = 0; it < iterations && theta > 1e-4; ++it) {
        parallel::for_each(c, 16, m.o->threads, [&](std::size_t j) {
            double r = 0;
            if (m.p->allowed.empty() || m.p->allowed[j])
                for (std::size_t i = 0; i < n; ++i)
                    r += std::min(0.0, W[i] * detail::distance(*m.p, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)) - lambda[i]);
            rho[j] = r;
        });
        std::iota(idx.begin(), idx.end(), 0u);
        std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(kk), idx.end(),
                          [&](std::uint32_t a, std::uint32_t b) { return rho[a] < rho[b] || (rho[a] == rho[b] && a < b); });
        double L = 0;
        for (std::size_t i = 0; i < n; ++i) {
            L += lambda[i];
            grad[i] = 1.0; // d L / d lambda_i = 1 - (assignments of i)
            if (std::isfinite(e0[i]) && W[i] * e0[i] - lambda[i] < 0) {
                L += W[i] * e0[i] - lambda[i];
                grad[i] -= 1.0;
            }
        }
        for (std::size_t q = 0; q < kk && rho[idx[q]] < 0; ++q) {
            L += rho[idx[q]];
            const std::uint32_t j = idx[q];
            for (std::size_t i = 0; i < n; ++i)
                if (W[i] * detail::distance(*m.p, static_cast<std::uint32_t>(i), j) - lambda[i] < 0) grad[i] -= 1.0;
        }
        if (L > best + 1e-12 * std::max(1.0, std::abs(L))) {
            best = L;
            how = "Lagrangian relaxation";
            stall = 0;
        } else if (++stall >= 10) {
            theta /= 2;
            stall = 0;
        }
        if (upper - best <= 1e-9 * std::max(1.0, upper)) break;
        double norm = 0;
        for (double g : grad) norm += g * g;
        if (norm == 0) break;
        const double step = theta * (upper - L) / norm;
        for (std::size_t i = 0; i < n; ++i) lambda[i] = std::max(0.0, lambda[i] + step * grad[i]);
    }
    return {std::min(best, upper), how};
}

} // namespace

Solution rank_sites(const Problem& p, const Params& o, const std::vector<std::uint32_t>& sites)
{
    const Model m = build(p, o);
    Solution s;
    s.base_covered = m.base;
    std::vector<std::uint32_t> left = sites;
    if (o.objective == Objective::pmedian) {
        std::vector<double> cur(m.n_places);
        for (std::size_t i = 0; i < m.n_places; ++i) cur[i] = p.existing_m.empty() ? INFINITY : p.existing_m[i];
        s.base_mean_m = total_distance(m, cur) / std::max(1e-300, m.total);
        Open cov(m);
        while (!left.empty()) {
            std::size_t best_q = 0;
            double best_t = INFINITY;
            for (std::size_t q = 0; q < left.size(); ++q) {
                double t = 0;
                for (std::size_t i = 0; i < m.n_places; ++i)
                    t += p.demand.weight[i] * std::min(cur[i], detail::distance(p, static_cast<std::uint32_t>(i), left[q]));
                if (t < best_t || (t == best_t && left[q] < left[best_q])) best_t = t, best_q = q;
            }
            const std::uint32_t j = left[best_q];
            const double before = total_distance(m, cur);
            for (std::size_t i = 0; i < m.n_places; ++i) cur[i] = std::min(cur[i], detail::distance(p, static_cast<std::uint32_t>(i), j));
            cov.add(j);
            s.sites.push_back(j);
            s.gain.push_back(std::isfinite(before) ? before - best_t : std::numeric_limits<double>::quiet_NaN());
            s.mean_m.push_back(best_t / std::max(1e-300, m.total));
            s.covered.push_back(m.base + cov.covered);
            left.erase(left.begin() + static_cast<std::ptrdiff_t>(best_q));
        }
        s.objective = total_distance(m, cur);
        return s;
    }
    Open cov(m);
    while (!left.empty()) {
        std::size_t best_q = 0;
        double best_g = -1;
        for (std::size_t q = 0; q < left.size(); ++q) {
            const double g = o.capacity > 0 ? std::min(o.capacity, cov.gain(left[q])) : cov.gain(left[q]);
            if (g > best_g || (g == best_g && left[q] < left[best_q])) best_g = g, best_q = q;
        }
        const std::uint32_t j = left[best_q];
        cov.add(j);
        s.sites.push_back(j);
        left.erase(left.begin() + static_cast<std::ptrdiff_t>(best_q));
        if (o.capacity > 0) {
            const double c = detail::capacitated_coverage(m, s.sites, o.capacity);
            s.gain.push_back(c - (s.covered.empty() ? 0.0 : s.covered.back() - m.base));
            s.covered.push_back(m.base + c);
        } else {
            s.gain.push_back(best_g);
            s.covered.push_back(m.base + cov.covered);
        }
    }
    s.objective = s.covered.empty() ? m.base : s.covered.back();
    return s;
}

Solution solve(const Problem& p, const Params& o)
{
    if (o.objective != Objective::lscp && o.k == 0) throw ParameterError("--add must be at least 1");
    if (o.objective == Objective::lscp && !(o.target_pct > 0 && o.target_pct <= 100))
        throw ParameterError("--target-coverage must lie in (0, 100] percent");
    if (o.capacity > 0 && o.objective != Objective::mclp) throw ParameterError("--capacity applies to --objective mclp");
    if (o.objective != Objective::pmedian && !(p.radius_m > 0)) throw ParameterError("--radius of the new sites must be positive");
    const Model m = build(p, o);
    std::size_t usable = 0;
    for (std::uint32_t j = 0; j < m.n_candidates; ++j) usable += p.allowed.empty() || p.allowed[j];
    if (usable == 0) throw InputError("no candidate site can open (none inside the study area, or all too close to existing facilities)");
    Open s(m);
    Solution out;
    out.method = "greedy + interchange";
    CoveringBound mclp_bound;
    mclp_bound.bound = -1;
    unsigned swaps = 0;
    if (o.objective == Objective::mclp) {
        if (o.k > usable)
            throw ParameterError("--add " + std::to_string(o.k) + ": only " + std::to_string(usable) + " candidate sites can open");
        if (o.capacity > 0) {
            greedy_capacitated(m, s, o.k, o.capacity);
            out.method = "capacitated greedy (max-flow assignment)";
        } else {
            greedy(m, s, o.k, INFINITY);
            while (swaps < o.max_swap_passes && interchange_once(m, s)) ++swaps;
            // the Lagrangian relaxation gives the bound and a second start for the interchange
            mclp_bound = covering_bound(m, s, o.k);
            if (mclp_bound.best_covered > s.covered - 0.02 * std::max(1e-300, s.covered) && mclp_bound.best_sites != s.sites) {
                Open t(m);
                for (std::uint32_t j : mclp_bound.best_sites) t.add(j);
                greedy(m, t, o.k, INFINITY); // fill up when the limits left it short
                unsigned more = 0;
                while (more < o.max_swap_passes && interchange_once(m, t)) ++more;
                if (t.covered > s.covered + 1e-9 * std::max(1.0, m.total)) {
                    for (std::uint32_t j : std::vector<std::uint32_t>(s.sites)) s.remove(j);
                    for (std::uint32_t j : t.sites) s.add(j);
                    swaps = more;
                    out.method = "Lagrangian heuristic + interchange";
                }
            }
        }
    } else if (o.objective == Objective::lscp) {
        const double target = o.target_pct / 100.0 * m.total;
        const std::size_t kmax = o.k ? o.k : m.n_candidates;
        greedy(m, s, kmax, target - 1e-9 * std::max(1.0, m.total));
        if (m.base + s.covered < target - 1e-9 * std::max(1.0, m.total)) {
            char b[160];
            std::snprintf(b, sizeof b, "--target-coverage %g%%: the best reachable is %.2f%% (with %zu new sites)", o.target_pct,
                          100.0 * (m.base + s.covered) / std::max(1e-300, m.total), s.sites.size());
            throw InputError(b);
        }
        // drop sites the others make redundant (latest first)
        for (std::size_t q = s.sites.size(); q-- > 0;) {
            const std::uint32_t j = s.sites[q];
            if (m.base + s.covered - s.loss(j) >= target - 1e-9 * std::max(1.0, m.total)) s.remove(j);
        }
        out.method = "greedy + redundancy elimination";
    } else {
        if (o.k > usable)
            throw ParameterError("--add " + std::to_string(o.k) + ": only " + std::to_string(usable) + " candidate sites can open");
        pmedian_heuristic(m, s, o.k, swaps);
    }
    std::vector<std::uint32_t> chosen = s.sites;
    if (o.exact) {
        Solution ex = detail::solve_exact(m, chosen);
        // keep the better of the heuristic and the MIP's incumbent (a time limit may stop it early)
        const Solution heur = rank_sites(p, o, chosen);
        const Solution mip = rank_sites(p, o, ex.sites);
        const bool better = o.objective == Objective::pmedian   ? mip.objective < heur.objective - 1e-9
                            : o.objective == Objective::lscp    ? ex.sites.size() < chosen.size()
                                                                : mip.objective > heur.objective + 1e-9;
        if (better || ex.optimal) {
            chosen = ex.sites;
            out.method = "GLPK branch-and-cut";
        } else {
            out.method += ex.time_limit_reached ? " (GLPK found nothing better before its time limit)" : " (GLPK found nothing better)";
        }
        out.bound = ex.bound;
        out.bound_method = ex.optimal ? "exact optimum" : "GLPK bound";
        out.optimal = ex.optimal;
        out.time_limit_reached = ex.time_limit_reached;
        out.info = ex.info;
    }
    Solution ranked = rank_sites(p, o, chosen);
    ranked.method = out.method;
    ranked.swaps = swaps;
    ranked.optimal = out.optimal;
    ranked.time_limit_reached = out.time_limit_reached;
    ranked.bound = out.bound;
    ranked.bound_method = out.bound_method;
    ranked.info = out.info;
    if (o.objective == Objective::mclp) {
        if (!o.exact || !out.optimal) {
            Open fin(m);
            for (std::uint32_t j : chosen) fin.add(j);
            if (mclp_bound.bound < 0 || chosen != s.sites) mclp_bound = covering_bound(m, fin, o.k);
            double ub = mclp_bound.bound;
            std::string how = mclp_bound.how;
            if (o.capacity > 0) {
                const double cap = static_cast<double>(o.k) * o.capacity;
                if (cap < ub) ub = cap, how = "K x capacity";
            }
            if (ub - fin.covered > 1e-9 * std::max(1.0, m.total)) {
                const double lp = relaxation_bound(m, o);
                if (lp - m.base < ub) ub = lp - m.base, how = "LP relaxation";
            }
            if (!(ranked.bound <= m.base + ub)) {
                ranked.bound = m.base + ub;
                ranked.bound_method = how;
            }
        }
        ranked.gap_pct = ranked.bound > 0 ? 100.0 * (ranked.bound - ranked.objective) / ranked.bound : 0.0;
        if (chosen.size() < o.k)
            ranked.notes.push_back("only " + std::to_string(chosen.size()) + " of the " + std::to_string(o.k) +
                                   " sites add coverage: the others would reach no incident that is not reached already");
    } else if (o.objective == Objective::lscp) {
        if (!out.optimal) {
            // fewest sites: each covers at most its largest single gain
            std::vector<double> g(m.n_candidates, 0.0);
            const Open none(m);
            for (std::uint32_t j = 0; j < m.n_candidates; ++j)
                if (p.allowed.empty() || p.allowed[j]) g[j] = none.gain(j);
            std::sort(g.begin(), g.end(), std::greater<>());
            const double target = o.target_pct / 100.0 * m.total;
            double acc = m.base;
            std::size_t need = 0;
            while (acc < target - 1e-9 * std::max(1.0, m.total) && need < g.size()) acc += g[need++];
            if (!(ranked.bound >= static_cast<double>(need))) {
                ranked.bound = static_cast<double>(need);
                ranked.bound_method = "largest single gains";
            }
            if (static_cast<double>(need) < static_cast<double>(chosen.size())) {
                const double lp = std::ceil(relaxation_bound(m, o) - 1e-6);
                if (lp > ranked.bound) ranked.bound = lp, ranked.bound_method = "LP relaxation";
            }
        }
        ranked.gap_pct = chosen.empty() ? 0.0 : 100.0 * (static_cast<double>(chosen.size()) - ranked.bound) / static_cast<double>(chosen.size());
    } else {
        if (!out.optimal) {
            const auto [lb, how] = pmedian_bound(m, o.k, ranked.objective);
            if (!(ranked.bound >= lb)) {
                ranked.bound = lb;
                ranked.bound_method = how;
            }
        }
        ranked.gap_pct = ranked.objective > 0 ? 100.0 * (ranked.objective - ranked.bound) / ranked.objective : 0.0;
    }
    if (!(ranked.gap_pct > 1e-7)) ranked.gap_pct = 0;
    return ranked;
}

} // namespace hotmap::siting
