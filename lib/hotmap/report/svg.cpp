// SPDX-License-Identifier: MIT
// Drawing helpers of the HTML report. The report draws maps itself, so it reads WKB with OGR
// and writes PNG with GDAL here (the one place outside io/ that does: drawing needs both).
#include "hotmap/report/svg.hpp"

#include "hotmap/error.hpp"
#include "hotmap/io/gdal_handles.hpp"

#include <gdal_priv.h>
#include <ogr_geometry.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <sstream>

namespace hotmap::report::svg {

std::string esc(std::string_view s)
{
    std::string o;
    o.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': o += "&amp;"; break;
        case '<': o += "&lt;"; break;
        case '>': o += "&gt;"; break;
        case '"': o += "&quot;"; break;
        case '\'': o += "&#39;"; break;
        default: o.push_back(c);
        }
    }
    return o;
}

std::string num(double v)
{
    if (!std::isfinite(v)) return "0";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    std::string s = buf;
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
    if (s == "-0") s = "0";
    return s;
}

std::string hex(Rgba c)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", std::clamp(c.r, 0, 255), std::clamp(c.g, 0, 255), std::clamp(c.b, 0, 255));
    return buf;
}

double luminance(Rgba c)
{
    auto lin = [](int v) {
        const double s = std::clamp(v, 0, 255) / 255.0;
        return s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

Rgba palette(std::size_t i)
{
    // ColorBrewer Dark2 (colour-blind friendlier than the defaults of most chart tools)
    static const Rgba p[] = {{27, 158, 119, 255}, {217, 95, 2, 255},  {117, 112, 179, 255}, {231, 41, 138, 255},
                             {102, 166, 30, 255}, {230, 171, 2, 255}, {166, 118, 29, 255},  {102, 102, 102, 255}};
    return p[i % 8];
}

Rgba ramp(double t)
{
    // ColorBrewer YlOrRd, 7 stops, interpolated
    static const Rgba s[] = {{255, 255, 204, 255}, {254, 217, 118, 255}, {254, 178, 76, 255}, {253, 141, 60, 255},
                             {240, 59, 32, 255},   {189, 0, 38, 255},    {128, 0, 38, 255}};
    if (!std::isfinite(t)) t = 0;
    t = std::clamp(t, 0.0, 1.0) * 6.0;
    const int i = std::min(5, static_cast<int>(std::floor(t)));
    const double f = t - i;
    auto mix = [f](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * f)); };
    return {mix(s[i].r, s[i + 1].r), mix(s[i].g, s[i + 1].g), mix(s[i].b, s[i + 1].b), 255};
}

namespace {
double nice_step(double range, int target)
{
    const double raw = range / std::max(1, target);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}
} // namespace

std::vector<double> nice_ticks(double lo, double hi, int target)
{
    if (!std::isfinite(lo) || !std::isfinite(hi)) return {0, 1};
    if (lo > hi) std::swap(lo, hi);
    if (hi - lo < 1e-12 * std::max(1.0, std::abs(hi))) {
        if (lo == 0) return {0, 1};
        const double d = std::abs(lo) * 0.5;
        lo -= d;
        hi += d;
        if (lo < 0 && hi / (hi - lo) > 0.6) lo = std::max(lo, 0.0);
    }
    const double step = nice_step(hi - lo, target);
    // ticks as whole multiples of the step's mantissa over a power of ten, so that 3 x 0.2 is
    // 0.6 (the nearest double), not 0.6000000000000001
    const int e = static_cast<int>(std::floor(std::log10(step) + 1e-9));
    const double p10 = std::pow(10.0, std::abs(e));
    const double mant = std::round(e < 0 ? step * p10 : step / p10);
    auto value = [&](double k) { return e < 0 ? k * mant / p10 : k * mant * p10; };
    const double k0 = std::floor(lo / step + 1e-9), k1 = std::ceil(hi / step - 1e-9);
    std::vector<double> t;
    for (double k = k0; k <= k1 && t.size() < 200; k += 1) t.push_back(value(k) == 0 ? 0.0 : value(k));
    if (t.size() < 2) t.push_back(value(k0 + 1));
    return t;
}

