// SPDX-License-Identifier: MIT
// Internal: one neighbour interface over CSR lists and lattice stencils, so that the local
// statistics run the same arithmetic, in the same order, on either (same results to the bit).
#pragma once

#include "hotmap/stats/lattice_weights.hpp"
#include "hotmap/stats/weights.hpp"

#include <algorithm>
#include <cstddef>

namespace hotmap::stats::detail {

/// CSR lists, weights as stored.
struct CsrView {
    const Weights& w;
    std::size_t size() const noexcept { return w.size(); }
    std::size_t count(std::size_t i) const noexcept { return w.count(i); }
    std::size_t links() const noexcept { return w.links(); }
    /// f(j, w_ij) for each neighbour j of i, ascending j.
    template <class F>
    void for_each(std::size_t i, F&& f) const
    {
        for (std::size_t l = w.start[i]; l < w.start[i + 1]; ++l) f(static_cast<std::size_t>(w.index[l]), w.weight(l));
    }
    /// Weight of the q-th link of i.
    double weight(std::size_t i, std::size_t q) const noexcept { return w.weight(w.start[i] + q); }
    /// w_ji (0 when j has no link to i).
    double reverse(std::size_t i, std::size_t j) const
    {
        const auto b = w.index.begin() + static_cast<std::ptrdiff_t>(w.start[j]);
        const auto e = w.index.begin() + static_cast<std::ptrdiff_t>(w.start[j + 1]);
        const auto it = std::lower_bound(b, e, static_cast<std::uint32_t>(i));
        return (it != e && *it == i) ? w.weight(static_cast<std::size_t>(it - w.index.begin())) : 0.0;
    }
};

/// A lattice stencil: binary, or row-standardised (1 / count, exactly what row_standardise
/// stores for binary lists: 1.0 divided by the sum of count ones).
struct LatticeView {
    const LatticeWeights& l;
    bool row = false;
    std::size_t size() const noexcept { return l.size(); }
    std::size_t count(std::size_t i) const noexcept { return l.count(i); }
    std::size_t links() const noexcept { return l.links(); }
    double weight(std::size_t i, std::size_t /*q*/) const noexcept
    {
        return row ? (l.count(i) != 0 ? 1.0 / static_cast<double>(l.count(i)) : 0.0) : 1.0;
    }
    template <class F>
    void for_each(std::size_t i, F&& f) const
    {
        const double wl = weight(i, 0);
        l.for_each(i, [&](std::size_t j) { f(j, wl); });
    }
    double reverse(std::size_t /*i*/, std::size_t j) const noexcept { return weight(j, 0); } // the band is symmetric
};

} // namespace hotmap::stats::detail
