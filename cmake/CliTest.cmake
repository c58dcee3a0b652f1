# SPDX-License-Identifier: MIT
# add_cli_test(): one end-to-end test of the hotmap binary (osmium style).
#
#   add_cli_test(NAME name ARGS a b c
#                [EXPECT_RC n]             default 0
#                [STDERR_REGEX re]         default: stderr must be empty
#                [STDOUT_REGEX re ...]     each must match stdout
#                [OUTPUTS f ...]           files that must exist afterwards (relative to the work dir)
#                [NO_OUTPUTS f ...]        files that must not exist (no partial output)
#                [SETUP_FILES f ...]       files created (with "old") before the run
#                [CHECK_CMD cmd ...]       a command run afterwards in the work dir; must exit 0
#                [ENV VAR=VALUE ...])      environment of the run (e.g. HOTMAP_CHUNK_CAP=64)
#
# In ARGS and file names: @OUT@ = the test's work dir, @DATA@ = tests/data,
# @SAMPLES@ = data-samples, @SHARED@ = HOTMAP_SHARED_DIR. Each test runs in a fresh work dir.
# Tests whose args mention @SHARED@ are skipped (ctest "Skipped") when the folder is absent.
function(add_cli_test)
  # PARSE_ARGV keeps a ';' inside an argument ("sh -c 'a; b'") instead of splitting it
  cmake_parse_arguments(PARSE_ARGV 0 T "" "NAME;EXPECT_RC;STDERR_REGEX" "ARGS;STDOUT_REGEX;OUTPUTS;NO_OUTPUTS;SETUP_FILES;CHECK_CMD;ENV")
  if(NOT DEFINED T_EXPECT_RC)
    set(T_EXPECT_RC 0)
  endif()
  set(work "${CMAKE_CURRENT_BINARY_DIR}/cli/${T_NAME}")
  set(spec "${CMAKE_CURRENT_BINARY_DIR}/cli-specs/${T_NAME}.cmake")
  set(content "")
  foreach(var ARGS STDOUT_REGEX OUTPUTS NO_OUTPUTS SETUP_FILES CHECK_CMD ENV)
    set(items "")
    foreach(a IN LISTS T_${var})
      string(REPLACE "@OUT@" "${work}" a "${a}")
      string(REPLACE "@DATA@" "${PROJECT_SOURCE_DIR}/tests/data" a "${a}")
      string(REPLACE "@SAMPLES@" "${PROJECT_SOURCE_DIR}/data-samples" a "${a}")
      string(REPLACE "@SHARED@" "${HOTMAP_SHARED_DIR}" a "${a}")
      string(REPLACE "\\" "\\\\" a "${a}")
      string(REPLACE "\"" "\\\"" a "${a}")
      string(REPLACE ";" "\\;" a "${a}")
      string(APPEND items " \"${a}\"")
    endforeach()
    string(APPEND content "set(T_${var}${items})\n")
  endforeach()
  set(needs_shared 0)
  if("${T_ARGS}" MATCHES "@SHARED@")
    set(needs_shared 1)
  endif()
  string(REPLACE "\\" "\\\\" re_err "${T_STDERR_REGEX}")
  string(REPLACE "\"" "\\\"" re_err "${re_err}")
  string(REPLACE ";" "\\;" re_err "${re_err}")
  string(APPEND content "set(T_EXPECT_RC ${T_EXPECT_RC})\nset(T_STDERR_REGEX \"${re_err}\")\n")
  if(DEFINED T_STDERR_REGEX)
    string(APPEND content "set(T_HAS_STDERR_REGEX 1)\n")
  else()
    string(APPEND content "set(T_HAS_STDERR_REGEX 0)\n")
  endif()
  string(APPEND content "set(T_WORK \"${work}\")\nset(T_NEEDS_SHARED ${needs_shared})\nset(T_SHARED \"${HOTMAP_SHARED_DIR}\")\n")
  file(WRITE "${spec}" "${content}")
  if(needs_shared AND NOT EXISTS "${HOTMAP_SHARED_DIR}/realdata")
    # ctest reports exit code 77 as skipped (SKIP_RETURN_CODE)
    add_test(NAME cli.${T_NAME} COMMAND sh -c "echo 'SKIP: shared data not found at ${HOTMAP_SHARED_DIR} (set -DHOTMAP_SHARED_DIR)'; exit 77")
  else()
    add_test(NAME cli.${T_NAME}
             COMMAND ${CMAKE_COMMAND} -DHOTMAP=$<TARGET_FILE:hotmap> -DSPEC=${spec} -P ${PROJECT_SOURCE_DIR}/cmake/run_cli_test.cmake)
  endif()
  set_tests_properties(cli.${T_NAME} PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
endfunction()

# The three tests every command gets: --help exits 0 with "Usage: hotmap <cmd>", no
# arguments exits 2, an unknown option exits 2.
function(add_command_basics cmd)
  add_cli_test(NAME ${cmd}-help ARGS ${cmd} --help STDOUT_REGEX "^Usage: hotmap ${cmd}")
  add_cli_test(NAME ${cmd}-no-args ARGS ${cmd} EXPECT_RC 2 STDERR_REGEX "^hotmap ${cmd}: error: ")
  add_cli_test(NAME ${cmd}-unknown-option ARGS ${cmd} --no-such-option EXPECT_RC 2
               STDERR_REGEX "^hotmap ${cmd}: error: .*no-such-option")
endfunction()
