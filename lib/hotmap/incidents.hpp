// SPDX-License-Identifier: MIT
// The in-memory incident collection, its row accounting, filters and projection to the
// working CRS. Readers live in io/read_incidents; everything here is pure computation.
#pragma once

#include "hotmap/crs/crs.hpp"
#include "hotmap/types.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hotmap {

/// Stable reject reason keys (also written to --rejects files and printed by `info`).
namespace reason {
inline constexpr const char* missing_coordinate = "missing_coordinate";
inline constexpr const char* unparseable_number = "unparseable_number";
inline constexpr const char* out_of_range = "out_of_range_coordinate";
inline constexpr const char* swapped_lat_lon = "swapped_lat_lon";
inline constexpr const char* null_island = "null_island";
inline constexpr const char* null_geometry = "null_geometry";
inline constexpr const char* not_a_point = "not_a_point";
inline constexpr const char* bad_wkt = "unparseable_wkt";
inline constexpr const char* outside_crs_area = "outside_crs_area";
inline constexpr const char* unparseable_time = "unparseable_time";
inline constexpr const char* unparseable_weight = "unparseable_weight";
inline constexpr const char* weight_out_of_range = "weight_out_of_range";
inline constexpr const char* time_out_of_range = "time_out_of_range";
inline constexpr const char* too_few_fields = "too_few_fields";
inline constexpr const char* too_many_fields = "too_many_fields";
inline constexpr const char* unterminated_quote = "unterminated_quote";
// filter reasons
inline constexpr const char* f_where = "where";
inline constexpr const char* f_time_window = "time_window";
inline constexpr const char* f_no_time = "no_time_for_time_filter";
inline constexpr const char* f_hours = "hours";
inline constexpr const char* f_days = "days";
inline constexpr const char* f_category = "category";
inline constexpr const char* f_sensitive = "sensitive_category";
inline constexpr const char* f_outside_study_area = "outside_study_area"; ///< left out by a server: outside the districts' box
} // namespace reason

/// Every input row is read, then accepted, filtered (by the user's filters) or rejected
/// (bad data), each with a reason. Invariant: read == accepted + filtered + rejected.
struct Accounting {
    std::uint64_t read = 0;
    std::uint64_t accepted = 0;
    std::uint64_t filtered = 0;
    std::uint64_t rejected = 0;
    std::map<std::string, std::uint64_t> filtered_by;
    std::map<std::string, std::uint64_t> rejected_by;

    void reject(const std::string& why, std::uint64_t n = 1)
    {
        rejected += n;
        rejected_by[why] += n;
    }
    void filter(const std::string& why, std::uint64_t n = 1)
    {
        filtered += n;
        filtered_by[why] += n;
    }
    void merge(const Accounting& o);
    bool balanced() const noexcept { return read == accepted + filtered + rejected; }
};

/// One rejected row, kept for --rejects: source row (CSV line), reason, raw text.
struct RejectedRow {
    std::uint64_t row = 0;
    std::string reason;
    std::string raw;
};

/// User filters applied while reading. Times are naive local clock seconds.
struct IncidentFilter {
    std::optional<Timestamp> from; ///< inclusive
    std::optional<Timestamp> to;   ///< exclusive
    std::optional<int> hour_from;  ///< --hours H1-H2: hour of day in [H1, H2), wraps midnight
    std::optional<int> hour_to;
    std::uint8_t days = 0x7f;      ///< bit d set = keep weekday d (0 = Monday .. 6 = Sunday)

    bool needs_time() const noexcept { return from || to || hour_from || days != 0x7f; }
    /// nullptr when the time passes, else the filter reason key.
    const char* check(Timestamp t) const noexcept;
};

/// Incidents with their CRS, categories and accounting.
struct IncidentSet {
    std::vector<Incident> items;
    std::vector<std::string> categories; ///< sorted; Incident::category indexes it
    crs::Crs crs;                        ///< CRS of items' coordinates
    Accounting accounting;
    std::vector<RejectedRow> rejects;
    bool has_time = false;
    bool has_category = false;
    bool has_weight = false;
    std::string source;         ///< path as given
    std::string resolved_x, resolved_y, resolved_time, resolved_category, resolved_weight,
        resolved_wkt;           ///< the columns actually used (for -v)
    std::string time_format;    ///< the time format used (for -v)
    std::vector<std::string> warnings; ///< what the reader noticed (printed unless --quiet)
    std::vector<std::string> notes;    ///< how the source was read (server-side filters; printed with -v)

    Extent extent() const noexcept;
    /// min/max of the non-missing times; nullopt when none.
    std::optional<std::pair<Timestamp, Timestamp>> time_range() const noexcept;
    double total_weight() const noexcept;
};

/// How the working CRS was chosen, for -v.
struct WorkingCrsChoice {
    crs::Crs crs;
    std::string why;
};

/// The working CRS rule of DESIGN.md: --crs if given; else the districts' CRS if projected;
/// else the incidents' CRS if projected; else the WGS84 UTM zone of the median lon/lat of
/// the incidents. Throws CrsError if the chosen CRS is geographic or nothing is known.
WorkingCrsChoice choose_working_crs(const crs::Crs& user, const crs::Crs& districts,
                                    const IncidentSet& incidents);

/// The largest projected coordinate accepted, in map units (1e8 m is 2.5 times the Earth's
/// circumference): beyond it a value is a data error, and sums of squares would overflow.
inline constexpr double k_max_projected_coordinate = 1e8;

/// Transform incidents to `target` in place. Rows that cannot be transformed, or whose
/// lon/lat lies outside target's area of use (widened by `margin_deg`), are rejected
/// (reason swapped_lat_lon when the swapped pair would fit, else outside_crs_area), and so are
/// projected coordinates beyond k_max_projected_coordinate (out_of_range_coordinate); they are
/// removed and the accounting is updated. Rejected rows are also added to `rejects` when
/// `keep_rejects`.
void project_incidents(IncidentSet& set, const crs::Crs& target, bool keep_rejects,
                       double margin_deg = 2.0, unsigned threads = 0);

/// Drop incidents whose category is not in `keep` (names; empty = keep all), counting them
/// as filtered. Returns the names of `keep` that are no category of the set.
std::vector<std::string> filter_categories(IncidentSet& set, const std::vector<std::string>& keep);

/// Publication (--sensitive below district level): the incidents of the categories in `drop`
/// (matched by same_category)
/// leave the set (filtered, reason f_sensitive) and so do the categories themselves (no
/// c_<category> column is written for them; the others are renumbered, order kept). Names not
/// among the categories are ignored. Returns the incidents removed.
std::size_t drop_categories(IncidentSet& set, const std::vector<std::string>& drop);

/// Whether two names are one category: equal, or equal once ASCII letters are lower-cased and
/// every other ASCII character made '_' ("sexual violence" and "sexual_violence", as its
/// c_sexual_violence column).
bool same_category(const std::string& a, const std::string& b);

} // namespace hotmap
