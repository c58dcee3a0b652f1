// SPDX-License-Identifier: MIT
// Synthetic city model (the `kalemie` preset) and its deterministic incident generator.
//
// Everything here is pure computation in UTM metres (EPSG:32735). The city's geography
// (lake shore, districts, facilities, patrol routes, planted hotspots) is fixed by the preset;
// the seed only changes the incidents. Incidents are generated in fixed-size chunks, each with
// its own random stream derived from (seed, chunk index), so the rows never depend on the
// number of threads.
#pragma once

#include "hotmap/crs/crs.hpp"
#include "hotmap/types.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hotmap::synth {

/// One district: a simple polygon (exterior ring, counter-clockwise, not closed) that shares
/// its boundary vertices exactly with its neighbours, so that the districts tile the city.
struct District {
    std::string name;
    std::string commune;
    std::int64_t population = 0;
    std::vector<Point> ring;
};

/// A point facility: police station, container post or street lamp.
struct Facility {
    std::string name;
    std::string type;     ///< "station", "post" or "lamp"
    std::string district; ///< district containing it
    Point p;
};

/// A patrol route (a line; closed loops repeat their first vertex at the end).
struct PatrolRoute {
    std::string name;
    std::string shift; ///< "day" or "night"
    std::vector<Point> line;
};

enum class HotspotKind { stable, emerging, fading };
std::string_view to_string(HotspotKind k) noexcept;

/// Time-of-day and category profile a source of incidents follows.
enum class Profile { background, market, port, transport, nightlife };

/// A planted hotspot: incidents around `centre` with a circular Gaussian spread of
/// sigma = radius_m / 2 (86% of its incidents fall within radius_m).
struct PlantedHotspot {
    std::string name;
    std::string place; ///< what is there: "market", "port", "bus station", ...
    std::string district;
    HotspotKind kind = HotspotKind::stable;
    Profile profile = Profile::market;
    Point centre;
    double radius_m = 300;
    double share = 0.05; ///< expected share of all incidents
    Timestamp start = 0; ///< first active day (inclusive, midnight)
    Timestamp end = 0;   ///< day after the last active day (exclusive)
};

/// A synthetic city in a projected CRS (metres). Lake: every point east of `shoreline`.
struct City {
    std::string name;
    crs::Crs crs;                 ///< EPSG:32735 for the kalemie preset
    Point origin;                 ///< south-west reference corner (UTM metres)
    double shore_step_m = 100;    ///< shoreline vertices are every shore_step_m in y from origin.y
    std::vector<Point> shoreline; ///< south to north, one vertex per step
    std::vector<Point> outline;   ///< the city's exterior ring (union of the districts), CCW
    std::vector<District> districts;
    std::vector<Facility> facilities;
    std::vector<PatrolRoute> patrols;
    std::vector<std::vector<Point>> roads; ///< main roads (not written; shape lamps and density)
    std::vector<PlantedHotspot> hotspots;
    /// The street network (written as streets.geojson): `main` roads and `street`s, each a
    /// polyline whose vertices are junctions wherever two streets meet (streets share them).
    struct Street {
        std::vector<Point> line;
        std::string kind; ///< "main" or "street"
    };
    std::vector<Street> streets;
    Timestamp start = 0; ///< incidents lie in [start, end)
    Timestamp end = 0;

    /// Easting of the shore at northing y (linear between vertices, clamped beyond the ends).
    double shore_x(double y) const noexcept;
    /// True when (x, y) lies in the lake, i.e. east of the shoreline by more than margin_m.
    bool in_lake(double x, double y, double margin_m = 0) const noexcept
    {
        return x > shore_x(y) - margin_m;
    }
    /// Index of the district containing (x, y), -1 when none (a point exactly on a shared
    /// edge may go to either neighbour).
    int district_at(double x, double y) const noexcept;
};

/// The `kalemie` preset: a 15 x 10 km city on the western shore of Lake Tanganyika around
/// 29.19 E, 5.93 S, in EPSG:32735; 3 communes, 16 districts, 4 police stations, 8 container
/// posts, 50 street lamps, 4 patrol routes, 7 planted hotspots (one emerging in the last four
/// months, one fading during the second year); incidents over 2024-01-01 .. 2025-12-31.
/// Throws CrsError when PROJ does not know EPSG:32735.
City kalemie();

