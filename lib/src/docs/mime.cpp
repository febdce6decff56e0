// E-mail reading: one RFC 5322 / MIME message (parse_eml) with GMime 3. An mbox is split
// into its messages by parse_mbox (mbox.cpp).

#include "detail/scan.hpp"

#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

#include <gmime/gmime.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace porchlight::docs {
namespace {

// ---- owners of GLib / GMime handles ------------------------------------------------------

struct gobject_deleter {
    void operator()(gpointer p) const noexcept { g_object_unref(p); }
};
template <class T>
using gobject_ptr = std::unique_ptr<T, gobject_deleter>;

struct gfree_deleter {
    void operator()(gpointer p) const noexcept { g_free(p); }
};
using gchar_ptr = std::unique_ptr<char, gfree_deleter>;

struct parser_options_deleter {
    void operator()(GMimeParserOptions* p) const noexcept { g_mime_parser_options_free(p); }
};
using parser_options_ptr = std::unique_ptr<GMimeParserOptions, parser_options_deleter>;

void init_gmime() {
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

// A MIME tree deeper than this is an attack, not an e-mail; GMime has its own limit too.
constexpr int max_mime_depth = 64;

// ---- small string helpers ---------------------------------------------------------------

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// A string from GMime (UTF-8 by its own decoding, but never trusted to be), trimmed.
std::string text_of(const char* s) {
    return s ? sanitize_utf8(trim(s)) : std::string();
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty())
            out += sep;
        out += item;
    }
    return out;
}

std::string crlf_to_lf(std::string s) {
    if (s.find('\r') == std::string::npos)
        return s;
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i)
        if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n'))
            out += s[i];
    return out;
}

// ---- header ------------------------------------------------------------------------------

// "Name <addr>", "Name" or "addr", groups flattened to their members. The name is composed
// here rather than by internet_address_to_string, which would quote a name like
// "Doe, John": the header struct holds what a reader sees.
void append_addresses(InternetAddressList* list, std::vector<std::string>& out, int depth = 0) {
    if (!list || depth > 8)
        return;
    const int n = internet_address_list_length(list);
    for (int i = 0; i < n; ++i) {
        InternetAddress* ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            append_addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), out,
                             depth + 1);
            continue;
        }
        if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
            continue;
        const auto name = text_of(internet_address_get_name(ia));
        const auto addr = text_of(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)));
        if (!name.empty() && !addr.empty() && name != addr)
            out.push_back(name + " <" + addr + ">");
        else if (!name.empty() || !addr.empty())
            out.push_back(name.empty() ? addr : name);
    }
}

// Addresses of one header; the decoded header text itself when GMime finds no address in it
// ("From: John Smith").
std::vector<std::string> addresses(GMimeMessage* msg, GMimeAddressType type, const char* header) {
    std::vector<std::string> out;
    append_addresses(g_mime_message_get_addresses(msg, type), out);
    if (out.empty()) {
        auto raw = text_of(g_mime_object_get_header(GMIME_OBJECT(msg), header));
        if (!raw.empty() && raw.find_first_not_of(":;, ") != std::string::npos &&
            raw.find(':') == std::string::npos) // not an empty group "undisclosed-recipients:;"
            out.push_back(std::move(raw));
    }
    return out;
}

std::string strip_angles(std::string_view id) {
    id = trim(id);
    if (id.starts_with('<'))
        id.remove_prefix(1);
    if (id.ends_with('>'))
        id.remove_suffix(1);
    return sanitize_utf8(trim(id));
}

std::string message_id_of(const char* value) {
    if (!value || !*value)
        return {};
    gchar_ptr id(g_mime_utils_decode_message_id(value));
    return id ? strip_angles(id.get()) : strip_angles(value);
}

