// SPDX-License-Identifier: MIT
// The districts pipeline: summary and layer.
#include "hotmap/pipeline/districts.hpp"

#include "hotmap/privacy/publish.hpp"

#include "hotmap/error.hpp"
#include "hotmap/report/qml.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <tuple>
#include <unordered_map>

namespace hotmap::pipeline {

void parse_by(const std::string& text, DistrictsParams& p)
{
    p.by_hour_of_week = p.by_month = false;
    std::stringstream ss(text);
    std::string part;
    while (std::getline(ss, part, ',')) {
        if (part == "hour-of-week") p.by_hour_of_week = true;
        else if (part == "month") p.by_month = true;
        else if (part != "none") throw ParameterError("--by '" + text + "': expected hour-of-week, month or hour-of-week,month");
    }
}

namespace {

// --aggregate-in-database: the server counts the rows per fate, set of districts, category and
// time (io::postgis_district_counts); the summary is made from those groups, with the row
// accounting the reader would give.
districts::Summary summary_from_database(const districts::SummaryParams& sp, const Inputs& in, std::vector<std::string>& categories,
                                         Log& log)
{
    const io::PostgisTable& t = *in.database;
    io::TimeUnit unit = io::TimeUnit::none;
    if (sp.by_hour_of_week) unit = io::TimeUnit::hour;
    else if (sp.period == districts::Period::day || sp.period == districts::Period::week) unit = io::TimeUnit::day;
    else if (sp.period != districts::Period::none || sp.by_month) unit = io::TimeUnit::month;
    std::vector<std::string> wkb;
    wkb.reserve(in.districts.size());
    for (std::size_t k = 0; k < in.districts.size(); ++k) wkb.push_back(in.districts.geometry(k).to_wkb());
    log.info("server: " + std::to_string(wkb.size()) + " district polygons in a temporary table (spatial index); query: " +
             io::postgis_district_sql(in.database_source, t, in.database_filter, in.working, unit));
    const std::vector<io::DistrictGroup> groups =
        io::postgis_district_counts(in.database_source, t, in.database_filter, in.working, wkb, unit);
    categories.clear();
    if (sp.by_category) categories = accepted_categories(groups);
    IncidentSet acct;
    acct.source = in.incidents.source;
    Accounting& a = acct.accounting;
    std::vector<districts::CountGroup> counted;
    for (const io::DistrictGroup& g : groups) {
        if (!account_group(a, g)) continue;
        districts::CountGroup c;
        c.districts = g.districts;
        if (sp.by_category)
            c.category = static_cast<std::int32_t>(std::lower_bound(categories.begin(), categories.end(), g.category) - categories.begin());
        c.has_time = g.has_time;
        c.time = g.time;
        c.first = g.first;
        c.last = g.last;
        c.count = g.count;
        c.weight = g.weight;
        counted.push_back(std::move(c));
    }
    log.info("server: " + std::to_string(a.read) + " rows aggregated into " + std::to_string(groups.size()) + " groups");
    log_accounting(acct, false, log);
    if (a.accepted == 0) log.warning("no incident was accepted");
    return districts::summarise(in.districts, counted, categories.size(), in.incidents.has_time, sp);
}

// Inputs::streamed: each batch counted per (set of districts, category, time truncated to what
// the summary needs), as a server's GROUP BY counts; the summary is made from those groups.
districts::Summary summary_from_batches(const districts::SummaryParams& sp, const Inputs& in, std::vector<std::string>& categories,
                                        Log& log)
{
    // the truncation keeps the hour (hour of week), the day (day, week, month, quarter and year
    // periods, months of the year start at midnight), or nothing
    const Timestamp unit = sp.by_hour_of_week ? 3600 : sp.period != districts::Period::none || sp.by_month ? 86400 : 0;
    struct Key {
        std::int32_t set = 0;      ///< 0 no district, 1 + d one district, beyond: an interned set of several
        std::int32_t category = -1; ///< index into `names`
        Timestamp time = k_no_time; ///< truncated; k_no_time for none
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const noexcept
        {
            std::uint64_t h = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(k.set)) << 32) ^ static_cast<std::uint32_t>(k.category);
            h = (h ^ static_cast<std::uint64_t>(k.time)) * 0x9E3779B97F4A7C15ull;
            return static_cast<std::size_t>(h ^ (h >> 31));
        }
    };
    struct Agg {
        std::uint64_t count = 0;
        double weight = 0;
        Timestamp first = 0, last = 0;
    };
    const auto nd = static_cast<std::int32_t>(in.districts.size());
    std::unordered_map<Key, Agg, KeyHash> groups;
    std::map<std::vector<std::int32_t>, std::int32_t> several; // sets of districts -> Key::set
    std::vector<std::vector<std::int32_t>> sets;               // Key::set - 1 - nd -> the set
    std::vector<std::string> names;                            // categories, as met
    std::unordered_map<std::string, std::int32_t> name_id;
    (void)stream_incidents(
        in,
        [&](const IncidentSet& b) {
            const geom::Containment a = in.districts.polygons.containing(b.items, in.threads);
            std::vector<std::int32_t> cat(b.categories.size());
            for (std::size_t c = 0; c < cat.size(); ++c) {
                const auto [it, fresh] = name_id.try_emplace(b.categories[c], static_cast<std::int32_t>(names.size()));
                if (fresh) names.push_back(b.categories[c]);
                cat[c] = it->second;
            }
            std::vector<std::int32_t> ids;
            for (std::size_t i = 0; i < b.items.size(); ++i) {
                const Incident& inc = b.items[i];
                Key k;
                const std::uint32_t s0 = a.start[i], s1 = a.start[i + 1];
                if (s1 == s0 + 1) {
                    k.set = 1 + a.ids[s0];
                } else if (s1 > s0 + 1) {
                    ids.assign(a.ids.begin() + s0, a.ids.begin() + s1);
                    const auto [it, fresh] = several.try_emplace(ids, static_cast<std::int32_t>(1 + nd + sets.size()));
                    if (fresh) sets.push_back(ids);
                    k.set = it->second;
                }
                if (sp.by_category && inc.category >= 0) k.category = cat[static_cast<std::size_t>(inc.category)];
                if (inc.time != k_no_time) k.time = unit ? inc.time - ((inc.time % unit) + unit) % unit : 0;
                Agg& g = groups[k];
                if (inc.time != k_no_time) {
                    g.first = g.count ? std::min(g.first, inc.time) : inc.time;
                    g.last = g.count ? std::max(g.last, inc.time) : inc.time;
                }
                ++g.count;
                g.weight += inc.weight;
            }
        },
        &log);
    // categories sorted as the reader sorts them
    categories.clear();
    std::vector<std::int32_t> sorted_index(names.size(), -1);
    if (sp.by_category) {
        categories = names;
        std::sort(categories.begin(), categories.end());
        for (std::size_t c = 0; c < names.size(); ++c)
            sorted_index[c] = static_cast<std::int32_t>(std::lower_bound(categories.begin(), categories.end(), names[c]) - categories.begin());
    }
    std::vector<districts::CountGroup> counted;
    counted.reserve(groups.size());
    for (const auto& [k, g] : groups) {
        districts::CountGroup c;
        if (k.set > nd) c.districts = sets[static_cast<std::size_t>(k.set - 1 - nd)];
        else if (k.set > 0) c.districts = {k.set - 1};
        c.category = k.category >= 0 ? sorted_index[static_cast<std::size_t>(k.category)] : -1;
        c.has_time = k.time != k_no_time;
        c.time = c.has_time ? k.time : 0;
        c.first = g.first;
        c.last = g.last;
        c.count = g.count;
        c.weight = g.weight;
        counted.push_back(std::move(c));
    }
    // the groups in one order whatever the hash map's (the weights are then added alike)
    std::sort(counted.begin(), counted.end(), [](const districts::CountGroup& x, const districts::CountGroup& y) {
        return std::tie(x.districts, x.category, x.has_time, x.time) < std::tie(y.districts, y.category, y.has_time, y.time);
    });
    log.info("incidents counted in " + std::to_string(counted.size()) + " groups (set of districts, category, time" +
             (unit == 3600 ? " to the hour" : unit ? " to the day" : "") + ")");
    return districts::summarise(in.districts, counted, categories.size(), in.incidents.has_time, sp);
}

} // namespace

