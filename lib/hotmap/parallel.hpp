// SPDX-License-Identifier: MIT
// The one parallel loop of the library: fixed chunks, per-worker state, worker exceptions
// carried back to the caller.
//
// Every parallel loop in hotmap goes through for_chunks(). The work [0, n) is cut into chunks
// of a fixed size chosen by the caller (never by the thread count): chunk k is
// [k*chunk, min(n, (k+1)*chunk)). Workers take chunks in increasing order. A result that is
// written per index, or combined per chunk in chunk order, is therefore identical for any
// thread count. When n fits in one chunk the loop runs on the calling thread.
//
// A worker that throws stops the loop: no chunk after the failing one is started, the chunks
// already running finish, and the exception of the lowest failing chunk is rethrown in the
// caller — the same exception a serial run would have thrown. A worker thread that cannot be
// started (the system is out of threads) is no error: the others do its share.
//
// GEOS and PROJ objects are not shared between threads: give each worker its own through the
// per-worker state of for_chunks_with(), which is made and destroyed on the worker's thread.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace hotmap::parallel {

/// The largest thread count accepted anywhere (the CLI validates --threads against it).
inline constexpr unsigned k_max_threads = 256;

/// 0 = all cores; otherwise clamped to [1, k_max_threads].
inline unsigned resolve(unsigned threads) noexcept
{
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    return std::clamp(threads, 1u, k_max_threads);
}

namespace detail {
inline std::atomic<std::size_t> g_chunk_cap{0};
} // namespace detail

/// For tests: cap every chunk size at `items` (0 = no cap), so that small inputs are cut into
/// many chunks and really run on several threads. Process-wide; results must not change.
inline void set_chunk_cap(std::size_t items) noexcept { detail::g_chunk_cap = items; }

/// `default_chunk`, or the test cap when it is smaller. At least 1.
inline std::size_t chunk_size(std::size_t default_chunk) noexcept
{
    const std::size_t cap = detail::g_chunk_cap.load();
    return std::max<std::size_t>(1, cap ? std::min(cap, default_chunk) : default_chunk);
}

namespace detail {

struct Failure {
    std::mutex mu;
    std::exception_ptr error;
    std::size_t chunk = static_cast<std::size_t>(-1);
    std::atomic<std::size_t> stop_after{static_cast<std::size_t>(-1)};

    void record(std::size_t k, std::exception_ptr e)
    {
        std::lock_guard lock(mu);
        if (k < chunk) {
            chunk = k;
            error = e;
        }
        std::size_t cur = stop_after.load();
        while (k < cur && !stop_after.compare_exchange_weak(cur, k)) {
        }
    }
};

} // namespace detail

