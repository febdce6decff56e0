#pragma once

#include <porchlight/report/table.hpp>
#include <porchlight/store/database.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace porchlight::report {

/// A source named by id, title, file name or a sha256 prefix (6+ hex digits); throws
/// not_found_error naming what it could not find.
std::int64_t find_source(store::Database& db, const std::string& name);

struct document_filter {
    std::optional<std::int64_t> source;
    std::optional<std::string> kind; ///< pdf, email, msg ...
    bool failed_only = false;
};
/// Every document: source, path inside it, kind, pages (and how many need OCR), e-mails
/// found, personal-data spans, status and the reason it failed.
table documents(store::Database& db, const document_filter& f);

struct message_filter {
    std::optional<std::string> since;   ///< YYYY-MM-DD, on the UTC (or printed local) date
    std::optional<std::string> until;   ///< YYYY-MM-DD, inclusive
    std::optional<std::string> from;    ///< substring of the sender, any case
    std::optional<std::string> subject; ///< substring of the subject, any case
    std::optional<std::string> cls;     ///< class id; "none" for unclassified
    std::optional<std::int64_t> source;
    bool redact = false; ///< mask e-mail addresses and phone numbers
};
/// One row per e-mail, oldest first.
table messages(store::Database& db, const message_filter& f);

struct search_options {
    std::string query; ///< FTS5: words, "phrases", AND/OR/NOT, prefix*, NEAR(...)
    std::optional<std::int64_t> source;
    std::optional<std::string> since; ///< YYYY-MM-DD, on the page's date
    std::optional<std::string> until;
    bool redact = false; ///< mask personal data in the snippets
    int limit = 50;      ///< 0: no limit
};
/// Pages that match, best first (bm25), each with a snippet (matches «marked») and its
/// citation: source, document, page, and the e-mail the page belongs to. Throws
/// porchlight::error on a query FTS5 cannot read.
table search(store::Database& db, const search_options& o);

/// Cuts a window of about `width` bytes around the first match of text highlighted with
/// \x02...\x03 markers, folds whitespace, turns the markers into « », and (when spans are
/// given, as byte offsets into the unmarked text) masks personal data.
std::string make_snippet(std::string_view highlighted,
                         const std::vector<std::tuple<std::size_t, std::size_t, std::string>>& spans,
                         std::size_t width = 200);

} // namespace porchlight::report
