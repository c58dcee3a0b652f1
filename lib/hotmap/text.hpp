// SPDX-License-Identifier: MIT
// Text encoding: every string hotmap writes is UTF-8. Text read from files that is not valid
// UTF-8 (a French office's Excel export in Windows-1252) is converted, not passed on broken.
#pragma once

#include <string>
#include <string_view>

namespace hotmap::text {

/// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool is_utf8(std::string_view s) noexcept;

/// `s` unchanged when it is valid UTF-8; otherwise read as Windows-1252 (a superset of
/// ISO-8859-1 for printable characters) and converted to UTF-8.
std::string to_utf8(std::string_view s);

/// A number for messages and metadata: `digits` significant digits ("%.*g"), "-" when not finite.
std::string number(double v, int digits = 10);

/// A number with a fixed count of decimals ("%.*f"), "-" when not finite.
std::string fixed(double v, int decimals);

/// The shortest text that reads back as the same double (std::to_chars).
std::string shortest(double v);

} // namespace hotmap::text
