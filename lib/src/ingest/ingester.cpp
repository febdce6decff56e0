#include "detail/row_interpreter.hpp"

#include <porchlight/config.hpp>
#include <porchlight/error.hpp>
#include <porchlight/ingest/ingester.hpp>
#include <porchlight/ingest/profile.hpp>
#include <porchlight/ingest/table_reader.hpp>
#include <porchlight/resolve/agency_resolver.hpp>
#include <porchlight/resolve/claims.hpp>
#include <porchlight/util/date.hpp>
#include <porchlight/util/pipeline.hpp>
#include <porchlight/util/sha256.hpp>
#include <porchlight/util/text.hpp>

#include <algorithm>
#include <cstdio>
#include <future>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace fs = std::filesystem;

namespace porchlight::ingest {

namespace {

constexpr std::size_t max_kept_warnings = 1000;

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

/// agency x vendor x technology -> partnership id, for every partnership in the store.
/// A new partnership gets the next id at once but is written at the end, with its dates
/// (one INSERT instead of an INSERT now and an UPDATE later).
class partnership_index {
public:
    using key = std::tuple<std::int64_t, std::int64_t, std::int64_t>; ///< agency, vendor, tech

    explicit partnership_index(store::Database& db)
        : m_last_existing(db.scalar_int("SELECT ifnull(max(id), 0) FROM partnerships")) {
        store::Statement all(db, "SELECT id, agency_id, ifnull(vendor_id, 0), technology_id "
                                 "FROM partnerships");
        while (all.step())
            m_ids[{all.get_int(1), all.get_int(2), all.get_int(3)}] = all.get_int(0);
    }

    /// The partnership's id; created is set when it is new.
    std::int64_t get(std::int64_t agency, std::int64_t vendor, std::int64_t technology,
                     bool& created) {
        const key k{agency, vendor, technology};
        if (auto it = m_ids.find(k); it != m_ids.end()) {
            created = false;
            return it->second;
        }
        const auto id = m_last_existing + static_cast<std::int64_t>(m_new.size()) + 1;
        m_ids[k] = id;
        m_new.push_back(k);
        created = true;
        return id;
    }

    /// Whether id was in the store before this source.
    bool existed(std::int64_t id) const { return id <= m_last_existing; }
    /// The key of a partnership created by get().
    const key& new_key(std::int64_t id) const {
        return m_new[static_cast<std::size_t>(id - m_last_existing - 1)];
    }

private:
    struct key_hash {
        std::size_t operator()(const key& k) const {
            // splitmix64 over the three ids: they are small and dense, so a plain xor of
            // them collides a lot
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
    std::unordered_map<key, std::int64_t, key_hash> m_ids;
    std::int64_t m_last_existing;
    std::vector<key> m_new;
};

/// What one source claims about the dates of each partnership it names; written back
/// once per partnership at the end, merged with the store's earlier claims. Memory grows
/// with the partnerships one source names, not with its rows.
class partnership_dates {
public:
    explicit partnership_dates(store::Database& db)
        : m_db(db),
          m_conflicts_before(
              db.scalar_int("SELECT count(*) FROM partnerships WHERE start_conflict = 1")) {}

    void claim(std::int64_t partnership, const detail::interpreted_row& r) {
        auto& d = m_touched[partnership];
        if (r.start) {
            const auto c = pack_claim(*r.start, *r.start_precision);
            if (!d.start)
                d.start = c;
            else if (c != d.start && std::find(d.more.begin(), d.more.end(), c) == d.more.end())
                d.more.push_back(c);
        }
        if (r.end) {
            const auto c = pack_claim(*r.end, *r.end_precision);
            if (std::find(d.ends.begin(), d.ends.end(), c) == d.ends.end())
                d.ends.push_back(c);
        }
    }

