#include "ingest_report.hpp"

#include <iostream>

namespace porchlight::cli {

namespace {

/// The name to print for an ingested path: the URL it was fetched from, when it was.
std::string display(const std::filesystem::path& p, const report_style& style) {
    return style.name.empty() ? p.string() : style.name;
}

/// What a requests, request-totals or cameras source added, and the rows it skipped.
void print_kind_counts(const ingest::ingest_result& r) {
    std::cout << "  rows " << r.rows << ", ";
    if (r.kind == "requests")
        std::cout << "video requests " << r.requests << " (with area " << r.requests_with_area
                  << ", without area " << r.requests_without_area.count << ", undated "
                  << r.requests_undated.count << ")";
    else if (r.kind == "request-totals")
        std::cout << "request totals " << r.totals << " (dated observations, not requests)";
    else
        std::cout << "cameras " << r.cameras << " (with direction " << r.cameras_with_direction
                  << ")";
    if (r.kind != "cameras")
        std::cout << ", agencies " << r.agencies << " (" << r.agencies_new << " new)";
    std::cout << ", skipped " << r.skipped_count() << ", warnings " << r.warning_count << '\n';
    for (const auto& [reason, l] : r.skipped)
        std::cout << "  skipped, " << reason << ": " << l.count << " (" << ingest::to_string(l) << ")\n";
    if (r.requests_without_area.count > 0)
        std::cout << "  requests without area: " << r.requests_without_area.count << " ("
                  << ingest::to_string(r.requests_without_area) << ")\n";
    if (r.requests_undated.count > 0)
        std::cout << "  requests without date: " << r.requests_undated.count << " ("
                  << ingest::to_string(r.requests_undated) << ")\n";
}

} // namespace

void print_report(const ingest::document_result& r, const report_style& style) {
    const auto short_sha = r.sha256.substr(0, 12);
    if (r.already_ingested) {
        if (!style.quiet)
            std::cout << display(r.input, style) << ": already ingested (sha256 " << short_sha
                      << "…) as source " << r.source_id << "; nothing changed\n";
        return;
    }
    if (style.quiet)
        return;
    std::cout << display(r.input, style) << ": "
              << (r.dry_run ? "dry run, nothing written"
                            : "ingested as source " + std::to_string(r.source_id))
              << " (sha256 " << short_sha << "…, "
              << (r.format == "folder" ? "folder of " + std::to_string(r.files) + " file(s)"
                                       : r.format)
              << ")\n"
              << "  documents " << r.documents << ", pages " << r.pages << " ("
              << r.needs_ocr << " need OCR), e-mails " << r.messages << " ("
              << r.messages_new << " new), personal data " << r.personal_data
              << ", failed " << r.failures.size() << ", warnings " << r.warning_count << '\n';
    if (r.messages > 0) {
        std::cout << "  e-mail classes:";
        bool first = true;
        for (const auto& [cls, n] : r.classes) {
            std::cout << (first ? " " : ", ") << (cls.empty() ? "unclassified" : cls) << " "
                      << n;
            first = false;
        }
        std::cout << '\n';
    }
    for (const auto& f : r.failures)
        std::cerr << "porchlight ingest: could not read " << f.path << ": " << f.reason
                  << " (" << display(r.input, style) << ")\n";
    if (r.messages_without_zone > 0)
        std::cerr << "porchlight ingest: " << r.messages_without_zone
                  << " e-mail time(s) were printed without a time zone and are kept as local "
                     "times; give --timezone ZONE (e.g. America/Los_Angeles) to have them "
                     "in UTC\n";
    const std::size_t show =
        style.verbose ? r.warnings.size() : std::min<std::size_t>(10, r.warnings.size());
    for (std::size_t i = 0; i < show; ++i)
        std::cerr << "porchlight ingest: warning: " << r.warnings[i] << " ("
                  << display(r.input, style) << ")\n";
    if (static_cast<std::int64_t>(show) < r.warning_count)
        std::cerr << "porchlight ingest: "
                  << (r.warning_count - static_cast<std::int64_t>(show))
                  << " more warning(s); "
                  << (r.dry_run ? std::string("use -v to see them all")
                                : "see `porchlight warnings --source " +
                                      std::to_string(r.source_id) + "` or use -v")
                  << '\n';
}

void print_report(const ingest::ingest_result& r, const report_style& style) {
    const auto short_sha = r.sha256.substr(0, 12);
    if (r.already_ingested) {
        if (!style.quiet) {
            std::cout << display(r.file, style) << ": already ingested (sha256 " << short_sha
                      << "…) as source " << r.source_id << "; nothing changed\n";
            if (r.profile_not_applied)
                std::cerr << "porchlight ingest: " << display(r.file, style) << " was read with profile "
                          << r.profile << "; profile " << *r.profile_not_applied
                          << " was not applied to the same bytes\n";
        }
        return;
    }
    if (!style.quiet) {
        std::cout << display(r.file, style) << ": "
                  << (r.dry_run ? "dry run, nothing written" : "ingested as source " +
                                                                 std::to_string(r.source_id))
                  << " (sha256 " << short_sha << "…, " << r.format << ", profile " << r.profile
                  << ": " << r.profile_reason << ")\n";
    }
    if (!style.quiet && r.kind != "partnerships") {
        print_kind_counts(r);
    } else if (!style.quiet) {
        std::cout << "  rows " << r.rows << ", agencies " << r.agencies << " (" << r.agencies_new
                  << " new), partnerships " << r.partnerships << " (" << r.partnerships_new
                  << " new), undated " << r.undated << ", unresolved " << r.unresolved
                  << ", conflicts " << r.conflicts << " (" << r.conflicts_new << " new)"
                  << (r.totals ? ", request totals " + std::to_string(r.totals) : std::string())
                  << ", warnings " << r.warning_count << '\n';
    }
    const std::size_t show = style.verbose ? r.warnings.size() : std::min<std::size_t>(10, r.warnings.size());
    if (style.quiet)
        return;
    for (std::size_t i = 0; i < show; ++i) {
        const auto& w = r.warnings[i];
        std::cerr << "porchlight ingest: warning: " << w.message << " (" << display(r.file, style)
                  << ":" << w.locator << (w.field.empty() ? "" : ", " + w.field) << ")\n";
    }
    if (static_cast<std::int64_t>(show) < r.warning_count && r.dry_run)
        std::cerr << "porchlight ingest: " << (r.warning_count - static_cast<std::int64_t>(show))
                  << " more warning(s); use -v to see them all\n";
    else if (static_cast<std::int64_t>(show) < r.warning_count)
        std::cerr << "porchlight ingest: " << (r.warning_count - static_cast<std::int64_t>(show))
                  << " more warning(s); see `porchlight warnings --source " << r.source_id
                  << "` or use -v\n";
}

void print_report(const ingest::url_ingest_result& r, const report_style& style) {
    const auto& h = r.remote.http;
    const auto& url = r.remote.web.url;
    if (r.observed_source) {
        if (!style.quiet)
            std::cout << url << ": "
                      << (r.how == "http-304" ? "not modified (HTTP 304)"
                                              : "the same bytes as before (HTTP " +
                                                    std::to_string(h.status) + ")")
                      << " since source " << *r.observed_source
                      << (style.dry_run ? "; dry run, nothing recorded\n"
                                        : "; recorded that it was still the same on " +
                                              h.retrieved_at + "\n");
        return;
    }
    auto named = style;
    named.name = url;
    if (r.records)
        print_report(*r.records, named);
    if (r.release)
        print_report(*r.release, named);
    if (!style.quiet)
        std::cout << "  fetched " << h.final_url << " (HTTP " << h.status << ", " << h.size
                  << " bytes" << (h.content_type.empty() ? "" : ", " + h.content_type)
                  << (h.etag.empty() ? "" : ", ETag " + h.etag)
                  << (h.attempts > 1 ? ", " + std::to_string(h.attempts) + " attempts" : "")
                  << (h.resumed ? ", resumed" : "") << ")\n";
}

} // namespace porchlight::cli