/// Names of the presets `make_city` knows.
std::vector<std::string> preset_names();
/// A preset by name. Throws ParameterError for an unknown name.
City make_city(const std::string& preset);

/// Incident category: name written to the CSV and severity written as `weight` (1..5).
struct CategoryDef {
    std::string_view name;
    int severity;
};
/// The categories, in the order SynthIncident::category indexes them.
const std::vector<CategoryDef>& categories();

/// Defects a dirty row can carry (one per row).
enum class Defect : std::uint8_t {
    none,
    swapped_lat_lon,    ///< lon and lat columns exchanged
    missing_coordinate, ///< lon, lat or both empty
    unparseable_number, ///< "n/a", "#VALUE!", "29.193.456", "-5.934512S"
    null_island,        ///< (0, 0)
    unparseable_time,   ///< "n/a", "hier soir", "#########", a 30 February
};
inline constexpr std::size_t k_defect_kinds = 6;
/// Reject reason key `hotmap info` reports for a defect ("" for none).
std::string_view to_string(Defect d) noexcept;
/// Share of each defect among dirty rows (index = Defect value; none = 0). Sums to 1.
const std::array<double, k_defect_kinds>& defect_mix();

/// One generated incident. x/y are UTM metres, lon/lat WGS84 degrees; a dirty row keeps its
/// clean values here and carries its defect, applied only when the row is written.
struct SynthIncident {
    std::uint64_t id = 0; ///< 1-based, in file order
    Timestamp time = 0;
    double x = 0, y = 0;
    double lon = 0, lat = 0;
    std::uint8_t category = 0; ///< index into categories()
    std::uint8_t source = 0;   ///< 0 = background, k + 1 = City::hotspots[k]
    Defect defect = Defect::none;
    std::uint8_t variant = 0; ///< which form of the defect
};

struct IncidentParams {
    std::uint64_t count = 50000;
    std::uint64_t seed = 1;
    double dirty = 0;     ///< share of rows with a defect, in [0, 1]
    unsigned threads = 0; ///< 0 = all cores; never changes the result
};

/// Generates incidents for a City. Construction builds the sampling tables (background
/// density raster, day and hour profiles) and a cubic UTM -> lon/lat fit (sub-millimetre over
/// the city) from PROJ; after that it is immutable and thread-safe.
class IncidentGenerator {
public:
    /// Rows per chunk; chunk k holds ids k*k_chunk_rows+1 ..; each chunk has its own stream.
    static constexpr std::size_t k_chunk_rows = 1u << 16;

    /// Throws CrsError when the city's CRS cannot be transformed to WGS84.
    explicit IncidentGenerator(const City& city);
    ~IncidentGenerator();
    IncidentGenerator(const IncidentGenerator&) = delete;
    IncidentGenerator& operator=(const IncidentGenerator&) = delete;

    const City& city() const noexcept { return m_city; }

    /// Number of chunks for `count` rows.
    static std::uint64_t chunk_count(std::uint64_t count) noexcept
    {
        return (count + k_chunk_rows - 1) / k_chunk_rows;
    }
    /// Rows of chunk `chunk` (all full but the last).
    static std::size_t chunk_rows(std::uint64_t count, std::uint64_t chunk) noexcept;

    /// Fill `out` with chunk `chunk` of a data set (cleared first). Thread-safe. Throws
    /// ParameterError for a dirty share outside [0, 1].
    void generate_chunk(const IncidentParams& p, std::uint64_t chunk, std::vector<SynthIncident>& out) const;

    /// Every row in memory (tests, small sets), generated on p.threads threads.
    std::vector<SynthIncident> generate(const IncidentParams& p) const;

    /// WGS84 lon/lat of a point in the city's CRS (the fitted polynomial).
    Point to_lonlat(double x, double y) const noexcept;

private:
    struct Tables;
    City m_city;
    std::unique_ptr<Tables> m_t;
};

/// Check parameters shared by the generator and the writers. Throws ParameterError.
void validate(const IncidentParams& p);

} // namespace hotmap::synth
