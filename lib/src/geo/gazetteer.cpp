#include <porchlight/error.hpp>
#include <porchlight/geo/gazetteer.hpp>
#include <porchlight/util/text.hpp>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>

namespace fs = std::filesystem;

namespace porchlight::geo {

namespace {

/// Reads a TSV file with a header; calls row(fields) with the values of the named columns.
template <typename F>
void read_tsv(const fs::path& file, const std::vector<std::string>& wanted, F&& row) {
    std::ifstream in(file);
    if (!in)
        throw error("cannot read gazetteer file " + file.string() +
                    " (rebuild it with tools/build-gazetteer)");
    std::string line;
    if (!std::getline(in, line))
        throw error("gazetteer file " + file.string() + " is empty");
    const auto header = util::split(line, '\t');
    std::vector<std::size_t> index;
    for (const auto& w : wanted) {
        auto it = std::find(header.begin(), header.end(), w);
        if (it == header.end())
            throw error("gazetteer file " + file.string() + " has no column '" + w + "'");
        index.push_back(static_cast<std::size_t>(it - header.begin()));
    }
    std::vector<std::string> values(wanted.size());
    std::size_t line_no = 1;
    while (std::getline(in, line)) {
        ++line_no;
        if (line.empty())
            continue;
        const auto fields = util::split(line, '\t');
        for (std::size_t i = 0; i < index.size(); ++i) {
            if (index[i] >= fields.size())
                throw error("gazetteer file " + file.string() + " line " +
                            std::to_string(line_no) + " has too few columns");
            values[i] = fields[index[i]];
        }
        row(values);
    }
}

double number(const std::string& s) {
    double v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

std::string key2(std::string_view a, std::string_view b) {
    std::string k(a);
    k += '|';
    k += b;
    return k;
}

std::string without_spaces(const std::string& s) {
    std::string out;
    for (char c : s)
        if (c != ' ')
            out += c;
    return out;
}

} // namespace

std::string Gazetteer::place_key(std::string_view name) { return util::normalise_place(name); }

std::string Gazetteer::county_key(std::string_view name) {
    // "Cook County" -> "cook"; "Norfolk (city) County", "City of Norfolk" -> "norfolk";
    // "La Salle" -> "lasalle" (spaces dropped: "LaSalle" is the same county)
    auto k = util::normalise_place(name);
    bool again = true;
    while (again) {
        again = false;
        for (const char* suffix : {" city and borough", " census area", " municipality",
                                   " borough", " parish", " county", " city"}) {
            const std::string_view sv(suffix);
            if (k.size() > sv.size() && k.compare(k.size() - sv.size(), sv.size(), sv) == 0) {
                k.erase(k.size() - sv.size());
                again = true;
            }
        }
    }
    if (k.rfind("city of ", 0) == 0)
        k.erase(0, 8);
    std::string compact;
    for (char c : k)
        if (c != ' ')
            compact += c;
    return compact;
}

Gazetteer Gazetteer::load(const fs::path& dir) {
    Gazetteer g;
    {
        std::ifstream v(dir / "VERSION");
        std::getline(v, g.m_version);
        g.m_version = util::trim(g.m_version);
        if (g.m_version.empty())
            throw error("gazetteer in " + dir.string() + " has no VERSION");
    }
    read_tsv(dir / "states.tsv", {"fips", "state", "name", "inner_lat", "inner_lon", "area_km2"},
             [&](const std::vector<std::string>& f) {
                 g.m_state_by_usps[f[1]] = g.m_states.size();
                 g.m_states.push_back({f[0], f[1], f[2], number(f[3]), number(f[4]), number(f[5])});
             });
    read_tsv(dir / "counties.tsv",
             {"fips", "state", "name", "geonames_name", "inner_lat", "inner_lon", "area_km2"},
             [&](const std::vector<std::string>& f) {
                 const auto i = g.m_counties.size();
                 g.m_county_by_fips[f[0]] = i;
                 g.m_counties.push_back(
                     {f[0], f[1], f[2], f[3].empty() ? f[2] : f[3], number(f[4]), number(f[5]), number(f[6])});
                 g.m_county_by_name[key2(f[1], county_key(f[2]))].push_back(i);
                 if (!f[3].empty() && county_key(f[3]) != county_key(f[2]))
                     g.m_county_by_name[key2(f[1], county_key(f[3]))].push_back(i);
             });
    read_tsv(dir / "places.tsv", {"state", "county_fips", "name", "lat", "lon"},
             [&](const std::vector<std::string>& f) {
                 g.m_places.push_back({f[0], f[1], f[2], number(f[3]), number(f[4]), "geonames",
                                       f[2] + ", " + f[1]});
             });
    // ZIP cities that GeoNames does not have (it lists places of 1,000 people or more):
    // one place per city and state at the mean of its ZIP centroids
    {
        struct acc {
            double lat = 0, lon = 0;
            int n = 0;
            std::string name, first_zip;
            std::map<std::string, int> counties;
        };
        std::map<std::string, acc> cities; // sorted: the result does not depend on hashing
        read_tsv(dir / "zips.tsv", {"zip", "state", "city", "lat", "lon", "pip_county_fips"},
                 [&](const std::vector<std::string>& f) {
                     if (f[3].empty() || f[4].empty())
                         return;
                     auto& a = cities[key2(f[1], place_key(f[2]))];
                     if (a.n == 0) {
                         a.name = f[2];
                         a.first_zip = f[0];
                     }
                     a.lat += number(f[3]);
                     a.lon += number(f[4]);
                     ++a.n;
                     if (!f[5].empty())
                         ++a.counties[f[5]];
                 });
        std::unordered_map<std::string, bool> known;
        for (const auto& p : g.m_places)
            known[key2(p.state, place_key(p.name))] = true;
        for (const auto& [k, a] : cities) {
            if (known.count(k))
                continue;
            std::string county;
            int best = 0;
            for (const auto& [fips, n] : a.counties)
                if (n > best) {
                    best = n;
                    county = fips;
                }
            g.m_places.push_back({k.substr(0, k.find('|')), county, a.name, a.lat / a.n,
                                  a.lon / a.n, "zip", "ZIP " + a.first_zip});
        }
    }
    for (std::size_t i = 0; i < g.m_places.size(); ++i) {
        const auto& p = g.m_places[i];
        const auto k = place_key(p.name);
        g.m_place_by_key[key2(p.state, k)].push_back(i);
        const auto compact = without_spaces(k);
        if (compact != k)
            g.m_place_by_key[key2(p.state, compact)].push_back(i);
        g.m_places_by_state[p.state].push_back(i);
    }
    return g;
}

const gz_state* Gazetteer::state(std::string_view usps) const {
    auto it = m_state_by_usps.find(std::string(usps));
    return it == m_state_by_usps.end() ? nullptr : &m_states[it->second];
}

const gz_county* Gazetteer::county(std::string_view fips) const {
    auto it = m_county_by_fips.find(std::string(fips));
    return it == m_county_by_fips.end() ? nullptr : &m_counties[it->second];
}

std::vector<const gz_county*> Gazetteer::counties_named(std::string_view state,
                                                        std::string_view name) const {
    std::vector<const gz_county*> out;
    auto it = m_county_by_name.find(key2(state, county_key(name)));
    if (it != m_county_by_name.end())
        for (auto i : it->second)
            if (std::find(out.begin(), out.end(), &m_counties[i]) == out.end())
                out.push_back(&m_counties[i]);
    // "Baltimore County" and "Baltimore city" share a key: the full name decides
    const auto full = util::normalise_place(name);
    std::stable_partition(out.begin(), out.end(), [&](const gz_county* c) {
        return util::normalise_place(c->full_name) == full;
    });
    return out;
}

std::vector<const gz_place*> Gazetteer::places_keyed(std::string_view state,
                                                     const std::string& key) const {
    std::vector<const gz_place*> out;
    const auto compact = without_spaces(key);
    for (const auto* k : {&key, &compact}) {
        if (k == &compact && compact == key)
            break;
        auto it = m_place_by_key.find(key2(state, *k));
        if (it == m_place_by_key.end())
            continue;
        for (auto i : it->second)
            if (std::find(out.begin(), out.end(), &m_places[i]) == out.end())
                out.push_back(&m_places[i]);
    }
    return out;
}

std::vector<std::string> Gazetteer::states_with_county(std::string_view name) const {
    std::vector<std::string> out;
    const auto key = county_key(name);
    for (const auto& c : m_counties)
        if (county_key(c.name) == key && std::find(out.begin(), out.end(), c.state) == out.end())
            out.push_back(c.state);
    return out;
}

std::vector<const gz_county*> Gazetteer::counties_in(std::string_view state) const {
    std::vector<const gz_county*> out;
    for (const auto& c : m_counties)
        if (c.state == state)
            out.push_back(&c);
    return out;
}

std::vector<const gz_place*> Gazetteer::places_in(std::string_view state) const {
    std::vector<const gz_place*> out;
    auto it = m_places_by_state.find(std::string(state));
    if (it != m_places_by_state.end())
        for (auto i : it->second)
            out.push_back(&m_places[i]);
    return out;
}

} // namespace porchlight::geo
