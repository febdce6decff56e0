#pragma once

// RFC 5322 for the Outlook .msg reader (msg_header.cpp): the fields and dates of the
// transport headers a message keeps (PR_TRANSPORT_MESSAGE_HEADERS), addresses and message
// ids, and the times of MAPI properties (FILETIME) as text.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace porchlight::docs::detail::msg {

/// "YYYY-MM-DDTHH:MM:SS" of Unix time t.
std::string iso_local(std::int64_t t);

/// "YYYY-MM-DDTHH:MM:SSZ" of Unix time t.
std::string iso_utc(std::int64_t t);

/// "+HH:MM" / "-HH:MM"
std::string offset_text(int minutes);

/// RFC 5322 date of a UTC time: "Tue, 08 Jun 2021 16:30:19 +0000"
std::string rfc5322_date(std::int64_t t);

/// A FILETIME (100 ns since 1601-01-01 UTC) as Unix seconds; nullopt for 0 and the far future.
std::optional<std::int64_t> filetime_to_unix(std::uint64_t ft);

struct header_date {
    std::int64_t utc;
    std::optional<int> offset_minutes; ///< the sender's offset; none for "-0000"
};

/// An RFC 5322 date ("Tue, 08 Jun 2021 16:30:19 +0000 (UTC)", obsolete zone names too);
/// nullopt when it is not one or has no zone.
std::optional<header_date> parse_rfc5322_date(std::string_view s);

/// The first field `name` of an RFC 5322 header block, unfolded; "" when absent.
std::string header_field(std::string_view headers, std::string_view name);

/// A message id without its angle brackets.
std::string strip_angle_brackets(std::string_view s);

/// An SMTP address, not an Exchange X500 one ("/O=EXCHANGELABS/OU=...").
bool is_smtp_address(std::string_view s);

/// The address part of "Name <addr>" or "addr"; "" when it is not an SMTP address.
std::string address_of(std::string_view field);

} // namespace porchlight::docs::detail::msg
