// SPDX-License-Identifier: MIT
// Tests of the CSV and OGR incident readers: columns, formats, reject reasons, line numbers.
#include "hotmap/error.hpp"
#include "hotmap/io/read_incidents.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/timeparse.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <fstream>
#include <map>
#include <tuple>
#include <utility>

using namespace hotmap;

namespace {
IncidentSet read(const std::string& path, io::IncidentSource src = {}, IncidentFilter f = {})
{
    src.path = path;
    src.keep_rejects = true;
    return io::read_incidents(src, f);
}
} // namespace

TEST(ReadIncidents, LonLatCsvWithTimeCategoryWeight)
{
    io::IncidentSource src;
    src.weight_field = "weight";
    const IncidentSet s = read(test::data("small_lonlat.csv"), src);
    EXPECT_EQ(s.accounting.read, 5u);
    EXPECT_EQ(s.accounting.accepted, 5u);
    EXPECT_TRUE(s.crs.is_geographic());
    EXPECT_EQ(s.resolved_x, "lon");
    EXPECT_EQ(s.resolved_time, "datetime");
    ASSERT_EQ(s.categories, (std::vector<std::string>{"assault", "burglary", "theft"}));
    ASSERT_EQ(s.items.size(), 5u);
    EXPECT_DOUBLE_EQ(s.items[1].x, 29.191);
    EXPECT_DOUBLE_EQ(s.items[1].weight, 2);
    EXPECT_EQ(s.items[1].category, 1);
    EXPECT_EQ(s.items[0].row, 2u); // header is line 1
    EXPECT_EQ(s.items[0].time, timeparse::from_civil(2024, 3, 1, 22, 15, 0));
    EXPECT_EQ(s.items[4].time, k_no_time); // empty time is missing, not rejected
}

TEST(ReadIncidents, DirtyRowsRejectedWithReasonsAndLines)
{
    const IncidentSet s = read(test::data("dirty.csv"));
    EXPECT_EQ(s.accounting.read, 8u);
    EXPECT_EQ(s.accounting.accepted, 3u);
    EXPECT_TRUE(s.accounting.balanced());
    const auto& r = s.accounting.rejected_by;
    EXPECT_EQ(r.at(reason::missing_coordinate), 1u);
    EXPECT_EQ(r.at(reason::unparseable_number), 1u);
    EXPECT_EQ(r.at(reason::null_island), 1u);
    EXPECT_EQ(r.at(reason::unparseable_time), 1u);
    EXPECT_EQ(r.at(reason::out_of_range), 1u);
    // row 2 has lon -5.93 lat 29.19: valid lon/lat, caught later by the working CRS's area
    ASSERT_EQ(s.rejects.size(), 5u);
    EXPECT_EQ(s.rejects[0].row, 4u);
    EXPECT_EQ(s.rejects[0].reason, reason::missing_coordinate);
    EXPECT_EQ(s.rejects[0].raw, "3,2024-03-02 09:00:00,,-5.93,theft");
}

TEST(ReadIncidents, StrictThrowsNamingLineAndColumn)
{
    io::IncidentSource src;
    src.strict = true;
    try {
        read(test::data("dirty.csv"), src);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("line 4, column 'lon/lat'"), std::string::npos) << e.what();
    }
}

TEST(ReadIncidents, SemicolonDecimalCommaDayMonth)
{
    io::IncidentSource src;
    src.crs = "EPSG:32735";
    const IncidentSet s = read(test::data("semicolon_dmy.csv"), src);
    ASSERT_EQ(s.items.size(), 2u);
    EXPECT_DOUBLE_EQ(s.items[0].x, 500100.5);
    EXPECT_DOUBLE_EQ(s.items[0].y, 9340200.25);
    EXPECT_EQ(s.items[0].time, timeparse::from_civil(2024, 2, 1, 10, 0, 0));
    EXPECT_EQ(s.items[1].time, timeparse::from_civil(2024, 2, 13, 23, 0, 0));
}

TEST(ReadIncidents, BomTabQuotedCategory)
{
    io::IncidentSource src;
    src.category_field = "type";
    const IncidentSet s = read(test::data("bom_tab.csv"), src);
    ASSERT_EQ(s.items.size(), 2u);
    EXPECT_EQ(s.resolved_x, "Longitude");
    ASSERT_EQ(s.categories.size(), 2u);
    EXPECT_EQ(s.categories[0], "a \"quoted\" type");
}

TEST(ReadIncidents, WktColumn)
{
    io::IncidentSource src;
    src.crs = "EPSG:32735";
    const IncidentSet s = read(test::data("wkt.csv"), src);
    EXPECT_EQ(s.accounting.accepted, 2u);
    EXPECT_EQ(s.accounting.rejected_by.at(reason::null_geometry), 1u);
    EXPECT_EQ(s.accounting.rejected_by.at(reason::not_a_point), 1u);
    EXPECT_DOUBLE_EQ(s.items[1].y, 9340400);
}