double nice_length(double max)
{
    if (!(max > 0)) return 1;
    const double mag = std::pow(10.0, std::floor(std::log10(max)));
    const double f = max / mag;
    return (f >= 5 ? 5 : f >= 2 ? 2 : 1) * mag;
}

int tick_decimals(const std::vector<double>& ticks)
{
    if (ticks.size() < 2) return 0;
    const double step = std::abs(ticks[1] - ticks[0]);
    int d = 0;
    while (d < 6 && std::abs(step * std::pow(10.0, d) - std::round(step * std::pow(10.0, d))) > 1e-6) ++d;
    return d;
}

std::string Formatter::operator()(double v, int decimals) const
{
    if (fn) return fn(v, decimals, ctx);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string base64(std::string_view bytes)
{
    static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string o;
    o.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                           static_cast<unsigned char>(bytes[i + 2]);
        o += k[(v >> 18) & 63];
        o += k[(v >> 12) & 63];
        o += k[(v >> 6) & 63];
        o += k[v & 63];
    }
    if (i < bytes.size()) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        o += k[(v >> 18) & 63];
        o += k[(v >> 12) & 63];
        o += i + 1 < bytes.size() ? k[(v >> 6) & 63] : '=';
        o += '=';
    }
    return o;
}

std::string png_rgba(const std::vector<std::uint8_t>& rgba, int width, int height)
{
    io::ensure_gdal();
    if (width <= 0 || height <= 0 || rgba.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4)
        throw ParameterError("png_rgba: " + std::to_string(rgba.size()) + " bytes for " + std::to_string(width) + " x " +
                             std::to_string(height) + " RGBA pixels");
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDriver* png = GetGDALDriverManager()->GetDriverByName("PNG");
    if (!mem || !png) throw OutputError("report map: GDAL has no MEM or PNG driver");
    GDALDatasetUniquePtr src(mem->Create("", width, height, 4, GDT_Byte, nullptr));
    if (!src) throw OutputError(io::gdal_error("report map: cannot create an in-memory raster"));
    // band-interleaved from pixel-interleaved: pixel spacing 4, line spacing 4 * width, band spacing 1
    if (src->RasterIO(GF_Write, 0, 0, width, height, const_cast<std::uint8_t*>(rgba.data()), width, height, GDT_Byte, 4,
                      nullptr, 4, static_cast<GSpacing>(width) * 4, 1, nullptr) != CE_None)
        throw OutputError(io::gdal_error("report map: cannot fill the in-memory raster"));
    for (int b = 1; b <= 4; ++b)
        src->GetRasterBand(b)->SetColorInterpretation(static_cast<GDALColorInterp>(GCI_RedBand + b - 1));
    static std::atomic<unsigned long> counter{0};
    const std::string name = "/vsimem/hotmap_report_" + std::to_string(counter++) + ".png";
    const char* opts[] = {"WORLDFILE=NO", "ZLEVEL=9", nullptr};
    GDALDatasetUniquePtr out(png->CreateCopy(name.c_str(), src.get(), FALSE, const_cast<char**>(opts), nullptr, nullptr));
    if (!out) throw OutputError(io::gdal_error("report map: PNG encoding failed"));
    out.reset();
    vsi_l_offset len = 0;
    GByte* buf = VSIGetMemFileBuffer(name.c_str(), &len, FALSE);
    std::string bytes = buf ? std::string(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(len)) : std::string();
    VSIUnlink(name.c_str());
    VSIUnlink((name + ".aux.xml").c_str());
    if (bytes.empty()) throw OutputError("report map: PNG encoding gave no bytes");
    return bytes;
}

