// SPDX-License-Identifier: MIT
// Memory estimates before large allocations: refuse with a clear message instead of being
// killed by the system half-way through a run.
#pragma once

#include <string>

namespace hotmap::resources {

/// Memory this process may use, in bytes: the limit set with set_memory_limit(), else the
/// system's available memory (MemAvailable), else its physical memory.
double available_memory() noexcept;

/// Override the memory this process may use (bytes; 0 = the system's). For tests and for
/// users who share a machine.
void set_memory_limit(double bytes) noexcept;

/// Throws ParameterError "<what> needs about <X> of memory, more than the <Y> available: <hint>"
/// when `bytes` exceeds 90% of available_memory().
void check_memory(double bytes, const std::string& what, const std::string& hint);

/// "25 m", "0.5 m": a length for messages.
std::string metres(double m);
/// "1.4 GB", "820 MB": a size for messages.
std::string human_bytes(double bytes);

} // namespace hotmap::resources
