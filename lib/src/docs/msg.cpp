// Outlook .msg (MS-OXMSG): one MAPI message saved in an OLE2 compound file, read with libgsf.
//
// The root storage holds the message's properties (MS-OXMSG 2.1, 2.4; read by
// msg_storage.cpp), and a storage for each recipient and attachment:
//   __recip_version1.0_#XXXXXXXX    one storage per recipient
//   __attach_version1.0_#XXXXXXXX   one storage per attachment
// Property ids are MS-OXPROPS's (PidTagSubject 0x0037 ...).
//
// The reader's other files: msg_cfb_check.cpp (the compound-file check before libgsf sees
// the bytes), msg_storage.cpp (storages, streams and properties), msg_header.cpp (header
// fields, dates, addresses), msg_rfc822.cpp (an embedded message as RFC 822 text), and for
// RTF bodies msg_rtf_compressed.cpp and rtf.cpp.

#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

#include "detail/email_page.hpp"
#include "detail/msg_cfb_check.hpp"
#include "detail/msg_content.hpp"
#include "detail/msg_header.hpp"
#include "detail/msg_storage.hpp"
#include "detail/msg_text.hpp"
#include "detail/rtf.hpp"

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input-memory.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::docs {

using namespace detail::msg;
using detail::gerror_ptr;
using detail::gobject_ptr;

namespace {

// "\r\n" and lone "\r" as "\n".
std::string unix_newlines(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r') {
            out += '\n';
            if (i + 1 < s.size() && s[i + 1] == '\n')
                ++i;
        } else {
            out += s[i];
        }
    }
    return out;
}

// The SMTP address among an object's address properties.
std::string smtp_address(const property_set& p, std::uint16_t smtp, std::uint16_t email,
                         std::uint16_t addrtype) {
    if (const auto a = p.line(smtp); is_smtp_address(a))
        return a;
    const auto a = p.line(email);
    const auto type = p.line(addrtype);
    if ((type.empty() || iequals(type, "SMTP")) && is_smtp_address(a))
        return a;
    return {};
}

// "charset=" of the first <meta> tags of an HTML document; "" when none.
std::string meta_charset(std::string_view html) {
    const std::string head = upper_ascii(html.substr(0, 4096));
    const auto at = head.find("CHARSET=");
    if (at == std::string::npos)
        return {};
    std::size_t p = at + 8;
    while (p < head.size() && (head[p] == '"' || head[p] == '\'' || head[p] == ' '))
        ++p;
    std::string name;
    while (p < head.size() && name.size() < 40 &&
           (std::isalnum(static_cast<unsigned char>(head[p])) || head[p] == '-' || head[p] == '_' ||
            head[p] == '.' || head[p] == ':'))
        name += static_cast<char>(std::tolower(static_cast<unsigned char>(head[p++])));
    return name;
}

void check_text(const std::string& text, const limits& lim) {
    if (text.size() > lim.max_text_bytes)
        throw limit_error("Outlook message: body text of " + std::to_string(text.size()) +
                          " bytes, past the limit of " + std::to_string(lim.max_text_bytes));
}

// The body: plain text when there is some, else the HTML's text, else the RTF's.
void read_body(const property_set& p, read_context& ctx, msg_content& m) {
    const limits& lim = ctx.lim;
    if (auto plain = p.string(prop::body); plain && !blank(*plain)) {
        m.body = unix_newlines(*plain);
        while (!m.body.empty() && is_space(m.body.back()))
            m.body.pop_back();
        m.body_source = "plain";
        check_text(m.body, lim);
        return;
    }
    std::optional<std::string> html;
    if (auto raw = p.binary(prop::html)) {
        std::string charset;
        if (raw->compare(0, 3, "\xEF\xBB\xBF") == 0)
            charset = "utf-8";
        else if (const auto cp = p.int32(prop::internet_codepage); cp && *cp > 0)
            charset = rtf::codepage_charset(*cp);
        if (charset.empty())
            charset = meta_charset(*raw);
        if (charset.empty())
            charset = rtf::codepage_charset(m.codepage.value_or(1252));
        html = to_utf8(*raw, charset);
    } else {
        html = p.string(prop::html);
    }
    if (html && !blank(*html)) {
        // converted to UTF-8 already: html_to_text takes UTF-8 as such, whatever <meta> says
        m.body = trim(unix_newlines(html_to_text(*html)));
        m.body_source = "html";
        check_text(m.body, lim);
        if (!blank(m.body))
            return;
    }
    if (auto rtf = p.binary(prop::rtf_compressed)) {
        try {
            const std::string raw = rtf::decompress(*rtf, lim.max_text_bytes);
            auto text = rtf::to_text(raw, lim.max_text_bytes);
            if (!blank(text.text) || m.body_source.empty()) {
                m.body = unix_newlines(text.text);
                m.body_source = "rtf";
            }
        } catch (const limit_error&) {
            throw;
        } catch (const parse_error& e) {
            ctx.warnings.push_back(std::string("Outlook message: the RTF body was not read: ") +
                                   e.what());
        }
    }
    if (m.body_source.empty())
        m.body_source = "none";
}