    /// Applies the rules (resolve::choose_start, resolve::choose_end) and the snapshot date;
    /// fills the result's partnership and conflict counts.
    void write(const std::string& as_of, const partnership_index& index, ingest_result& res) {
        store::Statement insert(m_db, "INSERT INTO partnerships (id, agency_id, vendor_id, "
                                      "technology_id, start_date, start_precision, start_conflict, "
                                      "end_date, end_precision, start_rule, first_seen, last_seen) "
                                      "VALUES (?1, ?9, ?10, ?11, ?2, ?3, ?4, ?5, ?6, "
                                      "'earliest-claim', ?7, ?8)");
        store::Statement set(m_db, "UPDATE partnerships SET start_date = ?2, start_precision = ?3, "
                                   "start_conflict = ?4, end_date = ?5, end_precision = ?6, "
                                   "start_rule = 'earliest-claim', first_seen = ?7, last_seen = ?8 "
                                   "WHERE id = ?1");
        store::Statement earlier(m_db, "SELECT DISTINCT claim_start, claim_start_precision, "
                                       "claim_end, claim_end_precision FROM evidence "
                                       "WHERE fact_type = 'partnership' AND fact_id = ?1");
        store::Statement stored(m_db, "SELECT start_conflict, first_seen, last_seen "
                                      "FROM partnerships WHERE id = ?1");
        res.partnerships = static_cast<std::int64_t>(m_touched.size());
        res.conflicts = m_conflicts_before;
        for (auto& [id, d] : m_touched) {
            std::vector<resolve::date_claim> claims, end_claims;
            std::optional<std::string> first_seen = as_of, last_seen = as_of;
            const bool existed = index.existed(id);
            if (existed) {
                // from an earlier source: weigh every claim in the store (this source's are
                // there too by now)
                earlier.bind(1, id);
                while (earlier.step()) {
                    if (!earlier.is_null(0))
                        claims.push_back({earlier.get_text(0), earlier.get_text(1)});
                    if (!earlier.is_null(2))
                        end_claims.push_back({earlier.get_text(2), earlier.get_text(3)});
                }
                earlier.reset();
                stored.bind(1, id);
                if (stored.step()) {
                    res.conflicts -= stored.get_int(0);
                    if (auto f = stored.get_optional_text(1); f && *f < *first_seen)
                        first_seen = f;
                    if (auto l = stored.get_optional_text(2); l && *l > *last_seen)
                        last_seen = l;
                }
                stored.reset();
            } else {
                if (d.start)
                    claims.push_back(unpack_claim(d.start));
                for (auto c : d.more)
                    claims.push_back(unpack_claim(c));
                for (auto c : d.ends)
                    end_claims.push_back(unpack_claim(c));
            }
            std::optional<std::string> end, end_precision;
            if (auto chosen = resolve::choose_end(std::move(end_claims))) {
                end = chosen->date.date;
                end_precision = chosen->date.precision;
            }
            std::optional<std::string> start, start_precision;
            bool conflict = false;
            if (auto chosen = resolve::choose_start(std::move(claims))) {
                start = chosen->date.date;
                start_precision = chosen->date.precision;
                conflict = chosen->conflict;
            }
            res.conflicts += conflict;
            auto& st = existed ? set : insert;
            st.bind(1, id).bind(2, start).bind(3, start_precision);
            st.bind(4, static_cast<std::int64_t>(conflict)).bind(5, end);
            st.bind(6, end_precision).bind(7, first_seen).bind(8, last_seen);
            if (!existed) {
                const auto& [agency, vendor, technology] = index.new_key(id);
                st.bind(9, agency).bind(11, technology);
                if (vendor)
                    st.bind(10, vendor);
                else
                    st.bind_null(10);
            }
            st.exec();
        }
        res.conflicts_new = res.conflicts - m_conflicts_before;
    }

private:
    struct claims {
        std::uint32_t start = 0;          ///< first distinct start claim, 0: none
        std::vector<std::uint32_t> more;  ///< further distinct start claims, rarely any
        std::vector<std::uint32_t> ends;  ///< distinct end claims, rarely any
    };
    store::Database& m_db;
    std::int64_t m_conflicts_before;
    std::unordered_map<std::int64_t, claims> m_touched;
};

/// Copies a source's bytes into the blob store while its rows are read; an ingest that
/// does not commit removes a blob it added, so the store's files stay as they were.
class blob_copy {
public:
    blob_copy(store::BlobStore& blobs, const fs::path& file, const std::string& sha)
        : m_blobs(blobs), m_sha(sha), m_existed(blobs.contains(sha)),
          m_done(std::async(std::launch::async, [this, file] { m_blobs.put_file(file, m_sha); })) {}
    ~blob_copy() {
        if (m_done.valid())
            m_done.wait();
        if (!m_committed && !m_existed) {
            std::error_code ec;
            fs::remove(m_blobs.path_of(m_sha), ec);
            fs::remove(m_blobs.path_of(m_sha).parent_path(), ec); // only when empty
        }
    }
    void wait() { m_done.get(); }
    void committed() { m_committed = true; }

private:
    store::BlobStore& m_blobs;
    std::string m_sha;
    bool m_existed;
    bool m_committed = false;
    std::future<void> m_done;
};

/// A rollback journal writes new pages once, where WAL writes them twice (log, then
/// checkpoint): for one large transaction of new rows that halves the I/O. The store goes
/// back to WAL afterwards; another open connection keeps WAL in force, which is only slower.
class bulk_journal {
public:
    explicit bulk_journal(store::Database& db) : m_db(db) {
        try {
            m_db.exec("PRAGMA journal_mode = DELETE");
            m_active = true;
        } catch (const db_error&) {
        }
    }
    ~bulk_journal() {
        if (!m_active)
            return;
        try {
            m_db.exec("PRAGMA journal_mode = WAL");
        } catch (...) {
            // the next open sets WAL again
        }
    }

private:
    store::Database& m_db;
    bool m_active = false;
};

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
    // a CSV file's bytes are checked while they are hashed
    std::future<void> precheck;
    if (*format == table_format::csv)
        precheck = std::async(std::launch::async, [file] { precheck_csv(file); });
    res.sha256 = util::sha256_file(file);