// The zone of a date as written, in minutes east of UTC. GMime reads a zone it does not know
// ("CEST") and a missing one as UTC, so the zone is taken from the text itself: the token after
// the time of day. minus_zero: "-0000", RFC 5322's "UTC, local zone unknown".
std::optional<int> zone_offset(std::string_view raw, bool& minus_zero) {
    minus_zero = false;
    std::string text; // without (comments)
    int depth = 0;
    for (char c : raw) {
        if (c == '(')
            ++depth;
        else if (c == ')' && depth > 0)
            --depth;
        else if (depth == 0)
            text += c == ',' ? ' ' : c;
    }
    std::vector<std::string_view> tokens;
    std::string_view rest = text;
    while (!(rest = trim(rest)).empty()) {
        const auto end = std::min(rest.find_first_of(" \t\r\n"), rest.size());
        tokens.push_back(rest.substr(0, end));
        rest.remove_prefix(end);
    }
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
        const auto t = tokens[i];
        if (t.find(':') == std::string_view::npos || t.find_first_not_of("0123456789:") != t.npos)
            continue;
        auto z = tokens[i + 1];
        if ((z[0] == '+' || z[0] == '-') && (z.size() == 5 || (z.size() == 6 && z[3] == ':'))) {
            const auto digits = std::string(z.substr(1, 2)) + std::string(z.substr(z.size() - 2));
            if (digits.find_first_not_of("0123456789") != std::string::npos)
                return std::nullopt;
            const int hh = std::stoi(digits.substr(0, 2));
            const int mm = std::stoi(digits.substr(2));
            if (hh > 23 || mm > 59)
                return std::nullopt;
            minus_zero = z[0] == '-' && hh == 0 && mm == 0;
            return (z[0] == '-' ? -1 : 1) * (hh * 60 + mm);
        }
        static const std::pair<std::string_view, int> names[] = {
            {"ut", 0},       {"utc", 0},      {"gmt", 0},     {"z", 0},       {"est", -300},
            {"edt", -240},   {"cst", -360},   {"cdt", -300},  {"mst", -420},  {"mdt", -360},
            {"pst", -480},   {"pdt", -420},   {"akst", -540}, {"akdt", -480}, {"hst", -600},
            {"wet", 0},      {"west", 60},    {"bst", 60},    {"cet", 60},    {"cest", 120},
            {"met", 60},     {"mest", 120},   {"eet", 120},   {"eest", 180},  {"msk", 180},
            {"jst", 540},    {"kst", 540},    {"aest", 600},  {"aedt", 660},  {"nzst", 720},
            {"nzdt", 780}};
        const auto name = lower(z);
        for (const auto& [n, offset] : names)
            if (n == name)
                return offset;
        return std::nullopt;
    }
    return std::nullopt;
}

