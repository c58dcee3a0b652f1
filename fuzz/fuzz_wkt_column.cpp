// SPDX-License-Identifier: MIT
// libFuzzer harness: the CSV reader's WKT POINT parser (--wkt), one input line per row.
//
// Input: one selector byte, then lines; the file read is "id,wkt" and one row "N,<line>" per
// line, with src.wkt_field = "wkt" and the CRS EPSG:32735.
//   bit 0     the line is written as one CSV field (quoted when needed, so the WKT text is
//             exactly the line) instead of raw (raw lines may add fields and quotes)
//   bit 1     keep_rejects
//   bits 2-4  chunk cap of the parallel read: 1, 2, 5, 16, 61, 256, 1000, 4096 bytes
// Invariants: those of every read (fuzz_support.hpp), threads 1 and 2 agree, and with
// quoted lines: one row read per line, accepted rows are POINTs, and the reject reasons are
// the geometry ones.
#include "fuzz_support.hpp"

#include "hotmap/io/csv.hpp"

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <set>

using namespace hotmap;

namespace {

bool starts_with_point(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    if (s.size() < 5) return false;
    for (std::size_t i = 0; i < 5; ++i)
        if (std::toupper(static_cast<unsigned char>(s[i])) != "POINT"[i]) return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1) return 0;
    static const fuzz::ScratchFile file("wkt");
    const unsigned sel = data[0];
    const bool quoted = (sel & 1u) != 0;
    const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);

    std::vector<std::string_view> lines;
    for (std::size_t at = 0; at < body.size();) {
        const std::size_t nl = body.find('\n', at);
        const std::size_t end = nl == std::string_view::npos ? body.size() : nl;
        lines.push_back(body.substr(at, end - at));
        at = end + 1;
    }
    std::string csv = "id,wkt\n";
    for (std::size_t i = 0; i < lines.size(); ++i)
        csv += std::to_string(i + 1) + "," + (quoted ? io::csv::quote(lines[i]) : std::string(lines[i])) + "\n";
    file.write(csv);

    io::IncidentSource src;
    src.path = file.path();
    src.wkt_field = "wkt";
    src.crs = "EPSG:32735";
    src.keep_rejects = (sel & 2u) != 0;
    static constexpr std::size_t caps[] = {1, 2, 5, 16, 61, 256, 1000, 4096};
    const fuzz::Outcome o = fuzz::read_twice(src, IncidentFilter{}, caps[(sel >> 2) & 7u]);

    if (!quoted) return 0;
    if (lines.empty()) {
        fuzz::check(o.error_type == "InputError", "a header-only file did not throw InputError");
        return 0;
    }
    if (csv.find('\0') < 4096) { // read_header's "not a text table" test looks at the first 4 KiB
        fuzz::check(o.error_type == "InputError", "a file with a NUL byte did not throw InputError");
        return 0;
    }
    fuzz::check(o.set.has_value(), "quoted WKT lines failed to read: " + o.error_type + ": " + o.error);
    const IncidentSet& s = *o.set;
    fuzz::check(s.accounting.read == lines.size(),
                "read " + std::to_string(s.accounting.read) + " rows from " + std::to_string(lines.size()) + " lines");
    fuzz::check(s.accounting.filtered == 0, "rows filtered without a filter");
    for (const Incident& inc : s.items) {
        fuzz::check(inc.row >= 2 && inc.row - 2 < lines.size(), "accepted row number out of range");
        fuzz::check(starts_with_point(lines[inc.row - 2]), "accepted a row whose WKT is not a POINT: line " +
                                                              std::to_string(inc.row));
    }
    static const std::set<std::string> geometry_reasons = {reason::null_geometry, reason::not_a_point, reason::bad_wkt,
                                                           reason::out_of_range, reason::null_island,
                                                           reason::unparseable_number};
    for (const auto& kv : s.accounting.rejected_by)
        fuzz::check(geometry_reasons.count(kv.first) == 1, "unexpected reject reason for a WKT row: " + kv.first);
    return 0;
}
