// SPDX-License-Identifier: MIT
// hotmap synth: the kalemie city tiles exactly; incidents are deterministic, clustered, on land.
#include "hotmap/crs/crs.hpp"
#include "hotmap/error.hpp"
#include "hotmap/geom/geometry.hpp"
#include "hotmap/incidents.hpp"
#include "hotmap/io/read_incidents.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/network/graph.hpp"
#include "hotmap/synth/kalemie.hpp"
#include "hotmap/synth/writer.hpp"
#include "hotmap/timeparse.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

using namespace hotmap;
using geom::Geometry;

namespace {

const synth::City& city()
{
    static const synth::City c = synth::kalemie();
    return c;
}

const synth::IncidentGenerator& generator()
{
    static const synth::IncidentGenerator g(city());
    return g;
}

// 200,000 rows with 5% dirty, generated once for the statistical tests.
const std::vector<synth::SynthIncident>& sample()
{
    static const std::vector<synth::SynthIncident> rows = [] {
        synth::IncidentParams p;
        p.count = 200000;
        p.seed = 7;
        p.dirty = 0.05;
        return generator().generate(p);
    }();
    return rows;
}

std::string csv_text(const synth::IncidentParams& p, synth::CsvStats* stats = nullptr)
{
    std::string out;
    const synth::CsvStats s = synth::write_incidents_csv(generator(), p, [&](std::string_view v) { out.append(v); });
    if (stats) *stats = s;
    return out;
}

bool same(const synth::SynthIncident& a, const synth::SynthIncident& b)
{
    return a.id == b.id && a.time == b.time && a.x == b.x && a.y == b.y && a.lon == b.lon && a.lat == b.lat &&
           a.category == b.category && a.source == b.source && a.defect == b.defect && a.variant == b.variant;
}

void check_tiling(const std::vector<Geometry>& parts, const Geometry& whole)
{
    double sum = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        std::string why;
        EXPECT_TRUE(parts[i].is_valid(&why)) << "district " << i << ": " << why;
        EXPECT_EQ(parts[i].type_name(), "Polygon");
        sum += parts[i].area();
    }
    const double area = whole.area();
    std::vector<Geometry> copies;
    for (const Geometry& g : parts) copies.push_back(g.clone());
    const Geometry u = geom::union_all(std::move(copies));
    EXPECT_NEAR(u.area() / area, 1.0, 1e-9);
    EXPECT_NEAR(sum / area, 1.0, 1e-9); // no overlaps: the areas add up to the union's
    EXPECT_LT(whole.difference(u).area(), 1e-6 * area * 1e-3);
    EXPECT_LT(u.difference(whole).area(), 1e-6 * area * 1e-3);
    for (std::size_t i = 0; i < parts.size(); ++i)
        for (std::size_t j = i + 1; j < parts.size(); ++j)
            if (parts[i].intersects(parts[j])) {
                EXPECT_LE(parts[i].intersection(parts[j]).area(), 1e-9) << i << " x " << j;
            }
}

} // namespace

TEST(SynthKalemie, SixteenDistrictsInThreeCommunesTileTheCity)
{
    const synth::City& c = city();
    ASSERT_EQ(c.districts.size(), 16u);
    std::set<std::string> names, communes;
    std::int64_t pop = 0;
    std::vector<Geometry> parts;
    for (const synth::District& d : c.districts) {
        names.insert(d.name);
        communes.insert(d.commune);
        EXPECT_GT(d.population, 0) << d.name;
        pop += d.population;
        parts.push_back(Geometry::polygon(d.ring));
    }
    EXPECT_EQ(names.size(), 16u);
    EXPECT_EQ(communes, (std::set<std::string>{"Kalemie", "Kankomba", "Lac"}));
    EXPECT_GT(pop, 200000);
    EXPECT_LT(pop, 600000);
    const Geometry outline = Geometry::polygon(c.outline);
    ASSERT_TRUE(outline.is_valid());
    check_tiling(parts, outline);
    // About 15 x 10 km, centred near 29.19 E, 5.93 S.
    const Extent e = outline.envelope();
    EXPECT_NEAR(e.width(), 15000, 600);
    EXPECT_NEAR(e.height(), 10000, 600);
    const Point centre = generator().to_lonlat(0.5 * (e.xmin + e.xmax), 0.5 * (e.ymin + e.ymax));
    EXPECT_NEAR(centre.x, 29.19, 0.02);
    EXPECT_NEAR(centre.y, -5.93, 0.02);
}

