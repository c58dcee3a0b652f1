// SPDX-License-Identifier: MIT
// Vector layers in memory, and the one writer/reader pair for every vector format.
#pragma once

#include "hotmap/crs/crs.hpp"
#include "hotmap/io/output_set.hpp"
#include "hotmap/types.hpp"

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <variant>
#include <vector>

namespace hotmap::io {

/// `datetime` values are std::int64_t Timestamps (a local clock, seconds since 1970): written as
/// date-time fields (Shapefile: "YYYY-MM-DD HH:MM:SS" text, the format has no date-time type).
enum class FieldType { integer, real, string, datetime };
struct FieldDef {
    std::string name;
    FieldType type = FieldType::real;
};
/// A cell value; monostate is null (written as null, or 0/empty where the format has none).
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

enum class GeomKind { none, point, line, polygon };

/// One feature's geometry as a row source gives it: a point, a polygon's one exterior ring, or
/// WKB for anything else. The writer turns a point or a ring into an OGR geometry it reuses
/// from feature to feature (no WKB string, no parse per row).
struct FeatureGeometry {
    enum class Kind { null, point, ring, wkb };
    Kind kind = Kind::null;
    double x = 0, y = 0;          ///< Kind::point
    std::vector<Point> ring;      ///< Kind::ring: closed (first point repeated last)
    std::string wkb;              ///< Kind::wkb

    void set_null() noexcept { kind = Kind::null; }
    void set_point(double px, double py) noexcept
    {
        kind = Kind::point;
        x = px;
        y = py;
    }
    /// The caller fills `ring` after this (its storage is kept from row to row).
    std::vector<Point>& set_ring()
    {
        kind = Kind::ring;
        ring.clear();
        return ring;
    }
    /// The same geometry as WKB (little endian, 2D): what a held layer stores.
    std::string to_wkb() const;
};

/// Rows made while they are written, for layers too large to hold as values (a grid of
/// 240,000 cells, one row per incident): `fill(r, values, geometry)` sets row r's values
/// (one per field; `values` arrives with as many entries as there are fields, holding the
/// previous row's values, whose storage it may reuse) and its geometry. Rows are asked for in
/// order 0..count-1, once each per write. The function reads whatever it captured: state it
/// owns (shared_ptr), or inputs that the producer documents must outlive the layer. It may
/// throw; the write then fails and leaves no output.
struct RowSource {
    std::size_t count = 0;
    std::function<void(std::size_t row, std::vector<Value>& values, FeatureGeometry& geometry)> fill;
    explicit operator bool() const noexcept { return static_cast<bool>(fill); }
};

/// A table with optional geometries (in `crs`), ready to write: held (`rows` and `wkb`) or
/// streamed from `source` (rows made one at a time by the writer; `rows` and `wkb` empty).
struct VectorLayer {
    std::string name = "layer";
    std::vector<FieldDef> fields;
    std::vector<std::vector<Value>> rows;
    std::vector<std::string> wkb;  ///< one per row when kind != none (empty string = null)
    RowSource source;              ///< when set: the rows, instead of `rows` and `wkb`
    GeomKind kind = GeomKind::none;
    crs::Crs crs;
    std::string qml;               ///< QGIS style (sidecar .qml, or GeoPackage layer_styles)
    std::string metadata;          ///< free text stored as layer description where possible
    /// What the layer shows, with its parameters and filters ("Coverage of incidents by
    /// facilities, 18:00-06:00 only"), and a longer account: GeoPackage gpkg_contents
    /// identifier and description, a QGIS metadata sidecar (.qmd) for other formats.
    std::string title, abstract;

