// SPDX-License-Identifier: MIT
// A sample report Document for the HTML tests and the headless-browser check, and a demo of
// how a report is put together: a 3 x 3 grid of 1 km districts near Kalemie (UTM 35S) with a
// density raster, facilities, tables, charts and an hour x weekday heat table. Texts come from
// the catalogue, so the same builder makes the English and the French page.
#pragma once

#include "hotmap/io/raster.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/report/document.hpp"
#include "hotmap/report/i18n.hpp"

#include <ogr_geometry.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace hotmap::test {

/// WKB of an axis-aligned rectangle (x0, y0)-(x1, y1), counter-clockwise from the south-west.
inline std::string rect_wkb(double x0, double y0, double x1, double y1)
{
    OGRLinearRing ring;
    ring.addPoint(x0, y0);
    ring.addPoint(x1, y0);
    ring.addPoint(x1, y1);
    ring.addPoint(x0, y1);
    ring.addPoint(x0, y0);
    OGRPolygon poly;
    poly.addRing(&ring);
    std::string w(static_cast<std::size_t>(poly.WkbSize()), '\0');
    poly.exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(w.data()));
    return w;
}

inline std::string point_wkb(double x, double y)
{
    OGRPoint p(x, y);
    std::string w(static_cast<std::size_t>(p.WkbSize()), '\0');
    p.exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(w.data()));
    return w;
}

/// The data a sample Document points to (MapLayer/MapRaster do not own theirs).
struct SampleReport {
    io::VectorLayer districts, facilities;
    io::RasterOut density;
    report::Document doc;
};

