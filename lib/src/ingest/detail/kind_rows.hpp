#pragma once

// Private to the ingest module: rows of video requests, request totals and cameras, read
// through a profile (kind_rows.cpp, pure: it runs on the reader thread) and written into
// the store (kind_writer.cpp).

#include "row_interpreter.hpp"

#include <porchlight/ingest/ingester.hpp>
#include <porchlight/ingest/values.hpp>
#include <porchlight/store/database.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace porchlight::ingest::detail {

/// One row of a requests, request-totals or cameras source as the profile reads it.
struct kind_row {
    table_row row;
    std::string locator;
    std::string json;
    std::vector<field_warning> warnings;
    std::string skip; ///< why the row is unusable ("no coordinates" ...); empty when usable
    // the agency (requests, totals)
    resolve::agency_mention mention;
    std::string mention_key;
    // requests
    std::optional<std::string> requested_at, window_start, window_end;
    std::string requested_raw, case_number, title, address;
    std::optional<double> lat, lon, radius_m;
    std::optional<std::string> area_wkt;
    std::optional<std::int64_t> users_notified, videos_received;
    // totals
    std::optional<std::int64_t> total;
    std::string total_raw, as_of;
    // cameras
    std::string name, kind, camera_operator, surveillance_type, zone, ref, direction_raw;
    std::optional<double> direction, field_of_view, angle;
    std::string excerpt;
};

/// What a source's rows are checked against besides the profile.
struct kind_context {
    std::string as_of;                 ///< the source's date (totals without their own)
    const StateBoxes* boxes = nullptr; ///< for the range / swap / state checks
};

class KindInterpreter : private profile_rows {
  public:
    KindInterpreter(const Profile& profile, const column_map& columns,
                    std::vector<std::string> column_names, std::string locator_word,
                    bool check_utf8, std::string file, kind_context context);
    /// Fills r from r.row. Throws parse_error for a value that is not UTF-8.
    void interpret(kind_row& r) const;

  private:
    void read_request(kind_row& r) const;
    void read_total(kind_row& r) const;
    void read_camera(kind_row& r) const;
    /// Reads lat/lon (or a geometry) into r.lat/r.lon and checks them against the range
    /// and the row's state (a warning for each problem); returns why there is no usable
    /// point ("no coordinates", "coordinates out of range", "lat/lon swapped"), or "".
    std::string read_point(kind_row& r, const std::string& state) const;
    std::optional<std::string> read_time(kind_row& r, field f, std::string& raw) const;
    std::optional<std::int64_t> read_count(kind_row& r, field f) const;

    kind_context m_context;
    std::string m_radius_unit; ///< of a bare radius: the column's name, else the profile's
};

/// Writes rows of a requests, request-totals or cameras source: records, facts, their
/// evidence and warnings; counts go into res. warn records one ingest warning.
using warn_fn = std::function<void(const std::string& locator, std::int64_t row_no,
                                   const std::string& field, const std::string& message)>;
void write_kind_rows(store::Database& db, ingest_result& res, const Profile& profile,
                     TableReader& table, const KindInterpreter& interpreter, const warn_fn& warn,
                     const std::function<void(std::int64_t)>& progress);

/// Adds row_no to a row list (only the first few numbers are kept).
void add_row(row_list& list, std::int64_t row_no);

} // namespace porchlight::ingest::detail
