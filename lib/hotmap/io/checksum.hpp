// SPDX-License-Identifier: MIT
// File checksums for run records (OpenSSL's SHA-256, the same as `sha256sum`).
#pragma once

#include <string>

namespace hotmap::io {

/// Lower-case hex SHA-256 of a file's bytes. Throws InputError when it cannot be read.
std::string sha256_file(const std::string& path);
/// Of a string (tests).
std::string sha256_text(const std::string& bytes);

} // namespace hotmap::io
