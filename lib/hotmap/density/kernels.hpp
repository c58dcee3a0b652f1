// SPDX-License-Identifier: MIT
// Density kernels (DESIGN.md §5): the scaled ArcGIS/QGIS convention, values per square metre.
//
//   quartic       K(d) = 3/(pi r^2) (1 - d^2/r^2)^2      d < r   (default)
//   epanechnikov  K(d) = 2/(pi r^2) (1 - d^2/r^2)        d < r
//   triweight     K(d) = 4/(pi r^2) (1 - d^2/r^2)^3      d < r
//   uniform       K(d) = 1/(pi r^2)                      d < r
//   gaussian      K(d) = 1/(2 pi s^2) exp(-d^2/(2 s^2))  truncated at d >= s*sqrt(2 ln 1e15)
//                                                        (~8.31 s, where exp(...) < 1e-15)
// Each integrates to 1 over the plane (the gaussian to 1 - 1e-15).
#pragma once

#include <string>

namespace hotmap::density {

enum class Kernel { quartic, epanechnikov, triweight, uniform, gaussian };

/// "quartic" (also "biweight"), "epanechnikov", "triweight", "uniform", "gaussian";
/// throws ParameterError naming --kernel.
Kernel parse_kernel(const std::string& s);
std::string kernel_name(Kernel k);

/// Polynomial degree D of K in (r^2 - d^2): quartic 2, epanechnikov 1, triweight 3, uniform 0;
/// -1 for the gaussian.
int kernel_degree(Kernel k);

/// Multiplier c of (r^2 - d^2)^D in K for the compact kernels: quartic 3/(pi r^6), ...
double kernel_scale(Kernel k, double bandwidth_m);

/// Support radius in metres: r for the compact kernels, the truncation radius for the gaussian.
double kernel_support(Kernel k, double bandwidth_m);

/// K(d) per square metre for a distance d (metres); 0 at and beyond the support.
double kernel_value(Kernel k, double bandwidth_m, double d);

/// The bandwidths accepted, metres: below a centimetre or above 1,000 km the kernel values
/// under- or overflow and no city-scale analysis means it.
inline constexpr double k_min_bandwidth_m = 0.01;
inline constexpr double k_max_bandwidth_m = 1e6;

/// Truncation of the gaussian, in units of sigma: sqrt(2 ln 1e15).
inline constexpr double k_gaussian_cut_sigmas = 8.3124926866;

} // namespace hotmap::density
