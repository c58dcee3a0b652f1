// SPDX-License-Identifier: MIT
// render_html: the report Document as one self-contained HTML page (inline CSS and SVG, PNG
// as data: URIs), readable on screen and printed on A4.
#include "hotmap/report/document.hpp"
#include "hotmap/report/i18n.hpp"
#include "hotmap/report/svg.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cmath>
#include <sstream>

namespace hotmap::report {
namespace {

using svg::esc;

// System fonts only: nothing is fetched. Colours stay readable in black-and-white print.
constexpr const char* k_css = R"css(
:root{--ink:#1f2328;--muted:#5b6470;--line:#d5d9de;--soft:#f3f5f7;--accent:#b8321f;--note:#fff6dc;--note-line:#e0b83a}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0 auto;max-width:980px;padding:28px 32px 48px;font:15px/1.55 "Noto Sans","DejaVu Sans","Segoe UI",Roboto,Arial,sans-serif;color:var(--ink);background:#fff}
header{border-bottom:4px solid var(--accent);padding-bottom:12px;margin-bottom:20px}
h1{font-size:30px;line-height:1.2;margin:0 0 6px}
.subtitle{font-size:17px;color:var(--muted);margin:0}
h2{font-size:22px;margin:36px 0 12px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h2 .n{color:var(--accent);margin-right:8px}
h3{font-size:16px;margin:22px 0 8px}
nav.toc{background:var(--soft);border-radius:6px;padding:12px 20px;margin:0 0 12px}
nav.toc h2{border:0;margin:4px 0 6px;font-size:18px}
nav.toc ol{margin:0;padding-left:22px;columns:2;column-gap:32px}
nav.toc li{margin:2px 0;break-inside:avoid}
nav.toc a{color:var(--ink);text-decoration:none;border-bottom:1px dotted var(--muted)}
p{margin:8px 0 12px;max-width:48em}
.note{background:var(--note);border-left:5px solid var(--note-line);padding:10px 14px;margin:12px 0;border-radius:0 6px 6px 0;max-width:none}
figure{margin:14px 0 22px;padding:0}
figure.map .frame{display:grid;grid-template-columns:minmax(0,auto) minmax(140px,220px);gap:16px;align-items:start;justify-content:start}
figure.map .frame.nolegend{grid-template-columns:minmax(0,auto)}
svg{display:block;max-width:100%;height:auto}
svg.map{border:1px solid var(--line);background:#f7f7f4}
svg text{font-family:"Noto Sans","DejaVu Sans","Segoe UI",Roboto,Arial,sans-serif}
figcaption{font-size:13.5px;color:var(--muted);margin-top:6px;max-width:48em}
.legend{font-size:13px;min-width:150px;max-width:240px}
.legend .lt{font-weight:bold;margin-bottom:4px}
.legend ul{list-style:none;margin:0;padding:0}
.legend li{display:flex;align-items:center;gap:8px;margin:3px 0}
.sw{display:inline-block;flex:none;width:18px;height:14px;border:1px solid rgba(0,0,0,.35);border-radius:2px}
.sw.line{height:4px;border:0}
.chart-legend{display:flex;flex-wrap:wrap;gap:4px 18px;font-size:13px;margin:4px 0 0 64px;padding:0;list-style:none}
.chart-legend li{display:flex;align-items:center;gap:6px}
.tw{overflow-x:auto;margin:10px 0 20px}
table{border-collapse:collapse;font-size:14px;min-width:50%}
caption{text-align:left;font-weight:bold;padding:0 0 6px;font-size:15px}
th,td{padding:5px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:var(--soft);border-bottom:2px solid #aab1ba;font-weight:600}
tbody tr:nth-child(even) td{background:#fafbfc}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tfoot td{font-weight:bold;border-top:2px solid #aab1ba;border-bottom:0;background:var(--soft)}
table.heat td,table.heat th{text-align:center;padding:4px 6px;font-size:12.5px;border:1px solid #fff;white-space:nowrap}
table.heat tbody th{text-align:right;background:var(--soft)}
table.heat tbody tr:nth-child(even) td{background:inherit}
table.heat .tot{background:var(--soft);font-weight:bold;color:var(--ink)}
table.kv th{font-weight:600;width:40%;background:none}
table.kv td,table.kv th{border-bottom:1px solid var(--line)}
footer{margin-top:40px;padding-top:8px;border-top:1px solid var(--line);font-size:12.5px;color:var(--muted)}
@page{size:A4;margin:14mm 13mm 16mm}
@media print{
  body{max-width:none;padding:0;font-size:10.5pt}
  header{margin-bottom:10mm}
  nav.toc{background:none;border:1px solid var(--line)}
  main>section{break-before:page}
  h2,h3,caption{break-after:avoid}
  figure,svg,.keep,.note,tr,.legend{break-inside:avoid}
  thead{display:table-header-group}
  tfoot{display:table-row-group}
  figure.map .frame{grid-template-columns:minmax(0,1fr) 42mm}
  figure.map .frame.nolegend{grid-template-columns:minmax(0,1fr)}
  svg.map{width:100%;height:auto;max-height:200mm}
  .tw{overflow:visible}
  a{color:inherit;text-decoration:none}
  tbody tr:nth-child(even) td{background:none}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
)css";

struct Ctx {
    const Catalog& cat;
    std::ostringstream& o;
    svg::Formatter fmt;
};

std::string number_fn(double v, int decimals, const void* ctx)
{
    return static_cast<const Catalog*>(ctx)->number(v, decimals);
}

std::string text_html(const std::string& s)
{
    // escaped, line breaks kept
    std::string o = esc(s);
    for (std::size_t p = o.find('\n'); p != std::string::npos; p = o.find('\n', p + 4)) o.replace(p, 1, "<br>");
    return o;
}

std::string swatch_style(Rgba c)
{
    std::string s = "background:" + svg::hex(c);
    if (c.a < 255) {
        char buf[32];
        std::snprintf(buf, sizeof buf, ";opacity:%.2f", std::clamp(c.a, 0, 255) / 255.0);
        s += buf;
    }
    return s;
}

void render(Ctx& c, const Paragraph& p)
{
    c.o << (p.note ? "<p class=\"note\">" : "<p>") << text_html(p.text) << "</p>\n";
}

void render(Ctx& c, const MapFigure& m)
{
    c.o << "<figure class=\"map\">\n";
    if (!m.title.empty()) c.o << "<h3>" << esc(m.title) << "</h3>\n";
    const bool legend = !m.legend.empty() || !m.legend_title.empty();
    c.o << (legend ? "<div class=\"frame\">\n" : "<div class=\"frame nolegend\">\n") << svg::map_svg(m, legend ? 680 : 900) << "\n";
    if (legend) {
        c.o << "<div class=\"legend\">";
        if (!m.legend_title.empty()) c.o << "<div class=\"lt\">" << esc(m.legend_title) << "</div>";
        c.o << "<ul>\n";
        for (const auto& li : m.legend)
            c.o << "<li><span class=\"sw\" style=\"" << swatch_style(li.colour) << "\"></span>" << esc(li.label) << "</li>\n";
        c.o << "</ul></div>\n";
    }
    c.o << "</div>\n";
    if (!m.caption.empty()) c.o << "<figcaption>" << text_html(m.caption) << "</figcaption>\n";
    c.o << "</figure>\n";
}

void render(Ctx& c, const Table& t)
{
    auto num_col = [&](std::size_t i) { return i < t.numeric.size() && t.numeric[i]; };
    // short tables are kept on one printed page; long ones break between rows, header repeated
    c.o << "<div class=\"tw" << (t.rows.size() <= 25 ? " keep" : "") << "\"><table>\n";
    if (!t.title.empty()) c.o << "<caption>" << esc(t.title) << "</caption>\n";
    if (!t.header.empty()) {
        c.o << "<thead><tr>";
        for (std::size_t i = 0; i < t.header.size(); ++i)
            c.o << (num_col(i) ? "<th class=\"num\" scope=\"col\">" : "<th scope=\"col\">") << esc(t.header[i]) << "</th>";
        c.o << "</tr></thead>\n";
    }
    c.o << "<tbody>\n";
    for (const auto& row : t.rows) {
        c.o << "<tr>";
        for (std::size_t i = 0; i < row.size(); ++i) c.o << (num_col(i) ? "<td class=\"num\">" : "<td>") << esc(row[i]) << "</td>";
        c.o << "</tr>\n";
    }
    c.o << "</tbody>\n";
    if (!t.footer.empty()) {
        c.o << "<tfoot><tr>";
        for (std::size_t i = 0; i < t.footer.size(); ++i) c.o << (num_col(i) ? "<td class=\"num\">" : "<td>") << esc(t.footer[i]) << "</td>";
        c.o << "</tr></tfoot>\n";
    }
    c.o << "</table></div>\n";
}

void render(Ctx& c, const LineChart& ch)
{
    c.o << "<figure class=\"chart\">\n";
    if (!ch.title.empty()) c.o << "<h3>" << esc(ch.title) << "</h3>\n";
    c.o << svg::line_chart_svg(ch, c.fmt) << "\n";
    if (ch.series.size() > 1) {
        c.o << "<ul class=\"chart-legend\">";
        for (std::size_t i = 0; i < ch.series.size(); ++i)
            c.o << "<li><span class=\"sw line\" style=\"" << swatch_style(ch.series[i].colour ? *ch.series[i].colour : svg::palette(i))
                << "\"></span>" << esc(ch.series[i].name) << "</li>";
        c.o << "</ul>\n";
    }
    c.o << "</figure>\n";
}

void render(Ctx& c, const BarChart& ch)
{
    c.o << "<figure class=\"chart\">\n";
    if (!ch.title.empty()) c.o << "<h3>" << esc(ch.title) << "</h3>\n";
    c.o << svg::bar_chart_svg(ch, c.fmt) << "\n</figure>\n";
}

int decimals_of(const std::vector<std::vector<double>>& v)
{
    int d = 0;
    for (const auto& r : v)
        for (double x : r)
            while (d < 2 && std::isfinite(x) && std::abs(x * std::pow(10.0, d) - std::round(x * std::pow(10.0, d))) > 1e-6) ++d;
    return d;
}

void render(Ctx& c, const HeatTable& h)
{
    const std::size_t nr = h.values.size();
    std::size_t nc = h.col_labels.size();
    for (const auto& r : h.values) nc = std::max(nc, r.size());
    double vmax = 0;
    std::vector<double> col_tot(nc, 0.0), row_tot(nr, 0.0);
    double total = 0;
    for (std::size_t i = 0; i < nr; ++i)
        for (std::size_t j = 0; j < h.values[i].size(); ++j) {
            const double v = h.values[i][j];
            if (!std::isfinite(v)) continue;
            vmax = std::max(vmax, v);
            row_tot[i] += v;
            col_tot[j] += v;
            total += v;
        }
    const int dec = decimals_of(h.values);
    c.o << "<div class=\"tw keep\"><table class=\"heat\">\n";
    if (!h.title.empty()) c.o << "<caption>" << esc(h.title) << "</caption>\n";
    c.o << "<thead><tr><th></th>";
    for (std::size_t j = 0; j < nc; ++j) c.o << "<th scope=\"col\">" << (j < h.col_labels.size() ? esc(h.col_labels[j]) : "") << "</th>";
    if (h.totals) c.o << "<th scope=\"col\" class=\"tot\">" << esc(c.cat.tr("col.total")) << "</th>";
    c.o << "</tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < nr; ++i) {
        c.o << "<tr><th scope=\"row\">" << (i < h.row_labels.size() ? esc(h.row_labels[i]) : "") << "</th>";
        for (std::size_t j = 0; j < nc; ++j) {
            const double v = j < h.values[i].size() ? h.values[i][j] : std::nan("");
            if (!std::isfinite(v)) {
                c.o << "<td></td>";
                continue;
            }
            const Rgba bg = svg::ramp(vmax > 0 ? v / vmax : 0);
            c.o << "<td style=\"background:" << svg::hex(bg) << ";color:" << (svg::luminance(bg) < 0.4 ? "#fff" : "#1f2328") << "\">"
                << esc(c.cat.number(v, dec)) << "</td>";
        }
        if (h.totals) c.o << "<td class=\"tot\">" << esc(c.cat.number(row_tot[i], dec)) << "</td>";
        c.o << "</tr>\n";
    }
    c.o << "</tbody>\n";
    if (h.totals) {
        c.o << "<tfoot><tr><th scope=\"row\" class=\"tot\">" << esc(c.cat.tr("col.total")) << "</th>";
        for (std::size_t j = 0; j < nc; ++j) c.o << "<td class=\"tot\">" << esc(c.cat.number(col_tot[j], dec)) << "</td>";
        c.o << "<td class=\"tot\">" << esc(c.cat.number(total, dec)) << "</td></tr></tfoot>\n";
    }
    c.o << "</table></div>\n";
}

void render(Ctx& c, const KeyValues& kv)
{
    c.o << "<div class=\"tw keep\"><table class=\"kv\">\n";
    if (!kv.title.empty()) c.o << "<caption>" << esc(kv.title) << "</caption>\n";
    c.o << "<tbody>\n";
    for (const auto& [k, v] : kv.items) c.o << "<tr><th scope=\"row\">" << esc(k) << "</th><td>" << text_html(v) << "</td></tr>\n";
    c.o << "</tbody></table></div>\n";
}

// Anchors are ASCII letters, digits and '-' (document.hpp); anything else becomes '-'.
std::string anchor(const std::string& id, std::size_t index)
{
    std::string a;
    for (char ch : id) a += (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-') ? ch : '-';
    return a.empty() ? "section-" + std::to_string(index + 1) : a;
}

} // namespace

std::string render_html(const Document& doc)
{
    const auto langs = languages();
    const Catalog cat(std::find(langs.begin(), langs.end(), doc.lang) != langs.end() ? doc.lang : std::string("en"));
    std::ostringstream o;
    Ctx c{cat, o, svg::Formatter{&number_fn, &cat}};
    o << "<!DOCTYPE html>\n<html lang=\"" << esc(doc.lang.empty() ? "en" : doc.lang) << "\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << esc(doc.title) << "</title>\n<style>" << k_css << "</style>\n</head>\n<body>\n<header>\n<h1>" << esc(doc.title)
      << "</h1>\n";
    if (!doc.subtitle.empty()) o << "<p class=\"subtitle\">" << esc(doc.subtitle) << "</p>\n";
    o << "</header>\n";
    if (!doc.sections.empty()) {
        o << "<nav class=\"toc\">\n<h2>" << esc(cat.tr("report.contents")) << "</h2>\n<ol>\n";
        for (std::size_t i = 0; i < doc.sections.size(); ++i)
            o << "<li><a href=\"#" << anchor(doc.sections[i].id, i) << "\">" << esc(doc.sections[i].title) << "</a></li>\n";
        o << "</ol>\n</nav>\n";
    }
    o << "<main>\n";
    for (std::size_t i = 0; i < doc.sections.size(); ++i) {
        const auto& s = doc.sections[i];
        o << "<section id=\"" << anchor(s.id, i) << "\">\n<h2><span class=\"n\">" << i + 1 << "</span>" << esc(s.title) << "</h2>\n";
        for (const auto& b : s.blocks) std::visit([&](const auto& x) { render(c, x); }, b);
        o << "</section>\n";
    }
    o << "</main>\n";
    if (!doc.generated.empty()) o << "<footer>" << esc(doc.generated) << "</footer>\n";
    o << "</body>\n</html>\n";
    return o.str();
}

} // namespace hotmap::report
