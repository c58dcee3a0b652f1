// SPDX-License-Identifier: MIT
// Synthetic data set writers: chunked parallel CSV pipeline, vector layers, README.
#include "hotmap/synth/writer.hpp"

#include "hotmap/error.hpp"
#include "hotmap/parallel.hpp"
#include "hotmap/geom/geometry.hpp"
#include "hotmap/io/output_set.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/report/qml.hpp"
#include "hotmap/timeparse.hpp"

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>

namespace hotmap::synth {
namespace {

// ---------------------------------------------------------------------------------------
// Hand formatting into a char buffer (no locale, no iostreams).

char* put_u64(char* p, std::uint64_t v) { return std::to_chars(p, p + 20, v).ptr; }

char* put_digits(char* p, int v, int n)
{
    for (int i = n - 1; i >= 0; --i) {
        p[i] = static_cast<char>('0' + v % 10);
        v /= 10;
    }
    return p + n;
}

char* put_str(char* p, std::string_view s)
{
    std::memcpy(p, s.data(), s.size());
    return p + s.size();
}

// Fixed six decimals, rounded half away from zero.
char* put_fixed6(char* p, double v)
{
    long long m = std::llround(v * 1e6);
    if (m < 0) {
        *p++ = '-';
        m = -m;
    }
    p = put_u64(p, static_cast<std::uint64_t>(m / 1000000));
    *p++ = '.';
    return put_digits(p, static_cast<int>(m % 1000000), 6);
}

// The row's date and time with the day set to 30 February: a form-entry error.
char* put_february_30(char* p, Timestamp t)
{
    const timeparse::Civil c = timeparse::to_civil(t);
    p = put_digits(p, c.year, 4);
    p = put_str(p, "-02-30 ");
    p = put_digits(p, c.hour, 2);
    *p++ = ':';
    p = put_digits(p, c.minute, 2);
    *p++ = ':';
    return put_digits(p, c.second, 2);
}

constexpr std::size_t k_max_row_bytes = 128; // longest possible row is under 100 bytes

Timestamp floor_day(Timestamp t) { return (t >= 0 ? t : t - 86399) / 86400; }

// Formats rows; dates come from a small table built for the days the rows span (calendar
// arithmetic once per day instead of once per row).
class RowWriter {
public:
    explicit RowWriter(const std::vector<SynthIncident>& rows)
    {
        if (rows.empty()) return;
        Timestamp lo = floor_day(rows.front().time), hi = lo;
        for (const SynthIncident& r : rows) {
            const Timestamp d = floor_day(r.time);
            lo = std::min(lo, d);
            hi = std::max(hi, d);
        }
        m_first = lo;
        m_dates.resize(static_cast<std::size_t>(hi - lo + 1));
        for (Timestamp d = lo; d <= hi; ++d) {
            const timeparse::Civil c = timeparse::to_civil(d * 86400);
            char* q = m_dates[static_cast<std::size_t>(d - lo)].data();
            q = put_digits(q, c.year, 4);
            *q++ = '-';
            q = put_digits(q, c.month, 2);
            *q++ = '-';
            put_digits(q, c.day, 2);
        }
    }
    char* datetime(char* p, Timestamp t) const
    {
        const Timestamp d = floor_day(t);
        const auto sod = static_cast<int>(t - d * 86400);
        std::memcpy(p, m_dates[static_cast<std::size_t>(d - m_first)].data(), 10);
        p += 10;
        *p++ = ' ';
        p = put_digits(p, sod / 3600, 2);
        *p++ = ':';
        p = put_digits(p, sod / 60 % 60, 2);
        *p++ = ':';
        return put_digits(p, sod % 60, 2);
    }
    char* row(char* p, const SynthIncident& r) const;

private:
    Timestamp m_first = 0;
    std::vector<std::array<char, 10>> m_dates;
};

char* RowWriter::row(char* p, const SynthIncident& r) const
{
    const CategoryDef& cat = categories()[r.category];
    p = put_u64(p, r.id);
    *p++ = ',';
    if (r.defect == Defect::unparseable_time) {
        switch (r.variant % 4) {
        case 0: p = put_str(p, "n/a"); break;
        case 1: p = put_str(p, "hier soir"); break;
        case 2: p = put_str(p, "#########"); break;
        default: p = put_february_30(p, r.time); break;
        }
    } else {
        p = datetime(p, r.time);
    }
    *p++ = ',';
    switch (r.defect) {
    case Defect::swapped_lat_lon:
        p = put_fixed6(p, r.lat);
        *p++ = ',';
        p = put_fixed6(p, r.lon);
        break;
    case Defect::missing_coordinate: {
        const int v = r.variant % 3;
        if (v != 0) p = put_fixed6(p, r.lon);
        *p++ = ',';
        if (v == 0) p = put_fixed6(p, r.lat);
        break;
    }
    case Defect::unparseable_number:
        switch (r.variant % 4) {
        case 0:
            p = put_str(p, "n/a,");
            p = put_fixed6(p, r.lat);
            break;
        case 1:
            p = put_fixed6(p, r.lon);
            p = put_str(p, ",#VALUE!");
            break;
        case 2: { // a second decimal point typed into the longitude: 29.193.456
            char tmp[32];
            char* e = put_fixed6(tmp, r.lon);
            const std::size_t n = static_cast<std::size_t>(e - tmp);
            p = put_str(p, std::string_view(tmp, n - 3));
            *p++ = '.';
            p = put_str(p, std::string_view(tmp + n - 3, 3));
            *p++ = ',';
            p = put_fixed6(p, r.lat);
            break;
        }
        default: // a hemisphere letter left in the latitude
            p = put_fixed6(p, r.lon);
            *p++ = ',';
            p = put_fixed6(p, -std::abs(r.lat));
            *p++ = r.lat < 0 ? 'S' : 'N';
            break;
        }
        break;
    case Defect::null_island:
        p = put_str(p, r.variant % 2 ? "0,0" : "0.000000,0.000000");
        break;
    default:
        p = put_fixed6(p, r.lon);
        *p++ = ',';
        p = put_fixed6(p, r.lat);
        break;
    }
    *p++ = ',';
    p = put_str(p, cat.name); // no category name needs CSV quoting
    *p++ = ',';
    p = put_u64(p, static_cast<std::uint64_t>(cat.severity));
    *p++ = '\n';
    return p;
}

// Rows as CSV text into `out`, which has room for rows.size() * k_max_row_bytes; returns the
// number of bytes written.
std::size_t format_rows(const std::vector<SynthIncident>& rows, char* out)
{
    const RowWriter w(rows);
    char* p = out;
    for (const SynthIncident& r : rows) p = w.row(p, r);
    return static_cast<std::size_t>(p - out);
}

// A growable buffer that is not zero-filled.
struct Buffer {
    std::unique_ptr<char[]> data;
    std::size_t size = 0;
    std::size_t cap = 0;
    void reserve(std::size_t n)
    {
        if (n <= cap) return;
        data.reset(new char[n]);
        cap = n;
    }
};

std::string date_only(Timestamp t) { return timeparse::format(t).substr(0, 10); }

std::string fmt(const char* f, double v)
{
    char b[64];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

std::string thousands(std::uint64_t v)
{
    std::string s = std::to_string(v);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
    return s;
}

} // namespace

void append_csv(const std::vector<SynthIncident>& rows, std::string& out)
{
    const std::size_t old = out.size();
    out.resize(old + rows.size() * k_max_row_bytes);
    out.resize(old + format_rows(rows, out.data() + old));
}

CsvStats write_incidents_csv(const IncidentGenerator& gen, const IncidentParams& p,
                             const std::function<void(std::string_view)>& sink)
{
    validate(p);
    CsvStats stats;
    sink(k_csv_header);
    stats.bytes += k_csv_header.size();
    const std::uint64_t nchunks = IncidentGenerator::chunk_count(p.count);
    if (nchunks == 0) return stats;
    // Workers generate and format chunks ahead of the writer; the calling thread hands them
    // to the sink in order.
    struct Chunk {
        std::vector<SynthIncident> rows;
        Buffer text;
        std::array<std::uint64_t, k_defect_kinds> defects{};
    };
    struct None {};
    parallel::ordered_chunks<Chunk>(
        static_cast<std::size_t>(nchunks), p.threads, [] { return None{}; },
        [&](None&, std::size_t ch, Chunk& c) {
            gen.generate_chunk(p, ch, c.rows);
            c.text.reserve(c.rows.size() * k_max_row_bytes);
            c.text.size = format_rows(c.rows, c.text.data.get());
            c.defects = {};
            for (const SynthIncident& r : c.rows) ++c.defects[static_cast<std::size_t>(r.defect)];
        },
        [&](std::size_t, Chunk& c) {
            sink(std::string_view(c.text.data.get(), c.text.size));
            stats.bytes += c.text.size;
            for (std::size_t k = 0; k < k_defect_kinds; ++k) stats.defects[k] += c.defects[k];
        });
    stats.rows = p.count;
    return stats;
}

CsvStats write_incidents_csv(const IncidentGenerator& gen, const IncidentParams& p, const io::Staged& out)
{
    const std::string& path = out.target;
    struct Closer {
        void operator()(std::FILE* f) const noexcept { std::fclose(f); }
    };
    std::unique_ptr<std::FILE, Closer> f(std::fopen(out.temp.c_str(), "wb"));
    if (!f) throw OutputError(path + ": cannot create: " + std::strerror(errno));
    const CsvStats stats = write_incidents_csv(gen, p, [&](std::string_view s) {
        if (!s.empty() && std::fwrite(s.data(), 1, s.size(), f.get()) != s.size())
            throw OutputError(path + ": write failed: " + std::strerror(errno));
    });
    if (std::fflush(f.get()) != 0 || std::fclose(f.release()) != 0) throw OutputError(path + ": write failed: " + std::strerror(errno));
    return stats;
}

CsvStats write_incidents_csv(const IncidentGenerator& gen, const IncidentParams& p, const std::string& path, bool overwrite)
{
    io::OutputSet set(overwrite);
    const CsvStats stats = write_incidents_csv(gen, p, set.add(path));
    set.commit();
    return stats;
}

// ---------------------------------------------------------------------------------------
// Vector layers

io::VectorLayer districts_layer(const City& city)
{
    io::VectorLayer l;
    l.name = "districts";
    l.kind = io::GeomKind::polygon;
    l.crs = city.crs;
    l.metadata = "Synthetic districts of " + city.name + " (hotmap synth); not real boundaries";
    l.add_field("name", io::FieldType::string);
    l.add_field("commune", io::FieldType::string);
    l.add_field("population", io::FieldType::integer);
    l.add_field("area_km2", io::FieldType::real);
    for (const District& d : city.districts) {
        const geom::Geometry g = geom::Geometry::polygon(d.ring);
        l.rows.push_back({d.name, d.commune, d.population, std::round(g.area() / 1e3) / 1e3});
        l.wkb.push_back(g.to_wkb());
    }
    l.qml = report::categorized_qml("commune", io::GeomKind::polygon,
                                    {{"Kalemie", "Kalemie", {253, 192, 134, 180}},
                                     {"Kankomba", "Kankomba", {190, 220, 150, 180}},
                                     {"Lac", "Lac", {166, 206, 227, 180}}});
    return l;
}

io::VectorLayer facilities_layer(const City& city)
{
    io::VectorLayer l;
    l.name = "facilities";
    l.kind = io::GeomKind::point;
    l.crs = city.crs;
    l.metadata = "Synthetic police stations, container posts and street lamps (hotmap synth)";
    l.add_field("name", io::FieldType::string);
    l.add_field("type", io::FieldType::string);
    l.add_field("district", io::FieldType::string);
    for (const Facility& f : city.facilities) {
        l.rows.push_back({f.name, f.type, f.district});
        l.wkb.push_back(geom::Geometry::point(f.p.x, f.p.y).to_wkb());
    }
    l.qml = report::categorized_qml("type", io::GeomKind::point,
                                    {{"station", "police station", {31, 70, 160, 255}},
                                     {"post", "container post", {90, 160, 230, 255}},
                                     {"lamp", "street lamp", {255, 210, 0, 255}}});
    return l;
}

io::VectorLayer patrols_layer(const City& city)
{
    io::VectorLayer l;
    l.name = "patrols";
    l.kind = io::GeomKind::line;
    l.crs = city.crs;
    l.metadata = "Synthetic patrol routes (hotmap synth)";
    l.add_field("name", io::FieldType::string);
    l.add_field("type", io::FieldType::string);
    l.add_field("shift", io::FieldType::string);
    for (const PatrolRoute& r : city.patrols) {
        l.rows.push_back({r.name, std::string("patrol"), r.shift});
        l.wkb.push_back(geom::Geometry::linestring(r.line).to_wkb());
    }
    l.qml = report::categorized_qml("shift", io::GeomKind::line,
                                    {{"day", "day patrol", {30, 130, 60, 255}}, {"night", "night patrol", {110, 50, 150, 255}}});
    return l;
}

io::VectorLayer hotspots_layer(const City& city)
{
    io::VectorLayer l;
    l.name = "hotspots_truth";
    l.kind = io::GeomKind::point;
    l.crs = city.crs;
    l.metadata = "Planted hotspots of the synthetic incidents (the answer key; hotmap synth)";
    l.add_field("name", io::FieldType::string);
    l.add_field("place", io::FieldType::string);
    l.add_field("kind", io::FieldType::string);
    l.add_field("radius_m", io::FieldType::real);
    l.add_field("share_pct", io::FieldType::real);
    l.add_field("start", io::FieldType::string);
    l.add_field("end", io::FieldType::string);
    l.add_field("district", io::FieldType::string);
    for (const PlantedHotspot& h : city.hotspots) {
        l.rows.push_back({h.name, h.place, std::string(to_string(h.kind)), h.radius_m, std::round(h.share * 1000) / 10,
                          date_only(h.start), date_only(h.end - 86400), h.district});
        l.wkb.push_back(geom::Geometry::point(h.centre.x, h.centre.y).to_wkb());
    }
    l.qml = report::categorized_qml("kind", io::GeomKind::point,
                                    {{"stable", "stable", {215, 25, 28, 255}},
                                     {"emerging", "emerging", {253, 141, 60, 255}},
                                     {"fading", "fading", {150, 150, 150, 255}}});
    return l;
}

// ---------------------------------------------------------------------------------------
// Data set

std::vector<std::string> dataset_files(bool incidents_only)
{
    if (incidents_only) return {"incidents.csv"};
    return {"incidents.csv",   "districts.geojson",      "districts.qml",       "facilities.geojson",
            "facilities.qml",  "patrols.geojson",        "patrols.qml",         "hotspots_truth.geojson",
            "hotspots_truth.qml", "streets.geojson",     "streets.qml",         "README.md"};
}

io::VectorLayer streets_layer(const City& city)
{
    io::VectorLayer l;
    l.name = "streets";
    l.kind = io::GeomKind::line;
    l.crs = city.crs;
    l.add_field("kind", io::FieldType::string);
    for (const City::Street& st : city.streets) {
        l.rows.push_back({st.kind});
        l.wkb.push_back(geom::Geometry::linestring(st.line).to_wkb());
    }
    l.qml = report::categorized_qml("kind", io::GeomKind::line,
                                    {{"main", "main road", {90, 90, 90, 255}}, {"street", "street", {170, 170, 170, 255}}});
    return l;
}

std::string readme_text(const City& city, const DatasetParams& p, const CsvStats& csv)
{
    std::string s;
    s += "# Synthetic incident data: " + city.name + "\n\n";
    s += "**These data are synthetic.** They were generated by `hotmap synth`; no row describes a real incident.\n"
         "Places, names and figures are invented to look plausible for " + city.name +
         ", a lakeside city on the\nwestern shore of Lake Tanganyika (about 29.19 E, 5.93 S).\n\n";
    s += "Generated with:\n\n    " + p.command + "\n\n";
    s += "The same command writes the same bytes whatever `--threads`. The city (shore, districts, facilities,\n"
         "patrols, planted hotspots) is fixed by the preset `" + p.preset +
         "`; `--seed` changes the incidents only.\n\n";
    s += "## Files\n\n| file | content |\n|---|---|\n";
    s += "| incidents.csv | " + thousands(csv.rows) + " incidents, " + date_only(city.start) + " .. " +
         date_only(city.end - 86400) +
         ": `id`, `datetime` (YYYY-MM-DD HH:MM:SS, local time), `lon`, `lat` (WGS84, 6 decimals), `category`, "
         "`weight` (severity 1-5) |\n";
    std::size_t stations = 0, posts = 0, lamps = 0;
    for (const Facility& f : city.facilities) {
        stations += f.type == "station";
        posts += f.type == "post";
        lamps += f.type == "lamp";
    }
    std::int64_t pop = 0;
    for (const District& d : city.districts) pop += d.population;
    s += "| districts.geojson | " + std::to_string(city.districts.size()) +
         " districts in 3 communes: `name`, `commune`, `population`, `area_km2`; they tile the city exactly |\n";
    s += "| facilities.geojson | " + std::to_string(stations) + " police stations, " + std::to_string(posts) +
         " container posts, " + std::to_string(lamps) + " street lamps: `name`, `type` (station, post, lamp), `district` |\n";
    s += "| patrols.geojson | " + std::to_string(city.patrols.size()) + " patrol routes (lines): `name`, `type` (patrol), `shift` (day, night) |\n";
    std::size_t mains = 0;
    for (const City::Street& st : city.streets) mains += st.kind == "main";
    s += "| streets.geojson | the street network for `--streets`: " + std::to_string(city.streets.size()) + " lines (" +
         std::to_string(mains) + " main roads), `kind` (main, street); an irregular grid of about 150 m blocks on land, "
         "with dead ends; streets meet at shared vertices |\n";
    s += "| hotspots_truth.geojson | the " + std::to_string(city.hotspots.size()) +
         " planted hotspots, the answer key: `name`, `place`, `kind` (stable, emerging, fading), `radius_m`, "
         "`share_pct`, `start`, `end` (last active day), `district` |\n";
    s += "| *.qml | QGIS styles, loaded with each layer |\n\n";
    s += "Vector layers are GeoJSON (RFC 7946, lon/lat WGS84). They were built in " + city.crs.id() +
         " (UTM zone 35S), the working CRS hotmap chooses for these data.\n\n";

    s += "## Districts\n\n| district | commune | population |\n|---|---|---:|\n";
    for (const District& d : city.districts) s += "| " + d.name + " | " + d.commune + " | " + thousands(static_cast<std::uint64_t>(d.population)) + " |\n";
    s += "| **total** | | **" + thousands(static_cast<std::uint64_t>(pop)) + "** |\n\n";

    s += "## Incidents\n\n";
    double hot = 0;
    for (const PlantedHotspot& h : city.hotspots) hot += h.share;
    s += "- About " + fmt("%.1f", 100 * (1 - hot)) +
         "% form a background that follows the residential density of the districts and is denser near\n"
         "  the main roads; the rest cluster around the planted hotspots below. None lies in the lake (clean rows keep at\n"
         "  least 3 m from the shore); a few lie just outside the city limits, as phone positions do.\n";
    s += "- Time of day peaks at night (18:00-06:00), except fraud and market theft (daytime). Fridays and Saturdays,\n"
         "  the end of the dry season and the second half of December are busier; a slight upward trend.\n";
    s += "- Categories and their `weight` (severity):";
    for (const CategoryDef& c : categories()) s += " " + std::string(c.name) + " " + std::to_string(c.severity) + ",";
    s.back() = '.';
    s += "\n- Rows are in generation order (not sorted by time); `id` is the row number.\n\n";

    s += "## Planted hotspots\n\n| name | place | kind | district | radius_m | share | active |\n|---|---|---|---|---:|---:|---|\n";
    for (const PlantedHotspot& h : city.hotspots)
        s += "| " + h.name + " | " + h.place + " | " + std::string(to_string(h.kind)) + " | " + h.district + " | " +
             fmt("%.0f", h.radius_m) + " | " + fmt("%.1f", 100 * h.share) + "% | " + date_only(h.start) + " .. " +
             date_only(h.end - 86400) + " |\n";
    s += "\nIncidents spread around a hotspot as a circular Gaussian with sigma = radius_m / 2 (86% within radius_m).\n"
         "The emerging hotspot starts on its start date and grows until the end; the fading one is steady for the\n"
         "first half of its active period, then dies out linearly by its end date.\n\n";

    s += "## Dirty rows\n\n";
    s += "`--dirty F` makes each row dirty with probability F (this file: F = " + fmt("%g", p.incidents.dirty) + ", " +
         thousands(csv.dirty()) + " dirty rows). A dirty row has one defect, drawn with these shares:\n\n"
         "| defect | share | forms | `hotmap info` reason | rows here |\n|---|---:|---|---|---:|\n";
    const char* forms[k_defect_kinds] = {"",
                                         "lon and lat exchanged",
                                         "lon, lat or both empty",
                                         "`n/a`, `#VALUE!`, `29.193.456`, `-5.934512S`",
                                         "`0,0` or `0.000000,0.000000`",
                                         "`n/a`, `hier soir`, `#########`, a 30 February"};
    for (std::size_t k = 1; k < k_defect_kinds; ++k) {
        const auto d = static_cast<Defect>(k);
        s += "| " + std::string(to_string(d)) + " | " + fmt("%.0f", 100 * defect_mix()[k]) + "% | " + forms[k] + " | " +
             std::string(to_string(d)) + " | " + thousands(csv.defects[k]) + " |\n";
    }
    s += "\n`hotmap info -i incidents.csv -v` counts each of them as rejected with that reason.\n";
    return s;
}

DatasetReport write_dataset(const City& city, const std::string& dir, const DatasetParams& p)
{
    namespace fs = std::filesystem;
    validate(p.incidents);
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) throw OutputError(dir + ": exists and is not a folder");
    if (!fs::exists(dir, ec)) {
        fs::create_directories(dir, ec);
        if (ec) throw OutputError(dir + ": cannot create folder: " + ec.message());
    }
    auto path = [&](const std::string& f) { return (fs::path(dir) / f).string(); };
    io::OutputSet set(p.overwrite);
    const io::Staged& csv = set.add(path("incidents.csv"));