TEST(SynthKalemie, TilingSurvivesTheGeoJsonRoundTrip)
{
    const std::string dir = test::out_dir("synth_roundtrip");
    const std::string path = dir + "/districts.geojson";
    io::write_vector(synth::districts_layer(city()), path, {});
    io::PolygonSource src;
    src.path = path;
    src.population_field = "population";
    const io::PolygonLayer back = io::read_polygons(src, city().crs);
    ASSERT_EQ(back.wkb.size(), 16u);
    std::vector<Geometry> parts;
    for (const std::string& w : back.wkb) parts.push_back(Geometry::from_wkb(w));
    std::vector<Geometry> copies;
    for (const Geometry& g : parts) copies.push_back(g.clone());
    const Geometry u = geom::union_all(std::move(copies));
    check_tiling(parts, u);
    EXPECT_NEAR(u.area() / Geometry::polygon(city().outline).area(), 1.0, 1e-6);
    EXPECT_EQ(back.names.front(), city().districts.front().name);
    EXPECT_EQ(back.population.front(), static_cast<double>(city().districts.front().population));
}

TEST(SynthKalemie, FacilitiesPatrolsAndHotspotsAreOnLand)
{
    const synth::City& c = city();
    std::map<std::string, int> by_type;
    for (const synth::Facility& f : c.facilities) {
        ++by_type[f.type];
        EXPECT_GE(c.district_at(f.p.x, f.p.y), 0) << f.name;
        EXPECT_FALSE(f.district.empty()) << f.name;
        EXPECT_FALSE(c.in_lake(f.p.x, f.p.y)) << f.name;
    }
    EXPECT_EQ(by_type["station"], 4);
    EXPECT_EQ(by_type["post"], 8);
    EXPECT_EQ(by_type["lamp"], 50);
    ASSERT_GE(c.patrols.size(), 3u);
    for (const synth::PatrolRoute& r : c.patrols) {
        ASSERT_GE(r.line.size(), 2u) << r.name;
        EXPECT_TRUE(Geometry::linestring(r.line).is_valid()) << r.name;
        for (std::size_t i = 0; i + 1 < r.line.size(); ++i)
            for (int k = 0; k <= 100; ++k) {
                const double t = k / 100.0;
                const double x = r.line[i].x + t * (r.line[i + 1].x - r.line[i].x);
                const double y = r.line[i].y + t * (r.line[i + 1].y - r.line[i].y);
                EXPECT_FALSE(c.in_lake(x, y, -20)) << r.name << " segment " << i; // 20 m off the shore
            }
    }
    std::map<synth::HotspotKind, int> kinds;
    for (const synth::PlantedHotspot& h : c.hotspots) {
        ++kinds[h.kind];
        EXPECT_GE(c.district_at(h.centre.x, h.centre.y), 0) << h.name;
        EXPECT_LT(h.start, h.end);
    }
    EXPECT_EQ(kinds[synth::HotspotKind::emerging], 1);
    EXPECT_EQ(kinds[synth::HotspotKind::fading], 1);
    EXPECT_GE(kinds[synth::HotspotKind::stable], 3);
}

TEST(SynthKalemie, LonLatFitMatchesProj)
{
    const crs::Transformer tr(city().crs, crs::Crs::epsg(4326));
    const Extent e = Geometry::polygon(city().outline).envelope();
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> ux(e.xmin, e.xmax), uy(e.ymin, e.ymax);
    double worst = 0;
    for (int i = 0; i < 2000; ++i) {
        const double x = ux(rng), y = uy(rng);
        const auto ll = tr.transform(x, y);
        ASSERT_TRUE(ll);
        const Point p = generator().to_lonlat(x, y);
        worst = std::max({worst, std::abs(p.x - ll->first), std::abs(p.y - ll->second)});
    }
    EXPECT_LT(worst, 1e-8); // about a millimetre
}

