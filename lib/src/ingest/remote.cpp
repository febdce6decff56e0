#include <porchlight/error.hpp>
#include <porchlight/ingest/document_ingester.hpp>
#include <porchlight/ingest/ingester.hpp>
#include <porchlight/ingest/remote.hpp>
#include <porchlight/util/text.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <random>
#include <set>

namespace fs = std::filesystem;

namespace porchlight::ingest {

namespace {

/// The extension a Content-Type implies, for a URL whose last segment has none.
std::string extension_for(std::string_view content_type) {
    auto t = util::to_lower_ascii(content_type.substr(0, content_type.find(';')));
    t = util::trim(t);
    static const std::pair<std::string_view, std::string_view> known[] = {
        {"text/csv", ".csv"},
        {"text/tab-separated-values", ".tsv"},
        {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"},
        {"application/vnd.oasis.opendocument.spreadsheet", ".ods"},
        {"application/geo+json", ".geojson"},
        {"application/vnd.geo+json", ".geojson"},
        {"application/json", ".json"},
        {"application/geopackage+sqlite3", ".gpkg"},
        {"application/vnd.google-earth.kml+xml", ".kml"},
        {"application/vnd.google-earth.kmz", ".kmz"},
        {"application/pdf", ".pdf"},
        {"application/zip", ".zip"},
        {"message/rfc822", ".eml"},
        {"application/mbox", ".mbox"},
        {"application/vnd.ms-outlook", ".msg"},
        {"text/html", ".html"},
        {"text/plain", ".txt"},
    };
    for (const auto& [type, ext] : known)
        if (t == type)
            return std::string(ext);
    return {};
}

/// The last path segment of a URL, percent-escapes left as they are, made safe as a file
/// name; "download" when there is none.
std::string name_from_url(const std::string& url) {
    auto u = url.substr(0, url.find_first_of("?#"));
    const auto scheme = u.find("://");
    const auto path = u.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    std::string last = path == std::string::npos ? "" : u.substr(u.rfind('/') + 1);
    std::string safe;
    for (const char c : last)
        safe += (c == '/' || c == '\\' || c == ':' || static_cast<unsigned char>(c) < 32) ? '_' : c;
    if (safe.empty() || safe == "." || safe == "..")
        return "download";
    return safe;
}

} // namespace

void record_web_provenance(store::Database& db, std::int64_t source_id, const web_provenance& web) {
    store::Statement st(db, "UPDATE sources SET origin = ?2, file_name = ?3, retrieved_at = ?4, "
                            "http_status = ?5, final_url = ?6, etag = ?7, last_modified = ?8, "
                            "content_type = ?9 WHERE id = ?1");
    auto opt = [](const std::string& s) -> std::optional<std::string> {
        if (s.empty())
            return std::nullopt;
        return s;
    };
    st.bind(1, source_id).bind(2, web.url).bind(3, web.file_name).bind(4, web.retrieved_at);
    st.bind(5, static_cast<std::int64_t>(web.http_status)).bind(6, opt(web.final_url));
    st.bind(7, opt(web.etag)).bind(8, opt(web.last_modified)).bind(9, opt(web.content_type));
    st.exec();
}

void record_observation(store::Database& db, std::int64_t source_id, const std::string& observed_at,
                        const std::string& how) {
    store::Transaction tx(db);
    {
        store::Statement st(db, "INSERT INTO source_observations (source_id, observed_at, how) "
                                "VALUES (?1, ?2, ?3)");
        st.bind(1, source_id).bind(2, observed_at).bind(3, how).exec();
    }
    {
        // the list still named these partnerships on that day
        store::Statement st(db,
                            "UPDATE partnerships SET last_seen = substr(?2, 1, 10) WHERE id IN "
                            "(SELECT fact_id FROM evidence WHERE fact_type = 'partnership' AND "
                            "source_id = ?1) AND (last_seen IS NULL OR last_seen < substr(?2, 1, 10))");
        st.bind(1, source_id).bind(2, observed_at).exec();
    }
    tx.commit();
}

remote_file fetch_for_ingest(store::Database& db, const std::string& url, const fs::path& dir,
                             net::fetch_options options) {
    remote_file r;
    {
        // the latest source fetched from this URL: ask only for what changed since
        store::Statement st(db, "SELECT id, etag, last_modified FROM sources WHERE origin = ?1 "
                                "AND http_status IS NOT NULL ORDER BY retrieved_at DESC, id DESC "
                                "LIMIT 1");
        st.bind(1, url);
        if (st.step()) {
            r.previous = st.get_int(0);
            if (!options.if_none_match)
                options.if_none_match = st.get_optional_text(1);
            if (!options.if_modified_since)
                options.if_modified_since = st.get_optional_text(2);
        }
    }
    const auto tmp = dir / "download.part-target";
    r.http = net::fetch_to_file(url, tmp, options);
    r.web.url = url;
    r.web.final_url = r.http.final_url;
    r.web.http_status = r.http.status;
    r.web.etag = r.http.etag;
    r.web.last_modified = r.http.last_modified;
    r.web.content_type = r.http.content_type;
    r.web.retrieved_at = r.http.retrieved_at;
    auto name = name_from_url(r.http.final_url.empty() ? url : r.http.final_url);
    if (fs::path(name).extension().empty())
        name += extension_for(r.http.content_type);
    r.web.file_name = name;
    if (r.http.not_modified)
        return r;
    r.file = dir / name;
    fs::rename(tmp, r.file);
    return r;
}

namespace {

/// A fresh folder under the system's temp folder, removed with what is in it.
class scratch_dir {
public:
    scratch_dir() {
        std::random_device rd;
        for (int i = 0; i < 100; ++i) {
            auto p = fs::temp_directory_path() / ("porchlight-fetch-" + std::to_string(rd()));
            std::error_code ec;
            if (fs::create_directory(p, ec)) {
                m_path = p;
                return;
            }
        }
        throw error("cannot create a scratch folder in " + fs::temp_directory_path().string());
    }
    ~scratch_dir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

} // namespace

url_ingest_result ingest_url(store::Store& store, const fs::path& data_dir, const std::string& url,
                             const ingest_options& records, const document_options& documents,
                             bool force_documents, const net::fetch_options& fetch,
                             const fs::path& keep_copy) {
    url_ingest_result r;
    scratch_dir dir;
    r.remote = fetch_for_ingest(store.db(), url, dir.path(), fetch);
    if (r.remote.http.not_modified) {
        if (!r.remote.previous)
            throw error("the server answered 304 Not Modified to a request that was not "
                        "conditional (" + url + ")");
        r.observed_source = r.remote.previous;
        r.how = "http-304";
        if (!records.dry_run)
            record_observation(store.db(), *r.observed_source, r.remote.http.retrieved_at, r.how);
        r.source_id = *r.observed_source;
        return r;
    }
    if (!keep_copy.empty()) {
        std::error_code ec;
        fs::copy_file(r.remote.file, keep_copy, fs::copy_options::overwrite_existing, ec);
        if (ec)
            throw error("cannot write " + keep_copy.string() + ": " + ec.message());
    }
    r.documents = force_documents || is_document_path(r.remote.file, records.profile.has_value());
    bool already = false;
    if (r.documents) {
        auto opts = documents;
        opts.web = r.remote.web;
        r.release = std::make_shared<document_result>(
            DocumentIngester(store, data_dir).ingest(r.remote.file, opts));
        r.source_id = r.release->source_id;
        already = r.release->already_ingested;
    } else {
        auto opts = records;
        opts.web = r.remote.web;
        r.records = std::make_shared<ingest_result>(Ingester(store, data_dir).ingest_file(r.remote.file, opts));
        r.source_id = r.records->source_id;
        already = r.records->already_ingested;
    }
    if (already) {
        r.observed_source = r.source_id;
        r.how = "http-200-same-bytes";
        if (!records.dry_run)
            record_observation(store.db(), r.source_id, r.remote.http.retrieved_at, r.how);
    }
    return r;
}

std::vector<registry_entry> load_registry(const fs::path& file) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(file.string());
    } catch (const YAML::Exception& e) {
        throw error("cannot read the source registry " + file.string() + ": " + e.what());
    }
    const auto list = root["sources"];
    if (!list || !list.IsSequence())
        throw error("the source registry " + file.string() + " has no list 'sources'");
    static const std::set<std::string> keys = {"name", "title", "url", "profile", "licence", "note"};
    std::vector<registry_entry> out;
    std::set<std::string> names;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto n = list[i];
        const auto where = file.string() + ": entry " + std::to_string(i + 1);
        if (!n.IsMap())
            throw error(where + " is not a mapping");
        for (const auto& kv : n) {
            const auto key = kv.first.as<std::string>();
            if (!keys.count(key))
                throw error(where + ": unknown key '" + key + "'");
        }
        auto get = [&](const char* key) { return n[key] ? n[key].as<std::string>() : std::string(); };
        registry_entry e{get("name"), get("title"), get("url"), get("profile"), get("licence"),
                         get("note")};
        if (e.name.empty() || e.url.empty())
            throw error(where + ": 'name' and 'url' are required");
        if (!net::is_url(e.url))
            throw error(where + " (" + e.name + "): url is not http(s): " + e.url);
        if (!names.insert(e.name).second)
            throw error(where + ": the name '" + e.name + "' is given twice");
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace porchlight::ingest
