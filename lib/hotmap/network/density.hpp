// SPDX-License-Identifier: MIT
// Network kernel density: Okabe and Sugihara's equal-split kernels along the streets, and
// lixels (street pieces) to carry it.
//
// One-dimensional kernels with half-width h (the bandwidth), per metre of street:
//   quartic       k(d) = 15/(16 h) (1 - d^2/h^2)^2    d < h   (default)
//   epanechnikov  k(d) =  3/(4 h)  (1 - d^2/h^2)      d < h
//   triweight     k(d) = 35/(32 h) (1 - d^2/h^2)^3    d < h
//   uniform       k(d) =  1/(2 h)                     d < h
//   gaussian      k(d) = 1/(sqrt(2 pi) s) exp(-d^2/(2 s^2)), s = the bandwidth, cut where the
//                 tail beyond holds less than 1e-15 (d >= 8.31 s), as the area density's
// Each integrates to 1 over the line. An incident's mass leaves it in both directions along
// its street. At a junction of degree m:
//   discontinuous: the mass goes on into each of the other m - 1 streets times 1/(m - 1)
//                  (none at a dead end, m = 1);
//   continuous:    it goes on into each of the other streets times 2/m and is reflected back
//                  into the street it came along times (2 - m)/m (all of it at a dead end;
//                  nothing at m = 2), so the density is continuous across junctions.
// The value at a place is the sum over every path from every incident shorter than the
// kernel's support of (product of the factors) x weight x k(path length). Exact: each path is
// followed to the end of the support (no tail dropped); the kernel is symmetric, so paths are
// traced from the place out, places in parallel, identical results for any thread count.
// A place or an incident exactly at a junction counts as lying on the edge it was snapped to
// (at its end): the density is continuous along each edge up to and including its ends.
#pragma once

#include "hotmap/density/kernels.hpp"
#include "hotmap/network/graph.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace hotmap::network {

enum class Split { discontinuous, continuous };
/// "discontinuous", "continuous"; throws ParameterError naming --split.
Split parse_split(const std::string& s);
std::string split_name(Split s);

/// k(d) per metre for the 1-D kernel of half-width (or sigma) `bandwidth_m`; 0 beyond the support.
double kernel_1d(density::Kernel k, double bandwidth_m, double d);
/// Where k falls to 0: h for the compact kernels, 8.31 s for the gaussian.
double kernel_1d_support(density::Kernel k, double bandwidth_m);

struct NetworkKdeParams {
    double bandwidth_m = 0;
    density::Kernel kernel = density::Kernel::quartic;
    Split split = Split::discontinuous;
    unsigned threads = 0;
    /// Most path steps followed from one place before giving up with an error (continuous
    /// kernels on short edges branch without end): a safeguard, never a truncation.
    std::uint64_t max_steps_per_place = 200'000'000;
};

/// Density (weight per metre of street) at each place `at`, from the events (weights: empty =
/// 1 each). Throws ParameterError (bandwidth), InputError (a place whose paths exceed
/// max_steps_per_place, naming it).
std::vector<double> network_density(const Graph& g, const std::vector<NetPoint>& events, const std::vector<double>& weights,
                                    const std::vector<NetPoint>& at, const NetworkKdeParams& p);

/// A street piece: [from_m, to_m] along an edge.
struct Lixel {
    std::uint32_t edge = 0;
    double from_m = 0, to_m = 0;
};
/// Each edge cut into the fewest equal pieces of at most `max_length_m` (edge order).
std::vector<Lixel> lixels(const Graph& g, double max_length_m);

} // namespace hotmap::network
