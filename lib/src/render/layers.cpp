// The layers of `export` and `map`: agencies, partnerships, requests, cameras and hexbins,
// read from the store with the filters of `partnerships` (lib/src/report/detail), with the
// provenance of every feature (sources, links, evidence count, date and geocode precision).
// Personal data (request case numbers, titles and addresses; camera names) only on request.
#include "detail/layer_sql.hpp"

#include "../report/detail/reports.hpp"

#include <porchlight/render/layers.hpp>
#include <porchlight/util/text.hpp>

#include <map>
#include <set>
#include <stdexcept>

namespace porchlight::render {

namespace rd = report::reports_detail;

std::string_view to_string(layer_kind k) {
    switch (k) {
    case layer_kind::agencies:
        return "agencies";
    case layer_kind::partnerships:
        return "partnerships";
    case layer_kind::requests:
        return "requests";
    case layer_kind::cameras:
        return "cameras";
    case layer_kind::hexbins:
        return "hexbins";
    }
    return "agencies";
}

const std::vector<std::string>& layer_names() {
    static const std::vector<std::string> names = {"agencies", "partnerships", "requests",
                                                   "cameras", "hexbins"};
    return names;
}

layer_kind layer_from_string(std::string_view name) {
    for (auto k : {layer_kind::agencies, layer_kind::partnerships, layer_kind::requests,
                   layer_kind::cameras, layer_kind::hexbins})
        if (to_string(k) == name)
            return k;
    throw std::invalid_argument("unknown layer '" + std::string(name) + "' (use " +
                                rd::join_text(layer_names(), ", ") + ")");
}

namespace {

/// Rejects the filters a layer has no meaning for.
void check_applies(layer_kind kind, const layer_filter& f) {
    const bool points = kind == layer_kind::cameras || kind == layer_kind::hexbins;
    auto reject = [&](bool given, const char* option, const char* why) {
        if (given)
            throw std::invalid_argument(std::string(option) + " does not apply to the " +
                                        std::string(to_string(kind)) + " layer (" + why + ")");
    };
    reject(points && f.vendor, "--vendor", "cameras name no vendor");
    reject(points && f.technology, "--technology", "cameras name no technology");
    reject(points && (f.as_of || f.since || f.until), f.as_of ? "--as-of" : "--since/--until",
           "cameras have no dates");
    reject(kind == layer_kind::requests && f.as_of, "--as-of",
           "use --until: requests made up to a day");
    if (kind == layer_kind::hexbins && !(f.hexbin_cell_m > 0))
        throw std::invalid_argument("the hexbin cell size must be positive");
}

std::string describe(layer_kind kind, const layer_filter& f) {
    static const std::map<layer_kind, std::string> what = {
        {layer_kind::agencies, "Agencies at their geocoded location, with their partnerships"},
        {layer_kind::partnerships,
         "Partnerships (agency x vendor x technology), one at their agency's location"},
        {layer_kind::requests,
         "Video requests: their area when the source gives one, else their centre"},
        {layer_kind::cameras, "Cameras at their location"},
        {layer_kind::hexbins, "Cameras counted in hexagons on an equal-area grid"}};
    std::vector<std::string> filters;
    auto add = [&](const char* name, const std::optional<std::string>& v) {
        if (v)
            filters.push_back(std::string(name) + " " + *v);
    };
    add("vendor", f.vendor);
    add("technology", f.technology);
    add("state", f.state);
    add("as of", f.as_of);
    add("since", f.since);
    add("until", f.until);
    std::string d = what.at(kind);
    if (kind == layer_kind::hexbins)
        d += " (" + report::to_text(f.hexbin_cell_m) + " m across, bins of fewer than " +
             std::to_string(f.hexbin_min_count) + " cameras left out)";
    d += filters.empty() ? "." : "; " + rd::join_text(filters, ", ") + ".";
    if (!f.include_personal_data && (kind == layer_kind::requests || kind == layer_kind::cameras))
        d += " Personal data left out.";
    return d;
}

const std::vector<std::string>& base_properties(layer_kind kind) {
    static const std::map<layer_kind, std::vector<std::string>> props = {
        {layer_kind::agencies,
         {"name", "kind", "state", "county", "county_fips", "place", "geocode_precision",
          "geocode_match", "partnerships", "vendors", "technologies", "first_start",
          "evidence_count", "sources", "links"}},
        {layer_kind::partnerships,
         {"agency", "agency_id", "agency_kind", "state", "county", "place", "vendor",
          "technology", "start_date", "start_precision", "start_rule", "start_conflict",
          "end_date", "end_precision", "first_seen", "last_seen", "geocode_precision",
          "evidence_count", "sources", "links"}},
        {layer_kind::requests,
         {"agency", "agency_id", "state", "requested_at", "window_start", "window_end",
          "radius_m", "users_notified", "videos_received", "area", "evidence_count",
          "sources", "locator"}},
        {layer_kind::cameras,
         {"kind", "operator", "surveillance_type", "zone", "direction", "field_of_view", "ref",
          "source", "locator"}},
        {layer_kind::hexbins, {"count", "cell_m", "min_count"}}};
    return props.at(kind);
}

} // namespace

property_type type_of_property(std::string_view name) {
    static const std::set<std::string_view> integers = {
        "agency_id", "partnerships",    "evidence_count", "start_conflict",
        "count",     "users_notified",  "videos_received", "min_count"};
    static const std::set<std::string_view> reals = {"radius_m", "direction", "field_of_view",
                                                     "cell_m"};
    if (integers.count(name))
        return property_type::integer;
    return reals.count(name) ? property_type::real : property_type::text;
}

layer layer_header(layer_kind kind, const layer_filter& f) {
    check_applies(kind, f);
    if (f.state && !util::state_code(*f.state))
        throw std::invalid_argument("unknown state '" + *f.state +
                                    "' (use a USPS code like IL or a state name)");
    if (f.as_of)
        (void)layer_detail::as_of_day(*f.as_of);
    (void)rd::date_window(f.since, f.until); // throws for unreadable or reversed bounds
    layer l;
    l.kind = kind;
    l.name = std::string(to_string(kind));
    l.description = describe(kind, f);
    l.property_names = base_properties(kind);
    if (f.include_personal_data && kind == layer_kind::requests)
        l.property_names.insert(l.property_names.end(), {"case_number", "title", "address"});
    if (f.include_personal_data && kind == layer_kind::cameras)
        l.property_names.emplace_back("name");
    return l;
}

layer stream_layer(store::Database& db, const std::filesystem::path& data_dir, layer_kind kind,
                   const layer_filter& f, const std::function<void(const feature&)>& sink) {
    auto l = layer_header(kind, f);
    switch (kind) {
    case layer_kind::agencies:
        layer_detail::stream_agencies(db, f, l, sink);
        break;
    case layer_kind::partnerships:
        layer_detail::stream_partnerships(db, f, l, sink);
        break;
    case layer_kind::requests:
        layer_detail::stream_requests(db, f, l, sink);
        break;
    case layer_kind::cameras:
        layer_detail::stream_cameras(db, data_dir, f, l, sink);
        break;
    case layer_kind::hexbins:
        layer_detail::stream_hexbins(db, data_dir, f, l, sink);
        break;
    }
    return l;
}

layer load_layer(store::Database& db, const std::filesystem::path& data_dir, layer_kind kind,
                 const layer_filter& filter) {
    std::vector<feature> features;
    auto l = stream_layer(db, data_dir, kind, filter,
                          [&](const feature& ft) { features.push_back(ft); });
    l.features = std::move(features);
    return l;
}

} // namespace porchlight::render
