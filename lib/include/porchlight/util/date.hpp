#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace porchlight::util {

enum class date_precision { year, month, day };

std::string_view to_string(date_precision p);

/// A calendar date known to a year, a month or a day.
struct partial_date {
    int year = 0;
    int month = 0; ///< 0 when precision is year
    int day = 0;   ///< 0 unless precision is day
    date_precision precision = date_precision::day;
    /// Set when the text needed reading that a user should know about (a year range
    /// taken as its first year, a spreadsheet serial day number).
    std::string note;

    /// "2019", "2019-07" or "2019-07-15".
    std::string iso() const;
};

/// Parses the date spellings found in public records: ISO ("2019-07-15", "2019-07",
/// "2019", "2019/07/15", with or without a time), US ("7/15/19", "7/15/2019", "7-15-2019"),
/// and month names ("July 2020", "Jul-20", "15-Jul-19", "July 15, 2020", "15 July 2020").
/// A year range ("2017-2019", "2017/2018", "2016-17") is read as its first year, and a
/// spreadsheet serial day number (5 digits, e.g. 43146 = 2018-02-15) as that day; both
/// with a note. Two-digit years are 2000+yy below 70, else 1900+yy. Returns nullopt for empty text;
/// throws std::invalid_argument with a reason for text that is not a valid date.
std::optional<partial_date> parse_date(std::string_view text);

/// Today's date (UTC) as YYYY-MM-DD, and now as YYYY-MM-DDTHH:MM:SSZ.
std::string today_utc();
std::string now_utc();
/// A file's modification time as YYYY-MM-DDTHH:MM:SSZ (now, when it cannot be read).
std::string file_mtime_utc(const std::filesystem::path& file);
/// A full date (YYYY-MM-DD, or another full-date spelling parse_date reads) given with an
/// option, as YYYY-MM-DD; throws porchlight::error naming the option otherwise.
std::string full_day(std::string_view value, std::string_view option);

} // namespace porchlight::util
