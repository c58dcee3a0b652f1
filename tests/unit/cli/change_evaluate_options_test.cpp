// SPDX-License-Identifier: MIT
// Parse-only tests of `hotmap change` and `hotmap evaluate` options (windows, units, shares).
#include "command.hpp"
#include "registry.hpp"

#include "hotmap/error.hpp"

#include <gtest/gtest.h>

#include <functional>

using namespace hotmap::cli;

namespace {
/// What main() reports with exit code 2: a usage error or a parameter error (po::error too).
bool usage(const std::function<void()>& fn)
{
    try {
        fn();
    } catch (const UsageError&) {
        return true;
    } catch (const hotmap::ParameterError&) {
        return true;
    } catch (const po::error&) {
        return true;
    } catch (...) {
        return false;
    }
    return false;
}
void parse(const char* cmd, std::vector<std::string> extra)
{
    std::vector<std::string> args{"-i", "a.csv"};
    args.insert(args.end(), extra.begin(), extra.end());
    find_command(cmd)->make()->parse_only(args);
}
void change(std::vector<std::string> extra) { parse("change", std::move(extra)); }
void evaluate(std::vector<std::string> extra) { parse("evaluate", std::move(extra)); }
const std::vector<std::string> k_win{"--before", "2024-01-01,2024-02-01", "--after", "2024-02-01,2024-03-01"};
const std::vector<std::string> k_eval{"--train", "2024-01-01,2024-02-01", "--test", "2024-02-01,2024-03-01"};
std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}
} // namespace

TEST(ChangeOptions, ValidCombinations)
{
    EXPECT_NO_THROW(change(with(k_win, {"--cell", "250", "-o", "o.gpkg"})));
    EXPECT_NO_THROW(change(with(k_win, {"--cell", "300", "--shape", "hex", "--no-fdr", "-d", "d.geojson", "-o", "o.shp"})));
    EXPECT_NO_THROW(change(with(k_win, {"--on", "districts", "-d", "d.geojson", "-o", "o.csv", "--hours", "18-6"})));
    // windows that touch do not overlap; the later one may come first
    EXPECT_NO_THROW(change({"--before", "2024-02-01,2024-03-01", "--after", "2024-01-01 00:00,2024-02-01", "--cell", "100", "-o", "o.csv"}));
}

TEST(ChangeOptions, UsageErrors)
{
    EXPECT_TRUE(usage([] { change({"--before", "2024-01-01,2024-02-01", "--cell", "250", "-o", "o.csv"}); })); // no --after
    EXPECT_TRUE(usage([] { change(with(k_win, {"--cell", "250"})); }));                                           // no -o
    EXPECT_TRUE(usage([] { change(with(k_win, {"-o", "o.csv"})); }));                                             // grid without --cell
    EXPECT_TRUE(usage([] { change(with(k_win, {"--on", "districts", "-o", "o.csv"})); }));                        // no districts
    EXPECT_TRUE(usage([] { change(with(k_win, {"--on", "districts", "-d", "d.geojson", "--cell", "100", "-o", "o.csv"})); }));
    EXPECT_TRUE(usage([] { change({"--before", "2024-01-01,2024-02-02", "--after", "2024-02-01,2024-03-01", "--cell", "9", "-o", "o.csv"}); }));
    EXPECT_TRUE(usage([] { change({"--before", "2024-01-01", "--after", "2024-02-01,2024-03-01", "--cell", "9", "-o", "o.csv"}); }));
    EXPECT_TRUE(usage([] { change({"--before", "2024-03-01,2024-02-01", "--after", "2024-04-01,2024-05-01", "--cell", "9", "-o", "o.csv"}); }));
    EXPECT_TRUE(usage([] { change(with(k_win, {"--cell", "250", "--shape", "triangle", "-o", "o.csv"})); }));
    EXPECT_TRUE(usage([] { change(with(k_win, {"--cell", "250", "-o", "o.xyz"})); }));
}

TEST(EvaluateOptions, ValidCombinations)
{
    EXPECT_NO_THROW(evaluate(k_eval));
    EXPECT_NO_THROW(evaluate(with(k_eval, {"--by", "density,gistar", "--shares", "0.5,1,50,100", "-o", "t.csv", "--curve", "c.csv"})));
    EXPECT_NO_THROW(evaluate(with(k_eval, {"--by", "gistar,density", "--distance", "600", "--bandwidth", "300", "--kernel", "gaussian"})));
}

TEST(EvaluateOptions, UsageErrors)
{
    EXPECT_TRUE(usage([] { evaluate({"--train", "2024-01-01,2024-02-01"}); }));                 // no --test
    EXPECT_TRUE(usage([] { evaluate({"--train", "2024-01-01,2024-02-15", "--test", "2024-02-01,2024-03-01"}); }));
    for (const char* s : {"0", "100.5", "-5", "1,x", "5,5", "", "1,,2"})
        EXPECT_TRUE(usage([s] { evaluate(with(k_eval, {"--shares", s})); })) << s;
    for (const char* b : {"kde", "density,density", ""})
        EXPECT_TRUE(usage([b] { evaluate(with(k_eval, {"--by", b})); })) << b;
    EXPECT_TRUE(usage([] { evaluate(with(k_eval, {"-o", "t.geojson"})); }));
    EXPECT_TRUE(usage([] { evaluate(with(k_eval, {"--curve", "c.txt"})); }));
    EXPECT_TRUE(usage([] { evaluate(with(k_eval, {"-o", "t.csv", "--curve", "t.csv"})); }));
    EXPECT_TRUE(usage([] { evaluate(with(k_eval, {"--bandwidth", "wide"})); }));
    EXPECT_TRUE(usage([] { evaluate(with(k_eval, {"--distance", "-3"})); }));
    EXPECT_TRUE(usage([] { evaluate(with(k_eval, {"--cell", "0"})); }));
}
