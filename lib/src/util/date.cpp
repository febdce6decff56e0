#include <porchlight/error.hpp>
#include <porchlight/util/date.hpp>
#include <porchlight/util/text.hpp>

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <vector>

#include <sys/stat.h>

namespace porchlight::util {

std::string_view to_string(date_precision p) {
    switch (p) {
    case date_precision::year:
        return "year";
    case date_precision::month:
        return "month";
    case date_precision::day:
        return "day";
    }
    return "day";
}

std::string partial_date::iso() const {
    char buf[16];
    switch (precision) {
    case date_precision::year:
        std::snprintf(buf, sizeof buf, "%04d", year);
        break;
    case date_precision::month:
        std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
        break;
    case date_precision::day:
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
        break;
    }
    return buf;
}

namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static constexpr std::array<int, 12> d = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : d[static_cast<std::size_t>(m - 1)];
}

int month_from_name(std::string_view word) {
    static constexpr std::array<const char*, 12> names = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    auto w = to_lower_ascii(word);
    if (w.size() < 3)
        return 0;
    if (w == "sept")
        return 9;
    for (std::size_t i = 0; i < names.size(); ++i) {
        std::string_view n = names[i];
        if (w.size() <= n.size() && n.substr(0, w.size()) == w)
            return static_cast<int>(i + 1);
    }
    return 0;
}

// Tokens: runs of digits, runs of letters; separators recorded between them.
struct token {
    std::string text;
    bool digits;
};

std::vector<token> tokenize(std::string_view s, std::string& separators) {
    std::vector<token> out;
    std::size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        auto is_digit = [](char ch) { return ch >= '0' && ch <= '9'; };
        auto is_alpha = [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); };
        if (is_digit(c) || is_alpha(c)) {
            bool d = is_digit(c);
            std::size_t j = i;
            while (j < s.size() && (d ? is_digit(s[j]) : is_alpha(s[j])))
                ++j;
            out.push_back({std::string(s.substr(i, j - i)), d});
            i = j;
        } else {
            separators += c;
            ++i;
        }
    }
    return out;
}

int to_int(const std::string& s) {
    int v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

int expand_year(const token& t) {
    int y = to_int(t.text);
    if (t.text.size() == 2)
        return y < 70 ? 2000 + y : 1900 + y;
    if (t.text.size() == 4)
        return y;
    return -1;
}

partial_date make(int y, int m, int d, std::string_view original) {
    auto bad = [&](const std::string& why) {
        return std::invalid_argument("invalid date '" + std::string(original) + "': " + why);
    };
    if (y < 1800 || y > 2200)
        throw bad("year " + std::to_string(y) + " out of range");
    partial_date p;
    p.year = y;
    p.precision = date_precision::year;
    if (m != 0 || d != 0) {
        if (m < 1 || m > 12)
            throw bad("month " + std::to_string(m) + " out of range");
        p.month = m;
        p.precision = date_precision::month;
    }
    if (d != 0) {
        if (d < 1 || d > days_in_month(y, m))
            throw bad("day " + std::to_string(d) + " out of range for " + std::to_string(y) +
                      "-" + (m < 10 ? "0" : "") + std::to_string(m));
        p.day = d;
        p.precision = date_precision::day;
    }
    return p;
}

} // namespace

