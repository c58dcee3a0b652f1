// SPDX-License-Identifier: MIT
// QGIS 3.22 project writer: the subset of the .qgs format QGIS writes itself (learned from
// projects saved by QgsProject::write), built from small element writers.
#include "hotmap/report/qgis_project.hpp"

#include "hotmap/error.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>
#include <utility>

namespace hotmap::report {
namespace {

// ---------------------------------------------------------------------------------------
// XML output

std::string escape(const std::string& s, bool attribute)
{
    std::string o;
    o.reserve(s.size());
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '&': o += "&amp;"; break;
        case '<': o += "&lt;"; break;
        case '>': o += "&gt;"; break;
        // quotes only need escaping in attribute values (QGIS writes them raw in text)
        case '"': o += attribute ? "&quot;" : "\""; break;
        case '\'': o += attribute ? "&apos;" : "'"; break;
        case '\n': o += attribute ? "&#10;" : "\n"; break;
        case '\t': o += attribute ? "&#9;" : "\t"; break;
        case '\r': o += "&#13;"; break;
        default:
            // other control characters are not allowed in XML 1.0
            if (u >= 0x20) o.push_back(c);
        }
    }
    return o;
}

/// Shortest round-trip decimal, independent of the C locale.
std::string num(double v)
{
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char b[32];
    const auto r = std::to_chars(b, b + sizeof b, v);
    return std::string(b, r.ptr);
}

using Attrs = std::vector<std::pair<std::string, std::string>>;

/// An indenting XML writer: open/close pairs, leaves with text, raw fragments.
class Xml {
public:
    void open(const std::string& tag, const Attrs& attrs = {})
    {
        start(tag, attrs);
        m_out << ">\n";
        m_open.push_back(tag);
    }
    void close()
    {
        const std::string tag = m_open.back();
        m_open.pop_back();
        indent();
        m_out << "</" << tag << ">\n";
    }
    void empty(const std::string& tag, const Attrs& attrs = {})
    {
        start(tag, attrs);
        m_out << "/>\n";
    }
    void leaf(const std::string& tag, const std::string& text, const Attrs& attrs = {})
    {
        start(tag, attrs);
        m_out << ">" << escape(text, false) << "</" << tag << ">\n";
    }
    /// Already-formed XML (a QML fragment), copied as it is.
    void raw(const std::string& xml)
    {
        m_out << xml;
        if (!xml.empty() && xml.back() != '\n') m_out << '\n';
    }
    std::string str() const { return m_out.str(); }

private:
    void indent() { m_out << std::string(2 * m_open.size(), ' '); }
    void start(const std::string& tag, const Attrs& attrs)
    {
        indent();
        m_out << "<" << tag;
        for (const auto& [k, v] : attrs) m_out << " " << k << "=\"" << escape(v, true) << "\"";
    }
    std::ostringstream m_out;
    std::vector<std::string> m_open;
};

// ---------------------------------------------------------------------------------------
// The project's layers, flattened with their ids

struct LayerRef {
    const ProjectLayer* layer = nullptr;
    std::string id;
};

std::string slug(const std::string& s)
{
    std::string o;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) && u < 0x80) o.push_back(static_cast<char>(std::tolower(u)));
        else if (!o.empty() && o.back() != '_') o.push_back('_');
    }
    while (!o.empty() && o.back() == '_') o.pop_back();
    return o.empty() ? "layer" : o;
}

std::string file_stem(const std::string& path)
{
    const std::size_t slash = path.find_last_of("/\\");
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const std::size_t dot = name.find_last_of('.');
    return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

std::vector<LayerRef> flatten(const ProjectSpec& spec)
{
    std::vector<LayerRef> out;
    for (const auto& g : spec.groups)
        for (const auto& l : g.layers) {
            char seq[16];
            std::snprintf(seq, sizeof seq, "_%04zu", out.size() + 1);
            std::string id = slug(l.layer_name.empty() ? file_stem(l.source) : l.layer_name);
            // QGIS keeps an id read from a project only when it is longer than 10 characters
            // (it replaces shorter ones with a random one)
            if (id.size() + 5 <= 10) id += "_layer";
            out.push_back({&l, id + seq});
        }
    return out;
}

const std::string& id_of(const std::vector<LayerRef>& refs, const ProjectLayer& l)
{
    return std::find_if(refs.begin(), refs.end(), [&](const LayerRef& r) { return r.layer == &l; })->id;
}

/// "./results.gpkg", also for "results.gpkg" (QGIS writes relative paths with "./").
std::string relative(const std::string& path)
{
    if (path.empty() || path[0] == '/' || path.rfind("./", 0) == 0 || path.rfind("../", 0) == 0 ||
        (path.size() > 1 && path[1] == ':'))
        return path;
    return "./" + path;
}

std::string datasource(const ProjectLayer& l)
{
    const std::string path = relative(l.source);
    if (l.layer_name.empty()) return path;
    return l.raster ? "GPKG:" + path + ":" + l.layer_name : path + "|layername=" + l.layer_name;
}

std::string provider(const ProjectLayer& l) { return l.raster ? "gdal" : "ogr"; }

std::string checked(bool on) { return on ? "Qt::Checked" : "Qt::Unchecked"; }

// ---------------------------------------------------------------------------------------
// Project-level elements

/// An "EPSG:32735"-like authority id, or "" when the CRS has none (id() is then its name).
std::string authid(const crs::Crs& c)
{
    const std::string& id = c.id();
    const std::size_t colon = id.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == id.size() || id.find(' ') != std::string::npos) return {};
    return id;
}