    std::size_t add_field(std::string field_name, FieldType t)
    {
        fields.push_back({std::move(field_name), t});
        return fields.size() - 1;
    }
    /// Number of rows, held or streamed.
    std::size_t size() const noexcept { return source ? source.count : rows.size(); }
    bool streamed() const noexcept { return static_cast<bool>(source); }
    /// Make `rows` and `wkb` from the source and drop it, for readers that need every row at
    /// once or change them (disclosure control, the batch report). No-op for a held layer.
    void materialise();
};

/// A string made safe as a field-name suffix: lower case, runs of other characters -> "_"
/// ("Sexual violence" -> "sexual_violence"; "" -> "none").
std::string field_suffix(const std::string& s);

/// Fields "<prefix><suffix>" for each name, made unique by appending "_" (c_theft, c_theft_).
std::vector<std::string> unique_field_names(const std::string& prefix, const std::vector<std::string>& names);

/// A number as a cell value: null when not finite (no neighbour, no population...).
inline Value number(double v) { return std::isfinite(v) ? Value(v) : Value(); }

struct WriteOptions {
    std::string format;      ///< GDAL driver name; empty = from the extension
    std::string layer_name;  ///< GeoPackage layer name; empty = the file's stem
    bool overwrite = false;
    bool append = false;     ///< GeoPackage: add the layer to the staged file if it exists already
    const std::string* qml = nullptr; ///< a style to write instead of layer.qml (a translated one)
};

/// What the writer did, for -v.
struct WriteReport {
    std::string driver;
    std::vector<std::pair<std::string, std::string>> renamed_fields; ///< Shapefile 10-char cuts
};

/// Driver for a path's extension (.geojson/.json, .shp, .gpkg, .fgb, .csv). Throws
/// ParameterError for an unknown extension without an explicit format.
std::string driver_for(const std::string& path, const std::string& format);

/// The files written beside a vector output (".shx", ".dbf", ".prj", ".cpg" for Shapefiles;
/// ".qml" for a styled layer and ".qmd" for a titled one in a format without a style table or
/// metadata columns): give them to OutputSet::add.
std::vector<std::string> vector_sidecars(const std::string& path, const std::string& format, bool styled, bool titled = true);

/// A QGIS 3 layer metadata document (.qmd): identifier and title = `title`, abstract, type
/// "dataset". Empty when both are empty.
std::string qgis_metadata(const std::string& title, const std::string& abstract);

/// Write a layer to a staged output (OutputSet), held or streamed (the source's rows made and
/// written one at a time; the same file as from the same rows held). GeoJSON is written as RFC 7946 lon/lat
/// WGS84; Shapefiles get .prj and .cpg (UTF-8) and fields cut to 10 characters
/// deterministically (NAME_1, NAME_2 on clashes); CSV gets attributes only. Strings that are
/// not UTF-8 are converted (text::to_utf8). What was written is checked before it is
/// accepted (a full disk truncates files without every driver saying so). Throws
/// OutputError naming out.target.
WriteReport write_vector(const VectorLayer& layer, const Staged& out, const WriteOptions& opts);

/// The same as a one-output run: staged, checked and renamed into place.
WriteReport write_vector(const VectorLayer& layer, const std::string& path, const WriteOptions& opts);

/// Deterministic 10-character Shapefile field names for `names`.
std::vector<std::string> shapefile_names(const std::vector<std::string>& names);

/// A polygon layer read from any OGR source, reprojected to `target` when it is not empty.
struct PolygonLayer {
    std::vector<std::string> wkb;
    std::vector<std::string> names;      ///< from the name field, or "1".."n"
    std::vector<double> population;      ///< NaN where absent
    std::vector<std::int64_t> fids;
    crs::Crs crs;                        ///< CRS of wkb (target when given)
    crs::Crs source_crs;
    std::string name_field;              ///< resolved name field ("" = numbered)
    std::string population_field;
    std::vector<std::string> warnings;
};

struct PolygonSource {
    std::string path;
    std::string layer;
    std::string name_field;       ///< empty = detect
    std::string population_field; ///< empty = none
    std::string crs;              ///< CRS of a layer that has none (--districts-crs)
};

/// Read polygons. Throws InputError when the file cannot be opened, has no polygons, or a
/// named field is missing; CrsError when it has no CRS and none is given.
PolygonLayer read_polygons(const PolygonSource& src, const crs::Crs& target);

/// Read any vector layer's geometries as WKB (points, lines or polygons), reprojected to
/// `target`, with some attribute columns as text. A CSV (points) follows the incidents' rules
/// for its columns and CRS (io::resolve_point_table, `crs` for x/y columns without a .prj);
/// other sources use their own CRS, `crs` only when they have none. Fields that are absent are listed in `missing`
/// (their values are empty), not an error: the caller decides.
struct GenericLayer {
    std::vector<std::string> wkb;
    std::vector<std::size_t> feature;              ///< per geometry: its feature's 1-based position in the layer
    std::vector<std::vector<std::string>> values; ///< per requested field, one per geometry
    std::vector<std::string> missing;              ///< requested fields the layer does not have
    crs::Crs crs;
    std::size_t features = 0;          ///< features read
    std::size_t without_geometry = 0;  ///< features skipped: no (or an empty) geometry
    std::size_t first_without = 0;     ///< 1-based index of the first such feature
};
GenericLayer read_geometries(const std::string& path, const std::string& layer, const std::vector<std::string>& fields,
                             const crs::Crs& target, const std::string& crs = {}, const std::string& crs_option = "--crs");

/// A street layer's line parts in `target` (reprojected): one vertex list per LineString part
/// (MultiLineStrings give several parts of one feature). OpenStreetMap files (.osm.pbf, .osm)
/// are read through GDAL's OSM driver: the `lines` layer, ways with a `highway` tag except
/// the ones a person on foot cannot use (k_osm_highway_filter). Throws InputError when the
/// source cannot be opened, a feature is not a line (naming it), or there is no line;
/// CrsError when the layer has no CRS and `crs` gives none.
struct StreetLayer {
    std::vector<std::vector<hotmap::Point>> parts;
    std::vector<std::size_t> feature; ///< per part: its feature's 1-based position in the layer
    crs::Crs crs;
    std::size_t features = 0;         ///< features read
    std::size_t without_geometry = 0; ///< features skipped: no (or an empty) geometry
    bool osm = false;                 ///< read through the OSM driver (highway filter applied)
};
/// The OGR attribute filter applied to an OSM `lines` layer.
inline constexpr const char* k_osm_highway_filter =
    "highway IS NOT NULL AND highway NOT IN ('motorway','motorway_link','trunk','trunk_link','construction','proposed',"
    "'raceway','bus_guideway','abandoned','platform','elevator','bridleway')";
StreetLayer read_street_lines(const std::string& path, const std::string& layer, const crs::Crs& target, const std::string& crs = {});

} // namespace hotmap::io
