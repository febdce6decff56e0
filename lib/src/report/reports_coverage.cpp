// `porchlight report coverage` (and `porchlight coverage`, its table): cameras per county,
// state or agency jurisdiction and per km², and video requests per agency per month and
// year. Cameras outside every county polygon and requests without a point are counted
// apart: missing is not zero.
#include "detail/reports.hpp"

#include <porchlight/geo/coverage.hpp>

#include <cmath>
#include <map>
#include <stdexcept>

namespace porchlight::report {

using namespace reports_detail;

namespace {

double rounded(double v, int decimals) {
    const double f = std::pow(10.0, decimals);
    return std::round(v * f) / f;
}

/// cameras per km², or NULL without an area.
value density(std::int64_t n, double area_km2) {
    if (!(area_km2 > 0))
        return std::monostate{};
    return rounded(static_cast<double>(n) / area_km2, 6);
}

/// What every grouping needs: the county polygons and the counts of both layers in them.
struct coverage_input {
    geo::CountyIndex counties;
    geo::store_points cameras;
    geo::store_points requests;
    geo::county_counts camera_counts;
    geo::county_counts request_counts;

    coverage_input(store::Database& db, const std::filesystem::path& data_dir)
        : counties(data_dir / "gazetteer"), cameras(geo::camera_points(db)),
          requests(geo::request_points(db)),
          camera_counts(geo::count_by_county(counties, cameras.points)),
          request_counts(geo::count_by_county(counties, requests.points)) {}

