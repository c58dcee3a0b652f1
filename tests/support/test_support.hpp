// SPDX-License-Identifier: MIT
// Helpers for tests: data paths, the shared reference folder (skip when absent), small CSV reader.
#pragma once

#include "test_paths.hpp"

#include "hotmap/parallel.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace hotmap::test {

inline std::string data(const std::string& name) { return std::string(HOTMAP_TEST_DATA_DIR) + "/" + name; }
inline std::string samples(const std::string& name) { return std::string(HOTMAP_SAMPLES_DIR) + "/" + name; }

/// A fresh output folder for one test.
inline std::string out_dir(const std::string& test)
{
    const std::string d = std::string(HOTMAP_TEST_OUT_DIR) + "/" + test;
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
}

/// Path inside the shared folder (realdata/, reference/), or "" when the folder is absent.
inline std::string shared(const std::string& rel)
{
    const std::string p = std::string(HOTMAP_SHARED_DIR) + "/" + rel;
    return std::filesystem::exists(p) ? p : std::string();
}

/// Skip the current test with a clear message when the shared data is not there.
#define HOTMAP_REQUIRE_SHARED(var, rel)                                                                  \
    const std::string var = ::hotmap::test::shared(rel);                                                  \
    if (var.empty())                                                                                      \
        GTEST_SKIP() << "shared data '" << rel << "' not found under " HOTMAP_SHARED_DIR                  \
                     << " (set -DHOTMAP_SHARED_DIR=... to run the reference tests)";

/// A parsed CSV with a header: rows of strings, quotes removed.
struct Table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    int col(const std::string& name) const
    {
        for (std::size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) return static_cast<int>(i);
        return -1;
    }
    const std::string& at(std::size_t row, const std::string& name) const { return rows.at(row).at(static_cast<std::size_t>(col(name))); }
};

inline std::vector<std::string> split_csv_line(const std::string& line)
{
    std::vector<std::string> out;
    std::string cur;
    bool q = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (q) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                cur.push_back('"');
                ++i;
            } else if (c == '"') {
                q = false;
            } else {
                cur.push_back(c);
            }
        } else if (c == '"') {
            q = true;
        } else if (c == ',') {
            out.push_back(cur);
            cur.clear();
        } else if (c != '\r') {
            cur.push_back(c);
        }
    }
    out.push_back(cur);
    return out;
}

inline Table read_csv(const std::string& path)
{
    Table t;
    std::ifstream f(path);
    std::string line;
    if (!std::getline(f, line)) return t;
    t.header = split_csv_line(line);
    while (std::getline(f, line))
        if (!line.empty()) t.rows.push_back(split_csv_line(line));
    return t;
}

/// Cut every parallel loop into chunks of at most `items` for the lifetime of this object, so
/// that small test inputs really run on several threads (parallel::set_chunk_cap).
class ChunkCap {
public:
    explicit ChunkCap(std::size_t items) { hotmap::parallel::set_chunk_cap(items); }
    ~ChunkCap() { hotmap::parallel::set_chunk_cap(0); }
    ChunkCap(const ChunkCap&) = delete;
    ChunkCap& operator=(const ChunkCap&) = delete;
};

inline void write_file(const std::string& path, const std::string& text)
{
    std::ofstream f(path, std::ios::binary);
    f << text;
}

} // namespace hotmap::test
