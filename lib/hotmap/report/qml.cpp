// SPDX-License-Identifier: MIT
// QML writer: the subset of QGIS 3 renderer XML hotmap's layers need.
#include "hotmap/report/qml.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
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

/// The shortest text that reads back as exactly v ("inf" and "-inf" as QGIS reads them).
std::string exact(double v)
{
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char b[64];
    const auto r = std::to_chars(b, b + sizeof b, v);
    return std::string(b, r.ptr);
}

/// v with `dec` decimals, rounded down (up when `up`): the lowest and highest labels of a
/// classification must not claim a range narrower than the data
std::string fmt_dir(double v, int dec, bool up)
{
    if (!std::isfinite(v)) return fmt(v, dec);
    std::string s = fmt(v, dec);
    const double back = std::strtod(s.c_str(), nullptr);
    const double step = std::pow(10.0, -dec);
    if (up ? back < v : back > v) s = fmt(back + (up ? step : -step), dec);
    if (s == "-0" || s.find_first_not_of("-0.") == std::string::npos) s = fmt(0.0, dec); // no "-0.0"
    return s;
}

std::string unesc(const std::string& s)
{
    std::string o;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '&') {
            o.push_back(s[i]);
            continue;
        }
        static const std::pair<const char*, char> ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
        bool done = false;
        for (const auto& [e, c] : ents)
            if (s.compare(i, std::char_traits<char>::length(e), e) == 0) {
                o.push_back(c);
                i += std::char_traits<char>::length(e) - 1;
                done = true;
                break;
            }
        if (!done) o.push_back('&');
    }
    return o;
}

/// The value of attribute `name` in the tag text `tag` ("" when absent).
std::string attr(const std::string& tag, const std::string& name)
{
    const std::string key = " " + name + "=\"";
    const std::size_t at = tag.find(key);
    if (at == std::string::npos) return {};
    const std::size_t from = at + key.size(), to = tag.find('"', from);
    return unesc(tag.substr(from, to - from));
}

/// Every tag `<name ...>` in s, as the text between '<' and '>'.
std::vector<std::string> tags(const std::string& s, const std::string& name)
{
    std::vector<std::string> out;
    const std::string open = "<" + name + " ";
    for (std::size_t at = s.find(open); at != std::string::npos; at = s.find(open, at + 1))
        out.push_back(s.substr(at, s.find('>', at) - at));
    return out;
}

Rgba parse_colour(const std::string& s)
{
    Rgba c;
    if (std::sscanf(s.c_str(), "%d,%d,%d,%d", &c.r, &c.g, &c.b, &c.a) < 3) return {0, 0, 0, 0};
    return c;
}

