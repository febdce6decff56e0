#pragma once

// Local times printed without a zone (e-mails printed to PDF) read in a named zone of the
// system's time-zone database, through GLib's GTimeZone: no TZ environment variable is
// touched, so it is safe while other threads parse.

#include <optional>
#include <string>
#include <utility>

namespace porchlight::docs {

/// Whether zone names a zone of the tz database ("America/Denver", "UTC").
bool known_timezone(const std::string& zone);

/// A local time as printed ("2022-05-12T17:49:51") in zone, as UTC and the zone's offset
/// then: {"2022-05-13T00:49:51Z", "-07:00"} (daylight saving time included). nullopt when
/// the time or the zone is not valid. A time that falls twice (the hour repeated when
/// daylight saving ends) is taken in daylight time; one that does not exist (skipped in
/// spring) is moved forward by the gap.
std::optional<std::pair<std::string, std::string>> local_to_utc(const std::string& local,
                                                                const std::string& zone);

} // namespace porchlight::docs