std::string format_time(std::chrono::sys_seconds tp) {
    using namespace std::chrono;
    const auto day = floor<days>(tp);
    const year_month_day ymd{day};
    const hh_mm_ss hms{tp - day};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

void read_date(GMimeMessage* msg, email_header& h, std::vector<std::string>& warnings) {
    h.date_raw = text_of(g_mime_object_get_header(GMIME_OBJECT(msg), "Date"));
    if (h.date_raw.empty())
        return;
    GDateTime* dt = g_mime_message_get_date(msg); // owned by the message
    if (!dt) {
        warnings.push_back("Date header not understood: " + h.date_raw);
        return;
    }
    using namespace std::chrono;
    // the wall-clock time as written: GMime keeps it in the zone it read (UTC when unknown)
    const auto local = sys_days{year{g_date_time_get_year(dt)} /
                                static_cast<unsigned>(g_date_time_get_month(dt)) /
                                static_cast<unsigned>(g_date_time_get_day_of_month(dt))} +
                       hours{g_date_time_get_hour(dt)} + minutes{g_date_time_get_minute(dt)} +
                       seconds{g_date_time_get_second(dt)};
    h.sent_local = format_time(local);
    bool minus_zero = false;
    if (const auto offset = zone_offset(h.date_raw, minus_zero)) {
        h.sent_utc = format_time(local - minutes{*offset}) + "Z";
        if (!minus_zero) {
            char buf[16];
            const int a = std::abs(*offset);
            std::snprintf(buf, sizeof buf, "%c%02d:%02d", *offset < 0 ? '-' : '+', a / 60, a % 60);
            h.sent_offset = buf;
        }
    }
}

email_header read_header(GMimeMessage* msg, std::vector<std::string>& warnings) {
    email_header h;
    h.from = join(addresses(msg, GMIME_ADDRESS_TYPE_FROM, "From"), ", ");
    h.to = addresses(msg, GMIME_ADDRESS_TYPE_TO, "To");
    h.cc = addresses(msg, GMIME_ADDRESS_TYPE_CC, "Cc");
    h.bcc = addresses(msg, GMIME_ADDRESS_TYPE_BCC, "Bcc");
    h.subject = text_of(g_mime_message_get_subject(msg));
    h.message_id = message_id_of(g_mime_message_get_message_id(msg));
    h.in_reply_to = message_id_of(g_mime_object_get_header(GMIME_OBJECT(msg), "In-Reply-To"));
    read_date(msg, h, warnings);
    return h;
}

// The block that starts the page, so that a page search finds the header too.
std::string header_block(const email_header& h) {
    std::string out;
    const auto line = [&out](std::string_view name, const std::string& value) {
        if (!value.empty())
            out.append(name).append(": ").append(value).append("\n");
    };
    line("From", h.from);
    line("To", join(h.to, ", "));
    line("Cc", join(h.cc, ", "));
    line("Bcc", join(h.bcc, ", "));
    line("Date", h.date_raw);
    line("Subject", h.subject);
    out += "\n";
    return out;
}

// ---- body and attachments ----------------------------------------------------------------

std::string mime_type_of(GMimeObject* obj) {
    GMimeContentType* ct = g_mime_object_get_content_type(obj);
    gchar_ptr type(ct ? g_mime_content_type_get_mime_type(ct) : nullptr);
    return type ? lower(type.get()) : std::string("application/octet-stream");
}

std::string extension_for(std::string_view mime) {
    static const std::pair<std::string_view, std::string_view> table[] = {
        {"application/pdf", ".pdf"},
        {"text/plain", ".txt"},
        {"text/html", ".html"},
        {"text/csv", ".csv"},
        {"text/calendar", ".ics"},
        {"text/rtf", ".rtf"},
        {"application/rtf", ".rtf"},
        {"message/rfc822", ".eml"},
        {"application/msword", ".doc"},
        {"application/vnd.ms-excel", ".xls"},
        {"application/vnd.ms-powerpoint", ".ppt"},
        {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"},
        {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"},
        {"application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"},
        {"application/vnd.oasis.opendocument.text", ".odt"},
        {"application/vnd.oasis.opendocument.spreadsheet", ".ods"},
        {"application/vnd.ms-outlook", ".msg"},
        {"application/ms-tnef", ".dat"},
        {"application/zip", ".zip"},
        {"application/x-zip-compressed", ".zip"},
        {"application/xml", ".xml"},
        {"text/xml", ".xml"},
        {"application/json", ".json"},
        {"image/jpeg", ".jpg"},
        {"image/png", ".png"},
        {"image/gif", ".gif"},
        {"image/tiff", ".tif"},
        {"audio/mpeg", ".mp3"},
        {"video/mp4", ".mp4"},
        {"application/octet-stream", ".bin"}};
    for (const auto& [type, ext] : table)
        if (type == mime)
            return std::string(ext);
    return {};
}

// A declared file name as a plain name: no directories, no control characters.
std::string clean_file_name(const char* declared) {
    auto name = text_of(declared);
    const auto slash = name.find_last_of("/\\");
    if (slash != std::string::npos)
        name.erase(0, slash + 1);
    for (auto& c : name)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            c = '_';
    if (name == "." || name == "..")
        name.clear();
    return std::string(trim(name));
}

// Bytes in the declared charset as UTF-8. The transfer encoding is undone by GMime; the
// charset is converted here rather than by g_mime_text_part_get_text, which stops at a NUL,
// passes bytes of an undeclared charset through unchecked and has no answer for a charset
// iconv does not know. "us-ascii" and "iso-8859-1" are read as windows-1252 (what mailers
// mean by them, as browsers do) unless the bytes are valid UTF-8 (a mislabelled message).
std::string text_to_utf8(std::string_view bytes, const char* declared) {
    const auto charset = lower(trim(declared ? declared : ""));
    std::string text;
    if (charset.empty() || charset == "us-ascii" || charset == "ascii" ||
        charset == "iso-8859-1" || charset == "iso_8859-1" || charset == "latin1" ||
        charset == "windows-1252" || charset == "cp1252")
        text = guess_to_utf8(bytes);
    else
        text = to_utf8(bytes, charset);
    if (text.starts_with("\xEF\xBB\xBF"))
        text.erase(0, 3);
    return crlf_to_lf(std::move(text));
}

bool is_signature(std::string_view mime) {
    return mime == "application/pgp-signature" || mime == "application/pkcs7-signature" ||
           mime == "application/x-pkcs7-signature";
}

// Walks the MIME tree of one message: text for the body, everything else as children.
class body_reader {
public:
    body_reader(const limits& lim, document& doc) : m_lim(lim), m_doc(doc) {}

    void read(GMimeObject* root) {
        if (root)
            walk(root, true, 0);
        if (m_inline_images > 0)
            m_doc.warnings.push_back(std::to_string(m_inline_images) +
                                     " inline image(s) without a file name skipped");
    }
    std::string body() const { return join(m_texts, "\n\n"); }
    int attachments() const noexcept { return m_attachments; }

private:
    void walk(GMimeObject* obj, bool text_wanted, int depth) {
        if (depth > max_mime_depth) {
            if (!m_too_deep)
                m_doc.warnings.push_back("MIME parts nested too deep skipped");
            m_too_deep = true;
            return;
        }
        if (GMIME_IS_MESSAGE_PART(obj)) {
            add_message(GMIME_MESSAGE_PART(obj));
        } else if (GMIME_IS_MULTIPART_ENCRYPTED(obj)) {
            m_doc.warnings.push_back("encrypted part not read");
        } else if (GMIME_IS_MULTIPART(obj)) {
            auto* multipart = GMIME_MULTIPART(obj);
            const int n = g_mime_multipart_get_count(multipart);
            const auto type = mime_type_of(obj);
            // alternative: the text of one version (attachments of all: Apple Mail puts them
            // in the HTML one); related: the text of its root part
            int text_part = -1;
            if (type == "multipart/alternative")
                text_part = pick_alternative(multipart);
            else if (type == "multipart/related")
                text_part = 0;
            for (int i = 0; i < n; ++i)
                walk(g_mime_multipart_get_part(multipart, i),
                     text_wanted && (text_part < 0 || i == text_part), depth + 1);
        } else if (GMIME_IS_PART(obj)) {
            add_part(GMIME_PART(obj), text_wanted);
        }
    }

    static bool is_named(GMimePart* part) {
        const char* name = g_mime_part_get_filename(part);
        return (name && *name) || g_mime_part_is_attachment(part);
    }

    static bool has_plain_text(GMimeObject* obj, int depth) {
        if (depth > 8)
            return false;
        if (GMIME_IS_MULTIPART(obj)) {
            auto* multipart = GMIME_MULTIPART(obj);
            for (int i = 0; i < g_mime_multipart_get_count(multipart); ++i)
                if (has_plain_text(g_mime_multipart_get_part(multipart, i), depth + 1))
                    return true;
            return false;
        }
        return GMIME_IS_PART(obj) && mime_type_of(obj) == "text/plain" &&
               !is_named(GMIME_PART(obj));
    }

    // Bytes of a part as sent (before decoding); -1 when unknown.
    static gint64 raw_length(GMimePart* part) {
        GMimeDataWrapper* content = g_mime_part_get_content(part);
        GMimeStream* stream = content ? g_mime_data_wrapper_get_stream(content) : nullptr;
        return stream ? g_mime_stream_length(stream) : -1;
    }

    // The version of a multipart/alternative to read: plain text first (unless it is empty,
    // as some mailers send it next to the HTML), then a part that holds plain text, then HTML.
    static int pick_alternative(GMimeMultipart* multipart) {
        int best = -1;
        int best_score = 0;
        for (int i = 0; i < g_mime_multipart_get_count(multipart); ++i) {
            GMimeObject* part = g_mime_multipart_get_part(multipart, i);
            const auto type = mime_type_of(part);
            int score = 0;
            if (GMIME_IS_MULTIPART(part))
                score = has_plain_text(part, 0) ? 4 : 2;
            else if (GMIME_IS_PART(part) && !is_named(GMIME_PART(part)))
                score = type == "text/plain" ? (raw_length(GMIME_PART(part)) > 2 ? 5 : 1)
                        : type == "text/html"  ? 3
                                               : 0;
            if (score > best_score) {
                best = i;
                best_score = score;
            }
        }
        return best < 0 ? 0 : best;
    }

    std::string decoded(GMimePart* part, std::uint64_t limit, std::string_view what) const {
        GMimeDataWrapper* content = g_mime_part_get_content(part);
        if (!content)
            return {};
        gobject_ptr<GMimeStream> out(g_mime_stream_mem_new());
        if (g_mime_data_wrapper_write_to_stream(content, out.get()) < 0)
            m_doc.warnings.push_back("part could not be decoded completely");
        GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
        if (!bytes || bytes->len == 0)
            return {};
        if (bytes->len > limit)
            throw limit_error(std::string(what) + " larger than the limit of " +
                              std::to_string(limit) + " bytes");
        return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
    }

    void add_part(GMimePart* part, bool text_wanted) {
        auto* obj = GMIME_OBJECT(part);
        const auto type = mime_type_of(obj);
        if (is_signature(type))
            return;
        const bool named = is_named(part);
        if (!named && type.starts_with("text/")) {
            if (text_wanted)
                add_text(part, type);
            return; // another version of the text (multipart/alternative) or a resource
        }
        if (!named && type.starts_with("image/")) {
            ++m_inline_images;
            return;
        }
        add_child(clean_file_name(g_mime_part_get_filename(part)), type,
                  decoded(part, m_lim.max_document_bytes, "attachment"));
    }

    void add_text(GMimePart* part, const std::string& type) {
        auto text = text_to_utf8(decoded(part, m_lim.max_text_bytes, "text"),
                                 g_mime_object_get_content_type_parameter(GMIME_OBJECT(part),
                                                                          "charset"));
        if (type == "text/html")
            text = html_to_text(text);
        text = std::string(trim(text));
        if (text.empty())
            return;
        m_text_bytes += text.size();
        if (m_text_bytes > m_lim.max_text_bytes)
            throw limit_error("text larger than the limit of " +
                              std::to_string(m_lim.max_text_bytes) + " bytes");
        m_texts.push_back(std::move(text));
    }

    // A forwarded or attached message: a child of its own, as written by GMime.
    void add_message(GMimeMessagePart* part) {
        GMimeMessage* inner = g_mime_message_part_get_message(part);
        if (!inner) {
            m_doc.warnings.push_back("attached message without content skipped");
            return;
        }
        gobject_ptr<GMimeStream> out(g_mime_stream_mem_new());
        g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, out.get());
        GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
        const std::size_t size = bytes ? bytes->len : 0;
        if (size > m_lim.max_document_bytes)
            throw limit_error("attached message larger than the limit of " +
                              std::to_string(m_lim.max_document_bytes) + " bytes");
        auto* obj = GMIME_OBJECT(part);
        const char* name = g_mime_object_get_content_disposition_parameter(obj, "filename");
        if (!name || !*name)
            name = g_mime_object_get_content_type_parameter(obj, "name");
        add_child(clean_file_name(name), "message/rfc822",
                  size ? std::string(reinterpret_cast<const char*>(bytes->data), size)
                       : std::string());
    }

    void add_child(std::string name, std::string mime, std::string bytes) {
        if (m_doc.children.size() >= m_lim.max_entries)
            throw limit_error("more than " + std::to_string(m_lim.max_entries) + " attachments");
        ++m_attachments;
        if (name.empty())
            name = "attachment-" + std::to_string(m_attachments) + extension_for(mime);
        m_doc.children.push_back({unique_name(std::move(name)), std::move(mime), std::move(bytes)});
    }

    // "report.pdf" twice: the second becomes "report (2).pdf".
    std::string unique_name(std::string name) {
        if (m_names.insert(name).second)
            return name;
        const auto dot = name.rfind('.');
        const auto stem = dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
        const auto ext = stem.size() == name.size() ? std::string() : name.substr(dot);
        for (int k = 2;; ++k) {
            auto candidate = stem + " (" + std::to_string(k) + ")" + ext;
            if (m_names.insert(candidate).second)
                return candidate;
        }
    }

    const limits& m_lim;
    document& m_doc;
    std::vector<std::string> m_texts;
    std::uint64_t m_text_bytes = 0;
    std::set<std::string> m_names;
    int m_attachments = 0;
    int m_inline_images = 0;
    bool m_too_deep = false;
};

// ---- GMime parser problems -----------------------------------------------------------------

const char* describe(int code) {
    switch (code) {
    case GMIME_WARN_INVALID_CONTENT_TYPE: return "invalid Content-Type, read as binary data";
    case GMIME_WARN_MALFORMED_MULTIPART: return "multipart without parts";
    case GMIME_WARN_TRUNCATED_MESSAGE: return "message truncated (a MIME boundary is missing)";
    case GMIME_WARN_MALFORMED_MESSAGE: return "malformed message";
    case GMIME_CRIT_INVALID_HEADER_NAME: return "invalid header line, the rest may be lost";
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: return "multipart without a boundary";
    case GMIME_CRIT_NESTING_OVERFLOW: return "MIME parts nested too deep";
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT: return "MIME part without headers or content";
    default: return nullptr; // header-level oddities every mail archive has
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
        "from",        "sender",     "to",          "cc",         "bcc",
        "subject",     "date",       "message-id",  "received",   "return-path",
        "mime-version", "reply-to",  "in-reply-to", "references", "delivered-to",
        "content-type"};
    GMimeHeaderList* headers = g_mime_object_get_header_list(obj);
    const int n = headers ? g_mime_header_list_get_count(headers) : 0;
    for (int i = 0; i < n; ++i) {
        const auto name = lower(text_of(
            g_mime_header_get_name(g_mime_header_list_get_header_at(headers, i))));
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

    body_reader reader(lim, doc);
    reader.read(g_mime_message_get_mime_part(msg.get()));
    m.body = reader.body();
    for (int code : problems)
        if (const char* what = describe(code))
            doc.warnings.emplace_back(what);

    page p;
    p.text = header_block(m.header) + m.body;
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
    doc.metadata.emplace_back("attachments", std::to_string(reader.attachments()));
    doc.messages.push_back(std::move(m));
    return doc;
}

} // namespace porchlight::docs
