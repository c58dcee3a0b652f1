// SPDX-License-Identifier: MIT
// hotmap coverage: what posts, patrol routes and lamps reach, and the gaps they leave.
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/error.hpp"
#include "hotmap/pipeline/coverage.hpp"
#include "hotmap/report/tables.hpp"

#include <filesystem>
#include <ostream>
#include <set>

#include <memory>

namespace hotmap::cli {
namespace {

class CoverageCommand final : public Command {
public:
    std::string_view name() const noexcept override { return "coverage"; }
    std::string_view summary() const noexcept override
    {
        return "What posts, patrol routes and lamps cover: nearest facility and coverage per incident, covered area and "
               "incidents per district, ranked gap polygons, distance-to-facility raster.";
    }

protected:
    void add_options(std::vector<OptionGroup>& groups, po::positional_options_description&) override
    {
        OptionGroup own("Command options");
        own.output("incident-output", &m_incident_out, PathKind::vector, "per-incident layer: nearest_id, nearest_m, covered, n_within (+ snap_m with --streets)")
            .output("gaps", &m_gaps_out, PathKind::vector, "gap polygons (districts minus the service area), ranked by incidents; with --streets: the streets "
                                                           "beyond reach (lines), ranked by uncovered incidents")
            .output("covered-area", &m_covered_out, PathKind::vector, "the service area clipped to the districts; with --streets: the streets within reach (lines)")
            .output("distance-raster", &m_raster_out, PathKind::raster, "GeoTIFF of the distance to the nearest facility (m)")
            .metres("cell", &m_params.raster_cell_m, 1e6, "cell size of --distance-raster, metres")
            .number("min-gap-area", &m_params.min_gap_area_m2, 0, 1e15, false, "drop gap parts smaller than this, m2")
            .number("min-gap-length", &m_params.min_gap_length_m, 0, 1e9, false,
                    "with --streets: drop uncovered stretches of street shorter than this, m")
            .integer("buffer-segments", &m_params.quadsegs, 1, 256, "segments per quarter circle of the service-area buffers");
        add_batch_option(own, m_input);
        groups.push_back(std::move(own));
        groups.push_back(m_facilities.describe());
        groups.push_back(m_publication.describe(false, true, true));
        groups.push_back(m_streets.describe());
        groups.push_back(m_input.describe());
        groups.push_back(m_districts.describe(true));
        groups.push_back(m_crs.describe());
        groups.push_back(m_output.describe(false, "per-district layer (.geojson .shp .gpkg .fgb .csv; -f and --layer-name apply to it); "
                                                  "default: a table on stdout"));
    }

    void validate() override
    {
        m_facilities.check();
        const std::pair<const char*, const std::string*> needs_districts[] = {
            {"--output", &m_output.path}, {"--gaps", &m_gaps_out}, {"--covered-area", &m_covered_out}, {"--distance-raster", &m_raster_out}};
        if (m_streets.given() && !m_raster_out.empty())
            throw UsageError("--distance-raster is straight-line only: it cannot be combined with --streets");
        for (const auto& [opt, path] : needs_districts)
            if (!path->empty() && !m_districts.given() && !(m_streets.given() && (path == &m_gaps_out || path == &m_covered_out)))
                throw UsageError(std::string(opt) + " needs --districts");
        m_output.check();
        for (const std::string* p : {&m_incident_out, &m_gaps_out, &m_covered_out})
            if (!p->empty()) io::driver_for(*p, "");
        if (!m_raster_out.empty() && io::extension_of(m_raster_out) != ".tif" && io::extension_of(m_raster_out) != ".tiff")
            throw UsageError("--distance-raster '" + m_raster_out + "': expected a .tif path");
        std::set<std::string> seen;
        for (const std::string* p : {&m_output.path, &m_incident_out, &m_gaps_out, &m_covered_out, &m_raster_out})
            if (!p->empty() && !seen.insert(*p).second) throw UsageError("output '" + *p + "' is given twice");
        m_params.incident_layer = !m_incident_out.empty();
        m_params.geomask = m_publication.donut();
        m_params.public_fields = m_publication.public_profile;
        m_params.min_count = m_publication.k();
        m_input.drop_categories = m_dropped = m_publication.dropped(false);
        m_params.incident_geometry = m_params.incident_layer && io::driver_for(m_incident_out, "") != "CSV";
        m_params.gaps = !m_gaps_out.empty();
        m_params.covered_area = !m_covered_out.empty();
        m_params.distance_raster = !m_raster_out.empty();
        m_params.district_layer = m_output.given();
        m_params.district_rows = m_output.given() || m_incident_out.empty();
        m_params.streets = m_streets.params;
        m_params.streets.strict = m_input.src.strict;
        // straight-line coverage without the per-incident layer needs counts only
        m_input.streamable = !m_streets.given() && !m_params.incident_layer;
        if (m_input.batch_rows && m_streets.given())
            throw UsageError("--batch-rows: coverage along the streets needs the incidents held (read without it)");
        if (m_input.batch_rows && m_params.incident_layer)
            throw UsageError("--batch-rows: the per-incident layer (--incident-output) needs the incidents held (read without it)");
        (void)m_input.filter();
    }

