// SPDX-License-Identifier: MIT
// Available memory from /proc/meminfo or sysconf.
#include "hotmap/resources.hpp"

#include "hotmap/error.hpp"

#include <atomic>
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

namespace hotmap::resources {
namespace {
std::atomic<double> g_limit{0};
} // namespace

double available_memory() noexcept
{
    if (const double l = g_limit.load(); l > 0) return l;
    std::ifstream f("/proc/meminfo");
    std::string key;
    double kb = 0;
    std::string unit;
    while (f >> key >> kb >> unit)
        if (key == "MemAvailable:") return kb * 1024.0;
    const long pages = ::sysconf(_SC_PHYS_PAGES), size = ::sysconf(_SC_PAGESIZE);
    if (pages > 0 && size > 0) return static_cast<double>(pages) * static_cast<double>(size);
    return 1e18; // unknown: do not refuse
}

void set_memory_limit(double bytes) noexcept { g_limit = bytes > 0 ? bytes : 0; }

void check_memory(double bytes, const std::string& what, const std::string& hint)
{
    const double avail = available_memory();
    if (bytes > 0.9 * avail)
        throw ParameterError(what + " needs about " + human_bytes(bytes) + " of memory, more than the " + human_bytes(avail) +
                             " available: " + hint);
}

std::string metres(double m)
{
    char b[64];
    std::snprintf(b, sizeof b, "%.6g m", m);
    return b;
}

std::string human_bytes(double bytes)
{
    char b[64];
    if (bytes >= 1e12) std::snprintf(b, sizeof b, "%.1f TB", bytes / 1e12);
    else if (bytes >= 1e9) std::snprintf(b, sizeof b, "%.1f GB", bytes / 1e9);
    else std::snprintf(b, sizeof b, "%.0f MB", bytes / 1e6);
    return b;
}

} // namespace hotmap::resources