/// WKT on one line, as QGIS writes it: newlines and indentation outside quoted names removed.
std::string one_line(const std::string& wkt)
{
    std::string o;
    bool quoted = false;
    for (std::size_t i = 0; i < wkt.size(); ++i) {
        const char c = wkt[i];
        if (c == '"') quoted = !quoted;
        if (!quoted && (c == '\n' || c == '\r')) {
            while (i + 1 < wkt.size() && wkt[i + 1] == ' ') ++i;
            continue;
        }
        o.push_back(c);
    }
    return o;
}

void spatialrefsys(Xml& x, const crs::Crs& c)
{
    // QGIS reads authid first and falls back to the WKT (a CRS without an EPSG code)
    x.open("spatialrefsys");
    x.leaf("wkt", one_line(c.wkt()));
    x.leaf("proj4", "");
    x.leaf("authid", authid(c));
    x.leaf("description", c.name());
    x.leaf("geographicflag", c.is_geographic() ? "true" : "false");
    x.close();
}

void layer_tree(Xml& x, const ProjectSpec& spec, const std::vector<LayerRef>& refs)
{
    x.open("layer-tree-group");
    for (const auto& g : spec.groups) {
        x.open("layer-tree-group", {{"name", g.name}, {"checked", checked(true)}, {"expanded", g.expanded ? "1" : "0"}});
        for (const auto& l : g.layers)
            x.empty("layer-tree-layer", {{"id", id_of(refs, l)},
                                         {"name", l.title},
                                         {"source", datasource(l)},
                                         {"providerKey", provider(l)},
                                         {"checked", checked(l.visible)},
                                         {"expanded", "1"},
                                         {"legend_exp", ""},
                                         {"patch_size", "-1,-1"}});
        x.close();
    }
    x.open("custom-order", {{"enabled", "0"}});
    for (const auto& r : refs) x.leaf("item", r.id);
    x.close();
    x.close();
}

void map_canvas(Xml& x, const ProjectSpec& spec)
{
    x.open("mapcanvas", {{"name", "theMapCanvas"}, {"annotationsVisible", "1"}});
    x.leaf("units", spec.crs.is_geographic() ? "degrees" : "meters");
    x.open("extent");
    x.leaf("xmin", num(spec.extent.xmin));
    x.leaf("ymin", num(spec.extent.ymin));
    x.leaf("xmax", num(spec.extent.xmax));
    x.leaf("ymax", num(spec.extent.ymax));
    x.close();
    x.leaf("rotation", "0");
    x.open("destinationsrs");
    spatialrefsys(x, spec.crs);
    x.close();
    x.leaf("rendermaptile", "0");
    x.close();
}

void view_settings(Xml& x, const ProjectSpec& spec)
{
    // QGIS 3.18+ opens on this extent when the canvas section is absent or ignored
    x.open("ProjectViewSettings", {{"UseProjectScales", "0"}, {"rotation", "0"}});
    x.empty("Scales");
    x.open("DefaultViewExtent", {{"xmin", num(spec.extent.xmin)},
                                 {"ymin", num(spec.extent.ymin)},
                                 {"xmax", num(spec.extent.xmax)},
                                 {"ymax", num(spec.extent.ymax)}});
    spatialrefsys(x, spec.crs);
    x.close();
    x.close();
}