TEST(SynthKalemie, SameSeedSameRowsOtherSeedOtherRows)
{
    synth::IncidentParams p;
    p.count = 70000;
    p.seed = 11;
    p.dirty = 0.02;
    const auto a = generator().generate(p);
    const auto b = generator().generate(p);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) ASSERT_TRUE(same(a[i], b[i])) << "row " << i;
    EXPECT_EQ(csv_text(p), csv_text(p));
    p.seed = 12;
    const auto c = generator().generate(p);
    std::size_t equal = 0;
    for (std::size_t i = 0; i < a.size(); ++i) equal += same(a[i], c[i]);
    EXPECT_LT(equal, 10u);
}

TEST(SynthKalemie, ThreadCountDoesNotChangeTheBytes)
{
    synth::IncidentParams p;
    p.count = 2 * synth::IncidentGenerator::k_chunk_rows + 12345; // a partial last chunk
    p.seed = 5;
    p.dirty = 0.05;
    p.threads = 1;
    const std::string one = csv_text(p);
    const auto rows1 = generator().generate(p);
    for (unsigned t : {2u, 3u, 8u}) {
        p.threads = t;
        EXPECT_EQ(csv_text(p), one) << t << " threads";
        const auto rows = generator().generate(p);
        ASSERT_EQ(rows.size(), rows1.size());
        for (std::size_t i = 0; i < rows.size(); ++i) ASSERT_TRUE(same(rows[i], rows1[i])) << t << " threads, row " << i;
    }
}

TEST(SynthKalemie, WritesTheRequestedRows)
{
    for (std::uint64_t n : {1ull, 1000ull, 65536ull, 65537ull}) {
        synth::IncidentParams p;
        p.count = n;
        synth::CsvStats st;
        const std::string text = csv_text(p, &st);
        EXPECT_EQ(st.rows, n);
        EXPECT_EQ(st.bytes, text.size());
        EXPECT_EQ(static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n')), n + 1);
        EXPECT_EQ(text.rfind(synth::k_csv_header, 0), 0u);
        const std::size_t last = text.rfind('\n', text.size() - 2);
        EXPECT_EQ(text.substr(last + 1, std::to_string(n).size() + 1), std::to_string(n) + ",");
    }
    synth::IncidentParams p;
    p.count = 3;
    const std::string text = csv_text(p);
    // 1,2024-11-17 07:50:37,29.245887,-5.919873,fraud,2
    const std::string row = text.substr(synth::k_csv_header.size(), text.find('\n', synth::k_csv_header.size()) - synth::k_csv_header.size());
    EXPECT_EQ(std::count(row.begin(), row.end(), ','), 5);
    EXPECT_EQ(row[1], ',');
    EXPECT_EQ(row.substr(2, 19).size(), 19u);
    EXPECT_EQ(row[6], '-');
    EXPECT_EQ(row[12], ' ');
    EXPECT_EQ(row[15], ':');
}

TEST(SynthKalemie, DirtyShareAndMix)
{
    const auto& rows = sample();
    std::array<std::size_t, synth::k_defect_kinds> n{};
    for (const auto& r : rows) ++n[static_cast<std::size_t>(r.defect)];
    const double total = static_cast<double>(rows.size());
    const double dirty = (total - static_cast<double>(n[0])) / total;
    EXPECT_NEAR(dirty, 0.05, 0.003);
    for (std::size_t k = 1; k < synth::k_defect_kinds; ++k)
        EXPECT_NEAR(static_cast<double>(n[k]) / (total - static_cast<double>(n[0])), synth::defect_mix()[k], 0.02)
            << synth::to_string(static_cast<synth::Defect>(k));
    // Clean rows do not depend on the dirty share: the same rows stay clean and identical.
    synth::IncidentParams p;
    p.count = 200000;
    p.seed = 7;
    const auto clean = generator().generate(p);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        ASSERT_EQ(clean[i].defect, synth::Defect::none);
        if (rows[i].defect == synth::Defect::none) {
            ASSERT_TRUE(same(rows[i], clean[i])) << i;
        }
    }
    p.dirty = 1.5;
    EXPECT_THROW(generator().generate(p), ParameterError);
}

