#pragma once

// An Outlook message as the .msg reader reads it from its storage (msg.cpp), before it
// becomes a document, or the RFC 822 text of an embedded message (msg_rfc822.cpp).

#include "msg_text.hpp"

#include <porchlight/docs/document.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace porchlight::docs::detail::msg {

struct mailbox {
    std::string name;
    std::string address; // SMTP; "" when only an Exchange address is known

    bool empty() const { return name.empty() && address.empty(); }
    std::string display() const {
        if (address.empty())
            return name;
        if (name.empty() || iequals(name, address))
            return address;
        return name + " <" + address + ">";
    }
};

/// A message as read from its storage, before it becomes a document (or an RFC 822 text).
struct msg_content {
    std::string message_class;
    std::string subject;
    mailbox from;
    std::vector<mailbox> to, cc, bcc;
    std::string message_id, in_reply_to;
    std::string date_header; // the Date: of the transport headers, as written
    std::optional<std::int64_t> sent_utc;
    std::optional<int> offset_minutes;
    std::string body;
    std::string body_source; // plain, html, rtf or none
    std::optional<int> codepage;
    std::vector<embedded> attachments;
};

/// The message as RFC 822 text, for a message embedded `depth` levels down (the depth goes
/// into its MIME boundaries).
//
// document::children carry bytes, and a message embedded in a .msg is a storage, not bytes.
// Writing it back as a compound file would take a compound-file writer for little gain;
// instead the embedded message becomes a small MIME message (message/rfc822): its header
// (From, To, Cc, Subject, Date, Message-ID, In-Reply-To), its body as UTF-8 text, and its
// own attachments as base64 parts (nested messages as message/rfc822 parts). parse_eml
// reads it like any other e-mail, so its text, addresses and attachments are not lost; the
// original's formatting (HTML, RTF) and MAPI-only properties are.
std::string render_rfc822(const msg_content& m, unsigned depth);

} // namespace porchlight::docs::detail::msg