districts::Summary district_summary(const districts::SummaryParams& sp, const Inputs& in, std::vector<std::string>& categories, Log& log)
{
    if (in.database) return summary_from_database(sp, in, categories, log);
    if (in.streamed) return summary_from_batches(sp, in, categories, log);
    categories = in.incidents.categories;
    return districts::summarise(in.districts, in.incidents, sp);
}

DistrictsResult summarise_districts(const DistrictsParams& p, const Inputs& in, Log& log)
{
    if (!in.has_districts()) throw ParameterError("the districts summary needs --districts");
    districts::SummaryParams sp;
    sp.period = p.period;
    sp.by_category = in.incidents.has_category;
    sp.by_hour_of_week = p.by_hour_of_week;
    sp.by_month = p.by_month;
    sp.threads = in.threads;
    DistrictsResult r;
    std::vector<std::string> categories;
    r.summary = district_summary(sp, in, categories, log);
    // rows the server left out as outside the districts' box: filtered, and named here too
    const auto boxed = in.incidents.accounting.filtered_by.find(reason::f_outside_study_area);
    if (boxed != in.incidents.accounting.filtered_by.end()) r.summary.left_out = boxed->second;
    const districts::Summary& s = r.summary;
    log.info("incidents in no district: " + std::to_string(s.outside) +
             (s.left_out ? " (and " + std::to_string(s.left_out) + " rows left out by the server, outside the districts' bounding box)" : "") +
             "; in more than one: " + std::to_string(s.multiple) +
             (p.period != districts::Period::none || p.by_hour_of_week || p.by_month
                  ? "; without time (in no period or --by column): " + std::to_string(s.no_time)
                  : ""));
    if (s.outside > 0) log.warning(std::to_string(s.outside) + " incident(s) lie outside every district");
    if ((p.by_hour_of_week || p.by_month) && s.no_time > 0)
        log.warning(std::to_string(s.no_time) + " incident(s) have no time: they are counted in no " +
                    (p.by_hour_of_week ? "hour-of-week" : "month") + (p.by_hour_of_week && p.by_month ? " or month" : "") + " column");

    io::VectorLayer& layer = r.layer;
    layer.name = "districts";
    layer.kind = io::GeomKind::polygon;
    layer.crs = in.working;
    layer.add_field("district", io::FieldType::string);
    layer.add_field("incidents", io::FieldType::integer);
    const bool weighted = in.incidents.has_weight;
    if (weighted) layer.add_field("weight", io::FieldType::real);
    for (const char* f : {"area_km2", "per_km2", "population", "per_1k_pop", "share_pct"}) layer.add_field(f, io::FieldType::real);
    layer.add_field("rank", io::FieldType::integer);
    for (const std::string& n : io::unique_field_names("c_", categories)) layer.add_field(n, io::FieldType::integer);
    for (const std::string& n : s.periods) layer.add_field("p_" + io::field_suffix(n), io::FieldType::integer);
    if (!s.periods.empty()) {
        layer.add_field("trend", io::FieldType::real);
        layer.add_field("trend_p", io::FieldType::real);
        layer.add_field("change_pct", io::FieldType::real);
    }
    for (std::size_t h = 0; h < s.total_hour_of_week.size(); ++h) layer.add_field("h_" + districts::hour_of_week_label(h), io::FieldType::integer);
    for (std::size_t m = 0; m < s.total_month.size(); ++m) {
        char f[8];
        std::snprintf(f, sizeof f, "m_%02u", static_cast<unsigned>(m + 1));
        layer.add_field(f, io::FieldType::integer);
    }
    std::vector<double> rates;
    for (std::size_t k = 0; k < s.rows.size(); ++k) {
        const districts::DistrictRow& d = s.rows[k];
        std::vector<io::Value> v{d.name, static_cast<std::int64_t>(d.incidents)};
        if (weighted) v.emplace_back(d.weight);
        v.insert(v.end(), {io::number(d.area_km2), io::number(d.per_km2), io::number(d.population), io::number(d.per_1k_pop),
                           io::number(d.share_pct)});
        v.emplace_back(static_cast<std::int64_t>(d.rank));
        for (std::uint64_t c : d.by_category) v.emplace_back(static_cast<std::int64_t>(c));
        for (std::uint64_t c : d.by_period) v.emplace_back(static_cast<std::int64_t>(c));
        if (!s.periods.empty()) v.insert(v.end(), {io::number(d.trend), io::number(d.trend_p), io::number(d.change_pct)});
        for (std::uint64_t c : d.by_hour_of_week) v.emplace_back(static_cast<std::int64_t>(c));
        for (std::uint64_t c : d.by_month) v.emplace_back(static_cast<std::int64_t>(c));
        layer.rows.push_back(std::move(v));
        layer.wkb.push_back(in.districts.geometry(k).to_wkb());
        rates.push_back(d.per_km2);
    }
    // districts without incidents in a light class of their own
    layer.qml = report::with_labels(report::zero_and_quantiles_qml("per_km2", io::GeomKind::polygon, rates, 5, 1, "incidents per km²"), "district");
    layer.metadata = "hotmap districts" + std::string(p.period != districts::Period::none ? " by period" : "");
    layer.title = with_filters("Incidents per km² by district", in);
    layer.abstract = "Per district: incidents (count), per_km2 (incidents per km² of the district), per_1k_pop (per 1000 inhabitants, "
                     "when a population is known), share_pct (% of all incidents), rank 1 = the most incidents" +
                     std::string(s.periods.empty() ? "" : "; p_<period>: incidents per period, with their trend") +
                     (in.filters.empty() ? "" : "; incidents: " + in.filters) + ".";
    const auto totals = [](const std::vector<std::uint64_t>& v) {
        std::string t;
        for (std::uint64_t c : v) t += (t.empty() ? "" : ",") + std::to_string(c);
        return t;
    };
    if (p.by_hour_of_week)
        layer.metadata += "; hour-of-week totals (incidents in at least one district, each once; Monday 00h first, 168 values): " +
                          totals(s.total_hour_of_week);
    if (p.by_month) layer.metadata += "; month totals (January first, 12 values): " + totals(s.total_month);
    if (p.min_count) log.info(privacy::suppress_layer(layer, privacy::LayerKind::districts, p.min_count).text);
    return r;
}

} // namespace hotmap::pipeline