std::vector<mailbox> split_display_list(std::string_view list) {
    std::vector<mailbox> out;
    std::size_t pos = 0;
    while (pos <= list.size()) {
        auto end = list.find(';', pos);
        if (end == std::string_view::npos)
            end = list.size();
        if (auto name = single_line(list.substr(pos, end - pos)); !name.empty())
            out.push_back({std::move(name), {}});
        pos = end + 1;
    }
    return out;
}

void read_recipients(const storage& st, const property_set& p, read_context& ctx, int codepage,
                     msg_content& m) {
    const auto names = st.names_starting("__RECIP_VERSION1.0_#");
    if (names.size() > ctx.lim.max_entries)
        throw limit_error("Outlook message: " + std::to_string(names.size()) +
                          " recipients, past the limit of " + std::to_string(ctx.lim.max_entries));
    for (const auto& name : names) {
        const auto rs = st.open(name);
        if (!rs)
            continue;
        const property_set r(*rs, 8, codepage);
        mailbox box;
        box.name = r.line(prop::display_name);
        if (box.name.empty())
            box.name = r.line(prop::recipient_display_name);
        box.address = smtp_address(r, prop::smtp_address, prop::email_address, prop::addrtype);
        if (box.empty())
            continue;
        switch (r.int32(prop::recipient_type).value_or(1) & 0x0FFFFFFF) {
        case 2:
            m.cc.push_back(std::move(box));
            break;
        case 3:
            m.bcc.push_back(std::move(box));
            break;
        default:
            m.to.push_back(std::move(box));
            break;
        }
    }
    if (m.to.empty() && m.cc.empty() && m.bcc.empty()) {
        m.to = split_display_list(p.line(prop::display_to));
        m.cc = split_display_list(p.line(prop::display_cc));
        m.bcc = split_display_list(p.line(prop::display_bcc));
    }
}

msg_content read_message(const storage& st, std::size_t header_size, read_context& ctx,
                         unsigned depth, int parent_codepage);

