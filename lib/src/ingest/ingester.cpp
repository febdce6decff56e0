#include <porchlight/config.hpp>
#include <porchlight/error.hpp>
#include <porchlight/ingest/ingester.hpp>
#include <porchlight/ingest/profile.hpp>
#include <porchlight/ingest/table_reader.hpp>
#include <porchlight/resolve/agency_resolver.hpp>
#include <porchlight/resolve/claims.hpp>
#include <porchlight/util/date.hpp>
#include <porchlight/util/sha256.hpp>
#include <porchlight/util/text.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <future>
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

/// A JSON array of strings (a record's values, or a source's column names).
void json_array(std::string& out, const std::vector<std::string>& values) {
    out.clear();
    out += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i)
            out += ',';
        util::append_json_string(out, values[i]);
    }
    out += ']';
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

/// A vendor cell that names a police department or sheriff's office (a slip in the source).
bool names_an_agency(const std::string& vendor) {
    const auto words = util::pad_words(util::normalise_agency(vendor));
    return words.find(" police department ") != std::string::npos ||
           words.find(" sheriffs office ") != std::string::npos;
}

/// A claimed date in 32 bits (yyyymmdd * 4 + precision), so a million partnerships'
/// claims fit in a few megabytes. 0 means no claim.
std::uint32_t pack_claim(const std::string& iso, const std::string& precision) {
    int y = 0, m = 0, d = 0;
    std::sscanf(iso.c_str(), "%d-%d-%d", &y, &m, &d);
    const std::uint32_t p = precision == "year" ? 1 : precision == "month" ? 2 : 3;
    return static_cast<std::uint32_t>(y * 10000 + m * 100 + d) * 4 + p;
}

