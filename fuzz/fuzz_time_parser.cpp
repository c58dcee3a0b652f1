// SPDX-License-Identifier: MIT
// libFuzzer harness: timestamp parsing (every Layout, a few strptime formats), times of day,
// --from/--to dates, layout detection and the civil-date helpers.
//
// Input: lines; each line is one sample. Every parsed time must be a real clock reading: its
// to_civil() fields are in range and go back to it through from_civil(); the date it holds is
// the one written; format() of it parses back to it. The first 8 bytes are also read as a
// timestamp for the civil round trip and the time zone conversion.
#include "hotmap/error.hpp"
#include "hotmap/timeparse.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

using namespace hotmap;
using namespace hotmap::timeparse;

namespace {

[[noreturn]] void finding(const std::string& what, std::string_view sample)
{
    std::fprintf(stderr, "hotmap fuzz finding: %s (sample '%.*s')\n", what.c_str(), static_cast<int>(sample.size()),
                 sample.data());
    std::fflush(stderr);
    std::abort();
}

void check(bool ok, const char* what, std::string_view sample)
{
    if (!ok) finding(what, sample);
}

const Timestamp k_year1 = from_civil(1, 1, 1);
const Timestamp k_year10000 = from_civil(10000, 1, 1);

// A timestamp in years 1..9999 goes through to_civil and back, and formats and re-parses.
void check_civil(Timestamp t, std::string_view sample)
{
    const Civil c = to_civil(t);
    check(c.month >= 1 && c.month <= 12 && c.day >= 1 && c.day <= 31 && c.hour >= 0 && c.hour <= 23 && c.minute >= 0 &&
              c.minute <= 59 && c.second >= 0 && c.second <= 59 && c.weekday >= 0 && c.weekday <= 6,
          "to_civil field out of range", sample);
    check(from_civil(c.year, c.month, c.day, c.hour, c.minute, c.second) == t, "from_civil(to_civil(t)) != t", sample);
    const Timestamp day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    check(c.weekday == static_cast<int>(((day % 7) + 7 + 3) % 7), "to_civil weekday is wrong", sample);
    if (t < k_year1 || t >= k_year10000) return;
    const std::string text = format(t);
    const auto back = Parser(Layout::iso).parse(text);
    check(back && *back == t, "format(t) does not parse back to t", sample);
    if (c.year >= k_min_year && c.year <= k_max_year) {
        try {
            check(parse_user_date(text, "--from") == t, "parse_user_date(format(t)) != t", sample);
        } catch (const ParameterError&) {
            finding("parse_user_date rejects format(t)", sample);
        }
    }
}

// The first three digit groups of a sample (the date as written), or false.
bool date_groups(std::string_view s, int g[3])
{
    int n = 0;
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    while (n < 3 && i < s.size()) {
        if (s[i] < '0' || s[i] > '9') return false;
        long v = 0;
        std::size_t len = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9' && len < 6) {
            v = v * 10 + (s[i] - '0');
            ++i;
            ++len;
        }
        g[n++] = static_cast<int>(v);
        if (n < 3) {
            if (i >= s.size()) return false;
            ++i; // the separator
        }
    }
    return n == 3;
}

void check_parser(const Parser& p, std::string_view s)
{
    const auto full = p.parse_full(s);
    const auto t = p.parse(s);
    check(full.has_value() == t.has_value() && (!t || *t == full->clock), "parse() and parse_full() disagree", s);
    if (!full) return;
    check(full->clock >= k_year1 && full->clock <= k_year10000, "parsed time outside years 1..9999", s);
    check_civil(full->clock, s);
    if (full->utc_offset_s) {
        // every layout, --time-format's %z included, takes at most +-18:59
        const int limit = 18 * 3600 + 59 * 60;
        check(*full->utc_offset_s >= -limit && *full->utc_offset_s <= limit, "UTC offset out of range", s);
    }
    if (p.layout() == Layout::strptime_format) return;
    // the date written is the date read (a leap second 23:59:60 may roll over to the next day)
    int g[3];
    check(date_groups(s, g), "a parsed layout date without three digit groups", s);
    const int y = p.layout() == Layout::iso ? g[0] : g[2];
    const int m = p.layout() == Layout::iso ? g[1] : p.layout() == Layout::mdy ? g[0] : g[1];
    const int d = p.layout() == Layout::iso ? g[2] : p.layout() == Layout::mdy ? g[1] : g[0];
    const Timestamp day = from_civil(y, m, d);
    check(full->clock >= day && full->clock <= day + 86400, "the parsed time is not on the date written", s);
}

const char* const k_formats[] = {"%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M", "%m/%d/%Y %I:%M:%S %p", "%Y%m%d%H%M",
                                 "%d.%m.%Y", "%Y-%m-%dT%H:%M:%S%z", "%d %b %Y %H:%M", "%y-%j %T"};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> samples;
    for (std::size_t at = 0; at < body.size() && samples.size() < 64;) {
        const std::size_t nl = body.find('\n', at);
        const std::size_t end = nl == std::string_view::npos ? body.size() : nl;
        samples.emplace_back(body.substr(at, std::min<std::size_t>(end - at, 512)));
        at = end + 1;
    }
    try {
        for (const std::string& s : samples) {
            for (Layout l : {Layout::iso, Layout::mdy, Layout::dmy}) check_parser(Parser(l), s);
            for (const char* f : k_formats) check_parser(Parser(Layout::strptime_format, f), s);
            if (const auto tod = parse_time_of_day(s))
                check(*tod >= 0 && *tod <= 86400, "time of day out of range", s);
            try {
                const Timestamp t = parse_user_date(s, "--from");
                const Civil c = to_civil(t);
                check(c.year >= k_min_year && c.year <= k_max_year, "parse_user_date year out of range", s);
                check_civil(t, s);
            } catch (const ParameterError&) {
            }
        }
        try {
            const Parser p = detect(samples, "time");
            check(p.layout() != Layout::strptime_format, "detect() chose a strptime format", "");
            for (const std::string& s : samples) check_parser(p, s);
        } catch (const InputError&) {
        }
        if (size >= 8) {
            std::int64_t raw = 0;
            std::memcpy(&raw, data, 8);
            const std::uint64_t span = static_cast<std::uint64_t>(k_year10000 - k_year1);
            const Timestamp t = k_year1 + static_cast<Timestamp>(static_cast<std::uint64_t>(raw) % span);
            check_civil(t, "(first 8 bytes)");
            static const Zone zone = Zone::locate("Africa/Lubumbashi");
            const Timestamp local = zone.local_from_utc(t);
            check(local - t >= -14 * 3600 && local - t <= 14 * 3600, "time zone offset out of range", "(first 8 bytes)");
        }
    } catch (const std::exception& e) {
        finding(std::string("unexpected exception: ") + typeid(e).name() + ": " + e.what(), "");
    }
    return 0;
}