// Attachments: files as they are; embedded messages as RFC 822 text (see render_rfc822).
void read_attachments(const storage& st, read_context& ctx, unsigned depth, int codepage,
                      msg_content& m) {
    const auto names = st.names_starting("__ATTACH_VERSION1.0_#");
    if (names.size() > ctx.lim.max_entries)
        throw limit_error("Outlook message: " + std::to_string(names.size()) +
                          " attachments, past the limit of " + std::to_string(ctx.lim.max_entries));
    std::size_t number = 0;
    for (const auto& storage_name : names) {
        ++number;
        try {
            const auto as = st.open(storage_name);
            if (!as)
                continue;
            const property_set a(*as, 8, codepage);
            std::string name = a.line(prop::attach_long_filename);
            if (name.empty())
                name = a.line(prop::attach_filename);
            if (name.empty())
                name = a.line(prop::display_name);
            const std::string label =
                name.empty() ? "attachment " + std::to_string(number)
                             : "attachment " + std::to_string(number) + " (" + name + ")";
            if (const auto object = a.object(prop::attach_data)) {
                const bool is_message = a.int32(prop::attach_method) ==
                                            static_cast<std::int32_t>(prop::attach_embedded_msg) ||
                                        object->has("__PROPERTIES_VERSION1.0");
                if (!is_message) {
                    ctx.warnings.push_back("Outlook message: " + label +
                                           " is an embedded OLE object; it was not read");
                    continue;
                }
                const unsigned max_depth = std::min<std::uint32_t>(ctx.lim.max_depth, 32);
                if (depth + 1 > max_depth)
                    throw limit_error("Outlook message: messages embedded more than " +
                                      std::to_string(max_depth) + " deep");
                const msg_content inner = read_message(*object, 24, ctx, depth + 1, codepage);
                std::string text = render_rfc822(inner, depth + 1);
                if (text.size() > ctx.lim.max_document_bytes)
                    throw limit_error("Outlook message: embedded message of " +
                                      std::to_string(text.size()) + " bytes, past the limit");
                if (name.empty())
                    name =
                        inner.subject.empty() ? "message " + std::to_string(number) : inner.subject;
                if (name.size() >= 4 && iequals(name.substr(name.size() - 4), ".msg"))
                    name.resize(name.size() - 4);
                if (name.size() < 4 || !iequals(name.substr(name.size() - 4), ".eml"))
                    name += ".eml";
                m.attachments.push_back({std::move(name), "message/rfc822", std::move(text)});
            } else if (auto data = a.binary(prop::attach_data)) {
                if (name.empty())
                    name = "attachment " + std::to_string(number);
                m.attachments.push_back(
                    {std::move(name), a.line(prop::attach_mime_tag), std::move(*data)});
            } else {
                ctx.warnings.push_back("Outlook message: " + label +
                                       " holds no data (attached by reference?)");
            }
        } catch (const limit_error&) {
            throw;
        } catch (const parse_error& e) {
            ctx.warnings.push_back("Outlook message: attachment " + std::to_string(number) +
                                   " was not read: " + e.what());
        }
    }
}

msg_content read_message(const storage& st, std::size_t header_size, read_context& ctx,
                         unsigned depth, int parent_codepage) {
    msg_content m;
    property_set p(st, header_size, parent_codepage > 0 ? parent_codepage : 1252);
    // 8-bit strings are in the message code page; PR_INTERNET_CPID is the body's charset
    m.codepage = p.int32(prop::message_codepage);
    if (!m.codepage || *m.codepage <= 0)
        m.codepage = p.int32(prop::internet_codepage);
    if (m.codepage && *m.codepage <= 0)
        m.codepage.reset();
    const int codepage = m.codepage.value_or(parent_codepage > 0 ? parent_codepage : 1252);
    p.set_codepage(codepage);

    m.message_class = p.line(prop::message_class);
    m.subject = p.line(prop::subject);
    if (m.subject.empty())
        m.subject = single_line(p.line(prop::subject_prefix) + p.line(prop::normalized_subject));

    const std::string headers = p.string(prop::transport_headers).value_or("");
    m.from.name = p.line(prop::sender_name);
    if (m.from.name.empty())
        m.from.name = p.line(prop::sent_representing_name);
    m.from.address =
        smtp_address(p, prop::sender_smtp_address, prop::sender_email, prop::sender_addrtype);
    if (m.from.address.empty())
        m.from.address =
            smtp_address(p, prop::sent_representing_smtp_address, prop::sent_representing_email,
                         prop::sent_representing_addrtype);
    if (m.from.address.empty())
        m.from.address = address_of(header_field(headers, "From"));

    read_recipients(st, p, ctx, codepage, m);

    m.sent_utc = p.time(prop::client_submit_time);
    if (!m.sent_utc)
        m.sent_utc = p.time(prop::delivery_time);
    m.date_header = header_field(headers, "Date");
    if (const auto date = parse_rfc5322_date(m.date_header)) {
        if (!m.sent_utc)
            m.sent_utc = date->utc;
        m.offset_minutes = date->offset_minutes;
    }

    m.message_id = strip_angle_brackets(p.line(prop::internet_message_id));
    m.in_reply_to = strip_angle_brackets(p.line(prop::in_reply_to));
    read_body(p, ctx, m);
    read_attachments(st, ctx, depth, codepage, m);
    return m;
}

