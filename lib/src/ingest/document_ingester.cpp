#include "detail/document_tree.hpp"
#include "detail/document_writer.hpp"

#include <porchlight/config.hpp>
#include <porchlight/docs/personal_data.hpp>
#include <porchlight/error.hpp>
#include <porchlight/ingest/document_ingester.hpp>
#include <porchlight/ingest/table_reader.hpp>
#include <porchlight/util/date.hpp>
#include <porchlight/util/sha256.hpp>
#include <porchlight/util/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <deque>
#include <fstream>
#include <future>

namespace fs = std::filesystem;

namespace porchlight::ingest {

namespace {

constexpr std::size_t max_kept_warnings = 1000;

/// Files that are not part of a release: operating-system litter.
bool is_litter(const fs::path& p) {
    const auto name = p.filename().string();
    return name == ".DS_Store" || name == "Thumbs.db" || name == "desktop.ini" ||
           name.starts_with("._") || name.starts_with("~$");
}

std::string read_all(const fs::path& file, std::uint64_t max_bytes) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec)
        throw parse_error("cannot read: " + ec.message(), file.string());
    if (size > max_bytes)
        throw parse_error("larger than the limit of " + std::to_string(max_bytes) + " bytes",
                          file.string());
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw parse_error("cannot open for reading", file.string());
    std::string bytes(static_cast<std::size_t>(size), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    if (static_cast<std::uint64_t>(in.gcount()) != size)
        throw parse_error("cannot read (the file changed while it was read)", file.string());
    return bytes;
}

/// One file of a release: its path inside the release and its bytes' hash.
struct release_file {
    std::string path; ///< relative to the release folder, '/'-separated; the name for one file
    fs::path file;
    std::string sha256;
    std::int64_t size = 0;
};

/// The files of a folder, in path order, with a warning for each one left out.
std::vector<release_file> list_folder(const fs::path& dir, std::vector<std::string>& skipped) {
    std::vector<release_file> files;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec),
        end;
    if (ec)
        throw parse_error("cannot list the folder: " + ec.message(), dir.string());
    for (; it != end; it.increment(ec)) {
        if (ec)
            throw parse_error("cannot list the folder: " + ec.message(), dir.string());
        const auto& entry = *it;
        const auto rel = entry.path().lexically_relative(dir).generic_string();
        if (entry.is_symlink(ec)) {
            // a link may lead out of the release: it is not followed
            skipped.push_back(rel + ": a symbolic link, not followed");
            if (entry.is_directory(ec))
                it.disable_recursion_pending();
            continue;
        }
        if (entry.is_directory(ec)) {
            if (entry.path().filename().string().starts_with(".") ||
                entry.path().filename() == "__MACOSX")
                it.disable_recursion_pending();
            continue;
        }
        if (!entry.is_regular_file(ec)) {
            skipped.push_back(rel + ": not a regular file");
            continue;
        }
        if (is_litter(entry.path()) || entry.path().filename().string().starts_with("."))
            continue;
        files.push_back({rel, entry.path(), {}, 0});
    }
    std::sort(files.begin(), files.end(),
              [](const release_file& a, const release_file& b) { return a.path < b.path; });
    return files;
}

/// A folder's identity: the hash of its manifest (every file's path, size and hash), so
/// the same release read again is recognised, and a changed file makes a new source.
std::string manifest_of(const std::vector<release_file>& files) {
    nlohmann::ordered_json m;
    m["porchlight_release_manifest"] = 1;
    auto& arr = m["files"] = nlohmann::ordered_json::array();
    for (const auto& f : files)
        arr.push_back({{"path", f.path}, {"size", f.size}, {"sha256", f.sha256}});
    return m.dump(1) + "\n";
}

/// Blobs added by one source; removed again unless the source commits.
class blob_batch {
public:
    explicit blob_batch(store::BlobStore& blobs) : m_blobs(blobs) {}
    ~blob_batch() {
        if (m_committed)
            return;
        for (const auto& sha : m_added) {
            std::error_code ec;
            fs::remove(m_blobs.path_of(sha), ec);
            fs::remove(m_blobs.path_of(sha).parent_path(), ec); // only when empty
        }
    }
    void put(std::string_view bytes, const std::string& sha) {
        if (m_blobs.contains(sha))
            return;
        m_blobs.put_bytes(bytes, sha);
        m_added.push_back(sha);
    }
    void committed() { m_committed = true; }

private:
    store::BlobStore& m_blobs;
    std::vector<std::string> m_added;
    bool m_committed = false;
};