void properties(Xml& x)
{
    x.open("properties");
    x.open("Paths");
    x.leaf("Absolute", "false", {{"type", "bool"}});
    x.close();
    x.open("SpatialRefSys");
    x.leaf("ProjectionsEnabled", "1", {{"type", "int"}});
    x.close();
    x.close();
}

// ---------------------------------------------------------------------------------------
// Map layers

/// The children of a QML document's <qgis> root element ("" when there is none).
std::string qml_body(const std::string& qml)
{
    std::size_t at = qml.find("<qgis");
    while (at != std::string::npos && qml.compare(at, 6, "<qgis ") != 0 && qml.compare(at, 6, "<qgis>") != 0)
        at = qml.find("<qgis", at + 1);
    if (at == std::string::npos) return {};
    const std::size_t open_end = qml.find('>', at);
    const std::size_t close = qml.rfind("</qgis>");
    if (open_end == std::string::npos || qml[open_end - 1] == '/' || close == std::string::npos || close < open_end) return {};
    std::string body = qml.substr(open_end + 1, close - open_end - 1);
    // the geometry type of a style file is the layer's own attribute in a project
    const std::size_t g = body.find("<layerGeometryType>");
    if (g != std::string::npos) {
        const std::size_t e = body.find("</layerGeometryType>", g);
        if (e != std::string::npos) {
            std::size_t from = body.rfind('\n', g);
            from = from == std::string::npos ? g : from;
            body.erase(from, e + 20 - from);
        }
    }
    while (!body.empty() && (body.front() == '\n' || body.front() == '\r')) body.erase(0, 1);
    return body;
}

bool has_element(const std::string& xml, const std::string& tag)
{
    const std::string a = "<" + tag + " ", b = "<" + tag + ">";
    return xml.find(a) != std::string::npos || xml.find(b) != std::string::npos;
}

/// Simple labels on one field: dark text with a white halo, over the polygon's centroid
/// (beside a point, along a line).
void simple_labeling(Xml& x, const ProjectLayer& l)
{
    const std::string placement = l.geometry == "Point" ? "0" : l.geometry == "Line" ? "2" : "1";
    x.open("labeling", {{"type", "simple"}});
    x.open("settings", {{"calloutType", "simple"}});
    x.open("text-style", {{"fieldName", l.label_field},
                          {"isExpression", "0"},
                          {"fontFamily", "Sans Serif"},
                          {"fontSize", "8"},
                          {"fontSizeUnit", "Point"},
                          {"fontWeight", "50"},
                          {"namedStyle", "Regular"},
                          {"textColor", "40,40,40,255"},
                          {"textOpacity", "1"},
                          {"multilineHeight", "1"}});
    x.empty("text-buffer", {{"bufferDraw", "1"},
                            {"bufferSize", "0.8"},
                            {"bufferSizeUnits", "MM"},
                            {"bufferColor", "255,255,255,255"},
                            {"bufferOpacity", "0.8"},
                            {"bufferJoinStyle", "128"},
                            {"bufferNoFill", "1"}});
    x.close();
    x.empty("text-format", {{"wrapChar", ""}, {"multilineAlign", "1"}});
    x.empty("placement", {{"placement", placement},
                          {"dist", l.geometry == "Point" ? "1" : "0"},
                          {"distUnits", "MM"},
                          {"placementFlags", "10"},
                          {"priority", "5"},
                          {"fitInPolygonOnly", "0"}});
    x.empty("rendering", {{"drawLabels", "1"},
                          {"obstacle", "1"},
                          {"obstacleType", "1"},
                          {"displayAll", "0"},
                          {"scaleVisibility", "0"},
                          {"fontMaxPixelSize", "10000"}});
    x.close();
    x.close();
}

void resource_metadata(Xml& x, const ProjectLayer& l)
{
    x.open("resourceMetadata");
    x.leaf("type", "dataset");
    x.leaf("title", l.title);
    x.leaf("abstract", l.abstract);
    if (l.feature_count > 0 && !l.raster) {
        x.open("keywords", {{"vocabulary", "hotmap"}});
        x.leaf("keyword", std::to_string(l.feature_count) + " features");
        x.close();
    }
    x.close();
}

