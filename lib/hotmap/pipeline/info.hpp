// SPDX-License-Identifier: MIT
// `hotmap info` as one library call: what is in the incident file.
#pragma once

#include "hotmap/pipeline/inputs.hpp"

#include <optional>
#include <utility>
#include <vector>

namespace hotmap::pipeline {

struct InfoResult {
    Extent extent;                                          ///< working CRS
    std::optional<std::pair<Timestamp, Timestamp>> time_range;
    std::size_t missing_time = 0;                           ///< accepted incidents without a time
    std::vector<std::uint64_t> per_category;                ///< per IncidentSet::categories
    std::uint64_t without_category = 0;
    double total_weight = 0;
    Accounting accounting;                                  ///< the rows read (the reader's and the projection's fates)
    std::vector<std::string> categories;                    ///< sorted; per_category follows them
};

/// The summary of the run's incidents: of the rows held, or (Inputs::streamed) of the batches
/// read again (their accounting logged on `log`, as load() logs it for the rows held).
InfoResult describe(const Inputs& in, Log& log);

} // namespace hotmap::pipeline
