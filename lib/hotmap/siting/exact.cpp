// SPDX-License-Identifier: MIT
// The exact site-selection models, solved with GLPK (branch-and-cut, time limit), and the
// capacitated assignment as a max flow (Boost.Graph push-relabel on integer-scaled weights).
#include "hotmap/siting/model.hpp"

#include "hotmap/error.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>
#include <glpk.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>

namespace hotmap::siting::detail {
namespace {

struct ProbDeleter {
    void operator()(glp_prob* p) const noexcept { glp_delete_prob(p); }
};
using ProbPtr = std::unique_ptr<glp_prob, ProbDeleter>;

/// What the branch-and-cut callback records: the best bound of the open nodes, and the
/// heuristic start offered as the first incumbent.
struct Watch {
    const std::vector<double>* start = nullptr; ///< 1-based column values, or null
    bool offered = false;
    double bound = std::numeric_limits<double>::quiet_NaN();
};

extern "C" void on_tree(glp_tree* tree, void* info)
{
    auto* w = static_cast<Watch*>(info);
    switch (glp_ios_reason(tree)) {
    case GLP_IHEUR:
        if (w->start && !w->offered) {
            w->offered = true;
            glp_ios_heur_sol(tree, w->start->data());
        }
        break;
    case GLP_ISELECT:
    case GLP_IBINGO:
    case GLP_IROWGEN: {
        const int node = glp_ios_best_node(tree);
        const double b = node ? glp_ios_node_bound(tree, node) : NAN;
        if (std::abs(b) < 1e300) w->bound = b; // +-DBL_MAX: the node's relaxation is not solved yet
        break;
    }
    default: break;
    }
}

/// Sparse matrix triplets, 1-based as GLPK wants them (index 0 unused).
struct Triplets {
    std::vector<int> row{0}, col{0};
    std::vector<double> val{0};
    void add(int r, int c, double v)
    {
        row.push_back(r);
        col.push_back(c);
        val.push_back(v);
    }
};

void check_size(double columns, double entries)
{
    if (columns > 2e6 || entries > 2e7)
        throw ParameterError("--exact: the model has " + std::to_string(static_cast<long long>(columns)) + " variables and " +
                             std::to_string(static_cast<long long>(entries)) +
                             " coefficients, too many for GLPK here: use the heuristic, a coarser --demand-cell or fewer candidates");
}

/// The MIP (or its LP relaxation) of a model, reduced: a covering model keeps only the
/// candidates that reach uncovered weight (the others never help) and merges the places that
/// the same candidates cover (one row for them, their weights summed).
struct Mip {
    ProbPtr lp{glp_create_prob()};
    std::vector<std::uint32_t> candidate; ///< per x column c: candidate[c - 1]
    std::vector<double> start;            ///< 1-based values of every column for the heuristic start (empty: none)
};

/// Places grouped by the x columns that cover them.
struct Groups {
    std::vector<std::uint64_t> begin; ///< CSR over places: cols[begin[i] .. begin[i+1])
    std::vector<int> cols;
    std::vector<std::uint32_t> rep;   ///< one place per group
    std::vector<double> weight;       ///< per group
};

Groups group_places(const Model& m, const std::vector<std::uint32_t>& candidate)
{
    Groups G;
    const int nx = static_cast<int>(candidate.size());
    G.begin.assign(m.n_places + 1, 0);
    for (int c = 1; c <= nx; ++c) {
        const std::uint32_t j = candidate[static_cast<std::size_t>(c - 1)];
        for (std::uint64_t k = m.cover.start[j]; k < m.cover.start[j + 1]; ++k) ++G.begin[m.cover.index[k] + 1];
    }
    for (std::size_t i = 0; i < m.n_places; ++i) G.begin[i + 1] += G.begin[i];
    G.cols.resize(G.begin.back());
    std::vector<std::uint64_t> fill(G.begin.begin(), G.begin.end() - 1);
    for (int c = 1; c <= nx; ++c) { // ascending c: each place's list comes out sorted
        const std::uint32_t j = candidate[static_cast<std::size_t>(c - 1)];
        for (std::uint64_t k = m.cover.start[j]; k < m.cover.start[j + 1]; ++k) G.cols[fill[m.cover.index[k]]++] = c;
    }
    const auto hash = [&](std::size_t i) {
        std::uint64_t h = 1469598103934665603ull;
        for (std::uint64_t k = G.begin[i]; k < G.begin[i + 1]; ++k) h = (h ^ static_cast<std::uint64_t>(G.cols[k])) * 1099511628211ull;
        return h;
    };
    const auto same = [&](std::size_t a, std::size_t b) {
        const auto first = [&](std::size_t i) { return G.cols.begin() + static_cast<std::ptrdiff_t>(G.begin[i]); };
        return G.begin[a + 1] - G.begin[a] == G.begin[b + 1] - G.begin[b] && std::equal(first(a), first(a + 1), first(b));
    };
    std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed;
    for (std::size_t i = 0; i < m.n_places; ++i)
        if (G.begin[i + 1] > G.begin[i] && m.w[i] > 0) keyed.push_back({hash(i), static_cast<std::uint32_t>(i)});
    std::sort(keyed.begin(), keyed.end());
    for (std::size_t a = 0; a < keyed.size();) {
        std::size_t b = a;
        while (b < keyed.size() && keyed[b].first == keyed[a].first) ++b;
        std::vector<std::uint8_t> used(b - a, 0); // one hash, possibly several lists
        for (std::size_t q = a; q < b; ++q) {
            if (used[q - a]) continue;
            double w = 0;
            for (std::size_t r = q; r < b; ++r)
                if (!used[r - a] && same(keyed[q].second, keyed[r].second)) {
                    used[r - a] = 1;
                    w += m.w[keyed[r].second];
                }
            G.rep.push_back(keyed[q].second);
            G.weight.push_back(w);
        }
        a = b;
    }
    return G;
}

Mip build_mip(const Model& m, const std::vector<std::uint32_t>& start_sites, bool relax)
{
    const Problem& p = *m.p;
    const Params& o = *m.o;
    Mip mip;
    glp_prob* lp = mip.lp.get();
    const bool covering = o.objective != Objective::pmedian;
    std::vector<int> col_of_cand(m.n_candidates, 0);
    for (std::uint32_t j = 0; j < m.n_candidates; ++j) {
        if (!p.allowed.empty() && !p.allowed[j]) continue;
        if (covering && !(m.weight_of(j) > 0)) continue;
        mip.candidate.push_back(j);
        col_of_cand[j] = static_cast<int>(mip.candidate.size());
    }
    const int nx = static_cast<int>(mip.candidate.size());
    if (nx == 0) throw InputError("--exact: no candidate site reaches an incident that is not covered already");
    Triplets t;
    int rows = 0;
    glp_add_cols(lp, nx);
    for (int c = 1; c <= nx; ++c) {
        if (relax) glp_set_col_bnds(lp, c, GLP_DB, 0, 1);
        else glp_set_col_kind(lp, c, GLP_BV);
    }
    std::vector<double> start_x(static_cast<std::size_t>(nx) + 1, 0.0);
    for (std::uint32_t j : start_sites)
        if (col_of_cand[j]) start_x[static_cast<std::size_t>(col_of_cand[j])] = 1;

    if (covering) {
        const Groups G = group_places(m, mip.candidate);
        const std::size_t ng = G.rep.size();
        double pairs = 0;
        for (std::uint32_t i : G.rep) pairs += static_cast<double>(G.begin[i + 1] - G.begin[i]);
        if (o.capacity > 0) {
            // z_gc = weight of group g served by site c; rows: group weight, site capacity
            check_size(nx + pairs, 3 * pairs);
            std::vector<int> group_row(ng);
            glp_add_rows(lp, static_cast<int>(ng));
            for (std::size_t g = 0; g < ng; ++g) {
                group_row[g] = ++rows;
                glp_set_row_bnds(lp, rows, GLP_UP, 0, G.weight[g]);
            }
            std::vector<int> cap_row(static_cast<std::size_t>(nx) + 1);
            glp_add_rows(lp, nx);
            for (int c = 1; c <= nx; ++c) {
                cap_row[static_cast<std::size_t>(c)] = ++rows;
                glp_set_row_bnds(lp, rows, GLP_UP, 0, 0); // sum_g z_gc - W x_c <= 0
                t.add(rows, c, -o.capacity);
            }
            int z = glp_add_cols(lp, static_cast<int>(pairs));
            for (std::size_t g = 0; g < ng; ++g)
                for (std::uint64_t k = G.begin[G.rep[g]]; k < G.begin[G.rep[g] + 1]; ++k, ++z) {
                    glp_set_col_bnds(lp, z, GLP_LO, 0, 0);
                    glp_set_obj_coef(lp, z, 1.0);
                    t.add(cap_row[static_cast<std::size_t>(G.cols[k])], z, 1.0);
                    t.add(group_row[g], z, 1.0);
                }
        } else {
            check_size(nx + static_cast<double>(ng), pairs + static_cast<double>(ng));
            // y_g in [0, 1]: group g covered; y_g - sum_{c covers g} x_c <= 0
            const int y0 = nx;
            glp_add_cols(lp, static_cast<int>(ng));
            glp_add_rows(lp, static_cast<int>(ng));
            for (std::size_t g = 0; g < ng; ++g) {
                const int y = y0 + 1 + static_cast<int>(g);
                glp_set_col_bnds(lp, y, GLP_DB, 0, 1);
                if (o.objective == Objective::mclp) glp_set_obj_coef(lp, y, G.weight[g]);
                ++rows;
                glp_set_row_bnds(lp, rows, GLP_UP, 0, 0);
                t.add(rows, y, 1.0);
                for (std::uint64_t k = G.begin[G.rep[g]]; k < G.begin[G.rep[g] + 1]; ++k) t.add(rows, G.cols[k], -1.0);
            }
            if (o.objective == Objective::lscp) {
                // sum w_g y_g >= target - base; minimise the number of sites
                glp_add_rows(lp, 1);
                ++rows;
                glp_set_row_bnds(lp, rows, GLP_LO, o.target_pct / 100.0 * m.total - m.base - 1e-9 * std::max(1.0, m.total), 0);
                for (std::size_t g = 0; g < ng; ++g) t.add(rows, y0 + 1 + static_cast<int>(g), G.weight[g]);
                for (int c = 1; c <= nx; ++c) glp_set_obj_coef(lp, c, 1.0);
            }
            // the start: x, and y of the groups it covers
            mip.start.assign(static_cast<std::size_t>(glp_get_num_cols(lp)) + 1, 0.0);
            for (int c = 1; c <= nx; ++c) mip.start[static_cast<std::size_t>(c)] = start_x[static_cast<std::size_t>(c)];
            for (std::size_t g = 0; g < ng; ++g)
                for (std::uint64_t k = G.begin[G.rep[g]]; k < G.begin[G.rep[g] + 1]; ++k)
                    if (start_x[static_cast<std::size_t>(G.cols[k])] > 0) {
                        mip.start[static_cast<std::size_t>(y0 + 1) + g] = 1;
                        break;
                    }
        }
    } else {
        // p-median: z_ic (place i served by column c) for every pair, z_i0 by the existing facilities
        const double pairs = static_cast<double>(m.n_places) * nx;
        check_size(pairs + static_cast<double>(m.n_places), 3.0 * pairs);
        for (std::size_t i = 0; i < m.n_places; ++i) {
            const int assign_row = ++rows;
            glp_add_rows(lp, 1);
            glp_set_row_bnds(lp, assign_row, GLP_FX, 1, 1);
            const double wi = p.demand.weight[i];
            if (!p.existing_m.empty() && std::isfinite(p.existing_m[i])) {
                const int c0 = glp_add_cols(lp, 1);
                glp_set_col_bnds(lp, c0, GLP_DB, 0, 1);
                glp_set_obj_coef(lp, c0, wi * p.existing_m[i]);
                t.add(assign_row, c0, 1.0);
            }
            for (int c = 1; c <= nx; ++c) {
                const int z = glp_add_cols(lp, 1);
                glp_set_col_bnds(lp, z, GLP_DB, 0, 1);
                glp_set_obj_coef(lp, z, wi * distance(p, static_cast<std::uint32_t>(i), mip.candidate[static_cast<std::size_t>(c - 1)]));
                t.add(assign_row, z, 1.0);
                const int link = ++rows; // z_ic - x_c <= 0
                glp_add_rows(lp, 1);
                glp_set_row_bnds(lp, link, GLP_UP, 0, 0);
                t.add(link, z, 1.0);
                t.add(link, c, -1.0);
            }
        }
    }
    // at most K sites (pmedian: exactly K; lscp: only with --add)
    if (o.objective != Objective::lscp || o.k > 0) {
        glp_add_rows(lp, 1);
        ++rows;
        if (o.objective == Objective::pmedian) glp_set_row_bnds(lp, rows, GLP_FX, o.k, o.k);
        else glp_set_row_bnds(lp, rows, GLP_UP, 0, o.k);
        for (int c = 1; c <= nx; ++c) t.add(rows, c, 1.0);
    }
    // spacing: x_a + x_b <= 1
    for (int a = 1; a <= nx; ++a) {
        const std::uint32_t j = mip.candidate[static_cast<std::size_t>(a - 1)];
        for (std::uint64_t q = m.conflicts.start[j]; q < m.conflicts.start[j + 1]; ++q) {
            const int b = col_of_cand[m.conflicts.index[q]];
            if (b <= a) continue;
            glp_add_rows(lp, 1);
            ++rows;
            glp_set_row_bnds(lp, rows, GLP_UP, 0, 1);
            t.add(rows, a, 1.0);
            t.add(rows, b, 1.0);
        }
    }
    // per district: sum_{c in d} x_c <= N
    if (o.max_per_district > 0) {
        std::vector<int> row_of(p.districts, 0);
        for (int c = 1; c <= nx; ++c) {
            const std::int32_t d = p.candidates[mip.candidate[static_cast<std::size_t>(c - 1)]].district;
            if (d < 0) continue;
            if (!row_of[static_cast<std::size_t>(d)]) {
                glp_add_rows(lp, 1);
                row_of[static_cast<std::size_t>(d)] = ++rows;
                glp_set_row_bnds(lp, rows, GLP_UP, 0, o.max_per_district);
            }
            t.add(row_of[static_cast<std::size_t>(d)], c, 1.0);
        }
    }
    glp_set_obj_dir(lp, o.objective == Objective::mclp ? GLP_MAX : GLP_MIN);
    glp_load_matrix(lp, static_cast<int>(t.row.size()) - 1, t.row.data(), t.col.data(), t.val.data());
    return mip;
}

double seconds_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int milliseconds(double seconds) { return static_cast<int>(std::clamp(seconds, 0.001, 86400.0) * 1000.0); }

/// Solve the LP relaxation (GLPK simplex) within `seconds`, leaving an optimal basis for
/// glp_intopt; the status (GLP_OPT, GLP_NOFEAS, ... or 0 when stopped by the time limit).
int solve_relaxation(glp_prob* lp, double seconds, int iterations = 0)
{
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    if (iterations > 0) sp.it_lim = iterations;
    sp.meth = GLP_DUALP; // far faster than the primal on these covering LPs (2.5 s vs > 30 s on one)
    sp.tm_lim = milliseconds(seconds);
    glp_scale_prob(lp, GLP_SF_AUTO); // as glpsol does: without scaling and a crash basis GLPK is far slower here
    glp_adv_basis(lp, 0);
    const int ret = glp_simplex(lp, &sp);
    if (ret == GLP_ETMLIM || ret == GLP_EITLIM) return 0;
    if (ret != 0) throw InputError("--exact: GLPK's simplex failed (code " + std::to_string(ret) + ")");
    return glp_get_status(lp);
}

} // namespace

Solution solve_exact(const Model& m, const std::vector<std::uint32_t>& start)
{
    const Params& o = *m.o;
    const auto t0 = std::chrono::steady_clock::now();
    glp_term_out(GLP_OFF);
    Mip mip = build_mip(m, start, false);
    glp_prob* lp = mip.lp.get();
    Solution s;
    const double built_s = seconds_since(t0);
    const int lp_status = solve_relaxation(lp, o.time_limit_s);
    s.info.push_back("GLPK model: " + std::to_string(mip.candidate.size()) + " candidate columns, " + std::to_string(glp_get_num_cols(lp)) +
                     " columns, " + std::to_string(glp_get_num_rows(lp)) + " rows, " + std::to_string(glp_get_num_nz(lp)) +
                     " coefficients (built in " + std::to_string(built_s) + " s); LP relaxation " + (lp_status == GLP_OPT ? "solved" : "not solved") + " in " +
                     std::to_string(seconds_since(t0)) + " s");
    if (lp_status == GLP_NOFEAS || lp_status == GLP_INFEAS)
        throw InputError("--exact: the model has no feasible solution (check --target-coverage, --min-spacing and --max-per-district)");
    if (lp_status != GLP_OPT) {
        // the time limit ran out before the LP relaxation was solved: no bound from GLPK
        s.time_limit_reached = true;
        s.sites = start;
        return s;
    }
    const double lp_obj = glp_get_obj_val(lp);
    Watch watch;
    if (!mip.start.empty() && !start.empty()) watch.start = &mip.start;
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = GLP_OFF; // the callback's columns are ours (the basis comes from solve_relaxation)
    parm.msg_lev = GLP_MSG_OFF;
    parm.tm_lim = milliseconds(o.time_limit_s - seconds_since(t0));
    parm.mip_gap = 1e-9;
    parm.cb_func = on_tree;
    parm.cb_info = &watch;
    const int ret = glp_intopt(lp, &parm);
    const int status = glp_mip_status(lp);
    s.info.push_back("GLPK branch-and-cut: " + std::to_string(seconds_since(t0)) + " s in all, LP bound " + std::to_string(lp_obj) +
                     ", best node bound " + std::to_string(watch.bound));
    if (ret == GLP_ENOPFS || ret == GLP_ENODFS || status == GLP_NOFEAS)
        throw InputError("--exact: the model has no feasible solution (check --target-coverage, --min-spacing and --max-per-district)");
    if (ret != 0 && ret != GLP_ETMLIM && ret != GLP_EMIPGAP)
        throw InputError("--exact: GLPK failed (code " + std::to_string(ret) + ")");
    s.time_limit_reached = ret == GLP_ETMLIM;
    s.optimal = status == GLP_OPT && ret == 0;
    if (status == GLP_OPT || status == GLP_FEAS) {
        for (int c = 1; c <= static_cast<int>(mip.candidate.size()); ++c)
            if (glp_mip_col_val(lp, c) > 0.5) s.sites.push_back(mip.candidate[static_cast<std::size_t>(c - 1)]);
        s.objective = glp_mip_obj_val(lp);
    } else {
        s.sites = start; // no incumbent before the time limit: keep the heuristic's
    }
    // the bound on the optimum in the objective's units (covered weight includes the base):
    // the LP relaxation's holds everywhere, the best open node's is tighter
    double bound = s.optimal ? s.objective : watch.bound;
    const bool max = o.objective == Objective::mclp;
    if (!std::isfinite(bound)) bound = lp_obj;
    else bound = max ? std::min(bound, lp_obj) : std::max(bound, lp_obj);
    if (max) {
        s.bound = m.base + bound;
        s.objective += m.base;
    } else if (o.objective == Objective::lscp) {
        s.bound = std::ceil(bound - 1e-6);
    } else {
        s.bound = bound;
    }
    return s;
}

double lp_bound(const Model& m)
{
    glp_term_out(GLP_OFF);
    Mip mip = build_mip(m, {}, true);
    if (solve_relaxation(mip.lp.get(), 600, 20000) != GLP_OPT) return std::numeric_limits<double>::quiet_NaN();
    const double v = glp_get_obj_val(mip.lp.get());
    return m.o->objective == Objective::mclp ? m.base + v : v;
}

double capacitated_coverage(const Model& m, const std::vector<std::uint32_t>& sites, double capacity, std::vector<double>* served)
{
    using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
    using Graph = boost::adjacency_list<
        boost::vecS, boost::vecS, boost::directedS, boost::no_property,
        boost::property<boost::edge_capacity_t, long long,
                        boost::property<boost::edge_residual_capacity_t, long long, boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;
    if (served) served->assign(m.n_places, 0.0);
    if (sites.empty()) return 0;
    // integer flow: weights in units of 1e-6 of the largest one
    double wmax = capacity;
    for (double w : m.w) wmax = std::max(wmax, w);
    const double scale = wmax > 0 ? 1e12 / wmax : 1;
    std::vector<int> node_of(m.n_places, -1);
    int nodes = 2 + static_cast<int>(sites.size());
    for (std::uint32_t j : sites)
        for (std::uint64_t k = m.cover.start[j]; k < m.cover.start[j + 1]; ++k) {
            const std::uint32_t i = m.cover.index[k];
            if (node_of[i] < 0 && m.w[i] > 0) node_of[i] = nodes++;
        }
    Graph g(static_cast<std::size_t>(nodes));
    auto cap = boost::get(boost::edge_capacity, g);
    auto rev = boost::get(boost::edge_reverse, g);
    const auto edge = [&](int a, int b, long long c) {
        const auto e = boost::add_edge(static_cast<std::size_t>(a), static_cast<std::size_t>(b), g).first;
        const auto r = boost::add_edge(static_cast<std::size_t>(b), static_cast<std::size_t>(a), g).first;
        cap[e] = c;
        cap[r] = 0;
        rev[e] = r;
        rev[r] = e;
    };
    const int source = 0, sink = 1;
    const long long big = static_cast<long long>(2e18);
    for (std::size_t q = 0; q < sites.size(); ++q) {
        edge(source, 2 + static_cast<int>(q), static_cast<long long>(std::llround(capacity * scale)));
        const std::uint32_t j = sites[q];
        for (std::uint64_t k = m.cover.start[j]; k < m.cover.start[j + 1]; ++k)
            if (node_of[m.cover.index[k]] >= 0) edge(2 + static_cast<int>(q), node_of[m.cover.index[k]], big);
    }
    std::vector<std::pair<std::size_t, Traits::edge_descriptor>> to_sink;
    for (std::size_t i = 0; i < m.n_places; ++i)
        if (node_of[i] >= 0) {
            edge(node_of[i], sink, static_cast<long long>(std::llround(m.w[i] * scale)));
            to_sink.push_back({i, boost::edge(static_cast<std::size_t>(node_of[i]), static_cast<std::size_t>(sink), g).first});
        }
    const long long flow = boost::push_relabel_max_flow(g, source, sink);
    if (served) {
        auto res = boost::get(boost::edge_residual_capacity, g);
        for (const auto& [i, e] : to_sink) (*served)[i] = static_cast<double>(cap[e] - res[e]) / scale;
    }
    return static_cast<double>(flow) / scale;
}

} // namespace hotmap::siting::detail