/// fn(state, begin, end) over the chunks of [0, n); `make()` builds one state per worker on
/// the worker's own thread (GEOS prepared geometries, a PROJ transformer, scratch buffers).
template <class Make, class Fn>
void for_chunks_with(std::size_t n, std::size_t chunk, unsigned threads, Make&& make, Fn&& fn)
{
    if (n == 0) return;
    chunk = chunk_size(chunk);
    const std::size_t nchunks = (n + chunk - 1) / chunk;
    const unsigned nt = static_cast<unsigned>(std::min<std::size_t>(resolve(threads), nchunks));
    if (nt <= 1) {
        auto state = make();
        for (std::size_t k = 0; k < nchunks; ++k) fn(state, k * chunk, std::min(n, (k + 1) * chunk));
        return;
    }
    std::atomic<std::size_t> next{0};
    detail::Failure failure;
    auto work = [&] {
        std::size_t k = 0;
        try {
            auto state = make();
            for (;;) {
                k = next.fetch_add(1);
                if (k >= nchunks || k > failure.stop_after.load()) break;
                fn(state, k * chunk, std::min(n, (k + 1) * chunk));
            }
        } catch (...) {
            failure.record(k, std::current_exception());
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(nt - 1);
    for (unsigned t = 1; t < nt; ++t) {
        try {
            pool.emplace_back(work);
        } catch (const std::system_error&) {
            break; // no more threads to be had: the ones running share the work
        }
    }
    work();
    for (std::thread& th : pool) th.join();
    if (failure.error) std::rethrow_exception(failure.error);
}

/// fn(begin, end) over the chunks of [0, n).
template <class Fn>
void for_chunks(std::size_t n, std::size_t chunk, unsigned threads, Fn&& fn)
{
    struct None {};
    for_chunks_with(
        n, chunk, threads, [] { return None{}; }, [&fn](None&, std::size_t b, std::size_t e) { fn(b, e); });
}

/// A producer/consumer pipeline over `nchunks` chunks: workers run produce(state, k, result)
/// (results are reused buffers: a Result handed back to a worker holds an earlier chunk's data)
/// at most `window` chunks ahead, and the calling thread runs consume(k, result) for
/// k = 0, 1, ... in order (writing a file as it is generated). A throw in produce or consume
/// stops the pipeline and is rethrown here after every worker has stopped.
template <class Result, class Make, class Produce, class Consume>
void ordered_chunks(std::size_t nchunks, unsigned threads, Make&& make, Produce&& produce, Consume&& consume)
{
    if (nchunks == 0) return;
    const unsigned nt = static_cast<unsigned>(std::min<std::size_t>(resolve(threads), nchunks));
    if (nt <= 1) {
        auto state = make();
        Result r{};
        for (std::size_t k = 0; k < nchunks; ++k) {
            produce(state, k, r);
            consume(k, r);
        }
        return;
    }
    struct Slot {
        Result result{};
        bool ready = false;
    };
    const std::size_t window = 2 * static_cast<std::size_t>(nt) + 2;
    std::vector<Slot> slots(window);
    std::mutex mu;
    std::condition_variable cv;
    std::size_t next_chunk = 0, next_consume = 0;
    bool stop = false;
    std::exception_ptr err;
    auto fail = [&](std::exception_ptr e) {
        const std::lock_guard<std::mutex> lock(mu);
        if (!err) err = e;
        stop = true;
        cv.notify_all();
    };
    auto worker = [&] {
        try {
            auto state = make();
            Result r{};
            for (;;) {
                std::size_t k = 0;
                {
                    std::unique_lock<std::mutex> lock(mu);
                    cv.wait(lock, [&] { return stop || next_chunk >= nchunks || next_chunk < next_consume + window; });
                    if (stop || next_chunk >= nchunks) return;
                    k = next_chunk++;
                }
                produce(state, k, r);
                const std::lock_guard<std::mutex> lock(mu);
                Slot& s = slots[k % window];
                std::swap(s.result, r); // the slot's old result comes back as this worker's buffer
                s.ready = true;
                cv.notify_all();
            }
        } catch (...) {
            fail(std::current_exception());
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < nt; ++t) {
        try {
            pool.emplace_back(worker);
        } catch (const std::system_error&) {
            if (pool.empty()) throw;
            break;
        }
    }
    try {
        for (std::size_t k = 0; k < nchunks; ++k) {
            Slot& s = slots[k % window];
            {
                std::unique_lock<std::mutex> lock(mu);
                cv.wait(lock, [&] { return s.ready || err; });
                if (err) break;
            }
            consume(k, s.result); // outside the lock
            const std::lock_guard<std::mutex> lock(mu);
            s.ready = false;
            ++next_consume;
            cv.notify_all();
        }
    } catch (...) {
        fail(std::current_exception());
    }
    {
        const std::lock_guard<std::mutex> lock(mu);
        stop = true;
    }
    cv.notify_all();
    for (std::thread& th : pool) th.join();
    if (err) std::rethrow_exception(err);
}

/// fn(i) for each i in [0, n), in chunks of `chunk` indexes.
template <class Fn>
void for_each(std::size_t n, std::size_t chunk, unsigned threads, Fn&& fn)
{
    for_chunks(n, chunk, threads, [&fn](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) fn(i);
    });
}

} // namespace hotmap::parallel
