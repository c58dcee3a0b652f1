// SPDX-License-Identifier: MIT
// hotmap entry point: argv -> registry -> Command::execute -> exit code. The only catch site.
#include "command.hpp"
#include "registry.hpp"
#include "usage_json.hpp"

#include "hotmap/crs/crs.hpp"
#include "hotmap/error.hpp"
#include "hotmap/geom/geometry.hpp"
#include "hotmap/io/gdal_handles.hpp"
#include "hotmap/io/output_set.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/resources.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <optional>
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <new>

using namespace hotmap;
using namespace hotmap::cli;

namespace {

void print_usage(std::ostream& os)
{
    os << "Usage: hotmap COMMAND [OPTIONS]\n\nGeospatial incident analysis: where and when incidents concentrate, what\n"
          "facilities cover, and maps that open styled in QGIS.\n\nCommands:\n";
    for (const CommandInfo& c : commands()) os << "  " << std::left << std::setw(11) << c.name << c.summary << "\n";
    os << "\nUse 'hotmap COMMAND --help' for a command's options; 'hotmap --version' for versions;\n"
          "'hotmap [COMMAND] --usage-json' for the options as JSON (tools).\n";
}

/// Knobs for tests and operators, read once here (the library reads no environment):
/// HOTMAP_CHUNK_CAP=N cuts parallel work into chunks of at most N items, so that small test
/// inputs really run on several threads; HOTMAP_MEMORY_LIMIT=BYTES overrides the memory
/// available to the run.
/// A number with an optional K, M, G or T suffix (powers of 1024; "G", "GB" and "GiB" alike);
/// nullopt when it is not one.
std::optional<double> size_value(const char* text)
{
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text, &end);
    if (end == text || errno || !(v >= 0) || !std::isfinite(v)) return std::nullopt;
    std::string unit(end);
    for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const std::pair<const char*, double> units[] = {{"", 1.0}, {"K", 1024.0}, {"M", 1048576.0}, {"G", 1073741824.0}, {"T", 1099511627776.0}};
    for (const auto& [u, m] : units)
        for (const std::string suffix : {"", "B", "IB"})
            if (unit == std::string(u) + (*u ? suffix : "")) return v * m;
    return std::nullopt;
}

/// false (after a message) when a variable is set to something that is not a size
bool read_environment()
{
    if (const char* c = std::getenv("HOTMAP_CHUNK_CAP")) {
        const auto v = size_value(c);
        if (!v || *v < 1 || *v != std::floor(*v)) {
            std::cerr << "hotmap: error: HOTMAP_CHUNK_CAP='" << c << "': expected a whole number of items (at least 1)\n";
            return false;
        }
        parallel::set_chunk_cap(static_cast<std::size_t>(*v));
    }
    if (const char* m = std::getenv("HOTMAP_MEMORY_LIMIT")) {
        const auto v = size_value(m);
        if (!v || *v < 1) {
            std::cerr << "hotmap: error: HOTMAP_MEMORY_LIMIT='" << m << "': expected a number of bytes, e.g. 4000000000 or 4G\n";
            return false;
        }
        resources::set_memory_limit(*v);
    }
    return true;
}

/// Data and reports go to stdout: a failed write there (a full disk, a closed pipe) is a failed run.
int check_stdout(const std::string& prefix)
{
    errno = 0;
    std::cout.flush();
    if (!std::cout) {
        std::cerr << prefix << "cannot write to standard output: " << (errno ? std::strerror(errno) : "write error") << "\n";
        return k_exit_failure;
    }
    return k_exit_ok;
}

} // namespace

int main(int argc, char** argv)
{
    std::ios::sync_with_stdio(false);
    io::OutputSet::install_signal_cleanup();
    if (!read_environment()) return k_exit_usage;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        if (args.size() >= 2 && args[0] == "help") {
            if (const CommandInfo* c = find_command(args[1])) {
                c->make()->print_help(std::cout);
                return check_stdout("hotmap: error: ");
            }
        }
        print_usage(args.empty() ? std::cerr : std::cout);
        return args.empty() ? k_exit_usage : check_stdout("hotmap: error: ");
    }
    if (args[0] == "--usage-json") {
        std::cout << usage_json_all().dump(2) << "\n";
        return check_stdout("hotmap: error: ");
    }
    if (args[0] == "--version") {
        std::cout << "hotmap " << HOTMAP_VERSION << " (GDAL " << io::gdal_version() << ", GEOS " << geom::geos_version() << ", PROJ "
                  << crs::proj_version() << ")\n";
        return check_stdout("hotmap: error: ");
    }
    const CommandInfo* info = find_command(args[0]);
    if (!info) {
        std::cerr << "hotmap: error: unknown command '" << args[0] << "' (see 'hotmap --help')\n";
        return k_exit_usage;
    }
    const std::string prefix = "hotmap " + std::string(info->name) + ": error: ";
    Io io{std::cout, std::cerr};
    try {
        std::unique_ptr<Command> cmd = info->make();
        const int rc = cmd->execute(std::vector<std::string>(args.begin() + 1, args.end()), io);
        return rc == k_exit_ok ? check_stdout(prefix) : rc;
    } catch (const UsageError& e) {
        std::cerr << prefix << e.what() << "\n";
        return k_exit_usage;
    } catch (const po::error& e) {
        std::cerr << prefix << e.what() << "\n";
        return k_exit_usage;
    } catch (const ParameterError& e) {
        std::cerr << prefix << e.what() << "\n";
        return k_exit_usage;
    } catch (const hotmap::Error& e) {
        std::cerr << prefix << e.what() << "\n";
        return k_exit_failure;
    } catch (const std::bad_alloc&) {
        std::cerr << prefix << "out of memory (try a smaller extent, a larger cell size or fewer threads)\n";
        return k_exit_failure;
    } catch (const std::exception& e) {
        std::cerr << prefix << e.what() << "\n";
        return k_exit_failure;
    }
}
