// SPDX-License-Identifier: MIT
#include "hotmap/report/batch.hpp"

#include "hotmap/pipeline/coverage.hpp"
#include "hotmap/pipeline/density.hpp"
#include "hotmap/pipeline/districts.hpp"
#include "hotmap/pipeline/emerging.hpp"
#include "hotmap/pipeline/site.hpp"
#include "hotmap/report/qml.hpp"
#include "hotmap/report/translate.hpp"
#include "hotmap/text.hpp"
#include "hotmap/timeparse.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>

namespace hotmap::report {
namespace {

template <class T>
const T* result_as(const pipeline::StepResult& s)
{
    if (const auto* p = std::any_cast<std::shared_ptr<const T>>(&s.result)) return p->get();
    return nullptr;
}

std::string text_of(const io::Value& v, const Catalog& cat)
{
    return std::visit(
        [&](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>) return "";
            else if constexpr (std::is_same_v<T, std::int64_t>) return cat.number(static_cast<double>(x), 0);
            else if constexpr (std::is_same_v<T, double>) {
                const double a = std::fabs(x);
                return cat.number(x, a == 0 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 4);
            } else return x;
        },
        v);
}

int field_index(const io::VectorLayer& l, const std::string& name)
{
    for (std::size_t i = 0; i < l.fields.size(); ++i)
        if (l.fields[i].name == name) return static_cast<int>(i);
    return -1;
}

/// A layer without geometry (or any layer) as a table: every field, every row (capped).
Table layer_table(const io::VectorLayer& l, const std::string& title, const Catalog& cat, std::size_t max_rows = 60)
{
    Table t;
    t.title = title;
    for (const io::FieldDef& f : l.fields) {
        t.header.push_back(f.name);
        t.numeric.push_back(f.type == io::FieldType::integer || f.type == io::FieldType::real);
    }
    for (std::size_t r = 0; r < l.rows.size() && r < max_rows; ++r) {
        std::vector<std::string> row;
        for (const io::Value& v : l.rows[r]) row.push_back(text_of(v, cat));
        t.rows.push_back(std::move(row));
    }
    return t;
}

/// The districts' outlines as a base layer of every map (from the districts step, or any
/// district-level layer), drawn without fill.
const io::VectorLayer* district_base(const std::vector<pipeline::StepResult>& steps)
{
    for (const pipeline::StepResult& s : steps)
        if (s.command == "districts")
            for (const pipeline::StepLayer& l : s.layers)
                if (l.layer && l.role == "output") return l.layer;
    for (const pipeline::StepResult& s : steps)
        for (const pipeline::StepLayer& l : s.layers)
            if (l.layer && l.layer->kind == io::GeomKind::polygon && field_index(*l.layer, "district") == 0) return l.layer;
    return nullptr;
}

MapLayer outline(const io::VectorLayer* base)
{
    MapLayer m;
    m.layer = base;
    m.colour = {0, 0, 0, 0};
    m.stroke = {60, 60, 60, 255};
    m.stroke_px = 0.8;
    if (base && field_index(*base, "district") >= 0) m.label_field = "district";
    return m;
}

MapFigure layer_map(const io::VectorLayer& layer, const io::VectorLayer* base, const std::string& title, const std::string& caption,
                    const Catalog& cat)
{
    MapFigure f;
    f.title = title;
    f.caption = caption;
    MapLayer m;
    m.layer = &layer;
    m.fill = feature_colours(layer);
    m.stroke = layer.kind == io::GeomKind::point ? Rgba{40, 40, 40, 255} : Rgba{120, 120, 120, 120};
    m.stroke_px = layer.kind == io::GeomKind::point ? 0.4 : 0.2;
    m.point_px = layer.rows.size() > 500 ? 1.5 : 3.5;
    if (field_index(layer, "district") >= 0) m.title_field = "district";
    const bool is_base = &layer == base;
    if (is_base) {
        m.stroke = {60, 60, 60, 255};
        m.stroke_px = 0.8;
        m.label_field = "district";
    }
    if (base && !is_base && layer.kind != io::GeomKind::polygon) {
        MapLayer b = outline(base);
        b.colour = {245, 245, 240, 255};
        f.layers.push_back(b);
    }
    f.layers.push_back(m);
    if (base && !is_base && layer.kind == io::GeomKind::polygon) f.layers.push_back(outline(base));
    f.legend_title = legend_title(layer);
    f.legend = legend(layer);
    for (LegendItem& i : f.legend) i.label = translate_label(i.label, cat);
    return f;
}

MapFigure raster_map(const io::RasterOut& r, const io::VectorLayer* base, const std::string& title, const std::string& caption,
                     const std::string& units, const Catalog& cat)
{
    MapFigure f;
    f.title = title;
    f.caption = caption;
    std::vector<double> vals;
    vals.reserve(r.values.size());
    for (float v : r.values)
        if (std::isfinite(v) && v > 0 && (!r.nodata || v != *r.nodata)) vals.push_back(v);
    MapRaster mr;
    mr.raster = &r;
    if (!vals.empty()) {
        std::vector<double> b = quantile_breaks(vals, 6);
        const double lo = *std::min_element(vals.begin(), vals.end());
        b.front() = std::min(b.front(), lo);
        mr.breaks = b;
        mr.colours = ramp("YlOrRd", static_cast<int>(b.size()) - 1);
        for (std::size_t i = 0; i + 1 < b.size(); ++i) {
            const int d = b[i + 1] >= 100 ? 0 : b[i + 1] >= 1 ? 1 : 3;
            f.legend.push_back({mr.colours[i], cat.number(b[i], d) + " - " + cat.number(b[i + 1], d)});
        }
    }
    f.legend_title = units;
    f.raster = mr;
    if (base) f.layers.push_back(outline(base));
    // the raster's extent
    Extent e;
    e.xmin = r.grid.x0;
    e.ymin = r.grid.y0;
    e.xmax = r.grid.x0 + static_cast<double>(r.grid.ncol) * r.grid.cell;
    e.ymax = r.grid.y0 + static_cast<double>(r.grid.nrow) * r.grid.cell;
    f.extent = e;
    return f;
}

std::string step_caption(const pipeline::StepResult& s, const Catalog& cat)
{
    std::string c = cat.tr("batch.incidents_used", {cat.number(static_cast<double>(s.incidents), 0)});
    if (!s.filters.empty()) c += " " + cat.tr("batch.filters", {s.filters});
    return c;
}

void districts_blocks(const pipeline::DistrictsResult& r, Section& sec, const Catalog& cat)
{
    const districts::Summary& s = r.summary;
    Table t;
    t.title = cat.tr("batch.districts_table");
    t.header = {cat.tr("batch.col.district"), cat.tr("batch.col.incidents"), cat.tr("batch.col.per_km2"), cat.tr("batch.col.per_1k"),
                cat.tr("batch.col.rank"),     cat.tr("batch.col.trend"),     cat.tr("batch.col.trend_p"), cat.tr("batch.col.change")};
    t.numeric = {false, true, true, true, true, true, true, true};
    std::vector<const districts::DistrictRow*> rows;
    for (const auto& d : s.rows) rows.push_back(&d);
    std::stable_sort(rows.begin(), rows.end(), [](auto* a, auto* b) { return a->per_km2 > b->per_km2; });
    const auto num = [&](double v, int d) { return std::isfinite(v) ? cat.number(v, d) : std::string("–"); };
    for (const auto* d : rows)
        t.rows.push_back({d->name, num(static_cast<double>(d->incidents), 0), num(d->per_km2, 1), num(d->per_1k_pop, 1),
                          std::to_string(d->rank), num(d->trend, 2), num(d->trend_p, 3), num(d->change_pct, 0)});
    t.footer = {cat.tr("batch.total"), num(static_cast<double>(s.total), 0), "", "", "", "", "", ""};
    sec.blocks.push_back(t);
    if (!s.periods.empty()) {
        LineChart c;
        c.title = cat.tr("batch.over_time");
        c.x_labels = s.periods;
        c.y_label = cat.tr("batch.col.incidents");
        // the busiest districts (at most 6) and the others together
        std::vector<std::size_t> order(s.rows.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return s.rows[a].incidents > s.rows[b].incidents; });
        const std::size_t shown = std::min<std::size_t>(6, order.size());
        std::vector<double> others(s.periods.size(), 0);
        for (std::size_t k = 0; k < order.size(); ++k) {
            const auto& d = s.rows[order[k]];
            if (k < shown) {
                Series se;
                se.name = d.name;
                for (auto v : d.by_period) se.y.push_back(static_cast<double>(v));
                c.series.push_back(se);
            } else {
                for (std::size_t p = 0; p < d.by_period.size() && p < others.size(); ++p) others[p] += static_cast<double>(d.by_period[p]);
            }
        }
        if (order.size() > shown) c.series.push_back({cat.tr("batch.other_districts"), others, Rgba{150, 150, 150, 255}});
        sec.blocks.push_back(c);
    }
    if (s.total_hour_of_week.size() == districts::k_hours_of_week) {
        HeatTable h;
        h.title = cat.tr("batch.hour_weekday");
        for (int d = 1; d <= 7; ++d) h.col_labels.push_back(cat.tr("weekday.short." + std::to_string(d)));
        for (int hr = 0; hr < 24; ++hr) {
            h.row_labels.push_back((hr < 10 ? "0" : "") + std::to_string(hr) + ":00");
            std::vector<double> row;
            for (int d = 0; d < 7; ++d) row.push_back(static_cast<double>(s.total_hour_of_week[static_cast<std::size_t>(d * 24 + hr)]));
            h.values.push_back(row);
        }
        sec.blocks.push_back(h);
    }
}

