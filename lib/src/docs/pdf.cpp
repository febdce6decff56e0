// PDF reading through poppler-cpp: the text of each page, the document information
// dictionary, and the e-mails printed into it (split_printed_emails).
//
// Metadata keys (document::metadata, in this order, each only when present): title,
// author, subject, keywords, creator, producer, created, modified (ISO 8601 UTC,
// "YYYY-MM-DDTHH:MM:SSZ"), pages, pdf_version ("1.7"), encrypted ("yes"/"no").

#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <climits>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace porchlight::docs {
namespace {

// poppler reports problems of damaged files through one process-wide callback. It is set
// once, to a function that keeps the messages of the parse running on the calling thread
// (poppler reports on the thread that does the work), so that nothing reaches stderr and a
// parse_error can say what poppler found.
class poppler_messages {
  public:
    static constexpr std::size_t max_kept = 20;

    poppler_messages() {
        static std::once_flag once;
        std::call_once(
            once, [] { poppler::set_debug_error_function(&poppler_messages::receive, nullptr); });
        m_previous = s_current;
        s_current = this;
    }
    ~poppler_messages() { s_current = m_previous; }
    poppler_messages(const poppler_messages&) = delete;
    poppler_messages& operator=(const poppler_messages&) = delete;

    const std::vector<std::string>& messages() const noexcept { return m_messages; }

    /// The last message, "" when none.
    std::string last() const { return m_messages.empty() ? std::string() : m_messages.back(); }

  private:
    static void receive(const std::string& message, void*) {
        poppler_messages* self = s_current;
        if (self == nullptr || self->m_messages.size() >= max_kept)
            return;
        self->m_messages.push_back(sanitize_utf8(message));
    }