    DatasetReport rep;
    const IncidentGenerator gen(city);
    if (p.incidents_only) {
        rep.csv = write_incidents_csv(gen, p.incidents, csv);
        set.commit();
        rep.files.push_back(path("incidents.csv"));
        return rep;
    }
    io::WriteOptions wo;
    const std::pair<const char*, io::VectorLayer> layers[] = {
        {"districts.geojson", districts_layer(city)},
        {"facilities.geojson", facilities_layer(city)},
        {"patrols.geojson", patrols_layer(city)},
        {"hotspots_truth.geojson", hotspots_layer(city)},
        {"streets.geojson", streets_layer(city)},
    };
    std::vector<const io::Staged*> staged;
    for (const auto& [file, layer] : layers) staged.push_back(&set.add(path(file), io::vector_sidecars(path(file), "", !layer.qml.empty())));
    const io::Staged& readme = set.add(path("README.md"));
    rep.csv = write_incidents_csv(gen, p.incidents, csv);
    rep.files.push_back(path("incidents.csv"));
    for (std::size_t k = 0; k < std::size(layers); ++k) {
        io::write_vector(layers[k].second, *staged[k], wo);
        rep.files.push_back(path(layers[k].first));
    }
    {
        std::ofstream f(readme.temp, std::ios::binary);
        f << readme_text(city, p, rep.csv);
        f.close();
        if (!f) throw OutputError(path("README.md") + ": write failed");
        rep.files.push_back(path("README.md"));
    }
    set.commit();
    return rep;
}

} // namespace hotmap::synth
