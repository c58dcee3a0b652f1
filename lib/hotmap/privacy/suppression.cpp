// SPDX-License-Identifier: MIT
// Cell suppression: primary by threshold, complementary by a greedy loop checked with an LP
// audit (GLPK simplex, two bounds per suppressed cell).
#include "hotmap/privacy/suppression.hpp"

#include "hotmap/error.hpp"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>

namespace hotmap::privacy {
namespace {

struct ProbDeleter {
    void operator()(glp_prob* p) const noexcept { glp_delete_prob(p); }
};
using ProbPtr = std::unique_ptr<glp_prob, ProbDeleter>;

void validate(const CountSystem& s)
{
    const std::size_t n = s.values.size();
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(s.values[i]) || s.values[i] < 0)
            throw ParameterError("suppression: cell " + std::to_string(i) + " has a negative or non-finite value");
    if (!s.fixed.empty() && s.fixed.size() != n)
        throw ParameterError("suppression: the fixed mask has " + std::to_string(s.fixed.size()) + " cells, the system " + std::to_string(n));
    for (std::size_t e = 0; e < s.equations.size(); ++e) {
        const auto& eq = s.equations[e];
        bool ok = eq.total < n;
        for (std::size_t c : eq.parts) ok = ok && c < n;
        if (!ok) throw ParameterError("suppression: equation " + std::to_string(e) + " refers to a cell out of range");
    }
}

/// The scale of the values, for tolerances.
double scale_of(const CountSystem& s)
{
    double m = 1;
    for (double v : s.values) m = std::max(m, v);
    return m;
}

/// The audit LP of one suppression pattern: one column per suppressed cell (>= 0), one fixed
/// row per equation that holds a suppressed cell. Built once; interval() changes the objective.
class Auditor {
public:
    /// Every suppressed cell a variable, every equation a row.
    Auditor(const CountSystem& s, const std::vector<char>& suppressed) : m_s(s), m_col(s.values.size(), 0)
    {
        if (suppressed.size() != s.values.size())
            throw ParameterError("suppression: the suppression mask has " + std::to_string(suppressed.size()) + " cells, the system " +
                                 std::to_string(s.values.size()));
        int ncol = 0;
        for (std::size_t i = 0; i < suppressed.size(); ++i)
            if (suppressed[i]) m_col[i] = ++ncol;
        std::vector<std::size_t> all(s.equations.size());
        for (std::size_t e = 0; e < all.size(); ++e) all[e] = e;
        build(ncol, all, 1e-7 * scale_of(s));
    }

