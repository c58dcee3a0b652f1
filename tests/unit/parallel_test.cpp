// SPDX-License-Identifier: MIT
// The one parallel helper: fixed chunks, per-worker state on the worker's thread, worker
// exceptions rethrown in the caller (the lowest failing chunk's), the ordered pipeline.
#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

using namespace hotmap;

TEST(Parallel, ChunksAreFixedByTheCallerNotTheThreads)
{
    for (unsigned threads : {1u, 2u, 7u}) {
        std::mutex mu;
        std::set<std::pair<std::size_t, std::size_t>> chunks;
        parallel::for_chunks(1000, 64, threads, [&](std::size_t b, std::size_t e) {
            const std::lock_guard lock(mu);
            chunks.emplace(b, e);
        });
        ASSERT_EQ(chunks.size(), 16u) << threads;
        EXPECT_EQ(*chunks.begin(), std::make_pair(std::size_t(0), std::size_t(64)));
        EXPECT_EQ(*chunks.rbegin(), std::make_pair(std::size_t(960), std::size_t(1000)));
    }
    // the test cap cuts chunks further, whatever the caller asked
    const test::ChunkCap cap(10);
    std::atomic<int> n{0};
    parallel::for_chunks(1000, 64, 2, [&](std::size_t b, std::size_t e) {
        EXPECT_LE(e - b, 10u);
        ++n;
    });
    EXPECT_EQ(n.load(), 100);
}

TEST(Parallel, WorkerStateIsMadeAndUsedOnTheWorkersThread)
{
    struct State {
        std::thread::id made = std::this_thread::get_id();
    };
    std::mutex mu;
    std::set<std::thread::id> workers;
    std::atomic<int> mismatches{0};
    parallel::for_chunks_with(
        64, 1, 4, [] { return State{}; },
        [&](State& s, std::size_t, std::size_t) {
            if (s.made != std::this_thread::get_id()) ++mismatches;
            const std::lock_guard lock(mu);
            workers.insert(std::this_thread::get_id());
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        });
    EXPECT_EQ(mismatches.load(), 0);
    EXPECT_GE(workers.size(), 2u); // several threads really ran
}

TEST(Parallel, AWorkersExceptionReachesTheCallerAsTheSerialRunWould)
{
    const auto run = [](unsigned threads) -> std::string {
        try {
            parallel::for_each(100, 1, threads, [](std::size_t i) {
                if (i == 37 || i == 80) throw GeometryError("failed at " + std::to_string(i));
            });
        } catch (const GeometryError& e) {
            return e.what();
        }
        return "no exception";
    };
    EXPECT_EQ(run(1), "failed at 37");
    for (unsigned t : {2u, 7u}) EXPECT_EQ(run(t), "failed at 37") << t; // the lowest failing chunk, not the first to fail
    // out of memory in a worker is carried too
    EXPECT_THROW(parallel::for_each(10, 1, 4, [](std::size_t i) {
                     if (i == 3) throw std::bad_alloc();
                 }),
                 std::bad_alloc);
    // a throwing state constructor as well
    EXPECT_THROW(parallel::for_chunks_with(
                     10, 1, 3, []() -> int { throw InputError("no state"); }, [](int&, std::size_t, std::size_t) {}),
                 InputError);
}

TEST(Parallel, ThreadCountsAreResolvedAndClamped)
{
    EXPECT_GE(parallel::resolve(0), 1u);
    EXPECT_EQ(parallel::resolve(3), 3u);
    EXPECT_EQ(parallel::resolve(100000), parallel::k_max_threads);
    // more threads than chunks: the work still runs exactly once per chunk
    std::atomic<int> n{0};
    parallel::for_each(3, 1, 64, [&](std::size_t) { ++n; });
    EXPECT_EQ(n.load(), 3);
    parallel::for_each(0, 1, 8, [&](std::size_t) { ++n; });
    EXPECT_EQ(n.load(), 3);
}

TEST(Parallel, OrderedChunksAreConsumedInOrderWithReusedBuffers)
{
    for (unsigned threads : {1u, 2u, 7u}) {
        std::vector<std::size_t> order;
        std::string text;
        parallel::ordered_chunks<std::string>(
            50, threads, [] { return 0; },
            [](int&, std::size_t k, std::string& r) {
                r = std::to_string(k) + ",";
                if (k % 7 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
            },
            [&](std::size_t k, std::string& r) {
                order.push_back(k);
                text += r;
            });
        ASSERT_EQ(order.size(), 50u) << threads;
        for (std::size_t k = 0; k < 50; ++k) ASSERT_EQ(order[k], k) << threads;
        EXPECT_EQ(text.substr(0, 6), "0,1,2,");
    }
    EXPECT_THROW(parallel::ordered_chunks<int>(
                     20, 3, [] { return 0; },
                     [](int&, std::size_t k, int&) {
                         if (k == 11) throw OutputError("disk full");
                     },
                     [](std::size_t, int&) {}),
                 OutputError);
    EXPECT_THROW(parallel::ordered_chunks<int>(
                     20, 3, [] { return 0; }, [](int&, std::size_t, int&) {},
                     [](std::size_t k, int&) {
                         if (k == 5) throw OutputError("sink failed");
                     }),
                 OutputError);
}
