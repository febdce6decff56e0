#pragma once

// Personal data in FOIA text: e-mail addresses, phone numbers and street addresses, found
// so that search, exports and maps can mask them.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace porchlight::docs {

struct personal_span {
    std::size_t begin = 0; ///< byte offset into the UTF-8 text
    std::size_t end = 0;   ///< one past the last byte
    std::string kind;      ///< "email", "phone" or "street_address"
};

/// Every e-mail address, phone number (North American forms, with or without country code
/// and extension) and street address ("1523 26th Street", "123 N Main St Apt 4") in the
/// text, in order, not overlapping. Linear in the text's length.
///
/// What counts:
/// - email: "name@domain.tld", and the obfuscated forms with a bracketed "at" and "dot":
///   "name [at] domain [dot] org", "name(at)domain.com". A bare " at " / " dot " does not
///   count (too much ordinary prose reads that way), nor do quoted local parts, IP-literal
///   or non-ASCII domains.
/// - phone: ten-digit North American numbers (area code and exchange 2-9xx): "(619)
///   555-0123", "619-555-0123", "619.555.0123", "619/555-0123", "+1 619 555 0123",
///   "+16195550123", "1-800-555-0123", with an extension ("ext. 12", "x12", "extension
///   4401") made part of the span. Not: seven-digit local numbers, three space-separated
///   groups without "+1" or parentheses ("200 300 4000" is as likely a table row), numbers
///   that continue a longer number ("12-619-555-0123").
/// - street_address: house number, street name words (capitalised, ordinals like "26th",
///   particles like "de la"), a street suffix (Street/St, Avenue/Ave, Road/Rd, Boulevard/Blvd,
///   Drive/Dr, Lane/Ln, Court/Ct, Way, Place/Pl, Circle/Cir, Parkway/Pkwy, Highway/Hwy,
///   Terrace/Ter, Trail/Trl, ... in Title or UPPER case), an optional post-direction
///   ("NW") and unit ("Apt 4", "Suite 200", "#12"); also "1999 Broadway", "4500 block of
///   Main St", "12345 Highway 99", "42 County Road 12". The period of an abbreviated
///   suffix belongs to the span. Words are joined by spaces, tabs, no-break and zero-width
///   spaces on one line. Not: a number without a suffix ("2022 Ring LLC", "Case 21-12345"),
///   city, state and ZIP after the street, P.O. boxes, courts ("12 Superior Court"), times
///   ("3 PM Dr. Smith"), dollar amounts and numbers continuing a longer one ("$1,500 Oak
///   Ln").
/// When spans of two kinds overlap, the longer is kept (the earlier of two as long).
std::vector<personal_span> find_personal_data(std::string_view text);

/// The text with each span replaced by its kind in brackets: "[email]", "[phone]",
/// "[street address]" (another kind: its name in brackets, "_" read as a space). Spans
/// must be sorted, not overlap and lie inside the text: std::invalid_argument otherwise.
std::string redact(std::string_view text, const std::vector<personal_span>& spans);

} // namespace porchlight::docs
