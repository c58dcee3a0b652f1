// SPDX-License-Identifier: MIT
// Inline part of PolygonIndex::assign (the hot loop; no GEOS types here).
#pragma once

#include "hotmap/parallel.hpp"

#include <vector>

namespace hotmap::geom {

template <typename Fn>
void PolygonIndex::assign(std::size_t n, const double* xs, const double* ys, std::size_t stride,
                          unsigned threads, Fn&& fn) const
{
    struct Worker {
        Query query;
        std::vector<int> hits;
    };
    parallel::for_chunks_with(
        n, 32768, threads, [this] { return Worker{Query(*this), {}}; },
        [&](Worker& w, std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) {
                const double x = *reinterpret_cast<const double*>(reinterpret_cast<const char*>(xs) + i * stride);
                const double y = *reinterpret_cast<const double*>(reinterpret_cast<const char*>(ys) + i * stride);
                const double fx = (x - m_x0) / m_cw, fy = (y - m_y0) / m_ch;
                if (!(fx >= 0 && fy >= 0 && fx < static_cast<double>(m_nx) && fy < static_cast<double>(m_ny))) {
                    // outside the grid (or exactly on its far edge): exact test against all
                    if (fx >= 0 && fy >= 0 && fx <= static_cast<double>(m_nx) && fy <= static_cast<double>(m_ny)) {
                        w.query.containing(x, y, w.hits);
                        for (int k : w.hits) fn(i, k);
                    }
                    continue;
                }
                const std::int32_t c = m_cell[static_cast<std::size_t>(fy) * m_nx + static_cast<std::size_t>(fx)];
                if (c >= 0) {
                    fn(i, c);
                } else if (c <= -2) {
                    const std::size_t li = static_cast<std::size_t>(-(c + 2));
                    w.query.exact(x, y, m_list.data() + m_list_start[li], m_list_start[li + 1] - m_list_start[li], w.hits);
                    for (int k : w.hits) fn(i, k);
                }
            }
        });
}

} // namespace hotmap::geom
