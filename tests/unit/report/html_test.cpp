// SPDX-License-Identifier: MIT
// The HTML report: escaping, map geometry (a known square on a known extent, y flipped),
// legends, the raster PNG decoded back, tables, heat-table totals, determinism, no external
// references; and the sample pages the headless-browser check opens.
#include "hotmap/report/document.hpp"
#include "hotmap/report/svg.hpp"

#include "hotmap/error.hpp"
#include "hotmap/io/gdal_handles.hpp"
#include "sample_document.hpp"
#include "test_support.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>

#include <unistd.h>

using namespace hotmap;
using namespace hotmap::report;

namespace {

Document one_block(Block b)
{
    Document d;
    d.title = "T";
    d.sections.push_back({"s", "S", {std::move(b)}});
    return d;
}

std::size_t count(const std::string& hay, const std::string& needle)
{
    std::size_t n = 0;
    for (std::size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
    return n;
}

std::string between(const std::string& s, const std::string& a, const std::string& b, std::size_t from = 0)
{
    const std::size_t i = s.find(a, from);
    if (i == std::string::npos) return {};
    const std::size_t j = s.find(b, i + a.size());
    return s.substr(i + a.size(), j == std::string::npos ? std::string::npos : j - i - a.size());
}

std::string base64_decode(const std::string& in)
{
    std::string out;
    int val = 0, bits = -8;
    for (char c : in) {
        const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        const char* p = std::strchr(k, c);
        if (c == '=' || !p || !c) break;
        val = (val << 6) + static_cast<int>(p - k);
        bits += 6;
        if (bits >= 0) {
            out.push_back(static_cast<char>((val >> bits) & 0xFF));
            bits -= 8;
        }
    }
    return out;
}

} // namespace

TEST(HtmlSvg, NumbersAndTicks)
{
    EXPECT_EQ(svg::num(12.34), "12.3");
    EXPECT_EQ(svg::num(7.0), "7");
    EXPECT_EQ(svg::num(-0.04), "0");
    EXPECT_EQ(svg::num(-4.55), "-4.5"); // binary -4.5499...
    EXPECT_EQ(svg::nice_ticks(0, 87), (std::vector<double>{0, 20, 40, 60, 80, 100}));
    EXPECT_EQ(svg::nice_ticks(3, 3.9, 4), (std::vector<double>{3, 3.5, 4}));
    EXPECT_EQ(svg::nice_ticks(0, 0.9, 5), (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1}));
    EXPECT_EQ(svg::tick_decimals({0, 0.5, 1}), 1);
    EXPECT_EQ(svg::nice_length(1234), 1000);
    EXPECT_EQ(svg::nice_length(480), 200);
    EXPECT_EQ(svg::nice_length(5100), 5000);
    EXPECT_EQ(svg::base64("Man"), "TWFu");
    EXPECT_EQ(svg::base64("Ma"), "TWE=");
    EXPECT_EQ(svg::base64("M"), "TQ==");
}

TEST(HtmlRender, EscapesText)
{
    Document d = one_block(Paragraph{"a <b> & \"c\" 'd'", false});
    d.title = "<x>";
    d.sections.front().title = "S & T";
    d.sections.front().blocks.push_back(Paragraph{"note <i>", true});
    d.sections.front().blocks.push_back(Table{"", {"<h>"}, {}, {{"1 < 2"}}, {}});
    d.sections.front().blocks.push_back(KeyValues{"", {{"k&", "v\"'"}}});
    const std::string h = render_html(d);
    EXPECT_NE(h.find("<p>a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;</p>"), std::string::npos);
    EXPECT_NE(h.find("<p class=\"note\">note &lt;i&gt;</p>"), std::string::npos);
    EXPECT_NE(h.find("<title>&lt;x&gt;</title>"), std::string::npos);
    EXPECT_NE(h.find("S &amp; T"), std::string::npos);
    EXPECT_NE(h.find("&lt;h&gt;"), std::string::npos);
    EXPECT_NE(h.find("1 &lt; 2"), std::string::npos);
    EXPECT_NE(h.find("k&amp;"), std::string::npos);
    EXPECT_NE(h.find("v&quot;&#39;"), std::string::npos);
    EXPECT_EQ(h.find("<b>"), std::string::npos);
    EXPECT_EQ(h.find("<i>"), std::string::npos);
}

