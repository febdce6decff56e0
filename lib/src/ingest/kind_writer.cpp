#include "detail/kind_rows.hpp"

#include <porchlight/error.hpp>
#include <porchlight/resolve/agency_resolver.hpp>
#include <porchlight/util/pipeline.hpp>

#include <unordered_map>
#include <unordered_set>

namespace porchlight::ingest::detail {

namespace {

constexpr std::size_t max_listed_rows = 20;

/// Resolves the agencies of request and total rows, once per mention, with agency
/// evidence for the first row of each mention, as the partnership path writes it.
class agency_links {
  public:
    agency_links(store::Database& db, std::int64_t source_id, const warn_fn& warn)
        : m_resolver(db), m_source_id(source_id), m_warn(warn),
          m_evidence(db, "INSERT INTO evidence (fact_type, fact_id, source_id, record_id, "
                         "locator, excerpt) VALUES ('agency', ?1, ?2, ?3, ?4, ?5)") {}

    /// The agency of r, or nullopt (with a warning the first time the mention is seen).
    std::optional<std::int64_t> resolve(const kind_row& r, std::int64_t record_id) {
        if (r.mention.name.empty()) {
            m_warn(r.locator, r.row.number, "agency", "no agency name; kept without an agency");
            return std::nullopt;
        }
        auto it = m_cache.find(r.mention_key);
        if (it != m_cache.end())
            return it->second;
        const auto res = m_resolver.resolve(r.mention);
        m_cache.emplace(r.mention_key, res.id);
        const auto named = "'" + r.mention.name + "'" +
                           (r.mention.state.empty() ? "" : " (" + r.mention.state + ")");
        if (!res.id) {
            m_warn(r.locator, r.row.number, "agency",
                   "unknown agency " + named + ": " + res.warning + "; kept without an agency");
            return std::nullopt;
        }
        if (res.created)
            m_warn(r.locator, r.row.number, "agency",
                   "unknown agency " + named +
                       ": no earlier source names it; added as a new agency");
        m_evidence.bind(1, *res.id).bind(2, m_source_id).bind(3, record_id);
        m_evidence.bind(4, r.locator).bind(5, r.mention.name).exec();
        m_touched.insert(*res.id);
        return res.id;
    }

    std::int64_t touched() const { return static_cast<std::int64_t>(m_touched.size()); }
    std::int64_t created() const { return m_resolver.created_count(); }

