#pragma once

#include <optional>
#include <string>
#include <vector>

namespace porchlight::resolve {

/// One source's claim of a date: ISO text and its precision ("year", "month", "day").
struct date_claim {
    std::string date;
    std::string precision;
    bool operator==(const date_claim&) const = default;
};

struct chosen_date {
    date_claim date;
    bool conflict = false; ///< some claim cannot be the same date as the chosen one
};

/// The rule that picks a partnership's start from its claims ("earliest-claim"):
/// each claim is the interval of days it may mean (a month: its first to its last day).
/// The earliest interval wins, refined by the most precise claim that lies inside it
/// ("December 2019" and "2019-12-12" agree: the start is 2019-12-12). Claims whose interval
/// does not meet the chosen one's are a conflict. nullopt when there is no claim.
std::optional<chosen_date> choose_start(std::vector<date_claim> claims);

/// First and last day a claim may mean: "2019-12" -> ["2019-12-01", "2019-12-31"].
std::pair<std::string, std::string> claim_interval(const date_claim& c);

} // namespace porchlight::resolve
