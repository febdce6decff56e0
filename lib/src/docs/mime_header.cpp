// The header of an e-mail (detail/mime.hpp): addresses as a reader sees them, message ids
// without their angle brackets, and the date with the zone as written.

#include "detail/glib_handles.hpp"
#include "detail/mime.hpp"
#include "detail/scan.hpp"

#include <porchlight/docs/document.hpp>
#include <porchlight/docs/text.hpp>

#include <gmime/gmime.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace porchlight::docs::detail::mime {
namespace {

// "Name <addr>", "Name" or "addr", groups flattened to their members. The name is composed
// here rather than by internet_address_to_string, which would quote a name like
// "Doe, John": the header struct holds what a reader sees.
void append_addresses(InternetAddressList* list, std::vector<std::string>& out, int depth = 0) {
    if (!list || depth > 8)
        return;
    const int n = internet_address_list_length(list);
    for (int i = 0; i < n; ++i) {
        InternetAddress* ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            append_addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), out,
                             depth + 1);
            continue;
        }
        if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
            continue;
        const auto name = text_of(internet_address_get_name(ia));
        const auto addr = text_of(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)));
        if (!name.empty() && !addr.empty() && name != addr)
            out.push_back(name + " <" + addr + ">");
        else if (!name.empty() || !addr.empty())
            out.push_back(name.empty() ? addr : name);
    }
}

// Addresses of one header; the decoded header text itself when GMime finds no address in it
// ("From: John Smith").
std::vector<std::string> addresses(GMimeMessage* msg, GMimeAddressType type, const char* header) {
    std::vector<std::string> out;
    append_addresses(g_mime_message_get_addresses(msg, type), out);
    if (out.empty()) {
        auto raw = text_of(g_mime_object_get_header(GMIME_OBJECT(msg), header));
        if (!raw.empty() && raw.find_first_not_of(":;, ") != std::string::npos &&
            raw.find(':') == std::string::npos) // not an empty group "undisclosed-recipients:;"
            out.push_back(std::move(raw));
    }
    return out;
}

std::string strip_angles(std::string_view id) {
    id = trim(id);
    if (id.starts_with('<'))
        id.remove_prefix(1);
    if (id.ends_with('>'))
        id.remove_suffix(1);
    return sanitize_utf8(trim(id));
}

std::string message_id_of(const char* value) {
    if (!value || !*value)
        return {};
    gchar_ptr id(g_mime_utils_decode_message_id(value));
    return id ? strip_angles(id.get()) : strip_angles(value);
}

// The zone of a date as written, in minutes east of UTC. GMime reads a zone it does not know
// ("CEST") and a missing one as UTC, so the zone is taken from the text itself: the token after
// the time of day. minus_zero: "-0000", RFC 5322's "UTC, local zone unknown".
std::optional<int> zone_offset(std::string_view raw, bool& minus_zero) {
    minus_zero = false;
    std::string text; // without (comments)
    int depth = 0;
    for (char c : raw) {
        if (c == '(')
            ++depth;
        else if (c == ')' && depth > 0)
            --depth;
        else if (depth == 0)
            text += c == ',' ? ' ' : c;
    }
    std::vector<std::string_view> tokens;
    std::string_view rest = text;
    while (!(rest = trim(rest)).empty()) {
        const auto end = std::min(rest.find_first_of(" \t\r\n"), rest.size());
        tokens.push_back(rest.substr(0, end));
        rest.remove_prefix(end);
    }
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
        const auto t = tokens[i];
        if (t.find(':') == std::string_view::npos || t.find_first_not_of("0123456789:") != t.npos)
            continue;
        auto z = tokens[i + 1];
        if ((z[0] == '+' || z[0] == '-') && (z.size() == 5 || (z.size() == 6 && z[3] == ':'))) {
            std::string digits(z.substr(1, 2));
            digits += z.substr(z.size() - 2);
            if (digits.find_first_not_of("0123456789") != std::string::npos)
                return std::nullopt;
            const int hh = std::stoi(digits.substr(0, 2));
            const int mm = std::stoi(digits.substr(2));
            if (hh > 23 || mm > 59)
                return std::nullopt;
            minus_zero = z[0] == '-' && hh == 0 && mm == 0;
            return (z[0] == '-' ? -1 : 1) * (hh * 60 + mm);
        }
        static const std::pair<std::string_view, int> names[] = {
            {"ut", 0},     {"utc", 0},    {"gmt", 0},     {"z", 0},       {"est", -300},
            {"edt", -240}, {"cst", -360}, {"cdt", -300},  {"mst", -420},  {"mdt", -360},
            {"pst", -480}, {"pdt", -420}, {"akst", -540}, {"akdt", -480}, {"hst", -600},
            {"wet", 0},    {"west", 60},  {"bst", 60},    {"cet", 60},    {"cest", 120},
            {"met", 60},   {"mest", 120}, {"eet", 120},   {"eest", 180},  {"msk", 180},
            {"jst", 540},  {"kst", 540},  {"aest", 600},  {"aedt", 660},  {"nzst", 720},
            {"nzdt", 780}};
        const auto name = lowered(z);
        for (const auto& [n, offset] : names)
            if (n == name)
                return offset;
        return std::nullopt;
    }
    return std::nullopt;
}