  private:
    resolve::AgencyResolver m_resolver;
    std::int64_t m_source_id;
    const warn_fn& m_warn;
    store::Statement m_evidence;
    std::unordered_map<std::string, std::optional<std::int64_t>> m_cache;
    std::unordered_set<std::int64_t> m_touched;
};

template <typename T> void bind_opt(store::Statement& st, int i, const std::optional<T>& v) {
    if (v)
        st.bind(i, *v);
    else
        st.bind_null(i);
}

void bind_text(store::Statement& st, int i, const std::string& v) {
    if (v.empty())
        st.bind_null(i);
    else
        st.bind(i, v);
}

class kind_writer {
  public:
    kind_writer(store::Database& db, ingest_result& res, const warn_fn& warn)
        : m_db(db), m_res(res), m_agencies(db, res.source_id, warn),
          m_record(db, "INSERT INTO records (source_id, row_no, locator, data, geometry) "
                       "VALUES (?1, ?2, ?3, ?4, ?5)"),
          m_request(db, "INSERT INTO video_requests (agency_id, requested_at, case_number, "
                        "title, center_lat, center_lon, radius_m, area_wkt, window_start, "
                        "window_end, users_notified, videos_received, source_id, record_id, "
                        "agency_raw, address, requested_raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                        "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"),
          m_evidence(db, "INSERT INTO evidence (fact_type, fact_id, source_id, record_id, "
                         "locator, excerpt) VALUES ('video_request', ?1, ?2, ?3, ?4, ?5)"),
          m_total(db, "INSERT INTO request_totals (agency_id, as_of, total, source_id, "
                      "record_id, raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
          m_camera(db,
                   "INSERT INTO cameras (lat, lon, kind, operator, direction, field_of_view, "
                   "name, source_id, record_id, surveillance_type, zone, direction_raw, ref, "
                   "angle) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)") {}

    std::int64_t record(const kind_row& r) {
        m_record.bind(1, m_res.source_id).bind(2, r.row.number).bind_static(3, r.locator);
        m_record.bind_static(4, r.json).bind(5, r.row.wkt).exec();
        return m_db.last_insert_id();
    }

    void request(const kind_row& r, std::int64_t record_id) {
        const auto agency = m_agencies.resolve(r, record_id);
        auto& st = m_request;
        bind_opt(st, 1, agency);
        bind_opt(st, 2, r.requested_at);
        bind_text(st, 3, r.case_number);
        bind_text(st, 4, r.title);
        bind_opt(st, 5, r.lat);
        bind_opt(st, 6, r.lon);
        bind_opt(st, 7, r.radius_m);
        bind_opt(st, 8, r.area_wkt);
        bind_opt(st, 9, r.window_start);
        bind_opt(st, 10, r.window_end);
        bind_opt(st, 11, r.users_notified);
        bind_opt(st, 12, r.videos_received);
        st.bind(13, m_res.source_id).bind(14, record_id);
        bind_text(st, 15, r.mention.name);
        bind_text(st, 16, r.address);
        bind_text(st, 17, r.requested_raw);
        st.exec();
        const auto id = m_db.last_insert_id();
        m_evidence.bind(1, id).bind(2, m_res.source_id).bind(3, record_id);
        m_evidence.bind(4, r.locator).bind(5, r.excerpt).exec();
        ++m_res.requests;
        if (r.area_wkt)
            ++m_res.requests_with_area;
        else
            add_row(m_res.requests_without_area, r.row.number);
        if (!r.requested_at)
            add_row(m_res.requests_undated, r.row.number);
    }

    bool total(const kind_row& r, std::int64_t record_id) {
        const auto agency = m_agencies.resolve(r, record_id);
        if (!agency)
            return false;
        m_total.bind(1, *agency).bind(2, r.as_of).bind(3, *r.total).bind(4, m_res.source_id);
        m_total.bind(5, record_id).bind(6, r.total_raw).exec();
        ++m_res.totals;
        return true;
    }

    void camera(const kind_row& r, std::int64_t record_id) {
        auto& st = m_camera;
        st.bind(1, *r.lat).bind(2, *r.lon);
        bind_text(st, 3, r.kind);
        bind_text(st, 4, r.camera_operator);
        bind_opt(st, 5, r.direction);
        bind_opt(st, 6, r.field_of_view);
        bind_text(st, 7, r.name);
        st.bind(8, m_res.source_id).bind(9, record_id);
        bind_text(st, 10, r.surveillance_type);
        bind_text(st, 11, r.zone);
        bind_text(st, 12, r.direction_raw);
        bind_text(st, 13, r.ref);
        bind_opt(st, 14, r.angle);
        st.exec();
        ++m_res.cameras;
        m_res.cameras_with_direction += r.direction.has_value();
    }

    void finish() {
        m_res.agencies = m_agencies.touched();
        m_res.agencies_new = m_agencies.created();
    }

  private:
    store::Database& m_db;
    ingest_result& m_res;
    agency_links m_agencies;
    store::Statement m_record, m_request, m_evidence, m_total, m_camera;
};

} // namespace

void add_row(row_list& list, std::int64_t row_no) {
    ++list.count;
    if (list.rows.size() < max_listed_rows)
        list.rows.push_back(row_no);
}

void write_kind_rows(store::Database& db, ingest_result& res, const Profile& profile,
                     TableReader& table, const KindInterpreter& interpreter, const warn_fn& warn,
                     const std::function<void(std::int64_t)>& progress) {
    kind_writer writer(db, res, warn);
    // the file is read and interpreted on a second thread, as for partnerships
    util::Pipeline<kind_row> rows([&](kind_row& r) {
        if (!table.next(r.row))
            return false;
        interpreter.interpret(r);
        return true;
    });
    kind_row r;
    while (rows.next(r)) {
        ++res.rows;
        if (progress && res.rows % 10000 == 0)
            progress(res.rows);
        const auto record_id = writer.record(r);
        for (const auto& w : r.warnings)
            warn(r.locator, r.row.number, w.field, w.message);
        if (!r.skip.empty()) {
            add_row(res.skipped[r.skip], r.row.number);
            continue;
        }
        switch (profile.kind) {
        case profile_kind::requests:
            writer.request(r, record_id);
            break;
        case profile_kind::request_totals:
            if (!writer.total(r, record_id))
                add_row(res.skipped["unknown agency"], r.row.number);
            break;
        case profile_kind::cameras:
            writer.camera(r, record_id);
            break;
        case profile_kind::partnerships:
            break;
        }
    }
    writer.finish();
}

} // namespace porchlight::ingest::detail
