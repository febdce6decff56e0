// Legend classes of the maps: a categorical palette (Okabe-Ito, the most common values
// first), a sequential ramp for numbers and choropleth counts (quantile classes), and
// locale-independent number labels.

#include <porchlight/error.hpp>
#include <porchlight/render/detail/map_scene.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <variant>

namespace porchlight::render::detail {

namespace {

// Okabe-Ito, most distinct first (yellow, weak on white, left out)
constexpr std::array<rgb, 7> categorical = {{{0x00, 0x72, 0xB2},
                                             {0xE6, 0x9F, 0x00},
                                             {0x00, 0x9E, 0x73},
                                             {0xD5, 0x5E, 0x00},
                                             {0x56, 0xB4, 0xE9},
                                             {0xCC, 0x79, 0xA7},
                                             {0x00, 0x00, 0x00}}};
constexpr rgb other_grey{0x99, 0x99, 0x99};
constexpr rgb none_grey{0xC8, 0xC8, 0xC8};
constexpr rgb zero_grey{0xEC, 0xEC, 0xEA};
// sequential, light to dark (orange-red)
constexpr std::array<rgb, 5> ramp = {{{0xFE, 0xE8, 0xC8},
                                      {0xFD, 0xBB, 0x84},
                                      {0xFC, 0x8D, 0x59},
                                      {0xE3, 0x4A, 0x33},
                                      {0xB3, 0x00, 0x00}}};
constexpr std::size_t max_classes = ramp.size();

std::optional<double> number_of(const report::value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&v))
        return *d;
    return std::nullopt;
}

bool is_empty(const report::value& v) {
    return std::holds_alternative<std::monostate>(v) ||
           (std::holds_alternative<std::string>(v) && std::get<std::string>(v).empty());
}

// Upper bounds of up to 5 classes of the values (sorted), at quantiles; equal bounds merge.
std::vector<double> breaks_of(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end()); // distinct values weigh alike
    std::vector<double> out;
    if (v.size() <= max_classes)
        return v;
    for (std::size_t k = 1; k <= max_classes; ++k) {
        const double b = v[std::min(v.size() - 1, k * v.size() / max_classes - 1)];
        if (out.empty() || b > out.back())
            out.push_back(b);
    }
    return out;
}

rgb ramp_colour(std::size_t i, std::size_t n) {
    if (n <= 1)
        return ramp[ramp.size() - 2];
    return ramp[i * (ramp.size() - 1) / (n - 1)];
}

// Classes of numbers on the ramp: "1", "2-4" ... (zero apart, light grey, when zero_apart;
// missing values last, as "(none)")
classing classes_of(const std::vector<std::optional<double>>& values, const std::string& title,
                    bool integers, bool zero_apart) {
    std::vector<double> present;
    bool any_none = false;
    for (const auto& v : values) {
        any_none = any_none || !v;
        if (v && (!zero_apart || *v > 0))
            present.push_back(*v);
    }
    const auto bounds = breaks_of(present);
    auto sorted = present;
    std::sort(sorted.begin(), sorted.end());
    const auto distinct =
        static_cast<std::size_t>(std::unique(sorted.begin(), sorted.end()) - sorted.begin());
    classing c;
    c.legend.title = title;
    if (zero_apart)
        c.legend.items.push_back({"0", zero_grey, 0});
    const int first = static_cast<int>(c.legend.items.size());
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        const double lo = i == 0 ? *std::min_element(present.begin(), present.end())
                                 : (integers ? bounds[i - 1] + 1 : bounds[i - 1]);
        // few distinct values: one class each, labelled with its value
        const bool exact = bounds.size() == distinct;
        const std::string label =
            exact || lo >= bounds[i]
                ? format_number(bounds[i], integers)
                : format_number(lo, integers) + "\u2013" + format_number(bounds[i], integers);
        c.legend.items.push_back({label, ramp_colour(i, bounds.size()), 0});
    }
    const int none = static_cast<int>(c.legend.items.size());
    if (any_none)
        c.legend.items.push_back({"(none)", none_grey, 0});
    for (const auto& v : values) {
        int cls = none;
        if (v && zero_apart && *v <= 0)
            cls = 0;
        else if (v) {
            const auto it = std::lower_bound(bounds.begin(), bounds.end(), *v);
            cls = first + static_cast<int>(std::min<std::ptrdiff_t>(
                              it - bounds.begin(), static_cast<std::ptrdiff_t>(bounds.size()) - 1));
        }
        c.cls.push_back(cls);
        ++c.legend.items[static_cast<std::size_t>(cls)].count;
    }
    return c;
}

} // namespace

