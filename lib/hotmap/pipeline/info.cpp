// SPDX-License-Identifier: MIT
// The info pipeline.
#include "hotmap/pipeline/info.hpp"

namespace hotmap::pipeline {

InfoResult describe(const Inputs& in)
{
    const IncidentSet& s = in.incidents;
    InfoResult r;
    r.extent = s.extent();
    r.time_range = s.time_range();
    r.per_category.assign(s.categories.size(), 0);
    for (const Incident& i : s.items) {
        r.missing_time += i.time == k_no_time;
        if (i.category >= 0) ++r.per_category[static_cast<std::size_t>(i.category)];
        else ++r.without_category;
    }
    if (!s.has_time) r.missing_time = s.items.size();
    r.total_weight = s.total_weight();
    return r;
}

} // namespace hotmap::pipeline
