// The compound file of an Outlook message through libgsf, and the MAPI properties of its
// objects (detail/msg_storage.hpp).
//
// A storage holds an object's properties (MS-OXMSG 2.1, 2.4):
//   __substg1.0_IIIITTTT            one stream per variable-size property, id IIII and type
//                                   TTTT: 001F UTF-16LE string, 001E 8-bit string in the
//                                   message code page, 0102 binary, 000D an object stored as
//                                   a storage (an embedded message)
//   __properties_version1.0         the fixed-size properties, 16 bytes each after a header
//                                   of 32 bytes (the message), 24 (an embedded message) or 8
//                                   (a recipient, an attachment)

#include "detail/msg_storage.hpp"

#include "detail/little_endian.hpp"
#include "detail/msg_header.hpp"
#include "detail/msg_text.hpp"
#include "detail/rtf.hpp"

#include <porchlight/docs/text.hpp>

#include <gsf/gsf-input.h>
#include <gsf/gsf-utils.h>

#include <algorithm>
#include <cstdio>
#include <mutex>

namespace porchlight::docs::detail::msg {
namespace {

// libgsf reports damaged files with g_warning / g_critical (in its own log domains and in
// the default one). The library never writes to stderr: while a parse runs on this thread,
// GLib's messages go to that parse's warnings; at any other time (another thread, another
// library) they go on to the default handler that was there before.
thread_local std::vector<std::string>* t_gsf_log = nullptr;
GLogFunc g_previous_log_handler = nullptr;

void on_glib_log(const gchar* domain, GLogLevelFlags level, const gchar* message, gpointer data) {
    if (t_gsf_log == nullptr) {
        (g_previous_log_handler != nullptr ? g_previous_log_handler
                                           : g_log_default_handler)(domain, level, message, data);
        return;
    }
    if (t_gsf_log->size() < 16)
        t_gsf_log->push_back(std::string("libgsf: ") + (message != nullptr ? message : ""));
}

std::string hex4(unsigned value) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04X", value & 0xFFFF);
    return buf;
}

std::string stream_name(std::uint16_t id, std::uint16_t type) {
    return "__SUBSTG1.0_" + hex4(id) + hex4(type);
}

} // namespace

// ---------------------------------------------------------------------------------------
// libgsf plumbing

void init_gsf() {
    static std::once_flag once;
    std::call_once(once, [] {
        gsf_init();
        g_previous_log_handler = g_log_set_default_handler(on_glib_log, nullptr);
    });
}

gsf_log_scope::gsf_log_scope(std::vector<std::string>& sink) : m_previous(t_gsf_log) {
    t_gsf_log = &sink;
}

gsf_log_scope::~gsf_log_scope() {
    t_gsf_log = m_previous;
}

// ---------------------------------------------------------------------------------------
// the compound file

storage::storage(gobject_ptr<GsfInfile> infile, read_context& ctx)
    : m_infile(std::move(infile)), m_ctx(&ctx) {
    const int n = gsf_infile_num_children(m_infile.get());
    for (int i = 0; i < n; ++i)
        if (const char* name = gsf_infile_name_by_index(m_infile.get(), i))
            m_children.emplace(upper_ascii(name), i);
    m_counted.assign(static_cast<std::size_t>(std::max(n, 0)), false);
}

