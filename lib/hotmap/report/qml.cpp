// SPDX-License-Identifier: MIT
// QML writer: the subset of QGIS 3 renderer XML hotmap's layers need.
#include "hotmap/report/qml.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace hotmap::report {
namespace {

std::string esc(const std::string& s)
{
    std::string o;
    for (char c : s) {
        switch (c) {
        case '&': o += "&amp;"; break;
        case '<': o += "&lt;"; break;
        case '>': o += "&gt;"; break;
        case '"': o += "&quot;"; break;
        case '\'': o += "&apos;"; break;
        default: o.push_back(c);
        }
    }
    return o;
}

std::string color_str(Rgba c)
{
    return std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + "," + std::to_string(c.a);
}

std::string symbol_xml(io::GeomKind kind, const std::string& name, Rgba c, double size)
{
    std::ostringstream o;
    auto prop = [&](const char* k, const std::string& v) { o << "          <prop k=\"" << k << "\" v=\"" << esc(v) << "\"/>\n"; };
    switch (kind) {
    case io::GeomKind::point:
        o << "      <symbol type=\"marker\" name=\"" << name << "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
          << "        <layer class=\"SimpleMarker\" enabled=\"1\" pass=\"0\" locked=\"0\">\n";
        prop("color", color_str(c));
        prop("name", "circle");
        prop("outline_color", "50,50,50,255");
        prop("outline_width", "0.2");
        prop("size", std::to_string(size > 0 ? size : 2.4));
        prop("size_unit", "MM");
        break;
    case io::GeomKind::line:
        o << "      <symbol type=\"line\" name=\"" << name << "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
          << "        <layer class=\"SimpleLine\" enabled=\"1\" pass=\"0\" locked=\"0\">\n";
        prop("line_color", color_str(c));
        prop("line_width", std::to_string(size > 0 ? size : 0.8));
        prop("line_width_unit", "MM");
        prop("line_style", "solid");
        break;
    default:
        o << "      <symbol type=\"fill\" name=\"" << name << "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
          << "        <layer class=\"SimpleFill\" enabled=\"1\" pass=\"0\" locked=\"0\">\n";
        prop("color", color_str(c));
        prop("outline_color", "90,90,90,255");
        prop("outline_width", std::to_string(size > 0 ? size : 0.26));
        prop("outline_width_unit", "MM");
        prop("style", "solid");
        prop("outline_style", "solid");
        break;
    }
    o << "        </layer>\n      </symbol>\n";
    return o.str();
}

int geometry_type_code(io::GeomKind k)
{
    switch (k) {
    case io::GeomKind::point: return 0;
    case io::GeomKind::line: return 1;
    case io::GeomKind::polygon: return 2;
    default: return 4;
    }
}

std::string wrap(const std::string& renderer, io::GeomKind kind)
{
    std::ostringstream o;
    o << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
      << "<qgis version=\"3.22.0\" styleCategories=\"Symbology\">\n"
      << renderer << "  <blendMode>0</blendMode>\n  <featureBlendMode>0</featureBlendMode>\n"
      << "  <layerGeometryType>" << geometry_type_code(kind) << "</layerGeometryType>\n</qgis>\n";
    return o.str();
}

std::string fmt(double v, int dec)
{
    char b[64];
    std::snprintf(b, sizeof b, "%.*f", dec, v);
    return b;
}

} // namespace

std::vector<Rgba> ramp(const std::string& name, int n)
{
    static const std::vector<Rgba> ylorrd = {{255, 255, 178}, {254, 204, 92}, {253, 141, 60}, {240, 59, 32}, {189, 0, 38}};
    static const std::vector<Rgba> rdbu = {{33, 102, 172}, {103, 169, 207}, {209, 229, 240}, {247, 247, 247},
                                           {253, 219, 199}, {239, 138, 98}, {178, 24, 43}};
    const auto& stops = name == "RdBu" ? rdbu : ylorrd;
    std::vector<Rgba> out;
    for (int i = 0; i < n; ++i) {
        const double t = n == 1 ? 1.0 : static_cast<double>(i) / (n - 1) * static_cast<double>(stops.size() - 1);
        const std::size_t k = std::min(static_cast<std::size_t>(t), stops.size() - 2);
        const double f = t - static_cast<double>(k);
        auto lerp = [&](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * f)); };
        out.push_back({lerp(stops[k].r, stops[k + 1].r), lerp(stops[k].g, stops[k + 1].g), lerp(stops[k].b, stops[k + 1].b), 255});
    }
    return out;
}

