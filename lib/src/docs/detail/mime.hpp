#pragma once

// What the e-mail reader's files share: parse_eml (mime.cpp) reads the header with
// mime_header.cpp and the MIME tree with mime_body.cpp, all through GMime 3.

#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

#include <gmime/gmime.h>

#include <string>
#include <string_view>
#include <vector>

namespace porchlight::docs::detail::mime {

/// Without space, tab, CR and LF at either end.
inline std::string_view trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

/// A string from GMime (UTF-8 by its own decoding, but never trusted to be), trimmed.
inline std::string text_of(const char* s) {
    return s ? sanitize_utf8(trim(s)) : std::string();
}

// ---------------------------------------------------------------------------------------
// header (mime_header.cpp)

/// From, To, Cc, Bcc, Subject, Message-ID, In-Reply-To and Date of a message; a Date that
/// GMime does not understand is a warning.
email_header read_header(GMimeMessage* msg, std::vector<std::string>& warnings);

// ---------------------------------------------------------------------------------------
// body and attachments (mime_body.cpp)

struct mime_body {
    std::string text;    ///< the text parts, UTF-8, one blank line between them
    int attachments = 0; ///< children added to the document
};

/// Walks the MIME tree of one message (root may be null): text for the body, everything
/// else as children of `doc`, problems as its warnings. limit_error past the limits.
mime_body read_body(GMimeObject* root, const limits& lim, document& doc);

} // namespace porchlight::docs::detail::mime