std::string raster_png(const MapRaster& r, int max_px)
{
    if (!r.raster) throw ParameterError("report map raster: no raster");
    const auto& g = r.raster->grid;
    if (g.size() == 0 || r.raster->values.size() != g.size()) throw ParameterError("report map raster: no values");
    if (r.breaks.size() != r.colours.size() + 1 || r.colours.empty())
        throw ParameterError("report map raster: " + std::to_string(r.breaks.size()) + " breaks for " +
                             std::to_string(r.colours.size()) + " colours (expected colours + 1)");
    const std::size_t longest = std::max(g.ncol, g.nrow);
    const std::size_t k = std::max<std::size_t>(1, (longest + static_cast<std::size_t>(max_px) - 1) / static_cast<std::size_t>(max_px));
    const std::size_t w = (g.ncol + k - 1) / k, h = (g.nrow + k - 1) / k;
    std::vector<std::uint8_t> px(w * h * 4, 0);
    for (std::size_t y = 0; y < h; ++y) {
        // image row y (north first) samples grid row (south first) near the block's middle
        const std::size_t top_row = g.nrow - 1 - std::min(g.nrow - 1, y * k + k / 2);
        for (std::size_t x = 0; x < w; ++x) {
            const std::size_t col = std::min(g.ncol - 1, x * k + k / 2);
            const float v = r.raster->values[g.id(top_row, col)];
            if (!std::isfinite(v) || (r.raster->nodata && v == *r.raster->nodata) || v < r.breaks.front()) continue;
            const auto it = std::upper_bound(r.breaks.begin() + 1, r.breaks.end() - 1, static_cast<double>(v));
            const Rgba c = r.colours[static_cast<std::size_t>(it - (r.breaks.begin() + 1))];
            std::uint8_t* p = &px[(y * w + x) * 4];
            p[0] = static_cast<std::uint8_t>(std::clamp(c.r, 0, 255));
            p[1] = static_cast<std::uint8_t>(std::clamp(c.g, 0, 255));
            p[2] = static_cast<std::uint8_t>(std::clamp(c.b, 0, 255));
            p[3] = static_cast<std::uint8_t>(std::clamp(c.a, 0, 255));
        }
    }
    return png_rgba(px, static_cast<int>(w), static_cast<int>(h));
}

namespace {

using GeomPtr = std::unique_ptr<OGRGeometry, decltype(&OGRGeometryFactory::destroyGeometry)>;

GeomPtr parse_wkb(const std::string& wkb)
{
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE || !g)
        throw GeometryError("report map: unreadable WKB geometry (" + std::to_string(wkb.size()) + " bytes)");
    return GeomPtr(g, &OGRGeometryFactory::destroyGeometry);
}

// Projected coordinates -> SVG user units (y down), with the 0.5 px vertex thinning.
struct View {
    double xmin = 0, ymax = 0, s = 1;
    double X(double x) const { return (x - xmin) * s; }
    double Y(double y) const { return (ymax - y) * s; }
};

double seg_dist(const Point& p, const Point& a, const Point& b)
{
    const double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
    if (l2 == 0) return std::hypot(p.x - a.x, p.y - a.y);
    const double t = std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / l2, 0.0, 1.0);
    return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

// Douglas-Peucker on [first, last] (screen units), marking the points to keep.
void simplify(const std::vector<Point>& p, std::size_t first, std::size_t last, double tol, std::vector<char>& keep)
{
    std::vector<std::pair<std::size_t, std::size_t>> stack{{first, last}};
    while (!stack.empty()) {
        const auto [a, b] = stack.back();
        stack.pop_back();
        double dmax = -1;
        std::size_t imax = a;
        for (std::size_t i = a + 1; i < b; ++i) {
            const double d = seg_dist(p[i], p[a], p[b]);
            if (d > dmax) {
                dmax = d;
                imax = i;
            }
        }
        if (dmax > tol) {
            keep[imax] = 1;
            stack.emplace_back(a, imax);
            stack.emplace_back(imax, b);
        }
    }
}

