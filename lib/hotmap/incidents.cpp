// SPDX-License-Identifier: MIT
// Incident accounting, filters and projection to the working CRS.
#include "hotmap/incidents.hpp"

#include "hotmap/crs/lonlat_tiles.hpp"
#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/timeparse.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>

namespace hotmap {

void Accounting::merge(const Accounting& o)
{
    read += o.read;
    accepted += o.accepted;
    filtered += o.filtered;
    rejected += o.rejected;
    for (const auto& [k, v] : o.filtered_by) filtered_by[k] += v;
    for (const auto& [k, v] : o.rejected_by) rejected_by[k] += v;
}

const char* IncidentFilter::check(Timestamp t) const noexcept
{
    if (!needs_time()) return nullptr;
    if (t == k_no_time) return reason::f_no_time;
    if ((from && t < *from) || (to && t >= *to)) return reason::f_time_window;
    if (hour_from || days != 0x7f) {
        const timeparse::Civil c = timeparse::to_civil(t);
        if (hour_from) {
            const int h = c.hour, a = *hour_from, b = *hour_to;
            const bool in = a < b ? (h >= a && h < b) : (h >= a || h < b); // wraps midnight
            if (!in) return reason::f_hours;
        }
        if (!(days & (1u << c.weekday))) return reason::f_days;
    }
    return nullptr;
}

Extent IncidentSet::extent() const noexcept
{
    Extent e;
    for (const Incident& i : items) e.expand(i.x, i.y);
    return e;
}

std::optional<std::pair<Timestamp, Timestamp>> IncidentSet::time_range() const noexcept
{
    Timestamp lo = 0, hi = 0;
    bool any = false;
    for (const Incident& i : items) {
        if (i.time == k_no_time) continue;
        if (!any) {
            lo = hi = i.time;
            any = true;
        }
        lo = std::min(lo, i.time);
        hi = std::max(hi, i.time);
    }
    if (!any) return std::nullopt;
    return std::make_pair(lo, hi);
}

double IncidentSet::total_weight() const noexcept
{
    double s = 0;
    for (const Incident& i : items) s += i.weight;
    return s;
}

namespace {
double median_of(std::vector<double> v)
{
    const std::size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
    return v[mid];
}
} // namespace

WorkingCrsChoice choose_working_crs(const crs::Crs& user, const crs::Crs& districts,
                                    const IncidentSet& incidents)
{
    if (!user.empty()) {
        if (user.is_geographic())
            throw CrsError("--crs " + user.id() +
                           " is geographic: distances need a projected CRS in metres");
        return {user, "given with --crs"};
    }
    if (!districts.empty() && !districts.is_geographic())
        return {districts, "the districts' projected CRS"};
    if (!incidents.crs.empty() && !incidents.crs.is_geographic())
        return {incidents.crs, "the incidents' projected CRS"};
    if (incidents.crs.empty()) throw CrsError("the incidents' CRS is unknown: give --incidents-crs");
    // Geographic incidents: UTM zone of the median lon/lat (robust to stray rows).
    std::vector<double> xs, ys;
    const std::size_t step = std::max<std::size_t>(1, incidents.items.size() / 100000);
    for (std::size_t i = 0; i < incidents.items.size(); i += step) {
        const Incident& p = incidents.items[i];
        if (std::abs(p.x) <= 180 && std::abs(p.y) <= 90) {
            xs.push_back(p.x);
            ys.push_back(p.y);
        }
    }
    if (incidents.items.empty()) {
        const Accounting& a = incidents.accounting;
        std::string why;
        for (const auto& [k, v] : a.rejected_by) why += (why.empty() ? "" : ", ") + k + " " + std::to_string(v);
        for (const auto& [k, v] : a.filtered_by) why += (why.empty() ? "filtered: " : ", filtered: ") + k + " " + std::to_string(v);
        throw InputError(incidents.source + ": no incident was accepted (" + std::to_string(a.read) + " rows read" +
                         (why.empty() ? "" : "; " + why) + "): check the delimiter, the columns and the filters");
    }
    if (xs.empty())
        throw CrsError("cannot choose a working CRS: no incident has valid lon/lat; give --crs");
    const double lon = median_of(xs), lat = median_of(ys);
    crs::Crs utm = crs::Crs::utm_for(lon, lat);
    char buf[160];
    std::snprintf(buf, sizeof buf, "UTM zone of the incidents' median lon/lat (%.4f, %.4f)", lon, lat);
    return {utm, buf};
}

void project_incidents(IncidentSet& set, const crs::Crs& target, bool keep_rejects, double margin, unsigned threads)
{
    if (set.crs.empty()) throw CrsError("the incidents' CRS is unknown: give --incidents-crs");
    const bool geographic_src = set.crs.is_geographic();
    const crs::AreaOfUse& area = target.area_of_use();
    const std::size_t n = set.items.size();
    constexpr std::size_t chunk = 1 << 16;
    std::vector<unsigned char> bad(n, 0); // 1 outside, 2 swapped
    if (geographic_src)
        parallel::for_chunks(n, chunk, threads, [&](std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i) {
                const Incident& p = set.items[i];
                if (!area.contains(p.x, p.y, margin)) bad[i] = area.contains(p.y, p.x, margin) ? 2 : 1;
            }
        });
    std::vector<double> ox, oy; // original coordinates for the rejects file
    if (keep_rejects) {
        ox.resize(n);
        oy.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            ox[i] = set.items[i].x;
            oy[i] = set.items[i].y;
        }
    }
    if (!set.crs.same_as(target) && n > 0) {
        // One Transformer per worker, made on the worker's thread (PROJ objects are not
        // thread-safe); each point is transformed on its own, so the thread count does not matter.
        // From lon/lat, through the polynomial tiles checked against PROJ (crs/lonlat_tiles).
        const crs::Crs from = set.crs;
        std::optional<crs::LonLatTiles> tiles;
        if (geographic_src) tiles.emplace(from, target, &set.items[0].x, &set.items[0].y, n, sizeof(Incident), threads);
        parallel::for_chunks_with(
            n, chunk, threads, [&] { return crs::LazyTransformer(from, target); },
            [&](crs::LazyTransformer& t, std::size_t b, std::size_t e) {
                if (tiles) tiles->transform(t, &set.items[b].x, &set.items[b].y, e - b, sizeof(Incident));
                else t.get().transform(&set.items[b].x, &set.items[b].y, e - b, sizeof(Incident));
            });
    }
    // rows to drop: outside the area, not transformed, or beyond the largest coordinate
    const auto keep = [&](std::size_t i) {
        const Incident& p = set.items[i];
        return !bad[i] && std::isfinite(p.x) && std::isfinite(p.y) && std::abs(p.x) <= k_max_projected_coordinate &&
               std::abs(p.y) <= k_max_projected_coordinate;
    };
    std::vector<unsigned char> any_dropped((n + chunk - 1) / chunk, 0);
    parallel::for_chunks(n, chunk, threads, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i)
            if (!keep(i)) {
                any_dropped[b / chunk] = 1;
                break;
            }
    });
    if (std::find(any_dropped.begin(), any_dropped.end(), 1) != any_dropped.end()) {
        std::size_t out = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const Incident& p = set.items[i];
            if (keep(i)) {
                set.items[out++] = p;
                continue;
            }
            const bool finite = std::isfinite(p.x) && std::isfinite(p.y);
            const char* why = bad[i] == 2 ? reason::swapped_lat_lon : bad[i] == 1 || !finite ? reason::outside_crs_area : reason::out_of_range;
            set.accounting.reject(why);
            --set.accounting.accepted;
            if (keep_rejects) {
                char raw[96];
                std::snprintf(raw, sizeof raw, "x=%.9g y=%.9g", ox[i], oy[i]);
                set.rejects.push_back({p.row, why, raw});
            }
        }
        set.items.resize(out);
        // shrinking copies the whole array (2x peak memory): only worth it when much was dropped
        if (set.items.capacity() > out + out / 4) set.items.shrink_to_fit();
    }
    set.crs = target;
    if (keep_rejects)
        std::stable_sort(set.rejects.begin(), set.rejects.end(),
                         [](const RejectedRow& a, const RejectedRow& b) { return a.row < b.row; });
}

