// SPDX-License-Identifier: MIT
// What a QGIS user sees: class bounds that enclose the data as written, one colour per isoband,
// count classes with zero alone, labels everywhere, district labels, the raster style, and the
// style read back (feature_colours, legend, legend_title).
#include "hotmap/log.hpp"
#include "hotmap/pipeline/density.hpp"
#include "hotmap/report/qml.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <numbers>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace hotmap;
using report::parse_qml;

namespace {

/// Every value falls in a class of the written (parsed back) ranges, as QGIS matches them.
void expect_enclosed(const std::string& qml, const std::vector<double>& values, const std::string& what)
{
    const report::ParsedStyle st = parse_qml(qml);
    ASSERT_EQ(st.renderer, "graduatedSymbol") << what;
    ASSERT_FALSE(st.classes.empty()) << what;
    for (double v : values) {
        if (!std::isfinite(v)) continue;
        bool in = false;
        for (std::size_t k = 0; k < st.classes.size() && !in; ++k)
            in = (k == 0 ? st.classes[k].lower <= v : st.classes[k].lower < v) && v <= st.classes[k].upper;
        EXPECT_TRUE(in) << what << ": " << v << " is in no class (" << st.classes.front().lower << " .. " << st.classes.back().upper << ")";
    }
}

io::VectorLayer layer_of(const std::string& field, io::FieldType t, const std::vector<io::Value>& values, const std::string& qml)
{
    io::VectorLayer l;
    l.add_field(field, t);
    for (const io::Value& v : values) l.rows.push_back({v});
    l.qml = qml;
    return l;
}

} // namespace

TEST(GraduatedQml, WrittenBoundsEncloseRandomAndAdversarialValues)
{
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> u(-1e6, 1e6);
    std::lognormal_distribution<double> ln(0, 3);
    for (int trial = 0; trial < 200; ++trial) {
        std::vector<double> v;
        const int n = 1 + static_cast<int>(rng() % 60);
        for (int i = 0; i < n; ++i) v.push_back(trial % 2 ? u(rng) : ln(rng));
        const auto b = report::quantile_breaks(v, 5);
        expect_enclosed(report::graduated_qml("f", io::GeomKind::polygon, b, report::ramp("YlOrRd", 5), 1, "u"), v, "trial");
    }
    // values that a 12-decimal text rounds below (or above, at the bottom) the true value
    const std::vector<double> adversarial = {0.1234567890123456, 0.9999999999999999, 1.0000000000004999, 2.0 / 3.0, 1e-13, 3e-15,
                                             123456.78901234567, std::nextafter(1.0, 2.0), -std::nextafter(0.0, 1.0), 1e300, 5e-324};
    for (std::size_t i = 0; i < adversarial.size(); ++i) {
        std::vector<double> v = {adversarial[i] / 3, adversarial[i]};
        const auto b = report::quantile_breaks(v, 5);
        expect_enclosed(report::graduated_qml("f", io::GeomKind::point, b, report::ramp("RdBu", 2), 0, ""), v, std::to_string(i));
    }
}

TEST(GraduatedQml, LabelsRoundTheEndsOutward)
{
    const std::string q = report::graduated_qml("f", io::GeomKind::polygon, {0.26, 0.5, 0.94}, report::ramp("YlOrRd", 2), 1, "per km²");
    const auto st = parse_qml(q);
    ASSERT_EQ(st.classes.size(), 2u);
    EXPECT_EQ(st.classes[0].label, "0.2 - 0.5 per km²");
    EXPECT_EQ(st.classes[1].label, "0.5 - 1.0 per km²");
}