    auto& db = m_store.db();
    {
        store::Statement seen(db, "SELECT id, profile FROM sources WHERE sha256 = ?1");
        seen.bind(1, res.sha256);
        if (seen.step()) {
            if (precheck.valid())
                precheck.wait(); // the same bytes were read before: their check passed then
            res.already_ingested = true;
            res.source_id = seen.get_int(0);
            res.profile = seen.get_text(1);
            if (options.profile) {
                const auto asked = find_profile(m_data_dir / "profiles", *options.profile);
                if (asked.name != res.profile)
                    res.profile_not_applied = asked.name;
            }
            return res;
        }
    }

    if (precheck.valid())
        precheck.get(); // rethrows what the check found
    auto table = TableReader::open(file, *format, /*prechecked=*/true);
    const auto columns = table->columns();
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
    const auto cols = detail::map_columns(profile, columns, name);
    res.as_of = options.as_of ? util::full_day(*options.as_of, "--as-of") : util::today_utc();

    db.exec("PRAGMA cache_size = -32768"); // 32 MiB (the default 2 MiB spills all the time)
    bulk_journal journal(db);
    store::Transaction tx(db);
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
        ins.bind(11, util::file_mtime_utc(file)).bind(12, util::now_utc()).bind(13, config::version);
        std::string cols_json;
        util::json_array(cols_json, columns);
        ins.bind(14, cols_json);
        ins.exec();
        res.source_id = db.last_insert_id();
    }
    if (options.web)
        record_web_provenance(db, res.source_id, *options.web);
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

    // Into a young store, the evidence index is built once after the load (a sort) instead
    // of row by row: it is dropped here and made again before anything reads it. Inside
    // the transaction, so a failed ingest gets it back too.
    const bool rebuild_index =
        db.scalar_int("SELECT count(*) FROM (SELECT 1 FROM evidence LIMIT 100000)") < 100000;
    if (rebuild_index)
        db.exec("DROP INDEX evidence_fact");

    resolve::AgencyResolver agencies(db);
    resolve::NameRegistry names(db, (m_data_dir / "vendors.yaml").string());
    partnership_index partnerships(db);
    partnership_dates dates(db);