    /// A restricted audit: only the cells of `variables` are free, every other cell is fixed at
    /// its value; `equations` must list every equation that holds one of them. The feasible set
    /// is a slice of the full one, so its intervals lie inside the full intervals: a cell
    /// protected here is protected in the full system.
    Auditor(const CountSystem& s, const std::vector<std::size_t>& variables, const std::vector<std::size_t>& equations, double tol)
        : m_s(s), m_col(s.values.size(), 0)
    {
        int ncol = 0;
        for (std::size_t i : variables) m_col[i] = ++ncol;
        build(ncol, equations, tol);
    }

private:
    void build(int ncol, const std::vector<std::size_t>& equations, double tol)
    {
        const CountSystem& s = m_s;
        glp_prob* lp = m_lp.get();
        glp_set_obj_dir(lp, GLP_MIN);
        if (ncol > 0) glp_add_cols(lp, ncol);
        for (int c = 1; c <= ncol; ++c) glp_set_col_bnds(lp, c, GLP_LO, 0.0, 0.0);
        std::vector<int> ia{0}, ja{0};
        std::vector<double> ar{0};
        int row = 0;
        for (std::size_t e : equations) {
            const auto& eq = s.equations[e];
            std::map<int, double> coef; // merged, so that a cell listed twice is one entry
            double rhs = 0;             // published total - published parts
            for (std::size_t c : eq.parts) {
                if (m_col[c]) coef[m_col[c]] += 1;
                else rhs -= s.values[c];
            }
            if (m_col[eq.total]) coef[m_col[eq.total]] -= 1;
            else rhs += s.values[eq.total];
            std::erase_if(coef, [](const auto& kv) { return kv.second == 0; });
            if (coef.empty()) {
                if (std::abs(rhs) > tol)
                    throw std::logic_error("suppression: equation " + std::to_string(e) + " does not hold for the published values (off by " +
                                           std::to_string(rhs) + ")");
                continue;
            }
            row = glp_add_rows(lp, 1);
            glp_set_row_bnds(lp, row, GLP_FX, rhs, rhs);
            for (const auto& [c, v] : coef) {
                ia.push_back(row);
                ja.push_back(c);
                ar.push_back(v);
            }
        }
        if (ia.size() > 1) glp_load_matrix(lp, static_cast<int>(ia.size() - 1), ia.data(), ja.data(), ar.data());
        glp_init_smcp(&m_parm);
        m_parm.msg_lev = GLP_MSG_OFF;
        // no presolve: every solve starts from the previous optimal basis, which stays primal
        // feasible when only the objective changes, so a bound costs a few pivots
        m_parm.presolve = GLP_OFF;
        m_rows = row;
    }

public:
    /// The interval of cell i (published: its value).
    Interval interval(std::size_t i)
    {
        const int c = m_col[i];
        if (!c) return {m_s.values[i], m_s.values[i]};
        if (m_rows == 0) return {0.0, std::numeric_limits<double>::infinity()}; // in no equation
        glp_prob* lp = m_lp.get();
        if (m_last) glp_set_obj_coef(lp, m_last, 0.0);
        glp_set_obj_coef(lp, c, 1.0);
        m_last = c;
        Interval r{};
        r.lo = std::max(0.0, bound(GLP_MIN, i));
        r.hi = bound(GLP_MAX, i);
        if (r.hi < r.lo) r.hi = r.lo; // solver noise around a determined cell
        return r;
    }

private:
    double bound(int dir, std::size_t i)
    {
        glp_prob* lp = m_lp.get();
        glp_set_obj_dir(lp, dir);
        const int ret = glp_simplex(lp, &m_parm);
        const double inf = std::numeric_limits<double>::infinity();
        if (ret == GLP_ENOPFS) throw std::logic_error("suppression audit: the equations have no non-negative solution (inconsistent published values)");
        if (ret == GLP_ENODFS) {
            if (dir == GLP_MAX) return inf;
            throw Error("suppression audit: GLPK reports an unbounded minimum for cell " + std::to_string(i));
        }
        if (ret != 0) throw Error("suppression audit: GLPK simplex failed (code " + std::to_string(ret) + ") on cell " + std::to_string(i));
        switch (glp_get_status(lp)) {
        case GLP_OPT: return glp_get_obj_val(lp);
        case GLP_UNBND:
            if (dir == GLP_MAX) return inf;
            break;
        case GLP_NOFEAS: throw std::logic_error("suppression audit: the equations have no non-negative solution (inconsistent published values)");
        default: break;
        }
        throw Error("suppression audit: GLPK found no optimum (status " + std::to_string(glp_get_status(lp)) + ") on cell " + std::to_string(i));
    }

    const CountSystem& m_s;
    std::vector<int> m_col; ///< 1-based LP column per cell, 0 = published
    ProbPtr m_lp{glp_create_prob()};
    glp_smcp m_parm{};
    int m_last = 0;
    int m_rows = 0;
};


/// The complementary suppression loop (see the file comment), as state and steps.
class Suppressor {
public:
    static constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
    static constexpr std::size_t k_exact = 1500; ///< exact mode up to this many suppressed cells
    static constexpr std::size_t k_near = 24;    ///< cells taken from a large equation, each kind

    Suppressor(const CountSystem& s, double protection, Suppression& out)
        : m_s(s), m_p(protection), m_out(out), m_n(s.values.size()), m_scale(scale_of(s)), m_tol(1e-7 * m_scale), m_eqs_of(m_n), m_cells_of(s.equations.size()),
          m_count(s.equations.size(), 0), m_is_total(m_n, 0), m_is_part(m_n, 0), m_in_near(m_n, 0), m_eq_seen(s.equations.size(), 0)
    {
        for (std::size_t e = 0; e < s.equations.size(); ++e) {
            const auto& eq = s.equations[e];
            m_is_total[eq.total] = 1;
            for (std::size_t c : eq.parts) m_is_part[c] = 1;
            auto& cells = m_cells_of[e];
            cells = eq.parts;
            cells.push_back(eq.total);
            std::sort(cells.begin(), cells.end());
            cells.erase(std::unique(cells.begin(), cells.end()), cells.end());
            for (std::size_t c : cells) {
                m_eqs_of[c].push_back(e);
                m_count[e] += out.suppressed[c] ? 1 : 0;
            }
        }
        for (std::size_t e = 0; e < s.equations.size(); ++e) note_alone(e);
        m_any_fixed = std::any_of(s.fixed.begin(), s.fixed.end(), [](char f) { return f != 0; });
    }

