#include "detail/row_interpreter.hpp"

#include <porchlight/error.hpp>
#include <porchlight/util/text.hpp>

#include <iterator>
#include <stdexcept>

namespace porchlight::ingest::detail {

namespace {

constexpr std::size_t max_excerpt = 240;

/// A vendor cell that names a police department or sheriff's office (a slip in the source).
bool names_an_agency(const std::string& vendor) {
    const auto words = util::normalise_agency(vendor);
    return util::contains_words(words, "police department") ||
           util::contains_words(words, "sheriffs office");
}

} // namespace

column_map map_columns(const Profile& p, const std::vector<std::string>& columns,
                       const std::string& file) {
    column_map m;
    std::vector<std::string> missing;
    for (const auto& [f, names] : p.columns) {
        if (auto i = find_column(columns, names)) {
            m.index[f] = *i;
            continue;
        }
        std::string entry = "'" + names.front() + "'";
        for (std::size_t k = 1; k < names.size(); ++k)
            entry += (k == 1 ? " (or '" : ", '") + names[k] + "'";
        missing.push_back(names.size() > 1 ? entry + ")" : entry);
    }
    if (!missing.empty()) {
        std::string miss, have;
        for (const auto& c : missing)
            miss += (miss.empty() ? "" : ", ") + c;
        for (std::size_t i = 0; i < columns.size() && i < 12; ++i)
            have += (i ? ", " : "") + columns[i];
        if (columns.size() > 12)
            have += ", ...";
        throw parse_error("columns required by profile '" + p.name + "' are missing: " + miss +
                              " (the file has: " + have + ")",
                          file);
    }
    for (const auto& [f, names] : p.optional_columns)
        if (auto i = find_column(columns, names))
            m.index[f] = *i;
    for (const auto& l : p.links) {
        column_map::link_index li;
        auto opt = [&](const std::string& n) {
            return n.empty() ? std::nullopt : find_column(columns, spellings{n});
        };
        li.url = opt(l.url);
        li.snapshot = opt(l.snapshot);
        li.publisher = opt(l.publisher);
        li.type = opt(l.type);
        li.date = opt(l.date);
        if (li.url)
            m.links.push_back(li);
    }
    return m;
}

std::string truncate_utf8(std::string s, std::size_t max) {
    if (s.size() <= max)
        return s;
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        --cut;
    s.resize(cut);
    return s + "…";
}

field_reader::field_reader(const Profile& profile, const column_map& columns)
    : m_column_of(std::size(all_fields), -1), m_constant_of(std::size(all_fields), nullptr) {
    for (const auto& [f, i] : columns.index)
        m_column_of[static_cast<std::size_t>(f)] = static_cast<std::ptrdiff_t>(i);
    for (const auto& [f, v] : profile.constants)
        m_constant_of[static_cast<std::size_t>(f)] = &v;
}

std::string field_reader::get(const table_row& row, field f) const {
    const auto k = static_cast<std::size_t>(f);
    if (m_column_of[k] >= 0) {
        auto v = util::trim(row.values[static_cast<std::size_t>(m_column_of[k])]);
        if (!v.empty() || !m_constant_of[k])
            return v;
    }
    if (m_constant_of[k])
        return *m_constant_of[k];
    return {};
}

profile_rows::profile_rows(const Profile& profile, const column_map& columns,
                           std::vector<std::string> column_names, std::string locator_word,
                           bool check_utf8, std::string file)
    : m_profile(profile), m_fields(profile, columns), m_column_names(std::move(column_names)),
      m_locator_word(std::move(locator_word)), m_check_utf8(check_utf8), m_file(std::move(file)) {}

void profile_rows::read_record(const table_row& row, std::string& locator,
                               std::string& json) const {
    if (m_check_utf8)
        for (std::size_t i = 0; i < row.values.size(); ++i)
            if (util::invalid_utf8_offset(row.values[i]))
                throw parse_error("invalid UTF-8 in column '" + m_column_names[i] + "'", m_file,
                                  row.number);
    locator = m_locator_word + " " + std::to_string(row.number);
    util::json_array(json, row.values);
}

void read_mention(const field_reader& fields, const table_row& row, resolve::agency_mention& m,
                  std::string& key, std::vector<field_warning>& warnings, bool address_is_place) {
    m.name = fields.get(row, field::agency);
    m.city = fields.get(row, field::city);
    m.county = fields.get(row, field::county);
    m.agency_type = fields.get(row, field::agency_type);
    m.jurisdiction_type = fields.get(row, field::jurisdiction_type);
    m.state.clear();
    std::string state_raw = fields.get(row, field::state);
    if (auto addr = address_is_place ? fields.get(row, field::address) : std::string();
        !addr.empty()) {
        // "City, ST" or "City, State"
        auto comma = addr.rfind(',');
        if (comma != std::string::npos) {
            if (m.city.empty())
                m.city = util::trim(addr.substr(0, comma));
            if (state_raw.empty())
                state_raw = util::trim(addr.substr(comma + 1));
        } else if (state_raw.empty()) {
            state_raw = addr;
        }
    }
    if (!state_raw.empty()) {
        if (auto code = util::state_code(state_raw))
            m.state = *code;
        else
            warnings.push_back({"state", "unknown state '" + state_raw +
                                             "'; the agency is kept without a state"});
    }
    key = m.name;
    for (const auto* part : {&m.state, &m.city, &m.county, &m.agency_type, &m.jurisdiction_type}) {
        key += '\x1f';
        key += *part;
    }
}

RowInterpreter::RowInterpreter(const Profile& profile, const column_map& columns,
                               std::vector<std::string> column_names, std::string locator_word,
                               bool check_utf8, std::string file)
    : profile_rows(profile, columns, std::move(column_names), std::move(locator_word),
                   check_utf8, std::move(file)) {
    for (const auto& [technology, vendor] : profile.technology_vendors)
        m_technology_vendors[util::normalise_words(technology)] = vendor;
}

const RowInterpreter::date_parse& RowInterpreter::parse_cached(const std::string& raw) {
    if (auto it = m_dates.find(raw); it != m_dates.end())
        return it->second;
    date_parse d;
    try {
        d.date = util::parse_date(raw);
    } catch (const std::invalid_argument& e) {
        d.error = e.what();
    }
    return m_dates.emplace(raw, std::move(d)).first->second;
}

void RowInterpreter::read_date(interpreted_row& r, field f, std::optional<std::string>& iso,
                               std::optional<std::string>& precision, std::string& raw) {
    raw = get(r.row, f);
    iso.reset();
    precision.reset();
    const auto& p = parse_cached(raw);
    if (!p.error.empty()) {
        r.warnings.push_back({std::string(to_string(f)), p.error + "; the claim is kept as undated"});
    } else if (p.date) {
        iso = p.date->iso();
        precision = std::string(util::to_string(p.date->precision));
        if (!p.date->note.empty())
            r.warnings.push_back({std::string(to_string(f)), p.date->note});
    }
}

void RowInterpreter::interpret(interpreted_row& r) {
    const auto& row = r.row;
    r.warnings.clear();
    read_record(row, r.locator, r.json);
    read_mention(m_fields, row, r.mention, r.mention_key, r.warnings);
    const auto& m = r.mention;

    r.technology = get(row, field::technology);
    r.vendor = get(row, field::vendor);
    std::string default_vendor;
    if (auto tv = m_technology_vendors.find(util::normalise_words(r.technology));
        tv != m_technology_vendors.end())
        default_vendor = tv->second;
    if (!r.vendor.empty() && names_an_agency(r.vendor)) {
        // a spreadsheet slip seen in real exports: an agency typed into the vendor column
        r.warnings.push_back(
            {"vendor", "vendor '" + r.vendor +
                           "' names a police or public-safety agency, not a vendor; " +
                           (default_vendor.empty() ? std::string("no vendor recorded")
                                                   : "used '" + default_vendor + "' instead")});
        r.vendor.clear();
    }
    if (r.vendor.empty())
        r.vendor = default_vendor;

    r.total_raw = get(row, field::total);
    read_date(r, field::start, r.start, r.start_precision, r.start_raw);
    read_date(r, field::end, r.end, r.end_precision, r.end_raw);

    // the dataset's own id of the row first ("AOS0012: ..."), as a citation would give it
    std::string excerpt = get(row, field::record_id);
    if (!excerpt.empty())
        excerpt += ": ";
    excerpt += m.name;
    if (!m.city.empty() || !m.state.empty())
        excerpt += " (" + m.city + (m.city.empty() || m.state.empty() ? "" : ", ") + m.state + ")";
    excerpt += " · " + r.technology;
    if (!r.vendor.empty())
        excerpt += " · " + r.vendor;
    if (!r.start_raw.empty())
        excerpt += " · start " + r.start_raw;
    if (!r.end_raw.empty())
        excerpt += " · end " + r.end_raw;
    r.excerpt = truncate_utf8(std::move(excerpt), max_excerpt);
}

} // namespace porchlight::ingest::detail