TEST(SynthKalemie, ReaderRejectsEachDirtyRowWithItsReason)
{
    const std::string dir = test::out_dir("synth_dirty");
    synth::IncidentParams p;
    p.count = 20000;
    p.seed = 3;
    p.dirty = 0.1;
    const std::string path = dir + "/incidents.csv";
    const synth::CsvStats st = synth::write_incidents_csv(generator(), p, path, false);
    EXPECT_THROW(synth::write_incidents_csv(generator(), p, path, false), OutputError);
    io::IncidentSource src;
    src.path = path;
    src.category_field = "category";
    src.weight_field = "weight";
    IncidentSet set = io::read_incidents(src, {});
    project_incidents(set, city().crs, false);
    EXPECT_EQ(set.accounting.read, p.count);
    EXPECT_TRUE(set.accounting.balanced());
    for (std::size_t k = 1; k < synth::k_defect_kinds; ++k) {
        const std::string why(synth::to_string(static_cast<synth::Defect>(k)));
        const auto it = set.accounting.rejected_by.find(why);
        EXPECT_EQ(it == set.accounting.rejected_by.end() ? 0u : it->second, st.defects[k]) << why;
    }
    EXPECT_EQ(set.accounting.accepted, st.defects[0]);
    EXPECT_EQ(set.categories.size(), synth::categories().size());
}

TEST(SynthKalemie, NightIsBusierThanDay)
{
    std::size_t night = 0, day = 0;
    for (const auto& r : sample()) {
        const int h = timeparse::to_civil(r.time).hour;
        (h >= 18 || h < 6 ? night : day)++;
    }
    EXPECT_GT(night, day);
    EXPECT_GT(static_cast<double>(night) / static_cast<double>(night + day), 0.55);
    for (const auto& r : sample()) {
        ASSERT_GE(r.time, city().start);
        ASSERT_LT(r.time, city().end);
    }
}

TEST(SynthKalemie, EmergingAndFadingHotspotsFollowTheirDates)
{
    const synth::City& c = city();
    const Timestamp year2 = timeparse::from_civil(2025, 1, 1);
    const Timestamp last4 = timeparse::from_civil(2025, 9, 1);
    for (const synth::PlantedHotspot& h : c.hotspots) {
        if (h.kind == synth::HotspotKind::stable) continue;
        std::size_t in_year1 = 0, in_last4 = 0;
        for (const auto& r : sample()) {
            if (std::hypot(r.x - h.centre.x, r.y - h.centre.y) > h.radius_m) continue;
            if (r.time < year2) ++in_year1;
            if (r.time >= last4) ++in_last4;
        }
        if (h.kind == synth::HotspotKind::emerging) {
            EXPECT_GT(in_last4, 2000u) << h.name;
            EXPECT_LT(static_cast<double>(in_year1), 0.05 * static_cast<double>(in_last4)) << h.name;
        } else {
            EXPECT_GT(in_year1, 2000u) << h.name;
            EXPECT_LT(static_cast<double>(in_last4), 0.05 * static_cast<double>(in_year1)) << h.name;
        }
    }
}

TEST(SynthKalemie, NoCleanIncidentInTheLakeAndFewOutsideTheCity)
{
    const synth::City& c = city();
    const crs::Transformer to_utm(crs::Crs::epsg(4326), c.crs);
    std::size_t outside = 0, clean = 0;
    for (const auto& r : sample()) {
        if (r.defect != synth::Defect::none) continue;
        ++clean;
        ASSERT_FALSE(c.in_lake(r.x, r.y)) << r.id;
        // As written (six decimals) and projected by PROJ, still on land.
        const auto utm = to_utm.transform(std::round(r.lon * 1e6) / 1e6, std::round(r.lat * 1e6) / 1e6);
        ASSERT_TRUE(utm);
        ASSERT_FALSE(c.in_lake(utm->first, utm->second)) << r.id;
        outside += c.district_at(r.x, r.y) < 0;
    }
    EXPECT_GT(outside, 0u); // phone positions just beyond the limits
    EXPECT_LT(static_cast<double>(outside), 0.005 * static_cast<double>(clean));
}

