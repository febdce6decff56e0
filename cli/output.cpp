#include "output.hpp"


#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <sys/ioctl.h>
#include <unistd.h>
#include <vector>

namespace porchlight::cli {

namespace {

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

/// Display width of UTF-8 text (code points; good enough for Latin text).
std::size_t display_width(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

std::string fit(std::string s, std::size_t width) {
    for (auto& c : s)
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
    if (display_width(s) <= width)
        return s;
    std::string out;
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if ((c & 0xC0) != 0x80) {
            if (n + 1 >= width)
                break;
            ++n;
        }
        out += s[i];
    }
    return out + "…";
}

bool is_number(const report::value& v) {
    return std::holds_alternative<std::int64_t>(v) || std::holds_alternative<double>(v);
}

} // namespace

nlohmann::ordered_json to_json(const report::table& t) {
    auto arr = nlohmann::ordered_json::array();
    for (const auto& row : t.rows) {
        nlohmann::ordered_json obj = nlohmann::ordered_json::object();
        for (std::size_t i = 0; i < row.size(); ++i) {
            const auto& v = row[i];
            if (std::holds_alternative<std::int64_t>(v))
                obj[t.columns[i]] = std::get<std::int64_t>(v);
            else if (std::holds_alternative<double>(v))
                obj[t.columns[i]] = std::get<double>(v);
            else if (std::holds_alternative<std::string>(v))
                obj[t.columns[i]] = std::get<std::string>(v);
            else
                obj[t.columns[i]] = nullptr;
        }
        arr.push_back(std::move(obj));
    }
    return arr;
}

int terminal_width() {
    if (const char* c = std::getenv("COLUMNS"); c && *c)
        return std::max(20, std::atoi(c));
    if (!::isatty(STDOUT_FILENO))
        return 0;
    winsize ws{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 0;
}

void print_table(const report::table& t, std::string_view format, std::ostream& out) {
    if (format == "csv") {
        for (std::size_t i = 0; i < t.columns.size(); ++i)
            out << (i ? "," : "") << csv_field(t.columns[i]);
        out << '\n';
        for (const auto& row : t.rows) {
            for (std::size_t i = 0; i < row.size(); ++i)
                out << (i ? "," : "") << csv_field(report::to_text(row[i]));
            out << '\n';
        }
        return;
    }
    if (format == "json") {
        out << to_json(t).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        return;
    }
    // text table
    const std::size_t n = t.columns.size();
    std::vector<std::size_t> width(n);
    for (std::size_t i = 0; i < n; ++i)
        width[i] = display_width(t.columns[i]);
    for (const auto& row : t.rows)
        for (std::size_t i = 0; i < n; ++i)
            width[i] = std::max(width[i], display_width(report::to_text(row[i])));
    if (const int term = terminal_width(); term > 0) {
        auto total = [&] {
            std::size_t s = n ? (n - 1) * 2 : 0;
            for (auto w : width)
                s += w;
            return s;
        };
        // shrink the widest column until the table fits: first only columns wider than
        // 16 characters, so ids, dates, codes and counts stay whole when that is enough,
        // then any column down to 6
        for (const std::size_t floor : {std::size_t{16}, std::size_t{6}}) {
            while (total() > static_cast<std::size_t>(term)) {
                auto widest = std::max_element(width.begin(), width.end());
                if (*widest <= floor)
                    break;
                --*widest;
            }
        }
    }
    auto line = [&](const std::vector<std::string>& cells, const std::vector<bool>& right) {
        std::string s;
        for (std::size_t i = 0; i < n; ++i) {
            auto cell = fit(cells[i], width[i]);
            const auto pad = width[i] - std::min(width[i], display_width(cell));
            if (i)
                s += "  ";
            if (right[i])
                s += std::string(pad, ' ') + cell;
            else
                s += cell + (i + 1 < n ? std::string(pad, ' ') : std::string());
        }
        while (!s.empty() && s.back() == ' ')
            s.pop_back();
        out << s << '\n';
    };
    line(t.columns, std::vector<bool>(n, false));
    std::vector<std::string> rule;
    for (auto w : width)
        rule.push_back(std::string(w, '-'));
    line(rule, std::vector<bool>(n, false));
    for (const auto& row : t.rows) {
        std::vector<std::string> cells;
        std::vector<bool> right;
        for (const auto& v : row) {
            cells.push_back(report::to_text(v));
            right.push_back(is_number(v));
        }
        line(cells, right);
    }
}

void drop_columns(report::table& t, const std::vector<std::string>& names) {
    for (const auto& name : names) {
        auto it = std::find(t.columns.begin(), t.columns.end(), name);
        if (it == t.columns.end())
            continue;
        const auto i = static_cast<std::size_t>(it - t.columns.begin());
        t.columns.erase(it);
        for (auto& row : t.rows)
            row.erase(row.begin() + static_cast<std::ptrdiff_t>(i));
    }
}

void print_record(const report::table& t, std::ostream& out) {
    std::size_t w = 0;
    for (const auto& c : t.columns)
        w = std::max(w, c.size());
    for (const auto& row : t.rows)
        for (std::size_t i = 0; i < row.size(); ++i)
        {
            const auto v = report::to_text(row[i]);
            out << t.columns[i] << ':';
            if (!v.empty())
                out << std::string(w - t.columns[i].size() + 1, ' ') << v;
            out << '\n';
        }
}

Progress::Progress(std::string label, bool enabled, std::string unit)
    : m_label(std::move(label)), m_unit(std::move(unit)),
      m_enabled(enabled && ::isatty(STDERR_FILENO)), m_start(std::chrono::steady_clock::now()) {}

Progress::~Progress() { finish(); }

void Progress::update(std::int64_t count) {
    if (!m_enabled)
        return;
    const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start);
    if (elapsed.count() < 1.0)
        return;
    std::cerr << '\r' << m_label << ": " << count << " " << m_unit << ", "
              << static_cast<std::int64_t>(elapsed.count()) << " s" << std::flush;
    m_shown = true;
}

void Progress::update_bytes(std::uint64_t received, std::optional<std::uint64_t> total) {
    if (!m_enabled)
        return;
    const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start);
    if (elapsed.count() < 1.0)
        return;
    char buf[96];
    if (total && *total > 0)
        std::snprintf(buf, sizeof buf, "%.1f of %.1f MB (%d%%)", received / 1e6, *total / 1e6,
                      static_cast<int>(100.0 * static_cast<double>(received) /
                                       static_cast<double>(*total)));
    else
        std::snprintf(buf, sizeof buf, "%.1f MB", received / 1e6);
    // the locale's decimal comma would read as a thousands separator here
    for (char* p = buf; *p; ++p)
        if (*p == ',')
            *p = '.';
    std::cerr << '\r' << m_label << ": " << buf << ", " << static_cast<std::int64_t>(elapsed.count())
              << " s\033[K" << std::flush;
    m_shown = true;
}

void Progress::finish() {
    if (m_shown)
        std::cerr << "\r\033[K" << std::flush;
    m_shown = false;
}

} // namespace porchlight::cli
