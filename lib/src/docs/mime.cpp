// E-mail reading: one RFC 5322 / MIME message (parse_eml) with GMime 3. An mbox is split
// into its messages by parse_mbox (mbox.cpp).
//
// The reader's other files: mime_header.cpp (the header) and mime_body.cpp (the MIME tree:
// the body's text, attachments as children).

#include "detail/mime.hpp"
#include "detail/email_page.hpp"
#include "detail/glib_handles.hpp"
#include "detail/scan.hpp"

#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

#include <gmime/gmime.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace porchlight::docs {

using namespace detail::mime;
using detail::gobject_ptr;

namespace {

struct parser_options_deleter {
    void operator()(GMimeParserOptions* p) const noexcept { g_mime_parser_options_free(p); }
};
using parser_options_ptr = std::unique_ptr<GMimeParserOptions, parser_options_deleter>;

void init_gmime() {
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

// ---- GMime parser problems -----------------------------------------------------------------

const char* describe(int code) {
    switch (code) {
    case GMIME_WARN_INVALID_CONTENT_TYPE:
        return "invalid Content-Type, read as binary data";
    case GMIME_WARN_MALFORMED_MULTIPART:
        return "multipart without parts";
    case GMIME_WARN_TRUNCATED_MESSAGE:
        return "message truncated (a MIME boundary is missing)";
    case GMIME_WARN_MALFORMED_MESSAGE:
        return "malformed message";
    case GMIME_CRIT_INVALID_HEADER_NAME:
        return "invalid header line, the rest may be lost";
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
        return "multipart without a boundary";
    case GMIME_CRIT_NESTING_OVERFLOW:
        return "MIME parts nested too deep";
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
        return "MIME part without headers or content";
    default:
        return nullptr; // header-level oddities every mail archive has
    }
}

void on_parser_warning(gint64, GMimeParserWarning code, const gchar*, gpointer user) {
    auto* codes = static_cast<std::vector<int>*>(user);
    try {
        if (std::find(codes->begin(), codes->end(), code) == codes->end())
            codes->push_back(code);
    } catch (...) { // nothing may leave a C callback
    }
}

bool has_mail_header(GMimeObject* obj) {
    static const std::string_view known[] = {
        "from",        "sender",     "to",           "cc",          "bcc",          "subject",
        "date",        "message-id", "received",     "return-path", "mime-version", "reply-to",
        "in-reply-to", "references", "delivered-to", "content-type"};
    GMimeHeaderList* headers = g_mime_object_get_header_list(obj);
    const int n = headers ? g_mime_header_list_get_count(headers) : 0;
    for (int i = 0; i < n; ++i) {
        const auto name = detail::lowered(
            text_of(g_mime_header_get_name(g_mime_header_list_get_header_at(headers, i))));
        if (name.starts_with("x-") ||
            std::find(std::begin(known), std::end(known), name) != std::end(known))
            return true;
    }
    return false;
}

} // namespace

document parse_eml(std::string_view bytes, const limits& lim) {
    init_gmime();
    if (bytes.size() > lim.max_document_bytes)
        throw limit_error("e-mail larger than the limit of " +
                          std::to_string(lim.max_document_bytes) + " bytes");
    if (bytes.starts_with("\xEF\xBB\xBF"))
        bytes.remove_prefix(3);
    bytes.remove_prefix(std::min(bytes.find_first_not_of("\r\n"), bytes.size()));
    if (bytes.starts_with("From ")) // the From_ line of a message saved from an mbox
        bytes.remove_prefix(detail::next_line(bytes, 0));
    if (trim(bytes).empty())
        throw parse_error("empty e-mail");

    parser_options_ptr options(g_mime_parser_options_new());
    static const char* fallback_charsets[] = {"utf-8", "windows-1252", nullptr};
    g_mime_parser_options_set_fallback_charsets(options.get(), fallback_charsets);
    std::vector<int> problems;
    g_mime_parser_options_set_warning_callback(options.get(), on_parser_warning, &problems);

    gobject_ptr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
    gobject_ptr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
    gobject_ptr<GMimeMessage> msg(g_mime_parser_construct_message(parser.get(), options.get()));
    if (!msg || !has_mail_header(GMIME_OBJECT(msg.get())))
        throw parse_error("not an e-mail: no message header");

    document doc;
    doc.kind = "email";
    doc.mime_type = "message/rfc822";
    message m;
    m.header = read_header(msg.get(), doc.warnings);
    doc.title = m.header.subject;

    mime_body body = read_body(g_mime_message_get_mime_part(msg.get()), lim, doc);
    m.body = std::move(body.text);
    for (int code : problems)
        if (const char* what = describe(code))
            doc.warnings.emplace_back(what);

    page p;
    p.text = detail::header_block(m.header, ", ", "Date") + m.body;
    if (p.text.size() > lim.max_text_bytes)
        throw limit_error("text larger than the limit of " + std::to_string(lim.max_text_bytes) +
                          " bytes");
    doc.pages.push_back(std::move(p));

    auto* obj = GMIME_OBJECT(msg.get());
    auto mailer = text_of(g_mime_object_get_header(obj, "X-Mailer"));
    if (mailer.empty())
        mailer = text_of(g_mime_object_get_header(obj, "User-Agent"));
    if (!mailer.empty())
        doc.metadata.emplace_back("x-mailer", std::move(mailer));
    if (auto org = text_of(g_mime_object_get_header(obj, "Organization")); !org.empty())
        doc.metadata.emplace_back("organization", std::move(org));
    doc.metadata.emplace_back("attachments", std::to_string(body.attachments));
    doc.messages.push_back(std::move(m));
    return doc;
}

} // namespace porchlight::docs
