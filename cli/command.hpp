// SPDX-License-Identifier: MIT
// Command base class (non-virtual execute: help, parse, validate, run) and CLI errors.
#pragma once

#include "options.hpp"

#include "hotmap/log.hpp"
#include "hotmap/pipeline/batch.hpp"
#include "hotmap/pipeline/inputs.hpp"

#include <iosfwd>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hotmap::cli {

/// A usage error (unknown option, bad value, conflicting options): exit code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum ExitCode : int { k_exit_ok = 0, k_exit_failure = 1, k_exit_usage = 2 };

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
    bool progress = false;   ///< machine-readable "progress: P%" lines on stderr
    bool usage_json = false; ///< print the declarations as JSON instead of running
    unsigned threads = 0;
};

/// The library's Log for a command: "hotmap <cmd>: ..." lines on stderr, -v and -q obeyed.
class StderrLog final : public Log {
public:
    StderrLog(std::string_view cmd, const CommonOptions& common, std::ostream& err) : m_cmd(cmd), m_common(common), m_err(err) {}
    void info(const std::string& message) override;
    void warning(const std::string& message) override;

private:
    std::string m_cmd;
    const CommonOptions& m_common;
    std::ostream& m_err;
};

/// Base of every subcommand. Subclasses declare options bound to members, validate
/// cross-option rules, and run by calling one library pipeline and writing its results.
/// They never catch exceptions: main() is the one catch site.
class Command {
public:
    virtual ~Command() = default;

    /// Parse args (without the command name), print help or run. Returns the exit code of
    /// a successful run (0); throws on failure.
    int execute(const std::vector<std::string>& args, Io& io);
    /// Parse and validate only (for tests); throws UsageError or po::error.
    void parse_only(const std::vector<std::string>& args);

    virtual std::string_view name() const noexcept = 0;
    virtual std::string_view summary() const noexcept = 0;
    virtual std::string synopsis() const { return "hotmap " + std::string(name()) + " [OPTIONS]"; }
    /// Print the full help text.
    void print_help(std::ostream& os);
    /// Every option group, declared (for --help and tools).
    const std::vector<OptionGroup>& option_groups();
    /// The positional arguments, declared (`hotmap run CONFIG`).
    const po::positional_options_description& positional();
    /// With --progress: "hotmap CMD: progress: P% WHAT" on `err` (P in 0..100).
    void report_progress(std::ostream& err, int percent, const std::string& what) const;

    /// `hotmap run`: this command's results on inputs already loaded (and restricted to the
    /// step's filters), after parse_only(): the pipeline's result and the outputs its options
    /// ask for (role = the output option's name, "output" for -o). Commands that cannot be a
    /// step keep this default, which throws UsageError.
    virtual pipeline::StepResult compute(pipeline::Inputs& in, Log& log);
    /// Common options as parsed (threads, verbose).
    const CommonOptions& common() const noexcept { return m_common; }
    /// The sensitive categories this command's outputs leave out (--sensitive below district
    /// level), for `hotmap run`, which reads the inputs once.
    const std::vector<std::string>& dropped_categories() const noexcept { return m_dropped; }

protected:
    /// Declare options: groups are printed in the order they are added.
    virtual void add_options(std::vector<OptionGroup>& groups, po::positional_options_description& pos) = 0;
    virtual void validate() {}
    virtual void run(Io& io) = 0;

    CommonOptions m_common;
    std::vector<std::string> m_dropped; ///< see dropped_categories(); set in validate()
    po::variables_map m_vm;

private:
    void parse(const std::vector<std::string>& args);
    void declare();
    std::vector<OptionGroup> m_groups;
    po::positional_options_description m_pos;
    bool m_declared = false;
};

/// The step of a command whose result has one layer, `layer` (Command::compute). A streamed
/// layer is materialised: the batch report reads its rows, and the step's inputs change after.
template <class Result>
pipeline::StepResult one_layer_step(Result&& result)
{
    std::decay_t<Result> held = std::forward<Result>(result);
    held.layer.materialise();
    auto r = std::make_shared<const std::decay_t<Result>>(std::move(held));
    pipeline::StepResult s;
    s.layers.push_back({"output", "", &r->layer, nullptr, {}});
    s.result = r;
    return s;
}

} // namespace hotmap::cli
