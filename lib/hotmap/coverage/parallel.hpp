// SPDX-License-Identifier: MIT
// A tiny deterministic parallel loop for the coverage module (each index written by one thread).
#pragma once

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace hotmap::coverage::detail {

inline unsigned resolve_threads(unsigned threads)
{
    return threads ? threads : std::max(1u, std::thread::hardware_concurrency());
}

/// fn(begin, end) over chunks of [0, n) on `threads` threads (0 = all cores). The first
/// exception thrown by any chunk is rethrown.
template <typename Fn>
void parallel_chunks(std::size_t n, unsigned threads, std::size_t chunk, Fn&& fn)
{
    const unsigned nt = static_cast<unsigned>(std::min<std::size_t>(resolve_threads(threads), std::max<std::size_t>(1, (n + chunk - 1) / chunk)));
    if (nt <= 1) {
        for (std::size_t b = 0; b < n; b += chunk) fn(b, std::min(n, b + chunk));
        return;
    }
    std::atomic<std::size_t> next{0};
    std::exception_ptr err;
    std::mutex mu;
    auto work = [&] {
        try {
            for (;;) {
                const std::size_t b = next.fetch_add(chunk);
                if (b >= n) break;
                fn(b, std::min(n, b + chunk));
            }
        } catch (...) {
            std::lock_guard lock(mu);
            if (!err) err = std::current_exception();
            next = n;
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < nt; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    if (err) std::rethrow_exception(err);
}

} // namespace hotmap::coverage::detail
