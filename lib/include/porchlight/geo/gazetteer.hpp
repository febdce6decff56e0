#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace porchlight::geo {

struct gz_state {
    std::string fips, usps, name;
    double lat = 0, lon = 0; ///< a point inside the state (its centroid when that is inside)
    double area_km2 = 0;
};

struct gz_county {
    std::string fips, state, name, full_name; ///< "17031", "IL", "Cook", "Cook County"
    double lat = 0, lon = 0;                  ///< a point inside the county
    double area_km2 = 0;
};

/// A populated place: a GeoNames place, or a ZIP city (the mean of its ZIP centroids).
struct gz_place {
    std::string state, county_fips, name;
    double lat = 0, lon = 0;
    std::string source; ///< "geonames" or "zip"
    std::string id;     ///< GeoNames name + county, or the ZIP codes' first code
};

/// The offline US gazetteer derived by tools/build-gazetteer into data/gazetteer/ (see its
/// README): states, counties, places and ZIP cities, indexed by normalised name.
class Gazetteer {
public:
    /// Loads <dir>/states.tsv, counties.tsv, places.tsv, zips.tsv and VERSION. Throws
    /// porchlight::error naming the file and line on a malformed file.
    static Gazetteer load(const std::filesystem::path& dir);

    const std::string& version() const noexcept { return m_version; }
    const gz_state* state(std::string_view usps) const;
    const gz_county* county(std::string_view fips) const;
    /// Counties of a state by name ("Cook", "Cook County", "St. Louis city" ...).
    std::vector<const gz_county*> counties_named(std::string_view state, std::string_view name) const;
    /// The states that have a county of this name (for "county not in the state" warnings).
    std::vector<std::string> states_with_county(std::string_view name) const;
    /// Every county of a state.
    std::vector<const gz_county*> counties_in(std::string_view state) const;
    /// Places of a state whose normalised name (or the name without spaces) is key.
    std::vector<const gz_place*> places_keyed(std::string_view state, const std::string& key) const;
    /// Every place of a state (for fuzzy matching).
    std::vector<const gz_place*> places_in(std::string_view state) const;

    std::size_t place_count() const noexcept { return m_places.size(); }
    std::size_t county_count() const noexcept { return m_counties.size(); }

    /// The normalised key of a place name: "St. Louis" -> "saint louis", "Winston-Salem" ->
    /// "winston salem".
    static std::string place_key(std::string_view name);
    /// The key of a county name without its kind: "Cook County" -> "cook".
    static std::string county_key(std::string_view name);

private:
    std::string m_version;
    std::vector<gz_state> m_states;
    std::vector<gz_county> m_counties;
    std::vector<gz_place> m_places;
    std::unordered_map<std::string, std::size_t> m_state_by_usps;
    std::unordered_map<std::string, std::size_t> m_county_by_fips;
    std::unordered_map<std::string, std::vector<std::size_t>> m_county_by_name; // "IL|cook"
    std::unordered_map<std::string, std::vector<std::size_t>> m_place_by_key;   // "IL|key"
    std::unordered_map<std::string, std::vector<std::size_t>> m_places_by_state;
};

} // namespace porchlight::geo
