#pragma once

#include <porchlight/docs/document.hpp>
#include <porchlight/ingest/remote.hpp>
#include <porchlight/store/store.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace porchlight::ingest {

/// What a FOIA release says about itself; kept on its source.
struct release_metadata {
    std::optional<std::string> foia_request; ///< the request's id or tracking number
    std::optional<std::string> requester;
    std::optional<std::string> agency;       ///< the agency that responded
    std::optional<std::string> released;     ///< YYYY-MM-DD
    std::optional<std::string> title;
};

struct document_options {
    release_metadata release;
    /// IANA zone ("America/Los_Angeles") for e-mail dates printed without one; without it
    /// such messages keep their local time only (sent_local) and no UTC time.
    std::optional<std::string> timezone;
    std::optional<std::string> as_of; ///< date the release describes (default: today, UTC)
    bool dry_run = false;             ///< read and report, then roll back
    bool strict = false;              ///< any document that cannot be read fails the source
    std::optional<web_provenance> web; ///< set when the release was fetched from the web
    docs::limits limits;
    /// Called after each file of a folder or archive with the number of documents read.
    std::function<void(std::int64_t documents)> progress;
};

/// A document that could not be read: kept in the store with its reason.
struct document_failure {
    std::string path;
    std::string reason;
};

struct document_result {
    std::filesystem::path input;
    std::string sha256;
    std::int64_t size = 0;
    std::int64_t source_id = 0;
    bool already_ingested = false;
    bool dry_run = false;
    std::string format;               ///< folder, zip, pdf, email, msg, mbox, docx ...
    std::int64_t files = 0;           ///< files of a folder (1 for a single file)
    std::int64_t documents = 0;       ///< documents read, attachments and entries included
    std::int64_t pages = 0;
    std::int64_t needs_ocr = 0;       ///< pages without a text layer
    std::int64_t messages = 0;        ///< e-mails found
    std::int64_t messages_new = 0;    ///< of which not in the store before
    std::int64_t messages_without_zone = 0; ///< printed e-mails whose time has no zone
    std::int64_t personal_data = 0;   ///< spans of personal data found
    std::map<std::string, std::int64_t> classes; ///< e-mails per class ("" unclassified)
    std::vector<document_failure> failures;
    std::vector<std::string> warnings; ///< "path: message", the first 1000
    std::int64_t warning_count = 0;
};

/// Whether porchlight reads this path as documents (a folder, an archive, a PDF, an
/// e-mail ...) rather than as a table of records (.csv .tsv .xlsx .ods .geojson .gpkg .kml
/// ...). A .txt file is a document unless a profile is named for it (profile_named): in a
/// release it is far more often a memo than a delimited table.
bool is_document_path(const std::filesystem::path& path, bool profile_named = false);


/// Reads FOIA releases (one file, a folder read recursively, or a zip) into the store as
/// one source per release, one transaction per source: documents, pages (full-text
/// indexed), e-mails (one row per e-mail across releases, with evidence for each place it
/// was found), personal-data spans and e-mail classes.
class DocumentIngester {
public:
    DocumentIngester(store::Store& store, std::filesystem::path data_dir);
    document_result ingest(const std::filesystem::path& path, const document_options& options);

private:
    store::Store& m_store;
    std::filesystem::path m_data_dir;
};

} // namespace porchlight::ingest
