// SPDX-License-Identifier: MIT
// Command::execute: the fixed order help -> parse -> notify -> validate -> run.
#include "command.hpp"

#include "usage_json.hpp"

#include "hotmap/parallel.hpp"

#include <ostream>

namespace hotmap::cli {

void StderrLog::info(const std::string& message)
{
    if (m_common.verbose) m_err << "hotmap " << m_cmd << ": " << message << "\n";
}

void StderrLog::warning(const std::string& message)
{
    if (!m_common.quiet) m_err << "hotmap " << m_cmd << ": warning: " << message << "\n";
}

void Command::declare()
{
    if (m_declared) return;
    m_declared = true;
    add_options(m_groups, m_pos);
    OptionGroup common("Common");
    common.flag("help,h", &m_common.help, "show this help")
        .flag("verbose,v", &m_common.verbose, "echo every resolved setting and the row accounting to stderr")
        .flag("quiet,q", &m_common.quiet, "silence warnings")
        .flag("overwrite", &m_common.overwrite, "replace existing outputs")
        .flag("progress", &m_common.progress, "report progress on stderr as lines 'hotmap CMD: progress: P% WHAT' (for tools)")
        .flag("usage-json", &m_common.usage_json, "print this command's options as JSON (for tools) and exit")
        .integer("threads", &m_common.threads, 0, parallel::k_max_threads, "worker threads, 0 = all cores")
        .shows("all cores");
    m_groups.push_back(std::move(common));
}

const std::vector<OptionGroup>& Command::option_groups()
{
    declare();
    return m_groups;
}

const po::positional_options_description& Command::positional()
{
    declare();
    return m_pos;
}

void Command::report_progress(std::ostream& err, int percent, const std::string& what) const
{
    if (!m_common.progress) return;
    err << "hotmap " << name() << ": progress: " << percent << "%" << (what.empty() ? "" : " ") << what << "\n" << std::flush;
}

void Command::parse(const std::vector<std::string>& args)
{
    declare();
    po::options_description all;
    for (const auto& g : m_groups) all.add(g.description());
    po::store(po::command_line_parser(args).options(all).positional(m_pos).run(), m_vm);
    if (m_vm.count("help") && m_vm["help"].as<bool>()) {
        m_common.help = true;
        return;
    }
    if (m_vm.count("usage-json") && m_vm["usage-json"].as<bool>()) {
        m_common.usage_json = true;
        return;
    }
    po::notify(m_vm);
}

void Command::parse_only(const std::vector<std::string>& args)
{
    parse(args);
    if (!m_common.help && !m_common.usage_json) validate();
}

int Command::execute(const std::vector<std::string>& args, Io& io)
{
    parse(args);
    if (m_common.help) {
        print_help(io.out);
        return k_exit_ok;
    }
    if (m_common.usage_json) {
        io.out << usage_json(*this).dump(2) << "\n";
        return k_exit_ok;
    }
    validate();
    report_progress(io.err, 0, "started");
    run(io);
    report_progress(io.err, 100, "done");
    return k_exit_ok;
}

pipeline::StepResult Command::compute(pipeline::Inputs&, Log&)
{
    throw UsageError("'" + std::string(name()) + "' cannot be a step of hotmap run");
}

void Command::print_help(std::ostream& os)
{
    declare();
    os << "Usage: " << synopsis() << "\n\n" << summary() << "\n";
    for (const auto& g : m_groups) os << "\n" << g.description();
}

} // namespace hotmap::cli
