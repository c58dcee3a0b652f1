# SPDX-License-Identifier: MIT
# hotmap_sanitize: sanitizer flags (-DHOTMAP_SANITIZE=address,undefined), compile and link, for
# our own targets only; it rides on hotmap_warnings, which every hotmap target links PRIVATE.
# Empty (the default) adds nothing. With -DHOTMAP_FUZZ=ON the code is also instrumented for
# libFuzzer's coverage feedback (clang only; the harnesses in fuzz/ add -fsanitize=fuzzer).
set(HOTMAP_SANITIZE "" CACHE STRING
    "Comma-separated sanitizers to build with, e.g. address,undefined (empty: none)")
add_library(hotmap_sanitize INTERFACE)
if(HOTMAP_SANITIZE)
  # undefined behaviour is an error, never a warning the run goes past
  set(_hotmap_san_flags -fsanitize=${HOTMAP_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  if(HOTMAP_SANITIZE MATCHES "undefined" AND HOTMAP_SANITIZE MATCHES "address")
    # beside AddressSanitizer, UBSan's null, alignment and vptr checks cost a third of the
    # compile time for little: a null dereference is an ASan report anyway, x86 forgives
    # misaligned loads, and the code has almost no virtual calls. The arithmetic, bounds,
    # shift, enum, bool, return and float-cast checks stay.
    list(APPEND _hotmap_san_flags -fno-sanitize=null,alignment,vptr)
  endif()
  target_compile_options(hotmap_sanitize INTERFACE ${_hotmap_san_flags})
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC's flow-based warnings see the instrumented code and report false positives (e.g.
    # "%02d" of a loop index 0..23 "may be truncated"): warnings here, errors in the plain build
    target_compile_options(hotmap_sanitize INTERFACE -Wno-error=format-truncation -Wno-error=format-overflow
      -Wno-error=stringop-overflow -Wno-error=stringop-truncation -Wno-error=maybe-uninitialized
      -Wno-error=array-bounds)
  endif()
  target_link_options(hotmap_sanitize INTERFACE ${_hotmap_san_flags})
  message(STATUS "hotmap: sanitizers ${HOTMAP_SANITIZE}")
endif()
if(HOTMAP_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "HOTMAP_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  target_compile_options(hotmap_sanitize INTERFACE -fsanitize=fuzzer-no-link)
  target_link_options(hotmap_sanitize INTERFACE -fsanitize=fuzzer-no-link)
endif()
target_link_libraries(hotmap_warnings INTERFACE hotmap_sanitize)