void coverage_blocks(const pipeline::CoverageResult& r, Section& sec, const Catalog& cat)
{
    if (r.districts.empty()) return;
    Table t;
    t.title = cat.tr("batch.coverage_table");
    t.header = {cat.tr("batch.col.district"), cat.tr("batch.col.area_km2"), cat.tr("batch.col.covered_km2"), cat.tr("batch.col.covered_pct"),
                cat.tr("batch.col.incidents"), cat.tr("batch.col.covered_inc"), cat.tr("batch.col.covered_inc_pct")};
    t.numeric = {false, true, true, true, true, true, true};
    const auto num = [&](double v, int d) { return std::isfinite(v) ? cat.number(v, d) : std::string("–"); };
    std::vector<const coverage::DistrictCoverage*> rows;
    for (const auto& d : r.districts) rows.push_back(&d);
    std::stable_sort(rows.begin(), rows.end(), [](auto* a, auto* b) {
        const double x = std::isfinite(a->covered_inc_pct) ? a->covered_inc_pct : 1e9, y = std::isfinite(b->covered_inc_pct) ? b->covered_inc_pct : 1e9;
        return x < y;
    });
    for (const auto* d : rows)
        t.rows.push_back({d->district, num(d->area_km2, 2), num(d->covered_km2, 2), num(d->covered_pct, 1), num(static_cast<double>(d->incidents), 0),
                          num(static_cast<double>(d->covered_inc), 0), num(d->covered_inc_pct, 1)});
    const double n = static_cast<double>(r.n_incidents);
    t.footer = {cat.tr("batch.total"), "", "", "", num(n, 0), num(static_cast<double>(r.incidents.n_covered), 0),
                num(n > 0 ? 100.0 * static_cast<double>(r.incidents.n_covered) / n : std::nan(""), 1)};
    sec.blocks.push_back(t);
}