TEST(ReadIncidents, ClearErrorsForBadFiles)
{
    EXPECT_THROW(read(test::data("does_not_exist.csv")), InputError);
    EXPECT_THROW(read(test::data("empty.csv")), InputError);
    EXPECT_THROW(read(test::data("header_only.csv")), InputError);
    EXPECT_THROW(read(test::data("binary.csv")), InputError);
    EXPECT_THROW(read(test::data("xy_nocrs.csv")), CrsError);
    try {
        read(test::data("no_coords.csv"));
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("no coordinate columns"), std::string::npos);
    }
    io::IncidentSource src;
    src.x_field = "nope";
    src.y_field = "lat";
    EXPECT_THROW(read(test::data("small_lonlat.csv"), src), InputError);
}

TEST(ReadIncidents, FiltersCountedNotRejected)
{
    IncidentFilter f;
    f.hour_from = 18;
    f.hour_to = 6;
    const IncidentSet s = read(test::data("small_lonlat.csv"), {}, f);
    EXPECT_EQ(s.accounting.accepted, 3u); // 22:15, 23:59, 02:30
    EXPECT_EQ(s.accounting.filtered_by.at(reason::f_hours), 1u);
    EXPECT_EQ(s.accounting.filtered_by.at(reason::f_no_time), 1u);
    EXPECT_TRUE(s.accounting.balanced());
}

TEST(ReadIncidents, GeoJsonPointsThroughOgr)
{
    const IncidentSet s = read(test::data("points.geojson"));
    EXPECT_EQ(s.accounting.read, 3u);
    EXPECT_EQ(s.accounting.accepted, 2u);
    EXPECT_EQ(s.accounting.rejected_by.at(reason::null_geometry), 1u);
    EXPECT_TRUE(s.crs.is_geographic());
    EXPECT_EQ(s.categories, (std::vector<std::string>{"assault", "theft"}));
}

TEST(ReadIncidents, WhereFilterCountsFilteredRows)
{
    io::IncidentSource src;
    src.where = "category = 'theft'";
    const IncidentSet s = read(test::data("small_lonlat.csv"), src);
    EXPECT_EQ(s.accounting.read, 5u);
    EXPECT_EQ(s.accounting.accepted, 3u);
    EXPECT_EQ(s.accounting.filtered_by.at(reason::f_where), 2u);
}

TEST(ReadIncidents, ParallelReadEqualsSerialRead)
{
    // > 8 MiB so the reader splits it across threads; rows with known defects sprinkled in.
    const std::string dir = test::out_dir("parallel_read");
    const std::string path = dir + "/big.csv";
    {
        std::ofstream f(path);
        f << "id,lon,lat,datetime,category\n";
        char buf[160];
        for (int i = 0; i < 200000; ++i) {
            if (i % 997 == 5) {
                f << i << ",x,-5.9,2024-01-01 00:00:00,bad\n";
                continue;
            }
            std::snprintf(buf, sizeof buf, "%d,%.6f,%.6f,2024-%02d-%02d %02d:%02d:00,cat_%d_with_a_long_name_for_bytes\n", i,
                          29.1 + (i % 1000) * 1e-4, -5.9 - (i / 1000) * 1e-4, 1 + i % 12, 1 + i % 28, i % 24, i % 60, i % 7);
            f << buf;
        }
    }
    io::IncidentSource a;
    a.threads = 1;
    a.keep_rejects = true;
    a.path = path;
    io::IncidentSource b = a;
    b.threads = 4;
    const IncidentSet s1 = io::read_incidents(a, {});
    const IncidentSet s4 = io::read_incidents(b, {});
    ASSERT_EQ(s1.items.size(), s4.items.size());
    EXPECT_EQ(s1.accounting.read, 200000u);
    EXPECT_EQ(s1.accounting.rejected, s4.accounting.rejected);
    EXPECT_EQ(s1.categories, s4.categories);
    for (std::size_t i = 0; i < s1.items.size(); ++i) {
        ASSERT_EQ(s1.items[i].row, s4.items[i].row);
        ASSERT_EQ(s1.items[i].x, s4.items[i].x);
        ASSERT_EQ(s1.items[i].time, s4.items[i].time);
        ASSERT_EQ(s1.items[i].category, s4.items[i].category);
    }
    ASSERT_EQ(s1.rejects.size(), s4.rejects.size());
    EXPECT_EQ(s1.rejects.back().row, s4.rejects.back().row);
    EXPECT_EQ(s1.rejects[0].row, 7u); // id 5 is on line 7
}

// ---------------------------------------------------------------------------------------
// RFC 4180 records, field counts, and the parallel reader on them