/// Drops the trigger that indexes each new page and indexes the pages added since in one
/// statement at finish(), then makes the trigger again as the schema has it.
class deferred_fts {
public:
    explicit deferred_fts(store::Database& db)
        : m_db(db), m_last_page(db.scalar_int("SELECT ifnull(max(id), 0) FROM pages")),
          m_trigger(db.scalar_text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND "
                                   "name = 'pages_ai'")) {
        if (m_trigger)
            m_db.exec("DROP TRIGGER pages_ai");
    }
    void finish() {
        if (!m_trigger)
            return;
        m_db.exec("INSERT INTO pages_fts(rowid, text) SELECT id, text FROM pages WHERE id > " +
                  std::to_string(m_last_page) + " ORDER BY id");
        m_db.exec(*m_trigger);
    }

private:
    store::Database& m_db;
    std::int64_t m_last_page;
    std::optional<std::string> m_trigger;
};

std::string format_of_single(const fs::path& file, std::string_view bytes) {
    const auto f = docs::detect_format(file.filename().string(), bytes);
    return f.empty() ? "unknown" : f;
}

} // namespace

bool is_document_path(const fs::path& path, bool profile_named) {
    std::error_code ec;
    if (fs::is_directory(path, ec))
        return true;
    if (!profile_named && util::to_lower_ascii(path.extension().string()) == ".txt")
        return true;
    return !table_format_of(path).has_value();
}

DocumentIngester::DocumentIngester(store::Store& store, fs::path data_dir)
    : m_store(store), m_data_dir(std::move(data_dir)) {}

