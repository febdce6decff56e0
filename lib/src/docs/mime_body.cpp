// The MIME tree of an e-mail (detail/mime.hpp): the text of the body, and everything else
// (attachments, forwarded messages) as children of the document.

#include "detail/glib_handles.hpp"
#include "detail/mime.hpp"
#include "detail/scan.hpp"

#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

#include <gmime/gmime.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace porchlight::docs::detail::mime {
namespace {

// A MIME tree deeper than this is an attack, not an e-mail; GMime has its own limit too.
constexpr int max_mime_depth = 64;

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

std::string mime_type_of(GMimeObject* obj) {
    GMimeContentType* ct = g_mime_object_get_content_type(obj);
    gchar_ptr type(ct ? g_mime_content_type_get_mime_type(ct) : nullptr);
    return type ? lowered(type.get()) : std::string("application/octet-stream");
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
    const auto charset = lowered(trim(declared ? declared : ""));
    std::string text;
    if (charset.empty() || charset == "us-ascii" || charset == "ascii" || charset == "iso-8859-1" ||
        charset == "iso_8859-1" || charset == "latin1" || charset == "windows-1252" ||
        charset == "cp1252")
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
                score = type == "text/plain"  ? (raw_length(GMIME_PART(part)) > 2 ? 5 : 1)
                        : type == "text/html" ? 3
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
        auto text =
            text_to_utf8(decoded(part, m_lim.max_text_bytes, "text"),
                         g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset"));
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

} // namespace

mime_body read_body(GMimeObject* root, const limits& lim, document& doc) {
    body_reader reader(lim, doc);
    reader.read(root);
    return {reader.body(), reader.attachments()};
}

} // namespace porchlight::docs::detail::mime