TEST(ReadIncidents, QuotedLineBreaksAreOneRecordWithTheStartLine)
{
    const IncidentSet s = read(test::data("bad/quoted_newlines.csv"));
    EXPECT_EQ(s.accounting.read, 4u);
    EXPECT_EQ(s.accounting.accepted, 4u);
    ASSERT_EQ(s.items.size(), 4u);
    // line numbers of the record starts: 2, 4 (after a two-line record), 5, 8
    EXPECT_EQ(s.items[0].row, 2u);
    EXPECT_EQ(s.items[1].row, 4u);
    EXPECT_EQ(s.items[2].row, 5u);
    EXPECT_EQ(s.items[3].row, 8u);
    EXPECT_DOUBLE_EQ(s.items[3].x, 29.193);
}

TEST(ReadIncidents, FieldCountsAreCheckedAndCounted)
{
    const IncidentSet s = read(test::data("bad/field_counts.csv"));
    EXPECT_EQ(s.accounting.read, 5u);
    EXPECT_EQ(s.accounting.accepted, 2u); // line 3 has a trailing empty field: nothing lost, accepted
    EXPECT_EQ(s.accounting.rejected_by.at(reason::too_many_fields), 1u);
    EXPECT_EQ(s.accounting.rejected_by.at(reason::too_few_fields), 1u);
    EXPECT_EQ(s.accounting.rejected_by.at(reason::unterminated_quote), 1u);
    EXPECT_TRUE(s.accounting.balanced());
    ASSERT_EQ(s.rejects.size(), 3u);
    EXPECT_EQ(s.rejects[0].row, 4u);
    EXPECT_EQ(s.rejects[0].reason, reason::too_many_fields);
    EXPECT_EQ(s.rejects[2].row, 6u);
}

namespace {
// A file with quoted multi-line descriptions, CRLF and LF lines, blank lines and bad rows.
std::string messy_csv(int rows)
{
    std::string t = "id,datetime,lon,lat,category,note\n";
    std::uint64_t r = 7;
    for (int i = 1; i <= rows; ++i) {
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        const int k = static_cast<int>((r >> 33) % 9);
        char coords[64];
        std::snprintf(coords, sizeof coords, "%.5f,%.5f", 29.1 + static_cast<double>(i % 97) * 1e-3, -5.9 - static_cast<double>(i % 89) * 1e-3);
        const std::string base = std::to_string(i) + ",2024-03-0" + std::to_string(1 + i % 9) + " 1" + std::to_string(i % 10) + ":00:00," + coords;
        switch (k) {
        case 0: t += base + ",theft,\"line one\nline two, with comma\"\n"; break;
        case 1: t += base + ",robbery,\"\"\"quoted\"\"\r\nacross CRLF\"\r\n"; break;
        case 2: t += base + ",theft,plain\r\n"; break;
        case 3: t += "\n"; break; // blank line
        case 4: t += base + ",theft\n"; break; // too few fields
        case 5: t += std::to_string(i) + ",2024-03-01 10:00:00,x,-5.9,theft,bad number\n"; break;
        case 6: t += base + ",assault,\"" + std::string(static_cast<std::size_t>(i % 300), '\n') + "many breaks\"\n"; break;
        default: t += base + ",vandalism,ok\n"; break;
        }
    }
    return t;
}

struct Snapshot {
    std::vector<std::tuple<double, double, Timestamp, std::int32_t, std::uint32_t>> items;
    std::vector<std::tuple<std::uint64_t, std::string, std::string>> rejects;
    std::map<std::string, std::uint64_t> rejected_by;
    std::uint64_t read = 0, accepted = 0;
    bool operator==(const Snapshot&) const = default;
};
Snapshot snapshot(const IncidentSet& s)
{
    Snapshot o;
    for (const Incident& i : s.items) o.items.emplace_back(i.x, i.y, i.time, i.category, i.row);
    for (const RejectedRow& r : s.rejects) o.rejects.emplace_back(r.row, r.reason, r.raw);
    o.rejected_by = s.accounting.rejected_by;
    o.read = s.accounting.read;
    o.accepted = s.accounting.accepted;
    return o;
}
} // namespace

TEST(ReadIncidents, SameRecordsForAnyThreadCountAndChunkCut)
{
    const std::string dir = test::out_dir("read_threads");
    const std::string path = dir + "/messy.csv";
    test::write_file(path, messy_csv(3000));
    io::IncidentSource src;
    parallel::set_chunk_cap(0);
    src.threads = 1;
    const Snapshot ref = snapshot(read(path, src));
    EXPECT_GT(ref.accepted, 1500u);
    EXPECT_GT(ref.rejected_by.at(reason::too_few_fields), 100u);
    EXPECT_EQ(ref.read, ref.accepted + ref.rejected_by.at(reason::too_few_fields) + ref.rejected_by.at(reason::unparseable_number));
    // chunks of a few hundred bytes: chunk starts fall inside quoted fields, multi-line records
    // and CRLF pairs; the reader must move them to record starts and lose nothing
    for (std::size_t cap : {97u, 256u, 4093u})
        for (unsigned threads : {1u, 2u, 7u}) {
            parallel::set_chunk_cap(cap);
            src.threads = threads;
            const Snapshot got = snapshot(read(path, src));
            EXPECT_TRUE(got == ref) << "cap " << cap << ", threads " << threads << ": read " << got.read << " vs " << ref.read
                                    << ", accepted " << got.accepted << " vs " << ref.accepted;
        }
    parallel::set_chunk_cap(0);
}

