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
std::vector<personal_span> find_personal_data(std::string_view text);

/// The text with each span replaced by its kind in brackets: "[email]", "[phone]",
/// "[street address]". Spans must be sorted and not overlap.
std::string redact(std::string_view text, const std::vector<personal_span>& spans);

} // namespace porchlight::docs
