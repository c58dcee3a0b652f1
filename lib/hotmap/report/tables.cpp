// SPDX-License-Identifier: MIT
// Text tables.
#include "hotmap/report/tables.hpp"

#include "hotmap/text.hpp"
#include "hotmap/timeparse.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace hotmap::report {
std::string info_table(const pipeline::Inputs& in, const pipeline::InfoResult& r)
{
    const IncidentSet& s = in.incidents;
    const Accounting& a = r.accounting;
    std::ostringstream o;
    auto row = [&](const std::string& k, const std::string& v) { o << std::left << std::setw(28) << k << v << "\n"; };
    row("source", s.source);
    row("columns", "x=" + s.resolved_x + " y=" + s.resolved_y + (s.resolved_wkt.empty() ? "" : " wkt=" + s.resolved_wkt) +
                       " time=" + (s.resolved_time.empty() ? "(none)" : s.resolved_time) +
                       " category=" + (s.resolved_category.empty() ? "(none)" : s.resolved_category) +
                       " weight=" + (s.resolved_weight.empty() ? "(1)" : s.resolved_weight));
    if (!s.time_format.empty()) row("time format", s.time_format);
    row("working CRS", in.working.id() + " (" + in.working.name() + ")");
    row("rows read", std::to_string(a.read));
    row("  accepted", std::to_string(a.accepted));
    row("  filtered", std::to_string(a.filtered));
    for (const auto& [k, v] : a.filtered_by) row("    " + k, std::to_string(v));
    row("  rejected", std::to_string(a.rejected));
    for (const auto& [k, v] : a.rejected_by) row("    " + k, std::to_string(v));
    const Extent& e = r.extent;
    if (!e.empty()) {
        char b[160];
        std::snprintf(b, sizeof b, "%.1f %.1f .. %.1f %.1f (%.2f x %.2f km)", e.xmin, e.ymin, e.xmax, e.ymax, e.width() / 1000,
                      e.height() / 1000);
        row("extent", b);
    }
    if (r.time_range) row("time range", timeparse::format(r.time_range->first) + " .. " + timeparse::format(r.time_range->second));
    if (s.has_time) row("missing time", std::to_string(r.missing_time));
    if (s.has_category) {
        row("categories", std::to_string(r.categories.size()));
        for (std::size_t c = 0; c < r.categories.size(); ++c) row("  " + r.categories[c], std::to_string(r.per_category[c]));
    }
    if (s.has_weight) {
        char b[64];
        std::snprintf(b, sizeof b, "%.6g", r.total_weight);
        row("total weight", b);
    }
    return o.str();
}

std::string districts_table(const districts::Summary& s)
{
    std::ostringstream o;
    std::size_t w = 8;
    for (const auto& r : s.rows) w = std::max(w, r.name.size());
    char buf[256];
    o << std::left << std::setw(static_cast<int>(w)) << "district";
    std::snprintf(buf, sizeof buf, " %9s %9s %9s %10s %7s %5s", "incidents", "area_km2", "per_km2", "per_1k_pop", "share%", "rank");
    o << buf;
    if (!s.periods.empty()) o << "   trend  trend_p  change%";
    o << "\n";
    for (const auto& r : s.rows) {
        o << std::left << std::setw(static_cast<int>(w)) << r.name;
        std::snprintf(buf, sizeof buf, " %9llu %9.3f %9.1f %10s %7.2f %5d", static_cast<unsigned long long>(r.incidents), r.area_km2,
                      r.per_km2, text::fixed(r.per_1k_pop, 3).c_str(), r.share_pct, r.rank);
        o << buf;
        if (!s.periods.empty()) {
            std::snprintf(buf, sizeof buf, " %7s %8s %8s", text::fixed(r.trend, 3).c_str(), text::fixed(r.trend_p, 4).c_str(),
                          text::fixed(r.change_pct, 1).c_str());
            o << buf;
        }
        o << "\n";
    }
    o << "outside every district: " << s.outside;
    if (s.left_out) o << " (and " << s.left_out << " rows left out by the server, outside the districts' bounding box)";
    o << "\n";
    return o.str();
}

