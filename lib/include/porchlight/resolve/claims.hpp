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
/// The claim whose interval starts first wins, then is refined by the claims inside it,
/// again the one that starts first, until none is inside ("2019", "February 2019" and
/// "2019-03-05": February 2019; "December 2019" and "2019-12-12": 2019-12-12). Claims whose
/// interval does not meet the chosen one's are a conflict. nullopt when there is no claim.
std::optional<chosen_date> choose_start(std::vector<date_claim> claims);

/// The same rule mirrored for the end ("latest-claim"): the claim whose interval ends
/// last, refined by the claims inside it that end last ("2020" and "2020-05-01": 2020-05-01).
std::optional<chosen_date> choose_end(std::vector<date_claim> claims);

/// First and last day a claim may mean: "2019-12" -> ["2019-12-01", "2019-12-31"].
std::pair<std::string, std::string> claim_interval(const date_claim& c);

} // namespace porchlight::resolve