/// Add a style category ("Labeling") to the root element, with extra root attributes and a body
/// placed first inside it.
std::string add_category(const std::string& qml, const std::string& category, const std::string& root_attrs, const std::string& body)
{
    const std::string key = "styleCategories=\"";
    const std::size_t at = qml.find(key);
    if (at == std::string::npos) return qml;
    const std::size_t q = qml.find('"', at + key.size());
    const std::size_t gt = qml.find('>', q);
    return qml.substr(0, q) + "|" + category + "\"" + root_attrs + qml.substr(q + 1, gt - q - 1) + ">\n" + body +
           qml.substr(gt + 2);
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
    std::vector<double> b;
    std::size_t from = 0;
    for (int i = 0; i <= n; ++i) {
        // the i-th n-quantile's lower order statistic, in integers (0.7 * 90 must be 63, not 62.999...);
        // the values from the previous one on are all >= it, so each is found there (the values of
        // a full sort, without sorting: a density raster's 240k cells took 15 ms)
        const std::size_t at = static_cast<std::size_t>(i) * (v.size() - 1) / static_cast<std::size_t>(n);
        std::nth_element(v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(at), v.end());
        from = at;
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
        o << "      <range lower=\"" << exact(breaks[i]) << "\" upper=\"" << exact(breaks[i + 1]) << "\" symbol=\"" << i
          << "\" label=\"" << (i == 0 ? fmt_dir(breaks[i], dec, false) : fmt(breaks[i], dec)) << " - "
          << (i + 1 == n ? fmt_dir(breaks[i + 1], dec, true) : fmt(breaks[i + 1], dec)) << (units.empty() ? "" : " " + esc(units))
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
    std::ostringstream o;
    // mode 2: start and end date-times from fields; limitMode 0: start included, end excluded.
    // mode 1: an instant at the start field's date-time (fixedDuration 0)
    o << "  <temporal enabled=\"1\" mode=\"" << (end_field.empty() ? 1 : 2) << "\" startField=\"" << esc(start_field)
      << "\" endField=\"" << esc(end_field)
      << "\" durationField=\"\" durationUnit=\"min\" fixedDuration=\"0\" accumulate=\"0\" limitMode=\"0\" startExpression=\"\" "
         "endExpression=\"\">\n    <fixedRange>\n      <start></start>\n      <end></end>\n    </fixedRange>\n  </temporal>\n";
    return add_category(qml, "Temporal", "", o.str());
}

std::vector<double> count_breaks(const std::vector<double>& values, int n)
{
    std::vector<double> nz;
    for (double v : values)
        if (std::isfinite(v) && v > 0) nz.push_back(std::ceil(v));
    if (nz.empty() || n < 1) return {};
    std::sort(nz.begin(), nz.end());
    // each break is the first k-quantile of the values above the previous break (k = the classes
    // still to place): a tie that fills several quantiles takes one class, and the classes it
    // would have used go to the values above it
    std::vector<double> b;
    std::size_t from = 0;
    for (int k = n; k >= 1 && from < nz.size(); --k) {
        const std::size_t m = nz.size() - from;
        const double x = nz[from + (m - 1) / static_cast<std::size_t>(k)];
        b.push_back(x);
        from = static_cast<std::size_t>(std::upper_bound(nz.begin(), nz.end(), x) - nz.begin());
    }
    return b;
}

std::string count_qml(const std::string& field, io::GeomKind kind, const std::vector<double>& values, int n, const std::string& units)
{
    const std::vector<double> up = count_breaks(values, n);
    const std::vector<Rgba> col = ramp("YlOrRd", std::max<int>(1, static_cast<int>(up.size())));
    const std::string u = units.empty() ? "" : " " + esc(units);
    std::ostringstream o;
    o << "  <renderer-v2 type=\"graduatedSymbol\" attr=\"" << esc(field)
      << "\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <ranges>\n";
    // zero alone: [lowest, 0] (the first class includes its lower bound; a negative count cannot
    // occur but would still be drawn)
    double lowest = 0;
    for (double v : values)
        if (std::isfinite(v)) lowest = std::min(lowest, v);
    o << "      <range lower=\"" << exact(lowest) << "\" upper=\"0\" symbol=\"0\" label=\"0" << u << "\" render=\"true\"/>\n";
    // the first class's label starts at the smallest count present (5 when counts below 5 are
    // suppressed), the others right after the previous bound
    double smallest = 0;
    for (double v : values)
        if (std::isfinite(v) && v > 0 && (smallest == 0 || v < smallest)) smallest = v;
    double prev = 0;
    for (std::size_t i = 0; i < up.size(); ++i) {
        const double from = i == 0 ? std::max(1.0, std::ceil(smallest)) : prev + 1, to = up[i];
        // "1 incident per cell", not "1 incidents"
        const std::string unit = to == 1 && u.rfind(" incidents", 0) == 0 ? " incident" + u.substr(10) : u;
        o << "      <range lower=\"" << exact(prev) << "\" upper=\"" << exact(to) << "\" symbol=\"" << i + 1 << "\" label=\""
          << (from == to ? fmt(to, 0) : fmt(from, 0) + " - " + fmt(to, 0)) << unit << "\" render=\"true\"/>\n";
        prev = to;
    }
    o << "    </ranges>\n    <symbols>\n";
    o << symbol_xml(kind, "0", {255, 255, 255, 40}, 0);
    for (std::size_t i = 0; i < up.size(); ++i) o << symbol_xml(kind, std::to_string(i + 1), col[i], 0);
    o << "    </symbols>\n  </renderer-v2>\n";
    return wrap(o.str(), kind);
}

std::string zero_and_quantiles_qml(const std::string& field, io::GeomKind kind, const std::vector<double>& values, int n, int dec,
                                   const std::string& units)
{
    std::vector<double> pos;
    double lowest = 0;
    bool zero = false;
    for (double v : values) {
        if (!std::isfinite(v)) continue;
        if (v > 0) pos.push_back(v);
        else zero = true;
        lowest = std::min(lowest, v);
    }
    if (pos.empty()) return count_qml(field, kind, {0}, n, units);
    const std::vector<double> b = quantile_breaks(pos, n);
    const std::size_t nc = b.size() - 1;
    const std::vector<Rgba> col = ramp("YlOrRd", static_cast<int>(nc));
    const std::string u = units.empty() ? "" : " " + esc(units);
    std::ostringstream o;
    o << "  <renderer-v2 type=\"graduatedSymbol\" attr=\"" << esc(field)
      << "\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <ranges>\n";
    if (zero)
        o << "      <range lower=\"" << exact(lowest) << "\" upper=\"0\" symbol=\"z\" label=\"0" << u << "\" render=\"true\"/>\n";
    for (std::size_t i = 0; i < nc; ++i) {
        // after the zero class the first lower bound is 0 (QGIS: lower excluded but in the first class)
        const double lo = i == 0 && zero ? 0.0 : b[i];
        o << "      <range lower=\"" << exact(lo) << "\" upper=\"" << exact(b[i + 1]) << "\" symbol=\"" << i << "\" label=\""
          << (i == 0 ? fmt_dir(b[i], dec, false) : fmt(b[i], dec)) << " - " << (i + 1 == nc ? fmt_dir(b[i + 1], dec, true) : fmt(b[i + 1], dec))
          << u << "\" render=\"true\"/>\n";
    }
    o << "    </ranges>\n    <symbols>\n";
    if (zero) o << symbol_xml(kind, "z", {255, 255, 255, 40}, 0);
    for (std::size_t i = 0; i < nc; ++i) o << symbol_xml(kind, std::to_string(i), col[i], 0);
    o << "    </symbols>\n  </renderer-v2>\n";
    return wrap(o.str(), kind);
}

std::string with_labels(const std::string& qml, const std::string& field)
{
    std::ostringstream o;
    o << "  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n"
      << "      <text-style fieldName=\"" << esc(field)
      << "\" isExpression=\"0\" fontFamily=\"Sans Serif\" fontSize=\"9\" fontSizeUnit=\"Point\" fontWeight=\"50\" "
         "fontItalic=\"0\" textColor=\"35,35,35,255\" textOpacity=\"1\" namedStyle=\"Regular\" multilineHeight=\"1\" "
         "blendMode=\"0\" previewBkgrdColor=\"255,255,255,255\" allowHtml=\"0\" capitalization=\"0\">\n"
      << "        <text-buffer bufferDraw=\"1\" bufferSize=\"1\" bufferSizeUnits=\"MM\" bufferColor=\"255,255,255,255\" "
         "bufferOpacity=\"0.85\" bufferNoFill=\"1\" bufferJoinStyle=\"128\" bufferBlendMode=\"0\"/>\n"
      << "      </text-style>\n"
      << "      <text-format wrapChar=\"\" autoWrapLength=\"0\" multilineAlign=\"3\" plussign=\"0\" formatNumbers=\"0\" "
         "decimals=\"3\" reverseDirectionSymbol=\"0\" leftDirectionSymbol=\"&lt;\" rightDirectionSymbol=\"&gt;\" "
         "addDirectionSymbol=\"0\" placeDirectionSymbol=\"0\" useMaxLineLengthForAutoWrap=\"1\"/>\n"
      << "      <placement placement=\"1\" centroidInside=\"1\" centroidWhole=\"0\" fitInPolygonOnly=\"0\" priority=\"5\" "
         "dist=\"0\" distUnits=\"MM\" offsetType=\"0\" quadOffset=\"4\" xOffset=\"0\" yOffset=\"0\" offsetUnits=\"MM\" "
         "overrunDistance=\"0\" overrunDistanceUnit=\"MM\" repeatDistance=\"0\" repeatDistanceUnits=\"MM\"/>\n"
      << "      <rendering drawLabels=\"1\" obstacle=\"1\" obstacleType=\"1\" obstacleFactor=\"1\" displayAll=\"0\" "
         "upsidedownLabels=\"0\" labelPerPart=\"0\" mergeLines=\"0\" limitNumLabels=\"0\" maxNumLabels=\"2000\" "
         "minFeatureSize=\"0\" scaleVisibility=\"0\" fontLimitPixelSize=\"0\" zIndex=\"0\"/>\n"
      << "    </settings>\n  </labeling>\n";
    return add_category(qml, "Labeling", " labelsEnabled=\"1\"", o.str());
}

std::string raster_qml(const io::RasterOut& r, const std::string& units_label)
{
    std::vector<double> pos;
    pos.reserve(r.values.size());
    const std::size_t stride = std::max<std::size_t>(1, r.values.size() / 1'000'000); // a sample of large rasters is enough
    double maxv = 0;
    for (std::size_t i = 0; i < r.values.size(); ++i) {
        const float v = r.values[i];
        if (!std::isfinite(v) || v <= 0 || (r.nodata && v == *r.nodata)) continue;
        maxv = std::max(maxv, static_cast<double>(v));
        if (i % stride == 0) pos.push_back(v);
    }
    std::vector<double> b = pos.empty() ? std::vector<double>{0, 1} : quantile_breaks(pos, 5);
    b.front() = 0;
    if (maxv > b.back()) b.back() = maxv;
    const std::size_t n = b.size() - 1;
    const std::vector<Rgba> col = ramp("YlOrRd", static_cast<int>(n));
    // decimals: enough to tell the smallest class width apart, at most 6
    double width = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i) width = std::min(width, b[i + 1] - b[i]);
    const int dec = width >= 10 ? 0 : std::min(6, static_cast<int>(std::ceil(-std::log10(width))) + 1);
    const std::string u = units_label.empty() ? "" : " " + esc(units_label);
    auto hex = [](Rgba c) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
        return std::string(buf);
    };
    std::ostringstream o;
    o << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
      << "<qgis version=\"3.22.0\" styleCategories=\"Symbology\">\n  <pipe>\n"
      << "    <rasterrenderer type=\"singlebandpseudocolor\" band=\"1\" opacity=\"1\" alphaBand=\"-1\" nodataColor=\"\" "
         "classificationMin=\"0\" classificationMax=\""
      << exact(b.back()) << "\">\n"
      << "      <rasterTransparency>\n        <singleValuePixelList>\n"
      << "          <pixelListEntry min=\"0\" max=\"0\" percentTransparent=\"100\"/>\n";
    if (r.nodata)
        o << "          <pixelListEntry min=\"" << exact(*r.nodata) << "\" max=\"" << exact(*r.nodata) << "\" percentTransparent=\"100\"/>\n";
    o << "        </singleValuePixelList>\n      </rasterTransparency>\n"
      << "      <minMaxOrigin>\n        <limits>None</limits>\n        <extent>WholeRaster</extent>\n"
         "        <statAccuracy>Estimated</statAccuracy>\n        <cumulativeCutLower>0.02</cumulativeCutLower>\n"
         "        <cumulativeCutUpper>0.98</cumulativeCutUpper>\n        <stdDevFactor>2</stdDevFactor>\n      </minMaxOrigin>\n"
      << "      <rastershader>\n        <colorrampshader colorRampType=\"DISCRETE\" classificationMode=\"1\" clip=\"0\" "
         "minimumValue=\"0\" maximumValue=\""
      << exact(b.back()) << "\" labelPrecision=\"" << dec << "\">\n";
    // DISCRETE: a pixel takes the first item whose value is >= its own; 0 (and below) is transparent
    o << "          <item alpha=\"0\" value=\"0\" label=\"0" << u << " (transparent)\" color=\"#ffffff\"/>\n";
    for (std::size_t i = 0; i < n; ++i) {
        const bool last = i + 1 == n;
        o << "          <item alpha=\"255\" value=\"" << (last ? std::string("inf") : exact(b[i + 1])) << "\" label=\""
          << fmt(b[i], dec) << " - " << (last ? fmt_dir(b[i + 1], dec, true) : fmt(b[i + 1], dec)) << u << "\" color=\"" << hex(col[i])
          << "\"/>\n";
    }
    o << "        </colorrampshader>\n      </rastershader>\n    </rasterrenderer>\n"
      << "    <brightnesscontrast brightness=\"0\" contrast=\"0\" gamma=\"1\"/>\n"
      << "    <huesaturation saturation=\"0\" grayscaleMode=\"0\" colorizeOn=\"0\" colorizeStrength=\"100\" colorizeRed=\"255\" "
         "colorizeGreen=\"128\" colorizeBlue=\"128\"/>\n"
      << "    <rasterresampler maxOversampling=\"2\"/>\n  </pipe>\n  <blendMode>0</blendMode>\n</qgis>\n";
    return o.str();
}