TEST(CountQml, ZeroAloneAndDistinctWholeNumberClassesUnderTies)
{
    // a typical grid: mostly 0, many 1s, a few larger counts
    std::vector<double> v(500, 0.0);
    v.insert(v.end(), 300, 1.0);
    v.insert(v.end(), 60, 2.0);
    for (double x : {3, 3, 4, 5, 7, 9, 12, 40}) v.push_back(x);
    const std::string q = report::count_qml("count", io::GeomKind::polygon, v, 5, "incidents per cell");
    const auto st = parse_qml(q);
    ASSERT_EQ(st.classes.size(), 6u); // 0 and five more: the ties cost no class
    EXPECT_EQ(report::count_breaks(v, 5), (std::vector<double>{1, 2, 4, 9, 40}));
    EXPECT_EQ(st.classes[3].label, "3 - 4 incidents per cell");
    EXPECT_EQ(st.classes[0].label, "0 incidents per cell");
    EXPECT_EQ(st.classes[0].upper, 0);
    EXPECT_LT(st.classes[0].colour.a, 128) << "zero is drawn light";
    EXPECT_EQ(st.classes[1].label, "1 incident per cell"); // the 1s are a class of their own
    std::set<std::string> labels;
    std::set<std::tuple<int, int, int, int>> colours;
    for (const auto& c : st.classes) {
        EXPECT_FALSE(c.label.empty());
        EXPECT_EQ(c.label.find('.'), std::string::npos) << "no decimals for counts: " << c.label;
        EXPECT_EQ(c.upper, std::floor(c.upper));
        labels.insert(c.label);
        colours.insert({c.colour.r, c.colour.g, c.colour.b, c.colour.a});
    }
    EXPECT_EQ(labels.size(), st.classes.size());
    EXPECT_EQ(colours.size(), st.classes.size());
    EXPECT_EQ(st.classes.back().upper, 40);
    expect_enclosed(q, v, "counts");
    // zero and one get different colours in the layer
    std::vector<io::Value> vals;
    for (double x : v) vals.emplace_back(static_cast<std::int64_t>(x));
    const auto fc = report::feature_colours(layer_of("count", io::FieldType::integer, vals, q));
    EXPECT_EQ(fc[0], st.classes[0].colour);
    EXPECT_EQ(fc[500], st.classes[1].colour);
    EXPECT_NE(fc[0], fc[500]);
    for (const auto& c : fc) EXPECT_NE(c, (report::Rgba{0, 0, 0, 0}));
    // "3 - 5" style labels once a class spans several counts
    bool range = false;
    for (const auto& c : st.classes) range = range || c.label.find(" - ") != std::string::npos;
    EXPECT_TRUE(range);
}

TEST(ZeroAndQuantilesQml, RatesOfZeroAreAClassApart)
{
    const std::vector<double> v = {0, 0, 0, 0.7, 1.25, 3.9, 12.5, 40.04, std::numeric_limits<double>::quiet_NaN()};
    const std::string q = report::zero_and_quantiles_qml("per_km2", io::GeomKind::polygon, v, 3, 1, "incidents per km²");
    const auto st = parse_qml(q);
    ASSERT_EQ(st.classes.size(), 4u);
    EXPECT_EQ(st.classes[0].label, "0 incidents per km²");
    EXPECT_EQ(st.classes[1].label.rfind("0.7 - ", 0), 0u) << st.classes[1].label;
    EXPECT_NE(st.classes.back().label.find("- 40.1 incidents per km²"), std::string::npos) << st.classes.back().label;
    expect_enclosed(q, v, "rates");
    std::vector<io::Value> vals;
    for (double x : v) vals.emplace_back(x);
    const auto fc = report::feature_colours(layer_of("per_km2", io::FieldType::real, vals, q));
    EXPECT_EQ(fc[0], st.classes[0].colour);
    EXPECT_EQ(fc[3], st.classes[1].colour);
    EXPECT_NE(fc[0], fc[3]);
    // no zero in the data: no zero class
    EXPECT_EQ(parse_qml(report::zero_and_quantiles_qml("r", io::GeomKind::polygon, {1, 2, 3}, 2, 0, "")).classes.size(), 2u);
}

TEST(CountQml, AllZeroStillHasAClass)
{
    const auto st = parse_qml(report::count_qml("count", io::GeomKind::polygon, {0, 0, 0}, 5, "incidents"));
    ASSERT_EQ(st.classes.size(), 1u);
    EXPECT_EQ(st.classes[0].label, "0 incidents");
    EXPECT_TRUE(report::count_breaks({0, 0}, 5).empty());
    EXPECT_EQ(report::count_breaks({0, 1, 1, 1, 1, 2, 9}, 3), (std::vector<double>{1, 2, 9}));
}

