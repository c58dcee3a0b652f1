// SPDX-License-Identifier: MIT
// Facilities and their radius rules.
#include "hotmap/coverage/facilities.hpp"

#include "hotmap/error.hpp"
#include "hotmap/geom/geometry.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

namespace hotmap::coverage {
namespace {

std::string trim(const std::string& s)
{
    const auto a = s.find_first_not_of(" \t");
    if (a == std::string::npos) return {};
    const auto b = s.find_last_not_of(" \t");
    return s.substr(a, b - a + 1);
}

/// A whole-string finite number, or nullopt.
std::optional<double> to_number(const std::string& text)
{
    const std::string s = trim(text);
    if (s.empty()) return std::nullopt;
    double v = 0;
    const char* b = s.data();
    const char* e = s.data() + s.size();
    if (*b == '+') ++b;
    const auto r = std::from_chars(b, e, v);
    if (r.ec != std::errc() || r.ptr != e || !std::isfinite(v)) return std::nullopt;
    return v;
}

double positive_radius(const std::string& text, const std::string& what)
{
    const auto v = to_number(text);
    if (!v || *v <= 0) throw ParameterError(what + ": radius '" + text + "' is not a positive number of metres");
    if (*v > k_max_radius_m) throw ParameterError(what + ": radius '" + text + "' is more than " + std::to_string(static_cast<long long>(k_max_radius_m)) + " m");
    return *v;
}

} // namespace

bool Facility::is_line() const noexcept
{
    return std::any_of(parts.begin(), parts.end(), [](const std::vector<Point>& p) { return p.size() >= 2; });
}

FacilitySpec parse_facility_spec(const std::string& text, bool (*path_exists)(const std::string&))
{
    FacilitySpec s;
    s.path = text;
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return s;
    const std::string head = text.substr(0, colon), tail = text.substr(colon + 1);
    if (to_number(tail)) {
        s.path = head;
        s.radius_m = positive_radius(tail, "--facilities '" + text + "'");
        return s;
    }
    if (path_exists && !tail.empty() && path_exists(head) && tail.find('/') == std::string::npos)
        throw ParameterError("--facilities '" + text + "': radius '" + tail + "' is not a positive number of metres");
    return s;
}

RadiusRules parse_radius_rules(const std::string& text)
{
    RadiusRules r;
    std::size_t pos = 0;
    bool any = false;
    while (pos <= text.size()) {
        const auto comma = text.find(',', pos);
        const std::string item = trim(text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
        pos = comma == std::string::npos ? text.size() + 1 : comma + 1;
        if (item.empty()) {
            if (text.find_first_not_of(", \t") == std::string::npos) break;
            throw ParameterError("--radius '" + text + "': empty item (expected TYPE=METRES,... or METRES)");
        }
        any = true;
        const auto eq = item.find('=');
        if (eq == std::string::npos) {
            if (r.default_m) throw ParameterError("--radius '" + text + "': more than one default radius");
            if (!to_number(item))
                throw ParameterError("--radius '" + text + "': '" + item + "' is neither TYPE=METRES nor METRES");
            r.default_m = positive_radius(item, "--radius '" + text + "'");
            continue;
        }
        const std::string type = trim(item.substr(0, eq)), val = trim(item.substr(eq + 1));
        if (type.empty()) throw ParameterError("--radius '" + text + "': '" + item + "' has no type before '='");
        if (r.by_type.count(type)) throw ParameterError("--radius '" + text + "': type '" + type + "' given twice");
        r.by_type[type] = positive_radius(val, "--radius '" + text + "'");
    }
    if (!any) throw ParameterError("--radius '" + text + "': expected TYPE=METRES,... or METRES");
    return r;
}

std::vector<Facility> build_facilities(const std::vector<FacilityLayerInput>& layers, const RadiusRules& rules)
{
    std::vector<Facility> out;
    for (std::size_t li = 0; li < layers.size(); ++li) {
        const FacilityLayerInput& L = layers[li];
        const std::string& src = L.source.empty() ? L.name : L.source;
        if (!L.types.empty() && L.types.size() != L.wkb.size())
            throw ParameterError(src + ": " + std::to_string(L.types.size()) + " types for " + std::to_string(L.wkb.size()) + " geometries");
        if (!L.radius_values.empty() && L.radius_values.size() != L.wkb.size())
            throw ParameterError(src + ": " + std::to_string(L.radius_values.size()) + " radius values for " +
                                 std::to_string(L.wkb.size()) + " geometries");
        if (!L.features.empty() && L.features.size() != L.wkb.size())
            throw ParameterError(src + ": " + std::to_string(L.features.size()) + " feature positions for " + std::to_string(L.wkb.size()) +
                                 " geometries");
        for (std::size_t k = 0; k < L.wkb.size(); ++k) {
            const std::size_t pos = L.features.empty() ? k + 1 : L.features[k];
            const std::string where = src + ": feature " + std::to_string(pos);
            Facility f;
            f.layer = static_cast<std::int32_t>(li);
            f.feature = static_cast<std::uint32_t>(pos);
            f.type = L.types.empty() ? L.name : trim(L.types[k]);
            geom::Geometry g;
            try {
                g = geom::Geometry::from_wkb(L.wkb[k]);
            } catch (const GeometryError& e) {
                throw InputError(where + ": " + e.what());
            }
            if (g.empty()) continue;
            if (g.is_polygonal() || g.type_name() == "GeometryCollection")
                throw InputError(where + ": a " + g.type_name() + "; facilities must be points or lines");
            f.parts = g.coordinates();
            for (const auto& part : f.parts)
                for (const Point& p : part)
                    if (!std::isfinite(p.x) || !std::isfinite(p.y)) throw InputError(where + ": non-finite coordinate");
            if (f.parts.empty()) continue;
            std::optional<double> radius;
            if (!L.radius_values.empty() && !trim(L.radius_values[k]).empty()) {
                const auto v = to_number(L.radius_values[k]);
                if (!v || *v <= 0 || *v > k_max_radius_m)
                    throw InputError(where + ": radius field value '" + L.radius_values[k] +
                                     "' is not a number of metres in (0, " + std::to_string(static_cast<long long>(k_max_radius_m)) + "]");
                radius = *v;
            }
            if (!radius) {
                const auto it = rules.by_type.find(f.type);
                if (it != rules.by_type.end()) radius = it->second;
            }
            if (!radius) radius = L.radius_m;
            if (!radius) radius = rules.default_m;
            if (!radius) {
                if (!L.types.empty())
                    throw ParameterError(where + " has type '" + f.type + "' with no radius (give --radius " +
                                         (f.type.empty() ? std::string("TYPE") : f.type) + "=METRES, or PATH:RADIUS_M)");
                throw ParameterError(src + ": no radius (give --facilities PATH:RADIUS_M, --radius METRES or --radius-field)");
            }
            f.radius_m = *radius;
            out.push_back(std::move(f));
        }
    }
    return out;
}

std::vector<std::string> facility_types(const std::vector<Facility>& f)
{
    std::set<std::string> s;
    for (const Facility& x : f) s.insert(x.type);
    return {s.begin(), s.end()};
}

} // namespace hotmap::coverage