void map_layer(Xml& x, const ProjectSpec& spec, const ProjectLayer& l, const std::string& id)
{
    const std::string style = qml_body(l.qml);
    const bool labels = !l.raster && (!l.label_field.empty() || has_element(style, "labeling"));
    Attrs attrs = {{"type", l.raster ? "raster" : "vector"}, {"styleCategories", "AllStyleCategories"}};
    if (!l.raster) {
        attrs.emplace_back("geometry", l.geometry.empty() ? "No geometry" : l.geometry);
        attrs.emplace_back("labelsEnabled", labels ? "1" : "0");
        attrs.emplace_back("readOnly", "0");
    }
    attrs.emplace_back("hasScaleBasedVisibilityFlag", "0");
    x.open("maplayer", attrs);
    x.leaf("id", id);
    x.leaf("datasource", datasource(l));
    x.leaf("abstract", l.abstract);
    x.leaf("layername", l.title);
    x.open("srs");
    spatialrefsys(x, spec.crs);
    x.close();
    resource_metadata(x, l);
    if (l.raster) x.leaf("provider", "gdal");
    else x.leaf("provider", "ogr", {{"encoding", "UTF-8"}});
    x.open("map-layer-style-manager", {{"current", "default"}});
    x.empty("map-layer-style", {{"name", "default"}});
    x.close();
    x.open("flags");
    x.leaf("Identifiable", "1");
    x.leaf("Removable", "1");
    x.leaf("Searchable", "1");
    x.leaf("Private", "0");
    x.close();
    x.raw(style);
    if (!l.raster && !l.label_field.empty() && !has_element(style, "labeling")) simple_labeling(x, l);
    x.close();
}

void project_layers(Xml& x, const ProjectSpec& spec, const std::vector<LayerRef>& refs)
{
    x.open("projectlayers");
    for (const auto& r : refs) map_layer(x, spec, *r.layer, r.id);
    x.close();
    x.open("layerorder");
    for (const auto& r : refs) x.empty("layer", {{"id", r.id}});
    x.close();
}

// ---------------------------------------------------------------------------------------
// Print layouts (A4 landscape, millimetres)

constexpr double k_page_w = 297, k_page_h = 210;
constexpr double k_margin = 10;
constexpr double k_map_x = k_margin, k_map_y = 24, k_map_w = 205, k_map_h = 170;
constexpr double k_side_x = k_map_x + k_map_w + 6; ///< legend column
constexpr const char* k_font = "Sans Serif";

/// A QFont description ("Sans Serif,12,-1,5,50,0,0,0,0,0"): weight 50 regular, 75 bold.
std::string font(double points, bool bold)
{
    return std::string(k_font) + "," + num(points) + ",-1,5," + (bold ? "75" : "50") + ",0,0,0,0,0";
}

/// Deterministic uuid-shaped item ids: layout number and item number.
std::string item_uuid(std::size_t layout, int item)
{
    char b[64];
    std::snprintf(b, sizeof b, "{00000000-0000-4000-8000-%06zu%06d}", layout + 1, item);
    return b;
}

std::string pos(double x_mm, double y_mm) { return num(x_mm) + "," + num(y_mm) + ",mm"; }

struct Box {
    double x, y, w, h;
};

/// The attributes every layout item has (QgsLayoutItem::writeXml).
Attrs item_attrs(int type, const std::string& uuid, const std::string& id, Box b, int z, bool frame, bool background)
{
    return {{"type", std::to_string(type)},
            {"uuid", uuid},
            {"templateUuid", uuid},
            {"id", id},
            {"position", pos(b.x, b.y)},
            {"positionOnPage", pos(b.x, b.y)},
            {"size", pos(b.w, b.h)},
            {"referencePoint", "0"},
            {"itemRotation", "0"},
            {"zValue", std::to_string(z)},
            {"visibility", "1"},
            {"positionLock", "false"},
            {"frame", frame ? "true" : "false"},
            {"background", background ? "true" : "false"},
            {"outlineWidthM", "0.3,mm"},
            {"frameJoinStyle", "miter"},
            {"opacity", "1"},
            {"blendMode", "0"},
            {"excludeFromExports", "0"},
            {"groupUuid", ""}};
}

void colour(Xml& x, const std::string& tag, Rgba c)
{
    x.empty(tag, {{"red", std::to_string(c.r)}, {"green", std::to_string(c.g)}, {"blue", std::to_string(c.b)}, {"alpha", std::to_string(c.a)}});
}

void item_colours(Xml& x, Rgba background)
{
    colour(x, "FrameColor", {0, 0, 0, 255});
    colour(x, "BackgroundColor", background);
}

void page(Xml& x, std::size_t li)
{
    x.open("PageCollection");
    x.open("LayoutItem", item_attrs(65638, item_uuid(li, 0), "", {0, 0, k_page_w, k_page_h}, 0, false, true));
    item_colours(x, {255, 255, 255, 255});
    x.close();
    x.empty("GuideCollection", {{"visible", "1"}});
    x.close();
}

