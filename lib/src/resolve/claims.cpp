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

std::optional<chosen_date> choose_start(std::vector<date_claim> claims) {
    if (claims.empty())
        return std::nullopt;
    auto less = [](const date_claim& a, const date_claim& b) {
        const auto ia = claim_interval(a), ib = claim_interval(b);
        if (ia.first != ib.first)
            return ia.first < ib.first;
        if (width(a) != width(b))
            return width(a) < width(b);
        return a.date < b.date;
    };
    std::sort(claims.begin(), claims.end(), less);
    const auto earliest = claim_interval(claims.front());
    // refine: the most precise (then earliest) claim inside the earliest interval
    const date_claim* best = &claims.front();
    for (const auto& c : claims) {
        const auto i = claim_interval(c);
        if (i.first >= earliest.first && i.second <= earliest.second &&
            (width(c) < width(*best) || (width(c) == width(*best) && less(c, *best))))
            best = &c;
    }
    chosen_date out{*best, false};
    const auto chosen = claim_interval(*best);
    for (const auto& c : claims) {
        const auto i = claim_interval(c);
        if (i.second < chosen.first || i.first > chosen.second)
            out.conflict = true;
    }
    return out;
}

} // namespace porchlight::resolve
