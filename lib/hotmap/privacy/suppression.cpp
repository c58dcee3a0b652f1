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
    Auditor(const CountSystem& s, const std::vector<char>& suppressed) : m_s(s), m_col(s.values.size(), 0)
    {
        if (suppressed.size() != s.values.size())
            throw ParameterError("suppression: the suppression mask has " + std::to_string(suppressed.size()) + " cells, the system " +
                                 std::to_string(s.values.size()));
        const double tol = 1e-7 * scale_of(s);
        int ncol = 0;
        for (std::size_t i = 0; i < suppressed.size(); ++i)
            if (suppressed[i]) m_col[i] = ++ncol;
        glp_prob* lp = m_lp.get();
        glp_set_obj_dir(lp, GLP_MIN);
        if (ncol > 0) glp_add_cols(lp, ncol);
        for (int c = 1; c <= ncol; ++c) glp_set_col_bnds(lp, c, GLP_LO, 0.0, 0.0);
        std::vector<int> ia{0}, ja{0};
        std::vector<double> ar{0};
        int row = 0;
        for (std::size_t e = 0; e < s.equations.size(); ++e) {
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
        m_parm.presolve = GLP_ON;
    }

    /// The interval of cell i (published: its value).
    Interval interval(std::size_t i)
    {
        const int c = m_col[i];
        if (!c) return {m_s.values[i], m_s.values[i]};
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
    const std::size_t n = s.values.size();
    const double tol = 1e-7 * scale_of(s);

    Suppression out;
    out.suppressed.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const double v = s.values[i];
        if ((v > 0 && v < k) || (suppress_zero && v == 0)) {
            out.suppressed[i] = 1;
            ++out.primary;
        }
    }

    // rank: 0 = total of no equation, 1 = a total that is also a part, 2 = a total of nothing
    std::vector<char> is_total(n, 0), is_part(n, 0);
    std::vector<std::vector<std::size_t>> eqs_of(n); // equations each cell appears in
    for (std::size_t e = 0; e < s.equations.size(); ++e) {
        const auto& eq = s.equations[e];
        is_total[eq.total] = 1;
        eqs_of[eq.total].push_back(e);
        for (std::size_t c : eq.parts) {
            is_part[c] = 1;
            if (eqs_of[c].empty() || eqs_of[c].back() != e) eqs_of[c].push_back(e);
        }
    }
    const auto rank = [&](std::size_t c) { return !is_total[c] ? 0 : (is_part[c] ? 1 : 2); };
    const auto better = [&](std::size_t a, std::size_t b) {
        return std::make_tuple(rank(a), s.values[a], a) < std::make_tuple(rank(b), s.values[b], b);
    };
    constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
    /// The best published cell of the equations listed, or none.
    const auto pick = [&](const std::vector<std::size_t>& eqs) {
        std::size_t best = none;
        const auto consider = [&](std::size_t c) {
            if (!out.suppressed[c] && (best == none || better(c, best))) best = c;
        };
        for (std::size_t e : eqs) {
            for (std::size_t c : s.equations[e].parts) consider(c);
            consider(s.equations[e].total);
        }
        return best;
    };
    const auto exposed = [&](std::size_t i, const Interval& iv) {
        const double v = s.values[i];
        if (iv.hi - iv.lo <= tol) return true;
        return iv.lo > std::max(0.0, v - protection) + tol || iv.hi < v + protection - tol;
    };

    for (;;) {
        // 1. a cell alone (suppressed) in an equation is determined
        std::size_t alone = none;
        std::vector<std::size_t> alone_eqs;
        for (std::size_t e = 0; e < s.equations.size(); ++e) {
            const auto& eq = s.equations[e];
            std::size_t only = none, count = 0;
            const auto see = [&](std::size_t c) {
                if (out.suppressed[c] && c != only) {
                    ++count;
                    only = c;
                }
            };
            see(eq.total);
            for (std::size_t c : eq.parts) see(c);
            if (count != 1) continue;
            if (alone == none || only < alone) {
                alone = only;
                alone_eqs.clear();
            }
            if (only == alone) alone_eqs.push_back(e);
        }
        std::size_t add = none;
        if (alone != none) {
            add = pick(alone_eqs);
        } else {
            // 2. the first cell the audit finds exposed
            Auditor a(s, out.suppressed);
            std::size_t first = none;
            for (std::size_t i = 0; i < n && first == none; ++i)
                if (out.suppressed[i] && exposed(i, a.interval(i))) first = i;
            if (first == none) break; // every suppressed cell is protected
            add = pick(eqs_of[first]);
        }
        if (add == none) { // everything around is suppressed already: the best published cell anywhere
            for (std::size_t c = 0; c < n; ++c)
                if (!out.suppressed[c] && (add == none || better(c, add))) add = c;
        }
        if (add == none) break; // every cell is suppressed
        out.suppressed[add] = 1;
        ++out.complementary;
    }
    return out;
}

} // namespace hotmap::privacy