// ---------------------------------------------------------------------------------------
// Times: zones, split date and time columns, years, and what the reader warns about

TEST(ReadIncidents, TimeZoneConvertsWrittenOffsetsToLocalClock)
{
    io::IncidentSource src;
    src.timezone = "Africa/Lubumbashi"; // UTC+2, no daylight saving
    const IncidentSet s = read(test::data("bad/offsets.csv"), src);
    ASSERT_EQ(s.items.size(), 4u);
    EXPECT_EQ(timeparse::format(s.items[0].time), "2024-03-01 22:30:00"); // 20:30Z
    EXPECT_EQ(timeparse::format(s.items[1].time), "2024-03-01 22:30:00"); // +02:00 already local
    EXPECT_EQ(timeparse::format(s.items[2].time), "2024-03-01 22:30:00"); // naive: taken as local
    EXPECT_EQ(timeparse::format(s.items[3].time), "2024-03-01 22:30:00"); // 15:30-05:00 = 20:30Z
    EXPECT_TRUE(s.warnings.empty());
    // --hours 22-23 then keeps all four
    IncidentFilter night;
    night.hour_from = 22;
    night.hour_to = 23;
    EXPECT_EQ(read(test::data("bad/offsets.csv"), src, night).accounting.accepted, 4u);
    // without a zone the written clocks are kept, and the reader says so
    const IncidentSet w = read(test::data("bad/offsets.csv"));
    EXPECT_EQ(timeparse::format(w.items[0].time), "2024-03-01 20:30:00");
    ASSERT_EQ(w.warnings.size(), 1u);
    EXPECT_NE(w.warnings[0].find("--timezone"), std::string::npos);
    src.timezone = "Mars/Olympus";
    EXPECT_THROW(read(test::data("bad/offsets.csv"), src), ParameterError);
}

TEST(ReadIncidents, TimeZoneFollowsDaylightSaving)
{
    const std::string dir = test::out_dir("read_dst");
    test::write_file(dir + "/dst.csv", "id,datetime,lon,lat\n1,2024-01-15T12:00:00Z,2.35,48.85\n2,2024-07-15T12:00:00Z,2.35,48.86\n");
    io::IncidentSource src;
    src.timezone = "Europe/Paris";
    const IncidentSet s = read(dir + "/dst.csv", src);
    EXPECT_EQ(timeparse::format(s.items[0].time), "2024-01-15 13:00:00"); // CET
    EXPECT_EQ(timeparse::format(s.items[1].time), "2024-07-15 14:00:00"); // CEST
}

TEST(ReadIncidents, SplitDateAndTimeColumns)
{
    io::IncidentSource src;
    src.time_field = "Date,Time";
    const IncidentSet s = read(test::data("bad/date_time_split.csv"), src);
    ASSERT_EQ(s.items.size(), 5u);
    EXPECT_EQ(timeparse::format(s.items[0].time), "2015-01-19 23:15:00"); // the Date's "12:00:00 AM" gives way
    EXPECT_EQ(timeparse::format(s.items[1].time), "2015-01-20 08:05:00");
    EXPECT_EQ(timeparse::format(s.items[2].time), "2015-01-21 00:30:00");
    EXPECT_EQ(s.items[3].time, k_no_time);                               // no time of day: no timestamp
    EXPECT_EQ(timeparse::format(s.items[4].time), "2015-01-23 18:45:00"); // military 1845
    EXPECT_EQ(s.resolved_time, "Date,Time");
    // only the date column with an hours filter: every time is midnight, and the reader says so
    io::IncidentSource d;
    d.time_field = "Date";
    IncidentFilter night;
    night.hour_from = 18;
    night.hour_to = 6;
    const IncidentSet m = read(test::data("bad/date_time_split.csv"), d, night);
    EXPECT_EQ(m.accounting.accepted, 5u); // 00:00 is "night": all kept, silently wrong without the warning
    ASSERT_EQ(m.warnings.size(), 1u);
    EXPECT_NE(m.warnings[0].find("same clock time (00:00)"), std::string::npos) << m.warnings[0];
    io::IncidentSource bad;
    bad.time_field = "Date,Nope";
    EXPECT_THROW(read(test::data("bad/date_time_split.csv"), bad), InputError);
}

