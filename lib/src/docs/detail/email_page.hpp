#pragma once

// The page of an e-mail starts with its header, so that a page search finds the header too:
// shared by parse_eml (mime.cpp) and parse_msg (msg.cpp).

#include "scan.hpp"

#include <porchlight/docs/document.hpp>

#include <string>
#include <string_view>

namespace porchlight::docs::detail {

/// "From: ...", "To: ...", "Cc: ...", "Bcc: ...", the date (as "<date_label>: ") and
/// "Subject: ...", a line each, empty ones left out, recipients joined with
/// `list_separator`; then a blank line.
inline std::string header_block(const email_header& h, std::string_view list_separator,
                                std::string_view date_label) {
    std::string out;
    const auto line = [&out](std::string_view name, const std::string& value) {
        if (!value.empty())
            out.append(name).append(": ").append(value).append("\n");
    };
    line("From", h.from);
    line("To", join(h.to, list_separator));
    line("Cc", join(h.cc, list_separator));
    line("Bcc", join(h.bcc, list_separator));
    line(date_label, h.date_raw);
    line("Subject", h.subject);
    out += "\n";
    return out;
}

} // namespace porchlight::docs::detail