    double state_area(const std::string& st) const {
        double a = 0;
        for (std::size_t i = 0; i < counties.size(); ++i)
            if (counties.county(i).state == st)
                a += counties.county(i).area_km2;
        return a;
    }
};

void by_county(report_result& r, const coverage_input& in, const std::optional<std::string>& st) {
    r.rows.columns = {"fips", "county", "state", "cameras", "area_km2", "cameras_per_km2",
                      "requests"};
    std::int64_t quiet = 0;
    for (std::size_t i = 0; i < in.counties.size(); ++i) {
        const auto& c = in.counties.county(i);
        if (st && c.state != *st)
            continue;
        const auto cams = in.camera_counts.per_county[i];
        const auto reqs = in.request_counts.per_county[i];
        if (!st && cams == 0 && reqs == 0) {
            ++quiet;
            continue;
        }
        r.rows.rows.push_back({c.fips, c.name, c.state, cams, rounded(c.area_km2, 2),
                               density(cams, c.area_km2), reqs});
    }
    if (quiet)
        r.notes.push_back(std::to_string(quiet) + (quiet == 1 ? " county" : " counties") +
                          " with neither a camera nor a request in the store "
                          "are not listed (give --state to list every county of a state).");
}

void by_state(report_result& r, const coverage_input& in, const std::optional<std::string>& st) {
    r.rows.columns = {"state", "cameras", "area_km2", "cameras_per_km2", "requests",
                      "counties_with_cameras"};
    struct sums {
        std::int64_t cameras = 0, requests = 0, counties = 0;
        double area = 0;
    };
    std::map<std::string, sums> states;
    for (std::size_t i = 0; i < in.counties.size(); ++i) {
        const auto& c = in.counties.county(i);
        if (st && c.state != *st)
            continue;
        auto& s = states[c.state];
        s.cameras += in.camera_counts.per_county[i];
        s.requests += in.request_counts.per_county[i];
        s.counties += in.camera_counts.per_county[i] > 0;
        s.area += c.area_km2;
    }
    for (const auto& [name, s] : states) {
        if (!st && s.cameras == 0 && s.requests == 0)
            continue;
        r.rows.rows.push_back({name, s.cameras, rounded(s.area, 2), density(s.cameras, s.area),
                               s.requests, s.counties});
    }
}

/// Requests per agency: count, first and last month, and per year (for the extras).
struct agency_requests {
    std::int64_t requests = 0, dated = 0;
    std::string first, last; ///< YYYY-MM
    std::map<std::string, std::int64_t> per_year;
};

std::map<std::int64_t, agency_requests> requests_per_agency(store::Database& db) {
    std::map<std::int64_t, agency_requests> out;
    store::Statement st(db, "SELECT agency_id, substr(requested_at, 1, 7) FROM video_requests "
                            "WHERE agency_id IS NOT NULL ORDER BY id");
    while (st.step()) {
        auto& a = out[st.get_int(0)];
        ++a.requests;
        const auto month = st.get_optional_text(1);
        if (!month || month->size() < 7)
            continue;
        ++a.dated;
        if (a.first.empty() || *month < a.first)
            a.first = *month;
        a.last = std::max(a.last, *month);
        ++a.per_year[month->substr(0, 4)];
    }
    return out;
}

/// Calendar months from first to last (YYYY-MM), both included.
std::int64_t months_spanned(const std::string& first, const std::string& last) {
    const auto y1 = std::stoi(first.substr(0, 4)), m1 = std::stoi(first.substr(5, 2));
    const auto y2 = std::stoi(last.substr(0, 4)), m2 = std::stoi(last.substr(5, 2));
    return (y2 - y1) * 12 + (m2 - m1) + 1;
}

void by_agency(report_result& r, store::Database& db, const coverage_input& in,
               const std::optional<std::string>& st) {
    r.rows.columns = {"agency_id",     "agency", "state",          "jurisdiction",
                      "cameras",       "area_km2", "cameras_per_km2", "requests",
                      "first_request", "last_request", "requests_per_month", "requests_per_year"};
    const geo::PointGrid grid(in.cameras.points);
    const auto requests = requests_per_agency(db);
    table years;
    years.columns = {"agency_id", "agency", "year", "requests"};
    std::int64_t not_placed = 0;
    store::Statement a(db, "SELECT id, name, kind, geocode_precision, state, county_fips, lat, "
                           "lon FROM agencies WHERE (?1 IS NULL OR state = ?1) "
                           "ORDER BY state, name, id");
    a.bind(1, st);
    while (a.step()) {
        geo::agency_place place;
        place.kind = a.get_text(2);
        place.precision = a.get_text(3);
        place.state = a.get_optional_text(4);
        place.county_fips = a.get_optional_text(5);
        if (!a.is_null(6) && !a.is_null(7)) {
            place.lat = a.get_double(6);
            place.lon = a.get_double(7);
        }
        auto j = geo::jurisdiction_of(place);
        value cams, area;
        if (j.type == geo::jurisdiction::kind::county) {
            if (const auto i = in.counties.find(j.county_fips)) {
                cams = in.camera_counts.per_county[*i];
                area = rounded(in.counties.county(*i).area_km2, 2);
            } else {
                j.type = geo::jurisdiction::kind::none; // a county the polygons lack
            }
        } else if (j.type == geo::jurisdiction::kind::state) {
            std::int64_t n = 0;
            for (std::size_t i = 0; i < in.counties.size(); ++i)
                if (in.counties.county(i).state == j.state)
                    n += in.camera_counts.per_county[i];
            cams = n;
            area = rounded(in.state_area(j.state), 2);
        } else if (j.type == geo::jurisdiction::kind::radius) {
            cams = grid.count_within(j.centre, j.radius_m);
            area = rounded(M_PI * j.radius_m * j.radius_m / 1e6, 2);
        }
        not_placed += j.type == geo::jurisdiction::kind::none;
        const auto id = a.get_int(0);
        const auto it = requests.find(id);
        const agency_requests none;
        const auto& q = it == requests.end() ? none : it->second;
        value per_month, per_year, first, last;
        if (q.dated) {
            const auto months = months_spanned(q.first, q.last);
            per_month = rounded(static_cast<double>(q.dated) / static_cast<double>(months), 2);
            per_year = rounded(12.0 * static_cast<double>(q.dated) / static_cast<double>(months), 2);
            first = q.first;
            last = q.last;
        }
        const auto* n = std::get_if<std::int64_t>(&cams);
        const auto* ar = std::get_if<double>(&area);
        r.rows.rows.push_back({id, a.get_text(1), place.state ? value{*place.state} : value{},
                               j.describe(), cams, area,
                               n && ar ? density(*n, *ar) : value{}, q.requests, first, last,
                               per_month, per_year});
        for (const auto& [year, count] : q.per_year)
            years.rows.push_back({id, a.get_text(1), year, count});
    }
    r.notes.push_back("jurisdiction: a sheriff, or an agency placed only to its county, covers "
                      "its county polygon; a state agency its state; any other agency with a "
                      "point covers " +
                      std::to_string(static_cast<int>(geo::place_radius_m / 1000)) +
                      " km around it (78.54 km²): a city has no polygon in the gazetteer.");
    r.notes.push_back("requests_per_month: dated requests divided by the calendar months from "
                      "the agency's first to its last request; requests_per_year is 12 times "
                      "that. Per agency and year: \"requests_per_year_by_agency\" (JSON).");
    if (not_placed)
        r.notes.push_back(count_of(not_placed, "agency") +
                          " without a point or county (`porchlight geocode`): "
                          "their cameras are missing, not zero.");
    r.extras.push_back({"requests_per_year_by_agency", std::monostate{}, std::move(years)});
}

} // namespace

report_result coverage_report(store::Database& db, const std::filesystem::path& data_dir,
                              const coverage_report_options& o) {
    check_by("coverage", o.by, {"county", "state", "agency"});
    const auto st = state_arg(o.state);
    report_result r;
    r.kind = "coverage";
    r.title = "Camera coverage per " + o.by + (st ? " in " + *st : "");
    r.filters.emplace_back("by", o.by);
    if (o.state)
        r.filters.emplace_back("state", *o.state);
    r.generated_from = read_store_info(db);
    const coverage_input in(db, data_dir);

    if (o.by == "county")
        by_county(r, in, st);
    else if (o.by == "state")
        by_state(r, in, st);
    else
        by_agency(r, db, in, st);

    const auto cameras = static_cast<std::int64_t>(in.cameras.points.size());
    const auto requests = static_cast<std::int64_t>(in.requests.points.size()) +
                          in.requests.without_point;
    if (cameras == 0)
        r.notes.insert(r.notes.begin(), "The store holds no cameras: camera counts are "
                                        "missing, not zero.");
    else
        r.notes.insert(r.notes.begin(),
                       count_of(cameras, "camera") + " in the store. A jurisdiction without "
                       "cameras here has none in these sources, not necessarily none at all.");
    const auto outside = in.camera_counts.outside + in.camera_counts.invalid;
    if (outside)
        r.notes.push_back(count_of(outside, "camera") + " " + verb(outside, "lies", "lie") +
                          " in no county polygon (at sea, abroad, off the generalised "
                          "coastline, or with invalid coordinates): counted apart "
                          "(\"outside_counties\"), in no row.");
    const auto req_outside = in.request_counts.outside + in.request_counts.invalid;
    if (in.requests.without_point || req_outside)
        r.notes.push_back(count_of(in.requests.without_point + req_outside, "request") +
                          " without a point in a county (no centre, no readable area, or "
                          "outside every polygon): counted apart from the county and state "
                          "rows.");
    r.notes.push_back("area_km2: the gazetteer's county polygons on the WGS84 ellipsoid "
                      "(generalised at 1:10,000,000, land and inland water); cameras_per_km2 "
                      "is cameras / area_km2.");

    std::set<std::int64_t> ids = in.cameras.source_ids;
    ids.insert(in.requests.source_ids.begin(), in.requests.source_ids.end());
    r.sources = numbered_sources(db, ids);
    r.extras.insert(r.extras.begin(),
                    {{"cameras", cameras, std::nullopt},
                     {"outside_counties", outside, std::nullopt},
                     {"requests", requests, std::nullopt},
                     {"requests_without_county", in.requests.without_point + req_outside,
                      std::nullopt}});
    r.chart_category = o.by == "county" ? "county" : o.by;
    r.chart_type = chart_data::kind::bar;
    r.chart_series = {"cameras"};
    r.chart_y_label = "cameras";
    return r;
}

} // namespace porchlight::report