TEST(ReadIncidents, MemphisSplitIntoDateAndTimeColumnsReadsTheSameTimes)
{
    HOTMAP_REQUIRE_SHARED(dir, "realdata/memphis_robberies_2019");
    // Memphis robberies with their datetime written as many exports do: a Date column always at
    // "12:00:00 AM" and the clock time in a Time column.
    const test::Table t = test::read_csv(dir + "/incidents.csv");
    std::string split = "id,Date,Time,lon,lat\n";
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::string& dt = t.at(r, "datetime"); // YYYY-MM-DD HH:MM:SS
        split += t.at(r, "id") + "," + dt.substr(5, 2) + "/" + dt.substr(8, 2) + "/" + dt.substr(0, 4) + " 12:00:00 AM," +
                 dt.substr(11, 5) + "," + t.at(r, "lon") + "," + t.at(r, "lat") + "\n";
    }
    const std::string out = test::out_dir("memphis_split") + "/split.csv";
    test::write_file(out, split);
    IncidentFilter night;
    night.hour_from = 18;
    night.hour_to = 6;
    const IncidentSet a = read(dir + "/incidents.csv", {}, night);
    io::IncidentSource src;
    src.time_field = "Date,Time";
    const IncidentSet b = read(out, src, night);
    EXPECT_EQ(a.accounting.read, 2245u);
    EXPECT_EQ(b.accounting.accepted, a.accounting.accepted);
    EXPECT_EQ(b.accounting.filtered, a.accounting.filtered);
    EXPECT_GT(a.accounting.filtered_by.at(reason::f_hours), 500u);
    ASSERT_EQ(a.items.size(), b.items.size());
    for (std::size_t i = 0; i < a.items.size(); ++i) {
        // the split file has whole minutes (HH:MM): Memphis's seconds are all :00
        ASSERT_EQ(a.items[i].time, b.items[i].time) << i;
    }
    // reading only the Date column with the night filter keeps every row and warns
    io::IncidentSource date_only;
    date_only.time_field = "Date";
    const IncidentSet c = read(out, date_only, night);
    EXPECT_EQ(c.accounting.accepted, 2245u);
    ASSERT_EQ(c.warnings.size(), 1u);
}

TEST(ReadIncidents, YearsWeightsAndCoordinatesOutOfRangeAreRejected)
{
    io::IncidentSource src;
    src.crs = "EPSG:32735";
    const IncidentSet d = read(test::data("bad/dates_out_of_range.csv"), src);
    EXPECT_EQ(d.accounting.accepted, 1u);
    EXPECT_EQ(d.accounting.rejected_by.at(reason::time_out_of_range), 3u); // 1899, 9999, 2200
    src.weight_field = "severity";
    const IncidentSet w = read(test::data("bad/weights_huge.csv"), src);
    EXPECT_EQ(w.accounting.accepted, 2u);
    EXPECT_EQ(w.accounting.rejected_by.at(reason::weight_out_of_range), 1u);
    io::IncidentSource p;
    p.crs = "EPSG:32735";
    const IncidentSet c = read(test::data("bad/xy_huge.csv"), p);
    EXPECT_EQ(c.accounting.accepted, 2u);
    EXPECT_EQ(c.accounting.rejected_by.at(reason::out_of_range), 2u);
    const IncidentSet n = read(test::data("bad/nan_inf.csv"));
    EXPECT_EQ(n.accounting.accepted, 1u);
    EXPECT_EQ(n.accounting.rejected_by.at(reason::unparseable_number), 3u); // nan, inf, -inf
    EXPECT_EQ(n.accounting.rejected_by.at(reason::out_of_range), 1u);       // lon 1e308
}

TEST(ReadIncidents, NonUtf8CategoriesAreReadAsWindows1252)
{
    const IncidentSet s = read(test::data("bad/latin1.csv"));
    ASSERT_EQ(s.categories.size(), 2u);
    EXPECT_EQ(s.categories[1], "vol \xc3\xa0 l'\xc3\xa9talage");
    ASSERT_EQ(s.warnings.size(), 1u);
    EXPECT_NE(s.warnings[0].find("Windows-1252"), std::string::npos);
}

// Found by fuzz_csv_reader: each chunk interns its own category names, and the warning
// counted a bad name once per chunk that held it.
TEST(ReadIncidents, NonUtf8CategoryNameCountedOnceWhateverTheChunks)
{
    const std::string path = test::out_dir("utf8_chunks") + "/two_chunks.csv";
    test::write_file(path, "id,lon,lat,category\n1,29.19,-5.93,vol\xe9\n2,29.2,-5.94,theft\n3,29.21,-5.95,vol\xe9\n");
    for (std::size_t cap : {0u, 16u})
        for (unsigned threads : {1u, 2u}) {
            const test::ChunkCap chunks(cap);
            io::IncidentSource src;
            src.threads = threads;
            const IncidentSet s = read(path, src);
            ASSERT_EQ(s.warnings.size(), 1u);
            EXPECT_EQ(s.warnings[0].rfind("1 category name(s) are not valid UTF-8", 0), 0u)
                << "cap " << cap << ", threads " << threads << ": " << s.warnings[0];
        }
}

