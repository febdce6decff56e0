// An embedded message as RFC 822 text (detail/msg_content.hpp): a small MIME message with
// its header, its body as UTF-8 text and its attachments as base64 parts.

#include "detail/msg_content.hpp"
#include "detail/msg_header.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::docs::detail::msg {
namespace {

std::string base64(std::string_view data, bool wrap) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve(data.size() / 3 * 4 + data.size() / 57 * 2 + 8);
    std::size_t line = 0;
    for (std::size_t i = 0; i < data.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, data.size() - i);
        std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 16;
        if (n > 1)
            v |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8;
        if (n > 2)
            v |= static_cast<unsigned char>(data[i + 2]);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += n > 1 ? alphabet[(v >> 6) & 63] : '=';
        out += n > 2 ? alphabet[v & 63] : '=';
        if (wrap && (line += 4) == 76) {
            out += "\r\n";
            line = 0;
        }
    }
    if (wrap && line > 0)
        out += "\r\n";
    return out;
}

bool printable_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

// Header text: as it is when printable ASCII, else RFC 2047 encoded words of UTF-8.
std::string encode_words(std::string_view text) {
    if (printable_ascii(text))
        return std::string(text);
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = std::min(text.size(), pos + 45);
        while (end < text.size() && end > pos + 1 &&
               (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
            --end; // never split a UTF-8 sequence
        if (!out.empty())
            out += "\r\n ";
        out += "=?UTF-8?B?" + base64(text.substr(pos, end - pos), false) + "?=";
        pos = end;
    }
    return out;
}

// A display name as an RFC 5322 phrase.
std::string phrase(std::string_view name) {
    if (!printable_ascii(name))
        return encode_words(name);
    if (name.find_first_of("()<>[]:;@\\,.\"") == std::string_view::npos)
        return std::string(name);
    std::string quoted = "\"";
    for (const char c : name) {
        if (c == '"' || c == '\\')
            quoted += '\\';
        quoted += c;
    }
    return quoted + "\"";
}

std::string address_list(const std::vector<mailbox>& boxes) {
    std::string out;
    for (const auto& b : boxes) {
        if (!out.empty())
            out += ",\r\n ";
        if (b.address.empty())
            out += phrase(b.name);
        else if (b.name.empty())
            out += "<" + b.address + ">";
        else
            out += phrase(b.name) + " <" + b.address + ">";
    }
    return out;
}

// A MIME parameter: quoted ASCII, or RFC 2231 UTF-8.
std::string mime_parameter(std::string_view attribute, std::string_view value) {
    if (printable_ascii(value) && value.find_first_of("\"\\") == std::string_view::npos)
        return std::string(attribute) + "=\"" + std::string(value) + "\"";
    std::string out = std::string(attribute) + "*=UTF-8''";
    for (const char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

// A declared MIME type when it has the form type/subtype, else application/octet-stream.
std::string mime_type_or_default(std::string_view type) {
    const auto token = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("!#$&^_.+-").find(c) != std::string_view::npos;
    };
    const auto slash = type.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == type.size() ||
        !std::all_of(type.begin(), type.begin() + static_cast<std::ptrdiff_t>(slash), token) ||
        !std::all_of(type.begin() + static_cast<std::ptrdiff_t>(slash) + 1, type.end(), token))
        return "application/octet-stream";
    return std::string(type);
}

// Text that may go as 8bit: no NUL, no bare CR, lines of at most 998 bytes.
bool eight_bit_safe(std::string_view text) {
    std::size_t line = 0;
    for (const char c : text) {
        if (c == '\0' || c == '\r')
            return false;
        line = c == '\n' ? 0 : line + 1;
        if (line > 998)
            return false;
    }
    return true;
}

std::string crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 40);
    for (const char c : text) {
        if (c == '\n')
            out += '\r';
        out += c;
    }
    return out;
}

std::string text_part(std::string_view body) {
    std::string out = "Content-Type: text/plain; charset=utf-8\r\n";
    if (eight_bit_safe(body))
        out += "Content-Transfer-Encoding: 8bit\r\n\r\n" + crlf(body);
    else
        out += "Content-Transfer-Encoding: base64\r\n\r\n" + base64(body, true);
    if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0)
        out += "\r\n";
    return out;
}

} // namespace

std::string render_rfc822(const msg_content& m, unsigned depth) {
    std::string out;
    const auto field = [&](std::string_view name, const std::string& value) {
        if (!value.empty())
            out += std::string(name) + ": " + value + "\r\n";
    };
    if (!m.from.empty())
        field("From", address_list({m.from}));
    field("To", address_list(m.to));
    field("Cc", address_list(m.cc));
    field("Bcc", address_list(m.bcc));
    field("Subject", encode_words(m.subject));
    if (parse_rfc5322_date(m.date_header) && printable_ascii(m.date_header))
        field("Date", m.date_header);
    else if (m.sent_utc)
        field("Date", rfc5322_date(*m.sent_utc));
    if (!m.message_id.empty())
        field("Message-ID", "<" + m.message_id + ">");
    if (!m.in_reply_to.empty())
        field("In-Reply-To", "<" + m.in_reply_to + ">");
    out += "MIME-Version: 1.0\r\n";
    if (m.attachments.empty())
        return out + text_part(m.body);

    // a boundary that none of the 8bit parts holds: derived from their contents, so that no
    // text can be written to hold the boundary it will get
    const std::string body = text_part(m.body);
    std::uint64_t hash = 0xCBF29CE484222325u; // FNV-1a
    const auto mix = [&hash](std::string_view data) {
        for (const char c : data)
            hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001B3u;
    };
    mix(body);
    for (const auto& a : m.attachments)
        if (a.mime_type == "message/rfc822")
            mix(a.bytes);
    std::string boundary;
    for (unsigned n = 0;; ++n) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "=_porchlight_%u_%016llx", depth,
                      static_cast<unsigned long long>(hash + n));
        boundary = buf;
        const std::string marker = "--" + boundary;
        bool clash = body.find(marker) != std::string::npos;
        for (const auto& a : m.attachments)
            clash = clash ||
                    (a.mime_type == "message/rfc822" && a.bytes.find(marker) != std::string::npos);
        if (!clash)
            break;
    }
    out += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
    out += "--" + boundary + "\r\n" + body;
    for (const auto& a : m.attachments) {
        out += "--" + boundary + "\r\n";
        if (a.mime_type == "message/rfc822") {
            out += "Content-Type: message/rfc822\r\n";
            out += "Content-Disposition: attachment; " + mime_parameter("filename", a.name) +
                   "\r\n\r\n" + a.bytes;
            if (a.bytes.size() < 2 || a.bytes.compare(a.bytes.size() - 2, 2, "\r\n") != 0)
                out += "\r\n";
        } else {
            out += "Content-Type: " + mime_type_or_default(a.mime_type) + "; " +
                   mime_parameter("name", a.name) + "\r\n";
            out +=
                "Content-Disposition: attachment; " + mime_parameter("filename", a.name) + "\r\n";
            out += "Content-Transfer-Encoding: base64\r\n\r\n" + base64(a.bytes, true);
        }
    }
    out += "--" + boundary + "--\r\n";
    return out;
}

} // namespace porchlight::docs::detail::msg