std::string time_profile_table(const districts::Summary& s)
{
    std::ostringstream o;
    const auto width = [](const std::vector<std::uint64_t>& v, std::uint64_t total) {
        std::size_t w = std::to_string(total).size() + 1;
        for (std::uint64_t c : v) w = std::max(w, std::to_string(c).size() + 1);
        return static_cast<int>(std::max<std::size_t>(w, 4));
    };
    if (s.total_hour_of_week.size() == districts::k_hours_of_week) {
        static const char* days[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
        std::uint64_t all = 0;
        std::vector<std::uint64_t> by_hour(24, 0);
        for (std::size_t h = 0; h < districts::k_hours_of_week; ++h) {
            all += s.total_hour_of_week[h];
            by_hour[h % 24] += s.total_hour_of_week[h];
        }
        const int w = width(by_hour, all), tw = std::max(w, 5);
        o << "\nhour of week (incidents in a district, each once):\n" << std::left << std::setw(6) << "day" << std::right;
        for (int h = 0; h < 24; ++h) {
            char b[4];
            std::snprintf(b, sizeof b, "%02d", h);
            o << std::setw(w) << b;
        }
        o << " " << std::setw(tw) << "total" << "\n";
        for (std::size_t d = 0; d < 7; ++d) {
            std::uint64_t t = 0;
            o << std::left << std::setw(6) << days[d] << std::right;
            for (std::size_t h = 0; h < 24; ++h) {
                o << std::setw(w) << s.total_hour_of_week[d * 24 + h];
                t += s.total_hour_of_week[d * 24 + h];
            }
            o << " " << std::setw(tw) << t << "\n";
        }
        o << std::left << std::setw(6) << "total" << std::right;
        for (std::uint64_t c : by_hour) o << std::setw(w) << c;
        o << " " << std::setw(tw) << all << "\n";
    }
    if (s.total_month.size() == districts::k_months) {
        std::uint64_t all = 0;
        for (std::uint64_t c : s.total_month) all += c;
        const int w = width(s.total_month, all), tw = std::max(w, 5);
        o << "\nmonth (incidents in a district, each once; all years together):\n" << std::left << std::setw(6) << "month" << std::right;
        for (int m = 1; m <= 12; ++m) {
            char b[4];
            std::snprintf(b, sizeof b, "%02d", m);
            o << std::setw(w) << b;
        }
        o << " " << std::setw(tw) << "total" << "\n" << std::left << std::setw(6) << "count" << std::right;
        for (std::uint64_t c : s.total_month) o << std::setw(w) << c;
        o << " " << std::setw(tw) << all << "\n";
    }
    return o.str();
}

std::string evaluation_table(const pipeline::EvaluateResult& r)
{
    std::ostringstream o;
    char buf[256];
    std::snprintf(buf, sizeof buf, "%-8s %7s %7s %8s %8s %6s %6s\n", "method", "share%", "cells", "hit%", "PAI", "PEI", "RRI");
    o << buf;
    for (const pipeline::MethodScores& m : r.methods)
        for (const spacetime::ShareScore& v : m.shares) {
            std::snprintf(buf, sizeof buf, "%-8s %7s %7zu %8.2f %8s %6s %6s\n", pipeline::rank_method_name(m.method).c_str(),
                          text::number(v.share_pct, 6).c_str(), v.cells, v.hit_rate_pct, text::fixed(v.pai, 3).c_str(),
                          text::fixed(v.pei, 3).c_str(), text::fixed(v.rri, 3).c_str());
            o << buf;
        }
    o << "study area: " << r.cells << " cells; incidents in them: train " << r.n_train << ", test " << r.n_test << "\n";
    for (const pipeline::MethodScores& m : r.methods) o << pipeline::rank_method_name(m.method) << ": " << m.setting << "\n";
    return o.str();
}

std::string coverage_table(const pipeline::CoverageResult& res, std::size_t n)
{
    std::ostringstream o;
    const auto& cov = res.incidents;
    if (res.districts.empty()) {
        o << "incidents covered" << (res.along_streets ? " along the streets" : "") << ": " << cov.n_covered << " of " << n << "\n";
        return o.str();
    }
    std::size_t w = 8;
    for (const auto& r : res.districts) w = std::max(w, r.district.size());
    char buf[256];
    o << std::left << std::setw(static_cast<int>(w)) << "district";
    if (res.along_streets) {
        std::snprintf(buf, sizeof buf, " %9s %11s %8s %9s %11s %8s\n", "street_km", "covered_km", "cov%", "incidents", "covered_inc", "inc_cov%");
        o << buf;
        for (const auto& r : res.districts) {
            o << std::left << std::setw(static_cast<int>(w)) << r.district;
            std::snprintf(buf, sizeof buf, " %9.3f %11.3f %8s %9llu %11llu %8s\n", r.street_km, r.covered_street_km,
                          text::fixed(r.covered_street_pct, 1).c_str(), static_cast<unsigned long long>(r.incidents),
                          static_cast<unsigned long long>(r.covered_inc), text::fixed(r.covered_inc_pct, 1).c_str());
            o << buf;
        }
        o << "incidents covered along the streets: " << cov.n_covered << " of " << n << " ("
          << text::fixed(n ? 100.0 * static_cast<double>(cov.n_covered) / static_cast<double>(n) : NAN, 1) << "%); streets within reach: "
          << text::fixed(res.street.covered_m / 1000, 3) << " of " << text::fixed(res.street.total_m / 1000, 3) << " km\n";
        return o.str();
    }
    std::snprintf(buf, sizeof buf, " %9s %11s %8s %9s %11s %8s\n", "area_km2", "covered_km2", "cov%", "incidents", "covered_inc", "inc_cov%");
    o << buf;
    for (const auto& r : res.districts) {
        o << std::left << std::setw(static_cast<int>(w)) << r.district;
        std::snprintf(buf, sizeof buf, " %9.3f %11.3f %8.1f %9llu %11llu %8s\n", r.area_km2, r.covered_km2, r.covered_pct,
                      static_cast<unsigned long long>(r.incidents), static_cast<unsigned long long>(r.covered_inc),
                      text::fixed(r.covered_inc_pct, 1).c_str());
        o << buf;
    }
    o << "incidents covered: " << cov.n_covered << " of " << n << " ("
      << text::fixed(n ? 100.0 * static_cast<double>(cov.n_covered) / static_cast<double>(n) : NAN, 1) << "%); area covered: "
      << text::fixed(res.areas.covered_m2 / 1e6, 3) << " of " << text::fixed(res.areas.study_m2 / 1e6, 3) << " km2\n";
    return o.str();
}

std::string sites_table(const pipeline::SiteResult& r)
{
    std::ostringstream o;
    const io::VectorLayer& L = r.sites;
    const auto col = [&](const char* name) {
        for (std::size_t k = 0; k < L.fields.size(); ++k)
            if (L.fields[k].name == name) return static_cast<int>(k);
        return -1;
    };
    const auto num = [&](const std::vector<io::Value>& row, int c) {
        if (c < 0) return std::nan("");
        if (const double* d = std::get_if<double>(&row[static_cast<std::size_t>(c)])) return *d;
        if (const std::int64_t* i = std::get_if<std::int64_t>(&row[static_cast<std::size_t>(c)])) return static_cast<double>(*i);
        return std::nan("");
    };
    const int c_rank = col("rank"), c_gain = col("gain"), c_cov = col("covered"), c_pct = col("covered_pct"), c_mean = col("mean_m"),
              c_d = col("district"), c_lon = col("lon"), c_lat = col("lat");
    std::size_t w = 8;
    for (const auto& row : L.rows)
        if (const std::string* d = std::get_if<std::string>(&row[static_cast<std::size_t>(c_d)])) w = std::max(w, d->size());
    char buf[256];
    std::snprintf(buf, sizeof buf, "%4s %12s %12s %8s%s ", "rank", "gain", "covered", "cov%", c_mean >= 0 ? "   mean_m" : "");
    o << buf << std::left << std::setw(static_cast<int>(w)) << "district";
    o << "  " << std::right << std::setw(11) << "lon" << " " << std::setw(10) << "lat" << "\n";
    for (const auto& row : L.rows) {
        std::snprintf(buf, sizeof buf, "%4lld %12s %12s %8s", static_cast<long long>(num(row, c_rank)), text::fixed(num(row, c_gain), 2).c_str(),
                      text::fixed(num(row, c_cov), 2).c_str(), text::fixed(num(row, c_pct), 1).c_str());
        o << buf;
        if (c_mean >= 0) o << " " << std::setw(8) << text::fixed(num(row, c_mean), 1);
        const std::string* d = std::get_if<std::string>(&row[static_cast<std::size_t>(c_d)]);
        o << " " << std::left << std::setw(static_cast<int>(w)) << (d ? *d : std::string("-"));
        o << "  " << std::right << std::setw(11) << text::fixed(num(row, c_lon), 6) << " " << std::setw(10) << text::fixed(num(row, c_lat), 6)
          << "\n";
    }
    o << r.summary << "\n";
    return o.str();
}

} // namespace hotmap::report
