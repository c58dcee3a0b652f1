# SPDX-License-Identifier: MIT
# hotmap_warnings: warning flags attached PRIVATE to our own targets only.
add_library(hotmap_warnings INTERFACE)
target_compile_options(hotmap_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  # GCC 12 reports false -Wrestrict positives inside libstdc++'s std::string (GCC bug 105329)
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
  $<$<BOOL:${HOTMAP_WERROR}>:-Werror>)
