#pragma once

// The compound file of an Outlook message, read with libgsf (msg_storage.cpp): storages
// and their streams, within the limits of one parse, and the MAPI properties of one object
// (message, recipient, attachment). libgsf opens only bytes that cfb::hazard
// (msg_cfb_check.hpp) has let through.

#include "glib_handles.hpp"

#include <porchlight/docs/document.hpp>

#include <gsf/gsf-infile.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::docs::detail::msg {

// ---------------------------------------------------------------------------------------
// libgsf plumbing

/// gsf_init, once; from then on GLib's messages go through the library's handler: on a
/// thread inside a gsf_log_scope to that scope's sink, elsewhere to the handler that was
/// there before.
void init_gsf();

/// Sends libgsf's messages (g_warning / g_critical on damaged files) on this thread to
/// `sink` while it lives: the library never writes to stderr.
class gsf_log_scope {
  public:
    explicit gsf_log_scope(std::vector<std::string>& sink);
    ~gsf_log_scope();
    gsf_log_scope(const gsf_log_scope&) = delete;
    gsf_log_scope& operator=(const gsf_log_scope&) = delete;

  private:
    std::vector<std::string>* m_previous;
};

// ---------------------------------------------------------------------------------------
// the compound file

/// What one parse may still read, and what it has found damaged.
struct read_context {
    const limits& lim;
    std::uint64_t budget; ///< stream bytes left: a sound file holds no more than its size
    unsigned damaged = 0; ///< streams that could not be read
    std::vector<std::string>& warnings;
};

/// One storage (directory) of the compound file and its children by (upper-case) name.
class storage {
  public:
    storage(gobject_ptr<GsfInfile> infile, read_context& ctx);

    bool has(const std::string& name) const { return m_children.count(name) > 0; }

    /// The children whose names start with `prefix`, in name order.
    std::vector<std::string> names_starting(std::string_view prefix) const;

    /// The bytes of stream `name`: nullopt when there is none (or it is damaged: a warning).
    /// limit_error past lim.max_document_bytes, or past the budget of the parse.
    std::optional<std::string> read(const std::string& name) const;

    /// The sub-storage `name`; nullopt when there is none.
    std::optional<storage> open(const std::string& name) const;

  private:
    static bool is_storage(GsfInput* input);
    std::optional<std::string> damaged(const std::string& name, bool exists) const;

    gobject_ptr<GsfInfile> m_infile;
    read_context* m_ctx;
    std::map<std::string, int> m_children;
    mutable std::vector<bool> m_counted; // streams already taken from the budget
};

// ---------------------------------------------------------------------------------------
// MAPI properties

namespace prop {
constexpr std::uint16_t message_class = 0x001A;
constexpr std::uint16_t subject = 0x0037;
constexpr std::uint16_t client_submit_time = 0x0039;
constexpr std::uint16_t subject_prefix = 0x003D;
constexpr std::uint16_t sent_representing_name = 0x0042;
constexpr std::uint16_t sent_representing_addrtype = 0x0064;
constexpr std::uint16_t sent_representing_email = 0x0065;
constexpr std::uint16_t transport_headers = 0x007D;
constexpr std::uint16_t recipient_type = 0x0C15;
constexpr std::uint16_t sender_name = 0x0C1A;
constexpr std::uint16_t sender_addrtype = 0x0C1E;
constexpr std::uint16_t sender_email = 0x0C1F;
constexpr std::uint16_t display_bcc = 0x0E02;
constexpr std::uint16_t display_cc = 0x0E03;
constexpr std::uint16_t display_to = 0x0E04;
constexpr std::uint16_t delivery_time = 0x0E06;
constexpr std::uint16_t normalized_subject = 0x0E1D;
constexpr std::uint16_t body = 0x1000;
constexpr std::uint16_t rtf_compressed = 0x1009;
constexpr std::uint16_t html = 0x1013;
constexpr std::uint16_t internet_message_id = 0x1035;
constexpr std::uint16_t in_reply_to = 0x1042;
constexpr std::uint16_t display_name = 0x3001;
constexpr std::uint16_t addrtype = 0x3002;
constexpr std::uint16_t email_address = 0x3003;
constexpr std::uint16_t attach_data = 0x3701;
constexpr std::uint16_t attach_filename = 0x3704;
constexpr std::uint16_t attach_method = 0x3705;
constexpr std::uint16_t attach_long_filename = 0x3707;
constexpr std::uint16_t attach_mime_tag = 0x370E;
constexpr std::uint16_t smtp_address = 0x39FE;
constexpr std::uint16_t internet_codepage = 0x3FDE;
constexpr std::uint16_t message_codepage = 0x3FFD;
constexpr std::uint16_t sender_smtp_address = 0x5D01;
constexpr std::uint16_t sent_representing_smtp_address = 0x5D02;
constexpr std::uint16_t recipient_display_name = 0x5FF6;

constexpr std::uint16_t type_long = 0x0003;
constexpr std::uint16_t type_object = 0x000D;
constexpr std::uint16_t type_string8 = 0x001E;
constexpr std::uint16_t type_unicode = 0x001F;
constexpr std::uint16_t type_systime = 0x0040;
constexpr std::uint16_t type_binary = 0x0102;

constexpr std::uint32_t attach_embedded_msg = 5;
} // namespace prop

/// The properties of one object (message, recipient, attachment) in its storage.
class property_set {
  public:
    /// header_size: 32 for the message, 24 for an embedded message, 8 for a recipient or an
    /// attachment. Strings in 8 bits are read in `codepage`.
    property_set(const storage& st, std::size_t header_size, int codepage);

    void set_codepage(int codepage) { m_codepage = codepage; }

    /// A string property (PT_UNICODE or PT_STRING8) as UTF-8, cut at its first NUL.
    std::optional<std::string> string(std::uint16_t id) const;

    /// A string property as one trimmed line, "" when absent.
    std::string line(std::uint16_t id) const;

    std::optional<std::string> binary(std::uint16_t id) const;
    std::optional<std::int32_t> int32(std::uint16_t id) const;
    /// A PT_SYSTIME as Unix seconds.
    std::optional<std::int64_t> time(std::uint16_t id) const;

    /// An object property kept as a storage (an embedded message).
    std::optional<storage> object(std::uint16_t id) const;

  private:
    struct fixed {
        std::uint16_t type;
        std::uint64_t value;
    };
    const storage* m_storage;
    int m_codepage;
    std::map<std::uint16_t, fixed> m_fixed;
};

} // namespace porchlight::docs::detail::msg
