// SPDX-License-Identifier: MIT
// Disclosure control of the published count layers (--min-count K): the counts of a layer and
// the totals they add up to become a CountSystem (privacy/suppression), small counts are
// suppressed with their complements, and the layer is rewritten: suppressed counts null, a
// `suppressed` flag per feature, and the fields derived from a suppressed count (rates, shares,
// ranks, differences, ratios, trends) null too, since each would give the count back.
#pragma once

#include "hotmap/io/vector.hpp"

#include <cstddef>
#include <string>

namespace hotmap::privacy {

struct PublishReport {
    std::size_t primary = 0;       ///< counts 1..K-1
    std::size_t complementary = 0; ///< other counts suppressed so that none can be recovered
    std::size_t features = 0;      ///< features with at least one suppressed count
    std::size_t unprotected = 0;   ///< suppressed counts that totals published elsewhere still pin (Suppression::unprotected)
    std::string text;              ///< one line for -v and the layer's abstract
};

/// Which layer: the count fields and the totals each family adds up to.
enum class LayerKind {
    districts, ///< `incidents` per district = the sum of its c_*, p_*, h_*, m_* (each family when it adds up); column totals published
    grid,      ///< `count` per cell = the sum of its c_*; the cells of a district add up to the district's total (published by `districts`)
    change,    ///< n_before and n_after per unit; each window's total and each unit's total over both published; diff, ratio, p_change, change_bin derived
    counts,    ///< one `count` field per feature (hot spot and emerging layers): the column total published
    coverage   ///< `incidents`, `covered_inc`, `covered_inc_<type>` per district (overlapping, no row equation), each column's total published; covered_inc_pct derived
};

/// The legend label of the suppressed features' class ("suppressed (1 to 4 incidents, or
/// protecting one)").
std::string suppressed_label(unsigned k);

/// Apply --min-count `k` to `layer` (k < 2: nothing to do). Throws ParameterError when the
/// layer lacks the fields its kind needs.
PublishReport suppress_layer(io::VectorLayer& layer, LayerKind kind, unsigned k);

/// Null every value of the fields named (those the layer has) in every feature; returns how
/// many of them the layer has.
std::size_t withhold_fields(io::VectorLayer& layer, const std::vector<std::string>& names);

} // namespace hotmap::privacy
