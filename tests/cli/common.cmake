# SPDX-License-Identifier: MIT
# Top-level behaviour of the hotmap binary.
add_cli_test(NAME top-help ARGS --help STDOUT_REGEX "Usage: hotmap COMMAND" "districts")
add_cli_test(NAME top-no-args EXPECT_RC 2 STDERR_REGEX "Usage: hotmap COMMAND")
add_cli_test(NAME top-version ARGS --version STDOUT_REGEX "^hotmap [0-9.]+ \\(GDAL [0-9.]+, GEOS [0-9.]+.*, PROJ [0-9.]+\\)")
add_cli_test(NAME top-unknown-command ARGS frobnicate EXPECT_RC 2 STDERR_REGEX "unknown command 'frobnicate'")
