#pragma once

// Writing an output beside its final name (OUT.part) and renaming it at the end, so a failed
// run never leaves a half-written file under the name the user asked for.

#include <porchlight/error.hpp>

#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

namespace porchlight::util {

/// OUT.part (a file, or a folder a writer fills): removed up front and, unless released, when
/// it goes out of scope.
class part_file {
public:
    explicit part_file(std::filesystem::path p) : m_path(std::move(p)) { remove(); }
    ~part_file() {
        if (!m_released)
            remove();
    }
    part_file(const part_file&) = delete;
    part_file& operator=(const part_file&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    void release() { m_released = true; }
    void remove() const {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }

private:
    std::filesystem::path m_path;
    bool m_released = false;
};

/// Renames from to to; throws porchlight::error "cannot write <what><to>: <reason>".
inline void move_into_place(const std::filesystem::path& from, const std::filesystem::path& to,
                            const std::string& what = {}) {
    std::error_code ec;
    std::filesystem::rename(from, to, ec);
    if (ec)
        throw error("cannot write " + what + to.string() + ": " + ec.message());
}

} // namespace porchlight::util
