// SPDX-License-Identifier: MIT
// hotmap synth: write a realistic synthetic data set (incidents, districts, facilities, ...).
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/synth/kalemie.hpp"
#include "hotmap/text.hpp"
#include "hotmap/synth/writer.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>

namespace hotmap::cli {
namespace {

class SynthCommand final : public Command {
public:
    std::string_view name() const noexcept override { return "synth"; }
    std::string_view summary() const noexcept override
    {
        return "Realistic synthetic data sets for demos, tests and benchmarks: clustered incidents over two years (with "
               "planted stable, emerging and fading hotspots and optional dirty rows), districts, police stations, "
               "container posts, street lamps, patrol routes and the planted hotspots' answer key. Same --seed, same "
               "bytes, whatever --threads.";
    }
    std::string synopsis() const override { return "hotmap synth [--preset kalemie] -o DIR [OPTIONS]"; }

protected:
    void add_options(std::vector<OptionGroup>& groups, po::positional_options_description&) override
    {
        OptionGroup own("Command options");
        own.choice("preset", &m_params.preset, synth::preset_names(), "city model: kalemie")
            .output("output,o", &m_dir, PathKind::folder, "output folder (created when missing)").required()
            .integer("incidents", &m_params.incidents.count, 1, 1'000'000'000, "number of incident rows")
            .integer("seed", &m_params.incidents.seed, 0, std::numeric_limits<long long>::max(), "random seed of the incidents")
            .number("dirty", &m_params.incidents.dirty, 0, 1, false,
                    "share of rows with a defect (swapped lat/lon, empty or non-numeric coordinates, (0,0), bad dates)")
            .flag("incidents-only", &m_params.incidents_only, "write only incidents.csv (benchmarks)");
        groups.push_back(std::move(own));
    }

    void run(Io& io) override
    {
        StderrLog log(name(), m_common, io.err);
        m_params.incidents.threads = m_common.threads;
        m_params.overwrite = m_common.overwrite;
        m_params.command = "hotmap synth --preset " + m_params.preset + " --incidents " + std::to_string(m_params.incidents.count) +
                           (m_params.incidents.dirty > 0 ? " --dirty " + text::shortest(m_params.incidents.dirty) : "") + " --seed " +
                           std::to_string(m_params.incidents.seed) + (m_params.incidents_only ? " --incidents-only" : "") + " -o " + m_dir;
        log.info("preset " + m_params.preset + ", " + std::to_string(m_params.incidents.count) + " incidents, seed " +
                 std::to_string(m_params.incidents.seed) + ", dirty share " + text::shortest(m_params.incidents.dirty) + ", threads " +
                 (m_common.threads ? std::to_string(m_common.threads) : std::string("all cores")));
        const auto t0 = std::chrono::steady_clock::now();
        const synth::City city = synth::make_city(m_params.preset);
        const synth::DatasetReport rep = synth::write_dataset(city, m_dir, m_params);
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        for (const std::string& f : rep.files) log.info("wrote " + f);
        std::string dirty;
        for (std::size_t k = 1; k < synth::k_defect_kinds; ++k)
            dirty += std::string(dirty.empty() ? "" : ", ") + std::string(synth::to_string(static_cast<synth::Defect>(k))) + " " +
                     std::to_string(rep.csv.defects[k]);
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.2f s", secs);
        log.info(std::to_string(rep.csv.rows) + " rows (" + std::to_string(rep.csv.bytes) + " bytes), " + std::to_string(rep.csv.dirty()) +
                 " dirty (" + dirty + ") in " + buf);
    }

private:
    synth::DatasetParams m_params;
    std::string m_dir;
};

} // namespace

std::unique_ptr<Command> make_synth_command() { return std::make_unique<SynthCommand>(); }

} // namespace hotmap::cli
