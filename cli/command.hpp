// SPDX-License-Identifier: MIT
// Command base class (non-virtual execute: help, parse, validate, run) and CLI errors.
#pragma once

#include <boost/program_options.hpp>

#include <functional>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hotmap::cli {

namespace po = boost::program_options;

/// A usage error (unknown option, bad value, conflicting options): exit code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum ExitCode : int { k_exit_ok = 0, k_exit_failure = 1, k_exit_usage = 2 };

struct Log;

/// Where a command writes: stdout for data and reports, stderr for messages.
struct Io {
    std::ostream& out;
    std::ostream& err;
};

/// Options every command has.
struct CommonOptions {
    bool help = false;
    bool verbose = false;
    bool quiet = false;
    bool overwrite = false;
    unsigned threads = 0;
};

/// Base of every subcommand. Subclasses declare options bound to members, validate
/// cross-option rules, and run by calling the library. They never catch exceptions:
/// main() is the one catch site.
class Command {
public:
    virtual ~Command() = default;

    /// Parse args (without the command name), print help or run. Returns the exit code of
    /// a successful run (0); throws on failure.
    int execute(const std::vector<std::string>& args, Io& io);
    /// Parse and validate only (for tests); throws UsageError.
    void parse_only(const std::vector<std::string>& args);

    virtual std::string_view name() const noexcept = 0;
    virtual std::string_view summary() const noexcept = 0;
    virtual std::string synopsis() const { return "hotmap " + std::string(name()) + " [OPTIONS]"; }
    /// Print the full help text.
    void print_help(std::ostream& os);

protected:
    /// Declare options: groups are printed in the order they are added.
    virtual void add_options(std::vector<po::options_description>& groups, po::positional_options_description& pos) = 0;
    virtual void validate() {}
    virtual void run(Io& io) = 0;

    /// Messages: verbose lines and warnings go to stderr with the command's prefix.
    void verbose(Io& io, const std::string& msg) const;
    void warn(Io& io, const std::string& msg) const;
    /// A Log for shared helpers.
    Log log(Io& io) const;

    CommonOptions m_common;
    po::variables_map m_vm;

private:
    void parse(const std::vector<std::string>& args);
    std::vector<po::options_description> m_groups;
    po::positional_options_description m_pos;
    bool m_declared = false;
    void declare();
};

/// Notifier checks, for options bound to members.
std::function<void(double)> check_positive(const std::string& option);
std::function<void(int)> check_at_least(const std::string& option, int min);

} // namespace hotmap::cli

namespace hotmap::cli {

/// Verbose/warning sink handed to shared helpers (option groups, loaders).
struct Log {
    std::string_view cmd;
    bool verbose_on = false;
    bool quiet = false;
    std::ostream& err;
    void v(const std::string& msg) const;
    void w(const std::string& msg) const;
};

} // namespace hotmap::cli