void site_blocks(const pipeline::SiteResult& r, Section& sec, const Catalog& cat)
{
    sec.blocks.push_back(Paragraph{r.summary, true});
    sec.blocks.push_back(layer_table(r.sites, cat.tr("batch.sites_table"), cat));
    LineChart c;
    c.title = cat.tr("batch.curve");
    c.x_label = cat.tr("batch.new_sites");
    c.y_label = cat.tr("batch.col.covered_inc_pct");
    Series se;
    se.name = cat.tr("batch.col.covered_inc_pct");
    c.x_labels.push_back("0");
    se.y.push_back(r.incidents_weight > 0 ? 100.0 * r.solution.base_covered / r.incidents_weight : 0);
    for (std::size_t k = 0; k < r.solution.covered.size(); ++k) {
        c.x_labels.push_back(std::to_string(k + 1));
        se.y.push_back(r.incidents_weight > 0 ? 100.0 * r.solution.covered[k] / r.incidents_weight : 0);
    }
    c.series.push_back(se);
    c.y_from_zero = true;
    sec.blocks.push_back(c);
}

void emerging_blocks(const pipeline::EmergingResult& r, Section& sec, const Catalog& cat)
{
    Table t;
    t.title = cat.tr("batch.patterns_table");
    t.header = {cat.tr("batch.col.pattern"), cat.tr("batch.col.locations")};
    t.numeric = {false, true};
    // CATEGORY -8..8 at positions 0..16; 0 = no pattern last
    for (int c = 8; c >= -8; --c) {
        if (c == 0) continue;
        const std::size_t n = r.patterns[static_cast<std::size_t>(c + 8)];
        if (!n) continue;
        t.rows.push_back({cat.tr("pattern." + std::to_string(c)), cat.number(static_cast<double>(n), 0)});
    }
    t.rows.push_back({cat.tr("pattern.0"), cat.number(static_cast<double>(r.patterns[8]), 0)});
    t.footer = {cat.tr("batch.total"), cat.number(static_cast<double>(r.locations), 0)};
    sec.blocks.push_back(t);
}