    void run()
    {
        settle_alone();
        std::size_t n_supp = 0;
        for (char c : m_out.suppressed) n_supp += c ? 1 : 0;
        const bool exact = n_supp <= k_exact;
        std::vector<char> proven(m_n, 0);
        std::unique_ptr<Auditor> full; // exact mode: the full audit of the current pattern
        std::size_t next = 0;
        while (next < m_n) {
            m_lowest_added = none;
            std::size_t first = none;
            Interval first_iv{};
            for (std::size_t i = next; i < m_n && first == none; ++i) {
                if (!m_out.suppressed[i] || proven[i]) continue;
                neighbourhood(i);
                Interval iv = local_interval(i);
                if (!exposed(i, iv)) {
                    proven[i] = 1;
                    continue;
                }
                if (exact) {
                    if (!full) full = std::make_unique<Auditor>(m_s, m_out.suppressed);
                    iv = full->interval(i);
                    if (!exposed(i, iv)) {
                        proven[i] = 1;
                        continue;
                    }
                }
                first = i;
                first_iv = iv;
            }
            if (first == none) break; // every suppressed cell is protected
            next = first;
            // the cheapest published cells that let `first` move by p each way it cannot yet; a
            // wider neighbourhood when none nearby can; if none can there either, the cell is
            // pinned by cells published whatever happens (or lies beyond any neighbourhood):
            // one more cell of its equations, else anywhere, unless fixed cells pin it
            const double v = m_s.values[first];
            const bool up = first_iv.hi < v + m_p - m_tol || first_iv.hi - first_iv.lo <= m_tol;
            const bool down = v > 0 && (first_iv.lo > std::max(0.0, v - m_p) + m_tol || first_iv.hi - first_iv.lo <= m_tol);
            Cycle got = Cycle::none_needed;
            for (std::size_t widen : {std::size_t{1}, std::size_t{8}}) {
                neighbourhood(first, widen);
                got = Cycle::none_needed;
                if (up) got = std::max(got, add_cycle(first, m_p));
                if (down) got = std::max(got, add_cycle(first, -std::min(v, m_p)));
                if (got != Cycle::infeasible) break;
            }
            if (got != Cycle::added) {
                const std::size_t add = pick_or_anywhere(m_eqs_of[first]);
                if (add == none || (got == Cycle::infeasible && m_any_fixed)) { // no suppression nearby can hide it
                    proven[first] = 1;
                    ++m_out.unprotected;
                    continue;
                }
                add_cell(add);
            }
            settle_alone();
            full.reset();
            next = std::min(next, m_lowest_added);
        }
    }

private:
    int rank(std::size_t c) const { return !m_is_total[c] ? 0 : (m_is_part[c] ? 1 : 2); }
    bool open(std::size_t c) const { return !m_out.suppressed[c] && (m_s.fixed.empty() || !m_s.fixed[c]); } ///< published, may be suppressed
    // a zero is the last choice: it cannot go down to hide an increase, and once suppressed it
    // needs protecting itself
    bool better(std::size_t a, std::size_t b) const
    {
        const auto& v = m_s.values;
        return std::make_tuple(rank(a), v[a] == 0, v[a], a) < std::make_tuple(rank(b), v[b] == 0, v[b], b);
    }
    /// The best published cell of the equations listed, or none.
    std::size_t pick(const std::vector<std::size_t>& eqs) const
    {
        std::size_t best = none;
        for (std::size_t e : eqs)
            for (std::size_t c : m_cells_of[e])
                if (open(c) && (best == none || better(c, best))) best = c;
        return best;
    }
    /// pick(), else (every cell of those equations suppressed) the best published cell
    /// anywhere; none when an equation's other cells are fixed (nothing can hide the cell) or
    /// every cell is suppressed.
    std::size_t pick_or_anywhere(const std::vector<std::size_t>& eqs) const
    {
        if (const std::size_t c = pick(eqs); c != none) return c;
        if (!m_s.fixed.empty())
            for (std::size_t e : eqs)
                for (std::size_t c : m_cells_of[e])
                    if (m_s.fixed[c]) return none;
        std::size_t add = none;
        for (std::size_t c = 0; c < m_n; ++c)
            if (open(c) && (add == none || better(c, add))) add = c;
        return add;
    }
    bool exposed(std::size_t i, const Interval& iv) const
    {
        const double v = m_s.values[i];
        if (iv.hi - iv.lo <= m_tol) return true;
        return iv.lo > std::max(0.0, v - m_p) + m_tol || iv.hi < v + m_p - m_tol;
    }

