// SPDX-License-Identifier: MIT
// --geomask for the commands that export incident points: the accepted incidents donut-masked
// within their districts (privacy::geomask), with the statement every layer and -v carry.
#pragma once

#include "hotmap/log.hpp"
#include "hotmap/pipeline/inputs.hpp"
#include "hotmap/privacy/geomask.hpp"

#include <string>
#include <vector>

namespace hotmap::pipeline {

struct MaskedIncidents {
    std::vector<Point> points; ///< one per accepted incident, in.incidents.items order
    std::string text;          ///< what was done and the achieved k-anonymity, one sentence
};

/// Masks in.incidents.items with `spec` within in.districts (population from the districts'
/// population field when given); logs the text. Throws ParameterError (bad spec).
MaskedIncidents mask_incidents(const Inputs& in, const privacy::DonutSpec& spec, Log& log);

} // namespace hotmap::pipeline
