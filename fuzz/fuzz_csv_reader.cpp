// SPDX-License-Identifier: MIT
// libFuzzer harness: the fast CSV incident reader on arbitrary bytes, serial and in parallel.
//
// Input: one selector byte, then the bytes of the CSV file (header line included).
//   bits 0-2  option set: 0 auto-detect; 1 --x x --y y (EPSG:32735); 2 --wkt wkt (EPSG:32735);
//             3 auto + --time-format '%d/%m/%Y %H:%M'; 4 --time date,time (two columns);
//             5 --category category --weight weight; 6 --x lon --y lat + --time-format
//             '%Y-%m-%dT%H:%M:%S%z' + --timezone Africa/Lubumbashi; 7 --time - with EPSG:4326
//             and --strict (the first bad row throws, the same one whatever the threads)
//   bit 3     keep_rejects
//   bit 4     filters: --hours 18-6 --days mon..fri --from 2000-01-01 --to 2100-01-01
//   bits 5-7  chunk cap of the parallel read: 1, 2, 5, 16, 61, 256, 1000, 4096 bytes
// Each input is read with one thread (no chunk cap) and with two threads and that cap: both
// must balance their accounting and give the same incidents, rejects and accounting.
// InputError, CrsError and ParameterError are expected; anything else aborts.
#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>

using namespace hotmap;

namespace {

io::IncidentSource options(unsigned set)
{
    io::IncidentSource src;
    switch (set) {
    case 0: break;
    case 1:
        src.x_field = "x";
        src.y_field = "y";
        src.crs = "EPSG:32735";
        break;
    case 2:
        src.wkt_field = "wkt";
        src.crs = "EPSG:32735";
        break;
    case 3: src.time_format = "%d/%m/%Y %H:%M"; break;
    case 4: src.time_field = "date,time"; break;
    case 5:
        src.category_field = "category";
        src.weight_field = "weight";
        break;
    case 6:
        src.x_field = "lon";
        src.y_field = "lat";
        src.time_format = "%Y-%m-%dT%H:%M:%S%z";
        src.timezone = "Africa/Lubumbashi";
        break;
    default:
        src.time_field = "-";
        src.crs = "EPSG:4326";
        src.strict = true;
        break;
    }
    return src;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1) return 0;
    static const fuzz::ScratchFile file("csv");
    const unsigned sel = data[0];
    file.write(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));

    io::IncidentSource src = options(sel & 7u);
    src.path = file.path();
    src.keep_rejects = (sel & 8u) != 0;
    IncidentFilter filter;
    if (sel & 16u) {
        filter.hour_from = 18;
        filter.hour_to = 6;
        filter.days = 0x1f; // Monday to Friday
        filter.from = timeparse::from_civil(2000, 1, 1);
        filter.to = timeparse::from_civil(2100, 1, 1);
    }
    static constexpr std::size_t caps[] = {1, 2, 5, 16, 61, 256, 1000, 4096};
    fuzz::read_twice(src, filter, caps[(sel >> 5) & 7u]);
    return 0;
}