TEST(IsobandStyle, FiveLevelsFiveColoursEveryBandInAClass)
{
    // two sites of different strength: 5 nested bands around the strong one
    pipeline::Inputs in;
    in.working = crs::Crs::epsg(32735);
    in.threads = 1;
    for (int k = 0; k < 8; ++k) in.incidents.items.push_back({500055, 9340055, 1, k_no_time, -1, static_cast<std::uint32_t>(k + 2)});
    for (int k = 0; k < 2; ++k) in.incidents.items.push_back({500145, 9340145, 1, k_no_time, -1, static_cast<std::uint32_t>(k + 20)});
    in.incidents.crs = in.working;
    in.incidents.accounting.read = in.incidents.accounting.accepted = 10;
    pipeline::DensityParams p;
    p.cell_m = 10;
    p.bandwidth_m = 60;
    p.extent = Extent{500000, 9340000, 500195, 9340195};
    p.isobands = true;
    const double c = 1e6 / (std::numbers::pi * 60 * 60);
    p.levels = {0.2 * c, 0.5 * c, 1 * c, 2 * c, 4 * c};
    NullLog log;
    const pipeline::DensityResult r = pipeline::estimate_density(p, in, log);
    ASSERT_TRUE(r.isobands);
    const io::VectorLayer& L = *r.isobands;
    ASSERT_EQ(L.rows.size(), 5u);
    const auto fc = report::feature_colours(L);
    std::set<std::tuple<int, int, int, int>> colours;
    for (const auto& x : fc) {
        EXPECT_NE(x, (report::Rgba{0, 0, 0, 0})) << "a band in no class";
        colours.insert({x.r, x.g, x.b, x.a});
    }
    EXPECT_EQ(colours.size(), 5u);
    const auto leg = report::legend(L);
    ASSERT_EQ(leg.size(), 5u);
    for (const auto& item : leg) EXPECT_NE(item.label.find("incidents per km2"), std::string::npos) << item.label;
    EXPECT_FALSE(L.title.empty());
    // the raster gets its style and title too
    EXPECT_FALSE(r.raster.title.empty());
    EXPECT_NE(r.raster.qml.find("singlebandpseudocolor"), std::string::npos);
}

TEST(Labels, DistrictLabellingIsEnabledOnTheField)
{
    const std::string q = report::with_labels(
        report::graduated_qml("per_km2", io::GeomKind::polygon, {0, 1, 2}, report::ramp("YlOrRd", 2), 1, "incidents per km²"), "district");
    const auto st = parse_qml(q);
    EXPECT_EQ(st.label_field, "district");
    EXPECT_EQ(st.classes.size(), 2u);
    EXPECT_NE(q.find("<labeling type=\"simple\">"), std::string::npos);
    EXPECT_NE(q.find("bufferDraw=\"1\""), std::string::npos);
    EXPECT_NE(q.find("labelsEnabled=\"1\""), std::string::npos);
    EXPECT_NE(q.find("styleCategories=\"Symbology|Labeling\""), std::string::npos);
    // with temporal settings as well: both categories, one root element
    const std::string t = report::with_temporal(q, "time", "");
    EXPECT_NE(t.find("styleCategories=\"Symbology|Labeling|Temporal\""), std::string::npos);
    EXPECT_NE(t.find("mode=\"1\" startField=\"time\""), std::string::npos);
    EXPECT_TRUE(parse_qml(t).temporal);
    EXPECT_EQ(parse_qml(t).label_field, "district");
}

TEST(StyleReadBack, CategoriesSingleSymbolLegendAndTitle)
{
    const std::string q = report::categorized_qml("COType", io::GeomKind::polygon,
                                                  {{"HH", "High-High cluster", {215, 25, 28, 255}}, {"", "Not significant", {230, 230, 230, 255}}});
    io::VectorLayer l = layer_of("COType", io::FieldType::string, {std::string("HH"), std::string(""), io::Value(), std::string("LH")}, q);
    const auto fc = report::feature_colours(l);
    EXPECT_EQ(fc[0], (report::Rgba{215, 25, 28, 255}));
    EXPECT_EQ(fc[1], (report::Rgba{230, 230, 230, 255}));
    EXPECT_EQ(fc[2], (report::Rgba{230, 230, 230, 255}));
    EXPECT_EQ(fc[3], (report::Rgba{230, 230, 230, 255}));
    const auto leg = report::legend(l);
    ASSERT_EQ(leg.size(), 2u);
    EXPECT_EQ(leg[0].label, "High-High cluster");
    EXPECT_EQ(report::legend_title(l), "COType");
    l.title = "Clusters and outliers";
    EXPECT_EQ(report::legend_title(l), "Clusters and outliers");

    const std::string s = report::single_qml(io::GeomKind::point, {128, 0, 160, 255}, 4, "new site (40 m)");
    const io::VectorLayer one = layer_of("k", io::FieldType::integer, {std::int64_t{1}, std::int64_t{2}}, s);
    for (const auto& c : report::feature_colours(one)) EXPECT_EQ(c, (report::Rgba{128, 0, 160, 255}));
    ASSERT_EQ(report::legend(one).size(), 1u);
    EXPECT_EQ(report::legend(one)[0].label, "new site (40 m)");
    // no style: transparent, empty legend
    io::VectorLayer bare = layer_of("k", io::FieldType::integer, {std::int64_t{1}}, "");
    EXPECT_EQ(report::feature_colours(bare)[0], (report::Rgba{0, 0, 0, 0}));
    EXPECT_TRUE(report::legend(bare).empty());
}