/// Counts per value of a class field (Gi_Bin, COType, change_bin) from the layer's legend.
void class_counts(const io::VectorLayer& l, Section& sec, const Catalog& cat)
{
    const std::vector<Rgba> colours = feature_colours(l);
    const std::vector<LegendItem> items = legend(l);
    std::vector<LegendItem> items_tr = items;
    if (items.empty() || colours.size() != l.rows.size()) return;
    std::vector<std::size_t> n(items.size(), 0);
    for (const Rgba& c : colours)
        for (std::size_t i = 0; i < items.size(); ++i)
            if (items[i].colour == c) {
                ++n[i];
                break;
            }
    Table t;
    t.title = cat.tr("batch.class_counts");
    t.header = {legend_title(l), cat.tr("batch.col.units")};
    for (LegendItem& i : items_tr) i.label = translate_label(i.label, cat);
    t.numeric = {false, true};
    for (std::size_t i = 0; i < items.size(); ++i) t.rows.push_back({items_tr[i].label, cat.number(static_cast<double>(n[i]), 0)});
    sec.blocks.push_back(t);
}

/// A map's caption: the layer's abstract (what it holds, its parameters), else its metadata
/// when that is short.
std::string caption_of(const io::VectorLayer& l)
{
    if (!l.abstract.empty()) return l.abstract;
    return l.metadata.size() <= 300 ? l.metadata : std::string();
}

std::string anchor(const std::string& id)
{
    std::string a;
    for (char c : id) a.push_back(c == '_' ? '-' : c);
    return a;
}

Section step_section(const pipeline::StepResult& s, const io::VectorLayer* base, const Catalog& cat, const std::string& id_prefix = {})
{
    Section sec;
    sec.id = anchor(id_prefix + s.id);
    sec.title = s.title;
    const bool streets = std::any_of(s.options.begin(), s.options.end(), [](const auto& kv) { return kv.first == "streets"; });
    const std::string cmd_key = "batch.about." + s.command + (streets && (s.command == "coverage" || s.command == "density" || s.command == "site") ? ".streets" : "");
    sec.blocks.push_back(Paragraph{cat.tr(cmd_key) + " " + step_caption(s, cat), false});
    for (const pipeline::StepLayer& l : s.layers) {
        if (l.raster) {
            sec.blocks.push_back(raster_map(*l.raster, base, s.title, l.raster->description, translate_label(l.raster->description, cat), cat));
        } else if (l.layer && l.layer->kind != io::GeomKind::none && l.role != "cube" && l.role != "incident-output") {
            sec.blocks.push_back(layer_map(*l.layer, base, layer_title(s, l, cat), caption_of(*l.layer), cat));
        }
    }
    // with --min-count the summary's counts are the unsuppressed ones: the report shows only
    // the published layer (its map), never them
    const bool public_profile = std::any_of(s.options.begin(), s.options.end(), [](const auto& kv) { return kv.first == "public" && kv.second == "yes"; });
    const bool min_count = public_profile || std::any_of(s.options.begin(), s.options.end(), [](const auto& kv) {
        return kv.first == "min-count" && kv.second != "0" && kv.second != "1";
    });
    if (public_profile) sec.blocks.push_back(Paragraph{cat.tr("batch.public_note"), true});
    if (min_count) sec.blocks.push_back(Paragraph{cat.tr("batch.suppressed_note"), true});
    if (const auto* r = result_as<pipeline::DistrictsResult>(s); r && !min_count) districts_blocks(*r, sec, cat);
    else if (const auto* c = result_as<pipeline::CoverageResult>(s)) coverage_blocks(*c, sec, cat);
    else if (const auto* p = result_as<pipeline::SiteResult>(s)) site_blocks(*p, sec, cat);
    else if (const auto* e = result_as<pipeline::EmergingResult>(s)) emerging_blocks(*e, sec, cat);
    else if (s.command == "hotspots" || s.command == "change") {
        for (const pipeline::StepLayer& l : s.layers)
            if (l.layer && l.role == "output") class_counts(*l.layer, sec, cat);
    }
    for (const pipeline::StepLayer& l : s.layers)
        if (l.layer && l.layer->kind == io::GeomKind::none && s.command != "site") sec.blocks.push_back(layer_table(*l.layer, s.title, cat));
    return sec;
}

} // namespace

