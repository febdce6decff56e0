#include <porchlight/error.hpp>
#include <porchlight/resolve/agency_resolver.hpp>
#include <porchlight/util/text.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace porchlight::resolve {

std::string classify_agency(std::string_view name, std::string_view agency_type) {
    const auto n = util::normalise_agency(name);
    const auto t = util::normalise_words(agency_type);
    auto has = [&](std::string_view w) { return util::contains_words(n, w); };
    // the name decides when it says; the source's type only when the name does not (a row
    // of a real export calls a city police department "State police")
    if (has("sheriffs") || has("sheriff"))
        return "sheriff";
    if (has("state police") || has("highway patrol") || has("state patrol") ||
        has("state troopers"))
        return "state";
    if (has("fire"))
        return "fire";
    if (has("police") || has("public safety"))
        return "police";
    if (t == "sheriff")
        return "sheriff";
    if (t == "state police")
        return "state";
    if (t == "fire")
        return "fire";
    if (t == "police")
        return "police";
    return "other";
}

namespace {
bool place_scoped(const std::string& kind, const std::string& norm,
                  const std::string& jurisdiction = {}) {
    if (kind == "sheriff" || kind == "state")
        return false;
    // a county-wide, state-wide or regional jurisdiction is one agency whatever city a row gives
    const auto j = util::normalise_words(jurisdiction);
    if (j == "county" || j == "state" || j == "statewide" || j == "parish" || j == "regional" ||
        j == "federal" || j == "borough")
        return false;
    return !util::contains_words(norm, "county") && !util::contains_words(norm, "parish") &&
           !util::contains_words(norm, "state");
}
} // namespace

std::string AgencyResolver::key(const std::string& norm, const std::string& state) {
    return norm + '\x1f' + state;
}

