// SPDX-License-Identifier: MIT
// PROJ-backed implementation of Crs and Transformer (the only PROJ user).
#include "hotmap/crs/crs.hpp"

#include "hotmap/error.hpp"

#include <proj.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <mutex>
#include <sstream>
#include <vector>

namespace hotmap::crs {
namespace {

struct PjDeleter {
    void operator()(PJ* p) const noexcept { proj_destroy(p); }
};
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

struct CtxDeleter {
    void operator()(PJ_CONTEXT* c) const noexcept { proj_context_destroy(c); }
};
using CtxPtr = std::unique_ptr<PJ_CONTEXT, CtxDeleter>;

// One PROJ context per thread: contexts are not thread-safe.
PJ_CONTEXT* thread_ctx()
{
    thread_local CtxPtr ctx{[] {
        PJ_CONTEXT* c = proj_context_create();
        proj_log_level(c, PJ_LOG_NONE);
        return c;
    }()};
    return ctx.get();
}

std::string last_error(PJ_CONTEXT* ctx)
{
    const int err = proj_context_errno(ctx);
    if (err == 0) return "not a CRS PROJ understands";
    const char* s = proj_context_errno_string(ctx, err);
    return s ? s : "unknown PROJ error";
}

PjPtr make_crs(PJ_CONTEXT* ctx, const std::string& definition)
{
    std::string def = definition;
    // A bare PROJ string describes an operation unless it says it is a CRS.
    if (!def.empty() && def[0] == '+' && def.find("+type=crs") == std::string::npos)
        def += " +type=crs";
    PjPtr pj{proj_create(ctx, def.c_str())};
    if (!pj) throw CrsError("unknown CRS '" + definition + "': " + last_error(ctx));
    const PJ_TYPE t = proj_get_type(pj.get());
    if (t == PJ_TYPE_BOUND_CRS) {
        PjPtr base{proj_get_source_crs(ctx, pj.get())};
        if (base) pj = std::move(base);
    }
    switch (proj_get_type(pj.get())) {
    case PJ_TYPE_GEOGRAPHIC_2D_CRS:
    case PJ_TYPE_GEOGRAPHIC_3D_CRS:
    case PJ_TYPE_PROJECTED_CRS:
    case PJ_TYPE_COMPOUND_CRS:
    case PJ_TYPE_GEOCENTRIC_CRS:
    case PJ_TYPE_ENGINEERING_CRS:
    case PJ_TYPE_OTHER_CRS:
        break;
    default:
        throw CrsError("unknown CRS '" + definition + "': it describes no coordinate system");
    }
    return pj;
}

} // namespace

bool AreaOfUse::contains(double lon, double lat, double margin) const noexcept
{
    if (lat < south - margin || lat > north + margin) return false;
    if (west <= east) return lon >= west - margin && lon <= east + margin;
    return lon >= west - margin || lon <= east + margin; // crosses the antimeridian
}

Crs Crs::from_user(const std::string& definition)
{
    if (definition.empty()) throw CrsError("unknown CRS '': empty definition");
    std::string def = definition;
    // A path to a .prj/.wkt file is read and its text used.
    const bool named_file = def.ends_with(".prj") || def.ends_with(".wkt") || def.ends_with(".PRJ");
    if (def.find_first_of("[+: ") == std::string::npos || named_file) {
        std::ifstream f(def);
        if (f) {
            std::stringstream ss;
            ss << f.rdbuf();
            def = ss.str();
        } else if (named_file || def.find('/') != std::string::npos) {
            throw CrsError("CRS file '" + definition + "': cannot open: no such file");
        }
    }
    PJ_CONTEXT* ctx = thread_ctx();
    PjPtr pj = make_crs(ctx, def);
    Crs c;
    const char* wkt = proj_as_wkt(ctx, pj.get(), PJ_WKT2_2019, nullptr);
    if (!wkt) throw CrsError("unknown CRS '" + definition + "': cannot be written as WKT");
    c.m_wkt = wkt;
    const char* name = proj_get_name(pj.get());
    c.m_name = name ? name : "";
    const PJ_TYPE t = proj_get_type(pj.get());
    c.m_geographic = t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS;
    const char* auth = proj_get_id_auth_name(pj.get(), 0);
    const char* code = proj_get_id_code(pj.get(), 0);
    if (!auth || !code) {
        // WKT1 from .prj files often lacks an ID: ask PROJ for an identified equivalent.
        int* confidence = nullptr;
        PJ_OBJ_LIST* list = proj_identify(ctx, pj.get(), "EPSG", nullptr, &confidence);
        if (list) {
            if (proj_list_get_count(list) > 0 && confidence && confidence[0] >= 90) {
                PjPtr best{proj_list_get(ctx, list, 0)};
                if (best) {
                    const char* a2 = proj_get_id_auth_name(best.get(), 0);
                    const char* c2 = proj_get_id_code(best.get(), 0);
                    if (a2 && c2) c.m_id = std::string(a2) + ":" + c2;
                }
            }
            proj_int_list_destroy(confidence);
            proj_list_destroy(list);
        }
    } else {
        c.m_id = std::string(auth) + ":" + code;
    }
    if (c.m_id.empty()) c.m_id = c.m_name;
    double w = 0, s = 0, e = 0, n = 0;
    if (proj_get_area_of_use(ctx, pj.get(), &w, &s, &e, &n, nullptr) && w > -1000)
        c.m_area = AreaOfUse{w, s, e, n};
    return c;
}

Crs Crs::epsg(int code) { return from_user("EPSG:" + std::to_string(code)); }

Crs Crs::utm_for(double lon, double lat)
{
    if (!std::isfinite(lon) || !std::isfinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90)
        throw CrsError("cannot choose a UTM zone for lon/lat " + std::to_string(lon) + ", " +
                       std::to_string(lat));
    int zone = static_cast<int>(std::floor((lon + 180.0) / 6.0)) + 1;
    zone = std::clamp(zone, 1, 60);
    return epsg((lat < 0 ? 32700 : 32600) + zone);
}

bool Crs::same_as(const Crs& other) const
{
    if (empty() || other.empty()) return empty() && other.empty();
    if (m_wkt == other.m_wkt) return true;
    PJ_CONTEXT* ctx = thread_ctx();
    PjPtr a = make_crs(ctx, m_wkt), b = make_crs(ctx, other.m_wkt);
    return proj_is_equivalent_to_with_ctx(ctx, a.get(), b.get(),
                                          PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS) != 0;
}

// The transformer owns its PROJ context: it may be used from any one thread at a time, and
// no PROJ object is ever shared between threads.
struct Transformer::Impl {
    CtxPtr ctx;
    PjPtr op; // declared after ctx: destroyed first
};

Transformer::Transformer(const Crs& from, const Crs& to) : m_impl(std::make_unique<Impl>())
{
    if (from.empty() || to.empty()) throw CrsError("cannot transform: a CRS is unknown");
    if (from.same_as(to)) {
        m_identity = true;
        return;
    }
    m_impl->ctx.reset(proj_context_create());
    if (!m_impl->ctx) throw CrsError("cannot create a PROJ context");
    proj_log_level(m_impl->ctx.get(), PJ_LOG_NONE);
    PJ_CONTEXT* ctx = m_impl->ctx.get();
    PjPtr a = make_crs(ctx, from.wkt()), b = make_crs(ctx, to.wkt());
    PjPtr op{proj_create_crs_to_crs_from_pj(ctx, a.get(), b.get(), nullptr, nullptr)};
    if (!op)
        throw CrsError("no transformation from " + from.id() + " to " + to.id() + ": " +
                       last_error(ctx));
    PjPtr norm{proj_normalize_for_visualization(ctx, op.get())};
    if (!norm) throw CrsError("cannot normalise the transformation to " + to.id());
    m_impl->op = std::move(norm);
}

Transformer::~Transformer() = default;
Transformer::Transformer(Transformer&&) noexcept = default;
Transformer& Transformer::operator=(Transformer&&) noexcept = default;

void Transformer::transform(double* x, double* y, std::size_t n, std::size_t stride) const
{
    if (m_identity || n == 0) return;
    constexpr std::size_t chunk = 1u << 16;
    for (std::size_t off = 0; off < n; off += chunk) {
        const std::size_t m = std::min(chunk, n - off);
        double* xs = reinterpret_cast<double*>(reinterpret_cast<char*>(x) + off * stride);
        double* ys = reinterpret_cast<double*>(reinterpret_cast<char*>(y) + off * stride);
        proj_trans_generic(m_impl->op.get(), PJ_FWD, xs, stride, m, ys, stride, m, nullptr, 0,
                           0, nullptr, 0, 0);
    }
    // PROJ marks failures with HUGE_VAL; make them +inf for callers.
    for (std::size_t i = 0; i < n; ++i) {
        double& xi = *reinterpret_cast<double*>(reinterpret_cast<char*>(x) + i * stride);
        double& yi = *reinterpret_cast<double*>(reinterpret_cast<char*>(y) + i * stride);
        if (!std::isfinite(xi) || !std::isfinite(yi) || std::abs(xi) >= HUGE_VAL) {
            xi = std::numeric_limits<double>::infinity();
            yi = std::numeric_limits<double>::infinity();
        }
    }
}

std::optional<std::pair<double, double>> Transformer::transform(double x, double y) const
{
    transform(&x, &y, 1);
    if (!std::isfinite(x)) return std::nullopt;
    return std::make_pair(x, y);
}

Extent transform_box(const Extent& b, const Crs& from, const Crs& to)
{
    std::vector<double> xs, ys;
    constexpr int k = 64;
    for (int i = 0; i <= k; ++i) {
        const double f = static_cast<double>(i) / k;
        const double x = b.xmin + f * (b.xmax - b.xmin), y = b.ymin + f * (b.ymax - b.ymin);
        xs.insert(xs.end(), {x, x, b.xmin, b.xmax});
        ys.insert(ys.end(), {b.ymin, b.ymax, y, y});
    }
    Transformer(from, to).transform(xs.data(), ys.data(), xs.size());
    Extent e;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) return {};
        e.expand(xs[i], ys[i]);
    }
    return e;
}

std::string proj_version() { return proj_info().version; }

} // namespace hotmap::crs