std::string layer_title(const pipeline::StepResult& s, const pipeline::StepLayer& l, const Catalog& cat)
{
    if (l.role == "output") return s.title;
    return s.title + " — " + cat.tr("role." + l.role);
}

std::string layer_group(const std::string& command, const std::string& role)
{
    if (command == "districts") return "districts";
    if (command == "hotspots") return "hotspots";
    if (command == "density" || command == "grid") return "density";
    if (command == "coverage") return "coverage";
    if (command == "site") return role == "district-output" ? "coverage" : "sites";
    if (command == "emerging") return "emerging";
    if (command == "change" || command == "evaluate") return "change";
    return "other";
}

Document batch_document(const pipeline::Inputs& in, const std::vector<pipeline::StepResult>& steps, const BatchInfo& info,
                        const Catalog& cat, const std::vector<PeriodSteps>& periods)
{
    Document doc;
    doc.lang = cat.lang();
    doc.title = info.title.empty() ? cat.tr("report.title") : info.title;
    doc.subtitle = info.subtitle;
    if (const auto tr = in.incidents.time_range())
        doc.subtitle += (doc.subtitle.empty() ? "" : " · ") +
                        cat.tr("batch.time_range", {timeparse::format(tr->first).substr(0, 10), timeparse::format(tr->second).substr(0, 10)});
    doc.generated = info.generated;
    const io::VectorLayer* base = district_base(steps);

    // summary: what was analysed, and one line per step
    Section sum;
    sum.id = "summary";
    sum.title = cat.tr("batch.summary");
    const Accounting& a = in.incidents.accounting;
    sum.blocks.push_back(Paragraph{cat.tr("batch.summary_text", {cat.number(static_cast<double>(a.accepted), 0), cat.number(static_cast<double>(a.read), 0),
                                                                  cat.number(static_cast<double>(in.districts.size()), 0), in.working.id()}),
                                   false});
    KeyValues kv;
    kv.title = cat.tr("batch.steps");
    for (const pipeline::StepResult& s : steps) kv.items.emplace_back(s.title, step_caption(s, cat));
    sum.blocks.push_back(kv);
    doc.sections.push_back(sum);

    // steps in the report's order of groups
    static const char* groups[] = {"districts", "hotspots", "density", "coverage", "sites", "emerging", "change", "other"};
    for (const char* g : groups)
        for (const pipeline::StepResult& s : steps)
            if (layer_group(s.command, "output") == g) doc.sections.push_back(step_section(s, base, cat));

    // --each: a section per period, then the comparison
    if (!periods.empty()) {
        Section cmp;
        cmp.id = "periods";
        cmp.title = cat.tr("batch.periods");
        Table t;
        t.title = cat.tr("batch.periods_table");
        t.header = {cat.tr("batch.col.period"), cat.tr("batch.col.incidents")};
        t.numeric = {false, true};
        // districts x periods when a districts step ran
        std::vector<std::string> dnames;
        for (const PeriodSteps& p : periods)
            for (const pipeline::StepResult& s : p.steps)
                if (const auto* r = result_as<pipeline::DistrictsResult>(s); r && dnames.empty())
                    for (const auto& d : r->summary.rows) dnames.push_back(d.name);
        for (const std::string& d : dnames) {
            t.header.push_back(d);
            t.numeric.push_back(true);
        }
        LineChart c;
        c.title = cat.tr("batch.periods_chart");
        Series total{cat.tr("batch.col.incidents"), {}, std::nullopt};
        for (const PeriodSteps& p : periods) {
            std::vector<std::string> row{p.label};
            std::size_t n = p.steps.empty() ? 0 : p.steps.front().incidents;
            row.push_back(cat.number(static_cast<double>(n), 0));
            for (const pipeline::StepResult& s : p.steps)
                if (const auto* r = result_as<pipeline::DistrictsResult>(s))
                    for (const auto& d : r->summary.rows) row.push_back(cat.number(static_cast<double>(d.incidents), 0));
            row.resize(t.header.size());
            t.rows.push_back(row);
            c.x_labels.push_back(p.label);
            total.y.push_back(static_cast<double>(n));
        }
        c.series.push_back(total);
        cmp.blocks.push_back(c);
        cmp.blocks.push_back(t);
        doc.sections.push_back(cmp);
        for (const PeriodSteps& p : periods) {
            Section ps;
            ps.id = "period-" + anchor(pipeline::step_id(p.label));
            ps.title = cat.tr("batch.period", {p.label});
            for (const pipeline::StepResult& s : p.steps) {
                Section one = step_section(s, base, cat, pipeline::step_id(p.label) + "_");
                for (Block& b : one.blocks) ps.blocks.push_back(std::move(b));
            }
            doc.sections.push_back(std::move(ps));
        }
    }

    // the parameters and the row accounting
    Section par;
    par.id = "parameters";
    par.title = cat.tr("batch.parameters");
    for (const pipeline::StepResult& s : steps) {
        KeyValues k;
        k.title = s.title + " [" + s.id + "]";
        k.items.emplace_back(cat.tr("batch.command"), "hotmap " + s.command);
        for (const auto& [key, v] : s.options) k.items.emplace_back(key, v);
        for (const std::string& line : s.log) k.items.emplace_back(cat.tr("batch.log"), line);
        par.blocks.push_back(k);
    }
    doc.sections.push_back(par);

    Section acc;
    acc.id = "accounting";
    acc.title = cat.tr("batch.accounting");
    KeyValues ak;
    ak.title = in.incidents.source;
    ak.items.emplace_back(cat.tr("acct.read"), cat.number(static_cast<double>(a.read), 0));
    ak.items.emplace_back(cat.tr("acct.accepted"), cat.number(static_cast<double>(a.accepted), 0));
    ak.items.emplace_back(cat.tr("acct.filtered"), cat.number(static_cast<double>(a.filtered), 0));
    for (const auto& [k, v] : a.filtered_by) ak.items.emplace_back("  " + k, cat.number(static_cast<double>(v), 0));
    ak.items.emplace_back(cat.tr("acct.rejected"), cat.number(static_cast<double>(a.rejected), 0));
    for (const auto& [k, v] : a.rejected_by) ak.items.emplace_back("  " + k, cat.number(static_cast<double>(v), 0));
    ak.items.emplace_back(cat.tr("batch.working_crs"), in.working.id() + " (" + in.working.name() + ")");
    acc.blocks.push_back(ak);
    doc.sections.push_back(acc);
    return doc;
}

