// SPDX-License-Identifier: MIT
// Site selection: the solvers against brute force over every k-subset, the heuristic against
// the exact optimum, the constraints in every answer, existing facilities, the radius rule,
// demand aggregation, thread independence, and the 148 Chicago supermarkets.
#include "hotmap/siting/solver.hpp"

#include "hotmap/error.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/network/paths.hpp"
#include "hotmap/pipeline/site.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iostream>
#include <limits>
#include <numeric>

namespace hotmap::siting {
namespace {

/// A small reproducible generator (splitmix64), the same on every platform.
struct Rng {
    std::uint64_t s;
    explicit Rng(std::uint64_t seed) : s(seed) {}
    std::uint64_t next()
    {
        std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    double uniform(double lo, double hi) { return lo + (hi - lo) * static_cast<double>(next() >> 11) * 0x1.0p-53; }
    int integer(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }
};

/// A problem from places (with weights), candidates and existing facilities (all of radius r).
Problem make_problem(const std::vector<Point>& places, const std::vector<double>& weight, const std::vector<Candidate>& cands, double r,
                     const std::vector<Point>& existing = {}, std::size_t districts = 0)
{
    Problem p;
    p.demand.pts = places;
    p.demand.weight = weight;
    p.demand.incidents.assign(places.size(), 1);
    p.demand.total = std::accumulate(weight.begin(), weight.end(), 0.0);
    p.candidates = cands;
    p.allowed.assign(cands.size(), 1);
    p.radius_m = r;
    p.districts = districts;
    p.precovered.assign(places.size(), 0);
    p.existing_m.assign(places.size(), std::numeric_limits<double>::infinity());
    for (std::size_t i = 0; i < places.size(); ++i)
        for (const Point& e : existing) {
            const double d = std::hypot(places[i].x - e.x, places[i].y - e.y);
            p.existing_m[i] = std::min(p.existing_m[i], d);
            if (d <= r) p.precovered[i] = 1;
        }
    return p;
}

/// A random instance: clustered weighted places in a 2 km square, candidates over it.
Problem random_problem(std::uint64_t seed, std::size_t n_places, std::size_t n_cands, double r, std::size_t n_existing = 0,
                       std::size_t districts = 0, bool integer_weights = true)
{
    Rng g(seed);
    std::vector<Point> centres;
    for (int c = 0; c < 4; ++c) centres.push_back({g.uniform(200, 1800), g.uniform(200, 1800)});
    std::vector<Point> places;
    std::vector<double> w;
    for (std::size_t i = 0; i < n_places; ++i) {
        if (g.uniform(0, 1) < 0.6) {
            const Point& c = centres[static_cast<std::size_t>(g.integer(0, 3))];
            places.push_back({c.x + g.uniform(-250, 250), c.y + g.uniform(-250, 250)});
        } else {
            places.push_back({g.uniform(0, 2000), g.uniform(0, 2000)});
        }
        w.push_back(integer_weights ? g.integer(1, 5) : g.uniform(0.1, 3.0));
    }
    std::vector<Candidate> cands;
    for (std::size_t j = 0; j < n_cands; ++j) {
        Candidate c;
        c.p = {g.uniform(0, 2000), g.uniform(0, 2000)};
        c.district = districts ? static_cast<std::int32_t>(c.p.x / 2000.0 * static_cast<double>(districts)) : -1;
        c.district = std::min<std::int32_t>(c.district, static_cast<std::int32_t>(districts) - 1);
        cands.push_back(c);
    }
    std::vector<Point> existing;
    for (std::size_t e = 0; e < n_existing; ++e) existing.push_back({g.uniform(0, 2000), g.uniform(0, 2000)});
    return make_problem(places, w, cands, r, existing, districts);
}

bool covers(const Problem& p, std::uint32_t j, std::size_t i)
{
    return std::hypot(p.demand.pts[i].x - p.candidates[j].p.x, p.demand.pts[i].y - p.candidates[j].p.y) <= p.radius_m;
}

/// Max flow by augmenting paths (BFS) on a dense small graph with integer capacities: an
/// implementation independent of the library's Boost one.
long long small_max_flow(std::vector<std::vector<long long>> cap, int s, int t)
{
    const int n = static_cast<int>(cap.size());
    long long flow = 0;
    for (;;) {
        std::vector<int> prev(static_cast<std::size_t>(n), -1);
        prev[static_cast<std::size_t>(s)] = s;
        std::vector<int> queue{s};
        for (std::size_t q = 0; q < queue.size() && prev[static_cast<std::size_t>(t)] < 0; ++q)
            for (int v = 0; v < n; ++v)
                if (prev[static_cast<std::size_t>(v)] < 0 && cap[static_cast<std::size_t>(queue[q])][static_cast<std::size_t>(v)] > 0) {
                    prev[static_cast<std::size_t>(v)] = queue[q];
                    queue.push_back(v);
                }
        if (prev[static_cast<std::size_t>(t)] < 0) return flow;
        long long push = std::numeric_limits<long long>::max();
        for (int v = t; v != s; v = prev[static_cast<std::size_t>(v)])
            push = std::min(push, cap[static_cast<std::size_t>(prev[static_cast<std::size_t>(v)])][static_cast<std::size_t>(v)]);
        for (int v = t; v != s; v = prev[static_cast<std::size_t>(v)]) {
            cap[static_cast<std::size_t>(prev[static_cast<std::size_t>(v)])][static_cast<std::size_t>(v)] -= push;
            cap[static_cast<std::size_t>(v)][static_cast<std::size_t>(prev[static_cast<std::size_t>(v)])] += push;
        }
        flow += push;
    }
}

/// Covered weight (existing included) of a set of sites, by hand; with a capacity per new
/// site, the best assignment (integer weights) by the small max flow.
double covered_by_hand(const Problem& p, const std::vector<std::uint32_t>& sites, double capacity = 0)
{
    double base = 0;
    for (std::size_t i = 0; i < p.demand.pts.size(); ++i)
        if (p.precovered[i]) base += p.demand.weight[i];
    if (capacity <= 0) {
        double c = base;
        for (std::size_t i = 0; i < p.demand.pts.size(); ++i) {
            if (p.precovered[i]) continue;
            for (std::uint32_t j : sites)
                if (covers(p, j, i)) {
                    c += p.demand.weight[i];
                    break;
                }
        }
        return c;
    }
    const int n = 2 + static_cast<int>(sites.size() + p.demand.pts.size());
    std::vector<std::vector<long long>> cap(static_cast<std::size_t>(n), std::vector<long long>(static_cast<std::size_t>(n), 0));
    for (std::size_t q = 0; q < sites.size(); ++q) {
        cap[0][2 + q] = std::llround(capacity);
        for (std::size_t i = 0; i < p.demand.pts.size(); ++i)
            if (!p.precovered[i] && covers(p, sites[q], i)) cap[2 + q][2 + sites.size() + i] = 1LL << 40;
    }
    for (std::size_t i = 0; i < p.demand.pts.size(); ++i) cap[2 + sites.size() + i][1] = std::llround(p.demand.weight[i]);
    return base + static_cast<double>(small_max_flow(cap, 0, 1));
}

double total_distance_by_hand(const Problem& p, const std::vector<std::uint32_t>& sites)
{
    double t = 0;
    for (std::size_t i = 0; i < p.demand.pts.size(); ++i) {
        double d = p.existing_m[i];
        for (std::uint32_t j : sites) d = std::min(d, std::hypot(p.demand.pts[i].x - p.candidates[j].p.x, p.demand.pts[i].y - p.candidates[j].p.y));
        t += p.demand.weight[i] * d;
    }
    return t;
}

bool feasible_by_hand(const Problem& p, const Params& o, const std::vector<std::uint32_t>& sites)
{
    for (std::size_t a = 0; a < sites.size(); ++a) {
        if (!p.allowed[sites[a]]) return false;
        for (std::size_t b = a + 1; b < sites.size(); ++b)
            if (o.min_spacing_m > 0 && std::hypot(p.candidates[sites[a]].p.x - p.candidates[sites[b]].p.x,
                                                  p.candidates[sites[a]].p.y - p.candidates[sites[b]].p.y) < o.min_spacing_m)
                return false;
    }
    if (o.max_per_district > 0) {
        std::vector<unsigned> n(p.districts, 0);
        for (std::uint32_t j : sites)
            if (p.candidates[j].district >= 0 && ++n[static_cast<std::size_t>(p.candidates[j].district)] > o.max_per_district) return false;
    }
    return true;
}

/// Every subset of at most k candidates (exactly k with `exactly`), fn(subset).
void for_each_subset(std::size_t n, std::size_t k, bool exactly, const std::function<void(const std::vector<std::uint32_t>&)>& fn)
{
    std::vector<std::uint32_t> cur;
    std::function<void(std::uint32_t)> rec = [&](std::uint32_t from) {
        if (!exactly || cur.size() == k) fn(cur);
        if (cur.size() == k) return;
        for (std::uint32_t j = from; j < n; ++j) {
            cur.push_back(j);
            rec(j + 1);
            cur.pop_back();
        }
    };
    rec(0);
}

struct Brute {
    double best = -1;
    std::size_t fewest = std::numeric_limits<std::size_t>::max();
};

Brute brute_mclp(const Problem& p, const Params& o)
{
    Brute b;
    for_each_subset(p.candidates.size(), o.k, false, [&](const std::vector<std::uint32_t>& s) {
        if (feasible_by_hand(p, o, s)) b.best = std::max(b.best, covered_by_hand(p, s, o.capacity));
    });
    return b;
}

void expect_sites_valid(const Problem& p, const Params& o, const Solution& s, const std::string& what)
{
    EXPECT_TRUE(feasible_by_hand(p, o, s.sites)) << what << ": a constraint is broken";
    std::vector<std::uint32_t> sorted = s.sites;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << what << ": a site twice";
    if (o.objective != Objective::lscp) {
        EXPECT_LE(s.sites.size(), o.k) << what;
    }
    ASSERT_EQ(s.gain.size(), s.sites.size()) << what;
    ASSERT_EQ(s.covered.size(), s.sites.size()) << what;
}

TEST(SitingBruteForce, ExactMclpEqualsEveryKSubsetAndTheHeuristicIsWithinOnePercent)
{
    double worst = 100;
    int instances = 0;
    for (std::uint64_t seed = 1; seed <= 12; ++seed)
        for (unsigned k = 1; k <= 4; ++k) {
            const Problem p = random_problem(seed, 60, 11, 300, seed % 3); // some with existing facilities
            Params o;
            o.k = k;
            o.threads = 1;
            const Brute b = brute_mclp(p, o);
            Params ex = o;
            ex.exact = true;
            const Solution e = solve(p, ex);
            const Solution h = solve(p, o);
            const std::string what = "seed " + std::to_string(seed) + " k " + std::to_string(k);
            expect_sites_valid(p, ex, e, what + " exact");
            expect_sites_valid(p, o, h, what + " heuristic");
            EXPECT_TRUE(e.optimal) << what;
            EXPECT_NEAR(e.objective, b.best, 1e-9) << what;
            EXPECT_NEAR(covered_by_hand(p, e.sites), b.best, 1e-9) << what;
            EXPECT_NEAR(covered_by_hand(p, h.sites), h.objective, 1e-9) << what;
            EXPECT_GE(h.objective, 0.99 * b.best) << what;
            // the bound holds and the gap says how far the heuristic may be
            EXPECT_GE(h.bound, b.best - 1e-9) << what;
            EXPECT_GE(e.bound, b.best - 1e-9) << what;
            worst = std::min(worst, 100.0 * h.objective / b.best);
            ++instances;
        }
    std::cout << "[ siting ] heuristic / optimum over " << instances << " brute-force instances: worst " << worst << "%\n";
}

TEST(SitingHeuristic, WithinOnePercentOfTheExactOptimumOnMediumInstances)
{
    double worst = 100;
    int instances = 0, proved = 0;
    for (std::uint64_t seed = 101; seed <= 124; ++seed) {
        const unsigned k = 4 + static_cast<unsigned>(seed % 9);
        const Problem p = random_problem(seed, 1500, 250, 120 + 10.0 * static_cast<double>(seed % 5), seed % 4, 0, seed % 2 == 0);
        Params o;
        o.k = k;
        o.threads = 2;
        o.time_limit_s = 60;
        if (seed > 112) o.min_spacing_m = 150; // the second half with spacing between the new sites
        Params ex = o;
        ex.exact = true;
        const Solution e = solve(p, ex);
        const Solution h = solve(p, o);
        expect_sites_valid(p, o, h, "seed " + std::to_string(seed));
        if (!e.optimal) continue;
        ++proved;
        const std::string what = "seed " + std::to_string(seed) + " k " + std::to_string(k);
        EXPECT_LE(h.objective, e.objective + 1e-9) << what;
        EXPECT_GE(h.objective, 0.99 * e.objective) << what;
        EXPECT_GE(h.bound, e.objective - 1e-9) << what;
        worst = std::min(worst, 100.0 * h.objective / e.objective);
        ++instances;
    }
    EXPECT_GE(proved, 20); // GLPK proves (nearly) all of them: the comparison is real
    std::cout << "[ siting ] heuristic / optimum over " << instances << " medium instances: worst " << worst << "%\n";
}

TEST(SitingBruteForce, SpacingAndDistrictLimitsHoldAndExactIsOptimalUnderThem)
{
    for (std::uint64_t seed = 21; seed <= 30; ++seed) {
        const Problem p = random_problem(seed, 50, 12, 280, 0, 3);
        Params o;
        o.k = 4;
        o.min_spacing_m = 350;
        o.max_per_district = 2;
        o.threads = 1;
        const Brute b = brute_mclp(p, o);
        Params ex = o;
        ex.exact = true;
        const Solution e = solve(p, ex);
        const Solution h = solve(p, o);
        const std::string what = "seed " + std::to_string(seed);
        expect_sites_valid(p, o, e, what + " exact");
        expect_sites_valid(p, o, h, what + " heuristic");
        EXPECT_NEAR(e.objective, b.best, 1e-9) << what;
        EXPECT_LE(h.objective, b.best + 1e-9) << what;
        EXPECT_GE(h.bound, b.best - 1e-9) << what;
    }
}

TEST(SitingBruteForce, CapacityIsRespectedAndExactEqualsTheBestAssignmentOverEverySubset)
{
    for (std::uint64_t seed = 41; seed <= 48; ++seed) {
        const Problem p = random_problem(seed, 30, 9, 350, seed % 2);
        Params o;
        o.k = 3;
        o.capacity = 12;
        o.threads = 1;
        const Brute b = brute_mclp(p, o);
        Params ex = o;
        ex.exact = true;
        const Solution e = solve(p, ex);
        const Solution h = solve(p, o);
        const std::string what = "seed " + std::to_string(seed);
        expect_sites_valid(p, o, e, what);
        EXPECT_NEAR(e.objective, b.best, 1e-6) << what;
        // what the sites serve is at most K x capacity beyond the existing coverage, and equals the hand-made assignment
        EXPECT_NEAR(h.objective, covered_by_hand(p, h.sites, o.capacity), 1e-6) << what;
        EXPECT_LE(h.objective - h.base_covered, o.k * o.capacity + 1e-9) << what;
        EXPECT_LE(h.objective, b.best + 1e-6) << what;
        EXPECT_GE(h.bound, b.best - 1e-6) << what;
    }
}

TEST(SitingBruteForce, LscpFindsTheFewestSitesReachingTheTarget)
{
    for (std::uint64_t seed = 61; seed <= 70; ++seed) {
        const Problem p = random_problem(seed, 40, 10, 400, seed % 2);
        Params o;
        o.objective = Objective::lscp;
        o.target_pct = 55;
        o.k = 0;
        o.threads = 1;
        const double target = 0.55 * p.demand.total;
        std::size_t fewest = 99;
        for_each_subset(p.candidates.size(), 10, false, [&](const std::vector<std::uint32_t>& s) {
            if (s.size() < fewest && covered_by_hand(p, s) >= target - 1e-9) fewest = s.size();
        });
        const std::string what = "seed " + std::to_string(seed);
        if (fewest == 99) {
            EXPECT_THROW(solve(p, o), InputError) << what; // infeasible: the best reachable is named
            continue;
        }
        Params ex = o;
        ex.exact = true;
        const Solution e = solve(p, ex);
        const Solution h = solve(p, o);
        EXPECT_EQ(e.sites.size(), fewest) << what;
        EXPECT_GE(covered_by_hand(p, e.sites), target - 1e-9) << what;
        EXPECT_GE(covered_by_hand(p, h.sites), target - 1e-9) << what;
        EXPECT_GE(h.sites.size(), fewest) << what;
        EXPECT_LE(h.bound, static_cast<double>(fewest)) << what;
    }
}

TEST(SitingBruteForce, PmedianExactEqualsEveryKSubsetAndTheBoundIsBelow)
{
    for (std::uint64_t seed = 81; seed <= 88; ++seed)
        for (unsigned k = 1; k <= 3; ++k) {
            const Problem p = random_problem(seed, 40, 10, 300, seed % 2, 0, false);
            Params o;
            o.objective = Objective::pmedian;
            o.k = k;
            o.threads = 1;
            double best = std::numeric_limits<double>::infinity();
            for_each_subset(p.candidates.size(), k, true, [&](const std::vector<std::uint32_t>& s) { best = std::min(best, total_distance_by_hand(p, s)); });
            Params ex = o;
            ex.exact = true;
            const Solution e = solve(p, ex);
            const Solution h = solve(p, o);
            const std::string what = "seed " + std::to_string(seed) + " k " + std::to_string(k);
            EXPECT_EQ(e.sites.size(), k) << what;
            EXPECT_NEAR(e.objective, best, 1e-6 * best) << what;
            EXPECT_NEAR(total_distance_by_hand(p, h.sites), h.objective, 1e-6 * best) << what;
            EXPECT_LE(h.objective, 1.01 * best) << what;
            EXPECT_LE(h.bound, best * (1 + 1e-9)) << what;
            EXPECT_NEAR(h.mean_m.back() * p.demand.total, h.objective, 1e-6 * best) << what;
        }
}

TEST(Siting, APlaceExactlyAtTheRadiusIsCovered)
{
    // 3-4-5: the place is exactly 5 m from the candidate
    const Problem p = make_problem({{3, 4}, {30, 40}}, {1, 1}, {{{0, 0}}, {{100, 100}}}, 5.0);
    Params o;
    o.k = 1;
    const Solution s = solve(p, o);
    ASSERT_EQ(s.sites.size(), 1u);
    EXPECT_EQ(s.sites[0], 0u);
    EXPECT_DOUBLE_EQ(s.objective, 1.0);
    // a hair beyond is not
    const Problem q = make_problem({{3, 4.000001}}, {1}, {{{0, 0}}}, 5.0);
    const Solution t = solve(q, o);
    EXPECT_DOUBLE_EQ(t.objective, 0.0);
}

TEST(Siting, ExistingFacilitiesCoverFirstAndNewSitesGoWhereTheyAddMost)
{
    // two clusters; an existing lamp covers the bigger one: the new site must go to the other
    std::vector<Point> places;
    std::vector<double> w;
    for (int i = 0; i < 10; ++i) places.push_back({0.0 + i, 0.0}), w.push_back(1);
    for (int i = 0; i < 6; ++i) places.push_back({1000.0 + i, 0.0}), w.push_back(1);
    const std::vector<Candidate> cands{{{5, 0}}, {{1003, 0}}};
    const Problem p = make_problem(places, w, cands, 50, {{4, 0}});
    Params o;
    o.k = 1;
    const Solution s = solve(p, o);
    ASSERT_EQ(s.sites.size(), 1u);
    EXPECT_EQ(s.sites[0], 1u);
    EXPECT_DOUBLE_EQ(s.base_covered, 10.0);
    EXPECT_DOUBLE_EQ(s.gain[0], 6.0);
    EXPECT_DOUBLE_EQ(s.covered[0], 16.0);
    // a second site would add nothing: only one is placed, and the note says why
    o.k = 2;
    const Solution t = solve(p, o);
    EXPECT_EQ(t.sites.size(), 1u);
    ASSERT_FALSE(t.notes.empty());
    EXPECT_NE(t.notes[0].find("only 1 of the 2"), std::string::npos);
}

TEST(Siting, RanksAreByMarginalGainAndCoveredAddsUp)
{
    const Problem p = random_problem(7, 400, 60, 250, 2);
    Params o;
    o.k = 8;
    const Solution s = solve(p, o);
    ASSERT_EQ(s.sites.size(), 8u);
    double acc = s.base_covered;
    for (std::size_t r = 0; r < s.sites.size(); ++r) {
        acc += s.gain[r];
        EXPECT_NEAR(s.covered[r], acc, 1e-9);
        if (r) {
            EXPECT_LE(s.gain[r], s.gain[r - 1] + 1e-9) << "rank " << r + 1;
        }
        std::vector<std::uint32_t> prefix(s.sites.begin(), s.sites.begin() + static_cast<std::ptrdiff_t>(r + 1));
        EXPECT_NEAR(covered_by_hand(p, prefix), s.covered[r], 1e-9);
    }
    EXPECT_NEAR(s.objective, s.covered.back(), 1e-9);
}

TEST(Siting, BadRequestsAreRefusedWithTheReason)
{
    const Problem p = random_problem(3, 50, 5, 200);
    Params o;
    o.k = 6;
    try {
        solve(p, o);
        FAIL() << "k larger than the candidates";
    } catch (const ParameterError& e) {
        EXPECT_NE(std::string(e.what()).find("only 5 candidate sites"), std::string::npos) << e.what();
    }
    o.k = 0;
    EXPECT_THROW(solve(p, o), ParameterError);
    Params l;
    l.objective = Objective::lscp;
    l.target_pct = 100;
    l.k = 0;
    try {
        solve(make_problem({{0, 0}, {5000, 0}}, {1, 3}, {{{0, 0}}}, 10), l);
        FAIL() << "unreachable target";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("the best reachable is 25.00%"), std::string::npos) << e.what();
    }
    Problem none = random_problem(3, 50, 5, 200);
    none.allowed.assign(none.candidates.size(), 0);
    Params one;
    EXPECT_THROW(solve(none, one), InputError);
}

TEST(SitingDemand, MergingKeepsEveryIncidentAndStatesTheShift)
{
    std::vector<Incident> items;
    Rng g(5);
    double total = 0;
    for (int i = 0; i < 5000; ++i) {
        Incident it;
        it.x = g.uniform(0, 3000);
        it.y = g.uniform(0, 3000);
        it.weight = g.integer(1, 3);
        total += it.weight;
        items.push_back(it);
    }
    items.push_back(items[10]); // an exact duplicate place
    total += items.back().weight;
    const Demand exact = make_demand(items, 0, 2);
    EXPECT_EQ(exact.pts.size(), 5000u);
    EXPECT_DOUBLE_EQ(exact.max_shift_m, 0.0);
    const Demand cells = make_demand(items, 100, 2);
    EXPECT_LE(cells.pts.size(), 900u);
    double w = 0;
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < cells.pts.size(); ++i) w += cells.weight[i], n += cells.incidents[i];
    EXPECT_DOUBLE_EQ(w, total);
    EXPECT_DOUBLE_EQ(cells.total, total);
    EXPECT_EQ(n, items.size());
    EXPECT_GT(cells.max_shift_m, 0.0);
    EXPECT_LE(cells.max_shift_m, 100 * std::sqrt(2.0));
}

TEST(SitingThreads, IdenticalSitesForAnyThreadCount)
{
    test::ChunkCap cap(16); // small chunks: every loop really runs on several threads
    const Problem p = random_problem(11, 3000, 600, 150, 5, 4);
    for (Objective obj : {Objective::mclp, Objective::lscp, Objective::pmedian}) {
        Params o;
        o.objective = obj;
        o.k = obj == Objective::lscp ? 0 : 12;
        o.target_pct = 60;
        o.min_spacing_m = obj == Objective::pmedian ? 0 : 100;
        o.max_per_district = obj == Objective::mclp ? 4 : 0;
        o.max_swap_passes = 5;
        std::vector<Solution> s;
        for (unsigned t : {1u, 2u, 7u}) {
            o.threads = t;
            s.push_back(solve(p, o));
        }
        for (std::size_t q = 1; q < s.size(); ++q) {
            EXPECT_EQ(s[q].sites, s[0].sites) << objective_name(obj);
            EXPECT_EQ(s[q].objective, s[0].objective) << objective_name(obj);
            EXPECT_EQ(s[q].covered, s[0].covered) << objective_name(obj);
            EXPECT_EQ(s[q].bound, s[0].bound) << objective_name(obj);
        }
    }
}

TEST(SitingThreads, CapacitatedGreedyIdenticalForAnyThreadCount)
{
    test::ChunkCap cap(16);
    const Problem p = random_problem(12, 3000, 800, 200, 3);
    Params o;
    o.k = 10;
    o.capacity = 40;
    std::vector<Solution> s;
    for (unsigned t : {1u, 2u, 7u}) {
        o.threads = t;
        s.push_back(solve(p, o));
    }
    for (std::size_t q = 1; q < s.size(); ++q) {
        EXPECT_EQ(s[q].sites, s[0].sites);
        EXPECT_EQ(s[q].covered, s[0].covered);
    }
    EXPECT_LE(s[0].objective - s[0].base_covered, 10 * 40 + 1e-9);
}

// The 148 Chicago supermarkets as candidate sites for the September 2016 abandoned-vehicle
// reports, R = 1000 m, k = 1..10: the heuristic against GLPK's proved optimum.
TEST(SitingReal, ChicagoSupermarketsHeuristicAgainstExact)
{
    HOTMAP_REQUIRE_SHARED(dir, "realdata/chicago_abandoned_vehicles_2016");
    pipeline::InputParams ip;
    ip.incidents.path = dir + "/incidents.csv";
    ip.incidents.x_field = "x";
    ip.incidents.y_field = "y";
    ip.incidents.crs = "EPSG:32616";
    ip.districts.path = dir + "/community_areas_32616.geojson";
    NullLog log;
    const pipeline::Inputs in = pipeline::load(ip, log);
    ASSERT_EQ(in.incidents.items.size(), 2635u);
    double worst = 100;
    double previous = 0;
    for (unsigned k = 1; k <= 10; ++k) {
        pipeline::SiteParams sp;
        sp.radius_m = 1000;
        sp.candidate_layers = {dir + "/supermarkets.csv"};
        sp.solver.k = k;
        pipeline::SiteParams ep = sp;
        ep.solver.exact = true;
        const pipeline::SiteResult h = pipeline::plan_sites(sp, in, {}, log);
        const pipeline::SiteResult e = pipeline::plan_sites(ep, in, {}, log);
        EXPECT_EQ(h.candidates, 148u);
        EXPECT_TRUE(e.solution.optimal) << "k " << k;
        EXPECT_GE(e.solution.objective, previous) << "k " << k; // more sites never cover less
        previous = e.solution.objective;
        EXPECT_GE(h.solution.objective, 0.99 * e.solution.objective) << "k " << k;
        EXPECT_LE(h.solution.objective, e.solution.objective + 1e-9) << "k " << k;
        EXPECT_DOUBLE_EQ(h.covered_after, h.solution.objective) << "k " << k; // no merging: the model is the incidents
        worst = std::min(worst, 100.0 * h.solution.objective / e.solution.objective);
        std::cout << "[ chicago ] k " << k << ": exact " << e.solution.objective << ", heuristic " << h.solution.objective << " (bound "
                  << h.solution.bound << ", " << h.solution.bound_method << ")\n";
    }
    std::cout << "[ chicago ] worst heuristic / optimum: " << worst << "%\n";
}

// The p-median along the streets on the 116 Chicago street crimes: the reported mean distance
// is the mean walk from each crime to its nearest chosen site (recomputed here pair by pair
// with a Dijkstra per pair), the same on 1 and 3 threads, and GLPK's proved optimum is no worse
// than the heuristic.
TEST(SitingReal, ChicagoStreetsPmedianIsTheMeanWalk)
{
    HOTMAP_REQUIRE_SHARED(dir, "realdata/chicago_street_crimes");
    pipeline::InputParams ip;
    ip.incidents.path = dir + "/crimes.csv";
    ip.incidents.x_field = "x";
    ip.incidents.y_field = "y";
    ip.incidents.crs = "EPSG:32616";
    NullLog log;
    pipeline::Inputs in = pipeline::load(ip, log);
    in.threads = 1;
    ASSERT_EQ(in.incidents.items.size(), 116u);
    pipeline::SiteParams sp;
    sp.solver.objective = siting::Objective::pmedian;
    sp.solver.k = 4;
    sp.candidate_spacing_m = 150;
    sp.demand_cell_m = 0;
    sp.streets.path = dir + "/streets_32616.geojson";
    sp.streets.max_snap_m = 1000;
    const pipeline::SiteResult one = pipeline::plan_sites(sp, in, {}, log);
    ASSERT_EQ(one.sites.rows.size(), 4u);

    // the streets and the crimes on them, independently
    const io::StreetLayer sl = io::read_street_lines(sp.streets.path, "", crs::Crs());
    network::StreetLines lines;
    lines.lines = sl.parts;
    const network::Graph g = network::build_graph(lines);
    const network::EdgeIndex ix(g);
    std::vector<network::NetPoint> sites;
    for (const auto& row : one.sites.rows) sites.push_back(ix.snap(std::get<double>(row[8]), std::get<double>(row[9])));
    for (const network::NetPoint& s : sites) ASSERT_LT(s.snap_m, 1e-6); // the sites stand on the streets
    double sum = 0;
    for (const Incident& it : in.incidents.items) {
        const network::NetPoint p = ix.snap(it.x, it.y);
        double best = std::numeric_limits<double>::infinity();
        for (const network::NetPoint& s : sites) best = std::min(best, network::network_distance(g, p, s));
        ASSERT_TRUE(std::isfinite(best));
        sum += best;
    }
    const double mean = std::get<double>(one.sites.rows.back()[4]);
    EXPECT_NEAR(mean, sum / 116.0, 1e-9);
    EXPECT_NEAR(one.solution.objective, sum, 1e-7);
    // the mean falls with each site, and the bound lies below the objective
    for (std::size_t k = 1; k < one.sites.rows.size(); ++k)
        EXPECT_LE(std::get<double>(one.sites.rows[k][4]), std::get<double>(one.sites.rows[k - 1][4]) + 1e-9);
    EXPECT_LE(one.solution.bound, one.solution.objective + 1e-9);

    pipeline::Inputs in3 = pipeline::load(ip, log);
    in3.threads = 3;
    const test::ChunkCap cap(2);
    const pipeline::SiteResult three = pipeline::plan_sites(sp, in3, {}, log);
    EXPECT_EQ(three.solution.sites, one.solution.sites);
    EXPECT_EQ(three.solution.objective, one.solution.objective);

    pipeline::SiteParams ep = sp;
    ep.solver.exact = true;
    ep.solver.time_limit_s = 3;  // GLPK starts from the heuristic's sites: never worse, even when stopped
    const pipeline::SiteResult exact = pipeline::plan_sites(ep, in, {}, log);
    EXPECT_LE(exact.solution.objective, one.solution.objective + 1e-9);
    std::cout << "Chicago streets p-median K=4: heuristic " << one.solution.objective / 116 << " m, GLPK "
              << exact.solution.objective / 116 << " m (" << (exact.solution.optimal ? "optimal" : "not proved") << ")\n";
}

} // namespace
} // namespace hotmap::siting