    store::Statement ins_record(db, "INSERT INTO records (source_id, row_no, locator, data, "
                                    "geometry) VALUES (?1, ?2, ?3, ?4, ?5)");
    store::Statement ins_evidence(
        db, "INSERT INTO evidence (fact_type, fact_id, source_id, record_id, locator, excerpt, "
            "claim_start, claim_start_precision, claim_start_raw, claim_end, claim_end_precision, "
            "claim_end_raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    store::Statement ins_warning(db, "INSERT INTO ingest_warnings (source_id, locator, row_no, "
                                     "field, message) VALUES (?1, ?2, ?3, ?4, ?5)");
    auto warn = [&](const std::string& locator, std::int64_t row_no, const std::string& fld,
                    const std::string& message) {
        ++res.warning_count;
        if (res.warnings.size() < max_kept_warnings)
            res.warnings.push_back({locator, fld, message});
        ins_warning.bind(1, res.source_id).bind(2, locator).bind(3, row_no);
        ins_warning.bind(4, fld).bind(5, message).exec();
    };

    // Rows repeat the same agency, vendor and technology spellings: resolve each once.
    // Agency evidence: the first row of this source with each mention (spelling, place) of
    // an agency; every partnership row is evidence too, and names its agency.
    struct cached_mention {
        resolve::agency_resolution resolution;
        bool evidenced = false;
    };
    std::unordered_map<std::string, cached_mention> agency_cache;
    std::unordered_map<std::string, std::int64_t> vendor_cache, technology_cache;
    std::unordered_set<std::int64_t> touched_agencies;

    // The file is read and each row interpreted through the profile on a second thread
    // (CSV bytes were checked up front; other formats' values are checked for UTF-8 there),
    // while this thread resolves and writes the rows before them.
    detail::RowInterpreter interpreter(profile, cols, columns, std::string(table->locator_word()),
                                       *format != table_format::csv, name);
    util::Pipeline<detail::interpreted_row> rows([&](detail::interpreted_row& r) {
        if (!table->next(r.row))
            return false;
        interpreter.interpret(r);
        return true;
    });
    detail::interpreted_row r;
    while (rows.next(r)) {
        ++res.rows;
        if (options.progress && res.rows % 10000 == 0)
            options.progress(res.rows);
        ins_record.bind(1, res.source_id).bind(2, r.row.number).bind_static(3, r.locator);
        ins_record.bind_static(4, r.json).bind(5, r.row.wkt).exec();
        const auto record_id = db.last_insert_id();
        for (const auto& w : r.warnings)
            warn(r.locator, r.row.number, w.field, w.message);

        if (r.mention.name.empty()) {
            warn(r.locator, r.row.number, "agency", "no agency name; the row is kept as a record only");
            ++res.unresolved;
            continue;
        }
        auto cached = agency_cache.find(r.mention_key);
        if (cached == agency_cache.end())
            cached = agency_cache.emplace(r.mention_key, cached_mention{agencies.resolve(r.mention)})
                         .first;
        const auto& resolution = cached->second.resolution;
        if (!resolution.id) {
            warn(r.locator, r.row.number, "agency", resolution.warning);
            ++res.unresolved;
            continue;
        }
        const auto agency_id = *resolution.id;
        touched_agencies.insert(agency_id);
        if (!cached->second.evidenced) {
            cached->second.evidenced = true;
            ins_evidence.bind(1, "agency").bind(2, agency_id).bind(3, res.source_id);
            ins_evidence.bind(4, record_id).bind_static(5, r.locator).bind(6, r.mention.name).exec();
        }

        if (r.technology.empty()) {
            warn(r.locator, r.row.number, "technology", "no technology; no partnership recorded");
            continue;
        }
        std::int64_t vendor_id = 0;
        if (!r.vendor.empty()) {
            auto v = vendor_cache.find(r.vendor);
            if (v == vendor_cache.end())
                v = vendor_cache.emplace(r.vendor, names.vendor(r.vendor)).first;
            vendor_id = v->second;
        }
        auto t = technology_cache.find(r.technology);
        if (t == technology_cache.end())
            t = technology_cache.emplace(r.technology, names.technology(r.technology)).first;
        bool created = false;
        const auto partnership_id = partnerships.get(agency_id, vendor_id, t->second, created);
        res.partnerships_new += created;
        dates.claim(partnership_id, r);
        if (!r.start)
            ++res.undated;

        ins_evidence.bind(1, "partnership").bind(2, partnership_id).bind(3, res.source_id);
        ins_evidence.bind(4, record_id).bind_static(5, r.locator).bind_static(6, r.excerpt);
        ins_evidence.bind(7, r.start).bind(8, r.start_precision);
        if (r.start_raw.empty())
            ins_evidence.bind_null(9);
        else
            ins_evidence.bind_static(9, r.start_raw);
        ins_evidence.bind(10, r.end).bind(11, r.end_precision);
        if (r.end_raw.empty())
            ins_evidence.bind_null(12);
        else
            ins_evidence.bind_static(12, r.end_raw);
        ins_evidence.exec();
    }
    if (res.rows == 0)
        throw parse_error("no data rows: the file has a header and nothing else", name);

    if (rebuild_index) {
        db.exec("PRAGMA threads = 2"); // the index sort may use a helper thread
        db.exec("CREATE INDEX evidence_fact ON evidence(fact_id, fact_type)");
    }
    dates.write(res.as_of, partnerships, res);
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
    blob->committed();
    return res;
}

} // namespace porchlight::ingest