std::vector<double> quantile_breaks(std::vector<double> v, int n)
{
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
    if (v.empty()) return {0, 1};
    std::sort(v.begin(), v.end());
    std::vector<double> b;
    for (int i = 0; i <= n; ++i) {
        // the i-th n-quantile's lower order statistic, in integers (0.7 * 90 must be 63, not 62.999...)
        const std::size_t at = static_cast<std::size_t>(i) * (v.size() - 1) / static_cast<std::size_t>(n);
        const double x = v[at];
        if (b.empty() || x > b.back()) b.push_back(x);
    }
    if (b.size() == 1) b.push_back(b[0] + 1);
    return b;
}

std::string graduated_qml(const std::string& field, io::GeomKind kind, const std::vector<double>& breaks,
                          const std::vector<Rgba>& colors, int dec, const std::string& units)
{
    std::ostringstream o;
    o << "  <renderer-v2 type=\"graduatedSymbol\" attr=\"" << esc(field)
      << "\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <ranges>\n";
    const std::size_t n = breaks.size() - 1;
    for (std::size_t i = 0; i < n; ++i)
        o << "      <range lower=\"" << fmt(breaks[i], 12) << "\" upper=\"" << fmt(breaks[i + 1], 12) << "\" symbol=\"" << i
          << "\" label=\"" << fmt(breaks[i], dec) << " - " << fmt(breaks[i + 1], dec) << (units.empty() ? "" : " " + esc(units))
          << "\" render=\"true\"/>\n";
    o << "    </ranges>\n    <symbols>\n";
    for (std::size_t i = 0; i < n; ++i) o << symbol_xml(kind, std::to_string(i), colors[std::min(i, colors.size() - 1)], 0);
    o << "    </symbols>\n  </renderer-v2>\n";
    return wrap(o.str(), kind);
}

std::string categorized_qml(const std::string& field, io::GeomKind kind, const std::vector<Category>& classes)
{
    std::ostringstream o;
    o << "  <renderer-v2 type=\"categorizedSymbol\" attr=\"" << esc(field)
      << "\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <categories>\n";
    for (std::size_t i = 0; i < classes.size(); ++i)
        o << "      <category value=\"" << esc(classes[i].value) << "\" symbol=\"" << i << "\" label=\""
          << esc(classes[i].label) << "\" render=\"true\"/>\n";
    o << "    </categories>\n    <symbols>\n";
    for (std::size_t i = 0; i < classes.size(); ++i) o << symbol_xml(kind, std::to_string(i), classes[i].color, 0);
    o << "    </symbols>\n  </renderer-v2>\n";
    return wrap(o.str(), kind);
}

std::string single_qml(io::GeomKind kind, Rgba color, double size, const std::string& label)
{
    // QGIS takes a single symbol's legend label from the layer's legend settings, not the
    // renderer: a categorised renderer with one catch-all class (empty value) carries it
    std::ostringstream o;
    o << "  <renderer-v2 type=\"categorizedSymbol\" attr=\"''\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n"
      << "    <categories>\n      <category value=\"\" symbol=\"0\" label=\"" << esc(label) << "\" render=\"true\"/>\n    </categories>\n"
      << "    <symbols>\n" << symbol_xml(kind, "0", color, size) << "    </symbols>\n  </renderer-v2>\n";
    return wrap(o.str(), kind);
}

std::string with_temporal(const std::string& qml, const std::string& start_field, const std::string& end_field)
{
    const std::string head = "styleCategories=\"Symbology\">\n";
    const std::size_t at = qml.find(head);
    if (at == std::string::npos) return qml;
    std::ostringstream o;
    // mode 2: start and end date-times from fields; limitMode 0: start included, end excluded
    o << "styleCategories=\"Symbology|Temporal\">\n"
      << "  <temporal enabled=\"1\" mode=\"2\" startField=\"" << esc(start_field) << "\" endField=\"" << esc(end_field)
      << "\" durationField=\"\" durationUnit=\"min\" fixedDuration=\"0\" accumulate=\"0\" limitMode=\"0\" startExpression=\"\" "
         "endExpression=\"\">\n    <fixedRange>\n      <start></start>\n      <end></end>\n    </fixedRange>\n  </temporal>\n";
    return qml.substr(0, at) + o.str() + qml.substr(at + head.size());
}

} // namespace hotmap::report