AgencyResolver::AgencyResolver(store::Database& db)
    : m_db(db),
      m_insert_agency(db, "INSERT INTO agencies (name, norm_name, kind, state, county, place, "
                          "norm_place, jurisdiction) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
      m_insert_alias(db, "INSERT OR IGNORE INTO aliases (agency_id, alias, norm) "
                         "VALUES (?1, ?2, ?3)"),
      m_set_place(db, "UPDATE agencies SET place = ?2, norm_place = ?3 WHERE id = ?1"),
      m_set_name(db, "UPDATE agencies SET name = ?2 WHERE id = ?1") {
    store::Statement agencies(db, "SELECT id, norm_name, ifnull(state, ''), norm_place, kind, "
                                  "name, ifnull(jurisdiction, '') FROM agencies ORDER BY id");
    auto& by_id = m_by_id;
    std::unordered_map<std::int64_t, std::string> state_of;
    while (agencies.step()) {
        const auto id = agencies.get_int(0);
        const auto norm = agencies.get_text(1);
        by_id[id] = m_entries.size();
        state_of[id] = agencies.get_text(2);
        m_entries.push_back({id, agencies.get_text(3),
                             place_scoped(agencies.get_text(4), norm, agencies.get_text(6)),
                             agencies.get_text(5)});
        m_index[key(norm, state_of[id])].push_back(by_id[id]);
    }
    store::Statement aliases(db, "SELECT agency_id, alias, norm FROM aliases");
    while (aliases.step()) {
        const auto id = aliases.get_int(0);
        m_aliases.insert({id, aliases.get_text(1)});
        auto& list = m_index[key(aliases.get_text(2), state_of[id])];
        const auto idx = by_id.at(id);
        if (std::find(list.begin(), list.end(), idx) == list.end())
            list.push_back(idx);
    }
}

void AgencyResolver::add_alias(std::int64_t agency_id, const std::string& alias,
                               const std::string& norm, const std::string& state) {
    if (!m_aliases.insert({agency_id, alias}).second)
        return;
    m_insert_alias.bind(1, agency_id).bind(2, alias).bind(3, norm).exec();
    const auto found = m_by_id.find(agency_id);
    if (found == m_by_id.end())
        return;
    const auto idx = found->second;
    auto& e = m_entries[idx];
    if (alias.size() > e.name.size()) {
        e.name = alias;
        m_set_name.bind(1, agency_id).bind(2, alias).exec();
    }
    auto& list = m_index[key(norm, state)];
    if (std::find(list.begin(), list.end(), idx) == list.end())
        list.push_back(idx);
}

std::int64_t AgencyResolver::create(const agency_mention& m, const std::string& norm,
                                    const std::string& norm_place, const std::string& kind,
                                    bool scoped) {
    m_insert_agency.bind(1, m.name).bind(2, norm).bind(3, kind);
    if (m.state.empty())
        m_insert_agency.bind_null(4);
    else
        m_insert_agency.bind(4, m.state);
    if (m.county.empty())
        m_insert_agency.bind_null(5);
    else
        m_insert_agency.bind(5, m.county);
    if (m.city.empty())
        m_insert_agency.bind_null(6);
    else
        m_insert_agency.bind(6, m.city);
    m_insert_agency.bind(7, norm_place);
    if (m.jurisdiction_type.empty())
        m_insert_agency.bind_null(8);
    else
        m_insert_agency.bind(8, m.jurisdiction_type);
    m_insert_agency.exec();
    const auto id = m_db.last_insert_id();
    m_entries.push_back({id, norm_place, scoped, m.name});
    m_by_id[id] = m_entries.size() - 1;
    m_index[key(norm, m.state)].push_back(m_entries.size() - 1);
    ++m_created;
    return id;
}

agency_resolution AgencyResolver::resolve(const agency_mention& m) {
    agency_resolution r;
    const auto norm = util::normalise_agency(m.name);
    const auto norm_place = util::normalise_place(m.city);
    const auto kind = classify_agency(m.name, m.agency_type);
    auto it = m_index.find(key(norm, m.state));
    std::vector<std::size_t> cands;
    if (it != m_index.end())
        cands = it->second;
    // county-wide by this row's words, or by what an earlier source said of the agency
    bool scoped = place_scoped(kind, norm, m.jurisdiction_type);
    for (auto idx : cands)
        scoped = scoped && m_entries[idx].place_scoped;

    std::optional<std::size_t> chosen;
    if (!cands.empty()) {
        if (!scoped || norm_place.empty()) {
            if (cands.size() == 1 || !scoped) {
                chosen = cands.front();
            } else {
                std::string places;
                for (auto idx : cands)
                    places += (places.empty() ? "" : ", ") +
                              (m_entries[idx].norm_place.empty() ? std::string("(no place)")
                                                                 : m_entries[idx].norm_place);
                r.warning = "agency '" + m.name + "' is ambiguous in " +
                            (m.state.empty() ? std::string("(no state)") : m.state) + ": " +
                            std::to_string(cands.size()) +
                            " agencies of that name, in: " + places +
                            "; the row names no city, so it is linked to none";
                return r;
            }
        } else {
            for (auto idx : cands)
                if (m_entries[idx].norm_place == norm_place)
                    chosen = idx;
            if (!chosen) {
                // an agency first seen without a place takes the first place given for it
                std::vector<std::size_t> placeless;
                for (auto idx : cands)
                    if (m_entries[idx].norm_place.empty())
                        placeless.push_back(idx);
                if (placeless.size() == 1) {
                    chosen = placeless.front();
                    m_set_place.bind(1, m_entries[*chosen].id).bind(2, m.city).bind(3, norm_place);
                    m_set_place.exec();
                    m_entries[*chosen].norm_place = norm_place;
                }
            }
        }
    }
    if (chosen) {
        r.id = m_entries[*chosen].id;
    } else {
        r.id = create(m, norm, norm_place, kind, scoped);
        r.created = true;
    }
    add_alias(*r.id, m.name, norm, m.state);
    return r;
}

NameRegistry::NameRegistry(store::Database& db, const std::string& vendors_yaml_path) : m_db(db) {
    try {
        YAML::Node root = YAML::LoadFile(vendors_yaml_path);
        for (const auto& kv : root) {
            const auto canonical = kv.first.as<std::string>();
            m_vendor_canonical[util::normalise_words(canonical)] = canonical;
            m_vendor_spelling[util::normalise_words(canonical)] = canonical;
            for (const auto& alias : kv.second) {
                const auto spelling = alias.as<std::string>();
                m_vendor_canonical[util::normalise_words(spelling)] = canonical;
                m_vendor_spelling[util::normalise_words(spelling)] = spelling;
            }
        }
    } catch (const YAML::Exception& e) {
        throw error("cannot read vendor list " + vendors_yaml_path + ": " + e.what());
    }
    store::Statement v(db, "SELECT id, norm FROM vendors");
    while (v.step())
        m_vendors[v.get_text(1)] = v.get_int(0);
    store::Statement va(db, "SELECT vendor_id, norm FROM vendor_aliases");
    while (va.step())
        m_vendor_alias_seen[va.get_text(1)] = va.get_int(0);
    store::Statement t(db, "SELECT id, norm FROM technologies");
    while (t.step())
        m_technologies[t.get_text(1)] = t.get_int(0);
}

std::int64_t NameRegistry::vendor(const std::string& spelling) {
    const auto norm_spelling = util::normalise_words(spelling);
    if (auto seen = m_vendor_alias_seen.find(norm_spelling); seen != m_vendor_alias_seen.end())
        return seen->second;
    auto canon_it = m_vendor_canonical.find(norm_spelling);
    const auto canonical = canon_it == m_vendor_canonical.end() ? spelling : canon_it->second;
    const auto norm = util::normalise_words(canonical);
    std::int64_t id;
    if (auto it = m_vendors.find(norm); it != m_vendors.end()) {
        id = it->second;
    } else {
        store::Statement ins(m_db, "INSERT INTO vendors (name, norm) VALUES (?1, ?2)");
        ins.bind(1, canonical).bind(2, norm).exec();
        id = m_db.last_insert_id();
        m_vendors[norm] = id;
        // the store keeps every known name of a new vendor, so filters and other tools can
        // find "Amazon Ring" without data/vendors.yaml
        store::Statement known(m_db, "INSERT OR IGNORE INTO vendor_aliases (vendor_id, alias, norm) "
                                     "VALUES (?1, ?2, ?3)");
        for (const auto& [alias_norm, alias_canonical] : m_vendor_canonical)
            if (alias_canonical == canonical && !m_vendor_alias_seen.count(alias_norm)) {
                known.bind(1, id).bind(2, m_vendor_spelling[alias_norm]).bind(3, alias_norm).exec();
                m_vendor_alias_seen[alias_norm] = id;
            }
    }
    store::Statement alias(m_db, "INSERT OR IGNORE INTO vendor_aliases (vendor_id, alias, norm) "
                                 "VALUES (?1, ?2, ?3)");
    alias.bind(1, id).bind(2, spelling).bind(3, norm_spelling).exec();
    m_vendor_alias_seen[norm_spelling] = id;
    return id;
}

std::int64_t NameRegistry::technology(const std::string& spelling) {
    const auto norm = util::normalise_words(spelling);
    if (auto it = m_technologies.find(norm); it != m_technologies.end())
        return it->second;
    store::Statement ins(m_db, "INSERT INTO technologies (name, norm) VALUES (?1, ?2)");
    ins.bind(1, spelling).bind(2, norm).exec();
    const auto id = m_db.last_insert_id();
    m_technologies[norm] = id;
    return id;
}

} // namespace porchlight::resolve
