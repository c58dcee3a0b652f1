// SPDX-License-Identifier: MIT
// The QGIS project writer: well-formed XML, same bytes for the same spec, relative sources,
// unique ids, groups and layers in order, text escaped, layouts linked to their map.
#include "hotmap/error.hpp"
#include "hotmap/report/qgis_project.hpp"
#include "hotmap/report/qml.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>
#include <vector>

using namespace hotmap;
using namespace hotmap::report;

namespace {

ProjectSpec sample_spec()
{
    ProjectSpec s;
    s.title = "Kalemie <incidents> & \"more\"";
    s.crs = crs::Crs::epsg(32735);
    s.extent = {500000, 9300000, 510000, 9306000};
    ProjectLayer districts;
    districts.source = "results.gpkg";
    districts.layer_name = "districts";
    districts.geometry = "Polygon";
    districts.title = "Districts & rates";
    districts.abstract = "per 1000 <people>";
    districts.qml = graduated_qml("rate", io::GeomKind::polygon, {0, 1, 2}, ramp("YlOrRd", 2), 1, "per 1k");
    districts.label_field = "name";
    ProjectLayer density;
    density.source = "./density.tif";
    density.raster = true;
    density.title = "Density";
    density.qml = raster_qml({0, 1, 5}, ramp("YlOrRd", 2), 1, "/km²");
    density.visible = false;
    ProjectLayer table;
    table.source = "results.gpkg";
    table.layer_name = "density";
    table.raster = true;
    table.title = "Density (GeoPackage)";
    ProjectLayer sites;
    sites.source = "sites.gpkg";
    sites.geometry = "Point";
    sites.title = "Sites";
    sites.qml = single_qml(io::GeomKind::point, {0, 0, 0, 255}, 3, "site");
    s.groups.push_back({"Districts", {districts}, true});
    s.groups.push_back({"Density", {density, table}, false});
    s.groups.push_back({"Sites", {sites}, true});
    s.layouts.push_back({"Map 1", "Incidents <2024>", {"Districts & rates", "Sites"}, "Source: test & co", "Legend"});
    return s;
}

std::size_t count(const std::string& s, const std::string& what)
{
    std::size_t n = 0;
    for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
    return n;
}

/// A minimal well-formedness check: every start tag is closed in order, no stray '&' or '<'.
/// Returns "" or what is wrong. (Comments, CDATA and processing instructions are not used.)
std::string check_xml(const std::string& s)
{
    std::vector<std::string> stack;
    std::size_t i = 0;
    if (s.rfind("<!DOCTYPE", 0) == 0) i = s.find('>') + 1;
    bool root_seen = false;
    while (i < s.size()) {
        if (s[i] == '&') {
            const std::size_t semi = s.find(';', i);
            if (semi == std::string::npos || semi - i > 6) return "bare & at " + std::to_string(i);
            const std::string ent = s.substr(i, semi - i + 1);
            if (ent != "&amp;" && ent != "&lt;" && ent != "&gt;" && ent != "&quot;" && ent != "&apos;" && ent != "&#10;" &&
                ent != "&#9;" && ent != "&#13;")
                return "unknown entity " + ent;
            i = semi + 1;
            continue;
        }
        if (s[i] != '<') {
            if (s[i] == '>') return "bare > at " + std::to_string(i);
            if (stack.empty() && !std::isspace(static_cast<unsigned char>(s[i]))) return "text outside the root";
            ++i;
            continue;
        }
        std::size_t end = i + 1;
        char quote = 0;
        for (; end < s.size(); ++end) {
            if (quote) {
                if (s[end] == quote) quote = 0;
                else if (s[end] == '<') return "< inside an attribute at " + std::to_string(end);
            } else if (s[end] == '"' || s[end] == '\'') {
                quote = s[end];
            } else if (s[end] == '>') {
                break;
            }
        }
        if (end >= s.size()) return "unterminated tag";
        const std::string tag = s.substr(i + 1, end - i - 1);
        if (tag.empty()) return "empty tag";
        if (tag[0] == '/') {
            if (stack.empty() || stack.back() != tag.substr(1)) return "mismatched </" + tag.substr(1) + ">";
            stack.pop_back();
        } else {
            const std::string name = tag.substr(0, tag.find_first_of(" \n/"));
            if (stack.empty()) {
                if (root_seen) return "two root elements";
                root_seen = true;
            }
            if (tag.back() != '/') stack.push_back(name);
        }
        i = end + 1;
    }
    return stack.empty() && root_seen ? "" : "unclosed <" + (stack.empty() ? std::string("?") : stack.back()) + ">";
}

/// The values of attribute `attr` in every start tag `<tag ...>`.
std::vector<std::string> attribute_values(const std::string& s, const std::string& tag, const std::string& attr)
{
    std::vector<std::string> out;
    const std::string open = "<" + tag + " ";
    for (std::size_t at = s.find(open); at != std::string::npos; at = s.find(open, at + 1)) {
        const std::size_t end = s.find('>', at);
        const std::string t = s.substr(at, end - at);
        const std::size_t a = t.find(" " + attr + "=\"");
        if (a == std::string::npos) continue;
        const std::size_t v = a + attr.size() + 3;
        out.push_back(t.substr(v, t.find('"', v) - v));
    }
    return out;
}

std::vector<std::string> element_texts(const std::string& s, const std::string& tag)
{
    std::vector<std::string> out;
    const std::string open = "<" + tag + ">", close = "</" + tag + ">";
    for (std::size_t at = s.find(open); at != std::string::npos; at = s.find(open, at + 1)) {
        const std::size_t v = at + open.size();
        out.push_back(s.substr(v, s.find(close, v) - v));
    }
    return out;
}

std::string section(const std::string& s, const std::string& tag)
{
    const std::size_t a = s.find("<" + tag), b = s.find("</" + tag + ">", a);
    return a == std::string::npos || b == std::string::npos ? std::string() : s.substr(a, b - a);
}

} // namespace

