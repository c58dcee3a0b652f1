# SPDX-License-Identifier: MIT
# Man-page drift check (STYLE.md B.10): for every command, `hotmap CMD --help` exits 0 and
# every option it prints (--long and -x) appears in docs/man/hotmap-CMD.md, which has the
# sections NAME .. SEE ALSO. The commands are those of cli/registry.cpp, the list `hotmap
# --help` prints; man-pages-all-commands checks that list at run time too (a command added
# without a page, or a NAME line that no longer matches its summary, fails there).
# Included from tests/CMakeLists.txt after cmake/CliTest.cmake.
set(_man_dir "${PROJECT_SOURCE_DIR}/docs/man")
set(_man_check "${PROJECT_SOURCE_DIR}/tests/cli/check_man_page.py")
set(_man_registry "${PROJECT_SOURCE_DIR}/cli/registry.cpp")
# re-run the configuration when a command is added to the registry
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_man_registry}")
file(READ "${_man_registry}" _man_registry_text)
string(REGEX MATCHALL "\\{\"[a-z][a-z0-9-]*\", \"" _man_entries "${_man_registry_text}")
set(_man_commands "")
foreach(_e IN LISTS _man_entries)
  string(REGEX REPLACE "^\\{\"([a-z][a-z0-9-]*)\".*" "\\1" _cmd "${_e}")
  list(APPEND _man_commands "${_cmd}")
endforeach()
if(NOT _man_commands)
  message(FATAL_ERROR "man_pages.cmake: no command found in ${_man_registry}")
endif()
foreach(_cmd IN LISTS _man_commands)
  add_cli_test(NAME man-page-${_cmd} ARGS ${_cmd} --help STDOUT_REGEX "^Usage: hotmap ${_cmd}"
               CHECK_CMD python3 "${_man_check}" ${_cmd} "${_man_dir}")
endforeach()
add_cli_test(NAME man-pages-all-commands ARGS --help STDOUT_REGEX "^Usage: hotmap COMMAND"
             CHECK_CMD python3 "${_man_check}" --all "${_man_dir}")