    void note_alone(std::size_t e)
    {
        if (m_count[e] != 1) return;
        for (std::size_t c : m_cells_of[e])
            if (m_out.suppressed[c]) m_alone.insert(c);
    }
    void add_cell(std::size_t c)
    {
        m_out.suppressed[c] = 1;
        ++m_out.complementary;
        m_lowest_added = std::min(m_lowest_added, c);
        for (std::size_t e : m_eqs_of[c]) {
            ++m_count[e];
            note_alone(e);
        }
    }
    /// 1. a cell alone (suppressed) in an equation is determined: until none is, suppress one
    /// more published cell of the equations in which the lowest such cell is alone.
    void settle_alone()
    {
        while (!m_alone.empty()) {
            const std::size_t cell = *m_alone.begin();
            m_alone.erase(m_alone.begin());
            std::vector<std::size_t> alone_eqs;
            for (std::size_t e : m_eqs_of[cell])
                if (m_count[e] == 1) alone_eqs.push_back(e);
            if (alone_eqs.empty()) continue; // no longer alone anywhere
            const std::size_t add = pick_or_anywhere(alone_eqs);
            if (add == none) continue; // pinned by fixed cells: the audit counts it
            add_cell(add);
            m_alone.insert(cell); // alone in another equation still?
        }
    }