// One ring or line as path data: screen coordinates, simplified so that no dropped vertex is
// more than 0.5 px from the drawn outline (a 10,000-polygon map stays a few hundred kB).
void ring_path(const OGRSimpleCurve& c, const View& v, bool close, std::string& d)
{
    const int n = c.getNumPoints();
    if (n == 0) return;
    std::vector<Point> p;
    p.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const Point q{v.X(c.getX(i)), v.Y(c.getY(i))};
        // repeated vertices (and those closer than 0.1 px) first: they add nothing
        if (!p.empty() && std::abs(q.x - p.back().x) < 0.1 && std::abs(q.y - p.back().y) < 0.1 && i != n - 1) continue;
        p.push_back(q);
    }
    if (p.empty()) return;
    std::vector<char> keep(p.size(), 0);
    keep[0] = 1;
    keep[p.size() - 1] = 1;
    if (close && p.size() > 3) {
        // a closed ring: split at the vertex farthest from the first
        std::size_t far = 0;
        double dmax = -1;
        for (std::size_t i = 1; i + 1 < p.size(); ++i) {
            const double dd = std::hypot(p[i].x - p[0].x, p[i].y - p[0].y);
            if (dd > dmax) {
                dmax = dd;
                far = i;
            }
        }
        keep[far] = 1;
        simplify(p, 0, far, 0.5, keep);
        simplify(p, far, p.size() - 1, 0.5, keep);
    } else if (p.size() > 2) {
        simplify(p, 0, p.size() - 1, 0.5, keep);
    }
    std::string part;
    int kept = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (!keep[i]) continue;
        if (close && i == p.size() - 1 && kept > 0 && std::abs(p[i].x - p[0].x) < 0.05 && std::abs(p[i].y - p[0].y) < 0.05)
            break; // the closing vertex repeats the first: "Z" draws it
        part += kept == 0 ? "M" : " ";
        part += num(p[i].x);
        part += ' ';
        part += num(p[i].y);
        ++kept;
    }
    if (close && kept < 3) {
        // a ring smaller than a pixel: a dot keeps the feature visible
        if (kept == 0) return;
        part += " h0.5 v0.5 h-0.5";
    }
    if (close) part += "Z";
    d += part;
}

void geom_path(const OGRGeometry& g, const View& v, std::string& d)
{
    const auto t = wkbFlatten(g.getGeometryType());
    if (t == wkbPolygon) {
        const auto& p = *g.toPolygon();
        for (const auto* ring : p) ring_path(*ring, v, true, d);
    } else if (t == wkbLineString) {
        ring_path(*g.toLineString(), v, false, d);
    } else if (OGR_GT_IsSubClassOf(t, wkbGeometryCollection)) {
        for (const auto* part : *g.toGeometryCollection()) geom_path(*part, v, d);
    } else if (OGR_GT_IsCurve(t) || OGR_GT_IsSurface(t)) {
        GeomPtr lin(g.getLinearGeometry(), &OGRGeometryFactory::destroyGeometry);
        if (lin) geom_path(*lin, v, d);
    }
}

void collect_points(const OGRGeometry& g, std::vector<OGRPoint>& out)
{
    const auto t = wkbFlatten(g.getGeometryType());
    if (t == wkbPoint) {
        if (!g.IsEmpty()) out.push_back(*g.toPoint());
    } else if (OGR_GT_IsSubClassOf(t, wkbGeometryCollection)) {
        for (const auto* part : *g.toGeometryCollection()) collect_points(*part, out);
    }
}

bool is_pointy(const OGRGeometry& g)
{
    const auto t = wkbFlatten(g.getGeometryType());
    return t == wkbPoint || t == wkbMultiPoint;
}

std::string cell_text(const io::VectorLayer& l, std::size_t row, const std::string& field)
{
    if (field.empty()) return {};
    std::size_t f = l.fields.size();
    for (std::size_t i = 0; i < l.fields.size(); ++i)
        if (l.fields[i].name == field) f = i;
    if (f == l.fields.size() || row >= l.rows.size() || f >= l.rows[row].size()) return {};
    const auto& val = l.rows[row][f];
    if (const auto* s = std::get_if<std::string>(&val)) return *s;
    if (const auto* i = std::get_if<std::int64_t>(&val)) return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&val)) {
        std::ostringstream o;
        o << *d;
        return o.str();
    }
    return {};
}

Extent wkb_extent(const io::VectorLayer& l)
{
    Extent e;
    for (const auto& w : l.wkb) {
        if (w.empty()) continue;
        const auto g = parse_wkb(w);
        if (g->IsEmpty()) continue;
        OGREnvelope env;
        g->getEnvelope(&env);
        e.expand(env.MinX, env.MinY);
        e.expand(env.MaxX, env.MaxY);
    }
    return e;
}

std::string fill_attrs(Rgba c, const char* what)
{
    std::string s = std::string(" ") + what + "=\"" + hex(c) + "\"";
    if (c.a < 255) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f", std::clamp(c.a, 0, 255) / 255.0);
        s += std::string(" ") + what + "-opacity=\"" + buf + "\"";
    }
    return s;
}

} // namespace

