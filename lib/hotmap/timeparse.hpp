// SPDX-License-Identifier: MIT
// Timestamp parsing and calendar helpers (naive local clock, no time zones).
#pragma once

#include "hotmap/types.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotmap::timeparse {

/// The date layouts auto-detection distinguishes.
enum class Layout {
    iso,  ///< YYYY-MM-DD or YYYY/MM/DD, optional [T ]HH:MM[:SS[.f]][Z|+hh[:mm]]
    mdy,  ///< MM/DD/YYYY [HH:MM[:SS]] [AM|PM]
    dmy,  ///< DD/MM/YYYY [HH:MM[:SS]]  (also DD.MM.YYYY)
    strptime_format ///< a user --time-format
};

/// A configured parser; cheap to copy, thread-safe to use.
class Parser {
public:
    Parser() = default;
    explicit Parser(Layout l, std::string fmt = {}) : m_layout(l), m_format(std::move(fmt)) {}
    /// nullopt when the text does not parse. Empty text is the caller's concern.
    std::optional<Timestamp> parse(std::string_view text) const;
    Layout layout() const noexcept { return m_layout; }
    std::string describe() const;

private:
    Layout m_layout = Layout::iso;
    std::string m_format;
};

/// Pick the layout from sample values: ISO when they look like it; for slash dates, D/M/Y
/// when a first part exceeds 12, M/D/Y when a second part does. Throws InputError when
/// the samples are ambiguous (all parts <= 12) with a hint to use --time-format.
Parser detect(const std::vector<std::string>& samples, const std::string& column);

/// Seconds since epoch of a civil date and time (proleptic Gregorian).
Timestamp from_civil(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) noexcept;
struct Civil {
    int year, month, day, hour, minute, second;
    int weekday; ///< 0 = Monday .. 6 = Sunday
};
Civil to_civil(Timestamp t) noexcept;
/// "YYYY-MM-DD HH:MM:SS"
std::string format(Timestamp t);
/// Parse a --from/--to value (a date or date-time). Throws ParameterError.
Timestamp parse_user_date(const std::string& text, const std::string& option);

} // namespace hotmap::timeparse