std::vector<std::string> storage::names_starting(std::string_view prefix) const {
    std::vector<std::string> names;
    for (auto it = m_children.lower_bound(std::string(prefix));
         it != m_children.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
        names.push_back(it->first);
    return names;
}

std::optional<std::string> storage::read(const std::string& name) const {
    const auto it = m_children.find(name);
    if (it == m_children.end())
        return std::nullopt;
    gobject_ptr<GsfInput> input(gsf_infile_child_by_index(m_infile.get(), it->second));
    if (!input || is_storage(input.get()))
        return damaged(name, input != nullptr);
    const gsf_off_t size = gsf_input_size(input.get());
    if (size < 0)
        return damaged(name, true);
    const auto n = static_cast<std::uint64_t>(size);
    if (n > m_ctx->lim.max_document_bytes)
        throw limit_error("Outlook message: stream " + name + " of " + std::to_string(n) +
                          " bytes, past the limit of " +
                          std::to_string(m_ctx->lim.max_document_bytes));
    if (!m_counted[static_cast<std::size_t>(it->second)]) {
        if (n > m_ctx->budget)
            throw limit_error("Outlook message: its streams hold more bytes than the file "
                              "(streams share sectors: a damaged or hostile file)");
        m_ctx->budget -= n;
        m_counted[static_cast<std::size_t>(it->second)] = true;
    }
    std::string data(static_cast<std::size_t>(n), '\0');
    if (n > 0 &&
        gsf_input_read(input.get(), size, reinterpret_cast<guint8*>(data.data())) == nullptr)
        return damaged(name, true);
    return data;
}

std::optional<storage> storage::open(const std::string& name) const {
    const auto it = m_children.find(name);
    if (it == m_children.end())
        return std::nullopt;
    gobject_ptr<GsfInput> input(gsf_infile_child_by_index(m_infile.get(), it->second));
    if (!input || !is_storage(input.get()))
        return std::nullopt;
    return storage(gobject_ptr<GsfInfile>(GSF_INFILE(input.release())), *m_ctx);
}

bool storage::is_storage(GsfInput* input) {
    return GSF_IS_INFILE(input) && gsf_infile_num_children(GSF_INFILE(input)) >= 0;
}

std::optional<std::string> storage::damaged(const std::string& name, bool exists) const {
    if (exists) {
        ++m_ctx->damaged;
        if (m_ctx->warnings.size() < 64)
            m_ctx->warnings.push_back("Outlook message: stream " + name +
                                      " is damaged and was not read");
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------
// MAPI properties

property_set::property_set(const storage& st, std::size_t header_size, int codepage)
    : m_storage(&st), m_codepage(codepage) {
    const auto raw = st.read("__PROPERTIES_VERSION1.0");
    if (!raw)
        return;
    std::size_t header = header_size;
    if (raw->size() < header || (raw->size() - header) % 16 != 0)
        for (const std::size_t other : {32u, 24u, 8u})
            if (raw->size() >= other && (raw->size() - other) % 16 == 0) {
                header = other;
                break;
            }
    for (std::size_t at = header; at + 16 <= raw->size(); at += 16) {
        const std::uint32_t tag = le32(*raw, at);
        const std::uint64_t value = le32(*raw, at + 8) | std::uint64_t{le32(*raw, at + 12)} << 32;
        m_fixed[static_cast<std::uint16_t>(tag >> 16)] = {static_cast<std::uint16_t>(tag & 0xFFFF),
                                                          value};
    }
}

std::optional<std::string> property_set::string(std::uint16_t id) const {
    std::string text;
    if (auto raw = m_storage->read(stream_name(id, prop::type_unicode))) {
        if (raw->size() % 2 != 0)
            raw->pop_back();
        text = to_utf8(*raw, "utf-16le");
    } else if (auto raw8 = m_storage->read(stream_name(id, prop::type_string8))) {
        raw8->resize(std::min(raw8->size(), raw8->find('\0')));
        const bool wide = m_codepage == 1200 || m_codepage == 1201;
        text = to_utf8(*raw8, rtf::codepage_charset(wide ? 1252 : m_codepage));
    } else {
        return std::nullopt;
    }
    text.resize(std::min(text.size(), text.find('\0')));
    return text;
}

std::string property_set::line(std::uint16_t id) const {
    return single_line(string(id).value_or(""));
}

std::optional<std::string> property_set::binary(std::uint16_t id) const {
    return m_storage->read(stream_name(id, prop::type_binary));
}

std::optional<std::int32_t> property_set::int32(std::uint16_t id) const {
    const auto it = m_fixed.find(id);
    if (it == m_fixed.end() || it->second.type != prop::type_long)
        return std::nullopt;
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(it->second.value));
}

std::optional<std::int64_t> property_set::time(std::uint16_t id) const {
    const auto it = m_fixed.find(id);
    if (it == m_fixed.end() || it->second.type != prop::type_systime)
        return std::nullopt;
    return filetime_to_unix(it->second.value);
}

std::optional<storage> property_set::object(std::uint16_t id) const {
    return m_storage->open(stream_name(id, prop::type_object));
}

} // namespace porchlight::docs::detail::msg