TEST(ReadIncidents, XyColumnsWithLonLatValuesSuggestEpsg4326)
{
    try {
        read(test::data("bad/xy_lonlat.csv"));
        FAIL();
    } catch (const CrsError& e) {
        EXPECT_NE(std::string(e.what()).find("look like longitude/latitude"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("EPSG:4326"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("32735"), std::string::npos) << e.what();
    }
    // projected values get the generic message
    try {
        read(test::data("xy_nocrs.csv"));
        FAIL();
    } catch (const CrsError& e) {
        EXPECT_EQ(std::string(e.what()).find("look like longitude"), std::string::npos) << e.what();
    }
}

TEST(ReadIncidents, MemphisLonLatUnderXyNamesSuggestEpsg4326)
{
    HOTMAP_REQUIRE_SHARED(dir, "realdata/memphis_robberies_2019");
    // an export whose X/Y columns hold lon/lat (as San Francisco's DataSF export does)
    const test::Table t = test::read_csv(dir + "/incidents.csv");
    std::string xy = "id,X,Y\n";
    for (std::size_t r = 0; r < t.rows.size(); ++r) xy += t.at(r, "id") + "," + t.at(r, "lon") + "," + t.at(r, "lat") + "\n";
    const std::string out = test::out_dir("memphis_xy") + "/xy.csv";
    test::write_file(out, xy);
    try {
        read(out);
        FAIL() << "X/Y columns have no CRS";
    } catch (const CrsError& e) {
        EXPECT_NE(std::string(e.what()).find("give --incidents-crs EPSG:4326"), std::string::npos) << e.what();
    }
    io::IncidentSource src;
    src.crs = "EPSG:4326";
    EXPECT_EQ(read(out, src).accounting.accepted, 2245u);
}

TEST(ReadIncidents, FoldersAndMissingPrjFilesHaveClearMessages)
{
    try {
        read(test::out_dir("read_folder"));
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("is a folder"), std::string::npos) << e.what();
    }
    io::IncidentSource src;
    src.crs = test::data("no_such.prj");
    try {
        read(test::data("xy_nocrs.csv"), src);
        FAIL();
    } catch (const CrsError& e) {
        EXPECT_NE(std::string(e.what()).find("no_such.prj': cannot open: no such file"), std::string::npos) << e.what();
    }
}

TEST(ResolvePointTable, FacilityTablesFollowTheIncidentsRules)
{
    EXPECT_TRUE(io::resolve_point_table(test::data("bad/facilities_longitude.csv"), "", "", "", "", "--facilities-crs").crs.is_geographic());
    const io::PointColumns lng = io::resolve_point_table(test::data("bad/facilities_lng.csv"), "", "", "", "", "--facilities-crs");
    EXPECT_TRUE(lng.crs.is_geographic());
    EXPECT_EQ(lng.x, "lng");
    EXPECT_THROW(io::resolve_point_table(test::data("bad/facilities_xy.csv"), "", "", "", "", "--facilities-crs"), CrsError);
    EXPECT_EQ(io::resolve_point_table(test::data("bad/facilities_xy.csv"), "", "", "", "EPSG:32735", "--facilities-crs").crs.id(), "EPSG:32735");
}

TEST(ReadIncidents, NumbersReadToTheNearestDouble)
{
    // short plain decimals take a fast path: every value must still be the double nearest to
    // its text (strtod's), whatever its sign, digits and point
    const std::string path = test::out_dir("numbers") + "/numbers.csv";
    std::vector<std::string> xs, ys;
    std::mt19937_64 rng(11);
    const auto number = [&](int k) {
        const int digits = 1 + static_cast<int>(rng() % 18), point = static_cast<int>(rng() % (digits + 2)) - 1;
        std::string t = rng() % 3 == 0 ? "-" : (rng() % 7 == 0 ? "+" : "");
        if (k % 11 == 3) t += "0"; // leading zero
        for (int i = 0; i < digits; ++i) {
            if (i == point) t += '.';
            t += static_cast<char>('0' + (i == 0 && k % 5 == 0 ? 1 + rng() % 9 : rng() % 10));
        }
        if (point == digits) t += ".";      // "12." is a number too
        if (k % 13 == 7) t = "." + std::to_string(rng() % 100000); // ".25"
        return t;
    };
    {
        std::ofstream f(path);
        f << "x,y\n";
        for (int k = 0; k < 20000; ++k) {
            xs.push_back(number(k));
            ys.push_back(number(k + 1));
            f << xs.back() << "," << ys.back() << "\n";
        }
    }
    io::IncidentSource src;
    src.crs = "EPSG:32735"; // projected: the values are kept as read
    const IncidentSet s = read(path, src);
    std::size_t checked = 0;
    for (const Incident& i : s.items) {
        const std::size_t k = i.row - 2;
        ASSERT_EQ(i.x, std::strtod(xs[k].c_str(), nullptr)) << xs[k];
        ASSERT_EQ(i.y, std::strtod(ys[k].c_str(), nullptr)) << ys[k];
        ++checked;
    }
    // rows out of range (beyond 1e8) or at (0, 0) are rejected, all others read
    std::size_t expect = 0;
    for (std::size_t k = 0; k < xs.size(); ++k) {
        char *ex = nullptr, *ey = nullptr;
        const double x = std::strtod(xs[k].c_str(), &ex), y = std::strtod(ys[k].c_str(), &ey);
        ASSERT_TRUE(*ex == 0 && *ey == 0) << xs[k] << " " << ys[k]; // the texts are all numbers
        expect += std::abs(x) <= k_max_projected_coordinate && std::abs(y) <= k_max_projected_coordinate && !(x == 0 && y == 0);
    }
    EXPECT_EQ(checked, expect);
    EXPECT_GT(checked, 5000u);

}

TEST(ReadIncidents, FixedIsoTimestampsEqualTheGeneralReading)
{
    // "YYYY-MM-DD HH:MM:SS" takes a fast path; other spellings of the same instants the general
    // parser: both must give the same clock, and the fast path must refuse what is no date
    const timeparse::Parser p = timeparse::detect({"2024-03-01 22:15:00"}, "datetime");
    std::mt19937_64 rng(5);
    for (int k = 0; k < 5000; ++k) {
        const int y = 1990 + static_cast<int>(rng() % 50), m = 1 + static_cast<int>(rng() % 12), d = 1 + static_cast<int>(rng() % 31);
        const int hh = static_cast<int>(rng() % 24), mi = static_cast<int>(rng() % 60), ss = static_cast<int>(rng() % 61);
        char fixed[32], loose[40];
        std::snprintf(fixed, sizeof fixed, "%04d-%02d-%02d%c%02d:%02d:%02d", y, m, d, k % 2 ? 'T' : ' ', hh, mi, ss);
        std::snprintf(loose, sizeof loose, "%04d-%d-%d  %d:%02d:%02d ", y, m, d, hh, mi, ss); // general path
        const auto a = p.parse(fixed), b = p.parse(loose);
        ASSERT_EQ(a.has_value(), b.has_value()) << fixed;
        if (a) {
            ASSERT_EQ(*a, *b) << fixed;
            ASSERT_EQ(*a, timeparse::from_civil(y, m, d, hh, mi, ss));
        }
    }
    for (const char* bad : {"2024-02-30 10:00:00", "2023-02-29 10:00:00", "2024-13-01 10:00:00", "2024-01-01 24:00:00",
                            "2024-01-01 10:60:00", "2024-01-01 10:00:61", "2024-01-0a 10:00:00", "2024-01-01x10:00:00"})
        EXPECT_FALSE(p.parse(bad).has_value()) << bad;
    EXPECT_EQ(*p.parse("2024-02-29 23:59:60"), timeparse::from_civil(2024, 2, 29, 23, 59, 60));
}

TEST(ReadIncidents, ManyDistinctCategoriesEachCountedOnce)
{
    // the reader interns categories in its own table: it grows past 64, 1,000 and more names
    // (a free-text column read as the category), each name one category, every row kept
    const std::string path = test::out_dir("many_categories") + "/many.csv";
    {
        std::ofstream f(path);
        f << "id,lon,lat,category\n";
        for (int i = 0; i < 30000; ++i) f << i << "," << 29.1 + (i % 100) * 1e-3 << ",-5.9,name " << (i * 7919) % 5000 << "\n";
    }
    for (unsigned threads : {1u, 3u}) {
        const test::ChunkCap chunks(threads == 1 ? 0 : 4096);
        io::IncidentSource src;
        src.threads = threads;
        const IncidentSet s = read(path, src);
        ASSERT_EQ(s.items.size(), 30000u);
        ASSERT_EQ(s.categories.size(), 5000u);
        std::vector<int> per(s.categories.size(), 0);
        for (const Incident& i : s.items) {
            ASSERT_GE(i.category, 0);
            ++per[static_cast<std::size_t>(i.category)];
            const int k = static_cast<int>(i.row) - 2;
            ASSERT_EQ(s.categories[static_cast<std::size_t>(i.category)], "name " + std::to_string((k * 7919) % 5000));
        }
        for (int n : per) ASSERT_EQ(n, 6);
    }
}

namespace {
// A batched read as one list: every batch's rows with their category names.
struct Gathered {
    std::vector<Incident> items;
    std::vector<std::string> names; ///< per item, "" without a category
    std::size_t batches = 0;
    std::uint64_t max_batch = 0;
    Accounting accounting; ///< the batches' own, added up
};

Gathered gather(const io::IncidentSource& src, std::uint64_t rows, IncidentSet& whole, std::size_t stop_after = 0)
{
    Gathered g;
    io::Batches b{rows, [&](IncidentSet& batch) {
                      ++g.batches;
                      g.max_batch = std::max<std::uint64_t>(g.max_batch, batch.accounting.read);
                      g.accounting.merge(batch.accounting);
                      for (const Incident& i : batch.items) {
                          g.items.push_back(i);
                          g.names.push_back(i.category >= 0 ? batch.categories.at(static_cast<std::size_t>(i.category)) : "");
                      }
                      return stop_after == 0 || g.batches < stop_after;
                  }};
    whole = io::read_incidents(src, IncidentFilter{}, b);
    return g;
}

void expect_same_rows(const IncidentSet& whole, const Gathered& g)
{
    ASSERT_EQ(g.items.size(), whole.items.size());
    for (std::size_t i = 0; i < g.items.size(); ++i) {
        const Incident &a = whole.items[i], &b = g.items[i];
        ASSERT_EQ(a.row, b.row) << i;
        ASSERT_EQ(a.x, b.x) << i;
        ASSERT_EQ(a.y, b.y) << i;
        ASSERT_EQ(a.time, b.time) << i;
        ASSERT_EQ(a.weight, b.weight) << i;
        ASSERT_EQ(a.category >= 0 ? whole.categories[static_cast<std::size_t>(a.category)] : "", g.names[i]) << i;
    }
}
} // namespace

TEST(ReadIncidents, BatchesEqualTheWholeRead)
{
    // 6,000 rows with bad ones, quoted line breaks and categories that appear late: read whole
    // and in batches (CSV and a GeoPackage through OGR, 1 and 3 threads), the same rows in the
    // same order, the same accounting, rejects and categories, each batch about its size
    const std::string dir = test::out_dir("batches");
    const std::string path = dir + "/rows.csv";
    {
        std::ofstream f(path);
        f << "id,lon,lat,datetime,category,weight,note\n";
        for (int i = 0; i < 6000; ++i) {
            f << i << ",";
            if (i % 97 == 5) f << "x";
            f << 29.1 + (i % 113) * 1e-3 << "," << -5.9 - (i % 71) * 1e-3 << ",2024-0" << 1 + i % 9 << "-1" << i % 10 << " 1" << i % 10
              << ":00:00," << (i < 4000 ? "theft" : i % 2 ? "assault" : "late " + std::to_string(i % 7)) << "," << 1 + i % 3 << ",";
            if (i % 50 == 0) f << "\"two\nlines\"";
            f << "\n";
        }
    }
    const std::string gpkg = dir + "/rows.gpkg";
    ASSERT_EQ(std::system(("ogr2ogr -q -overwrite -f GPKG " + gpkg + " " + path +
                           " -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -a_srs EPSG:4326 -nln rows 2>/dev/null").c_str()),
              0);
    for (const std::string& p : {path, gpkg})
        for (unsigned threads : {1u, 3u}) {
            SCOPED_TRACE(p + ", " + std::to_string(threads) + " threads");
            const test::ChunkCap chunks(threads == 1 ? 0 : 4096);
            io::IncidentSource src;
            src.path = p;
            src.threads = threads;
            src.keep_rejects = true;
            src.weight_field = "weight";
            const IncidentSet all = io::read_incidents(src, IncidentFilter{});
            ASSERT_GT(all.accounting.rejected, 0u);
            ASSERT_EQ(all.categories.size(), 9u);
            IncidentSet whole;
            const Gathered g = gather(src, 500, whole);
            EXPECT_TRUE(whole.items.empty());
            expect_same_rows(all, g);
            EXPECT_GE(g.batches, 6u);
            EXPECT_LE(g.max_batch, 1000u); // about 500: whole chunks of about a quarter of it
            for (const Accounting* a : {&std::as_const(whole.accounting), &g.accounting}) {
                EXPECT_EQ(a->read, all.accounting.read);
                EXPECT_EQ(a->accepted, all.accounting.accepted);
                EXPECT_EQ(a->rejected_by, all.accounting.rejected_by);
            }
            EXPECT_EQ(whole.categories, all.categories);
            ASSERT_EQ(whole.rejects.size(), all.rejects.size());
            for (std::size_t i = 0; i < all.rejects.size(); ++i) {
                EXPECT_EQ(whole.rejects[i].row, all.rejects[i].row);
                EXPECT_EQ(whole.rejects[i].raw, all.rejects[i].raw);
            }
            EXPECT_EQ(whole.crs.id(), all.crs.id());
            EXPECT_EQ(whole.resolved_time, all.resolved_time);
            EXPECT_EQ(whole.warnings, all.warnings);
            // one batch as large as the file: the whole read
            IncidentSet one;
            const Gathered g1 = gather(src, 1000000, one);
            EXPECT_EQ(g1.batches, 1u);
            expect_same_rows(all, g1);
            // stopping: no batch after the one that said so
            IncidentSet part;
            const Gathered g2 = gather(src, 500, part, 2);
            EXPECT_EQ(g2.batches, 2u);
            EXPECT_LT(part.accounting.read, all.accounting.read);
        }
}
