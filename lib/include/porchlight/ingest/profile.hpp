#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace porchlight::ingest {

/// What the rows of a source are: the table they go to.
enum class profile_kind {
    partnerships,   ///< agency x vendor x technology (partnerships, agencies)
    requests,       ///< individual video requests (video_requests)
    request_totals, ///< per-agency totals as of a date (request_totals)
    cameras,        ///< camera points (cameras)
};

std::string_view to_string(profile_kind k);
std::optional<profile_kind> profile_kind_from_string(std::string_view s);

/// The model fields a profile maps source columns to.
enum class field {
    record_id,
    agency,
    city,
    county,
    state,
    address, ///< "City, ST" or "City, State" in one column; for requests: the area as written
    agency_type,
    jurisdiction_type,
    vendor,
    technology,
    start,
    end,
    // requests
    requested_at,
    case_number,
    title,
    lat,
    lon,
    radius, ///< "500 ft", "0.25 mi", "400 m"; a bare number in the profile's radius_unit
    area,   ///< a polygon as WKT or GeoJSON
    window_start,
    window_end,
    users_notified,
    videos_received,
    // request totals ("Total Video Requests: 1,234"); also read by partnership profiles
    total,
    as_of,
    // cameras
    geometry, ///< WKT ("POINT (-76.6 39.3)")
    name,
    kind,
    camera_operator, ///< "operator" in a profile
    direction,       ///< degrees, a cardinal ("NE") or a range ("90-180")
    field_of_view,
    angle,
    surveillance_type,
    zone,
    ref,
};

inline constexpr field all_fields[] = {
    field::record_id,      field::agency,          field::city,
    field::county,         field::state,           field::address,
    field::agency_type,    field::jurisdiction_type, field::vendor,
    field::technology,     field::start,           field::end,
    field::requested_at,   field::case_number,     field::title,
    field::lat,            field::lon,             field::radius,
    field::area,           field::window_start,    field::window_end,
    field::users_notified, field::videos_received, field::total,
    field::as_of,          field::geometry,        field::name,
    field::kind,           field::camera_operator, field::direction,
    field::field_of_view,  field::angle,           field::surveillance_type,
    field::zone,           field::ref};

std::string_view to_string(field f);
std::optional<field> field_from_string(std::string_view s);

/// One cited link of a record (the Atlas' "Link 1" ... "Link 3").
struct link_columns {
    std::string url, snapshot, publisher, type, date;
};

/// The spellings a column may have in a file's header, in order of preference: the first
/// one present wins ("Date", "Request Date", "Date Requested").
using spellings = std::vector<std::string>;

/// How a source's columns map onto the data model (a YAML file in data/profiles/).
struct Profile {
    std::string name;
    std::string title;
    std::string dataset; ///< key shared by snapshots of one dataset
    std::string description;
    profile_kind kind = profile_kind::partnerships;
    std::string radius_unit = "m"; ///< unit of a bare radius number: m, ft, mi or km
    std::filesystem::path file;
    std::string sha256; ///< of the profile file's bytes, recorded with every source
    /// Every entry must be present for the profile to be detected (any of its spellings).
    std::vector<spellings> detect_columns;
    std::map<field, spellings> columns;          ///< required columns
    std::map<field, spellings> optional_columns; ///< used when present
    std::map<field, std::string> constants;      ///< values when there is no column
    std::map<std::string, std::string> technology_vendors; ///< technology -> default vendor
    std::vector<link_columns> links;

    /// First spelling of the column for a field (required or optional), or nullopt.
    std::optional<std::string> column_for(field f) const;
    /// Whether a column or a constant gives the field.
    bool maps(field f) const;
};

/// Loads and validates a profile file. Throws profile_error naming the file.
Profile load_profile(const std::filesystem::path& file);

/// The profiles shipped in <data_dir>/profiles, by name.
std::vector<Profile> load_profiles(const std::filesystem::path& profiles_dir);

/// Looks a name up among the shipped profiles, or loads a path to a .yaml file.
Profile find_profile(const std::filesystem::path& profiles_dir, const std::string& name_or_path);

/// Column names compare case-insensitively, ignoring spaces, underscores and punctuation
/// ("Active Date" == "active_date").
std::string column_key(std::string_view column);

/// Index of the first spelling present in columns (compared with column_key), or nullopt.
std::optional<std::size_t> find_column(const std::vector<std::string>& columns,
                                       const spellings& wanted);

/// Result of matching a table's columns against the shipped profiles.
struct detection {
    const Profile* profile = nullptr;
    std::string reason;
};

/// Picks the profile whose detect columns all appear in `columns` (the most specific wins).
/// Throws profile_error listing the candidates when none or several fit equally.
detection detect_profile(const std::vector<Profile>& profiles,
                         const std::vector<std::string>& columns, const std::string& file);

} // namespace porchlight::ingest
