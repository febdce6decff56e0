#include <porchlight/resolve/claims.hpp>

#include <algorithm>
#include <cstdio>

namespace porchlight::resolve {

namespace {
int width(const date_claim& c) {
    if (c.precision == "day")
        return 0;
    if (c.precision == "month")
        return 1;
    return 2;
}
} // namespace

std::pair<std::string, std::string> claim_interval(const date_claim& c) {
    if (c.precision == "year")
        return {c.date + "-01-01", c.date + "-12-31"};
    if (c.precision == "month") {
        int y = 0, m = 0;
        std::sscanf(c.date.c_str(), "%d-%d", &y, &m);
        static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int last = (m >= 1 && m <= 12) ? days[m - 1] : 31;
        if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
            last = 29;
        char buf[4];
        std::snprintf(buf, sizeof buf, "%02d", last);
        return {c.date + "-01", c.date + "-" + buf};
    }
    return {c.date, c.date};
}

namespace {

/// Shared by choose_start (earliest = true) and choose_end (earliest = false).
std::optional<chosen_date> choose(std::vector<date_claim> claims, bool earliest) {
    if (claims.empty())
        return std::nullopt;
    // a before b: the interval that starts first (ends last for the end rule), then the
    // more precise, then by text so the result never depends on the order of the claims
    auto before = [earliest](const date_claim& a, const date_claim& b) {
        const auto ia = claim_interval(a), ib = claim_interval(b);
        if (earliest && ia.first != ib.first)
            return ia.first < ib.first;
        if (!earliest && ia.second != ib.second)
            return ia.second > ib.second;
        if (width(a) != width(b))
            return width(a) < width(b);
        return a.date < b.date;
    };
    const date_claim* chosen = &*std::min_element(claims.begin(), claims.end(), before);
    while (true) {
        // refine by the claims strictly inside the chosen one
        const auto outer = claim_interval(*chosen);
        const date_claim* next = nullptr;
        for (const auto& c : claims) {
            const auto i = claim_interval(c);
            if (width(c) < width(*chosen) && i.first >= outer.first && i.second <= outer.second &&
                (!next || before(c, *next)))
                next = &c;
        }
        if (!next)
            break;
        chosen = next;
    }
    chosen_date out{*chosen, false};
    const auto ci = claim_interval(*chosen);
    for (const auto& c : claims) {
        const auto i = claim_interval(c);
        if (i.second < ci.first || i.first > ci.second)
            out.conflict = true;
    }
    return out;
}

} // namespace

std::optional<chosen_date> choose_start(std::vector<date_claim> claims) {
    return choose(std::move(claims), true);
}

std::optional<chosen_date> choose_end(std::vector<date_claim> claims) {
    return choose(std::move(claims), false);
}

} // namespace porchlight::resolve
