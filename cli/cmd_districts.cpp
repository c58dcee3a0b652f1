// SPDX-License-Identifier: MIT
// hotmap districts: incidents per district (counts, rates, categories, periods, trend).
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/io/atomic_output.hpp"
#include "hotmap/report/qml.hpp"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <set>

namespace hotmap::cli {
namespace {



class DistrictsCommand final : public Command {
public:
    std::string_view name() const noexcept override { return "districts"; }
    std::string_view summary() const noexcept override
    {
        return "Incidents per district: counts, area, rates per km2 and per 1,000 residents, share, rank, per-category "
               "and per-period counts, Mann-Kendall trend and last-period change.";
    }

protected:
    void add_options(std::vector<po::options_description>& groups, po::positional_options_description&) override
    {
        po::options_description own("Command options");
        own.add_options()("period", po::value<std::string>(&m_period), "per-period counts: day|week|month|quarter|year");
        groups.push_back(own);
        groups.push_back(m_input.describe());
        auto d = m_districts.describe(true);
        groups.push_back(d);
        groups.push_back(m_crs.describe());
        groups.push_back(m_output.describe(false, "output layer (.geojson .shp .gpkg .fgb .csv); default: a table on stdout"));
    }

    void validate() override
    {
        if (!m_districts.given()) throw UsageError("the option '--districts' is required but missing");
        try {
            m_params.period = districts::parse_period(m_period);
        } catch (const std::exception& e) {
            throw UsageError(e.what());
        }
        if (m_output.given()) io::driver_for(m_output.path, m_output.format);
    }

    void run(Io& io) override
    {
        if (m_output.given()) io::check_writable(m_output.path, m_common.overwrite);
        const Log lg = log(io);
        Loaded L = load_inputs(m_input, &m_districts, m_crs, m_common, lg);
        m_params.by_category = L.incidents.has_category;
        m_params.threads = m_common.threads;
        const districts::Summary s = districts::summarise(L.districts, L.incidents, m_params);
        lg.v("incidents in no district: " + std::to_string(s.outside) + "; in more than one: " + std::to_string(s.multiple) +
             (m_params.period != districts::Period::none ? "; without time (in no period): " + std::to_string(s.no_time) : ""));
        if (s.outside > 0) lg.w(std::to_string(s.outside) + " incident(s) lie outside every district");
        if (!m_output.given()) {
            print_table(io, s);
            return;
        }
        io::VectorLayer layer;
        layer.name = "districts";
        layer.kind = io::GeomKind::polygon;
        layer.crs = L.working;
        layer.add_field("district", io::FieldType::string);
        layer.add_field("incidents", io::FieldType::integer);
        if (L.incidents.has_weight) layer.add_field("weight", io::FieldType::real);
        for (const char* f : {"area_km2", "per_km2", "population", "per_1k_pop", "share_pct"}) layer.add_field(f, io::FieldType::real);
        layer.add_field("rank", io::FieldType::integer);
        std::set<std::string> used;
        for (const std::string& c : L.incidents.categories) {
            std::string n = "c_" + field_suffix(c);
            while (used.count(n)) n += "_";
            used.insert(n);
            layer.add_field(n, io::FieldType::integer);
        }
        for (const std::string& p : s.periods) layer.add_field("p_" + field_suffix(p), io::FieldType::integer);
        if (!s.periods.empty()) {
            layer.add_field("trend", io::FieldType::real);
            layer.add_field("trend_p", io::FieldType::real);
            layer.add_field("change_pct", io::FieldType::real);
        }
        std::vector<double> rates;
        for (std::size_t k = 0; k < s.rows.size(); ++k) {
            const districts::DistrictRow& r = s.rows[k];
            std::vector<io::Value> v{r.name, static_cast<std::int64_t>(r.incidents)};
            if (L.incidents.has_weight) v.emplace_back(r.weight);
            v.insert(v.end(), {num(r.area_km2), num(r.per_km2), num(r.population), num(r.per_1k_pop), num(r.share_pct)});
            v.emplace_back(static_cast<std::int64_t>(r.rank));
            for (std::uint64_t c : r.by_category) v.emplace_back(static_cast<std::int64_t>(c));
            for (std::uint64_t c : r.by_period) v.emplace_back(static_cast<std::int64_t>(c));
            if (!s.periods.empty()) v.insert(v.end(), {num(r.trend), num(r.trend_p), num(r.change_pct)});
            layer.rows.push_back(std::move(v));
            layer.wkb.push_back(L.districts[k].geometry.to_wkb());
            rates.push_back(r.per_km2);
        }
        const auto breaks = report::quantile_breaks(rates, 5);
        layer.qml = report::graduated_qml("per_km2", io::GeomKind::polygon, breaks,
                                          report::ramp("YlOrRd", static_cast<int>(breaks.size()) - 1));
        write_layer(layer, m_output, m_common.overwrite, lg);
    }

private:
    void print_table(Io& io, const districts::Summary& s) const
    {
        std::size_t w = 8;
        for (const auto& r : s.rows) w = std::max(w, r.name.size());
        char buf[256];
        io.out << std::left << std::setw(static_cast<int>(w)) << "district";
        std::snprintf(buf, sizeof buf, " %9s %9s %9s %10s %7s %5s", "incidents", "area_km2", "per_km2", "per_1k_pop", "share%", "rank");
        io.out << buf;
        if (!s.periods.empty()) io.out << "   trend  trend_p  change%";
        io.out << "\n";
        for (const auto& r : s.rows) {
            io.out << std::left << std::setw(static_cast<int>(w)) << r.name;
            std::snprintf(buf, sizeof buf, " %9llu %9.3f %9.1f %10s %7.2f %5d", static_cast<unsigned long long>(r.incidents),
                          r.area_km2, r.per_km2, std::isfinite(r.per_1k_pop) ? std::to_string(r.per_1k_pop).substr(0, 8).c_str() : "-",
                          r.share_pct, r.rank);
            io.out << buf;
            if (!s.periods.empty()) {
                std::snprintf(buf, sizeof buf, " %7.3f %8.4f %8.1f", r.trend, r.trend_p, r.change_pct);
                io.out << buf;
            }
            io.out << "\n";
        }
        io.out << "outside every district: " << s.outside << "\n";
    }

    InputOptions m_input;
    DistrictOptions m_districts;
    CrsOptions m_crs;
    OutputOptions m_output;
    std::string m_period;
    districts::SummaryParams m_params;
};

} // namespace

std::unique_ptr<Command> make_districts_command() { return std::make_unique<DistrictsCommand>(); }

} // namespace hotmap::cli
