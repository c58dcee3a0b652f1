// SPDX-License-Identifier: MIT
// Exception hierarchy of the hotmap library: the library throws, the CLI's main catches.
#pragma once

#include <stdexcept>
#include <string>

namespace hotmap {

/// Base of every error the library throws. what() is one line: "<what>: <why>".
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Bad input data: unreadable file, missing column, bad row under --strict, empty layer.
class InputError : public Error {
public:
    using Error::Error;
};

/// A parameter given to a library function is out of range or inconsistent.
/// The CLI maps this to the usage exit code (2).
class ParameterError : public Error {
public:
    using Error::Error;
};

/// A CRS could not be understood or a transformation could not be built.
class CrsError : public Error {
public:
    using Error::Error;
};

/// A geometry operation failed (GEOS returned an error).
class GeometryError : public Error {
public:
    using Error::Error;
};

/// Writing an output failed (existing file without overwrite, unwritable folder, driver error).
class OutputError : public Error {
public:
    using Error::Error;
};

} // namespace hotmap
