#pragma once

// Sources fetched from the web: where the bytes came from (kept on the source), the
// conditional re-fetch of a URL ingested before, observations that a source was still the
// same on a later day, and the registry of known public sources (data/sources.yaml).

#include <porchlight/net/http.hpp>
#include <porchlight/store/store.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace porchlight::ingest {

/// What the web said about a source's bytes.
struct web_provenance {
    std::string url;          ///< as asked: the source's origin
    std::string final_url;    ///< after redirects
    long http_status = 0;
    std::string etag;
    std::string last_modified;
    std::string content_type;
    std::string retrieved_at; ///< UTC
    std::string file_name;    ///< the name the URL gives the file
};

/// Sets a new source's origin, file name, retrieval time and HTTP columns from web.
void record_web_provenance(store::Database& db, std::int64_t source_id, const web_provenance& web);

/// Adds an observation that source_id's bytes were still the same at observed_at (how:
/// "http-304" or "http-200-same-bytes"), and widens last_seen of every partnership the
/// source names to that day: the list still said so then.
void record_observation(store::Database& db, std::int64_t source_id,
                        const std::string& observed_at, const std::string& how);

/// A URL fetched for ingest.
struct remote_file {
    net::fetch_result http;
    std::filesystem::path file;            ///< the bytes, named for their format
    std::optional<std::int64_t> previous;  ///< the latest source fetched from this URL
    web_provenance web;
};

/// Fetches url into dir, conditionally (If-None-Match / If-Modified-Since) when a source
/// was fetched from it before. The file is named after the URL's last path segment, with an
/// extension from the Content-Type when it has none (so the ingesters can tell its format).
remote_file fetch_for_ingest(store::Database& db, const std::string& url,
                             const std::filesystem::path& dir, net::fetch_options options);

struct ingest_result;
struct document_result;
struct ingest_options;
struct document_options;

/// What `ingest URL` did: fetched (or found not modified), then ingested as records or
/// documents, or recorded that an earlier source was still the same.
struct url_ingest_result {
    remote_file remote;
    std::optional<std::int64_t> observed_source; ///< still the same as this source ...
    std::string how;                             ///< ... by "http-304" or "http-200-same-bytes"
    bool documents = false;                      ///< read as documents (else records)
    std::int64_t source_id = 0;
    std::shared_ptr<ingest_result> records;      ///< set when read as records
    std::shared_ptr<document_result> release;    ///< set when read as documents
};

/// Fetches url (conditionally, see fetch_for_ingest) into a scratch folder and ingests it
/// like a file (records or documents, by its name, or documents when force_documents),
/// with its web provenance on the source. Not modified (304), or the same bytes as a
/// source already in the store: an observation of that source, nothing else. keep_copy,
/// when not empty, receives a copy of the bytes.
url_ingest_result ingest_url(store::Store& store, const std::filesystem::path& data_dir,
                             const std::string& url, const ingest_options& records,
                             const document_options& documents, bool force_documents,
                             const net::fetch_options& fetch,
                             const std::filesystem::path& keep_copy = {});

/// One known public source.
struct registry_entry {
    std::string name;    ///< what `porchlight fetch NAME` takes
    std::string title;
    std::string url;
    std::string profile; ///< profile to read it with; "" for documents
    std::string licence;
    std::string note;
};

/// Reads a registry file (data/sources.yaml); throws error naming the file and the entry.
std::vector<registry_entry> load_registry(const std::filesystem::path& file);

} // namespace porchlight::ingest
