// SPDX-License-Identifier: MIT
// Incident readers: a parallel CSV path (pread blocks, fast_float) and an OGR path.
#include "hotmap/io/read_incidents.hpp"

#include "hotmap/error.hpp"
#include "hotmap/io/output_set.hpp"
#include "hotmap/io/csv.hpp"
#include "hotmap/io/gdal_handles.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/text.hpp"
#include "hotmap/timeparse.hpp"

#include <cpl_string.h>
#include <fast_float/fast_float.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <cstdio>
#include <memory>
#include <sstream>
#include <type_traits>
#include <unistd.h>

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
    int x = -1, y = -1, wkt = -1, time = -1, time_of_day = -1, category = -1, weight = -1;
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
    } else if (const auto comma = src.time_field.find(','); comma != std::string::npos) {
        // exports that split the date and the time of day into two columns
        const std::string d = src.time_field.substr(0, comma), t = src.time_field.substr(comma + 1);
        if (d.empty() || t.empty() || t.find(',') != std::string::npos)
            throw ParameterError("--time '" + src.time_field + "': expected one column, or DATE_COLUMN,TIME_COLUMN");
        c.time = require(names, d, "--time", src.path);
        c.time_of_day = require(names, t, "--time", src.path);
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

// "-5.943129", "2", "481234.5": at most 15 digits, no exponent. Such a number is its digits as
// an integer (exact below 2^53) divided by a power of ten (exact up to 1e22), and IEEE division
// rounds that quotient correctly: the value fast_float gives. False leaves it to fast_float.
bool parse_plain_decimal(std::string_view s, double& out)
{
    static constexpr double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char* p = s.data();
    const char* const e = p + s.size();
    const bool neg = p < e && *p == '-';
    p += neg;
    std::uint64_t m = 0;
    int digits = 0, frac = -1; // frac: digits after the point, -1 before it
    for (; p < e; ++p) {
        const unsigned d = static_cast<unsigned>(*p - '0');
        if (d <= 9) {
            m = m * 10 + d;
            ++digits;
            frac += frac >= 0;
        } else if (*p == '.' && frac < 0) {
            frac = 0;
        } else {
            return false;
        }
    }
    if (digits == 0 || digits > 15 || frac == 0) return false; // "5." is left to fast_float
    const double v = frac > 0 ? static_cast<double>(m) / pow10[frac] : static_cast<double>(m);
    out = neg ? -v : v;
    return true;
}

// Parses a number; accepts a leading '+' and a decimal comma when the delimiter is not ','.
Num parse_number(std::string_view s, double& out, bool decimal_comma)
{
    s = trim(s);
    if (s.empty()) return Num::empty;
    if (s.front() == '+') s.remove_prefix(1);
    if (parse_plain_decimal(s, out)) return Num::ok;
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
    std::string_view x, y, wkt, time, time_of_day, category, weight;
    bool have_geom = false; ///< x/y already known (OGR geometry)
    bool null_geom = false;
    const char* geom_reason = nullptr;
    double gx = 0, gy = 0;
    bool have_time_value = false; ///< OGR DateTime field already parsed
    Timestamp time_value = k_no_time;
    std::optional<int> time_offset_s; ///< its UTC offset, when the field carries one
};

/// The heaviest incident weight accepted: beyond it sums overflow to infinity (1e308 x a
/// kernel), and no severity scale means it.
constexpr double k_max_weight = 1e9;

// Per-chunk parse state: categories are interned locally and remapped at the end.
struct RowParser {
    const Columns* cols;
    const timeparse::Parser* tparser;
    const IncidentFilter* filter;
    const timeparse::Zone* zone; ///< null: written clocks are kept
    bool geographic;
    bool decimal_comma;
    std::vector<std::string> cat_names;
    std::vector<std::int32_t> cat_slots; ///< open addressing on the name's bytes: cat_names index, -1 empty
    std::int32_t last_cat = -1;          ///< runs of one category skip the table

    static std::size_t name_hash(std::string_view s) noexcept
    {
        std::uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
        for (std::size_t i = 0; i < s.size(); i += 8) {
            std::uint64_t w = 0;
            std::memcpy(&w, s.data() + i, std::min<std::size_t>(8, s.size() - i));
            h = (h ^ w) * 0xff51afd7ed558ccdull;
            h ^= h >> 29;
        }
        return static_cast<std::size_t>(h);
    }

    std::int32_t intern(std::string_view cs)
    {
        if (last_cat >= 0 && cat_names[static_cast<std::size_t>(last_cat)] == cs) return last_cat;
        if (cat_slots.size() < 2 * (cat_names.size() + 1)) { // keep the table at most half full
            // a power of two: a name's slot is its hash masked by size - 1
            std::vector<std::int32_t> grown(std::bit_ceil(std::max<std::size_t>(64, 4 * (cat_names.size() + 1))), -1);
            for (std::size_t c = 0; c < cat_names.size(); ++c)
                for (std::size_t h = name_hash(cat_names[c]);; ++h)
                    if (std::int32_t& slot = grown[h & (grown.size() - 1)]; slot < 0) {
                        slot = static_cast<std::int32_t>(c);
                        break;
                    }
            cat_slots.swap(grown);
        }
        for (std::size_t h = name_hash(cs);; ++h) {
            std::int32_t& slot = cat_slots[h & (cat_slots.size() - 1)];
            if (slot < 0) {
                slot = static_cast<std::int32_t>(cat_names.size());
                cat_names.emplace_back(cs);
                return last_cat = slot;
            }
            if (cat_names[static_cast<std::size_t>(slot)] == cs) return last_cat = slot;
        }
    }
    Accounting acct;
    std::uint64_t with_offset = 0;            ///< rows whose time carried a UTC offset
    int clock_min = 86400, clock_max = -1;    ///< seconds of day over accepted rows with a time
    std::uint64_t clocks = 0;                 ///< how many went into clock_min/max

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
        if (!geographic && (std::abs(x) > k_max_projected_coordinate || std::abs(y) > k_max_projected_coordinate))
            return reason::out_of_range;
        Timestamp t = k_no_time;
        std::optional<int> offset;
        if (f.have_time_value) {
            t = f.time_value;
            offset = f.time_offset_s;
        } else if (cols->time >= 0) {
            const std::string_view ts = trim(f.time);
            if (!ts.empty()) {
                auto parsed = tparser->parse_full(ts);
                if (!parsed) return reason::unparseable_time;
                t = parsed->clock;
                offset = parsed->utc_offset_s;
                if (cols->time_of_day >= 0) {
                    // the date column's own clock (SF's "12:00:00 AM") gives way to the time column
                    const std::string_view tod = trim(f.time_of_day);
                    t -= ((t % 86400) + 86400) % 86400;
                    if (tod.empty()) {
                        t = k_no_time; // a date without a time of day: no timestamp
                    } else {
                        std::optional<int> tod_offset;
                        const auto secs = timeparse::parse_time_of_day(tod, &tod_offset);
                        if (!secs) return reason::unparseable_time;
                        t += *secs;
                        if (tod_offset) offset = tod_offset;
                    }
                }
            }
        }
        if (t != k_no_time) {
            if (offset) ++with_offset;
            if (offset && zone) t = zone->local_from_utc(t - *offset);
            static const Timestamp lo = timeparse::from_civil(timeparse::k_min_year, 1, 1),
                                   hi = timeparse::from_civil(timeparse::k_max_year + 1, 1, 1);
            if (t < lo || t >= hi) return reason::time_out_of_range;
        }
        double w = 1;
        if (cols->weight >= 0) {
            const Num nw = parse_number(f.weight, w, decimal_comma);
            if (nw != Num::ok || w < 0) return reason::unparseable_weight;
            if (w > k_max_weight) return reason::weight_out_of_range;
        }
        if (const char* why = filter->check(t)) {
            filtered = true;
            return why;
        }
        std::int32_t cat = -1;
        if (cols->category >= 0) {
            cat = intern(trim(f.category));
        }
        if (t != k_no_time) {
            if (filter->hour_from) { // for the "same clock time everywhere" warning
                const int sod = static_cast<int>(((t % 86400) + 86400) % 86400);
                clock_min = std::min(clock_min, sod);
                clock_max = std::max(clock_max, sod);
                ++clocks;
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
// Names that are not valid UTF-8 are read as Windows-1252 (`repaired` counts them).
std::vector<std::vector<std::int32_t>> merge_categories(const std::vector<RowParser>& parsers, std::vector<std::string>& out,
                                                        std::vector<std::string>& repaired)
{
    out.clear();
    for (const RowParser& p : parsers)
        for (const std::string& n : p.cat_names) out.push_back(text::to_utf8(n));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    std::vector<std::vector<std::int32_t>> remap;
    for (const RowParser& p : parsers) { // each chunk interns its own names: `repaired` collects them, once each
        std::vector<std::int32_t> m(p.cat_names.size());
        for (std::size_t i = 0; i < m.size(); ++i) {
            const std::string u = text::to_utf8(p.cat_names[i]);
            if (u != p.cat_names[i]) repaired.push_back(p.cat_names[i]);
            m[i] = static_cast<std::int32_t>(std::lower_bound(out.begin(), out.end(), u) - out.begin());
        }
        remap.push_back(std::move(m));
    }
    std::sort(repaired.begin(), repaired.end());
    repaired.erase(std::unique(repaired.begin(), repaired.end()), repaired.end());
    return remap;
}

/// What the parsers saw over the whole read (every chunk, every batch), for the warnings.
struct ReaderStats {
    std::uint64_t offsets = 0, clocks = 0;
    int lo = 86400, hi = -1;
    std::vector<std::string> repaired; ///< distinct category names read as Windows-1252

    void add(const std::vector<RowParser>& parsers, const std::vector<std::string>& bad)
    {
        for (const RowParser& p : parsers) {
            offsets += p.with_offset;
            clocks += p.clocks;
            lo = std::min(lo, p.clock_min);
            hi = std::max(hi, p.clock_max);
        }
        repaired.insert(repaired.end(), bad.begin(), bad.end());
        std::sort(repaired.begin(), repaired.end());
        repaired.erase(std::unique(repaired.begin(), repaired.end()), repaired.end());
    }
};

// Warnings about what the parsers saw, for the IncidentSet.
void reader_warnings(IncidentSet& set, const ReaderStats& st, const IncidentSource& src, const IncidentFilter& filter)
{
    const std::uint64_t offsets = st.offsets, clocks = st.clocks;
    const int lo = st.lo, hi = st.hi;
    const std::size_t repaired_categories = st.repaired.size();
    if (offsets > 0 && src.timezone.empty())
        set.warnings.push_back(std::to_string(offsets) + " timestamp(s) carry a UTC offset (Z or +hh:mm) and are read at "
                               "their written clock; give --timezone ZONE to read them at one zone's local time");
    // midnight everywhere is a date without its time; another shared clock needs a few rows to tell
    if (filter.hour_from && hi >= 0 && lo == hi && (lo == 0 || clocks >= 10)) {
        char b[16];
        std::snprintf(b, sizeof b, "%02d:%02d", lo / 3600, lo / 60 % 60);
        set.warnings.push_back(std::string("every accepted timestamp has the same clock time (") + b +
                               "), so --hours cannot select by time of day; is the time in another column? (--time "
                               "DATE_COLUMN,TIME_COLUMN)");
    }
    if (repaired_categories > 0)
        set.warnings.push_back(std::to_string(repaired_categories) +
                               " category name(s) are not valid UTF-8 and were read as Windows-1252");
}

// The CRS of x/y columns by DESIGN §3: given; lon/lat names mean EPSG:4326; a sidecar .prj;
// otherwise an error that says when the values look like lon/lat.
crs::Crs crs_for_columns(const std::string& path, const std::string& given, const Columns& cols, const std::string& xname,
                         const std::string& yname, const std::vector<std::pair<double, double>>& samples,
                         const std::string& option, bool given_is_fallback = false)
{
    if (!given.empty() && !given_is_fallback) return crs::Crs::from_user(given);
    if (cols.lonlat) return crs::Crs::epsg(4326);
    const std::string prj = replace_extension(path, ".prj");
    if (std::filesystem::exists(prj)) return crs::Crs::from_user(prj);
    if (!given.empty()) return crs::Crs::from_user(given);
    const std::string cols_text = cols.wkt >= 0 ? "the WKT column" : "the coordinate columns '" + xname + "'/'" + yname + "'";
    bool lonlat_like = !samples.empty();
    for (const auto& [x, y] : samples)
        if (!(std::abs(x) <= 180 && std::abs(y) <= 90)) lonlat_like = false;
    if (lonlat_like)
        throw CrsError(path + ": " + cols_text + " are not named lon/lat, but their values look like longitude/latitude: "
                       "give " + option + " EPSG:4326 (or name the CRS in a .prj file beside it)");
    throw CrsError(path + ": " + cols_text + " are not named lon/lat and no CRS is known: give " + option +
                   " (the EPSG code of the coordinates, e.g. EPSG:32735 for UTM zone 35S), or a .prj file beside it");
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
    set.resolved_time = column_name(names, c.time) + (c.time_of_day >= 0 ? "," + column_name(names, c.time_of_day) : "");
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
    if (why == reason::unparseable_time || why == reason::time_out_of_range)
        return column_name(names, c.time) + (c.time_of_day >= 0 ? "/" + column_name(names, c.time_of_day) : "");
    if (why == reason::too_few_fields || why == reason::too_many_fields || why == reason::unterminated_quote) return "";
    if (why == reason::unparseable_weight || why == reason::weight_out_of_range) return column_name(names, c.weight);
    if (c.wkt >= 0) return column_name(names, c.wkt);
    if (c.x < 0) return "(geometry)";
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

/// The first records of a table, for detection: the time column's text and the x/y values.
struct Samples {
    std::vector<std::string> times;
    std::vector<std::pair<double, double>> xy;
    double mean_bytes = 0; ///< mean length of the records read, with their line break (0: none)
};

Samples sample_csv(int fd, const std::string& path, const csv::Header& h, const Columns& cols, std::size_t max_rows = 2000)
{
    Samples s;
    csv::RecordReader rr(fd, path, h.delimiter, h.data_offset, h.file_size, 2, 1u << 20);
    std::string_view rec;
    std::uint64_t line = 0;
    std::vector<std::string_view> fields;
    std::string arena;
    std::size_t rows = 0, records = 0;
    double bytes = 0;
    while (rows < max_rows && rr.next(rec, line)) {
        ++records;
        bytes += static_cast<double>(rec.size()) + 1;
        if (!csv::split(rec, h.delimiter, fields, arena)) continue;
        ++rows;
        const auto at = [&](int i) { return i >= 0 && static_cast<std::size_t>(i) < fields.size() ? fields[static_cast<std::size_t>(i)] : std::string_view(); };
        if (cols.time >= 0 && static_cast<std::size_t>(cols.time) < fields.size()) s.times.emplace_back(at(cols.time));
        double x = 0, y = 0;
        if (cols.wkt >= 0) {
            if (!parse_wkt_point(at(cols.wkt), x, y)) s.xy.emplace_back(x, y);
        } else if (parse_number(at(cols.x), x, h.delimiter != ',') == Num::ok && parse_number(at(cols.y), y, h.delimiter != ',') == Num::ok &&
                   !(x == 0 && y == 0)) {
            s.xy.emplace_back(x, y);
        }
    }
    if (records > 0) s.mean_bytes = bytes / static_cast<double>(records);
    return s;
}

timeparse::Parser time_parser(const IncidentSource& src, const std::vector<std::string>& samples, const std::string& column)
{
    if (!src.time_format.empty()) return timeparse::Parser(timeparse::Layout::strptime_format, src.time_format);
    return timeparse::detect(samples, column);
}

/// Byte ranges of the data, each starting at a record start, with their record and line counts.
struct Chunks {
    std::vector<std::uint64_t> bounds; ///< n + 1 offsets
    std::vector<csv::RangeScan> scans; ///< per chunk, from its (record) start
};

Chunks plan_chunks(int fd, const std::string& path, const csv::Header& h, unsigned threads, std::uint64_t chunk_bytes)
{
    const std::uint64_t chunk = parallel::chunk_size(chunk_bytes);
    Chunks c;
    c.bounds.push_back(h.data_offset);
    for (std::uint64_t at = h.data_offset + chunk; at < h.file_size; at += chunk) {
        const std::uint64_t b = csv::next_line_start(fd, path, at - 1, h.file_size);
        if (b > c.bounds.back() && b < h.file_size) c.bounds.push_back(b);
    }
    c.bounds.push_back(h.file_size);
    const auto scan = [&](std::size_t k) {
        return csv::scan_range(fd, path, h.delimiter, c.bounds[k], c.bounds[k + 1], k + 2 == c.bounds.size());
    };
    c.scans.resize(c.bounds.size() - 1);
    parallel::for_each(c.scans.size(), 1, threads, [&](std::size_t k) { c.scans[k] = scan(k); });
    // Chunk starts are line starts; a line break inside a quoted field is no record start. Such
    // a start moves to the end of that record (or the chunk joins the one before). Rare: only
    // a quoted field with a line break exactly at a chunk boundary.
    for (std::size_t k = 1; k < c.bounds.size() - 1;) {
        if (!c.scans[k - 1].ends_in_quote) {
            ++k;
            continue;
        }
        const std::uint64_t end = csv::first_record_end_in_quote(fd, path, h.delimiter, c.bounds[k], h.file_size);
        if (end >= c.bounds[k + 1]) {
            c.bounds.erase(c.bounds.begin() + static_cast<std::ptrdiff_t>(k));
            c.scans.erase(c.scans.begin() + static_cast<std::ptrdiff_t>(k));
        } else {
            c.bounds[k] = end;
            c.scans[k] = scan(k);
        }
        c.scans[k - 1] = scan(k - 1);
    }
    return c;
}

/// An empty set with the source, CRS, columns and flags of `set`: a batch's start.
IncidentSet batch_shell(const IncidentSet& set)
{
    IncidentSet b;
    b.source = set.source;
    b.crs = set.crs;
    b.has_time = set.has_time;
    b.has_category = set.has_category;
    b.has_weight = set.has_weight;
    b.resolved_x = set.resolved_x;
    b.resolved_y = set.resolved_y;
    b.resolved_wkt = set.resolved_wkt;
    b.resolved_time = set.resolved_time;
    b.resolved_category = set.resolved_category;
    b.resolved_weight = set.resolved_weight;
    b.time_format = set.time_format;
    return b;
}

/// A batch handed over: its accounting and categories added to the whole read's.
bool hand_over(IncidentSet& set, IncidentSet& batch, const Batches& batches)
{
    set.accounting.merge(batch.accounting);
    set.categories.insert(set.categories.end(), batch.categories.begin(), batch.categories.end());
    std::sort(set.categories.begin(), set.categories.end());
    set.categories.erase(std::unique(set.categories.begin(), set.categories.end()), set.categories.end());
    return batches.each(batch);
}

/// The chunk length for a batched read: whole chunks of about a quarter of a batch each (so a
/// batch is cut near its size), at most the usual 4 MiB, at least 4 KiB.
std::uint64_t chunk_bytes_for(const Batches* batches, double mean_bytes)
{
    constexpr std::uint64_t usual = 4u << 20;
    if (!batches) return usual;
    const double want = static_cast<double>(batches->rows) * std::max(mean_bytes, 8.0) / 4;
    return static_cast<std::uint64_t>(std::clamp(want, 4096.0, static_cast<double>(usual)));
}

IncidentSet read_csv(const IncidentSource& src, const IncidentFilter& filter, const Batches* batches)
{
    const csv::Header h = csv::read_header(src.path);
    const Columns cols = resolve_columns(h.columns, src, true);
    IncidentSet set;
    set.source = src.path;
    fill_resolved(set, h.columns, cols);
    if (filter.needs_time() && cols.time < 0)
        throw ParameterError("a time filter (--from/--to/--hours/--days) needs a time column: give --time");

    Fd f;
    f.fd = ::open(src.path.c_str(), O_RDONLY);
    if (f.fd < 0) throw InputError(src.path + ": cannot open: " + std::strerror(errno));
    const Samples samples = sample_csv(f.fd, src.path, h, cols);
    set.crs = crs_for_columns(src.path, src.crs, cols, column_name(h.columns, cols.x), column_name(h.columns, cols.y), samples.xy,
                              "--incidents-crs");
    timeparse::Parser tparser;
    if (cols.time >= 0) {
        tparser = time_parser(src, samples.times, h.columns[static_cast<std::size_t>(cols.time)]);
        set.time_format = tparser.describe() + (cols.time_of_day >= 0 ? " + time of day" : "");
    }
    std::optional<timeparse::Zone> zone;
    if (!src.timezone.empty()) zone = timeparse::Zone::locate(src.timezone);

    const Chunks chunks = plan_chunks(f.fd, src.path, h, src.threads, chunk_bytes_for(batches, samples.mean_bytes));
    const std::size_t nchunks = chunks.scans.size();
    std::vector<std::uint64_t> first_line(nchunks + 1, 2);
    for (std::size_t k = 0; k < nchunks; ++k) first_line[k + 1] = first_line[k] + chunks.scans[k].newlines;
    if (first_line[nchunks] > 0xFFFFFFF0ull) throw InputError(src.path + ": more than 4 billion lines");
    // the batches: runs of whole chunks of at most batches->rows records (one chunk at least)
    std::vector<std::size_t> cuts{0};
    if (batches) {
        std::uint64_t in_batch = 0;
        for (std::size_t k = 0; k < nchunks; ++k) {
            if (in_batch > 0 && in_batch + chunks.scans[k].records > batches->rows) {
                cuts.push_back(k);
                in_batch = 0;
            }
            in_batch += chunks.scans[k].records;
        }
    }
    cuts.push_back(nchunks);

    const std::size_t ncols = h.columns.size();
    ReaderStats stats;
    IncidentSet batch; // the rows of one batch, with the columns and CRS of the whole read
    for (std::size_t b = 0; b + 1 < cuts.size(); ++b) {
        const std::size_t c0 = cuts[b], nb = cuts[b + 1] - c0;
        IncidentSet& out_set = batches ? batch : set;
        if (batches) batch = batch_shell(set);
        std::vector<std::uint64_t> first_slot(nb + 1, 0);
        for (std::size_t k = 0; k < nb; ++k) first_slot[k + 1] = first_slot[k] + chunks.scans[c0 + k].records;
        std::vector<Incident>& items = out_set.items;
        {
            // The first write to the array takes a page fault per 4 KiB (100,000 for 10M rows): the
            // workers take them on the raw storage, then resize() writes over mapped pages.
            const std::size_t bytes = first_slot[nb] * sizeof(Incident);
            items.reserve(first_slot[nb]);
            unsigned char* raw = reinterpret_cast<unsigned char*>(items.data());
            parallel::for_chunks(bytes, 1u << 22, src.threads, [&](std::size_t lo, std::size_t hi) { std::memset(raw + lo, 0, hi - lo); });
            items.resize(first_slot[nb]);
        }
        std::vector<RowParser> parsers(nb, RowParser{&cols, &tparser, &filter, zone ? &*zone : nullptr, set.crs.is_geographic(),
                                                     h.delimiter != ',', {}, {}, -1, {}, 0, 86400, -1, 0});
        std::vector<std::vector<RejectedRow>> rejects(nb);
        parallel::for_each(nb, 1, src.threads, [&](std::size_t k) {
            csv::RecordReader rr(f.fd, src.path, h.delimiter, chunks.bounds[c0 + k], chunks.bounds[c0 + k + 1], first_line[c0 + k]);
            std::string_view rec;
            std::uint64_t line = 0;
            std::vector<std::string_view> fields;
            std::string arena;
            RowParser& rp = parsers[k];
            std::uint64_t slot = first_slot[k];
            const auto changed = [&] { return InputError(src.path + ": the file changed while it was read"); };
            while (rr.next(rec, line)) {
                if (slot >= first_slot[k + 1]) throw changed();
                Incident& inc = items[slot++];
                inc.row = 0; // a hole until accepted
                if (rec.find_first_not_of(" \t\r") == std::string_view::npos) continue; // blank line: not a row
                ++rp.acct.read;
                const char* why = nullptr;
                bool filtered = false;
                if (!csv::split(rec, h.delimiter, fields, arena)) {
                    why = reason::unterminated_quote;
                } else if (fields.size() < ncols) {
                    why = reason::too_few_fields;
                } else if (fields.size() > ncols) {
                    // a trailing delimiter (empty extra fields) loses nothing; text in them would be
                    // a shifted row
                    for (std::size_t i = ncols; i < fields.size() && !why; ++i)
                        if (!trim(fields[i]).empty()) why = reason::too_many_fields;
                }
                if (!why) {
                    RowFields rf;
                    const auto at = [&](int i) { return i >= 0 ? fields[static_cast<std::size_t>(i)] : std::string_view(); };
                    rf.x = at(cols.x);
                    rf.y = at(cols.y);
                    rf.wkt = at(cols.wkt);
                    rf.time = at(cols.time);
                    rf.time_of_day = at(cols.time_of_day);
                    rf.category = at(cols.category);
                    rf.weight = at(cols.weight);
                    why = rp.parse(rf, inc, filtered);
                }
                if (!why) {
                    inc.row = static_cast<std::uint32_t>(line);
                    ++rp.acct.accepted;
                    continue;
                }
                if (filtered) {
                    rp.acct.filter(why);
                    continue;
                }
                rp.acct.reject(why);
                if (src.strict) {
                    const std::string col = column_for_reason(why, h.columns, cols);
                    throw InputError(src.path + ": line " + std::to_string(line) + (col.empty() ? "" : ", column '" + col + "'") +
                                     ": rejected (" + why + ") and --strict is set");
                }
                if (src.keep_rejects) rejects[k].push_back({line, why, std::string(rec)});
            }
            if (slot != first_slot[k + 1]) throw changed();
        });
        // Categories renumbered and the holes closed within each chunk (in parallel), then the
        // chunks moved together (in order: a chunk's rows never move past the next chunk's start).
        std::vector<std::string> repaired;
        const auto remap = merge_categories(parsers, out_set.categories, repaired);
        stats.add(parsers, repaired);
        std::vector<std::uint64_t> kept(nb, 0);
        parallel::for_each(nb, 1, src.threads, [&](std::size_t k) {
            std::uint64_t out = first_slot[k];
            for (std::uint64_t s = first_slot[k]; s < first_slot[k + 1]; ++s) {
                Incident inc = items[s];
                if (inc.row == 0) continue;
                if (inc.category >= 0) inc.category = remap[k][static_cast<std::size_t>(inc.category)];
                items[out++] = inc;
            }
            kept[k] = out - first_slot[k];
        });
        static_assert(std::is_trivially_copyable_v<Incident>);
        std::size_t out = 0;
        for (std::size_t k = 0; k < nb; ++k) {
            if (out != first_slot[k] && kept[k] > 0)
                std::memmove(static_cast<void*>(items.data() + out), items.data() + first_slot[k], kept[k] * sizeof(Incident));
            out += kept[k];
            out_set.accounting.merge(parsers[k].acct);
            for (auto& r : rejects[k]) set.rejects.push_back(std::move(r));
        }
        items.resize(out);
        // shrinking copies the whole array (2x peak memory): only worth it when much was dropped
        if (items.capacity() > out + out / 4) items.shrink_to_fit();
        if (batches && !hand_over(set, batch, *batches)) break;
    }
    reader_warnings(set, stats, src, filter);
    return set;
}

// ---------------------------------------------------------------------------------------
// OGR path

std::string first_line(const std::string& s)
{
    std::string o = s.substr(0, s.find('\n'));
    while (!o.empty() && (o.back() == '\r' || o.back() == ' ')) o.pop_back();
    return o;
}

// The PostgreSQL condition that keeps the rows of a --from/--to window, for a date/timestamp
// column, or "" when none can be pushed down. Rows without a time pass (they are counted here as
// no_time_for_time_filter), and the bounds are widened by two days: a timestamptz column is
// compared in the session's zone, which may differ from the written clock by up to 26 hours.
// The exact window is applied here to what the server returns.
std::string server_time_window(const IncidentFilter& filter, const Columns& cols, OGRFeatureDefn* defn, const std::string& timezone)
{
    if (!(filter.from || filter.to) || cols.time < 0 || cols.time_of_day >= 0 || !timezone.empty()) return {};
    const OGRFieldType t = defn->GetFieldDefn(cols.time)->GetType();
    if (t != OFTDateTime && t != OFTDate) return {};
    std::string name = defn->GetFieldDefn(cols.time)->GetNameRef(), quoted = "\"";
    for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    quoted += "\"";
    constexpr Timestamp margin = 2 * 86400;
    std::string w = "(" + quoted + " IS NULL OR (";
    if (filter.from) w += quoted + " >= '" + timeparse::format(*filter.from - margin) + "'";
    if (filter.from && filter.to) w += " AND ";
    if (filter.to) w += quoted + " < '" + timeparse::format(*filter.to + margin) + "'";
    return w + "))";
}

// The PostgreSQL condition that keeps the rows inside src.study_box, for the geometry column
// `geom` of a table in `table_crs` (its own CRS, with an EPSG code), or "" when the box cannot be
// sent. The box's edges are reprojected at 64 points each (the image of a rectangle is bounded
// by the image of its edges) and widened by 1 % of its size, so a row left out lies outside
// every district by a wide margin. Rows the reader rejects for their geometry alone pass, so that
// they are rejected as before: no point, not a point, (0,0), NaN or out of range, and for lon/lat
// outside the working CRS's area of use (2 degrees wider, as project_incidents).
std::string server_study_box(const IncidentSource& src, const crs::Crs& table_crs, const std::string& geom)
{
    if (!src.study_box || src.study_crs.empty() || src.working.empty() || !src.crs.empty() || table_crs.empty()) return {};
    const std::string& id = table_crs.id();
    if (id.rfind("EPSG:", 0) != 0 || id.find_first_not_of("0123456789", 5) != std::string::npos || id.size() == 5) return {};
    const Extent e = crs::transform_box(*src.study_box, src.study_crs, table_crs);
    if (e.empty()) return {};
    const double m = 0.01 * std::max(e.xmax - e.xmin, e.ymax - e.ymin) + (table_crs.is_geographic() ? 1e-4 : 10.0);
    char env[256];
    std::snprintf(env, sizeof env, "ST_MakeEnvelope(%.17g, %.17g, %.17g, %.17g, %s)", e.xmin - m, e.ymin - m, e.xmax + m, e.ymax + m,
                  id.substr(5).c_str());
    std::string q = "\"";
    for (char c : geom) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    q += "\"";
    const std::string x = "ST_X(" + q + ")", y = "ST_Y(" + q + ")";
    // a CASE, so that ST_X never sees another geometry than a point (it would fail the query)
    std::string keep = q + " && " + env + " OR (" + x + " = 0 AND " + y + " = 0) OR " + x + " IN ('NaN', 'Infinity', '-Infinity') OR " + y +
                       " IN ('NaN', 'Infinity', '-Infinity')";
    char sql[512];
    if (table_crs.is_geographic()) {
        const crs::AreaOfUse& a = src.working.area_of_use();
        const double deg = 2.0;
        std::snprintf(sql, sizeof sql, " OR abs(%s) > 180 OR abs(%s) > 90 OR NOT (%s >= %.17g AND %s <= %.17g AND ", x.c_str(), y.c_str(),
                      y.c_str(), a.south - deg, y.c_str(), a.north + deg);
        keep += sql;
        if (a.west <= a.east) std::snprintf(sql, sizeof sql, "%s >= %.17g AND %s <= %.17g)", x.c_str(), a.west - deg, x.c_str(), a.east + deg);
        else std::snprintf(sql, sizeof sql, "(%s >= %.17g OR %s <= %.17g))", x.c_str(), a.west - deg, x.c_str(), a.east + deg);
        keep += sql;
    } else {
        std::snprintf(sql, sizeof sql, " OR abs(%s) > %.17g OR abs(%s) > %.17g", x.c_str(), k_max_projected_coordinate, y.c_str(),
                      k_max_projected_coordinate);
        keep += sql;
    }
    return "(CASE WHEN " + q + " IS NULL OR ST_IsEmpty(" + q + ") OR GeometryType(" + q + ") <> 'POINT' THEN true ELSE " + keep + " END)";
}

IncidentSet read_ogr(const IncidentSource& src, const IncidentFilter& filter, const Batches* batches)
{
    ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(src.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    const std::string shown = redact_source(src.path);
    if (!ds && src.path.rfind("PG:", 0) == 0)
        throw InputError(shown + ": cannot connect to the database: " + first_line(gdal_error("connection failed")));
    if (!ds) {
        std::error_code ec;
        if (!std::filesystem::exists(src.path, ec) && src.path.rfind("PG:", 0) != 0)
            throw InputError(src.path + ": cannot open: no such file");
        if (std::filesystem::is_directory(src.path, ec))
            throw InputError(src.path + ": is a folder, not a file (give the incident file inside it)");
        throw InputError(src.path + ": cannot open as a vector source: " + gdal_error("unrecognised format"));
    }
    OGRLayer* layer = nullptr;
    if (!src.layer.empty()) {
        layer = ds->GetLayerByName(src.layer.c_str());
        if (!layer) throw InputError(shown + ": no layer named '" + src.layer + "'");
    } else {
        if (ds->GetLayerCount() < 1) throw InputError(shown + ": no vector layer");
        if (ds->GetLayerCount() > 1 && std::string(ds->GetDriverName()) == "PostgreSQL") {
            std::string list;
            for (int i = 0; i < ds->GetLayerCount() && i < 20; ++i) list += (i ? ", " : "") + std::string(ds->GetLayer(i)->GetName());
            throw InputError(shown + ": the database has several tables: name the incidents' one with --layer (tables: " + list + ")");
        }
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
    }
    if (filter.needs_time() && cols.time < 0)
        throw ParameterError("a time filter (--from/--to/--hours/--days) needs a time column: give --time");
    const bool time_is_datetime = cols.time >= 0 &&
        (defn->GetFieldDefn(cols.time)->GetType() == OFTDateTime || defn->GetFieldDefn(cols.time)->GetType() == OFTDate);
    if (!use_geom || (cols.time >= 0 && !time_is_datetime && src.time_format.empty())) {
        // samples of the first features: coordinates (for the CRS message) and times
        Samples smp;
        layer->ResetReading();
        for (auto& feat : *layer) {
            if (cols.time >= 0 && !time_is_datetime) smp.times.emplace_back(feat->GetFieldAsString(cols.time));
            if (!use_geom) {
                double x = 0, y = 0;
                if (cols.wkt >= 0 ? !parse_wkt_point(feat->GetFieldAsString(cols.wkt), x, y)
                                  : parse_number(feat->GetFieldAsString(cols.x), x, false) == Num::ok &&
                                        parse_number(feat->GetFieldAsString(cols.y), y, false) == Num::ok && !(x == 0 && y == 0))
                    smp.xy.emplace_back(x, y);
            }
            if (smp.times.size() >= 2000 || smp.xy.size() >= 2000) break;
        }
        if (!use_geom)
            set.crs = crs_for_columns(src.path, src.crs, cols, column_name(names, cols.x), column_name(names, cols.y), smp.xy,
                                      "--incidents-crs");
        if (cols.time >= 0 && !time_is_datetime) {
            set.time_format = time_parser(src, smp.times, names[static_cast<std::size_t>(cols.time)]).describe();
        }
    }
    const GIntBig total = layer->GetFeatureCount(TRUE);
    const bool postgis = std::string(ds->GetDriverName()) == "PostgreSQL";
    // rows left after --where: a COUNT(*) on a server; for files, what the read returns (no second pass)
    constexpr GIntBig k_from_read = -2;
    GIntBig after_where = total;
    if (!src.where.empty()) {
        CPLErrorReset();
        if (layer->SetAttributeFilter(src.where.c_str()) != OGRERR_NONE)
            throw ParameterError("--where '" + src.where + "': " + first_line(gdal_error("invalid filter")));
        after_where = k_from_read;
        if (postgis) {
            after_where = layer->GetFeatureCount(TRUE);
            if (after_where < 0 || CPLGetLastErrorType() >= CE_Failure)
                throw ParameterError("--where '" + src.where + "': the server refused it: " + first_line(gdal_error("invalid filter")));
        }
    }
    // the districts' box (src.study_box): rows far outside stay on the server
    std::string server_filter = src.where;
    GIntBig after_box = after_where;
    const std::string box = postgis && use_geom ? server_study_box(src, set.crs, layer->GetGeometryColumn()) : std::string();
    if (!box.empty()) {
        server_filter = server_filter.empty() ? box : "(" + server_filter + ") AND " + box;
        CPLErrorReset();
        if (layer->SetAttributeFilter(server_filter.c_str()) != OGRERR_NONE)
            throw InputError(shown + ": the server refused the districts' box filter: " + first_line(gdal_error("invalid filter")));
        after_box = layer->GetFeatureCount(TRUE);
        if (after_box < 0 || CPLGetLastErrorType() >= CE_Failure)
            throw InputError(shown + ": the server refused the districts' box filter: " + first_line(gdal_error("invalid filter")));
        set.notes.push_back(shown + ": the server left out the rows outside the districts' bounding box (" + box + ")");
    }
    GIntBig after_time = after_box;
    bool server_time = false;
    if (postgis) {
        // Only the columns used travel from the server (all of them when rejected rows are kept,
        // whose raw values are written).
        if (!src.keep_rejects) {
            std::vector<std::string> ignored;
            for (int i = 0; i < defn->GetFieldCount(); ++i)
                if (i != cols.x && i != cols.y && i != cols.wkt && i != cols.time && i != cols.time_of_day &&
                    i != cols.category && i != cols.weight)
                    ignored.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
            CPLStringList list;
            for (const std::string& n : ignored) list.AddString(n.c_str());
            if (layer->SetIgnoredFields(const_cast<const char**>(list.List())) == OGRERR_NONE)
                set.notes.push_back(shown + ": " + std::to_string(defn->GetFieldCount() - static_cast<int>(ignored.size())) +
                                    " of " + std::to_string(defn->GetFieldCount()) + " columns read from the server");
        }
        const std::string window = server_time_window(filter, cols, defn, src.timezone);
        if (!window.empty()) {
            const std::string w = server_filter.empty() ? window : "(" + server_filter + ") AND " + window;
            if (layer->SetAttributeFilter(w.c_str()) != OGRERR_NONE)
                throw InputError(shown + ": the server refused the time window filter: " + first_line(gdal_error("invalid filter")));
            after_time = layer->GetFeatureCount(TRUE);
            server_time = true;
            set.notes.push_back(shown + ": the server filtered the time window (" + window + ")");
        } else if (filter.from || filter.to) {
            set.notes.push_back(shown + ": the time window is applied here, not on the server (the time column is "
                                "not a date/timestamp column, or --timezone is given)");
        }
        if (!src.where.empty()) set.notes.push_back(shown + ": the server filtered --where " + src.where);
    }
    timeparse::Parser tparser;
    if (cols.time >= 0 && !time_is_datetime) {
        std::vector<std::string> samples;
        if (src.time_format.empty()) {
            layer->ResetReading();
            for (auto& feat : *layer) {
                samples.emplace_back(feat->GetFieldAsString(cols.time));
                if (samples.size() >= 2000) break;
            }
        }
        tparser = time_parser(src, samples, names[static_cast<std::size_t>(cols.time)]);
        set.time_format = tparser.describe() + (cols.time_of_day >= 0 ? " + time of day" : "");
    } else if (time_is_datetime) {
        set.time_format = "(date/time field)";
    }
    std::optional<timeparse::Zone> zone;
    if (!src.timezone.empty()) zone = timeparse::Zone::locate(src.timezone);
    std::vector<RowParser> parsers(
        1, RowParser{&cols, &tparser, &filter, zone ? &*zone : nullptr, set.crs.is_geographic(), false, {}, {}, -1, {}, 0, 86400, -1, 0});
    RowParser& rp = parsers[0];
    const bool csv_like = extension_of(src.path) == ".csv";
    layer->ResetReading();
    std::uint64_t index = 0, returned = 0;
    std::string sx, sy, sw, st, st2, sc, sk;
    ReaderStats stats;
    // batched: the rows so far handed over with the categories interned so far (a superset of
    // theirs) and the accounting since the last batch
    const auto flush = [&]() -> bool {
        IncidentSet b = batch_shell(set);
        b.items.swap(set.items);
        std::vector<std::string> bad;
        const auto remap = merge_categories(parsers, b.categories, bad);
        for (Incident& inc : b.items)
            if (inc.category >= 0) inc.category = remap[0][static_cast<std::size_t>(inc.category)];
        b.accounting = rp.acct;
        rp.acct = Accounting();
        return hand_over(set, b, *batches);
    };
    bool stopped = false;
    for (auto& feat : *layer) {
        if (batches && set.items.size() >= batches->rows && !flush()) {
            stopped = true;
            break;
        }
        ++index;
        ++returned;
        ++rp.acct.read;
        // a CSV read through GDAL: its line number (GDAL's fid is the data row, header = line 1);
        // any other source: the feature's 1-based position in the layer, whatever the driver's fids
        const GIntBig fid = feat->GetFID();
        const std::uint64_t row = csv_like && fid >= 0 ? static_cast<std::uint64_t>(fid) + 1 : index;
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
            if (feat->IsFieldSetAndNotNull(cols.time) && feat->GetFieldAsDateTime(cols.time, &y, &m, &d, &hh, &mi, &ss, &tz)) {
                rf.time_value = timeparse::from_civil(y, m, d, hh, mi, static_cast<int>(ss));
                // OGR's TZFlag: 100 = UTC, 100 + n = UTC + n quarter hours; 0/1 = unknown/local
                if (tz >= 2) rf.time_offset_s = (tz - 100) * 15 * 60;
            }
        } else {
            rf.time = str(cols.time, st);
        }
        rf.time_of_day = str(cols.time_of_day, st2);
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
    // Rows the server (or the driver) left out are read and filtered, by the counts it gave.
    if (after_where == k_from_read) after_where = after_box = after_time = static_cast<GIntBig>(returned);
    if (!stopped && (!src.where.empty() || server_time || !box.empty()) && total >= after_where && after_where >= after_box &&
        after_box >= after_time && after_time >= 0 && static_cast<std::uint64_t>(after_time) >= returned) {
        const auto where_dropped = static_cast<std::uint64_t>(total - after_where);
        const auto box_dropped = static_cast<std::uint64_t>(after_where - after_box);
        std::uint64_t time_dropped = static_cast<std::uint64_t>(after_box - after_time);
        std::uint64_t late = static_cast<std::uint64_t>(after_time) - returned; // 0 unless the table changed meanwhile
        rp.acct.read += where_dropped + box_dropped + time_dropped + late;
        if (box_dropped) rp.acct.filter(reason::f_outside_study_area, box_dropped);
        if (server_time) time_dropped += late;
        if (where_dropped + (server_time ? 0 : late)) rp.acct.filter(reason::f_where, where_dropped + (server_time ? 0 : late));
        if (time_dropped) rp.acct.filter(reason::f_time_window, time_dropped);
    }
    if (batches && !stopped) flush();
    // the categories interned over the whole read: the set's (a batched read has them already)
    // and the names repaired for the warnings
    std::vector<std::string> all, bad;
    const auto remap = merge_categories(parsers, all, bad);
    stats.add(parsers, bad);
    if (!batches) {
        set.categories = std::move(all);
        for (Incident& inc : set.items)
            if (inc.category >= 0) inc.category = remap[0][static_cast<std::size_t>(inc.category)];
        set.accounting.merge(rp.acct);
    }
    reader_warnings(set, stats, src, filter);
    return set;
}

} // namespace

ResolvedColumns resolve_incident_columns(const std::vector<std::string>& names, const IncidentSource& src, bool need_xy)
{
    const Columns c = resolve_columns(names, src, need_xy);
    return {column_name(names, c.x),    column_name(names, c.y),        column_name(names, c.wkt),
            column_name(names, c.time), column_name(names, c.time_of_day), column_name(names, c.category),
            column_name(names, c.weight)};
}

std::string redact_source(const std::string& path)
{
    if (path.rfind("PG:", 0) != 0) return path;
    std::string out = path;
    for (std::size_t at = out.find("password="); at != std::string::npos; at = out.find("password=", at + 1)) {
        const std::size_t v = at + 9;
        std::size_t end = v;
        if (end < out.size() && out[end] == '\'') {
            end = out.find('\'', end + 1);
            end = end == std::string::npos ? out.size() : end + 1;
        } else {
            while (end < out.size() && out[end] != ' ') ++end;
        }
        out.replace(v, end - v, "***");
    }
    return out;
}

bool is_plain_csv(const std::string& path)
{
    const std::string e = extension_of(path);
    return e == ".csv" || e == ".tsv" || e == ".txt";
}

namespace {

IncidentSet read_any(const IncidentSource& src, const IncidentFilter& filter, const Batches* batches)
{
    if (src.path.empty()) throw ParameterError("no incident file given (-i PATH)");
    std::error_code ec;
    // A folder is an OGR data source of many layers (CSV or Shapefile folders): which one
    // would be a guess, so one is named with --layer or the file is given.
    if (std::filesystem::is_directory(src.path, ec) && src.layer.empty())
        throw InputError(src.path + ": is a folder, not a file (give the incident file inside it, or --layer NAME)");
    IncidentSet set;
    if (is_plain_csv(src.path) && src.where.empty() && src.layer.empty()) {
        if (!std::filesystem::exists(src.path)) throw InputError(src.path + ": cannot open: no such file");
        set = read_csv(src, filter, batches);
    } else {
        set = read_ogr(src, filter, batches);
    }
    if (set.accounting.read == 0) throw InputError(src.path + ": no data rows (header only or empty)");
    return set;
}

} // namespace

IncidentSet read_incidents(const IncidentSource& src, const IncidentFilter& filter) { return read_any(src, filter, nullptr); }

IncidentSet read_incidents(const IncidentSource& src, const IncidentFilter& filter, const Batches& batches)
{
    if (batches.rows == 0) throw ParameterError("batches of 0 rows");
    return read_any(src, filter, &batches);
}

std::optional<std::uint64_t> estimate_rows(const IncidentSource& src)
{
    std::error_code ec;
    if (src.path.empty() || std::filesystem::is_directory(src.path, ec)) return std::nullopt; // the read says why
    if (is_plain_csv(src.path) && src.where.empty() && src.layer.empty()) {
        if (!std::filesystem::is_regular_file(src.path, ec)) return std::nullopt;
        const csv::Header h = csv::read_header(src.path);
        const Columns cols = resolve_columns(h.columns, src, true);
        Fd f;
        f.fd = ::open(src.path.c_str(), O_RDONLY);
        if (f.fd < 0) throw InputError(src.path + ": cannot open: " + std::strerror(errno));
        const Samples s = sample_csv(f.fd, src.path, h, cols);
        if (s.mean_bytes <= 0) return 0;
        return static_cast<std::uint64_t>(static_cast<double>(h.file_size - h.data_offset) / s.mean_bytes);
    }
    ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(src.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) return std::nullopt; // the read says why
    OGRLayer* layer = src.layer.empty() ? (ds->GetLayerCount() > 0 ? ds->GetLayer(0) : nullptr) : ds->GetLayerByName(src.layer.c_str());
    if (!layer) return std::nullopt;
    const GIntBig n = layer->GetFeatureCount(FALSE); // -1 when only a full scan would tell
    if (n < 0) return std::nullopt;
    return static_cast<std::uint64_t>(n);
}

PointColumns resolve_point_table(const std::string& path, const std::string& x_field, const std::string& y_field,
                                 const std::string& wkt_field, const std::string& crs, const std::string& crs_option)
{
    const csv::Header h = csv::read_header(path);
    IncidentSource src;
    src.path = path;
    src.x_field = x_field;
    src.y_field = y_field;
    src.wkt_field = wkt_field;
    src.time_field = "-";
    const Columns cols = resolve_columns(h.columns, src, true);
    Fd f;
    f.fd = ::open(path.c_str(), O_RDONLY);
    if (f.fd < 0) throw InputError(path + ": cannot open: " + std::strerror(errno));
    const Samples samples = sample_csv(f.fd, path, h, cols);
    PointColumns out;
    out.x = column_name(h.columns, cols.x);
    out.y = column_name(h.columns, cols.y);
    out.wkt = column_name(h.columns, cols.wkt);
    out.crs = crs_for_columns(path, crs, cols, out.x, out.y, samples.xy, crs_option, true);
    return out;
}

void write_rejects(const std::vector<RejectedRow>& rows, const std::string& path, const std::string& target)
{
    struct Closer {
        void operator()(std::FILE* f) const noexcept { std::fclose(f); }
    };
    std::unique_ptr<std::FILE, Closer> f(std::fopen(path.c_str(), "wb"));
    if (!f) throw OutputError(target + ": cannot create: " + std::strerror(errno));
    std::string buf = "row,reason,raw\n";
    const auto flush = [&] {
        if (!buf.empty() && std::fwrite(buf.data(), 1, buf.size(), f.get()) != buf.size())
            throw OutputError(target + ": write failed: " + std::strerror(errno));
        buf.clear();
    };
    for (const RejectedRow& r : rows) {
        buf += std::to_string(r.row) + ',' + r.reason + ',' + csv::quote(text::to_utf8(r.raw)) + '\n';
        if (buf.size() > (1u << 20)) flush();
    }
    flush();
    // the data reach the disk at fclose: its failure (a full disk) is a failed write
    if (std::fflush(f.get()) != 0 || std::fclose(f.release()) != 0)
        throw OutputError(target + ": write failed: " + std::strerror(errno));
}

} // namespace hotmap::io