Extent map_extent(const MapFigure& m)
{
    if (m.extent && !m.extent->empty()) return *m.extent;
    Extent e;
    for (const auto& l : m.layers) {
        if (l.layer) e = wkb_extent(*l.layer);
        if (!e.empty()) break;
    }
    if (e.empty() && m.raster && m.raster->raster) e = m.raster->raster->grid.extent();
    if (e.empty()) return e;
    double pad = 0.03 * std::max(e.width(), e.height());
    if (pad <= 0) pad = 500; // a single point: show 1 km around it
    return {e.xmin - pad, e.ymin - pad, e.xmax + pad, e.ymax + pad};
}

std::string map_svg(const MapFigure& m, double width_px, double max_height_px)
{
    const Extent e = map_extent(m);
    std::ostringstream o;
    if (e.empty() || !(e.width() > 0) || !(e.height() > 0)) {
        o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" viewBox=\"0 0 " << num(width_px) << " 60\" role=\"img\"></svg>";
        return o.str();
    }
    View v;
    v.xmin = e.xmin;
    v.ymax = e.ymax;
    v.s = std::min(width_px / e.width(), max_height_px / e.height());
    const double w = e.width() * v.s, h = e.height() * v.s;
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" viewBox=\"0 0 " << num(w) << ' ' << num(h) << "\" width=\""
      << num(w) << "\" height=\"" << num(h) << "\" role=\"img\"";
    if (!m.title.empty()) o << " aria-label=\"" << esc(m.title) << "\"";
    o << ">\n<rect width=\"" << num(w) << "\" height=\"" << num(h) << "\" fill=\"#f7f7f4\"/>\n";

    if (m.raster && m.raster->raster) {
        const auto ge = m.raster->raster->grid.extent();
        o << "<image x=\"" << num(v.X(ge.xmin)) << "\" y=\"" << num(v.Y(ge.ymax)) << "\" width=\"" << num(ge.width() * v.s)
          << "\" height=\"" << num(ge.height() * v.s) << "\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,"
          << base64(raster_png(*m.raster)) << "\"/>\n";
    }

    struct Label {
        double x, y;
        std::string text;
    };
    std::vector<Label> labels;
    for (const auto& l : m.layers) {
        if (!l.layer) continue;
        const auto& vl = *l.layer;
        o << "<g stroke=\"" << hex(l.stroke) << "\" stroke-width=\"" << num(std::max(0.1, l.stroke_px))
          << "\" stroke-linejoin=\"round\">\n";
        for (std::size_t i = 0; i < vl.wkb.size(); ++i) {
            if (vl.wkb[i].empty()) continue;
            const auto g = parse_wkb(vl.wkb[i]);
            if (g->IsEmpty()) continue;
            const Rgba c = i < l.fill.size() ? l.fill[i] : l.colour;
            const std::string title = cell_text(vl, i, l.title_field);
            const std::string tip = title.empty() ? "" : "<title>" + esc(title) + "</title>";
            if (is_pointy(*g)) {
                std::vector<OGRPoint> pts;
                collect_points(*g, pts);
                for (const auto& p : pts) {
                    o << "<circle cx=\"" << num(v.X(p.getX())) << "\" cy=\"" << num(v.Y(p.getY())) << "\" r=\"" << num(l.point_px)
                      << "\"" << fill_attrs(c, "fill") << (tip.empty() ? "/>\n" : ">" + tip + "</circle>\n");
                }
            } else {
                std::string d;
                geom_path(*g, v, d);
                if (d.empty()) continue;
                const auto t = wkbFlatten(g->getGeometryType());
                const bool linear = t == wkbLineString || t == wkbMultiLineString || OGR_GT_IsCurve(t) ||
                                    (OGR_GT_IsSubClassOf(t, wkbMultiCurve) && !OGR_GT_IsSubClassOf(t, wkbMultiSurface));
                o << "<path d=\"" << d << "\"";
                if (linear) o << " fill=\"none\"" << fill_attrs(c, "stroke") << " stroke-width=\"" << num(std::max(1.0, l.stroke_px * 2)) << "\"";
                else o << fill_attrs(c, "fill") << " fill-rule=\"evenodd\"";
                o << (tip.empty() ? "/>\n" : ">" + tip + "</path>\n");
            }
            const std::string label = cell_text(vl, i, l.label_field);
            if (!label.empty()) {
                OGRPoint p;
                bool ok = false;
                const auto gt = wkbFlatten(g->getGeometryType());
                if (OGR_GT_IsSurface(gt) || OGR_GT_IsSubClassOf(gt, wkbMultiSurface)) {
                    // an interior point (GEOS through OGR): a label inside even a C-shaped district
                    if (OGRGeometryH ph = OGR_G_PointOnSurface(OGRGeometry::ToHandle(g.get()))) {
                        const auto* pp = OGRGeometry::FromHandle(ph);
                        if (wkbFlatten(pp->getGeometryType()) == wkbPoint && !pp->IsEmpty()) {
                            p = *pp->toPoint();
                            ok = true;
                        }
                        OGR_G_DestroyGeometry(ph);
                    }
                }
                if (!ok) {
                    OGREnvelope env;
                    g->getEnvelope(&env);
                    p.setX((env.MinX + env.MaxX) / 2);
                    p.setY((env.MinY + env.MaxY) / 2);
                }
                labels.push_back({v.X(p.getX()), v.Y(p.getY()), label});
            }
        }
        o << "</g>\n";
    }
    if (!labels.empty()) {
        o << "<g class=\"labels\" font-size=\"13\" font-weight=\"600\" text-anchor=\"middle\" dominant-baseline=\"central\" fill=\"#222\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\" stroke-linejoin=\"round\">\n";
        for (const auto& lb : labels) o << "<text x=\"" << num(lb.x) << "\" y=\"" << num(lb.y) << "\">" << esc(lb.text) << "</text>\n";
        o << "</g>\n";
    }
    if (m.scale_bar) {
        // about a fifth of the map width, a round length
        const double len_m = nice_length(e.width() / 5);
        const double len_px = len_m * v.s;
        const std::string text = len_m >= 1000 ? num(len_m / 1000) + " km" : num(len_m) + " m";
        const double x0 = 12, y0 = h - 14;
        o << "<g class=\"scale\" font-size=\"11\" fill=\"#222\">\n"
          << "<rect x=\"" << num(x0 - 6) << "\" y=\"" << num(y0 - 22) << "\" width=\"" << num(len_px + 12 + 8.0 * static_cast<double>(text.size()))
          << "\" height=\"30\" fill=\"#fff\" fill-opacity=\"0.75\"/>\n"
          << "<rect x=\"" << num(x0) << "\" y=\"" << num(y0 - 4) << "\" width=\"" << num(len_px / 2) << "\" height=\"5\" fill=\"#222\"/>\n"
          << "<rect x=\"" << num(x0 + len_px / 2) << "\" y=\"" << num(y0 - 4) << "\" width=\"" << num(len_px / 2)
          << "\" height=\"5\" fill=\"#fff\" stroke=\"#222\" stroke-width=\"1\"/>\n"
          << "<text x=\"" << num(x0) << "\" y=\"" << num(y0 - 9) << "\">0</text>\n"
          << "<text x=\"" << num(x0 + len_px + 4) << "\" y=\"" << num(y0 + 1) << "\" dominant-baseline=\"middle\">" << text << "</text>\n"
          << "</g>\n";
        const double nx = w - 24, ny = 14;
        o << "<g class=\"north\">\n<circle cx=\"" << num(nx) << "\" cy=\"" << num(ny + 14) << "\" r=\"15\" fill=\"#fff\" fill-opacity=\"0.75\"/>\n"
          << "<path d=\"M" << num(nx) << ' ' << num(ny) << " L" << num(nx + 7) << ' ' << num(ny + 22) << " L" << num(nx) << ' '
          << num(ny + 17) << " L" << num(nx - 7) << ' ' << num(ny + 22) << "Z\" fill=\"#222\"/>\n"
          << "<text x=\"" << num(nx) << "\" y=\"" << num(ny + 36) << "\" font-size=\"11\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#222\">N</text>\n</g>\n";
    }
    o << "</svg>";
    return o.str();
}

