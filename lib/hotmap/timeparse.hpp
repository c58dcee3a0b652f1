// SPDX-License-Identifier: MIT
// Timestamp parsing, calendar helpers and time zones. A Timestamp is a local clock reading;
// a written UTC offset (Z, +02:00) is kept beside it so it can be converted to a zone's clock.
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

/// A timestamp as written: the clock reading, and the UTC offset when one is written
/// ("Z" = 0, "+02:00" = 7200 s).
struct Parsed {
    Timestamp clock = 0;
    std::optional<int> utc_offset_s;
};

/// A configured parser; cheap to copy, thread-safe to use.
class Parser {
public:
    Parser() = default;
    explicit Parser(Layout l, std::string fmt = {}) : m_layout(l), m_format(std::move(fmt)) {}
    /// nullopt when the text does not parse. Empty text is the caller's concern.
    std::optional<Timestamp> parse(std::string_view text) const;
    /// The same, keeping a written UTC offset.
    std::optional<Parsed> parse_full(std::string_view text) const;
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

/// A time of day alone, for exports that split date and time into two columns: "HH:MM",
/// "HH:MM:SS", "H:MM AM", "HHMM" (military, "0930"), with an optional ".fff". Seconds since
/// midnight; nullopt when it does not parse. A zone designator ("22:15Z", "22:15+02:00") is
/// stored in `utc_offset_s` when given.
std::optional<int> parse_time_of_day(std::string_view text, std::optional<int>* utc_offset_s = nullptr);

/// An IANA time zone ("Africa/Lubumbashi") from the system's tz database (Debian's tzdata).
/// Cheap to copy; thread-safe.
class Zone {
public:
    /// Throws ParameterError naming --timezone when the zone is unknown.
    static Zone locate(const std::string& name);
    /// The zone's local clock at a UTC instant (seconds since 1970-01-01 00:00 UTC).
    Timestamp local_from_utc(Timestamp utc) const;
    const std::string& name() const noexcept { return m_name; }

private:
    const void* m_zone = nullptr; ///< date::time_zone, owned by the tz database
    std::string m_name;
};

/// The years a timestamp may have (inclusive): outside them a date is a data error (a two-digit
/// year read as year 24, a placeholder 9999-12-31) and is rejected as time_out_of_range.
inline constexpr int k_min_year = 1900;
inline constexpr int k_max_year = 2199;

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
