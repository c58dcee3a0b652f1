// SPDX-License-Identifier: MIT
// Facilities (posts, stations, lamps, patrol routes) with their service radius, and the
// parsing of the radius rules: PATH[:RADIUS_M], TYPE=METRES,... and per-feature radius fields.
#pragma once

#include "hotmap/types.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hotmap::coverage {

/// The largest service radius accepted, metres (10,000 km: more than any study area; beyond
/// it buffers and index cells overflow).
inline constexpr double k_max_radius_m = 1e7;

/// One facility in the working CRS (metres): a point (one part with one vertex) or a line
/// (parts with >= 2 vertices each). It covers every place within `radius_m` of itself.
struct Facility {
    std::vector<std::vector<Point>> parts;
    double radius_m = 0;
    std::string type;           ///< its type (--facility-type value) or its layer's name
    std::int32_t layer = 0;     ///< index of the layer it came from
    std::uint32_t feature = 0;  ///< 1-based position of its feature in the layer
    bool is_line() const noexcept;
};

/// "PATH[:RADIUS_M]": the path and the layer radius, when the text after the last ':' is a
/// number. Throws ParameterError for a radius that is not a positive number when `path_exists`
/// says the part before it names an existing file (e.g. "posts.csv:abc").
struct FacilitySpec {
    std::string path;
    std::optional<double> radius_m;
};
FacilitySpec parse_facility_spec(const std::string& text, bool (*path_exists)(const std::string&) = nullptr);

/// "lamp=40,post=500,800": radii per type and an optional default (a bare number), metres.
/// Repeated --radius options are joined with ','. Throws ParameterError on bad syntax, a
/// non-positive radius or a type given twice.
struct RadiusRules {
    std::map<std::string, double> by_type;
    std::optional<double> default_m;
};
RadiusRules parse_radius_rules(const std::string& text);

/// One layer's geometries (WKB, working CRS), with per-feature type and radius-field text
/// (each empty, or one value per geometry) and the layer radius from PATH:RADIUS_M.
struct FacilityLayerInput {
    std::string name;                       ///< the default type (e.g. the file stem)
    std::string source;                     ///< path, for messages (default: name)
    std::vector<std::string> wkb;
    std::vector<std::size_t> features;      ///< per geometry: its feature's 1-based position (empty: 1..n)
    std::vector<std::string> types;         ///< empty: every feature's type is `name`
    std::vector<std::string> radius_values; ///< empty: no radius field
    std::optional<double> radius_m;
};

/// Facilities from the layers. Radius of a feature, most specific first: its radius field
/// value (when not empty), the rule for its type, the layer radius, the default rule.
/// Throws InputError for polygons or unreadable geometries and for a bad radius field value,
/// ParameterError for a type with no radius ("unknown type without a radius").
std::vector<Facility> build_facilities(const std::vector<FacilityLayerInput>& layers, const RadiusRules& rules);

/// The distinct facility types, sorted.
std::vector<std::string> facility_types(const std::vector<Facility>& f);

} // namespace hotmap::coverage
