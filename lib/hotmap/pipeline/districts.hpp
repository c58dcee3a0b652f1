// SPDX-License-Identifier: MIT
// `hotmap districts` as one library call: the per-district summary and its styled layer.
#pragma once

#include "hotmap/districts/summary.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/log.hpp"
#include "hotmap/pipeline/inputs.hpp"

namespace hotmap::pipeline {

struct DistrictsParams {
    unsigned min_count = 0;       ///< --min-count K: publication (privacy::suppress_layer)
    districts::Period period = districts::Period::none;
    bool by_hour_of_week = false; ///< --by hour-of-week: fields h_mon_00 .. h_sun_23
    bool by_month = false;        ///< --by month: fields m_01 .. m_12
};

/// "--by hour-of-week", "month", "hour-of-week,month" (or "none") into `p`; throws
/// ParameterError naming --by.
void parse_by(const std::string& text, DistrictsParams& p);

struct DistrictsResult {
    districts::Summary summary;
    io::VectorLayer layer; ///< DESIGN.md §4 "districts" fields, graduated on per_km2
};

/// The districts' summary of the run's incidents: from the rows held, the batches read
/// (Inputs::streamed: counted per set of districts, category and time, as a server counts) or
/// the server's counts (--aggregate-in-database); `categories` becomes the categories of the
/// summary's by_category (sp.by_category). Logs the server's or the batches' row accounting.
districts::Summary district_summary(const districts::SummaryParams& sp, const Inputs& in, std::vector<std::string>& categories, Log& log);

/// The summary of every district (counts, rates, categories, periods, trend, --by time
/// profiles). Needs districts. Incidents without a time are in no period or --by column
/// (a warning with --by). Throws ParameterError (no districts, --period or --by without
/// times), InputError.
DistrictsResult summarise_districts(const DistrictsParams& p, const Inputs& in, Log& log);

} // namespace hotmap::pipeline
