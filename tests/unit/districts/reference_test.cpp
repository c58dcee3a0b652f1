// SPDX-License-Identifier: MIT
// Incidents per polygon reproduced from the independent reference results (R sf/GEOS).
#include "hotmap/districts/summary.hpp"
#include "hotmap/io/read_incidents.hpp"
#include "hotmap/io/vector.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <map>
#include <set>

using namespace hotmap;

namespace {
struct Loaded {
    IncidentSet inc;
    districts::DistrictSet d;
};
Loaded load(const std::string& csv, const std::string& polys, const std::string& x, const std::string& y, const std::string& in_crs,
            const crs::Crs& working)
{
    io::IncidentSource src;
    src.path = csv;
    src.x_field = x;
    src.y_field = y;
    src.crs = in_crs;
    Loaded L;
    L.inc = io::read_incidents(src, {});
    project_incidents(L.inc, working, false);
    const io::PolygonLayer p = io::read_polygons({polys, "", "", "", ""}, working);
    std::vector<std::string> w;
    L.d = districts::from_wkb(p.wkb, p.names, p.population, w);
    return L;
}
} // namespace

TEST(DistrictsReference, MemphisPolygonCountsFromLonLatAndProjected)
{
    HOTMAP_REQUIRE_SHARED(dir, "realdata/memphis_robberies_2019");
    HOTMAP_REQUIRE_SHARED(ref, "reference/memphis_robberies_2019");
    const test::Table counts = test::read_csv(ref + "/polygon_counts.csv");
    const test::Table assign = test::read_csv(ref + "/point_assignment.csv");
    const crs::Crs utm = crs::Crs::epsg(32616);
    for (const auto& [x, y, c, polys] : {std::tuple{"lon", "lat", "", "/precincts_4326.geojson"},
                                         std::tuple{"x", "y", "EPSG:32616", "/precincts_32616.geojson"}}) {
        const Loaded L = load(dir + "/incidents.csv", dir + polys, x, y, c, utm);
        ASSERT_EQ(L.inc.items.size(), 2245u);
        const districts::Summary s = districts::summarise(L.d, L.inc, {});
        ASSERT_EQ(s.rows.size(), counts.rows.size());
        for (std::size_t k = 0; k < counts.rows.size(); ++k) {
            EXPECT_EQ(s.rows[k].name, counts.at(k, "name"));
            EXPECT_EQ(s.rows[k].incidents, std::stoull(counts.at(k, "count"))) << x << " " << s.rows[k].name;
        }
        EXPECT_EQ(s.outside, 1u);
        // point by point: id -> polygon ids ("" when none)
        const districts::Assignment a = districts::assign(L.d, L.inc.items, 2);
        for (std::size_t i = 0; i < L.inc.items.size(); ++i) {
            const std::size_t id = L.inc.items[i].row - 1; // id = line - 1
            std::string got;
            for (std::uint32_t j = a.start[i]; j < a.start[i + 1]; ++j) got += (got.empty() ? "" : ";") + std::to_string(a.ids[j] + 1);
            std::string want = assign.at(id - 1, "polygon_ids");
            if (want == "NA") want.clear();
            ASSERT_EQ(got, want) << "incident " << id;
        }
    }
}

TEST(DistrictsReference, SanFranciscoBoundaryPointCountsTwice)
{
    HOTMAP_REQUIRE_SHARED(dir, "realdata/sf_crime_2012");
    const Loaded L = load(dir + "/incidents.csv", dir + "/analysis_neighborhoods_32610.geojson", "x", "y", "EPSG:32610",
                          crs::Crs::epsg(32610));
    ASSERT_EQ(L.inc.items.size(), 13472u);
    const districts::Summary s = districts::summarise(L.d, L.inc, {});
    std::uint64_t sum = 0;
    for (const auto& r : s.rows) sum += r.incidents;
    EXPECT_EQ(sum, 13460u); // 13459 assigned points + the one on the boundary of 5 and 18
    EXPECT_EQ(s.outside, 13u);
    EXPECT_EQ(s.multiple, 1u);
    const districts::Assignment a = districts::assign(L.d, L.inc.items, 1);
    for (std::size_t i = 0; i < L.inc.items.size(); ++i) {
        if (L.inc.items[i].row - 1 != 3190) continue;
        ASSERT_EQ(a.start[i + 1] - a.start[i], 2u);
        EXPECT_EQ(a.ids[a.start[i]] + 1, 5);
        EXPECT_EQ(a.ids[a.start[i] + 1] + 1, 18);
    }
}

TEST(DistrictsReference, ChicagoAgreesWithSourceCommunityAreas)
{
    HOTMAP_REQUIRE_SHARED(dir, "realdata/chicago_abandoned_vehicles_2016");
    const Loaded L = load(dir + "/incidents.csv", dir + "/community_areas_32616.geojson", "x", "y", "EPSG:32616",
                          crs::Crs::epsg(32616));
    const test::Table t = test::read_csv(dir + "/incidents.csv");
    const io::PolygonLayer p = io::read_polygons({dir + "/community_areas_32616.geojson", "", "", "", ""}, crs::Crs());
    const districts::Assignment a = districts::assign(L.d, L.inc.items, 2);
    EXPECT_EQ(a.outside, 2u);
    EXPECT_EQ(a.multiple, 0u);
    // area_num of each polygon, from the layer's own field
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open((dir + "/community_areas_32616.geojson").c_str(), GDAL_OF_VECTOR));
    std::vector<std::string> area_num;
    for (auto& f : *ds->GetLayer(0)) area_num.push_back(f->GetFieldAsString("area_num"));
    int agree = 0, assigned = 0;
    for (std::size_t i = 0; i < L.inc.items.size(); ++i) {
        if (a.start[i + 1] == a.start[i]) continue;
        ++assigned;
        const std::string src = t.at(L.inc.items[i].row - 2, "comm_area_src");
        agree += area_num[static_cast<std::size_t>(a.ids[a.start[i]])] == src;
    }
    EXPECT_EQ(assigned, 2633);
    EXPECT_EQ(agree, 2629);
}
