#include <porchlight/config.hpp>
#include <porchlight/error.hpp>
#include <porchlight/ingest/ingester.hpp>
#include <porchlight/ingest/profile.hpp>
#include <porchlight/ingest/table_reader.hpp>
#include <porchlight/resolve/agency_resolver.hpp>
#include <porchlight/util/date.hpp>
#include <porchlight/util/sha256.hpp>
#include <porchlight/util/text.hpp>

#include <ctime>
#include <map>
#include <sys/stat.h>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace fs = std::filesystem;

namespace porchlight::ingest {

namespace {

constexpr std::size_t max_kept_warnings = 1000;
constexpr std::size_t max_excerpt = 240;

/// Column indexes of the profile's fields in one table.
struct column_map {
    std::map<field, std::size_t> index;
    std::vector<std::pair<std::size_t, std::size_t>> links_url_date; // unused placeholder
    struct link_index {
        std::optional<std::size_t> url, snapshot, publisher, type, date;
    };
    std::vector<link_index> links;
};

std::optional<std::size_t> find_column(const std::vector<std::string>& columns,
                                       const std::string& wanted) {
    const auto key = column_key(wanted);
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (column_key(columns[i]) == key)
            return i;
    return std::nullopt;
}

column_map map_columns(const Profile& p, const std::vector<std::string>& columns,
                       const std::string& file) {
    column_map m;
    std::vector<std::string> missing;
    for (const auto& [f, name] : p.columns) {
        if (auto i = find_column(columns, name))
            m.index[f] = *i;
        else
            missing.push_back(name);
    }
    if (!missing.empty()) {
        std::string miss, have;
        for (const auto& c : missing)
            miss += (miss.empty() ? "'" : ", '") + c + "'";
        for (std::size_t i = 0; i < columns.size() && i < 12; ++i)
            have += (i ? ", " : "") + columns[i];
        if (columns.size() > 12)
            have += ", ...";
        throw parse_error("columns required by profile '" + p.name + "' are missing: " + miss +
                              " (the file has: " + have + ")",
                          file);
    }
    for (const auto& [f, name] : p.optional_columns)
        if (auto i = find_column(columns, name))
            m.index[f] = *i;
    for (const auto& l : p.links) {
        column_map::link_index li;
        auto opt = [&](const std::string& n) {
            return n.empty() ? std::nullopt : find_column(columns, n);
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

std::string json_object(const std::vector<std::string>& columns, const table_row& row) {
    std::string out = "{";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i)
            out += ',';
        util::append_json_string(out, columns[i]);
        out += ':';
        util::append_json_string(out, row.values[i]);
    }
    out += '}';
    return out;
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

struct parsed_date {
    std::optional<std::string> iso;
    std::optional<std::string> precision;
};

std::string file_date(const fs::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0)
        return util::now_utc();
    std::time_t tt = st.st_mtime;
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace

Ingester::Ingester(store::Store& store, fs::path data_dir)
    : m_store(store), m_data_dir(std::move(data_dir)) {}

ingest_result Ingester::ingest_file(const fs::path& file, const ingest_options& options) {
    ingest_result res;
    res.file = file;
    res.dry_run = options.dry_run;
    const auto name = file.string();
    std::error_code ec;
    if (!fs::exists(file, ec))
        throw parse_error("no such file", name);
    if (!fs::is_regular_file(file, ec))
        throw parse_error("not a regular file", name);
    const auto format = table_format_of(file);
    if (!format)
        throw parse_error("cannot tell the format from the extension '" +
                              file.extension().string() +
                              "' (records: .csv .xlsx .ods .geojson .json .gpkg .kml .kmz)",
                          name);
    res.format = std::string(to_string(*format));
    res.size = static_cast<std::int64_t>(fs::file_size(file, ec));
    if (res.size == 0)
        throw parse_error("file is empty", name);
    res.sha256 = util::sha256_file(file);

    auto& db = m_store.db();
    {
        store::Statement seen(db, "SELECT id, profile FROM sources WHERE sha256 = ?1");
        seen.bind(1, res.sha256);
        if (seen.step()) {
            res.already_ingested = true;
            res.source_id = seen.get_int(0);
            res.profile = seen.get_text(1);
            return res;
        }
    }

    auto reader = TableReader::open(file, *format);
    const auto& columns = reader->columns();
    if (columns.empty())
        throw parse_error("no columns: the file has no header row", name);

    Profile profile;
    if (options.profile) {
        profile = find_profile(m_data_dir / "profiles", *options.profile);
        res.profile_reason = "named with --profile";
    } else {
        auto all = load_profiles(m_data_dir / "profiles");
        auto d = detect_profile(all, columns, name);
        profile = *d.profile;
        res.profile_reason = d.reason;
    }
    res.profile = profile.name;
    res.dataset = profile.dataset;
    const auto cols = map_columns(profile, columns, name);
    if (options.as_of) {
        try {
            auto d = util::parse_date(*options.as_of);
            if (!d || d->precision != util::date_precision::day)
                throw std::invalid_argument("--as-of needs a full date (YYYY-MM-DD)");
            res.as_of = d->iso();
        } catch (const std::invalid_argument& e) {
            throw error(std::string(e.what()));
        }
    } else {
        res.as_of = util::today_utc();
    }

    store::Transaction tx(db);
    const auto conflicts_before = db.scalar_int("SELECT count(*) FROM partnership_conflicts");
    {
        store::Statement ins(db,
                             "INSERT INTO sources (sha256, size, kind, format, file_name, origin, "
                             "title, dataset, profile, profile_sha256, as_of, retrieved_at, "
                             "ingested_at, porchlight_version) VALUES (?1, ?2, 'records', ?3, ?4, "
                             "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
        ins.bind(1, res.sha256).bind(2, res.size).bind(3, res.format);
        ins.bind(4, file.filename().string()).bind(5, fs::absolute(file).lexically_normal().string());
        ins.bind(6, options.title.value_or(file.filename().string()));
        if (profile.dataset.empty())
            ins.bind_null(7);
        else
            ins.bind(7, profile.dataset);
        ins.bind(8, profile.name).bind(9, profile.sha256).bind(10, res.as_of);
        ins.bind(11, file_date(file)).bind(12, util::now_utc()).bind(13, config::version);
        ins.exec();
        res.source_id = db.last_insert_id();
    }

    resolve::AgencyResolver agencies(db);
    resolve::NameRegistry names(db, (m_data_dir / "vendors.yaml").string());

    store::Statement ins_record(db, "INSERT INTO records (source_id, row_no, locator, data, "
                                    "geometry) VALUES (?1, ?2, ?3, ?4, ?5)");
    store::Statement ins_evidence(db, "INSERT INTO evidence (fact_type, fact_id, source_id, "
                                      "record_id, locator, excerpt) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    store::Statement ins_claim(db, "INSERT INTO partnership_claims (evidence_id, partnership_id, "
                                   "start_date, start_precision, start_raw, end_date, "
                                   "end_precision, end_raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    store::Statement ins_link(db, "INSERT INTO links (evidence_id, position, url, snapshot_url, "
                                  "publisher, link_type, date, date_precision, date_raw) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    store::Statement ins_partnership(db, "INSERT INTO partnerships (agency_id, vendor_id, "
                                         "technology_id) VALUES (?1, ?2, ?3)");
    store::Statement ins_warning(db, "INSERT INTO ingest_warnings (source_id, locator, row_no, "
                                     "field, message) VALUES (?1, ?2, ?3, ?4, ?5)");

    // existing partnerships by key
    struct pkey_hash {
        std::size_t operator()(const std::tuple<std::int64_t, std::int64_t, std::int64_t>& k) const {
            auto [a, b, c] = k;
            return std::hash<std::int64_t>()(a * 1000003 ^ b * 10007 ^ c);
        }
    };
    std::unordered_map<std::tuple<std::int64_t, std::int64_t, std::int64_t>, std::int64_t, pkey_hash>
        partnerships;
    {
        store::Statement all(db, "SELECT id, agency_id, ifnull(vendor_id, 0), technology_id "
                                 "FROM partnerships");
        while (all.step())
            partnerships[{all.get_int(1), all.get_int(2), all.get_int(3)}] = all.get_int(0);
    }
    std::unordered_set<std::int64_t> touched_partnerships, touched_agencies;

    auto warn = [&](const std::string& locator, std::int64_t row_no, std::string_view fld,
                    const std::string& message) {
        ++res.warning_count;
        if (res.warnings.size() < max_kept_warnings)
            res.warnings.push_back({locator, std::string(fld), message});
        ins_warning.bind(1, res.source_id).bind(2, locator).bind(3, row_no);
        ins_warning.bind(4, std::string(fld)).bind(5, message).exec();
    };

    const bool check_utf8 = *format != table_format::csv; // CSV bytes were checked up front
    const std::string word(reader->locator_word());
    table_row row;
    std::string locator;
    while (reader->next(row)) {
        ++res.rows;
        locator = word + " " + std::to_string(row.number);
        if (check_utf8)
            for (std::size_t i = 0; i < row.values.size(); ++i)
                if (util::invalid_utf8_offset(row.values[i]))
                    throw parse_error("invalid UTF-8 in column '" + columns[i] + "'", name,
                                      row.number);
        auto get = [&](field f) -> std::string {
            if (auto it = cols.index.find(f); it != cols.index.end())
                return util::trim(row.values[it->second]);
            if (auto c = profile.constants.find(f); c != profile.constants.end())
                return c->second;
            return {};
        };

        ins_record.bind(1, res.source_id).bind(2, row.number).bind(3, locator);
        ins_record.bind(4, json_object(columns, row)).bind(5, row.wkt).exec();
        const auto record_id = db.last_insert_id();
        if (options.progress && res.rows % 10000 == 0)
            options.progress(res.rows);

        resolve::agency_mention m;
        m.name = get(field::agency);
        m.city = get(field::city);
        m.county = get(field::county);
        m.agency_type = get(field::agency_type);
        std::string state_raw = get(field::state);
        if (auto addr = get(field::address); !addr.empty()) {
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
                warn(locator, row.number, "state",
                     "unknown state '" + state_raw + "'; the agency is kept without a state");
        }
        if (m.name.empty()) {
            warn(locator, row.number, "agency", "no agency name; the row is kept as a record only");
            ++res.unresolved;
            continue;
        }
        const auto technology = get(field::technology);
        auto resolution = agencies.resolve(m);
        if (!resolution.id) {
            warn(locator, row.number, "agency", resolution.warning);
            ++res.unresolved;
            continue;
        }
        const auto agency_id = *resolution.id;
        touched_agencies.insert(agency_id);
        ins_evidence.bind(1, "agency").bind(2, agency_id).bind(3, res.source_id);
        ins_evidence.bind(4, record_id).bind(5, locator).bind(6, m.name).exec();

        if (technology.empty()) {
            warn(locator, row.number, "technology", "no technology; no partnership recorded");
            continue;
        }
        std::string vendor = get(field::vendor);
        if (vendor.empty())
            if (auto tv = profile.technology_vendors.find(technology);
                tv != profile.technology_vendors.end())
                vendor = tv->second;
        const std::int64_t vendor_id = vendor.empty() ? 0 : names.vendor(vendor);
        const std::int64_t technology_id = names.technology(technology);

        std::int64_t partnership_id;
        auto key = std::make_tuple(agency_id, vendor_id, technology_id);
        if (auto it = partnerships.find(key); it != partnerships.end()) {
            partnership_id = it->second;
        } else {
            ins_partnership.bind(1, agency_id);
            if (vendor_id)
                ins_partnership.bind(2, vendor_id);
            else
                ins_partnership.bind_null(2);
            ins_partnership.bind(3, technology_id).exec();
            partnership_id = db.last_insert_id();
            partnerships[key] = partnership_id;
            ++res.partnerships_new;
        }
        touched_partnerships.insert(partnership_id);

        auto parse = [&](field f) {
            parsed_date d;
            const auto raw = get(f);
            try {
                if (auto p = util::parse_date(raw)) {
                    d.iso = p->iso();
                    d.precision = std::string(util::to_string(p->precision));
                }
            } catch (const std::invalid_argument& e) {
                warn(locator, row.number, to_string(f),
                     std::string(e.what()) + "; the claim is kept as undated");
            }
            return d;
        };
        const auto start = parse(field::start);
        const auto end = parse(field::end);
        if (!start.iso)
            ++res.undated;

        std::string excerpt = m.name;
        if (!m.city.empty() || !m.state.empty())
            excerpt += " (" + m.city + (m.city.empty() || m.state.empty() ? "" : ", ") + m.state + ")";
        excerpt += " · " + technology;
        if (!vendor.empty())
            excerpt += " · " + vendor;
        if (auto s = get(field::start); !s.empty())
            excerpt += " · start " + s;
        if (auto e = get(field::end); !e.empty())
            excerpt += " · end " + e;
        if (auto s = get(field::summary); !s.empty())
            excerpt += " · " + s;
        ins_evidence.bind(1, "partnership").bind(2, partnership_id).bind(3, res.source_id);
        ins_evidence.bind(4, record_id).bind(5, locator);
        ins_evidence.bind(6, truncate_utf8(excerpt, max_excerpt)).exec();
        const auto evidence_id = db.last_insert_id();
        ins_claim.bind(1, evidence_id).bind(2, partnership_id).bind(3, start.iso);
        ins_claim.bind(4, start.precision).bind(5, get(field::start)).bind(6, end.iso);
        ins_claim.bind(7, end.precision).bind(8, get(field::end)).exec();

        int position = 0;
        for (const auto& l : cols.links) {
            ++position;
            const auto url = util::trim(row.values[*l.url]);
            if (url.empty())
                continue;
            auto val = [&](const std::optional<std::size_t>& i) -> std::optional<std::string> {
                if (!i)
                    return std::nullopt;
                auto v = util::trim(row.values[*i]);
                return v.empty() ? std::nullopt : std::optional<std::string>(v);
            };
            const auto date_raw = val(l.date);
            std::optional<std::string> date_iso, date_prec;
            if (date_raw) {
                try {
                    if (auto p = util::parse_date(*date_raw)) {
                        date_iso = p->iso();
                        date_prec = std::string(util::to_string(p->precision));
                    }
                } catch (const std::invalid_argument&) {
                    // the same text was already reported when it is the start column
                }
            }
            ins_link.bind(1, evidence_id).bind(2, position).bind(3, url).bind(4, val(l.snapshot));
            ins_link.bind(5, val(l.publisher)).bind(6, val(l.type)).bind(7, date_iso);
            ins_link.bind(8, date_prec).bind(9, date_raw).exec();
        }
    }
    if (res.rows == 0)
        throw parse_error("no data rows: the file has a header and nothing else", name);

    // The rule that chooses a partnership's dates from its claims: the earliest start claimed
    // (a month or year sorts before the days inside it), the latest end claimed.
    store::Statement set_dates(
        db, "UPDATE partnerships SET "
            "(start_date, start_precision) = (SELECT start_date, start_precision "
            "  FROM partnership_claims WHERE partnership_id = ?1 AND start_date IS NOT NULL "
            "  ORDER BY start_date LIMIT 1), "
            "(end_date, end_precision) = (SELECT end_date, end_precision "
            "  FROM partnership_claims WHERE partnership_id = ?1 AND end_date IS NOT NULL "
            "  ORDER BY end_date DESC LIMIT 1), "
            "start_rule = 'earliest-claim', "
            "first_seen = CASE WHEN first_seen IS NULL OR first_seen > ?2 THEN ?2 ELSE first_seen END, "
            "last_seen = CASE WHEN last_seen IS NULL OR last_seen < ?2 THEN ?2 ELSE last_seen END "
            "WHERE id = ?1");
    for (auto id : touched_partnerships)
        set_dates.bind(1, id).bind(2, res.as_of).exec();

    res.agencies = static_cast<std::int64_t>(touched_agencies.size());
    res.agencies_new = agencies.created_count();
    res.partnerships = static_cast<std::int64_t>(touched_partnerships.size());
    res.conflicts = db.scalar_int("SELECT count(*) FROM partnership_conflicts");
    res.conflicts_new = res.conflicts - conflicts_before;
    {
        store::Statement upd(db, "UPDATE sources SET row_count = ?2, warning_count = ?3 WHERE id = ?1");
        upd.bind(1, res.source_id).bind(2, res.rows).bind(3, res.warning_count).exec();
    }
    if (options.dry_run)
        return res; // the transaction rolls back
    m_store.blobs().put_file(file, res.sha256);
    tx.commit();
    return res;
}

} // namespace porchlight::ingest
