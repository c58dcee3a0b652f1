// SPDX-License-Identifier: MIT
// hotmap info: what is in the incident file (accounting, CRS, extent, time range, categories).
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/pipeline/info.hpp"
#include "hotmap/report/tables.hpp"
#include "hotmap/timeparse.hpp"

#include <nlohmann/json.hpp>

#include <ostream>

namespace hotmap::cli {
namespace {

class InfoCommand final : public Command {
public:
    std::string_view name() const noexcept override { return "info"; }
    std::string_view summary() const noexcept override
    {
        return "What is in the incident file: rows read/accepted/filtered/rejected by reason, CRS, extent, time range, "
               "categories.";
    }

protected:
    void add_options(std::vector<OptionGroup>& groups, po::positional_options_description& pos) override
    {
        OptionGroup own("Command options");
        own.flag("json", &m_json, "print JSON instead of a table");
        add_batch_option(own, m_input);
        groups.push_back(std::move(own));
        groups.push_back(m_input.describe());
        groups.push_back(m_districts.describe(false));
        groups.push_back(m_crs.describe());
        pos.add("incidents", 1);
    }

    void validate() override
    {
        m_input.streamable = true; // a summary of counts, extents and sums
        (void)m_input.filter();
    }

    void run(Io& io) override
    {
        StderrLog log(name(), m_common, io.err);
        io::OutputSet outs(m_common.overwrite);
        protect_inputs(outs, m_input, &m_districts);
        const pipeline::Inputs in = load_inputs(m_input, &m_districts, m_crs, m_common, outs, log);
        const pipeline::InfoResult r = pipeline::describe(in, log);
        write_late_rejects(in, m_input, log);
        outs.commit();
        if (!m_json) {
            io.out << report::info_table(in, r);
            return;
        }
        const IncidentSet& s = in.incidents;
        const Accounting& a = r.accounting;
        nlohmann::ordered_json j;
        j["source"] = s.source;
        j["columns"] = {{"x", s.resolved_x}, {"y", s.resolved_y}, {"wkt", s.resolved_wkt}, {"time", s.resolved_time},
                        {"time_format", s.time_format}, {"category", s.resolved_category}, {"weight", s.resolved_weight}};
        j["working_crs"] = in.working.id();
        j["rows"] = {{"read", a.read}, {"accepted", a.accepted}, {"filtered", a.filtered}, {"rejected", a.rejected},
                     {"filtered_by", a.filtered_by}, {"rejected_by", a.rejected_by}};
        if (!r.extent.empty()) j["extent"] = {r.extent.xmin, r.extent.ymin, r.extent.xmax, r.extent.ymax};
        if (r.time_range) j["time_range"] = {timeparse::format(r.time_range->first), timeparse::format(r.time_range->second)};
        j["missing_time"] = r.missing_time;
        nlohmann::ordered_json cats = nlohmann::ordered_json::object();
        for (std::size_t c = 0; c < r.categories.size(); ++c) cats[r.categories[c]] = r.per_category[c];
        j["categories"] = cats;
        j["total_weight"] = r.total_weight;
        // text from the file that is not UTF-8 is replaced, never a raw exception
        io.out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }

private:
    InputOptions m_input;
    DistrictOptions m_districts;
    CrsOptions m_crs;
    bool m_json = false;
};

} // namespace

std::unique_ptr<Command> make_info_command() { return std::make_unique<InfoCommand>(); }

} // namespace hotmap::cli