std::optional<partial_date> parse_date(std::string_view text) {
    const auto s = trim(text);
    if (s.empty())
        return std::nullopt;
    std::string seps;
    auto t = tokenize(s, seps);
    auto fail = [&]() -> std::invalid_argument {
        return std::invalid_argument("invalid date '" + s + "': not a date form porchlight knows");
    };
    // A time part after a full date ("2019/07/15 00:00:00", "2019-07-15T10:00:00Z") is dropped.
    if (t.size() > 3 && t[0].digits && t[0].text.size() == 4 && t[1].digits && t[2].digits)
        t.resize(3);
    if (t.size() > 3 && t[0].digits && t[1].digits && t[2].digits && t[2].text.size() == 4)
        t.resize(3);

    const auto n = t.size();
    auto all_digits = [&] {
        for (const auto& k : t)
            if (!k.digits)
                return false;
        return true;
    };
    if (n == 1 && t[0].digits && t[0].text.size() == 4)
        return make(to_int(t[0].text), 0, 0, s);
    if (n == 1 && t[0].digits && t[0].text.size() == 5) {
        // a spreadsheet's serial day number (days since 1899-12-30) that lost its formatting
        const int serial = to_int(t[0].text);
        if (serial < 20000 || serial > 80000)
            throw fail();
        const auto days = std::chrono::sys_days{std::chrono::year{1899} / 12 / 30} +
                          std::chrono::days{serial};
        const std::chrono::year_month_day ymd{days};
        auto p = make(static_cast<int>(ymd.year()), static_cast<int>(unsigned(ymd.month())),
                      static_cast<int>(unsigned(ymd.day())), s);
        p.note = "read the spreadsheet serial day number " + s + " as " + p.iso();
        return p;
    }
    if (n == 2 && t[0].digits && t[1].digits && t[0].text.size() == 4 &&
        (t[1].text.size() == 4 || (t[1].text.size() == 2 && to_int(t[1].text) > 12)) &&
        (seps == "-" || seps == "/")) {
        // a year range: "2017-2019", "2017/2018", "2016-17"
        const int first = to_int(t[0].text);
        int second = to_int(t[1].text);
        if (t[1].text.size() == 2)
            second += first / 100 * 100;
        if (second > first && second - first < 20) {
            auto p = make(first, 0, 0, s);
            p.note = "read the year range '" + s + "' as its first year, " + p.iso();
            return p;
        }
        throw fail();
    }
    if (n == 1 && t[0].digits && t[0].text.size() == 8) // 20190715
        return make(to_int(t[0].text.substr(0, 4)), to_int(t[0].text.substr(4, 2)),
                    to_int(t[0].text.substr(6, 2)), s);
    if (all_digits() && n == 2) {
        if (t[0].text.size() == 4 && t[1].text.size() <= 2) // 2019-07
            return make(to_int(t[0].text), to_int(t[1].text), 0, s);
        if (t[1].text.size() == 4 && t[0].text.size() <= 2) // 07/2019
            return make(to_int(t[1].text), to_int(t[0].text), 0, s);
        throw fail();
    }
    if (all_digits() && n == 3) {
        if (t[0].text.size() == 4) // ISO y-m-d
            return make(to_int(t[0].text), to_int(t[1].text), to_int(t[2].text), s);
        if (t[0].text.size() <= 2 && t[1].text.size() <= 2) { // US m/d/y
            int y = expand_year(t[2]);
            if (y < 0)
                throw fail();
            return make(y, to_int(t[0].text), to_int(t[1].text), s);
        }
        throw fail();
    }
    // Forms with a month name.
    int month_index = -1;
    for (std::size_t i = 0; i < n; ++i) {
        if (!t[i].digits) {
            if (month_index >= 0 || month_from_name(t[i].text) == 0)
                throw fail();
            month_index = static_cast<int>(i);
        }
    }
    if (month_index < 0)
        throw fail();
    const int m = month_from_name(t[static_cast<std::size_t>(month_index)].text);
    std::vector<token> nums;
    for (std::size_t i = 0; i < n; ++i)
        if (t[i].digits)
            nums.push_back(t[i]);
    if (nums.size() == 1) { // "July 2020", "Jul-20"
        int y = expand_year(nums[0]);
        if (y < 0)
            throw fail();
        return make(y, m, 0, s);
    }
    if (nums.size() == 2) {
        // "July 15, 2020" / "15 July 2020" / "15-Jul-19": the year is the last number
        int y = expand_year(nums[1]);
        if (y < 0 || nums[0].text.size() > 2)
            throw fail();
        return make(y, m, to_int(nums[0].text), s);
    }
    throw fail();
}

namespace {

std::string utc_time(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace

std::string now_utc() { return utc_time(std::time(nullptr)); }

std::string file_mtime_utc(const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0)
        return now_utc();
    return utc_time(st.st_mtime);
}

std::string full_day(std::string_view value, std::string_view option) {
    std::optional<partial_date> d;
    try {
        d = parse_date(value);
    } catch (const std::invalid_argument& e) {
        throw error(std::string(e.what()) + " given as " + std::string(option));
    }
    if (!d || d->precision != date_precision::day)
        throw error(std::string(option) + " needs a full date (YYYY-MM-DD)");
    return d->iso();
}

std::string today_utc() { return now_utc().substr(0, 10); }

} // namespace porchlight::util
