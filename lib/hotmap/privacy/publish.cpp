// SPDX-License-Identifier: MIT
#include "hotmap/privacy/publish.hpp"

#include "hotmap/error.hpp"
#include "hotmap/privacy/suppression.hpp"
#include "hotmap/report/qml.hpp"

#include <cmath>
#include <limits>
#include <map>

namespace hotmap::privacy {
namespace {

constexpr std::size_t k_none = std::numeric_limits<std::size_t>::max();

int field_of(const io::VectorLayer& l, const std::string& name)
{
    for (std::size_t i = 0; i < l.fields.size(); ++i)
        if (l.fields[i].name == name) return static_cast<int>(i);
    return -1;
}

double num(const io::Value& v)
{
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&v)) return *d;
    return 0; // a null count (no value) counts as 0
}

/// The layer's counts as a CountSystem, each cell remembering its feature and field (totals
/// that the layer does not hold: k_none).
struct Builder {
    CountSystem s;
    std::vector<std::pair<std::size_t, int>> where;

    /// A cell of the layer (row, field), or with row k_none a total published elsewhere (fixed).
    std::size_t cell(double v, std::size_t row, int field)
    {
        s.values.push_back(v);
        s.fixed.push_back(row == k_none ? 1 : 0);
        where.emplace_back(row, field);
        return s.values.size() - 1;
    }
    /// sum(parts) == total, added only when it holds (an incident without a category or a time
    /// is in the total but in no part: that family then does not add up, and adds no equation)
    void equation(const std::vector<std::size_t>& parts, std::size_t total)
    {
        if (parts.empty()) return;
        double sum = 0;
        for (std::size_t p : parts) sum += s.values[p];
        if (std::fabs(sum - s.values[total]) > 1e-6 * std::max(1.0, std::fabs(sum))) return;
        s.equations.push_back({parts, total});
    }
    /// A total of `parts` published elsewhere (a column total, a district's total beside its
    /// cells): known to the attacker, whatever its size (the cautious side).
    void column_total(const std::vector<std::size_t>& parts)
    {
        if (parts.size() < 2) return;
        double sum = 0;
        for (std::size_t p : parts) sum += s.values[p];
        equation(parts, cell(sum, k_none, -1));
    }
    /// A total that is published only where it is at least k (a unit's total over both
    /// windows, by a districts layer or a grid over the same span, itself under --min-count):
    /// known when >= k, else it adds no equation.
    void total_if_published(const std::vector<std::size_t>& parts)
    {
        double sum = 0;
        for (std::size_t p : parts) sum += s.values[p];
        if (sum >= k) equation(parts, cell(sum, k_none, -1));
    }
    double k = 0;
};

std::vector<int> family(const io::VectorLayer& l, const std::string& prefix)
{
    std::vector<int> f;
    for (std::size_t i = 0; i < l.fields.size(); ++i)
        if (l.fields[i].name.rfind(prefix, 0) == 0 && l.fields[i].type == io::FieldType::integer) f.push_back(static_cast<int>(i));
    return f;
}

int need(const io::VectorLayer& l, const std::string& name)
{
    const int f = field_of(l, name);
    if (f < 0) throw ParameterError("--min-count: layer '" + l.name + "' has no field '" + name + "'");
    return f;
}

/// Rows x `fields` cells under row totals `total[r]`, with a column total per field; returns the
/// cells per field, one per row.
std::vector<std::vector<std::size_t>> add_family(Builder& b, const io::VectorLayer& l, const std::vector<int>& fields,
                                                 const std::vector<std::size_t>& total)
{
    std::vector<std::vector<std::size_t>> columns(fields.size());
    if (fields.empty()) return columns;
    for (std::size_t r = 0; r < l.rows.size(); ++r) {
        std::vector<std::size_t> parts;
        for (std::size_t j = 0; j < fields.size(); ++j) {
            const std::size_t c = b.cell(num(l.rows[r][static_cast<std::size_t>(fields[j])]), r, fields[j]);
            parts.push_back(c);
            columns[j].push_back(c);
        }
        if (!total.empty()) b.equation(parts, total[r]);
    }
    for (const auto& col : columns) b.column_total(col);
    return columns;
}

} // namespace