email_header make_header(const msg_content& m) {
    email_header h;
    h.from = m.from.display();
    const auto displays = [](const std::vector<mailbox>& boxes) {
        std::vector<std::string> out;
        for (const auto& b : boxes)
            out.push_back(b.display());
        return out;
    };
    h.to = displays(m.to);
    h.cc = displays(m.cc);
    h.bcc = displays(m.bcc);
    h.subject = m.subject;
    h.message_id = m.message_id;
    h.in_reply_to = m.in_reply_to;
    if (m.sent_utc) {
        h.sent_utc = iso_utc(*m.sent_utc);
        if (m.offset_minutes) {
            h.sent_offset = offset_text(*m.offset_minutes);
            h.sent_local = iso_local(*m.sent_utc + *m.offset_minutes * 60);
        }
    }
    h.date_raw = !m.date_header.empty() ? m.date_header : h.sent_utc.value_or("");
    return h;
}

} // namespace

document parse_msg(std::string_view bytes, const limits& lim) {
    if (bytes.size() > lim.max_document_bytes)
        throw limit_error("Outlook message of " + std::to_string(bytes.size()) +
                          " bytes, past the limit of " + std::to_string(lim.max_document_bytes));
    if (const std::string why = detail::cfb::hazard(bytes); !why.empty())
        throw parse_error("a compound file libgsf cannot read safely: " + why);
    init_gsf();
    std::vector<std::string> warnings;
    std::vector<std::string> gsf_messages;
    const gsf_log_scope log_scope(gsf_messages);

    // no copy: the input reads `bytes` where they are, and lives no longer than this call
    gobject_ptr<GsfInput> input(gsf_input_memory_new(reinterpret_cast<const guint8*>(bytes.data()),
                                                     static_cast<gsf_off_t>(bytes.size()), FALSE));
    if (!input)
        throw parse_error("not an OLE2 compound file (no bytes)");
    GError* raw_error = nullptr;
    gobject_ptr<GsfInfile> root(gsf_infile_msole_new(input.get(), &raw_error));
    const gerror_ptr error(raw_error);
    if (!root)
        throw parse_error(std::string("not a readable OLE2 compound file: ") +
                          (error ? error->message : "libgsf could not open it"));

    // A sound compound file's streams never hold more bytes than the file itself.
    read_context ctx{lim, std::min<std::uint64_t>(lim.max_expanded_bytes, bytes.size() + 4096), 0,
                     warnings};
    const storage top(std::move(root), ctx);
    if (!top.has("__PROPERTIES_VERSION1.0") && top.names_starting("__SUBSTG1.0_").empty())
        throw parse_error(
            "an OLE2 compound file that is not an Outlook message (.doc/.xls are not read)");

    msg_content m = read_message(top, 32, ctx, 0, 0);
    if (ctx.damaged > 0 && m.subject.empty() && m.from.empty() && m.to.empty() && blank(m.body))
        throw parse_error("a damaged Outlook message: none of its properties could be read");

    document doc;
    doc.kind = "msg";
    doc.mime_type = "application/vnd.ms-outlook";
    doc.title = m.subject;

    message msg;
    msg.header = make_header(m);
    msg.body = m.body;
    std::string text = detail::header_block(msg.header, "; ", "Sent") + m.body;
    check_text(text, lim);
    doc.pages.push_back({std::move(text), false});
    doc.messages.push_back(std::move(msg));

    if (!m.message_class.empty())
        doc.metadata.emplace_back("message_class", m.message_class);
    doc.metadata.emplace_back("body_source", m.body_source);
    doc.metadata.emplace_back("attachments", std::to_string(m.attachments.size()));
    if (m.codepage)
        doc.metadata.emplace_back("codepage", std::to_string(*m.codepage));
    doc.children = std::move(m.attachments);
    doc.warnings = std::move(warnings);
    for (auto& message_text : gsf_messages)
        doc.warnings.push_back(std::move(message_text));
    return doc;
}

} // namespace porchlight::docs
