#pragma once

// Private to the ingest module: what one row of a records source says, read through a
// profile, before anything is looked up in the store. Pure (no database), so it runs on
// the reader thread while the main thread writes the previous rows.

#include <porchlight/ingest/profile.hpp>
#include <porchlight/ingest/table_reader.hpp>
#include <porchlight/resolve/agency_resolver.hpp>
#include <porchlight/util/date.hpp>

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace porchlight::ingest::detail {

/// Column indexes of a profile's fields in one table.
struct column_map {
    std::map<field, std::size_t> index;
    struct link_index {
        std::optional<std::size_t> url, snapshot, publisher, type, date;
    };
    std::vector<link_index> links;
};

/// Maps the profile onto the table's columns; throws parse_error naming the missing ones.
column_map map_columns(const Profile& p, const std::vector<std::string>& columns,
                       const std::string& file);

struct field_warning {
    std::string field;
    std::string message;
};

/// Reads a profile's fields from rows: the column's value (trimmed), or the profile's
/// constant when the table has no such column or the cell is empty.
class field_reader {
public:
    field_reader(const Profile& profile, const column_map& columns);
    std::string get(const table_row& row, field f) const;
    /// The column's index, or -1.
    std::ptrdiff_t column_of(field f) const { return m_column_of[static_cast<std::size_t>(f)]; }

private:
    std::vector<std::ptrdiff_t> m_column_of;       ///< field -> column index, -1: none
    std::vector<const std::string*> m_constant_of; ///< field -> profile constant
};

/// What the row readers of every kind hold: the profile, its fields, the table's column
/// names, and how a row is cited.
class profile_rows {
protected:
    profile_rows(const Profile& profile, const column_map& columns,
                 std::vector<std::string> column_names, std::string locator_word,
                 bool check_utf8, std::string file);
    /// What every kind does first with a row: checks its values are UTF-8 (when the reader
    /// does not guarantee it), and sets its locator ("row 12") and JSON (records.data).
    void read_record(const table_row& row, std::string& locator, std::string& json) const;

    const Profile& m_profile;
    field_reader m_fields;
    std::vector<std::string> m_column_names;
    std::string m_locator_word;
    bool m_check_utf8;
    std::string m_file;
};

/// The agency a row names, with its place and state (and, when address_is_place, the
/// "City, ST" of an address column); key holds every part, for caching the resolution.
/// An unknown state is a warning.
void read_mention(const field_reader& fields, const table_row& row, resolve::agency_mention& m,
                  std::string& key, std::vector<field_warning>& warnings,
                  bool address_is_place = true);

/// s cut to at most max bytes at a character boundary, with "…" when cut.
std::string truncate_utf8(std::string s, std::size_t max);

/// One row as the profile reads it.
struct interpreted_row {
    table_row row;
    std::string locator; ///< "row 12", "placemark 3"
    std::string json;    ///< the row's values as a JSON array (records.data)
    resolve::agency_mention mention;
    std::string mention_key; ///< every part of the mention, for caching its resolution
    std::string technology;
    std::string vendor; ///< after the profile's default and the agency-in-vendor check
    std::optional<std::string> start, start_precision, end, end_precision;
    std::string start_raw, end_raw;
    std::string total_raw; ///< a request total given beside the partnership (agency maps)
    std::string excerpt;
    std::vector<field_warning> warnings; ///< state, vendor and date problems of this row
};

class RowInterpreter : private profile_rows {
public:
    RowInterpreter(const Profile& profile, const column_map& columns,
                   std::vector<std::string> column_names, std::string locator_word,
                   bool check_utf8, std::string file);

    /// Fills r from r.row. Throws parse_error for a value that is not UTF-8.
    void interpret(interpreted_row& r);

private:
    struct date_parse {
        std::optional<util::partial_date> date;
        std::string error;
    };
    std::string get(const table_row& row, field f) const { return m_fields.get(row, f); }
    const date_parse& parse_cached(const std::string& raw);
    void read_date(interpreted_row& r, field f, std::optional<std::string>& iso,
                   std::optional<std::string>& precision, std::string& raw);

    std::unordered_map<std::string, date_parse> m_dates; ///< dates repeat: parse each once
    std::unordered_map<std::string, std::string> m_technology_vendors; ///< normalised keys
};

} // namespace porchlight::ingest::detail