std::string with_suppressed_class(const std::string& qml, io::GeomKind kind, const std::string& label)
{
    const std::string head = "<renderer-v2 type=\"graduatedSymbol\" attr=\"";
    const std::size_t at = qml.find(head);
    if (at == std::string::npos) { // categorised: a catch-all class last, which QGIS also gives the nulls
        const std::size_t cats = qml.find("</categories>");
        if (qml.find("<renderer-v2 type=\"categorizedSymbol\" attr=\"''\"") != std::string::npos || cats == std::string::npos ||
            qml.find("<category value=\"\"") != std::string::npos)
            return qml;
        std::string out = qml;
        out.insert(cats, "  <category value=\"\" symbol=\"suppressed\" label=\"" + esc(label) + "\" render=\"true\"/>\n    ");
        const std::size_t symbols = out.find("<symbols>\n", cats);
        if (symbols != std::string::npos) out.insert(symbols + 10, symbol_xml(kind, "suppressed", {190, 190, 190, 255}, 0));
        return out;
    }
    const std::size_t from = at + head.size(), to = qml.find('"', from);
    const std::string field = unesc(qml.substr(from, to - from));
    if (field.rfind("coalesce(", 0) == 0) return qml; // already
    std::string out = qml.substr(0, from) + esc("coalesce(\"" + field + "\", -1)") + qml.substr(to);
    const std::size_t ranges = out.find("<ranges>\n", at);
    const std::size_t first = out.find("<range lower=\"", ranges);
    if (ranges == std::string::npos || first == std::string::npos) return qml;
    // the old first class starts at -1 (its values are >= 0): -1 belongs to the new class alone
    const std::size_t lo = first + std::string("<range lower=\"").size();
    const std::size_t lo_end = out.find('"', lo);
    if (std::strtod(out.substr(lo, lo_end - lo).c_str(), nullptr) > -1) out.replace(lo, lo_end - lo, "-1");
    out.insert(first, "<range lower=\"-2\" upper=\"-1\" symbol=\"suppressed\" label=\"" + esc(label) + "\" render=\"true\"/>\n      ");
    const std::size_t symbols = out.find("<symbols>\n", at);
    if (symbols != std::string::npos) out.insert(symbols + 10, symbol_xml(kind, "suppressed", {190, 190, 190, 255}, 0));
    return out;
}