TEST(RasterQml, DiscreteClassesZeroAndNodataTransparent)
{
    io::RasterOut r;
    r.grid = grid::GridSpec::snapped({0, 0, 100, 100}, 10);
    r.nodata = -9999.0f;
    for (std::size_t i = 0; i < r.grid.size(); ++i) r.values.push_back(i % 3 == 0 ? 0.0f : i % 7 == 0 ? -9999.0f : static_cast<float>(i) * 0.37f);
    const std::string q = report::raster_qml(r, "incidents per km2");
    EXPECT_NE(q.find("type=\"singlebandpseudocolor\""), std::string::npos);
    EXPECT_NE(q.find("<item alpha=\"0\" value=\"0\""), std::string::npos);
    EXPECT_NE(q.find("<pixelListEntry min=\"-9999\" max=\"-9999\" percentTransparent=\"100\"/>"), std::string::npos);
    EXPECT_NE(q.find("<pixelListEntry min=\"0\" max=\"0\" percentTransparent=\"100\"/>"), std::string::npos);
    EXPECT_NE(q.find("value=\"inf\""), std::string::npos) << "the top class takes everything above";
    EXPECT_NE(q.find("incidents per km2\" color="), std::string::npos);
    EXPECT_EQ(q.find("label=\"\""), std::string::npos);
}

// Publication: the suppressed (null) counts get a grey class of their own, first in the legend;
// zero, one and the other classes keep their colours.
TEST(SuppressedClass, NullCountsAreGreyAndListed)
{
    const std::vector<double> v{0, 1, 2, 7, 40};
    const std::string q = report::with_suppressed_class(report::count_qml("count", io::GeomKind::polygon, v, 5, "incidents per cell"),
                                                        io::GeomKind::polygon, "suppressed (1 to 4 incidents, or protecting one)");
    EXPECT_NE(q.find("attr=\"coalesce(&quot;count&quot;, -1)\""), std::string::npos);
    const report::ParsedStyle st = report::parse_qml(q);
    EXPECT_EQ(st.field, "count");
    EXPECT_EQ(st.null_as, -1);
    ASSERT_GE(st.classes.size(), 3u);
    EXPECT_EQ(st.classes[0].label, "suppressed (1 to 4 incidents, or protecting one)");
    EXPECT_EQ(st.classes[0].lower, -2);
    EXPECT_EQ(st.classes[0].upper, -1);
    EXPECT_EQ(st.classes[1].lower, -1); // the zero class, from above -1
    std::vector<io::Value> vals{io::Value(std::int64_t{0}), io::Value(), io::Value(std::int64_t{7})};
    const auto fc = report::feature_colours(layer_of("count", io::FieldType::integer, vals, q));
    EXPECT_EQ(fc[1], (report::Rgba{190, 190, 190, 255}));
    EXPECT_EQ(fc[0], st.classes[1].colour);
    EXPECT_NE(fc[2], fc[1]);
    EXPECT_NE(fc[2], (report::Rgba{0, 0, 0, 0}));
    // the published counts (none of 1 to 4) label their first class from 5
    const report::ParsedStyle pub = report::parse_qml(report::count_qml("count", io::GeomKind::polygon, {0, 5, 6, 9, 40}, 5, "incidents per cell"));
    ASSERT_GE(pub.classes.size(), 2u);
    EXPECT_EQ(pub.classes[1].label.rfind("5", 0), 0u) << pub.classes[1].label;
    // once is enough; a categorised style is left alone
    EXPECT_EQ(report::with_suppressed_class(q, io::GeomKind::polygon, "x"), q);
    // a categorised style gains a catch-all class for the nulls, once; a single symbol is left alone
    const std::string cat = report::categorized_qml("k", io::GeomKind::polygon, {{"a", "A", {1, 2, 3, 255}}});
    const std::string cat2 = report::with_suppressed_class(cat, io::GeomKind::polygon, "x");
    const report::ParsedStyle cs = report::parse_qml(cat2);
    ASSERT_EQ(cs.classes.size(), 2u);
    EXPECT_EQ(cs.classes[1].value, "");
    EXPECT_EQ(cs.classes[1].label, "x");
    EXPECT_EQ(cs.classes[1].colour, (report::Rgba{190, 190, 190, 255}));
    EXPECT_EQ(report::with_suppressed_class(cat2, io::GeomKind::polygon, "x"), cat2);
    const std::vector<io::Value> kv{io::Value(std::string("a")), io::Value()};
    const auto kc = report::feature_colours(layer_of("k", io::FieldType::string, kv, cat2));
    EXPECT_EQ(kc[0], (report::Rgba{1, 2, 3, 255}));
    EXPECT_EQ(kc[1], (report::Rgba{190, 190, 190, 255}));
    const std::string one = report::single_qml(io::GeomKind::point, {1, 2, 3, 255}, 2, "x");
    EXPECT_EQ(report::with_suppressed_class(one, io::GeomKind::point, "y"), one);
}
