// SPDX-License-Identifier: MIT
// Inline part of PolygonIndex::assign (the hot loop; no GEOS types here).
#pragma once

#include <thread>
#include <vector>

namespace hotmap::geom {

template <typename Fn>
void PolygonIndex::assign(std::size_t n, const double* xs, const double* ys, std::size_t stride,
                          unsigned threads, Fn&& fn) const
{
    auto work = [&](std::size_t begin, std::size_t end) {
        std::vector<int> hits;
        for (std::size_t i = begin; i < end; ++i) {
            const double x = *reinterpret_cast<const double*>(reinterpret_cast<const char*>(xs) + i * stride);
            const double y = *reinterpret_cast<const double*>(reinterpret_cast<const char*>(ys) + i * stride);
            const double fx = (x - m_x0) / m_cw, fy = (y - m_y0) / m_ch;
            if (!(fx >= 0 && fy >= 0 && fx < static_cast<double>(m_nx) && fy < static_cast<double>(m_ny))) {
                // outside the grid (or exactly on its far edge): exact test against all
                if (fx >= 0 && fy >= 0 && fx <= static_cast<double>(m_nx) && fy <= static_cast<double>(m_ny)) {
                    query(x, y, hits);
                    for (int k : hits) fn(i, k);
                }
                continue;
            }
            const std::int32_t c = m_cell[static_cast<std::size_t>(fy) * m_nx + static_cast<std::size_t>(fx)];
            if (c >= 0) {
                fn(i, c);
            } else if (c <= -2) {
                const std::size_t li = static_cast<std::size_t>(-(c + 2));
                exact(x, y, m_list.data() + m_list_start[li], m_list_start[li + 1] - m_list_start[li], hits);
                for (int k : hits) fn(i, k);
            }
        }
    };
    if (threads <= 1 || n < 20000) {
        work(0, n);
        return;
    }
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(work, n * t / threads, n * (t + 1) / threads);
    work(0, n / threads);
    for (auto& th : pool) th.join();
}

} // namespace hotmap::geom