namespace {
struct Range {
    double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
    void add(double v)
    {
        if (!std::isfinite(v)) return;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
};
} // namespace

std::string line_chart_svg(const LineChart& c, const Formatter& f, double width_px, double height_px)
{
    const double ml = 64, mr = 16, mt = 14, mb = c.x_label.empty() ? 46 : 64;
    const double pw = width_px - ml - mr, ph = height_px - mt - mb;
    Range r;
    for (const auto& s : c.series)
        for (double v : s.y) r.add(v);
    if (!std::isfinite(r.lo)) r = {0, 1};
    if (c.y_from_zero) r.add(0);
    const auto ticks = nice_ticks(r.lo, r.hi, 5);
    const double t0 = ticks.front(), t1 = ticks.back();
    const int dec = tick_decimals(ticks);
    const std::size_t n = c.x_labels.size();
    auto X = [&](std::size_t i) { return ml + (n <= 1 ? pw / 2 : pw * static_cast<double>(i) / static_cast<double>(n - 1)); };
    auto Y = [&](double v) { return mt + ph * (1 - (v - t0) / (t1 - t0)); };
    std::ostringstream o;
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " << num(width_px) << ' ' << num(height_px)
      << "\" role=\"img\"";
    if (!c.title.empty()) o << " aria-label=\"" << esc(c.title) << "\"";
    o << " font-size=\"12\">\n<g stroke=\"#ddd\" stroke-width=\"1\">\n";
    for (double t : ticks) o << "<path d=\"M" << num(ml) << ' ' << num(Y(t)) << " H" << num(ml + pw) << "\"/>\n";
    o << "</g>\n<g fill=\"#444\" text-anchor=\"end\" dominant-baseline=\"middle\">\n";
    for (double t : ticks) o << "<text x=\"" << num(ml - 6) << "\" y=\"" << num(Y(t)) << "\">" << esc(f(t, dec)) << "</text>\n";
    o << "</g>\n<path d=\"M" << num(ml) << ' ' << num(mt) << " V" << num(mt + ph) << " H" << num(ml + pw)
      << "\" fill=\"none\" stroke=\"#666\" stroke-width=\"1\"/>\n";
    // x labels: at most about 12, evenly spaced, rotated when long
    std::size_t longest = 0;
    for (const auto& l : c.x_labels) longest = std::max(longest, l.size());
    const std::size_t max_labels = longest > 8 ? 8 : 12;
    const std::size_t step = n <= max_labels ? 1 : (n + max_labels - 1) / max_labels;
    o << "<g fill=\"#444\" text-anchor=\"middle\">\n";
    for (std::size_t i = 0; i < n; i += step) {
        o << "<path d=\"M" << num(X(i)) << ' ' << num(mt + ph) << " v4\" stroke=\"#666\"/>";
        o << "<text x=\"" << num(X(i)) << "\" y=\"" << num(mt + ph + 18) << "\">" << esc(c.x_labels[i]) << "</text>\n";
    }
    o << "</g>\n";
    if (!c.x_label.empty())
        o << "<text x=\"" << num(ml + pw / 2) << "\" y=\"" << num(height_px - 12) << "\" text-anchor=\"middle\" fill=\"#222\">"
          << esc(c.x_label) << "</text>\n";
    if (!c.y_label.empty())
        o << "<text transform=\"translate(14 " << num(mt + ph / 2) << ") rotate(-90)\" text-anchor=\"middle\" fill=\"#222\">"
          << esc(c.y_label) << "</text>\n";
    for (std::size_t si = 0; si < c.series.size(); ++si) {
        const auto& s = c.series[si];
        const Rgba col = s.colour ? *s.colour : palette(si);
        std::string d, dots;
        bool pen = false;
        for (std::size_t i = 0; i < s.y.size() && i < n; ++i) {
            if (!std::isfinite(s.y[i])) {
                pen = false;
                continue;
            }
            const bool prev = i > 0 && std::isfinite(s.y[i - 1]);
            const bool next = i + 1 < s.y.size() && i + 1 < n && std::isfinite(s.y[i + 1]);
            if (!prev && !next)
                dots += "<circle cx=\"" + num(X(i)) + "\" cy=\"" + num(Y(s.y[i])) + "\" r=\"2.5\"/>";
            d += (pen ? " L" : (d.empty() ? "M" : " M")) + num(X(i)) + ' ' + num(Y(s.y[i]));
            pen = true;
        }
        o << "<g class=\"series\" fill=\"" << hex(col) << "\"><title>" << esc(s.name) << "</title>";
        if (!d.empty()) o << "<path d=\"" << d << "\" fill=\"none\" stroke=\"" << hex(col) << "\" stroke-width=\"2\" stroke-linejoin=\"round\"/>";
        o << dots << "</g>\n";
    }
    o << "</svg>";
    return o.str();
}

std::string bar_chart_svg(const BarChart& c, const Formatter& f, double width_px)
{
    std::size_t longest = 4;
    for (const auto& l : c.labels) longest = std::max(longest, l.size());
    const double ml = std::min(220.0, 12 + 7.0 * static_cast<double>(longest)), mr = 60, mt = 8;
    const double bar = 22, gap = 6;
    const std::size_t n = std::min(c.labels.size(), c.values.size());
    const double mb = c.value_label.empty() ? 30 : 48;
    const double ph = static_cast<double>(n) * (bar + gap) + gap;
    const double height = mt + ph + mb, pw = width_px - ml - mr;
    Range r;
    r.add(0);
    for (std::size_t i = 0; i < n; ++i) r.add(c.values[i]);
    const auto ticks = nice_ticks(r.lo, r.hi, 5);
    const double t0 = ticks.front(), t1 = ticks.back();
    const int dec = tick_decimals(ticks);
    auto X = [&](double v) { return ml + pw * (v - t0) / (t1 - t0); };
    std::ostringstream o;
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " << num(width_px) << ' ' << num(height)
      << "\" role=\"img\"";
    if (!c.title.empty()) o << " aria-label=\"" << esc(c.title) << "\"";
    o << " font-size=\"12\">\n<g stroke=\"#ddd\">\n";
    for (double t : ticks) o << "<path d=\"M" << num(X(t)) << ' ' << num(mt) << " V" << num(mt + ph) << "\"/>\n";
    o << "</g>\n<g fill=\"#444\" text-anchor=\"middle\">\n";
    for (double t : ticks) o << "<text x=\"" << num(X(t)) << "\" y=\"" << num(mt + ph + 16) << "\">" << esc(f(t, dec)) << "</text>\n";
    o << "</g>\n";
    if (!c.value_label.empty())
        o << "<text x=\"" << num(ml + pw / 2) << "\" y=\"" << num(height - 10) << "\" text-anchor=\"middle\" fill=\"#222\">"
          << esc(c.value_label) << "</text>\n";
    // value labels: as many decimals as the values need, at most 2
    int vdec = 0;
    for (std::size_t i = 0; i < n; ++i)
        while (vdec < 2 && std::isfinite(c.values[i]) &&
               std::abs(c.values[i] * std::pow(10.0, vdec) - std::round(c.values[i] * std::pow(10.0, vdec))) > 1e-6)
            ++vdec;
    for (std::size_t i = 0; i < n; ++i) {
        const double y = mt + gap + static_cast<double>(i) * (bar + gap);
        const double v = c.values[i];
        o << "<text x=\"" << num(ml - 6) << "\" y=\"" << num(y + bar / 2) << "\" text-anchor=\"end\" dominant-baseline=\"middle\" fill=\"#222\">"
          << esc(c.labels[i]) << "</text>";
        if (std::isfinite(v)) {
            const double a = X(std::min(0.0, v)), b = X(std::max(0.0, v));
            o << "<rect x=\"" << num(a) << "\" y=\"" << num(y) << "\" width=\"" << num(std::max(0.5, b - a)) << "\" height=\"" << num(bar)
              << "\"" << fill_attrs(c.colour, "fill") << "><title>" << esc(c.labels[i]) << ": " << esc(f(v, vdec)) << "</title></rect>";
            o << "<text x=\"" << num(b + 4) << "\" y=\"" << num(y + bar / 2) << "\" dominant-baseline=\"middle\" fill=\"#222\">"
              << esc(f(v, vdec)) << "</text>";
        }
        o << "\n";
    }
    o << "<path d=\"M" << num(X(0)) << ' ' << num(mt) << " V" << num(mt + ph) << "\" stroke=\"#666\"/>\n</svg>";
    return o.str();
}

} // namespace hotmap::report::svg
