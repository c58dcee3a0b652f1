// SPDX-License-Identifier: MIT
// Incident readers: a parallel CSV path (pread blocks, fast_float) and an OGR path.
#include "hotmap/io/read_incidents.hpp"

#include "hotmap/error.hpp"
#include "hotmap/io/atomic_output.hpp"
#include "hotmap/io/csv.hpp"
#include "hotmap/io/gdal_handles.hpp"
#include "hotmap/timeparse.hpp"

#include <fast_float/fast_float.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>
#include <unordered_map>

namespace hotmap::io {
namespace {

// ---------------------------------------------------------------------------------------
// Column resolution

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool is_lonlat_name(std::string_view n)
{
    for (const char* c : {"lon", "lng", "long", "longitude", "lat", "latitude", "x_lon", "y_lat"})
        if (iequals(n, c)) return true;
    return false;
}

struct Columns {
    int x = -1, y = -1, wkt = -1, time = -1, category = -1, weight = -1;
    bool lonlat = false;
};

// Find a column by name in `names`, throwing when a user-given one is absent.
template <typename Names>
int require(const Names& names, const std::string& wanted, const std::string& option, const std::string& path)
{
    for (std::size_t i = 0; i < names.size(); ++i)
        if (iequals(names[i], wanted)) return static_cast<int>(i);
    std::string list;
    for (std::size_t i = 0; i < names.size() && i < 20; ++i) list += (i ? ", " : "") + std::string(names[i]);
    throw InputError(path + ": " + option + " '" + wanted + "': no such column (columns: " + list + ")");
}

template <typename Names>
int find_any(const Names& names, std::initializer_list<const char*> cands)
{
    for (const char* c : cands)
        for (std::size_t i = 0; i < names.size(); ++i)
            if (iequals(names[i], c)) return static_cast<int>(i);
    return -1;
}

template <typename Names>
Columns resolve_columns(const Names& names, const IncidentSource& src, bool need_xy)
{
    Columns c;
    if (!src.wkt_field.empty()) {
        c.wkt = require(names, src.wkt_field, "--wkt", src.path);
    } else if (!src.x_field.empty() || !src.y_field.empty()) {
        if (src.x_field.empty() || src.y_field.empty())
            throw ParameterError("--x and --y go together");
        c.x = require(names, src.x_field, "--x", src.path);
        c.y = require(names, src.y_field, "--y", src.path);
    } else if (need_xy) {
        const std::pair<const char*, const char*> pairs[] = {
            {"lon", "lat"}, {"longitude", "latitude"}, {"lng", "lat"}, {"long", "lat"},
            {"x", "y"}, {"easting", "northing"}, {"x_coord", "y_coord"}, {"xcoord", "ycoord"},
            {"point_x", "point_y"}};
        for (const auto& [xn, yn] : pairs) {
            const int xi = find_any(names, {xn}), yi = find_any(names, {yn});
            if (xi >= 0 && yi >= 0) {
                c.x = xi;
                c.y = yi;
                break;
            }
        }
        if (c.x < 0) {
            c.wkt = find_any(names, {"wkt", "geometry_wkt", "the_geom"});
            if (c.wkt < 0) {
                std::string list;
                for (std::size_t i = 0; i < names.size() && i < 20; ++i)
                    list += (i ? ", " : "") + std::string(names[i]);
                throw InputError(src.path + ": no coordinate columns found (looked for lon/lat, "
                                 "longitude/latitude, x/y, easting/northing, wkt; columns: " +
                                 list + "); name them with --x/--y or --wkt");
            }
        }
    }
    if (c.x >= 0) c.lonlat = is_lonlat_name(names[static_cast<std::size_t>(c.x)]) &&
                             is_lonlat_name(names[static_cast<std::size_t>(c.y)]);
    if (src.time_field == "-") {
    } else if (!src.time_field.empty()) {
        c.time = require(names, src.time_field, "--time", src.path);
    } else {
        c.time = find_any(names, {"datetime", "date_time", "timestamp", "occurred", "occurred_at",
                                  "occurred_on", "occurrence_date", "incident_datetime",
                                  "incident_date", "creation_date", "reported", "date", "time", "when"});
        if (c.time < 0)
            for (std::size_t i = 0; i < names.size(); ++i) {
                std::string n(names[i]);
                std::transform(n.begin(), n.end(), n.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
                if (n.find("date") != std::string::npos || n.find("time") != std::string::npos) {
                    c.time = static_cast<int>(i);
                    break;
                }
            }
    }
    if (!src.category_field.empty()) c.category = require(names, src.category_field, "--category", src.path);
    else c.category = find_any(names, {"category"});
    if (!src.weight_field.empty()) c.weight = require(names, src.weight_field, "--weight", src.path);
    return c;
}

// ---------------------------------------------------------------------------------------
// Row parsing shared by both readers

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

enum class Num { ok, empty, bad };

// Parses a number; accepts a leading '+' and a decimal comma when the delimiter is not ','.
Num parse_number(std::string_view s, double& out, bool decimal_comma)
{
    s = trim(s);
    if (s.empty()) return Num::empty;
    if (s.front() == '+') s.remove_prefix(1);
    auto r = fast_float::from_chars(s.data(), s.data() + s.size(), out);
    if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return std::isfinite(out) ? Num::ok : Num::bad;
    if (decimal_comma && s.find(',') != std::string_view::npos && s.size() < 64) {
        char buf[64];
        std::memcpy(buf, s.data(), s.size());
        std::replace(buf, buf + s.size(), ',', '.');
        r = fast_float::from_chars(buf, buf + s.size(), out);
        if (r.ec == std::errc() && r.ptr == buf + s.size()) return std::isfinite(out) ? Num::ok : Num::bad;
    }
    return Num::bad;
}

// "POINT (x y)" / "POINT Z (x y z)" / "POINT EMPTY"; returns reason or nullptr.
const char* parse_wkt_point(std::string_view s, double& x, double& y)
{
    s = trim(s);
    if (s.empty()) return reason::null_geometry;
    if (s.size() < 5 || !iequals(s.substr(0, 5), "POINT")) return reason::not_a_point;
    s.remove_prefix(5);
    s = trim(s);
    if (s.size() >= 5 && iequals(s.substr(0, 5), "EMPTY")) return reason::null_geometry;
    while (!s.empty() && s.front() != '(') {
        if (!std::isalpha(static_cast<unsigned char>(s.front())) && s.front() != ' ') return reason::bad_wkt;
        s.remove_prefix(1);
    }
    if (s.empty() || s.back() != ')') return reason::bad_wkt;
    s = trim(s.substr(1, s.size() - 2));
    const std::size_t sp = s.find_first_of(" \t");
    if (sp == std::string_view::npos) return reason::bad_wkt;
    std::string_view xs = s.substr(0, sp), rest = trim(s.substr(sp));
    const std::size_t sp2 = rest.find_first_of(" \t");
    std::string_view ys = sp2 == std::string_view::npos ? rest : rest.substr(0, sp2);
    if (parse_number(xs, x, false) != Num::ok || parse_number(ys, y, false) != Num::ok) return reason::bad_wkt;
    return nullptr;
}

struct RowFields {
    std::string_view x, y, wkt, time, category, weight;
    bool have_geom = false; ///< x/y already known (OGR geometry)
    bool null_geom = false;
    const char* geom_reason = nullptr;
    double gx = 0, gy = 0;
    bool have_time_value = false; ///< OGR DateTime field already parsed
    Timestamp time_value = k_no_time;
};

// Per-thread parse state: categories are interned locally and remapped at the end.
struct RowParser {
    const Columns* cols;
    const timeparse::Parser* tparser;
    const IncidentFilter* filter;
    bool geographic;
    bool decimal_comma;
    std::unordered_map<std::string, std::int32_t> cat_index;
    std::vector<std::string> cat_names;
    Accounting acct;

    // Returns nullptr and fills `out` when accepted; else the reason (filter reasons are
    // reported through `filtered`).
    const char* parse(const RowFields& f, Incident& out, bool& filtered)
    {
        filtered = false;
        double x = 0, y = 0;
        if (f.have_geom) {
            if (f.null_geom) return reason::null_geometry;
            if (f.geom_reason) return f.geom_reason;
            x = f.gx;
            y = f.gy;
        } else if (cols->wkt >= 0) {
            if (const char* r = parse_wkt_point(f.wkt, x, y)) return r;
        } else {
            const Num nx = parse_number(f.x, x, decimal_comma);
            const Num ny = parse_number(f.y, y, decimal_comma);
            if (nx == Num::empty || ny == Num::empty) return reason::missing_coordinate;
            if (nx == Num::bad || ny == Num::bad) return reason::unparseable_number;
        }
        if (!std::isfinite(x) || !std::isfinite(y)) return reason::unparseable_number;
        if (x == 0 && y == 0) return reason::null_island;
        if (geographic && (std::abs(x) > 180 || std::abs(y) > 90))
            return (std::abs(y) <= 180 && std::abs(x) <= 90) ? reason::swapped_lat_lon : reason::out_of_range;
        Timestamp t = k_no_time;
        if (f.have_time_value) {
            t = f.time_value;
        } else if (cols->time >= 0) {
            const std::string_view ts = trim(f.time);
            if (!ts.empty()) {
                auto parsed = tparser->parse(ts);
                if (!parsed) return reason::unparseable_time;
                t = *parsed;
            }
        }
        double w = 1;
        if (cols->weight >= 0) {
            const Num nw = parse_number(f.weight, w, decimal_comma);
            if (nw != Num::ok || w < 0) return reason::unparseable_weight;
        }
        if (const char* why = filter->check(t)) {
            filtered = true;
            return why;
        }
        std::int32_t cat = -1;
        if (cols->category >= 0) {
            const std::string_view cs = trim(f.category);
            auto it = cat_index.find(std::string(cs));
            if (it == cat_index.end()) {
                cat = static_cast<std::int32_t>(cat_names.size());
                cat_names.emplace_back(cs);
                cat_index.emplace(cat_names.back(), cat);
            } else {
                cat = it->second;
            }
        }
        out.x = x;
        out.y = y;
        out.weight = w;
        out.time = t;
        out.category = cat;
        return nullptr;
    }
};

// Merge per-thread category tables into one sorted list; returns per-thread remaps.
std::vector<std::vector<std::int32_t>> merge_categories(const std::vector<RowParser>& parsers,
                                                        std::vector<std::string>& out)
{
    out.clear();
    for (const RowParser& p : parsers) out.insert(out.end(), p.cat_names.begin(), p.cat_names.end());
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    std::vector<std::vector<std::int32_t>> remap;
    for (const RowParser& p : parsers) {
        std::vector<std::int32_t> m(p.cat_names.size());
        for (std::size_t i = 0; i < m.size(); ++i)
            m[i] = static_cast<std::int32_t>(std::lower_bound(out.begin(), out.end(), p.cat_names[i]) - out.begin());
        remap.push_back(std::move(m));
    }
    return remap;
}

crs::Crs crs_for_csv(const IncidentSource& src, const Columns& cols)
{
    if (!src.crs.empty()) return crs::Crs::from_user(src.crs);
    if (cols.lonlat) return crs::Crs::epsg(4326);
    // A sidecar .prj beside the CSV names its CRS.
    const std::string prj = replace_extension(src.path, ".prj");
    if (std::filesystem::exists(prj)) return crs::Crs::from_user(prj);
    throw CrsError(src.path + ": the coordinate columns are not lon/lat and no CRS is known: give "
                   "--incidents-crs (e.g. EPSG:32735)");
}

std::string column_name(const std::vector<std::string>& names, int i)
{
    return i >= 0 ? names[static_cast<std::size_t>(i)] : std::string();
}

void fill_resolved(IncidentSet& set, const std::vector<std::string>& names, const Columns& c)
{
    set.resolved_x = column_name(names, c.x);
    set.resolved_y = column_name(names, c.y);
    set.resolved_wkt = column_name(names, c.wkt);
    set.resolved_time = column_name(names, c.time);
    set.resolved_category = column_name(names, c.category);
    set.resolved_weight = column_name(names, c.weight);
    set.has_time = c.time >= 0;
    set.has_category = c.category >= 0;
    set.has_weight = c.weight >= 0;
}

[[noreturn]] void strict_fail(const std::string& path, std::uint64_t row, const std::string& why, const std::string& col)
{
    throw InputError(path + ": line " + std::to_string(row) + (col.empty() ? "" : ", column '" + col + "'") +
                     ": rejected (" + why + ") and --strict is set");
}

std::string column_for_reason(const std::string& why, const std::vector<std::string>& names, const Columns& c)
{
    if (why == reason::unparseable_time) return column_name(names, c.time);
    if (why == reason::unparseable_weight) return column_name(names, c.weight);
    if (c.wkt >= 0) return column_name(names, c.wkt);
    return column_name(names, c.x) + "/" + column_name(names, c.y);
}

// ---------------------------------------------------------------------------------------
// Fast CSV path

struct Fd {
    int fd = -1;
    ~Fd()
    {
        if (fd >= 0) ::close(fd);
    }
};

IncidentSet read_csv(const IncidentSource& src, const IncidentFilter& filter)
{
    const csv::Header h = csv::read_header(src.path);
    const Columns cols = resolve_columns(h.columns, src, true);
    IncidentSet set;
    set.source = src.path;
    set.crs = crs_for_csv(src, cols);
    fill_resolved(set, h.columns, cols);
    if (filter.needs_time() && cols.time < 0)
        throw ParameterError("a time filter (--from/--to/--hours/--days) needs a time column: give --time");

    Fd f;
    f.fd = ::open(src.path.c_str(), O_RDONLY);
    if (f.fd < 0) throw InputError(src.path + ": cannot open: " + std::strerror(errno));

    const std::size_t ncols = h.columns.size();
    const int need = std::max({cols.x, cols.y, cols.wkt, cols.time, cols.category, cols.weight});

    // Time layout from the first rows.
    timeparse::Parser tparser;
    if (cols.time >= 0) {
        if (!src.time_format.empty()) {
            tparser = timeparse::Parser(timeparse::Layout::strptime_format, src.time_format);
        } else {
            std::vector<std::string> samples;
            csv::LineReader lr(f.fd, h.data_offset, h.file_size, 1u << 20);
            std::string_view line;
            std::vector<std::string_view> fields;
            std::vector<std::string> scratch;
            while (samples.size() < 2000 && lr.next(line)) {
                if (csv::split(line, h.delimiter, fields, scratch) &&
                    static_cast<int>(fields.size()) > cols.time)
                    samples.emplace_back(fields[static_cast<std::size_t>(cols.time)]);
            }
            tparser = timeparse::detect(samples, h.columns[static_cast<std::size_t>(cols.time)]);
        }
        set.time_format = tparser.describe();
    }

    // Chunks start at line boundaries; pass 1 counts lines so each thread knows its rows.
    unsigned nthreads = src.threads ? src.threads : std::max(1u, std::thread::hardware_concurrency());
    const std::uint64_t data_bytes = h.file_size - h.data_offset;
    if (data_bytes < (8u << 20)) nthreads = 1;
    std::vector<std::uint64_t> bounds{h.data_offset};
    for (unsigned k = 1; k < nthreads; ++k)
        bounds.push_back(std::max(bounds.back(), csv::next_line_start(f.fd, h.data_offset + data_bytes * k / nthreads - 1, h.file_size)));
    bounds.push_back(h.file_size);
    nthreads = static_cast<unsigned>(bounds.size() - 1);
    std::vector<std::uint64_t> lines(nthreads, 0);
    {
        std::vector<std::thread> pool;
        for (unsigned k = 0; k < nthreads; ++k)
            pool.emplace_back([&, k] { lines[k] = csv::count_lines(f.fd, bounds[k], bounds[k + 1]); });
        for (auto& t : pool) t.join();
    }
    std::vector<std::uint64_t> first_slot(nthreads + 1, 0);
    for (unsigned k = 0; k < nthreads; ++k) first_slot[k + 1] = first_slot[k] + lines[k];
    const std::uint64_t total_lines = first_slot[nthreads];
    if (total_lines > 0xFFFFFFFEull) throw InputError(src.path + ": more than 4 billion rows");
    set.items.resize(total_lines);

    std::vector<RowParser> parsers(nthreads, RowParser{&cols, &tparser, &filter, set.crs.is_geographic(),
                                                       h.delimiter != ',', {}, {}, {}});
    std::vector<std::vector<RejectedRow>> rejects(nthreads);
    std::vector<char> multiline(nthreads, 0);
    std::vector<std::string> strict_error(nthreads);
    auto work = [&](unsigned k) {
        csv::LineReader lr(f.fd, bounds[k], bounds[k + 1]);
        std::string_view line;
        std::vector<std::string_view> fields;
        std::vector<std::string> scratch;
        RowParser& rp = parsers[k];
        std::uint64_t slot = first_slot[k];
        while (lr.next(line)) {
            Incident& inc = set.items[slot];
            inc.row = static_cast<std::uint32_t>(slot + 2); // header is line 1
            ++slot;
            if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
                inc.row = 0; // blank line: not a row
                continue;
            }
            ++rp.acct.read;
            const char* why = nullptr;
            bool filtered = false;
            if (!csv::split(line, h.delimiter, fields, scratch)) {
                multiline[k] = 1;
                return;
            }
            if (static_cast<int>(fields.size()) <= need || (fields.size() != ncols && fields.size() < ncols)) {
                if (static_cast<int>(fields.size()) <= need) why = reason::field_count;
            }
            if (!why) {
                RowFields rf;
                auto at = [&](int i) { return i >= 0 ? fields[static_cast<std::size_t>(i)] : std::string_view(); };
                rf.x = at(cols.x);
                rf.y = at(cols.y);
                rf.wkt = at(cols.wkt);
                rf.time = at(cols.time);
                rf.category = at(cols.category);
                rf.weight = at(cols.weight);
                why = rp.parse(rf, inc, filtered);
            }
            if (!why) {
                ++rp.acct.accepted;
                continue;
            }
            const std::uint32_t row = inc.row;
            inc.row = 0; // hole
            if (filtered) {
                rp.acct.filter(why);
                continue;
            }
            rp.acct.reject(why);
            if (src.strict && strict_error[k].empty())
                strict_error[k] = src.path + ": line " + std::to_string(row) + ", column '" +
                                  column_for_reason(why, h.columns, cols) + "': rejected (" + why +
                                  ") and --strict is set";
            if (src.keep_rejects) rejects[k].push_back({row, why, std::string(line)});
        }
    };
    {
        std::vector<std::thread> pool;
        for (unsigned k = 1; k < nthreads; ++k) pool.emplace_back(work, k);
        work(0);
        for (auto& t : pool) t.join();
    }
    for (unsigned k = 0; k < nthreads; ++k)
        if (multiline[k])
            throw InputError(src.path + ": a quoted field spans several lines (line breaks inside "
                             "quotes are not supported by the fast reader): convert the file, or "
                             "read it through GDAL with a 'CSV:' prefix on the path");
    for (const std::string& e : strict_error)
        if (!e.empty()) throw InputError(e);
    // Categories, then compaction of the holes (rows 0) in one stable pass.
    const auto remap = merge_categories(parsers, set.categories);
    std::size_t out = 0;
    for (unsigned k = 0; k < nthreads; ++k) {
        for (std::uint64_t s = first_slot[k]; s < first_slot[k + 1]; ++s) {
            Incident inc = set.items[s];
            if (inc.row == 0) continue;
            if (inc.category >= 0) inc.category = remap[k][static_cast<std::size_t>(inc.category)];
            set.items[out++] = inc;
        }
        set.accounting.merge(parsers[k].acct);
        for (auto& r : rejects[k]) set.rejects.push_back(std::move(r));
    }
    set.items.resize(out);
    // shrinking copies the whole array (2x peak memory): only worth it when much was dropped
    if (set.items.capacity() > out + out / 4) set.items.shrink_to_fit();
    return set;
}

// ---------------------------------------------------------------------------------------
// OGR path

IncidentSet read_ogr(const IncidentSource& src, const IncidentFilter& filter)
{
    ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(src.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) {
        if (!std::filesystem::exists(src.path) && src.path.rfind("PG:", 0) != 0)
            throw InputError(src.path + ": cannot open: no such file");
        throw InputError(src.path + ": cannot open as a vector source: " + gdal_error("unrecognised format"));
    }
    OGRLayer* layer = nullptr;
    if (!src.layer.empty()) {
        layer = ds->GetLayerByName(src.layer.c_str());
        if (!layer) throw InputError(src.path + ": no layer named '" + src.layer + "'");
    } else {
        if (ds->GetLayerCount() < 1) throw InputError(src.path + ": no vector layer");
        layer = ds->GetLayer(0);
    }
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    std::vector<std::string> names;
    for (int i = 0; i < defn->GetFieldCount(); ++i) names.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    const bool use_geom = defn->GetGeomFieldCount() > 0 && src.x_field.empty() && src.wkt_field.empty();
    const Columns cols = resolve_columns(names, src, !use_geom);
    IncidentSet set;
    set.source = src.path;
    fill_resolved(set, names, cols);
    if (use_geom) {
        set.resolved_x = set.resolved_y = "(geometry)";
        if (!src.crs.empty()) set.crs = crs::Crs::from_user(src.crs);
        else if (const OGRSpatialReference* srs = layer->GetSpatialRef()) {
            char* wkt = nullptr;
            const char* opts[] = {"FORMAT=WKT2_2018", nullptr};
            srs->exportToWkt(&wkt, opts);
            std::string w = wkt ? wkt : "";
            CPLFree(wkt);
            set.crs = crs::Crs::from_user(w);
        } else {
            throw CrsError(src.path + ": the layer has no CRS: give --incidents-crs");
        }
    } else {
        set.crs = crs_for_csv(src, cols);
    }
    if (filter.needs_time() && cols.time < 0)
        throw ParameterError("a time filter (--from/--to/--hours/--days) needs a time column: give --time");

    const GIntBig total = layer->GetFeatureCount(TRUE);
    if (!src.where.empty()) {
        if (layer->SetAttributeFilter(src.where.c_str()) != OGRERR_NONE)
            throw ParameterError("--where '" + src.where + "': " + gdal_error("invalid filter"));
    }
    const bool time_is_datetime = cols.time >= 0 &&
        (defn->GetFieldDefn(cols.time)->GetType() == OFTDateTime || defn->GetFieldDefn(cols.time)->GetType() == OFTDate);
    timeparse::Parser tparser;
    if (cols.time >= 0 && !time_is_datetime) {
        if (!src.time_format.empty()) {
            tparser = timeparse::Parser(timeparse::Layout::strptime_format, src.time_format);
        } else {
            std::vector<std::string> samples;
            layer->ResetReading();
            for (auto& feat : *layer) {
                samples.emplace_back(feat->GetFieldAsString(cols.time));
                if (samples.size() >= 2000) break;
            }
            tparser = timeparse::detect(samples, names[static_cast<std::size_t>(cols.time)]);
        }
        set.time_format = tparser.describe();
    } else if (time_is_datetime) {
        set.time_format = "(date/time field)";
    }
    std::vector<RowParser> parsers(1, RowParser{&cols, &tparser, &filter, set.crs.is_geographic(), false, {}, {}, {}});
    RowParser& rp = parsers[0];
    const bool csv_like = extension_of(src.path) == ".csv";
    layer->ResetReading();
    std::uint64_t index = 0, returned = 0;
    std::string sx, sy, sw, st, sc, sk;
    for (auto& feat : *layer) {
        ++index;
        ++returned;
        ++rp.acct.read;
        const GIntBig fid = feat->GetFID();
        const std::uint64_t row = fid >= 0 ? static_cast<std::uint64_t>(fid) + (csv_like ? 1 : 0) : index;
        RowFields rf;
        auto str = [&](int i, std::string& keep) -> std::string_view {
            if (i < 0 || !feat->IsFieldSetAndNotNull(i)) return {};
            keep = feat->GetFieldAsString(i);
            return keep;
        };
        if (use_geom) {
            rf.have_geom = true;
            const OGRGeometry* g = feat->GetGeometryRef();
            if (!g || g->IsEmpty()) {
                rf.null_geom = true;
            } else if (wkbFlatten(g->getGeometryType()) == wkbPoint) {
                rf.gx = g->toPoint()->getX();
                rf.gy = g->toPoint()->getY();
            } else if (wkbFlatten(g->getGeometryType()) == wkbMultiPoint && g->toMultiPoint()->getNumGeometries() == 1) {
                rf.gx = g->toMultiPoint()->getGeometryRef(0)->getX();
                rf.gy = g->toMultiPoint()->getGeometryRef(0)->getY();
            } else {
                rf.geom_reason = reason::not_a_point;
            }
        } else {
            rf.x = str(cols.x, sx);
            rf.y = str(cols.y, sy);
            rf.wkt = str(cols.wkt, sk);
        }
        if (time_is_datetime) {
            rf.have_time_value = true;
            int y, m, d, hh, mi, tz;
            float ss;
            if (feat->IsFieldSetAndNotNull(cols.time) && feat->GetFieldAsDateTime(cols.time, &y, &m, &d, &hh, &mi, &ss, &tz))
                rf.time_value = timeparse::from_civil(y, m, d, hh, mi, static_cast<int>(ss));
        } else {
            rf.time = str(cols.time, st);
        }
        rf.category = str(cols.category, sc);
        rf.weight = str(cols.weight, sw);
        Incident inc;
        bool filtered = false;
        const char* why = rp.parse(rf, inc, filtered);
        if (!why) {
            inc.row = static_cast<std::uint32_t>(row);
            set.items.push_back(inc);
            ++rp.acct.accepted;
        } else if (filtered) {
            rp.acct.filter(why);
        } else {
            rp.acct.reject(why);
            if (src.strict) strict_fail(src.path, row, why, column_for_reason(why, names, cols));
            if (src.keep_rejects) {
                std::string raw;
                for (int i = 0; i < defn->GetFieldCount(); ++i) raw += (i ? "," : "") + csv::quote(feat->GetFieldAsString(i));
                if (use_geom && feat->GetGeometryRef()) {
                    char* w = nullptr;
                    feat->GetGeometryRef()->exportToWkt(&w);
                    raw += std::string(raw.empty() ? "" : ",") + (w ? w : "");
                    CPLFree(w);
                }
                set.rejects.push_back({row, why, raw});
            }
        }
    }
    if (!src.where.empty() && total >= 0 && static_cast<std::uint64_t>(total) >= returned) {
        const std::uint64_t dropped = static_cast<std::uint64_t>(total) - returned;
        rp.acct.read += dropped;
        rp.acct.filter(reason::f_where, dropped);
    }
    const auto remap = merge_categories(parsers, set.categories);
    for (Incident& inc : set.items)
        if (inc.category >= 0) inc.category = remap[0][static_cast<std::size_t>(inc.category)];
    set.accounting.merge(rp.acct);
    return set;
}

} // namespace

bool is_plain_csv(const std::string& path)
{
    const std::string e = extension_of(path);
    return e == ".csv" || e == ".tsv" || e == ".txt";
}

IncidentSet read_incidents(const IncidentSource& src, const IncidentFilter& filter)
{
    if (src.path.empty()) throw ParameterError("no incident file given (-i PATH)");
    IncidentSet set;
    if (is_plain_csv(src.path) && src.where.empty() && src.layer.empty()) {
        if (!std::filesystem::exists(src.path)) throw InputError(src.path + ": cannot open: no such file");
        set = read_csv(src, filter);
    } else {
        set = read_ogr(src, filter);
    }
    if (set.accounting.read == 0) throw InputError(src.path + ": no data rows (header only or empty)");
    return set;
}

void write_rejects(const std::vector<RejectedRow>& rows, const std::string& path, bool overwrite)
{
    AtomicOutput out(path, overwrite);
    {
        std::ofstream f(out.temp_path(), std::ios::binary);
        if (!f) throw OutputError(path + ": cannot write");
        f << "row,reason,raw\n";
        for (const RejectedRow& r : rows) f << r.row << ',' << r.reason << ',' << csv::quote(r.raw) << '\n';
        if (!f) throw OutputError(path + ": write failed");
    }
    out.commit();
}

} // namespace hotmap::io