    void run(Io& io) override
    {
        StderrLog log(name(), m_common, io.err);
        io::OutputSet outs(m_common.overwrite);
        protect_inputs(outs, m_input, &m_districts, &m_facilities, &m_streets);
        const auto stage = [&](const std::string& path) {
            return path.empty() ? nullptr : &outs.add(path, io::vector_sidecars(path, "", true));
        };
        const io::Staged* out = m_output.given() ? &m_output.stage(outs) : nullptr;
        const io::Staged* inc = stage(m_incident_out);
        const io::Staged* gaps = stage(m_gaps_out);
        const io::Staged* covered = stage(m_covered_out);
        const io::Staged* raster = m_raster_out.empty() ? nullptr : &outs.add(m_raster_out, io::raster_sidecars());
        for (const coverage::FacilitySpec& s : m_facilities.params.specs) {
            std::error_code ec;
            if (s.path.find(':') == std::string::npos && s.path.rfind("/vsi", 0) != 0 && !std::filesystem::exists(s.path, ec))
                throw InputError(s.path + ": cannot open: no such file");
        }
        const pipeline::Inputs in = load_inputs(m_input, &m_districts, m_crs, m_common, outs, log);
        const std::vector<coverage::Facility> fac = pipeline::load_facilities(m_facilities.params, in.working, log);
        const pipeline::CoverageResult r = pipeline::measure_coverage(m_params, in, fac, log);
        write_late_rejects(in, m_input, log);
        const auto write = [&](const std::optional<io::VectorLayer>& layer, const io::Staged* s, const OutputOptions& o) {
            if (s && layer) write_layer(*layer, *s, o, log);
        };
        const auto plain = [](const std::string& path) {
            OutputOptions o;
            o.path = path;
            return o;
        };
        write(r.incident_layer, inc, plain(m_incident_out));
        write(r.covered_layer, covered, plain(m_covered_out));
        write(r.gap_layer, gaps, plain(m_gaps_out));
        if (raster) io::write_geotiff(*r.distance_raster, *raster);
        write(r.district_layer, out, m_output);
        outs.commit();
        if (!out && m_params.district_rows) io.out << report::coverage_table(r, r.n_incidents);
    }


    pipeline::StepResult compute(pipeline::Inputs& in, Log& log) override
    {
        const std::vector<coverage::Facility> fac = pipeline::load_facilities(m_facilities.params, in.working, log);
        pipeline::CoverageResult held = pipeline::measure_coverage(m_params, in, fac, log);
        // the batch report reads the rows, and the step's inputs change after: held layers
        for (auto* l : {&held.incident_layer, &held.covered_layer, &held.gap_layer, &held.district_layer})
            if (*l) (*l)->materialise();
        auto r = std::make_shared<const pipeline::CoverageResult>(std::move(held));
        pipeline::StepResult s;
        if (r->district_layer) s.layers.push_back({"output", "", &*r->district_layer, nullptr, {}});
        if (r->incident_layer) s.layers.push_back({"incident-output", "", &*r->incident_layer, nullptr, {}});
        if (r->covered_layer) s.layers.push_back({"covered-area", "", &*r->covered_layer, nullptr, {}});
        if (r->gap_layer) s.layers.push_back({"gaps", "", &*r->gap_layer, nullptr, {}});
        if (r->distance_raster) s.layers.push_back({"distance-raster", "", nullptr, &*r->distance_raster, {}});
        if (m_params.district_rows) s.table = report::coverage_table(*r, r->n_incidents);
        s.result = r;
        return s;
    }

private:
    InputOptions m_input;
    DistrictOptions m_districts;
    CrsOptions m_crs;
    OutputOptions m_output;
    PublicationOptions m_publication;
    FacilityOptions m_facilities;
    StreetOptions m_streets;
    std::string m_incident_out, m_gaps_out, m_covered_out, m_raster_out;
    pipeline::CoverageParams m_params;
};

} // namespace

std::unique_ptr<Command> make_coverage_command() { return std::make_unique<CoverageCommand>(); }

} // namespace hotmap::cli
