// SPDX-License-Identifier: MIT
// --usage-json (cli/usage_json.cpp): the declarations as JSON, field by field.
#include "command.hpp"
#include "registry.hpp"
#include "usage_json.hpp"

#include <gtest/gtest.h>

#include <sstream>

using namespace hotmap::cli;

namespace {
const nlohmann::ordered_json* option(const nlohmann::ordered_json& cmd, const std::string& name)
{
    for (const auto& o : cmd["options"])
        if (o["name"] == name) return &o;
    return nullptr;
}
} // namespace

TEST(UsageJson, DensityDeclarations)
{
    const auto j = usage_json(*find_command("density")->make());
    EXPECT_EQ(j["name"], "density");
    EXPECT_EQ(j["description"], "kernel density raster (GeoTIFF) and isoband polygons");
    const auto* cell = option(j, "cell");
    ASSERT_NE(cell, nullptr);
    EXPECT_EQ((*cell)["kind"], "number");
    EXPECT_EQ((*cell)["default"], "50");
    EXPECT_EQ((*cell)["min"], 0.0);
    EXPECT_EQ((*cell)["max"], 1e6);
    EXPECT_EQ((*cell)["min_open"], true);
    const auto* kernel = option(j, "kernel");
    ASSERT_NE(kernel, nullptr);
    EXPECT_EQ((*kernel)["kind"], "choice");
    EXPECT_EQ((*kernel)["choices"], nlohmann::ordered_json({"quartic", "epanechnikov", "triweight", "uniform", "gaussian"}));
    EXPECT_EQ((*kernel)["default"], "quartic");
    const auto* out = option(j, "output");
    ASSERT_NE(out, nullptr);
    EXPECT_EQ((*out)["short"], "o");
    EXPECT_EQ((*out)["kind"], "output_path");
    EXPECT_EQ((*out)["path"], "raster");
    EXPECT_EQ((*out)["required"], true);
    EXPECT_EQ((*option(j, "isobands"))["path"], "vector");
    EXPECT_EQ((*option(j, "rejects"))["path"], "table");
    const auto* inc = option(j, "incidents");
    EXPECT_EQ((*inc)["path"], "vector");
    EXPECT_EQ((*inc)["layer_option"], "layer");
    EXPECT_EQ((*option(j, "districts"))["layer_option"], "district-layer");
    EXPECT_EQ((*option(j, "threads"))["group"], "Common");
    EXPECT_EQ((*option(j, "threads"))["default"], "all cores");
    EXPECT_TRUE((*option(j, "edge-correct"))["default"].is_null());
    EXPECT_TRUE(j["positional"].empty());
}

TEST(UsageJson, RunHasItsConfigAsPositional)
{
    const auto j = usage_json(*find_command("run")->make());
    EXPECT_EQ(j["positional"], nlohmann::ordered_json({"config"}));
    EXPECT_EQ((*option(j, "config"))["position"], 0);
    EXPECT_EQ((*option(j, "config"))["path"], "config");
    EXPECT_EQ((*option(j, "output"))["path"], "folder");
    EXPECT_TRUE((*option(j, "lang"))["position"].is_null());
}

TEST(UsageJson, ListsAreRepeatableAndSayWhatTheyHold)
{
    const auto j = usage_json(*find_command("coverage")->make());
    const auto* f = option(j, "facilities");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ((*f)["kind"], "list");
    EXPECT_EQ((*f)["repeatable"], true);
    EXPECT_EQ((*f)["path"], "vector");
    EXPECT_TRUE((*option(j, "radius"))["path"].is_null());
    EXPECT_EQ((*option(j, "distance-raster"))["path"], "raster");
}

TEST(UsageJson, EveryCommandInRegistryOrder)
{
    const auto j = usage_json_all();
    EXPECT_EQ(j["usage_json_version"], 1);
    ASSERT_EQ(j["commands"].size(), commands().size());
    for (std::size_t i = 0; i < commands().size(); ++i) EXPECT_EQ(j["commands"][i]["name"], std::string(commands()[i].name));
}

TEST(UsageJson, ExecutePrintsWithoutRunningOrCheckingRequiredOptions)
{
    auto cmd = find_command("hotspots")->make();
    std::ostringstream out, err;
    Io io{out, err};
    EXPECT_EQ(cmd->execute({"--usage-json"}, io), k_exit_ok);
    EXPECT_EQ(nlohmann::ordered_json::parse(out.str())["name"], "hotspots");
    EXPECT_TRUE(err.str().empty());
}
