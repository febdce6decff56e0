#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace porchlight::ingest {

/// The model fields a profile maps source columns to.
enum class field {
    record_id,
    agency,
    city,
    county,
    state,
    address, ///< "City, ST" or "City, State" in one column
    agency_type,
    jurisdiction_type,
    vendor,
    technology,
    start,
    end,
};

inline constexpr field all_fields[] = {
    field::record_id,         field::agency, field::city,       field::county, field::state,
    field::address,           field::agency_type, field::jurisdiction_type, field::vendor,
    field::technology,        field::start,  field::end};

std::string_view to_string(field f);
std::optional<field> field_from_string(std::string_view s);

/// One cited link of a record (the Atlas' "Link 1" ... "Link 3").
struct link_columns {
    std::string url, snapshot, publisher, type, date;
};

/// How a source's columns map onto the data model (a YAML file in data/profiles/).
struct Profile {
    std::string name;
    std::string title;
    std::string dataset; ///< key shared by snapshots of one dataset
    std::string description;
    std::filesystem::path file;
    std::string sha256; ///< of the profile file's bytes, recorded with every source
    std::vector<std::string> detect_columns;
    std::map<field, std::string> columns;          ///< required columns
    std::map<field, std::string> optional_columns; ///< used when present
    std::map<field, std::string> constants;        ///< values when there is no column
    std::map<std::string, std::string> technology_vendors; ///< technology -> default vendor
    std::vector<link_columns> links;

    /// Column name for a field (required or optional), or nullopt.
    std::optional<std::string> column_for(field f) const;
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
