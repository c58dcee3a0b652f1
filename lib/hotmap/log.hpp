// SPDX-License-Identifier: MIT
// Where the library reports what it decided (the resolved settings, shown with -v) and what it
// noticed (warnings, shown unless -q). The library never prints: the caller decides.
#pragma once

#include <string>
#include <vector>

namespace hotmap {

class Log {
public:
    virtual ~Log() = default;
    /// A resolved setting or a count (hotmap's -v).
    virtual void info(const std::string& message) = 0;
    /// Something the user should know: rows rejected, districts repaired (unless -q).
    virtual void warning(const std::string& message) = 0;
};

/// Drops everything.
class NullLog final : public Log {
public:
    void info(const std::string&) override {}
    void warning(const std::string&) override {}
};

/// Keeps everything (tests, and `hotmap run` for its report).
class MemoryLog final : public Log {
public:
    std::vector<std::string> infos, warnings;
    void info(const std::string& m) override { infos.push_back(m); }
    void warning(const std::string& m) override { warnings.push_back(m); }
};

} // namespace hotmap