TEST(QgisProject, IsWellFormedXml)
{
    const std::string x = qgis_project(sample_spec());
    EXPECT_EQ(check_xml(x), "");
    EXPECT_EQ(x.rfind("<!DOCTYPE qgis", 0), 0u);
    EXPECT_EQ(element_texts(x, "wkt")[0].find('\n'), std::string::npos); // one line, as QGIS writes it
    EXPECT_EQ(count(x, "<maplayer "), 4u);
    EXPECT_EQ(count(x, "<Layout "), 1u);
    // the checker itself rejects broken documents
    EXPECT_NE(check_xml("<a><b></a></b>"), "");
    EXPECT_NE(check_xml("<a>x & y</a>"), "");
    EXPECT_NE(check_xml("<a x=\"<\"/>"), "");
}

TEST(QgisProject, SameSpecSameBytes)
{
    const std::string a = qgis_project(sample_spec()), b = qgis_project(sample_spec());
    EXPECT_EQ(a, b);
    // nothing that changes from run to run: no save date, user or random uuid
    EXPECT_EQ(a.find("saveDateTime"), std::string::npos);
    EXPECT_EQ(a.find("saveUser"), std::string::npos);
    EXPECT_EQ(a.find("<creation>"), std::string::npos);
}

TEST(QgisProject, SourcesAreRelative)
{
    const std::string x = qgis_project(sample_spec());
    EXPECT_NE(x.find("<Absolute type=\"bool\">false</Absolute>"), std::string::npos);
    const auto sources = element_texts(x, "datasource");
    EXPECT_EQ(sources, (std::vector<std::string>{"./results.gpkg|layername=districts", "./density.tif", "GPKG:./results.gpkg:density",
                                                 "./sites.gpkg"}));
    EXPECT_EQ(count(x, "<provider encoding=\"UTF-8\">ogr</provider>"), 2u);
    EXPECT_EQ(count(x, "<provider>gdal</provider>"), 2u);
}

TEST(QgisProject, IdsAreUniqueAndDerivedFromNames)
{
    const std::string x = qgis_project(sample_spec());
    const auto ids = element_texts(x, "id");
    EXPECT_EQ(ids, (std::vector<std::string>{"districts_0001", "density_0002", "density_0003", "sites_layer_0004"}));
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
    for (const auto& id : ids) EXPECT_GT(id.size(), 10u) << id; // QGIS keeps only longer ids
    // layout items have distinct uuids too, and the legend, scale bar and arrow follow the map
    const auto uuids = attribute_values(x, "LayoutItem", "uuid");
    EXPECT_EQ(uuids.size(), 7u); // page, title, map, legend, scale bar, north arrow, source
    EXPECT_EQ(std::set<std::string>(uuids.begin(), uuids.end()).size(), uuids.size());
    const std::string map_uuid = uuids[2];
    EXPECT_EQ(attribute_values(x, "LayoutItem", "map_uuid"), (std::vector<std::string>{map_uuid}));
    EXPECT_EQ(attribute_values(x, "LayoutItem", "mapUuid"), (std::vector<std::string>{map_uuid, map_uuid}));
}

TEST(QgisProject, GroupsAndLayersInOrder)
{
    const std::string x = qgis_project(sample_spec());
    const std::size_t from = x.find("<layer-tree-group>"), to = x.find("<mapcanvas");
    ASSERT_LT(from, to);
    const std::string tree = x.substr(from, to - from);
    EXPECT_EQ(attribute_values(tree, "layer-tree-group", "name"), (std::vector<std::string>{"Districts", "Density", "Sites"}));
    EXPECT_EQ(attribute_values(tree, "layer-tree-group", "expanded"), (std::vector<std::string>{"1", "0", "1"}));
    EXPECT_EQ(attribute_values(tree, "layer-tree-layer", "name"),
              (std::vector<std::string>{"Districts &amp; rates", "Density", "Density (GeoPackage)", "Sites"}));
    EXPECT_EQ(attribute_values(tree, "layer-tree-layer", "checked"),
              (std::vector<std::string>{"Qt::Checked", "Qt::Unchecked", "Qt::Checked", "Qt::Checked"}));
    // the layout's map and legend hold the two named layers only, in tree order
    const std::string layout = section(x, "Layout");
    EXPECT_EQ(attribute_values(section(layout, "LayerSet"), "Layer", "name"), (std::vector<std::string>{"Districts &amp; rates", "Sites"}));
    EXPECT_EQ(attribute_values(layout, "layer-tree-layer", "id"), (std::vector<std::string>{"districts_0001", "sites_layer_0004"}));
}