ParsedStyle parse_qml(const std::string& qml)
{
    ParsedStyle st;
    const std::vector<std::string> rend = tags(qml, "renderer-v2");
    if (rend.empty()) return st;
    st.renderer = attr(rend.front(), "type");
    st.field = attr(rend.front(), "attr");
    if (st.field.rfind("coalesce(\"", 0) == 0) { // with_suppressed_class
        const std::size_t q = st.field.find('"', 10);
        st.null_as = std::strtod(st.field.substr(st.field.find(',', q) + 1).c_str(), nullptr);
        st.field = st.field.substr(10, q - 10);
    }
    // symbols by name, with their first colour
    std::vector<std::pair<std::string, Rgba>> sym;
    const std::string open = "<symbol ";
    for (std::size_t at = qml.find(open); at != std::string::npos; at = qml.find(open, at + 1)) {
        const std::string tag = qml.substr(at, qml.find('>', at) - at);
        const std::size_t end = qml.find("</symbol>", at);
        const std::string body = qml.substr(at, end - at);
        Rgba c{0, 0, 0, 0};
        for (const std::string& pr : tags(body, "prop")) {
            const std::string k = attr(pr, "k");
            if (k == "color" || k == "line_color") {
                c = parse_colour(attr(pr, "v"));
                break;
            }
        }
        sym.emplace_back(attr(tag, "name"), c);
    }
    auto colour_of = [&](const std::string& name) {
        for (const auto& [n, c] : sym)
            if (n == name) return c;
        return Rgba{0, 0, 0, 0};
    };
    if (st.renderer == "graduatedSymbol") {
        for (const std::string& t : tags(qml, "range"))
            st.classes.push_back({std::strtod(attr(t, "lower").c_str(), nullptr), std::strtod(attr(t, "upper").c_str(), nullptr), {},
                                  attr(t, "label"), colour_of(attr(t, "symbol"))});
    } else if (st.renderer == "categorizedSymbol") {
        for (const std::string& t : tags(qml, "category")) st.classes.push_back({0, 0, attr(t, "value"), attr(t, "label"), colour_of(attr(t, "symbol"))});
        if (st.field == "''") st.field.clear(); // single_qml: one catch-all class
    } else if (st.renderer == "singleSymbol" && !sym.empty()) {
        st.classes.push_back({0, 0, {}, {}, sym.front().second});
    }
    const std::vector<std::string> lab = tags(qml, "text-style");
    if (!lab.empty() && qml.find("labelsEnabled=\"1\"") != std::string::npos) st.label_field = attr(lab.front(), "fieldName");
    st.temporal = qml.find("<temporal enabled=\"1\"") != std::string::npos;
    return st;
}