    /// The cells of equation e around cell i: all of them when few, else the k_near suppressed
    /// and the k_near published cells nearest to i by index.
    void around(std::size_t e, std::size_t i, std::size_t cap, std::vector<std::size_t>& into) const
    {
        const auto& cells = m_cells_of[e]; // sorted
        if (cells.size() <= 2 * cap) {
            into.insert(into.end(), cells.begin(), cells.end());
            return;
        }
        const auto mid = std::lower_bound(cells.begin(), cells.end(), i);
        auto lo = mid, hi = mid;
        std::size_t supp = 0, pub = 0;
        while ((supp < cap || pub < cap) && (lo != cells.begin() || hi != cells.end())) {
            const bool take_hi = hi != cells.end() && (lo == cells.begin() || *hi - i <= i - *(lo - 1));
            const std::size_t c = take_hi ? *hi++ : *--lo;
            std::size_t& taken = m_out.suppressed[c] ? supp : pub;
            if (taken < cap) {
                into.push_back(c);
                ++taken;
            }
        }
    }
    /// The neighbourhood of cell i (m_near, m_near_eqs): i, the cells of its equations, and the
    /// cells of their equations (fewer from each large equation at the second step).
    void neighbourhood(std::size_t i, std::size_t widen = 1)
    {
        for (std::size_t c : m_near) m_in_near[c] = 0;
        for (std::size_t e : m_near_eqs) m_eq_seen[e] = 0;
        m_near.clear();
        m_near_eqs.clear();
        const auto add = [&](std::size_t c) {
            if (m_in_near[c]) return;
            m_in_near[c] = 1;
            m_near.push_back(c);
            for (std::size_t e : m_eqs_of[c])
                if (!m_eq_seen[e]) {
                    m_eq_seen[e] = 1;
                    m_near_eqs.push_back(e);
                }
        };
        add(i);
        std::vector<std::size_t> ring1, ring2;
        for (std::size_t e : m_eqs_of[i]) around(e, i, k_near * widen, ring1);
        for (std::size_t c : ring1) add(c);
        for (std::size_t c : ring1)
            for (std::size_t e : m_eqs_of[c]) around(e, c, k_near / 3 * widen, ring2);
        for (std::size_t c : ring2) add(c);
    }
    /// The interval of i when only the suppressed cells of the neighbourhood are free: it lies
    /// inside the full interval, so a cell protected here is protected.
    Interval local_interval(std::size_t i)
    {
        std::vector<std::size_t> vars;
        for (std::size_t c : m_near)
            if (m_out.suppressed[c]) vars.push_back(c);
        Auditor a(m_s, vars, m_near_eqs, m_tol);
        return a.interval(i);
    }
    /// The cheapest change of the neighbourhood's cells that moves cell i by `delta`, keeps
    /// every equation and every count >= 0 and leaves the cells outside alone (a min-cost
    /// circulation, as an LP: y = up - down per cell, down <= value). A published cell costs
    /// 1 + 4 rank + value / scale when it changes, a suppressed one almost nothing. Every
    /// published cell of the solution is suppressed, after which that very change is open to
    /// the attacker's LP: i can move by delta. `infeasible` when no such change exists nearby.
    enum class Cycle { none_needed, added, infeasible }; // ordered: the worse outcome of two wins
    Cycle add_cycle(std::size_t i, double delta)
    {
        ProbPtr lp{glp_create_prob()};
        const int nc = static_cast<int>(m_near.size());
        glp_set_obj_dir(lp.get(), GLP_MIN);
        glp_add_cols(lp.get(), 2 * nc);
        std::map<std::size_t, int> col; // cell -> index in m_near (1-based pair base)
        for (int j = 0; j < nc; ++j) {
            const std::size_t c = m_near[static_cast<std::size_t>(j)];
            col[c] = j;
            const double w = m_out.suppressed[c] ? 1e-4 : 1 + 4 * rank(c) + m_s.values[c] / m_scale;
            const int up = 2 * j + 1, down = 2 * j + 2;
            glp_set_obj_coef(lp.get(), up, w);
            glp_set_obj_coef(lp.get(), down, w);
            if (c == i) {
                glp_set_col_bnds(lp.get(), up, GLP_FX, std::max(0.0, delta), std::max(0.0, delta));
                glp_set_col_bnds(lp.get(), down, GLP_FX, std::max(0.0, -delta), std::max(0.0, -delta));
            } else if (!m_out.suppressed[c] && !open(c)) { // fixed: known to the attacker
                glp_set_col_bnds(lp.get(), up, GLP_FX, 0.0, 0.0);
                glp_set_col_bnds(lp.get(), down, GLP_FX, 0.0, 0.0);
            } else {
                glp_set_col_bnds(lp.get(), up, GLP_LO, 0.0, 0.0);
                const double v = m_s.values[c];
                if (v > 0) glp_set_col_bnds(lp.get(), down, GLP_DB, 0.0, v);
                else glp_set_col_bnds(lp.get(), down, GLP_FX, 0.0, 0.0);
            }
        }
        std::vector<int> ia{0}, ja{0};
        std::vector<double> ar{0};
        for (std::size_t e : m_near_eqs) {
            std::map<int, double> coef; // near index -> coefficient
            for (std::size_t c : m_s.equations[e].parts)
                if (const auto it = col.find(c); it != col.end()) coef[it->second] += 1;
            if (const auto it = col.find(m_s.equations[e].total); it != col.end()) coef[it->second] -= 1;
            std::erase_if(coef, [](const auto& kv) { return kv.second == 0; });
            if (coef.empty()) continue;
            const int row = glp_add_rows(lp.get(), 1);
            glp_set_row_bnds(lp.get(), row, GLP_FX, 0.0, 0.0);
            for (const auto& [j, a] : coef) {
                ia.push_back(row), ja.push_back(2 * j + 1), ar.push_back(a);
                ia.push_back(row), ja.push_back(2 * j + 2), ar.push_back(-a);
            }
        }
        if (ia.size() > 1) glp_load_matrix(lp.get(), static_cast<int>(ia.size() - 1), ia.data(), ja.data(), ar.data());
        glp_smcp parm;
        glp_init_smcp(&parm);
        parm.msg_lev = GLP_MSG_OFF;
        parm.presolve = GLP_ON;
        if (glp_simplex(lp.get(), &parm) != 0 || glp_get_status(lp.get()) != GLP_OPT) return Cycle::infeasible;
        std::vector<std::size_t> add;
        for (int j = 0; j < nc; ++j) {
            const std::size_t c = m_near[static_cast<std::size_t>(j)];
            if (m_out.suppressed[c]) continue;
            if (glp_get_col_prim(lp.get(), 2 * j + 1) + glp_get_col_prim(lp.get(), 2 * j + 2) > 1e-9 * std::max(1.0, std::fabs(delta))) add.push_back(c);
        }
        std::sort(add.begin(), add.end());
        for (std::size_t c : add) add_cell(c);
        return add.empty() ? Cycle::none_needed : Cycle::added;
    }

