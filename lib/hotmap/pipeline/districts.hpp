// SPDX-License-Identifier: MIT
// `hotmap districts` as one library call: the per-district summary and its styled layer.
#pragma once

#include "hotmap/districts/summary.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/log.hpp"
#include "hotmap/pipeline/inputs.hpp"

namespace hotmap::pipeline {

struct DistrictsParams {
    districts::Period period = districts::Period::none;
};

struct DistrictsResult {
    districts::Summary summary;
    io::VectorLayer layer; ///< DESIGN.md §4 "districts" fields, graduated on per_km2
};

/// The summary of every district (counts, rates, categories, periods, trend). Needs districts.
/// Throws ParameterError (no districts, --period without times), InputError.
DistrictsResult summarise_districts(const DistrictsParams& p, const Inputs& in, Log& log);

} // namespace hotmap::pipeline
