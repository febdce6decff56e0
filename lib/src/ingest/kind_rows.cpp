#include "detail/kind_rows.hpp"

#include <porchlight/error.hpp>
#include <porchlight/util/date.hpp>
#include <porchlight/util/text.hpp>

#include <cstdio>
#include <stdexcept>

namespace porchlight::ingest::detail {

namespace {

constexpr std::size_t max_excerpt = 240;

std::string point_text(double lat, double lon) {
    char buf[80];
    std::snprintf(buf, sizeof buf, "lat %.6g, lon %.6g", lat, lon);
    return buf;
}

} // namespace

KindInterpreter::KindInterpreter(const Profile& profile, const column_map& columns,
                                 std::vector<std::string> column_names, std::string locator_word,
                                 bool check_utf8, std::string file, kind_context context)
    : profile_rows(profile, columns, std::move(column_names), std::move(locator_word),
                   check_utf8, std::move(file)),
      m_context(std::move(context)), m_radius_unit(profile.radius_unit) {
    gdal_init(); // areas are parsed with OGR: its messages must not reach stderr
    if (const auto i = m_fields.column_of(field::radius); i >= 0) {
        const auto unit = unit_in_column_name(m_column_names[static_cast<std::size_t>(i)]);
        if (!unit.empty())
            m_radius_unit = unit;
    }
}

void KindInterpreter::interpret(kind_row& r) const {
    r.warnings.clear();
    r.skip.clear();
    read_record(r.row, r.locator, r.json);
    switch (m_profile.kind) {
    case profile_kind::requests:
        read_request(r);
        break;
    case profile_kind::request_totals:
        read_total(r);
        break;
    case profile_kind::cameras:
        read_camera(r);
        break;
    case profile_kind::partnerships:
        throw error("internal: KindInterpreter used for partnerships");
    }
}

std::optional<std::string> KindInterpreter::read_time(kind_row& r, field f,
                                                      std::string& raw) const {
    raw = m_fields.get(r.row, f);
    auto t = parse_request_time(raw);
    if (!t.error.empty())
        r.warnings.push_back({std::string(to_string(f)), t.error + "; kept without it"});
    return t.value;
}

std::optional<std::int64_t> KindInterpreter::read_count(kind_row& r, field f) const {
    auto c = parse_count(m_fields.get(r.row, f));
    if (!c.error.empty())
        r.warnings.push_back({std::string(to_string(f)), c.error + "; kept without it"});
    return c.value;
}

std::string KindInterpreter::read_point(kind_row& r, const std::string& state) const {
    r.lat.reset();
    r.lon.reset();
    const auto lat_text = m_fields.get(r.row, field::lat),
               lon_text = m_fields.get(r.row, field::lon);
    std::optional<double> lat, lon;
    if (!lat_text.empty() || !lon_text.empty()) {
        lat = parse_number(lat_text);
        lon = parse_number(lon_text);
        if (!lat || !lon) {
            r.warnings.push_back(
                {"lat", "coordinates '" + lat_text + "', '" + lon_text + "' are not numbers"});
            return "no usable coordinates";
        }
    } else {
        auto geometry = m_fields.get(r.row, field::geometry);
        if (geometry.empty() && r.row.wkt)
            geometry = *r.row.wkt;
        if (geometry.empty())
            return "no coordinates";
        auto a = parse_area(geometry);
        if (!a.value) {
            r.warnings.push_back({"geometry", a.error});
            return a.error.find("outside") != std::string::npos ? "coordinates out of range"
                                                                : "no usable coordinates";
        }
        lat = a.value->lat;
        lon = a.value->lon;
    }
    switch (check_point(*lat, *lon, state, *m_context.boxes)) {
    case point_check::ok:
        break;
    case point_check::out_of_range:
        r.warnings.push_back({"lat", point_text(*lat, *lon) +
                                         " is outside -90..90 / -180..180; the point is not used"});
        return "coordinates out of range";
    case point_check::swapped:
        r.warnings.push_back(
            {"lat", point_text(*lat, *lon) + " looks swapped: the point is outside " +
                        (state.empty() ? std::string("every US state") : state) +
                        " and inside it with lat and lon exchanged; the point is not used"});
        return "lat/lon swapped";
    case point_check::outside_state:
        r.warnings.push_back({"lat", point_text(*lat, *lon) + " is outside " + state});
        break;
    }
    r.lat = lat;
    r.lon = lon;
    return {};
}

void KindInterpreter::read_request(kind_row& r) const {
    const auto& row = r.row;
    read_mention(m_fields, row, r.mention, r.mention_key, r.warnings, /*address_is_place=*/false);
    r.requested_at = read_time(r, field::requested_at, r.requested_raw);
    std::string ignored;
    r.window_start = read_time(r, field::window_start, ignored);
    r.window_end = read_time(r, field::window_end, ignored);
    r.case_number = m_fields.get(row, field::case_number);
    r.title = m_fields.get(row, field::title);
    r.address = m_fields.get(row, field::address);
    r.users_notified = read_count(r, field::users_notified);
    r.videos_received = read_count(r, field::videos_received);

    r.area_wkt.reset();
    r.radius_m.reset();
    const auto point_problem = read_point(r, r.mention.state);
    if (auto text = m_fields.get(row, field::area); !text.empty()) {
        auto a = parse_area(text);
        if (!a.value) {
            r.warnings.push_back({"area", a.error + "; kept without an area"});
        } else if (a.value->polygon) {
            r.area_wkt = a.value->wkt;
            if (!r.lat) {
                r.lat = a.value->lat;
                r.lon = a.value->lon;
            }
        } else if (!r.lat) {
            r.lat = a.value->lat;
            r.lon = a.value->lon;
        }
    }
    auto radius = parse_radius(m_fields.get(row, field::radius), m_radius_unit);
    if (!radius.error.empty())
        r.warnings.push_back({"radius", radius.error});
    r.radius_m = radius.value;
    if (!r.area_wkt && r.lat && r.radius_m && *r.radius_m > 0)
        r.area_wkt = circle_wkt(*r.lat, *r.lon, *r.radius_m);
    // a request without a date is still a request, when something says where it was
    if (!r.requested_at && !r.lat && !r.area_wkt && r.address.empty())
        r.skip = point_problem.empty() || point_problem == "no coordinates"
                     ? "no date and no location"
                     : "no date, " + point_problem;

    std::string excerpt = r.case_number.empty() ? "" : "case " + r.case_number + " · ";
    excerpt += r.requested_raw.empty() ? "undated" : r.requested_raw;
    if (!r.mention.name.empty())
        excerpt += " · " + r.mention.name;
    if (!r.title.empty())
        excerpt += " · " + r.title;
    r.excerpt = truncate_utf8(std::move(excerpt), max_excerpt);
}

void KindInterpreter::read_total(kind_row& r) const {
    read_mention(m_fields, r.row, r.mention, r.mention_key, r.warnings);
    r.total_raw = m_fields.get(r.row, field::total);
    auto c = parse_count(r.total_raw);
    r.total = c.value;
    r.as_of = m_context.as_of;
    if (auto d = m_fields.get(r.row, field::as_of); !d.empty()) {
        auto t = parse_request_time(d);
        if (t.value)
            r.as_of = t.value->substr(0, 10);
        else
            r.warnings.push_back(
                {"as_of", t.error + "; the source's date " + m_context.as_of + " is used"});
    }
    if (r.mention.name.empty())
        r.skip = "no agency";
    else if (!c.error.empty()) {
        r.warnings.push_back({"total", c.error});
        r.skip = "no usable total";
    } else if (!r.total)
        r.skip = "no total";
    r.excerpt = truncate_utf8(r.mention.name + " · " + r.total_raw + " (as of " + r.as_of + ")",
                              max_excerpt);
}

void KindInterpreter::read_camera(kind_row& r) const {
    const auto& row = r.row;
    std::string state;
    if (auto s = m_fields.get(row, field::state); !s.empty()) {
        if (auto code = util::state_code(s))
            state = *code;
        else
            r.warnings.push_back({"state", "unknown state '" + s + "'"});
    }
    r.skip = read_point(r, state);
    r.name = m_fields.get(row, field::name);
    r.kind = m_fields.get(row, field::kind);
    r.camera_operator = m_fields.get(row, field::camera_operator);
    r.surveillance_type = m_fields.get(row, field::surveillance_type);
    r.zone = m_fields.get(row, field::zone);
    r.ref = m_fields.get(row, field::ref);
    r.direction_raw = m_fields.get(row, field::direction);
    const auto d = parse_direction(r.direction_raw);
    if (!d.error.empty())
        r.warnings.push_back({"direction", d.error});
    r.direction = d.degrees;
    r.field_of_view = d.field_of_view;
    if (auto fov = m_fields.get(row, field::field_of_view); !fov.empty() && !r.field_of_view) {
        r.field_of_view = parse_number(fov);
        if (!r.field_of_view)
            r.warnings.push_back({"field_of_view", "'" + fov + "' is not a number of degrees"});
    }
    r.angle.reset();
    if (auto angle = m_fields.get(row, field::angle); !angle.empty()) {
        r.angle = parse_number(angle);
        if (!r.angle)
            r.warnings.push_back({"angle", "'" + angle + "' is not a number of degrees"});
    }
}

} // namespace porchlight::ingest::detail
