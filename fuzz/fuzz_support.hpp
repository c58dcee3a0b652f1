// SPDX-License-Identifier: MIT
// Shared helpers of the libFuzzer harnesses: a per-process scratch file, the reader's
// invariants, and a run of read_incidents whose expected failures are told from findings.
//
// A finding is reported by abort() after a line on stderr saying what broke: libFuzzer then
// writes the input as crash-<sha1> and the harness can be rerun on that file alone.
#pragma once

#include "hotmap/error.hpp"
#include "hotmap/incidents.hpp"
#include "hotmap/io/read_incidents.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/timeparse.hpp"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <typeinfo>
#include <unistd.h>
#include <vector>

namespace hotmap::fuzz {

[[noreturn]] inline void finding(const std::string& what)
{
    std::fprintf(stderr, "hotmap fuzz finding: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

inline void check(bool ok, const std::string& what)
{
    if (!ok) finding(what);
}

/// A scratch file unique to this process ($TMPDIR or /tmp), removed at exit. The name ends in
/// ".csv" so read_incidents takes the fast CSV path.
class ScratchFile {
public:
    explicit ScratchFile(const std::string& tag)
    {
        const char* dir = std::getenv("TMPDIR");
        m_path = std::string(dir && *dir ? dir : "/tmp") + "/hotmap-fuzz-" + tag + "-" + std::to_string(::getpid()) + ".csv";
    }
    ~ScratchFile() { ::unlink(m_path.c_str()); }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;

    const std::string& path() const noexcept { return m_path; }

    /// Replace the file's content; a failure to write is the harness's problem, not a finding.
    void write(std::string_view data) const
    {
        const int fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0) {
            std::fprintf(stderr, "fuzz: cannot create %s: %s\n", m_path.c_str(), std::strerror(errno));
            std::exit(2);
        }
        std::size_t done = 0;
        while (done < data.size()) {
            const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                std::fprintf(stderr, "fuzz: cannot write %s: %s\n", m_path.c_str(), std::strerror(errno));
                std::exit(2);
            }
            done += static_cast<std::size_t>(n);
        }
        ::close(fd);
    }

private:
    std::string m_path;
};

/// What one read_incidents call gave: the set, or the expected error it threw.
struct Outcome {
    std::optional<IncidentSet> set;
    std::string error_type; ///< "InputError", "CrsError", "ParameterError"; empty on success
    std::string error;      ///< what()
};

/// Sum of the per-reason counts.
inline std::uint64_t total(const std::map<std::string, std::uint64_t>& by)
{
    std::uint64_t n = 0;
    for (const auto& kv : by) n += kv.second;
    return n;
}

/// The invariants every successful read must keep (README "Every row is accounted for").
inline void check_set(const IncidentSet& s, const io::IncidentSource& src, const IncidentFilter& filter)
{
    const Accounting& a = s.accounting;
    check(a.balanced(), "accounting does not balance: read " + std::to_string(a.read) + " != accepted " +
                            std::to_string(a.accepted) + " + filtered " + std::to_string(a.filtered) + " + rejected " +
                            std::to_string(a.rejected));
    check(total(a.rejected_by) == a.rejected, "rejected_by does not sum to rejected");
    check(total(a.filtered_by) == a.filtered, "filtered_by does not sum to filtered");
    check(s.items.size() == a.accepted, "items.size() " + std::to_string(s.items.size()) + " != accepted " +
                                            std::to_string(a.accepted));
    if (src.keep_rejects)
        check(s.rejects.size() == a.rejected, "rejects kept " + std::to_string(s.rejects.size()) + " != rejected " +
                                                  std::to_string(a.rejected));
    else
        check(s.rejects.empty(), "rejects kept without keep_rejects");
    if (src.strict) check(a.rejected == 0, "a row rejected under strict without an error");
    for (std::size_t i = 1; i < s.categories.size(); ++i)
        check(s.categories[i - 1] < s.categories[i], "categories are not sorted and unique");
    static const Timestamp lo = timeparse::from_civil(timeparse::k_min_year, 1, 1),
                           hi = timeparse::from_civil(timeparse::k_max_year + 1, 1, 1);
    std::uint32_t last_row = 1; // the header is line 1
    for (const Incident& inc : s.items) {
        check(std::isfinite(inc.x) && std::isfinite(inc.y), "accepted incident with a non-finite coordinate");
        check(!(inc.x == 0 && inc.y == 0), "accepted incident at (0, 0)");
        if (s.crs.is_geographic())
            check(std::abs(inc.x) <= 180 && std::abs(inc.y) <= 90, "accepted lon/lat outside +-180/+-90");
        else
            check(std::abs(inc.x) <= k_max_projected_coordinate && std::abs(inc.y) <= k_max_projected_coordinate,
                  "accepted projected coordinate beyond k_max_projected_coordinate");
        check(std::isfinite(inc.weight) && inc.weight >= 0, "accepted incident with a bad weight");
        check(inc.row > last_row, "accepted rows are not in increasing line order");
        last_row = inc.row;
        check(inc.category >= -1 && inc.category < static_cast<std::int32_t>(s.categories.size()),
              "category index out of range");
        check(s.has_category || inc.category == -1, "a category without a category column");
        if (inc.time != k_no_time) {
            check(s.has_time, "a time without a time column");
            check(inc.time >= lo && inc.time < hi, "accepted time outside the accepted years");
        }
        check(!filter.check(inc.time), "an accepted incident does not pass the filter");
    }
    for (std::size_t i = 1; i < s.rejects.size(); ++i)
        check(s.rejects[i - 1].row < s.rejects[i].row, "rejected rows are not in increasing line order");
}

/// Read; the library's documented errors are outcomes, anything else is a finding.
inline Outcome read(const io::IncidentSource& src, const IncidentFilter& filter)
{
    Outcome o;
    try {
        o.set = io::read_incidents(src, filter);
    } catch (const InputError& e) {
        o.error_type = "InputError";
        o.error = e.what();
    } catch (const CrsError& e) {
        o.error_type = "CrsError";
        o.error = e.what();
    } catch (const ParameterError& e) {
        o.error_type = "ParameterError";
        o.error = e.what();
    } catch (const std::exception& e) {
        finding(std::string("unexpected exception: ") + typeid(e).name() + ": " + e.what());
    } catch (...) {
        finding("unexpected non-std exception");
    }
    if (o.set) check_set(*o.set, src, filter);
    return o;
}

/// Two reads of the same file (different threads / chunk cuts) must agree exactly.
inline void check_same(const Outcome& a, const Outcome& b, const std::string& what)
{
    check(a.error_type == b.error_type, what + ": outcome differs: '" + a.error_type + ": " + a.error + "' vs '" +
                                            b.error_type + ": " + b.error + "'");
    check(a.error == b.error, what + ": error message differs: '" + a.error + "' vs '" + b.error + "'");
    if (!a.set) return;
    const IncidentSet& x = *a.set;
    const IncidentSet& y = *b.set;
    const Accounting &p = x.accounting, &q = y.accounting;
    check(p.read == q.read && p.accepted == q.accepted && p.filtered == q.filtered && p.rejected == q.rejected,
          what + ": accounting differs: read " + std::to_string(p.read) + "/" + std::to_string(q.read) + ", accepted " +
              std::to_string(p.accepted) + "/" + std::to_string(q.accepted) + ", filtered " + std::to_string(p.filtered) +
              "/" + std::to_string(q.filtered) + ", rejected " + std::to_string(p.rejected) + "/" +
              std::to_string(q.rejected));
    check(p.rejected_by == q.rejected_by, what + ": rejected_by differs");
    check(p.filtered_by == q.filtered_by, what + ": filtered_by differs");
    check(x.categories == y.categories, what + ": categories differ");
    check(x.items.size() == y.items.size(), what + ": item count differs");
    for (std::size_t i = 0; i < x.items.size(); ++i) {
        const Incident &u = x.items[i], &v = y.items[i];
        check(u.x == v.x && u.y == v.y && u.weight == v.weight && u.time == v.time && u.category == v.category &&
                  u.row == v.row,
              what + ": incident " + std::to_string(i) + " differs (rows " + std::to_string(u.row) + "/" +
                  std::to_string(v.row) + ")");
    }
    check(x.rejects.size() == y.rejects.size(), what + ": reject count differs");
    for (std::size_t i = 0; i < x.rejects.size(); ++i)
        check(x.rejects[i].row == y.rejects[i].row && x.rejects[i].reason == y.rejects[i].reason &&
                  x.rejects[i].raw == y.rejects[i].raw,
              what + ": rejected row " + std::to_string(i) + " differs");
    if (x.warnings != y.warnings) {
        std::string list;
        for (const auto* w : {&x.warnings, &y.warnings}) {
            list += "\n  [";
            for (const std::string& t : *w) list += "\n    " + t;
            list += "\n  ]";
        }
        finding(what + ": warnings differ:" + list);
    }
    check(x.time_format == y.time_format && x.resolved_x == y.resolved_x && x.resolved_y == y.resolved_y &&
              x.resolved_time == y.resolved_time && x.resolved_wkt == y.resolved_wkt,
          what + ": resolved columns or time format differ");
}

/// Read with one thread and no chunk cap, then with two threads and chunks of `cap` bytes;
/// both must keep the invariants and agree. Returns the first outcome.
inline Outcome read_twice(io::IncidentSource src, const IncidentFilter& filter, std::size_t cap)
{
    parallel::set_chunk_cap(0);
    src.threads = 1;
    Outcome ref = read(src, filter);
    parallel::set_chunk_cap(cap);
    src.threads = 2;
    const Outcome par = read(src, filter);
    parallel::set_chunk_cap(0);
    check_same(ref, par, "threads 1 vs 2 with chunks of " + std::to_string(cap) + " bytes");
    return ref;
}

} // namespace hotmap::fuzz