document_result DocumentIngester::ingest(const fs::path& path, const document_options& options) {
    document_result res;
    res.input = path;
    res.dry_run = options.dry_run;
    const auto name = path.string();
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw parse_error("no such file or folder", name);
    const bool folder = fs::is_directory(path, ec);
    if (!folder && !fs::is_regular_file(path, ec))
        throw parse_error("not a regular file or folder", name);
    const auto released =
        options.release.released ? util::full_day(*options.release.released, "--released") : "";
    const auto as_of = options.as_of ? util::full_day(*options.as_of, "--as-of") : util::today_utc();

    // The release's files and its identity.
    std::vector<release_file> files;
    std::vector<std::string> skipped;
    std::string manifest;   // a folder's identity
    std::string single;     // a single file's bytes
    if (folder) {
        files = list_folder(path, skipped);
        if (files.empty())
            throw parse_error("the folder holds no files", name);
        for (auto& f : files) {
            f.size = static_cast<std::int64_t>(fs::file_size(f.file, ec));
            f.sha256 = util::sha256_file(f.file);
        }
        manifest = manifest_of(files);
        res.sha256 = util::sha256_hex(manifest);
        res.size = 0;
        for (const auto& f : files)
            res.size += f.size;
        res.format = "folder";
    } else {
        single = read_all(path, options.limits.max_document_bytes);
        if (single.empty())
            throw parse_error("file is empty", name);
        res.sha256 = util::sha256_hex(single);
        res.size = static_cast<std::int64_t>(single.size());
        files.push_back({path.filename().string(), path, res.sha256, res.size});
        res.format = format_of_single(path, single);
    }
    res.files = static_cast<std::int64_t>(files.size());

    auto& db = m_store.db();
    {
        store::Statement seen(db, "SELECT id FROM sources WHERE sha256 = ?1");
        seen.bind(1, res.sha256);
        if (seen.step()) {
            res.already_ingested = true;
            res.source_id = seen.get_int(0);
            return res;
        }
    }

    store::Transaction tx(db);
    blob_batch blobs(m_store.blobs());
    {
        store::Statement ins(
            db, "INSERT INTO sources (sha256, size, kind, format, file_name, origin, title, "
                "as_of, retrieved_at, ingested_at, porchlight_version, foia_request, requester, "
                "responding_agency, released) VALUES (?1, ?2, 'documents', ?3, ?4, ?5, ?6, ?7, "
                "?8, ?9, ?10, ?11, ?12, ?13, ?14)");
        const auto base = fs::absolute(path).lexically_normal();
        const auto file_name = (base.has_filename() ? base : base.parent_path()).filename().string();
        ins.bind(1, res.sha256).bind(2, res.size).bind(3, res.format).bind(4, file_name);
        ins.bind(5, base.string()).bind(6, options.release.title.value_or(file_name));
        ins.bind(7, as_of).bind(8, util::file_mtime_utc(path)).bind(9, util::now_utc());
        ins.bind(10, config::version).bind(11, options.release.foia_request);
        ins.bind(12, options.release.requester).bind(13, options.release.agency);
        if (released.empty())
            ins.bind_null(14);
        else
            ins.bind(14, released);
        ins.exec();
        res.source_id = db.last_insert_id();
    }
    if (options.web)
        record_web_provenance(db, res.source_id, *options.web);
    if (!options.dry_run && folder)
        blobs.put(manifest, res.sha256);

    // The full-text index is filled once at the end, from all the source's pages, instead
    // of by the per-row trigger (which flushes FTS5's buffer after every statement: a
    // quarter of the time of an mbox). Inside the transaction, so a failed source gets the
    // trigger back too.
    deferred_fts fts(db);
    detail::document_writer writer(db, res.source_id, m_data_dir, options.timezone, res);
    for (const auto& s : skipped)
        writer.warn(s.substr(0, s.find(':')), s.substr(s.find(':') + 2));

    // Parse file i+1 while file i is written: parsing is the slow part, and the parsers
    // touch nothing shared.
    std::deque<std::future<detail::document_tree>> ahead;
    std::size_t next = 0;
    auto launch = [&] {
        const auto i = next++;
        ahead.push_back(std::async(std::launch::async, [&files, &single, &options, folder, i] {
            const auto& f = files[i];
            if (!folder)
                return detail::parse_tree(f.path, single, options.limits);
            std::string bytes;
            try {
                bytes = read_all(f.file, options.limits.max_document_bytes);
            } catch (const parse_error& e) {
                return detail::failed_tree(f.path, e.message(), f.size, f.sha256);
            }
            auto tree = detail::parse_tree(f.path, bytes, options.limits);
            tree.bytes = std::move(bytes);
            return tree;
        }));
    };
    std::int64_t top_ok = 0;
    std::string first_failure, first_reason;
    while (next < files.size() && ahead.size() < 2)
        launch();
    while (!ahead.empty()) {
        auto tree = ahead.front().get();
        ahead.pop_front();
        if (next < files.size())
            launch();
        if (!tree.nodes.empty() && tree.nodes.front().error.empty())
            ++top_ok;
        else if (first_failure.empty() && !tree.nodes.empty()) {
            first_failure = tree.nodes.front().path + ": " + tree.nodes.front().error;
            first_reason = tree.nodes.front().error;
        }
        if (!options.dry_run && folder && !tree.bytes.empty())
            blobs.put(tree.bytes, tree.nodes.front().sha256);
        writer.write(tree);
        if (options.progress)
            options.progress(res.documents);
    }
    if (!options.dry_run && !folder)
        blobs.put(single, res.sha256);

    if (top_ok == 0)
        throw parse_error(files.size() == 1 ? first_reason
                                            : "no file of the release could be read; the first: " +
                                                  first_failure,
                          name);
    if (options.strict && !res.failures.empty())
        throw parse_error(std::to_string(res.failures.size()) +
                              " document(s) could not be read (--strict); the first: " +
                              res.failures.front().path + ": " + res.failures.front().reason,
                          name);
    writer.finish();
    fts.finish();
    db.exec("UPDATE sources SET row_count = " + std::to_string(res.documents) +
            ", warning_count = " + std::to_string(res.warning_count) +
            " WHERE id = " + std::to_string(res.source_id));
    if (options.dry_run)
        return res; // the transaction rolls back
    tx.commit();
    blobs.committed();
    return res;
}

} // namespace porchlight::ingest