TEST(QgisProject, TextIsEscaped)
{
    const std::string x = qgis_project(sample_spec());
    EXPECT_NE(x.find("<title>Kalemie &lt;incidents&gt; &amp; \"more\"</title>"), std::string::npos);
    EXPECT_NE(x.find("projectname=\"Kalemie &lt;incidents&gt; &amp; &quot;more&quot;\""), std::string::npos);
    EXPECT_NE(x.find("<abstract>per 1000 &lt;people&gt;</abstract>"), std::string::npos);
    EXPECT_NE(x.find("labelText=\"Incidents &lt;2024&gt;\""), std::string::npos);
    EXPECT_NE(x.find("labelText=\"Source: test &amp; co\""), std::string::npos);
    ProjectSpec s = sample_spec();
    s.layouts[0].source_text = "line 1\nline 2\x01";
    const std::string y = qgis_project(s);
    EXPECT_NE(y.find("labelText=\"line 1&#10;line 2\""), std::string::npos); // control character dropped
    EXPECT_EQ(check_xml(y), "");
}

TEST(QgisProject, StylesAreEmbedded)
{
    const std::string x = qgis_project(sample_spec());
    const auto layers = [&] {
        std::vector<std::string> v;
        for (std::size_t at = x.find("<maplayer "); at != std::string::npos; at = x.find("<maplayer ", at + 1))
            v.push_back(x.substr(at, x.find("</maplayer>", at) - at));
        return v;
    }();
    ASSERT_EQ(layers.size(), 4u);
    EXPECT_NE(layers[0].find("<renderer-v2 type=\"graduatedSymbol\" attr=\"rate\""), std::string::npos);
    EXPECT_NE(layers[0].find("labelsEnabled=\"1\""), std::string::npos);
    EXPECT_NE(layers[0].find("<labeling type=\"simple\">"), std::string::npos);
    EXPECT_NE(layers[0].find("fieldName=\"name\""), std::string::npos);
    EXPECT_EQ(layers[0].find("<qgis"), std::string::npos);      // the QML's root is not copied
    EXPECT_EQ(layers[0].find("layerGeometryType"), std::string::npos);
    EXPECT_NE(layers[1].find("<rasterrenderer type=\"singlebandpseudocolor\""), std::string::npos);
    EXPECT_NE(layers[1].find("<noDataRange"), std::string::npos);
    EXPECT_EQ(layers[2].find("<pipe>"), std::string::npos);     // no style: QGIS's default
    EXPECT_NE(layers[3].find("labelsEnabled=\"0\""), std::string::npos);
    EXPECT_EQ(layers[3].find("<labeling"), std::string::npos);
    // a layout without layers follows the layers panel: no kept layer set, no legend tree
    ProjectSpec f = sample_spec();
    f.layouts[0].layers.clear();
    const std::string fx = qgis_project(f);
    EXPECT_NE(fx.find("keepLayerSet=\"false\""), std::string::npos);
    EXPECT_EQ(section(fx, "Layout").find("<layer-tree-group>"), std::string::npos);
    // a classed raster's legend in a layout leaves out QGIS's band-name line
    ProjectSpec r = sample_spec();
    r.layouts[0].layers = {"Density"};
    EXPECT_NE(qgis_project(r).find("name=\"legend/node-order\" type=\"QString\" value=\"1,2\""), std::string::npos);
    // temporal settings travel with the style
    ProjectSpec s = sample_spec();
    s.groups[0].layers[0].qml = with_temporal(s.groups[0].layers[0].qml, "start", "end");
    EXPECT_NE(qgis_project(s).find("<temporal enabled=\"1\" mode=\"2\" startField=\"start\""), std::string::npos);
}

TEST(QgisProject, BadSpecsThrow)
{
    ProjectSpec s = sample_spec();
    s.layouts[0].layers.push_back("No such layer");
    EXPECT_THROW(qgis_project(s), ParameterError);
    s = sample_spec();
    s.layouts.push_back(s.layouts[0]);
    EXPECT_THROW(qgis_project(s), ParameterError);
    s = sample_spec();
    s.extent = {};
    EXPECT_THROW(qgis_project(s), ParameterError);
    EXPECT_THROW(raster_qml({1}, {}, 0, ""), ParameterError);
    EXPECT_THROW(raster_qml({1, 2, 3}, ramp("YlOrRd", 3), 0, ""), ParameterError);
}
