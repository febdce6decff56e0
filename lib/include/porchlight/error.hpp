#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace porchlight {

/// Base of every exception the library throws. Only the CLI's main() catches.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A failed SQLite call, with SQLite's own result code and message.
class db_error : public error {
public:
    db_error(const std::string& what, int code, int extended_code)
        : error(what), m_code(code), m_extended_code(extended_code) {}
    int code() const noexcept { return m_code; }
    int extended_code() const noexcept { return m_extended_code; }

private:
    int m_code;
    int m_extended_code;
};

/// A failed GDAL/OGR call, with GDAL's last error message.
class gdal_error : public error {
public:
    using error::error;
};

/// Input that cannot be read as what it claims to be. Names the file and the
/// row (1-based data row, 0 when the problem is not in one row).
class parse_error : public error {
public:
    parse_error(const std::string& message, std::string file, std::int64_t row = 0)
        : error(format(message, file, row)), m_message(message), m_file(std::move(file)),
          m_row(row) {}
    const std::string& message() const noexcept { return m_message; }
    const std::string& file() const noexcept { return m_file; }
    std::int64_t row() const noexcept { return m_row; }

private:
    static std::string format(const std::string& message, const std::string& file,
                              std::int64_t row) {
        std::string s = message + " (" + file;
        if (row > 0)
            s += ":row " + std::to_string(row);
        return s + ")";
    }
    std::string m_message;
    std::string m_file;
    std::int64_t m_row;
};

/// A profile file (YAML) that is malformed or refers to columns that do not exist.
class profile_error : public error {
public:
    using error::error;
};

/// Something the user asked for that does not exist (an agency, a source ...).
class not_found_error : public error {
public:
    using error::error;
};

} // namespace porchlight
