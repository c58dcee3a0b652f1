// SPDX-License-Identifier: MIT
// Counting incidents on a PostGIS server: the reader's rules in SQL, one GROUP BY per run.
#include "hotmap/io/postgis.hpp"

#include "hotmap/error.hpp"
#include "hotmap/io/gdal_handles.hpp"
#include "hotmap/timeparse.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

namespace hotmap::io {
namespace {

/// A result set of GDALDataset::ExecuteSQL, released with its dataset.
class SqlResult {
public:
    SqlResult(GDALDataset& ds, const std::string& sql, const std::string& shown) : m_ds(ds)
    {
        CPLErrorReset();
        m_layer = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
        if (!m_layer || CPLGetLastErrorType() >= CE_Failure) {
            std::string why = gdal_error("the query failed");
            why = why.substr(0, why.find('\n'));
            if (m_layer) ds.ReleaseResultSet(m_layer);
            m_layer = nullptr;
            throw InputError(shown + ": the server refused the aggregation query: " + why);
        }
    }
    ~SqlResult()
    {
        if (m_layer) m_ds.ReleaseResultSet(m_layer);
    }
    SqlResult(const SqlResult&) = delete;
    SqlResult& operator=(const SqlResult&) = delete;
    OGRLayer& operator*() const noexcept { return *m_layer; }
    OGRLayer* operator->() const noexcept { return m_layer; }

private:
    GDALDataset& m_ds;
    OGRLayer* m_layer = nullptr;
};

GDALDatasetUniquePtr open_pg(const IncidentSource& src)
{
    ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(src.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) {
        std::string why = gdal_error("connection failed");
        why = why.substr(0, why.find('\n'));
        throw InputError(redact_source(src.path) + ": cannot connect to the database: " + why);
    }
    return ds;
}

std::string quote_ident(const std::string& name)
{
    std::string q = "\"";
    for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

// "schema.table" as GDAL names layers outside the public schema
std::string quote_table(const std::string& layer)
{
    const auto dot = layer.find('.');
    if (dot == std::string::npos) return quote_ident(layer);
    return quote_ident(layer.substr(0, dot)) + "." + quote_ident(layer.substr(dot + 1));
}

std::string quote_literal(const std::string& s)
{
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
    return q + "'";
}

std::string num(double v)
{
    char b[40];
    std::snprintf(b, sizeof b, "%.17g", v);
    return b;
}

int epsg_of(const crs::Crs& c, const std::string& what)
{
    const std::string& id = c.id();
    if (id.rfind("EPSG:", 0) == 0) {
        try {
            return std::stoi(id.substr(5));
        } catch (const std::exception&) {
        }
    }
    throw CrsError(what + " (" + id + ") has no EPSG code: --aggregate-in-database needs one (ST_Transform by SRID)");
}

// The reader's fate of each row, in the reader's order (row parser, then the time filter, then
// the area of use of the working CRS), as a CASE over the columns of `v`: NULL = accepted,
// 'r:<reason>' rejected, 'f:<reason>' filtered.
std::string fate_sql(const PostgisTable& t, const IncidentFilter& filter, const crs::Crs& working)
{
    // --where acts first, as in the reader (rows it drops are never checked)
    std::string w = "CASE WHEN NOT keep THEN 'f:" + std::string(reason::f_where) + "' WHEN g IS NULL OR ST_IsEmpty(g) THEN 'r:" +
                    std::string(reason::null_geometry) +
                    "' WHEN GeometryType(g) <> 'POINT' THEN 'r:" + reason::not_a_point + "'";
    w += " WHEN x = 0 AND y = 0 THEN 'r:" + std::string(reason::null_island) + "'";
    w += " WHEN x = 'NaN'::float8 OR y = 'NaN'::float8 OR abs(x) = 'Infinity'::float8 OR abs(y) = 'Infinity'::float8 THEN 'r:" +
         std::string(reason::unparseable_number) + "'";
    if (t.crs.is_geographic())
        w += " WHEN abs(x) > 180 OR abs(y) > 90 THEN CASE WHEN abs(y) <= 180 AND abs(x) <= 90 THEN 'r:" +
             std::string(reason::swapped_lat_lon) + "' ELSE 'r:" + reason::out_of_range + "' END";
    else
        w += " WHEN abs(x) > " + num(k_max_projected_coordinate) + " OR abs(y) > " + num(k_max_projected_coordinate) +
             " THEN 'r:" + reason::out_of_range + "'";
    if (!t.time.empty()) {
        w += " WHEN tbad THEN 'r:" + std::string(reason::unparseable_time) + "'";
        w += " WHEN ts IS NOT NULL AND (ts < '" + timeparse::format(timeparse::from_civil(timeparse::k_min_year, 1, 1)) +
             "' OR ts >= '" + timeparse::format(timeparse::from_civil(timeparse::k_max_year + 1, 1, 1)) + "') THEN 'r:" +
             reason::time_out_of_range + "'";
    }
    if (!t.weight.empty())
        w += " WHEN wt IS NULL OR NOT (wt >= 0) THEN 'r:" + std::string(reason::unparseable_weight) + "' WHEN wt > 1e9 THEN 'r:" +
             reason::weight_out_of_range + "'";
    if (filter.from || filter.to) {
        w += " WHEN ts IS NULL THEN 'f:" + std::string(reason::f_no_time) + "'";
        std::string out;
        if (filter.from) out = "ts < '" + timeparse::format(*filter.from) + "'";
        if (filter.to) out += (out.empty() ? "" : " OR ") + std::string("ts >= '") + timeparse::format(*filter.to) + "'";
        w += " WHEN " + out + " THEN 'f:" + reason::f_time_window + "'";
    }
    if (t.crs.is_geographic()) {
        // project_incidents: lon/lat outside the working CRS's area of use (2 degrees wider)
        const crs::AreaOfUse& a = working.area_of_use();
        const double m = 2.0;
        const auto inside = [&](const std::string& lon, const std::string& lat) {
            std::string s = "(" + lat + " >= " + num(a.south - m) + " AND " + lat + " <= " + num(a.north + m) + " AND ";
            if (a.west <= a.east) s += lon + " >= " + num(a.west - m) + " AND " + lon + " <= " + num(a.east + m) + ")";
            else s += "(" + lon + " >= " + num(a.west - m) + " OR " + lon + " <= " + num(a.east + m) + "))";
            return s;
        };
        w += " WHEN NOT " + inside("x", "y") + " THEN CASE WHEN " + inside("y", "x") + " THEN 'r:" +
             reason::swapped_lat_lon + "' ELSE 'r:" + reason::outside_crs_area + "' END";
    }
    return w + " END";
}

// True when the text `v` (an SQL expression) is an ISO date or date-time that exists: the
// pattern first, then the day against the month's length, in nested CASEs so that no cast of
// other text is ever evaluated (a failing cast would abort the whole query).
std::string iso_time_test(const std::string& v)
{
    const std::string re = "'^(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
                           "([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?)?$'";
    return "(CASE WHEN " + v + " ~ " + re + " THEN substr(" + v + ", 9, 2)::int <= extract(day from make_date(substr(" + v +
           ", 1, 4)::int, substr(" + v + ", 6, 2)::int, 1) + interval '1 month' - interval '1 day') ELSE false END)";
}

// SELECT g, x, y, ts, tbad, cat, wt, keep: the reader's view of each row, in levels that each
// compute an expression once (OFFSET 0 keeps the planner from flattening them: flattened, every
// use of x or ts repeats its whole expression, and JIT spends seconds compiling them).
std::string rows_sql(const IncidentSource& src, const PostgisTable& t)
{
    const std::string g = quote_ident(t.geometry);
    std::string s = "SELECT CASE WHEN GeometryType(" + g + ") = 'MULTIPOINT' AND ST_NumGeometries(" + g + ") = 1 THEN ST_GeometryN(" +
                    g + ", 1) ELSE " + g + " END AS g";
    if (t.time.empty()) s += ", NULL::text AS tv";
    else if (t.time_is_timestamp) s += ", date_trunc('second', " + quote_ident(t.time) + "::timestamp) AS tv";
    else s += ", btrim(" + quote_ident(t.time) + "::text, E' \\t\\r') AS tv";
    if (t.category.empty()) s += ", ''::text AS cat";
    else s += ", ltrim(rtrim(coalesce(" + quote_ident(t.category) + "::text, ''), E' \\t\\r'), E' \\t') AS cat";
    if (t.weight.empty()) s += ", 1::float8 AS wt";
    else s += ", " + quote_ident(t.weight) + "::float8 AS wt";
    // a row the condition makes NULL is dropped, as a WHERE clause drops it
    s += src.where.empty() ? ", true AS keep" : ", coalesce((" + src.where + "), false) AS keep";
    s += " FROM " + quote_table(t.table);
    // coordinates once (ST_X of another type than a point would fail the query); the time's state
    // once: 0 none, 1 a time, 2 text that is no ISO time (the reader's unparseable_time)
    std::string tok = "0";
    if (!t.time.empty())
        tok = t.time_is_timestamp ? std::string("CASE WHEN tv IS NULL THEN 0 ELSE 1 END")
                                  : "CASE WHEN tv IS NULL OR tv = '' THEN 0 WHEN " + iso_time_test("tv") + " THEN 1 ELSE 2 END";
    s = "SELECT g, CASE WHEN GeometryType(g) = 'POINT' THEN ST_X(g) END AS x, CASE WHEN GeometryType(g) = 'POINT' THEN ST_Y(g) END AS y, "
        "tv, " + tok + " AS tok, cat, wt, keep FROM (" + s + " OFFSET 0) AS r0";
    const std::string ts = t.time.empty() ? "NULL::timestamp" : t.time_is_timestamp ? "tv" : "CASE WHEN tok = 1 THEN date_trunc('second', tv::timestamp) END";
    return "SELECT g, x, y, " + ts + " AS ts, tok = 2 AS tbad, cat, wt, keep FROM (" + s + " OFFSET 0) AS r1";
}

std::string fates_sql(const IncidentSource& src, const PostgisTable& t, const IncidentFilter& filter, const crs::Crs& working)
{
    return "SELECT g, x, y, ts, cat, wt, " + fate_sql(t, filter, working) + " AS why FROM (" + rows_sql(src, t) + " OFFSET 0) AS r2";
}

// The accepted rows projected once: SELECT why, cat, wt, ts, p (the point in the working CRS,
// NULL unless accepted).
std::string projected_sql(const IncidentSource& src, const PostgisTable& t, const IncidentFilter& filter, const crs::Crs& working)
{
    const int to = epsg_of(working, "the working CRS");
    // the working SRID on the point either way (a column without one, read with --incidents-crs,
    // would not meet the districts' polygons otherwise)
    const std::string p = t.crs.same_as(working) ? "ST_SetSRID(g, " + std::to_string(to) + ")"
                                                 : "ST_Transform(ST_SetSRID(g, " + std::to_string(t.srid) + "), " + std::to_string(to) + ")";
    return "SELECT why, cat, wt, ts, CASE WHEN why IS NULL THEN " + p + " END AS p FROM (" + fates_sql(src, t, filter, working) +
           " OFFSET 0) AS r3";
}

} // namespace

bool is_postgis_source(const std::string& path) { return path.rfind("PG:", 0) == 0 || path.rfind("pg:", 0) == 0; }

PostgisTable describe_postgis_table(const IncidentSource& src, const IncidentFilter& filter)
{
    const std::string shown = redact_source(src.path);
    if (!is_postgis_source(src.path))
        throw ParameterError("--aggregate-in-database needs a PostgreSQL/PostGIS source (-i \"PG:dbname=... host=...\" --layer TABLE), "
                             "not " + src.path);
    if (src.layer.empty())
        throw ParameterError("--aggregate-in-database: name the incident table with --layer TABLE");
    if (!src.x_field.empty() || !src.y_field.empty() || !src.wkt_field.empty())
        throw ParameterError("--aggregate-in-database reads the table's geometry column: --x/--y/--wkt are not supported");
    if (filter.hour_from || filter.days != 0x7f)
        throw ParameterError("--aggregate-in-database: --hours and --days are not applied on the server yet (use --from/--to, or "
                             "read the rows without --aggregate-in-database)");
    if (!src.timezone.empty()) throw ParameterError("--aggregate-in-database: --timezone is not supported");
    if (src.strict || src.keep_rejects)
        throw ParameterError("--aggregate-in-database: --strict and --rejects need the rows themselves (read without it)");
    if (!src.time_format.empty()) throw ParameterError("--aggregate-in-database: --time-format is not supported (ISO times only)");
    GDALDatasetUniquePtr ds = open_pg(src);
    OGRLayer* layer = ds->GetLayerByName(src.layer.c_str());
    if (!layer) throw InputError(shown + ": no table named '" + src.layer + "'");
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    if (defn->GetGeomFieldCount() < 1) throw InputError(shown + ": table '" + src.layer + "' has no geometry column");
    PostgisTable t;
    t.table = src.layer;
    t.geometry = layer->GetGeometryColumn();
    if (!src.crs.empty()) {
        t.crs = crs::Crs::from_user(src.crs);
    } else if (const OGRSpatialReference* srs = layer->GetSpatialRef()) {
        char* wkt = nullptr;
        const char* opts[] = {"FORMAT=WKT2_2018", nullptr};
        srs->exportToWkt(&wkt, opts);
        const std::string w = wkt ? wkt : "";
        CPLFree(wkt);
        t.crs = crs::Crs::from_user(w);
    } else {
        throw CrsError(shown + ": table '" + src.layer + "' has no CRS: give --incidents-crs");
    }
    t.srid = epsg_of(t.crs, shown + ": the table's CRS");
    std::vector<std::string> names;
    for (int i = 0; i < defn->GetFieldCount(); ++i) names.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    IncidentSource named = src;
    named.path = shown;
    const ResolvedColumns c = resolve_incident_columns(names, named, false);
    if (!c.time_of_day.empty()) throw ParameterError("--aggregate-in-database: --time DATE,TIME is not supported");
    t.time = c.time;
    t.category = c.category;
    t.weight = c.weight;
    if ((filter.from || filter.to) && t.time.empty())
        throw ParameterError("a time filter (--from/--to/--hours/--days) needs a time column: give --time");
    if (!t.time.empty()) {
        const int i = defn->GetFieldIndex(t.time.c_str());
        const OGRFieldType ft = defn->GetFieldDefn(i)->GetType();
        t.time_is_timestamp = ft == OFTDateTime || ft == OFTDate;
        if (t.time_is_timestamp) {
            SqlResult r(*ds,
                        "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = " +
                            quote_literal(quote_table(t.table)) + "::regclass AND a.attname = " + quote_literal(t.time),
                        shown);
            for (auto& f : *r)
                if (std::string(f->GetFieldAsString(0)).find("with time zone") != std::string::npos)
                    throw ParameterError("--aggregate-in-database: the time column '" + t.time +
                                         "' is a timestamp with time zone, which the server would read in its session's zone: "
                                         "use a timestamp (without time zone) or text column, or read without it");
        }
    }
    return t;
}

std::optional<std::pair<double, double>> postgis_median(const IncidentSource& src, const PostgisTable& t, const IncidentFilter& filter,
                                                        const crs::Crs& working_for_area)
{
    GDALDatasetUniquePtr ds = open_pg(src);
    // the reader keeps lon/lat of rows it accepted, before the area-of-use check: this is that
    // choose_working_crs takes the element at n/2 (0-based) of the sorted values: 1-based
    // floor(n/2) + 1, which percentile_disc picks for the fraction (floor(n/2) + 0.5) / n
    const std::string sql = "WITH a AS (SELECT x, y FROM (" + fates_sql(src, t, filter, working_for_area) +
                            ") AS f WHERE why IS NULL OR why = 'r:outside_crs_area' OR (why = 'r:swapped_lat_lon' AND abs(x) <= 180 AND "
                            "abs(y) <= 90)) "
                            "SELECT c.n AS n, percentile_disc((floor(c.n / 2) + 0.5) / c.n) WITHIN GROUP (ORDER BY x) AS mx, "
                            "percentile_disc((floor(c.n / 2) + 0.5) / c.n) WITHIN GROUP (ORDER BY y) AS my "
                            "FROM a, (SELECT count(*)::float8 AS n FROM a) AS c GROUP BY c.n";
    SqlResult r(*ds, sql, redact_source(src.path));
    for (auto& f : *r)
        if (f->GetFieldAsDouble("n") > 0) return std::make_pair(f->GetFieldAsDouble("mx"), f->GetFieldAsDouble("my"));
    return std::nullopt;
}

Extent postgis_extent(const IncidentSource& src, const PostgisTable& t, const IncidentFilter& filter, const crs::Crs& working)
{
    GDALDatasetUniquePtr ds = open_pg(src);
    const std::string sql = "SELECT count(*) AS n, min(x) AS x0, min(y) AS y0, max(x) AS x1, max(y) AS y1 FROM (SELECT ST_X(p) AS x, "
                            "ST_Y(p) AS y FROM (" + projected_sql(src, t, filter, working) + " OFFSET 0) AS r4 WHERE why IS NULL) AS e";
    SqlResult r(*ds, sql, redact_source(src.path));
    Extent e;
    for (auto& f : *r)
        if (f->GetFieldAsInteger64("n") > 0)
            e = Extent{f->GetFieldAsDouble("x0"), f->GetFieldAsDouble("y0"), f->GetFieldAsDouble("x1"), f->GetFieldAsDouble("y1")};
    return e;
}

std::string postgis_square_sql(const IncidentSource& src, const PostgisTable& t, const IncidentFilter& filter, const crs::Crs& working,
                               double x0, double y0, double cell)
{
    // the binning rule of grid::GridSpec: col = floor((x - x0)/cell), row = floor((y - y0)/cell),
    // in float8 (IEEE doubles, as in C++)
    return "SELECT why, cat, col, row, count(*) AS n, sum(wt) AS w FROM (SELECT why, CASE WHEN why IS NULL THEN cat END AS cat, "
           "floor((ST_X(p) - " + num(x0) + "::float8) / " + num(cell) + "::float8) AS col, floor((ST_Y(p) - " + num(y0) + "::float8) / " +
           num(cell) + "::float8) AS row, wt FROM (" + projected_sql(src, t, filter, working) +
           " OFFSET 0) AS r4) AS b GROUP BY why, cat, col, row ORDER BY why NULLS FIRST, cat, row, col";
}

namespace {
/// A group's fate from the query's first column: null for accepted rows, else "f:REASON"
/// (filtered) or "r:REASON" (rejected). False for an accepted group.
template <class Group>
bool read_fate(OGRFeature& f, Group& g)
{
    if (!f.IsFieldSetAndNotNull(0)) return false;
    const std::string why = f.GetFieldAsString(0);
    g.filtered = why.rfind("f:", 0) == 0;
    g.why = why.substr(2);
    return true;
}
} // namespace

std::vector<AggregateGroup> postgis_square_counts(const IncidentSource& src, const PostgisTable& t, const IncidentFilter& filter,
                                                  const crs::Crs& working, double x0, double y0, double cell)
{
    GDALDatasetUniquePtr ds = open_pg(src);
    SqlResult r(*ds, postgis_square_sql(src, t, filter, working, x0, y0, cell), redact_source(src.path));
    std::vector<AggregateGroup> out;
    for (auto& f : *r) {
        AggregateGroup a;
        if (!read_fate(*f, a)) {
            a.category = f->GetFieldAsString(1);
            a.col = static_cast<std::int64_t>(f->GetFieldAsDouble(2));
            a.row = static_cast<std::int64_t>(f->GetFieldAsDouble(3));
        }
        a.count = static_cast<std::uint64_t>(f->GetFieldAsInteger64(4));
        a.weight = f->GetFieldAsDouble(5);
        out.push_back(std::move(a));
    }
    return out;
}

namespace {

// A statement that returns no rows (DDL, INSERT); throws InputError naming the source.
void execute(GDALDataset& ds, const std::string& sql, const std::string& shown)
{
    CPLErrorReset();
    OGRLayer* l = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (l) ds.ReleaseResultSet(l);
    if (CPLGetLastErrorType() >= CE_Failure) {
        std::string why = gdal_error("the statement failed");
        why = why.substr(0, why.find('\n'));
        throw InputError(shown + ": the server refused to hold the districts in a temporary table: " + why);
    }
}

constexpr const char* k_district_table = "pg_temp.hotmap_districts";

std::string hex(const std::string& bytes)
{
    static const char* d = "0123456789abcdef";
    std::string h;
    h.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        h += d[c >> 4];
        h += d[c & 15];
    }
    return h;
}

} // namespace

std::string postgis_district_sql(const IncidentSource& src, const PostgisTable& t, const IncidentFilter& filter, const crs::Crs& working,
                                 TimeUnit unit)
{
    const char* u = unit == TimeUnit::hour ? "hour" : unit == TimeUnit::day ? "day" : "month";
    const std::string tk = unit == TimeUnit::none ? std::string("NULL::int8")
                                                  : "extract(epoch from date_trunc('" + std::string(u) + "', ts))::int8";
    // the districts of each accepted point, as hotmap's closed polygons (ST_Intersects: the
    // boundary included); the subquery runs for accepted rows only (CASE evaluates it lazily)
    return "SELECT why, ids, cat, tk, count(*) AS n, sum(wt) AS w, min(te) AS t0, max(te) AS t1 FROM (SELECT why, "
           "CASE WHEN why IS NULL THEN cat END AS cat, wt, CASE WHEN why IS NULL THEN " + tk + " END AS tk, "
           "CASE WHEN why IS NULL AND ts IS NOT NULL THEN extract(epoch from ts)::int8 END AS te, "
           "CASE WHEN why IS NULL THEN (SELECT string_agg(d.id::text, ',' ORDER BY d.id) FROM " + std::string(k_district_table) +
           " AS d WHERE ST_Intersects(d.g, p)) END AS ids FROM (" + projected_sql(src, t, filter, working) +
           " OFFSET 0) AS r4) AS b GROUP BY why, ids, cat, tk ORDER BY why NULLS FIRST, ids, cat, tk";
}

std::vector<DistrictGroup> postgis_district_counts(const IncidentSource& src, const PostgisTable& t, const IncidentFilter& filter,
                                                   const crs::Crs& working, const std::vector<std::string>& district_wkb,
                                                   TimeUnit unit)
{
    const std::string shown = redact_source(src.path);
    const int srid = epsg_of(working, "the working CRS");
    GDALDatasetUniquePtr ds = open_pg(src);
    // the districts once, in this session only (dropped with the connection)
    execute(*ds, std::string("DROP TABLE IF EXISTS ") + k_district_table, shown);
    execute(*ds, std::string("CREATE TEMPORARY TABLE hotmap_districts (id integer PRIMARY KEY, g geometry)"), shown);
    std::string batch;
    std::size_t in_batch = 0;
    const auto flush = [&] {
        if (in_batch) execute(*ds, "INSERT INTO " + std::string(k_district_table) + " (id, g) VALUES " + batch, shown);
        batch.clear();
        in_batch = 0;
    };
    for (std::size_t k = 0; k < district_wkb.size(); ++k) {
        batch += (in_batch ? ", (" : "(") + std::to_string(k) + ", ST_SetSRID(ST_GeomFromWKB(decode('" + hex(district_wkb[k]) + "', 'hex')), " +
                 std::to_string(srid) + "))";
        if (++in_batch == 500 || batch.size() > (8u << 20)) flush();
    }
    flush();
    execute(*ds, std::string("CREATE INDEX ON ") + k_district_table + " USING gist (g)", shown);
    execute(*ds, std::string("ANALYZE ") + k_district_table, shown);
    SqlResult r(*ds, postgis_district_sql(src, t, filter, working, unit), shown);
    std::vector<DistrictGroup> out;
    for (auto& f : *r) {
        DistrictGroup a;
        if (!read_fate(*f, a)) {
            if (f->IsFieldSetAndNotNull(1)) {
                const std::string ids = f->GetFieldAsString(1);
                std::size_t b = 0;
                while (b < ids.size()) {
                    const std::size_t e = std::min(ids.find(',', b), ids.size());
                    a.districts.push_back(static_cast<std::int32_t>(std::stol(ids.substr(b, e - b))));
                    b = e + 1;
                }
            }
            a.category = f->GetFieldAsString(2);
            a.has_time = f->IsFieldSetAndNotNull(6);
            if (a.has_time) {
                a.time = unit == TimeUnit::none ? 0 : f->GetFieldAsInteger64(3);
                a.first = f->GetFieldAsInteger64(6);
                a.last = f->GetFieldAsInteger64(7);
            }
        }
        a.count = static_cast<std::uint64_t>(f->GetFieldAsInteger64(4));
        a.weight = f->GetFieldAsDouble(5);
        out.push_back(std::move(a));
    }
    return out;
}

} // namespace hotmap::io
