// SPDX-License-Identifier: MIT
// hotmap districts: incidents per district (counts, rates, categories, periods, trend).
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/pipeline/districts.hpp"
#include "hotmap/report/tables.hpp"

#include <ostream>

#include <memory>

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
    void add_options(std::vector<OptionGroup>& groups, po::positional_options_description&) override
    {
        OptionGroup own("Command options");
        own.choice("period", &m_period, {"none", "day", "week", "month", "quarter", "year"}, "per-period counts").shows("none")
            .text("by", &m_by, "time profiles: hour-of-week (7 x 24 counts, Monday 00h first), month (calendar months 1..12 "
                               "across years), or hour-of-week,month")
            .shows("none")
            .flag("aggregate-in-database", &m_input.in_database,
                  "count on the PostgreSQL/PostGIS server (-i PG:... --layer TABLE): the districts go to the server, only the "
                  "counts per district travel");
        add_batch_option(own, m_input);
        groups.push_back(std::move(own));
        groups.push_back(m_publication.describe());
        groups.push_back(m_input.describe());
        groups.push_back(m_districts.describe(true));
        groups.push_back(m_crs.describe());
        groups.push_back(m_output.describe(false, "output layer (.geojson .shp .gpkg .fgb .csv); default: a table on stdout"));
    }

    void validate() override
    {
        m_params.min_count = m_publication.k();
        m_input.drop_categories = m_dropped = m_publication.dropped(true);
        m_input.clip_margin_m = 0.0; // incidents outside every district are in no row
        if (!m_districts.given()) throw UsageError("the option '--districts' is required but missing");
        m_params.period = districts::parse_period(m_period);
        pipeline::parse_by(m_by, m_params);
        m_input.streamable = true;
        m_output.check();
        (void)m_input.filter();
        if (m_input.batch_rows && m_input.in_database) throw UsageError("--batch-rows and --aggregate-in-database exclude each other");
        if (m_input.in_database && !io::is_postgis_source(m_input.src.path))
            throw UsageError("--aggregate-in-database needs a PostgreSQL/PostGIS source (-i \"PG:dbname=... host=...\" --layer TABLE), "
                             "not '" + m_input.src.path + "'");
    }

    void run(Io& io) override
    {
        StderrLog log(name(), m_common, io.err);
        io::OutputSet outs(m_common.overwrite);
        protect_inputs(outs, m_input, &m_districts);
        const io::Staged* out = m_output.given() ? &m_output.stage(outs) : nullptr;
        const pipeline::Inputs in = load_inputs(m_input, &m_districts, m_crs, m_common, outs, log);
        const pipeline::DistrictsResult r = pipeline::summarise_districts(m_params, in, log);
        write_late_rejects(in, m_input, log);
        if (out) write_layer(r.layer, *out, m_output, log);
        outs.commit();
        if (!out) io.out << report::districts_table(r.summary) << report::time_profile_table(r.summary);
    }


    pipeline::StepResult compute(pipeline::Inputs& in, Log& log) override
    {
        auto r = std::make_shared<const pipeline::DistrictsResult>(pipeline::summarise_districts(m_params, in, log));
        pipeline::StepResult s;
        s.layers.push_back({"output", "", &r->layer, nullptr, {}});
        s.table = report::districts_table(r->summary) + report::time_profile_table(r->summary);
        s.result = r;
        return s;
    }

private:
    InputOptions m_input;
    DistrictOptions m_districts;
    CrsOptions m_crs;
    OutputOptions m_output;
    PublicationOptions m_publication;
    std::string m_period = "none", m_by = "none";
    pipeline::DistrictsParams m_params;
};

} // namespace

std::unique_ptr<Command> make_districts_command() { return std::make_unique<DistrictsCommand>(); }

} // namespace hotmap::cli