std::string hex(rgb c) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s = "#";
    for (const auto v : {c.r, c.g, c.b}) {
        s += digits[v >> 4];
        s += digits[v & 15];
    }
    return s;
}

std::string format_number(double v, bool integer) {
    std::array<char, 64> buf{};
    if (integer) {
        const auto n = static_cast<long long>(std::llround(v));
        auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), n < 0 ? -n : n);
        std::string digits(buf.data(), end), out;
        for (std::size_t i = 0; i < digits.size(); ++i) {
            if (i > 0 && (digits.size() - i) % 3 == 0)
                out += ',';
            out += digits[i];
        }
        return (n < 0 ? "-" : "") + out;
    }
    // three significant digits, plain notation
    const int mag = v == 0 ? 0 : static_cast<int>(std::floor(std::log10(std::abs(v))));
    const int decimals = std::clamp(2 - mag, 0, 8);
    auto [end, ec] =
        std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, decimals);
    std::string s(buf.data(), end);
    if (s.find('.') != std::string::npos) {
        s.erase(s.find_last_not_of('0') + 1);
        if (s.back() == '.')
            s.pop_back();
    }
    return s;
}

classing class_values(const std::vector<double>& values, const std::string& title, bool integers) {
    std::vector<std::optional<double>> v(values.begin(), values.end());
    return classes_of(v, title, integers, true);
}

classing class_features(const layer& l, const std::optional<std::string>& color_by) {
    classing c;
    if (!color_by) {
        c.legend.items.push_back({l.name, categorical[0], l.features.size()});
        c.cls.assign(l.features.size(), 0);
        return c;
    }
    const auto it = std::find(l.property_names.begin(), l.property_names.end(), *color_by);
    if (it == l.property_names.end()) {
        std::string names;
        for (const auto& n : l.property_names)
            names += (names.empty() ? "" : ", ") + n;
        throw error("the " + l.name + " layer has no property '" + *color_by +
                    "' to colour by (properties: " + names + ")");
    }
    const auto col = static_cast<std::size_t>(it - l.property_names.begin());
    bool numeric = true, any = false;
    for (const auto& f : l.features) {
        const auto& v = f.properties.at(col);
        if (is_empty(v))
            continue;
        any = true;
        numeric = numeric && number_of(v).has_value();
    }
    if (numeric && any) {
        std::vector<std::optional<double>> values;
        bool integers = true;
        for (const auto& f : l.features) {
            const auto& v = f.properties.at(col);
            values.push_back(number_of(v));
            integers = integers && !std::holds_alternative<double>(v);
        }
        return classes_of(values, *color_by, integers, false);
    }
    // categorical: the most common values get colours, the rest share "other"
    std::map<std::string, std::size_t> counts;
    for (const auto& f : l.features)
        if (!is_empty(f.properties.at(col)))
            ++counts[report::to_text(f.properties.at(col))];
    std::vector<std::pair<std::string, std::size_t>> order(counts.begin(), counts.end());
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    const bool overflow = order.size() > categorical.size();
    const std::size_t named = overflow ? categorical.size() - 1 : order.size();
    std::map<std::string, int> cls_of;
    c.legend.title = *color_by;
    for (std::size_t i = 0; i < named; ++i) {
        cls_of[order[i].first] = static_cast<int>(i);
        c.legend.items.push_back({order[i].first, categorical[i], order[i].second});
    }
    int other = -1, none = -1;
    for (const auto& f : l.features) {
        const auto& v = f.properties.at(col);
        int cls;
        if (is_empty(v)) {
            if (none < 0) {
                none = static_cast<int>(c.legend.items.size());
                c.legend.items.push_back({"(none)", none_grey, 0});
            }
            cls = none;
        } else if (const auto k = cls_of.find(report::to_text(v)); k != cls_of.end()) {
            c.cls.push_back(k->second);
            continue;
        } else {
            if (other < 0) {
                other = static_cast<int>(c.legend.items.size());
                c.legend.items.push_back(
                    {"other (" + std::to_string(order.size() - named) + " values)", other_grey, 0});
            }
            cls = other;
        }
        ++c.legend.items[cls].count;
        c.cls.push_back(cls);
    }
    return c;
}

} // namespace porchlight::render::detail