void label_item(Xml& x, const std::string& uuid, const std::string& id, const std::string& text, Box b, double points, bool bold,
                Rgba text_colour, int z)
{
    Attrs a = item_attrs(65641, uuid, id, b, z, false, false);
    a.insert(a.end(), {{"labelText", text}, {"htmlState", "0"}, {"halign", "1"}, {"valign", "128"}, {"marginX", "0"}, {"marginY", "0"}});
    x.open("LayoutItem", a);
    item_colours(x, {255, 255, 255, 255});
    x.empty("LabelFont", {{"description", font(points, bold)}, {"style", bold ? "Bold" : ""}});
    colour(x, "FontColor", text_colour);
    x.close();
}

/// `e` grown by 4 % on each side and then to the aspect ratio of the map frame, centred.
Extent fitted(const Extent& e)
{
    double w = std::max(e.width(), 1e-9) * 1.08, h = std::max(e.ymax - e.ymin, 1e-9) * 1.08;
    const double aspect = k_map_w / k_map_h;
    if (w / h > aspect) h = w / aspect;
    else w = h * aspect;
    const double cx = (e.xmin + e.xmax) / 2, cy = (e.ymin + e.ymax) / 2;
    return {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
}

void map_item(Xml& x, const ProjectSpec& spec, const std::vector<const LayerRef*>& shown, const std::string& uuid)
{
    Attrs a = item_attrs(65639, uuid, "Map", {k_map_x, k_map_y, k_map_w, k_map_h}, 1, true, true);
    // no layers named: the map shows the layers checked in the project's layers panel
    a.insert(a.end(), {{"keepLayerSet", shown.empty() ? "false" : "true"},
                       {"followPreset", "false"},
                       {"followPresetName", ""},
                       {"drawCanvasItems", "true"},
                       {"mapRotation", "0"},
                       {"isTemporal", "0"},
                       {"labelMargin", "0,mm"},
                       {"mapFlags", "0"}});
    x.open("LayoutItem", a);
    item_colours(x, {255, 255, 255, 255});
    const Extent e = fitted(spec.extent);
    x.empty("Extent", {{"xmin", num(e.xmin)}, {"ymin", num(e.ymin)}, {"xmax", num(e.xmax)}, {"ymax", num(e.ymax)}});
    x.open("crs");
    spatialrefsys(x, spec.crs);
    x.close();
    x.open("LayerSet");
    for (const LayerRef* r : shown)
        x.leaf("Layer", r->id, {{"name", r->layer->title}, {"source", datasource(*r->layer)}, {"provider", provider(*r->layer)}});
    x.close();
    x.close();
}

void legend_style(Xml& x, const std::string& name, double points, bool bold, double margin_top)
{
    Attrs a = {{"name", name}, {"alignment", "1"}, {"indent", "0"}};
    if (name == "title") a.emplace_back("marginBottom", "2.5");
    else a.emplace_back("marginTop", num(margin_top));
    if (name == "symbolLabel") a.emplace_back("marginLeft", "2");
    x.open("style", a);
    x.empty("styleFont", {{"description", font(points, bold)}, {"style", bold ? "Bold" : ""}});
    x.close();
}

/// For a classed pseudocolour raster: the legend nodes to show, "1,2,...,n", which leaves out
/// QGIS's first node, the band name ("Band 1: density, incidents per km2 (Gray)"), too wide
/// for the legend column. "" for other styles (QGIS's own nodes, all of them).
std::string raster_legend_order(const ProjectLayer& l)
{
    if (!l.raster) return {};
    const std::string style = qml_body(l.qml);
    if (style.find("type=\"singlebandpseudocolor\"") == std::string::npos ||
        (style.find("colorRampType=\"DISCRETE\"") == std::string::npos && style.find("colorRampType=\"EXACT\"") == std::string::npos))
        return {};
    const std::size_t from = style.find("<colorrampshader"), to = style.find("</colorrampshader>");
    std::string order;
    std::size_t n = 0;
    for (std::size_t at = style.find("<item ", from); at != std::string::npos && at < to; at = style.find("<item ", at + 1)) {
        ++n;
        order += (n > 1 ? "," : "") + std::to_string(n);
    }
    return order;
}

/// The legend's own layer tree: the shown layers, without groups.
void legend_tree(Xml& x, const std::vector<const LayerRef*>& shown)
{
    x.open("layer-tree-group");
    for (const LayerRef* r : shown) {
        x.open("layer-tree-layer", {{"id", r->id},
                                    {"name", r->layer->title},
                                    {"source", datasource(*r->layer)},
                                    {"providerKey", provider(*r->layer)},
                                    {"checked", checked(true)},
                                    {"expanded", "1"},
                                    {"legend_exp", ""},
                                    {"patch_size", "-1,-1"}});
        const std::string order = raster_legend_order(*r->layer);
        if (!order.empty()) {
            x.open("customproperties");
            x.open("Option", {{"type", "Map"}});
            x.empty("Option", {{"name", "legend/node-order"}, {"type", "QString"}, {"value", order}});
            x.close();
            x.close();
        }
        x.close();
    }
    x.close();
}

/// A legend with its own layer tree (only the map's layers), not following the project.
void legend_item(Xml& x, const PrintLayout& pl, const std::vector<const LayerRef*>& shown, const std::string& uuid,
                 const std::string& map_uuid)
{
    Attrs a = item_attrs(65642, uuid, "Legend", {k_side_x, k_map_y, k_page_w - k_margin - k_side_x, 0}, 3, false, false);
    a.insert(a.end(), {{"title", pl.legend_title},
                       {"map_uuid", map_uuid},
                       {"resizeToContents", "1"},
                       {"columnCount", "1"},
                       {"splitLayer", "0"},
                       {"equalColumnWidth", "0"},
                       {"boxSpace", "1"},
                       {"columnSpace", "2"},
                       {"symbolWidth", "7"},
                       {"symbolHeight", "4"},
                       {"symbolAlignment", "1"},
                       {"titleAlignment", "1"},
                       {"lineSpacing", "1"},
                       {"fontColor", "#000000"},
                       {"rasterBorder", "1"},
                       {"rasterBorderColor", "0,0,0,255"},
                       {"rasterBorderWidth", "0"},
                       {"wrapChar", ""},
                       {"legendFilterByAtlas", "0"}});
    x.open("LayoutItem", a);
    item_colours(x, {255, 255, 255, 255});
    x.open("styles");
    legend_style(x, "title", 12, true, 0);
    legend_style(x, "group", 11, true, 3);
    legend_style(x, "subgroup", 10, true, 3);
    legend_style(x, "symbol", 9, false, 1.5);
    legend_style(x, "symbolLabel", 9, false, 1.5);
    x.close();
    // no layers named: the legend follows the project's layer tree (no tree of its own)
    if (!shown.empty()) legend_tree(x, shown);
    x.close();
}

/// 1, 2 or 5 times a power of ten, at most v.
double nice_floor(double v)
{
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * p <= v) return m * p;
    return p;
}

