// SPDX-License-Identifier: MIT
// hotmap synth: write a realistic synthetic data set (incidents, districts, facilities, ...).
#include "registry.hpp"

#include "hotmap/synth/kalemie.hpp"
#include "hotmap/synth/writer.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>

namespace hotmap::cli {
namespace {

std::string shortest(double v)
{
    char b[32];
    const auto r = std::to_chars(b, b + sizeof b, v);
    return std::string(b, r.ptr);
}

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
    void add_options(std::vector<po::options_description>& groups, po::positional_options_description&) override
    {
        po::options_description own("Command options");
        own.add_options()
            ("preset", po::value<std::string>(&m_params.preset)->default_value("kalemie"), "city model: kalemie")
            ("output,o", po::value<std::string>(&m_dir)->required(), "output folder (created when missing)")
            ("incidents", po::value<std::uint64_t>(&m_params.incidents.count)->default_value(50000), "number of incident rows")
            ("seed", po::value<std::uint64_t>(&m_params.incidents.seed)->default_value(1), "random seed of the incidents")
            ("dirty", po::value<double>(&m_params.incidents.dirty)->default_value(0.0, "0"),
             "share of rows with a defect (swapped lat/lon, empty or non-numeric coordinates, (0,0), bad dates)")
            ("incidents-only", po::bool_switch(&m_params.incidents_only), "write only incidents.csv (benchmarks)");
        groups.push_back(own);
    }

    void validate() override
    {
        const auto names = synth::preset_names();
        if (std::find(names.begin(), names.end(), m_params.preset) == names.end())
            throw UsageError("--preset '" + m_params.preset + "': unknown (known: kalemie)");
        if (m_params.incidents.count < 1 || m_params.incidents.count > 1'000'000'000ull)
            throw UsageError("--incidents must lie in 1..1000000000, got " + std::to_string(m_params.incidents.count));
        if (!(m_params.incidents.dirty >= 0 && m_params.incidents.dirty <= 1))
            throw UsageError("--dirty must lie in [0, 1], got " + shortest(m_params.incidents.dirty));
    }

    void run(Io& io) override
    {
        m_params.incidents.threads = m_common.threads;
        m_params.overwrite = m_common.overwrite;
        m_params.command = "hotmap synth --preset " + m_params.preset + " --incidents " +
                           std::to_string(m_params.incidents.count) +
                           (m_params.incidents.dirty > 0 ? " --dirty " + shortest(m_params.incidents.dirty) : "") +
                           " --seed " + std::to_string(m_params.incidents.seed) +
                           (m_params.incidents_only ? " --incidents-only" : "") + " -o " + m_dir;
        verbose(io, "preset " + m_params.preset + ", " + std::to_string(m_params.incidents.count) + " incidents, seed " +
                        std::to_string(m_params.incidents.seed) + ", dirty share " + shortest(m_params.incidents.dirty) +
                        ", threads " + (m_common.threads ? std::to_string(m_common.threads) : std::string("all cores")));
        const auto t0 = std::chrono::steady_clock::now();
        const synth::City city = synth::make_city(m_params.preset);
        const synth::DatasetReport rep = synth::write_dataset(city, m_dir, m_params);
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        for (const std::string& f : rep.files) verbose(io, "wrote " + f);
        std::string dirty;
        for (std::size_t k = 1; k < synth::k_defect_kinds; ++k)
            dirty += std::string(dirty.empty() ? "" : ", ") + std::string(synth::to_string(static_cast<synth::Defect>(k))) +
                     " " + std::to_string(rep.csv.defects[k]);
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.2f s", secs);
        verbose(io, std::to_string(rep.csv.rows) + " rows (" + std::to_string(rep.csv.bytes) + " bytes), " +
                        std::to_string(rep.csv.dirty()) + " dirty (" + dirty + ") in " + buf);
    }

private:
    synth::DatasetParams m_params;
    std::string m_dir;
};

} // namespace

std::unique_ptr<Command> make_synth_command() { return std::make_unique<SynthCommand>(); }

} // namespace hotmap::cli
