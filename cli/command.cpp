// SPDX-License-Identifier: MIT
// Command::execute: the fixed order help -> parse -> notify -> validate -> run.
#include "command.hpp"

#include <iostream>

namespace hotmap::cli {

void Command::declare()
{
    if (m_declared) return;
    m_declared = true;
    add_options(m_groups, m_pos);
    po::options_description common("Common");
    common.add_options()
        ("help,h", po::bool_switch(&m_common.help), "show this help")
        ("verbose,v", po::bool_switch(&m_common.verbose), "echo every resolved setting and the row accounting to stderr")
        ("quiet,q", po::bool_switch(&m_common.quiet), "silence warnings")
        ("overwrite", po::bool_switch(&m_common.overwrite), "replace existing outputs")
        ("threads", po::value<unsigned>(&m_common.threads)->default_value(0, "all cores"), "worker threads");
    m_groups.push_back(common);
}

void Command::parse(const std::vector<std::string>& args)
{
    declare();
    po::options_description all;
    for (const auto& g : m_groups) all.add(g);
    try {
        po::store(po::command_line_parser(args).options(all).positional(m_pos).run(), m_vm);
        if (m_vm.count("help") && m_vm["help"].as<bool>()) {
            m_common.help = true;
            return;
        }
        po::notify(m_vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
}

void Command::parse_only(const std::vector<std::string>& args)
{
    parse(args);
    if (!m_common.help) validate();
}

int Command::execute(const std::vector<std::string>& args, Io& io)
{
    parse(args);
    if (m_common.help) {
        print_help(io.out);
        return k_exit_ok;
    }
    validate();
    run(io);
    return k_exit_ok;
}

void Command::print_help(std::ostream& os)
{
    declare();
    os << "Usage: " << synopsis() << "\n\n" << summary() << "\n";
    for (const auto& g : m_groups) os << "\n" << g;
}

void Command::verbose(Io& io, const std::string& msg) const
{
    if (m_common.verbose) io.err << "hotmap " << name() << ": " << msg << "\n";
}

void Command::warn(Io& io, const std::string& msg) const
{
    if (!m_common.quiet) io.err << "hotmap " << name() << ": warning: " << msg << "\n";
}

Log Command::log(Io& io) const { return Log{name(), m_common.verbose, m_common.quiet, io.err}; }

std::function<void(double)> check_positive(const std::string& option)
{
    return [option](double v) {
        if (!(v > 0)) throw UsageError("--" + option + " must be positive, got " + std::to_string(v));
    };
}

std::function<void(int)> check_at_least(const std::string& option, int min)
{
    return [option, min](int v) {
        if (v < min) throw UsageError("--" + option + " must be at least " + std::to_string(min) + ", got " + std::to_string(v));
    };
}

} // namespace hotmap::cli

namespace hotmap::cli {

void Log::v(const std::string& msg) const
{
    if (verbose_on) err << "hotmap " << cmd << ": " << msg << "\n";
}
void Log::w(const std::string& msg) const
{
    if (!quiet) err << "hotmap " << cmd << ": warning: " << msg << "\n";
}

} // namespace hotmap::cli