void scale_bar_item(Xml& x, const ProjectSpec& spec, const std::string& uuid, const std::string& map_uuid)
{
    // two segments covering about a quarter of the map width
    const Extent e = fitted(spec.extent);
    double width_m = e.width();
    if (spec.crs.is_geographic())
        width_m *= 111'320.0 * std::cos((e.ymin + e.ymax) / 2 * 3.14159265358979323846 / 180);
    const double segment_m = nice_floor(std::max(width_m / 8, 1e-3));
    const bool km = segment_m >= 1000;
    const double segment_units = km ? segment_m / 1000 : segment_m;
    const double segment_mm = segment_m / width_m * k_map_w;
    Attrs a = item_attrs(65646, uuid, "Scale bar", {k_map_x + 3, k_map_y + k_map_h - 15, 2 * segment_mm + 14, 12}, 4, false, true);
    a.insert(a.end(), {{"style", "Single Box"},
                       {"mapUuid", map_uuid},
                       {"unitType", km ? "km" : "meters"}, // QgsUnitTypes::encodeUnit
                       {"unitLabel", km ? "km" : "m"},
                       {"numSegments", "2"},
                       {"numSegmentsLeft", "0"},
                       {"numSubdivisions", "1"},
                       {"subdivisionsHeight", "1.5"},
                       {"numUnitsPerSegment", num(segment_units)},
                       {"segmentSizeMode", "0"},
                       {"minBarWidth", "50"},
                       {"maxBarWidth", "150"},
                       {"segmentMillimeters", num(segment_mm)},
                       {"numMapUnitsPerScaleBarUnit", "1"},
                       {"height", "2"},
                       {"labelBarSpace", "2"},
                       {"boxContentSpace", "2"},
                       {"alignment", "0"},
                       {"labelVerticalPlacement", "0"},
                       {"labelHorizontalPlacement", "0"},
                       {"lineJoinStyle", "miter"},
                       {"lineCapStyle", "square"},
                       {"outlineWidth", "0.3"}});
    x.open("LayoutItem", a);
    item_colours(x, {255, 255, 255, 210});
    x.open("text-style", {{"fontFamily", k_font}, {"fontSize", "8"}, {"fontSizeUnit", "Point"}, {"fontWeight", "50"},
                          {"textColor", "0,0,0,255"}, {"textOpacity", "1"}, {"multilineHeight", "1"}});
    x.empty("text-buffer", {{"bufferDraw", "0"}});
    x.close();
    colour(x, "fillColor", {0, 0, 0, 255});
    colour(x, "fillColor2", {255, 255, 255, 255});
    colour(x, "strokeColor", {0, 0, 0, 255});
    x.close();
}