std::vector<Rgba> feature_colours(const io::VectorLayer& layer)
{
    const Rgba none{0, 0, 0, 0};
    std::vector<Rgba> out(layer.rows.size(), none);
    const ParsedStyle st = parse_qml(layer.qml);
    if (st.classes.empty()) return out;
    std::size_t fi = layer.fields.size();
    for (std::size_t i = 0; i < layer.fields.size(); ++i)
        if (layer.fields[i].name == st.field) fi = i;
    const bool graduated = st.renderer == "graduatedSymbol";
    for (std::size_t r = 0; r < layer.rows.size(); ++r) {
        const io::Value* v = fi < layer.rows[r].size() ? &layer.rows[r][fi] : nullptr;
        if (graduated) {
            double x = std::numeric_limits<double>::quiet_NaN();
            if (v && std::holds_alternative<double>(*v)) x = std::get<double>(*v);
            if (v && std::holds_alternative<std::int64_t>(*v)) x = static_cast<double>(std::get<std::int64_t>(*v));
            if (std::isnan(x)) x = st.null_as;
            if (std::isnan(x)) continue;
            for (std::size_t k = 0; k < st.classes.size(); ++k)
                if ((k == 0 ? st.classes[k].lower <= x : st.classes[k].lower < x) && x <= st.classes[k].upper) {
                    out[r] = st.classes[k].colour;
                    break;
                }
        } else {
            std::string s;
            if (v && std::holds_alternative<std::string>(*v)) s = std::get<std::string>(*v);
            if (v && std::holds_alternative<std::int64_t>(*v)) s = std::to_string(std::get<std::int64_t>(*v));
            if (v && std::holds_alternative<double>(*v)) s = exact(std::get<double>(*v));
            const StyleClass* other = nullptr;
            for (const StyleClass& c : st.classes) {
                if (c.value.empty()) other = other ? other : &c;
                if (!st.field.empty() && !c.value.empty() && c.value == s) {
                    out[r] = c.colour;
                    other = nullptr;
                    break;
                }
            }
            if (other) out[r] = other->colour;
        }
    }
    return out;
}

std::vector<LegendItem> legend(const io::VectorLayer& layer)
{
    std::vector<LegendItem> out;
    for (const StyleClass& c : parse_qml(layer.qml).classes) out.push_back({c.colour, c.label});
    return out;
}

std::string legend_title(const io::VectorLayer& layer)
{
    if (!layer.title.empty()) return layer.title;
    return parse_qml(layer.qml).field;
}

} // namespace hotmap::report