std::vector<std::string> filter_categories(IncidentSet& set, const std::vector<std::string>& keep)
{
    std::vector<std::string> unknown;
    for (const std::string& k : keep)
        if (std::find(set.categories.begin(), set.categories.end(), k) == set.categories.end()) unknown.push_back(k);
    if (keep.empty()) return unknown;
    std::vector<char> ok(set.categories.size(), 0);
    for (std::size_t c = 0; c < set.categories.size(); ++c)
        ok[c] = std::find(keep.begin(), keep.end(), set.categories[c]) != keep.end();
    std::size_t out = 0;
    for (const Incident& p : set.items) {
        if (p.category >= 0 && ok[static_cast<std::size_t>(p.category)]) {
            set.items[out++] = p;
        } else {
            set.accounting.filter(reason::f_category);
            --set.accounting.accepted;
        }
    }
    set.items.resize(out);
    return unknown;
}

bool same_category(const std::string& a, const std::string& b)
{
    // "sexual violence", "Sexual_Violence" and "sexual-violence" name one category (the column
    // is c_sexual_violence): ASCII letters compared without case, any other ASCII punctuation or
    // space as '_', other bytes as they are
    const auto norm = [](const std::string& s) {
        std::string o;
        for (char ch : s) {
            const auto u = static_cast<unsigned char>(ch);
            o.push_back(u < 128 ? (std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '_') : ch);
        }
        return o;
    };
    return a == b || norm(a) == norm(b);
}

std::size_t drop_categories(IncidentSet& set, const std::vector<std::string>& drop)
{
    std::vector<std::int32_t> to(set.categories.size(), -1);
    std::vector<std::string> kept;
    for (std::size_t c = 0; c < set.categories.size(); ++c)
        if (std::none_of(drop.begin(), drop.end(), [&](const std::string& d) { return same_category(d, set.categories[c]); })) {
            to[c] = static_cast<std::int32_t>(kept.size());
            kept.push_back(set.categories[c]);
        }
    if (kept.size() == set.categories.size()) return 0;
    std::size_t out = 0, removed = 0;
    for (Incident p : set.items) {
        if (p.category >= 0 && static_cast<std::size_t>(p.category) < to.size()) {
            if (to[static_cast<std::size_t>(p.category)] < 0) {
                set.accounting.filter(reason::f_sensitive);
                --set.accounting.accepted;
                ++removed;
                continue;
            }
            p.category = to[static_cast<std::size_t>(p.category)];
        }
        set.items[out++] = p;
    }
    set.items.resize(out);
    set.categories = std::move(kept);
    return removed;
}

} // namespace hotmap