void north_arrow_item(Xml& x, const std::string& uuid, const std::string& map_uuid)
{
    const Box b{k_map_x + k_map_w - 17, k_map_y + 3, 14, 20};
    Attrs a = item_attrs(65640, uuid, "North arrow", b, 5, false, false);
    a.insert(a.end(), {{"file", ":/images/north_arrows/layout_default_north_arrow.svg"},
                       {"mapUuid", map_uuid},
                       {"northMode", "0"},
                       {"northOffset", "0"},
                       {"pictureRotation", "0"},
                       {"pictureWidth", num(b.w)},
                       {"pictureHeight", num(b.h)},
                       {"resizeMode", "0"},
                       {"anchorPoint", "0"},
                       {"mode", "0"},
                       {"svgFillColor", "255,255,255,255"},
                       {"svgBorderColor", "0,0,0,255"},
                       {"svgBorderWidth", "0.2"}});
    x.open("LayoutItem", a);
    item_colours(x, {255, 255, 255, 255});
    x.close();
}

std::vector<const LayerRef*> shown_layers(const PrintLayout& pl, const std::vector<LayerRef>& refs)
{
    std::set<const LayerRef*> wanted;
    for (const auto& title : pl.layers) {
        auto it = std::find_if(refs.begin(), refs.end(), [&](const LayerRef& r) { return r.layer->title == title; });
        if (it == refs.end())
            throw ParameterError("QGIS project: layout '" + pl.name + "' shows layer '" + title + "', which the project does not have");
        wanted.insert(&*it);
    }
    // in layer-tree order, which is also the drawing order (top first)
    std::vector<const LayerRef*> out;
    for (const auto& r : refs)
        if (wanted.count(&r)) out.push_back(&r);
    return out;
}

void layout(Xml& x, const ProjectSpec& spec, const PrintLayout& pl, std::size_t li, const std::vector<LayerRef>& refs)
{
    const auto shown = shown_layers(pl, refs);
    const std::string map_uuid = item_uuid(li, 2);
    x.open("Layout", {{"name", pl.name}, {"units", "mm"}, {"printResolution", "300"}, {"worldFileMap", ""}});
    x.empty("Snapper", {{"snapToGrid", "0"}, {"snapToGuides", "1"}, {"snapToItems", "1"}, {"tolerance", "5"}});
    x.empty("Grid", {{"resolution", "10"}, {"resUnits", "mm"}, {"offsetX", "0"}, {"offsetY", "0"}, {"offsetUnits", "mm"}});
    page(x, li);
    label_item(x, item_uuid(li, 1), "Title", pl.title, {k_margin, 7, k_page_w - 2 * k_margin, 14}, 18, true, {0, 0, 0, 255}, 2);
    map_item(x, spec, shown, map_uuid);
    legend_item(x, pl, shown, item_uuid(li, 3), map_uuid);
    scale_bar_item(x, spec, item_uuid(li, 4), map_uuid);
    north_arrow_item(x, item_uuid(li, 5), map_uuid);
    label_item(x, item_uuid(li, 6), "Source", pl.source_text, {k_margin, k_map_y + k_map_h + 2, k_page_w - 2 * k_margin, 10}, 8,
               false, {80, 80, 80, 255}, 6);
    x.empty("Atlas", {{"enabled", "0"}, {"coverageLayer", ""}, {"hideCoverage", "0"}, {"filenamePattern", "'output_'||@atlas_featurenumber"},
                      {"pageNameExpression", ""}, {"sortFeatures", "0"}, {"filterFeatures", "0"}});
    x.close();
}