ProjectSpec batch_project(const pipeline::Inputs& in, const std::vector<pipeline::StepResult>& steps, const BatchInfo& info,
                          const Catalog& cat)
{
    ProjectSpec p;
    p.title = info.title.empty() ? cat.tr("report.title") : info.title;
    p.crs = in.working;
    p.extent = in.study_extent();
    // points above polygons above rasters: the proposed sites first, then the areas
    static const char* groups[] = {"districts", "sites", "hotspots", "density", "coverage", "emerging", "change", "other"};
    const io::VectorLayer* base = district_base(steps);
    std::string base_title;
    // a point layer's layout shows its step's first polygon layer under it (sites over the
    // coverage per district, incidents over the coverage)
    std::map<std::string, std::string> context;
    for (const pipeline::StepResult& s : steps) {
        std::string poly;
        for (const pipeline::StepLayer& l : s.layers)
            if (l.layer && l.layer->kind == io::GeomKind::polygon && l.role != "cube") {
                poly = layer_title(s, l, cat);
                break;
            }
        for (const pipeline::StepLayer& l : s.layers)
            if (l.layer && l.layer->kind == io::GeomKind::point && !poly.empty()) context[layer_title(s, l, cat)] = poly;
    }
    for (const char* g : groups) {
        ProjectGroup pg;
        pg.name = cat.tr(std::string("group.") + g);
        for (const pipeline::StepResult& s : steps)
            for (const pipeline::StepLayer& l : s.layers) {
                if (layer_group(s.command, l.role) != g) continue;
                ProjectLayer pl;
                pl.source = info.gpkg;
                pl.layer_name = l.name;
                pl.title = layer_title(s, l, cat);
                if (l.raster) {
                    pl.raster = true;
                    pl.qml = translate_qml_labels(raster_qml(*l.raster, l.raster->description), cat);
                    pl.abstract = l.raster->description + (s.filters.empty() ? "" : "; " + s.filters);
                    pl.visible = false;
                } else {
                    const io::VectorLayer& v = *l.layer;
                    pl.geometry = v.kind == io::GeomKind::point ? "Point" : v.kind == io::GeomKind::line ? "Line" : v.kind == io::GeomKind::polygon ? "Polygon" : "";
                    pl.qml = l.qml.empty() ? v.qml : l.qml;
                    pl.abstract = v.metadata + (s.filters.empty() ? "" : "; " + s.filters);
                    pl.feature_count = v.size();
                    if (l.layer == base) {
                        pl.label_field = "district";
                        base_title = pl.title;
                    }
                    // the project opens on the districts (with their names) and the proposed sites;
                    // the other layers are a tick away
                    pl.visible = l.layer == base || (std::string(g) == "sites" && pg.layers.empty());
                }
                pg.layers.push_back(pl);
            }
        // in drawing order: points, lines, polygons, rasters, tables
        const auto rank = [](const ProjectLayer& l) {
            return l.raster ? 3 : l.geometry == "Point" ? 0 : l.geometry == "Line" ? 1 : l.geometry == "Polygon" ? 2 : 4;
        };
        std::stable_sort(pg.layers.begin(), pg.layers.end(), [&](const ProjectLayer& a, const ProjectLayer& b) { return rank(a) < rank(b); });
        if (!pg.layers.empty()) p.groups.push_back(std::move(pg));
    }
    // the district boundaries, unfilled and labelled, over every map
    std::string outline_title;
    if (base && !p.groups.empty()) {
        for (ProjectGroup& g : p.groups)
            for (const ProjectLayer& l : g.layers)
                if (l.title == base_title) {
                    ProjectLayer o = l;
                    o.title = cat.tr("batch.boundaries");
                    o.qml = with_labels(single_qml(io::GeomKind::polygon, {0, 0, 0, 0}, 0.5, cat.tr("batch.boundaries")), "district");
                    o.label_field.clear();
                    o.visible = true;
                    outline_title = o.title;
                    g.layers.insert(g.layers.begin(), o);
                    break;
                }
    }
    for (const ProjectGroup& g : p.groups)
        for (const ProjectLayer& l : g.layers) {
            if (l.title == outline_title) continue;
            if (l.geometry.empty() && !l.raster) continue; // tables
            if (l.layer_name.find("_cube") != std::string::npos) continue;
            PrintLayout lay;
            lay.name = l.layer_name;
            lay.title = l.title;
            if (!outline_title.empty() && l.title != base_title) lay.layers.push_back(outline_title);
            lay.layers.push_back(l.title);
            if (const auto c = context.find(l.title); c != context.end()) lay.layers.push_back(c->second);
            lay.source_text = cat.tr("batch.layout_source", {info.version, in.working.id()});
            p.layouts.push_back(lay);
        }
    return p;
}

} // namespace hotmap::report
