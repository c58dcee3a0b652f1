// SPDX-License-Identifier: MIT
// Plain-text tables for the terminal (stdout of `info`, `districts`, `coverage`, `site`).
#pragma once

#include "hotmap/pipeline/coverage.hpp"
#include "hotmap/pipeline/evaluate.hpp"
#include "hotmap/pipeline/info.hpp"
#include "hotmap/pipeline/site.hpp"

#include <string>

namespace hotmap::report {

/// `hotmap info`: source, columns, working CRS, the row accounting, extent, time range,
/// categories, total weight.
std::string info_table(const pipeline::Inputs& in, const pipeline::InfoResult& r);

/// `hotmap districts` without -o: one line per district, then the incidents outside.
std::string districts_table(const districts::Summary& s);

/// `hotmap districts --by` without -o: the total time profiles (incidents in at least one
/// district, each once) as heat tables: days (Monday first) x hours 00..23 with row and column
/// totals, and/or the calendar months 01..12. Empty without --by.
std::string time_profile_table(const districts::Summary& s);

/// `hotmap evaluate` without -o: one line per method and share, then the study area and the
/// windows' counts, and each method's setting.
std::string evaluation_table(const pipeline::EvaluateResult& r);

/// `hotmap coverage` without -o: one line per district and the totals.
std::string coverage_table(const pipeline::CoverageResult& r, std::size_t incidents);

/// `hotmap site` without -o: one line per new site in rank order, then the summary (method,
/// bound, gap).
std::string sites_table(const pipeline::SiteResult& r);

} // namespace hotmap::report