void layouts(Xml& x, const ProjectSpec& spec, const std::vector<LayerRef>& refs)
{
    std::set<std::string> names;
    for (const auto& pl : spec.layouts)
        if (!names.insert(pl.name).second) throw ParameterError("QGIS project: two layouts are named '" + pl.name + "'");
    x.open("Layouts");
    for (std::size_t i = 0; i < spec.layouts.size(); ++i) layout(x, spec, spec.layouts[i], i, refs);
    x.close();
}

void project_metadata(Xml& x, const ProjectSpec& spec)
{
    x.open("projectMetadata");
    x.leaf("title", spec.title);
    x.close();
}

std::string fmt_fixed(double v, int dec)
{
    char b[64];
    std::snprintf(b, sizeof b, "%.*f", dec, v);
    return b;
}

std::string hex(Rgba c)
{
    char b[16];
    std::snprintf(b, sizeof b, "#%02x%02x%02x", std::clamp(c.r, 0, 255), std::clamp(c.g, 0, 255), std::clamp(c.b, 0, 255));
    return b;
}

} // namespace

std::string qgis_project(const ProjectSpec& spec)
{
    if (spec.extent.empty()) throw ParameterError("QGIS project: the extent is empty");
    const auto refs = flatten(spec);
    Xml x;
    x.raw("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>");
    x.open("qgis", {{"version", "3.22.0"}, {"projectname", spec.title}});
    x.empty("homePath", {{"path", ""}});
    x.leaf("title", spec.title);
    x.open("projectCrs");
    spatialrefsys(x, spec.crs);
    x.close();
    layer_tree(x, spec, refs);
    map_canvas(x, spec);
    project_layers(x, spec, refs);
    properties(x);
    project_metadata(x, spec);
    layouts(x, spec, refs);
    view_settings(x, spec);
    x.close();
    return x.str();
}

std::string raster_qml(const std::vector<double>& breaks, const std::vector<Rgba>& colors, int dec, const std::string& units)
{
    if (breaks.size() < 2) throw ParameterError("raster style: at least two class breaks are needed");
    const std::size_t n = breaks.size() - 1;
    if (colors.size() != n)
        throw ParameterError("raster style: " + std::to_string(n) + " classes need as many colours, not " + std::to_string(colors.size()));
    Xml x;
    x.raw("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>");
    x.open("qgis", {{"version", "3.22.0"}, {"styleCategories", "Symbology"}});
    // a user no-data range up to the first break: zero density stays transparent
    x.open("noData");
    x.open("noDataList", {{"bandNo", "1"}, {"useSrcNoData", "1"}});
    x.empty("noDataRange", {{"min", num(-1.7976931348623157e308)}, {"max", num(breaks[0])}});
    x.close();
    x.close();
    x.open("pipe");
    x.open("rasterrenderer", {{"type", "singlebandpseudocolor"},
                              {"band", "1"},
                              {"opacity", "1"},
                              {"alphaBand", "-1"},
                              {"nodataColor", ""},
                              {"classificationMin", num(breaks[0])},
                              {"classificationMax", num(breaks[n])}});
    x.open("rastershader");
    x.open("colorrampshader", {{"colorRampType", "DISCRETE"},
                               {"classificationMode", "1"},
                               {"clip", "0"},
                               {"minimumValue", num(breaks[0])},
                               {"maximumValue", num(breaks[n])},
                               {"labelPrecision", std::to_string(dec)}});
    for (std::size_t i = 0; i < n; ++i) {
        // a discrete item holds the values up to its own: the last one everything above
        const std::string label = fmt_fixed(breaks[i], dec) + " - " + fmt_fixed(breaks[i + 1], dec) + (units.empty() ? "" : " " + units);
        x.empty("item", {{"value", i + 1 == n ? "inf" : num(breaks[i + 1])},
                         {"color", hex(colors[i])},
                         {"alpha", std::to_string(std::clamp(colors[i].a, 0, 255))},
                         {"label", label}});
    }
    x.close();
    x.close();
    x.close();
    x.empty("brightnesscontrast", {{"brightness", "0"}, {"contrast", "0"}, {"gamma", "1"}});
    x.empty("huesaturation", {{"saturation", "0"}, {"grayscaleMode", "0"}, {"colorizeOn", "0"}, {"invertColors", "0"}});
    x.empty("rasterresampler", {{"maxOversampling", "2"}});
    x.leaf("resamplingStage", "resamplingFilter");
    x.close();
    x.leaf("blendMode", "0");
    x.close();
    return x.str();
}

} // namespace hotmap::report
