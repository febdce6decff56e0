#pragma once

#include <porchlight/geo/gazetteer.hpp>

#include <optional>
#include <string>
#include <vector>

namespace porchlight::geo {

/// What the store knows about an agency's location.
struct agency_location_query {
    std::string name;
    std::string kind;         ///< police, sheriff, state, fire, other
    std::string jurisdiction; ///< Municipal, County, State ... (may be empty)
    std::string place;        ///< city as given (may be empty)
    std::string county;       ///< as given, possibly several: "Ogle County, Winnebago County"
    std::string state;        ///< USPS code (may be empty)
};

/// Precision, most precise first. "address" and "county_subdivision" are for providers
/// and gazetteers that have them; the offline gazetteer gives place, county or state.
enum class precision { address, place, county_subdivision, county, state, none };
std::string_view to_string(precision p);

struct geocode_result {
    std::optional<double> lat, lon;
    precision level = precision::none;
    std::string provider = "offline";
    std::string matched_name; ///< "Towson, MD", "Cook County, IL", "Maryland"
    std::string matched_id;   ///< county/state FIPS, GeoNames place, or ZIP
    std::string county_fips;  ///< the county the point is in, when known
    double score = 0;         ///< 1 exact, less for variants, fuzzy matches and fallbacks
    std::vector<std::string> warnings; ///< what was assumed, what disagreed, why not finer
};

/// The rules every provider shares: a state-wide agency is placed at its state (state
/// police, highway patrol; a jurisdiction "State" unless the name says city police or
/// sheriff), a county-wide one at its county (sheriffs, names with County or Parish,
/// jurisdiction County, Parish or Borough), any other at its place.
bool is_state_wide(const agency_location_query& q);
bool is_county_wide(const agency_location_query& q);
/// The county an agency's name names, normalised: "Cook County Sheriff's Office" -> "cook";
/// "" when the name names none.
std::string county_named_in(const std::string& agency_name);
/// The counties given ("Ogle County, Winnebago County"); spreadsheet error values and
/// placeholders ("#N/A", "N/A", "-", "unknown") are none.
std::vector<std::string> counties_given(const std::string& county);
/// A place name from the agency's name: "Springfield Police Department" -> "springfield";
/// "" when the name does not end so.
std::string place_from_agency_name(const std::string& agency_name);

/// Places an agency with the offline gazetteer:
/// - state agencies (state police, highway patrol; jurisdiction State) at their state;
/// - county-wide agencies (sheriffs, county police, jurisdiction County/Parish) at their
///   county, named in the agency's name or given;
/// - other agencies at their place: exact normalised match within the state, then
///   variants ("X Township", "City of X", without spaces), then a unique fuzzy match
///   (small edit distance) with a warning; several places of the name are disambiguated
///   by the county given, else reported;
/// - when that fails, at the county given, then the state, each with a warning saying why;
/// - and never dropped: no state -> precision none with the reason.
/// A county given that is not in the state, or a place that is not in the county given,
/// is a warning naming both and which one was trusted.
geocode_result geocode_offline(const Gazetteer& gazetteer, const agency_location_query& q);

} // namespace porchlight::geo
