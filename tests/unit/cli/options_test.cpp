// SPDX-License-Identifier: MIT
// Parse-only tests of the CLI option groups and commands (osmium test_setup pattern).
#include "command.hpp"
#include "option_groups.hpp"
#include "registry.hpp"

#include "hotmap/error.hpp"
#include "hotmap/timeparse.hpp"

#include <gtest/gtest.h>

#include <functional>

using namespace hotmap;
using namespace hotmap::cli;

namespace {
/// A usage error as main() sees it: our own, or one of Boost's (unknown option, missing value).
bool usage_error(const std::function<void()>& fn)
{
    try {
        fn();
    } catch (const UsageError&) {
        return true;
    } catch (const po::error&) {
        return true;
    } catch (const ParameterError&) {
        return true;
    } catch (...) {
        return false;
    }
    return false;
}
} // namespace

TEST(CliOptions, EveryCommandParsesHelp)
{
    for (const CommandInfo& c : commands()) {
        auto cmd = c.make();
        EXPECT_NO_THROW(cmd->parse_only({"--help"})) << c.name;
        EXPECT_TRUE(usage_error([&] { c.make()->parse_only({"--no-such-option"}); })) << c.name;
    }
}

TEST(CliOptions, InputFilterParsing)
{
    InputOptions in;
    in.hours = "18-6";
    in.days = "mon,FRI,sunday";
    in.from = "2024-01-01";
    in.to = "2024-02-01 12:00";
    const IncidentFilter f = in.filter();
    EXPECT_EQ(*f.hour_from, 18);
    EXPECT_EQ(*f.hour_to, 6);
    EXPECT_EQ(f.days, (1u << 0) | (1u << 4) | (1u << 6));
    EXPECT_EQ(*f.from, timeparse::from_civil(2024, 1, 1));
    EXPECT_EQ(*f.to, timeparse::from_civil(2024, 2, 1, 12, 0, 0));
    for (const char* bad : {"18", "18-", "25-3", "6-6", "a-b"}) {
        InputOptions b;
        b.hours = bad;
        EXPECT_TRUE(usage_error([&] { (void)b.filter(); })) << bad;
    }
    InputOptions d;
    d.days = "mon,funday";
    EXPECT_TRUE(usage_error([&] { (void)d.filter(); }));
    InputOptions t;
    t.from = "2024-02-01";
    t.to = "2024-01-01";
    EXPECT_TRUE(usage_error([&] { (void)t.filter(); }));
}

TEST(CliOptions, DistrictsNeedsDistrictsAndValidPeriod)
{
    EXPECT_TRUE(usage_error([] { find_command("districts")->make()->parse_only({"-i", "a.csv"}); }));
    EXPECT_TRUE(usage_error([] { find_command("districts")->make()->parse_only({"-i", "a.csv", "-d", "d.geojson", "--period", "fortnight"}); }));
    EXPECT_THROW(find_command("districts")->make()->parse_only({"-i", "a.csv", "-d", "d.geojson", "-o", "out.xyz"}), std::exception);
    EXPECT_NO_THROW(find_command("districts")->make()->parse_only({"-i", "a.csv", "-d", "d.geojson", "--period", "month", "-o", "o.gpkg"}));
    EXPECT_TRUE(usage_error([] { find_command("info")->make()->parse_only({}); })); // -i is required
}
