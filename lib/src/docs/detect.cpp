#include <porchlight/docs/document.hpp>

#include <algorithm>
#include <cctype>
#include <string>

namespace porchlight::docs {
namespace {

std::string lower_extension(std::string_view name) {
    const auto slash = name.find_last_of("/\\");
    const auto base = slash == std::string_view::npos ? name : name.substr(slash + 1);
    const auto dot = base.rfind('.');
    if (dot == std::string_view::npos)
        return {};
    std::string ext(base.substr(dot + 1));
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

// An RFC 5322 header line at the start: "Name: value" with a name of printable characters
// and no spaces. Two such lines, or one of the names every message has, make an e-mail.
bool looks_like_email(std::string_view b) {
    static const std::string_view known[] = {"from:", "received:", "return-path:", "message-id:",
                                             "date:", "subject:", "mime-version:", "to:",
                                             "delivered-to:", "x-"};
    int headers = 0;
    bool known_seen = false;
    std::size_t pos = 0;
    for (int line = 0; line < 8 && pos < b.size(); ++line) {
        const auto eol = b.find('\n', pos);
        const auto l = b.substr(pos, eol == std::string_view::npos ? b.size() - pos : eol - pos);
        pos = eol == std::string_view::npos ? b.size() : eol + 1;
        if (l.empty() || l == "\r")
            break;
        if (l[0] == ' ' || l[0] == '\t')
            continue; // folded header line
        const auto colon = l.find(':');
        if (colon == 0 || colon == std::string_view::npos || colon > 76)
            return false;
        for (std::size_t i = 0; i < colon; ++i) {
            const auto c = static_cast<unsigned char>(l[i]);
            if (c <= 32 || c >= 127)
                return false;
        }
        std::string name(l.substr(0, colon + 1));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        for (auto k : known)
            if (name.starts_with(k))
                known_seen = true;
        ++headers;
    }
    return headers >= 2 || (headers == 1 && known_seen);
}

bool looks_like_html(std::string_view b) {
    auto head = std::string(b.substr(0, 1024));
    std::transform(head.begin(), head.end(), head.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto start = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (start == std::string::npos)
        return false;
    head = head.substr(start);
    return head.starts_with("<!doctype html") || head.starts_with("<html") ||
           (head.starts_with("<") && (head.find("<body") != std::string::npos ||
                                      head.find("<head") != std::string::npos));
}

} // namespace

std::string detect_format(std::string_view name, std::string_view bytes) {
    const auto ext = lower_extension(name);
    // content first: a release's file names are not to be trusted
    if (bytes.starts_with("%PDF-") || bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos)
        return "pdf";
    if (bytes.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
        return "msg"; // OLE2: parse_msg says so when it is a .doc or .xls instead
    if (bytes.starts_with("PK\x03\x04") || bytes.starts_with("PK\x05\x06")) {
        static const std::string_view office_ext[] = {"docx", "xlsx", "pptx", "odt", "ods", "odp",
                                                      "docm", "xlsm"};
        if (std::find(std::begin(office_ext), std::end(office_ext), ext) != std::end(office_ext))
            return "office";
        // an ODF file names its type in a first entry called "mimetype"
        if (bytes.size() > 38 && bytes.substr(30, 8) == "mimetype")
            return "office";
        if (bytes.substr(0, 4096).find("[Content_Types].xml") != std::string_view::npos &&
            ext != "zip")
            return "office";
        return "zip";
    }
    // A name that promises a binary format the bytes do not have: that format's parser
    // says what is wrong, rather than the bytes being read as text.
    if (ext == "pdf")
        return "pdf";
    if (ext == "docx" || ext == "xlsx" || ext == "pptx" || ext == "odt" || ext == "ods" ||
        ext == "odp" || ext == "docm" || ext == "xlsm")
        return "office";
    if (ext == "zip")
        return "zip";
    if (ext == "msg" || ext == "doc" || ext == "xls" || ext == "ppt")
        return "msg";
    if (bytes.starts_with("From ") && (ext == "mbox" || ext == "mbx" || ext.empty() ||
                                       bytes.find("\nFrom ") != std::string_view::npos ||
                                       looks_like_email(bytes.substr(bytes.find('\n') + 1))))
        return "mbox";
    if (ext == "mbox")
        return "mbox";
    if (ext == "eml" || looks_like_email(bytes))
        return "eml";
    if (ext == "html" || ext == "htm" || ext == "xhtml" || looks_like_html(bytes))
        return "html";
    if (ext == "txt" || ext == "text" || ext == "md" || ext == "csv" || ext == "log")
        return "text";
    // text when it has no NUL bytes in its first 4 KiB
    if (!bytes.empty() && bytes.substr(0, 4096).find('\0') == std::string_view::npos)
        return "text";
    return {};
}

document parse_document(std::string_view name, std::string_view bytes, const limits& lim) {
    if (bytes.size() > lim.max_document_bytes)
        throw limit_error("larger than the limit of " + std::to_string(lim.max_document_bytes) +
                          " bytes");
    const auto format = detect_format(name, bytes);
    if (format == "pdf")
        return parse_pdf(bytes, lim);
    if (format == "eml")
        return parse_eml(bytes, lim);
    if (format == "mbox")
        return parse_mbox(bytes, lim);
    if (format == "msg")
        return parse_msg(bytes, lim);
    if (format == "office")
        return parse_office(bytes, lim);
    if (format == "zip")
        return parse_zip(bytes, lim);
    if (format == "html")
        return parse_html(bytes, lim);
    if (format == "text")
        return parse_text(bytes, lim);
    throw parse_error("not a document format porchlight reads (PDF, e-mail, mbox, Outlook .msg, "
                      "Office, zip, HTML, text)");
}

} // namespace porchlight::docs