/// Build the sample in `lang` ("en" or "fr").
inline std::unique_ptr<SampleReport> sample_report(const std::string& lang)
{
    using namespace hotmap::report;
    const Catalog cat(lang);
    auto s = std::make_unique<SampleReport>();
    const double X0 = 500000, Y0 = 9340000, KM = 1000;
    const char* names[9] = {"Kataki", "Lac", "Mwimbi", "Kitali", "Centre", "Kahite", "Gare & Port", "Lukuga", "Kituku"};
    const int incidents[9] = {2, 6, 2, 4, 5, 4, 6, 4, 3}; // rows from the south
    s->districts.name = "districts";
    s->districts.kind = io::GeomKind::polygon;
    const auto f_name = s->districts.add_field("name", io::FieldType::string);
    const auto f_tip = s->districts.add_field("tip", io::FieldType::string);
    (void)f_name;
    (void)f_tip;
    std::vector<Rgba> fills;
    const std::vector<double> breaks = {0, 2.5, 3.5, 4.5, 5.5, 7};
    const std::vector<Rgba> classes = {{255, 255, 178, 200}, {254, 204, 92, 200}, {253, 141, 60, 200}, {240, 59, 32, 200}, {189, 0, 38, 200}};
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c) {
            const int i = r * 3 + c;
            s->districts.wkb.push_back(rect_wkb(X0 + c * KM, Y0 + r * KM, X0 + (c + 1) * KM, Y0 + (r + 1) * KM));
            s->districts.rows.push_back({std::string(names[i]),
                                         std::string(names[i]) + ": " + std::to_string(incidents[i]) + " " + cat.tr("unit.per_km2")});
            std::size_t k = 0;
            while (k + 1 < classes.size() && incidents[i] >= breaks[k + 1]) ++k;
            fills.push_back(classes[k]);
        }
    s->facilities.name = "facilities";
    s->facilities.kind = io::GeomKind::point;
    s->facilities.add_field("name", io::FieldType::string);
    const double fx[3] = {500, 1800, 2600}, fy[3] = {500, 1500, 2400};
    for (int i = 0; i < 3; ++i) {
        s->facilities.wkb.push_back(point_wkb(X0 + fx[i], Y0 + fy[i]));
        s->facilities.rows.push_back({std::string("Poste ") + std::to_string(i + 1)});
    }
    // density: 60 x 60 cells of 50 m, two bumps, nodata over the lake in the north-east corner
    auto& g = s->density.grid;
    g.x0 = X0;
    g.y0 = Y0;
    g.cell = 50;
    g.ncol = 60;
    g.nrow = 60;
    s->density.nodata = -9999.f;
    s->density.values.resize(g.size());
    for (std::size_t id = 0; id < g.size(); ++id) {
        const auto p = g.centre(id);
        const double a = std::hypot(p.x - (X0 + 1400), p.y - (Y0 + 2300)), b = std::hypot(p.x - (X0 + 2300), p.y - (Y0 + 800));
        double v = 9 * std::exp(-a * a / (2 * 380.0 * 380)) + 5 * std::exp(-b * b / (2 * 300.0 * 300));
        if (p.x > X0 + 2500 && p.y > Y0 + 2500) v = -9999;
        s->density.values[id] = static_cast<float>(v);
    }

    Document& d = s->doc;
    d.lang = lang;
    d.title = cat.tr("report.title");
    d.subtitle = cat.tr("report.subtitle", {"2024-01-01", "2025-12-31"});
    d.generated = cat.tr("report.generated", {"0.1.0", "2026-01-05"});

    Section sum{"summary", cat.tr("section.summary"), {}};
    sum.blocks.push_back(Paragraph{cat.tr("summary.incidents", {cat.number(1234, 0), "2024-01-01", "2025-12-31"}), false});
    sum.blocks.push_back(Paragraph{cat.tr("summary.districts", {"Gare & Port", cat.number(6, 1)}), false});
    sum.blocks.push_back(Paragraph{cat.tr("note.small_numbers"), true});
    sum.blocks.push_back(KeyValues{"", {{cat.tr("acct.read"), cat.number(1300, 0)}, {cat.tr("acct.accepted"), cat.number(1234, 0)}}});
    d.sections.push_back(std::move(sum));

    Section dist{"districts", cat.tr("section.districts"), {}};
    MapFigure m;
    m.title = cat.tr("map.districts");
    m.caption = cat.tr("note.density");
    MapLayer ml;
    ml.layer = &s->districts;
    ml.fill = fills;
    ml.label_field = "name";
    ml.title_field = "tip";
    m.layers.push_back(ml);
    MapLayer fl;
    fl.layer = &s->facilities;
    fl.colour = {33, 102, 172, 255};
    fl.stroke = {255, 255, 255, 255};
    fl.stroke_px = 1.5;
    fl.point_px = 6;
    fl.title_field = "name";
    m.layers.push_back(fl);
    m.legend_title = cat.tr("col.per_km2");
    for (std::size_t k = 0; k < classes.size(); ++k)
        m.legend.push_back({classes[k], cat.tr("legend.range", {cat.number(breaks[k], 1), cat.number(breaks[k + 1], 1)})});
    m.legend.push_back({{33, 102, 172, 255}, cat.tr("map.facilities")});
    dist.blocks.push_back(m);
    Table t;
    t.title = cat.tr("report.table", {"1"});
    t.header = {cat.tr("col.rank"), cat.tr("col.district"), cat.tr("col.incidents"), cat.tr("col.area_km2"), cat.tr("col.per_km2"),
                cat.tr("col.share_pct")};
    t.numeric = {true, false, true, true, true, true};
    std::vector<int> order = {6, 1, 4, 3, 5, 7, 8, 0, 2};
    int total = 0;
    for (int v : incidents) total += v;
    for (std::size_t k = 0; k < order.size(); ++k) {
        const int i = order[k];
        t.rows.push_back({std::to_string(k + 1), names[i], cat.number(incidents[i], 0), cat.number(1, 2), cat.number(incidents[i], 1),
                          cat.number(100.0 * incidents[i] / total, 1)});
    }
    t.footer = {"", cat.tr("col.total"), cat.number(total, 0), cat.number(9, 2), cat.number(total / 9.0, 1), cat.number(100, 1)};
    dist.blocks.push_back(t);
    BarChart bc;
    bc.title = cat.tr("col.per_km2");
    for (int i : order) {
        bc.labels.push_back(names[i]);
        bc.values.push_back(incidents[i]);
    }
    bc.value_label = cat.tr("unit.per_km2");
    dist.blocks.push_back(bc);
    d.sections.push_back(std::move(dist));

    Section dens{"density", cat.tr("section.density"), {}};
    MapFigure dm;
    dm.title = cat.tr("map.density", {cat.tr("unit.per_km2")});
    dm.caption = cat.tr("note.density");
    dm.raster = MapRaster{&s->density, {0.5, 1, 2, 4, 6, 10}, {{254, 240, 217, 220}, {253, 204, 138, 220}, {252, 141, 89, 220}, {227, 74, 51, 220}, {179, 0, 0, 220}}};
    MapLayer outline;
    outline.layer = &s->districts;
    outline.colour = {0, 0, 0, 0};
    outline.stroke = {40, 40, 40, 255};
    outline.stroke_px = 1;
    outline.label_field = "name";
    dm.layers.push_back(outline);
    dm.legend_title = cat.tr("col.per_km2");
    for (std::size_t k = 0; k < dm.raster->colours.size(); ++k)
        dm.legend.push_back({dm.raster->colours[k], cat.tr("legend.range", {cat.number(dm.raster->breaks[k], 1), cat.number(dm.raster->breaks[k + 1], 1)})});
    dens.blocks.push_back(dm);
    d.sections.push_back(std::move(dens));

    Section time{"time", cat.tr("section.time"), {}};
    LineChart lc;
    lc.title = cat.tr("chart.incidents_per_period", {cat.tr("period.month")});
    for (int y = 2024; y <= 2025; ++y)
        for (int mo = 1; mo <= 12; ++mo) lc.x_labels.push_back(cat.tr("month.short." + std::to_string(mo)) + " " + std::to_string(y % 100));
    Series a{cat.tr("chart.all"), {}, std::nullopt}, b{"Centre", {}, std::nullopt}, c{"Gare & Port", {}, std::nullopt};
    for (int i = 0; i < 24; ++i) {
        a.y.push_back(40 + 15 * std::sin(i / 2.0) + i);
        b.y.push_back(i == 7 || i == 8 ? std::nan("") : 12 + 5 * std::cos(i / 3.0));
        c.y.push_back(i == 10 || i == 12 ? std::nan("") : 8 + (i % 5));
    }
    lc.series = {a, b, c};
    lc.y_label = cat.tr("col.incidents");
    lc.x_label = cat.tr("col.month");
    time.blocks.push_back(lc);
    d.sections.push_back(std::move(time));

    Section hw{"hour-weekday", cat.tr("section.hour_weekday"), {}};
    HeatTable ht;
    ht.title = cat.tr("section.hour_weekday");
    for (int day = 1; day <= 7; ++day) ht.col_labels.push_back(cat.tr("weekday.short." + std::to_string(day)));
    for (int h = 0; h < 24; ++h) {
        ht.row_labels.push_back((h < 10 ? "0" : "") + std::to_string(h) + ":00");
        std::vector<double> row;
        for (int day = 0; day < 7; ++day)
            row.push_back(std::round(3 + 6 * std::exp(-std::pow((h - 21) / 3.0, 2)) * (day >= 4 ? 2 : 1) + (h * 7 + day) % 3));
        ht.values.push_back(row);
    }
    hw.blocks.push_back(ht);
    d.sections.push_back(std::move(hw));

    Section par{"parameters", cat.tr("section.parameters"), {}};
    par.blocks.push_back(KeyValues{"", {{cat.tr("param.cell"), cat.tr("unit.m", {"50"})},
                                        {cat.tr("param.bandwidth"), cat.tr("unit.m", {"400"})},
                                        {cat.tr("param.fdr"), cat.tr("report.yes")},
                                        {cat.tr("param.crs"), "WGS 84 / UTM zone 35S (EPSG:32735)"}}});
    par.blocks.push_back(Paragraph{cat.tr("note.accounting"), true});
    d.sections.push_back(std::move(par));
    return s;
}

} // namespace hotmap::test