    const CountSystem& m_s;
    double m_p;
    Suppression& m_out;
    std::size_t m_n;
    double m_scale; ///< the largest value (>= 1): tolerances and the circulation's costs
    double m_tol;
    std::vector<std::vector<std::size_t>> m_eqs_of, m_cells_of; ///< equations of a cell; cells of an equation (sorted, once each)
    std::vector<std::size_t> m_count;                           ///< suppressed cells per equation
    std::vector<char> m_is_total, m_is_part;
    std::set<std::size_t> m_alone; ///< cells alone (suppressed) in an equation, maybe stale
    std::size_t m_lowest_added = none;
    bool m_any_fixed = false;
    std::vector<std::size_t> m_near, m_near_eqs;
    std::vector<char> m_in_near, m_eq_seen;
};

} // namespace

CountSystem table_system(const std::vector<std::vector<double>>& counts)
{
    const std::size_t R = counts.size();
    const std::size_t C = R ? counts[0].size() : 0;
    for (const auto& row : counts)
        if (row.size() != C) throw ParameterError("table_system: the rows have different lengths");
    CountSystem s;
    s.values.assign(R * C + R + C + 1, 0.0);
    const std::size_t row0 = R * C, col0 = R * C + R, grand = R * C + R + C;
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t c = 0; c < C; ++c) {
            const double v = counts[r][c];
            s.values[r * C + c] = v;
            s.values[row0 + r] += v;
            s.values[col0 + c] += v;
            s.values[grand] += v;
        }
    for (std::size_t r = 0; r < R; ++r) {
        CountSystem::Equation eq{{}, row0 + r};
        for (std::size_t c = 0; c < C; ++c) eq.parts.push_back(r * C + c);
        s.equations.push_back(std::move(eq));
    }
    for (std::size_t c = 0; c < C; ++c) {
        CountSystem::Equation eq{{}, col0 + c};
        for (std::size_t r = 0; r < R; ++r) eq.parts.push_back(r * C + c);
        s.equations.push_back(std::move(eq));
    }
    CountSystem::Equation by_rows{{}, grand}, by_cols{{}, grand};
    for (std::size_t r = 0; r < R; ++r) by_rows.parts.push_back(row0 + r);
    for (std::size_t c = 0; c < C; ++c) by_cols.parts.push_back(col0 + c);
    s.equations.push_back(std::move(by_rows));
    s.equations.push_back(std::move(by_cols));
    return s;
}

CountSystem hierarchy_system(const std::vector<double>& leaves, const std::vector<std::vector<std::size_t>>& groups)
{
    const std::size_t L = leaves.size();
    CountSystem s;
    s.values = leaves;
    for (std::size_t d = 0; d < groups.size(); ++d) {
        double t = 0;
        for (std::size_t i : groups[d]) {
            if (i >= L) throw ParameterError("hierarchy_system: group " + std::to_string(d) + " refers to leaf " + std::to_string(i) + " of " + std::to_string(L));
            t += leaves[i];
        }
        s.values.push_back(t);
        s.equations.push_back({groups[d], L + d});
    }
    return s;
}

CountSystem periods_system(const std::vector<double>& before, const std::vector<double>& after)
{
    if (before.size() != after.size()) throw ParameterError("periods_system: the two periods have different numbers of units");
    const std::size_t n = before.size();
    CountSystem s;
    s.values = before;
    s.values.insert(s.values.end(), after.begin(), after.end());
    for (std::size_t u = 0; u < n; ++u) {
        s.values.push_back(before[u] + after[u]);
        s.equations.push_back({{u, n + u}, 2 * n + u});
    }
    return s;
}

std::vector<Interval> audit(const CountSystem& s, const std::vector<char>& suppressed)
{
    validate(s);
    glp_term_out(GLP_OFF);
    Auditor a(s, suppressed);
    std::vector<Interval> out;
    out.reserve(s.values.size());
    for (std::size_t i = 0; i < s.values.size(); ++i) out.push_back(a.interval(i));
    return out;
}

Suppression suppress(const CountSystem& s, double k, double protection, bool suppress_zero)
{
    validate(s);
    if (!std::isfinite(k) || k <= 0) throw ParameterError("suppress: the threshold k must be a positive number");
    if (!std::isfinite(protection) || protection < 0) throw ParameterError("suppress: the protection level must be >= 0");
    glp_term_out(GLP_OFF);
    Suppression out;
    out.suppressed.assign(s.values.size(), 0);
    for (std::size_t i = 0; i < s.values.size(); ++i) {
        const double v = s.values[i];
        if (((v > 0 && v < k) || (suppress_zero && v == 0)) && (s.fixed.empty() || !s.fixed[i])) {
            out.suppressed[i] = 1;
            ++out.primary;
        }
    }
    Suppressor(s, protection, out).run();
    return out;
}

} // namespace hotmap::privacy
