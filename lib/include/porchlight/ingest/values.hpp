#pragma once

// Reading the values of video-request, request-total and camera rows: times, counts,
// radii, areas, points and camera directions as public records spell them. Pure
// functions: no database, no printing.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace porchlight::ingest {

/// A value read from a cell, or why it could not be (error empty when it was read or the
/// cell was empty).
template <typename T> struct read_value {
    std::optional<T> value;
    std::string error;
};

/// A request's time: "YYYY-MM-DDTHH:MM:SSZ" when the text has a time with a zone
/// ("2020-03-04T13:22:00-05:00", "...Z") or is a Unix time (10 or 13 digits); else the day
/// "YYYY-MM-DD" of any full-date spelling util::parse_date reads, a trailing clock time
/// ("3/4/2020 2:15 PM") dropped. A month or a year alone is an error (not a day).
read_value<std::string> parse_request_time(std::string_view text);

/// A count: "1,234", "12", or the number after the last ':' of "Total Video Requests: 1,234".
read_value<std::int64_t> parse_count(std::string_view text);

/// A decimal number in '.' notation whatever the locale ("39.32478", "-76.6").
std::optional<double> parse_number(std::string_view text);

/// A radius in metres: "500 ft", "0.25 mi", "400 m", "1.5 km", "1,000 feet"; a bare number is
/// in default_unit (m, ft, mi or km).
read_value<double> parse_radius(std::string_view text, std::string_view default_unit);

/// The unit a column's name gives its numbers ("Radius (ft)" -> "ft", "radius_miles" -> "mi"),
/// or "" when it names none.
std::string unit_in_column_name(std::string_view column);

/// A circle on the WGS84 sphere as a closed polygon of `sides` vertices:
/// "POLYGON ((lon lat, ...))" with 7 decimals.
std::string circle_wkt(double lat, double lon, double radius_m, int sides = 64);

/// A point, or a polygon with its centroid.
struct area {
    std::string wkt;         ///< ISO WKT in WGS84 lon/lat; a POINT for a point
    double lat = 0, lon = 0; ///< the point, or the polygon's centroid
    bool polygon = false;
};

/// Reads WKT ("POINT (-76.6 39.3)", "POLYGON ((...))") or a GeoJSON geometry object.
/// Other geometry types give their centroid as a point. Errors: unreadable, empty, or
/// coordinates outside -180..180 / -90..90.
read_value<area> parse_area(std::string_view text);

/// A camera's direction: "135" (degrees clockwise from north), a cardinal ("NE", "SSW",
/// "north"), or a range "90-180" / "NE-S" clockwise from the first to the second: its middle
/// is the direction and its width the field of view ("300-60" crosses north: 0, 120).
struct direction {
    std::optional<double> degrees;
    std::optional<double> field_of_view;
    std::string error;
};
direction parse_direction(std::string_view text);

/// Bounding boxes of the US states (data/gazetteer/states.tsv).
struct lon_lat_box {
    double west = 0, south = 0, east = 0, north = 0; ///< west > east: crosses 180°
    bool contains(double lon, double lat) const;
};

class StateBoxes {
  public:
    /// Loads <gazetteer_dir>/states.tsv; throws porchlight::error naming the file.
    static StateBoxes load(const std::filesystem::path& gazetteer_dir);
    const lon_lat_box* find(std::string_view usps) const;
    bool in_any(double lon, double lat) const;
    bool empty() const { return m_boxes.empty(); }

  private:
    std::map<std::string, lon_lat_box, std::less<>> m_boxes;
};

/// How a point reads against the valid range and the state it should be in.
enum class point_check {
    ok,
    out_of_range,  ///< |lat| > 90 or |lon| > 180 (and not a swap)
    swapped,       ///< outside the state (or every state, when none is given), inside with
                   ///< lat and lon exchanged
    outside_state, ///< a valid point outside the state given
};
/// state may be empty (then only the range and a swap into some US state are checked).
point_check check_point(double lat, double lon, std::string_view state, const StateBoxes& boxes);

} // namespace porchlight::ingest