resolve::date_claim unpack_claim(std::uint32_t packed) {
    const auto p = packed % 4;
    const auto v = packed / 4;
    char buf[16];
    if (p == 1)
        std::snprintf(buf, sizeof buf, "%04u", v / 10000);
    else if (p == 2)
        std::snprintf(buf, sizeof buf, "%04u-%02u", v / 10000, v / 100 % 100);
    else
        std::snprintf(buf, sizeof buf, "%04u-%02u-%02u", v / 10000, v / 100 % 100, v % 100);
    return {buf, p == 1 ? "year" : p == 2 ? "month" : "day"};
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

    // The file is parsed on a second thread while this one resolves and writes the rows;
    // that thread also checks each value is UTF-8 (CSV bytes were checked up front) and
    // writes the row as the JSON array the records table keeps.
    auto table = TableReader::open(file, *format);
    const auto columns = table->columns();
    const bool check_utf8 = *format != table_format::csv;
    auto reader = read_ahead(std::move(table), [&columns, check_utf8, name](table_row& row) {
        json_array(row.prepared, row.values);
    });
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

    // A bulk load touches the evidence and claim indexes all over: a page cache of 48 MiB
    // keeps them in memory instead of spilling and re-reading pages (the default is 2 MiB).
    db.exec("PRAGMA cache_size = -49152");
    // A rollback journal writes new pages once, where WAL writes them twice (log, then
    // checkpoint): for one large transaction of new rows that halves the I/O. Another open
    // connection keeps WAL in force, which is only slower.
    bool switched_journal = false;
    try {
        db.exec("PRAGMA journal_mode = DELETE");
        switched_journal = true;
    } catch (const db_error&) {
    }
    struct restore_wal {
        store::Database& db;
        bool active;
        ~restore_wal() {
            if (!active)
                return;
            try {
                db.exec("PRAGMA journal_mode = WAL");
            } catch (...) {
                // the next open sets WAL again
            }
        }
    } restore{db, switched_journal};
    store::Transaction tx(db);
    // Copy the bytes into the blob store while the rows are read; a failed ingest removes
    // a blob it added, so the store's files stay as they were too.
    struct blob_copy {
        store::BlobStore& blobs;
        const fs::path& file;
        const std::string& sha;
        bool existed = blobs.contains(sha);
        std::future<void> done = std::async(std::launch::async, [this] { blobs.put_file(file, sha); });
        bool committed = false;
        void wait() { done.get(); }
        ~blob_copy() {
            if (done.valid())
                done.wait();
            if (!committed && !existed) {
                std::error_code ec;
                fs::remove(blobs.path_of(sha), ec);
                fs::remove(blobs.path_of(sha).parent_path(), ec); // only when empty
            }
        }
    };
    std::optional<blob_copy> blob;
    if (!options.dry_run)
        blob.emplace(m_store.blobs(), file, res.sha256);
    {
        store::Statement ins(db,
                             "INSERT INTO sources (sha256, size, kind, format, file_name, origin, "
                             "title, dataset, profile, profile_sha256, as_of, retrieved_at, "
                             "ingested_at, porchlight_version, columns) VALUES (?1, ?2, 'records', "
                             "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
        ins.bind(1, res.sha256).bind(2, res.size).bind(3, res.format);
        ins.bind(4, file.filename().string()).bind(5, fs::absolute(file).lexically_normal().string());
        ins.bind(6, options.title.value_or(file.filename().string()));
        if (profile.dataset.empty())
            ins.bind_null(7);
        else
            ins.bind(7, profile.dataset);
        ins.bind(8, profile.name).bind(9, profile.sha256).bind(10, res.as_of);
        ins.bind(11, file_date(file)).bind(12, util::now_utc()).bind(13, config::version);
        std::string cols_json;
        json_array(cols_json, columns);
        ins.bind(14, cols_json);
        ins.exec();
        res.source_id = db.last_insert_id();
    }

    {
        store::Statement ins(db, "INSERT INTO source_link_columns (source_id, position, url_col, "
                                 "snapshot_col, publisher_col, type_col, date_col) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        auto opt = [](const std::optional<std::size_t>& i) -> std::optional<std::int64_t> {
            if (!i)
                return std::nullopt;
            return static_cast<std::int64_t>(*i);
        };
        std::int64_t position = 0;
        for (const auto& l : cols.links) {
            ins.bind(1, res.source_id).bind(2, ++position).bind(3, *opt(l.url));
            ins.bind(4, opt(l.snapshot)).bind(5, opt(l.publisher)).bind(6, opt(l.type));
            ins.bind(7, opt(l.date)).exec();
        }
    }
    resolve::AgencyResolver agencies(db);
    resolve::NameRegistry names(db, (m_data_dir / "vendors.yaml").string());

    store::Statement ins_record(db, "INSERT INTO records (source_id, row_no, locator, data, "
                                    "geometry) VALUES (?1, ?2, ?3, ?4, ?5)");
    store::Statement ins_evidence(
        db, "INSERT INTO evidence (fact_type, fact_id, source_id, record_id, locator, excerpt, "
            "claim_start, claim_start_precision, claim_start_raw, claim_end, claim_end_precision, "
            "claim_end_raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    store::Statement ins_partnership(db, "INSERT INTO partnerships (agency_id, vendor_id, "
                                         "technology_id) VALUES (?1, ?2, ?3)");
    store::Statement ins_warning(db, "INSERT INTO ingest_warnings (source_id, locator, row_no, "
                                     "field, message) VALUES (?1, ?2, ?3, ?4, ?5)");

    // existing partnerships by key
    struct pkey_hash {
        std::size_t operator()(const std::tuple<std::int64_t, std::int64_t, std::int64_t>& k) const {
            // splitmix64 finaliser over the three ids: ids are dense and small, so a plain
            // xor of them collides a lot
            auto [a, b, c] = k;
            std::uint64_t x = static_cast<std::uint64_t>(a) * 0x9E3779B97F4A7C15ULL ^
                              static_cast<std::uint64_t>(b) * 0xC2B2AE3D27D4EB4FULL ^
                              static_cast<std::uint64_t>(c);
            x ^= x >> 30;
            x *= 0xBF58476D1CE4E5B9ULL;
            x ^= x >> 27;
            x *= 0x94D049BB133111EBULL;
            x ^= x >> 31;
            return static_cast<std::size_t>(x);
        }
    };
    std::unordered_map<std::tuple<std::int64_t, std::int64_t, std::int64_t>, std::int64_t, pkey_hash>
        partnerships;
    // What this source claims about each partnership it names; merged with the store's
    // earlier claims and written back once per partnership at the end. Memory grows with
    // the partnerships one source names, not with its rows.
    struct partnership_claims {
        std::uint32_t start = 0;           ///< first distinct start claim (packed), 0: none
        std::vector<std::uint32_t> starts; ///< further distinct start claims, rarely any
        std::uint32_t end = 0;             ///< latest end claim (packed), 0: none
    };
    std::unordered_map<std::int64_t, partnership_claims> touched;
    {
        store::Statement all(db, "SELECT id, agency_id, ifnull(vendor_id, 0), technology_id "
                                 "FROM partnerships");
        while (all.step())
            partnerships[{all.get_int(1), all.get_int(2), all.get_int(3)}] = all.get_int(0);
    }
    const auto last_existing_partnership = db.scalar_int("SELECT ifnull(max(id), 0) FROM partnerships");
    const auto conflicts_before = db.scalar_int("SELECT count(*) FROM partnerships "
                                                "WHERE start_conflict = 1");
    std::unordered_set<std::int64_t> touched_agencies;
    // Rows repeat the same agency, vendor and technology spellings: resolve each once.
    // Agency evidence: the first row of this source with each mention (spelling, place) of
    // an agency; every partnership row is evidence too, and names its agency.
    struct cached_mention {
        resolve::agency_resolution resolution;
        bool evidenced = false;
    };
    std::unordered_map<std::string, cached_mention> agency_cache;
    std::unordered_map<std::string, std::int64_t> vendor_cache, technology_cache;

    // Dates repeat too: parse each spelling once (a failure is remembered as its message).
    struct date_parse {
        std::optional<util::partial_date> date;
        std::string error;
    };
    std::unordered_map<std::string, date_parse> date_cache;
    auto parse_cached = [&](const std::string& raw) -> const date_parse& {
        auto it = date_cache.find(raw);
        if (it != date_cache.end())
            return it->second;
        date_parse d;
        try {
            d.date = util::parse_date(raw);
        } catch (const std::invalid_argument& e) {
            d.error = e.what();
        }
        return date_cache.emplace(raw, std::move(d)).first->second;
    };

    auto warn = [&](const std::string& locator, std::int64_t row_no, std::string_view fld,
                    const std::string& message) {
        ++res.warning_count;
        if (res.warnings.size() < max_kept_warnings)
            res.warnings.push_back({locator, std::string(fld), message});
        ins_warning.bind(1, res.source_id).bind(2, locator).bind(3, row_no);
        ins_warning.bind(4, std::string(fld)).bind(5, message).exec();
    };

    const std::string word(reader->locator_word());
    table_row row;
    std::string locator, mention_key;
    // field -> column index (or -1) and field -> profile constant, for the per-row lookups
    constexpr std::size_t field_count = std::size(all_fields);
    std::array<std::ptrdiff_t, field_count> column_of;
    column_of.fill(-1);
    for (const auto& [f, i] : cols.index)
        column_of[static_cast<std::size_t>(f)] = static_cast<std::ptrdiff_t>(i);
    std::array<const std::string*, field_count> constant_of{};
    for (const auto& [f, v] : profile.constants)
        constant_of[static_cast<std::size_t>(f)] = &v;
    while (reader->next(row)) {
        ++res.rows;
        locator = word + " " + std::to_string(row.number);
        auto get = [&](field f) -> std::string {
            const auto k = static_cast<std::size_t>(f);
            if (column_of[k] >= 0)
                return util::trim(row.values[static_cast<std::size_t>(column_of[k])]);
            if (constant_of[k])
                return *constant_of[k];
            return {};
        };

        ins_record.bind(1, res.source_id).bind(2, row.number).bind_static(3, locator);
        ins_record.bind_static(4, row.prepared).bind(5, row.wkt).exec();
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
        mention_key = m.name + '\x1f' + m.state + '\x1f' + m.city + '\x1f' + m.county + '\x1f' +
                      m.agency_type;
        auto cached = agency_cache.find(mention_key);
        if (cached == agency_cache.end())
            cached = agency_cache.emplace(mention_key, cached_mention{agencies.resolve(m)}).first;
        const auto& resolution = cached->second.resolution;
        if (!resolution.id) {
            warn(locator, row.number, "agency", resolution.warning);
            ++res.unresolved;
            continue;
        }
        const auto agency_id = *resolution.id;
        touched_agencies.insert(agency_id);
        if (!cached->second.evidenced) {
            cached->second.evidenced = true;
            ins_evidence.bind(1, "agency").bind(2, agency_id).bind(3, res.source_id);
            ins_evidence.bind(4, record_id).bind(5, locator).bind(6, m.name).exec();
        }

        const auto technology = get(field::technology);
        if (technology.empty()) {
            warn(locator, row.number, "technology", "no technology; no partnership recorded");
            continue;
        }
        std::string vendor = get(field::vendor);
        std::string default_vendor;
        if (auto tv = profile.technology_vendors.find(technology);
            tv != profile.technology_vendors.end())
            default_vendor = tv->second;
        if (!vendor.empty() && names_an_agency(vendor)) {
            // a spreadsheet slip seen in real exports: an agency typed into the vendor column
            warn(locator, row.number, "vendor",
                 "vendor '" + vendor + "' names a police or public-safety agency, not a vendor; " +
                     (default_vendor.empty() ? std::string("no vendor recorded")
                                             : "used '" + default_vendor + "' instead"));
            vendor.clear();
        }
        if (vendor.empty())
            vendor = default_vendor;
        std::int64_t vendor_id = 0;
        if (!vendor.empty()) {
            auto v = vendor_cache.find(vendor);
            if (v == vendor_cache.end())
                v = vendor_cache.emplace(vendor, names.vendor(vendor)).first;
            vendor_id = v->second;
        }
        auto t = technology_cache.find(technology);
        if (t == technology_cache.end())
            t = technology_cache.emplace(technology, names.technology(technology)).first;
        const std::int64_t technology_id = t->second;

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

        auto parse = [&](field f) {
            parsed_date d;
            const auto& p = parse_cached(get(f));
            if (!p.error.empty()) {
                warn(locator, row.number, to_string(f), p.error + "; the claim is kept as undated");
            } else if (p.date) {
                d.iso = p.date->iso();
                d.precision = std::string(util::to_string(p.date->precision));
                if (!p.date->note.empty())
                    warn(locator, row.number, to_string(f), p.date->note);
            }
            return d;
        };
        const auto start = parse(field::start);
        const auto end = parse(field::end);
        if (!start.iso)
            ++res.undated;
        {
            // the start is chosen from all claims at the end (resolve::choose_start);
            // the end is the latest end claimed
            auto& d = touched[partnership_id];
            if (start.iso) {
                const auto c = pack_claim(*start.iso, *start.precision);
                if (!d.start)
                    d.start = c;
                else if (c != d.start && std::find(d.starts.begin(), d.starts.end(), c) == d.starts.end())
                    d.starts.push_back(c);
            }
            if (end.iso) {
                const auto c = pack_claim(*end.iso, *end.precision);
                if (!d.end || unpack_claim(c).date > unpack_claim(d.end).date)
                    d.end = c;
            }
        }

        std::string excerpt = m.name;
        if (!m.city.empty() || !m.state.empty())
            excerpt += " (" + m.city + (m.city.empty() || m.state.empty() ? "" : ", ") + m.state + ")";
        excerpt += " · " + technology;
        if (!vendor.empty())
            excerpt += " · " + vendor;
        const auto start_raw = get(field::start);
        const auto end_raw = get(field::end);
        if (!start_raw.empty())
            excerpt += " · start " + start_raw;
        if (!end_raw.empty())
            excerpt += " · end " + end_raw;

        ins_evidence.bind(1, "partnership").bind(2, partnership_id).bind(3, res.source_id);
        ins_evidence.bind(4, record_id).bind(5, locator);
        ins_evidence.bind(6, truncate_utf8(excerpt, max_excerpt));
        ins_evidence.bind(7, start.iso).bind(8, start.precision);
        if (start_raw.empty())
            ins_evidence.bind_null(9);
        else
            ins_evidence.bind(9, start_raw);
        ins_evidence.bind(10, end.iso).bind(11, end.precision);
        if (end_raw.empty())
            ins_evidence.bind_null(12);
        else
            ins_evidence.bind(12, end_raw);
        ins_evidence.exec();
    }
    if (res.rows == 0)
        throw parse_error("no data rows: the file has a header and nothing else", name);

    store::Statement set_dates(db, "UPDATE partnerships SET start_date = ?2, start_precision = ?3, "
                                   "start_conflict = ?4, end_date = ?5, end_precision = ?6, "
                                   "start_rule = 'earliest-claim', first_seen = ?7, last_seen = ?8 "
                                   "WHERE id = ?1");
    store::Statement earlier_claims(db, "SELECT DISTINCT claim_start, claim_start_precision "
                                        "FROM evidence WHERE fact_type = 'partnership' AND "
                                        "fact_id = ?1 AND claim_start IS NOT NULL");
    store::Statement stored(db, "SELECT start_conflict, end_date, end_precision, first_seen, "
                                "last_seen FROM partnerships WHERE id = ?1");
    res.conflicts = conflicts_before;
    for (auto& [id, d] : touched) {
        ++res.partnerships;
        std::vector<resolve::date_claim> claims;
        std::optional<std::string> end, end_precision;
        if (d.end) {
            auto e = unpack_claim(d.end);
            end = e.date;
            end_precision = e.precision;
        }
        std::optional<std::string> first_seen = res.as_of, last_seen = res.as_of;
        if (id <= last_existing_partnership) {
            // a partnership from an earlier source: weigh every claim in the store (this
            // source's are there too, inserted above)
            earlier_claims.bind(1, id);
            while (earlier_claims.step())
                claims.push_back({earlier_claims.get_text(0), earlier_claims.get_text(1)});
            earlier_claims.reset();
            stored.bind(1, id);
            if (stored.step()) {
                res.conflicts -= stored.get_int(0);
                const auto old_end = stored.get_optional_text(1);
                if (old_end && (!end || *old_end > *end)) {
                    end = old_end;
                    end_precision = stored.get_optional_text(2);
                }
                if (auto f = stored.get_optional_text(3); f && *f < *first_seen)
                    first_seen = f;
                if (auto l = stored.get_optional_text(4); l && *l > *last_seen)
                    last_seen = l;
            }
            stored.reset();
        } else {
            if (d.start)
                claims.push_back(unpack_claim(d.start));
            for (auto c : d.starts)
                claims.push_back(unpack_claim(c));
        }
        std::optional<std::string> start, start_precision;
        bool conflict = false;
        if (auto chosen = resolve::choose_start(std::move(claims))) {
            start = chosen->date.date;
            start_precision = chosen->date.precision;
            conflict = chosen->conflict;
        }
        res.conflicts += conflict;
        set_dates.bind(1, id).bind(2, start).bind(3, start_precision);
        set_dates.bind(4, static_cast<std::int64_t>(conflict)).bind(5, end);
        set_dates.bind(6, end_precision).bind(7, first_seen).bind(8, last_seen).exec();
    }
    res.conflicts_new = res.conflicts - conflicts_before;
    res.agencies = static_cast<std::int64_t>(touched_agencies.size());
    res.agencies_new = agencies.created_count();
    {
        store::Statement upd(db, "UPDATE sources SET row_count = ?2, warning_count = ?3 WHERE id = ?1");
        upd.bind(1, res.source_id).bind(2, res.rows).bind(3, res.warning_count).exec();
    }
    if (options.dry_run)
        return res; // the transaction rolls back
    blob->wait();
    tx.commit();
    blob->committed = true;
    return res;
}

} // namespace porchlight::ingest
