#pragma once

#include <porchlight/docs/document.hpp>

#include <string_view>

namespace porchlight::docs::detail {

/// The date of a printed header: "Thursday, May 12, 2022 5:49:51 PM", "6/4/2019 3:15 PM",
/// "Mon, 4 Jun 2019 15:15:00 -0700", "Mon, Jun 3, 2019 at 3:15 PM", "2019-06-04 15:15".
/// Fills sent_local, and sent_utc and sent_offset when the zone is written; leaves them
/// unset when the date does not read as one (an unexplained number, no time of day).
void parse_printed_date(std::string_view raw, email_header& h);

} // namespace porchlight::docs::detail
