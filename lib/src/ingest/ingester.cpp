#include "detail/kind_rows.hpp"
#include "detail/partnership_writer.hpp"

#include <porchlight/config.hpp>
#include <porchlight/error.hpp>
#include <porchlight/ingest/ingester.hpp>
#include <porchlight/ingest/profile.hpp>
#include <porchlight/ingest/table_reader.hpp>
#include <porchlight/ingest/values.hpp>
#include <porchlight/util/date.hpp>
#include <porchlight/util/sha256.hpp>
#include <porchlight/util/text.hpp>

#include <future>
#include <stdexcept>

namespace fs = std::filesystem;

namespace porchlight::ingest {

namespace {

constexpr std::size_t max_kept_warnings = 1000;

/// After the last row: a file with no data rows is an error; the evidence index dropped
/// for a bulk load is made again before anything reads it.
void finish_rows(store::Database& db, const ingest_result& res, const std::string& name,
                 bool rebuild_index) {
    if (res.rows == 0)
        throw parse_error("no data rows: the file has a header and nothing else", name);
    if (rebuild_index) {
        db.exec("PRAGMA threads = 2"); // the index sort may use a helper thread
        db.exec("CREATE INDEX evidence_fact ON evidence(fact_id, fact_type)");
    }
}

/// "2 rows: no coordinates (rows 2, 5), 1 row: lat/lon swapped (row 4)".
std::string describe_skipped(const ingest_result& res) {
    std::string out;
    for (const auto& [reason, l] : res.skipped)
        out += (out.empty() ? "" : ", ") + std::to_string(l.count) +
               (l.count == 1 ? " row: " : " rows: ") + reason + " (" + to_string(l) + ")";
    return out.empty() ? "every row was skipped" : out;
}

/// The profile as this source reads it: --agency and --state become the values of rows
/// that give none.
Profile effective_profile(Profile p, const ingest_options& options) {
    if (options.agency)
        p.constants[field::agency] = *options.agency;
    if (options.state) {
        auto code = util::state_code(*options.state);
        if (!code)
            throw error("unknown state '" + *options.state + "' given as --state");
        p.constants[field::state] = *code;
    }
    return p;
}

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

std::string to_string(const row_list& l) {
    std::string out = l.rows.size() == 1 ? "row " : "rows ";
    for (std::size_t i = 0; i < l.rows.size(); ++i)
        out += (i ? ", " : "") + std::to_string(l.rows[i]);
    if (l.count > static_cast<std::int64_t>(l.rows.size()))
        out += ", ...";
    return out;
}

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
    auto format = table_format_of(file);
    if (!format)
        throw parse_error("cannot tell the format from the extension '" +
                              file.extension().string() +
                              "' (records: .csv .xlsx .ods .geojson .json .gpkg .kml .kmz)",
                          name);
    res.size = static_cast<std::int64_t>(fs::file_size(file, ec));
    if (res.size == 0)
        throw parse_error("file is empty", name);
    format = sniff_format(file, *format); // a .json file is GeoJSON or an array of objects
    res.format = std::string(to_string(*format));
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
    profile = effective_profile(std::move(profile), options);
    res.profile = profile.name;
    res.dataset = profile.dataset;
    res.kind = std::string(to_string(profile.kind));
    const auto cols = detail::map_columns(profile, columns, name);
    if ((profile.kind == profile_kind::requests || profile.kind == profile_kind::request_totals) &&
        !cols.index.count(field::agency) && !profile.constants.count(field::agency))
        throw parse_error("profile '" + profile.name + "' finds no agency column in the file and " +
                              "has no agency constant: name the agency whose " +
                              (profile.kind == profile_kind::requests ? "requests" : "totals") +
                              " these are with --agency NAME (and --state ST)",
                          name);
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

    if (profile.kind == profile_kind::partnerships) {
        detail::partnership_input in{db, m_data_dir, profile, cols, columns, *table,
                                     *format != table_format::csv, name, options.progress};
        detail::write_partnerships(in, res, detail::warn_fn(warn),
                                   [&] { finish_rows(db, res, name, rebuild_index); });
    } else {
        const auto boxes = StateBoxes::load(m_data_dir / "gazetteer");
        detail::KindInterpreter interpreter(profile, cols, columns,
                                            std::string(table->locator_word()),
                                            *format != table_format::csv, name, {res.as_of, &boxes});
        detail::write_kind_rows(db, res, profile, *table, interpreter, detail::warn_fn(warn),
                                options.progress);
        finish_rows(db, res, name, rebuild_index);
        if (res.requests + res.totals + res.cameras == 0)
            throw parse_error("no usable rows: " + describe_skipped(res) +
                                  "; nothing was written",
                              name);
    }
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
