// SPDX-License-Identifier: MIT
// Fast hand-written parsers for the common timestamp layouts, strptime for the rest.
#include "hotmap/timeparse.hpp"

#include "hotmap/error.hpp"

#include <date/tz.h>

#include <cctype>
#include <cstdio>
#include <ctime>

namespace hotmap::timeparse {
namespace {

struct Cursor {
    const char* p;
    const char* e;
    bool done() const { return p == e; }
    bool digits(int n, int& out)
    {
        if (e - p < n) return false;
        int v = 0;
        for (int i = 0; i < n; ++i) {
            const char c = p[i];
            if (c < '0' || c > '9') return false;
            v = v * 10 + (c - '0');
        }
        p += n;
        out = v;
        return true;
    }
    // 1 or 2 digits
    bool digits12(int& out)
    {
        if (!digits(1, out)) return false;
        int d2 = 0;
        if (p < e && *p >= '0' && *p <= '9') {
            digits(1, d2);
            out = out * 10 + d2;
        }
        return true;
    }
    bool eat(char c)
    {
        if (p < e && *p == c) {
            ++p;
            return true;
        }
        return false;
    }
    void skip_spaces()
    {
        while (p < e && (*p == ' ' || *p == '\t')) ++p;
    }
};

bool valid_date(int y, int m, int d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1) return false;
    if (d > mdays[m - 1]) return false;
    if (m == 2 && d == 29) return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return true;
}

// Optional time part after the date: [T or spaces]HH:MM[:SS[.fff]] [AM|PM] [Z|+hh[:mm]]
bool parse_clock(Cursor& c, int& hh, int& mi, int& ss, bool allow_ampm, std::optional<int>* offset = nullptr)
{
    hh = mi = ss = 0;
    if (c.done()) return true;
    if (!c.eat('T')) {
        if (*c.p != ' ' && *c.p != '\t') return false;
        c.skip_spaces();
        if (c.done()) return true;
    }
    if (!c.digits12(hh) || !c.eat(':') || !c.digits(2, mi)) return false;
    if (c.eat(':')) {
        if (!c.digits(2, ss)) return false;
        if (c.eat('.') || c.eat(',')) {
            int dummy = 0;
            while (!c.done() && c.digits(1, dummy)) {
            }
        }
    }
    c.skip_spaces();
    if (allow_ampm && c.e - c.p >= 2) {
        const char a = static_cast<char>(std::toupper(static_cast<unsigned char>(c.p[0])));
        const char b = static_cast<char>(std::toupper(static_cast<unsigned char>(c.p[1])));
        if ((a == 'A' || a == 'P') && b == 'M') {
            if (hh < 1 || hh > 12) return false;
            if (a == 'A' && hh == 12) hh = 0;
            if (a == 'P' && hh != 12) hh += 12;
            c.p += 2;
            c.skip_spaces();
        }
    }
    // A zone designator is kept as a UTC offset; the clock reading stays as written.
    if (c.eat('Z')) {
        if (offset) *offset = 0;
    } else if (!c.done() && (*c.p == '+' || *c.p == '-')) {
        const int sign = *c.p == '-' ? -1 : 1;
        ++c.p;
        int oh = 0, om = 0;
        if (!c.digits(2, oh)) return false;
        c.eat(':');
        c.digits(2, om);
        if (oh > 18 || om > 59) return false;
        if (offset) *offset = sign * (oh * 3600 + om * 60);
    }
    c.skip_spaces();
    if (!c.done()) return false;
    return hh <= 23 && mi <= 59 && ss <= 60;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// The common "YYYY-MM-DD HH:MM:SS" (or with a 'T') in one go; false leaves it to the general
// parser below, which reads such a text to the same value.
bool parse_iso_fixed(std::string_view s, Timestamp& t)
{
    if (s.size() != 19) return false;
    const char* p = s.data();
    if (p[4] != '-' || p[7] != '-' || (p[10] != ' ' && p[10] != 'T') || p[13] != ':' || p[16] != ':') return false;
    static constexpr int at[14] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
    int v[14];
    unsigned bad = 0;
    for (int i = 0; i < 14; ++i) {
        v[i] = p[at[i]] - '0';
        bad |= static_cast<unsigned>(v[i]) > 9u;
    }
    if (bad) return false;
    const int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], m = v[4] * 10 + v[5], d = v[6] * 10 + v[7];
    const int hh = v[8] * 10 + v[9], mi = v[10] * 10 + v[11], ss = v[12] * 10 + v[13];
    if (!valid_date(y, m, d) || hh > 23 || mi > 59 || ss > 60) return false;
    t = from_civil(y, m, d, hh, mi, ss);
    return true;
}

std::optional<Timestamp> parse_iso(std::string_view s, std::optional<int>* offset = nullptr)
{
    if (Timestamp t = 0; parse_iso_fixed(s, t)) return t;
    Cursor c{s.data(), s.data() + s.size()};
    int y = 0, m = 0, d = 0;
    if (!c.digits(4, y)) return std::nullopt;
    const char sep = c.p < c.e ? *c.p : 0;
    if (sep != '-' && sep != '/') return std::nullopt;
    ++c.p;
    if (!c.digits12(m) || !c.eat(sep) || !c.digits12(d)) return std::nullopt;
    if (!valid_date(y, m, d)) return std::nullopt;
    int hh, mi, ss;
    if (!parse_clock(c, hh, mi, ss, false, offset)) return std::nullopt;
    return from_civil(y, m, d, hh, mi, ss);
}

std::optional<Timestamp> parse_slash(std::string_view s, bool month_first, std::optional<int>* offset = nullptr)
{
    Cursor c{s.data(), s.data() + s.size()};
    int a = 0, b = 0, y = 0;
    if (!c.digits12(a)) return std::nullopt;
    const char sep = c.p < c.e ? *c.p : 0;
    if (sep != '/' && sep != '.' && sep != '-') return std::nullopt;
    ++c.p;
    if (!c.digits12(b) || !c.eat(sep) || !c.digits(4, y)) return std::nullopt;
    const int m = month_first ? a : b, d = month_first ? b : a;
    if (!valid_date(y, m, d)) return std::nullopt;
    int hh, mi, ss;
    if (!parse_clock(c, hh, mi, ss, true, offset)) return std::nullopt;
    return from_civil(y, m, d, hh, mi, ss);
}

} // namespace