    static thread_local poppler_messages* s_current;
    poppler_messages* m_previous = nullptr;
    std::vector<std::string> m_messages;
};

thread_local poppler_messages* poppler_messages::s_current = nullptr;

std::string utf8(const poppler::ustring& s) {
    const poppler::byte_array bytes = s.to_utf8();
    return sanitize_utf8(std::string_view(bytes.data(), bytes.size()));
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string trim(std::string_view s) {
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e && is_space(s[b]))
        ++b;
    while (e > b && is_space(s[e - 1]))
        --e;
    return std::string(s.substr(b, e - b));
}

bool blank(std::string_view s) {
    for (const char c : s)
        if (!is_space(c))
            return false;
    return true;
}

// Page text as poppler lays it out, tidied: form feeds dropped, "\r\n" as "\n", trailing
// white space cut from every line and blank lines cut from the end. Indentation stays: the
// physical layout puts text where it stands on the page.
std::string tidy_page_text(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    std::size_t pos = 0;
    while (pos <= raw.size()) {
        std::size_t end = raw.find('\n', pos);
        if (end == std::string_view::npos)
            end = raw.size();
        std::string_view line = raw.substr(pos, end - pos);
        std::size_t len = line.size();
        while (len > 0 && is_space(line[len - 1]))
            --len;
        for (std::size_t i = 0; i < len; ++i)
            if (line[i] != '\f')
                out.push_back(line[i]);
        out.push_back('\n');
        pos = end + 1;
    }
    while (!out.empty() && out.back() == '\n')
        out.pop_back();
    return out;
}

// poppler's date as ISO 8601 UTC; "" when absent or out of range.
std::string iso_utc(std::time_t t) {
    if (t == static_cast<std::time_t>(-1))
        return {};
    std::tm tm{};
    if (gmtime_r(&t, &tm) == nullptr)
        return {};
    const long year = static_cast<long>(tm.tm_year) + 1900;
    if (year < 1 || year > 9999)
        return {};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04ld-%02d-%02dT%02d:%02d:%02dZ", year, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

void read_metadata(const poppler::document& pdf, document& doc) {
    const auto add = [&doc](const char* key, std::string value) {
        if (!value.empty())
            doc.metadata.emplace_back(key, std::move(value));
    };
    const auto info = [&pdf](const char* key) { return trim(utf8(pdf.info_key(key))); };

    doc.title = info("Title");
    add("title", doc.title);
    add("author", info("Author"));
    add("subject", info("Subject"));
    add("keywords", info("Keywords"));
    add("creator", info("Creator"));
    add("producer", info("Producer"));
    add("created", iso_utc(pdf.info_date_t("CreationDate")));
    add("modified", iso_utc(pdf.info_date_t("ModDate")));
    add("pages", std::to_string(pdf.pages()));
    int major = 0;
    int minor = 0;
    pdf.get_pdf_version(&major, &minor);
    if (major > 0)
        add("pdf_version", std::to_string(major) + "." + std::to_string(minor));
    add("encrypted", pdf.is_encrypted() ? "yes" : "no");
}

std::string with_reason(std::string what, const poppler_messages& log) {
    const std::string reason = log.last();
    if (!reason.empty())
        what += " (poppler: " + reason + ")";
    return what;
}

} // namespace

document parse_pdf(std::string_view bytes, const limits& lim) {
    if (bytes.size() > lim.max_document_bytes)
        throw limit_error("PDF of " + std::to_string(bytes.size()) +
                          " bytes is larger than the limit of " +
                          std::to_string(lim.max_document_bytes) + " bytes");
    if (bytes.size() > static_cast<std::size_t>(INT_MAX))
        throw limit_error("PDF of " + std::to_string(bytes.size()) +
                          " bytes is too large for poppler");
    if (bytes.empty())
        throw parse_error("not a PDF: the file is empty");

    poppler_messages log;
    // poppler reads the bytes in place: `bytes` outlives `pdf`, which dies at the end of
    // this function.
    const std::unique_ptr<poppler::document> pdf(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (!pdf)
        throw parse_error(with_reason("not a readable PDF: damaged or not a PDF at all", log));
    if (pdf->is_locked())
        throw parse_error("PDF is encrypted and cannot be read without its password");

    const int page_count = pdf->pages();
    if (page_count <= 0)
        throw parse_error(with_reason("PDF has no readable pages", log));
    if (static_cast<std::uint64_t>(page_count) > lim.max_pages)
        throw limit_error("PDF has " + std::to_string(page_count) +
                          " pages, more than the limit of " + std::to_string(lim.max_pages));

    document doc;
    doc.kind = "pdf";
    doc.mime_type = "application/pdf";
    read_metadata(*pdf, doc);

    std::uint64_t text_bytes = 0;
    doc.pages.reserve(static_cast<std::size_t>(page_count));
    for (int i = 0; i < page_count; ++i) {
        const std::string number = std::to_string(i + 1);
        page pg;
        const std::unique_ptr<poppler::page> p(pdf->create_page(i));
        if (!p) {
            doc.warnings.push_back("page " + number + " could not be read");
            doc.pages.push_back(std::move(pg));
            continue;
        }
        // The physical layout reads like `pdftotext -layout`: lines in the order they
        // stand on the page and columns side by side. It keeps an e-mail's header labels
        // on the same line as their values, which the raw content-stream order and
        // poppler's default order do not always do.
        pg.text = tidy_page_text(utf8(p->text(poppler::rectf(), poppler::page::physical_layout)));
        if (blank(pg.text)) {
            pg.text.clear();
            pg.needs_ocr = true;
            doc.warnings.push_back("page " + number + " has no text layer: needs OCR");
        }
        text_bytes += pg.text.size();
        if (text_bytes > lim.max_text_bytes)
            throw limit_error("PDF text is larger than the limit of " +
                              std::to_string(lim.max_text_bytes) + " bytes (at page " + number +
                              ")");
        doc.pages.push_back(std::move(pg));
    }

    // What poppler complained about while reading a file it could still read.
    for (const std::string& message : log.messages())
        doc.warnings.push_back("poppler: " + message);

    doc.messages = split_printed_emails(doc.pages);
    return doc;
}

} // namespace porchlight::docs
