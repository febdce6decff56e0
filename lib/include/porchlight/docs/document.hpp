#pragma once

// What a document parser makes of one file's bytes. The parsers (porchlight::docs) read
// untrusted input only: they never touch the store or the file system, so each can be
// fuzzed on its own. porchlight::ingest writes what they return into the store.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace porchlight::docs {

/// Limits for untrusted input. A document that goes past one fails with limit_error; the
/// rest of its release is still read.
struct limits {
    std::uint64_t max_document_bytes = 256ull << 20; ///< one file, attachment or archive entry
    std::uint64_t max_expanded_bytes = 1ull << 30;   ///< all bytes expanded from one archive
    std::uint64_t max_ratio = 200;                   ///< expanded / compressed size of one entry
    std::uint32_t max_entries = 50000;               ///< entries of one archive, messages of one mbox
    std::uint32_t max_depth = 5;                     ///< nesting of archives and attachments
    std::uint32_t max_pages = 20000;                 ///< pages of one document
    std::uint64_t max_text_bytes = 64ull << 20;      ///< text taken from one document
};

/// The bytes are not a well-formed document of the kind they were read as.
class parse_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The document goes past one of the limits (size, expansion, entries, depth).
class limit_error : public parse_error {
public:
    using parse_error::parse_error;
};

/// The header of one e-mail, decoded to UTF-8.
struct email_header {
    std::string from;                 ///< as displayed: "Name <addr>", "Name" or "addr"
    std::vector<std::string> to;      ///< one entry per recipient, same form as from
    std::vector<std::string> cc;
    std::vector<std::string> bcc;
    std::string subject;
    std::string message_id;           ///< without angle brackets; "" when absent
    std::string in_reply_to;          ///< without angle brackets; "" when absent
    std::string date_raw;             ///< the date as written
    std::optional<std::string> sent_utc;    ///< "YYYY-MM-DDTHH:MM:SSZ" when the zone is known
    std::optional<std::string> sent_offset; ///< "+HH:MM" / "-HH:MM": the sender's offset, when known
    std::optional<std::string> sent_local;  ///< "YYYY-MM-DDTHH:MM:SS" when the date has no zone
                                            ///< (printed e-mails); set with sent_utc otherwise
};

/// The text of one page; a document without pages (an e-mail, a text file) has one.
struct page {
    std::string text;       ///< UTF-8
    bool needs_ocr = false; ///< the page has no text layer (a scan)
};

/// One e-mail found in a document: the whole document (.eml, .msg) or a part of it (a
/// printed e-mail inside a PDF).
struct message {
    email_header header;
    std::string body;   ///< plain text, UTF-8
    int first_page = 1; ///< 1-based pages of the document the message spans
    int last_page = 1;
};

/// A file inside a document, to be parsed as a child document: an attachment, an archive
/// entry, one message of an mbox.
struct embedded {
    std::string name;      ///< path inside the parent (attachment file name, archive entry path)
    std::string mime_type; ///< as declared by the parent, "" when none
    std::string bytes;
};

struct document {
    std::string kind;      ///< pdf, email, msg, mbox, docx, xlsx, odt, ods, pptx, odp, html, text, zip
    std::string mime_type;
    std::string title;     ///< from the document's metadata or e-mail subject; "" when none
    std::vector<page> pages;
    std::vector<std::pair<std::string, std::string>> metadata; ///< author, created, producer ...
    std::vector<message> messages;  ///< e-mails found in it
    std::vector<embedded> children; ///< attachments, archive entries, mbox messages
    std::vector<std::string> warnings; ///< problems that did not stop the parse
};

// One parser per format. Each throws parse_error (or limit_error) when it cannot read the
// bytes; none crashes, hangs or reads outside the bytes on any input.
document parse_pdf(std::string_view bytes, const limits& lim);
document parse_eml(std::string_view bytes, const limits& lim);  ///< one RFC 5322 message
document parse_mbox(std::string_view bytes, const limits& lim); ///< children: one per message
document parse_msg(std::string_view bytes, const limits& lim);  ///< Outlook .msg (OLE2)
document parse_office(std::string_view bytes, const limits& lim); ///< docx xlsx pptx odt ods odp
document parse_zip(std::string_view bytes, const limits& lim);  ///< children: one per file entry
document parse_html(std::string_view bytes, const limits& lim);
document parse_text(std::string_view bytes, const limits& lim);

/// The format of some bytes, from their content first and the file name second:
/// "pdf", "eml", "mbox", "msg", "office", "zip", "html", "text", or "" when none fits.
std::string detect_format(std::string_view name, std::string_view bytes);

/// detect_format, then the parser for it; parse_error when no parser fits.
document parse_document(std::string_view name, std::string_view bytes, const limits& lim);

/// E-mails printed to a PDF (Outlook's "Print to PDF", Acrobat PDFMaker): split the pages'
/// text at the From:/Sent:/To:/Subject:/Date: header blocks. Dates without a zone are kept
/// in sent_local.
std::vector<message> split_printed_emails(const std::vector<page>& pages);

} // namespace porchlight::docs
