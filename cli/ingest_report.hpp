#pragma once

// What `ingest` and `fetch` print about each source they read.

#include <porchlight/ingest/document_ingester.hpp>
#include <porchlight/ingest/ingester.hpp>
#include <porchlight/ingest/remote.hpp>

#include <string>

namespace porchlight::cli {

struct report_style {
    bool quiet = false;
    bool verbose = false;
    bool dry_run = false;
    std::string name; ///< printed instead of the file's path (the URL it came from)
};

void print_report(const ingest::ingest_result& r, const report_style& style);
void print_report(const ingest::document_result& r, const report_style& style);
void print_report(const ingest::url_ingest_result& r, const report_style& style);

} // namespace porchlight::cli
