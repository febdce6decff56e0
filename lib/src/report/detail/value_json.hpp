#pragma once

// A report value as JSON (the report's JSON form, the web map's features): integers and
// reals as numbers, text as a string, a missing value as null. Json is nlohmann::json or
// nlohmann::ordered_json.

#include <porchlight/report/table.hpp>

#include <cstdint>
#include <string>
#include <variant>

namespace porchlight::report::reports_detail {

template <class Json> Json value_json(const value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return *i;
    if (const auto* d = std::get_if<double>(&v))
        return *d;
    if (const auto* s = std::get_if<std::string>(&v))
        return *s;
    return nullptr;
}

} // namespace porchlight::report::reports_detail
