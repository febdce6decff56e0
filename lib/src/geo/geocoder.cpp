#include <porchlight/geo/geocoder.hpp>
#include <porchlight/util/text.hpp>

#include <algorithm>

namespace porchlight::geo {

std::string_view to_string(precision p) {
    switch (p) {
    case precision::address:
        return "address";
    case precision::place:
        return "place";
    case precision::county_subdivision:
        return "county_subdivision";
    case precision::county:
        return "county";
    case precision::state:
        return "state";
    case precision::none:
        return "none";
    }
    return "none";
}

namespace {


bool county_wide_impl(const agency_location_query& q) {
    const auto j = util::normalise_words(q.jurisdiction);
    if (j == "county" || j == "parish" || j == "borough")
        return true;
    if (q.kind == "sheriff")
        return true;
    const auto n = util::normalise_agency(q.name);
    return util::contains_words(n, "county") || util::contains_words(n, "parish");
}

bool state_wide_impl(const agency_location_query& q) {
    const auto j = util::normalise_words(q.jurisdiction);
    // a jurisdiction "State" given to an agency whose name says city police is a slip
    return q.kind == "state" ||
           ((j == "state" || j == "statewide") && q.kind != "police" && q.kind != "sheriff");
}

/// "Cook County Sheriff's Office" -> "Cook"; "" when the name names no county.
std::string county_in_name_impl(const std::string& name) {
    const auto words = util::split(util::normalise_place(name), ' ');
    for (std::size_t i = 1; i < words.size(); ++i)
        if (words[i] == "county" || words[i] == "parish") {
            std::string out;
            // the county name is the words before, back to a word that starts the agency
            std::size_t start = 0;
            for (std::size_t k = 0; k < i; ++k)
                if (words[k] == "of" || words[k] == "the")
                    start = k + 1;
            for (std::size_t k = start; k < i; ++k)
                out += (out.empty() ? "" : " ") + words[k];
            return out;
        }
    return {};
}

/// "Ogle County, Winnebago County" -> {"Ogle County", "Winnebago County"}; spreadsheet
/// error values and placeholders ("#N/A", "N/A", "-") are no county.
std::vector<std::string> county_list_impl(const std::string& county) {
    std::vector<std::string> out;
    const auto t = util::trim(county);
    if (t.empty() || t[0] == '#' || util::normalise_words(t) == "n a" || t == "-" ||
        util::normalise_words(t) == "unknown")
        return out;
    for (auto part : util::split(county, ',')) {
        for (auto& piece : util::split(part, '/')) {
            auto t = util::trim(piece);
            if (!t.empty())
                out.push_back(t);
        }
    }
    return out;
}

std::string place_label(const gz_place& p) { return p.name + ", " + p.state; }

/// A county of the state by name, else the unique county one letter off (with a warning).
const gz_county* find_county(const Gazetteer& g, const std::string& state, const std::string& name,
                             std::vector<std::string>& warnings) {
    auto found = g.counties_named(state, name);
    if (!found.empty())
        return found.front();
    const auto key = Gazetteer::county_key(name);
    const gz_county* best = nullptr;
    int matches = 0;
    for (auto* c : g.counties_in(state))
        if (key.size() >= 5 && util::edit_distance(Gazetteer::county_key(c->name), key) == 1) {
            best = c;
            ++matches;
        }
    if (matches == 1) {
        warnings.push_back("county '" + name + "' is not in " + state + "; assumed " +
                           best->full_name + " (1 letter apart)");
        return best;
    }
    return nullptr;
}

void at_county(geocode_result& r, const gz_county& c, double score) {
    r.lat = c.lat;
    r.lon = c.lon;
    r.level = precision::county;
    r.matched_name = c.full_name + ", " + c.state;
    r.matched_id = c.fips;
    r.county_fips = c.fips;
    r.score = score;
}

void at_state(geocode_result& r, const gz_state& s, double score) {
    r.lat = s.lat;
    r.lon = s.lon;
    r.level = precision::state;
    r.matched_name = s.name;
    r.matched_id = s.fips;
    r.score = score;
}

void at_place(geocode_result& r, const gz_place& p, double score) {
    r.lat = p.lat;
    r.lon = p.lon;
    r.level = precision::place;
    r.matched_name = place_label(p);
    r.matched_id = p.source == "zip" ? p.id : "geonames:" + p.name + "@" + p.county_fips;
    r.county_fips = p.county_fips;
    r.score = score;
}

/// Variants of a place name to try after the exact one.
std::vector<std::string> place_variants(const std::string& place) {
    const auto key = Gazetteer::place_key(place);
    std::vector<std::string> out;
    auto add = [&](std::string k) {
        if (!k.empty() && k != key && std::find(out.begin(), out.end(), k) == out.end())
            out.push_back(std::move(k));
    };
    for (const char* prefix : {"city of ", "town of ", "village of ", "township of ", "borough of "})
        if (key.rfind(prefix, 0) == 0)
            add(key.substr(std::string_view(prefix).size()));
    for (const char* suffix : {" township", " city", " town", " village", " borough"}) {
        const std::string_view sv(suffix);
        if (key.size() > sv.size() && key.compare(key.size() - sv.size(), sv.size(), sv) == 0)
            add(key.substr(0, key.size() - sv.size()));
    }
    add(key + " township");
    add(key + " city");
    return out;
}

/// A place name from the agency's own name: "Springfield Police Department" -> "Springfield".
std::string place_from_name_impl(const std::string& name) {
    auto n = util::normalise_agency(name);
    for (const char* tail : {" department of public safety", " public safety department",
                             " police department", " public safety", " police"}) {
        const std::string_view sv(tail);
        if (n.size() > sv.size() && n.compare(n.size() - sv.size(), sv.size(), sv) == 0) {
            n.erase(n.size() - sv.size());
            return n;
        }
    }
    return {};
}

} // namespace

bool is_state_wide(const agency_location_query& q) { return state_wide_impl(q); }
bool is_county_wide(const agency_location_query& q) { return county_wide_impl(q); }
std::string county_named_in(const std::string& agency_name) { return county_in_name_impl(agency_name); }
std::vector<std::string> counties_given(const std::string& county) { return county_list_impl(county); }
std::string place_from_agency_name(const std::string& agency_name) {
    return place_from_name_impl(agency_name);
}

geocode_result geocode_offline(const Gazetteer& g, const agency_location_query& q) {
    geocode_result r;
    if (q.state.empty()) {
        r.warnings.push_back("no state is known for this agency: it cannot be placed");
        return r;
    }
    const auto* st = g.state(q.state);
    if (!st) {
        r.warnings.push_back("state '" + q.state + "' is not in the gazetteer");
        return r;
    }

    // the counties given, resolved within the state
    std::vector<const gz_county*> given;
    const gz_county* other_county = nullptr; // the county given, found only in another state
    bool county_not_in_state = false;
    for (const auto& c : county_list_impl(q.county)) {
        if (const auto* found = find_county(g, q.state, c, r.warnings)) {
            given.push_back(found);
            continue;
        }
        // a county of that name in another state: is the state given the slip?
        std::string elsewhere;
        std::vector<std::string> others;
        for (const auto& other : g.states_with_county(c))
            if (other != q.state) {
                elsewhere += (elsewhere.empty() ? "" : ", ") + other;
                others.push_back(other);
            }
        if (others.size() == 1 && !other_county)
            if (auto found = g.counties_named(others.front(), c); !found.empty())
                other_county = found.front();
        r.warnings.push_back("county '" + c + "' is not in " + q.state +
                             (elsewhere.empty() ? std::string()
                                                : " (a county of that name is in " + elsewhere + ")"));
        county_not_in_state = true;
    }
    // said only where the county given is what places the agency
    const std::string several =
        given.size() > 1 ? "several counties given (" + q.county + "); used the first, " +
                               given.front()->full_name
                         : std::string();

    if (state_wide_impl(q)) {
        at_state(r, *st, 1.0);
        return r;
    }

    const bool is_county_wide = county_wide_impl(q);
    if (is_county_wide) {
        const auto named = county_in_name_impl(q.name);
        if (!named.empty()) {
            // "Athens-Clarke County" -> Clarke; "Northern York County Regional" -> York
            std::vector<const gz_county*> found;
            auto words = util::split(named, ' ');
            for (std::size_t from = 0; from < words.size() && found.empty(); ++from) {
                std::string tail;
                for (std::size_t k = from; k < words.size(); ++k)
                    tail += (tail.empty() ? "" : " ") + words[k];
                found = g.counties_named(q.state, tail);
            }
            if (!found.empty()) {
                at_county(r, *found.front(), 1.0);
                if (!given.empty() && std::find(given.begin(), given.end(), found.front()) == given.end())
                    r.warnings.push_back("the name says " + found.front()->full_name +
                                         " but the county given is " + given.front()->full_name +
                                         "; trusted the name");
                return r;
            }
            r.warnings.push_back("the name names '" + named + " County', which is not in " +
                                 q.state);
        }
        if (!given.empty()) {
            at_county(r, *given.front(), 0.9);
            if (!several.empty())
                r.warnings.push_back(several);
            return r;
        }
        // a county-wide agency named after its seat: the county of its place
    }

    // the place: as given, else taken from the agency's name
    std::string place = q.place;
    bool place_from_agency_name = false;
    if (place.empty()) {
        place = place_from_name_impl(q.name);
        place_from_agency_name = !place.empty();
    }
    const gz_place* chosen = nullptr;
    double score = 0;
    std::vector<const gz_place*> ambiguous;
    if (!place.empty()) {
        auto pick = [&](std::vector<const gz_place*> cands) -> bool {
            if (cands.empty())
                return false;
            // GeoNames places before ZIP cities of the same name
            std::vector<const gz_place*> primary;
            for (auto* c : cands)
                if (c->source == "geonames")
                    primary.push_back(c);
            if (!primary.empty())
                cands = primary;
            if (cands.size() > 1 && !given.empty()) {
                std::vector<const gz_place*> in_county;
                for (auto* c : cands)
                    for (auto* gc : given)
                        if (c->county_fips == gc->fips)
                            in_county.push_back(c);
                if (!in_county.empty())
                    cands = in_county;
            }
            if (cands.size() == 1) {
                chosen = cands.front();
                return true;
            }
            ambiguous = cands;
            return true;
        };
        const auto key = Gazetteer::place_key(place);
        if (pick(g.places_keyed(q.state, key))) {
            score = 1.0;
        } else {
            for (const auto& v : place_variants(place))
                if (pick(g.places_keyed(q.state, v))) {
                    score = 0.9;
                    if (chosen)
                        r.warnings.push_back("place '" + place + "' read as '" + chosen->name + "'");
                    break;
                }
        }
        if (!chosen && ambiguous.empty()) {
            // fuzzy within the state: the unique best at a small edit distance
            // one letter off, two for long names: "Townson" -> Towson, "Cinncinnati" ->
            // Cincinnati; "Las Almas" is not "Las Lomas"
            const std::size_t limit = key.size() < 10 ? 1 : 2;
            std::size_t best = limit + 1;
            std::vector<const gz_place*> best_places;
            for (auto* p : g.places_in(q.state)) {
                const auto pk = Gazetteer::place_key(p->name);
                if (pk.size() + limit < key.size() || key.size() + limit < pk.size())
                    continue;
                const auto d = util::edit_distance(pk, key);
                if (d < best) {
                    best = d;
                    best_places = {p};
                } else if (d == best && std::find(best_places.begin(), best_places.end(), p) == best_places.end()) {
                    best_places.push_back(p);
                }
            }
            if (best <= limit && best_places.size() == 1) {
                chosen = best_places.front();
                score = 0.8 - 0.1 * static_cast<double>(best);
                r.warnings.push_back("place '" + place + "' is not in the gazetteer for " + q.state +
                                     "; assumed '" + chosen->name + "' (" + std::to_string(best) +
                                     " letter" + (best == 1 ? "" : "s") + " apart)");
            }
        }
        if (!chosen && ambiguous.empty() && !place_from_agency_name) {
            // the city given is unknown: the agency's own name may name its town
            // ("Kent Town Police Department" in "Kent Lakes")
            const auto from_name = place_from_name_impl(q.name);
            if (!from_name.empty() && Gazetteer::place_key(from_name) != key) {
                bool found = pick(g.places_keyed(q.state, Gazetteer::place_key(from_name)));
                for (const auto& v : place_variants(from_name)) {
                    if (found)
                        break;
                    found = pick(g.places_keyed(q.state, v));
                }
                if (chosen) {
                    score = 0.7;
                    r.warnings.push_back("place '" + place + "' is not in the gazetteer for " +
                                         q.state + "; used '" + chosen->name +
                                         "' from the agency's name");
                } else {
                    ambiguous.clear();
                }
            }
        }
    }
    const bool outside_given =
        chosen && !given.empty() &&
        std::none_of(given.begin(), given.end(),
                     [&](const gz_county* c) { return c->fips == chosen->county_fips; });
    if (chosen && outside_given && score < 1.0) {
        // a variant or a near spelling that lands outside the county given is another place
        r.warnings.push_back(place_label(*chosen) + ", read for '" + place +
                             "', is not in the county given; not used");
        chosen = nullptr;
        r.warnings.erase(std::remove_if(r.warnings.begin(), r.warnings.end(),
                                        [&](const std::string& w) {
                                            return w.rfind("place '" + place + "' read as", 0) == 0 ||
                                                   w.rfind("place '" + place + "' is not in the gazetteer", 0) == 0;
                                        }),
                         r.warnings.end());
    }
    if (chosen) {
        if (chosen->source == "zip")
            score *= 0.95;
        at_place(r, *chosen, score);
        if (county_not_in_state)
            r.warnings.push_back("the place is in " + q.state + ": trusted the state and place "
                                 "given over the county");
        if (place_from_agency_name)
            r.warnings.push_back("no city given; the place was taken from the agency's name");
        if (outside_given) {
            const auto* pc = g.county(chosen->county_fips);
            r.warnings.push_back("place " + place_label(*chosen) + " is in " +
                                 (pc ? pc->full_name : std::string("another county")) +
                                 ", not in " + given.front()->full_name +
                                 " as given; trusted the place");
        }
        if (is_county_wide) {
            // a county-wide agency placed through its seat: at the seat's county
            if (const auto* c = g.county(chosen->county_fips)) {
                const auto seat = place_label(*chosen);
                at_county(r, *c, score);
                r.warnings.push_back("county-wide agency placed at the county of " + seat);
            }
        }
        return r;
    }
    if (other_county && !place.empty() && ambiguous.empty()) {
        // neither the county nor the place is in the state given, but both are in another
        // state: the state given is the slip
        for (auto* p : g.places_keyed(other_county->state, Gazetteer::place_key(place)))
            if (p->county_fips == other_county->fips) {
                at_place(r, *p, 0.6);
                r.warnings.push_back("neither " + other_county->full_name + " nor '" + place +
                                     "' is in " + q.state + "; both are in " + other_county->state +
                                     ": trusted the county and the place over the state given");
                return r;
            }
        // the place is unknown there too, but the county exists in that one state only
        at_county(r, *other_county, 0.4);
        r.warnings.push_back("'" + place + "' is not in " + q.state + " and " +
                             other_county->full_name + " exists only in " + other_county->state +
                             ": trusted the county over the state given");
        return r;
    }
    if (!ambiguous.empty()) {
        std::string list;
        for (auto* a : ambiguous) {
            const auto* c = g.county(a->county_fips);
            list += (list.empty() ? "" : "; ") + place_label(*a) + " in " +
                    (c ? c->full_name : a->county_fips);
        }
        r.warnings.push_back("place '" + place + "' is ambiguous in " + q.state + " (" + list +
                             ")");
    } else if (!place.empty()) {
        r.warnings.push_back("place '" + place + "' is not in the gazetteer for " + q.state);
    } else {
        r.warnings.push_back("no city given and none in the agency's name");
    }
    if (!given.empty()) {
        at_county(r, *given.front(), 0.5);
        if (!several.empty())
            r.warnings.push_back(several);
        r.warnings.push_back("placed at the county given");
        return r;
    }
    at_state(r, *st, 0.3);
    r.warnings.push_back("placed at the state");
    return r;
}

} // namespace porchlight::geo
