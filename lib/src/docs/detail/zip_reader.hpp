#pragma once

// Reading a zip held in memory with libarchive, with the limits for untrusted input: shared
// by parse_zip (archive.cpp, which holds the implementation) and parse_office (office.cpp).

#include <porchlight/docs/document.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct archive;

namespace porchlight::docs::detail {

/// One entry of a zip, from its header.
struct zip_entry {
    enum class entry_type { file, directory, symlink, other };

    std::string name; ///< UTF-8 as stored (UTF-8 flag or CP437), not yet made safe
    entry_type type = entry_type::file;
    bool encrypted = false;
    std::optional<std::uint64_t> declared_size; ///< uncompressed size the header claims
};

/// The bytes of one entry, or why they could not be read (damaged or encrypted data).
struct zip_data {
    std::string bytes;
    std::string error; ///< "" when the bytes were read
    bool ok() const noexcept { return error.empty(); }
};

/// Entries of a zip, one after the other. The limits:
///   - more than lim.max_entries entries (counted in the central directory before anything
///     is read, and again while reading) → limit_error;
///   - an entry that expands past lim.max_document_bytes, or more than lim.max_ratio times
///     its compressed size (once past 1 MiB), or all entries read together past
///     lim.max_expanded_bytes → limit_error naming the entry.
/// Sizes are the bytes actually decompressed, counted as they come: headers can lie.
class zip_reader {
  public:
    /// parse_error when the bytes are not a zip with a readable central directory. The bytes
    /// are read in place: they must outlive the reader.
    zip_reader(std::string_view bytes, const limits& lim);
    ~zip_reader();
    zip_reader(const zip_reader&) = delete;
    zip_reader& operator=(const zip_reader&) = delete;

    /// The next entry; nullopt at the end. A damaged header past the first ends the
    /// reading with a warning (see warnings()); the first one is a parse_error.
    std::optional<zip_entry> next();

    /// The bytes of the entry next() returned last (at most once per entry). Damaged data
    /// is not an exception but a zip_data with an error; limits are (limit_error).
    zip_data read();

    /// Problems that did not stop the reading.
    const std::vector<std::string>& warnings() const noexcept { return m_warnings; }

    /// Bytes decompressed so far, all entries together.
    std::uint64_t expanded_bytes() const noexcept { return m_expanded; }

  private:
    struct archive_deleter {
        void operator()(::archive* a) const noexcept;
    };

    std::string_view m_bytes;
    limits m_lim;
    std::unique_ptr<::archive, archive_deleter> m_archive;
    std::vector<std::string> m_warnings;
    std::string m_current; ///< name of the current entry, for messages
    std::uint64_t m_entries = 0;
    std::uint64_t m_expanded = 0;
    std::optional<std::uint64_t> m_declared; ///< declared size of the current entry
    bool m_data_pending = false;
    bool m_done = false;
};

/// Bytes of an entry name made safe as a relative path: backslashes as '/', no drive letter,
/// no leading '/', ".." resolved within the archive and dropped where it would leave it,
/// no "." or empty parts, control characters as '_'. `escaped` (when not null)
/// tells whether the path escaped the archive (absolute, drive letter or "..").
std::string safe_entry_path(std::string_view name, bool* escaped = nullptr);

} // namespace porchlight::docs::detail