TEST(HtmlRender, PageStructure)
{
    const auto s = test::sample_report("en");
    const std::string h = render_html(s->doc);
    EXPECT_EQ(h.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
    EXPECT_NE(h.find("<meta charset=\"utf-8\">"), std::string::npos);
    EXPECT_NE(h.find("@page{size:A4"), std::string::npos);
    EXPECT_NE(h.find("break-before:page"), std::string::npos);
    // the table of contents lists every section with its anchor
    EXPECT_NE(h.find("<h2>Contents</h2>"), std::string::npos);
    for (const auto& sec : s->doc.sections) {
        EXPECT_NE(h.find("<a href=\"#" + sec.id + "\">" + svg::esc(sec.title) + "</a>"), std::string::npos) << sec.id;
        EXPECT_NE(h.find("<section id=\"" + sec.id + "\">"), std::string::npos) << sec.id;
    }
    EXPECT_NE(h.find("<footer>Made by hotmap 0.1.0 on 2026-01-05</footer>"), std::string::npos);
    // French page: French table of contents and numbers in charts
    const auto f = test::sample_report("fr");
    const std::string hf = render_html(f->doc);
    EXPECT_EQ(hf.rfind("<!DOCTYPE html>\n<html lang=\"fr\">", 0), 0u);
    EXPECT_NE(hf.find("<h2>Sommaire</h2>"), std::string::npos);
    EXPECT_NE(hf.find("Rapport d&#39;analyse des incidents"), std::string::npos);
}

TEST(HtmlMap, KnownSquareOnKnownExtentIsFlipped)
{
    io::VectorLayer l;
    l.kind = io::GeomKind::polygon;
    l.wkb.push_back(test::rect_wkb(10, 10, 30, 40));
    MapFigure m;
    m.extent = Extent{0, 0, 100, 100};
    m.scale_bar = false;
    MapLayer ml;
    ml.layer = &l;
    ml.fill = {{255, 0, 0, 128}};
    m.layers.push_back(ml);
    // 760 px wide, square extent: 7.6 px per unit; y = (100 - y) * 7.6
    const std::string s = svg::map_svg(m, 760, 860);
    EXPECT_NE(s.find("viewBox=\"0 0 760 760\""), std::string::npos) << s;
    EXPECT_NE(s.find("<path d=\"M76 684 228 684 228 456 76 456Z\" fill=\"#ff0000\" fill-opacity=\"0.50\""), std::string::npos) << s;
    // a tall extent is limited by the height and keeps its aspect
    m.extent = Extent{0, 0, 100, 200};
    const std::string t = svg::map_svg(m, 760, 860);
    EXPECT_NE(t.find("viewBox=\"0 0 430 860\""), std::string::npos) << t;
    EXPECT_NE(t.find("M43 817 129 817 129 688 43 688Z"), std::string::npos) << t;
}

TEST(HtmlMap, LabelsTooltipsPointsAndScaleBar)
{
    io::VectorLayer l;
    l.kind = io::GeomKind::polygon;
    l.add_field("name", io::FieldType::string);
    l.wkb.push_back(test::rect_wkb(0, 0, 1000, 1000));
    l.rows.push_back({std::string("Lac & <Port>")});
    io::VectorLayer p;
    p.kind = io::GeomKind::point;
    p.wkb.push_back(test::point_wkb(500, 250));
    MapFigure m;
    m.extent = Extent{0, 0, 1000, 1000};
    MapLayer ml;
    ml.layer = &l;
    ml.label_field = "name";
    ml.title_field = "name";
    m.layers.push_back(ml);
    MapLayer pl;
    pl.layer = &p;
    pl.point_px = 4;
    m.layers.push_back(pl);
    const std::string s = svg::map_svg(m, 400, 400);
    EXPECT_NE(s.find("<title>Lac &amp; &lt;Port&gt;</title>"), std::string::npos) << s;
    EXPECT_NE(s.find(">Lac &amp; &lt;Port&gt;</text>"), std::string::npos) << s;
    EXPECT_NE(s.find("<circle cx=\"200\" cy=\"300\" r=\"4\""), std::string::npos) << s;
    // scale bar: a fifth of 1000 m is 200 m, 80 px; a north arrow
    EXPECT_NE(s.find(">200 m</text>"), std::string::npos) << s;
    EXPECT_NE(s.find("width=\"40\" height=\"5\""), std::string::npos) << s;
    EXPECT_NE(s.find(">N</text>"), std::string::npos);
}

TEST(HtmlMap, LegendEntries)
{
    io::VectorLayer l;
    l.kind = io::GeomKind::polygon;
    l.wkb.push_back(test::rect_wkb(0, 0, 10, 10));
    MapFigure m;
    m.layers.push_back({&l, {}, {1, 2, 3, 255}, {60, 60, 60, 255}, 0.6, 3, "", ""});
    m.legend_title = "Incidents per km²";
    m.legend = {{{255, 0, 0, 255}, "Low <1"}, {{0, 0, 255, 255}, "High"}};
    m.caption = "What it shows";
    const std::string h = render_html(one_block(m));
    EXPECT_NE(h.find("<div class=\"lt\">Incidents per km²</div>"), std::string::npos);
    EXPECT_NE(h.find("<li><span class=\"sw\" style=\"background:#ff0000\"></span>Low &lt;1</li>"), std::string::npos);
    EXPECT_NE(h.find("<li><span class=\"sw\" style=\"background:#0000ff\"></span>High</li>"), std::string::npos);
    EXPECT_NE(h.find("<figcaption>What it shows</figcaption>"), std::string::npos);
    EXPECT_NE(h.find("fill=\"#010203\""), std::string::npos);
}

TEST(HtmlMap, RasterPngDecodesNorthUpWithTransparentNodata)
{
    io::RasterOut r;
    r.grid.x0 = 0;
    r.grid.y0 = 0;
    r.grid.cell = 10;
    r.grid.ncol = 3;
    r.grid.nrow = 2;
    r.nodata = -1.f;
    // row 0 = south: nodata, below the first break, class 0 / row 1 = north: class 0, 1, above the top
    r.values = {-1.f, 0.5f, 1.5f, 1.f, 2.5f, 99.f};
    MapFigure m;
    m.raster = MapRaster{&r, {1, 2, 3}, {{255, 0, 0, 255}, {0, 0, 255, 128}}};
    m.scale_bar = false;
    const std::string s = svg::map_svg(m);
    const std::string uri = between(s, "href=\"data:image/png;base64,", "\"");
    ASSERT_FALSE(uri.empty()) << s;
    const std::string png = base64_decode(uri);
    ASSERT_EQ(png.substr(1, 3), "PNG");
    io::ensure_gdal();
    const std::string path = "/vsimem/html_test_raster.png";
    VSIFCloseL(VSIFileFromMemBuffer(path.c_str(), reinterpret_cast<GByte*>(const_cast<char*>(png.data())), png.size(), FALSE));
    {
        GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
        ASSERT_TRUE(ds);
        ASSERT_EQ(ds->GetRasterXSize(), 3);
        ASSERT_EQ(ds->GetRasterYSize(), 2);
        ASSERT_EQ(ds->GetRasterCount(), 4);
        std::vector<GByte> px(3 * 2 * 4);
        ASSERT_EQ(ds->RasterIO(GF_Read, 0, 0, 3, 2, px.data(), 3, 2, GDT_Byte, 4, nullptr, 4, 12, 1, nullptr), CE_None);
        auto at = [&](int x, int y) { return std::vector<int>(px.begin() + (y * 3 + x) * 4, px.begin() + (y * 3 + x) * 4 + 4); };
        // top image row = the north grid row
        EXPECT_EQ(at(0, 0), (std::vector<int>{255, 0, 0, 255}));
        EXPECT_EQ(at(1, 0), (std::vector<int>{0, 0, 255, 128}));
        EXPECT_EQ(at(2, 0), (std::vector<int>{0, 0, 255, 128})); // above the last break: last colour
        EXPECT_EQ(at(0, 1)[3], 0);                               // nodata
        EXPECT_EQ(at(1, 1)[3], 0);                               // below breaks[0]
        EXPECT_EQ(at(2, 1), (std::vector<int>{255, 0, 0, 255}));
    }
    VSIUnlink(path.c_str());
    // the image covers the grid's extent (30 x 20 units, y flipped: the north edge at the top)
    // without an extent: the raster's grown by 3% of its longest side (0.9) each side
    const auto e = svg::map_extent(m);
    EXPECT_DOUBLE_EQ(e.xmin, -0.9);
    EXPECT_DOUBLE_EQ(e.ymax, 20.9);
    m.extent = Extent{0, 0, 30, 20};
    const std::string s2 = svg::map_svg(m);
    EXPECT_NE(s2.find("<image x=\"0\" y=\"0\" width=\"760\" height=\"506.7\""), std::string::npos) << s2.substr(0, 400);
    // mismatched breaks and colours are refused
    m.raster->breaks = {1, 2};
    EXPECT_THROW(svg::map_svg(m), ParameterError);
}

TEST(HtmlTable, NumericColumnsAndFooter)
{
    Table t{"Districts", {"District", "Incidents"}, {false, true}, {{"A", "12"}, {"B", "3"}}, {"Total", "15"}};
    const std::string h = render_html(one_block(t));
    EXPECT_NE(h.find("<caption>Districts</caption>"), std::string::npos);
    EXPECT_NE(h.find("<th scope=\"col\">District</th><th class=\"num\" scope=\"col\">Incidents</th>"), std::string::npos);
    EXPECT_NE(h.find("<tr><td>A</td><td class=\"num\">12</td></tr>"), std::string::npos);
    EXPECT_NE(h.find("<tfoot><tr><td>Total</td><td class=\"num\">15</td></tr></tfoot>"), std::string::npos);
    t.footer.clear();
    EXPECT_EQ(render_html(one_block(t)).find("<tfoot>"), std::string::npos);
}

TEST(HtmlHeatTable, TotalsAndShading)
{
    HeatTable ht{"Hour x day", {"00", "01"}, {"Mon", "Tue", "Wed"}, {{1, 2, 0}, {3, 4, 1000}}, true};
    const std::string h = render_html(one_block(ht));
    // row totals 3 and 1007, column totals 4, 6, 1000, grand total 1010 (English grouping)
    EXPECT_NE(h.find("<td class=\"tot\">3</td></tr>"), std::string::npos) << h;
    EXPECT_NE(h.find("<td class=\"tot\">1,007</td></tr>"), std::string::npos);
    EXPECT_NE(h.find("<td class=\"tot\">4</td><td class=\"tot\">6</td><td class=\"tot\">1,000</td><td class=\"tot\">1,010</td>"),
              std::string::npos);
    // the largest value is darkest with white text, zero is the lightest with dark text
    EXPECT_NE(h.find("background:#800026;color:#fff\">1,000</td>"), std::string::npos);
    EXPECT_NE(h.find("background:#ffffcc;color:#1f2328\">0</td>"), std::string::npos);
    ht.totals = false;
    EXPECT_EQ(render_html(one_block(ht)).find("class=\"tot\""), std::string::npos);
}

TEST(HtmlCharts, LineChartGapsAndLegend)
{
    LineChart c{"Per month", {"Jan", "Feb", "Mar", "Apr", "May"}, {}, "Month", "Incidents", true};
    c.series.push_back({"All", {1, 2, std::nan(""), 4, 5}, std::nullopt});
    c.series.push_back({"Centre", {std::nan(""), 1, std::nan(""), 2, std::nan("")}, Rgba{10, 20, 30, 255}});
    const std::string h = render_html(one_block(c));
    // the NaN breaks the first line into two pieces (two "M"), the second series is two dots
    const std::string d = between(h, "<title>All</title><path d=\"", "\"");
    EXPECT_EQ(count(d, "M"), 2u) << d;
    EXPECT_EQ(count(between(h, "<title>Centre</title>", "</g>"), "<circle"), 2u);
    EXPECT_NE(h.find("<ul class=\"chart-legend\">"), std::string::npos);
    EXPECT_NE(h.find("background:#0a141e\"></span>Centre</li>"), std::string::npos);
    // y ticks from zero at round values
    EXPECT_NE(h.find(">0</text>"), std::string::npos);
    EXPECT_NE(h.find(">5</text>"), std::string::npos);
    BarChart b{"Bars", {"A & B", "C"}, {3.5, 10}, "incidents", {1, 2, 3, 255}};
    const std::string hb = render_html(one_block(b));
    EXPECT_NE(hb.find(">A &amp; B</text>"), std::string::npos);
    EXPECT_NE(hb.find(">3.5</text>"), std::string::npos);
    EXPECT_NE(hb.find(">10.0</text>"), std::string::npos);
}

TEST(HtmlRender, DeterministicAndSelfContained)
{
    const auto a = test::sample_report("en");
    const auto b = test::sample_report("en");
    const std::string ha = render_html(a->doc);
    EXPECT_EQ(ha, render_html(b->doc));
    EXPECT_EQ(ha, render_html(a->doc));
    // the only URLs are the SVG namespace; the only src/href to data are data: URIs
    std::string stripped = ha;
    for (std::size_t p; (p = stripped.find("xmlns=\"http://www.w3.org/2000/svg\"")) != std::string::npos;) stripped.erase(p, 34);
    EXPECT_EQ(stripped.find("http://"), std::string::npos);
    EXPECT_EQ(stripped.find("https://"), std::string::npos);
    EXPECT_EQ(ha.find("src=\""), std::string::npos);
    const std::regex href("href=\"([^\"]*)\"");
    for (auto it = std::sregex_iterator(ha.begin(), ha.end(), href); it != std::sregex_iterator(); ++it) {
        const std::string u = (*it)[1];
        EXPECT_TRUE(u.rfind("data:", 0) == 0 || u.rfind("#", 0) == 0) << u;
    }
    EXPECT_EQ(ha.find("url("), std::string::npos);
    EXPECT_EQ(ha.find("@import"), std::string::npos);
}

TEST(HtmlMap, TenThousandPolygonsStaySmall)
{
    // 100 x 100 squares of 10 m, each with 40 vertices along its edges (on a 760 px map: 7 px
    // squares whose edge vertices are all within 0.5 px of the straight edge)
    io::VectorLayer l;
    l.kind = io::GeomKind::polygon;
    for (int r = 0; r < 100; ++r)
        for (int c = 0; c < 100; ++c) {
            OGRLinearRing ring;
            const double x0 = c * 10.0, y0 = r * 10.0;
            for (int k = 0; k < 10; ++k) ring.addPoint(x0 + k, y0);
            for (int k = 0; k < 10; ++k) ring.addPoint(x0 + 10, y0 + k);
            for (int k = 0; k < 10; ++k) ring.addPoint(x0 + 10 - k, y0 + 10);
            for (int k = 0; k < 10; ++k) ring.addPoint(x0, y0 + 10 - k);
            ring.closeRings();
            OGRPolygon poly;
            poly.addRing(&ring);
            std::string w(static_cast<std::size_t>(poly.WkbSize()), '\0');
            poly.exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(w.data()));
            l.wkb.push_back(std::move(w));
        }
    MapFigure m;
    m.layers.push_back({&l, {}, {200, 200, 200, 255}, {60, 60, 60, 255}, 0.3, 3, "", ""});
    const auto t0 = std::chrono::steady_clock::now();
    const std::string s = svg::map_svg(m);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(count(s, "<path d="), 10000u + 1u); // + the north arrow
    EXPECT_LT(s.size(), 1'000'000u);              // 4 corners each, not 40 vertices
    EXPECT_EQ(count(s, "M"), 10000u + 1u);
    EXPECT_LT(secs, 5.0);
}

// Writes the sample pages the headless-browser check (tests/report/chromium_check.py) opens,
// and that a person can look at: <build>/tests/out/report_sample/sample_{en,fr}.html.
TEST(ReportSample, WritesDemoPages)
{
    const std::string dir = std::string(HOTMAP_TEST_OUT_DIR) + "/report_sample";
    std::filesystem::create_directories(dir);
    for (const std::string lang : {"en", "fr"}) {
        const auto s = test::sample_report(lang);
        const std::string html = render_html(s->doc);
        const std::string path = dir + "/sample_" + lang + ".html";
        const std::string tmp = path + ".tmp" + std::to_string(::getpid());
        {
            std::ofstream f(tmp, std::ios::binary);
            f << html;
            ASSERT_TRUE(f.good());
        }
        std::filesystem::rename(tmp, path); // atomic: the browser check never reads half a page
        EXPECT_LT(html.size(), 400'000u);
    }
}