Timestamp from_civil(int y, int m, int d, int hh, int mi, int ss) noexcept
{
    // Howard Hinnant's days_from_civil.
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = static_cast<unsigned>((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const long days = era * 146097 + static_cast<long>(doe) - 719468;
    return static_cast<Timestamp>(days) * 86400 + hh * 3600 + mi * 60 + ss;
}

Civil to_civil(Timestamp t) noexcept
{
    long days = static_cast<long>(t >= 0 ? t / 86400 : (t - 86399) / 86400);
    long secs = static_cast<long>(t - static_cast<Timestamp>(days) * 86400);
    Civil c{};
    c.hour = static_cast<int>(secs / 3600);
    c.minute = static_cast<int>((secs % 3600) / 60);
    c.second = static_cast<int>(secs % 60);
    // 1970-01-01 was a Thursday (3 when Monday = 0).
    c.weekday = static_cast<int>(((days % 7) + 7 + 3) % 7);
    days += 719468;
    const long era = (days >= 0 ? days : days - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    c.year = static_cast<int>(static_cast<long>(yoe) + era * 400 + (c.month <= 2));
    return c;
}

std::string format(Timestamp t)
{
    if (t == k_no_time) return "";
    const Civil c = to_civil(t);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour,
                  c.minute, c.second);
    return buf;
}

std::optional<Timestamp> Parser::parse(std::string_view text) const
{
    const auto p = parse_full(text);
    if (!p) return std::nullopt;
    return p->clock;
}

std::optional<Parsed> Parser::parse_full(std::string_view text) const
{
    const std::string_view s = trim(text);
    if (s.empty()) return std::nullopt;
    Parsed out;
    std::optional<Timestamp> t;
    switch (m_layout) {
    case Layout::iso: t = parse_iso(s, &out.utc_offset_s); break;
    case Layout::mdy: t = parse_slash(s, true, &out.utc_offset_s); break;
    case Layout::dmy: t = parse_slash(s, false, &out.utc_offset_s); break;
    case Layout::strptime_format: {
        std::tm tm{};
        const std::string str(s);
        const char* end = strptime(str.c_str(), m_format.c_str(), &tm);
        if (!end) return std::nullopt;
        while (*end == ' ') ++end;
        if (*end) return std::nullopt;
        if (!valid_date(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday)) return std::nullopt;
        if (tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) return std::nullopt;
        t = from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        // glibc's %z takes up to +-99:59; real offsets stay within +-18:59 (as the ISO parser's)
        if (tm.tm_gmtoff <= -19 * 3600 || tm.tm_gmtoff >= 19 * 3600) return std::nullopt;
        if (tm.tm_gmtoff != 0 || std::string_view(m_format).find("%z") != std::string_view::npos)
            out.utc_offset_s = static_cast<int>(tm.tm_gmtoff);
        break;
    }
    }
    if (!t) return std::nullopt;
    out.clock = *t;
    return out;
}

std::optional<int> parse_time_of_day(std::string_view text, std::optional<int>* utc_offset_s)
{
    const std::string_view s = trim(text);
    if (s.empty()) return std::nullopt;
    int hh = 0, mi = 0, ss = 0;
    const bool all_digits = s.find_first_not_of("0123456789") == std::string_view::npos;
    if (all_digits && (s.size() == 3 || s.size() == 4)) { // military "930", "2330"
        const int v = std::stoi(std::string(s));
        hh = v / 100;
        mi = v % 100;
        if (hh > 23 || mi > 59) return std::nullopt;
        return hh * 3600 + mi * 60;
    }
    // "HH:MM[:SS[.f]] [AM|PM]": the clock parser after a date, with the leading 'T' optional
    const std::string padded = "T" + std::string(s);
    Cursor d{padded.data(), padded.data() + padded.size()};
    if (!parse_clock(d, hh, mi, ss, true, utc_offset_s) || !d.done()) return std::nullopt;
    return hh * 3600 + mi * 60 + ss;
}

Zone Zone::locate(const std::string& name)
{
    Zone z;
    try {
        z.m_zone = date::locate_zone(name);
    } catch (const std::exception&) {
        throw ParameterError("--timezone '" + name + "': unknown time zone (use an IANA name such as Africa/Lubumbashi or "
                             "UTC; the list is in /usr/share/zoneinfo)");
    }
    z.m_name = name;
    return z;
}

Timestamp Zone::local_from_utc(Timestamp utc) const
{
    const auto* tz = static_cast<const date::time_zone*>(m_zone);
    const date::sys_seconds sys{std::chrono::seconds{utc}};
    const date::sys_info info = tz->get_info(sys);
    return utc + static_cast<Timestamp>(info.offset.count());
}

std::string Parser::describe() const
{
    switch (m_layout) {
    case Layout::iso: return "ISO 8601 (YYYY-MM-DD[ HH:MM[:SS]])";
    case Layout::mdy: return "MM/DD/YYYY[ HH:MM[:SS][ AM|PM]]";
    case Layout::dmy: return "DD/MM/YYYY[ HH:MM[:SS][ AM|PM]]";
    case Layout::strptime_format: return "'" + m_format + "'";
    }
    return "";
}

Parser detect(const std::vector<std::string>& samples, const std::string& column)
{
    bool any = false, first_gt12 = false, second_gt12 = false, slash = false;
    for (const std::string& raw : samples) {
        const std::string_view s = trim(raw);
        if (s.empty()) continue;
        any = true;
        if (parse_iso(s)) return Parser(Layout::iso);
        int a = 0, b = 0;
        Cursor c{s.data(), s.data() + s.size()};
        if (c.digits12(a) && (c.eat('/') || c.eat('.') || c.eat('-')) && c.digits12(b)) {
            slash = true;
            if (a > 12) first_gt12 = true;
            if (b > 12) second_gt12 = true;
        }
    }
    if (!any || !slash) return Parser(Layout::iso); // nothing to go on: unparseable rows get rejected
    if (first_gt12 && !second_gt12) return Parser(Layout::dmy);
    if (second_gt12 && !first_gt12) return Parser(Layout::mdy);
    throw InputError("time column '" + column +
                     "': day/month order is ambiguous in the first rows; give --time-format, "
                     "e.g. '%d/%m/%Y %H:%M' or '%m/%d/%Y %H:%M'");
}

Timestamp parse_user_date(const std::string& text, const std::string& option)
{
    if (auto t = parse_iso(trim(text))) {
        const Civil c = to_civil(*t);
        if (c.year < k_min_year || c.year > k_max_year)
            throw ParameterError(option + " '" + text + "': the year must lie in " + std::to_string(k_min_year) + ".." +
                                 std::to_string(k_max_year));
        return *t;
    }
    throw ParameterError(option + " '" + text + "': expected YYYY-MM-DD[ HH:MM[:SS]]");
}

} // namespace hotmap::timeparse
