// SPDX-License-Identifier: MIT
#include "hotmap/pipeline/batch.hpp"

#include "hotmap/error.hpp"
#include "hotmap/timeparse.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace hotmap::pipeline {

StepFilter::StepFilter(Inputs& in, const IncidentFilter& filter, const std::vector<std::string>& categories, const std::vector<std::string>& drop)
    : m_in(in)
{
    IncidentSet& set = in.incidents;
    const bool dropping = std::any_of(drop.begin(), drop.end(), [&](const std::string& d) {
        return std::any_of(set.categories.begin(), set.categories.end(), [&](const std::string& c) { return same_category(c, d); });
    });
    if (!filter.needs_time() && categories.empty() && !dropping) return;
    if (filter.needs_time() && !set.has_time)
        throw ParameterError("a time filter needs a time column (--time) in [inputs]");
    if (!categories.empty() && !set.has_category)
        throw ParameterError("--categories needs a category column (--category) in [inputs]");
    for (const std::string& c : categories)
        if (std::find(set.categories.begin(), set.categories.end(), c) == set.categories.end())
            throw ParameterError("--categories: '" + c + "' is no category of " + set.source);
    for (const std::string& c : categories)
        if (std::any_of(drop.begin(), drop.end(), [&](const std::string& d) { return same_category(c, d); }))
            throw ParameterError("--categories " + c + ": the category is --sensitive, published at district level only");
    m_active = true;
    m_accounting = set.accounting;
    m_filters = in.filters;
    m_categories = set.categories;
    const std::string own = describe_filter(filter, categories, dropping ? drop : std::vector<std::string>{});
    in.filters = in.filters.empty() ? own : in.filters + "; " + own;
    std::vector<char> keep_cat(set.categories.size(), categories.empty() ? 1 : 0);
    for (std::size_t c = 0; c < set.categories.size(); ++c)
        if (std::find(categories.begin(), categories.end(), set.categories[c]) != categories.end()) keep_cat[c] = 1;
    std::vector<Incident> kept;
    kept.reserve(set.items.size());
    for (const Incident& p : set.items) {
        if (const char* why = filter.check(p.time)) {
            set.accounting.filter(why);
        } else if (!categories.empty() && (p.category < 0 || !keep_cat[static_cast<std::size_t>(p.category)])) {
            set.accounting.filter(reason::f_category);
        } else {
            kept.push_back(p);
            continue;
        }
        --set.accounting.accepted;
    }
    m_all.swap(set.items);
    set.items.swap(kept);
    if (dropping) drop_categories(set, drop);
}

StepFilter::~StepFilter()
{
    if (!m_active) return;
    m_in.incidents.items.swap(m_all);
    m_in.incidents.categories.swap(m_categories);
    m_in.incidents.accounting = m_accounting;
    m_in.filters = m_filters;
}

std::string describe_filter(const IncidentFilter& f, const std::vector<std::string>& categories, const std::vector<std::string>& drop)
{
    InputParams p;
    p.filter = f;
    p.categories = categories;
    p.drop_categories = drop;
    return describe_filters(p);
}

std::string step_id(const std::string& section)
{
    std::string id;
    for (char c : section) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) id.push_back(static_cast<char>(std::tolower(u)));
        else if (!id.empty() && id.back() != '_') id.push_back('_');
    }
    while (!id.empty() && id.back() == '_') id.pop_back();
    return id;
}

} // namespace hotmap::pipeline
