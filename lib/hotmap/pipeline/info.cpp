// SPDX-License-Identifier: MIT
// The info pipeline.
#include "hotmap/pipeline/info.hpp"

#include "hotmap/parallel.hpp"

#include <algorithm>
#include <map>

namespace hotmap::pipeline {

namespace {

// one pass over a set's incidents, by fixed chunks combined in chunk order (the same sums on
// any thread count)
InfoResult describe_rows(const IncidentSet& s, unsigned threads)
{
    const std::size_t n = s.items.size(), chunk = parallel::chunk_size(1 << 18), nchunks = (n + chunk - 1) / chunk;
    struct Part {
        Extent extent;
        Timestamp tlo = 0, thi = 0;
        bool any_time = false;
        std::size_t missing_time = 0;
        std::vector<std::uint64_t> per_category;
        std::uint64_t without_category = 0;
        double weight = 0;
    };
    std::vector<Part> parts(nchunks);
    parallel::for_chunks(n, chunk, threads, [&](std::size_t b, std::size_t e) {
        Part& p = parts[b / chunk];
        p.per_category.assign(s.categories.size(), 0);
        for (std::size_t k = b; k < e; ++k) {
            const Incident& i = s.items[k];
            p.extent.expand(i.x, i.y);
            if (i.time == k_no_time) {
                ++p.missing_time;
            } else if (!p.any_time) {
                p.tlo = p.thi = i.time;
                p.any_time = true;
            } else {
                p.tlo = std::min(p.tlo, i.time);
                p.thi = std::max(p.thi, i.time);
            }
            if (i.category >= 0) ++p.per_category[static_cast<std::size_t>(i.category)];
            else ++p.without_category;
            p.weight += i.weight;
        }
    });
    InfoResult r;
    r.per_category.assign(s.categories.size(), 0);
    for (const Part& p : parts) {
        if (!p.extent.empty()) {
            r.extent.expand(p.extent.xmin, p.extent.ymin);
            r.extent.expand(p.extent.xmax, p.extent.ymax);
        }
        if (p.any_time)
            r.time_range = r.time_range ? std::make_pair(std::min(r.time_range->first, p.tlo), std::max(r.time_range->second, p.thi))
                                        : std::make_pair(p.tlo, p.thi);
        r.missing_time += p.missing_time;
        for (std::size_t c = 0; c < p.per_category.size(); ++c) r.per_category[c] += p.per_category[c];
        r.without_category += p.without_category;
        r.total_weight += p.weight;
    }
    if (!s.has_time) r.missing_time = s.items.size();
    r.accounting = s.accounting;
    r.categories = s.categories;
    return r;
}

} // namespace

InfoResult describe(const Inputs& in, Log& log)
{
    if (!in.streamed) return describe_rows(in.incidents, in.threads);
    // batch by batch: the same summary, categories matched by name (weights with fractions
    // are added batch by batch)
    InfoResult r;
    std::map<std::string, std::uint64_t> per;
    const IncidentSet seen = stream_incidents(
        in,
        [&](const IncidentSet& b) {
            const InfoResult part = describe_rows(b, in.threads);
            r.extent.expand(part.extent);
            if (part.time_range)
                r.time_range = r.time_range ? std::make_pair(std::min(r.time_range->first, part.time_range->first),
                                                             std::max(r.time_range->second, part.time_range->second))
                                            : *part.time_range;
            r.missing_time += part.missing_time;
            for (std::size_t c = 0; c < part.per_category.size(); ++c) per[b.categories[c]] += part.per_category[c];
            r.without_category += part.without_category;
            r.total_weight += part.total_weight;
        },
        &log);
    r.accounting = seen.accounting;
    r.categories = seen.categories;
    for (const std::string& c : r.categories) r.per_category.push_back(per.count(c) ? per[c] : 0);
    return r;
}

} // namespace hotmap::pipeline