std::string format_time(std::chrono::sys_seconds tp) {
    using namespace std::chrono;
    const auto day = floor<days>(tp);
    const year_month_day ymd{day};
    const hh_mm_ss hms{tp - day};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

void read_date(GMimeMessage* msg, email_header& h, std::vector<std::string>& warnings) {
    h.date_raw = text_of(g_mime_object_get_header(GMIME_OBJECT(msg), "Date"));
    if (h.date_raw.empty())
        return;
    GDateTime* dt = g_mime_message_get_date(msg); // owned by the message
    if (!dt) {
        warnings.push_back("Date header not understood: " + h.date_raw);
        return;
    }
    using namespace std::chrono;
    // the wall-clock time as written: GMime keeps it in the zone it read (UTC when unknown)
    const auto local =
        sys_days{year{g_date_time_get_year(dt)} / static_cast<unsigned>(g_date_time_get_month(dt)) /
                 static_cast<unsigned>(g_date_time_get_day_of_month(dt))} +
        hours{g_date_time_get_hour(dt)} + minutes{g_date_time_get_minute(dt)} +
        seconds{g_date_time_get_second(dt)};
    h.sent_local = format_time(local);
    bool minus_zero = false;
    if (const auto offset = zone_offset(h.date_raw, minus_zero)) {
        h.sent_utc = format_time(local - minutes{*offset}) + "Z";
        if (!minus_zero) {
            char buf[16];
            const int a = std::abs(*offset);
            std::snprintf(buf, sizeof buf, "%c%02d:%02d", *offset < 0 ? '-' : '+', a / 60, a % 60);
            h.sent_offset = buf;
        }
    }
}

} // namespace

email_header read_header(GMimeMessage* msg, std::vector<std::string>& warnings) {
    email_header h;
    h.from = join(addresses(msg, GMIME_ADDRESS_TYPE_FROM, "From"), ", ");
    h.to = addresses(msg, GMIME_ADDRESS_TYPE_TO, "To");
    h.cc = addresses(msg, GMIME_ADDRESS_TYPE_CC, "Cc");
    h.bcc = addresses(msg, GMIME_ADDRESS_TYPE_BCC, "Bcc");
    h.subject = text_of(g_mime_message_get_subject(msg));
    h.message_id = message_id_of(g_mime_message_get_message_id(msg));
    h.in_reply_to = message_id_of(g_mime_object_get_header(GMIME_OBJECT(msg), "In-Reply-To"));
    read_date(msg, h, warnings);
    return h;
}

} // namespace porchlight::docs::detail::mime