std::size_t withhold_fields(io::VectorLayer& layer, const std::vector<std::string>& names)
{
    std::size_t n = 0;
    for (const std::string& name : names) {
        const int f = field_of(layer, name);
        if (f < 0) continue;
        ++n;
        for (auto& row : layer.rows)
            if (static_cast<std::size_t>(f) < row.size()) row[static_cast<std::size_t>(f)] = std::monostate{};
    }
    return n;
}

std::string suppressed_label(unsigned k) { return "suppressed (1 to " + std::to_string(k - 1) + " incidents, or protecting one)"; }

PublishReport suppress_layer(io::VectorLayer& layer, LayerKind kind, unsigned k)
{
    PublishReport rep;
    if (k < 2 || layer.rows.empty()) return rep;
    Builder b;
    b.k = static_cast<double>(k);
    std::vector<std::size_t> totals;
    std::vector<int> derived_of_total, derived_of_period;
    std::vector<int> periods;
    switch (kind) {
    case LayerKind::districts: {
        const int t = need(layer, "incidents");
        for (std::size_t r = 0; r < layer.rows.size(); ++r) totals.push_back(b.cell(num(layer.rows[r][static_cast<std::size_t>(t)]), r, t));
        b.column_total(totals);
        periods = family(layer, "p_");
        for (const char* prefix : {"c_", "p_", "h_", "m_"}) add_family(b, layer, family(layer, prefix), totals);
        for (const char* f : {"weight", "per_km2", "per_1k_pop", "share_pct", "rank"})
            if (const int i = field_of(layer, f); i >= 0) derived_of_total.push_back(i);
        for (const char* f : {"trend", "trend_p", "change_pct"})
            if (const int i = field_of(layer, f); i >= 0) derived_of_period.push_back(i);
        break;
    }
    case LayerKind::grid:
    case LayerKind::counts: {
        const int t = need(layer, "count");
        for (std::size_t r = 0; r < layer.rows.size(); ++r) totals.push_back(b.cell(num(layer.rows[r][static_cast<std::size_t>(t)]), r, t));
        b.column_total(totals);
        const auto per_category = add_family(b, layer, family(layer, "c_"), totals);
        // the cells of a district add up to the district's totals published beside them (its
        // count and its count per category: the districts layer). Cells belong to the district
        // of their centre, so the grid's sums are not exactly the district's figures; taking
        // them as published is the cautious side (more equations for the attacker).
        if (const int d = field_of(layer, "district"); d >= 0 && kind == LayerKind::grid) {
            std::map<std::string, std::vector<std::size_t>> by; // district -> rows
            for (std::size_t r = 0; r < layer.rows.size(); ++r)
                if (const auto* s = std::get_if<std::string>(&layer.rows[r][static_cast<std::size_t>(d)]); s && !s->empty())
                    by[*s].push_back(r);
            for (const auto& [name, rows] : by) {
                std::vector<std::size_t> cells;
                for (std::size_t r : rows) cells.push_back(totals[r]);
                b.column_total(cells);
                for (const auto& column : per_category) {
                    cells.clear();
                    for (std::size_t r : rows) cells.push_back(column[r]);
                    b.column_total(cells);
                }
            }
        }
        if (const int i = field_of(layer, "weight"); i >= 0) derived_of_total.push_back(i);
        break;
    }
    case LayerKind::coverage: {
        // the counts overlap (an incident covered by a lamp and a post is in both), so a row
        // adds no equation: each column has its published total
        std::vector<int> fields{need(layer, "incidents")};
        if (const int c = field_of(layer, "covered_inc"); c >= 0) fields.push_back(c);
        for (int f : family(layer, "covered_inc_")) fields.push_back(f);
        for (int f : fields) {
            std::vector<std::size_t> col;
            for (std::size_t r = 0; r < layer.rows.size(); ++r) col.push_back(b.cell(num(layer.rows[r][static_cast<std::size_t>(f)]), r, f));
            if (f == fields.front()) totals = col;
            b.column_total(col);
        }
        periods = fields; // covered_inc_pct goes with any of them
        if (const int i = field_of(layer, "covered_inc_pct"); i >= 0) derived_of_period.push_back(i);
        break;
    }
    case LayerKind::change: {
        const int nb = need(layer, "n_before"), na = need(layer, "n_after");
        std::vector<std::size_t> before, after;
        for (std::size_t r = 0; r < layer.rows.size(); ++r) {
            const std::size_t x = b.cell(num(layer.rows[r][static_cast<std::size_t>(nb)]), r, nb);
            const std::size_t y = b.cell(num(layer.rows[r][static_cast<std::size_t>(na)]), r, na);
            before.push_back(x);
            after.push_back(y);
            // the unit's total over both windows may be published (a districts layer or a grid
            // over the same span): the two periods against their sum
            b.total_if_published({x, y});
        }
        b.column_total(before);
        b.column_total(after);
        periods = {nb, na};
        for (const char* f : {"diff", "ratio", "p_change", "change_bin"})
            if (const int i = field_of(layer, f); i >= 0) derived_of_period.push_back(i);
        break;
    }
    }
    const Suppression sup = suppress(b.s, static_cast<double>(k));
    rep.primary = sup.primary;
    rep.complementary = sup.complementary;
    rep.unprotected = sup.unprotected;
    std::vector<char> row_hit(layer.rows.size(), 0), row_total(layer.rows.size(), 0), row_period(layer.rows.size(), 0);
    for (std::size_t c = 0; c < sup.suppressed.size(); ++c) {
        if (!sup.suppressed[c]) continue;
        const auto [r, f] = b.where[c];
        if (r == k_none) continue; // a total the layer does not hold
        layer.rows[r][static_cast<std::size_t>(f)] = std::monostate{};
        row_hit[r] = 1;
        if (!totals.empty() && totals[r] == c) row_total[r] = 1;
        for (int p : periods)
            if (p == f) row_period[r] = 1;
    }
    const std::size_t flag = layer.add_field("suppressed", io::FieldType::integer);
    for (std::size_t r = 0; r < layer.rows.size(); ++r) {
        if (row_total[r])
            for (int f : derived_of_total) layer.rows[r][static_cast<std::size_t>(f)] = std::monostate{};
        if (row_period[r] || (kind == LayerKind::change && row_hit[r]))
            for (int f : derived_of_period) layer.rows[r][static_cast<std::size_t>(f)] = std::monostate{};
        layer.rows[r].resize(flag + 1);
        layer.rows[r][flag] = std::int64_t{row_hit[r]};
        rep.features += row_hit[r];
    }
    rep.text = "--min-count " + std::to_string(k) + ": " + std::to_string(rep.primary) + " count(s) of 1 to " + std::to_string(k - 1) +
               " suppressed, " + std::to_string(rep.complementary) + " more so that none can be recovered from the totals; " +
               std::to_string(rep.features) + " feature(s) flagged `suppressed`" +
               (rep.unprotected ? "; " + std::to_string(rep.unprotected) +
                                      " suppressed count(s) can still be worked out from totals this layer cannot hide (the map's or "
                                      "the districts' totals): publish the districts with --min-count too"
                                : std::string());
    layer.abstract += (layer.abstract.empty() ? "" : " ") + std::string("Disclosure control: ") + rep.text + ".";
    // suppressed features stay on the map, grey, instead of falling out of every class (when
    // the style classifies a field that suppression nulled)
    const int styled = field_of(layer, report::parse_qml(layer.qml).field);
    bool nulled = false;
    for (std::size_t r = 0; r < layer.rows.size() && styled >= 0 && !nulled; ++r)
        nulled = row_hit[r] && std::holds_alternative<std::monostate>(layer.rows[r][static_cast<std::size_t>(styled)]);
    if (nulled) layer.qml = report::with_suppressed_class(layer.qml, layer.kind, suppressed_label(k));
    return rep;
}

} // namespace hotmap::privacy
