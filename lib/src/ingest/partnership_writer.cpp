// Rows of a partnerships source: agencies, vendors, technologies, partnerships with the
// dates each row claims (merged with the store's earlier claims at the end), and their
// evidence. A request total given beside a partnership (an agency map's "Video Requests")
// is kept as a dated observation of the agency.
#include "detail/partnership_writer.hpp"

#include <porchlight/error.hpp>
#include <porchlight/ingest/values.hpp>
#include <porchlight/resolve/agency_resolver.hpp>
#include <porchlight/resolve/claims.hpp>
#include <porchlight/util/pipeline.hpp>

#include <algorithm>
#include <cstdio>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace porchlight::ingest::detail {

namespace {

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

/// "Video Requests: 12" beside a partnership: the agency's total as of the source's date.
void record_total(const interpreted_row& r, std::int64_t agency_id, std::int64_t record_id,
                  store::Statement& ins, ingest_result& res, const warn_fn& warn) {
    const auto c = parse_count(r.total_raw);
    if (!c.value) {
        warn(r.locator, r.row.number, "total", c.error + "; no request total recorded");
        return;
    }
    ins.bind(1, agency_id).bind(2, res.as_of).bind(3, *c.value).bind(4, res.source_id);
    ins.bind(5, record_id).bind(6, r.total_raw).exec();
    ++res.totals;
}

} // namespace

void write_partnerships(const partnership_input& in, ingest_result& res, const warn_fn& warn,
                        const std::function<void()>& before_dates) {
    auto& db = in.db;
    resolve::AgencyResolver agencies(db);
    resolve::NameRegistry names(db, (in.data_dir / "vendors.yaml").string());
    partnership_index partnerships(db);
    partnership_dates dates(db);

    store::Statement ins_total(db, "INSERT INTO request_totals (agency_id, as_of, total, "
                                   "source_id, record_id, raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    store::Statement ins_record(db, "INSERT INTO records (source_id, row_no, locator, data, "
                                    "geometry) VALUES (?1, ?2, ?3, ?4, ?5)");
    store::Statement ins_evidence(
        db, "INSERT INTO evidence (fact_type, fact_id, source_id, record_id, locator, excerpt, "
            "claim_start, claim_start_precision, claim_start_raw, claim_end, claim_end_precision, "
            "claim_end_raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
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
    RowInterpreter interpreter(in.profile, in.cols, in.columns, std::string(in.table.locator_word()),
                               in.check_utf8, in.file);
    util::Pipeline<interpreted_row> rows([&](interpreted_row& r) {
        if (!in.table.next(r.row))
            return false;
        interpreter.interpret(r);
        return true;
    });
    interpreted_row r;
    while (rows.next(r)) {
        ++res.rows;
        if (in.progress && res.rows % 10000 == 0)
            in.progress(res.rows);
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

        if (!r.total_raw.empty())
            record_total(r, agency_id, record_id, ins_total, res, warn);
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
    before_dates();
    dates.write(res.as_of, partnerships, res);
    res.agencies = static_cast<std::int64_t>(touched_agencies.size());
    res.agencies_new = agencies.created_count();
}

} // namespace porchlight::ingest::detail