TEST(SynthKalemie, HotspotsConcentrateIncidents)
{
    const synth::City& c = city();
    const double city_area = Geometry::polygon(c.outline).area();
    for (const synth::PlantedHotspot& h : c.hotspots) {
        std::size_t near = 0;
        for (const auto& r : sample()) near += std::hypot(r.x - h.centre.x, r.y - h.centre.y) <= h.radius_m;
        const double share_of_area = 3.14159 * h.radius_m * h.radius_m / city_area;
        EXPECT_GT(static_cast<double>(near) / static_cast<double>(sample().size()), 10 * share_of_area) << h.name;
    }
}

TEST(SynthKalemie, DatasetFolderIsCompleteAndNeverReplacedWithoutOverwrite)
{
    const std::string dir = test::out_dir("synth_dataset") + "/new/sub";
    synth::DatasetParams p;
    p.incidents.count = 2000;
    p.incidents.dirty = 0.01;
    p.command = "hotmap synth --preset kalemie --incidents 2000 --dirty 0.01 -o DIR";
    const synth::DatasetReport rep = synth::write_dataset(city(), dir, p);
    for (const std::string& f : synth::dataset_files(false)) EXPECT_TRUE(std::filesystem::exists(dir + "/" + f)) << f;
    EXPECT_EQ(rep.csv.rows, 2000u);
    std::ifstream readme(dir + "/README.md");
    const std::string text((std::istreambuf_iterator<char>(readme)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("synthetic"), std::string::npos);
    EXPECT_NE(text.find(p.command), std::string::npos);
    const auto size = std::filesystem::file_size(dir + "/incidents.csv");
    EXPECT_THROW(synth::write_dataset(city(), dir, p), OutputError);
    EXPECT_EQ(std::filesystem::file_size(dir + "/incidents.csv"), size);
    for (const auto& e : std::filesystem::directory_iterator(dir))
        EXPECT_EQ(e.path().filename().string().rfind(".hotmap-tmp", 0), std::string::npos) << e.path();
    p.overwrite = true;
    EXPECT_NO_THROW(synth::write_dataset(city(), dir, p));
    const std::string only = test::out_dir("synth_only");
    p.incidents_only = true;
    synth::write_dataset(city(), only, p);
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(only)) files += e.is_regular_file();
    EXPECT_EQ(files, 1u);
    EXPECT_THROW(synth::make_city("atlantis"), ParameterError);
}

TEST(SynthKalemie, StreetNetworkOnLandJoinedAndNearTheFacilities)
{
    const synth::City& c = city();
    ASSERT_GT(c.streets.size(), 1000u);
    network::StreetLines lines;
    std::size_t mains = 0;
    for (const auto& s : c.streets) {
        lines.lines.push_back(s.line);
        mains += s.kind == "main";
        for (const Point& p : s.line) ASSERT_FALSE(c.in_lake(p.x, p.y)) << "a street vertex in the lake";
    }
    EXPECT_EQ(mains, c.roads.size());
    const network::Graph g = network::build_graph(lines);
    // one network, but for a lane or two cut off by the left-out block sides
    EXPECT_GT(g.component_length_m[0], 0.999 * g.total_length_m);
    EXPECT_GT(g.total_length_m, 1000e3);
    std::size_t dead_ends = 0;
    for (std::uint32_t n = 0; n < g.nodes.size(); ++n) dead_ends += g.degree(n) == 1;
    EXPECT_GT(dead_ends, 40u);
    const network::EdgeIndex ix(g);
    for (const auto& f : c.facilities) EXPECT_LT(ix.snap(f.p.x, f.p.y).snap_m, 1e-6) << f.name; // on their access street
    // the same streets every time (their own random stream)
    const synth::City again = synth::kalemie();
    ASSERT_EQ(again.streets.size(), c.streets.size());
    for (std::size_t k = 0; k < c.streets.size(); ++k) ASSERT_EQ(again.streets[k].line.size(), c.streets[k].line.size());
}
